//! A certified congress's self-assessment (学代会自评表, `/c/{cid}/self-assessment`): the
//! indicators the filing office computes from the packet, computed here from the same signed
//! record, roster summary and addenda (`registry::assessment`). Everyone who may read the
//! congress sees it.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use crate::domain::ids::CongressId;
use crate::registry::assessment::self_assessment;
use crate::registry::indicators::Outcome;
use crate::web::auth::{Need, Staff};
use crate::web::error::WebResult;
use crate::web::page::{congress_ctx, load_congress, page};
use crate::web::views::assessment::indicators_table;
use crate::web::AppState;

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    let a = state.run(move |c| Ok(self_assessment(c, &cid)?)).await?;
    let failed = a
        .indicators
        .iter()
        .filter(|i| i.outcome == Outcome::Fail)
        .count();
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let body = html! {
        h1 { "学代会自评表" }
        p.muted {
            "由本次大会签署的选举结果报告、名册摘要和附加文件 (党委批准、备案) 计算; 上级学联的备案登记对收到的归档包做同样的计算。"
            "“未记录”表示归档包中没有这项数据。"
        }
        dl.facts {
            dt { "大会" } dd { (a.congress.name) " (" (a.congress.date) ")" }
            dt { "上一次大会" } dd { (a.previous.as_deref().unwrap_or("本系统中没有本校上一次大会的签署记录")) }
            dt { "报上级学联备案" }
            dd { @match &a.filed { Some((body, date)) => { (body) " " (date) }, None => span.muted { "未记录" } } }
            dt { "未达标项目" } dd class=(if failed > 0 { "fail" } else { "" }) { (failed) " 项" }
        }
        (indicators_table(&a.indicators))
    };
    Ok(page(&state, &ctx, "学代会自评表", body))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/self-assessment", web::get().to(show));
}
