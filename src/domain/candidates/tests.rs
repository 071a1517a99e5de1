//! Tests of rules C1-C4 and the contest checks.

use super::*;
use proptest::prelude::*;

/// An eligible candidate: 共青团员, top 10%, no failed course.
fn cand(name: &str, student_no: &str, organiser_order: u32) -> Candidate {
    Candidate {
        id: format!("c{organiser_order}"),
        name: name.to_string(),
        student_no: student_no.to_string(),
        college: "计算机科学与技术学院".to_string(),
        gender: Some(Gender::Female),
        political_status: "共青团员".to_string(),
        rank_pct: Some(10),
        failed_courses: 0,
        eligibility_override: None,
        organiser_order,
    }
}

/// Six eligible candidates for a school contest of five seats.
fn six() -> Vec<Candidate> {
    ["赵敏", "张伟", "李明", "王建国", "沈雪", "吴静"]
        .iter()
        .enumerate()
        .map(|(i, n)| cand(n, &format!("20210101{i:02}"), i as u32 + 1))
        .collect()
}

#[test]
fn c1_seat_limits_for_both_levels() {
    let p = RuleProfile::default();
    assert_eq!(check_seats(Level::School, 5, &p), Ok(()));
    let v = check_seats(Level::School, 6, &p).unwrap_err();
    assert_eq!((v.rule.as_str(), v.required, v.found), ("C1", 5, 6));
    assert_eq!(v.message, "校级学代会主席团应选名额不得超过5名，当前为6名");
    assert_eq!(check_seats(Level::College, 3, &p), Ok(()));
    let v = check_seats(Level::College, 4, &p).unwrap_err();
    assert_eq!((v.required, v.found), (3, 4));
    assert!(v.message.starts_with("院级"));
    let v = check_seats(Level::College, 0, &p).unwrap_err();
    assert_eq!((v.required, v.found), (1, 0));
    assert_eq!(check_seats(Level::School, 1, &p), Ok(()));
    let wider = RuleProfile {
        max_seats_school: 7,
        ..p
    };
    assert_eq!(check_seats(Level::School, 7, &wider), Ok(()));
}

#[test]
fn c2_required_candidates_table() {
    // seats:            1  2  3  4  5  6                7
    // seats + 1:        2  3  4  5  6  7                8
    // ceil(1.2 x seats) 2  3  4  5  6  ceil(7.2) = 8    ceil(8.4) = 9
    let required: Vec<u32> = (1..=7).map(required_candidates).collect();
    assert_eq!(required, vec![2, 3, 4, 5, 6, 8, 9]);
    assert_eq!(required_candidates(10), 12);
    assert_eq!(required_candidates(u32::MAX), u32::MAX);
}

#[test]
fn c2_margin_and_the_equal_election_override() {
    assert_eq!(check_margin(5, 6, None), MarginCheck::Ok);
    assert_eq!(check_margin(5, 9, Some("无关")), MarginCheck::Ok);
    let MarginCheck::Violation(v) = check_margin(5, 5, None) else {
        panic!("等额 without reason")
    };
    assert_eq!((v.rule.as_str(), v.required, v.found), ("C2", 6, 5));
    assert!(matches!(
        check_margin(5, 5, Some("  ")),
        MarginCheck::Violation(_)
    ));
    let reason = "经院团委研究，采用等额选举";
    assert_eq!(
        check_margin(5, 5, Some(reason)),
        MarginCheck::Equal {
            reason: reason.to_string()
        }
    );
    // 7 for 6 seats is 差额 but short of 8: allowed only with a reason.
    assert!(matches!(
        check_margin(6, 7, None),
        MarginCheck::Violation(_)
    ));
    assert_eq!(
        check_margin(6, 7, Some(reason)),
        MarginCheck::Reduced {
            required: 8,
            found: 7,
            reason: reason.to_string()
        }
    );
    // Fewer candidates than seats: no override helps.
    let MarginCheck::Violation(v) = check_margin(3, 2, Some(reason)) else {
        panic!("2 for 3")
    };
    assert_eq!((v.required, v.found), (4, 2));
    // The record stores the outcome as tagged JSON.
    let json = serde_json::to_value(check_margin(5, 5, Some(reason))).unwrap();
    assert_eq!(json, serde_json::json!({"kind": "equal", "reason": reason}));
}

#[test]
fn political_status_variants() {
    use PoliticalStatus::*;
    for (text, status) in [
        ("中共党员", Some(PartyMember)),
        ("中国共产党党员", Some(PartyMember)),
        ("党员", Some(PartyMember)),
        ("01", Some(PartyMember)),
        ("中共党员（预备）", Some(ProbationaryPartyMember)),
        ("中共预备党员", Some(ProbationaryPartyMember)),
        (" 预备党员 ", Some(ProbationaryPartyMember)),
        ("共青团员", Some(LeagueMember)),
        ("共青团员(团员)", Some(LeagueMember)),
        ("团员（共青团员）", Some(LeagueMember)),
        ("中国共产主义青年团团员", Some(LeagueMember)),
        ("共 青 团 员", Some(LeagueMember)),
        ("群众", None),
        ("入党积极分子", None),
        ("中国民主同盟盟员", None),
        ("", None),
    ] {
        assert_eq!(PoliticalStatus::parse(text), status, "{text}");
    }
}

#[test]
fn c3_each_criterion_failing_alone() {
    let p = RuleProfile::default();
    let ok = eligibility(&cand("李明", "2021010101", 1), &p);
    assert!(ok.eligible && ok.political_ok && ok.rank_ok && ok.failed_ok);
    assert!(ok.reasons.is_empty());

    let mut c = cand("李明", "2021010101", 1);
    c.political_status = "群众".into();
    let e = eligibility(&c, &p);
    assert_eq!(
        (e.political_ok, e.rank_ok, e.failed_ok, e.eligible),
        (false, true, true, false)
    );
    assert_eq!(
        e.reasons,
        vec!["政治面貌为“群众”，须为中共党员、中共预备党员或共青团员"]
    );

    let mut c = cand("李明", "2021010101", 1);
    c.rank_pct = Some(30); // the limit itself is within
    assert!(eligibility(&c, &p).eligible);
    c.rank_pct = Some(31);
    let e = eligibility(&c, &p);
    assert_eq!(
        (e.political_ok, e.rank_ok, e.failed_ok),
        (true, false, true)
    );
    assert_eq!(e.reasons, vec!["专业排名前31%，须在前30%以内"]);
    c.rank_pct = None;
    assert_eq!(
        eligibility(&c, &p).reasons,
        vec!["未提供专业排名，须在专业前30%以内"]
    );
    c.rank_pct = Some(101);
    assert!(!eligibility(&c, &p).rank_ok);

    let mut c = cand("李明", "2021010101", 1);
    c.failed_courses = 2;
    let e = eligibility(&c, &p);
    assert_eq!(
        (e.political_ok, e.rank_ok, e.failed_ok),
        (true, true, false)
    );
    assert_eq!(e.reasons, vec!["有2门课程不及格，须无不及格课程"]);

    // A stricter profile moves the rank limit.
    let strict = RuleProfile {
        eligibility_rank_pct: 20,
        ..p
    };
    let mut c = cand("李明", "2021010101", 1);
    c.rank_pct = Some(25);
    assert!(!eligibility(&c, &strict).rank_ok);
}

#[test]
fn c3_override_path() {
    let p = RuleProfile::default();
    let mut c = cand("沈雪", "2021010102", 1);
    c.rank_pct = Some(35);
    c.eligibility_override = Some("  校学生会主席团推荐，经党委学工部同意  ".into());
    let e = eligibility(&c, &p);
    assert!(!e.eligible && e.overridden);
    assert_eq!(
        e.override_reason.as_deref(),
        Some("校学生会主席团推荐，经党委学工部同意")
    );
    assert_eq!(e.reasons.len(), 1);
    // A blank reason is no override; an override on an eligible candidate changes nothing.
    c.eligibility_override = Some("   ".into());
    assert!(!eligibility(&c, &p).overridden);
    let mut fine = cand("吴静", "2021010103", 2);
    fine.eligibility_override = Some("多余的说明".into());
    let e = eligibility(&fine, &p);
    assert!(e.eligible && !e.overridden && e.override_reason.is_none());
}

#[test]
fn a_valid_contest_has_no_violations() {
    let p = RuleProfile::default();
    let scrutineers = vec!["2022020201".to_string()];
    assert!(check_contest(Level::School, 5, &six(), None, &scrutineers, &p).is_empty());
}

#[test]
fn contest_reports_scrutineer_conflict_and_duplicates() {
    let p = RuleProfile::default();
    let mut list = six();
    list.push(cand("王建国", "2021010103", 7)); // same 学号 as 王建国 above
    let scrutineers = vec![" 2021010101 ".to_string(), "2022020201".to_string()];
    let v = check_contest(Level::School, 5, &list, None, &scrutineers, &p);
    let rules: Vec<&str> = v.iter().map(|v| v.rule.as_str()).collect();
    assert_eq!(rules, vec!["G2", "B6"]);
    assert_eq!(
        v[0].message,
        "候选人张伟（学号2021010101）同时被列为监票人或计票人，候选人不得担任监票、计票工作"
    );
    assert_eq!((v[1].required, v[1].found), (1, 2));
    assert!(v[1]
        .message
        .contains("学号2021010103在候选人名单中出现2次（王建国、王建国）"));
}

#[test]
fn contest_refuses_ineligible_and_counts_only_who_may_stand() {
    let p = RuleProfile::default();
    let mut list = six();
    list[1].failed_courses = 1; // 张伟
    let v = check_contest(Level::School, 5, &list, None, &[], &p);
    // 5 may stand for 5 seats: 等额 without a reason, and 张伟 refused.
    let rules: Vec<(&str, bool)> = v.iter().map(|v| (v.rule.as_str(), v.warning)).collect();
    assert_eq!(rules, vec![("C2", false), ("C3", false)]);
    assert_eq!((v[0].required, v[0].found), (6, 5));
    assert!(v[0]
        .message
        .ends_with("（不含未通过资格审查或学号缺失、重复的1人）"));
    assert_eq!(
        v[1].message,
        "候选人张伟（学号2021010101）：有1门课程不及格，须无不及格课程，不得提名"
    );
    assert_eq!(
        (v[1].college.as_deref(), v[1].required, v[1].found),
        (Some("计算机科学与技术学院"), 0, 1)
    );

    // With an eligibility override and a 等额 reason everything is a warning.
    list[1].eligibility_override = Some("补考已通过，成绩待录入".into());
    list.pop();
    let v = check_contest(Level::School, 5, &list, Some("经研究采用等额选举"), &[], &p);
    assert!(v.iter().all(|v| v.warning));
    assert_eq!(v.len(), 1 + 1);
    assert_eq!(
        v[0].message,
        "等额选举：应选5名，候选人5名；组织方理由：经研究采用等额选举"
    );
    assert!(v[1]
        .message
        .ends_with("组织方已特批，理由：补考已通过，成绩待录入"));
}

#[test]
fn contest_reports_seats_and_missing_fields() {
    let p = RuleProfile::default();
    let mut list: Vec<Candidate> = six().into_iter().take(5).collect();
    list[4].name = " ".into();
    list[3].student_no = String::new();
    let v = check_contest(Level::College, 4, &list, None, &[], &p);
    let rules: Vec<&str> = v.iter().map(|v| v.rule.as_str()).collect();
    // C1: 4 > 3 seats; C2: 4 may stand for 4 seats, needs 5; B6 twice.
    assert_eq!(rules, vec!["C1", "C2", "B6", "B6"]);
    assert_eq!(v[2].message, "候选人王建国学号未填写");
    assert_eq!(v[3].message, "第5名候选人姓名未填写");
}

#[test]
fn c4_ballot_order_of_seven_names() {
    // Organiser's order 1..7. Surnames with strokes (classes 1横 2竖 3撇 4点 5折):
    //   赵 9; 张 7 (5153154); 李 7 (1234521); 王 4 (1121); 沈 7 (4414535); 吴 7 (2511134);
    //   何 7 (3212512).
    // Ballot: 王 (4) first; the five 7-stroke surnames by first stroke 横 李, 竖 吴, 撇 何,
    // 点 沈, 折 张; 赵 (9) last.
    let names = ["赵敏", "张伟", "李明", "王建国", "沈雪", "吴静", "何芳"];
    let list: Vec<Candidate> = names
        .iter()
        .enumerate()
        .map(|(i, n)| cand(n, &format!("2021{i:06}"), i as u32 + 1))
        .collect();
    let order: Vec<&str> = ballot_order(&list).iter().map(|&i| names[i]).collect();
    assert_eq!(
        order,
        vec!["王建国", "李明", "吴静", "何芳", "沈雪", "张伟", "赵敏"]
    );
}

#[test]
fn c4_ties_fall_back_to_organiser_order() {
    let list = vec![
        cand("张伟", "2021000001", 3),
        cand("Anna Smith", "2021000002", 2),
        cand("张伟", "2021000003", 1),
        cand("John Lee", "2021000004", 0),
        cand("丁一", "2021000005", 9),
    ];
    // 丁 (2) before 张 (7); the two 张伟 by organiser order (1 before 3); Latin names, which
    // have no strokes, after all Chinese ones, by organiser order (0 before 2).
    assert_eq!(ballot_order(&list), vec![4, 2, 0, 3, 1]);
    assert_eq!(ballot_order(&[]), Vec::<usize>::new());
}

const NAMES: &[&str] = &[
    "张伟",
    "张伟",
    "李明",
    "王芳",
    "欧阳娜娜",
    "林晓",
    "Anna",
    "己明",
    "已明",
    "高富",
    "高富强",
];

fn candidates() -> impl Strategy<Value = Vec<Candidate>> {
    proptest::collection::vec((proptest::sample::select(NAMES), 0u32..6), 0..12).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (n, o))| cand(n, &format!("{i}"), o))
            .collect()
    })
}

proptest! {
    #[test]
    fn ballot_order_is_a_sorted_deterministic_permutation(list in candidates()) {
        let order = ballot_order(&list);
        let mut seen = order.clone();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..list.len()).collect::<Vec<_>>());
        prop_assert_eq!(&ballot_order(&list), &order);
        for w in order.windows(2) {
            let (a, b) = (&list[w[0]], &list[w[1]]);
            let by_name = compare_names(&a.name, &b.name);
            prop_assert_ne!(by_name, std::cmp::Ordering::Greater);
            if a.name == b.name {
                prop_assert!(a.organiser_order <= b.organiser_order);
            }
        }
    }

    #[test]
    fn ballot_order_does_not_depend_on_input_order(list in candidates(), seed in any::<u64>()) {
        // Reversing and rotating the input gives the same order up to candidates the rules
        // cannot tell apart (equal by strokes and the same organiser's order).
        let mut moved = list.clone();
        moved.reverse();
        if !moved.is_empty() {
            let k = (seed % moved.len() as u64) as usize;
            moved.rotate_left(k);
        }
        let (a, b) = (ballot_order(&list), ballot_order(&moved));
        for (&i, &j) in a.iter().zip(&b) {
            let (x, y) = (&list[i], &moved[j]);
            prop_assert_eq!(compare_names(&x.name, &y.name), std::cmp::Ordering::Equal);
            prop_assert_eq!(x.organiser_order, y.organiser_order);
        }
    }
}
