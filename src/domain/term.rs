//! Between congresses (rules I1-I6, `docs/rules.md` section I): the standing delegates
//! (常任代表) each college nominates from the congress's delegates, the meetings held in the
//! congress's term (常代会会议, 评议会), the presidium's membership as the records make it
//! (elected, then removed or added), and the term's timeline with the reminders the policies
//! imply.

mod presidium;
mod standing;
mod timeline;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use presidium::{presidium, Change, Member, Seat};
pub use standing::{check_standing, CollegeLine, Nominated, StandingReport};
pub use timeline::{timeline, Entry, EntryKind, MeetingAt, ReviewAt, Term};

/// What a meeting between congresses is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 常代会会议: the standing delegates meet (hear reports, elect or remove, ...).
    Standing,
    /// 评议会: the standing delegates review the presidium's work (述职评议), with named
    /// participants of 学工部 / 校团委 who attend without a vote.
    Review,
}

crate::coded! { MeetingKind {
    Standing => "standing", "常代会会议";
    Review => "review", "评议会";
} }
