//! The organiser's side of the steps before the election and the session (rules C5-C7, G4):
//! one page (`/c/{cid}/approval`) with each presidium contest's candidate list, its notes,
//! steps and objections, and the applications to the upper 学联 with their replies. Every
//! action is the owner's, CSRF-protected (middleware) and audited (service). The printable
//! documents and signed downloads are in `approval_docs`; the public notice in `notice`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::ids::{CandidateId, CongressId, ContestId};
use crate::packet::approval::kind_zh;
use crate::service::approval::{self, ApplicationFields, NotesInput, ReplyInput, StepFields};
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, owner_signing, page, redirect_with};
use crate::web::views::approval as views;
use crate::web::AppState;

fn back(cid: &str) -> String {
    format!("/c/{cid}/approval")
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let c2 = cid.clone();
    let o = state.run(move |c| Ok(approval::overview(c, &c2)?)).await?;
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let body = views::organiser_page(&congress, &o, &ctx.csrf);
    Ok(page(&state, &ctx, "候选人审批与公示", body))
}

#[derive(Deserialize)]
struct NotesForm {
    #[serde(default)]
    grade: String,
    #[serde(default)]
    union_post: String,
    #[serde(default)]
    profile: String,
}

async fn notes(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId, CandidateId)>,
    form: web::Form<NotesForm>,
) -> WebResult<HttpResponse> {
    let (cid, kid, cand) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let who = actor(&staff, &req);
    let f = form.into_inner();
    let input = NotesInput {
        grade: f.grade,
        union_post: f.union_post,
        profile: f.profile,
    };
    let c2 = cid.clone();
    state
        .run(move |c| Ok(approval::set_notes(c, &who, &c2, &kid, &cand, &input)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        "已保存候选人的公示信息。",
    ))
}

async fn step(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<StepFields>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let (key, who) = owner_signing(&state, &staff, &req, &cid).await?;
    let input = form.into_inner().input().map_err(WebError::BadRequest)?;
    let c2 = cid.clone();
    let s = state
        .run(move |c| Ok(approval::record_step(c, &who, &key, &c2, &kid, &input)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        format!("已登记{} (第{}号签名文件)。", kind_zh(&s.step.kind), s.seq),
    ))
}

#[derive(Deserialize)]
struct HandleForm {
    handling: String,
}

async fn handle(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, String)>,
    form: web::Form<HandleForm>,
) -> WebResult<HttpResponse> {
    let (cid, oid) = path.into_inner();
    let (key, who) = owner_signing(&state, &staff, &req, &cid).await?;
    let handling = form.into_inner().handling;
    let c2 = cid.clone();
    state
        .run(move |c| {
            Ok(approval::handle_objection(
                c, &who, &key, &c2, &oid, &handling,
            )?)
        })
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        "已登记异议的处理结果。",
    ))
}

async fn application(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<ApplicationFields>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let (key, who) = owner_signing(&state, &staff, &req, &cid).await?;
    let input = form.into_inner().input().map_err(WebError::BadRequest)?;
    let c2 = cid.clone();
    let s = state
        .run(move |c| Ok(approval::generate_application(c, &who, &key, &c2, &input)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{cid}/approval/steps/{}", s.seq),
        true,
        format!(
            "已生成{} (第{}号), 可打印或下载签名文件。",
            kind_zh(&s.step.kind),
            s.seq
        ),
    ))
}

#[derive(Deserialize)]
struct ReplyForm {
    application: i32,
    body: String,
    #[serde(default)]
    reference: String,
    reply: String,
    date: String,
}

async fn reply(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<ReplyForm>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let (key, who) = owner_signing(&state, &staff, &req, &cid).await?;
    let f = form.into_inner();
    let input = ReplyInput {
        application: f.application,
        body: f.body,
        reference: f.reference,
        reply: f.reply,
        date: f.date,
    };
    let c2 = cid.clone();
    state
        .run(move |c| Ok(approval::record_reply(c, &who, &key, &c2, &input)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        "已登记上级学联的答复。",
    ))
}

#[derive(Deserialize)]
struct ReasonForm {
    reason: String,
}

async fn session_override(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<ReasonForm>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let (key, who) = owner_signing(&state, &staff, &req, &cid).await?;
    let reason = form.into_inner().reason;
    let c2 = cid.clone();
    state
        .run(move |c| Ok(approval::override_session(c, &who, &key, &c2, &reason)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        "已登记先行开会的理由; 现在可以宣布开会。",
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/approval", web::get().to(show))
        .route(
            "/c/{cid}/approval/contests/{kid}/candidates/{cand}",
            web::post().to(notes),
        )
        .route(
            "/c/{cid}/approval/contests/{kid}/steps",
            web::post().to(step),
        )
        .route("/c/{cid}/approval/objections/{oid}", web::post().to(handle))
        .route(
            "/c/{cid}/approval/applications",
            web::post().to(application),
        )
        .route("/c/{cid}/approval/replies", web::post().to(reply))
        .route(
            "/c/{cid}/approval/session-override",
            web::post().to(session_override),
        );
}
