//! Delegates on their phones: logging in with the card's QR link (`/t/{token}`) or its manual
//! code, logging out, and the card's usage record (`/v/card`).
//!
//! Opening the QR link (GET) shows a page with one button and changes nothing: link
//! previewers, proxies and a second tap neither log in nor end a session. The button POSTs
//! (with the CSRF token of the page) and only then is the token exchanged for a session cookie
//! and the phone redirected to `/v`, so the token does not stay in the address bar or history.
//! A second device logging in with the same card ends the first device's session; logging out
//! ends the session on the server.
//!
//! Throttling never refuses a right secret: the token or code is checked first, and only a
//! failed attempt counts; past `credentials::MAX_LOGIN_FAILURES` failures from one address in the window
//! a failed attempt is answered 429 after [`FAILURE_DELAY_MS`]. So a guesser behind the hall's
//! NAT slows only their own wrong guesses, and every delegate's right card keeps working.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::crypto::token::new_token;
use crate::service::credentials::{self, Login, LoginError};
use crate::storage::now_ms;
use crate::storage::repo::card_events;
use crate::web::auth::{client_addr, Voter};
use crate::web::error::WebResult;
use crate::web::session::{PreSession, VoteSession, VOTE_SESSION_MS};
use crate::web::views::{card_use, csrf_field, phone_layout};
use crate::web::AppState;

/// How long a failed attempt past the allowance (`credentials::MAX_LOGIN_FAILURES` wrong
/// tokens or codes per address in the window, each answered 401) waits for its 429.
pub const FAILURE_DELAY_MS: u64 = 2000;

fn login_failed_page(message: &str, status: u16) -> HttpResponse {
    let body = html! {
        h1 { "无法登录" }
        p.error role="alert" { (message) }
        p { a.button.big href="/login/code" { "输入登录码" } }
    };
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .content_type("text/html; charset=utf-8")
    .body(phone_layout("无法登录", None, body).into_string())
}

/// After the congress closes the card leads to the 公示: the results and the tracker check.
fn closed_page(cid: &str) -> HttpResponse {
    let body = html! {
        h1 { "大会已经闭幕" }
        p { "本次大会的投票已经结束, 代表证不再用于登录。选举和表决的结果、每一张选票都在大会公示中。" }
        p { a.button.big href={"/b/" (cid)} { "查看公示与计票结果" } }
        p { a.button.big.secondary href={"/b/" (cid) "/check"} { "用追踪码核对我的选票" } }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(phone_layout("大会已经闭幕", None, body).into_string())
}

/// Records a failed attempt from `addr`; returns whether the address is past its allowance.
async fn failed(state: &AppState, addr: &str) -> WebResult<bool> {
    let addr = addr.to_string();
    state
        .run(move |c| Ok(credentials::record_failed_login(c, &addr)?))
        .await
}

/// Finishes a login attempt: a session cookie and a redirect, or a clear page. The secret was
/// checked first; only a failure meets the throttle.
async fn finish(
    state: &AppState,
    addr: String,
    result: Result<Login, LoginError>,
) -> WebResult<HttpResponse> {
    match result {
        Ok(login) => {
            let session = VoteSession {
                did: login.delegate.id.to_string(),
                cid: login.congress.id.clone(),
                epoch: login.epoch,
                csrf: new_token(),
                exp: now_ms() + VOTE_SESSION_MS,
                participant: false,
            };
            let [vote, card] = state.sessions.vote_cookies(&session);
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", "/v"))
                .cookie(vote)
                .cookie(card)
                .finish())
        }
        Err(LoginError::Unknown) => {
            if failed(state, &addr).await? {
                actix_web::rt::time::sleep(std::time::Duration::from_millis(FAILURE_DELAY_MS))
                    .await;
                return Ok(login_failed_page(
                    "登录失败次数过多: 本地址的错误尝试会被放慢。请核对代表证后重试, 或联系会务人员。",
                    429,
                ));
            }
            Ok(login_failed_page(&LoginError::Unknown.to_string(), 401))
        }
        Err(LoginError::NotNow) => Ok(login_failed_page(&LoginError::NotNow.to_string(), 409)),
        Err(LoginError::Closed(cid)) => Ok(closed_page(&cid)),
        Err(LoginError::Service(e)) => Err(e.into()),
    }
}

/// `GET /t/{token}`: the page the QR code opens. One button; nothing looked up or changed.
async fn card_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
    voter: Option<Voter>,
) -> HttpResponse {
    let pre = state
        .sessions
        .pre(&req)
        .unwrap_or_else(|| PreSession { csrf: new_token() });
    let action = format!("/t/{}", token.into_inner());
    let body = html! {
        h1 { "代表证登录" }
        @if let Some(v) = &voter {
            p { "本机已登录: 代表编号 " (v.delegate.delegate_no) " " (v.delegate.student.name) }
            p { a.button.big href="/v" { "继续, 不重新登录" } }
            p.muted { "如果这是另一张代表证, 用下面的按钮以它登录。" }
        } @else {
            p { "点击下面的按钮, 用这张代表证在本手机上登录。" }
        }
        form method="post" action=(action) {
            (csrf_field(&pre.csrf))
            p { button.big type="submit" { "登录" } }
        }
        p.muted { "同一张代表证只能在一台设备上登录: 在本机登录后, 其他设备上的登录随即结束。" }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Robots-Tag", "noindex"))
        .cookie(state.sessions.pre_cookie(&pre))
        .body(phone_layout("代表证登录", None, body).into_string())
}

/// `POST /t/{token}`: the button of the card page logs in (and ends any other device's
/// session).
async fn token_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> WebResult<HttpResponse> {
    let addr = client_addr(&req);
    let token = token.into_inner();
    let result = state
        .run(move |c| Ok(credentials::login_with_token(c, &token)))
        .await?;
    finish(&state, addr, result).await
}

fn code_form(csrf: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "输入登录码" }
        p { "登录码印在代表证正面, 姓名和代表编号下面的“登录码”一行, 形如 " code { "ABCDE-FGH23" } "。" }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form method="post" action="/login/code" {
            (csrf_field(csrf))
            input.big type="text" name="code" autocomplete="one-time-code" autocapitalize="characters" required aria-label="登录码";
            p { button.big type="submit" { "登录" } }
        }
    }
}

async fn code_page(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let pre = state
        .sessions
        .pre(&req)
        .unwrap_or_else(|| PreSession { csrf: new_token() });
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .cookie(state.sessions.pre_cookie(&pre))
        .body(phone_layout("输入登录码", None, code_form(&pre.csrf, None)).into_string())
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn code_login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<CodeForm>,
) -> WebResult<HttpResponse> {
    let addr = client_addr(&req);
    let code = form.into_inner().code;
    if code.trim().is_empty() {
        let pre = state
            .sessions
            .pre(&req)
            .unwrap_or_else(|| PreSession { csrf: new_token() });
        return Ok(HttpResponse::BadRequest()
            .content_type("text/html; charset=utf-8")
            .cookie(state.sessions.pre_cookie(&pre))
            .body(
                phone_layout(
                    "输入登录码",
                    None,
                    code_form(&pre.csrf, Some("请输入登录码")),
                )
                .into_string(),
            ));
    }
    let result = state
        .run(move |c| Ok(credentials::login_with_code(c, &code)))
        .await?;
    finish(&state, addr, result).await
}

/// Logs the delegate out: the session ends on the server (a new session epoch), so a copy of
/// the cookie is refused too; the card logs in again as before.
async fn logout(state: web::Data<AppState>, voter: Option<Voter>) -> WebResult<HttpResponse> {
    if let Some(v) = voter {
        state
            .run(move |c| Ok(credentials::logout(c, &v.delegate.id)?))
            .await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header(("Location", "/login/code"))
        .cookie(state.sessions.removal(crate::web::session::VOTE_COOKIE))
        .cookie(state.sessions.removal(crate::web::session::CARD_COOKIE))
        .finish())
}

/// The events of the voter's card, oldest first.
pub async fn card_events_of(
    state: &AppState,
    voter: &Voter,
) -> WebResult<Vec<card_events::CardEvent>> {
    let did = voter.delegate.id.clone();
    state
        .run(move |c| Ok(card_events::of_delegate(c, &did)?))
        .await
}

/// `/v/card`: every use of the delegate's card, newest first.
async fn card_record(state: web::Data<AppState>, voter: Voter) -> WebResult<HttpResponse> {
    let events = card_events_of(&state, &voter).await?;
    let body = html! {
        (card_use::history(&events, now_ms(), usize::MAX))
        p { a.button href="/v" { "返回投票事项" } }
        (card_use::logout_button(&voter.session.csrf))
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(phone_layout("代表证使用记录", Some(&voter.congress.name), body).into_string()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{token}", web::get().to(card_page))
        .route("/t/{token}", web::post().to(token_login))
        .route("/login/code", web::get().to(code_page))
        .route("/login/code", web::post().to(code_login))
        .route("/v/logout", web::post().to(logout))
        .route("/v/card", web::get().to(card_record));
}
