//! The count (rules E2-E4, F1-F5): ballots in, a [`ContestResult`] out, with every figure and
//! a Chinese sentence for every outcome, ready for the signed record.
//!
//! How it reads the rules:
//! - E2/E3: validity is `ballot`'s; invalid ballots (废票) count as cast and invalid, never
//!   in a candidate's or the motion's counts. For / against / abstain are over valid ballots.
//! - E4: cast > issued makes the contest void: counts are still shown, nobody is elected and
//!   nothing passes, no runoff or 另行选举 is proposed (the contest is held again).
//! - F1/F4: a contender needs `for >= Fraction::min_count(base)` (and at least one vote),
//!   where the base is issued (实到, frozen at opening), valid ballots, or the roster (应到).
//! - F2/F3: see `seats` for ties, write-ins and the 另行选举 proposal.
//!
//! `tally` is total: it never panics, whatever the spec or ballots. A malformed spec
//! (duplicate or reserved candidate ids, zero seats) makes ballots invalid rather than
//! miscounted; callers check a spec with [`ElectionSpec::check`] when the contest is set up.

mod count;
mod election;
mod explain;
mod motion;
mod result;
mod review;
mod seats;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::domain::ballot::{BallotError, Choices, ElectionPaper};
use crate::domain::settings::{Threshold, ThresholdBase, TieRule};

pub use result::{
    AppliedThreshold, CandidateResult, Contender, ContestDetail, ContestResult, ElectionResult,
    MarkCounts, MotionResult, Runoff, Status, Supplementary, WriteInResult,
};
pub use review::{basis_points, percent, PersonReview, ReviewResult, ReviewSpec};
pub use seats::c2_margin;

/// A listed candidate: the id on the ballot and the name in the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateRef {
    pub id: String,
    pub name: String,
}

/// A 选举 as the tally needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectionSpec {
    /// 应选名额.
    pub seats: u32,
    /// In ballot order (C4).
    pub candidates: Vec<CandidateRef>,
    /// 另选他人 allowed.
    pub allow_write_in: bool,
    /// F1.
    pub threshold: Threshold,
    /// F2.
    pub tie_rule: TieRule,
}

impl ElectionSpec {
    /// The ballot paper this election's ballots are read against.
    pub fn paper(&self) -> ElectionPaper {
        ElectionPaper {
            seats: self.seats,
            candidates: self.candidates.iter().map(|c| c.id.clone()).collect(),
            candidate_names: self.candidates.iter().map(|c| c.name.clone()).collect(),
            allow_write_in: self.allow_write_in,
        }
    }

    /// The paper's checks (seats, ids unique and not reserved).
    pub fn check(&self) -> Result<(), BallotError> {
        self.paper().check()
    }
}

/// A 表决 as the tally needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionSpec {
    /// F4: `Threshold::ORDINARY`, or `Threshold::CHARTER` for 章程修正.
    pub threshold: Threshold,
}

/// What is being counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestSpec {
    Election(ElectionSpec),
    Motion(MotionSpec),
    /// 述职评议 (rules H1-H5).
    Review(ReviewSpec),
}

/// The contest's presence figures (D1, D2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turnout {
    /// 实到 at opening = ballots issued (发出选票).
    pub issued: u64,
    /// 应到.
    pub roster: u64,
}

/// Counts a contest's ballots under its rules (E2-E4, F1-F5). The result does not depend on
/// the order of `ballots`.
pub fn tally(spec: &ContestSpec, turnout: Turnout, ballots: &[Choices]) -> ContestResult {
    let each: Vec<(&Choices, u64)> = ballots.iter().map(|c| (c, 1)).collect();
    tally_each(spec, turnout, &each)
}

/// [`tally`] of ballots given as each distinct `Choices` with the number of ballots that say
/// it (a million ballots repeat a few thousand choices): the same result as `tally` of the
/// ballots written out.
pub fn tally_weighted(
    spec: &ContestSpec,
    turnout: Turnout,
    distinct: &[(Choices, u64)],
) -> ContestResult {
    let each: Vec<(&Choices, u64)> = distinct.iter().map(|(c, n)| (c, *n)).collect();
    tally_each(spec, turnout, &each)
}

fn tally_each(spec: &ContestSpec, turnout: Turnout, ballots: &[(&Choices, u64)]) -> ContestResult {
    match spec {
        ContestSpec::Election(e) => election::tally_election(e, turnout, ballots),
        ContestSpec::Motion(m) => motion::tally_motion(m, turnout, ballots),
        ContestSpec::Review(r) => review::tally_review(r, turnout, ballots),
    }
}

/// The threshold with this contest's figures (F1/F4, F5).
fn applied(
    rule: &'static str,
    threshold: Threshold,
    turnout: Turnout,
    valid: u64,
) -> (AppliedThreshold, explain::Words) {
    let figure = match threshold.base {
        ThresholdBase::Present => turnout.issued,
        ThresholdBase::ValidBallots => valid,
        ThresholdBase::Roster => turnout.roster,
    };
    let words = explain::Words {
        rule,
        base: threshold.base,
        figure,
        fraction: threshold.fraction,
        min_for: threshold.fraction.min_count(figure).max(1),
    };
    let applied = AppliedThreshold {
        rule: rule.to_string(),
        base: threshold.base,
        base_figure: figure,
        fraction: threshold.fraction,
        min_for: words.min_for,
        text: words.rule_text(),
    };
    (applied, words)
}
