//! The OpenAPI document, generated from the handlers' annotations, served at
//! `/api/openapi.json`, and a human-readable page of it at `/api/docs` (rendered here, so no
//! external script or stylesheet is needed).

use actix_web::{web, HttpResponse};
use maud::{html, DOCTYPE};
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    approval, attendance, audit, board, congresses, console, contests, credentials, files, record,
    registry, roster, scrutineers, term,
};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "学代会选举系统 API",
        description = "JSON API for schools' IT: everything the organiser pages do. Authenticate with `Authorization: Bearer <token>` from `congress admin token`. Errors are `{status, code, message, details}` with Chinese messages.",
    ),
    paths(
        crate::web::routes::health::health,
        congresses::me,
        congresses::list,
        congresses::create,
        congresses::get,
        congresses::update,
        congresses::update_settings,
        contests::list,
        contests::create,
        contests::get,
        contests::update,
        contests::delete,
        contests::move_contest,
        contests::not_held,
        contests::candidates::add_candidate,
        contests::candidates::update_candidate,
        contests::candidates::remove_candidate,
        scrutineers::list,
        scrutineers::create,
        scrutineers::delete,
        files::import,
        files::quota,
        roster::roster,
        roster::upload,
        roster::generate,
        roster::check,
        roster::freeze,
        roster::unfreeze,
        credentials::issue,
        credentials::cards,
        credentials::reissue,
        console::get,
        console::open,
        console::close,
        console::count,
        console::assign,
        console::enter,
        console::roll,
        attendance::get,
        attendance::absence,
        attendance::check,
        attendance::open_session,
        approval::get,
        approval::step,
        approval::handle,
        approval::application,
        approval::reply,
        approval::session_override,
        audit::list,
        board::board_json,
        board::proof,
        record::get,
        record::close,
        record::certify,
        record::add_addendum,
        record::packet,
        registry::list,
        registry::create,
        registry::get,
        registry::enter_key,
        registry::table,
        registry::filings::upload,
        registry::filings::get,
        registry::filings::packet,
        term::get,
        term::quotas,
        term::standing,
        term::freeze,
        term::create_meeting,
        term::add_participant,
        term::participant_votes,
        term::review,
        term::set_review,
    ),
    components(schemas(crate::web::error::ApiErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "账户"),
        (name = "congresses", description = "大会"),
        (name = "contests", description = "选举与表决事项"),
        (name = "scrutineers", description = "监票人员"),
        (name = "roster", description = "名单导入、名额分配与代表名单"),
        (name = "credentials", description = "代表证"),
        (name = "attendance", description = "签到、请假与法定人数"),
        (name = "approval", description = "候选人审批、公示与申请召开 (规则 C5-C7、G4)"),
        (name = "voting", description = "投票、纸质选票与计票"),
        (name = "audit", description = "操作日志"),
        (name = "board", description = "公示 (无需登录)"),
        (name = "record", description = "选举结果报告、党委批准与备案"),
        (name = "term", description = "闭会期间: 常任代表、常代会会议与评议会、届期时间线、述职评议设置"),
        (name = "registry", description = "备案登记 (上级学联, `congress registry serve` 模式)"),
    )
)]
pub struct ApiDoc;

/// The document as JSON.
pub fn document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null)
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

async fn docs() -> HttpResponse {
    let doc = document();
    let empty = serde_json::Map::new();
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let page = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "API 文档 - 学代会选举系统" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                header.top { a.brand href="/" { "学代会选举系统" } }
                main.page {
                    h1 { (text(&doc["info"], "title")) }
                    p { (text(&doc["info"], "description")) }
                    p { "机器可读的 OpenAPI 文档: " a href="/api/openapi.json" { "/api/openapi.json" } }
                    @for (path, item) in paths {
                        @for method in ["get", "post", "put", "patch", "delete"] {
                            @if let Some(op) = item.get(method) {
                                section.card {
                                    h3 { code { (method.to_uppercase()) " " (path) } }
                                    p { (text(op, "summary")) " " (text(op, "description")) }
                                    @if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                                        p { "参数: "
                                            @for p in params { code { (text(p, "name")) } " (" (text(p, "in")) ") " }
                                        }
                                    }
                                    @if op.get("requestBody").is_some() { p.muted { "请求体: JSON" } }
                                    @if let Some(resps) = op.get("responses").and_then(Value::as_object) {
                                        p { "响应: "
                                            @for (code, r) in resps { code { (code) } " " (text(r, "description")) "; " }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.into_string())
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(openapi_json))
        .route("/api/docs", web::get().to(docs));
}
