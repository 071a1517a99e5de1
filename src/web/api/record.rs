//! `/api/v1/congresses/{cid}/...` for the certified record (rules G2, G3): closing the
//! congress, certifying, reading the signed record with its addenda, recording the approval
//! and the filing, and downloading the filing packet.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::congresses::{api_actor, load, CongressJson};
use crate::crypto::sha256_hex;
use crate::domain::ids::CongressId;
use crate::packet::zip_packet;
use crate::service::record::{self, AddendumInput};
use crate::service::results;
use crate::storage::repo::records;
use crate::storage::DbConnection;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError, WebResult};
use crate::web::AppState;

/// A signed document: its exact bytes as text, parsed, its signature and hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedJson {
    /// The document parsed (record or addendum).
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
    /// The exact canonical JSON the signature covers (`record.json` / `addenda/<kind>.json`).
    pub json: String,
    /// Ed25519 signature over the UTF-8 bytes of `json`, standard base64.
    pub sig: String,
    /// SHA-256 of the bytes of `json`, hex.
    pub sha256: String,
}

/// The certified record and the addenda recorded since.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordJson {
    pub record: SignedJson,
    /// approval (党委批准) and filing (备案), in the order recorded.
    pub addenda: Vec<SignedJson>,
}

/// An approval (党委批准) or filing (备案) to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddendumBody {
    /// approval | filing
    pub kind: String,
    /// approval: the approving Party committee; filing: the receiving body.
    pub body: String,
    /// approval: 文号 (reference number).
    pub reference: Option<String>,
    /// YYYY-MM-DD, not in the future; a filing not before the approval.
    pub date: String,
    /// Required to correct an approval or filing already recorded (a new signed addendum that
    /// names the one it corrects); refused (409) without it.
    pub reason: Option<String>,
}

fn signed(json: String, sig: String) -> WebResult<SignedJson> {
    Ok(SignedJson {
        document: serde_json::from_str(&json).map_err(WebError::internal)?,
        sha256: sha256_hex(json.as_bytes()),
        json,
        sig,
    })
}

fn record_json(conn: &mut DbConnection, cid: &CongressId) -> WebResult<RecordJson> {
    let row = records::get(conn, cid)?
        .ok_or_else(|| WebError::NotFound("尚未签署选举结果报告".to_string()))?;
    let addenda = records::addenda(conn, cid)?
        .into_iter()
        .map(|a| signed(a.body_json, a.sig))
        .collect::<WebResult<Vec<_>>>()?;
    Ok(RecordJson {
        record: signed(row.record_json, row.record_sig)?,
        addenda,
    })
}

/// The signed record and its addenda.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/record", tag = "record",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = RecordJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Read).await?;
    let out = state.run(move |c| record_json(c, &congress.id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// 大会闭幕: every contest that was opened is counted; drafts never opened are left out.
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/close", tag = "record",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, body = CongressJson), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn close(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let actor = api_actor(&u, &req);
    let closed = state
        .run(move |c| {
            results::close_congress(c, &actor, &congress.id)?;
            Ok(crate::service::congress::load(c, &congress.id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(CongressJson::from(&closed)))
}

/// Certifies a closed congress: builds and signs the record (owner only).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/certify", tag = "record",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = RecordJson), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody, description = "the congress is not closed"),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn certify(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Own).await?;
    state.certify(&congress.id, api_actor(&u, &req)).await?;
    let out = state.run(move |c| record_json(c, &congress.id)).await?;
    Ok(HttpResponse::Created().json(out))
}

/// Records the Party committee's approval or the filing as a signed addendum referencing the
/// record's hash (owner only; filing moves the congress to `filed`). The filing only after
/// the approval (409); dates not in the future (422); a recorded one is corrected by posting
/// the same kind again with a `reason` (a new signed addendum naming the one it corrects).
#[utoipa::path(post, path = "/api/v1/congresses/{cid}/addenda", tag = "record",
    request_body = AddendumBody, params(("cid" = String, Path, description = "congress id")),
    responses((status = 201, body = SignedJson), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_addendum(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    cid: web::Path<CongressId>,
    body: web::Json<AddendumBody>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Own).await?;
    let key = state.signing_key(&congress.id)?;
    let actor = api_actor(&u, &req);
    let b = body.into_inner();
    let input = AddendumInput {
        kind: b.kind,
        body: b.body,
        reference: b.reference,
        date: b.date,
        reason: b.reason,
    };
    let out = state
        .run(move |c| {
            let added = record::add_addendum(c, &actor, &congress.id, &key, &input)?;
            let row = records::addenda(c, &congress.id)?
                .into_iter()
                .filter(|a| a.kind == added.kind)
                .max_by_key(|a| a.seq)
                .ok_or_else(|| WebError::internal("addendum not stored"))?;
            signed(row.body_json, row.sig)
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The filing packet as a zip (record, signature, key, boards, rolls, roster summary, the
/// printable report, addenda, VERIFY.txt and the Python verifier). Holds the rolls: personal
/// data, staff only.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/packet.zip", tag = "record",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, description = "the packet", content_type = "application/zip"),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn packet(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let congress = load(&state, &u, &cid, Need::Read).await?;
    let url = state.public_url.clone();
    let id = congress.id.clone();
    let bytes = state
        .run(move |c| {
            let contents = record::filing_packet(c, &id, &url)?;
            zip_packet(&contents).map_err(WebError::internal)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}-packet.zip\"", congress.id),
        ))
        .body(bytes))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/record", web::get().to(get))
        .route("/congresses/{cid}/close", web::post().to(close))
        .route("/congresses/{cid}/certify", web::post().to(certify))
        .route("/congresses/{cid}/addenda", web::post().to(add_addendum))
        .route("/congresses/{cid}/packet.zip", web::get().to(packet));
}
