//! Scale: validation of 100,000 roster rows and generation from 100,000 nominees in 200
//! colleges. These assert results only; timings are taken with `cargo test --release`.

use std::collections::BTreeMap;

use super::*;
use crate::domain::roster::fixtures::{
    college, nominee, student, World, GRADES, SCITECH, VOLUNTEERS,
};
use crate::domain::settings::RuleProfile;
use crate::domain::types::Society;

const COLLEGES: usize = 200;

fn big_world(quota: u64) -> World {
    let names: Vec<String> = (0..COLLEGES).map(|c| format!("第{c}学院")).collect();
    World {
        profile: RuleProfile::default(),
        enrolment: names
            .iter()
            .map(|n| college(n, [1000, 1000, 1000, 1000]))
            .collect(),
        quotas: names
            .iter()
            .map(|n| (n.clone(), quota))
            .collect::<BTreeMap<_, _>>(),
        societies: vec![
            Society {
                name: VOLUNTEERS.to_string(),
                main: true,
            },
            Society {
                name: SCITECH.to_string(),
                main: true,
            },
        ],
        cadre_roles: None,
    }
}

#[test]
fn validates_100k_rows() {
    let w = big_world(500);
    let mut roster = Vec::with_capacity(100_000);
    for i in 0..100_000usize {
        let c = i % COLLEGES;
        let k = i / COLLEGES;
        let role = (k % 5 < 2).then_some("学生会干事");
        let mut s = student(
            &format!("第{c}学院"),
            GRADES[k % 4],
            i,
            k.is_multiple_of(3),
            role,
        );
        if i == 7 {
            s.societies = vec![VOLUNTEERS.to_string(), SCITECH.to_string()];
        }
        roster.push(RosterEntry {
            student: s,
            kind: DelegateKind::Elected,
            row: Some(i + 1),
        });
    }
    let report = validate(&roster, &w.rules());
    assert!(
        report.valid,
        "{:?}",
        &report.violations[..report.violations.len().min(3)]
    );
    assert_eq!(
        (
            report.summary.total,
            report.summary.ordinary,
            report.summary.women
        ),
        (100_000, 60_000, 33_400)
    );
    roster[99_999].student.student_no = roster[0].student.student_no.clone();
    let report = validate(&roster, &w.rules());
    assert_eq!(report.violations.len(), 1);
    assert_eq!(report.violations[0].rule, "B6");
}

#[test]
fn generates_from_100k_nominees() {
    let w = big_world(25);
    let mut x: u64 = 7;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut list = Vec::with_capacity(100_000);
    for i in 0..100_000usize {
        let c = i % COLLEGES;
        let cadre = next(10) < 5;
        let woman = next(10) < 3;
        // Cadres and men get more votes, so the plain ranking breaks B2 and B5 everywhere.
        let votes = next(300) + if cadre { 200 } else { 0 } + if woman { 0 } else { 100 };
        let role = cadre.then_some("院学生会部长");
        let mut s = student(
            &format!("第{c}学院"),
            GRADES[next(4) as usize],
            i,
            woman,
            role,
        );
        if i == 99_999 {
            s.societies = vec![SCITECH.to_string()];
        }
        if next(50) == 0 {
            s.societies.push(VOLUNTEERS.to_string());
        }
        list.push(nominee(s, votes, i + 1));
    }
    let g = generate(&list, &w.rules()).unwrap();
    assert_eq!(g.roster.len(), 5000);
    assert!(g.report.valid);
    assert!(g.report.summary.women >= 1500);
    assert!(g
        .roster
        .iter()
        .any(|e| e.student.societies.iter().any(|s| s == SCITECH)));
    assert!(g.substitutions.len() >= 1000);
}
