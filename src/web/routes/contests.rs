//! The organiser's pages for contests (选举与表决事项): the agenda, creating a contest, and (in
//! the submodules) a contest's page with its candidates. Scrutineers and owners can view; only
//! the owner edits, and only while the congress's state and the contest's own state allow it.
//!
//! URL map (all under `/c/{cid}/contests`):
//! `GET ""` agenda · `GET|POST /new?kind=election|motion` · `GET /{id}` contest ·
//! `POST /{id}/edit` · `POST /{id}/delete` · `POST /{id}/move` · `POST /{id}/candidates` ·
//! `POST /{id}/candidates/upload` (multipart) · `GET|POST /{id}/candidates/{kid}` ·
//! `POST /{id}/candidates/{kid}/delete`.

mod candidates;
mod detail;
mod upload;

pub(crate) use upload::read_file as read_upload;

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::contest::ContestKind;
use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::service::{self, ServiceError};
use crate::storage::repo::congress::Congress;
use crate::web::auth::{authorize, Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::contests::ContestForm;
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::contests::{contest_fields, errors, readiness_badge};
use crate::web::views::csrf_field;
use crate::web::AppState;

/// Whether `staff` may edit the contests of `congress` now; otherwise why not (shown on the
/// page instead of the forms).
pub(crate) fn edit_refusal(staff: &Staff, congress: &Congress) -> Option<String> {
    if authorize(&staff, congress, Need::Own).is_err() {
        return Some("您可以查看，但只有创建本大会的组织者可以修改选举和表决事项。".to_string());
    }
    Action::EditContests
        .check(congress.state)
        .err()
        .map(|e| e.message)
}

/// Splits a refused form's service error into messages to show with the form; other errors
/// pass through.
pub(crate) fn form_errors(e: ServiceError) -> Result<Vec<String>, WebError> {
    match e {
        ServiceError::Invalid { message, details } => {
            Ok(std::iter::once(message).chain(details).collect())
        }
        other => Err(other.into()),
    }
}

/// The HTML response of a page rendered again with errors (422).
pub(crate) fn unprocessable(resp: HttpResponse) -> HttpResponse {
    let mut resp = resp;
    *resp.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    resp
}

async fn agenda(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let c2 = congress.clone();
    let agenda = state
        .run(move |c| Ok(service::contests::agenda(c, &c2)?))
        .await?;
    let refusal = edit_refusal(&staff, &congress);
    let base = format!("/c/{}/contests", congress.id);
    let body = html! {
        h1 { "选举与表决事项" }
        p.muted { "按大会议程排列。事项在开始投票前可以修改；开始投票后即锁定。" }
        @match &refusal {
            None => div.actions {
                a.button href={(base) "/new?kind=election"} { "新建选举" }
                a.button.secondary href={(base) "/new?kind=motion"} { "新建表决事项" }
                a.button.secondary href={(base) "/new?kind=review"} { "新建述职评议" }
            },
            Some(why) => p.muted { (why) },
        }
        @if agenda.is_empty() {
            p.muted { "还没有选举或表决事项。" }
        } @else {
            table.agenda {
                thead { tr {
                    th.num { "议程" } th { "事项" } th { "类别" } th { "状态" } th { "名额与候选人 / 通过标准" } th { "准备情况" }
                    @if refusal.is_none() { th { "调整顺序" } }
                } }
                tbody {
                    @for (i, v) in agenda.iter().enumerate() {
                        @let c = &v.contest;
                        tr {
                            td.num { (i + 1) }
                            td { a href={(base) "/" (c.id)} { (c.def.title) } }
                            td { (c.kind.zh()) @if let Some(m) = c.def.motion_kind { "·" (m.zh()) } }
                            td { span.badge { (c.state.zh()) } " " a href={(base) "/" (c.id) "/voting"} { "投票" } }
                            td {
                                @if c.kind == ContestKind::Election {
                                    "应选" (c.def.seats.unwrap_or(0)) "名，候选人" (v.candidates.len()) "名"
                                } @else if c.kind == ContestKind::Review {
                                    a href={(base) "/" (c.id) "/review"} { "评议设置" }
                                } @else { (c.def.threshold.zh()) }
                            }
                            td { (readiness_badge(v)) }
                            @if refusal.is_none() {
                                td { @if !c.state.has_opened() {
                                    (move_button(&base, c.id.as_str(), "up", "上移", i == 0, staff.csrf()))
                                    " "
                                    (move_button(&base, c.id.as_str(), "down", "下移", i + 1 == agenda.len(), staff.csrf()))
                                } }
                            }
                        }
                    }
                }
            }
        }
    };
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    Ok(page(&state, &ctx, "选举与表决事项", body))
}

fn move_button(base: &str, id: &str, dir: &str, label: &str, disabled: bool, csrf: &str) -> Markup {
    html! {
        form.inline method="post" action={(base) "/" (id) "/move"} {
            (csrf_field(csrf))
            input type="hidden" name="direction" value=(dir);
            button.secondary type="submit" disabled[disabled] { (label) }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct KindQuery {
    #[serde(default)]
    pub kind: String,
}

fn kind_of(q: &KindQuery) -> WebResult<ContestKind> {
    ContestKind::parse(&q.kind).ok_or_else(|| {
        WebError::BadRequest(format!(
            "请选择新建选举(kind=election)、表决事项(kind=motion)还是述职评议(kind=review)，现为“{}”",
            q.kind
        ))
    })
}

fn new_page(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    kind: ContestKind,
    form: &ContestForm,
    problems: &[String],
) -> HttpResponse {
    let title = match kind {
        ContestKind::Election => "新建选举",
        ContestKind::Motion => "新建表决事项",
        ContestKind::Review => "新建述职评议",
    };
    let body = html! {
        h1 { (title) }
        (errors(problems))
        form.stack method="post" action={"/c/" (congress.id) "/contests/new?kind=" (kind.as_str())} {
            (csrf_field(staff.csrf()))
            (contest_fields(kind, form, &congress.settings))
            div.actions {
                button type="submit" { "创建" }
                a href={"/c/" (congress.id) "/contests"} { "返回" }
            }
        }
    };
    page(
        state,
        &congress_ctx(state, req, staff, congress),
        title,
        body,
    )
}

async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    q: web::Query<KindQuery>,
) -> WebResult<HttpResponse> {
    let kind = kind_of(&q)?;
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    Action::EditContests.check(congress.state)?;
    let form = ContestForm::new(kind, &congress.settings);
    Ok(new_page(&state, &req, &staff, &congress, kind, &form, &[]))
}

async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    q: web::Query<KindQuery>,
    form: web::Form<ContestForm>,
) -> WebResult<HttpResponse> {
    let kind = kind_of(&q)?;
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let form = form.into_inner();
    let def = match form.definition(kind, &congress.settings) {
        Ok(def) => def,
        Err(problems) => {
            let resp = new_page(&state, &req, &staff, &congress, kind, &form, &problems);
            return Ok(unprocessable(resp));
        }
    };
    let actor = actor(&staff, &req);
    let cid = congress.id.clone();
    let res = state
        .run(move |c| Ok(service::contests::create(c, &actor, &cid, kind, &def)))
        .await?;
    match res {
        Ok(contest) => Ok(redirect_with(
            &state,
            &format!("/c/{}/contests/{}", congress.id, contest.id),
            true,
            match kind {
                ContestKind::Election => "选举已创建。下一步：添加候选人。",
                ContestKind::Motion => "表决事项已创建。",
                ContestKind::Review => "述职评议已创建。下一步：填写被评议人，核对评议项目和等次。",
            },
        )),
        Err(e) => {
            let problems = form_errors(e)?;
            let resp = new_page(&state, &req, &staff, &congress, kind, &form, &problems);
            Ok(unprocessable(resp))
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // "/new" before "/{id}", which would otherwise match it.
    cfg.route("/c/{cid}/contests", web::get().to(agenda))
        .route("/c/{cid}/contests/new", web::get().to(new_form))
        .route("/c/{cid}/contests/new", web::post().to(create));
    detail::configure(cfg);
    upload::configure(cfg);
    candidates::configure(cfg);
}
