//! The public notice of the presidium candidates (候选人公示, rule C6), open to anyone without
//! logging in like the board: per contest the list in ballot order (name, college, grade,
//! 政治面貌, 学生会职务, profile) and the notice's dates; and the objection form (异议, rule C7:
//! CSRF-protected with an anonymous session, throttled per address like card logins). The
//! objector's contact details go to the organiser only, never onto this page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::crypto::token::new_token;
use crate::domain::approval::zh_date;
use crate::domain::ids::CongressId;
use crate::packet::approval as fmt;
use crate::service::addenda::today_cst;
use crate::service::approval::{self, ObjectionInput, ObjectionRefused};
use crate::service::{self};
use crate::web::auth::client_addr;
use crate::web::error::{WebError, WebResult};
use crate::web::session::PreSession;
use crate::web::views::approval::candidate_table;
use crate::web::views::{csrf_field, public_layout, PublicPage};
use crate::web::AppState;

#[derive(Deserialize)]
struct Query {
    #[serde(default)]
    sent: Option<String>,
}

fn respond(
    state: &AppState,
    status: StatusCode,
    congress: (&str, &str),
    pre: Option<&PreSession>,
    body: Markup,
) -> HttpResponse {
    let p = PublicPage {
        title: "候选人公示",
        congress: Some(congress),
        fingerprint: None,
        body_class: None,
        refresh: None,
        script: None,
        bare: false,
    };
    let mut r = HttpResponse::build(status);
    r.content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"));
    if let Some(pre) = pre {
        r.cookie(state.sessions.pre_cookie(pre));
    }
    r.body(public_layout(&p, body).into_string())
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    cid: web::Path<CongressId>,
    q: web::Query<Query>,
) -> WebResult<HttpResponse> {
    let cid = cid.into_inner();
    let c2 = cid.clone();
    let (congress, o) = state
        .run(move |c| {
            Ok((
                service::congress::load(c, &c2)?,
                approval::overview(c, &c2)?,
            ))
        })
        .await?;
    let pre = state
        .sessions
        .pre(&req)
        .unwrap_or_else(|| PreSession { csrf: new_token() });
    let today = today_cst();
    // Only a notice of the list as it is now is shown.
    let shown: Vec<_> = o
        .contests
        .iter()
        .filter_map(|a| {
            let n = a.latest(fmt::NOTICE)?;
            (n.step.candidates_sha256.as_deref() == Some(a.hash.as_str())).then_some((
                a,
                a.notice?,
                n.field("days"),
            ))
        })
        .filter(|(_, (start, _), _)| *start <= today)
        .collect();
    let open: Vec<_> = shown
        .iter()
        .filter(|(a, _, _)| !a.contest.state.has_opened())
        .collect();
    let body = html! {
        h1 { "主席团候选人公示" }
        p { (congress.name) }
        @if q.sent.is_some() { p.ok role="status" { "异议已收到。组织者会核实处理, 并按您留下的联系方式与您联系。" } }
        @if shown.is_empty() { p.muted { "目前没有正在公示的候选人名单。" } }
        @for (a, (start, end), days) in &shown {
            section.notice {
                h2 { (a.contest.def.title) }
                p { "公示期: " (zh_date(*start)) " 至 " (zh_date(*end)) " (" (days) "个工作日) · "
                    @if *end >= today { strong { "公示中" } } @else { "公示期已满" } }
                (candidate_table(&a.list))
            }
        }
        @if !open.is_empty() {
            h2 #objection { "提出异议" }
            p { "对候选人有异议的, 可以实名提出。联系方式仅供组织者核实, 不会公开。" }
            form.stack method="post" action={"/b/" (cid) "/notice/objections"} {
                (csrf_field(&pre.csrf))
                label for="o-cand" { "针对的候选人" }
                select #o-cand name="candidate_id" required {
                    @for (a, _, _) in &open { @for c in &a.list {
                        option value=(c.id) { (c.name) " (" (a.contest.def.title) ")" }
                    } }
                }
                label for="o-body" { "异议内容" }
                textarea #o-body name="body" rows="4" maxlength="1000" required {}
                label for="o-name" { "您的姓名" }
                input #o-name type="text" name="name" maxlength="50" required;
                label for="o-contact" { "联系方式 (电话或邮箱)" }
                input #o-contact type="text" name="contact" maxlength="100" required;
                div.actions { button type="submit" { "提交异议" } }
            }
        }
    };
    Ok(respond(
        &state,
        StatusCode::OK,
        (cid.as_str(), &congress.name),
        Some(&pre),
        body,
    ))
}

#[derive(Deserialize)]
struct ObjectionForm {
    candidate_id: String,
    body: String,
    name: String,
    contact: String,
}

async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    cid: web::Path<CongressId>,
    form: web::Form<ObjectionForm>,
) -> WebResult<HttpResponse> {
    let cid = cid.into_inner();
    let addr = client_addr(&req);
    let f = form.into_inner();
    let input = ObjectionInput {
        candidate_id: f.candidate_id,
        body: f.body,
        name: f.name,
        contact: f.contact,
    };
    let c2 = cid.clone();
    let result = state
        .run(move |c| {
            service::congress::load(c, &c2)?;
            Ok(approval::submit_objection(c, &c2, &addr, &input))
        })
        .await?;
    match result {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/b/{cid}/notice?sent=1")))
            .finish()),
        Err(ObjectionRefused::Throttled) => Err(WebError::Throttled(
            "本地址提交的异议过多, 请10分钟后再试, 或直接联系组织者。".to_string(),
        )),
        Err(ObjectionRefused::Service(e)) => Err(e.into()),
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/b/{cid}/notice", web::get().to(show))
        .route("/b/{cid}/notice/objections", web::post().to(submit));
}
