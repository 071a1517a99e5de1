//! The published artefacts of `docs/formats.md` as Rust types: the board of a contest,
//! the certified record (选举结果报告), its addenda (党委批准, 备案), and the filing packet's
//! file layout. These are the contract with observers and the league office: every field
//! here is serialised as canonical JSON, integers only, and changing one is a format change.

use serde::{Deserialize, Serialize};

use crate::domain::settings::{RuleProfile, Threshold};
use crate::domain::tally::ContestResult;

/// Format version of records and addenda.
pub const VERSION: u32 = 1;
/// Format version of the boards written: 2, signed ballots and the contest key on the board.
pub const BOARD_VERSION: u32 = 2;
/// The earlier board format (unsigned v1 ballots), still verified.
pub const BOARD_VERSION_1: u32 = 1;

/// Files of the filing packet (relative paths).
pub const RECORD_FILE: &str = "record.json";
pub const RECORD_SIG_FILE: &str = "record.sig";
pub const PUBLIC_KEY_FILE: &str = "congress.pub.pem";
pub const ROSTER_SUMMARY_FILE: &str = "roster-summary.json";
pub const REPORT_FILE: &str = "report.html";
pub const VERIFY_FILE: &str = "VERIFY.txt";
/// The standard-library Python 3 verifier that VERIFY.txt also prints in full.
pub const VERIFY_SCRIPT_FILE: &str = "verify_packet.py";
pub const BOARDS_DIR: &str = "boards";
pub const ROLLS_DIR: &str = "rolls";
pub const ADDENDA_DIR: &str = "addenda";
/// Each contest's public ballot-paper key, `keys/<contest>.pub.pem` (v2 packets).
pub const KEYS_DIR: &str = "keys";

/// `kind` of a board.
pub const BOARD_KIND: &str = "board";
/// `kind` of the certified record.
pub const RECORD_KIND: &str = "record";
/// `kind` of a contest: 选举.
pub const ELECTION: &str = "election";
/// `kind` of a contest: 表决.
pub const MOTION: &str = "motion";
/// `kind` of a contest: 述职评议 (rules H1-H5).
pub const REVIEW: &str = "review";
/// The kinds of addenda: 党委批准 and 备案 (rule G3).
pub const ADDENDUM_KINDS: [&str; 2] = ["approval", "filing"];

/// Whether `id` may name a contest's files: `[A-Za-z0-9_-]{1,64}`, so that a contest id can
/// never climb out of `boards/` or `rolls/` (no `/`, no `..`, no dot at all).
pub fn is_file_safe_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `boards/<contest>.board.json`
pub fn board_path(contest_id: &str) -> String {
    format!("{BOARDS_DIR}/{contest_id}.board.json")
}

/// `rolls/<contest>.csv`
pub fn roll_path(contest_id: &str) -> String {
    format!("{ROLLS_DIR}/{contest_id}.csv")
}

/// `keys/<contest>.pub.pem`
pub fn contest_key_path(contest_id: &str) -> String {
    format!("{KEYS_DIR}/{contest_id}.pub.pem")
}

/// The public board of one contest (公示). `ballots` are the ballot objects exactly as
/// stored, sorted by their hash; `merkle_root` is the RFC 6962 root over those hashes.
/// Version 2 adds how many of the ballots the scrutineers entered from paper (never which)
/// and the contest's public ballot-paper key, which signed every ballot's token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    pub v: u32,
    pub kind: String,
    pub congress: String,
    pub contest: String,
    pub ballots: Vec<serde_json::Value>,
    pub issued: u64,
    pub cast: u64,
    /// v2: paper ballots among `cast`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<u64>,
    pub merkle_root: String,
    /// v2: the contest key, SubjectPublicKeyInfo PEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contest_key: Option<String>,
    /// v2: SHA-256 of the contest key's SubjectPublicKeyInfo DER, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contest_key_fingerprint: Option<String>,
}

/// A candidate as the record names them (ballot order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordCandidate {
    pub id: String,
    pub name: String,
    pub college: String,
    /// The organiser's reason when an ineligible candidate stood anyway (rule C3).
    pub eligibility_override: Option<String>,
}

/// How a contest's board is bound into the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardRef {
    /// `boards/<contest>.board.json`
    pub file: String,
    /// SHA-256 of the board file's bytes.
    pub sha256: String,
    pub merkle_root: String,
    pub issued: u64,
    pub cast: u64,
    /// `rolls/<contest>.csv`
    pub roll_file: String,
    /// SHA-256 of the roll file's bytes.
    pub roll_sha256: String,
    /// Delegates on the roll (phone voters and delegates handed a paper ballot).
    pub roll_count: u64,
}

/// One contest in the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordContest {
    pub id: String,
    /// election | motion
    pub kind: String,
    pub title: String,
    /// The motion's text, or the election's description.
    pub text: String,
    pub agenda_order: u32,
    /// work_report | charter | other | removal (motions only; a removal's one candidate is
    /// the presidium member it names)
    pub motion_kind: Option<String>,
    /// runoff (再次投票) | supplementary (另行选举): a further round of `parent`.
    pub round_kind: Option<String>,
    pub parent: Option<String>,
    pub seats: Option<u32>,
    pub allow_write_in: bool,
    pub candidates: Vec<RecordCandidate>,
    /// The 等额 / reduced-margin reason recorded by the organiser (rule C2).
    pub margin_override: Option<String>,
    /// presidium | committee | standing | other (elections; absent in records before issue 12,
    /// which were all presidium elections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub election_kind: Option<String>,
    pub threshold: Threshold,
    /// The organiser's reason for a threshold other than the rules' default (F1 setting, F4
    /// default); absent when the default applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_reason: Option<String>,
    /// 实到 when the contest opened (= ballots issued) and 应到 then.
    pub present_at_opening: u64,
    pub expected_at_opening: u64,
    pub quorum_met: bool,
    pub board: BoardRef,
    pub result: ContestResult,
    /// The further rounds this contest's count proposed that the organiser decided not to
    /// hold (F2, F3), with the reason and the seats left empty; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds_not_held: Vec<RoundNotHeld>,
    /// A 述职评议's definition (persons, dimensions, grades, favourable grades: rule H1);
    /// absent on elections and motions. Its `threshold` is the follow-up threshold (H4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<crate::domain::review::ReviewDefinition>,
    /// A 评议会 counting its participants apart (rule I7): their separate tally, never part of
    /// `result`; absent otherwise (and in every record made before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<RecordParticipants>,
}

/// The participants' separate tally of a contest (rule I7): their own board (their ballots,
/// signed with the contest's participants' key), roll and result, computed under the same
/// rules with the participants' figures. Not part of the contest's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordParticipants {
    /// [`PARTICIPANTS_LABEL`].
    pub label: String,
    /// Participants listed when the contest opened (their 应到 in `result`'s thresholds).
    pub listed: u64,
    /// Participants present when it opened: their papers issued.
    pub present_at_opening: u64,
    /// `boards/<contest>-participants.board.json`, `rolls/<contest>-participants.csv`.
    pub board: BoardRef,
    /// The participants' tally: the contest's rules over their ballots.
    pub result: ContestResult,
}

/// The label of a participants' tally in the record and wherever it is shown.
pub const PARTICIPANTS_LABEL: &str = "列席评议人员 (分开计票, 不计入结果)";

/// The packet id of a contest's participants' board, roll and key: `<contest>-participants`.
pub fn participants_id(contest_id: &str) -> String {
    format!("{contest_id}-participants")
}

/// The header row of a participants' roll: list position, name, unit.
pub const PARTICIPANT_ROLL_HEADER: [&str; 3] = ["序号", "姓名", "单位"];

impl Record {
    /// The ids of every board, roll and contest key the packet holds: each contest's, and
    /// `<contest>-participants` for a contest with a participants' tally.
    pub fn board_ids(&self) -> Vec<String> {
        let mut out = Vec::new();
        for c in &self.contests {
            out.push(c.id.clone());
            if c.participants.is_some() {
                out.push(participants_id(&c.id));
            }
        }
        out
    }
}

/// A proposed 再次投票 / 另行选举 not held (F2, F3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundNotHeld {
    /// runoff | supplementary
    pub round_kind: String,
    pub title: String,
    /// The round's seats, left empty.
    pub seats_left_empty: u32,
    pub reason: String,
}

/// A scrutineer named by the organiser (rule G2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordScrutineer {
    /// chief (总监票人) | scrutineer (监票人) | counter (计票人)
    pub role: String,
    pub role_zh: String,
    pub name: String,
}

/// The congress as the record names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordCongress {
    pub id: String,
    pub name: String,
    pub school: String,
    /// school | college
    pub level: String,
    pub level_zh: String,
    pub session_no: u32,
    pub date: String,
    pub place: String,
}

/// Delegate totals (rule D1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDelegates {
    /// Delegates on the frozen roster.
    pub roster: u64,
    /// Approved absences (请假).
    pub absences: u64,
    /// 应到
    pub expected: u64,
}

/// The certified result record (选举结果报告), signed as `record.sig`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub v: u32,
    pub kind: String,
    pub congress: RecordCongress,
    /// Every setting the results were computed under.
    pub settings: RuleProfile,
    pub delegates: RecordDelegates,
    /// e.g. "超过2/3"
    pub quorum_rule: String,
    pub contests: Vec<RecordContest>,
    pub scrutineers: Vec<RecordScrutineer>,
    /// SHA-256 of `roster-summary.json`.
    pub roster_summary_sha256: String,
    /// SHA-256 of the 32 raw public-key bytes, hex.
    pub key_fingerprint: String,
    /// When it was signed, RFC 3339 in China Standard Time.
    pub signed_at: String,
}

/// An addendum to a signed record: 党委批准 (`approval`) or 备案 (`filing`), itself signed
/// (`addenda/<kind>.json` + `addenda/<kind>.sig`). It references the record by hash and never
/// changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addendum {
    pub v: u32,
    /// approval | filing
    pub kind: String,
    pub congress: String,
    /// SHA-256 of `record.json`.
    pub record_sha256: String,
    /// approval: the approving body (同级党委); filing: the receiving body (上级学联/团委).
    pub body: String,
    /// approval: reference number (文号); filing: None.
    pub reference: Option<String>,
    /// YYYY-MM-DD
    pub date: String,
    /// When the organiser recorded it, RFC 3339.
    pub recorded_at: String,
    /// A correction: SHA-256 of the addendum file of the same kind that it replaces (the
    /// previous one in sequence). Absent on the first addendum of a kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
    /// A correction's reason (required with `corrects`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The packet name of the `n`-th addendum of `kind` (1-based): `approval`, then
/// `approval-2`, `approval-3`... for corrections.
pub fn addendum_name(kind: &str, n: usize) -> String {
    if n <= 1 {
        kind.to_string()
    } else {
        format!("{kind}-{n}")
    }
}

/// The kind and sequence number of an addendum name (`filing-2` -> (`filing`, 2)); `None`
/// for anything else.
pub fn parse_addendum_name(name: &str) -> Option<(&'static str, usize)> {
    ADDENDUM_KINDS.iter().find_map(|k| {
        let rest = name.strip_prefix(k)?;
        if rest.is_empty() {
            return Some((*k, 1));
        }
        let n = rest.strip_prefix('-')?;
        let ok = !n.is_empty() && !n.starts_with('0') && n.len() <= 4;
        let n: usize = n.parse().ok().filter(|_| ok)?;
        (n >= 2).then_some((*k, n))
    })
}

/// `addenda/<name>.json`
pub fn addendum_path(name: &str) -> String {
    format!("{ADDENDA_DIR}/{name}.json")
}

/// `addenda/<name>.sig`
pub fn addendum_sig_path(name: &str) -> String {
    format!("{ADDENDA_DIR}/{name}.sig")
}
