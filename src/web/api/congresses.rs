//! `/api/v1/me` and `/api/v1/congresses[/{cid}]`: who am I, list, create, read and edit
//! congresses (details and rule profile).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::ids::CongressId;
use crate::domain::settings::RuleProfile;
use crate::service::{self, Actor};
use crate::storage::repo::congress::{self as repo, Congress, CongressDetails};
use crate::storage::repo::users::Role;
use crate::web::auth::{authorize, client_addr, ApiUser, Need};
use crate::web::error::{ApiResult, WebError};
use crate::web::AppState;

/// The audit actor of an API call.
pub fn api_actor(u: &ApiUser, req: &HttpRequest) -> Actor {
    Actor {
        username: u.user.username.clone(),
        role: u.user.role.as_str().to_string(),
        addr: Some(client_addr(req)),
    }
}

/// Loads a congress and checks the API user may do `need`.
pub async fn load(
    state: &AppState,
    u: &ApiUser,
    cid: &CongressId,
    need: Need,
) -> ApiResult<Congress> {
    let cid = cid.clone();
    let c = state
        .run(move |c| Ok(service::congress::load(c, &cid)?))
        .await?;
    authorize(&u, &c, need)?;
    Ok(c)
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    /// organiser | scrutineer
    pub role: String,
}

/// The account the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = crate::web::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn me(u: ApiUser) -> HttpResponse {
    HttpResponse::Ok().json(Me {
        username: u.user.username,
        role: u.user.role.as_str().to_string(),
    })
}

/// A congress as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct CongressJson {
    pub id: String,
    pub name: String,
    pub school: String,
    /// school (校级) | college (院级)
    pub level: String,
    pub session_no: u32,
    pub date: String,
    pub place: String,
    /// setup | roster_frozen | credentials_issued | in_session | closed | certified | filed
    pub state: String,
    pub state_zh: String,
    #[schema(value_type = Object)]
    pub settings: RuleProfile,
    pub key_fingerprint: Option<String>,
}

impl From<&Congress> for CongressJson {
    fn from(c: &Congress) -> Self {
        CongressJson {
            id: c.id.to_string(),
            name: c.name.clone(),
            school: c.school.clone(),
            level: c.level.as_str().to_string(),
            session_no: c.session_no,
            date: c.date.clone(),
            place: c.place.clone(),
            state: c.state.as_str().to_string(),
            state_zh: c.state.zh().to_string(),
            settings: c.settings,
            key_fingerprint: c.key_fingerprint.clone(),
        }
    }
}

/// Details of a congress, to create or edit it.
#[derive(Deserialize, ToSchema)]
pub struct DetailsJson {
    pub name: String,
    pub school: String,
    /// school | college (also 校级 | 院级)
    pub level: String,
    pub session_no: u32,
    /// YYYY-MM-DD
    pub date: String,
    pub place: String,
    /// Rule-profile settings; omitted fields take the defaults of rules.md (create only).
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
}

impl DetailsJson {
    fn details(&self) -> Result<CongressDetails, WebError> {
        let level = crate::domain::types::Level::parse(&self.level).ok_or_else(|| {
            WebError::BadRequest(format!(
                "level 应为 school 或 college, 现为 “{}”",
                self.level
            ))
        })?;
        Ok(CongressDetails {
            name: self.name.clone(),
            school: self.school.clone(),
            level,
            session_no: self.session_no,
            date: self.date.clone(),
            place: self.place.clone(),
        })
    }
}

/// A client's rule profile: omitted fields take the defaults (`RuleProfile::from_request`).
fn request_profile(v: serde_json::Value) -> Result<RuleProfile, WebError> {
    RuleProfile::from_request(v).map_err(|e| WebError::BadRequest(format!("settings 有误: {e}")))
}

/// The congresses this account may see.
#[utoipa::path(get, path = "/api/v1/congresses", tag = "congresses",
    responses((status = 200, body = [CongressJson]), (status = 401, body = crate::web::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn list(state: web::Data<AppState>, u: ApiUser) -> ApiResult<HttpResponse> {
    let all = state.run(|c| Ok(repo::list(c)?)).await?;
    let out: Vec<CongressJson> = all
        .iter()
        .filter(|c| authorize(&u, c, Need::Read).is_ok())
        .map(CongressJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// Creates a congress owned by the calling organiser.
#[utoipa::path(post, path = "/api/v1/congresses", tag = "congresses", request_body = DetailsJson,
    responses((status = 201, body = CongressJson), (status = 403, body = crate::web::error::ApiErrorBody),
        (status = 422, body = crate::web::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    body: web::Json<DetailsJson>,
) -> ApiResult<HttpResponse> {
    if u.user.role != Role::Organiser {
        return Err(WebError::Forbidden("只有组织者可以新建大会".to_string()).into());
    }
    let details = body.details()?;
    let settings = match body.settings.clone() {
        Some(v) => request_profile(v)?,
        None => RuleProfile::default(),
    };
    let actor = api_actor(&u, &req);
    let owner = u.user.id.clone();
    let keys = state.keys.clone();
    let c = state
        .run(move |c| {
            Ok(service::congress::create(
                c, &actor, &owner, &details, &settings, &keys,
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(CongressJson::from(&c)))
}

/// One congress.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}", tag = "congresses",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = CongressJson), (status = 403, body = crate::web::error::ApiErrorBody),
        (status = 404, body = crate::web::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    Ok(HttpResponse::Ok().json(CongressJson::from(&c)))
}

/// Edits the details (name, school, level, session, date, place).
#[utoipa::path(put, path = "/api/v1/congresses/{cid}", tag = "congresses", request_body = DetailsJson,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = CongressJson), (status = 403, body = crate::web::error::ApiErrorBody),
        (status = 409, body = crate::web::error::ApiErrorBody), (status = 422, body = crate::web::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<DetailsJson>,
) -> ApiResult<HttpResponse> {
    load(&state, &u, &cid, Need::Own).await?;
    let details = body.details()?;
    let actor = api_actor(&u, &req);
    let cid = cid.into_inner();
    let c = state
        .run(move |c| {
            Ok(service::congress::update_details(
                c, &actor, &cid, &details,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CongressJson::from(&c)))
}

/// Replaces the rule-profile settings (only while the congress is in set-up).
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/settings", tag = "congresses",
    request_body(content = Object, description = "RuleProfile; omitted fields take their defaults"),
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = CongressJson), (status = 403, body = crate::web::error::ApiErrorBody),
        (status = 409, body = crate::web::error::ApiErrorBody), (status = 422, body = crate::web::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn update_settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    load(&state, &u, &cid, Need::Own).await?;
    let settings = request_profile(body.into_inner())?;
    let actor = api_actor(&u, &req);
    let cid = cid.into_inner();
    let c = state
        .run(move |c| {
            Ok(service::congress::update_settings(
                c, &actor, &cid, &settings,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CongressJson::from(&c)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me", web::get().to(me))
        .route("/congresses", web::get().to(list))
        .route("/congresses", web::post().to(create))
        .route("/congresses/{cid}", web::get().to(get))
        .route("/congresses/{cid}", web::put().to(update))
        .route("/congresses/{cid}/settings", web::put().to(update_settings));
}
