use super::*;
use crate::domain::types::{Gender, Student};

fn delegate(no: u32, name: &str, college: &str, kind: DelegateKind) -> Delegate {
    Delegate {
        id: format!("d{no}").into(),
        congress_id: "c".into(),
        delegate_no: no,
        student: Student {
            name: name.to_string(),
            student_no: format!("2023{no:04}"),
            college: college.to_string(),
            grade: "2023".to_string(),
            gender: Gender::Female,
            union_role: None,
            political_status: None,
            societies: vec![],
        },
        kind,
        credential_issued: false,
        session_epoch: 0,
        present: false,
        checked_in_at: None,
        absence_approved: false,
        absence_reason: None,
    }
}

fn raw(q: &str, college: &str, status: &str, page: &str) -> RawFilter {
    RawFilter {
        q: q.to_string(),
        college: college.to_string(),
        status: status.to_string(),
        page: page.to_string(),
    }
}

fn list() -> Vec<Delegate> {
    let mut v = vec![
        delegate(1, "王小明", "化学学院", DelegateKind::Elected),
        delegate(2, "李华", "物理学院", DelegateKind::ExOfficio),
        delegate(12, "王芳", "物理学院", DelegateKind::Society),
        delegate(3, "Zhang Wei", "化学学院", DelegateKind::Elected),
    ];
    v[1].present = true;
    v[2].absence_approved = true;
    v
}

fn names(f: &DelegateFilter) -> Vec<String> {
    apply(list(), |d| d, f)
        .rows
        .iter()
        .map(|d| d.student.name.clone())
        .collect()
}

#[test]
fn name_fragment_number_and_student_number() {
    let f = DelegateFilter::parse(&raw(" 王 ", "", "", ""), ListKind::Roster).unwrap();
    assert_eq!(names(&f), ["王小明", "王芳"]);
    // Digits: the 代表编号 exactly (12, not 1 or 2) or a 学号 fragment ("0012" is only 王芳's).
    let f = DelegateFilter::parse(&raw("12", "", "", ""), ListKind::Roster).unwrap();
    assert_eq!(names(&f), ["王芳"]);
    let f = DelegateFilter::parse(&raw("2", "", "", ""), ListKind::Roster).unwrap();
    // "2" is 李华's number and a fragment of every 学号 (2023...).
    assert_eq!(names(&f).len(), 4);
    let f = DelegateFilter::parse(&raw("zhang", "", "", ""), ListKind::Roster).unwrap();
    assert_eq!(names(&f), ["Zhang Wei"]);
}

#[test]
fn college_and_status_narrow_together() {
    let f = DelegateFilter::parse(&raw("", "物理学院", "society", ""), ListKind::Roster).unwrap();
    assert_eq!(names(&f), ["王芳"]);
    let f = DelegateFilter::parse(&raw("", "", "present", ""), ListKind::Attendance).unwrap();
    assert_eq!(names(&f), ["李华"]);
    let f = DelegateFilter::parse(&raw("", "", "请假", ""), ListKind::Attendance).unwrap();
    assert_eq!(names(&f), ["王芳"]);
    let f =
        DelegateFilter::parse(&raw("", "化学学院", "absent", ""), ListKind::Attendance).unwrap();
    assert_eq!(names(&f), ["王小明", "Zhang Wei"]);
    let out = apply(list(), |d| d, &f);
    assert_eq!((out.matched, out.total), (2, 4));
    assert_eq!(out.colleges, ["化学学院", "物理学院"]);
}

#[test]
fn bad_parameters_are_named_in_chinese() {
    let e = DelegateFilter::parse(&raw("", "", "", "abc"), ListKind::Roster).unwrap_err();
    assert_eq!(e, "“页码”应为正整数, 现为“abc”");
    let e = DelegateFilter::parse(&raw("", "", "", "0"), ListKind::Roster).unwrap_err();
    assert!(e.contains("页码"), "{e}");
    // A roster status on the attendance page is not one of its statuses.
    let e = DelegateFilter::parse(&raw("", "", "society", ""), ListKind::Attendance).unwrap_err();
    assert_eq!(
        e,
        "“状态”应为已签到(present)、请假(leave)、未到(absent)之一, 现为“society”"
    );
    let long = "王".repeat(MAX_QUERY_CHARS + 1);
    let e = DelegateFilter::parse(&raw(&long, "", "", ""), ListKind::Roster).unwrap_err();
    assert!(e.contains("搜索"), "{e}");
}

#[test]
fn pages_of_a_long_list() {
    let many: Vec<Delegate> = (1..=2000)
        .map(|n| delegate(n, &format!("代表{n}"), "化学学院", DelegateKind::Elected))
        .collect();
    let f = DelegateFilter::parse(&raw("", "", "", "3"), ListKind::Roster).unwrap();
    let out = apply(many.clone(), |d| d, &f);
    assert_eq!((out.page, out.pages, out.matched), (3, 10, 2000));
    assert_eq!(out.rows.first().map(|d| d.delegate_no), Some(401));
    assert_eq!(out.rows.len(), PAGE_SIZE);
    // Past the last page: the last page.
    let f = DelegateFilter::parse(&raw("代表19", "", "", "99"), ListKind::Roster).unwrap();
    let out = apply(many, |d| d, &f);
    assert_eq!((out.page, out.pages, out.matched), (1, 1, 111));
}
