//! A 评议会 participant on their phone when participants are counted apart (rule I7): logging
//! in with the participant's card (`/tp/{token}`: a page with one button, the POST logs in,
//! as a delegate's card), the waiting page (`/v/p`) and taking papers (领票,
//! `POST /v/p/{contest}/paper`) signed with the contest's participants' key. Casting is the
//! delegates' anonymous box (`/box`), receipts the delegates' receipts.
//!
//! The session is a delegate session marked `participant` (cookie `Path=/v`, never sent to the
//! box); the delegate pages refuse it and these refuse a delegate's.

use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use maud::html;

use crate::crypto::sha256_hex;
use crate::crypto::token::new_token;
use crate::domain::contest::ContestAction;
use crate::domain::ids::ContestId;
use crate::service::credentials;
use crate::service::papers::IssueRefusal;
use crate::service::term::participants::{self, participant_key_id};
use crate::service::voting::{self, CannotVote, Standing};
use crate::service::ServiceError;
use crate::storage::now_ms;
use crate::storage::repo::contests as contests_repo;
use crate::web::auth::{client_addr, ParticipantVoter};
use crate::web::error::WebResult;
use crate::web::routes::phone::{answer, state_attr, PaperRequest, REFRESH_SECS};
use crate::web::session::{PreSession, VoteSession, VOTE_SESSION_MS};
use crate::web::views::phone::{phone_page, PageOptions};
use crate::web::views::{csrf_field, phone_layout};
use crate::web::AppState;

fn failed_page(message: &str, status: u16) -> HttpResponse {
    let body = html! {
        h1 { "无法登录" }
        p.error role="alert" { (message) }
    };
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .content_type("text/html; charset=utf-8")
    .body(phone_layout("无法登录", None, body).into_string())
}

/// `GET /tp/{token}`: the page a participant's card opens. One button; nothing changes.
async fn card_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> HttpResponse {
    let pre = state
        .sessions
        .pre(&req)
        .unwrap_or_else(|| PreSession { csrf: new_token() });
    let action = format!("/tp/{}", token.into_inner());
    let body = html! {
        h1 { "列席人员投票卡登录" }
        p { "点击下面的按钮, 用这张列席人员投票卡在本手机上登录。列席人员的选票分开计票, 不计入会议结果。" }
        form method="post" action=(action) {
            (csrf_field(&pre.csrf))
            p { button.big type="submit" { "登录" } }
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Robots-Tag", "noindex"))
        .cookie(state.sessions.pre_cookie(&pre))
        .body(phone_layout("列席人员登录", None, body).into_string())
}

/// `POST /tp/{token}`: logs the participant in (a wrong token counts against the address, as
/// a delegate's card).
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> WebResult<HttpResponse> {
    let token = token.into_inner();
    let result = state
        .run(move |c| Ok(participants::participant_login(c, &token)))
        .await?;
    match result {
        Ok(login) => {
            let session = VoteSession {
                did: login.participant.id.clone(),
                cid: login.congress.id.clone(),
                epoch: login.epoch,
                csrf: new_token(),
                exp: now_ms() + VOTE_SESSION_MS,
                participant: true,
            };
            let [vote, _] = state.sessions.vote_cookies(&session);
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", "/v/p"))
                .cookie(vote)
                .finish())
        }
        Err(ServiceError::NotFound(message)) => {
            // A wrong token counts against the address, as a delegate card's (throttled past
            // the allowance; a right card is never refused).
            let addr = client_addr(&req);
            let past = state
                .run(move |c| Ok(credentials::record_failed_login(c, &addr)?))
                .await?;
            if past {
                actix_web::rt::time::sleep(std::time::Duration::from_millis(
                    crate::web::routes::delegate::FAILURE_DELAY_MS,
                ))
                .await;
                return Ok(failed_page(
                    "登录失败次数过多: 本地址的错误尝试会被放慢。请核对投票卡后重试, 或联系会务人员。",
                    429,
                ));
            }
            Ok(failed_page(&message, 401))
        }
        Err(ServiceError::Conflict(message)) => Ok(failed_page(&message, 409)),
        Err(e) => Err(e.into()),
    }
}

/// `GET /v/p`: the participant's waiting page: the meeting's opened contests with the
/// participants' key of each open one, for the script that takes the papers.
async fn home(state: web::Data<AppState>, voter: ParticipantVoter) -> WebResult<HttpResponse> {
    let (cid, pid) = (voter.congress.id.clone(), voter.participant.id.clone());
    let listed = state
        .run(move |c| {
            let mut out = Vec::new();
            for contest in contests_repo::list(c, &cid)? {
                if !contest.state.has_opened() {
                    continue;
                }
                let standing = participants::standing(c, &contest, &pid)?;
                out.push((contest, standing));
            }
            Ok(out)
        })
        .await?;
    let mut rows = Vec::with_capacity(listed.len());
    for (contest, standing) in listed {
        let key = if contest.allows(ContestAction::Vote) {
            state
                .participant_public_key(&contest.id)
                .await?
                .map(|k| (k.modulus_hex(), k.exponent()))
        } else {
            None
        };
        rows.push((contest, standing, key));
    }
    let p = &voter.participant;
    let cid = &voter.congress.id;
    let body = html! {
        p { (p.name) " · " (p.unit) " · 列席人员" }
        p.muted { "列席评议人员分开计票: 您的选票与代表的选票分开统计, 单独公布, 不计入会议结果。" }
        p { @if p.present { span.badge.ok { "已签到" } } @else { span.badge.bad { "未签到" } " 请找会务人员签到" } }
        noscript { p.error { "本机浏览器没有启用 JavaScript, 不能领取和投出电子选票。" } }
        h1 { "投票事项" }
        @if rows.is_empty() { p.muted { "现在没有进行中的投票。投票开始后本页会自动领取选票。" } }
        div #contests data-csrf=(voter.session.csrf) data-congress=(cid) data-paper="/v/p/" {
            @for (contest, standing, key) in &rows {
                div.card.contest data-contest=(contest.id) data-state=(state_attr(standing))
                    data-n=[key.as_ref().map(|k| k.0.as_str())] data-e=[key.as_ref().map(|k| k.1)] {
                    h3 { (contest.def.title) }
                    @match standing {
                        Standing::MayTakePaper => p.status { "本项正在投票。" },
                        Standing::PaperTaken => p.status { "选票已领取。" },
                        Standing::Cannot(CannotVote::NotPresentAtOpening) => p.status.muted { "本项开始投票时您尚未签到, 或本项列席人员不投票(开始投票时签到的列席人员少于3名, 规则I7)。" },
                        Standing::Cannot(why) => p.status.muted { (why.to_string()) },
                    }
                    @if contest.allows(ContestAction::Vote) {
                        a.button.big.vote hidden href={"/box/" (cid) "/" (contest.id)} { "去投票" }
                    }
                }
            }
        }
        h2 #mine hidden { "本机保存的投票回执" }
        ul #receipts {}
        p.muted { "本页每 " (REFRESH_SECS) " 秒自动刷新。选票和回执只保存在本机浏览器中, 请不要清除浏览器数据。" }
        p { a href="/v/p" { "刷新" } }
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

/// `POST /v/p/{contest}/paper`: the participants' key signs the blinded token of an entitled
/// participant; the roll keeps the blinded message's hash and the blind signature.
async fn take_paper(
    state: web::Data<AppState>,
    voter: ParticipantVoter,
    path: web::Path<ContestId>,
    form: web::Form<PaperRequest>,
) -> WebResult<HttpResponse> {
    let contest_id = path.into_inner();
    let cid = voter.congress.id.clone();
    let Ok(blinded) = base64::engine::general_purpose::STANDARD.decode(form.blinded.trim()) else {
        return Ok(answer(400, None, Some("盲化消息应为 base64 编码".into())));
    };
    let (c2, k2) = (cid.clone(), contest_id.clone());
    let contest = state
        .run(move |c| Ok(voting::contest(c, &c2, &k2)?))
        .await?;
    if !contest.state.has_opened() {
        return Ok(answer(409, None, Some(CannotVote::NotOpen.to_string())));
    }
    if state.participant_public_key(&contest_id).await?.is_none() {
        return Ok(answer(
            409,
            None,
            Some(IssueRefusal::NotEntitled.to_string()),
        ));
    }
    let key = state.contest_key(&cid, &participant_key_id(&contest_id))?;
    let blinded_sha256 = sha256_hex(&blinded);
    let signed = web::block(move || key.blind_sign(&blinded)).await?;
    let sig = match signed {
        Ok(s) => base64::engine::general_purpose::STANDARD.encode(s),
        Err(e) => return Ok(answer(400, None, Some(e.to_string()))),
    };
    let (kid, pid) = (contest_id.clone(), voter.participant.id.clone());
    let outcome = state
        .run(move |c| {
            Ok(participants::issue_paper(
                c,
                &kid,
                &pid,
                &blinded_sha256,
                &sig,
            )?)
        })
        .await?;
    Ok(match outcome {
        Ok(issued) => answer(200, Some(issued.blind_sig), None),
        Err(refusal) => answer(409, None, Some(refusal.to_string())),
    })
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tp/{token}", web::get().to(card_page))
        .route("/tp/{token}", web::post().to(login))
        .route("/v/p", web::get().to(home))
        .route("/v/p/{contest}/paper", web::post().to(take_paper));
}
