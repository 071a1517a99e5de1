//! Counting from the staff console (`console`, a contest's voting page): once a contest is
//! closed and no paper ballot is outstanding it is counted and published at once
//! (`service::results::finalise`); while paper ballots handed out are not all entered, the
//! organiser counts with a "计票并公示" button that asks to confirm the unreturned ballots. A counted contest shows its result, its public
//! pages, its roll and the further rounds proposed (再次投票 / 另行选举, rules F2, F3).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::tally::ContestResult;
use crate::service::results::{self, Finalised};
use crate::service::Actor;
use crate::web::auth::{Need, Staff};
use crate::web::error::WebResult;
use crate::web::page::{actor, load_congress, redirect_with};
use crate::web::views::csrf_field;
use crate::web::views::results::{full, outcome_line, state_badge};
use crate::web::AppState;

/// The voting page of a contest.
pub fn voting_url(cid: &str, kid: &str) -> String {
    format!("/c/{cid}/contests/{kid}/voting")
}

/// Counts a closed contest on the blocking pool.
pub async fn finalise(
    state: &AppState,
    actor: Actor,
    cid: &CongressId,
    kid: &ContestId,
    missing_paper_ok: bool,
) -> WebResult<Finalised> {
    let (c2, k2) = (cid.clone(), kid.clone());
    state
        .run(move |c| Ok(results::finalise(c, &actor, &c2, &k2, missing_paper_ok)?))
        .await
}

/// What the organiser is told after a count.
pub fn counted_message(f: &Finalised) -> String {
    let mut m = format!(
        "“{}”已计票并公示: {}。",
        f.contest.def.title,
        outcome_line(&f.result)
    );
    for p in &f.proposed {
        m.push_str(&format!(
            " 已提出“{}”(准备中), 确认候选人后即可开始投票。",
            p.def.title
        ));
    }
    m
}

/// The part of the voting page after voting has ended: the count button while closed, the
/// result, links and proposed rounds once final.
pub fn section(
    cid: &str,
    contest: &Contest,
    owner: bool,
    csrf: &str,
    pending_paper: i64,
    result: Option<&ContestResult>,
    rounds: &[Contest],
) -> Markup {
    let kid = &contest.id;
    html! {
        @if contest.allows(ContestAction::Count) {
            h2 { "计票" }
            @if owner {
                form.stack method="post" action={(voting_url(cid, kid.as_str())) "/finalise"} {
                    (csrf_field(csrf))
                    @if pending_paper > 0 {
                        p.error { "还有 " (pending_paper) " 张纸质选票未录入。请先录入收回的纸质选票; 确有选票未收回时, 勾选下面的确认后计票。" }
                        label {
                            input type="checkbox" name="missing_paper_ok" value="1" required;
                            " 确认: 未收回的纸质选票 " (pending_paper) " 张不再录入, 按已收回的选票计票"
                        }
                    }
                    div.actions { button type="submit" { "计票并公示" } }
                }
            } @else {
                p.muted { "等待组织者计票。" }
            }
        }
        @if let (true, Some(r)) = (contest.state.is_counted(), result) {
            h2 { "计票结果" }
            p {
                a href={"/b/" (cid) "/" (kid) "/result"} { "公开的计票结果" } " · "
                a href={"/b/" (cid) "/" (kid)} { "选票公示" } " · "
                a href={"/c/" (cid) "/contests/" (kid) "/roll"} { "投票人名单" } " · "
                a href={"/b/" (cid) "/screen"} { "大屏" }
            }
            (full(r))
            @if !rounds.is_empty() {
                h2 { "提出的下一轮投票" }
                ul {
                    @for k in rounds {
                        li {
                            a href={(voting_url(cid, k.id.as_str()))} { (k.def.title) } " " (state_badge(k.state))
                            " · " a href={"/c/" (cid) "/contests/" (k.id)} { "候选人与设置" }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct FinaliseForm {
    missing_paper_ok: Option<String>,
}

async fn finalise_post(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<FinaliseForm>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let ok = form.missing_paper_ok.as_deref() == Some("1");
    let done = finalise(&state, actor(&staff, &req), &cid, &kid, ok).await?;
    Ok(redirect_with(
        &state,
        &voting_url(cid.as_str(), kid.as_str()),
        true,
        counted_message(&done),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/c/{cid}/contests/{kid}/voting/finalise",
        web::post().to(finalise_post),
    );
}
