//! `/api/v1/congresses/{cid}/term...` and `/contests/{kid}/review`: what the term pages (闭会
//! 期间, rules I) and a review's settings page (H1, H4) do, for scripts. Same services, same
//! authorisation (the owner changes, scrutineers read), every change audited by the service;
//! a refused action answers the usual `{status, code, message, details}` with the Chinese
//! reason.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::ReviewDefinition;
use crate::domain::settings::Threshold;
use crate::domain::term::{MeetingKind, ParticipantVotes};
use crate::service::term::{self, MeetingDetails, TermOverview};
use crate::service::{self as svc, Actor, ServiceResult};
use crate::storage::DbConnection;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::AppState;

/// A meeting of the term.
#[derive(Serialize, ToSchema)]
pub struct MeetingJson {
    pub id: String,
    /// standing (常代会会议) | review (评议会)
    pub kind: String,
    pub name: String,
    pub date: String,
    pub place: String,
    /// The meeting's congress state (setup, frozen, ..., closed, certified, filed).
    pub state: String,
    /// How a 评议会's participants weigh (rule I7): none (不计票) | apart (分开计票).
    pub participant_votes: String,
}

/// A 评议会's named participant (学工部 / 校团委): attends; counted only apart, when the
/// meeting's `participant_votes` is `apart` (rule I7).
#[derive(Serialize, ToSchema)]
pub struct ParticipantJson {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub present: bool,
}

/// The term of a congress (or, for a meeting, of its congress) as the term page shows it.
#[derive(Serialize, ToSchema)]
pub struct TermJson {
    /// The congress whose term this is.
    pub congress: String,
    /// Set when asked for a meeting: the meeting.
    pub meeting: Option<MeetingJson>,
    /// I6 settings: the term's length and the semesters' first days ("MM-DD").
    pub term_years: u32,
    pub semester_starts: [String; 2],
    /// I2: standing delegates per college.
    pub quotas: BTreeMap<String, u32>,
    /// The nominated standing delegates' numbers (the congress's delegate numbers).
    pub standing: Vec<u32>,
    pub frozen: bool,
    /// The standing list judged (I1-I3): `{valid, colleges, total, ordinary, women, violations}`.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    pub meetings: Vec<MeetingJson>,
    /// I5: the presidium now, `[{member: {name, college, student_no}, since}]`.
    #[schema(value_type = Object)]
    pub presidium: serde_json::Value,
    /// I6: `[{date, from, title, kind, overdue}]` in date order; `kind` is `congress`,
    /// `{meeting: {id, kind, held}}`, `{review: {meeting, contest, counted}}` or
    /// `{reminder: {rule, done}}`.
    #[schema(value_type = Object)]
    pub timeline: serde_json::Value,
    /// A 评议会's participants (empty for a congress).
    pub participants: Vec<ParticipantJson>,
}

fn meeting_json(m: &term::MeetingLine) -> MeetingJson {
    MeetingJson {
        id: m.congress.id.to_string(),
        kind: m.meeting.kind.as_str().to_string(),
        name: m.congress.name.clone(),
        date: m.congress.date.clone(),
        place: m.congress.place.clone(),
        state: m.congress.state.as_str().to_string(),
        participant_votes: m.meeting.participant_votes.as_str().to_string(),
    }
}

fn term_json(o: &TermOverview) -> ApiResult<TermJson> {
    let value = |v: serde_json::Result<serde_json::Value>| v.map_err(WebError::internal);
    let standing = o
        .delegates
        .iter()
        .filter(|d| o.standing.contains(&d.id))
        .map(|d| d.delegate_no)
        .collect();
    let p = &o.congress.settings;
    Ok(TermJson {
        congress: o.congress.id.to_string(),
        meeting: o.meeting.as_ref().map(meeting_json),
        term_years: p.term_years,
        semester_starts: p.semester_starts.map(|m| m.to_string()),
        quotas: o.quotas.clone(),
        standing,
        frozen: o.frozen.is_some(),
        report: value(serde_json::to_value(&o.report))?,
        meetings: o.meetings.iter().map(meeting_json).collect(),
        presidium: value(serde_json::to_value(&o.presidium))?,
        timeline: value(serde_json::to_value(&o.timeline))?,
        participants: o
            .participants
            .iter()
            .map(|p| ParticipantJson {
                id: p.id.clone(),
                name: p.name.clone(),
                unit: p.unit.clone(),
                present: p.present,
            })
            .collect(),
    })
}

/// Loads `cid` for its owner, runs the term service `act` as the API user (the service audits
/// it) and returns the term of the congress or meeting whose id `act` returns.
async fn act<F>(
    state: &AppState,
    u: &ApiUser,
    req: &HttpRequest,
    cid: &CongressId,
    act: F,
) -> ApiResult<TermJson>
where
    F: FnOnce(&mut DbConnection, &Actor, &CongressId) -> ServiceResult<CongressId> + Send + 'static,
{
    let c = load(state, u, cid, Need::Own).await?;
    let a = api_actor(u, req);
    let o = state
        .run(move |conn| {
            let id = act(conn, &a, &c.id)?;
            Ok(term::overview(conn, &id, term::today_cst())?)
        })
        .await?;
    term_json(&o)
}

/// The term: standing list and its check, meetings, presidium (I5), timeline (I6); for a
/// meeting, also its participants (owner and scrutineers).
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/term", tag = "term",
    params(("cid" = String, Path, description = "congress or meeting id")),
    responses((status = 200, body = TermJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    let o = state
        .run(move |conn| Ok(term::overview(conn, &c.id, term::today_cst())?))
        .await?;
    Ok(HttpResponse::Ok().json(term_json(&o)?))
}

/// Standing delegates per college (I2).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotasBody {
    /// 学院 -> number of standing delegates (at most its delegates).
    pub quotas: BTreeMap<String, u32>,
}

/// Sets the number of standing delegates per college (owner; after the congress closed,
/// before the list is frozen). Answers the term.
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/term/quotas", tag = "term",
    request_body = QuotasBody,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = TermJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn quotas(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<QuotasBody>,
) -> ApiResult<HttpResponse> {
    let q = body.into_inner().quotas;
    let t = act(&state, &u, &req, &cid, move |conn, a, id| {
        term::set_quotas(conn, a, id, &q).map(|_| id.clone())
    })
    .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// The standing delegates nominated, by delegate number.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandingBody {
    pub numbers: Vec<u32>,
}

/// Nominates the standing delegates (I1: replaces the list; a number that is no delegate is
/// refused, 422, nothing stored). Answers the term with the list's check.
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/term/standing", tag = "term",
    request_body = StandingBody,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = TermJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn standing(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<StandingBody>,
) -> ApiResult<HttpResponse> {
    let n = body.into_inner().numbers;
    let t = act(&state, &u, &req, &cid, move |conn, a, id| {
        term::nominate(conn, a, id, &n).map(|_| id.clone())
    })
    .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// Freezes the standing list (I2; 422 with the violations while it breaks a rule, 409 once
/// frozen).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/term/freeze", tag = "term",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = TermJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn freeze(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let t = act(&state, &u, &req, &cid, |conn, a, id| {
        term::freeze(conn, a, id).map(|_| id.clone())
    })
    .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// A meeting to create.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    /// standing (常代会会议) | review (评议会)
    pub kind: String,
    pub name: String,
    /// YYYY-MM-DD
    pub date: String,
    pub place: String,
}

/// Creates a meeting of the term (owner; the standing list frozen): a congress of its own
/// whose roster is the standing list. 201 with the meeting's term.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/term/meetings", tag = "term",
    request_body = MeetingBody,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = TermJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_meeting(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<MeetingBody>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let kind = MeetingKind::parse(&b.kind).ok_or_else(|| WebError::Unprocessable {
        message: "会议类别有误".to_string(),
        details: vec![format!(
            "kind 为“{}”, 应为 standing(常代会会议)或 review(评议会)",
            b.kind
        )],
    })?;
    let details = MeetingDetails {
        kind,
        name: b.name,
        date: b.date,
        place: b.place,
    };
    let st = state.clone();
    let t = act(&state, &u, &req, &cid, move |conn, a, id| {
        term::create_meeting(conn, a, id, &details, &st.keys).map(|m| m.id)
    })
    .await?;
    Ok(HttpResponse::Created().json(t))
}

/// A participant of a 评议会.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantBody {
    pub name: String,
    /// 学工部, 校团委, ...
    pub unit: String,
}

/// Adds a named participant to a 评议会 (owner): attends, is not a delegate, never counted.
/// 201 with the meeting's term.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/term/participants", tag = "term",
    request_body = ParticipantBody,
    params(("cid" = String, Path, description = "meeting id (a 评议会)")),
    responses((status = 201, body = TermJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ParticipantBody>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let t = act(&state, &u, &req, &cid, move |conn, a, id| {
        term::add_participant(conn, a, id, &b.name, &b.unit).map(|_| id.clone())
    })
    .await?;
    Ok(HttpResponse::Created().json(t))
}

/// How a 评议会's participants weigh (rule I7).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantVotesBody {
    /// `none` (不计票: they attend without a vote) or `apart` (分开计票: they vote with the
    /// same secret ballot papers, signed with each contest's participants' key, tallied apart
    /// and never part of the result, 应到, 实到 or the quorum).
    pub participant_votes: String,
}

/// Sets how a 评议会's participants weigh (owner): only a 评议会, only before any of its
/// contests opened (409), `apart` only with at least 3 participants listed (422, rule I7).
/// 200 with the meeting's term.
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/term/participant-votes", tag = "term",
    request_body = ParticipantVotesBody,
    params(("cid" = String, Path, description = "meeting id (a 评议会)")),
    responses((status = 200, body = TermJson), (status = 400, body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn participant_votes(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ParticipantVotesBody>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let votes = ParticipantVotes::parse(&b.participant_votes).ok_or_else(|| {
        WebError::BadRequest(format!(
            "participant_votes 应为 \"none\"(不计票)或 \"apart\"(分开计票), 实为 \"{}\"",
            b.participant_votes
        ))
    })?;
    let t = act(&state, &u, &req, &cid, move |conn, a, id| {
        term::set_participant_votes(conn, a, id, votes).map(|_| id.clone())
    })
    .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// A review's settings (H1, H4).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `{persons: [{name, post, college}], dimensions: [..], grades: [best first],
    /// favourable: n}`
    #[schema(value_type = Object)]
    pub definition: ReviewDefinition,
    /// The 不称职 follow-up threshold, `{base, fraction: {num, den, strict}}`; omitted keeps it.
    #[schema(value_type = Object)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<Threshold>,
}

/// A review's settings: who is reviewed on what, with which grades, and the follow-up
/// threshold (owner and scrutineers).
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests/{kid}/review", tag = "term",
    params(("cid" = String, Path, description = "congress id"),
        ("kid" = String, Path, description = "review contest id")),
    responses((status = 200, body = ReviewBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn review(
    state: web::Data<AppState>,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let c = load(&state, &u, &cid, Need::Read).await?;
    let (contest, def) = state
        .run(move |conn| Ok(svc::contests::review_definition(conn, &c.id, &kid)?))
        .await?;
    Ok(HttpResponse::Ok().json(ReviewBody {
        definition: def,
        follow_up: Some(contest.def.threshold),
    }))
}

/// Replaces a draft review's settings (owner; H1 checked whole, nothing saved on an error:
/// 422 naming the place; 409 once opened).
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/contests/{kid}/review", tag = "term",
    request_body = ReviewBody,
    params(("cid" = String, Path, description = "congress id"),
        ("kid" = String, Path, description = "review contest id")),
    responses((status = 200, body = ReviewBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn set_review(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Json<ReviewBody>,
) -> ApiResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let c = load(&state, &u, &cid, Need::Own).await?;
    let b = body.into_inner();
    let a = api_actor(&u, &req);
    let (contest, def) = state
        .run(move |conn| {
            svc::contests::set_review(conn, &a, &c.id, &kid, &b.definition, b.follow_up)?;
            Ok(svc::contests::review_definition(conn, &c.id, &kid)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ReviewBody {
        definition: def,
        follow_up: Some(contest.def.threshold),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/term", web::get().to(get))
        .route("/congresses/{cid}/term/quotas", web::put().to(quotas))
        .route("/congresses/{cid}/term/standing", web::put().to(standing))
        .route("/congresses/{cid}/term/freeze", web::post().to(freeze))
        .route(
            "/congresses/{cid}/term/meetings",
            web::post().to(create_meeting),
        )
        .route(
            "/congresses/{cid}/term/participants",
            web::post().to(add_participant),
        )
        .route(
            "/congresses/{cid}/term/participant-votes",
            web::put().to(participant_votes),
        )
        .route(
            "/congresses/{cid}/contests/{kid}/review",
            web::get().to(review),
        )
        .route(
            "/congresses/{cid}/contests/{kid}/review",
            web::put().to(set_review),
        );
}
