//! The delegate's phone: the waiting page (`/v`) and taking ballot papers (领票,
//! `POST /v/{contest}/paper`). Logging in is `delegate`, casting `ballot_box`, the receipts
//! `receipts`.
//!
//! The waiting page lists the congress's contests that have opened, reloads itself every few
//! seconds, and carries for each open contest what the phone's script needs to take a paper
//! as soon as the contest opens: the contest key's modulus and exponent. The script makes a
//! random token, blinds it, keeps token and blinding in `localStorage`, and posts the blinded
//! message here with the delegate session; the answer is the blind signature, which the
//! script unblinds into the paper (token + signature) it will cast at `/box`, where this
//! session's cookie (`Path=/v`) is never sent. Taking papers at opening, not at voting time,
//! means the order of issue says nothing about the order of casting.
//!
//! Without JavaScript the page says to ask a scrutineer for a paper ballot (纸质选票).

use actix_web::{web, HttpResponse};
use base64::Engine;
use maud::html;
use serde::{Deserialize, Serialize};

use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::ContestId;
use crate::service::papers::{self, IssueRefusal};
use crate::service::voting::{self, CannotVote, Standing};
use crate::storage::repo::contests::{self as contests_repo};
use crate::web::auth::Voter;
use crate::web::error::WebResult;
use crate::web::views::phone::{phone_page, PageOptions};
use crate::web::AppState;

/// Seconds between reloads of the waiting page.
pub const REFRESH_SECS: u32 = 5;

/// One contest on the waiting page, with the public key of an open one.
struct Row {
    contest: Contest,
    standing: Standing,
    key: Option<(String, u32)>,
}

/// `data-state` for the script: `take` (take a paper now), `taken` (a paper went to a phone
/// of this card: this one if its storage has it), `closed`, `no` (cannot: the text says why).
pub(crate) fn state_attr(s: &Standing) -> &'static str {
    match s {
        Standing::MayTakePaper => "take",
        Standing::PaperTaken => "taken",
        Standing::Cannot(CannotVote::Closed) => "closed",
        Standing::Cannot(_) => "no",
    }
}

async fn home(state: web::Data<AppState>, voter: Voter) -> WebResult<HttpResponse> {
    let (cid, did) = (voter.congress.id.clone(), voter.delegate.id.clone());
    let listed = state
        .run(move |c| {
            let mut out = Vec::new();
            for contest in contests_repo::list(c, &cid)? {
                if !contest.state.has_opened() {
                    continue;
                }
                let standing = voting::standing(c, &contest, &did)?;
                out.push((contest, standing));
            }
            Ok(out)
        })
        .await?;
    let card_events = crate::web::routes::delegate::card_events_of(&state, &voter).await?;
    let mut rows = Vec::with_capacity(listed.len());
    for (contest, standing) in listed {
        let key = if contest.allows(ContestAction::Vote) {
            state
                .contest_public_key(&contest.id)
                .await?
                .map(|k| (k.modulus_hex(), k.exponent()))
        } else {
            None
        };
        rows.push(Row {
            contest,
            standing,
            key,
        });
    }
    let d = &voter.delegate;
    let cid = &voter.congress.id;
    let body = html! {
        p { (d.student.name) " · 代表编号 " (d.delegate_no) " · " (d.student.college) }
        p { @if d.present { span.badge.ok { "已签到" } } @else { span.badge.bad { "未签到" } " 大会开始后请扫码签到或找会务人员签到" } }
        noscript { p.error { "本机浏览器没有启用 JavaScript, 不能领取和投出电子选票。请向监票人领取纸质选票, 或换用启用了 JavaScript 的浏览器。" } }
        h1 { "投票事项" }
        @if rows.is_empty() { p.muted { "现在没有进行中的投票。投票开始后本页会自动领取选票。" } }
        div #contests data-csrf=(voter.session.csrf) data-congress=(cid) {
            @for r in &rows {
                div.card.contest data-contest=(r.contest.id) data-state=(state_attr(&r.standing))
                    data-n=[r.key.as_ref().map(|k| k.0.as_str())] data-e=[r.key.as_ref().map(|k| k.1)] {
                    h3 { (r.contest.def.title) }
                    @match &r.standing {
                        Standing::MayTakePaper => p.status { "本项正在投票。" },
                        Standing::PaperTaken => p.status { "选票已领取。" },
                        Standing::Cannot(why) => p.status.muted { (why.to_string()) },
                    }
                    @if r.contest.allows(ContestAction::Vote) {
                        a.button.big.vote hidden href={"/box/" (cid) "/" (r.contest.id)} { "去投票" }
                    }
                }
            }
        }
        h2 #mine hidden { "本机保存的投票回执" }
        ul #receipts {}
        p.muted { "本页每 " (REFRESH_SECS) " 秒自动刷新。选票和回执只保存在本机浏览器中, 请不要清除浏览器数据, 投票结束前不要换手机。" }
        (crate::web::views::card_use::history(&card_events, crate::storage::now_ms(), 5))
        p { a href="/v" { "刷新" } }
        (crate::web::views::card_use::logout_button(&voter.session.csrf))
    };
    let opts = PageOptions {
        refresh_secs: Some(REFRESH_SECS),
        scripts: true,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(phone_page("投票事项", Some(&voter.congress.name), &opts, body).into_string()))
}

/// The phone's request for a paper: the blinded message, standard base64.
#[derive(Deserialize)]
pub(crate) struct PaperRequest {
    pub(crate) blinded: String,
}

/// The answer: the blind signature (standard base64), or why not.
#[derive(Serialize)]
struct PaperAnswer {
    #[serde(skip_serializing_if = "Option::is_none")]
    blind_sig: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The JSON answer to a paper request (delegates' and participants' alike), never cached.
pub(crate) fn answer(
    status: u16,
    blind_sig: Option<String>,
    error: Option<String>,
) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR),
    )
    .insert_header(("Cache-Control", "no-store"))
    .json(PaperAnswer { blind_sig, error })
}

async fn take_paper(
    state: web::Data<AppState>,
    voter: Voter,
    path: web::Path<ContestId>,
    form: web::Form<PaperRequest>,
) -> WebResult<HttpResponse> {
    let contest_id = path.into_inner();
    let cid = voter.congress.id.clone();
    let Ok(blinded) = base64::engine::general_purpose::STANDARD.decode(form.blinded.trim()) else {
        return Ok(answer(400, None, Some("盲化消息应为 base64 编码".into())));
    };
    // The contest must be this congress's and opened (its key exists; once cached, that is
    // known without asking the database); the issuer checks the rest (open now, entitled,
    // not on the roll) inside its transaction.
    let key = match state.cached_contest_key(&cid, &contest_id) {
        Some(key) => key,
        None => {
            let (c2, k2) = (cid.clone(), contest_id.clone());
            let contest = state
                .run(move |c| Ok(voting::contest(c, &c2, &k2)?))
                .await?;
            if !contest.state.has_opened() {
                return Ok(answer(409, None, Some(CannotVote::NotOpen.to_string())));
            }
            state.contest_key(&cid, &contest_id)?
        }
    };
    let (kid, did) = (contest_id.clone(), voter.delegate.id.clone());
    let signed = web::block(move || papers::sign(&key, &kid, &did, &blinded)).await?;
    let issue = match signed {
        Ok(i) => i,
        Err(e) => return Ok(answer(400, None, Some(e.to_string()))),
    };
    Ok(match state.issuer.submit(issue).await {
        Ok(issued) => answer(200, Some(issued.blind_sig), None),
        Err(IssueRefusal::Unavailable(detail)) => {
            tracing::warn!(detail = %detail, "paper issuer unavailable");
            let busy = "投票系统暂时无法发出选票, 本页会自动重试 (不会重复领取)";
            answer(503, None, Some(busy.to_string()))
        }
        Err(refusal) => answer(409, None, Some(refusal.to_string())),
    })
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v", web::get().to(home))
        .route("/v/{contest}/paper", web::post().to(take_paper));
}
