//! Whole-file tests on the committed fixtures and the demo school, and properties over
//! arbitrary input.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::domain::settings::RuleProfile;
use crate::domain::types::{CollegeEnrolment, DelegateKind, Gender, Nominee, RosterEntry, Student};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            &include_bytes!(concat!("../../tests/fixtures/", $name))[..],
        )
    };
}

fn table((name, bytes): (&str, &[u8])) -> Table {
    read_table(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn enrolment(f: (&str, &[u8])) -> Vec<CollegeEnrolment> {
    parse_enrolment(&table(f)).unwrap()
}

fn nominees(f: (&str, &[u8])) -> Vec<Nominee> {
    parse_nominees(&table(f)).unwrap()
}

fn roster(f: (&str, &[u8])) -> Vec<RosterEntry> {
    parse_roster(&table(f)).unwrap()
}

#[test]
fn every_encoding_gives_the_same_enrolment() {
    let utf8 = enrolment(fixture!("enrolment.utf8.csv"));
    assert_eq!(enrolment(fixture!("enrolment.bom.csv")), utf8);
    assert_eq!(enrolment(fixture!("enrolment.gbk.csv")), utf8);
    // In the workbook 年级 is the number 2023 and 人数 a number: same result.
    assert_eq!(enrolment(fixture!("enrolment.xlsx")), utf8);
    assert_eq!(enrolment(fixture!("enrolment_fullwidth.csv")), utf8);
    assert_eq!(utf8.len(), 8);
    assert_eq!(utf8[0].college, "计算机学院");
    assert_eq!(
        utf8[0].grades,
        vec![
            ("2022级".to_string(), 742),
            ("2023级".to_string(), 786),
            ("2024级".to_string(), 821),
            ("2025级".to_string(), 863)
        ]
    );
    assert_eq!(
        utf8.iter().map(CollegeEnrolment::total).sum::<u64>(),
        15_993
    );
}

#[test]
fn every_encoding_gives_the_same_nominees_and_roster() {
    let utf8 = nominees(fixture!("nominees.utf8.csv"));
    assert_eq!(nominees(fixture!("nominees.bom.csv")), utf8);
    assert_eq!(nominees(fixture!("nominees.gbk.csv")), utf8);
    assert_eq!(nominees(fixture!("nominees.xlsx")), utf8);
    assert_eq!(utf8.len(), 295);
    assert_eq!(utf8[0].row, 2);
    assert_eq!(utf8[294].row, 296);
    let r = roster(fixture!("roster.utf8.csv"));
    assert_eq!(roster(fixture!("roster.bom.csv")), r);
    assert_eq!(roster(fixture!("roster.gbk.csv")), r);
    assert_eq!(roster(fixture!("roster.xlsx")), r);
    assert_eq!(r.len(), 164);
    assert!(r.iter().all(|e| e.kind == DelegateKind::Elected));
}

#[test]
fn gbk_file_with_a_bad_count_names_that_cell() {
    let e = parse_enrolment(&table(fixture!("enrolment_bad_count.gbk.csv"))).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(
        e.0[0].to_string(),
        "enrolment_bad_count.gbk.csv 第7行 “人数”列: “约452” 不是有效的数字, 应为非负整数, 如“1234”或“1,234”"
    );
}

#[test]
fn missing_column_fixture() {
    let e = parse_nominees(&table(fixture!("nominees_missing_column.csv"))).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e.0[0].line, None);
    assert_eq!(
        e.0[0].to_string(),
        "nominees_missing_column.csv: 缺少必需的列“性别”(也可写作: gender/sex); \
         文件中的列为: 姓名, 学号, 学院, 年级, 学生会职务, 政治面貌, 社团, 得票"
    );
}

#[test]
fn one_bad_row_among_a_hundred_imports_nothing() {
    let (_, bytes) = fixture!("nominees.utf8.csv");
    let text = std::str::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.lines().take(101).map(str::to_string).collect();
    // Line 57 as Excel numbers it = index 56.
    lines[56] = lines[56]
        .replace(",男,", ",男生,")
        .replace(",女,", ",女生,");
    let e = parse_nominees(&table(("n.csv", lines.join("\n").as_bytes()))).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e.0[0].line, Some(57));
    assert_eq!(e.0[0].column.as_deref(), Some("性别"));
    assert!(e.0[0].message.contains("生” 不是有效的性别"));
}

#[test]
fn templates_have_canonical_headers_and_read_back() {
    for kind in FileKind::ALL {
        let bytes = kind.template();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{kind:?}");
        let t = read_table(kind.file_name(), bytes).unwrap();
        assert_eq!(t.headers, kind.headers(), "{kind:?}");
        assert_eq!(t.rows.len(), 1, "{kind:?}");
        assert!(warnings(kind, &t).is_empty(), "{kind:?}");
        let ok = match kind {
            FileKind::Enrolment => parse_enrolment(&t).is_ok(),
            FileKind::Nominees => parse_nominees(&t).is_ok(),
            FileKind::Roster => parse_roster(&t).is_ok(),
            FileKind::Societies => parse_societies(&t).is_ok(),
            FileKind::Candidates => parse_candidates(&t).is_ok(),
        };
        assert!(ok, "{kind:?}");
    }
}

/// B1-B5 figures of a selection, enough to show what the demo data claims (the real checks
/// live in `domain::roster`).
fn broken_rules(
    colleges: &[CollegeEnrolment],
    main: &[String],
    chosen: &[&Student],
) -> Vec<String> {
    let p = RuleProfile::default();
    let mut out = Vec::new();
    for c in colleges {
        let mine: Vec<_> = chosen.iter().filter(|s| s.college == c.college).collect();
        let n = mine.len() as u64;
        if n != p.college_minimum(c.total()) {
            out.push(format!("B1 {}", c.college));
        }
        let ordinary = mine.iter().filter(|s| s.union_role.is_none()).count() as u64;
        if ordinary < p.ordinary_required(n) {
            out.push(format!(
                "B2 {} {ordinary}/{}",
                c.college,
                p.ordinary_required(n)
            ));
        }
        for (g, _) in &c.grades {
            if !mine.iter().any(|s| &s.grade == g) {
                out.push(format!("B3 {} {g}", c.college));
            }
        }
    }
    for s in main {
        if !chosen.iter().any(|st| st.societies.contains(s)) {
            out.push(format!("B4 {s}"));
        }
    }
    let n = chosen.len() as u64;
    let women = chosen.iter().filter(|s| s.gender == Gender::Female).count() as u64;
    if women < p.women_required(n) {
        out.push(format!("B5 {women}/{}", p.women_required(n)));
    }
    out
}

#[test]
fn the_demo_school_needs_substitutions_and_has_a_valid_roster() {
    let colleges = parse_enrolment(&table((
        "enrolment.csv",
        FileKind::Enrolment.sample().unwrap(),
    )))
    .unwrap();
    let pool = parse_nominees(&table((
        "nominees.csv",
        FileKind::Nominees.sample().unwrap(),
    )))
    .unwrap();
    let societies = parse_societies(&table((
        "societies.csv",
        FileKind::Societies.sample().unwrap(),
    )))
    .unwrap();
    let candidates = parse_candidates(&table((
        "candidates.csv",
        FileKind::Candidates.sample().unwrap(),
    )))
    .unwrap();
    let p = RuleProfile::default();
    let quotas: Vec<u64> = colleges
        .iter()
        .map(|c| p.college_minimum(c.total()))
        .collect();
    assert_eq!(quotas, vec![33, 19, 28, 30, 16, 15, 19, 4]);
    assert_eq!(quotas.iter().sum::<u64>(), 164);
    let main: Vec<String> = societies
        .iter()
        .filter(|s| s.main)
        .map(|s| s.name.clone())
        .collect();
    assert_eq!((societies.len(), main.len()), (8, 5));
    let women = pool
        .iter()
        .filter(|n| n.student.gender == Gender::Female)
        .count();
    let cadres = pool
        .iter()
        .filter(|n| n.student.union_role.is_some())
        .count();
    assert_eq!((pool.len(), women, cadres), (295, 120, 77));

    // Plain ranking: each college's top `quota` by votes, ties in file order.
    let mut by_college: BTreeMap<&str, Vec<&Nominee>> = BTreeMap::new();
    for n in &pool {
        by_college
            .entry(n.student.college.as_str())
            .or_default()
            .push(n);
    }
    let mut plain = Vec::new();
    for (c, q) in colleges.iter().zip(&quotas) {
        let mut mine = by_college[c.college.as_str()].clone();
        assert!(
            mine.len() as u64 * 10 >= q * 16 && mine.len() as u64 <= q * 2,
            "{}",
            c.college
        );
        mine.sort_by_key(|n| (std::cmp::Reverse(n.votes), n.row));
        plain.extend(mine.iter().take(*q as usize).map(|n| &n.student));
    }
    assert_eq!(
        broken_rules(&colleges, &main, &plain),
        vec!["B2 计算机学院 17/20", "B3 文学院 2025级", "B5 48/50"]
    );

    let valid = roster(fixture!("roster.utf8.csv"));
    let chosen: Vec<&Student> = valid.iter().map(|e| &e.student).collect();
    assert_eq!(
        broken_rules(&colleges, &main, &chosen),
        Vec::<String>::new()
    );
    assert!(chosen.iter().all(|s| pool.iter().any(|n| &n.student == *s)));

    assert_eq!(candidates.len(), 7);
    assert!(candidates
        .iter()
        .all(|c| chosen.iter().any(|s| s.student_no == c.student_no)));
    let failing: Vec<_> = candidates.iter().filter(|c| c.failed_courses > 0).collect();
    assert_eq!(failing.len(), 1);
}

#[test]
fn ten_thousand_rows_parse() {
    // Release timing of 100,000 rows is reported, not asserted (tests never time).
    let mut text = String::from("姓名,学号,学院,年级,性别,学生会职务,政治面貌,社团,得票\n");
    for i in 0..10_000u32 {
        text.push_str(&format!(
            "学生{i},{},计算机学院,{}级,{},{},共青团员,青年志愿者协会;大学生艺术团,{}\n",
            2_023_000_000 + i,
            2022 + i % 4,
            if i % 5 < 2 { "女" } else { "男" },
            if i % 4 == 0 { "院学生会干事" } else { "" },
            i % 300,
        ));
    }
    let got = parse_nominees(&table(("big.csv", text.as_bytes()))).unwrap();
    assert_eq!(got.len(), 10_000);
    assert_eq!(got[9_999].student.grade, "2025级");
    assert_eq!(got[9_999].row, 10_001);
}

fn all_parsers(t: &Table) {
    let _ = parse_enrolment(t);
    let _ = parse_nominees(t);
    let _ = parse_roster(t);
    let _ = parse_societies(t);
    let _ = parse_candidates(t);
    for kind in FileKind::ALL {
        let _ = warnings(kind, t);
    }
}

fn csv_like() -> impl Strategy<Value = String> {
    let cell = prop_oneof![
        Just("学院".to_string()),
        Just("人数".to_string()),
        Just("年级".to_string()),
        Just("姓名".to_string()),
        Just("学号".to_string()),
        Just("性别".to_string()),
        Just("学生会职务".to_string()),
        Just("得票".to_string()),
        Just("社团名称".to_string()),
        Just("专业排名百分比".to_string()),
        "[0-9,.%-]{0,8}",
        "[男女是否前级　 ]{0,3}",
        "\\PC{0,6}",
        Just("\"a,\nb\"".to_string()),
    ];
    let row = prop::collection::vec(cell, 0..10).prop_map(|cells| cells.join(","));
    (
        prop::collection::vec(row, 0..12),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\t")],
    )
        .prop_map(|(rows, sep)| rows.join(sep))
}

fn student_strategy() -> impl Strategy<Value = RosterEntry> {
    let text = "[\\p{Han}A-Za-z0-9·]{1,8}";
    (
        (text, "[0-9]{10}", text, "20[0-9]{2}级", any::<bool>()),
        (
            prop::option::of(text),
            prop::option::of(text),
            prop::collection::vec(text, 0..3),
        ),
        prop_oneof![
            Just(DelegateKind::Elected),
            Just(DelegateKind::ExOfficio),
            Just(DelegateKind::Society)
        ],
    )
        .prop_map(
            |((name, no, college, grade, female), (role, status, societies), kind)| RosterEntry {
                student: Student {
                    name,
                    student_no: no,
                    college,
                    grade,
                    gender: if female { Gender::Female } else { Gender::Male },
                    union_role: role.and_then(|r| values::parse_union_role(&r)),
                    political_status: status.and_then(|s| values::parse_political_status(&s)),
                    societies: values::split_list(&societies.join(";")),
                },
                kind,
                row: None,
            },
        )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400),
                                   name in prop_oneof![Just("a.csv"), Just("a.xlsx"), Just("a")]) {
        if let Ok(t) = read_table(name, &bytes) {
            all_parsers(&t);
        }
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = read_table(name, &zip);
    }

    #[test]
    fn csv_shaped_text_never_panics(text in csv_like()) {
        if let Ok(t) = read_table("a.csv", text.as_bytes()) {
            prop_assert!(t.rows.windows(2).all(|w| w[0].line < w[1].line));
            prop_assert!(t.rows.iter().all(|r| r.cells.iter().any(|c| !c.is_empty())));
            all_parsers(&t);
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        if let Ok(t) = read_table("a.csv", &gbk) {
            all_parsers(&t);
        }
    }

    #[test]
    fn written_rosters_read_back(entries in prop::collection::vec(student_strategy(), 1..20)) {
        let mut entries = entries;
        for (i, e) in entries.iter_mut().enumerate() {
            e.student.student_no = format!("{}{i:03}", e.student.student_no);
        }
        let back = parse_roster(&read_table("r.csv", &write_roster_csv(&entries).unwrap()).unwrap()).unwrap();
        prop_assert_eq!(back.len(), entries.len());
        for (a, b) in entries.iter().zip(&back) {
            prop_assert_eq!(&a.student, &b.student);
            prop_assert_eq!(a.kind, b.kind);
        }
    }
}
