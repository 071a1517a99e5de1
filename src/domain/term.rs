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

/// How a 评议会's named participants (学工部, 校团委, ...) weigh (rule I7): not at all (they
/// attend without a vote), or counted apart (they vote with the same secret-ballot papers,
/// signed with a second key of each contest, and their tally is shown beside the delegates'
/// without entering the result, 应到, 实到 or the quorum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantVotes {
    #[default]
    None,
    Apart,
}

crate::coded! { ParticipantVotes {
    None => "none", "不计票";
    Apart => "apart", "分开计票";
} }

/// Fewest participants a meeting must list before their votes can be counted apart (I7): with
/// fewer, the separate tally would show each participant's grades (one participant's tally
/// is their ballot; of two, either can subtract their own).
pub const MIN_APART_PARTICIPANTS: usize = 3;

/// The label of the participants' separate tally wherever it is shown.
pub const APART_LABEL: &str = "列席评议人员 (分开计票, 不计入结果)";
