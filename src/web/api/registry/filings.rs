//! Filing a packet over the API (`POST /api/v1/registry/schools/{code}/filings`, the zip as
//! the request body): 201 with the filing when accepted, 200 when this very packet was filed
//! before, 422 with the reason (and every failed check in `details`) when refused, 413 over
//! the size limit. A filing's details with its indicators, and its stored packet.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::{actor, FilingJson, IndicatorJson, SchoolJson};
use crate::registry::ingest::{examine, record, Outcome};
use crate::registry::table::filing_view;
use crate::storage::repo::registry::FilingBrief;
use crate::web::auth::ApiUser;
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::routes::registry::access::{config, school, who};
use crate::web::routes::registry::upload::raw;
use crate::web::AppState;

/// A filing with where it stands and its indicators.
#[derive(Debug, Serialize, ToSchema)]
pub struct FilingDetailJson {
    pub school: SchoolJson,
    pub filing: FilingJson,
    /// on_time | late
    pub standing: String,
    pub standing_zh: String,
    pub detail: String,
    /// The school's congress before this one (YYYY-MM-DD), if filed.
    pub previous_congress: Option<String>,
    pub indicators: Vec<IndicatorJson>,
}

/// An upload's outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiledJson {
    /// accepted | duplicate
    pub outcome: String,
    /// Whether this filing pinned its congress's signing key.
    pub key_pinned: bool,
    pub filing: FilingJson,
}

fn filed(outcome: &str, f: &FilingBrief, pinned: bool) -> FiledJson {
    FiledJson {
        outcome: outcome.to_string(),
        key_pinned: pinned,
        filing: FilingJson::from(f),
    }
}

/// Files a packet for the school (office, or the school's own account): verified on arrival
/// like `congress verify`, its key checked against the pins; refused packets are not stored.
#[utoipa::path(post, path = "/api/v1/registry/schools/{code}/filings", tag = "registry",
    params(("code" = String, Path, description = "school code")),
    request_body(content = String, content_type = "application/zip",
        description = "the filing packet zip, as the record page downloads it"),
    responses((status = 201, body = FiledJson, description = "accepted"),
        (status = 200, body = FiledJson, description = "this packet was filed before"),
        (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 413, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody, description = "refused: reason, failed checks")),
    security(("bearer" = [])))]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<String>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let w = who(&state, &u.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    let cfg = config(&state)?;
    let up = raw(body, cfg.limits.max_packet_bytes).await?;
    let a = actor(&u, &req);
    let c2 = cfg.clone();
    let examined = web::block(move || examine(&c2.store, &c2.limits, up)).await??;
    let outcome = state
        .run(move |c| Ok(record(c, &cfg.store, &a, &s, examined, "api")?))
        .await?;
    match outcome {
        Outcome::Accepted { filing, pinned } => {
            Ok(HttpResponse::Created().json(filed("accepted", &filing, pinned)))
        }
        Outcome::Duplicate(filing) => {
            Ok(HttpResponse::Ok().json(filed("duplicate", &filing, false)))
        }
        Outcome::Refused(r) => {
            let mut details = r.details;
            details.push(format!(
                "归档包 sha256 {} ({} 字节), 未保存",
                r.packet_sha256, r.packet_bytes
            ));
            Err(WebError::Unprocessable {
                message: r.reason,
                details,
            }
            .into())
        }
    }
}

/// A filing with its standing and indicators (office, or the school's own account).
#[utoipa::path(get, path = "/api/v1/registry/filings/{id}", tag = "registry",
    params(("id" = String, Path, description = "filing id")),
    responses((status = 200, body = FilingDetailJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let w = who(&state, &u.user).await?;
    let id = path.into_inner();
    let v = state.run(move |c| Ok(filing_view(c, &id)?)).await?;
    school(&state, &w, &v.school.code).await?;
    let f = &v.filing;
    let brief = FilingBrief {
        id: f.id.clone(),
        school_id: f.school_id.clone(),
        congress_id: f.congress_id.clone(),
        congress_name: f.congress_name.clone(),
        level: f.level.clone(),
        session_no: f.session_no,
        congress_date: f.congress_date.clone(),
        year: f.year,
        record_sha256: f.record_sha256.clone(),
        packet_sha256: f.packet_sha256.clone(),
        packet_bytes: f.packet_bytes,
        key_fingerprint: f.key_fingerprint.clone(),
        checks: f.checks,
        uploaded_by: f.uploaded_by.clone(),
        via: f.via.clone(),
        uploaded_at: f.uploaded_at,
    };
    Ok(HttpResponse::Ok().json(FilingDetailJson {
        school: SchoolJson::from(&v.school),
        filing: FilingJson::from(&brief),
        standing: serde_json::to_value(v.status.standing)
            .ok()
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default(),
        standing_zh: v.status.standing.zh().to_string(),
        detail: v.status.detail.clone(),
        previous_congress: v.previous.map(|d| d.to_string()),
        indicators: v.indicators.iter().map(IndicatorJson::from).collect(),
    }))
}

/// The stored packet, exactly as filed (audited: it holds the rolls).
#[utoipa::path(get, path = "/api/v1/registry/filings/{id}/packet", tag = "registry",
    params(("id" = String, Path, description = "filing id")),
    responses((status = 200, description = "the packet", content_type = "application/zip"),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn packet(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let w = who(&state, &u.user).await?;
    let id = path.into_inner();
    let v = state.run(move |c| Ok(filing_view(c, &id)?)).await?;
    school(&state, &w, &v.school.code).await?;
    let cfg = config(&state)?;
    let rel = v.filing.stored_as.clone();
    let bytes = web::block(move || cfg.store.get(&rel))
        .await?
        .map_err(|e| WebError::Internal(crate::errors::context("reading a filed packet", e)))?;
    let a = actor(&u, &req);
    let code = v.school.code.clone();
    let after = serde_json::json!({"filing": v.filing.id, "packet_sha256": v.filing.packet_sha256})
        .to_string();
    state
        .run(move |c| {
            a.audit(
                c,
                None,
                "registry.packet_download",
                Some(&code),
                None,
                Some(after),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .body(bytes))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/api/v1/registry/schools/{code}/filings",
        web::post().to(upload),
    )
    .route("/api/v1/registry/filings/{id}", web::get().to(get))
    .route(
        "/api/v1/registry/filings/{id}/packet",
        web::get().to(packet),
    );
}
