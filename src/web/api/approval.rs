//! `/api/v1/congresses/{cid}/approval...`: the steps before the vote and the session (rules
//! C5-C7, G4) for scripts, as the 审批与公示 page does them: the state (each presidium list, its
//! hash, steps and why it may not open yet; the applications and the session's gate), the
//! per-list steps (校党委批准, 请示上级学联 with its reply, 公示, the override of its end), the
//! objections and their handling, the applications to the upper 学联, their replies and the
//! session override. The owner only (bearer token; no cookies, so no CSRF token), the same
//! services, so the same signatures and audit entries as the page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load};
use crate::domain::approval::{open_refusals, session_refusal};
use crate::domain::ids::{CongressId, ContestId};
use crate::packet::approval::{self as fmt, file_stem, kind_zh};
use crate::service::addenda::today_cst;
use crate::service::approval::{
    self, ApplicationFields, Overview, ReplyInput, StepFields, StoredStep,
};
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::AppState;

/// One signed step: its file in the packet, its hash and content.
#[derive(Serialize, ToSchema)]
pub struct StepJson {
    pub seq: i32,
    pub kind: String,
    pub kind_zh: String,
    /// `approval/<seq>.<kind>.json` in the filing packet.
    pub file: String,
    /// SHA-256 of the file (a reply names its application by it).
    pub sha256: String,
    /// The signed step as in the file (`docs/formats.md`, "Approval steps").
    #[schema(value_type = Object)]
    pub step: serde_json::Value,
    /// Ed25519 signature of the file, base64.
    pub sig: String,
}

impl From<&StoredStep> for StepJson {
    fn from(s: &StoredStep) -> Self {
        StepJson {
            seq: s.seq,
            kind: s.step.kind.clone(),
            kind_zh: kind_zh(&s.step.kind).to_string(),
            file: format!("{}.json", file_stem(s.seq, &s.step.kind)),
            sha256: s.sha256(),
            step: serde_json::from_str(&s.body_json).unwrap_or_default(),
            sig: s.sig.clone(),
        }
    }
}

/// One presidium list and what is recorded for it.
#[derive(Serialize, ToSchema)]
pub struct ListJson {
    pub contest: String,
    pub title: String,
    pub state: String,
    /// SHA-256 of the current candidate list (steps for another hash are stale).
    pub candidates_sha256: String,
    #[schema(value_type = Vec<Object>)]
    pub candidates: Vec<crate::domain::approval::NoticeCandidate>,
    /// The latest notice's first and last day (YYYY-MM-DD).
    pub notice_start: Option<String>,
    pub notice_end: Option<String>,
    pub steps: Vec<StepJson>,
    /// Why the contest may not open today (rules C5-C7), empty when it may.
    pub refusals: Vec<String>,
}

/// An objection, with the objector's details (the owner's view only).
#[derive(Serialize, ToSchema)]
pub struct ObjectionJson {
    pub id: String,
    pub contest: String,
    pub candidate: String,
    pub candidate_name: String,
    pub body: String,
    pub name: String,
    pub contact: String,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    pub handling: Option<String>,
    pub handled_by: Option<String>,
}

/// The approval state of a congress.
#[derive(Serialize, ToSchema)]
pub struct ApprovalJson {
    /// The congress's setting `approval_procedure`: the refusals below are enforced.
    pub enforced: bool,
    pub lists: Vec<ListJson>,
    /// The congress-wide steps: applications, replies, the session override.
    pub steps: Vec<StepJson>,
    pub objections: Vec<ObjectionJson>,
    /// Whether the reply to the latest application to convene is recorded (G4).
    pub convene_reply_recorded: bool,
    pub session_overridden: bool,
    /// Why the session may not be declared open (G4), when it may not.
    pub session_refusal: Option<String>,
}

fn state_json(enforced: bool, o: &Overview) -> ApprovalJson {
    let today = today_cst();
    let replied = o.replied(fmt::APPLICATION_CONVENE).is_some();
    let overridden = o.latest(fmt::SESSION_OVERRIDE).is_some();
    ApprovalJson {
        enforced,
        lists: o
            .contests
            .iter()
            .map(|a| ListJson {
                contest: a.contest.id.to_string(),
                title: a.contest.def.title.clone(),
                state: a.contest.state.as_str().to_string(),
                candidates_sha256: a.hash.clone(),
                candidates: a.list.clone(),
                notice_start: a.notice.map(|(s, _)| s.to_string()),
                notice_end: a.notice.map(|(_, e)| e.to_string()),
                steps: a.steps.iter().map(StepJson::from).collect(),
                refusals: open_refusals(&a.contest.def.title, &a.status, today),
            })
            .collect(),
        steps: o.steps.iter().map(StepJson::from).collect(),
        objections: o
            .objections
            .iter()
            .map(|x| ObjectionJson {
                id: x.id.clone(),
                contest: x.contest_id.clone(),
                candidate: x.candidate_id.clone(),
                candidate_name: x.candidate_name.clone(),
                body: x.body.clone(),
                name: x.name.clone(),
                contact: x.contact.clone(),
                created_at: x.created_at,
                handling: x.handling.clone(),
                handled_by: x.handled_by.clone(),
            })
            .collect(),
        convene_reply_recorded: replied,
        session_overridden: overridden,
        session_refusal: session_refusal(replied, overridden),
    }
}

/// The approval state: each presidium list with its steps and refusals, the applications,
/// replies and overrides, the objections (with the objectors' details) and the session gate.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/approval", tag = "approval",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = ApprovalJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let enforced = c.settings.approval_procedure;
    let o = state
        .run(move |conn| Ok(approval::overview(conn, &c.id)?))
        .await?;
    Ok(HttpResponse::Ok().json(state_json(enforced, &o)))
}

/// Signs a step on the owner's behalf and answers 201 with it.
async fn signed(
    state: &web::Data<AppState>,
    u: &ApiUser,
    req: &HttpRequest,
    cid: &CongressId,
    f: impl FnOnce(
            &mut crate::storage::DbConnection,
            &crate::service::Actor,
            &crate::crypto::SigningKey,
            &CongressId,
        ) -> crate::service::ServiceResult<StoredStep>
        + Send
        + 'static,
) -> ApiResult<HttpResponse> {
    let c = load(state, u, cid, Need::Own).await?;
    let key = state.signing_key(&c.id)?;
    let actor = api_actor(u, req);
    let s = state
        .run(move |conn| Ok(f(conn, &actor, &key, &c.id)?))
        .await?;
    Ok(HttpResponse::Created().json(StepJson::from(&s)))
}

/// Records a step of a presidium list: `kind` party_approval (body, reference, date),
/// federation_request (body, reply, date), notice (date = first day, holidays, workdays) or
/// notice_override (reason).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/approval/contests/{kid}/steps", tag = "approval",
    request_body(content = Object, description = "kind and the fields it uses"),
    params(("cid" = String, Path, description = "congress id"), ("kid" = String, Path, description = "contest id")),
    responses((status = 201, body = StepJson), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn step(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Json<StepFields>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let input = body.into_inner().input().map_err(WebError::BadRequest)?;
    signed(&state, &u, &req, &cid, move |c, a, k, cid| {
        approval::record_step(c, a, k, cid, &kid, &input)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct HandlingJson {
    /// How the objection was handled (处理结果).
    pub handling: String,
}

/// Records how an objection was handled (signed; rule C7).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/approval/objections/{oid}", tag = "approval",
    request_body = HandlingJson,
    params(("cid" = String, Path, description = "congress id"), ("oid" = String, Path, description = "objection id")),
    responses((status = 201, body = StepJson), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn handle(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, String)>,
    body: web::Json<HandlingJson>,
) -> ApiResult<HttpResponse> {
    let (cid, oid) = path.into_inner();
    let handling = body.into_inner().handling;
    signed(&state, &u, &req, &cid, move |c, a, k, cid| {
        approval::handle_objection(c, a, k, cid, &oid, &handling)
    })
    .await
}

/// Generates and signs an application: `kind` convene (body, start, end) or charter (body,
/// title, text).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/approval/applications", tag = "approval",
    request_body(content = Object, description = "kind and the fields it uses"),
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = StepJson), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn application(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ApplicationFields>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner().input().map_err(WebError::BadRequest)?;
    signed(&state, &u, &req, &cid, move |c, a, k, cid| {
        approval::generate_application(c, a, k, cid, &input)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyJson {
    /// The application's step number (`seq`).
    pub application: i32,
    pub body: String,
    #[serde(default)]
    pub reference: String,
    pub reply: String,
    /// YYYY-MM-DD
    pub date: String,
}

/// Records the upper 学联's reply to an application (rule G4).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/approval/replies", tag = "approval",
    request_body = ReplyJson,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = StepJson), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn reply(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ReplyJson>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let input = ReplyInput {
        application: b.application,
        body: b.body,
        reference: b.reference,
        reply: b.reply,
        date: b.date,
    };
    signed(&state, &u, &req, &cid, move |c, a, k, cid| {
        approval::record_reply(c, a, k, cid, &input)
    })
    .await
}

#[derive(Deserialize, ToSchema)]
pub struct ReasonJson {
    pub reason: String,
}

/// Declaring the session open before the reply, with the reason (rule G4; signed, printed
/// on the record).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/approval/session-override", tag = "approval",
    request_body = ReasonJson,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = StepJson), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn session_override(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ReasonJson>,
) -> ApiResult<HttpResponse> {
    let reason = body.into_inner().reason;
    signed(&state, &u, &req, &cid, move |c, a, k, cid| {
        approval::override_session(c, a, k, cid, &reason)
    })
    .await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/approval", web::get().to(get))
        .route(
            "/congresses/{cid}/approval/contests/{kid}/steps",
            web::post().to(step),
        )
        .route(
            "/congresses/{cid}/approval/objections/{oid}",
            web::post().to(handle),
        )
        .route(
            "/congresses/{cid}/approval/applications",
            web::post().to(application),
        )
        .route("/congresses/{cid}/approval/replies", web::post().to(reply))
        .route(
            "/congresses/{cid}/approval/session-override",
            web::post().to(session_override),
        );
}
