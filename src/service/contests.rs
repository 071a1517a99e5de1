//! Contests (选举与表决事项): create, edit, delete and reorder them on the agenda, and say
//! whether each is ready to open. Candidates are in [`candidates`]; the readiness rules
//! (C1-C3, G2, B6, F1/F4 thresholds) in [`readiness`].
//!
//! A contest is edited only while the congress's state allows `Action::EditContests` and the
//! contest itself is still a draft ("edited until opened"). Every change is audited with the
//! contest's JSON before and after.

mod agenda;
mod candidates;
mod readiness;
mod review;
mod rounds;
mod write_ins;

pub use self::agenda::{delete, move_contest, Direction};
pub use self::candidates::{
    add_candidate, add_candidates, remove_candidate, update_candidate, CandidateData,
    MAX_CANDIDATES,
};
pub use self::readiness::{
    agenda, ensure_ready, is_ready, readiness, readiness_of, view, ContestView,
};
pub use self::review::{
    definition as review_definition, elected_persons, set_definition as set_review,
    take_from_election, PRESIDIUM_POST,
};
pub use self::rounds::not_held;
pub use self::write_ins::{add_write_in_person, unconfirmed, UNCONFIRMED};
use crate::domain::candidates::check_seats_of;
use crate::domain::contest::{Contest, ContestAction, ContestDefinition, ContestKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::{self as review_rules, ReviewDefinition};
use crate::domain::settings::{threshold_problem, RuleProfile, Threshold};
use crate::domain::state::Action;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::contests::{self as repo};
use crate::storage::repo::new_id;
use crate::storage::repo::scrutineers;
use crate::storage::{write_tx, DbConnection};

use super::{audit_json, congress, Actor, ServiceError, ServiceResult};

/// Longest title (characters).
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest motion text or note (characters).
pub const MAX_BODY_CHARS: usize = 20_000;
/// Longest override reason (characters).
pub const MAX_REASON_CHARS: usize = 500;

/// The threshold presets offered by the forms and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdPreset {
    /// The congress's election threshold (rule F1 setting).
    Settings,
    /// 过半数: for > 1/2 of present.
    Ordinary,
    /// 章程修正: for >= 2/3 of present.
    Charter,
}

impl ThresholdPreset {
    pub fn parse(s: &str) -> Option<ThresholdPreset> {
        match s.trim() {
            "settings" => Some(ThresholdPreset::Settings),
            "ordinary" => Some(ThresholdPreset::Ordinary),
            "charter" => Some(ThresholdPreset::Charter),
            _ => None,
        }
    }

    pub fn threshold(self, profile: &RuleProfile) -> Threshold {
        match self {
            ThresholdPreset::Settings => profile.election_threshold,
            ThresholdPreset::Ordinary => Threshold::ORDINARY,
            ThresholdPreset::Charter => Threshold::CHARTER,
        }
    }
}

/// The threshold a new contest gets when none is chosen: the congress's F1 setting for an
/// election, the motion kind's F4 default for a motion.
pub fn default_threshold(kind: ContestKind, def: &ContestDefinition, p: &RuleProfile) -> Threshold {
    match (kind, def.motion_kind) {
        (ContestKind::Motion, Some(m)) => m.default_threshold(),
        (ContestKind::Motion, None) => Threshold::ORDINARY,
        (ContestKind::Election, _) => p.election_threshold,
        (ContestKind::Review, _) => review_rules::DEFAULT_FOLLOW_UP,
    }
}

fn invalid(message: &str, details: Vec<String>) -> ServiceError {
    ServiceError::Invalid {
        message: message.to_string(),
        details,
    }
}

/// Trimmed text, `None` when blank.
pub(crate) fn reason(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

/// Checks and normalises a definition for `kind`: every problem in one error. Seats must meet
/// rule C1 for the congress's level; a motion has a kind and no seats, write-ins or margin
/// override; the threshold is a proper fraction that can be met.
pub fn validate(
    congress: &Congress,
    kind: ContestKind,
    def: &ContestDefinition,
) -> ServiceResult<ContestDefinition> {
    let mut problems = Vec::new();
    let title = def.title.trim().to_string();
    if title.is_empty() {
        problems.push("“事项名称”不能为空".to_string());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        problems.push(format!("“事项名称”过长(最多{MAX_TITLE_CHARS}个字符)"));
    }
    let body = def.body.trim().to_string();
    if body.chars().count() > MAX_BODY_CHARS {
        problems.push(format!("“内容”过长(最多{MAX_BODY_CHARS}个字符)"));
    }
    let margin_override = reason(def.margin_override.as_deref());
    if margin_override
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
    {
        problems.push(format!(
            "等额或减少差额的理由过长(最多{MAX_REASON_CHARS}个字符)"
        ));
    }
    let threshold_reason = reason(def.threshold_reason.as_deref());
    if threshold_reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
    {
        problems.push(format!(
            "改变通过标准的理由过长(最多{MAX_REASON_CHARS}个字符)"
        ));
    }
    if kind == ContestKind::Review {
        problems.extend(review_rules::follow_up_problem(&def.threshold));
    } else {
        problems.extend(threshold_problem(
            &def.threshold,
            kind == ContestKind::Election,
        ));
    }
    let default = default_threshold(kind, def, &congress.settings);
    if kind != ContestKind::Review && def.threshold != default && threshold_reason.is_none() {
        let rule = match kind {
            ContestKind::Election => "F1",
            ContestKind::Motion => "F4",
            ContestKind::Review => "H4",
        };
        problems.push(format!(
            "规则{rule}: 本事项的通过标准“{}”与规则默认的“{}”不同, 须填写理由(写入结果报告)",
            def.threshold.zh(),
            default.zh()
        ));
    }
    let threshold_reason = threshold_reason.filter(|_| def.threshold != default);
    let out = match kind {
        ContestKind::Election => {
            match def.seats {
                None => problems.push("选举须填写应选名额".to_string()),
                Some(seats) => {
                    let ek = def.election_kind.unwrap_or_default();
                    if let Err(v) = check_seats_of(ek, congress.level, seats, &congress.settings) {
                        problems.push(format!("规则{}：{}", v.rule, v.message));
                    }
                }
            }
            ContestDefinition {
                title,
                body,
                motion_kind: None,
                seats: def.seats,
                allow_write_in: def.allow_write_in,
                threshold: def.threshold,
                margin_override,
                election_kind: Some(def.election_kind.unwrap_or_default()),
                threshold_reason,
            }
        }
        ContestKind::Review => ContestDefinition {
            title,
            body,
            motion_kind: None,
            seats: None,
            allow_write_in: false,
            threshold: def.threshold,
            margin_override: None,
            election_kind: None,
            threshold_reason,
        },
        ContestKind::Motion => {
            if def.motion_kind.is_none() {
                problems.push("表决事项须选择类别(工作报告、章程修正案或其他)".to_string());
            }
            ContestDefinition {
                title,
                body,
                motion_kind: def.motion_kind,
                seats: None,
                allow_write_in: false,
                threshold: def.threshold,
                margin_override: None,
                election_kind: None,
                threshold_reason,
            }
        }
    };
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(invalid(&format!("{}事项有误", kind.zh()), problems))
    }
}

/// Loads contest `contest_id` of congress `congress_id`, or says it does not exist.
pub fn load(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<Contest> {
    repo::get(conn, contest_id)?
        .filter(|c| &c.congress_id == congress_id)
        .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))
}

/// The congress and the contest, checked to be editable now (congress state and
/// `ContestAction::Edit`).
pub(crate) fn editable(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<(Congress, Contest)> {
    // Contest edits of one congress run one at a time (agenda positions, G2 against
    // scrutineers added concurrently); on SQLite the immediate transaction already does this.
    scrutineers::lock_congress(conn, congress_id)?;
    let congress = congress::load(conn, congress_id)?;
    Action::EditContests.check(congress.state)?;
    let contest = load(conn, congress_id, contest_id)?;
    contest.check(ContestAction::Edit)?;
    Ok((congress, contest))
}

/// Creates a draft contest at the end of the agenda.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    kind: ContestKind,
    def: &ContestDefinition,
) -> ServiceResult<Contest> {
    let id = ContestId::from(new_id("t"));
    write_tx(conn, |c| {
        scrutineers::lock_congress(c, congress_id)?;
        let congress = congress::load(c, congress_id)?;
        Action::EditContests.check(congress.state)?;
        let def = validate(&congress, kind, def)?;
        let contest = repo::insert(c, &id, congress_id, kind, &def)?;
        if kind == ContestKind::Review {
            crate::storage::repo::reviews::put(c, &id, &ReviewDefinition::default())?;
        }
        actor.audit(
            c,
            Some(congress_id),
            "contest.create",
            Some(id.as_str()),
            None,
            audit_json(&contest)?,
        )?;
        Ok(contest)
    })
}

/// Replaces a draft contest's definition (its kind cannot change).
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    def: &ContestDefinition,
) -> ServiceResult<Contest> {
    write_tx(conn, |c| {
        let (congress, before) = editable(c, congress_id, contest_id)?;
        let def = validate(&congress, before.kind, def)?;
        repo::update_definition(c, contest_id, &def)?;
        let after = load(c, congress_id, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.edit",
            Some(contest_id.as_str()),
            audit_json(&before)?,
            audit_json(&after)?,
        )?;
        Ok(after)
    })
}
