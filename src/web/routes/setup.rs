//! The congress set-up page (`/c/{cid}/setup`): its details and its rule profile. The owner
//! and every scrutineer may view it; only the owner edits, details while
//! `Action::EditDetails` allows and settings only in set-up (afterwards the page shows them
//! read-only with the reason). A form with a bad field is shown again with the message and
//! what was typed; nothing is saved unless everything is valid.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::service::{self, ServiceError};
use crate::storage::repo::congress::Congress;
use crate::web::auth::{authorize, Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::details::{details_form, parse_details, DetailsForm};
use crate::web::forms::settings::SettingsForm;
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::setup as view;
use crate::web::AppState;

/// A form shown again with what was typed and why it was not saved.
struct Rejected<F> {
    form: F,
    errors: Vec<String>,
}

/// Whether `staff` may do `action` on `congress` now; otherwise why not, in Chinese.
fn may_edit(staff: &Staff, congress: &Congress, action: Action) -> Result<(), String> {
    authorize(&staff, congress, Need::Own)
        .map_err(|_| "只有创建本大会的组织者可以修改这些内容; 您可以查看。".to_string())?;
    action.check(congress.state).map_err(|e| e.message)
}

fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    details: Option<Rejected<DetailsForm>>,
    settings: Option<Rejected<SettingsForm>>,
    status: StatusCode,
) -> HttpResponse {
    let ctx = congress_ctx(state, req, staff, congress);
    let details_edit = may_edit(staff, congress, Action::EditDetails);
    let settings_edit = may_edit(staff, congress, Action::EditSettings);
    let (dform, derrs) = match details {
        Some(r) => (r.form, r.errors),
        None => (details_form(congress), Vec::new()),
    };
    let (sform, serrs) = match settings {
        Some(r) => (r.form, r.errors),
        None => (SettingsForm::from_profile(&congress.settings), Vec::new()),
    };
    let body = html! {
        h1 { "大会设置" }
        p.muted {
            "大会状态: " span.badge { (congress.state.zh()) } " · 监票、计票人员在 "
            a href={"/c/" (congress.id) "/scrutineers"} { "监票人员" } " 页面设置。"
        }
        (view::details_section(congress.id.as_str(), staff.csrf(), &dform, details_edit.is_ok(),
            details_edit.as_ref().err().map(String::as_str), &derrs))
        (view::settings_section(congress.id.as_str(), staff.csrf(), &congress.settings, &sform,
            settings_edit.is_ok(), settings_edit.as_ref().err().map(String::as_str), &serrs))
    };
    let mut resp = page(state, &ctx, "大会设置", body);
    *resp.status_mut() = status;
    resp
}

/// The messages and status of a service refusal the page can show; others are errors.
fn refusal(e: ServiceError) -> Result<(Vec<String>, StatusCode), WebError> {
    match e {
        ServiceError::Invalid { message, details } => {
            let mut v = vec![message];
            v.extend(details);
            Ok((v, StatusCode::UNPROCESSABLE_ENTITY))
        }
        ServiceError::State(s) => Ok((vec![s.message], StatusCode::CONFLICT)),
        ServiceError::Conflict(m) => Ok((vec![m], StatusCode::CONFLICT)),
        other => Err(other.into()),
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    Ok(render(
        &state,
        &req,
        &staff,
        &congress,
        None,
        None,
        StatusCode::OK,
    ))
}

async fn save_details(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<DetailsForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let form = form.into_inner();
    let details = match parse_details(&form) {
        Ok(d) => d,
        Err(errors) => {
            let rejected = Some(Rejected { form, errors });
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(render(
                &state, &req, &staff, &congress, rejected, None, status,
            ));
        }
    };
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let res = state
        .run(move |c| Ok(service::congress::update_details(c, &actor, &cid, &details)))
        .await?;
    match res {
        Ok(c) => Ok(redirect_with(
            &state,
            &format!("/c/{}/setup", c.id),
            true,
            "大会信息已保存。",
        )),
        Err(e) => {
            let (errors, status) = refusal(e)?;
            let rejected = Some(Rejected { form, errors });
            Ok(render(
                &state, &req, &staff, &congress, rejected, None, status,
            ))
        }
    }
}

async fn save_settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<SettingsForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let form = form.into_inner();
    let profile = match form.parse(&congress.settings) {
        Ok(p) => p,
        Err(errs) => {
            let errors = errs.iter().map(|e| e.message()).collect();
            let rejected = Some(Rejected { form, errors });
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(render(
                &state, &req, &staff, &congress, None, rejected, status,
            ));
        }
    };
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let res = state
        .run(move |c| {
            Ok(service::congress::update_settings(
                c, &actor, &cid, &profile,
            ))
        })
        .await?;
    match res {
        Ok(c) => Ok(redirect_with(
            &state,
            &format!("/c/{}/setup#settings", c.id),
            true,
            "规则设置已保存。",
        )),
        Err(e) => {
            let (errors, status) = refusal(e)?;
            let rejected = Some(Rejected { form, errors });
            Ok(render(
                &state, &req, &staff, &congress, None, rejected, status,
            ))
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/setup", web::get().to(show))
        .route("/c/{cid}/setup/details", web::post().to(save_details))
        .route("/c/{cid}/setup/settings", web::post().to(save_settings));
}
