//! The anonymous ballot box (投票) under `/box/{congress}/{contest}`: the ballot form, the
//! review step (with an explicit confirmation when the ballot would be invalid), and the cast.
//!
//! No session is read or needed here, and the delegate's cookie is never sent here (its
//! `Path` is `/v`): the phone's script fills the paper's token and signature from
//! `localStorage` into the cast form, and the box checks the signature with the contest's
//! public key and that the token is unspent (`service::ballot_box`). There is no CSRF token
//! either: there is no session a forged request could ride on, and the CSRF guard exempts
//! exactly the `/box/` routes (`web::csrf`).
//!
//! Exactly once: the same paper with the same choices gives the same ballot bytes, so a
//! double tap or a retry after a lost answer gets the same receipt (even after the close); the
//! same paper with other choices is refused. The cast takes a form (the phone) or JSON (the
//! simulator: `{"choices":{..},"token":"..","token_sig":".."}`, answered with the receipt).

use std::sync::Arc;

use actix_web::{web, Either, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::ballot::{motion_validity, Choices, Validity};
use crate::domain::contest::ContestAction;
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::{read_grid, ReviewFault};
use crate::service::ballot_box::Refusal;
use crate::service::voting::{self, BadPaper, BallotPaper};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::ballot::{self as ballot_form, Fields};
use crate::web::routes::receipts::signed_receipt;
use crate::web::views::phone::{phone_page, PageOptions};
use crate::web::AppState;

fn page(status: u16, title: &str, congress: Option<&str>, body: Markup) -> HttpResponse {
    let opts = PageOptions {
        refresh_secs: None,
        scripts: true,
    };
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK),
    )
    .content_type("text/html; charset=utf-8")
    .insert_header(("Cache-Control", "no-store"))
    .body(phone_page(title, congress, &opts, body).into_string())
}

fn base(paper: &BallotPaper) -> String {
    format!("/box/{}/{}", paper.contest.congress_id, paper.contest.id)
}

/// The contest's paper, when `congress` is its congress.
async fn paper_of(
    state: &AppState,
    congress: &CongressId,
    contest: &ContestId,
) -> WebResult<Arc<BallotPaper>> {
    state.ballot_paper(congress, contest).await
}

/// The contest as it is now (the cached paper keeps the state it had when first read).
async fn open_now(state: &AppState, paper: &BallotPaper) -> WebResult<Option<String>> {
    let (cid, kid) = (paper.contest.congress_id.clone(), paper.contest.id.clone());
    let contest = state
        .run(move |c| Ok(voting::contest(c, &cid, &kid)?))
        .await?;
    Ok(contest.check(ContestAction::Vote).err().map(|r| r.message))
}

fn cannot_page(why: &str) -> HttpResponse {
    let body = html! {
        h1 { "不能投票" }
        p.error { (why) }
        p { a.button.big href="/v" { "返回投票事项" } }
    };
    page(409, "不能投票", None, body)
}

fn ballot_page(
    paper: &BallotPaper,
    current: Option<&Choices>,
    error: Option<&str>,
) -> HttpResponse {
    let body = html! {
        h1 { (paper.contest.def.title) }
        @if !paper.contest.def.body.is_empty() { p { (paper.contest.def.body) } }
        p.error.nopaper hidden { "本机没有本项的电子选票。请先打开“投票事项”页面领取; 如果选票在另一台设备上, 请在那台设备上投票。" }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form method="post" action={(base(paper)) "/review"} {
            (ballot_form::fields(paper, current))
            p { button.big type="submit" { "下一步: 核对选票" } }
        }
        p { a href="/v" { "返回" } }
    };
    page(
        if error.is_some() { 422 } else { 200 },
        &paper.contest.def.title,
        None,
        body,
    )
}

async fn ballot(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let paper = paper_of(&state, &cid, &kid).await?;
    if let Some(why) = open_now(&state, &paper).await? {
        return Ok(cannot_page(&why));
    }
    Ok(ballot_page(&paper, None, None))
}

fn validity(paper: &BallotPaper, choices: &Choices) -> Validity {
    if let Some(def) = &paper.review {
        return match choices {
            Choices::Review { grid } => match read_grid(def, grid) {
                Ok(()) => Validity::Valid,
                Err(fault) => Validity::Invalid {
                    reason: fault.category().to_string(),
                },
            },
            _ => Validity::Invalid {
                reason: ReviewFault::NotReview.category().to_string(),
            },
        };
    }
    match &paper.election {
        Some(e) => e.validity(choices),
        None => motion_validity(choices),
    }
}

/// The cast form: the choices as hidden fields, and the paper's token and signature, which
/// the script fills from this phone's storage (`data-paper` names the contest).
fn cast_form(
    paper: &BallotPaper,
    choices: &Choices,
    token: &str,
    token_sig: &str,
    unconfirmed: bool,
) -> Markup {
    html! {
        form.cast method="post" action={(base(paper)) "/cast"} data-paper=(paper.contest.id) {
            input type="hidden" name="token" value=(token);
            input type="hidden" name="token_sig" value=(token_sig);
            (ballot_form::hidden(paper, choices))
            @if let Validity::Invalid { reason } = &validity(paper, choices) {
                div.error role="alert" {
                    p { strong { "注意: 这张选票将作为废票。" } }
                    p { (reason) }
                    @if unconfirmed {
                        p.error #unconfirmed { strong { "选票未投出: 请勾选下面的“我确认按此投出废票”后再点“确认投票”, 或点“返回修改”。" } }
                    }
                    label.confirm { input type="checkbox" name="confirm_invalid" value="1"; span { "我确认按此投出废票" } }
                }
            }
            p { button.big type="submit" { "确认投票" } }
        }
    }
}

/// The review step; `status` 422 when a 废票 was sent without its confirmation ticked (the
/// page then says so).
fn review_page(paper: &BallotPaper, choices: &Choices, status: u16) -> HttpResponse {
    let body = html! {
        h1 { "核对选票" }
        p { (paper.contest.def.title) }
        (ballot_form::summary(paper, choices))
        p.error.nopaper hidden { "本机没有本项的电子选票, 不能投出。请返回“投票事项”页面。" }
        (cast_form(paper, choices, "", "", status == 422))
        form method="post" action={(base(paper)) "/edit"} {
            (ballot_form::hidden(paper, choices))
            p { button.big.secondary type="submit" { "返回修改" } }
        }
    };
    let mut resp = page(status, "核对选票", None, body);
    // Back from the receipt returns here: a POST's answer comes back from the browser's own
    // cache unless it is no-store (then Chrome shows ERR_CACHE_MISS / "Confirm Form
    // Resubmission"). The page holds nothing the receipt and the board do not already show
    // this phone; `private` keeps it out of shared caches.
    resp.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("private, no-cache"),
    );
    resp
}

async fn review(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<Fields>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let paper = paper_of(&state, &cid, &kid).await?;
    if let Some(why) = open_now(&state, &paper).await? {
        return Ok(cannot_page(&why));
    }
    match ballot_form::parse(&paper, &form.into_inner()) {
        Ok(choices) => Ok(review_page(&paper, &choices, 200)),
        Err(e) => Ok(ballot_page(&paper, None, Some(&e))),
    }
}

async fn edit(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<Fields>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let paper = paper_of(&state, &cid, &kid).await?;
    let choices = ballot_form::parse(&paper, &form.into_inner()).ok();
    Ok(ballot_page(&paper, choices.as_ref(), None))
}

/// The simulator's cast: the ballot's `choices` object as published, and the paper.
#[derive(Deserialize)]
pub struct CastJson {
    pub choices: serde_json::Value,
    pub token: String,
    pub token_sig: String,
}

/// Reads JSON choices against the paper (the same checks as the form: known candidates,
/// unmarked = abstain, write-in rules).
fn json_choices(paper: &BallotPaper, value: &serde_json::Value) -> Result<Choices, String> {
    let read = Choices::from_value(value).map_err(|e| e.to_string())?;
    if let Some(def) = &paper.review {
        // The same checks as the form: one grade in every cell (H2).
        return match read {
            Choices::Review { grid } => read_grid(def, &grid)
                .map(|()| Choices::Review { grid })
                .map_err(|f| f.category().to_string()),
            _ => Err("这是述职评议, 选票应为评议表 {\"review\":[[..],..]}".into()),
        };
    }
    match (&paper.election, read) {
        (Some(e), Choices::Election { marks, write_ins }) => {
            e.fill(&marks, &write_ins).map_err(|e| e.to_string())
        }
        (None, c @ Choices::Motion { .. }) => Ok(c),
        (Some(_), Choices::Motion { .. }) => Err("这是选举, 选票应标记每位候选人".into()),
        (None, Choices::Election { .. }) => Err("这是表决, 选票应为赞成、反对或弃权".into()),
        // Several marks, or none, exist only on paper (E5): a phone chooses exactly one.
        (_, Choices::MotionMarks { .. }) => Err("表决只能选择赞成、反对或弃权中的一项".into()),
        (_, Choices::Review { .. }) => Err("这不是述职评议, 不能投入评议表".into()),
    }
}

fn field(fields: &Fields, name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

fn json_error(status: u16, message: &str) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
    )
    .json(serde_json::json!({ "error": message }))
}

async fn cast(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
    body: Either<web::Json<CastJson>, web::Form<Fields>>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    // The paper is read without checking the state: a retry of an accepted ballot must still
    // get its receipt after the close; the ballot box decides.
    let paper = paper_of(&state, &cid, &kid).await?;
    let Some(key) = state.contest_public_key(&kid).await? else {
        return Err(WebError::Conflict("本项尚未开始投票".to_string()));
    };
    let (json, choices, token, token_sig, fields) = match body {
        Either::Left(j) => {
            let j = j.into_inner();
            match json_choices(&paper, &j.choices) {
                Ok(c) => (true, c, j.token, j.token_sig, Fields::new()),
                Err(e) => return Ok(json_error(422, &e)),
            }
        }
        Either::Right(f) => {
            let fields = f.into_inner();
            let choices = match ballot_form::parse(&paper, &fields) {
                Ok(c) => c,
                Err(e) => return Ok(ballot_page(&paper, None, Some(&e))),
            };
            let confirmed = fields
                .iter()
                .any(|(k, v)| k == "confirm_invalid" && v == "1");
            if !validity(&paper, &choices).is_valid() && !confirmed {
                return Ok(review_page(&paper, &choices, 422));
            }
            let (t, s) = (field(&fields, "token"), field(&fields, "token_sig"));
            (false, choices, t, s, fields)
        }
    };
    let mut prepared = voting::prepare(&cid, &kid, &key, choices.clone(), &token, &token_sig);
    if matches!(prepared, Err(BadPaper::BadSignature)) {
        // Not the delegates' key: a participant's paper (rule I7) if their key signed it.
        if let Some(pkey) = state.participant_public_key(&kid).await? {
            if let Ok(s) =
                voting::prepare_participant(&cid, &kid, &pkey, choices.clone(), &token, &token_sig)
            {
                prepared = Ok(s);
            }
        }
    }
    let sub = match prepared {
        Ok(s) => s,
        Err(bad) if json => return Ok(json_error(400, &bad.to_string())),
        Err(bad) => return Ok(bad_paper_page(&paper, &bad)),
    };
    match state.ballot_box.submit(sub).await {
        Ok(accepted) if json => {
            let (receipt, _) = signed_receipt(&state, &kid, &accepted.ballot_hash).await?;
            let receipt: serde_json::Value =
                serde_json::from_str(&receipt).map_err(WebError::internal)?;
            Ok(HttpResponse::Ok().json(serde_json::json!({
                "ballot_hash": accepted.ballot_hash,
                "replayed": accepted.replayed,
                "receipt": receipt,
            })))
        }
        Ok(accepted) => Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/r/{kid}/{}", accepted.ballot_hash)))
            .finish()),
        Err(Refusal::Unavailable(detail)) => {
            tracing::warn!(detail = %detail, "ballot box unavailable");
            if json {
                return Ok(json_error(503, "投票系统繁忙, 选票尚未保存, 请重试"));
            }
            // Not stored: the same paper and choices can be sent again safely.
            let body = html! {
                h1 { "选票尚未保存" }
                p.error { "系统繁忙, 您的选票还没有保存。请点击下面的按钮重新提交 (不会重复计票)。" }
                form method="post" action={(base(&paper)) "/cast"} {
                    @for (k, v) in &fields {
                        input type="hidden" name=(k) value=(v);
                    }
                    p { button.big type="submit" { "重新提交" } }
                }
            };
            Ok(page(503, "选票尚未保存", None, body))
        }
        Err(refusal) if json => Ok(json_error(409, &refusal.to_string())),
        Err(refusal) => {
            let body = html! {
                h1 { "选票未被接收" }
                p.error { (refusal.to_string()) }
                @if matches!(refusal, Refusal::TokenSpent) {
                    p { "这张电子选票已经投出; 本机保存的回执在“投票事项”页面。" }
                }
                p { a.button.big href="/v" { "返回投票事项" } }
            };
            Ok(page(409, "选票未被接收", None, body))
        }
    }
}

fn bad_paper_page(paper: &BallotPaper, bad: &BadPaper) -> HttpResponse {
    let body = html! {
        h1 { "选票未被接收" }
        p.error { (bad.to_string()) }
        p { a.button.big href="/v" { "返回投票事项" } }
        p { a href=(base(paper)) { "重新填写选票" } }
    };
    page(
        if matches!(bad, BadPaper::Missing) {
            409
        } else {
            400
        },
        "选票未被接收",
        None,
        body,
    )
}

/// The contest's public ballot-paper key (SubjectPublicKeyInfo PEM) once it has opened: what
/// the phones blind with and what every ballot's signature is checked against. Public: anyone
/// may compare its fingerprint with the one announced in the hall and printed on the board.
async fn key_pem(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let paper = paper_of(&state, &cid, &kid).await?;
    let key = state
        .contest_public_key(&paper.contest.id)
        .await?
        .ok_or_else(|| WebError::NotFound("本项尚未开始投票, 还没有选票签发公钥".to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(key.to_spki_pem()))
}

/// The public key of the contest's participants' papers (rule I7), once it has opened with a
/// participants' box: what a participant's phone blinds with, and what their ballots'
/// signatures are checked against. Public, like the delegates' key.
async fn participants_key_pem(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let paper = paper_of(&state, &cid, &kid).await?;
    let key = state
        .participant_public_key(&paper.contest.id)
        .await?
        .ok_or_else(|| {
            WebError::NotFound("本项没有列席人员选票 (列席人员不计票, 或尚未开始投票)".to_string())
        })?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(key.to_spki_pem()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/box/{congress}/{contest}", web::get().to(ballot))
        .route("/box/{congress}/{contest}/key.pem", web::get().to(key_pem))
        .route(
            "/box/{congress}/{contest}/participants-key.pem",
            web::get().to(participants_key_pem),
        )
        .route("/box/{congress}/{contest}/review", web::post().to(review))
        .route("/box/{congress}/{contest}/edit", web::post().to(edit))
        .route("/box/{congress}/{contest}/cast", web::post().to(cast));
}
