//! `/` and `/registry` (each account's start page), the province table `/registry/table`
//! (office) and its Excel export `/registry/table.xlsx` (office, audited).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde::Deserialize;

use super::access::{office_only, who, Who};
use super::actor;
use crate::registry::table::{province_table, today, ProvinceTable};
use crate::registry::xlsx::workbook;
use crate::web::auth::Staff;
use crate::web::error::{WebError, WebResult};
use crate::web::page::{page, staff_ctx};
use crate::web::views::registry::table::province;
use crate::web::AppState;

#[derive(Debug, Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
}

/// The year asked for (default: this year), within 2000..=next year.
pub fn year_of(q: &YearQuery) -> WebResult<i32> {
    let this = today().year();
    match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(this),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=this + 1).contains(y))
            .ok_or_else(|| {
                WebError::BadRequest(format!(
                    "“年度”应为 2000 到 {} 之间的年份, 现为“{s}”",
                    this + 1
                ))
            }),
    }
}

async fn root() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", "/registry"))
        .finish()
}

async fn home(state: web::Data<AppState>, staff: Staff) -> WebResult<HttpResponse> {
    let to = match who(&state, &staff.user).await? {
        Who::Office => "/registry/table".to_string(),
        Who::School(s) => format!("/registry/schools/{}", s.code),
    };
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .finish())
}

/// The table of the year, for the office.
pub async fn load_table(state: &AppState, staff: &Staff, year: i32) -> WebResult<ProvinceTable> {
    office_only(&who(state, &staff.user).await?)?;
    let day = today();
    state.run(move |c| Ok(province_table(c, year, day)?)).await
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    q: web::Query<YearQuery>,
) -> WebResult<HttpResponse> {
    let year = year_of(&q)?;
    let t = load_table(&state, &staff, year).await?;
    let this = today().year();
    let years: Vec<i32> = (this - 6..=this).rev().collect();
    let ctx = staff_ctx(&state, &req, &staff);
    Ok(page(
        &state,
        &ctx,
        &format!("{year} 年备案情况"),
        province(&t, &years),
    ))
}

async fn export(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    q: web::Query<YearQuery>,
) -> WebResult<HttpResponse> {
    let year = year_of(&q)?;
    let t = load_table(&state, &staff, year).await?;
    let bytes = workbook(&t).map_err(WebError::internal)?;
    let a = actor(&staff, &req);
    let after = serde_json::json!({"year": year, "schools": t.rows.len()}).to_string();
    state
        .run(move |c| {
            a.audit(c, None, "registry.table_export", None, None, Some(after))?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"registry-{year}.xlsx\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(root))
        .route("/registry", web::get().to(home))
        .route("/registry/table", web::get().to(show))
        .route("/registry/table.xlsx", web::get().to(export));
}
