//! The JSON shapes of the contests API and their conversions from the service's types.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::candidates::ElectionKind;
use crate::domain::candidates::{eligibility, Candidate};
use crate::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use crate::domain::ids::ContestId;
use crate::domain::settings::{Fraction, RuleProfile, Threshold, ThresholdBase};
use crate::domain::strokes::describe_char;
use crate::domain::types::{Gender, Violation};
use crate::service::contests::{self as svc, CandidateData, ContestView, ThresholdPreset};
use crate::web::error::WebError;

/// A threshold: `num/den` of `base`, strictly more (`strict`) or at least.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct ThresholdJson {
    /// present (实到) | valid_ballots (有效票) | roster (应到)
    #[schema(value_type = String)]
    pub base: ThresholdBase,
    pub num: u32,
    pub den: u32,
    /// true: 超过 (>); false: 达到 (>=).
    pub strict: bool,
}

impl From<Threshold> for ThresholdJson {
    fn from(t: Threshold) -> Self {
        ThresholdJson {
            base: t.base,
            num: t.fraction.num,
            den: t.fraction.den,
            strict: t.fraction.strict,
        }
    }
}

impl From<ThresholdJson> for Threshold {
    fn from(t: ThresholdJson) -> Self {
        Threshold {
            base: t.base,
            fraction: Fraction::new(t.num, t.den, t.strict),
        }
    }
}

/// A rule violation or recorded override (`warning: true`).
#[derive(Serialize, ToSchema)]
pub struct ViolationJson {
    /// Rule id of rules.md, e.g. "C2".
    pub rule: String,
    pub college: Option<String>,
    pub required: i64,
    pub found: i64,
    pub message: String,
    pub warning: bool,
}

impl From<&Violation> for ViolationJson {
    fn from(v: &Violation) -> Self {
        ViolationJson {
            rule: v.rule.clone(),
            college: v.college.clone(),
            required: v.required,
            found: v.found,
            message: v.message.clone(),
            warning: v.warning,
        }
    }
}

/// A candidate with their place on the ballot and the C3 check.
#[derive(Serialize, ToSchema)]
pub struct CandidateJson {
    /// The id on ballots.
    pub id: String,
    /// 1-based position on the ballot paper (C4).
    pub ballot_position: usize,
    /// Order of entry.
    pub organiser_order: u32,
    pub name: String,
    /// The surname's stroke data, e.g. "王：4画，横横竖横".
    pub surname_strokes: String,
    pub student_no: String,
    pub college: String,
    /// male | female
    pub gender: Option<String>,
    pub political_status: String,
    pub rank_pct: Option<u32>,
    pub failed_courses: u32,
    pub eligible: bool,
    /// Not eligible, admitted with the organiser's reason.
    pub overridden: bool,
    pub eligibility_override: Option<String>,
    /// One sentence per failed C3 criterion.
    pub eligibility_reasons: Vec<String>,
}

pub fn candidate_json(c: &Candidate, position: usize, profile: &RuleProfile) -> CandidateJson {
    let e = eligibility(c, profile);
    CandidateJson {
        id: c.id.clone(),
        ballot_position: position,
        organiser_order: c.organiser_order,
        name: c.name.clone(),
        surname_strokes: c.name.chars().next().map(describe_char).unwrap_or_default(),
        student_no: c.student_no.clone(),
        college: c.college.clone(),
        gender: c.gender.map(|g| gender_str(g).to_string()),
        political_status: c.political_status.clone(),
        rank_pct: c.rank_pct,
        failed_courses: c.failed_courses,
        eligible: e.eligible,
        overridden: e.overridden,
        eligibility_override: e.override_reason,
        eligibility_reasons: e.reasons,
    }
}

fn gender_str(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

/// A contest with its candidates (ballot order) and readiness.
#[derive(Serialize, ToSchema)]
pub struct ContestJson {
    pub id: String,
    /// election | motion
    pub kind: String,
    /// work_report | charter | other (motions)
    pub motion_kind: Option<String>,
    pub title: String,
    pub body: String,
    /// 1-based position on the agenda.
    pub agenda_order: u32,
    pub seats: Option<u32>,
    pub allow_write_in: bool,
    pub threshold: ThresholdJson,
    /// The threshold in words, e.g. "赞成票超过1/2实到代表数".
    pub threshold_text: String,
    /// The organiser's reason for 等额 or a reduced margin (C2).
    pub margin_override: Option<String>,
    /// presidium | committee | standing | other (elections only).
    pub election_kind: Option<String>,
    /// 主席团 | 委员会 | 常任代表 | 其他
    pub election_kind_zh: Option<String>,
    /// The organiser's reason for a threshold other than the rules' default.
    pub threshold_reason: Option<String>,
    /// runoff (再次投票) | supplementary (另行选举): a round proposed by `parent`'s count.
    pub round_kind: Option<String>,
    pub parent: Option<String>,
    /// A proposed round not held, and why (F2, F3).
    pub not_held_reason: Option<String>,
    /// draft | open | closed | final
    pub state: String,
    pub state_zh: String,
    pub candidates: Vec<CandidateJson>,
    /// May open: no violation except warnings.
    pub ready: bool,
    pub readiness: Vec<ViolationJson>,
}

pub fn contest_json(v: &ContestView, profile: &RuleProfile) -> ContestJson {
    let c = &v.contest;
    ContestJson {
        id: c.id.to_string(),
        kind: c.kind.as_str().to_string(),
        motion_kind: c.def.motion_kind.map(|m| m.as_str().to_string()),
        title: c.def.title.clone(),
        body: c.def.body.clone(),
        agenda_order: c.agenda_order,
        seats: c.def.seats,
        allow_write_in: c.def.allow_write_in,
        threshold: c.def.threshold.into(),
        threshold_text: c.def.threshold.zh(),
        margin_override: c.def.margin_override.clone(),
        election_kind: c.def.kind_of_election().map(|k| k.as_str().to_string()),
        election_kind_zh: c.def.kind_of_election().map(|k| k.zh().to_string()),
        threshold_reason: c.def.threshold_reason.clone(),
        round_kind: c.round_kind.map(|r| r.as_str().to_string()),
        parent: c.parent_id.clone().map(ContestId::into_string),
        not_held_reason: c.not_held_reason.clone(),
        state: c.state.as_str().to_string(),
        state_zh: c.state.zh().to_string(),
        candidates: v
            .candidates
            .iter()
            .enumerate()
            .map(|(i, k)| candidate_json(k, i + 1, profile))
            .collect(),
        ready: v.ready(),
        readiness: v.readiness.iter().map(ViolationJson::from).collect(),
    }
}

/// A contest to create or replace.
#[derive(Deserialize, ToSchema)]
pub struct ContestBody {
    /// election | motion (required to create; cannot change)
    #[schema(value_type = Option<String>)]
    pub kind: Option<ContestKind>,
    pub title: String,
    #[serde(default)]
    pub body: String,
    /// work_report | charter | other (motions)
    #[schema(value_type = Option<String>)]
    pub motion_kind: Option<MotionKind>,
    /// 应选名额 (elections)
    pub seats: Option<u32>,
    /// 另选他人 (elections)
    #[serde(default)]
    pub allow_write_in: bool,
    /// kind (the motion kind's F4 default) | settings (the congress's F1 setting) | ordinary
    /// (> 1/2 present) | charter (>= 2/3 present) | custom (give `threshold`). Omitted: `threshold` if given, else the default
    /// of the kind on create, the current threshold on replace.
    pub threshold_preset: Option<String>,
    pub threshold: Option<ThresholdJson>,
    /// Reason for 等额 or a reduced margin (C2, elections).
    pub margin_override: Option<String>,
    /// presidium (主席团, default; rule C1 caps its seats) | committee (委员会) | standing
    /// (常任代表) | other (其他): elections only.
    #[schema(value_type = Option<String>)]
    pub election_kind: Option<ElectionKind>,
    /// Required when the threshold differs from the rules' default for this contest (the
    /// congress's F1 setting for an election, F4's default for the motion's kind); shown in the
    /// record.
    pub threshold_reason: Option<String>,
}

impl ContestBody {
    pub fn definition(
        &self,
        kind: ContestKind,
        profile: &RuleProfile,
        current: Option<Threshold>,
    ) -> Result<ContestDefinition, WebError> {
        let mut def = ContestDefinition {
            title: self.title.clone(),
            body: self.body.clone(),
            motion_kind: self.motion_kind,
            seats: self.seats,
            allow_write_in: self.allow_write_in,
            threshold: Threshold::ORDINARY,
            margin_override: self.margin_override.clone(),
            election_kind: self.election_kind,
            threshold_reason: self.threshold_reason.clone(),
        };
        def.threshold = match (self.threshold_preset.as_deref(), self.threshold) {
            (Some("custom") | None, Some(t)) => t.into(),
            (Some("custom"), None) => {
                return Err(WebError::BadRequest(
                    "threshold_preset 为 custom 时须给出 threshold".to_string(),
                ))
            }
            (None, None) => current.unwrap_or_else(|| svc::default_threshold(kind, &def, profile)),
            (Some("kind"), _) => svc::default_threshold(kind, &def, profile),
            (Some(p), _) => ThresholdPreset::parse(p)
                .ok_or_else(|| {
                    WebError::BadRequest(format!(
                        "threshold_preset 应为 kind、settings、ordinary、charter 或 custom，现为“{p}”"
                    ))
                })?
                .threshold(profile),
        };
        Ok(def)
    }
}

/// A candidate to add or replace.
#[derive(Deserialize, ToSchema)]
pub struct CandidateBody {
    pub name: String,
    pub student_no: String,
    pub college: String,
    /// male | female
    #[schema(value_type = Option<String>)]
    pub gender: Option<Gender>,
    #[serde(default)]
    pub political_status: String,
    /// 专业排名百分比 (15 = top 15%)
    pub rank_pct: Option<u32>,
    #[serde(default)]
    pub failed_courses: u32,
    /// Reason for admitting a candidate who fails C3.
    pub eligibility_override: Option<String>,
}

impl From<CandidateBody> for CandidateData {
    fn from(b: CandidateBody) -> Self {
        CandidateData {
            name: b.name,
            student_no: b.student_no,
            college: b.college,
            gender: b.gender,
            political_status: b.political_status,
            rank_pct: b.rank_pct,
            failed_courses: b.failed_courses,
            eligibility_override: b.eligibility_override,
        }
    }
}

/// Which way to move a contest on the agenda.
#[derive(Deserialize, ToSchema)]
pub struct MoveBody {
    /// up | down
    pub direction: String,
}
