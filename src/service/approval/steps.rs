//! The candidates' notes and the per-contest steps: 校党委批准, 请示上级学联 (with the reply),
//! 公示 and the override of its end (rules C5, C6).

use serde_json::json;

use super::{audit, invalid, overview, past_date, store_step, text, StoredStep};
use crate::crypto::SigningKey;
use crate::domain::approval::{needs_approval, MAX_PROFILE_CHARS, MAX_SHORT_CHARS};
use crate::domain::calendar::{parse_dates, Calendar};
use crate::domain::contest::ContestAction;
use crate::domain::ids::{CandidateId, CongressId, ContestId};
use crate::domain::state::Action;
use crate::packet::approval as fmt;
use crate::service::addenda::today_cst;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::approval::{self as repo, NoteRow};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::scrutineers::lock_congress;
use crate::storage::{write_tx, DbConnection};

/// What the notice shows of a candidate beyond the candidate row.
#[derive(Debug, Clone, Default)]
pub struct NotesInput {
    pub grade: String,
    pub union_post: String,
    pub profile: String,
}

/// Sets a candidate's 年级, 学生会职务 and 简介 (while the contest is a draft). Changing them
/// changes the list's hash: steps recorded for the old list no longer count (C5).
pub fn set_notes(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    candidate_id: &CandidateId,
    input: &NotesInput,
) -> ServiceResult<()> {
    let mut problems = Vec::new();
    let short = |label: &str, v: &str, p: &mut Vec<String>| {
        let v = v.trim().to_string();
        if v.chars().count() > MAX_SHORT_CHARS {
            p.push(format!("“{label}”过长(最多{MAX_SHORT_CHARS}个字符)"));
        }
        v
    };
    let row = NoteRow {
        candidate_id: candidate_id.to_string(),
        grade: short("年级", &input.grade, &mut problems),
        union_post: short("学生会职务", &input.union_post, &mut problems),
        profile: input.profile.trim().to_string(),
    };
    if row.profile.chars().count() > MAX_PROFILE_CHARS {
        problems.push(format!("“简介”过长(最多{MAX_PROFILE_CHARS}个字符)"));
    }
    invalid(problems)?;
    write_tx(conn, |c| {
        lock_congress(c, congress_id)?;
        let congress = super::super::congress::load(c, congress_id)?;
        Action::EditContests.check(congress.state)?;
        let contest = contest_of(c, congress_id, contest_id)?;
        contest.check(ContestAction::Edit)?;
        let cand = contests_repo::candidate(c, contest_id, candidate_id)?
            .ok_or_else(|| ServiceError::NotFound(format!("候选人 {candidate_id} 不存在")))?;
        repo::set_note(c, &row)?;
        actor.audit(
            c,
            Some(congress_id),
            "candidate.notes",
            Some(&cand.name),
            None,
            crate::service::audit_json(&serde_json::json!({
                "grade": row.grade, "union_post": row.union_post, "profile": row.profile
            }))?,
        )?;
        Ok(())
    })
}

fn contest_of(
    c: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<crate::domain::contest::Contest> {
    contests_repo::get(c, contest_id)?
        .filter(|k| &k.congress_id == congress_id)
        .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))
}

/// A per-contest step.
#[derive(Debug, Clone)]
pub enum StepInput {
    /// 校党委批准: the approving body, 文号, date.
    PartyApproval {
        body: String,
        reference: String,
        date: String,
    },
    /// 请示上级学联: the 学联 asked, its reply, the reply's date.
    FederationRequest {
        body: String,
        reply: String,
        date: String,
    },
    /// 公示: its first day and the organiser's holidays and make-up working days in it; the
    /// length is the congress's setting (C6).
    Notice {
        start: String,
        holidays: String,
        workdays: String,
    },
    /// Opening before the notice ends, with the reason (C6).
    NoticeOverride { reason: String },
}

/// A step as a form or a JSON body sends it: `kind` (party_approval, federation_request,
/// notice, notice_override) and the fields that kind uses (`date` is the notice's first day).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct StepFields {
    pub kind: String,
    pub body: String,
    pub reference: String,
    pub reply: String,
    pub date: String,
    pub holidays: String,
    pub workdays: String,
    pub reason: String,
}

impl StepFields {
    /// The step these fields describe; a 400-style error naming the kinds otherwise.
    pub fn input(self) -> Result<StepInput, String> {
        Ok(match self.kind.as_str() {
            "party_approval" => StepInput::PartyApproval {
                body: self.body,
                reference: self.reference,
                date: self.date,
            },
            "federation_request" => StepInput::FederationRequest {
                body: self.body,
                reply: self.reply,
                date: self.date,
            },
            "notice" => StepInput::Notice {
                start: self.date,
                holidays: self.holidays,
                workdays: self.workdays,
            },
            "notice_override" => StepInput::NoticeOverride {
                reason: self.reason,
            },
            other => {
                return Err(format!(
                    "未知的步骤“{other}”: 应为 party_approval (校党委批准)、federation_request (请示上级学联)、notice (公示) 或 notice_override (提前投票)"
                ))
            }
        })
    }
}

/// Records a signed step for the contest's current candidate list (rules C5, C6). The
/// request to the 学联 and the notice follow the approval of the same list; no date is in
/// the future or before the approval's.
pub fn record_step(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
    contest_id: &ContestId,
    input: &StepInput,
) -> ServiceResult<StoredStep> {
    let mut p = Vec::new();
    let (kind, data, day) = match input {
        StepInput::PartyApproval {
            body,
            reference,
            date,
        } => {
            let body = text("批准机关", body, 100, &mut p);
            let reference = text("文号", reference, 100, &mut p);
            let d = past_date("批准日期", date, &mut p);
            (
                fmt::PARTY_APPROVAL,
                json!({"body": body, "reference": reference, "date": d.map(|d| d.to_string())}),
                d,
            )
        }
        StepInput::FederationRequest { body, reply, date } => {
            let body = text("请示的上级学联", body, 100, &mut p);
            let reply = text("答复", reply, 1000, &mut p);
            let d = past_date("答复日期", date, &mut p);
            (
                fmt::FEDERATION_REQUEST,
                json!({"body": body, "reply": reply, "date": d.map(|d| d.to_string())}),
                d,
            )
        }
        StepInput::Notice {
            start,
            holidays,
            workdays,
        } => {
            let d = past_date("公示开始日期", start, &mut p);
            let h = parse_dates(holidays).unwrap_or_else(|e| {
                p.push(format!("节假日: {e}"));
                Default::default()
            });
            let w = parse_dates(workdays).unwrap_or_else(|e| {
                p.push(format!("调休上班日: {e}"));
                Default::default()
            });
            (
                fmt::NOTICE,
                json!({
                    "start": d.map(|d| d.to_string()),
                    "holidays": h.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                    "workdays": w.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                }),
                d,
            )
        }
        StepInput::NoticeOverride { reason } => {
            let reason = text("提前投票的理由", reason, 500, &mut p);
            (
                fmt::NOTICE_OVERRIDE,
                json!({"reason": reason, "by": actor.username}),
                None,
            )
        }
    };
    invalid(p)?;
    write_tx(conn, |c| {
        lock_congress(c, congress_id)?;
        let congress = super::super::congress::load(c, congress_id)?;
        Action::EditContests.check(congress.state)?;
        let contest = contest_of(c, congress_id, contest_id)?;
        if !needs_approval(&contest) {
            return Err(ServiceError::invalid(format!(
                "“{}”不是主席团选举(首轮), 无须候选人审批和公示",
                contest.def.title
            )));
        }
        if contest.state.has_opened() {
            return Err(ServiceError::Conflict(format!(
                "“{}”已经开始投票, 不能再登记审批或公示",
                contest.def.title
            )));
        }
        let o = overview(c, congress_id)?;
        let a = o
            .contests
            .into_iter()
            .find(|a| &a.contest.id == contest_id)
            .ok_or_else(|| ServiceError::NotFound(format!("选举事项 {contest_id} 不存在")))?;
        if a.list.is_empty() {
            return Err(ServiceError::invalid(format!(
                "“{}”还没有候选人",
                contest.def.title
            )));
        }
        let approval = a
            .latest(fmt::PARTY_APPROVAL)
            .filter(|s| s.step.candidates_sha256.as_deref() == Some(a.hash.as_str()));
        let mut data = data.clone();
        if kind != fmt::PARTY_APPROVAL {
            let Some(approval) = approval else {
                return Err(ServiceError::Conflict(format!(
                    "须先登记校党委对“{}”现候选人名单的批准 (规则C5: 按程序报校党委批准确定候选人名单)",
                    contest.def.title
                )));
            };
            let approved = super::date(&approval.field("date"));
            if let (Some(d), Some(a)) = (day, approved) {
                if d < a {
                    return Err(ServiceError::invalid(format!(
                        "日期 {d} 早于校党委批准的日期 {a}"
                    )));
                }
            }
        }
        if kind == fmt::NOTICE {
            let start = day.ok_or_else(|| ServiceError::invalid("公示开始日期有误"))?;
            let days = congress.settings.notice_working_days;
            let cal = Calendar::new(
                super::super::approval::dates_of(&data["holidays"]),
                super::super::approval::dates_of(&data["workdays"]),
            );
            let end = cal.notice_end(start, days).ok_or_else(|| {
                ServiceError::invalid("按所填节假日, 一年内凑不满公示所需的工作日, 请核对")
            })?;
            data["days"] = json!(days);
            data["end"] = json!(end.to_string());
            data["candidates"] = serde_json::to_value(&a.list).map_err(super::internal)?;
        }
        if kind == fmt::NOTICE_OVERRIDE {
            let Some((_, end)) = a.notice.filter(|_| {
                a.latest(fmt::NOTICE)
                    .and_then(|n| n.step.candidates_sha256.as_deref())
                    == Some(a.hash.as_str())
            }) else {
                return Err(ServiceError::Conflict(format!(
                    "“{}”的现候选人名单尚未公示; 提前投票只能缩短已开始的公示 (规则C6)",
                    contest.def.title
                )));
            };
            if end < today_cst() {
                return Err(ServiceError::Conflict(format!(
                    "“{}”的公示已经期满, 无须提前",
                    contest.def.title
                )));
            }
            data["notice_end"] = json!(end.to_string());
        }
        let s = store_step(
            c,
            key,
            congress_id,
            Some(contest_id.as_str()),
            kind,
            Some(a.hash.clone()),
            data,
        )?;
        audit(c, actor, congress_id, &s)?;
        Ok(s)
    })
}
