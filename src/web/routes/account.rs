//! Login, logout and password change for organisers and scrutineers.
//!
//! Login is throttled: after 5 failures for one account, or from one address, within 10
//! minutes, further attempts are refused (429) until the window passes, without even checking
//! the password, so guessing is capped at 5 tries per 10 minutes per account and per address.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::crypto::password::{hash_password, verify_password};
use crate::crypto::token::new_token;
use crate::storage::repo::{audit, users};
use crate::storage::{now_ms, write_tx};
use crate::web::auth::{client_addr, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::session::{password_version, Flash, PreSession, StaffSession, STAFF_SESSION_MS};
use crate::web::views::{csrf_field, layout, PageCtx};
use crate::web::AppState;

/// Failures allowed per account and per address within the window.
pub const MAX_FAILURES: i64 = 5;
/// The throttling window.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

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

/// The page context for a logged-in staff member (no congress).
pub fn staff_ctx(state: &AppState, req: &HttpRequest, staff: &Staff) -> PageCtx {
    PageCtx {
        user: Some((staff.user.username.clone(), staff.user.role)),
        csrf: staff.csrf().to_string(),
        flash: state.sessions.flash(req),
        ..PageCtx::default()
    }
}

/// Sends a flash message with a 303 redirect to `to`.
pub fn redirect_with(
    state: &AppState,
    to: &str,
    ok: bool,
    message: impl Into<String>,
) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to.to_string()))
        .cookie(state.sessions.flash_cookie(&Flash {
            ok,
            message: message.into(),
        }))
        .finish()
}

/// Renders a page, clearing any flash it showed.
pub fn page(state: &AppState, ctx: &PageCtx, title: &str, body: maud::Markup) -> HttpResponse {
    let mut resp = HttpResponse::Ok();
    resp.content_type("text/html; charset=utf-8");
    if ctx.flash.is_some() {
        resp.cookie(state.sessions.removal(crate::web::session::FLASH_COOKIE));
    }
    resp.body(layout(ctx, title, body).into_string())
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

/// Outcome of a login attempt, decided in one transaction.
enum Attempt {
    Ok(users::User),
    Bad,
    Throttled,
}

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> WebResult<HttpResponse> {
    let form = form.into_inner();
    let username = form.username.trim().to_string();
    let addr = client_addr(&req);
    // Only a hash of the typed name is kept: people do type passwords into the name field.
    let user_bucket = format!(
        "login:user:{}",
        crate::crypto::sha256_hex(username.as_bytes())
    );
    let addr_bucket = format!("login:addr:{addr}");
    let since = now_ms() - WINDOW_MS;
    let (ub, ab) = (user_bucket.clone(), addr_bucket);
    // The attempt counts as a failure from before the password is checked, so that
    // simultaneous guesses cannot all pass the check (a success removes it again).
    let reserved = state
        .run(move |c| {
            write_tx(c, |c| {
                Ok::<_, WebError>(users::reserve_attempt(c, &[&ub, &ab], since, MAX_FAILURES)?)
            })
        })
        .await?;
    let throttled = reserved.is_none();
    let un = username.clone();
    let user = state.run(move |c| Ok(users::by_username(c, &un)?)).await?;
    // The audit log names the account only when it exists, never what was typed otherwise.
    let audit_actor = match &user {
        Some(u) => u.username.clone(),
        None => crate::web::routes::audit::UNKNOWN_USERNAME.to_string(),
    };
    let attempt = if throttled {
        Attempt::Throttled
    } else {
        // Verify even for unknown users (against a fixed hash) so timing does not reveal
        // which usernames exist.
        let password = form.password;
        let verified = web::block(move || match user {
            Some(u) if verify_password(&password, &u.password_hash) => Some(u),
            Some(_) => None,
            None => {
                let _ = verify_password(&password, dummy_hash());
                None
            }
        })
        .await?;
        match verified {
            Some(u) => Attempt::Ok(u),
            None => Attempt::Bad,
        }
    };
    let addr2 = addr.clone();
    match attempt {
        Attempt::Throttled => {
            let un = audit_actor.clone();
            state
                .run(move |c| {
                    audit::record(
                        c,
                        audit::Entry {
                            actor: &un,
                            role: "anonymous",
                            action: "auth.login_throttled",
                            addr: Some(&addr2),
                            ..Default::default()
                        },
                    )?;
                    Ok(())
                })
                .await?;
            Ok(login_page(
                &state,
                &req,
                Some("登录失败次数过多: 同一账号或同一地址10分钟内最多尝试5次, 请10分钟后再试。"),
                429,
            ))
        }
        Attempt::Bad => {
            let un = audit_actor.clone();
            state
                .run(move |c| {
                    write_tx(c, |c| {
                        // The reserved attempt stays as the failure in both buckets.
                        audit::record(
                            c,
                            audit::Entry {
                                actor: &un,
                                role: "anonymous",
                                action: "auth.login_failed",
                                addr: Some(&addr2),
                                ..Default::default()
                            },
                        )?;
                        Ok::<_, WebError>(())
                    })
                })
                .await?;
            Ok(login_page(&state, &req, Some("用户名或密码不正确。"), 401))
        }
        Attempt::Ok(user) => {
            let (uid, un, role) = (user.id.clone(), user.username.clone(), user.role);
            state
                .run(move |c| {
                    write_tx(c, |c| {
                        users::clear_failures(c, &user_bucket)?;
                        // A successful login is no failure of its address either.
                        for id in reserved.iter().flatten() {
                            users::forget_failure(c, id)?;
                        }
                        audit::record(
                            c,
                            audit::Entry {
                                actor: &un,
                                role: role.as_str(),
                                action: "auth.login",
                                addr: Some(&addr2),
                                ..Default::default()
                            },
                        )?;
                        Ok::<_, WebError>(())
                    })
                })
                .await?;
            let session = StaffSession {
                uid,
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
    }
}

/// A real argon2id hash of a throwaway password, verified against for unknown usernames so
/// they take as long as known ones.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
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
        let u = staff.user;
        state
            .run(move |c| {
                write_tx(c, |c| {
                    users::end_sessions(c, &u.id)?;
                    audit::record(
                        c,
                        audit::Entry {
                            actor: &u.username,
                            role: u.role.as_str(),
                            action: "auth.logout",
                            addr: Some(&addr),
                            ..Default::default()
                        },
                    )?;
                    Ok::<_, WebError>(())
                })
            })
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
    if f.new != f.confirm {
        return Ok(redirect_with(
            &state,
            "/account",
            false,
            "两次输入的新密码不一致。",
        ));
    }
    if f.new.chars().count() < MIN_PASSWORD_CHARS {
        return Ok(redirect_with(
            &state,
            "/account",
            false,
            format!("新密码太短: 至少需要{MIN_PASSWORD_CHARS}个字符。"),
        ));
    }
    let current_hash = staff.user.password_hash.clone();
    let (cur, new) = (f.current, f.new);
    let new_hash = web::block(move || {
        if !verify_password(&cur, &current_hash) {
            return Ok(None);
        }
        hash_password(&new).map(Some)
    })
    .await?
    .map_err(WebError::internal)?;
    let Some(new_hash) = new_hash else {
        return Ok(redirect_with(&state, "/account", false, "当前密码不正确。"));
    };
    let (uid, un, role, addr, nh) = (
        staff.user.id.clone(),
        staff.user.username.clone(),
        staff.user.role,
        client_addr(&req),
        new_hash.clone(),
    );
    state
        .run(move |c| {
            write_tx(c, |c| {
                users::set_password(c, &uid, &nh, false)?;
                audit::record(
                    c,
                    audit::Entry {
                        actor: &un,
                        role: role.as_str(),
                        action: "auth.password_changed",
                        addr: Some(&addr),
                        ..Default::default()
                    },
                )?;
                Ok::<_, WebError>(())
            })
        })
        .await?;
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
