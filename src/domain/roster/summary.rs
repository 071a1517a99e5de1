//! Counting a roster (per college and congress-wide) and checking rules B1-B5 on the counts.

use std::collections::HashMap;

use super::index::{main_societies, CollegeIndex, CollegeInfo, GradeLookup};
use super::rows::{violation, Findings, RowCheck, CONGRESS};
use super::{is_ordinary, CollegeSummary, RosterRules, RosterSummary};
use crate::domain::types::{DelegateKind, Gender, RosterEntry};

/// Counts of one college's delegates.
#[derive(Debug, Default)]
struct Count {
    elected: u64,
    ex_officio: u64,
    society: u64,
    /// Among the elected.
    ordinary: u64,
    women: u64,
    covered: Vec<bool>,
}

/// Counts the roster and checks B1-B5; rows without a known college were reported by B6 and
/// are not counted.
pub(super) fn tally(
    roster: &[RosterEntry],
    checked: &RowCheck,
    index: &CollegeIndex,
    rules: &RosterRules,
) -> (RosterSummary, Findings) {
    let mut counts: Vec<Count> = index
        .colleges
        .iter()
        .map(|c| Count {
            covered: vec![false; c.grades.len()],
            ..Count::default()
        })
        .collect();
    let societies = main_societies(rules);
    let society_at: HashMap<&str, usize> =
        societies.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let mut society_hits = vec![0u64; societies.len()];
    let mut sum = RosterSummary {
        rows: roster.len() as u64,
        ..RosterSummary::default()
    };

    for (i, entry) in roster.iter().enumerate() {
        let Some(c) = checked.college[i] else {
            sum.excluded += 1;
            continue;
        };
        let s = &entry.student;
        let ordinary = is_ordinary(s, rules.cadre_roles);
        let woman = s.gender == Gender::Female;
        sum.total += 1;
        sum.ordinary += ordinary as u64;
        sum.women += woman as u64;
        for name in &s.societies {
            if let Some(&k) = society_at.get(name.trim()) {
                society_hits[k] += 1;
            }
        }
        let count = &mut counts[c];
        match entry.kind {
            DelegateKind::ExOfficio => count.ex_officio += 1,
            DelegateKind::Society => count.society += 1,
            DelegateKind::Elected => {
                count.elected += 1;
                count.ordinary += ordinary as u64;
                count.women += woman as u64;
                if let GradeLookup::Known(g) = checked.grade[i] {
                    count.covered[g] = true;
                }
            }
        }
    }

    let mut findings = Findings::default();
    for (c, (info, count)) in index.colleges.iter().zip(&counts).enumerate() {
        sum.elected += count.elected;
        sum.ex_officio += count.ex_officio;
        sum.society_seats += count.society;
        sum.colleges
            .push(check_college(c, info, count, rules, &mut findings));
    }
    check_congress(&mut sum, &societies, &society_hits, rules, &mut findings);
    (sum, findings)
}

/// B1-B3 for one college; its summary.
fn check_college(
    c: usize,
    info: &CollegeInfo,
    count: &Count,
    rules: &RosterRules,
    findings: &mut Findings,
) -> CollegeSummary {
    let profile = rules.profile;
    let name = info.name;
    let n = count.elected;
    if let Some(q) = info.quota {
        if n < q {
            let msg = format!(
                "{name}名额{q}名, 名单中选举产生的代表只有{n}名, 少{}名",
                q - n
            );
            findings.push(1, c, violation(1, Some(name), q, n, msg));
        } else if n > q {
            let mut msg = format!(
                "{name}名额{q}名, 名单中选举产生的代表有{n}名, 多{}名",
                n - q
            );
            if profile.allow_surplus {
                msg.push_str("(已允许超出名额, 仅作提示)");
            }
            let mut v = violation(1, Some(name), q, n, msg);
            v.warning = profile.allow_surplus;
            findings.push(1, c, v);
        }
    }
    let ord_req = profile.ordinary_required(n);
    if count.ordinary < ord_req {
        let msg = format!(
            "{name}{n}名选举代表中普通同学(非学生会骨干)至少应有{ord_req}名({}%), 实有{}名, 差{}名",
            profile.ordinary_min_pct,
            count.ordinary,
            ord_req - count.ordinary
        );
        findings.push(2, c, violation(2, Some(name), ord_req, count.ordinary, msg));
    }
    let grades_with = |hit: bool| -> Vec<String> {
        info.grades
            .iter()
            .zip(&count.covered)
            .filter(|(_, &h)| h == hit)
            .map(|(g, _)| g.to_string())
            .collect()
    };
    let covered = count.covered.iter().filter(|&&b| b).count() as u64;
    let grades_req = info.grades_required();
    let g_all = info.grades.len() as u64;
    if covered < grades_req {
        let need = if grades_req < g_all {
            format!("名额{grades_req}名少于年级数{g_all}个, 至少应覆盖{grades_req}个不同年级")
        } else {
            format!("有学生的{g_all}个年级都应有代表")
        };
        let msg = format!(
            "{name}{need}, 实际覆盖{covered}个, 没有代表的年级: {}",
            grades_with(false).join("、")
        );
        findings.push(3, c, violation(3, Some(name), grades_req, covered, msg));
    }
    CollegeSummary {
        college: name.to_string(),
        quota: info.quota.unwrap_or(0),
        delegates: n,
        ex_officio: count.ex_officio,
        society_seats: count.society,
        ordinary: count.ordinary,
        ordinary_required: ord_req,
        women: count.women,
        grades: info.grades.iter().map(|g| g.to_string()).collect(),
        grades_covered: grades_with(true),
        grades_required: grades_req,
        uncoverable_grades: match (info.grades_known, info.quota) {
            (true, Some(q)) => g_all.saturating_sub(q),
            _ => 0,
        },
    }
}

/// B2 (whole congress), B4 and B5, on the congress totals already in `sum`.
fn check_congress(
    sum: &mut RosterSummary,
    societies: &[&str],
    society_hits: &[u64],
    rules: &RosterRules,
    findings: &mut Findings,
) {
    let profile = rules.profile;
    sum.ordinary_required = profile.ordinary_required(sum.total);
    if sum.ordinary < sum.ordinary_required {
        let msg = format!(
            "全体{}名代表中普通同学(非学生会骨干)至少应有{}名({}%), 实有{}名, 差{}名",
            sum.total,
            sum.ordinary_required,
            profile.ordinary_min_pct,
            sum.ordinary,
            sum.ordinary_required - sum.ordinary
        );
        let v = violation(2, None, sum.ordinary_required, sum.ordinary, msg);
        findings.push(2, CONGRESS, v);
    }
    for (k, name) in societies.iter().enumerate() {
        if society_hits[k] == 0 {
            sum.societies_missing.push(name.to_string());
            let msg = format!("主要学生社团\"{name}\"至少应有1名代表, 名单中没有该社团成员");
            findings.push(4, CONGRESS, violation(4, None, 1, 0, msg));
        } else {
            sum.societies_covered.push(name.to_string());
        }
    }
    sum.societies_required = societies.iter().map(|s| s.to_string()).collect();
    sum.women_required = profile.women_required(sum.total);
    if sum.women < sum.women_required {
        let msg = format!(
            "全体{}名代表中女代表至少应有{}名({}%), 实有{}名, 差{}名",
            sum.total,
            sum.women_required,
            profile.women_min_pct,
            sum.women,
            sum.women_required - sum.women
        );
        let v = violation(5, None, sum.women_required, sum.women, msg);
        findings.push(5, CONGRESS, v);
    }
}
