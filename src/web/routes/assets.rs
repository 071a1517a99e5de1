//! Static files embedded in the binary: CSS, the phone's ballot-paper script (`paper.js`) and
//! the import templates organisers download.

use actix_web::{http::header, web, HttpResponse};

use crate::web::error::WebError;

const APP_CSS: &str = include_str!("../../../templates/app.css");
const CARDS_CSS: &str = include_str!("../../../templates/cards.css");
/// The phone's half of the RFC 9474 blind signatures (`window.CongressPaper`).
const PAPER_JS: &str = include_str!("../../../templates/static/paper.js");
/// The phone pages' glue around the ballot-paper crypto (`paper.js`): taking papers on the
/// waiting page, filling the cast form, keeping papers and receipts in `localStorage`.
const VOTE_JS: &str = include_str!("../../../templates/static/vote.js");
/// The projector's in-place refresh (`/b/{cid}/screen`).
const SCREEN_JS: &str = include_str!("../../../templates/static/screen.js");

/// The downloadable import templates (UTF-8 with BOM, Chinese headers, one sample row each).
pub const IMPORT_TEMPLATES: &[(&str, &str, &[u8])] = &[
    (
        "enrolment",
        "学生人数模板",
        include_bytes!("../../../templates/enrolment.csv"),
    ),
    (
        "nominees",
        "推荐人选模板",
        include_bytes!("../../../templates/nominees.csv"),
    ),
    (
        "societies",
        "学生社团模板",
        include_bytes!("../../../templates/societies.csv"),
    ),
    (
        "roster",
        "代表名单模板",
        include_bytes!("../../../templates/roster.csv"),
    ),
    (
        "candidates",
        "主席团候选人模板",
        include_bytes!("../../../templates/candidates.csv"),
    ),
];

fn css(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

async fn app_css() -> HttpResponse {
    css(APP_CSS)
}

async fn print_css() -> HttpResponse {
    css(crate::packet::report::PRINT_CSS)
}

async fn cards_css() -> HttpResponse {
    css(CARDS_CSS)
}

async fn paper_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(PAPER_JS)
}

async fn vote_js() -> HttpResponse {
    js(VOTE_JS)
}

async fn screen_js() -> HttpResponse {
    js(SCREEN_JS)
}

fn js(body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

async fn template(name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let name = name.into_inner();
    let name = name.trim_end_matches(".csv");
    let (key, zh, bytes) = IMPORT_TEMPLATES
        .iter()
        .find(|(k, _, _)| *k == name)
        .ok_or_else(|| WebError::NotFound(format!("没有名为 {name} 的模板")))?;
    let _ = key;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            header::ContentDisposition::attachment(format!("{zh}.csv")),
        ))
        .body(bytes.to_vec()))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(app_css))
        .route("/static/print.css", web::get().to(print_css))
        .route("/static/cards.css", web::get().to(cards_css))
        .route("/static/paper.js", web::get().to(paper_js))
        .route("/static/vote.js", web::get().to(vote_js))
        .route("/static/screen.js", web::get().to(screen_js))
        .route("/templates/{name}", web::get().to(template));
}
