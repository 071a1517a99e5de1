//! The staff console of a contest (its voting page): open it (quorum check, ballots issued
//! frozen), watch the count of ballots cast, close it, record delegates voting on paper and
//! enter the paper ballots' marks (scrutineers), then count and publish (`count`): at once
//! when the contest closes with no paper ballot outstanding, or when the last one is entered
//! after closing. The delegates' side of the vote is `phone` and `ballot_box`.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::domain::contest::ContestAction;
use crate::domain::ids::{CongressId, ContestId};
use crate::service::{results, voting};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::term as term_repo;
use crate::storage::repo::voting as voting_repo;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{ask, confirmed};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::ballot::Fields;
use crate::web::forms::paper as paper_form;
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::routes::confirm::href as confirm_href;
use crate::web::routes::count::{self, counted_message};
use crate::web::views::csrf_field;
use crate::web::AppState;

fn back(cid: &str, kid: &str) -> String {
    format!("/c/{cid}/contests/{kid}/voting")
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    let (c2, k2) = (cid.clone(), kid.clone());
    let (paper, cast, roll, paper_entered, rounds, apart) = state
        .run(move |c| {
            let paper = voting::ballot_paper(c, &c2, &k2)?;
            let rounds: Vec<_> = contests_repo::list(c, &c2)?
                .into_iter()
                .filter(|r| r.parent_id.as_ref().map(ContestId::as_str) == Some(k2.as_str()))
                .collect();
            // A 评议会's participants counted apart (rule I7): their box's figures.
            let apart = match term_repo::participant_box(c, &k2)? {
                Some(b) => Some((
                    b,
                    term_repo::participant_roll_rows(c, &k2)?.len(),
                    term_repo::participant_ballot_bodies(c, &k2)?.len(),
                    results::participant_result(c, &k2)?.map(|(_, r)| r),
                )),
                None => None,
            };
            Ok((
                paper,
                voting_repo::ballot_count(c, &k2)?,
                voting_repo::roll_count(c, &k2)?,
                voting_repo::paper_entered(c, &k2)?,
                rounds,
                apart,
            ))
        })
        .await?;
    let contest = &paper.contest;
    let result = results::result(contest)?;
    let owner = staff.user.id == congress.owner_id;
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let csrf = staff.csrf();
    let body = html! {
        h1 { (contest.def.title) " · 投票" }
        p { "状态: " span.badge { (contest.state.zh()) } " · " a href={"/c/" (cid) "/contests/" (kid)} { "事项详情" } }
        @if let Some(issued) = contest.issued {
            dl.facts {
                dt { "应到" } dd { (contest.expected.unwrap_or(0)) }
                dt { "发出选票 (开始时实到)" } dd { (issued) }
                dt { "已收回选票" } dd { (cast) }
                dt { "已领票代表 (手机或纸质)" } dd { (roll) }
                dt { "纸质选票" } dd { "发出 " (contest.paper_issued) " 张, 已录入 " (paper_entered) " 张" }
                @if let Some((b, took, cast, _)) = &apart {
                    dt { "列席人员选票 (分开计票, 规则I7)" }
                    dd { "发出 " (b.issued) " 张 (列席人员 " (b.listed) " 名), 已领票 " (took) " 人, 已收回 " (cast) " 张; 不计入以上数字和结果" }
                }
            }
        }
        @if !contest.state.has_opened() && owner {
            p { "开始投票时将检查法定人数, 并以当时的实到人数作为发出选票数; 之后签到的代表不能参加本项投票。" }
            form method="post" action={(back(cid.as_str(), kid.as_str())) "/open"} {
                (csrf_field(csrf))
                button type="submit" { "开始投票" }
            }
        }
        @if contest.allows(ContestAction::AssignPaper) {
                @if owner && contest.allows(ContestAction::Close) {
                    form method="post" action={(back(cid.as_str(), kid.as_str())) "/close"} {
                        (csrf_field(csrf))
                        button.danger type="submit" { "结束投票" }
                    }
                }
                h2 { "纸质选票: 登记代表" }
                p.muted { "不能用手机投票的代表, 由监票人登记后发给纸质选票; 登记后该代表不能再用手机领取本项选票。手机已领取电子选票的代表不能再领纸质选票 (每人只有一张选票)。 " a href={"/c/" (cid) "/contests/" (kid) "/paper-ballot"} { "打印纸质选票" } }
                form.stack method="post" action={(back(cid.as_str(), kid.as_str())) "/paper/assign"} {
                    (csrf_field(csrf))
                    label for="delegate_no" { "代表编号" }
                    input #delegate_no type="number" min="1" name="delegate_no" required;
                    div.actions { button type="submit" { "登记纸质选票" } }
                }
        }
        @if contest.allows(ContestAction::EnterPaper) && (contest.paper_issued as i64) > paper_entered {
            h2 { "录入纸质选票" }
            p.muted { "开箱后逐张录入, 不记录是哪位代表的选票。还可录入 " ((contest.paper_issued as i64) - paper_entered) " 张。" }
            form method="post" action={(back(cid.as_str(), kid.as_str())) "/paper/enter"} {
                (csrf_field(csrf))
                (paper_form::fields(&paper))
                p { button type="submit" { "录入这张纸质选票" } }
            }
        }
        (count::section(
            cid.as_str(),
            contest,
            owner,
            csrf,
            contest.paper_issued as i64 - paper_entered,
            result.as_ref(),
            &rounds,
        ))
        @if let Some((_, _, _, Some(r))) = &apart { (crate::web::views::results::apart(r)) }
    };
    Ok(page(&state, &ctx, &contest.def.title, body))
}

async fn open(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    if !confirmed(&req, &body) {
        return Ok(ask(&confirm_href(
            cid.as_str(),
            "contest-open",
            Some(kid.as_str()),
        )));
    }
    let actor = actor(&staff, &req);
    let (c2, k2) = (cid.clone(), kid.clone());
    let keys = state.keys.clone();
    let contest = state
        .run(move |c| Ok(voting::open(c, &actor, &keys, &c2, &k2)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str(), kid.as_str()),
        true,
        format!(
            "“{}”开始投票, 发出选票 {} 张。",
            contest.def.title,
            contest.issued.unwrap_or(0)
        ),
    ))
}

async fn close(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    if !confirmed(&req, &body) {
        return Ok(ask(&confirm_href(
            cid.as_str(),
            "contest-close",
            Some(kid.as_str()),
        )));
    }
    let who = actor(&staff, &req);
    let (c2, k2) = (cid.clone(), kid.clone());
    let (contest, entered) = state
        .run(move |c| {
            let contest = voting::close(c, &who, &c2, &k2)?;
            Ok((contest, voting_repo::paper_entered(c, &k2)?))
        })
        .await?;
    let pending = contest.paper_issued as i64 - entered;
    if pending > 0 {
        return Ok(redirect_with(
            &state,
            &back(cid.as_str(), kid.as_str()),
            true,
            format!(
                "“{}”投票已结束。还有 {pending} 张纸质选票未录入: 录入后自动计票, 或确认未收回后点击“计票并公示”。",
                contest.def.title
            ),
        ));
    }
    let message = match count::finalise(&state, actor(&staff, &req), &cid, &kid, false).await {
        Ok(done) => (true, counted_message(&done)),
        Err(e) => (
            false,
            format!(
                "“{}”投票已结束, 但计票未完成: {}",
                contest.def.title,
                e.notice()
            ),
        ),
    };
    Ok(redirect_with(
        &state,
        &back(cid.as_str(), kid.as_str()),
        message.0,
        message.1,
    ))
}

#[derive(Deserialize)]
struct AssignForm {
    delegate_no: String,
}

async fn assign_paper(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<AssignForm>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Scrutinise).await?;
    let no: u32 = form.delegate_no.trim().parse().map_err(|_| {
        WebError::BadRequest(format!("代表编号应为正整数, 现为“{}”", form.delegate_no))
    })?;
    let actor = actor(&staff, &req);
    let (c2, k2) = (cid.clone(), kid.clone());
    let name = state
        .run(move |c| Ok(voting::assign_paper(c, &actor, &c2, &k2, no)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str(), kid.as_str()),
        true,
        format!("已登记 {name} (代表编号 {no}) 使用纸质选票。"),
    ))
}

async fn enter_paper(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<Fields>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Scrutinise).await?;
    let (c2, k2) = (cid.clone(), kid.clone());
    let paper = state
        .run(move |c| Ok(voting::ballot_paper(c, &c2, &k2)?))
        .await?;
    let choices = paper_form::parse(&paper, &form.into_inner()).map_err(WebError::BadRequest)?;
    let who = actor(&staff, &req);
    let key = state.contest_key(&cid, &kid)?;
    let (c2, k2) = (cid.clone(), kid.clone());
    let (hash, last_after_close) = state
        .run(move |c| {
            let hash = voting::enter_paper(c, &who, &key, &c2, &k2, choices)?;
            let contest = voting::contest(c, &c2, &k2)?;
            let entered = voting_repo::paper_entered(c, &k2)?;
            let last =
                contest.allows(ContestAction::Count) && entered >= contest.paper_issued as i64;
            Ok((hash, last))
        })
        .await?;
    let mut message = format!("纸质选票已录入, 追踪码 {}…", &hash[..16]);
    let mut ok = true;
    if last_after_close {
        // The last outstanding paper ballot of a closed contest: nothing more can come in.
        match count::finalise(&state, actor(&staff, &req), &cid, &kid, false).await {
            Ok(done) => message = format!("{message} {}", counted_message(&done)),
            Err(e) => {
                ok = false;
                message = format!("{message} 计票未完成: {}", e.notice());
            }
        }
    }
    Ok(redirect_with(
        &state,
        &back(cid.as_str(), kid.as_str()),
        ok,
        message,
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/contests/{kid}/voting", web::get().to(show))
        .route("/c/{cid}/contests/{kid}/voting/open", web::post().to(open))
        .route(
            "/c/{cid}/contests/{kid}/voting/close",
            web::post().to(close),
        )
        .route(
            "/c/{cid}/contests/{kid}/voting/paper/assign",
            web::post().to(assign_paper),
        )
        .route(
            "/c/{cid}/contests/{kid}/voting/paper/enter",
            web::post().to(enter_paper),
        );
}
