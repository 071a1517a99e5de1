//! Generation on hand-worked cases (each substitution written out) and on a realistic school.

use std::collections::BTreeMap;

use super::*;
use crate::domain::roster::fixtures::{
    college, nominee, student, world, World, GRADES, SCITECH, VOLUNTEERS,
};
use crate::domain::settings::RuleProfile;
use crate::domain::types::{CollegeEnrolment, Society};

/// A congress of the given colleges (name, grades, quota), women's share off, no societies.
pub(super) fn congress(colleges: &[(&str, &[&str], u64)]) -> World {
    World {
        profile: RuleProfile {
            women_min_pct: 0,
            ..RuleProfile::default()
        },
        enrolment: colleges
            .iter()
            .map(|(c, grades, _)| CollegeEnrolment {
                college: c.to_string(),
                grades: grades.iter().map(|g| (g.to_string(), 100)).collect(),
            })
            .collect(),
        quotas: colleges
            .iter()
            .map(|(c, _, q)| (c.to_string(), *q))
            .collect(),
        societies: Vec::new(),
        cadre_roles: None,
    }
}

/// Nominees (college, grade, woman, cadre role, votes), numbered and in file order.
fn pool(list: &[(&str, &str, bool, Option<&str>, u64)]) -> Vec<Nominee> {
    list.iter()
        .enumerate()
        .map(|(i, &(c, g, woman, role, votes))| {
            nominee(student(c, g, i, woman, role), votes, i + 1)
        })
        .collect()
}

pub(super) fn names(roster: &[RosterEntry]) -> Vec<String> {
    roster.iter().map(|e| e.student.name.clone()).collect()
}

#[test]
fn b2_passes_over_the_lowest_cadre_for_the_best_ordinary() {
    let w = congress(&[("信息学院", &["2023级"], 5)]);
    let cadre = Some("学生会宣传部部长");
    let n = pool(&[
        ("信息学院", "2023级", false, cadre, 100),
        ("信息学院", "2023级", true, cadre, 95),
        ("信息学院", "2023级", false, None, 90),
        ("信息学院", "2023级", true, cadre, 85),
        ("信息学院", "2023级", false, None, 80),
        ("信息学院", "2023级", true, None, 75),
        ("信息学院", "2023级", false, cadre, 70),
        ("信息学院", "2023级", false, None, 60),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    // Quota 5 needs ceil(60% x 5) = 3 ordinary; the top five have 2. Rank 4 (cadre, 85 votes)
    // gives way to rank 6 (ordinary, 75 votes).
    let expect: Vec<String> = [0, 1, 2, 4, 5]
        .iter()
        .map(|&i| n[i].student.name.clone())
        .collect();
    assert_eq!(names(&g.roster), expect);
    assert_eq!(g.substitutions.len(), 1);
    let s = &g.substitutions[0];
    assert_eq!(
        (s.rule.as_str(), s.removed_rank, s.added_rank),
        ("B2", Some(4), 6)
    );
    assert_eq!((s.removed_votes, s.added_votes), (Some(85), 75));
    assert_eq!(s.removed.as_ref(), Some(&n[3].student));
    for part in [
        "信息学院",
        "第4名",
        "85票",
        "第6名",
        "75票",
        "至少应有3名",
        "只有2名普通同学",
    ] {
        assert!(s.reason.contains(part), "{part} missing in {}", s.reason);
    }
    assert!(g.report.valid);
}

#[test]
fn b3_brings_in_the_best_nominee_of_a_missing_grade() {
    let w = congress(&[("信息学院", &GRADES, 4)]);
    let n = pool(&[
        ("信息学院", "2022级", false, None, 100),
        ("信息学院", "2022级", true, None, 95),
        ("信息学院", "2023级", false, None, 90),
        ("信息学院", "2024级", true, None, 85),
        ("信息学院", "2025级", false, None, 50),
        ("信息学院", "2025级", true, None, 45),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    let expect: Vec<String> = [0, 2, 3, 4]
        .iter()
        .map(|&i| n[i].student.name.clone())
        .collect();
    assert_eq!(names(&g.roster), expect);
    let s = &g.substitutions[0];
    assert_eq!(
        (s.rule.as_str(), s.removed_rank, s.added_rank),
        ("B3", Some(2), 5)
    );
    assert!(s.reason.contains("2025级没有代表"), "{}", s.reason);
}

#[test]
fn b3_quota_below_grades_takes_distinct_grades() {
    let w = congress(&[("外国语学院", &GRADES, 2)]);
    let n = pool(&[
        ("外国语学院", "2022级", true, None, 100),
        ("外国语学院", "2022级", true, None, 90),
        ("外国语学院", "2024级", false, None, 80),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    assert_eq!(
        names(&g.roster),
        vec![n[0].student.name.clone(), n[2].student.name.clone()]
    );
    assert_eq!(g.substitutions[0].rule, "B3");
    assert_eq!(g.report.summary.colleges[0].uncoverable_grades, 2);
}

#[test]
fn women_need_the_ordinary_woman_not_the_best_ranked_woman() {
    // 信息学院 (quota 2) needs 2 ordinary; its best-ranked woman is a cadre. 3 seats need
    // ceil(30% x 3) = 1 woman, who can only be 郑 (ordinary, rank 4).
    let mut w = congress(&[
        ("信息学院", &["2023级"], 2),
        ("机械工程学院", &["2023级"], 1),
    ]);
    w.profile.women_min_pct = 30;
    let n = pool(&[
        ("信息学院", "2023级", true, Some("学生会主席"), 100),
        ("信息学院", "2023级", false, None, 90),
        ("信息学院", "2023级", false, None, 80),
        ("信息学院", "2023级", true, None, 70),
        ("机械工程学院", "2023级", false, None, 100),
        ("机械工程学院", "2023级", false, None, 90),
    ]);
    let g = generate(&n, &w.rules()).unwrap();
    let expect: Vec<String> = [1, 3, 4]
        .iter()
        .map(|&i| n[i].student.name.clone())
        .collect();
    assert_eq!(names(&g.roster), expect);
    assert_eq!(g.report.summary.women, 1);
    let s = &g.substitutions[0];
    assert_eq!((s.removed_rank, s.added_rank), (Some(1), 4));
    assert!(s.reason.contains("排在前面的第3名"), "{}", s.reason);
    assert!(
        s.reason.contains("80票)未入选: 规则B5(女代表比例)"),
        "{}",
        s.reason
    );
}

#[test]
fn women_bound_is_exact_under_college_rules() {
    // Two women nominees, but both are cadres in a college whose 2 seats must be ordinary:
    // at most 0 women, though a plain count of women nominees would say 2.
    let mut w = congress(&[
        ("信息学院", &["2023级"], 2),
        ("机械工程学院", &["2023级"], 1),
    ]);
    w.profile.women_min_pct = 30;
    let n = pool(&[
        ("信息学院", "2023级", true, Some("学生会主席"), 100),
        ("信息学院", "2023级", true, Some("学生会副主席"), 95),
        ("信息学院", "2023级", false, None, 90),
        ("信息学院", "2023级", false, None, 80),
        ("机械工程学院", "2023级", false, None, 100),
    ]);
    let e = generate(&n, &w.rules()).unwrap_err();
    assert_eq!(e.violations.len(), 1);
    let v = &e.violations[0];
    assert_eq!(
        (v.rule.as_str(), v.college.as_deref(), v.required, v.found),
        ("B5", None, 1, 0)
    );
    assert!(v.message.contains("最多只能选出0名女代表"), "{}", v.message);
}

#[test]
fn each_impossible_rule_is_reported_with_its_shortfall() {
    let mut w = congress(&[
        ("信息学院", &["2023级"], 15),
        ("经济管理学院", &GRADES, 4),
        ("外国语学院", &GRADES[..2], 2),
        ("机械工程学院", &["2023级"], 3),
    ]);
    w.societies = vec![Society {
        name: VOLUNTEERS.to_string(),
        main: true,
    }];
    let mut list = Vec::new();
    for i in 0..16 {
        // 7 ordinary nominees of 16; 15 seats need ceil(60% x 15) = 9.
        list.push((
            "信息学院",
            "2023级",
            i % 2 == 0,
            (i >= 7).then_some("学生会干事"),
            100 - i as u64,
        ));
    }
    for g in ["2022级", "2023级", "2024级", "2023级"] {
        list.push(("经济管理学院", g, false, None, 50)); // no 2025级 nominee
    }
    // 2 seats need 2 ordinary and both grades; 2023级 offers only a cadre.
    list.push(("外国语学院", "2022级", true, None, 60));
    list.push(("外国语学院", "2022级", false, None, 55));
    list.push(("外国语学院", "2023级", true, Some("学生会部长"), 50));
    list.push(("机械工程学院", "2023级", false, None, 70)); // 3 seats, 2 nominees
    list.push(("机械工程学院", "2023级", true, None, 65));
    let e = generate(&pool(&list), &w.rules()).unwrap_err();
    let got: Vec<(&str, Option<&str>, i64, i64)> = e
        .violations
        .iter()
        .map(|v| (v.rule.as_str(), v.college.as_deref(), v.required, v.found))
        .collect();
    assert_eq!(
        got,
        vec![
            ("B1", Some("机械工程学院"), 3, 2),
            ("B2", Some("信息学院"), 9, 7),
            ("B2", Some("外国语学院"), 2, 1),
            ("B3", Some("经济管理学院"), 4, 3),
            ("B4", None, 1, 0),
        ]
    );
    assert_eq!(
        e.violations[1].message,
        "信息学院需要至少9名普通同学代表, 推荐人选中只有7名普通同学"
    );
    assert!(
        e.violations[2]
            .message
            .contains("2023级只有学生会骨干推荐人选"),
        "{}",
        e.violations[2].message
    );
    assert!(e.violations[3].message.contains("2025级没有推荐人选"));
    assert!(e.to_string().starts_with("无法生成符合规则的代表名单: "));
}

#[test]
fn nominees_outside_the_enrolment_or_duplicated_are_refused() {
    let w = congress(&[("信息学院", &["2023级"], 1)]);
    let mut n = pool(&[
        ("信息学院", "2023级", false, None, 9),
        ("信息学员", "2023级", true, None, 8),
    ]);
    n.push(n[0].clone());
    n[2].row = 3;
    let e = generate(&n, &w.rules()).unwrap_err();
    let got: Vec<(&str, Option<&str>)> = e
        .violations
        .iter()
        .map(|v| (v.rule.as_str(), v.college.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![("B6", Some("信息学院")), ("B6", Some("信息学员"))]
    );
    assert!(e.violations[0].message.contains("第1行") && e.violations[0].message.contains("第3行"));
}

/// A school of four colleges, 2022级-2025级, where cadres and men tend to get more votes and
/// 学生科技协会's only nominees rank low.
fn school() -> (World, Vec<Nominee>) {
    let mut w = world();
    w.enrolment
        .push(college("机械工程学院", [220, 240, 230, 210]));
    w.quotas = [
        ("信息学院", 9),
        ("经济管理学院", 6),
        ("外国语学院", 3),
        ("机械工程学院", 5),
    ]
    .iter()
    .map(|(c, q)| (c.to_string(), *q))
    .collect::<BTreeMap<_, _>>();
    let roles = ["院学生会主席", "学生会宣传部部长", "学生会学习部干事"];
    let mut x: u64 = 20250901;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut list = Vec::new();
    for (c, q) in [
        ("信息学院", 9),
        ("经济管理学院", 6),
        ("外国语学院", 3),
        ("机械工程学院", 5),
    ] {
        for k in 0..(q * 5 / 2) {
            let cadre = next(10) < 4;
            let woman = next(10) < 3;
            let mut votes =
                40 + next(120) + if cadre { 60 } else { 0 } + if woman { 0 } else { 20 };
            let mut s = student(
                c,
                GRADES[(k + next(2) as usize) % 4],
                1000 + list.len(),
                woman,
                None,
            );
            s.union_role = cadre.then(|| roles[next(3) as usize].to_string());
            if next(10) == 0 {
                s.societies.push(VOLUNTEERS.to_string());
            }
            if c == "经济管理学院" && k >= q * 2 {
                s.societies.push(SCITECH.to_string());
                votes = 10 + k as u64;
            }
            let row = list.len() + 1;
            list.push(nominee(s, votes, row));
        }
    }
    (w, list)
}

#[test]
fn realistic_school_is_valid_explained_and_deterministic() {
    let (w, n) = school();
    let rules = w.rules();
    let g = generate(&n, &rules).unwrap();
    assert!(g.report.valid, "{:#?}", g.report.violations);
    assert_eq!(validate(&g.roster, &rules), g.report);
    let per: Vec<u64> = g
        .report
        .summary
        .colleges
        .iter()
        .map(|c| c.delegates)
        .collect();
    assert_eq!(per, vec![9, 6, 3, 5]);
    assert!(g.report.summary.women >= g.report.summary.women_required);
    assert!(
        g.substitutions
            .iter()
            .any(|s| s.rule == "B4" && s.reason.contains(SCITECH)),
        "{:#?}",
        g.substitutions
    );
    assert!(!g.substitutions.is_empty());
    // Nominees ranked between the plain choice and a newcomer are named with their rule.
    assert!(g
        .substitutions
        .iter()
        .any(|s| s.reason.contains("排在前面的")));
    for s in &g.substitutions {
        let removed = s.removed.as_ref().unwrap();
        assert!(s.reason.starts_with(&format!("{}: ", s.college)));
        assert!(s.reason.contains(&removed.name) && s.reason.contains(&s.added.name));
        assert!(
            s.reason.contains(&format!("规则{}", s.rule)),
            "{}",
            s.reason
        );
        assert!(s.removed_rank.unwrap() < s.added_rank);
        assert!(g.roster.iter().any(|e| e.student == s.added));
        assert!(!g.roster.iter().any(|e| &e.student == removed));
    }
    assert_eq!(generate(&n, &rules).unwrap(), g);
    let mut reversed = n.clone();
    reversed.reverse();
    assert_eq!(generate(&reversed, &rules).unwrap(), g);
    let mut rotated = n.clone();
    rotated.rotate_left(17);
    assert_eq!(generate(&rotated, &rules).unwrap(), g);
}
