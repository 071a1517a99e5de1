//! The staff home page (the congresses one may see), creating a congress, and a congress's
//! overview page with its next step.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use crate::domain::ids::CongressId;
use crate::domain::settings::RuleProfile;
use crate::domain::state::CongressState;
use crate::service::{self};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::users::Role;
use crate::web::auth::{authorize, Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::details::DetailsForm;
use crate::web::page::{actor, congress_ctx, load_congress};
use crate::web::page::{page, redirect_with, staff_ctx};
use crate::web::views::csrf_field;
use crate::web::views::setup::details_fields;
use crate::web::AppState;

async fn index(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
) -> WebResult<HttpResponse> {
    let all = state.run(|c| Ok(congress_repo::list(c)?)).await?;
    let visible: Vec<Congress> = all
        .into_iter()
        .filter(|c| authorize(&staff, c, Need::Read).is_ok())
        .collect();
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "我的大会" }
        @if staff.user.role == Role::Organiser {
            div.actions { a.button href="/congresses/new" { "新建大会" } }
        }
        @if visible.is_empty() {
            p.muted { "还没有大会。" }
        } @else {
            div.cards {
                @for c in &visible {
                    div.card {
                        h3 { a href={"/c/" (c.id)} { (c.name) } }
                        p { (c.school) " · " (c.level.zh()) " · 第" (c.session_no) "次" }
                        p { (c.date) " · " (c.place) }
                        span.badge { (c.state.zh()) }
                    }
                }
            }
        }
    };
    Ok(page(&state, &ctx, "我的大会", body))
}

async fn new_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
) -> WebResult<HttpResponse> {
    if staff.user.role != Role::Organiser {
        return Err(WebError::Forbidden("只有组织者可以新建大会".to_string()));
    }
    let ctx = staff_ctx(&state, &req, &staff);
    let body = html! {
        h1 { "新建大会" }
        p.muted { "规则设置先按默认值创建(名额1%, 普通同学不少于60%, 女代表不少于30%, 法定人数超过2/3...), 创建后可在“大会设置”中查看说明并修改。" }
        form.stack method="post" action="/congresses" {
            (csrf_field(staff.csrf()))
            (details_fields(None))
            div.actions { button type="submit" { "创建" } }
        }
    };
    Ok(page(&state, &ctx, "新建大会", body))
}

async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    form: web::Form<DetailsForm>,
) -> WebResult<HttpResponse> {
    if staff.user.role != Role::Organiser {
        return Err(WebError::Forbidden("只有组织者可以新建大会".to_string()));
    }
    let details = form.details()?;
    let actor = actor(&staff, &req);
    let owner = staff.user.id.clone();
    let keys = state.keys.clone();
    let congress = state
        .run(move |c| {
            Ok(service::congress::create(
                c,
                &actor,
                &owner,
                &details,
                &RuleProfile::default(),
                &keys,
            )?)
        })
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{}", congress.id),
        true,
        "大会已创建。下一步: 导入学生人数和推荐人选。",
    ))
}

/// The next thing to do in each state, with a link.
fn next_step(c: &Congress) -> Markup {
    let id = &c.id;
    match c.state {
        CongressState::Setup => html! {
            ol {
                li { a href={"/c/" (id) "/files"} { "导入各学院学生人数、学生社团和推荐人选" } }
                li { a href={"/c/" (id) "/quota"} { "查看名额分配" } }
                li { a href={"/c/" (id) "/roster"} { "生成或上传代表名单, 通过校验后冻结" } }
                li { a href={"/c/" (id) "/contests"} { "准备主席团选举和表决事项" } }
            }
        },
        CongressState::RosterFrozen => html! {
            p { "代表名单已冻结。下一步: " a href={"/c/" (id) "/credentials"} { "发放代表证" } "。" }
        },
        CongressState::CredentialsIssued | CongressState::InSession => html! {
            p { a href={"/c/" (id) "/attendance"} { "签到与法定人数" } " · " a href={"/c/" (id) "/contests"} { "选举与表决" } }
        },
        CongressState::Closed => html! {
            p { "全部选举和表决已结束。下一步: " a href={"/c/" (id) "/record"} { "签署选举结果报告单" } "。" }
        },
        CongressState::Certified | CongressState::Filed => html! {
            p { a href={"/c/" (id) "/record"} { "选举结果报告单、党委批准和备案" } }
        },
    }
}

async fn overview(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let body = html! {
        h1 { (congress.name) }
        dl.facts {
            dt { "学校" } dd { (congress.school) }
            dt { "级别" } dd { (congress.level.zh()) }
            dt { "届次" } dd { "第" (congress.session_no) "次" }
            dt { "日期" } dd { (congress.date) }
            dt { "地点" } dd { (congress.place) }
            dt { "状态" } dd { span.badge { (congress.state.zh()) } }
        }
        h2 { "下一步" }
        (next_step(&congress))
    };
    Ok(page(&state, &ctx, &congress.name, body))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(index))
        .route("/congresses/new", web::get().to(new_form))
        .route("/congresses", web::post().to(create))
        .route("/c/{cid}", web::get().to(overview));
}
