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
//! failed attempt counts; past [`MAX_LOGIN_FAILURES`] failures from one address in the window
//! a failed attempt is answered 429 after [`FAILURE_DELAY_MS`]. So a guesser behind the hall's
//! NAT slows only their own wrong guesses, and every delegate's right card keeps working.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::crypto::token::new_token;
use crate::service::credentials::{self, Login, LoginError};
use crate::storage::now_ms;
use crate::storage::repo::card_events;
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::roster::{self as roster_repo, Delegate};
use crate::storage::repo::users;
use crate::web::auth::client_addr;
use crate::web::error::{WebError, WebResult};
use crate::web::session::{PreSession, VoteSession, VOTE_SESSION_MS};
use crate::web::views::{card_use, csrf_field, phone_layout};
use crate::web::AppState;

/// Wrong tokens or codes answered at once per address in the window (401); past it a wrong
/// one is answered 429 after [`FAILURE_DELAY_MS`]. A right one is never refused. A hall's
/// Wi-Fi puts hundreds of phones behind one address, so this is generous; a 130-bit token or
/// 49-bit code cannot be guessed anyway.
pub const MAX_LOGIN_FAILURES: i64 = 30;
pub const WINDOW_MS: i64 = 10 * 60 * 1000;
/// How long a failed attempt past the allowance waits for its answer.
pub const FAILURE_DELAY_MS: u64 = 2000;

/// A logged-in delegate whose session is still the current one for their card.
pub struct Voter {
    pub delegate: Delegate,
    pub congress: Congress,
    pub session: VoteSession,
}

/// Why a delegate request has no valid session.
fn session_ended_page(message: &str) -> HttpResponse {
    let body = html! {
        h1 { "请重新登录" }
        p.error { (message) }
        p { "请用手机扫描代表证上的二维码, 或" a href="/login/code" { "输入代表证上的登录码" } "。" }
    };
    HttpResponse::Unauthorized()
        .content_type("text/html; charset=utf-8")
        .body(phone_layout("请重新登录", None, body).into_string())
}

/// Error of the `Voter` extractor: a friendly page rather than the staff login redirect.
#[derive(Debug, thiserror::Error)]
pub enum VoterError {
    #[error("未登录")]
    NoSession,
    #[error("此代表证已在另一台设备上登录, 本设备的登录已结束")]
    TakenOver,
    #[error(transparent)]
    Web(#[from] WebError),
}

impl actix_web::ResponseError for VoterError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        match self {
            VoterError::Web(e) => e.status_code(),
            _ => actix_web::http::StatusCode::UNAUTHORIZED,
        }
    }
    fn error_response(&self) -> HttpResponse {
        match self {
            VoterError::NoSession => session_ended_page("您还没有登录, 或登录已过期。"),
            VoterError::TakenOver => session_ended_page(
                "此代表证已在另一台设备上登录, 本设备的登录已结束。如果不是您本人操作, 请立即联系会务人员补发代表证。",
            ),
            VoterError::Web(e) => e.error_response(),
        }
    }
}

impl FromRequest for Voter {
    type Error = VoterError;
    type Future = Pin<Box<dyn Future<Output = Result<Voter, VoterError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| WebError::internal("state"))?;
            let session = state.sessions.vote(&req).ok_or(VoterError::NoSession)?;
            let (did, cid) = (session.did.clone(), session.cid.clone());
            let found = state
                .run(move |c| {
                    let d = roster_repo::delegate(c, &did)?;
                    let congress = congress_repo::get(c, &cid)?;
                    Ok(d.zip(congress))
                })
                .await?;
            let (delegate, congress) = found.ok_or(VoterError::NoSession)?;
            if delegate.session_epoch != session.epoch {
                return Err(VoterError::TakenOver);
            }
            Ok(Voter {
                delegate,
                congress,
                session,
            })
        })
    }
}

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
    let bucket = format!("delegate-login:addr:{addr}");
    let since = now_ms() - WINDOW_MS;
    state
        .run(move |c| {
            let before = users::failures_since(c, &bucket, since)?;
            // Past the allowance the bucket is full anyway: no row per further guess.
            if before <= MAX_LOGIN_FAILURES {
                users::record_failure(c, &bucket)?;
            }
            Ok(before >= MAX_LOGIN_FAILURES)
        })
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
                did: login.delegate.id.clone(),
                cid: login.congress.id.clone(),
                epoch: login.epoch,
                csrf: new_token(),
                exp: now_ms() + VOTE_SESSION_MS,
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
