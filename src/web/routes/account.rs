//! Login, logout and password change for organisers and scrutineers: the forms and the
//! session cookies. The throttle, the password checks and the audit are
//! `service::accounts`'s; a throttled login is answered 429.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::crypto::token::new_token;
use crate::service::accounts::{self, LoginOutcome, MIN_PASSWORD_CHARS};
use crate::service::ServiceError;
use crate::storage::now_ms;
use crate::web::auth::{client_addr, Staff};
use crate::web::error::WebResult;
use crate::web::page::{page, redirect_with, staff_ctx};
use crate::web::session::{password_version, Flash, PreSession, StaffSession, STAFF_SESSION_MS};
use crate::web::views::{csrf_field, layout, PageCtx};
use crate::web::AppState;

#[derive(Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

fn login_page(
    state: &AppState,
    req: &HttpRequest,
    error: Option<&str>,
    status: u16,
) -> HttpResponse {
    let pre = state
        .sessions
        .pre(req)
        .unwrap_or_else(|| PreSession { csrf: new_token() });
    let ctx = PageCtx {
        csrf: pre.csrf.clone(),
        flash: state.sessions.flash(req),
        demo: state.demo,
        ..PageCtx::default()
    };
    let body = html! {
        h1 { "登录" }
        p.muted { "组织者(校团委 / 学生会秘书处)和监票人使用账号登录。代表请扫描代表证上的二维码。" }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form.stack method="post" action="/login" {
            (csrf_field(&pre.csrf))
            label for="username" { "用户名" }
            input #username type="text" name="username" autocomplete="username" required autofocus;
            label for="password" { "密码" }
            input #password type="password" name="password" autocomplete="current-password" required;
            div.actions { button type="submit" { "登录" } }
        }
    };
    let mut resp = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK),
    );
    resp.content_type("text/html; charset=utf-8")
        .cookie(state.sessions.pre_cookie(&pre));
    if ctx.flash.is_some() {
        resp.cookie(state.sessions.removal(crate::web::session::FLASH_COOKIE));
    }
    resp.body(layout(&ctx, "登录", body).into_string())
}

async fn login_form(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if state.sessions.staff(&req).is_some() {
        return HttpResponse::SeeOther()
            .insert_header(("Location", "/"))
            .finish();
    }
    login_page(&state, &req, None, 200)
}

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> WebResult<HttpResponse> {
    let form = form.into_inner();
    let (db, addr) = (state.db.clone(), client_addr(&req));
    let outcome =
        web::block(move || accounts::login(&db, &form.username, &form.password, &addr)).await??;
    let user = match outcome {
        LoginOutcome::Throttled => {
            return Ok(login_page(
                &state,
                &req,
                Some("登录失败次数过多: 同一账号或同一地址10分钟内最多尝试5次, 请10分钟后再试。"),
                429,
            ))
        }
        LoginOutcome::Refused => {
            return Ok(login_page(&state, &req, Some("用户名或密码不正确。"), 401))
        }
        LoginOutcome::LoggedIn(user) => user,
    };
    let session = StaffSession {
        uid: user.id.clone(),
        csrf: new_token(),
        pwv: password_version(&user.password_hash),
        epoch: user.session_epoch,
        exp: now_ms() + STAFF_SESSION_MS,
    };
    let to = if user.must_change_password {
        "/account"
    } else {
        "/"
    };
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", to))
        .cookie(state.sessions.staff_cookie(&session))
        .cookie(state.sessions.removal(crate::web::session::PRE_COOKIE))
        .finish())
}

/// Logs out: the account's session epoch moves on, so this session and every other session
/// of the account end on the server (a copy of the cookie is refused from now on, on every app
/// server sharing the database), not only in this browser.
async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Option<Staff>,
) -> WebResult<HttpResponse> {
    if let Some(staff) = staff {
        let addr = client_addr(&req);
        state
            .run(move |c| Ok(accounts::logout(c, &staff.user, &addr)?))
            .await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/login"))
        .cookie(state.sessions.removal(crate::web::session::STAFF_COOKIE))
        .finish())
}

async fn account(state: web::Data<AppState>, req: HttpRequest, staff: Staff) -> HttpResponse {
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "账户: " (staff.user.username) }
        @if staff.user.must_change_password {
            p.error { "您正在使用一次性密码, 请先设置自己的密码。" }
        }
        dl.facts { dt { "角色" } dd { (staff.user.role.zh()) } }
        h2 { "修改密码" }
        form.stack method="post" action="/account/password" {
            (csrf_field(staff.csrf()))
            label for="current" { "当前密码" }
            input #current type="password" name="current" autocomplete="current-password" required;
            label for="new" { "新密码 (至少" (MIN_PASSWORD_CHARS) "个字符)" }
            input #new type="password" name="new" autocomplete="new-password" required minlength=(MIN_PASSWORD_CHARS);
            label for="confirm" { "再次输入新密码" }
            input #confirm type="password" name="confirm" autocomplete="new-password" required;
            div.actions { button type="submit" { "修改密码" } }
        }
    };
    page(&state, &ctx, "账户", body)
}

async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<PasswordForm>,
) -> WebResult<HttpResponse> {
    let f = form.into_inner();
    let (db, user, addr) = (state.db.clone(), staff.user.clone(), client_addr(&req));
    let changed = web::block(move || {
        accounts::change_password(&db, &user, &f.current, &f.new, &f.confirm, &addr)
    })
    .await?;
    let new_hash = match changed {
        Ok(h) => h,
        Err(ServiceError::Invalid { message, .. }) => {
            return Ok(redirect_with(&state, "/account", false, message))
        }
        Err(e) => return Err(e.into()),
    };
    // Keep this browser logged in under the new password; other sessions end.
    let session = StaffSession {
        pwv: password_version(&new_hash),
        ..staff.session.clone()
    };
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/account"))
        .cookie(state.sessions.staff_cookie(&session))
        .cookie(state.sessions.flash_cookie(&Flash {
            ok: true,
            message: "密码已修改; 其他设备上的登录已失效。".to_string(),
        }))
        .finish())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/account", web::get().to(account))
        .route("/account/password", web::post().to(change_password));
}
