//! The printable paper ballot (纸质选票) of a contest, for delegates without a phone (rule E5):
//! an A4 page with the congress and contest title, how to mark it, every candidate in the
//! same order as the phone ballot (both come from `service::voting::ballot_paper`, rule C4)
//! with boxes for 赞成 / 不赞成 / 弃权, the 另选他人 lines, or the motion's three options, or a
//! 述职评议's grid, and a 监票 stamp area. It carries no delegate's name, number or serial
//! (a numbered paper could be matched to whoever was handed it: rule E1). Staff only (owner
//! and the congress's scrutineers); the print stylesheet is used on screen too, so what is
//! seen is what prints.
//!
//! URL: `GET /c/{cid}/contests/{kid}/paper-ballot`.

use actix_web::{web, HttpResponse};
use maud::{html, Markup, DOCTYPE};

use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::ReviewDefinition;
use crate::service::voting::{self, BallotPaper};
use crate::web::auth::{Need, Staff};
use crate::web::error::WebResult;
use crate::web::page::load_congress;
use crate::web::AppState;

/// An empty box to mark.
fn boxed() -> Markup {
    html! { span.mark-box aria-hidden="true" {} }
}

fn election(paper: &BallotPaper, seats: u32, write_in: bool) -> Markup {
    html! {
        p.instructions {
            "本次应选 " strong { (seats) } " 名。请在每位候选人姓名右侧的“赞成”“不赞成”“弃权”三格中选一格划“○”; "
            "一格也不划的, 视为弃权。"
            @if write_in { "如另选他人, 请在“另选他人”栏写上其姓名, 并视为对其投赞成票; " }
            "赞成票" @if write_in { "与另选他人" } "合计超过应选名额的, 该票作废。"
        }
        table.ballot-grid {
            thead { tr { th.seq { "序号" } th { "候选人" } th.box-col { "赞成" } th.box-col { "不赞成" } th.box-col { "弃权" } } }
            tbody {
                @for (i, c) in paper.candidates.iter().enumerate() {
                    tr {
                        td.seq { (i + 1) }
                        td.cand { strong { (c.name) } @if !c.college.is_empty() { span.college { (c.college) } } }
                        td.box-col { (boxed()) } td.box-col { (boxed()) } td.box-col { (boxed()) }
                    }
                }
            }
        }
        @if write_in {
            table.ballot-grid.write-ins {
                thead { tr { th.seq { "序号" } th { "另选他人 (填写姓名, 可不填)" } } }
                tbody { @for i in 1..=seats { tr { td.seq { (i) } td.write-line {} } } }
            }
        }
    }
}

fn motion(title: &str) -> Markup {
    html! {
        p.instructions { "请在“赞成”“反对”“弃权”三格中选一格划“○”。一格也不划的为空白票, 划两格以上的为废票。" }
        table.ballot-grid {
            thead { tr { th { "表决事项" } th.box-col { "赞成" } th.box-col { "反对" } th.box-col { "弃权" } } }
            tbody { tr { td.cand { strong { (title) } } td.box-col { (boxed()) } td.box-col { (boxed()) } td.box-col { (boxed()) } } }
        }
    }
}

fn review(def: &ReviewDefinition) -> Markup {
    html! {
        p.instructions { "请对每位被评议人的每个评议项目, 在一个等次下划“○”; 每项只划一格, 不得漏评。" }
        @for (i, p) in def.persons.iter().enumerate() {
            table.ballot-grid.review-person {
                thead {
                    tr { th colspan=(def.grades.len() + 1) { (i + 1) ". " (p.name) @if !p.post.is_empty() { " · " (p.post) } @if !p.college.is_empty() { " · " (p.college) } } }
                    tr { th { "评议项目" } @for g in &def.grades { th.box-col { (g) } } }
                }
                tbody {
                    @for d in &def.dimensions {
                        tr { td { (d) } @for _ in &def.grades { td.box-col { (boxed()) } } }
                    }
                }
            }
        }
    }
}

/// The page for `paper` of congress `congress_name`.
pub fn render(congress_name: &str, paper: &BallotPaper) -> Markup {
    let c = &paper.contest;
    let body = match (&paper.review, &paper.election) {
        (Some(def), _) => review(def),
        (None, Some(e)) => election(paper, e.seats, e.allow_write_in),
        (None, None) => motion(&c.def.title),
    };
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (c.def.title) " · 纸质选票" }
                link rel="stylesheet" href="/static/print.css";
            }
            body.report.paper-ballot {
                div.sheet {
                    p.screen-only { "打印预览: 用浏览器的“打印”(A4 纵向) 打印本页。本选票与手机选票的候选人顺序相同; 选票上不印姓名和编号。" }
                    div.ballot-head {
                        div.ballot-titles {
                            h1 { (congress_name) }
                            h2 { (c.def.title) }
                            p.meta { @match (&paper.review, &paper.election) { (Some(_), _) => "述职评议表", (None, Some(_)) => "选 举 票", (None, None) => "表 决 票" } }
                        }
                        div.stamp { span { "监票人签章" } }
                    }
                    @if !c.def.body.trim().is_empty() && paper.review.is_none() && paper.election.is_some() {
                        p.small { (c.def.body) }
                    }
                    (body)
                    p.notice { "本票不记名。请勿在选票上写自己的姓名或作其他记号; 写票后对折, 投入票箱。" }
                }
            }
        }
    }
}

async fn show(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    let paper = state
        .run(move |c| Ok(voting::ballot_paper(c, &cid, &kid)?))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(render(&congress.name, &paper).into_string()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/contests/{kid}/paper-ballot", web::get().to(show));
}
