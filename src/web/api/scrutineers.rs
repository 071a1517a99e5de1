//! `/api/v1/congresses/{cid}/scrutineers`: list, add and remove the congress's scrutineers
//! (总监票人, 监票人, 计票人; rule G2), with the same rules as the page.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load};
use crate::domain::ids::CongressId;
use crate::service::{self, scrutineers::ScrutineerInput};
use crate::storage::repo::scrutineers::{Scrutineer, ScrutineerRole};
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::AppState;

/// A scrutineer as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct ScrutineerJson {
    pub id: String,
    /// chief | scrutineer | counter
    pub role: String,
    /// 总监票人 | 监票人 | 计票人
    pub role_zh: String,
    pub name: String,
    pub student_no: Option<String>,
    /// The linked scrutineer account's username.
    pub username: Option<String>,
}

impl From<&Scrutineer> for ScrutineerJson {
    fn from(s: &Scrutineer) -> Self {
        ScrutineerJson {
            id: s.id.clone(),
            role: s.role.as_str().to_string(),
            role_zh: s.role.zh().to_string(),
            name: s.name.clone(),
            student_no: s.student_no.clone(),
            username: s.username.clone(),
        }
    }
}

/// A scrutineer to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScrutineerJson {
    /// chief | scrutineer | counter (also 总监票人 | 监票人 | 计票人)
    pub role: String,
    pub name: String,
    /// 学号 (needed to check the person is not a candidate when names repeat)
    pub student_no: Option<String>,
    /// Username of a scrutineer account to link.
    pub username: Option<String>,
}

/// The congress's scrutineers, 总监票人 first.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/scrutineers", tag = "scrutineers",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = [ScrutineerJson]), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    let list = state
        .run(move |conn| Ok(service::scrutineers::list(conn, &c.id)?))
        .await?;
    let out: Vec<ScrutineerJson> = list.iter().map(ScrutineerJson::from).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// Adds a scrutineer (owner only). 409 for a second 总监票人 or a person already listed; 422
/// for a candidate (rule G2) or bad fields.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/scrutineers", tag = "scrutineers",
    request_body = NewScrutineerJson,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = ScrutineerJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<NewScrutineerJson>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let body = body.into_inner();
    let role = ScrutineerRole::parse(&body.role).ok_or_else(|| {
        WebError::BadRequest(format!(
            "role 应为 chief、scrutineer 或 counter, 现为 “{}”",
            body.role
        ))
    })?;
    let input = ScrutineerInput {
        role,
        name: body.name,
        student_no: body.student_no,
        username: body.username,
    };
    let actor = api_actor(&u, &req);
    let s = state
        .run(move |conn| Ok(service::scrutineers::add(conn, &actor, &c.id, &input)?))
        .await?;
    Ok(HttpResponse::Created().json(ScrutineerJson::from(&s)))
}

/// Removes a scrutineer (owner only).
#[utoipa::path(delete, path = "/api/v1/congresses/{cid}/scrutineers/{id}", tag = "scrutineers",
    params(("cid" = String, Path, description = "congress id"),
        ("id" = String, Path, description = "scrutineer id")),
    responses((status = 204, description = "removed"), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, String)>,
) -> ApiResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    state
        .run(move |conn| Ok(service::scrutineers::remove(conn, &actor, &c.id, &id)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/scrutineers", web::get().to(list))
        .route("/congresses/{cid}/scrutineers", web::post().to(create))
        .route(
            "/congresses/{cid}/scrutineers/{id}",
            web::delete().to(delete),
        );
}
