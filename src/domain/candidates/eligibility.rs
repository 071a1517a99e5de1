//! Rule C3: who may stand for the presidium (political status, academic ranking, no failed
//! course), checked criterion by criterion so the record can show each one.

use serde::{Deserialize, Serialize};

use super::Candidate;
use crate::domain::settings::RuleProfile;

/// The political statuses C3 accepts (政治面貌).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoliticalStatus {
    /// 中共党员
    PartyMember,
    /// 中共预备党员
    ProbationaryPartyMember,
    /// 共青团员
    LeagueMember,
}

impl PoliticalStatus {
    /// The standard wording (GB/T 4762 short forms).
    pub fn zh(self) -> &'static str {
        match self {
            PoliticalStatus::PartyMember => "中共党员",
            PoliticalStatus::ProbationaryPartyMember => "中共预备党员",
            PoliticalStatus::LeagueMember => "共青团员",
        }
    }

    /// Reads the free text of an import into one of the accepted statuses.
    ///
    /// Spaces are ignored and full-width brackets count as ASCII ones; a bracketed remark
    /// after the status is ignored ("共青团员(团员)", "团员（共青团员）"), except that "预备"
    /// anywhere makes a Party member probationary ("中共党员(预备)"). Accepted, with variants:
    /// 中共党员 / 中国共产党党员 / 共产党员 / 党员 / 中共正式党员 / GB/T 4762 code 01;
    /// 中共预备党员 / 中国共产党预备党员 / 预备党员 / 02; 共青团员 / 中国共产主义青年团团员 /
    /// 共青团团员 / 团员 / 03. Anything else (群众, 入党积极分子, 民主党派, blank) is `None`.
    pub fn parse(raw: &str) -> Option<PoliticalStatus> {
        let text: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                other => other,
            })
            .collect();
        let base = text.split('(').next().unwrap_or_default();
        match base {
            "中共党员"
            | "中国共产党党员"
            | "共产党员"
            | "党员"
            | "中共正式党员"
            | "正式党员"
            | "01" => Some(if text.contains("预备") {
                PoliticalStatus::ProbationaryPartyMember
            } else {
                PoliticalStatus::PartyMember
            }),
            "中共预备党员" | "中国共产党预备党员" | "预备党员" | "02" => {
                Some(PoliticalStatus::ProbationaryPartyMember)
            }
            "共青团员" | "中国共产主义青年团团员" | "共青团团员" | "团员" | "03" => {
                Some(PoliticalStatus::LeagueMember)
            }
            _ => None,
        }
    }
}

/// The C3 check of one candidate, criterion by criterion, as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// 中共党员, 中共预备党员 or 共青团员 (see [`PoliticalStatus::parse`]).
    pub political_ok: bool,
    /// Ranked within the profile's top N% of the major; an unknown ranking is not ok.
    pub rank_ok: bool,
    /// No failed course.
    pub failed_ok: bool,
    /// All three criteria hold.
    pub eligible: bool,
    /// Not eligible, but the organiser recorded an override with a reason.
    pub overridden: bool,
    /// The organiser's reason when `overridden`.
    pub override_reason: Option<String>,
    /// One Chinese sentence per failing criterion, in the order political, rank, failed.
    pub reasons: Vec<String>,
}

/// The wording of the political requirement, shared by the messages.
const POLITICAL_REQUIREMENT: &str = "须为中共党员、中共预备党员或共青团员";

/// One C3 criterion a candidate fails, with the figures its violation reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Shortfall {
    /// Political: 1 (an accepted status); rank: the top-N% limit; failed courses: 0.
    pub required: i64,
    /// Political: 0; rank: the candidate's percentage, -1 when not provided; failed: the count.
    pub found: i64,
    pub message: String,
}

/// The three criteria of C3, each `None` when met.
struct Criteria {
    political: Option<Shortfall>,
    rank: Option<Shortfall>,
    failed: Option<Shortfall>,
}

fn criteria(c: &Candidate, profile: &RuleProfile) -> Criteria {
    let status = c.political_status.trim();
    let political = PoliticalStatus::parse(status).is_none().then(|| Shortfall {
        required: 1,
        found: 0,
        message: if status.is_empty() {
            format!("政治面貌未填写，{POLITICAL_REQUIREMENT}")
        } else {
            format!("政治面貌为“{status}”，{POLITICAL_REQUIREMENT}")
        },
    });

    let limit = profile.eligibility_rank_pct;
    let rank_shortfall = |found: i64, message: String| Shortfall {
        required: i64::from(limit),
        found,
        message,
    };
    let rank = match c.rank_pct {
        None => Some(rank_shortfall(
            -1,
            format!("未提供专业排名，须在专业前{limit}%以内"),
        )),
        Some(p) if p > 100 => Some(rank_shortfall(
            i64::from(p),
            format!("专业排名百分比{p}%无效（应在0到100之间）"),
        )),
        Some(p) if p > limit => Some(rank_shortfall(
            i64::from(p),
            format!("专业排名前{p}%，须在前{limit}%以内"),
        )),
        Some(_) => None,
    };

    let failed = (c.failed_courses > 0).then(|| Shortfall {
        required: 0,
        found: i64::from(c.failed_courses),
        message: format!("有{}门课程不及格，须无不及格课程", c.failed_courses),
    });

    Criteria {
        political,
        rank,
        failed,
    }
}

/// The failing criteria of `c`, in the order political, rank, failed courses.
pub(super) fn shortfalls(c: &Candidate, profile: &RuleProfile) -> Vec<Shortfall> {
    let k = criteria(c, profile);
    [k.political, k.rank, k.failed]
        .into_iter()
        .flatten()
        .collect()
}

/// Checks rule C3 for `c` under `profile.eligibility_rank_pct`.
pub fn eligibility(c: &Candidate, profile: &RuleProfile) -> Eligibility {
    let k = criteria(c, profile);
    let (political_ok, rank_ok, failed_ok) =
        (k.political.is_none(), k.rank.is_none(), k.failed.is_none());
    let eligible = political_ok && rank_ok && failed_ok;
    let override_reason = override_reason(c).filter(|_| !eligible);
    Eligibility {
        political_ok,
        rank_ok,
        failed_ok,
        eligible,
        overridden: override_reason.is_some(),
        override_reason,
        reasons: [k.political, k.rank, k.failed]
            .into_iter()
            .flatten()
            .map(|s| s.message)
            .collect(),
    }
}

/// The organiser's override reason, trimmed; a blank reason is no override.
fn override_reason(c: &Candidate) -> Option<String> {
    c.eligibility_override
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}
