//! `/api/v1/congresses/{cid}/roster[...]`: the roster page's workflow for scripts: read the
//! roster and its reports, generate (B7), upload (the raw file as the body, `?name=` for its
//! name), check, freeze and unfreeze.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load};
use super::files::{file_name, FileName};
use crate::domain::ids::CongressId;
use crate::domain::roster::generate::Substitution;
use crate::domain::roster::RosterReport;
use crate::domain::types::{DelegateKind, Gender, Violation};
use crate::service::roster as roster_svc;
use crate::service::ServiceError;
use crate::storage::repo::roster::Delegate;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult};
use crate::web::upload::raw_body;
use crate::web::AppState;

/// A delegate.
#[derive(Serialize, ToSchema)]
pub struct DelegateJson {
    pub delegate_no: u32,
    pub name: String,
    pub student_no: String,
    pub college: String,
    pub grade: String,
    /// male | female
    pub gender: String,
    /// 学生会职务 (null = none)
    pub union_role: Option<String>,
    pub political_status: Option<String>,
    pub societies: Vec<String>,
    /// elected | ex_officio | society
    pub kind: String,
    /// 选举产生 | 当然代表 | 社团代表
    pub kind_zh: String,
}

impl From<&Delegate> for DelegateJson {
    fn from(d: &Delegate) -> Self {
        let s = &d.student;
        DelegateJson {
            delegate_no: d.delegate_no,
            name: s.name.clone(),
            student_no: s.student_no.clone(),
            college: s.college.clone(),
            grade: s.grade.clone(),
            gender: match s.gender {
                Gender::Male => "male",
                Gender::Female => "female",
            }
            .to_string(),
            union_role: s.union_role.clone(),
            political_status: s.political_status.clone(),
            societies: s.societies.clone(),
            kind: match d.kind {
                DelegateKind::Elected => "elected",
                DelegateKind::ExOfficio => "ex_officio",
                DelegateKind::Society => "society",
            }
            .to_string(),
            kind_zh: d.kind.zh().to_string(),
        }
    }
}

/// The roster and its reports.
#[derive(Serialize, ToSchema)]
pub struct RosterJson {
    /// The congress's state (roster_frozen once frozen).
    pub state: String,
    pub delegates: Vec<DelegateJson>,
    /// The stored roster validated now: {valid, violations[{rule, college, required, found,
    /// message}], summary}; null when it cannot be (see `current_error`).
    #[schema(value_type = Option<Object>)]
    pub current: Option<RosterReport>,
    pub current_error: Option<String>,
    /// The last stored report: {at, by, action, source, file_name, report, substitutions}.
    #[schema(value_type = Option<Object>)]
    pub stored: Option<roster_svc::StoredReport>,
}

/// The roster, its validation now and the last stored report.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/roster", tag = "roster",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = RosterJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn roster(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    let id = c.id.clone();
    let o = state
        .run(move |conn| Ok(roster_svc::overview(conn, &id)?))
        .await?;
    let (current, current_error) = match o.current {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    Ok(HttpResponse::Ok().json(RosterJson {
        state: c.state.as_str().to_string(),
        delegates: o.delegates.iter().map(DelegateJson::from).collect(),
        current,
        current_error,
        stored: o.stored,
    }))
}

/// A generated roster.
#[derive(Serialize, ToSchema)]
pub struct GeneratedJson {
    pub delegates: usize,
    /// Who replaced whom and why (rule, ranks, votes, reason).
    #[schema(value_type = Vec<Object>)]
    pub substitutions: Vec<Substitution>,
    #[schema(value_type = Object)]
    pub report: RosterReport,
}

/// The refusal of an infeasible generation: the error body plus the violations as data.
#[derive(Serialize, ToSchema)]
pub struct InfeasibleJson {
    pub status: u16,
    /// "infeasible"
    pub code: String,
    pub message: String,
    pub details: Vec<String>,
    /// {rule, college, required, found, message}
    #[schema(value_type = Vec<Object>)]
    pub violations: Vec<Violation>,
}

/// Generates the roster from the stored nominees (rule B7, owner, set-up only), replacing the
/// stored roster. 422 with the violations (rule, college, required, found) when no roster
/// meets the rules; nothing is stored then.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/roster/generate", tag = "roster",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = GeneratedJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = InfeasibleJson)),
    security(("bearer" = [])))]
pub async fn generate(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let res = state
        .run(move |conn| Ok(roster_svc::generate(conn, &actor, &c.id)?))
        .await?;
    Ok(match res {
        Ok(g) => HttpResponse::Ok().json(GeneratedJson {
            delegates: g.roster.len(),
            substitutions: g.substitutions,
            report: g.report,
        }),
        Err(inf) => HttpResponse::UnprocessableEntity().json(InfeasibleJson {
            status: 422,
            code: "infeasible".to_string(),
            message: "无法生成符合规则的代表名单, 当前名单未改变".to_string(),
            details: inf
                .violations
                .iter()
                .map(roster_svc::violation_line)
                .collect(),
            violations: inf.violations,
        }),
    })
}

/// A stored roster upload.
#[derive(Serialize, ToSchema)]
pub struct UploadJson {
    pub file: String,
    pub delegates: usize,
    pub warnings: Vec<String>,
    /// The stored roster's validation: it is stored even when invalid (`valid: false`).
    #[schema(value_type = Object)]
    pub report: RosterReport,
}

/// Uploads a roster file (owner, set-up only), replacing the stored roster, and validates it.
/// 422 when the file has errors, or when a student number is on two rows (B6: then `details`
/// lists every violation of the file, the duplicate with both rows and its college); nothing
/// is stored then. 200 with `report.valid` otherwise.
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/roster", tag = "roster",
    params(("cid" = String, Path, description = "congress id"), FileName),
    request_body(content = String, content_type = "application/octet-stream",
        description = "the roster file: CSV (UTF-8 or GBK) or .xlsx"),
    responses((status = 200, body = UploadJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 413, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    q: web::Query<FileName>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let file = raw_body(body, &file_name(&q)).await?;
    let actor = api_actor(&u, &req);
    let out = state
        .run(move |conn| {
            roster_svc::upload_roster(conn, &actor, &c.id, &file.file_name, &file.bytes)
                .map_err(|f| ServiceError::from(f).into())
        })
        .await?;
    if !out.stored {
        let errors = out.report.violations.iter().filter(|v| !v.warning).count();
        return Err(ServiceError::Invalid {
            message: format!(
                "代表名单有学号重复(规则B6), 未保存; 这份名单共有{errors}处不符合规则"
            ),
            details: out
                .report
                .violations
                .iter()
                .map(roster_svc::violation_line)
                .collect(),
        }
        .into());
    }
    Ok(HttpResponse::Ok().json(UploadJson {
        file: out.file_name,
        delegates: out.rows,
        warnings: out.warnings.iter().map(ToString::to_string).collect(),
        report: out.report,
    }))
}

/// Checks the stored roster against the stored files and settings again and stores the
/// report (owner, set-up only); `valid` says whether it passed.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/roster/check", tag = "roster",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, description = "RosterReport {valid, violations, summary}", body = Object),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let r = state
        .run(move |conn| Ok(roster_svc::check(conn, &actor, &c.id)?))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// The congress's state after freezing or unfreezing.
#[derive(Serialize, ToSchema)]
pub struct StateJson {
    /// setup | roster_frozen | ...
    pub state: String,
    pub state_zh: String,
}

/// Freezes the roster (owner, set-up -> roster_frozen) when it passes every rule now; 422
/// with every violation otherwise.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/roster/freeze", tag = "roster",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = StateJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn freeze(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    state
        .run(move |conn| Ok(roster_svc::freeze(conn, &actor, &c.id)?))
        .await?;
    let s = crate::domain::state::CongressState::RosterFrozen;
    Ok(HttpResponse::Ok().json(StateJson {
        state: s.as_str().to_string(),
        state_zh: s.zh().to_string(),
    }))
}

/// Why the roster is unfrozen.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnfreezeJson {
    /// Required, kept in the audit log.
    pub reason: String,
}

/// Unfreezes the roster (owner, roster_frozen -> setup, only before credentials are issued).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/roster/unfreeze", tag = "roster",
    request_body = UnfreezeJson,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = StateJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn unfreeze(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<UnfreezeJson>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let reason = body.into_inner().reason;
    let after = state
        .run(move |conn| Ok(roster_svc::unfreeze(conn, &actor, &c.id, &reason)?))
        .await?;
    Ok(HttpResponse::Ok().json(StateJson {
        state: after.state.as_str().to_string(),
        state_zh: after.state.zh().to_string(),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/roster", web::get().to(roster))
        .route("/congresses/{cid}/roster", web::put().to(upload))
        .route(
            "/congresses/{cid}/roster/generate",
            web::post().to(generate),
        )
        .route("/congresses/{cid}/roster/check", web::post().to(check))
        .route("/congresses/{cid}/roster/freeze", web::post().to(freeze))
        .route(
            "/congresses/{cid}/roster/unfreeze",
            web::post().to(unfreeze),
        );
}
