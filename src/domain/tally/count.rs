//! Counting: one pass over the ballots into plain arrays indexed by candidate position.
//! Sums only, so the result cannot depend on the order of the ballots.

use std::collections::BTreeMap;

use crate::domain::ballot::{read_motion, Choices, ElectionPaper, Mark, PaperReader};

use super::result::MarkCounts;

/// What one pass over an election's ballots yields.
#[derive(Debug, Default)]
pub(super) struct ElectionCount {
    pub valid: u64,
    pub invalid: u64,
    /// 废票 by the heading of their fault.
    pub invalid_reasons: BTreeMap<String, u64>,
    /// [for, against, abstain] per candidate in ballot order, over valid ballots.
    pub marks: Vec<[u64; 3]>,
    /// For-votes per write-in name, over valid ballots.
    pub write_ins: BTreeMap<String, u64>,
}

/// Counts an election's ballots (each distinct choices with its number of ballots) against
/// its paper.
pub(super) fn count_election(paper: &ElectionPaper, ballots: &[(&Choices, u64)]) -> ElectionCount {
    let reader = PaperReader::new(paper);
    let n = paper.candidates.len();
    let mut out = ElectionCount {
        marks: vec![[0; 3]; n],
        ..ElectionCount::default()
    };
    // Headings are &'static str while counting; turned into Strings once at the end.
    let mut reasons: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut buf = vec![Mark::Abstain; n];
    for &(choices, n) in ballots {
        match reader.read(choices, &mut buf) {
            Ok(write_ins) => {
                out.valid += n;
                for (row, mark) in out.marks.iter_mut().zip(&buf) {
                    row[mark.index()] += n;
                }
                for name in write_ins {
                    match out.write_ins.get_mut(name) {
                        Some(count) => *count += n,
                        None => {
                            out.write_ins.insert(name.clone(), n);
                        }
                    }
                }
            }
            Err(reason) => {
                out.invalid += n;
                *reasons.entry(reason.category()).or_default() += n;
            }
        }
    }
    out.invalid_reasons = into_owned(reasons);
    out
}

/// What one pass over a motion's ballots yields.
#[derive(Debug, Default)]
pub(super) struct MotionCount {
    pub valid: u64,
    pub invalid: u64,
    pub invalid_reasons: BTreeMap<String, u64>,
    pub votes: MarkCounts,
}

/// Counts a motion's ballots (E3), each distinct choices with its number of ballots.
pub(super) fn count_motion(ballots: &[(&Choices, u64)]) -> MotionCount {
    let mut by_mark = [0u64; 3];
    let mut invalid = 0;
    let mut reasons: BTreeMap<&'static str, u64> = BTreeMap::new();
    for &(choices, n) in ballots {
        match read_motion(choices) {
            Ok(vote) => by_mark[vote.index()] += n,
            Err(reason) => {
                invalid += n;
                *reasons.entry(reason.category()).or_default() += n;
            }
        }
    }
    MotionCount {
        valid: by_mark.iter().sum(),
        invalid,
        invalid_reasons: into_owned(reasons),
        votes: counts(by_mark),
    }
}

/// `[for, against, abstain]` as named counts.
pub(super) fn counts(row: [u64; 3]) -> MarkCounts {
    MarkCounts {
        for_votes: row[Mark::For.index()],
        against: row[Mark::Against.index()],
        abstain: row[Mark::Abstain.index()],
    }
}

fn into_owned(map: BTreeMap<&'static str, u64>) -> BTreeMap<String, u64> {
    map.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
