//! `/api/v1/congresses/{cid}/audit`: the congress's audit entries as JSON, newest first, with
//! the page's filters and paging. Entries never hold a password, token or ballot choice.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::congresses::load;
use crate::domain::ids::CongressId;
use crate::packet::report::datetime;
use crate::service::ledger::{self, LedgerEntry};
use crate::storage::repo::audit::{self, Query, Scope};
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::views::audit::{action_zh, role_zh};
use crate::web::AppState;

/// Default and largest page size.
pub const DEFAULT_LIMIT: i64 = 200;
pub const MAX_LIMIT: i64 = 1000;

/// Filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only actions starting with this, e.g. `scrutineer.`.
    pub action: Option<String>,
    /// Only this actor (exact username).
    pub actor: Option<String>,
    /// Entries to skip (default 0).
    #[param(value_type = Option<i64>)]
    pub offset: Option<String>,
    /// Entries to return (default 200, at most 1000).
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
}

/// One audit entry.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryJson {
    /// Sequence number (increasing; the log is append-only).
    pub seq: i64,
    /// Unix milliseconds.
    pub at: i64,
    /// The same time in China Standard Time, "YYYY-MM-DD HH:MM:SS".
    pub at_cst: String,
    pub actor: String,
    /// organiser | scrutineer | system | anonymous
    pub role: String,
    pub role_zh: String,
    pub action: String,
    pub action_zh: String,
    pub target: Option<String>,
    /// What was acted on, by its title (as the 操作日志 page's 对象 column); null when the
    /// entry names nothing.
    pub object_zh: Option<String>,
    /// The before/after in one Chinese sentence (the page's 详情 column); null when there is
    /// nothing to say beyond the action.
    pub details_zh: Option<String>,
    pub addr: Option<String>,
    /// The state before an edit (JSON when it was recorded as JSON).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The state after an edit, or the action's parameters.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

fn json_or_text(s: Option<String>) -> Option<serde_json::Value> {
    s.map(|s| serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s)))
}

impl From<LedgerEntry> for AuditEntryJson {
    fn from(l: LedgerEntry) -> Self {
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        let e = l.entry;
        AuditEntryJson {
            object_zh: some(l.object),
            details_zh: some(l.details),
            seq: e.seq,
            at: e.at,
            at_cst: datetime(e.at),
            role_zh: role_zh(&e.role).to_string(),
            action_zh: action_zh(&e.action),
            actor: e.actor,
            role: e.role,
            action: e.action,
            target: e.target,
            addr: e.addr,
            before: json_or_text(e.before),
            after: json_or_text(e.after),
        }
    }
}

/// A page of entries.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Entries matching the filters.
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub entries: Vec<AuditEntryJson>,
}

/// A query parameter that must be an integer (parsed here so the error is JSON).
fn number(name: &str, v: Option<&str>, default: i64) -> Result<i64, WebError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| WebError::BadRequest(format!("{name} 应为整数, 现为 “{s}”"))),
    }
}

/// The congress's audit entries (owner and scrutineers), newest first.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/audit", tag = "audit",
    params(("cid" = String, Path, description = "congress id"), AuditParams),
    responses((status = 200, body = AuditPage), (status = 400, body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
    params: web::Query<AuditParams>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    let p = params.into_inner();
    let offset = number("offset", p.offset.as_deref(), 0)?;
    let limit = number("limit", p.limit.as_deref(), DEFAULT_LIMIT)?;
    if offset < 0 {
        return Err(WebError::BadRequest(format!("offset 不能为负数, 现为 {offset}")).into());
    }
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(
            WebError::BadRequest(format!("limit 应在1到{MAX_LIMIT}之间, 现为 {limit}")).into(),
        );
    }
    let (total, entries) = state
        .run(move |conn| {
            let q = Query {
                scope: Scope::Congress(c.id.as_str()),
                action_prefix: p.action.as_deref().filter(|s| !s.is_empty()),
                actor: p.actor.as_deref().filter(|s| !s.is_empty()),
            };
            let total = audit::count(conn, &q)?;
            let entries = audit::page(conn, &q, offset, limit)?;
            Ok((total, ledger::read(conn, entries)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(AuditPage {
        total,
        offset,
        limit,
        entries: entries.into_iter().map(AuditEntryJson::from).collect(),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/audit", web::get().to(list));
}
