//! The roll of who took a ballot paper in a contest (names and delegate numbers, never linked
//! to a ballot), so that the number of ballots can be checked against people. Personal data:
//! shown to the congress's logged-in staff (owner and scrutineers) once the contest has
//! opened, and to its logged-in delegates once voting in the contest has ended; never on a
//! public page.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::publish::{self, RollLine};
use crate::storage::repo::voting as voting_repo;
use crate::web::auth::Voter;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{congress_ctx, load_congress, page};
use crate::web::views::phone_layout;
use crate::web::AppState;

/// The roll's figures and table.
fn roll_table(contest: &Contest, cast: i64, rows: &[RollLine]) -> Markup {
    html! {
        dl.facts {
            dt { "发出选票 (开始投票时实到)" } dd { (contest.issued.unwrap_or(0)) }
            dt { "领票人 (手机或纸质)" } dd { (rows.len()) }
            dt { "收回选票" } dd { (cast) }
        }
        p.muted { "名单只记录谁领取了选票 (手机或纸质), 与任何一张选票都没有关联 (无记名投票, 规则 E1); 领票而未投出的选票算作未收回。" }
        table.roll {
            thead { tr { th.num { "代表编号" } th { "姓名" } th { "学院" } } }
            tbody {
                @for (no, name, college) in rows {
                    tr { td.num { (no) } td { (name) } td { (college) } }
                }
            }
        }
    }
}

async fn staff_roll(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    let (c2, k2) = (cid.clone(), kid.clone());
    let (contest, rows, cast) = state
        .run(move |c| {
            let (contest, rows) = publish::roll(c, &c2, &k2)?;
            let cast = voting_repo::ballot_count(c, &k2)?;
            Ok((contest, rows, cast))
        })
        .await?;
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let body = html! {
        h1 { (contest.def.title) " · 投票人名单" }
        p {
            a href={"/c/" (cid) "/contests/" (kid) "/voting"} { "返回投票管理" }
            " · " a href={"/c/" (cid) "/contests/" (kid) "/roll.xlsx"} { "下载投票人名单(Excel)" }
        }
        (roll_table(&contest, cast, &rows))
    };
    Ok(page(&state, &ctx, &contest.def.title, body))
}

async fn delegate_roll(
    state: web::Data<AppState>,
    voter: Voter,
    kid: web::Path<ContestId>,
) -> WebResult<HttpResponse> {
    let kid = kid.into_inner();
    let (cid, k2) = (voter.congress.id.clone(), kid.clone());
    let (contest, rows, cast) = state
        .run(move |c| {
            let (contest, rows) = publish::roll(c, &cid, &k2)?;
            let cast = voting_repo::ballot_count(c, &k2)?;
            Ok((contest, rows, cast))
        })
        .await?;
    contest
        .check(ContestAction::ShowRollToDelegates)
        .map_err(|r| WebError::NotFound(r.message))?;
    let body = html! {
        h1 { (contest.def.title) }
        h2 { "投票人名单" }
        (roll_table(&contest, cast, &rows))
        p { a href="/v" { "返回投票事项" } }
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(phone_layout("投票人名单", Some(&voter.congress.name), body).into_string()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/contests/{kid}/roll", web::get().to(staff_roll))
        .route("/v/roll/{kid}", web::get().to(delegate_roll));
}
