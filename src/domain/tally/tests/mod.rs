//! Tests of the tally: hand-worked cases with the arithmetic in comments, and properties.

mod election;
mod motion;
mod props;
mod shortfall;

use std::collections::BTreeMap;

use super::*;
use crate::domain::ballot::{Choices, Mark};
use crate::domain::settings::{Fraction, Threshold, ThresholdBase, TieRule};

/// Candidates 王芳, 刘洋, 李娜, 张伟, 陈静, 杨磊 (ids c1..c6) in ballot order, the first `n`.
pub(super) fn election(seats: u32, n: usize) -> ElectionSpec {
    const NAMES: [&str; 6] = ["王芳", "刘洋", "李娜", "张伟", "陈静", "杨磊"];
    ElectionSpec {
        seats,
        candidates: NAMES[..n]
            .iter()
            .enumerate()
            .map(|(i, name)| CandidateRef {
                id: format!("c{}", i + 1),
                name: name.to_string(),
            })
            .collect(),
        allow_write_in: false,
        threshold: Threshold::ORDINARY,
        tie_rule: TieRule::Runoff,
    }
}

/// One election ballot: `pattern` has one letter per candidate (F for, A against,
/// - abstain), `write_ins` the 另选他人 names.
pub(super) fn ballot(pattern: &str, write_ins: &[&str]) -> Choices {
    let marks: BTreeMap<String, Mark> = pattern
        .chars()
        .enumerate()
        .map(|(i, ch)| {
            let mark = match ch {
                'F' => Mark::For,
                'A' => Mark::Against,
                _ => Mark::Abstain,
            };
            (format!("c{}", i + 1), mark)
        })
        .collect();
    Choices::Election {
        marks,
        write_ins: write_ins.iter().map(|s| s.to_string()).collect(),
    }
}

/// `count` copies of a ballot.
pub(super) fn times(count: usize, choices: Choices) -> Vec<Choices> {
    vec![choices; count]
}

/// Counts an election.
pub(super) fn run(
    spec: &ElectionSpec,
    issued: u64,
    roster: u64,
    ballots: &[Choices],
) -> ContestResult {
    tally(
        &ContestSpec::Election(spec.clone()),
        Turnout { issued, roster },
        ballots,
    )
}

/// The election part of a result.
pub(super) fn detail(r: &ContestResult) -> &ElectionResult {
    match &r.detail {
        ContestDetail::Election(e) => e,
        ContestDetail::Motion(_) | ContestDetail::Review(_) => {
            panic!("expected an election result")
        }
    }
}

/// Names of a list of contenders.
pub(super) fn names(list: &[Contender]) -> Vec<&str> {
    list.iter().map(|c| c.name.as_str()).collect()
}

/// (for, against, abstain) of every listed candidate.
pub(super) fn triples(r: &ContestResult) -> Vec<(u64, u64, u64)> {
    detail(r)
        .candidates
        .iter()
        .map(|c| (c.votes.for_votes, c.votes.against, c.votes.abstain))
        .collect()
}

pub(super) const STRICT_HALF: Fraction = Fraction::new(1, 2, true);

pub(super) fn threshold(base: ThresholdBase, fraction: Fraction) -> Threshold {
    Threshold { base, fraction }
}
