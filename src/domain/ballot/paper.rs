//! The election ballot paper (选票): which candidates, how many seats, whether write-ins are
//! allowed; filling a ballot from a delegate's marks and deciding its validity (E2).

use std::collections::{BTreeMap, BTreeSet};

use super::json::check_write_in;
use super::{
    BallotError, Choices, InvalidReason, Mark, Validity, REVIEW_KEY, VOTE_KEY, WRITE_IN_KEY,
};

/// An election's ballot paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionPaper {
    /// 应选名额.
    pub seats: u32,
    /// Candidate ids in ballot order (C4).
    pub candidates: Vec<String>,
    /// Candidate names, same order and length as `candidates`.
    pub candidate_names: Vec<String>,
    /// 另选他人 allowed.
    pub allow_write_in: bool,
}

impl ElectionPaper {
    /// Checks the paper itself: at least one seat, as many names as ids, ids non-empty,
    /// unique, and not `"write_in"` / `"vote"` (the keys the ballot JSON reserves).
    pub fn check(&self) -> Result<(), BallotError> {
        if self.seats == 0 {
            return Err(BallotError::NoSeats);
        }
        if self.candidates.len() != self.candidate_names.len() {
            return Err(BallotError::NamesMismatch {
                ids: self.candidates.len(),
                names: self.candidate_names.len(),
            });
        }
        let mut seen = BTreeSet::new();
        for (i, id) in self.candidates.iter().enumerate() {
            if id.is_empty() {
                return Err(BallotError::EmptyCandidateId { position: i + 1 });
            }
            if id == WRITE_IN_KEY || id == VOTE_KEY || id == REVIEW_KEY {
                return Err(BallotError::ReservedCandidateId { id: id.clone() });
            }
            if !seen.insert(id.as_str()) {
                return Err(BallotError::DuplicateCandidateId { id: id.clone() });
            }
        }
        Ok(())
    }

    /// Builds choices from what a delegate marked: unmarked candidates become abstain (E2).
    /// Write-ins are trimmed and kept in the order given.
    ///
    /// Refuses unknown candidate ids, write-ins when not allowed, a write-in that is a listed
    /// candidate's name, empty, duplicate or over-long write-ins. It does NOT refuse marking
    /// too many: an over-voted ballot is still a ballot (E2: kept, published, counted as 废票);
    /// the voting page warns with [`ElectionPaper::validity`] before submitting.
    pub fn fill(
        &self,
        marked: &BTreeMap<String, Mark>,
        write_ins: &[String],
    ) -> Result<Choices, BallotError> {
        self.check()?;
        if let Some(id) = marked.keys().find(|id| !self.candidates.contains(id)) {
            return Err(BallotError::UnknownCandidate { id: id.clone() });
        }
        if !write_ins.is_empty() && !self.allow_write_in {
            return Err(BallotError::WriteInNotAllowed);
        }
        let mut names: Vec<String> = Vec::with_capacity(write_ins.len());
        for (i, raw) in write_ins.iter().enumerate() {
            let name = raw.trim();
            check_write_in(name, i + 1)?;
            if self.is_candidate_name(name) {
                return Err(BallotError::WriteInIsCandidate {
                    name: name.to_string(),
                });
            }
            if names.iter().any(|n| n == name) {
                return Err(BallotError::WriteInDuplicate {
                    name: name.to_string(),
                });
            }
            names.push(name.to_string());
        }
        let marks = self
            .candidates
            .iter()
            .map(|id| (id.clone(), marked.get(id).copied().unwrap_or(Mark::Abstain)))
            .collect();
        Ok(Choices::Election {
            marks,
            write_ins: names,
        })
    }

    /// Builds the choices of a paper ballot as it was marked (E5, issue 12.5): like
    /// [`ElectionPaper::fill`], except that a write-in naming a listed candidate is kept as
    /// written, so the ballot is published and counted as 废票 (E2) instead of being refused.
    pub fn fill_as_marked(
        &self,
        marked: &BTreeMap<String, Mark>,
        write_ins: &[String],
    ) -> Result<Choices, BallotError> {
        let listed: Vec<String> = write_ins
            .iter()
            .map(|w| w.trim().to_string())
            .filter(|w| self.is_candidate_name(w))
            .collect();
        if listed.is_empty() {
            return self.fill(marked, write_ins);
        }
        let others: Vec<String> = write_ins
            .iter()
            .filter(|w| !listed.contains(&w.trim().to_string()))
            .cloned()
            .collect();
        match self.fill(marked, &others)? {
            Choices::Election { marks, .. } => {
                // Every write-in, in the order written; duplicates are still refused.
                let mut names: Vec<String> = Vec::with_capacity(write_ins.len());
                for (i, raw) in write_ins.iter().enumerate() {
                    let name = raw.trim();
                    check_write_in(name, i + 1)?;
                    if names.iter().any(|n| n == name) {
                        return Err(BallotError::WriteInDuplicate {
                            name: name.to_string(),
                        });
                    }
                    names.push(name.to_string());
                }
                Ok(Choices::Election {
                    marks,
                    write_ins: names,
                })
            }
            other => Ok(other),
        }
    }

    /// Whether a ballot counts (E2): more for-marks + write-ins than seats is 废票. So is a
    /// ballot missing a candidate, naming an unknown one, or with write-ins the contest does
    /// not allow or that name a listed candidate: `fill` never builds those, so they can only
    /// come from a hand-entered or tampered ballot, and counting them as 废票 can never give
    /// anyone a vote the delegate did not clearly cast.
    pub fn validity(&self, choices: &Choices) -> Validity {
        let mut marks = vec![Mark::Abstain; self.candidates.len()];
        match PaperReader::new(self).read(choices, &mut marks) {
            Ok(_) => Validity::Valid,
            Err(reason) => reason.into(),
        }
    }

    fn is_candidate_name(&self, name: &str) -> bool {
        self.candidate_names.iter().any(|n| n.trim() == name)
    }
}

/// Reads many ballots against one paper without allocating: the tally's inner loop.
/// Candidate ids are kept sorted so a ballot's `BTreeMap` is matched in one merge pass.
#[derive(Debug, Clone)]
pub struct PaperReader<'a> {
    paper: &'a ElectionPaper,
    /// (candidate id, position in ballot order), sorted by id.
    by_id: Vec<(&'a str, usize)>,
}

impl<'a> PaperReader<'a> {
    pub fn new(paper: &'a ElectionPaper) -> Self {
        let mut by_id: Vec<(&str, usize)> = paper
            .candidates
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        by_id.sort_unstable();
        PaperReader { paper, by_id }
    }

    /// Reads a valid ballot: writes each candidate's mark into `marks` (ballot order; the
    /// slice must have one slot per candidate) and returns the write-ins; or says why the
    /// ballot is invalid. Never panics, even on an unchecked paper.
    pub fn read<'c>(
        &self,
        choices: &'c Choices,
        marks: &mut [Mark],
    ) -> Result<&'c [String], InvalidReason> {
        let (given, write_ins) = match choices {
            Choices::Election { marks, write_ins } => (marks, write_ins),
            Choices::Motion { .. } | Choices::MotionMarks { .. } => {
                return Err(InvalidReason::NotElection)
            }
            Choices::Review { .. } => return Err(InvalidReason::NotVote),
        };
        let mut for_marks = 0u64;
        let mut expected = self.by_id.iter();
        for (id, &mark) in given {
            let Some(&(want, pos)) = expected.next() else {
                return Err(InvalidReason::UnknownCandidate { id: id.clone() });
            };
            if id.as_str() != want {
                // Both sides are sorted: the smaller one is the key the other side lacks.
                return Err(if id.as_str() < want {
                    InvalidReason::UnknownCandidate { id: id.clone() }
                } else {
                    InvalidReason::MissingCandidate {
                        id: want.to_string(),
                    }
                });
            }
            if let Some(slot) = marks.get_mut(pos) {
                *slot = mark;
            }
            for_marks += u64::from(mark == Mark::For);
        }
        if let Some(&(want, _)) = expected.next() {
            return Err(InvalidReason::MissingCandidate {
                id: want.to_string(),
            });
        }
        if write_ins.is_empty() {
            return self.seats_ok(for_marks, 0).map(|()| write_ins.as_slice());
        }
        if !self.paper.allow_write_in {
            return Err(InvalidReason::WriteInNotAllowed);
        }
        // Seats first: it bounds the write-in list before the checks below look at it.
        self.seats_ok(for_marks, write_ins.len() as u64)?;
        for (i, name) in write_ins.iter().enumerate() {
            let malformed = check_write_in(name, i + 1).is_err()
                || name.trim() != name
                || write_ins[..i].contains(name);
            if malformed {
                return Err(InvalidReason::WriteInMalformed { name: name.clone() });
            }
            if self.paper.is_candidate_name(name) {
                return Err(InvalidReason::WriteInIsCandidate { name: name.clone() });
            }
        }
        Ok(write_ins.as_slice())
    }

    fn seats_ok(&self, for_marks: u64, write_ins: u64) -> Result<(), InvalidReason> {
        if for_marks + write_ins > u64::from(self.paper.seats) {
            Err(InvalidReason::OverVoted {
                for_marks,
                write_ins,
                seats: self.paper.seats,
            })
        } else {
            Ok(())
        }
    }
}
