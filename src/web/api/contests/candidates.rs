//! `/api/v1/congresses/{cid}/contests/{id}/candidates[/{kid}]`: add, replace and remove the
//! candidates of a draft election.

use actix_web::{web, HttpRequest, HttpResponse};

use super::json::{candidate_json, CandidateBody, CandidateJson};
use crate::domain::ids::{CandidateId, CongressId, ContestId};
use crate::service::contests::{self as svc, CandidateData};
use crate::storage::repo::congress::Congress;
use crate::web::api::congresses::{api_actor, load};
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::AppState;

/// The candidate `kid` of contest `id` as JSON (with its ballot position).
async fn candidate_out(
    state: &AppState,
    congress: Congress,
    id: ContestId,
    kid: String,
) -> ApiResult<CandidateJson> {
    let profile = congress.settings;
    let v = state
        .run(move |c| Ok(svc::view(c, &congress, &id)?))
        .await?;
    v.candidates
        .iter()
        .position(|k| k.id == kid)
        .map(|i| candidate_json(&v.candidates[i], i + 1, &profile))
        .ok_or_else(|| WebError::NotFound(format!("候选人 {kid} 不存在")).into())
}

/// Adds a candidate to a draft election (refused under C3 without an override, G2, B6).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/contests/{id}/candidates", tag = "contests",
    request_body = CandidateBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id")),
    responses((status = 201, body = CandidateJson), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_candidate(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Json<CandidateBody>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let data = CandidateData::from(body.into_inner());
    let actor = api_actor(&u, &req);
    let id2 = id.clone();
    let cand = state
        .run(move |c| Ok(svc::add_candidate(c, &actor, &cid, &id2, &data)?))
        .await?;
    let out = candidate_out(&state, congress, id, cand.id).await?;
    Ok(HttpResponse::Created().json(out))
}

/// Replaces a candidate's data (same checks as adding).
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/contests/{id}/candidates/{kid}", tag = "contests",
    request_body = CandidateBody,
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id"),
        ("kid" = String, Path, description = "candidate id")),
    responses((status = 200, body = CandidateJson), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn update_candidate(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId, CandidateId)>,
    body: web::Json<CandidateBody>,
) -> ApiResult<HttpResponse> {
    let (cid, id, kid) = path.into_inner();
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let data = CandidateData::from(body.into_inner());
    let actor = api_actor(&u, &req);
    let (id2, kid2) = (id.clone(), kid.clone());
    state
        .run(move |c| Ok(svc::update_candidate(c, &actor, &cid, &id2, &kid2, &data)?))
        .await?;
    Ok(HttpResponse::Ok().json(candidate_out(&state, congress, id, kid.into_string()).await?))
}

/// Removes a candidate from a draft election.
#[utoipa::path(delete, path = "/api/v1/congresses/{cid}/contests/{id}/candidates/{kid}", tag = "contests",
    params(("cid" = String, Path, description = "congress id"), ("id" = String, Path, description = "contest id"),
        ("kid" = String, Path, description = "candidate id")),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_candidate(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, ContestId, CandidateId)>,
) -> ApiResult<HttpResponse> {
    let (cid, id, kid) = path.into_inner();
    load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    state
        .run(move |c| Ok(svc::remove_candidate(c, &actor, &cid, &id, &kid)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
