//! Objections (异议) to a publicly noticed candidate list: anyone submits one, with contact
//! details the organiser alone sees; the organiser records how it was handled, which signs a
//! step (rule C7). Submissions are throttled per address like card logins.

use serde_json::json;

use super::{audit, invalid, overview, store_step, text, StoredStep};
use crate::crypto::SigningKey;
use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::packet::approval as fmt;
use crate::service::addenda::today_cst;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::approval::{self as repo, ObjectionRow};
use crate::storage::repo::scrutineers::lock_congress;
use crate::storage::repo::{new_id, users};
use crate::storage::{now_ms, write_tx, DbConnection};

/// Objections accepted from one address in the window.
pub const MAX_OBJECTIONS_PER_ADDR: i64 = 5;
/// The throttling window (10 minutes, as for card logins).
pub const WINDOW_MS: i64 = 10 * 60 * 1000;

/// What the public form sends.
#[derive(Debug, Clone, Default)]
pub struct ObjectionInput {
    pub candidate_id: String,
    pub body: String,
    pub name: String,
    pub contact: String,
}

/// Why a submission was refused.
#[derive(Debug)]
pub enum ObjectionRefused {
    /// Past the address's allowance: answered 429.
    Throttled,
    Service(ServiceError),
}

impl From<ServiceError> for ObjectionRefused {
    fn from(e: ServiceError) -> Self {
        ObjectionRefused::Service(e)
    }
}

/// Records an objection to a candidate whose list is on public notice (from the notice's
/// first day until the contest opens). Returns the objection's id.
pub fn submit_objection(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    addr: &str,
    input: &ObjectionInput,
) -> Result<String, ObjectionRefused> {
    let mut p = Vec::new();
    let body = text("异议内容", &input.body, 1000, &mut p);
    let name = text("姓名", &input.name, 50, &mut p);
    let contact = text("联系方式", &input.contact, 100, &mut p);
    invalid(p)?;
    let bucket = format!("objection:addr:{addr}");
    let id = write_tx(conn, |c| {
        if users::failures_since(c, &bucket, now_ms() - WINDOW_MS)? >= MAX_OBJECTIONS_PER_ADDR {
            return Ok(None);
        }
        users::record_failure(c, &bucket)?;
        let o = overview(c, congress_id)?;
        let found = o.contests.iter().find_map(|a| {
            a.list
                .iter()
                .find(|x| x.id == input.candidate_id)
                .map(|x| (a, x))
        });
        let Some((a, cand)) = found else {
            return Err(ServiceError::invalid("请选择公示名单中的候选人"));
        };
        let noticed = a
            .latest(fmt::NOTICE)
            .is_some_and(|n| n.step.candidates_sha256.as_deref() == Some(a.hash.as_str()))
            && a.notice.is_some_and(|(start, _)| start <= today_cst());
        if !noticed || a.contest.state.has_opened() {
            return Err(ServiceError::Conflict(format!(
                "“{}”的候选人名单{}, 不受理异议",
                a.contest.def.title,
                if a.contest.state.has_opened() {
                    "已经付诸选举"
                } else {
                    "不在公示中"
                }
            )));
        }
        let id = new_id("o");
        repo::insert_objection(
            c,
            &ObjectionRow {
                id: id.clone(),
                congress_id: congress_id.to_string(),
                contest_id: a.contest.id.to_string(),
                candidate_id: cand.id.clone(),
                candidate_name: cand.name.clone(),
                body: body.clone(),
                name: name.clone(),
                contact: contact.clone(),
                created_at: now_ms(),
                handling: None,
                handled_at: None,
                handled_by: None,
            },
        )?;
        // The audit names the objection, never the objector or their contact details.
        Actor {
            username: "公众".to_string(),
            role: "public".to_string(),
            addr: Some(addr.to_string()),
        }
        .audit(
            c,
            Some(congress_id),
            "approval.objection_received",
            Some(&id),
            None,
            Some(json!({"candidate": cand.name, "contest": a.contest.id}).to_string()),
        )?;
        Ok(Some(id))
    })?;
    id.ok_or(ObjectionRefused::Throttled)
}

/// Records how an objection was handled (once) and signs the handling as a step of the
/// contest (rule C7): the objection's text and the handling, never the contact details.
pub fn handle_objection(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
    objection_id: &str,
    handling: &str,
) -> ServiceResult<StoredStep> {
    let mut p = Vec::new();
    let handling = text("处理结果", handling, 1000, &mut p);
    invalid(p)?;
    write_tx(conn, |c| {
        lock_congress(c, congress_id)?;
        let congress = super::super::congress::load(c, congress_id)?;
        Action::EditContests.check(congress.state)?;
        let o = repo::objections(c, congress_id)?
            .into_iter()
            .find(|o| o.id == objection_id)
            .ok_or_else(|| ServiceError::NotFound(format!("异议 {objection_id} 不存在")))?;
        if !repo::set_handling(c, objection_id, &handling, now_ms(), &actor.username)? {
            return Err(ServiceError::Conflict(
                "这件异议已经登记过处理结果; 已登记的内容不能修改".to_string(),
            ));
        }
        let list = overview(c, congress_id)?
            .contests
            .into_iter()
            .find(|a| a.contest.id == o.contest_id)
            .map(|a| a.hash);
        let s = store_step(
            c,
            key,
            congress_id,
            Some(&o.contest_id),
            fmt::OBJECTION,
            list,
            json!({
                "objection": o.id,
                "received": super::cst(o.created_at),
                "candidate": o.candidate_name,
                "text": o.body,
                "handling": handling,
            }),
        )?;
        audit(c, actor, congress_id, &s)?;
        Ok(s)
    })
}
