//! `/api/v1/congresses/{cid}/files/{kind}` and `/quota`: importing the organisers' files
//! and reading the quota table. Files travel as the raw request body (`?name=` gives the
//! file name, whose extension tells CSV from a workbook); a file with errors is refused with
//! 422 and every error (file, row, column) in `details`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::congresses::{api_actor, load};
use crate::domain::ids::CongressId;
use crate::service::roster::{self as roster_svc, ImportKind, ImportOutcome, Preview};
use crate::service::ServiceError;
use crate::web::auth::{ApiUser, Need};
use crate::web::error::{ApiErrorBody, ApiResult, WebError};
use crate::web::upload::raw_body;
use crate::web::AppState;

/// The uploaded file's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileName {
    /// File name, e.g. `人数.csv` or `nominees.xlsx` (default: `upload.csv`).
    pub name: Option<String>,
}

/// A few rows of a table.
#[derive(Serialize, ToSchema)]
pub struct PreviewJson {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Rows in all.
    pub total: usize,
}

impl From<Preview> for PreviewJson {
    fn from(p: Preview) -> Self {
        PreviewJson {
            headers: p.headers,
            rows: p.rows,
            total: p.total,
        }
    }
}

/// What an import stored.
#[derive(Serialize, ToSchema)]
pub struct ImportJson {
    /// enrolment | societies | nominees
    pub kind: String,
    pub file: String,
    /// Data rows in the file.
    pub rows: usize,
    /// What is stored now, in Chinese.
    pub stored: String,
    /// The first rows of what was stored.
    pub preview: PreviewJson,
    /// What the importer ignored (file, row, column: message).
    pub warnings: Vec<String>,
    /// Whether the roster's stored report was cleared.
    pub report_cleared: bool,
}

impl From<ImportOutcome> for ImportJson {
    fn from(o: ImportOutcome) -> Self {
        ImportJson {
            kind: o.kind.slug().to_string(),
            rows: o.rows,
            stored: o.stored,
            warnings: o.warnings.iter().map(ToString::to_string).collect(),
            preview: o.preview.into(),
            file: o.file_name,
            report_cleared: o.report_cleared,
        }
    }
}

pub fn file_name(q: &FileName) -> String {
    q.name.clone().unwrap_or_else(|| "upload.csv".to_string())
}

/// Imports a file (owner, set-up only), replacing the stored one of its kind. The whole file
/// is checked first: on any error nothing is stored (422, every error in `details`).
#[utoipa::path(put, path = "/api/v1/congresses/{cid}/files/{kind}", tag = "roster",
    params(("cid" = String, Path, description = "congress id"),
        ("kind" = String, Path, description = "enrolment | societies | nominees"), FileName),
    request_body(content = String, content_type = "application/octet-stream",
        description = "the file: CSV (UTF-8 or GBK) or .xlsx"),
    responses((status = 200, body = ImportJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 413, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<(CongressId, String)>,
    q: web::Query<FileName>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let (cid, slug) = path.into_inner();
    let c = load(&state, &u, &cid, Need::Own).await?;
    let kind = ImportKind::parse(&slug).ok_or_else(|| {
        WebError::NotFound(format!(
            "没有“{slug}”这种文件; 可导入 enrolment、societies 或 nominees"
        ))
    })?;
    let file = raw_body(body, &file_name(&q)).await?;
    let actor = api_actor(&u, &req);
    let out = state
        .run(move |conn| {
            roster_svc::import_file(conn, &actor, &c.id, kind, &file.file_name, &file.bytes)
                .map_err(|f| ServiceError::from(f).into())
        })
        .await?;
    Ok(HttpResponse::Ok().json(ImportJson::from(out)))
}

/// The quota table (rules A1-A3): `domain::quota::Allocation` as JSON.
#[utoipa::path(get, path = "/api/v1/congresses/{cid}/quota", tag = "roster",
    params(("cid" = String, Path, description = "congress id")),
    responses((status = 200, description = "method, total, enrolment, sum_of_minimums, congress_minimum (A2), tie_break, colleges[{college, enrolment, minimum, share, quota, explanation}]", body = Object),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn quota(
    state: web::Data<AppState>,
    u: ApiUser,
    cid: web::Path<CongressId>,
) -> ApiResult<HttpResponse> {
    let c = load(&state, &u, &cid, Need::Read).await?;
    let a = state
        .run(move |conn| Ok(roster_svc::quota(conn, &c.id)?))
        .await?;
    Ok(HttpResponse::Ok().json(a))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/congresses/{cid}/files/{kind}", web::put().to(import))
        .route("/congresses/{cid}/quota", web::get().to(quota));
}
