//! Delegate credentials (代表证) for the organiser: issue them on the frozen roster, print a
//! college's A4 sheet (8 cards a page) with each card's QR code and manual code, reissue a
//! lost card. Only the owning organiser sees cards: they carry the login secrets, and every
//! printing is recorded (audit log `credentials.print`, a print event on each card).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;

use crate::domain::ids::CongressId;
use crate::domain::state::CongressState;
use crate::service::credentials::{self, Card, PrintRun};
use crate::storage::repo::roster as roster_repo;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{ask, confirmed};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::routes::confirm::href as confirm_href;
use crate::web::views::csrf_field;
use crate::web::AppState;

/// Cards on one A4 page (2 columns x 4 rows).
pub const CARDS_PER_PAGE: usize = 8;

/// The QR code of `url` as an inline SVG element (no XML declaration).
pub fn qr_svg(url: &str) -> Result<String, WebError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| WebError::internal(format!("QR: {e}")))?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(150, 150)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

async fn overview(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let cid = congress.id.clone();
    let delegates = state
        .run(move |c| Ok(roster_repo::delegates(c, &cid)?))
        .await?;
    let issued = delegates.iter().filter(|d| d.credential_issued).count();
    let mut colleges: Vec<(String, usize)> = Vec::new();
    for d in &delegates {
        match colleges.iter_mut().find(|(c, _)| *c == d.student.college) {
            Some((_, n)) => *n += 1,
            None => colleges.push((d.student.college.clone(), 1)),
        }
    }
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let id = &congress.id;
    let body = html! {
        h1 { "代表证" }
        @match congress.state {
            CongressState::Setup => p.error { "代表名单冻结后才能发放代表证。" a href={"/c/" (id) "/roster"} { "去冻结名单" } },
            CongressState::RosterFrozen => {
                p { "名单已冻结, 共 " (delegates.len()) " 名代表。发放后每位代表获得一张带二维码的代表证; 发放后不能再解除名单冻结。" }
                form method="post" action={"/c/" (id) "/credentials/issue"} {
                    (csrf_field(staff.csrf()))
                    button type="submit" { "发放代表证" }
                }
            },
            _ => {
                p { "已发放 " (issued) " 张代表证。二维码内容为 " code { (state.public_url) "/t/…" } "; 请确认代表手机能访问该地址。" }
                h2 { "按学院打印 (A4, 每页" (CARDS_PER_PAGE) "张)" }
                ul { @for (college, n) in &colleges {
                    li { a href={"/c/" (id) "/credentials/print?college=" (urlencode(college))} { (college) } " (" (n) "张)" }
                } }
                p { a href={"/c/" (id) "/credentials/print"} { "打印全部" } }
                p.muted { "每次打开打印页都记入操作日志(谁、哪些代表证、其中几张是重印), 并记入每张代表证的使用记录: 代表在手机上、监票人在签到页上都能看到。" }
                h2 { "补发代表证 (遗失)" }
                p.muted { "补发后旧代表证立即失效, 已用旧证登录的设备也会退出。" }
                form.stack method="post" action={"/c/" (id) "/credentials/reissue"} {
                    (csrf_field(staff.csrf()))
                    label for="delegate_no" { "代表编号" }
                    input #delegate_no type="number" min="1" name="delegate_no" required;
                    div.actions { button type="submit" { "补发" } }
                }
            },
        }
    };
    Ok(page(&state, &ctx, "代表证", body))
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

async fn issue(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    if !confirmed(&req, &body) {
        return Ok(ask(&confirm_href(
            congress.id.as_str(),
            "credentials-issue",
            None,
        )));
    }
    let actor = actor(&staff, &req);
    let key = state.credential_key.clone();
    let cid = congress.id.clone();
    let n = state
        .run(move |c| Ok(credentials::issue(c, &actor, &cid, &key)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{}/credentials", congress.id),
        true,
        format!("已发放 {n} 张代表证, 请按学院打印。"),
    ))
}

/// One card.
fn card(state: &AppState, congress_name: &str, c: &Card) -> Result<Markup, WebError> {
    let url = state.card_url(&c.token);
    let qr = qr_svg(&url)?;
    Ok(html! {
        div.delegate-card {
            div.card-title { (congress_name) }
            div.card-kind { "代表证" }
            div.card-qr { (PreEscaped(qr)) }
            div.card-name { (c.delegate.student.name) }
            div.card-meta { (c.delegate.student.college) " · 代表编号 " (c.delegate.delegate_no) }
            div.card-code { "登录码 " code { (c.code) } }
            div.card-hint { "手机扫码登录; 无法扫码时打开 " (state.public_url) "/login/code 输入登录码。请妥善保管, 勿借他人。" }
        }
    })
}

/// A printable sheet of cards.
fn sheet(
    state: &AppState,
    title: &str,
    congress_name: &str,
    cards: &[Card],
) -> Result<Markup, WebError> {
    let mut pages = Vec::new();
    for chunk in cards.chunks(CARDS_PER_PAGE) {
        let mut items = Vec::new();
        for c in chunk {
            items.push(card(state, congress_name, c)?);
        }
        pages.push(items);
    }
    Ok(html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { (title) }
                link rel="stylesheet" href="/static/app.css";
                link rel="stylesheet" href="/static/cards.css";
            }
            body.cards-sheet {
                p.no-print { "使用浏览器的“打印”功能打印本页 (A4, 无页边距缩放)。共 " (cards.len()) " 张。" }
                @for items in &pages {
                    section.card-page { @for m in items { (m) } }
                }
            }
        }
    })
}

#[derive(Deserialize)]
struct PrintQuery {
    college: Option<String>,
    delegate_no: Option<u32>,
}

/// The printable sheet. Printing is recorded (audit entry and a print event on each card):
/// the sheet carries the cards' secrets, so a reprint is never silent.
async fn print(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    q: web::Query<PrintQuery>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    if congress.state < CongressState::CredentialsIssued {
        return Err(WebError::Conflict("代表证尚未发放".to_string()));
    }
    let key = state.credential_key.clone();
    let cid = congress.id.clone();
    let q = q.into_inner();
    let college = q.college.filter(|c| !c.is_empty());
    let run = match (q.delegate_no, &college) {
        (Some(no), _) => PrintRun::Delegate(no),
        (None, Some(col)) => PrintRun::College(col.clone()),
        (None, None) => PrintRun::All,
    };
    let actor = actor(&staff, &req);
    let cards = state
        .run(move |c| Ok(credentials::print(c, &actor, &cid, &run, &key)?))
        .await?;
    if cards.is_empty() {
        return Err(WebError::NotFound(
            "没有可打印的代表证(学院名称是否正确?)".to_string(),
        ));
    }
    let title = format!("代表证 - {}", college.as_deref().unwrap_or("全部"));
    let html = sheet(&state, &title, &congress.name, &cards)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(html.into_string()))
}

#[derive(Deserialize)]
struct ReissueForm {
    delegate_no: String,
}

async fn reissue(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<ReissueForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let no: u32 = form.delegate_no.trim().parse().map_err(|_| {
        WebError::BadRequest(format!("代表编号应为正整数, 现为“{}”", form.delegate_no))
    })?;
    let actor = actor(&staff, &req);
    let key = state.credential_key.clone();
    let cid = congress.id.clone();
    let card = state
        .run(move |c| Ok(credentials::reissue(c, &actor, &cid, no, &key)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{}/credentials/print?delegate_no={no}", congress.id),
        true,
        format!(
            "已为 {} (代表编号 {no}) 补发代表证, 旧证已作废。",
            card.delegate.student.name
        ),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/credentials", web::get().to(overview))
        .route("/c/{cid}/credentials/issue", web::post().to(issue))
        .route("/c/{cid}/credentials/print", web::get().to(print))
        .route("/c/{cid}/credentials/reissue", web::post().to(reissue));
}
