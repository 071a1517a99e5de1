//! The tally's result as it goes into the signed record: integers, strings and booleans only
//! (canonical JSON has no floats), every figure an observer needs to recompute it, and a
//! Chinese sentence for every outcome stating the rule, base, threshold and votes (F5).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::settings::{Fraction, ThresholdBase, TieRule};

/// The result of one contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContestResult {
    /// 发出选票: 实到 when the contest opened (D2).
    pub issued: u64,
    /// 应到 (D1).
    pub roster: u64,
    /// 收回选票: ballots on the board.
    pub cast: u64,
    /// 有效票.
    pub valid: u64,
    /// 废票 (kept and published, E2).
    pub invalid: u64,
    /// 废票 by kind of fault (Chinese heading -> count); sums to `invalid`.
    pub invalid_reasons: BTreeMap<String, u64>,
    /// E4: cast > issued, the contest must be held again; nobody elected, nothing passed.
    pub void: bool,
    /// The threshold applied (F1 / F4).
    pub threshold: AppliedThreshold,
    /// Counts and outcome of the election or motion.
    pub detail: ContestDetail,
    /// The whole result in Chinese sentences (F5).
    pub explanation: String,
}

/// The threshold as applied to this contest's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliedThreshold {
    /// `"F1"` (election) or `"F4"` (motion).
    pub rule: String,
    pub base: ThresholdBase,
    /// The base's figure: issued (present), valid ballots, or roster.
    pub base_figure: u64,
    pub fraction: Fraction,
    /// The fewest for-votes that meet it: `Fraction::min_count(base_figure)`, but never
    /// below 1 (nobody is elected and nothing passes on zero for-votes).
    pub min_for: u64,
    /// E.g. "规则 F1: 赞成票须超过实到代表 200 人的 1/2, 即至少 101 票".
    pub text: String,
}

/// For / against / abstain counted over valid ballots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkCounts {
    #[serde(rename = "for")]
    pub for_votes: u64,
    pub against: u64,
    pub abstain: u64,
}

impl MarkCounts {
    pub fn total(&self) -> u64 {
        self.for_votes + self.against + self.abstain
    }
}

/// Election or motion specifics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestDetail {
    Election(ElectionResult),
    Motion(MotionResult),
    Review(super::review::ReviewResult),
}

/// A 选举's counts and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionResult {
    pub seats: u32,
    pub allow_write_in: bool,
    pub tie_rule: TieRule,
    /// Listed candidates in ballot order.
    pub candidates: Vec<CandidateResult>,
    /// 另选他人 on valid ballots, by for-votes (most first), then name.
    pub write_ins: Vec<WriteInResult>,
    /// 当选, in order: for-votes (most first); equal votes keep ballot order, write-ins last.
    pub elected: Vec<Contender>,
    /// Seats not filled: `seats - elected.len()`. Outside a void contest this is runoff
    /// seats + supplementary seats + `vacant`; a void contest leaves all seats to the new vote.
    pub unfilled: u32,
    /// Seats left vacant by the tie rule (F2 setting `vacant`).
    pub vacant: u32,
    /// 再次投票 proposed for a tie at the last seat(s) (F2).
    pub runoff: Option<Runoff>,
    /// 另行选举 proposed for a shortfall (F3).
    pub supplementary: Option<Supplementary>,
}

/// What happened to one contender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 当选.
    Elected,
    /// 未当选 (below the threshold, or outranked for the seats).
    NotElected,
    /// Tied for the last seat(s): 再次投票 proposed.
    Runoff,
    /// Tied for the last seat(s): the seat stays vacant (tie rule setting).
    TieVacant,
    /// The contest is void (E4).
    Void,
}

impl Status {
    /// 当选 / 未当选 / ..., as the results and the printed record say it.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Elected => "当选",
            Status::NotElected => "未当选",
            Status::Runoff => "得票并列, 再次投票",
            Status::TieVacant => "得票并列, 名额空缺",
            Status::Void => "选举无效",
        }
    }
}

/// One listed candidate's counts and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateResult {
    pub id: String,
    pub name: String,
    /// Over valid ballots: `votes.total() == valid`.
    pub votes: MarkCounts,
    pub status: Status,
    /// E.g. "张三 得赞成票 120 票, 超过实到代表 200 人的 1/2 (至少 101 票), 当选 (规则 F1)".
    pub explanation: String,
}

/// One write-in name's for-votes and outcome (write-ins only carry for-votes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriteInResult {
    pub name: String,
    #[serde(rename = "for")]
    pub for_votes: u64,
    pub status: Status,
    pub explanation: String,
}

/// Someone in a list of the outcome: a listed candidate (`id`) or a write-in (`id` null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contender {
    pub id: Option<String>,
    pub name: String,
    #[serde(rename = "for")]
    pub for_votes: u64,
}

/// 再次投票 among the tied (F2): the system proposes it, the organiser opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runoff {
    /// Seats the tied candidates contest.
    pub seats: u32,
    /// The tied candidates, in ballot order (write-ins last).
    pub candidates: Vec<Contender>,
    pub explanation: String,
}

/// 另行选举 for the seats left after a shortfall (F3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplementary {
    /// Seats still to fill.
    pub seats: u32,
    /// Candidates C2's margin requires for those seats: max(seats + 1, ceil(1.2 x seats)).
    pub required: u32,
    /// Listed candidates not elected, by first-round for-votes (most first, then ballot
    /// order): the first `required`, plus any tied with the last of them; or all of them
    /// when there are too few.
    pub candidates: Vec<Contender>,
    /// `false`: fewer candidates remain than the margin needs; the organiser must nominate
    /// more or reduce the seats (recording the reason).
    pub sufficient: bool,
    pub explanation: String,
}

/// A 表决's counts and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionResult {
    /// Over valid ballots: `votes.total() == valid`.
    pub votes: MarkCounts,
    /// 通过.
    pub passed: bool,
    pub explanation: String,
}
