//! The schools: the list and the form to register one (office), a school's page (office and
//! the school's own accounts), and the office's actions on a school: entering a signing-key
//! fingerprint and creating a school account.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use super::access::{config, office_only, school, who, Who};
use super::actor;
use crate::crypto::token::new_password;
use crate::registry::ingest::Refused;
use crate::registry::service;
use crate::storage::repo::registry::{self as repo, School};
use crate::storage::repo::users::{self, Role};
use crate::web::auth::Staff;
use crate::web::error::WebResult;
use crate::web::page::{page, redirect_with, staff_ctx};
use crate::web::views::registry::school::{school_page, SchoolPage};
use crate::web::views::{csrf_field, datetime};
use crate::web::AppState;

#[derive(Debug, Deserialize)]
pub struct NewSchool {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct NewKey {
    pub fingerprint: String,
    #[serde(default)]
    pub congress: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
pub struct NewAccount {
    pub username: String,
}

async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
) -> WebResult<HttpResponse> {
    office_only(&who(&state, &staff.user).await?)?;
    let schools = state.run(|c| Ok(repo::schools(c)?)).await?;
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "学校" }
        p.muted { "向本办公室备案的学校 (或学院)。学校代码用于存储路径和 API, 例如国标学校代码。" }
        @if schools.is_empty() { p.muted { "尚未登记学校。" } }
        @else {
            div.scroll { table {
                thead { tr { th { "学校代码" } th { "学校" } th { "登记时间" } } }
                tbody { @for s in &schools { tr {
                    td { code { (s.code) } }
                    td { a href={"/registry/schools/" (s.code)} { (s.name) } }
                    td { (datetime(s.created_at)) }
                } } }
            } }
        }
        h2 { "登记学校" }
        form.stack method="post" action="/registry/schools" {
            (csrf_field(staff.csrf()))
            label for="code" { "学校代码" }
            input #code type="text" name="code" required autocomplete="off" pattern="[A-Za-z0-9_-]{1,32}";
            label for="name" { "学校名称" }
            input #name type="text" name="name" required autocomplete="off";
            div.actions { button type="submit" { "登记" } }
        }
    };
    Ok(page(&state, &ctx, "学校", body))
}

async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<NewSchool>,
) -> WebResult<HttpResponse> {
    office_only(&who(&state, &staff.user).await?)?;
    let a = actor(&staff, &req);
    let f = form.into_inner();
    let s = state
        .run(move |c| Ok(service::add_school(c, &a, &f.code, &f.name)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/registry/schools/{}", s.code),
        true,
        format!("已登记学校: {} ({})", s.name, s.code),
    ))
}

/// Renders a school's page (`refused`: an upload just refused, status 422).
pub async fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    who: &Who,
    school: School,
    refused: Option<Refused>,
) -> WebResult<HttpResponse> {
    let sid = school.id.clone();
    let office = who.is_office();
    let (pins, filings, refusals, accounts) = state
        .run(move |c| {
            let pins = repo::keys_of_school(c, &sid)?;
            let filings = repo::filings_of_school(c, &sid)?;
            let refusals = repo::refusals_of_school(c, &sid)?;
            let mut accounts = Vec::new();
            if office {
                for id in repo::member_ids(c, &sid)? {
                    if let Some(u) = users::by_id(c, &id)? {
                        accounts.push(u.username);
                    }
                }
                accounts.sort();
            }
            Ok((pins, filings, refusals, accounts))
        })
        .await?;
    let limit = config(state)?.limits.max_packet_bytes;
    let ctx = staff_ctx(state, req, staff);
    let body = school_page(&SchoolPage {
        school: &school,
        office,
        pins: &pins,
        filings: &filings,
        refusals: &refusals,
        accounts: &accounts,
        csrf: staff.csrf(),
        limit_mb: limit >> 20,
        refused_now: refused.as_ref(),
    });
    let mut resp = page(state, &ctx, &school.name, body);
    if refused.is_some() {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let w = who(&state, &staff.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    render(&state, &req, &staff, &w, s, None).await
}

async fn enter_key(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<NewKey>,
) -> WebResult<HttpResponse> {
    let w = who(&state, &staff.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    office_only(&w)?;
    let a = actor(&staff, &req);
    let f = form.into_inner();
    let code = s.code.clone();
    let pin = state
        .run(move |c| {
            let cid = Some(f.congress.as_str()).filter(|c| !c.trim().is_empty());
            Ok(service::enter_key(c, &a, &s, cid, &f.fingerprint, &f.note)?)
        })
        .await?;
    let which = pin.congress_id.as_deref().unwrap_or("本校下一次大会");
    Ok(redirect_with(
        &state,
        &format!("/registry/schools/{code}"),
        true,
        format!("已登记 {which} 的公钥指纹 {}", pin.fingerprint),
    ))
}

async fn add_account(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<NewAccount>,
) -> WebResult<HttpResponse> {
    let w = who(&state, &staff.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    office_only(&w)?;
    let a = actor(&staff, &req);
    let username = form.into_inner().username.trim().to_string();
    let password = new_password();
    let (pw, code) = (password.clone(), s.code.clone());
    let user = state
        .run(move |c| {
            Ok(service::add_account(
                c,
                &a,
                &username,
                &pw,
                Role::School,
                Some(&s),
                true,
            )?)
        })
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/registry/schools/{code}"),
        true,
        format!(
            "已创建学校账户 {}, 一次性密码: {password} (只显示这一次; 首次登录须修改密码)",
            user.username
        ),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/registry/schools", web::get().to(list))
        .route("/registry/schools", web::post().to(add))
        .route("/registry/schools/{code}", web::get().to(show))
        .route("/registry/schools/{code}/keys", web::post().to(enter_key))
        .route(
            "/registry/schools/{code}/accounts",
            web::post().to(add_account),
        );
}
