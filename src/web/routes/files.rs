//! The files page (`/c/{cid}/files`): the three files a congress imports (学生人数, 学生社团,
//! 推荐人选), what is stored of each, and their upload forms. After an upload the page shows
//! what was stored and the warnings, or the uploaded table with every error in place (and
//! nothing stored). The owner uploads while `Action::ImportFiles` allows; everyone who may
//! read the congress sees the page.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use maud::{html, Markup};

use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::service::pending::{self, Staged};
use crate::service::roster::{self as roster_svc, ImportFailure, ImportKind, ImportOutcome};
use crate::service::roster::{Rejected, StoredFile};
use crate::service::ServiceError;
use crate::storage::repo::congress::Congress;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::ask;
use crate::web::error::{WebError, WebResult};
use crate::web::page::may_change;
use crate::web::page::{actor, congress_ctx, load_congress, page};
use crate::web::upload::multipart_file;
use crate::web::views::components::datetime;
use crate::web::views::import::upload_form;
use crate::web::views::import::{preview_table, rejected_view, warnings_list};
use crate::web::{AppState, MAX_UPLOAD_BYTES};

/// What happened to the last upload, shown at its form.
pub(crate) enum Outcome {
    Imported(ImportOutcome),
    Rejected(Rejected),
    /// Refused before reading (state, size, no file): the message.
    Refused(String),
}

pub(crate) async fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    last: Option<(ImportKind, Outcome)>,
    status: StatusCode,
) -> WebResult<HttpResponse> {
    let cid = congress.id.clone();
    let stored = state
        .run(move |c| Ok(roster_svc::stored_files(c, &cid)?))
        .await?;
    let editable = may_change(staff, congress, Action::ImportFiles);
    let ctx = congress_ctx(state, req, staff, congress);
    let body = html! {
        h1 { "名单导入" }
        p.muted {
            "支持CSV(UTF-8或GBK编码, 即Excel“另存为CSV”得到的文件)和Excel工作簿(.xlsx, 读取第一个工作表), "
            "每个文件最大" (MAX_UPLOAD_BYTES / (1024 * 1024)) " MB。第一行为表头, 列名见模板。"
            "上传会替换之前导入的同类文件(已有数据时先显示将替换多少行, 确认后才导入); 文件中有任何错误时不导入任何内容, 并标出每一处错误。"
        }
        @if let Err(reason) = &editable { p.muted role="note" { (reason) } }
        @for file in &stored {
            @let here = last.as_ref().filter(|(k, _)| *k == file.kind).map(|(_, o)| o);
            (section(congress, staff.csrf(), file, here, editable.is_ok()))
        }
        p { "全部导入后: " a href={"/c/" (congress.id) "/quota"} { "查看名额分配" } " · " a href={"/c/" (congress.id) "/roster"} { "生成代表名单" } }
    };
    let mut resp = page(state, &ctx, "名单导入", body);
    *resp.status_mut() = status;
    Ok(resp)
}

fn explain(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Enrolment => "各学院、各年级的在校生人数(列: 学院, 年级, 人数), 用于分配名额(规则A1-A3)和检查年级覆盖(B3)。",
        ImportKind::Societies => "学生社团及是否为主要学生社团(列: 社团名称, 是否主要社团); 每个主要学生社团至少应有1名代表(B4)。",
        ImportKind::Nominees => "各班级团支部推荐的人选及得票(列: 姓名, 学号, 学院, 年级, 性别, 学生会职务, 政治面貌, 社团, 得票), 用于生成代表名单(B7)。",
    }
}

fn section(
    congress: &Congress,
    csrf: &str,
    file: &StoredFile,
    outcome: Option<&Outcome>,
    editable: bool,
) -> Markup {
    let kind = file.kind;
    html! {
        section.import id=(kind.slug()) {
            h2 { (kind.zh()) }
            p { (explain(kind)) " " a href={"/templates/" (kind.slug())} { "下载模板(CSV)" } " · " a href={"/templates/" (kind.slug()) ".xlsx"} { "Excel模板" } }
            p {
                "当前已导入: "
                @if file.rows == 0 { span.muted { "尚未导入" } } @else { strong { (file.summary) } }
                @if let Some(last) = &file.last_import {
                    span.muted { " (文件“" (last.file_name) "”, " (datetime(last.at)) ", " (last.by) ")" }
                }
            }
            @match outcome {
                Some(Outcome::Imported(o)) => {
                    p.flash.ok role="status" {
                        "已导入“" (o.file_name) "”: " (o.rows) "行数据; 现存: " (o.stored) "。"
                        @if o.report_cleared { " 代表名单的校验报告已清除, 请到代表名单页面重新校验。" }
                    }
                    (warnings_list(&o.warnings))
                    h3 { "已导入的内容(前" (o.preview.rows.len()) "行)" }
                    (preview_table(&o.preview))
                }
                Some(Outcome::Rejected(r)) => (rejected_view(r, kind.file_kind())),
                Some(Outcome::Refused(m)) => p.error role="alert" { (m) },
                None => {}
            }
            @if editable {
                (upload_form(&format!("/c/{}/files/{}", congress.id, kind.slug()), csrf, &format!("上传{}", kind.zh())))
            }
            @if file.rows > 0 && !matches!(outcome, Some(Outcome::Imported(_))) {
                details {
                    summary { "查看已导入的内容(前" (file.preview.rows.len()) "行)" }
                    (preview_table(&file.preview))
                }
            }
        }
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    render(&state, &req, &staff, &congress, None, StatusCode::OK).await
}

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
    form: Multipart,
) -> WebResult<HttpResponse> {
    let (cid, slug) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let kind = ImportKind::parse(&slug).ok_or_else(|| {
        WebError::NotFound(format!(
            "没有“{slug}”这种文件; 可导入 enrolment、societies 或 nominees"
        ))
    })?;
    let file = match multipart_file(form).await {
        Ok(f) => f,
        Err(e @ (WebError::PayloadTooLarge(_) | WebError::BadRequest(_))) => {
            let last = Some((kind, Outcome::Refused(e.to_string())));
            return render(&state, &req, &staff, &congress, last, e.status_code()).await;
        }
        Err(e) => return Err(e),
    };
    let (actor, id) = (actor(&staff, &req), congress.id.clone());
    // A file that would replace stored rows waits for the confirmation page.
    let res = state
        .run(move |c| {
            Ok(pending::stage_import(
                c,
                &actor,
                &id,
                kind,
                &file.file_name,
                &file.bytes,
            ))
        })
        .await?;
    let res = match res {
        Ok(Staged::Pending(p)) => {
            let to = format!(
                "/c/{}/files/{}/confirm?id={}",
                congress.id,
                kind.slug(),
                p.id
            );
            return Ok(ask(&to));
        }
        Ok(Staged::Done(o)) => Ok(o),
        Err(e) => Err(e),
    };
    answer(&state, &req, &staff, &congress, kind, res).await
}

/// The files page after an import was tried (at once, or confirmed).
pub(crate) async fn answer(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    kind: ImportKind,
    res: Result<ImportOutcome, ImportFailure>,
) -> WebResult<HttpResponse> {
    let (outcome, status) = match res {
        Ok(o) => (Outcome::Imported(o), StatusCode::OK),
        Err(ImportFailure::Rejected(r)) => (Outcome::Rejected(r), StatusCode::UNPROCESSABLE_ENTITY),
        Err(ImportFailure::Service(ServiceError::State(s))) => {
            (Outcome::Refused(s.message), StatusCode::CONFLICT)
        }
        Err(ImportFailure::Service(ServiceError::Conflict(m))) => {
            (Outcome::Refused(m), StatusCode::CONFLICT)
        }
        Err(ImportFailure::Service(e)) => return Err(e.into()),
    };
    render(state, req, staff, congress, Some((kind, outcome)), status).await
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/files", web::get().to(show))
        .route("/c/{cid}/files/{kind}", web::post().to(upload));
}
