//! Validation on hand-built rosters: a valid one, then one planted violation per rule (each
//! reported exactly once, with rule, college and figures), then ordering and settings.

use super::fixtures::{student, valid_roster, world, SCITECH};
use super::*;
use crate::domain::types::{DelegateKind, Gender};

/// (rule, college, required, found, warning) of every violation.
fn figures(report: &RosterReport) -> Vec<(String, Option<String>, i64, i64, bool)> {
    report
        .violations
        .iter()
        .map(|v| {
            (
                v.rule.clone(),
                v.college.clone(),
                v.required,
                v.found,
                v.warning,
            )
        })
        .collect()
}

fn one(
    rule: &str,
    college: Option<&str>,
    required: i64,
    found: i64,
) -> Vec<(String, Option<String>, i64, i64, bool)> {
    vec![(
        rule.to_string(),
        college.map(str::to_string),
        required,
        found,
        false,
    )]
}

fn check(roster: &[RosterEntry]) -> RosterReport {
    validate(roster, &world().rules())
}

#[test]
fn valid_roster_passes_with_exact_summary() {
    let report = check(&valid_roster());
    assert_eq!(report.violations, vec![]);
    assert!(report.valid);
    let s = &report.summary;
    assert_eq!(
        (
            s.rows,
            s.excluded,
            s.total,
            s.elected,
            s.ex_officio,
            s.society_seats
        ),
        (22, 0, 22, 21, 1, 0)
    );
    // 17 ordinary >= ceil(60% x 22) = 14; 9 women >= ceil(30% x 22) = 7.
    assert_eq!(
        (s.ordinary, s.ordinary_required, s.women, s.women_required),
        (17, 14, 9, 7)
    );
    let info = &s.colleges[0];
    assert_eq!(info.college, "信息学院");
    assert_eq!(
        (
            info.quota,
            info.delegates,
            info.ex_officio,
            info.ordinary,
            info.ordinary_required,
            info.women
        ),
        (10, 10, 1, 6, 6, 4)
    );
    assert_eq!(
        info.grades_covered,
        vec!["2022级", "2023级", "2024级", "2025级"]
    );
    assert_eq!((info.grades_required, info.uncoverable_grades), (4, 0));
    let foreign = &s.colleges[2];
    assert_eq!(foreign.grades_covered, vec!["2022级", "2023级", "2024级"]);
    // Quota 3 < 4 grades: one grade necessarily has no delegate, which is not a violation.
    assert_eq!(
        (foreign.grades_required, foreign.uncoverable_grades),
        (3, 1)
    );
    assert_eq!(s.societies_required, vec!["青年志愿者协会", "学生科技协会"]);
    assert_eq!(s.societies_covered, s.societies_required);
    assert!(s.societies_missing.is_empty());
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<RosterReport>(&json).unwrap(), report);
    assert!(
        !json.contains('.'),
        "the summary holds integers only: {json}"
    );
}

#[test]
fn b1_too_few_delegates_is_one_error() {
    let mut roster = valid_roster();
    roster.remove(17); // 经济管理学院's 8th delegate (ordinary man, 2025级; row 14 is 2025级 too)
    let report = check(&roster);
    assert_eq!(figures(&report), one("B1", Some("经济管理学院"), 8, 7));
    assert!(report.violations[0].message.contains("少1名"));
    assert!(!report.valid);
}

#[test]
fn b1_surplus_is_an_error_or_a_warning_by_setting() {
    let mut roster = valid_roster();
    roster.push(RosterEntry {
        student: student("经济管理学院", "2022级", 500, false, None),
        kind: DelegateKind::Elected,
        row: Some(23),
    });
    assert_eq!(
        figures(&check(&roster)),
        one("B1", Some("经济管理学院"), 8, 9)
    );
    let mut w = world();
    w.profile.allow_surplus = true;
    let report = validate(&roster, &w.rules());
    assert_eq!(report.violations.len(), 1);
    assert!(report.violations[0].warning);
    assert!(report.valid);
    assert!(report.violations[0].message.contains("多1名"));
}

#[test]
fn b2_college_share_is_reported_for_that_college_only() {
    let mut roster = valid_roster();
    roster[0].student.union_role = Some("院学生会办公室主任".to_string());
    let report = check(&roster);
    // 信息学院: 5 ordinary of 10, ceil(6.0) = 6 required; the congress keeps 16 >= 14.
    assert_eq!(figures(&report), one("B2", Some("信息学院"), 6, 5));
    assert!(report.violations[0].message.contains("差1名"));
}

#[test]
fn b2_congress_share_counts_ex_officio_delegates() {
    let mut roster = valid_roster();
    for k in 0..8 {
        let mut s = student(
            "经济管理学院",
            "2024级",
            600 + k,
            true,
            Some("校学生会主席团成员"),
        );
        s.gender = Gender::Female;
        roster.push(RosterEntry {
            student: s,
            kind: DelegateKind::ExOfficio,
            row: None,
        });
    }
    let report = check(&roster);
    // 30 delegates: ceil(60% x 30) = 18 ordinary required, 17 found; colleges are unaffected.
    assert_eq!(figures(&report), one("B2", None, 18, 17));
    assert_eq!(report.summary.ex_officio, 9);
    assert_eq!(report.summary.colleges[1].delegates, 8);
}

#[test]
fn b3_missing_grade_when_quota_allows_all() {
    let mut roster = valid_roster();
    roster[3].student.grade = "2024级".to_string();
    roster[7].student.grade = "2024级".to_string();
    let report = check(&roster);
    assert_eq!(figures(&report), one("B3", Some("信息学院"), 4, 3));
    assert!(report.violations[0].message.contains("2025级"));
}

#[test]
fn b3_quota_below_grades_needs_distinct_grades() {
    let mut roster = valid_roster();
    roster[20].student.grade = "2023级".to_string(); // 外国语学院: 2022, 2023, 2023
    let report = check(&roster);
    assert_eq!(figures(&report), one("B3", Some("外国语学院"), 3, 2));
    assert_eq!(report.summary.colleges[2].uncoverable_grades, 1);
}

#[test]
fn b4_main_society_without_delegate() {
    let mut roster = valid_roster();
    roster[0].student.societies.clear();
    let report = check(&roster);
    assert_eq!(figures(&report), one("B4", None, 1, 0));
    assert!(report.violations[0].message.contains(SCITECH));
    assert_eq!(report.summary.societies_missing, vec![SCITECH]);
}

#[test]
fn b5_women_share_of_the_whole() {
    let mut roster = valid_roster();
    for i in [10, 12, 15] {
        roster[i].student.gender = Gender::Male;
    }
    let report = check(&roster);
    assert_eq!(figures(&report), one("B5", None, 7, 6));
    let mut w = world();
    w.profile.women_min_pct = 0;
    assert!(validate(&roster, &w.rules()).valid);
}

#[test]
fn b6_duplicate_student_number_names_both_rows() {
    let mut roster = valid_roster();
    roster[4].student.student_no = roster[1].student.student_no.clone();
    let report = check(&roster);
    assert_eq!(figures(&report), one("B6", Some("信息学院"), 1, 2));
    let msg = &report.violations[0].message;
    assert!(msg.contains("第2行") && msg.contains("第5行"), "{msg}");
}

#[test]
fn b6_duplicate_across_colleges_is_congress_wide() {
    let mut roster = valid_roster();
    roster[12].student.student_no = roster[1].student.student_no.clone();
    assert_eq!(figures(&check(&roster)), one("B6", None, 1, 2));
}

#[test]
fn b6_unknown_college_is_reported_once_and_not_counted() {
    let mut roster = valid_roster();
    roster.push(RosterEntry {
        student: student("信息学员", "2023级", 700, false, Some("部长")),
        kind: DelegateKind::Elected,
        row: Some(23),
    });
    let report = check(&roster);
    assert_eq!(figures(&report), one("B6", Some("信息学员"), 0, 1));
    assert_eq!(
        (
            report.summary.rows,
            report.summary.excluded,
            report.summary.total
        ),
        (23, 1, 22)
    );
}

#[test]
fn b6_unknown_grade_and_missing_fields() {
    let mut roster = valid_roster();
    roster[4].student.grade = "2019级".to_string(); // 2022级 keeps rows 1 and 9
    let report = check(&roster);
    assert_eq!(figures(&report), one("B6", Some("信息学院"), 0, 1));
    assert!(report.violations[0].message.contains("2019级"));

    let mut roster = valid_roster();
    roster[13].student.name = "　".to_string(); // a full-width space is blank
    let report = check(&roster);
    assert_eq!(figures(&report), one("B6", Some("经济管理学院"), 0, 1));
    assert!(report.violations[0].message.contains("第14行缺少姓名"));
}

#[test]
fn b6_college_without_quota() {
    let mut w = world();
    w.quotas.remove("外国语学院");
    let report = validate(&valid_roster(), &w.rules());
    assert_eq!(figures(&report), one("B6", Some("外国语学院"), 1, 0));
}

#[test]
fn violations_are_ordered_by_rule_then_college() {
    let mut roster = valid_roster();
    roster.remove(17); // B1 经济管理学院
    roster.remove(9); // B1 信息学院 (a cadre, 2023级... keeps B2 there)
                      // B5: 20 delegates need ceil(6.0) = 6 women; 4 of the 9 become men, leaving 5.
    let mut women_changed = 0;
    for e in roster
        .iter_mut()
        .filter(|e| e.student.college != "信息学院")
    {
        if e.student.gender == Gender::Female && women_changed < 4 {
            e.student.gender = Gender::Male;
            women_changed += 1;
        }
    }
    roster[0].student.union_role = Some("学生会主席".to_string()); // B2 信息学院: 5 of 9 < 6
    let report = check(&roster);
    let keys: Vec<(String, Option<String>)> = report
        .violations
        .iter()
        .map(|v| (v.rule.clone(), v.college.clone()))
        .collect();
    let expected = [
        ("B1", Some("信息学院")),
        ("B1", Some("经济管理学院")),
        ("B2", Some("信息学院")),
        ("B5", None),
    ];
    let expected: Vec<(String, Option<String>)> = expected
        .iter()
        .map(|(r, c)| (r.to_string(), c.map(str::to_string)))
        .collect();
    assert_eq!(keys, expected, "{:#?}", report.violations);
    assert_eq!(report.violations[2].required, 6); // ceil(60% x 9)
    assert_eq!(report.violations[2].found, 5);
    assert_eq!(
        (report.violations[3].required, report.violations[3].found),
        (6, 5)
    );
}

#[test]
fn ordinary_and_cadre_roles() {
    let mut s = student("信息学院", "2023级", 1, false, None);
    assert!(is_ordinary(&s, None));
    for blank in ["", "  ", "无", "/", "暂无"] {
        s.union_role = Some(blank.to_string());
        assert!(is_ordinary(&s, None), "{blank:?}");
    }
    s.union_role = Some("班长".to_string());
    assert!(!is_ordinary(&s, None));
    let keywords = vec!["主席".to_string(), "部长".to_string(), " ".to_string()];
    assert!(is_ordinary(&s, Some(&keywords)));
    s.union_role = Some("院学生会副主席".to_string());
    assert!(!is_ordinary(&s, Some(&keywords)));
    assert!(is_ordinary(&s, Some(&[])));
}

#[test]
fn grades_match_with_or_without_the_suffix() {
    let mut roster = valid_roster();
    for e in &mut roster {
        e.student.grade = e.student.grade.trim_end_matches('级').to_string();
    }
    roster[0].student.grade = " 2022 ".to_string();
    assert_eq!(check(&roster).violations, vec![]);
}

#[test]
fn without_enrolment_colleges_come_from_the_quota_table() {
    let w = world();
    let rules = RosterRules {
        enrolment: &[],
        ..w.rules()
    };
    let mut roster = valid_roster();
    roster[20].student.grade = "2019级".to_string(); // grades are not tracked
    let report = validate(&roster, &rules);
    assert_eq!(report.violations, vec![]);
    let names: Vec<&str> = report
        .summary
        .colleges
        .iter()
        .map(|c| c.college.as_str())
        .collect();
    assert_eq!(names, vec!["信息学院", "外国语学院", "经济管理学院"]);
    assert_eq!(report.summary.colleges[1].grades_required, 0);
}
