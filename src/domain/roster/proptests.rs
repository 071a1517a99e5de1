//! Properties of validation on random rosters: it never panics, and every figure it reports
//! agrees with a plain recount of the rows.

use proptest::prelude::*;

use super::fixtures::{student, world, GRADES, SCITECH, VOLUNTEERS};
use super::*;
use crate::domain::types::{DelegateKind, Gender};

const COLLEGES: [&str; 5] = ["信息学院", "经济管理学院", "外国语学院", "信息学员", ""];

fn entry() -> impl Strategy<Value = RosterEntry> {
    (
        (0usize..5, 0usize..7, 0usize..40, any::<bool>()),
        (0usize..4, 0usize..4, 0usize..3, 0usize..8),
    )
        .prop_map(|((c, g, no, woman), (role, soc, kind, blank))| {
            let grade = match g {
                0..=3 => GRADES[g],
                4 => "2019级",
                5 => "2023",
                _ => "",
            };
            let role = [None, Some("无"), Some("学生会部长"), Some("学生会干事")][role];
            let mut s = student(COLLEGES[c], grade, no, woman, role);
            s.societies = match soc {
                1 => vec![VOLUNTEERS.to_string()],
                2 => vec![SCITECH.to_string(), "书法协会".to_string()],
                _ => vec![],
            };
            if blank == 0 {
                s.name = String::new();
            }
            let kind = [
                DelegateKind::Elected,
                DelegateKind::ExOfficio,
                DelegateKind::Society,
            ][kind];
            RosterEntry {
                student: s,
                kind,
                row: None,
            }
        })
}

proptest! {
    #[test]
    fn figures_agree_with_a_recount(roster in prop::collection::vec(entry(), 0..60), surplus in any::<bool>()) {
        let mut w = world();
        w.profile.allow_surplus = surplus;
        let report = validate(&roster, &w.rules());
        let known = |e: &RosterEntry| COLLEGES[..3].contains(&e.student.college.as_str());
        let counted: Vec<&RosterEntry> = roster.iter().filter(|e| known(e)).collect();
        let s = &report.summary;
        prop_assert_eq!(s.rows as usize, roster.len());
        prop_assert_eq!(s.total as usize, counted.len());
        prop_assert_eq!(s.excluded as usize, roster.len() - counted.len());
        prop_assert_eq!(report.valid, report.violations.iter().all(|v| v.warning));
        let women = counted.iter().filter(|e| e.student.gender == Gender::Female).count() as i64;
        let mut seen = std::collections::HashSet::new();
        let mut last_rule = String::new();
        for v in &report.violations {
            prop_assert!(v.rule >= last_rule, "order: {:?}", report.violations);
            last_rule = v.rule.clone();
            prop_assert!(!v.message.is_empty());
            if v.rule != "B6" && v.rule != "B4" {
                // One violation per rule and college for B1, B2, B3 and B5.
                prop_assert!(seen.insert((v.rule.clone(), v.college.clone())), "twice: {:?}", v);
            }
            match v.rule.as_str() {
                "B1" => {
                    let college = v.college.as_deref().unwrap_or("");
                    let n = counted
                        .iter()
                        .filter(|e| e.student.college == college && e.kind == DelegateKind::Elected)
                        .count() as i64;
                    prop_assert_eq!(v.found, n);
                    prop_assert_eq!(v.warning, surplus && n > v.required);
                }
                "B5" => {
                    prop_assert_eq!(v.found, women);
                    prop_assert_eq!(v.required, w.profile.women_required(counted.len() as u64) as i64);
                }
                "B2" if v.college.is_none() => {
                    let ordinary = counted.iter().filter(|e| is_ordinary(&e.student, None)).count();
                    prop_assert_eq!(v.found, ordinary as i64);
                }
                "B3" => prop_assert!(v.found < v.required),
                _ => {}
            }
        }
        for society in [VOLUNTEERS, SCITECH] {
            let covered = counted.iter().any(|e| e.student.societies.iter().any(|x| x == society));
            let reported = report.violations.iter().any(|v| v.rule == "B4" && v.message.contains(society));
            prop_assert_eq!(covered, !reported);
        }
    }
}
