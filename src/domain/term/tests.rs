use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::settings::{MonthDay, RuleProfile};

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
    let term = Term::of(d(2026, 12, 1), 2, DEFAULT_STARTS);
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
    let term = Term::of(d(2026, 12, 1), 2, DEFAULT_STARTS);
    let meetings = [
        MeetingAt {
            id: "m1".into(),
            name: "第一次评议会".into(),
            kind: MeetingKind::Review,
            date: d(2027, 5, 10),
            held: true,
            reviews: vec![counted("r1")],
        },
        MeetingAt {
            id: "m2".into(),
            name: "常代会第一次会议".into(),
            kind: MeetingKind::Standing,
            date: d(2027, 9, 1),
            held: false,
            reviews: Vec::new(),
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

const DEFAULT_STARTS: [MonthDay; 2] = [MonthDay::new(2, 1), MonthDay::new(8, 1)];

fn counted(id: &str) -> ReviewAt {
    ReviewAt {
        contest_id: id.into(),
        title: "学生会主席团述职评议".into(),
        counted: true,
    }
}

fn review_meeting(id: &str, date: NaiveDate, reviews: Vec<ReviewAt>) -> MeetingAt {
    MeetingAt {
        id: id.into(),
        name: format!("评议会{id}"),
        kind: MeetingKind::Review,
        date,
        held: true,
        reviews,
    }
}

#[test]
fn only_a_review_counted_at_a_review_meeting_meets_the_semester() {
    let term = Term::of(d(2026, 12, 1), 2, DEFAULT_STARTS);
    let uncounted = ReviewAt {
        counted: false,
        ..counted("r2")
    };
    let meetings = [
        // Spring 2027: a 评议会 that heard no review.
        review_meeting("a", d(2027, 4, 1), Vec::new()),
        // Autumn 2027: a review opened and never counted.
        review_meeting("b", d(2027, 10, 1), vec![uncounted]),
        // Spring 2028: a review counted.
        review_meeting("c", d(2028, 3, 1), vec![counted("r3")]),
    ];
    let entries = timeline(term, &meetings, d(2028, 9, 1));
    let r = reminders(&entries);
    let semesters: Vec<_> = r.iter().filter(|x| x.0.contains("述职评议")).collect();
    assert_eq!(
        semesters.iter().map(|x| (x.1, x.2)).collect::<Vec<_>>(),
        [(false, true), (false, true), (true, false), (false, false)]
    );
    let reviews: Vec<_> = entries
        .iter()
        .filter_map(|e| match &e.kind {
            EntryKind::Review {
                contest, counted, ..
            } => Some((contest.as_str(), *counted)),
            _ => None,
        })
        .collect();
    assert_eq!(reviews, [("r2", false), ("r3", true)]);
}

#[test]
fn the_term_follows_its_settings() {
    let starts = [MonthDay::new(3, 1), MonthDay::new(9, 1)];
    let term = Term::of(d(2026, 12, 1), 1, starts);
    assert_eq!(term.end, d(2027, 12, 1));
    let entries = timeline(term, &[], d(2027, 9, 1));
    let periods: Vec<_> = entries
        .iter()
        .filter(|e| e.title.contains("述职评议"))
        .map(|e| (e.from.unwrap(), e.date, e.overdue))
        .collect();
    // 3月1日-8月31日 and 9月1日-2月末; a one-year term has no year without a congress.
    assert_eq!(
        periods,
        [
            (d(2027, 3, 1), d(2027, 8, 31), true),
            (d(2027, 9, 1), d(2028, 2, 29), false)
        ]
    );
    assert!(!entries.iter().any(|e| e.title.contains("常代会")));
}
