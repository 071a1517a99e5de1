//! The roster rules at scale: reading a 100,000-row nominee file (CSV, UTF-8 and GBK),
//! validating a 100,000-delegate roster (B1-B6), and generating a roster from 100,000
//! nominees (B7), for 200 colleges. Run: `cargo bench --bench rules`.

use std::collections::BTreeMap;
use std::hint::black_box;

use congress::domain::roster::generate::generate;
use congress::domain::roster::{validate, RosterRules};
use congress::domain::settings::RuleProfile;
use congress::domain::types::{
    CollegeEnrolment, DelegateKind, Gender, Nominee, RosterEntry, Society, Student,
};
use congress::import::{parse_nominees, read_table, write_roster_csv};
use criterion::{criterion_group, criterion_main, Criterion};

const COLLEGES: usize = 200;
const ROWS: usize = 100_000;
const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "杰", "娟", "涛", "明", "超", "秀英", "子涵",
    "雨桐",
];
const GRADES: [&str; 4] = ["2022级", "2023级", "2024级", "2025级"];
const SOCIETIES: [&str; 5] = [
    "青年志愿者协会",
    "大学生艺术团",
    "学生科技协会",
    "体育联合会",
    "读书会",
];

fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// 100,000 nominees, 500 per college, ~40% women, ~25% cadres, all grades, societies spread.
fn nominees() -> Vec<Nominee> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..ROWS)
        .map(|i| {
            let college = i % COLLEGES;
            let r = xorshift(&mut x);
            Nominee {
                student: Student {
                    name: format!(
                        "{}{}",
                        SURNAMES[(r % 16) as usize],
                        GIVEN[((r >> 8) % 16) as usize]
                    ),
                    student_no: format!("{:04}{:06}", 2022 + (i % 4), i),
                    college: format!("第{college:03}学院"),
                    grade: GRADES[(i / COLLEGES) % 4].to_string(),
                    gender: if (r >> 16) % 10 < 4 {
                        Gender::Female
                    } else {
                        Gender::Male
                    },
                    union_role: (r >> 24)
                        .is_multiple_of(4)
                        .then(|| "院学生会干事".to_string()),
                    political_status: Some("共青团员".to_string()),
                    societies: vec![SOCIETIES[((r >> 32) % 5) as usize].to_string()],
                },
                votes: 50 + (r >> 40) % 200,
                row: i + 2,
            }
        })
        .collect()
}

fn enrolment() -> Vec<CollegeEnrolment> {
    (0..COLLEGES)
        .map(|c| CollegeEnrolment {
            college: format!("第{c:03}学院"),
            grades: GRADES.iter().map(|g| (g.to_string(), 600)).collect(),
        })
        .collect()
}

/// The nominee file as an organiser would upload it.
fn csv_bytes(ns: &[Nominee]) -> Vec<u8> {
    let roster: Vec<RosterEntry> = ns
        .iter()
        .map(|n| RosterEntry {
            student: n.student.clone(),
            kind: DelegateKind::Elected,
            row: None,
        })
        .collect();
    // The roster writer has the nominee columns but 得票; add the votes column.
    let text = String::from_utf8_lossy(&write_roster_csv(&roster).unwrap()).into_owned();
    let mut out = String::with_capacity(text.len() + ROWS * 5);
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        if i == 0 {
            out.push_str(",得票");
        } else {
            out.push_str(&format!(",{}", ns[i - 1].votes));
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let ns = nominees();
    let utf8 = csv_bytes(&ns);
    // Excel saves GBK files without a BOM.
    let text = std::str::from_utf8(&utf8)
        .expect("utf8")
        .trim_start_matches('\u{feff}');
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let gbk = gbk.into_owned();
    let enrolment = enrolment();
    let quotas: BTreeMap<String, u64> = enrolment.iter().map(|c| (c.college.clone(), 24)).collect();
    let societies: Vec<Society> = SOCIETIES
        .iter()
        .map(|s| Society {
            name: s.to_string(),
            main: true,
        })
        .collect();
    let profile = RuleProfile::default();
    let rules = RosterRules {
        profile: &profile,
        enrolment: &enrolment,
        quotas: &quotas,
        societies: &societies,
        cadre_roles: None,
    };
    let roster: Vec<RosterEntry> = ns
        .iter()
        .map(|n| RosterEntry {
            student: n.student.clone(),
            kind: DelegateKind::Elected,
            row: Some(n.row),
        })
        .collect();
    let parsed =
        parse_nominees(&read_table("nominees.csv", &utf8).expect("table")).expect("nominees");
    assert_eq!(parsed.len(), ROWS);
    println!(
        "nominee file: {} bytes UTF-8, {} bytes GBK",
        utf8.len(),
        gbk.len()
    );

    let mut g = c.benchmark_group("roster_100k");
    g.sample_size(10);
    g.bench_function("read+parse nominees.csv (UTF-8)", |b| {
        b.iter(|| {
            parse_nominees(&read_table("nominees.csv", black_box(&utf8)).expect("table"))
                .expect("ok")
        })
    });
    g.bench_function("read+parse nominees.csv (GBK)", |b| {
        b.iter(|| {
            parse_nominees(&read_table("nominees.csv", black_box(&gbk)).expect("table"))
                .expect("ok")
        })
    });
    g.bench_function("validate 100k-row roster (B1-B6)", |b| {
        b.iter(|| validate(black_box(&roster), &rules))
    });
    g.bench_function("generate from 100k nominees (B7)", |b| {
        b.iter(|| generate(black_box(&ns), &rules))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
