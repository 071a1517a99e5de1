//! Check-in (签到) and quorum for staff: the live attendance page (应到, 实到, quorum met or
//! not), check-in / check-out by delegate number (scrutineers and the organiser), approved
//! absences, and the organiser's "宣布开会" that starts the session.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::domain::state::CongressState;
use crate::service::attendance;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::routes::account::{page, redirect_with};
use crate::web::routes::home::{actor, congress_ctx, load_congress};
use crate::web::views::{csrf_field, datetime};
use crate::web::AppState;

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let (fig, delegates) = state
        .run(move |c| Ok(attendance::attendance(c, &cid)?))
        .await?;
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let id = &congress.id;
    let owner = staff.user.id == congress.owner_id;
    let body = html! {
        h1 { "签到与法定人数" }
        div.cards {
            div.card { h3 { "应到" } p.big { (fig.expected) } @if fig.absences > 0 { p.muted { "名单 " (fig.roster) " 人, 请假 " (fig.absences) " 人" } } }
            div.card { h3 { "实到" } p.big { (fig.present) } }
            div.card {
                h3 { "法定人数" }
                @if fig.quorum_met { p { span.badge.ok { "已达到" } } } @else { p { span.badge.bad { "未达到" } } }
                p.muted { "实到须" (fig.quorum_rule) "应到, 即至少 " (fig.quorum_needed) " 人" }
                @if fig.absences > 0 {
                    p.muted { @if congress.settings.subtract_approved_absences { "应到已扣除请假 " (fig.absences) " 人 (规则 D1)" } @else { "按规则设置, 请假代表仍计入应到 (规则 D1)" } }
                }
            }
        }
        @if owner && matches!(congress.state, CongressState::RosterFrozen | CongressState::CredentialsIssued) {
            h2 { "请假 (规则 D1)" }
            p.muted { "宣布开会前登记经批准的请假或撤销请假, 均须填写理由并记入操作日志。" }
            form.stack method="post" action={"/c/" (id) "/attendance/absence"} {
                (csrf_field(staff.csrf()))
                label for="absence_no" { "代表编号" }
                input #absence_no type="number" min="1" name="delegate_no" required;
                label for="absence_reason" { "理由" }
                input #absence_reason type="text" name="reason" required maxlength="200";
                div.actions {
                    button type="submit" name="approved" value="1" { "登记请假" }
                    button.secondary type="submit" name="approved" value="0" { "撤销请假" }
                }
            }
        }
        @match congress.state {
            CongressState::CredentialsIssued => {
                p { "代表证已发放。宣布开会后, 代表首次扫码登录即视为签到, 会务人员也可按代表编号签到。" }
                @if owner {
                    form method="post" action={"/c/" (id) "/session/open"} {
                        (csrf_field(staff.csrf()))
                        button type="submit" { "宣布开会, 开始签到" }
                    }
                }
            },
            CongressState::InSession => {
                h2 { "按代表编号签到 / 签退" }
                form.stack method="post" action={"/c/" (id) "/attendance"} {
                    (csrf_field(staff.csrf()))
                    label for="delegate_no" { "代表编号" }
                    input #delegate_no type="number" min="1" name="delegate_no" required autofocus;
                    div.actions {
                        button type="submit" name="present" value="1" { "签到" }
                        button.secondary type="submit" name="present" value="0" { "签退" }
                    }
                }
            },
            _ => {},
        }
        h2 { "代表 (" (delegates.len()) ")" }
        p.muted { "同一张代表证在另一台设备上登录时, 前一台设备的登录立即结束; “换过设备”提示会务人员核实是否本人操作。" }
        table {
            thead { tr { th.num { "编号" } th { "姓名" } th { "学院" } th { "状态" } th { "签到时间" } th.num { "登录次数" } } }
            tbody {
                @for d in &delegates {
                    tr class=(if d.present { "ok" } else { "" }) {
                        td.num { (d.delegate_no) }
                        td { (d.student.name) }
                        td { (d.student.college) }
                        td {
                            @if d.present { "已签到" }
                            @else if d.absence_approved { "请假" @if let Some(r) = &d.absence_reason { " (" (r) ")" } }
                            @else { "未到" }
                        }
                        td { @if let Some(t) = d.checked_in_at { (datetime(t)) } }
                        td.num {
                            (d.session_epoch)
                            // Each login ends the previous device's session: more than one
                            // login means the card was used on another device (or re-scanned).
                            @if d.session_epoch > 1 { " " span.badge.bad title="后一次登录已使前一台设备退出" { "换过设备" } }
                        }
                    }
                }
            }
        }
    };
    Ok(page(&state, &ctx, "签到与法定人数", body))
}

#[derive(Deserialize)]
struct CheckForm {
    delegate_no: String,
    present: String,
}

async fn check(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<CheckForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Scrutinise).await?;
    let no: u32 = form.delegate_no.trim().parse().map_err(|_| {
        WebError::BadRequest(format!("代表编号应为正整数, 现为“{}”", form.delegate_no))
    })?;
    let present = form.present == "1";
    let actor = actor(&staff, &req);
    let cid = congress.id.clone();
    let (d, changed) = state
        .run(move |c| Ok(attendance::set_present(c, &actor, &cid, no, present)?))
        .await?;
    let verb = if present { "签到" } else { "签退" };
    let msg = if changed {
        format!("{} (代表编号 {no}) 已{verb}。", d.student.name)
    } else {
        format!(
            "{} (代表编号 {no}) 此前已{verb}, 未作改动。",
            d.student.name
        )
    };
    Ok(redirect_with(
        &state,
        &format!("/c/{}/attendance", congress.id),
        true,
        msg,
    ))
}

#[derive(Deserialize)]
struct AbsenceForm {
    delegate_no: String,
    approved: String,
    #[serde(default)]
    reason: String,
}

async fn absence(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<AbsenceForm>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let no: u32 = form.delegate_no.trim().parse().map_err(|_| {
        WebError::BadRequest(format!("代表编号应为正整数, 现为“{}”", form.delegate_no))
    })?;
    let approved = form.approved == "1";
    let (actor, cid, reason) = (
        actor(&staff, &req),
        congress.id.clone(),
        form.reason.clone(),
    );
    let (d, changed) = state
        .run(move |c| {
            Ok(attendance::set_absence(
                c, &actor, &cid, no, approved, &reason,
            )?)
        })
        .await?;
    let msg = match (approved, changed) {
        (true, true) => format!("已登记{} (代表编号 {no}) 请假。", d.student.name),
        (false, true) => format!("已撤销{} (代表编号 {no}) 的请假。", d.student.name),
        (true, false) => format!(
            "{} (代表编号 {no}) 此前已登记请假, 未作改动。",
            d.student.name
        ),
        (false, false) => format!(
            "{} (代表编号 {no}) 没有登记请假, 未作改动。",
            d.student.name
        ),
    };
    Ok(redirect_with(
        &state,
        &format!("/c/{}/attendance", congress.id),
        true,
        msg,
    ))
}

async fn open_session(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    let actor = actor(&staff, &req);
    let cid = congress.id.clone();
    state
        .run(move |c| Ok(attendance::open_session(c, &actor, &cid)?))
        .await?;
    Ok(redirect_with(
        &state,
        &format!("/c/{}/attendance", congress.id),
        true,
        "大会已开始, 代表扫码登录即签到。",
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/attendance", web::get().to(show))
        .route("/c/{cid}/attendance", web::post().to(check))
        .route("/c/{cid}/attendance/absence", web::post().to(absence))
        .route("/c/{cid}/session/open", web::post().to(open_session));
}
