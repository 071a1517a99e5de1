//! The applications to the upper 学联 (rule G4): to convene the congress (申请召开学代会:
//! dates, delegates by college, the roster summary, the presidium candidate lists) and to
//! approve the charter (核准章程), each a signed step printed as a document; the replies; and
//! the organiser's override when the session must open before the reply.

use serde_json::json;

use super::{audit, invalid, overview, past_date, store_step, text, StoredStep};
use crate::crypto::SigningKey;
use crate::domain::ids::CongressId;
use crate::domain::state::{Action, CongressState};
use crate::packet::approval as fmt;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::approval as repo;
use crate::storage::repo::scrutineers::lock_congress;
use crate::storage::{write_tx, DbConnection};

/// Longest charter text accepted (characters).
pub const MAX_CHARTER_CHARS: usize = 60_000;

#[derive(Debug, Clone)]
pub enum ApplicationInput {
    /// 申请召开学代会: to whom, the congress's first and last day.
    Convene {
        body: String,
        start: String,
        end: String,
    },
    /// 核准章程: to whom, the charter's title and text.
    Charter {
        body: String,
        title: String,
        text: String,
    },
}

/// An application as a form or a JSON body sends it: `kind` convene or charter and the
/// fields that kind uses.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ApplicationFields {
    pub kind: String,
    pub body: String,
    pub start: String,
    pub end: String,
    pub title: String,
    pub text: String,
}

impl ApplicationFields {
    /// The application these fields describe; an error naming the kinds otherwise.
    pub fn input(self) -> Result<ApplicationInput, String> {
        match self.kind.as_str() {
            "charter" => Ok(ApplicationInput::Charter {
                body: self.body,
                title: self.title,
                text: self.text,
            }),
            "convene" => Ok(ApplicationInput::Convene {
                body: self.body,
                start: self.start,
                end: self.end,
            }),
            other => Err(format!(
                "申请类别“{other}”无效: 应为 convene (申请召开学代会) 或 charter (核准章程)"
            )),
        }
    }
}

/// Generates and signs an application. To convene: once the roster is frozen and before the
/// session opens (it carries the roster's figures); the charter: any time before the close.
pub fn generate_application(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
    input: &ApplicationInput,
) -> ServiceResult<StoredStep> {
    let mut p = Vec::new();
    let (kind, mut data) = match input {
        ApplicationInput::Convene { body, start, end } => {
            let body = text("报送的上级学联", body, 100, &mut p);
            let dates =
                [start, end].map(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
            match dates {
                [Some(a), Some(b)] if b >= a => {}
                [Some(_), Some(_)] => p.push("会期的结束日期早于开始日期".to_string()),
                _ => p.push("会期应写作 YYYY-MM-DD".to_string()),
            }
            (
                fmt::APPLICATION_CONVENE,
                json!({"body": body, "start": start.trim(), "end": end.trim()}),
            )
        }
        ApplicationInput::Charter {
            body,
            title,
            text: t,
        } => {
            let body = text("报送的上级学联", body, 100, &mut p);
            let title = text("章程名称", title, 200, &mut p);
            let t = text("章程全文", t, MAX_CHARTER_CHARS, &mut p);
            (
                fmt::APPLICATION_CHARTER,
                json!({"body": body, "title": title, "text": t}),
            )
        }
    };
    invalid(p)?;
    write_tx(conn, |c| {
        lock_congress(c, congress_id)?;
        let congress = super::super::congress::load(c, congress_id)?;
        if kind == fmt::APPLICATION_CONVENE {
            if !matches!(
                congress.state,
                CongressState::RosterFrozen | CongressState::CredentialsIssued
            ) {
                return Err(ServiceError::Conflict(format!(
                    "申请召开学代会须在代表名单冻结之后、宣布开会之前生成(申请中附代表名单统计); 大会当前状态为“{}”",
                    congress.state.zh()
                )));
            }
            let summary = super::super::roster::summary(c, congress_id)?;
            let lists: Vec<serde_json::Value> = overview(c, congress_id)?
                .contests
                .iter()
                .map(|a| {
                    json!({
                        "contest": a.contest.id,
                        "title": a.contest.def.title,
                        "seats": a.contest.def.seats,
                        "candidates_sha256": a.hash,
                        "candidates": a.list,
                    })
                })
                .collect();
            data["delegates_total"] = json!(summary.total);
            data["delegates_by_college"] = json!(summary
                .colleges
                .iter()
                .map(|k| json!({"college": k.college, "quota": k.quota, "delegates": k.delegates}))
                .collect::<Vec<_>>());
            data["roster_summary"] = serde_json::to_value(&summary).map_err(super::internal)?;
            data["candidate_lists"] = json!(lists);
            data["congress"] = json!({
                "name": congress.name, "school": congress.school, "level": congress.level.zh(),
                "session_no": congress.session_no, "place": congress.place,
            });
        } else {
            Action::EditContests.check(congress.state)?;
            data["congress"] = json!({"name": congress.name, "school": congress.school});
        }
        let s = store_step(c, key, congress_id, None, kind, None, data)?;
        audit(c, actor, congress_id, &s)?;
        Ok(s)
    })
}

/// The upper 学联's reply to an application.
#[derive(Debug, Clone)]
pub struct ReplyInput {
    /// The application's step number.
    pub application: i32,
    pub body: String,
    pub reference: String,
    pub reply: String,
    pub date: String,
}

/// Records the reply to an application (signed; it names the application by its SHA-256).
pub fn record_reply(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
    input: &ReplyInput,
) -> ServiceResult<StoredStep> {
    let mut p = Vec::new();
    let body = text("答复机关", &input.body, 100, &mut p);
    let reference = input.reference.trim().to_string();
    let reply = text("答复内容", &input.reply, 1000, &mut p);
    let date = past_date("答复日期", &input.date, &mut p);
    invalid(p)?;
    write_tx(conn, |c| {
        lock_congress(c, congress_id)?;
        super::super::congress::load(c, congress_id)?;
        let rows = repo::steps(c, congress_id)?;
        let app = rows
            .iter()
            .find(|r| {
                r.seq == input.application
                    && (r.kind == fmt::APPLICATION_CONVENE || r.kind == fmt::APPLICATION_CHARTER)
            })
            .map(super::parse_step)
            .transpose()?
            .ok_or_else(|| {
                ServiceError::NotFound(format!("第{}号申请不存在", input.application))
            })?;
        let applied = app
            .step
            .recorded_at
            .get(..10)
            .unwrap_or_default()
            .to_string();
        if date.is_some_and(|d| d.to_string() < applied) {
            return Err(ServiceError::invalid(format!(
                "答复日期早于申请生成的日期 {applied}"
            )));
        }
        let s = store_step(
            c,
            key,
            congress_id,
            None,
            fmt::REPLY,
            None,
            json!({
                "application_sha256": app.sha256(),
                "application_kind": app.step.kind,
                "body": body,
                "reference": reference,
                "reply": reply,
                "date": date.map(|d| d.to_string()),
            }),
        )?;
        audit(c, actor, congress_id, &s)?;
        Ok(s)
    })
}

/// Declaring the session open before the reply to the application to convene, with the
/// reason (rule G4); signed and kept in the packet.
pub fn override_session(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
    reason: &str,
) -> ServiceResult<StoredStep> {
    let mut p = Vec::new();
    let reason = text("先行开会的理由", reason, 500, &mut p);
    invalid(p)?;
    write_tx(conn, |c| {
        lock_congress(c, congress_id)?;
        let congress = super::super::congress::load(c, congress_id)?;
        Action::OpenSession.check(congress.state)?;
        let s = store_step(
            c,
            key,
            congress_id,
            None,
            fmt::SESSION_OVERRIDE,
            None,
            json!({"reason": reason, "by": actor.username}),
        )?;
        audit(c, actor, congress_id, &s)?;
        Ok(s)
    })
}
