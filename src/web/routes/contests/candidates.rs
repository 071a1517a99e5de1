//! The candidate actions of an election's page: add, edit (its own page), remove.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use super::detail::{render, Sticky};
use super::{form_errors, unprocessable};
use crate::domain::ids::{CandidateId, CongressId, ContestId};
use crate::service::contests as svc;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::contests as repo;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::contests::CandidateForm;
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::contests::{candidate_fields, errors};
use crate::web::views::csrf_field;
use crate::web::AppState;

async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<CandidateForm>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let form = form.into_inner();
    let data = match form.data() {
        Ok(d) => d,
        Err(problems) => {
            let sticky = Sticky {
                candidate: Some((form, problems)),
                ..Sticky::default()
            };
            return Ok(unprocessable(
                render(&state, &req, &staff, &congress, &id, sticky).await?,
            ));
        }
    };
    let actor = actor(&staff, &req);
    let (c2, id2) = (cid.clone(), id.clone());
    let res = state
        .run(move |c| Ok(svc::add_candidate(c, &actor, &c2, &id2, &data)))
        .await?;
    match res {
        Ok(cand) => Ok(redirect_with(
            &state,
            &format!("/c/{cid}/contests/{id}#add"),
            true,
            format!("已添加候选人{}。", cand.name),
        )),
        Err(e) => {
            let sticky = Sticky {
                candidate: Some((form, form_errors(e)?)),
                ..Sticky::default()
            };
            Ok(unprocessable(
                render(&state, &req, &staff, &congress, &id, sticky).await?,
            ))
        }
    }
}

fn edit_page(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    base: &str,
    form: &CandidateForm,
    problems: &[String],
) -> HttpResponse {
    let title = format!("修改候选人{}", form.name);
    let body = html! {
        p { a href=(base) { "← 返回事项" } }
        h1 { (title) }
        (errors(problems))
        form.stack method="post" action=(req.path()) {
            (csrf_field(staff.csrf()))
            (candidate_fields(form))
            div.actions { button type="submit" { "保存" } a href=(base) { "取消" } }
        }
    };
    page(
        state,
        &congress_ctx(state, req, staff, congress),
        &title,
        body,
    )
}

async fn edit_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId, CandidateId)>,
) -> WebResult<HttpResponse> {
    let (cid, id, kid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let (c2, id2) = (cid.clone(), id.clone());
    let cand = state
        .run(move |c| {
            let contest = svc::load(c, &c2, &id2)?;
            Ok(repo::candidate(c, &contest.id, &kid)?)
        })
        .await?
        .ok_or_else(|| WebError::NotFound("没有这名候选人".to_string()))?;
    let base = format!("/c/{cid}/contests/{id}");
    let form = CandidateForm::from_candidate(&cand);
    Ok(edit_page(
        &state,
        &req,
        &staff,
        &congress,
        &base,
        &form,
        &[],
    ))
}

async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId, CandidateId)>,
    form: web::Form<CandidateForm>,
) -> WebResult<HttpResponse> {
    let (cid, id, kid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let base = format!("/c/{cid}/contests/{id}");
    let form = form.into_inner();
    let data = match form.data() {
        Ok(d) => d,
        Err(problems) => {
            let resp = edit_page(&state, &req, &staff, &congress, &base, &form, &problems);
            return Ok(unprocessable(resp));
        }
    };
    let actor = actor(&staff, &req);
    let res = state
        .run(move |c| Ok(svc::update_candidate(c, &actor, &cid, &id, &kid, &data)))
        .await?;
    match res {
        Ok(cand) => Ok(redirect_with(
            &state,
            &base,
            true,
            format!("已修改候选人{}。", cand.name),
        )),
        Err(e) => {
            let problems = form_errors(e)?;
            let resp = edit_page(&state, &req, &staff, &congress, &base, &form, &problems);
            Ok(unprocessable(resp))
        }
    }
}

async fn remove(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId, CandidateId)>,
) -> WebResult<HttpResponse> {
    let (cid, id, kid) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let actor = actor(&staff, &req);
    let base = format!("/c/{cid}/contests/{id}");
    let cand = state
        .run(move |c| Ok(svc::remove_candidate(c, &actor, &cid, &id, &kid)?))
        .await?;
    Ok(redirect_with(
        &state,
        &base,
        true,
        format!("已删除候选人{}。", cand.name),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/contests/{id}/candidates", web::post().to(add))
        .route(
            "/c/{cid}/contests/{id}/candidates/{kid}",
            web::get().to(edit_form),
        )
        .route(
            "/c/{cid}/contests/{id}/candidates/{kid}",
            web::post().to(update),
        )
        .route(
            "/c/{cid}/contests/{id}/candidates/{kid}/delete",
            web::post().to(remove),
        );
}
