//! `/api/v1/registry/...`: the filing office's API (registry mode only), for a school's IT to
//! file packets and for the office's scripts. Bearer tokens (`congress admin token`) of
//! registry accounts: an office account may do everything; a school account reads and files
//! for its own school only. JSON shapes are in this module; filing is in [`filings`].

pub mod filings;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::indicators::Indicator;
use crate::registry::service;
use crate::registry::table::{province_table, today};
use crate::service::Actor;
use crate::storage::repo::registry::{self as repo, FilingBrief, KeyPin, Refusal, School};
use crate::web::auth::{client_addr, ApiUser};
use crate::web::error::{ApiErrorBody, ApiResult};
use crate::web::routes::registry::access::{office_only, school, who, Who};
use crate::web::routes::registry::table::{year_of, YearQuery};
use crate::web::AppState;

/// The audit actor of an API request.
pub fn actor(u: &ApiUser, req: &HttpRequest) -> Actor {
    Actor {
        username: u.user.username.clone(),
        role: u.user.role.as_str().to_string(),
        addr: Some(client_addr(req)),
    }
}

/// A school.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolJson {
    pub code: String,
    pub name: String,
    /// Unix ms.
    pub created_at: i64,
}

impl From<&School> for SchoolJson {
    fn from(s: &School) -> Self {
        SchoolJson {
            code: s.code.clone(),
            name: s.name.clone(),
            created_at: s.created_at,
        }
    }
}

/// A school to register.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSchoolBody {
    /// 1-32 of `[A-Za-z0-9_-]`, e.g. the national school code.
    pub code: String,
    pub name: String,
}

/// A signing-key fingerprint the office enters.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewKeyBody {
    /// 64 hex digits (spaces and colons allowed).
    pub fingerprint: String,
    /// The congress id; absent: the school's next congress.
    pub congress: Option<String>,
    /// Where the fingerprint comes from, e.g. "签字的选举结果报告单".
    pub note: String,
}

/// A pinned or expected key.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyJson {
    /// Absent: expected for the school's next congress.
    pub congress: Option<String>,
    pub fingerprint: String,
    /// office | filing
    pub source: String,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

impl From<&KeyPin> for KeyJson {
    fn from(k: &KeyPin) -> Self {
        KeyJson {
            congress: k.congress_id.clone(),
            fingerprint: k.fingerprint.clone(),
            source: k.source.clone(),
            note: k.note.clone(),
            created_by: k.created_by.clone(),
            created_at: k.created_at,
        }
    }
}

/// An accepted filing (without its indicators).
#[derive(Debug, Serialize, ToSchema)]
pub struct FilingJson {
    pub id: String,
    pub congress_id: String,
    pub congress_name: String,
    /// school | college
    pub level: String,
    pub session_no: i64,
    /// YYYY-MM-DD, from the record.
    pub congress_date: String,
    pub year: i32,
    pub record_sha256: String,
    pub packet_sha256: String,
    pub packet_bytes: i64,
    pub key_fingerprint: String,
    /// Checks of `congress verify` passed (all of them).
    pub checks: i32,
    pub uploaded_by: String,
    /// web | api | cli
    pub via: String,
    pub uploaded_at: i64,
}

impl From<&FilingBrief> for FilingJson {
    fn from(f: &FilingBrief) -> Self {
        FilingJson {
            id: f.id.clone(),
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
        }
    }
}

/// A refused packet.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusalJson {
    pub packet_sha256: String,
    pub packet_bytes: i64,
    pub reason: String,
    pub details: Vec<String>,
    pub uploaded_by: String,
    pub via: String,
    pub at: i64,
}

impl From<&Refusal> for RefusalJson {
    fn from(r: &Refusal) -> Self {
        RefusalJson {
            packet_sha256: r.packet_sha256.clone(),
            packet_bytes: r.packet_bytes,
            reason: r.reason.clone(),
            details: serde_json::from_str(&r.details).unwrap_or_default(),
            uploaded_by: r.uploaded_by.clone(),
            via: r.via.clone(),
            at: r.at,
        }
    }
}

/// A school with its keys, filings and refusals.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchoolDetailJson {
    pub school: SchoolJson,
    pub keys: Vec<KeyJson>,
    pub filings: Vec<FilingJson>,
    pub refusals: Vec<RefusalJson>,
}

/// One indicator (`registry::indicators`).
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorJson {
    pub id: String,
    pub short: String,
    pub item: String,
    pub value: String,
    pub figure: String,
    /// pass | fail | unknown (未记录)
    pub outcome: String,
}

impl From<&Indicator> for IndicatorJson {
    fn from(i: &Indicator) -> Self {
        IndicatorJson {
            id: i.id.to_string(),
            short: i.short.to_string(),
            item: i.item.clone(),
            value: i.value.clone(),
            figure: i.figure.clone(),
            outcome: serde_json::to_value(i.outcome)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }
}

/// One school's line of the province table.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableRowJson {
    pub school: SchoolJson,
    /// on_time | late | pending | overdue | missing
    pub standing: String,
    pub standing_zh: String,
    pub detail: String,
    /// The filing the indicators come from.
    pub filing: Option<FilingJson>,
    pub indicators: Vec<IndicatorJson>,
}

/// The province table of a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableJson {
    pub year: i32,
    /// The day it was computed (CST).
    pub today: String,
    pub filing_days: u32,
    pub max_interval_months: u32,
    pub rows: Vec<TableRowJson>,
}

/// The schools the caller may see: all (office) or its own (school).
#[utoipa::path(get, path = "/api/v1/registry/schools", tag = "registry",
    responses((status = 200, body = [SchoolJson]), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn list(state: web::Data<AppState>, u: ApiUser) -> ApiResult<HttpResponse> {
    let list: Vec<SchoolJson> = match who(&state, &u.user).await? {
        Who::Office => state
            .run(|c| Ok(repo::schools(c)?))
            .await?
            .iter()
            .map(SchoolJson::from)
            .collect(),
        Who::School(s) => vec![SchoolJson::from(&s)],
    };
    Ok(HttpResponse::Ok().json(list))
}

/// Registers a school (office).
#[utoipa::path(post, path = "/api/v1/registry/schools", tag = "registry",
    request_body = NewSchoolBody,
    responses((status = 201, body = SchoolJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    body: web::Json<NewSchoolBody>,
) -> ApiResult<HttpResponse> {
    office_only(&who(&state, &u.user).await?)?;
    let a = actor(&u, &req);
    let b = body.into_inner();
    let s = state
        .run(move |c| Ok(service::add_school(c, &a, &b.code, &b.name)?))
        .await?;
    Ok(HttpResponse::Created().json(SchoolJson::from(&s)))
}

/// A school with its keys, filings and refusals (office, or the school's own account).
#[utoipa::path(get, path = "/api/v1/registry/schools/{code}", tag = "registry",
    params(("code" = String, Path, description = "school code")),
    responses((status = 200, body = SchoolDetailJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    u: ApiUser,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let w = who(&state, &u.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    let sid = s.id.clone();
    let (keys, filings, refusals) = state
        .run(move |c| {
            Ok((
                repo::keys_of_school(c, &sid)?,
                repo::filings_of_school(c, &sid)?,
                repo::refusals_of_school(c, &sid)?,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(SchoolDetailJson {
        school: SchoolJson::from(&s),
        keys: keys.iter().map(KeyJson::from).collect(),
        filings: filings.iter().map(FilingJson::from).collect(),
        refusals: refusals.iter().map(RefusalJson::from).collect(),
    }))
}

/// Enters a signing-key fingerprint for a school's congress or its next one (office).
#[utoipa::path(post, path = "/api/v1/registry/schools/{code}/keys", tag = "registry",
    params(("code" = String, Path, description = "school code")),
    request_body = NewKeyBody,
    responses((status = 201, body = KeyJson), (status = 401, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn enter_key(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: ApiUser,
    path: web::Path<String>,
    body: web::Json<NewKeyBody>,
) -> ApiResult<HttpResponse> {
    let w = who(&state, &u.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    office_only(&w)?;
    let a = actor(&u, &req);
    let b = body.into_inner();
    let pin = state
        .run(move |c| {
            Ok(service::enter_key(
                c,
                &a,
                &s,
                b.congress.as_deref(),
                &b.fingerprint,
                &b.note,
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(KeyJson::from(&pin)))
}

/// The province table of a year (office).
#[utoipa::path(get, path = "/api/v1/registry/table", tag = "registry",
    params(("year" = Option<i32>, Query, description = "year (default: this year)")),
    responses((status = 200, body = TableJson), (status = 400, body = ApiErrorBody),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn table(
    state: web::Data<AppState>,
    u: ApiUser,
    q: web::Query<YearQuery>,
) -> ApiResult<HttpResponse> {
    office_only(&who(&state, &u.user).await?)?;
    let year = year_of(&q)?;
    let day = today();
    let t = state
        .run(move |c| Ok(province_table(c, year, day)?))
        .await?;
    Ok(HttpResponse::Ok().json(TableJson {
        year: t.year,
        today: t.today.clone(),
        filing_days: t.settings.filing_days,
        max_interval_months: t.settings.max_interval_months,
        rows: t
            .rows
            .iter()
            .map(|r| TableRowJson {
                school: SchoolJson::from(&r.school),
                standing: serde_json::to_value(r.status.standing)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                standing_zh: r.status.standing.zh().to_string(),
                detail: r.status.detail.clone(),
                filing: r.filing.as_ref().map(FilingJson::from),
                indicators: r.indicators.iter().map(IndicatorJson::from).collect(),
            })
            .collect(),
    }))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/registry/schools", web::get().to(list))
        .route("/api/v1/registry/schools", web::post().to(create))
        .route("/api/v1/registry/schools/{code}", web::get().to(get))
        .route(
            "/api/v1/registry/schools/{code}/keys",
            web::post().to(enter_key),
        )
        .route("/api/v1/registry/table", web::get().to(table));
    filings::configure(cfg);
}
