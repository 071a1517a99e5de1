//! A contest's page (definition, readiness, C2 margin, candidates in ballot order, the edit
//! forms) and the contest-level actions: edit, delete, move on the agenda.

use std::collections::HashSet;

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::{edit_refusal, form_errors, unprocessable};
use crate::domain::candidates::{check_margin, eligibility, required_candidates, MarginCheck};
use crate::domain::contest::ContestKind;
use crate::domain::ids::{CongressId, ContestId};
use crate::service::contests::{self as svc, ContestView, Direction};
use crate::storage::repo::congress::Congress;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::forms::contests::{CandidateForm, ContestForm};
use crate::web::page::{actor, congress_ctx, load_congress, page, redirect_with};
use crate::web::views::contests::{
    candidate_fields, candidates_table, contest_fields, errors, readiness_block,
};
use crate::web::views::csrf_field;
use crate::web::AppState;

/// Forms to show again as submitted, with their errors.
#[derive(Default)]
pub(super) struct Sticky {
    pub edit: Option<(ContestForm, Vec<String>)>,
    pub candidate: Option<(CandidateForm, Vec<String>)>,
    pub upload: Vec<String>,
}

/// The C2 margin of an election in words.
fn margin(v: &ContestView, profile: &crate::domain::settings::RuleProfile) -> Markup {
    let seats = v.contest.def.seats.unwrap_or(0);
    let required = required_candidates(seats);
    let c3 = v
        .contest
        .def
        .kind_of_election()
        .unwrap_or_default()
        .checks_eligibility();
    let standing: HashSet<&str> = v
        .candidates
        .iter()
        .filter(|c| {
            let e = eligibility(c, profile);
            !c3 || e.eligible || e.overridden
        })
        .map(|c| c.student_no.as_str())
        .collect();
    let n = standing.len();
    let check = check_margin(seats, n, v.contest.def.margin_override.as_deref());
    html! {
        p { "应选" (seats) "名，差额选举须有候选人至少" (required) "名（应选名额加1与其1.2倍向上取整中的较大者）；现有可参选的候选人" (n) "名。" }
        @match check {
            MarginCheck::Ok => p.flash.ok { "符合差额要求。" },
            MarginCheck::Equal { reason } => p.flash.ok { "等额选举，组织方理由：" (reason) },
            MarginCheck::Reduced { reason, .. } => p.flash.ok { "差额不足，组织方理由：" (reason) },
            MarginCheck::Violation(v) => p.error { (v.message) },
        }
    }
}

fn facts(v: &ContestView) -> Markup {
    let c = &v.contest;
    html! {
        dl.facts {
            dt { "类别" } dd { (c.kind.zh()) @if let Some(m) = c.def.motion_kind { "·" (m.zh()) } }
            dt { "状态" } dd { span.badge { (c.state.zh()) } " " a href={"/c/" (c.congress_id) "/contests/" (c.id) "/voting"} { "投票管理" } " · " a href={"/c/" (c.congress_id) "/contests/" (c.id) "/paper-ballot"} { "打印纸质选票" } }
            dt { "议程顺序" } dd { "第" (c.agenda_order) "项" }
            @if c.kind == ContestKind::Election {
                dt { "应选名额" } dd { (c.def.seats.unwrap_or(0)) "名" }
                dt { "另选他人" } dd { @if c.def.allow_write_in { "允许" } @else { "不设" } }
                dt { "当选标准" } dd { (c.def.threshold.zh()) }
                @if let Some(r) = &c.def.margin_override { dt { "等额或减少差额理由" } dd { (r) } }
            } @else if c.kind == ContestKind::Review {
                dt { "跟进标准（规则H4）" } dd { "最低等次" (c.def.threshold.fraction.zh()) "所得评价" }
                dt { "评议设置" } dd { a href={"/c/" (c.congress_id) "/contests/" (c.id) "/review"} { "被评议人、评议项目和等次" } }
            } @else {
                dt { "通过标准" } dd { (c.def.threshold.zh()) }
            }
        }
        @if !c.def.body.is_empty() {
            h2 { @if c.kind == ContestKind::Motion { "表决内容" } @else { "说明" } }
            div.body { @for para in c.def.body.lines().filter(|l| !l.trim().is_empty()) { p { (para) } } }
        }
    }
}

/// Renders the contest page; `sticky` forms are shown as submitted with their errors.
pub(super) async fn render(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
    contest_id: &ContestId,
    sticky: Sticky,
) -> WebResult<HttpResponse> {
    let (c2, id) = (congress.clone(), contest_id.clone());
    let v = state.run(move |c| Ok(svc::view(c, &c2, &id)?)).await?;
    let profile = &congress.settings;
    let base = format!("/c/{}/contests/{}", congress.id, v.contest.id);
    let refusal = edit_refusal(staff, congress)
        .or_else(|| {
            v.contest
                .not_held_reason
                .as_ref()
                .map(|why| format!("本事项已决定不举行（理由：{why}），不能再修改或开始投票。"))
        })
        .or_else(|| {
            v.contest
                .state
                .has_opened()
                .then(|| format!("本事项{}，已锁定，不能再修改。", v.contest.state.zh()))
        });
    let csrf = staff.csrf();
    let kind = v.contest.kind;
    let (edit_form, edit_errors) = sticky.edit.unwrap_or_else(|| {
        (
            ContestForm::from_definition(kind, &v.contest.def, profile),
            vec![],
        )
    });
    let (cand_form, cand_errors) = sticky.candidate.unwrap_or_default();
    let body = html! {
        p { a href={"/c/" (congress.id) "/contests"} { "← 选举与表决事项" } }
        h1 { (v.contest.def.title) }
        (facts(&v))
        @if !v.contest.state.has_opened() {
            h2 { "准备情况" }
            (readiness_block(&v.readiness))
        }
        @if kind == ContestKind::Election {
            h2 { "差额（规则C2）" }
            (margin(&v, profile))
            h2 { "候选人（" (v.candidates.len()) "名）" }
            @if v.candidates.is_empty() { p.muted { "还没有候选人。" } }
            @else { (candidates_table(&base, &v, profile, refusal.is_none().then_some(csrf))) }
        }
        @if let Some(why) = &refusal {
            p.muted { (why) }
        } @else {
            @if kind == ContestKind::Election {
                h2 #add { "添加候选人" }
                (errors(&cand_errors))
                form.stack method="post" action={(base) "/candidates"} {
                    (csrf_field(csrf))
                    (candidate_fields(&cand_form))
                    div.actions { button type="submit" { "添加" } }
                }
                h3 #upload { "从文件导入候选人" }
                p.hint { "CSV（UTF-8或GBK）或Excel文件，列：姓名、学号、学院、性别、政治面貌、专业排名百分比、不及格门数。"
                    a href="/templates/candidates.csv" { "下载模板(CSV)" } " 或 " a href="/templates/candidates.xlsx" { "Excel模板" } "。整个文件一并导入；不符合资格条件的候选人请逐一添加并填写特批理由。" }
                (errors(&sticky.upload))
                form.stack method="post" enctype="multipart/form-data" action={(base) "/candidates/upload?csrf=" (csrf)} {
                    input type="file" name="file" required accept=".csv,.xlsx,.xls";
                    div.actions { button type="submit" { "导入" } }
                }
            }
            h2 #edit { "修改事项" }
            (errors(&edit_errors))
            form.stack method="post" action={(base) "/edit"} {
                (csrf_field(csrf))
                (contest_fields(kind, &edit_form, profile))
                div.actions { button type="submit" { "保存" } }
            }
            @if v.contest.parent_id.is_some() {
                @let round = v.contest.round_zh();
                h2 { "不举行本次" (round) }
                form.stack method="post" action={(base) "/not-held"} {
                    (csrf_field(csrf))
                    p.hint { "计票后提出的" (round) "不能删除。如决定不举行（例如另行选举改为减少名额，规则F3），请说明理由；决定和空缺的名额写入结果报告。" }
                    label for="not_held_reason" { "理由" }
                    textarea #not_held_reason name="reason" rows="2" maxlength="500" required {}
                    button.danger type="submit" { "不举行“" (v.contest.def.title) "”" }
                }
            } @else {
                h2 { "删除事项" }
                form.stack method="post" action={(base) "/delete"} {
                    (csrf_field(csrf))
                    p.hint { "删除后不可恢复（操作日志中保留记录）。" }
                    button.danger type="submit" { "删除“" (v.contest.def.title) "”" }
                }
            }
        }
    };
    let ctx = congress_ctx(state, req, staff, congress);
    Ok(page(state, &ctx, &v.contest.def.title, body))
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    render(&state, &req, &staff, &congress, &id, Sticky::default()).await
}

async fn edit(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<ContestForm>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    let (c2, id2) = (cid.clone(), id.clone());
    let contest = state.run(move |c| Ok(svc::load(c, &c2, &id2)?)).await?;
    let form = form.into_inner();
    let def = match form.definition(contest.kind, &congress.settings) {
        Ok(def) => def,
        Err(problems) => {
            let sticky = Sticky {
                edit: Some((form, problems)),
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
        .run(move |c| Ok(svc::update(c, &actor, &c2, &id2, &def)))
        .await?;
    match res {
        Ok(_) => Ok(redirect_with(
            &state,
            &format!("/c/{cid}/contests/{id}"),
            true,
            "已保存。",
        )),
        Err(e) => {
            let sticky = Sticky {
                edit: Some((form, form_errors(e)?)),
                ..Sticky::default()
            };
            Ok(unprocessable(
                render(&state, &req, &staff, &congress, &id, sticky).await?,
            ))
        }
    }
}

async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let actor = actor(&staff, &req);
    let c2 = cid.clone();
    state
        .run(move |c| Ok(svc::delete(c, &actor, &c2, &id)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{cid}/contests"),
        true,
        "已删除。",
    ))
}

#[derive(Deserialize)]
pub struct NotHeldForm {
    #[serde(default)]
    pub reason: String,
}

async fn not_held(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<NotHeldForm>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let actor = actor(&staff, &req);
    let (c2, id2, reason) = (cid.clone(), id.clone(), form.into_inner().reason);
    let k = state
        .run(move |c| Ok(svc::not_held(c, &actor, &c2, &id2, &reason)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{cid}/contests/{id}"),
        true,
        format!(
            "已记录: 不举行“{}”，空缺名额 {} 名。",
            k.def.title,
            k.def.seats.unwrap_or(0)
        ),
    ))
}

#[derive(Deserialize)]
pub struct MoveForm {
    pub direction: String,
}

async fn move_contest(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
    form: web::Form<MoveForm>,
) -> WebResult<HttpResponse> {
    let (cid, id) = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    let direction = Direction::parse(&form.direction).ok_or_else(|| {
        WebError::BadRequest(format!("方向应为 up 或 down，现为“{}”", form.direction))
    })?;
    let actor = actor(&staff, &req);
    let c2 = cid.clone();
    state
        .run(move |c| Ok(svc::move_contest(c, &actor, &c2, &id, direction)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{cid}/contests"),
        true,
        "议程顺序已调整。",
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/contests/{id}", web::get().to(show))
        .route("/c/{cid}/contests/{id}/edit", web::post().to(edit))
        .route("/c/{cid}/contests/{id}/delete", web::post().to(delete))
        .route("/c/{cid}/contests/{id}/not-held", web::post().to(not_held))
        .route("/c/{cid}/contests/{id}/move", web::post().to(move_contest));
}
