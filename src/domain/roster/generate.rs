//! Roster generation (rule B7 of `docs/rules.md`): each college's delegates chosen from its
//! nominees (班级团支部推荐) so that rules B1-B5 hold, as close to the vote ranking as possible,
//! with every substitution explained; or the exact rule, college and shortfall that no choice
//! can meet.
//!
//! How the choice is made (deterministic: the same nominees in any order give the same roster):
//! 1. B6 first: nominees with missing fields, unknown colleges or grades, or duplicate student
//!    numbers are refused, as is a college without a quota.
//! 2. Each college ranks its nominees by votes (desc), then file row, then student number.
//!    Shortfalls no choice overcomes are reported with their figures: fewer nominees than the
//!    quota (B1), a grade without nominees (B3), fewer ordinary nominees than B2 needs, or B2
//!    and B3 together (covering a grade that has only cadre nominees costs an ordinary seat).
//! 3. Per college (B1-B3): go down the ranking and take each nominee unless taking them would
//!    leave the college's rules impossible to meet. The "possible" test is exact (see
//!    `pool`), so a choice is found whenever one exists. A nominee is passed over only when the
//!    rules force it, and then the highest-ranked nominees who keep the rules reachable come in.
//! 4. Congress-wide women (B5): if the exact maximum of each college (under its own rules)
//!    added up is below the requirement, infeasible with that figure; otherwise one more woman
//!    at a time goes to the college where it costs the fewest extra substitutions (then where
//!    the nominee giving way stands lowest in the plain choice, then enrolment order).
//! 5. Main societies (B4): a society with no nominee at all is infeasible. Otherwise, fewest
//!    members first, a member is seated in the college where that costs least, keeping every
//!    college's rules, the women's total and every society already represented; when none fits
//!    directly, a short chain moves another society elsewhere, or the college gives up women
//!    that other colleges make up (see `congress::societies`). If that fails, the same is tried
//!    with societies first and women second.
//! 6. The result is checked with `roster::validate`.
//!
//! Decisions where the spec leaves room:
//! - "Changing the ranking as little as possible" is read as: never pass over a nominee while a
//!   valid choice keeping them (and everyone ranked above who was kept) exists. This is the swap
//!   rule of the brief (drop the lowest-ranked who can go, bring in the highest-ranked who
//!   fixes the shortfall) made exact. It can make more substitutions than the fewest possible:
//!   ranking A1 (cadre, 2022级), A2 (ordinary, 2022级), B1 (cadre, 2023级), C1 (ordinary, 2024级),
//!   B2 (ordinary, 2023级), quota 3, two ordinary needed: we keep A1 and take C1, B2 (two
//!   substitutions) where {A2, B1, C1} would need one. Keeping the top vote-getter is the choice
//!   that is easiest to justify to the nominees, so we prefer it.
//! - B4 is a covering problem (hard in general), so step 5 is a bounded search: with several
//!   main societies competing for very few seats it can miss an arrangement that exists. The
//!   refusal then says the members "could not be fitted" rather than that none exist.
//!   Brute-force property tests on tight random congresses (2-3 colleges of 1-2 seats, a
//!   women's share) found no miss in about 240,000 feasible cases with one or two main
//!   societies, and about 1 in 5,000 with three. B1-B3 and B5 are exact.
//! - Only elected delegates are generated; ex-officio and society-seat delegates are added to the
//!   roster separately (A4) and then checked with `roster::validate`.

mod congress;
mod explain;
mod pool;
mod precheck;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod scale;
mod select;
#[cfg(test)]
mod society_tests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::domain::roster::rows::{violation, Findings, CONGRESS};
use crate::domain::roster::{validate, RosterReport, RosterRules};
use crate::domain::types::{DelegateKind, Nominee, RosterEntry, Student, Violation};

/// A generated roster: valid by construction (the report says so), with its substitutions.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Elected delegates, college by college (enrolment order), each in rank order.
    pub roster: Vec<RosterEntry>,
    /// Every departure from the plain ranking, college by college.
    pub substitutions: Vec<Substitution>,
    /// `roster::validate` of the roster.
    pub report: RosterReport,
}

/// One nominee who replaced another (B7).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    pub college: String,
    /// The rule that required it ("B2", "B3", "B4" or "B5").
    pub rule: String,
    /// The nominee within the quota by rank who was passed over.
    pub removed: Option<Student>,
    /// The lower-ranked nominee who took the seat.
    pub added: Student,
    /// Who replaced whom and why, in Chinese, with ranks, votes and the rule's figures.
    pub reason: String,
    /// Ranks within the college (1 = most votes) and votes.
    pub removed_rank: Option<u64>,
    pub added_rank: u64,
    pub removed_votes: Option<u64>,
    pub added_votes: u64,
}

/// No roster satisfies the rules with these nominees: each violation names the rule, the
/// college (or `None` for the congress) and the exact shortfall (required vs found).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("无法生成符合规则的代表名单: {}", messages(.violations))]
pub struct Infeasible {
    pub violations: Vec<Violation>,
}

fn messages(violations: &[Violation]) -> String {
    let list: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    list.join("; ")
}

fn infeasible(findings: Findings) -> Infeasible {
    Infeasible {
        violations: findings.into_sorted(),
    }
}

/// Chooses the elected delegates from the nominees (rule B7); see the module documentation.
pub fn generate(nominees: &[Nominee], rules: &RosterRules) -> Result<Generated, Infeasible> {
    let prepared = precheck::prepare(nominees, rules).map_err(infeasible)?;
    let pools = &prepared.pools;
    let total_seats = pools.iter().fold(0usize, |t, p| t.saturating_add(p.quota));
    let women_required =
        usize::try_from(rules.profile.women_required(total_seats as u64)).unwrap_or(usize::MAX);

    let mut findings = Findings::default();
    let mut picks = Vec::with_capacity(pools.len());
    for pool in pools {
        if pool.cands.len() >= pool.quota {
            if let Some(sol) = select::solve(pool, &[], 0) {
                picks.push(congress::Pick {
                    sol,
                    forced: Vec::new(),
                });
                continue;
            }
        }
        precheck::college_shortfalls(pool, &prepared.index, &mut findings);
    }
    let exact = findings.is_empty();
    let pct = rules.profile.women_min_pct;
    precheck::congress_shortfalls(
        &prepared,
        women_required,
        total_seats,
        pct,
        exact,
        &mut findings,
    );
    if !findings.is_empty() {
        return Err(infeasible(findings));
    }
    let plain_women: usize = pools
        .iter()
        .map(|p| {
            p.cands[..p.quota.min(p.cands.len())]
                .iter()
                .filter(|c| c.woman)
                .count()
        })
        .sum();

    let n_societies = prepared.societies.len();
    let picks = match congress::settle(pools, picks, n_societies, women_required) {
        Ok(picks) => picks,
        Err(given_up) => {
            for s in given_up {
                let name = prepared.societies[s];
                let msg = format!(
                    "主要学生社团\"{name}\"的推荐人选都无法在满足其他规则(名额、普通同学比例、年级覆盖、女代表比例及已覆盖的社团)的前提下入选; 可增加该社团的推荐人选, 或为其设置社团代表席位(A4)"
                );
                findings.push(4, CONGRESS, violation(4, None, 1, 0, msg));
            }
            return Err(infeasible(findings));
        }
    };

    let cx = explain::Context {
        nominees,
        index: &prepared.index,
        societies: &prepared.societies,
        total_seats,
        women_required,
        plain_women,
    };
    let mut roster = Vec::with_capacity(total_seats);
    let mut substitutions = Vec::new();
    for (pool, pick) in pools.iter().zip(&picks) {
        for &pos in &pick.sol.chosen {
            let n = &nominees[pool.cands[pos].nominee];
            roster.push(RosterEntry {
                student: n.student.clone(),
                kind: DelegateKind::Elected,
                row: Some(n.row),
            });
        }
        substitutions.extend(explain::explain(pool, pick, &cx));
    }
    let report = validate(&roster, rules);
    if !report.valid {
        // Not expected: every step keeps the rules. Refuse rather than hand out a bad roster.
        let violations = report
            .violations
            .into_iter()
            .filter(|v| !v.warning)
            .collect();
        return Err(Infeasible { violations });
    }
    Ok(Generated {
        roster,
        substitutions,
        report,
    })
}
