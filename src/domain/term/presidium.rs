//! Rule I5: the presidium's current membership, derived from the certified records in order:
//! elected at the congress, then removed (罢免 passed) or added (补选) at later meetings.

use serde::{Deserialize, Serialize};

/// A member, as the records name them (name, college) with the 学号 of the candidate the
/// record's candidate id points to (empty for a person written in).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub college: String,
    pub student_no: String,
}

/// One change the records show, with where it comes from (e.g. the meeting's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Elected { member: Member, source: String },
    Removed { member: Member, source: String },
}

/// A member in office and the record that put them there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub member: Member,
    pub since: String,
}

/// Applies the changes in order: an election adds a member (once), a removal takes one away.
/// A removal of someone not in office changes nothing.
pub fn presidium(changes: &[Change]) -> Vec<Seat> {
    let mut seats: Vec<Seat> = Vec::new();
    for change in changes {
        match change {
            Change::Elected { member, source } => {
                if !seats.iter().any(|s| &s.member == member) {
                    seats.push(Seat {
                        member: member.clone(),
                        since: source.clone(),
                    });
                }
            }
            Change::Removed { member, .. } => seats.retain(|s| &s.member != member),
        }
    }
    seats
}
