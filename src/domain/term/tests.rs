use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::settings::RuleProfile;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn nominee(no: u32, college: &str, ordinary: bool, woman: bool) -> Nominated {
    Nominated {
        delegate_no: no,
        name: Some(format!("代表{no}")),
        college: college.to_string(),
        ordinary,
        woman,
    }
}

fn quotas() -> BTreeMap<String, u32> {
    [("信息学院".to_string(), 2), ("文学院".to_string(), 1)].into()
}

#[test]
fn a_list_matching_the_numbers_is_valid() {
    let list = [
        nominee(1, "信息学院", true, true),
        nominee(2, "信息学院", true, false),
        nominee(5, "文学院", true, true),
    ];
    let r = check_standing(&quotas(), &list, &RuleProfile::default());
    assert!(r.valid, "{:?}", r.violations);
    assert!(r.violations.is_empty());
    assert_eq!((r.total, r.ordinary, r.women), (3, 3, 2));
    assert_eq!(r.colleges[0].college, "信息学院");
    assert_eq!(r.colleges[0].nominated, 2);
}

#[test]
fn a_stranger_a_duplicate_and_a_wrong_count_are_refused() {
    let mut stranger = nominee(99, "", true, false);
    stranger.name = None;
    let list = [
        nominee(1, "信息学院", true, true),
        nominee(1, "信息学院", true, true),
        stranger,
    ];
    let r = check_standing(&quotas(), &list, &RuleProfile::default());
    assert!(!r.valid);
    let rules: Vec<(&str, Option<&str>)> = r
        .violations
        .iter()
        .filter(|v| !v.warning)
        .map(|v| (v.rule.as_str(), v.college.as_deref()))
        .collect();
    assert_eq!(
        rules,
        [
            ("I1", Some("信息学院")),
            ("I1", None),
            ("I2", Some("信息学院")),
            ("I2", Some("文学院"))
        ]
    );
    assert!(r
        .violations
        .iter()
        .any(|v| v.message.contains("第99号不是本次大会的代表")));
    assert!(
        check_standing(&quotas(), &[], &RuleProfile::default()).violations[0]
            .message
            .contains("为空")
    );
}

#[test]
fn shares_below_the_congress_rules_are_warnings_only() {
    let list = [
        nominee(1, "信息学院", false, false),
        nominee(2, "信息学院", true, false),
        nominee(5, "文学院", false, false),
    ];
    let r = check_standing(&quotas(), &list, &RuleProfile::default());
    assert!(r.valid);
    let warnings: Vec<&str> = r
        .violations
        .iter()
        .filter(|v| v.warning)
        .map(|v| v.message.as_str())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("普通同学1名") && warnings[0].contains("应至少2名"));
    assert!(warnings[1].contains("女生0名") && warnings[1].contains("应至少1名"));
}

fn member(name: &str) -> Member {
    Member {
        name: name.to_string(),
        college: "信息学院".to_string(),
        student_no: format!("学号{name}"),
    }
}

#[test]
fn the_presidium_is_elected_then_removed_or_added() {
    let changes = [
        Change::Elected {
            member: member("王芳"),
            source: "大会".into(),
        },
        Change::Elected {
            member: member("李强"),
            source: "大会".into(),
        },
        Change::Removed {
            member: member("王芳"),
            source: "第一次会议".into(),
        },
        Change::Removed {
            member: member("无此人"),
            source: "第一次会议".into(),
        },
        Change::Elected {
            member: member("赵敏"),
            source: "第一次会议".into(),
        },
        Change::Elected {
            member: member("李强"),
            source: "第一次会议".into(),
        },
    ];
    let seats = presidium(&changes);
    let names: Vec<&str> = seats.iter().map(|s| s.member.name.as_str()).collect();
    assert_eq!(names, ["李强", "赵敏"]);
    assert_eq!(seats[0].since, "大会");
    assert_eq!(seats[1].since, "第一次会议");
}

fn reminders(entries: &[Entry]) -> Vec<(String, bool, bool)> {
    entries
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::Reminder { done, .. } => Some((e.title.clone(), *done, e.overdue)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_term_reminds_each_semester_and_each_year_without_a_congress() {
    let term = Term::of(d(2026, 12, 1), 24);
    assert_eq!(term.end, d(2028, 12, 1));
    let r = reminders(&timeline(term, &[], d(2027, 1, 10)));
    let titles: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        titles,
        [
            "2026-2027学年第二学期述职评议(评议会)",
            "2027年度常代会会议(不召开学代会的年度至少1次)",
            "2027-2028学年第一学期述职评议(评议会)",
            "2027-2028学年第二学期述职评议(评议会)",
            "下一次学生代表大会(换届, 周期不超过两年)",
            "2028-2029学年第一学期述职评议(评议会)",
        ]
    );
    assert!(r.iter().all(|x| !x.1 && !x.2), "nothing is overdue yet");
}

#[test]
fn what_was_not_held_in_time_is_overdue() {
    let term = Term::of(d(2026, 12, 1), 24);
    let meetings = [
        MeetingAt {
            id: "m1".into(),
            name: "第一次评议会".into(),
            kind: MeetingKind::Review,
            date: d(2027, 5, 10),
            held: true,
        },
        MeetingAt {
            id: "m2".into(),
            name: "常代会第一次会议".into(),
            kind: MeetingKind::Standing,
            date: d(2027, 9, 1),
            held: false,
        },
    ];
    let entries = timeline(term, &meetings, d(2028, 3, 1));
    let r = reminders(&entries);
    // Spring 2027: reviewed. 2027's meeting was planned and never held: overdue. Autumn
    // 2027: no review, overdue. Spring 2028: in progress, not overdue.
    assert_eq!(r[0], (r[0].0.clone(), true, false));
    assert_eq!(r[1], (r[1].0.clone(), false, true));
    assert_eq!(r[2], (r[2].0.clone(), false, true));
    assert_eq!(r[3], (r[3].0.clone(), false, false));
    // Dated entries are in order, the meetings among them.
    assert!(entries.windows(2).all(|w| w[0].date <= w[1].date));
    assert!(entries
        .iter()
        .any(|e| matches!(&e.kind, EntryKind::Meeting { id, .. } if id == "m2")));
}
