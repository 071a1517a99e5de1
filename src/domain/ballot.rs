//! Ballot content and validity (rules E2, E3, E5) and the ballot's public JSON
//! (`docs/formats.md`, "Ballot").
//!
//! A ballot says nothing about who cast it (E1): congress, contest, the choices, and its
//! paper's serial (v2: the random token and the contest key's signature over it, the same on
//! phone and paper ballots; v1, still read: a random id and `"paper":true` on paper ballots).
//! Canonical bytes and hashes belong to `crypto`; this module only builds and reads
//! `serde_json::Value`s and checks the serial's spelling, never its signature.
//!
//! Validity is decided here once, for the tally, the verifier and the voting page alike. An
//! invalid ballot (废票) is never dropped: it is published and counted as invalid (E2).

mod json;
mod paper;

#[cfg(test)]
mod paper_tests;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use json::is_canonical_base64;
pub use paper::{ElectionPaper, PaperReader};

/// The ballot format version written (`"v"`): 2, signed ballot papers.
pub const FORMAT_VERSION: u64 = 2;
/// The earlier format, still read (boards of packets made before signed ballot papers).
pub const FORMAT_VERSION_1: u64 = 1;
/// Hex characters of a v2 token (64 bytes: a 32-byte random prefix and a 32-byte message).
pub const TOKEN_HEX_LEN: usize = 128;
/// Key of the write-ins inside an election's `choices`; never a candidate id.
pub const WRITE_IN_KEY: &str = "write_in";
/// Key of a motion's vote inside `choices`; never a candidate id, so the two kinds of
/// `choices` object cannot be confused.
pub const VOTE_KEY: &str = "vote";
/// Key of a review's grid inside `choices` (述职评议, rule H2); never a candidate id.
pub const REVIEW_KEY: &str = "review";
/// Longest write-in name accepted, in characters.
pub const MAX_WRITE_IN_CHARS: usize = 50;

/// One mark: 赞成 / 不赞成 (反对 on a motion) / 弃权.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    For,
    Against,
    Abstain,
}

impl Mark {
    /// Every mark, in the order the counts are listed.
    pub const ALL: [Mark; 3] = [Mark::For, Mark::Against, Mark::Abstain];

    /// The JSON spelling: `"for"`, `"against"`, `"abstain"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::For => "for",
            Mark::Against => "against",
            Mark::Abstain => "abstain",
        }
    }

    /// Reads the exact JSON spelling (nothing else: the board is machine-written).
    pub fn parse(s: &str) -> Option<Mark> {
        Mark::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The wording on an election ballot: 赞成 / 不赞成 / 弃权.
    pub fn zh(self) -> &'static str {
        match self {
            Mark::For => "赞成",
            Mark::Against => "不赞成",
            Mark::Abstain => "弃权",
        }
    }

    /// The wording on a motion ballot: 赞成 / 反对 / 弃权.
    pub fn zh_motion(self) -> &'static str {
        match self {
            Mark::Against => "反对",
            other => other.zh(),
        }
    }

    /// Position in [`Mark::ALL`], for counting in arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What a ballot says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choices {
    /// 选举: every candidate id on the paper with its mark, plus the write-ins (另选他人).
    Election {
        marks: BTreeMap<String, Mark>,
        write_ins: Vec<String>,
    },
    /// 表决.
    Motion { vote: Mark },
    /// A paper motion ballot marked other than once, entered as it is (E5, issue 12.5): the
    /// marks made, in [`Mark::ALL`] order, none for a blank paper; always 废票. Written as
    /// `{"vote":[..]}`; a single mark is always [`Choices::Motion`].
    MotionMarks { marks: Vec<Mark> },
    /// 述职评议 (H2): one row per person under review, one cell per dimension, each the
    /// position of a grade (0 = the best). Written as `{"review":[[..],..]}`.
    Review { grid: Vec<Vec<u32>> },
}

/// One ballot as stored and published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub congress: String,
    pub contest: String,
    pub choices: Choices,
    /// What makes it one of the ballots issued.
    pub serial: Serial,
}

/// A ballot's serial: what distinguishes it from every other ballot of its contest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serial {
    /// v2: the paper's token (128 lower-case hex) and the contest key's RSASSA-PSS signature
    /// over the token's 64 bytes (standard padded base64). Phone and paper ballots alike.
    Signed { token: String, token_sig: String },
    /// v1 (read only): a random id, and whether the scrutineers entered it from paper (E5).
    Unsigned { id: String, paper: bool },
}

impl Ballot {
    /// A v2 ballot.
    pub fn signed(
        congress: &str,
        contest: &str,
        choices: Choices,
        token: &str,
        token_sig: &str,
    ) -> Ballot {
        Ballot {
            congress: congress.to_string(),
            contest: contest.to_string(),
            choices,
            serial: Serial::Signed {
                token: token.to_string(),
                token_sig: token_sig.to_string(),
            },
        }
    }

    /// The format version of this ballot's JSON.
    pub fn version(&self) -> u64 {
        match self.serial {
            Serial::Signed { .. } => FORMAT_VERSION,
            Serial::Unsigned { .. } => FORMAT_VERSION_1,
        }
    }
}

/// Whether `token` is spelled as a v2 token: exactly 128 lower-case hex characters.
pub fn is_token_hex(token: &str) -> bool {
    token.len() == TOKEN_HEX_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether a ballot counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "validity")]
pub enum Validity {
    Valid,
    /// 废票, with the reason in Chinese.
    Invalid {
        reason: String,
    },
}

impl Validity {
    pub fn is_valid(&self) -> bool {
        matches!(self, Validity::Valid)
    }
}

/// Why a ballot is invalid (废票), as data; [`fmt::Display`] gives the Chinese sentence and
/// [`InvalidReason::category`] the short heading the tally groups by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidReason {
    /// A motion ballot in an election.
    NotElection,
    /// A review paper (述职评议表) in an election or a motion.
    NotVote,
    /// An election ballot on a motion.
    NotMotion,
    /// The ballot names a candidate id that is not on the paper.
    UnknownCandidate { id: String },
    /// The ballot lacks a candidate of the paper.
    MissingCandidate { id: String },
    /// Write-ins on a contest that does not allow them.
    WriteInNotAllowed,
    /// A write-in is the name of a listed candidate (E2).
    WriteInIsCandidate { name: String },
    /// A write-in that is empty, untrimmed, too long or repeated.
    WriteInMalformed { name: String },
    /// A motion paper with no mark (空白票).
    MotionBlank,
    /// A motion paper with more than one mark, e.g. both 赞成 and 反对.
    MotionMarkedTwice { marks: Vec<Mark> },
    /// More for-marks + write-ins than seats (E2).
    OverVoted {
        for_marks: u64,
        write_ins: u64,
        seats: u32,
    },
}

impl InvalidReason {
    /// A short Chinese heading, the same for every ballot with this kind of fault.
    pub fn category(&self) -> &'static str {
        match self {
            InvalidReason::NotElection => "选举中投入表决票",
            InvalidReason::NotVote => "投入述职评议表",
            InvalidReason::NotMotion => "表决中投入选举票",
            InvalidReason::UnknownCandidate { .. } => "含非本选票候选人",
            InvalidReason::MissingCandidate { .. } => "缺少候选人",
            InvalidReason::WriteInNotAllowed => "本次选举不允许另选他人",
            InvalidReason::WriteInIsCandidate { .. } => "另选他人为已列候选人",
            InvalidReason::WriteInMalformed { .. } => "另选他人姓名无效",
            InvalidReason::MotionBlank => "空白票",
            InvalidReason::MotionMarkedTwice { .. } => "表决票标记多于一项",
            InvalidReason::OverVoted { .. } => "赞成及另选人数超过应选名额",
        }
    }
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidReason::NotElection => write!(f, "这是表决票, 不能用于选举"),
            InvalidReason::NotVote => write!(f, "这是述职评议表, 不能用于选举或表决"),
            InvalidReason::NotMotion => write!(f, "这是选举票, 不能用于表决"),
            InvalidReason::UnknownCandidate { id } => {
                write!(f, "选票含有本次选举没有的候选人编号 {id}")
            }
            InvalidReason::MissingCandidate { id } => {
                write!(f, "选票缺少候选人编号 {id} 的标记")
            }
            InvalidReason::WriteInNotAllowed => write!(f, "本次选举不允许另选他人, 选票却填写了"),
            InvalidReason::WriteInIsCandidate { name } => {
                write!(f, "另选他人 \"{name}\" 是已列候选人 (规则 E2)")
            }
            InvalidReason::WriteInMalformed { name } => write!(
                f,
                "另选他人 \"{name}\" 无效 (空白、首尾有空格、重复或超过 {MAX_WRITE_IN_CHARS} 字)"
            ),
            InvalidReason::MotionBlank => {
                write!(f, "表决票未作任何标记 (空白票), 为废票 (规则 E3)")
            }
            InvalidReason::MotionMarkedTwice { marks } => {
                let names: Vec<&str> = marks.iter().map(|m| m.zh_motion()).collect();
                write!(
                    f,
                    "表决票同时标记了{}, 无法确定表决意见, 为废票 (规则 E3)",
                    names.join("和")
                )
            }
            InvalidReason::OverVoted {
                for_marks,
                write_ins,
                seats,
            } => write!(
                f,
                "赞成 {for_marks} 人 + 另选他人 {write_ins} 人 = {} 人, 超过应选名额 {seats} 名, \
                 为废票 (规则 E2)",
                for_marks + write_ins
            ),
        }
    }
}

impl From<InvalidReason> for Validity {
    fn from(r: InvalidReason) -> Self {
        Validity::Invalid {
            reason: r.to_string(),
        }
    }
}

/// Reads a motion ballot (E3): any motion vote counts; an election ballot does not.
pub fn read_motion(choices: &Choices) -> Result<Mark, InvalidReason> {
    match choices {
        Choices::Motion { vote } => Ok(*vote),
        Choices::MotionMarks { marks } if marks.is_empty() => Err(InvalidReason::MotionBlank),
        Choices::MotionMarks { marks } => Err(InvalidReason::MotionMarkedTwice {
            marks: marks.clone(),
        }),
        Choices::Election { .. } => Err(InvalidReason::NotMotion),
        Choices::Review { .. } => Err(InvalidReason::NotVote),
    }
}

/// A motion paper as marked (E5): exactly one mark is an ordinary vote; none or several are
/// kept as they are ([`Choices::MotionMarks`], 废票). Marks are put in [`Mark::ALL`] order.
pub fn motion_as_marked(marks: &[Mark]) -> Choices {
    let marks: Vec<Mark> = Mark::ALL
        .into_iter()
        .filter(|m| marks.contains(m))
        .collect();
    match marks.as_slice() {
        [one] => Choices::Motion { vote: *one },
        _ => Choices::MotionMarks { marks },
    }
}

/// A motion ballot's validity (E3), see [`read_motion`].
pub fn motion_validity(choices: &Choices) -> Validity {
    match read_motion(choices) {
        Ok(_) => Validity::Valid,
        Err(reason) => reason.into(),
    }
}

/// Errors building a ballot from what a delegate marked, reading a published ballot, or
/// checking a ballot paper. Messages name the field and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("选票应为 JSON 对象{place}")]
    NotObject { place: &'static str },
    #[error("选票格式版本应为 2 (或旧版 1), 实为 {found}")]
    Version { found: String },
    #[error("选票的 token 应为 128 个小写十六进制字符, 实为 {found}")]
    BadToken { found: String },
    #[error("选票的 token_sig 应为标准 base64 (带填充) 编码的签名")]
    BadTokenSig,
    #[error("选票缺少字段 \"{key}\"")]
    MissingKey { key: &'static str },
    #[error("选票含有未知字段 \"{key}\" ({place})")]
    UnknownKey { key: String, place: &'static str },
    #[error("选票字段 \"{key}\" 应为{expected}")]
    WrongType { key: String, expected: &'static str },
    #[error("选票字段 \"{key}\" 不能为空")]
    Empty { key: &'static str },
    #[error("\"paper\" 只能为 true (v1 手机投票的选票不带此字段)")]
    PaperNotTrue,
    #[error("表决票的 \"vote\" 列表应为不重复、按 for、against、abstain 顺序排列且不是恰好一项的标记 (恰好一项时写作字符串), 实为 {found}")]
    BadMotionMarks { found: String },
    #[error("述职评议表的 \"review\" 应为由非负整数数组组成的数组 (每位被评议人一行, 每个评议项目一个等次序号), 实为 {found}")]
    BadReviewGrid { found: String },
    #[error("\"{key}\" 的标记 {found} 无效, 应为 for / against / abstain")]
    BadMark { key: String, found: String },
    #[error("候选人编号 {id} 不在本次选票上")]
    UnknownCandidate { id: String },
    #[error("本次选举不允许另选他人")]
    WriteInNotAllowed,
    #[error("另选他人 \"{name}\" 是已列候选人, 请直接在该候选人处标记 (规则 E2)")]
    WriteInIsCandidate { name: String },
    #[error("另选他人第 {position} 个姓名为空")]
    WriteInEmpty { position: usize },
    #[error("另选他人 \"{name}\" 重复填写")]
    WriteInDuplicate { name: String },
    #[error("另选他人 \"{name}\" 有 {chars} 个字, 最多 {MAX_WRITE_IN_CHARS} 个字")]
    WriteInTooLong { name: String, chars: usize },
    #[error("另选他人 \"{name}\" 首尾不能有空格")]
    WriteInUntrimmed { name: String },
    #[error("选票的应选名额不能为 0")]
    NoSeats,
    #[error("候选人编号不能为空 (第 {position} 位候选人)")]
    EmptyCandidateId { position: usize },
    #[error("候选人编号 \"{id}\" 是保留字, 不能使用")]
    ReservedCandidateId { id: String },
    #[error("候选人编号 \"{id}\" 重复")]
    DuplicateCandidateId { id: String },
    #[error("候选人编号有 {ids} 个, 姓名却有 {names} 个")]
    NamesMismatch { ids: usize, names: usize },
}
