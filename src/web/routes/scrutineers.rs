//! The congress's scrutineers (监票人员, rule G2): the list for the owner and scrutineers, and
//! for the owner the forms to add (总监票人, 监票人, 计票人) and remove them while
//! `Action::EditScrutineers` allows. A refused addition shows the form again with the reason.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::service::scrutineers::{ScrutineerInput, MAX_NAME_CHARS};
use crate::service::{self, ServiceError};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::scrutineers::{Scrutineer, ScrutineerRole};
use crate::storage::repo::users::{self, Role};
use crate::web::auth::{authorize, Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::csrf_field;
use crate::web::AppState;

/// The add form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AddForm {
    pub role: String,
    pub name: String,
    pub student_no: String,
    pub username: String,
}

impl AddForm {
    fn input(&self) -> Result<ScrutineerInput, String> {
        let role = ScrutineerRole::parse(&self.role).ok_or_else(|| {
            format!(
                "“职务”填写的是“{}”, 应为“总监票人”、“监票人”或“计票人”之一",
                self.role
            )
        })?;
        Ok(ScrutineerInput {
            role,
            name: self.name.clone(),
            student_no: Some(self.student_no.clone()),
            username: Some(self.username.clone()),
        })
    }
}

/// What the page shows besides the list: a rejected form and its messages.
struct Rejected {
    form: AddForm,
    errors: Vec<String>,
}

async fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    rejected: Option<Rejected>,
    status: StatusCode,
) -> WebResult<HttpResponse> {
    let cid = congress.id.clone();
    let (list, accounts) = state
        .run(move |c| {
            let list = service::scrutineers::list(c, &cid)?;
            let accounts: Vec<String> = users::list(c)?
                .into_iter()
                .filter(|u| u.role == Role::Scrutineer)
                .map(|u| u.username)
                .collect();
            Ok((list, accounts))
        })
        .await?;
    let editable = authorize(&staff, congress, Need::Own).is_ok()
        && Action::EditScrutineers.check(congress.state).is_ok();
    let reason = if authorize(&staff, congress, Need::Own).is_err() {
        Some("只有创建本大会的组织者可以设置监票人员; 您可以查看。".to_string())
    } else {
        Action::EditScrutineers
            .check(congress.state)
            .err()
            .map(|e| e.message)
    };
    let (form, errors) = match rejected {
        Some(r) => (r.form, r.errors),
        None => (AddForm::default(), Vec::new()),
    };
    let ctx = congress_ctx(state, req, staff, congress);
    let body = html! {
        h1 { "监票人员" }
        p.muted {
            "选举结果报告单上署名的总监票人、监票人和计票人由组织者指定(规则G2)。"
            "总监票人只能有一名; 同一人(同一学号)只能担任一项职务; "
            strong { "候选人不得担任监票人员" } ", 本大会任何一项选举的候选人都不能添加。"
        }
        (table(congress.id.as_str(), staff.csrf(), &list, editable))
        @if editable {
            h2 { "添加监票人员" }
            @if !errors.is_empty() {
                div role="alert" {
                    p.error { "未添加:" }
                    ul.errors { @for e in &errors { li { (e) } } }
                }
            }
            form.stack method="post" action={"/c/" (congress.id) "/scrutineers"} {
                (csrf_field(staff.csrf()))
                label for="role" { "职务" }
                select #role name="role" {
                    @for r in ScrutineerRole::ALL {
                        option value=(r.as_str()) selected[form.role == r.as_str()] { (r.zh()) }
                    }
                }
                label for="name" { "姓名" }
                input #name type="text" name="name" required maxlength=(MAX_NAME_CHARS) value=(form.name);
                label for="student_no" { "学号 (学生填写; 用于核对其不是候选人)" }
                input #student_no type="text" name="student_no" value=(form.student_no);
                label for="username" { "关联监票人账户 (可选, 填写用户名)" }
                input #username type="text" name="username" list="accounts" value=(form.username);
                datalist #accounts { @for a in &accounts { option value=(a); } }
                div.actions { button type="submit" { "添加" } }
            }
        } @else if let Some(r) = &reason {
            p.muted { (r) }
        }
    };
    let mut resp = page(state, &ctx, "监票人员", body);
    *resp.status_mut() = status;
    Ok(resp)
}

fn table(cid: &str, csrf: &str, list: &[Scrutineer], editable: bool) -> maud::Markup {
    html! {
        @if list.is_empty() {
            p.muted { "尚未指定监票人员。" }
        } @else {
            table {
                thead { tr { th { "职务" } th { "姓名" } th { "学号" } th { "关联账户" } @if editable { th { "操作" } } } }
                tbody {
                    @for s in list {
                        tr {
                            td { (s.role.zh()) }
                            td { (s.name) }
                            td { (s.student_no.as_deref().unwrap_or("—")) }
                            td { (s.username.as_deref().unwrap_or("—")) }
                            @if editable {
                                td {
                                    form.inline method="post" action={"/c/" (cid) "/scrutineers/" (s.id) "/delete"} {
                                        (csrf_field(csrf))
                                        button.secondary type="submit" { "删除" }
                                    }
                                }
                            }
                        }
                    }
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

async fn add(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<AddForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let form = form.into_inner();
    let input = match form.input() {
        Ok(i) => i,
        Err(e) => {
            let rejected = Some(Rejected {
                form,
                errors: vec![e],
            });
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&state, &req, &staff, &congress, rejected, status).await;
        }
    };
    let (actor, cid) = (actor(&staff, &req), congress.id.clone());
    let res = state
        .run(move |c| Ok(service::scrutineers::add(c, &actor, &cid, &input)))
        .await?;
    let (errors, status) = match res {
        Ok(s) => {
            return Ok(redirect_with(
                &state,
                &format!("/c/{}/scrutineers", congress.id),
                true,
                format!("已添加{}“{}”。", s.role.zh(), s.name),
            ))
        }
        Err(ServiceError::Invalid { message, details }) => {
            let mut v = vec![message];
            v.extend(details);
            (v, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ServiceError::Conflict(m)) => (vec![m], StatusCode::CONFLICT),
        Err(ServiceError::State(s)) => (vec![s.message], StatusCode::CONFLICT),
        Err(e) => return Err(WebError::from(e)),
    };
    let rejected = Some(Rejected { form, errors });
    render(&state, &req, &staff, &congress, rejected, status).await
}

async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
) -> WebResult<HttpResponse> {
    let (cid, sid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let actor = actor(&staff, &req);
    let cid2 = congress.id.clone();
    let res = state
        .run(move |c| Ok(service::scrutineers::remove(c, &actor, &cid2, &sid)))
        .await?;
    let to = format!("/c/{}/scrutineers", congress.id);
    match res {
        Ok(s) => Ok(redirect_with(
            &state,
            &to,
            true,
            format!("已删除{}“{}”。", s.role.zh(), s.name),
        )),
        Err(e @ (ServiceError::NotFound(_) | ServiceError::State(_))) => {
            Ok(redirect_with(&state, &to, false, e.to_string()))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/scrutineers", web::get().to(show))
        .route("/c/{cid}/scrutineers", web::post().to(add))
        .route("/c/{cid}/scrutineers/{sid}/delete", web::post().to(delete));
}
