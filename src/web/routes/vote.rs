//! Voting on the phone: the delegate's home (contests open now, receipts kept on this phone),
//! the ballot form, a review step (with an explicit confirmation when the ballot would be
//! invalid), the submission through the ballot box, and the receipt page.
//!
//! Exactly once: the form carries a fresh random ballot id, so a double tap or a retry after a
//! lost response re-submits the same ballot and gets the same receipt; a second device gets a
//! clear "already voted" page. The receipt's tracker is also kept in a cookie on this phone.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use crate::crypto::sign_receipt;
use crate::crypto::token::new_ballot_id;
use crate::domain::ballot::{motion_validity, Choices, Validity};
use crate::service::ballot_box::Refusal;
use crate::service::voting::{self, BallotPaper};
use crate::storage::repo::contests::{self as contests_repo, ContestState};
use crate::storage::repo::voting as voting_repo;
use crate::web::ballot_form::{self, Fields};
use crate::web::error::{WebError, WebResult};
use crate::web::routes::delegate::Voter;
use crate::web::views::{csrf_field, phone_layout};
use crate::web::AppState;

/// The cookie keeping this phone's trackers: `contest:hash` pairs.
pub const RECEIPTS_COOKIE: &str = "congress_receipts";

fn html_page(status: u16, title: &str, congress: &str, body: Markup) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status).unwrap_or(actix_web::http::StatusCode::OK),
    )
    .content_type("text/html; charset=utf-8")
    .insert_header(("Cache-Control", "no-store"))
    .body(phone_layout(title, Some(congress), body).into_string())
}

/// This phone's receipts: (contest id, ballot hash).
fn receipts(req: &HttpRequest) -> Vec<(String, String)> {
    req.cookie(RECEIPTS_COOKIE)
        .map(|c| {
            c.value()
                .split(',')
                .filter_map(|p| p.split_once(':'))
                .filter(|(c, h)| c.len() <= 64 && h.len() == 64)
                .map(|(c, h)| (c.to_string(), h.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn receipts_cookie(mut list: Vec<(String, String)>, contest: &str, hash: &str) -> Cookie<'static> {
    list.retain(|(c, _)| c != contest);
    list.push((contest.to_string(), hash.to_string()));
    let value = list
        .iter()
        .map(|(c, h)| format!("{c}:{h}"))
        .collect::<Vec<_>>()
        .join(",");
    let mut c = Cookie::new(RECEIPTS_COOKIE, value);
    c.set_path("/");
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_max_age(CookieDuration::days(30));
    c
}

async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    voter: Voter,
) -> WebResult<HttpResponse> {
    let (cid, did) = (voter.congress.id.clone(), voter.delegate.id.clone());
    let rows = state
        .run(move |c| {
            let mut out = Vec::new();
            for contest in contests_repo::list(c, &cid)? {
                let status = match contest.state {
                    ContestState::Draft => continue,
                    ContestState::Open => voting::may_vote(c, &contest, &did)?.err(),
                    _ => Some(voting::CannotVote::Closed),
                };
                out.push((contest, status));
            }
            Ok(out)
        })
        .await?;
    let mine = receipts(&req);
    let card_events = crate::web::routes::delegate::card_events_of(&state, &voter).await?;
    let d = &voter.delegate;
    let body = html! {
        p { (d.student.name) " · 代表编号 " (d.delegate_no) " · " (d.student.college) }
        p { @if d.present { span.badge.ok { "已签到" } } @else { span.badge.bad { "未签到" } " 大会开始后请扫码签到或找会务人员签到" } }
        h1 { "投票事项" }
        @if rows.is_empty() { p.muted { "现在没有进行中的投票。投票开始后请刷新本页。" } }
        @for (contest, status) in &rows {
            div.card {
                h3 { (contest.def.title) }
                @match status {
                    None => a.button.big href={"/v/" (contest.id)} { "去投票" },
                    Some(why) => p.muted { (why.to_string()) },
                }
            }
        }
        @if !mine.is_empty() {
            h2 { "本机保存的投票回执" }
            ul { @for (contest, hash) in &mine {
                li { a href={"/r/" (contest) "/" (hash)} { code { (&hash[..16]) "…" } } }
            } }
        }
        (crate::web::views::card_use::history(&card_events, crate::storage::now_ms(), 5))
        p { a href="/v" { "刷新" } }
        (crate::web::views::card_use::logout_button(&voter.session.csrf))
    };
    Ok(html_page(200, "投票事项", &voter.congress.name, body))
}

/// Loads the contest's paper and checks the voter may vote in it now.
async fn paper_for(
    state: &AppState,
    voter: &Voter,
    contest_id: &str,
) -> WebResult<Result<BallotPaper, String>> {
    let (cid, did, kid) = (
        voter.congress.id.clone(),
        voter.delegate.id.clone(),
        contest_id.to_string(),
    );
    state
        .run(move |c| {
            let paper = voting::ballot_paper(c, &cid, &kid)?;
            Ok(match voting::may_vote(c, &paper.contest, &did)? {
                Ok(()) => Ok(paper),
                Err(why) => Err(why.to_string()),
            })
        })
        .await
}

fn cannot_vote_page(voter: &Voter, why: &str) -> HttpResponse {
    let body = html! {
        h1 { "不能投票" }
        p.error { (why) }
        p { a.button.big href="/v" { "返回投票事项" } }
    };
    html_page(409, "不能投票", &voter.congress.name, body)
}

fn ballot_page(
    voter: &Voter,
    paper: &BallotPaper,
    current: Option<&Choices>,
    error: Option<&str>,
    ballot_id: &str,
) -> HttpResponse {
    let body = html! {
        h1 { (paper.contest.def.title) }
        @if !paper.contest.def.body.is_empty() { p { (paper.contest.def.body) } }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form method="post" action={"/v/" (paper.contest.id) "/review"} {
            (csrf_field(&voter.session.csrf))
            input type="hidden" name="ballot_id" value=(ballot_id);
            (ballot_form::fields(paper, current))
            p { button.big type="submit" { "下一步: 核对选票" } }
        }
        p { a href="/v" { "返回" } }
    };
    html_page(
        if error.is_some() { 422 } else { 200 },
        &paper.contest.def.title,
        &voter.congress.name,
        body,
    )
}

async fn ballot(
    state: web::Data<AppState>,
    voter: Voter,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    match paper_for(&state, &voter, &path).await? {
        Ok(paper) => Ok(ballot_page(&voter, &paper, None, None, &new_ballot_id())),
        Err(why) => Ok(cannot_vote_page(&voter, &why)),
    }
}

fn ballot_id(fields: &Fields) -> String {
    fields
        .iter()
        .find(|(k, _)| k == "ballot_id")
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn validity(paper: &BallotPaper, choices: &Choices) -> Validity {
    match &paper.election {
        Some(e) => e.validity(choices),
        None => motion_validity(choices),
    }
}

fn review_page(
    voter: &Voter,
    paper: &BallotPaper,
    choices: &Choices,
    id: &str,
    status: u16,
) -> HttpResponse {
    let validity = validity(paper, choices);
    let body = html! {
        h1 { "核对选票" }
        p { (paper.contest.def.title) }
        (ballot_form::summary(paper, choices))
        form method="post" action={"/v/" (paper.contest.id) "/cast"} {
            (csrf_field(&voter.session.csrf))
            input type="hidden" name="ballot_id" value=(id);
            (ballot_form::hidden(paper, choices))
            @if let Validity::Invalid { reason } = &validity {
                div.error role="alert" {
                    p { strong { "注意: 这张选票将作为废票。" } }
                    p { (reason) }
                    label { input type="checkbox" name="confirm_invalid" value="1"; " 我确认按此投出废票" }
                }
            }
            p { button.big type="submit" { "确认投票" } }
        }
        form method="post" action={"/v/" (paper.contest.id) "/edit"} {
            (csrf_field(&voter.session.csrf))
            input type="hidden" name="ballot_id" value=(id);
            (ballot_form::hidden(paper, choices))
            p { button.big.secondary type="submit" { "返回修改" } }
        }
    };
    html_page(status, "核对选票", &voter.congress.name, body)
}

async fn review(
    state: web::Data<AppState>,
    voter: Voter,
    path: web::Path<String>,
    form: web::Form<Fields>,
) -> WebResult<HttpResponse> {
    let paper = match paper_for(&state, &voter, &path).await? {
        Ok(p) => p,
        Err(why) => return Ok(cannot_vote_page(&voter, &why)),
    };
    let fields = form.into_inner();
    let id = ballot_id(&fields);
    match ballot_form::parse(&paper, &fields) {
        Ok(choices) => Ok(review_page(&voter, &paper, &choices, &id, 200)),
        Err(e) => Ok(ballot_page(&voter, &paper, None, Some(&e), &id)),
    }
}

async fn edit(
    state: web::Data<AppState>,
    voter: Voter,
    path: web::Path<String>,
    form: web::Form<Fields>,
) -> WebResult<HttpResponse> {
    let paper = match paper_for(&state, &voter, &path).await? {
        Ok(p) => p,
        Err(why) => return Ok(cannot_vote_page(&voter, &why)),
    };
    let fields = form.into_inner();
    let choices = ballot_form::parse(&paper, &fields).ok();
    Ok(ballot_page(
        &voter,
        &paper,
        choices.as_ref(),
        None,
        &ballot_id(&fields),
    ))
}

async fn cast(
    state: web::Data<AppState>,
    req: HttpRequest,
    voter: Voter,
    path: web::Path<String>,
    form: web::Form<Fields>,
) -> WebResult<HttpResponse> {
    let contest_id = path.into_inner();
    // The paper is read without the may-vote check: a retry of an accepted ballot must still
    // get its receipt; the ballot box decides (whether the contest is open, whether this
    // delegate may vote, whether they already did).
    let paper = state.ballot_paper(&voter.congress.id, &contest_id).await?;
    let fields = form.into_inner();
    let id = ballot_id(&fields);
    let choices = match ballot_form::parse(&paper, &fields) {
        Ok(c) => c,
        Err(e) => return Ok(ballot_page(&voter, &paper, None, Some(&e), &id)),
    };
    let confirmed = fields
        .iter()
        .any(|(k, v)| k == "confirm_invalid" && v == "1");
    if !validity(&paper, &choices).is_valid() && !confirmed {
        return Ok(review_page(&voter, &paper, &choices, &id, 422));
    }
    let sub = voting::prepare(
        &voter.congress.id,
        &contest_id,
        &voter.delegate.id,
        &id,
        choices,
    )?;
    match state.ballot_box.submit(sub).await {
        Ok(accepted) => {
            let to = format!("/r/{contest_id}/{}", accepted.ballot_hash);
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", to))
                .cookie(receipts_cookie(
                    receipts(&req),
                    &contest_id,
                    &accepted.ballot_hash,
                ))
                .finish())
        }
        Err(Refusal::Unavailable(detail)) => {
            tracing::warn!(detail = %detail, "ballot box unavailable");
            // Not stored: the same ballot (same id) can be submitted again safely.
            let body = html! {
                h1 { "选票尚未保存" }
                p.error { "系统繁忙, 您的选票还没有保存。请点击下面的按钮重新提交 (不会重复计票)。" }
                form method="post" action={"/v/" (contest_id) "/cast"} {
                    (csrf_field(&voter.session.csrf))
                    input type="hidden" name="ballot_id" value=(id);
                    @for (k, v) in fields.iter().filter(|(k, _)| k != "csrf" && k != "ballot_id") {
                        input type="hidden" name=(k) value=(v);
                    }
                    p { button.big type="submit" { "重新提交" } }
                }
            };
            Ok(html_page(503, "选票尚未保存", &voter.congress.name, body))
        }
        Err(refusal) => {
            let body = html! {
                h1 { "选票未被接收" }
                p.error { (refusal.to_string()) }
                @if matches!(refusal, Refusal::AlreadyVoted) {
                    p { "如果您在另一台设备上投过票, 回执保存在那台设备上。" }
                }
                p { a.button.big href="/v" { "返回投票事项" } }
            };
            Ok(html_page(409, "选票未被接收", &voter.congress.name, body))
        }
    }
}

/// The receipt of an accepted ballot: the tracker and the signed receipt to keep. Anyone who
/// knows the hash may see it (it reveals nothing but that the ballot is in the box).
async fn receipt(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (contest_id, hash) = path.into_inner();
    let (json, congress_name) = signed_receipt(&state, &contest_id, &hash).await?;
    let body = html! {
        h1 { "投票成功" }
        p { "您的选票已保存。下面是选票的追踪码 (选票哈希), 投票结束后可在公示中查到它:" }
        p.tracker { (hash) }
        p { "签名回执 (可截图或下载保存):" }
        pre.tracker { (json) }
        p { a.button.big href={"/r/" (contest_id) "/" (hash) "/json"} { "下载回执" } }
        p { a href="/v" { "返回投票事项" } }
    };
    Ok(html_page(200, "投票回执", &congress_name, body))
}

async fn signed_receipt(
    state: &AppState,
    contest_id: &str,
    hash: &str,
) -> WebResult<(String, String)> {
    if hash.len() != 64
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(WebError::NotFound("回执不存在".to_string()));
    }
    let (kid, h) = (contest_id.to_string(), hash.to_string());
    let found = state
        .run(move |c| {
            let Some(contest) = contests_repo::get(c, &kid)? else {
                return Ok(None);
            };
            if !voting_repo::has_ballot(c, &kid, &h)? {
                return Ok(None);
            }
            let congress = crate::storage::repo::congress::get(c, &contest.congress_id)?;
            Ok(congress.map(|g| (contest.congress_id, g.name)))
        })
        .await?;
    let (congress_id, name) =
        found.ok_or_else(|| WebError::NotFound("没有这张选票的回执".to_string()))?;
    let key = state.signing_key(&congress_id)?;
    let r = sign_receipt(&key, &congress_id, contest_id, hash).map_err(WebError::internal)?;
    Ok((r.to_json_string(), name))
}

async fn receipt_json(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (contest_id, hash) = path.into_inner();
    let (json, _) = signed_receipt(&state, &contest_id, &hash).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"receipt-{}.json\"", &hash[..16]),
        ))
        .body(json))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v", web::get().to(home))
        .route("/v/{contest}", web::get().to(ballot))
        .route("/v/{contest}/review", web::post().to(review))
        .route("/v/{contest}/edit", web::post().to(edit))
        .route("/v/{contest}/cast", web::post().to(cast))
        .route("/r/{contest}/{hash}/json", web::get().to(receipt_json))
        .route("/r/{contest}/{hash}", web::get().to(receipt));
}
