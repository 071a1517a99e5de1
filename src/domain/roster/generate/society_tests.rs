//! Generation where main societies (B4) and the women's share (B5) compete for few seats:
//! hand-worked cases for the chains and trades of `congress::societies`.

use super::tests::{congress, names};
use super::*;
use crate::domain::roster::fixtures::{nominee, student, SCITECH, VOLUNTEERS};
use crate::domain::types::Society;

/// Nominees with societies: (college, woman, cadre, votes, societies).
fn members(list: &[(&str, bool, bool, u64, &[&str])]) -> Vec<Nominee> {
    list.iter()
        .enumerate()
        .map(|(i, &(c, woman, cadre, votes, societies))| {
            let mut s = student(c, "2023级", i, woman, cadre.then_some("学生会干事"));
            s.societies = societies.iter().map(|x| x.to_string()).collect();
            nominee(s, votes, i + 1)
        })
        .collect()
}

fn main_societies() -> Vec<Society> {
    [VOLUNTEERS, SCITECH]
        .iter()
        .map(|n| Society {
            name: n.to_string(),
            main: true,
        })
        .collect()
}

#[test]
fn b4_moves_a_society_to_another_college_when_needed() {
    // 青年志愿者协会 goes first (same number of members, listed first) and is cheapest in
    // 信息学院; 学生科技协会 can then only be seated there (机械工程学院's member is a cadre and
    // its one seat must be ordinary), so 青年志愿者协会 moves to 经济管理学院.
    let one = ["2023级"];
    let mut w = congress(&[
        ("信息学院", &one, 1),
        ("经济管理学院", &one, 1),
        ("机械工程学院", &one, 1),
    ]);
    w.societies = main_societies();
    let n = members(&[
        ("信息学院", false, false, 9, &[]),
        ("信息学院", false, false, 1, &[SCITECH]),
        ("信息学院", false, false, 2, &[VOLUNTEERS]),
        ("经济管理学院", false, false, 9, &[]),
        ("经济管理学院", false, false, 1, &[VOLUNTEERS]),
        ("机械工程学院", false, false, 9, &[]),
        ("机械工程学院", false, true, 1, &[SCITECH]),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    let expect: Vec<String> = [1, 4, 5]
        .iter()
        .map(|&i| n[i].student.name.clone())
        .collect();
    assert_eq!(names(&g.roster), expect);
    let rules: Vec<(&str, &str)> = g
        .substitutions
        .iter()
        .map(|s| (s.college.as_str(), s.rule.as_str()))
        .collect();
    assert_eq!(rules, vec![("信息学院", "B4"), ("经济管理学院", "B4")]);
    assert!(
        g.substitutions[0].reason.contains(SCITECH),
        "{}",
        g.substitutions[0].reason
    );
    assert!(
        g.substitutions[1].reason.contains(VOLUNTEERS),
        "{}",
        g.substitutions[1].reason
    );
}

#[test]
fn b4_and_b5_together_trade_a_woman_between_colleges() {
    // 2 seats need ceil(25% x 2) = 1 woman. The only roster: 信息学院 takes 赵 (member of both
    // societies), 经济管理学院 takes its woman.
    let one = ["2023级"];
    let mut w = congress(&[("信息学院", &one, 1), ("经济管理学院", &one, 1)]);
    w.profile.women_min_pct = 25;
    w.societies = main_societies();
    let n = members(&[
        ("信息学院", false, false, 2, &[VOLUNTEERS]),
        ("信息学院", true, false, 0, &[]),
        ("信息学院", false, false, 0, &[VOLUNTEERS, SCITECH]),
        ("经济管理学院", false, false, 1, &[SCITECH]),
        ("经济管理学院", true, false, 0, &[]),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    let expect: Vec<String> = [2, 4].iter().map(|&i| n[i].student.name.clone()).collect();
    assert_eq!(names(&g.roster), expect);
    assert_eq!(
        (g.report.summary.women, g.report.summary.women_required),
        (1, 1)
    );
}

#[test]
fn b5_can_hand_a_society_over_to_another_college() {
    // 3 seats need ceil(50% x 3) = 2 women; 学生科技协会 has only 钱 (信息学院, a man), so
    // 信息学院 seats him and one woman, and the other woman must come from 经济管理学院, whose
    // 青年志愿者协会 member gives way: 信息学院's second seat goes to its 青年志愿者协会 woman.
    let one = ["2023级"];
    let mut w = congress(&[("信息学院", &one, 2), ("经济管理学院", &one, 1)]);
    w.profile.women_min_pct = 50;
    w.profile.ordinary_min_pct = 0;
    w.societies = main_societies();
    let n = members(&[
        ("信息学院", false, true, 0, &[SCITECH]),
        ("信息学院", true, true, 1, &[]),
        ("信息学院", true, true, 0, &[VOLUNTEERS]),
        ("经济管理学院", true, true, 0, &[]),
        ("经济管理学院", false, true, 1, &[VOLUNTEERS]),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    let expect: Vec<String> = [0, 2, 3]
        .iter()
        .map(|&i| n[i].student.name.clone())
        .collect();
    assert_eq!(names(&g.roster), expect);
    assert!(g.report.valid);
}
