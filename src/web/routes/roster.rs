//! The roster page (`/c/{cid}/roster`) and its actions: generate (B7), upload, re-check,
//! freeze and unfreeze, and the CSV download. Everyone who may read the congress sees the
//! page; only the owner acts. A refused action shows the page again with the reason (409 for
//! the congress's state, 422 for the rules); a done one redirects with a message, except an
//! upload, whose page shows the importer's warnings.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde::Deserialize;

use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::service::delegate_filter::{apply, DelegateFilter, ListKind};
use crate::service::pending::{self, Staged};
use crate::service::previews;
use crate::service::roster::{self as roster_svc, ImportFailure};
use crate::service::ServiceError;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::roster as roster_repo;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{ask, confirmed};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{
    actor, attachment, congress_ctx, load_congress, may_change, page, redirect_with,
};
use crate::web::routes::confirm::href as confirm_href;
use crate::web::upload::multipart_file;
use crate::web::views::delegate_filter::FilterQuery;
use crate::web::views::roster::{self as view, Notice};
use crate::web::AppState;

/// The page after an action: the whole list, unfiltered, with the action's notice.
pub(crate) async fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    notice: Option<Notice>,
    status: StatusCode,
) -> WebResult<HttpResponse> {
    let q = FilterQuery::default();
    render_listing(state, req, staff, congress, notice, status, q).await
}

/// The page with the list filtered by `query` (the search form's GET).
async fn render_listing(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    notice: Option<Notice>,
    status: StatusCode,
    query: FilterQuery,
) -> WebResult<HttpResponse> {
    let filter =
        DelegateFilter::parse(&query.raw(), ListKind::Roster).map_err(WebError::BadRequest)?;
    let cid = congress.id.clone();
    let overview = state
        .run(move |c| Ok(roster_svc::overview(c, &cid)?))
        .await?;
    let ctx = congress_ctx(state, req, staff, congress);
    let allowed = view::Allowed {
        edit: may_change(staff, congress, Action::EditRoster),
        unfreeze: may_change(staff, congress, Action::UnfreezeRoster),
    };
    let out = apply(overview.delegates.iter().collect(), |d| *d, &filter);
    let list = view::Listing { query, filter, out };
    let body = view::body(
        congress,
        staff.csrf(),
        &allowed,
        &overview,
        notice.as_ref(),
        &list,
    );
    let mut resp = page(state, &ctx, "代表名单", body);
    *resp.status_mut() = status;
    Ok(resp)
}

/// The page again with a refusal the page can explain; other errors are errors.
pub(crate) async fn refused(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    e: ServiceError,
) -> WebResult<HttpResponse> {
    let (lines, status) = match e {
        ServiceError::State(s) => (vec![s.message], StatusCode::CONFLICT),
        ServiceError::Conflict(m) => (vec![m], StatusCode::CONFLICT),
        ServiceError::Invalid { message, details } => {
            let lines = std::iter::once(message).chain(details).collect();
            (lines, StatusCode::UNPROCESSABLE_ENTITY)
        }
        other => return Err(other.into()),
    };
    // The congress as it is now (a refusal may come from a state changed meanwhile).
    let congress = load_congress(state, staff, &congress.id, Need::Read).await?;
    render(
        state,
        req,
        staff,
        &congress,
        Some(Notice::Refused(lines)),
        status,
    )
    .await
}

fn to_page(congress: &Congress) -> String {
    format!("/c/{}/roster", congress.id)
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    query: web::Query<FilterQuery>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let q = query.into_inner();
    render_listing(&state, &req, &staff, &congress, None, StatusCode::OK, q).await
}

async fn generate(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    // Over a stored roster (perhaps edited by upload), ask first.
    if !confirmed(&req, &body) {
        let id = congress.id.clone();
        let stored = state
            .run(move |c| Ok(previews::stored_rows(c, &id, "roster")?))
            .await?;
        if stored > 0 {
            return Ok(ask(&confirm_href(
                congress.id.as_str(),
                "roster-generate",
                None,
            )));
        }
    }
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let res = state
        .run(move |c| Ok(roster_svc::generate(c, &actor, &cid)))
        .await?;
    match res {
        Ok(Ok(g)) => Ok(redirect_with(
            &state,
            &to_page(&congress),
            true,
            format!(
                "已生成代表名单: {}名代表, 按规则调整{}处(见“生成时的调整”), 校验通过。",
                g.roster.len(),
                g.substitutions.len()
            ),
        )),
        Ok(Err(infeasible)) => {
            let n = Some(Notice::Infeasible(infeasible));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &req, &staff, &congress, n, status).await
        }
        Err(e) => refused(&state, &req, &staff, &congress, e).await,
    }
}

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: Multipart,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let file = match multipart_file(form).await {
        Ok(f) => f,
        Err(e @ (WebError::PayloadTooLarge(_) | WebError::BadRequest(_))) => {
            let n = Some(Notice::Refused(vec![e.to_string()]));
            return render(&state, &req, &staff, &congress, n, e.status_code()).await;
        }
        Err(e) => return Err(e),
    };
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    // A roster over a stored one waits for the confirmation page.
    let res = state
        .run(move |c| {
            Ok(pending::stage_roster(
                c,
                &actor,
                &cid,
                &file.file_name,
                &file.bytes,
            ))
        })
        .await?;
    let res = match res {
        Ok(Staged::Pending(p)) => {
            let to = format!("/c/{}/roster/upload/confirm?id={}", congress.id, p.id);
            return Ok(ask(&to));
        }
        Ok(Staged::Done(u)) => Ok(u),
        Err(e) => Err(e),
    };
    uploaded(&state, &req, &staff, &congress, res).await
}

/// The roster page after an upload was tried (at once, or confirmed).
pub(crate) async fn uploaded(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    res: Result<roster_svc::UploadedRoster, ImportFailure>,
) -> WebResult<HttpResponse> {
    match res {
        Ok(u) => {
            let status = if u.stored {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let n = Some(Notice::Uploaded(u));
            render(state, req, staff, congress, n, status).await
        }
        Err(ImportFailure::Rejected(r)) => {
            let n = Some(Notice::Rejected(r));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(state, req, staff, congress, n, status).await
        }
        Err(ImportFailure::Service(e)) => refused(state, req, staff, congress, e).await,
    }
}

async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let res = state
        .run(move |c| Ok(roster_svc::check(c, &actor, &cid)))
        .await?;
    match res {
        Ok(r) => {
            let errors = r.violations.iter().filter(|v| !v.warning).count();
            let msg = if r.valid {
                "校验完成: 代表名单符合全部规则, 可以冻结。".to_string()
            } else {
                format!("校验完成: 代表名单有{errors}处不符合规则, 详见校验报告。")
            };
            Ok(redirect_with(&state, &to_page(&congress), r.valid, msg))
        }
        Err(e) => refused(&state, &req, &staff, &congress, e).await,
    }
}

async fn freeze(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let res = state
        .run(move |c| Ok(roster_svc::freeze(c, &actor, &cid)))
        .await?;
    match res {
        Ok(r) => Ok(redirect_with(
            &state,
            &to_page(&congress),
            true,
            format!(
                "代表名单已冻结({}名代表)。下一步: 发放代表证。",
                r.summary.total
            ),
        )),
        Err(e) => refused(&state, &req, &staff, &congress, e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnfreezeForm {
    pub reason: String,
}

async fn unfreeze(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<UnfreezeForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let reason = form.into_inner().reason;
    let res = state
        .run(move |c| Ok(roster_svc::unfreeze(c, &actor, &cid, &reason)))
        .await?;
    match res {
        Ok(_) => Ok(redirect_with(
            &state,
            &to_page(&congress),
            true,
            "已解除冻结: 名单可以修改, 修改后请重新校验并冻结。",
        )),
        Err(e) => refused(&state, &req, &staff, &congress, e).await,
    }
}

async fn download(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let entries = state
        .run(move |c| Ok(roster_repo::roster_entries(c, &cid)?))
        .await?;
    let csv = crate::import::write_roster_csv(&entries).map_err(WebError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(
            &format!("roster-{}.csv", congress.id),
            &format!("代表名单-{}.csv", congress.name),
        ))
        .body(csv))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/roster", web::get().to(show))
        .route("/c/{cid}/roster.csv", web::get().to(download))
        .route("/c/{cid}/roster/generate", web::post().to(generate))
        .route("/c/{cid}/roster/upload", web::post().to(upload))
        .route("/c/{cid}/roster/check", web::post().to(check))
        .route("/c/{cid}/roster/freeze", web::post().to(freeze))
        .route("/c/{cid}/roster/unfreeze", web::post().to(unfreeze));
}
