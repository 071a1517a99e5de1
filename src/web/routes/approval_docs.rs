//! The approval steps as documents for the organiser: each printable (the applications to the
//! upper 学联 as letters, 请示, with print CSS), and as its signed file (`/json`, exactly as
//! signed) with the raw 64-byte signature (`/sig`), as in the filing packet.

use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use maud::{html, Markup};

use crate::domain::approval::zh_date;
use crate::domain::ids::CongressId;
use crate::packet::approval::{self as fmt, kind_zh};
use crate::service::approval::{self, StoredStep};
use crate::storage::repo::congress::Congress;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{congress_ctx, load_congress, page};
use crate::web::views::approval::candidate_table;
use crate::web::AppState;

async fn load(state: &AppState, cid: &CongressId, seq: i32) -> WebResult<StoredStep> {
    let c2 = cid.clone();
    let o = state.run(move |c| Ok(approval::overview(c, &c2)?)).await?;
    o.steps
        .into_iter()
        .chain(o.contests.into_iter().flat_map(|a| a.steps))
        .find(|s| s.seq == seq)
        .ok_or_else(|| WebError::NotFound(format!("第{seq}号签名文件不存在")))
}

fn day(s: &str) -> String {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(zh_date)
        .unwrap_or_else(|_| s.to_string())
}

fn convene(congress: &Congress, s: &StoredStep) -> Markup {
    let d = &s.step.data;
    let colleges = d["delegates_by_college"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let summary = &d["roster_summary"];
    let lists = d["candidate_lists"].as_array().cloned().unwrap_or_default();
    html! {
        h1.doc { "关于召开" (congress.name) "的请示" }
        p { (s.field("body")) ": " }
        p.indent {
            "根据《高校学生代表大会工作规则》和学生会章程, 经校党委同意, " (congress.school)
            "拟于" (day(&s.field("start")))
            @if s.field("end") != s.field("start") { "至" (day(&s.field("end"))) }
            "在" (congress.place) "召开" (congress.name) "。现将代表名额分配、代表名单统计和主席团候选人名单报上, 请予审批。"
        }
        h2 { "一、代表名额与名单 (共 " (d["delegates_total"]) " 名)" }
        table {
            thead { tr { th { "学院" } th.num { "名额" } th.num { "代表" } } }
            tbody { @for k in &colleges {
                tr { td { (k["college"].as_str().unwrap_or_default()) } td.num { (k["quota"]) } td.num { (k["delegates"]) } }
            } }
        }
        p { "普通同学代表 " (summary["ordinary"]) " 名 (不少于 " (summary["ordinary_required"]) " 名); 女代表 "
            (summary["women"]) " 名 (不少于 " (summary["women_required"]) " 名)。" }
        h2 { "二、主席团候选人名单" }
        @for l in &lists {
            h3 { (l["title"].as_str().unwrap_or_default()) " (应选 " (l["seats"]) " 名)" }
            @let list: Vec<crate::domain::approval::NoticeCandidate> = serde_json::from_value(l["candidates"].clone()).unwrap_or_default();
            (candidate_table(&list))
            p.small { "名单哈希 (SHA-256): " code { (l["candidates_sha256"].as_str().unwrap_or_default()) } }
        }
        p.right { (congress.school) " 学生代表大会筹备组" br; (s.step.recorded_at.get(..10).map(day).unwrap_or_default()) }
    }
}

fn charter(s: &StoredStep) -> Markup {
    html! {
        h1.doc { "关于报请核准《" (s.field("title")) "》的请示" }
        p { (s.field("body")) ": " }
        p.indent { "根据《高校校级学生会、研究生会章程核准指引(试行)》, 现将《" (s.field("title")) "》报上, 请予核准。" }
        h2 { (s.field("title")) }
        pre.charter { (s.field("text")) }
        p.right { (s.step.recorded_at.get(..10).map(day).unwrap_or_default()) }
    }
}

fn generic(s: &StoredStep) -> Markup {
    let fields = s.step.data.as_object().cloned().unwrap_or_default();
    html! {
        h1.doc { (kind_zh(&s.step.kind)) }
        table { tbody {
            @for (k, v) in &fields {
                @if k != "candidates" {
                    tr { th { (k) } td { (v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())) } }
                }
            }
        } }
        @if let Some(list) = fields.get("candidates") {
            @let list: Vec<crate::domain::approval::NoticeCandidate> = serde_json::from_value(list.clone()).unwrap_or_default();
            h2 { "公示的候选人名单" }
            (candidate_table(&list))
        }
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, i32)>,
) -> WebResult<HttpResponse> {
    let (cid, seq) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let s = load(&state, &cid, seq).await?;
    let doc = match s.step.kind.as_str() {
        fmt::APPLICATION_CONVENE => convene(&congress, &s),
        fmt::APPLICATION_CHARTER => charter(&s),
        _ => generic(&s),
    };
    let body = html! {
        article.document { (doc) }
        footer.fingerprint {
            "第" (seq) "号签名文件 · SHA-256: " code { (s.sha256()) }
            @if let Some(h) = &s.step.candidates_sha256 { " · 候选人名单哈希: " code { (h) } }
            @if let Some(fp) = &congress.key_fingerprint { " · 签名公钥指纹: " code { (fp) } }
        }
        p.no-print {
            a.button href={"/c/" (cid) "/approval/steps/" (seq) "/json"} { "下载签名 JSON" } " "
            a.button.secondary href={"/c/" (cid) "/approval/steps/" (seq) "/sig"} { "下载签名 (.sig)" } " "
            a href={"/c/" (cid) "/approval"} { "返回" }
        }
    };
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    Ok(page(&state, &ctx, kind_zh(&s.step.kind), body))
}

async fn file(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(CongressId, i32, String)>,
) -> WebResult<HttpResponse> {
    let (cid, seq, ext) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let s = load(&state, &cid, seq).await?;
    let name = format!("{:03}.{}", seq, s.step.kind);
    let (ctype, body) = match ext.as_str() {
        "json" => ("application/json", s.body_json.clone().into_bytes()),
        "sig" => (
            "application/octet-stream",
            base64::engine::general_purpose::STANDARD
                .decode(&s.sig)
                .map_err(WebError::internal)?,
        ),
        _ => return Err(WebError::NotFound("没有这种文件".to_string())),
    };
    Ok(HttpResponse::Ok()
        .content_type(ctype)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}.{ext}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/approval/steps/{seq}", web::get().to(show))
        .route("/c/{cid}/approval/steps/{seq}/{ext}", web::get().to(file));
}
