//! Confirming an upload that replaces stored rows: `/c/{cid}/files/{kind}/confirm?id=` and
//! `/c/{cid}/roster/upload/confirm?id=` show what the file would replace ("将替换现有 164 行,
//! 新文件 1 行"); their POST (`confirm=1`) stores it, or (`cancel=1`) deletes it. Only the
//! uploader, within 30 minutes, once (`service::pending`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::ids::CongressId;
use crate::service::pending::{self, PENDING_MINUTES};
use crate::service::roster::ImportKind;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::pending::PendingUpload;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{question, Question};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::components::datetime;
use crate::web::AppState;

/// The confirmation form (and the page's query).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PendingForm {
    pub id: String,
    pub confirm: String,
    pub cancel: String,
}

fn kind_of(slug: &str) -> WebResult<ImportKind> {
    ImportKind::parse(slug).ok_or_else(|| {
        WebError::NotFound(format!(
            "没有“{slug}”这种文件; 可导入 enrolment、societies 或 nominees"
        ))
    })
}

/// Where a confirmation page points: what is replaced (in Chinese), the form's target, and
/// the page 取消 returns to.
struct Target<'a> {
    what: &'a str,
    action: String,
    back: String,
}

/// The page of a pending upload.
fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    p: &PendingUpload,
    target: Target<'_>,
) -> HttpResponse {
    let Target { what, action, back } = target;
    let q = Question {
        heading: "确认替换",
        consequence: format!("将替换现有 {} 行, 新文件 {} 行", p.replaces, p.new_rows),
        lines: vec![
            format!("文件“{}”已检查, 没有错误, 但尚未导入。", p.file_name),
            format!(
                "确认后, 现有的{what}({} 行)全部删除, 由新文件的 {} 行代替。",
                p.replaces, p.new_rows
            ),
            format!(
                "上传于 {}; {}分钟内未确认则作废, 现有数据不变。",
                datetime(p.created_at),
                PENDING_MINUTES
            ),
        ],
        action: action.clone(),
        fields: vec![("id", p.id.clone())],
        button: "确认替换",
        back,
        refused: None,
    };
    let body = maud::html! {
        (question(staff.csrf(), &q))
        form.inline method="post" action=(action) {
            (crate::web::views::components::csrf_field(staff.csrf()))
            input type="hidden" name="id" value=(p.id);
            input type="hidden" name="cancel" value="1";
            p { button.link type="submit" { "放弃这份文件(删除已上传的文件, 现有数据不变)" } }
        }
    };
    let ctx = congress_ctx(state, req, staff, congress);
    page(state, &ctx, "确认替换", body)
}

async fn show_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
    q: web::Query<PendingForm>,
) -> WebResult<HttpResponse> {
    let (cid, slug) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let kind = kind_of(&slug)?;
    let (who, id) = (actor(&staff, &req), q.into_inner().id);
    let c2 = congress.id.clone();
    let p = state
        .run(move |c| Ok(pending::find(c, &who, &c2, kind.slug(), &id)?))
        .await?;
    let action = format!("/c/{}/files/{}/confirm", congress.id, kind.slug());
    let back = format!("/c/{}/files", congress.id);
    let target = Target {
        what: kind.zh(),
        action,
        back,
    };
    Ok(render(&state, &req, &staff, &congress, &p, target))
}

async fn act_file(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
    form: web::Form<PendingForm>,
) -> WebResult<HttpResponse> {
    let (cid, slug) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let kind = kind_of(&slug)?;
    let f = form.into_inner();
    let (who, c2) = (actor(&staff, &req), congress.id.clone());
    if f.cancel == "1" {
        let p = state
            .run(move |c| Ok(pending::cancel(c, &who, &c2, kind.slug(), &f.id)?))
            .await?;
        let msg = format!("已放弃文件“{}”, {}未改变。", p.file_name, kind.zh());
        return Ok(redirect_with(&state, &format!("/c/{cid}/files"), true, msg));
    }
    if f.confirm != "1" {
        let to = format!("/c/{cid}/files/{}/confirm?id={}", kind.slug(), f.id);
        return Ok(crate::web::confirm::ask(&to));
    }
    let res = state
        .run(move |c| Ok(pending::confirm_import(c, &who, &c2, kind, &f.id)))
        .await?;
    super::files::answer(&state, &req, &staff, &congress, kind, res).await
}

async fn show_roster(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    q: web::Query<PendingForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let (who, id, c2) = (actor(&staff, &req), q.into_inner().id, congress.id.clone());
    let p = state
        .run(move |c| Ok(pending::find(c, &who, &c2, "roster", &id)?))
        .await?;
    let action = format!("/c/{}/roster/upload/confirm", congress.id);
    let back = format!("/c/{}/roster", congress.id);
    let target = Target {
        what: "代表名单",
        action,
        back,
    };
    Ok(render(&state, &req, &staff, &congress, &p, target))
}

async fn act_roster(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<PendingForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let f = form.into_inner();
    let (who, c2, cid) = (
        actor(&staff, &req),
        congress.id.clone(),
        congress.id.clone(),
    );
    if f.cancel == "1" {
        let p = state
            .run(move |c| Ok(pending::cancel(c, &who, &c2, "roster", &f.id)?))
            .await?;
        let msg = format!("已放弃文件“{}”, 代表名单未改变。", p.file_name);
        return Ok(redirect_with(
            &state,
            &format!("/c/{cid}/roster"),
            true,
            msg,
        ));
    }
    if f.confirm != "1" {
        let to = format!("/c/{cid}/roster/upload/confirm?id={}", f.id);
        return Ok(crate::web::confirm::ask(&to));
    }
    let res = state
        .run(move |c| Ok(pending::confirm_roster(c, &who, &c2, &f.id)))
        .await?;
    super::roster::uploaded(&state, &req, &staff, &congress, res).await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/files/{kind}/confirm", web::get().to(show_file))
        .route("/c/{cid}/files/{kind}/confirm", web::post().to(act_file))
        .route("/c/{cid}/roster/upload/confirm", web::get().to(show_roster))
        .route("/c/{cid}/roster/upload/confirm", web::post().to(act_roster));
}
