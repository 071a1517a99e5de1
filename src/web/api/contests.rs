//! `/api/v1/congresses/{cid}/contests[...]`: the agenda of elections and motions, their
//! candidates (in [`candidates`]) and readiness, as the organiser pages have them. The JSON
//! shapes are in [`json`].

pub mod candidates;
pub mod json;

use actix_web::{web, HttpRequest, HttpResponse};

use self::json::{contest_json, ContestBody, ContestJson, MoveBody};
use super::congresses::{api_actor, load};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::contests::{self as svc, Direction};
use crate::storage::repo::congress::Congress;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::AppState;

/// The contest `id` of `congress` as JSON.
async fn contest_out(
    state: &AppState,
    congress: Congress,
    id: ContestId,
) -> ApiResult<ContestJson> {
    let v = state
        .run(move |c| Ok((svc::view(c, &congress, &id)?, congress.settings)))
        .await?;
    Ok(contest_json(&v.0, &v.1))
}

/// The congress's contests in agenda order.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests", tag = "contests",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = [ContestJson]), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Read).await?;
    let profile = congress.settings;
    let agenda = state.run(move |c| Ok(svc::agenda(c, &congress)?)).await?;
    let out: Vec<ContestJson> = agenda.iter().map(|v| contest_json(v, &profile)).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a draft election or motion at the end of the agenda.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests", tag = "contests",
    request_body = ContestBody, params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = ContestJson), (status = 400, body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ContestBody>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let kind = body
        .kind
        .ok_or_else(|| WebError::BadRequest("须给出 kind: election 或 motion".to_string()))?;
    let def = body.definition(kind, &congress.settings, None)?;
    let actor = api_actor(&u, &req);
    let cid = congress.id.clone();
    let contest = state
        .run(move |c| Ok(svc::create(c, &actor, &cid, kind, &def)?))
        .await?;
    let out = contest_out(&state, congress, contest.id).await?;
    Ok(HttpResponse::Created().json(out))
}

/// One contest with its candidates and readiness.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/contests/{id}", tag = "contests",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = ContestJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load(&state, &u, &cid, Need::Read).await?;
    Ok(HttpResponse::Ok().json(contest_out(&state, congress, id).await?))
}

/// Replaces a draft contest's definition.
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/contests/{id}", tag = "contests",
    request_body = ContestBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = ContestJson), (status = 400, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Json<ContestBody>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let (c2, id2) = (cid.clone(), id.clone());
    let current = state.run(move |c| Ok(svc::load(c, &c2, &id2)?)).await?;
    if body.kind.is_some_and(|k| k != current.kind) {
        return Err(WebError::BadRequest(format!(
            "不能更改事项类别（本事项为{}）",
            current.kind.zh()
        ))
        .into());
    }
    let def = body.definition(
        current.kind,
        &congress.settings,
        Some(current.def.threshold),
    )?;
    let actor = api_actor(&u, &req);
    let id2 = id.clone();
    state
        .run(move |c| Ok(svc::update(c, &actor, &cid, &id2, &def)?))
        .await?;
    Ok(HttpResponse::Ok().json(contest_out(&state, congress, id).await?))
}

/// Deletes a draft contest and its candidates.
#[utoipa::path(delete, path = "/api/v1/congresses/{cid}/contests/{id}", tag = "contests",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    state
        .run(move |c| Ok(svc::delete(c, &actor, &cid, &id)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Why a proposed round is not held.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotHeldBody {
    /// Required; written into the record with the seats left empty.
    pub reason: String,
}

/// Records that a proposed 再次投票 / 另行选举 (a draft with a parent) is not held (F2, F3:
/// e.g. the seats are reduced instead), with the reason; it stays on the agenda and can no
/// longer open. A proposed round cannot be deleted (409); this is how it is abandoned.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/not-held", tag = "contests",
    request_body = NotHeldBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = ContestJson), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn not_held(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Json<NotHeldBody>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let reason = body.into_inner().reason;
    let profile = congress.settings;
    let v = state
        .run(move |c| {
            svc::not_held(c, &actor, &cid, &id, &reason)?;
            Ok(svc::view(c, &congress, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(contest_json(&v, &profile)))
}

/// Moves a draft contest up or down the agenda; returns the agenda.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/move", tag = "contests",
    request_body = MoveBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 200, body = [ContestJson]), (status = 400, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn move_contest(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Json<MoveBody>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let direction = Direction::parse(&body.direction).ok_or_else(|| {
        WebError::BadRequest(format!(
            "direction 应为 up 或 down，现为“{}”",
            body.direction
        ))
    })?;
    let actor = api_actor(&u, &req);
    let profile = congress.settings;
    let agenda = state
        .run(move |c| {
            svc::move_contest(c, &actor, &cid, &id, direction)?;
            Ok(svc::agenda(c, &congress)?)
        })
        .await?;
    let out: Vec<ContestJson> = agenda.iter().map(|v| contest_json(v, &profile)).collect();
    Ok(HttpResponse::Ok().json(out))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    let one = "/congresses/{cid}/contests/{id}";
    cfg.route("/congresses/{cid}/contests", web::get().to(list))
        .route("/congresses/{cid}/contests", web::post().to(create))
        .route(one, web::get().to(get))
        .route(one, web::put().to(update))
        .route(one, web::delete().to(delete))
        .route(&format!("{one}/move"), web::post().to(move_contest))
        .route(&format!("{one}/not-held"), web::post().to(not_held))
        .route(
            &format!("{one}/candidates"),
            web::post().to(candidates::add_candidate),
        )
        .route(
            &format!("{one}/candidates/{{kid}}"),
            web::put().to(candidates::update_candidate),
        )
        .route(
            &format!("{one}/candidates/{{kid}}"),
            web::delete().to(candidates::remove_candidate),
        );
}
