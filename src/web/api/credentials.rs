//! `/api/v1/congresses/{cid}/credentials`: the delegates' cards (代表证) as the credentials
//! pages handle them: issue every card on the frozen roster, read the cards (their login URL
//! and manual code: secrets, so only the owning organiser, as on the page, and never cached),
//! and reissue a lost card.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::congresses::{api_actor, load};
use crate::domain::ids::CongressId;
use crate::service::credentials::{self, Card, PrintRun};
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult};
use crate::web::AppState;

/// One delegate's card.
#[derive(Serialize, ToSchema)]
pub struct CardJson {
    pub delegate_no: u32,
    pub name: String,
    pub college: String,
    /// The URL in the card's QR code (logs the delegate in).
    pub login_url: String,
    /// The manual code, `XXXXX-XXXXX`.
    pub code: String,
}

fn card_json(state: &AppState, c: &Card) -> CardJson {
    CardJson {
        delegate_no: c.delegate.delegate_no,
        name: c.delegate.student.name.clone(),
        college: c.delegate.student.college.clone(),
        login_url: state.card_url(&c.token),
        code: c.code.clone(),
    }
}

fn secret(json: impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(json)
}

/// How many cards were issued.
#[derive(Serialize, ToSchema)]
pub struct IssuedJson {
    pub issued: usize,
}

/// Issues every delegate's card (owner; roster frozen -> credentials issued).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/credentials/issue", tag = "credentials",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = IssuedJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let key = state.credential_key.clone();
    let issued = state
        .run(move |conn| Ok(credentials::issue(conn, &actor, &c.id, &key)?))
        .await?;
    Ok(HttpResponse::Ok().json(IssuedJson { issued }))
}

/// Which cards.
#[derive(Deserialize, IntoParams)]
pub struct CardsQuery {
    /// Only this college's cards (as the page prints one college at a time).
    pub college: Option<String>,
}

/// The issued cards with their secrets (owner only; `Cache-Control: no-store`). Reading them
/// is printing them: audited as `credentials.print` with a print event on each card, as the
/// page's print run is, so nobody reads a card's secret silently.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/credentials", tag = "credentials",
    params(("cid" = String, Path, description = "congress id"), CardsQuery),
    responses((status = 200, body = [CardJson]), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn cards(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    q: web::Query<CardsQuery>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let key = state.credential_key.clone();
    let run = match q.into_inner().college {
        Some(college) => PrintRun::College(college),
        None => PrintRun::All,
    };
    let cards = state
        .run(move |conn| Ok(credentials::print(conn, &actor, &c.id, &run, &key)?))
        .await?;
    let out: Vec<CardJson> = cards.iter().map(|k| card_json(&state, k)).collect();
    Ok(secret(out))
}

/// A lost card to reissue.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReissueBody {
    pub delegate_no: u32,
}

/// Reissues a lost card (owner; the old card and its sessions stop at once); returns the new
/// card (`Cache-Control: no-store`).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/credentials/reissue", tag = "credentials",
    request_body = ReissueBody,
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = CardJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn reissue(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<ReissueBody>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let key = state.credential_key.clone();
    let no = body.delegate_no;
    let card = state
        .run(move |conn| Ok(credentials::reissue(conn, &actor, &c.id, no, &key)?))
        .await?;
    Ok(secret(card_json(&state, &card)))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/credentials", web::get().to(cards))
        .route("/congresses/{cid}/credentials/issue", web::post().to(issue))
        .route(
            "/congresses/{cid}/credentials/reissue",
            web::post().to(reissue),
        );
}
