//! Check-in (签到) and quorum for staff: the live attendance page (应到, 实到, quorum met or
//! not, and for each delegate how they were checked in: by the card's QR link, by the typed
//! code, or by which staff member; how often the card logged in and was printed), its CSV,
//! check-in / check-out by delegate number (scrutineers and the organiser), approved absences,
//! and the organiser's "宣布开会" that starts the session.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::csv_out::CsvOut;
use crate::domain::ids::CongressId;
use crate::domain::state::CongressState;
use crate::packet::chart;
use crate::service::attendance;
use crate::service::delegate_filter::{apply, DelegateFilter, ListKind};
use crate::storage::repo::card_events::{self, CardEvent, EventKind};
use crate::storage::repo::roster::Delegate;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{ask, confirmed};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, attachment, congress_ctx, load_congress, page, redirect_with};
use crate::web::routes::confirm::href as confirm_href;
use crate::web::views::card_use;
use crate::web::views::delegate_filter::{filter_form, summary, FilterQuery};
use crate::web::views::{csrf_field, datetime};
use crate::web::AppState;

/// What the scrutineers see of one delegate's card.
struct CardUse {
    /// How the current check-in was made ("扫码", "登录码", "人工: jianpiao").
    check_in: Option<String>,
    logins: usize,
    /// Prints since the card's last reissue.
    prints: usize,
    reissued: bool,
}

fn card_use_of(events: &[&CardEvent]) -> CardUse {
    let owned: Vec<CardEvent> = events.iter().map(|e| (*e).clone()).collect();
    let reissued_at = events
        .iter()
        .filter(|e| e.kind == EventKind::Reissue)
        .map(|e| e.at)
        .max();
    CardUse {
        check_in: card_use::current_check_in(&owned).map(card_use::check_in_means),
        logins: events.iter().filter(|e| e.kind == EventKind::Login).count(),
        prints: events
            .iter()
            .filter(|e| e.kind == EventKind::Print && reissued_at.is_none_or(|r| e.at >= r))
            .count(),
        reissued: reissued_at.is_some(),
    }
}

/// The roster with presence and each delegate's card use.
async fn roll_call(
    state: &AppState,
    cid: &CongressId,
) -> WebResult<(attendance::Attendance, Vec<(Delegate, CardUse)>)> {
    let cid = cid.clone();
    let (fig, delegates, events) = state
        .run(move |c| {
            let (fig, delegates) = attendance::attendance(c, &cid)?;
            Ok((fig, delegates, card_events::of_congress(c, &cid)?))
        })
        .await?;
    let mut by_delegate: HashMap<&str, Vec<&CardEvent>> = HashMap::new();
    for e in &events {
        by_delegate.entry(&e.delegate_id).or_default().push(e);
    }
    let rows = delegates
        .into_iter()
        .map(|d| {
            let u = card_use_of(by_delegate.get(d.id.as_str()).map_or(&[][..], |v| v));
            (d, u)
        })
        .collect();
    Ok((fig, rows))
}

/// 实到 against 应到 for the congress (with the quorum) and per college (issue 14.6).
fn attendance_picture(
    fig: &attendance::Attendance,
    colleges: &[attendance::CollegeAttendance],
) -> maud::Markup {
    let total = chart::Presence {
        label: "全体代表".to_string(),
        present: fig.present,
        expected: fig.expected,
    };
    let rows: Vec<chart::Presence> = colleges
        .iter()
        .map(|c| chart::Presence {
            label: c.college.clone(),
            present: c.present,
            expected: c.expected,
        })
        .collect();
    chart::attendance(&total, &rows, fig.quorum_needed)
}

fn status(d: &Delegate) -> &'static str {
    if d.present {
        "已签到"
    } else if d.absence_approved {
        "请假"
    } else {
        "未到"
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    query: web::Query<FilterQuery>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let filter =
        DelegateFilter::parse(&query.raw(), ListKind::Attendance).map_err(WebError::BadRequest)?;
    let (fig, delegates) = roll_call(&state, &congress.id).await?;
    let colleges = attendance::by_college(delegates.iter().map(|(d, _)| d), &congress.settings);
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    let id = &congress.id;
    let base = format!("/c/{id}/attendance");
    let out = apply(delegates, |(d, _)| d, &filter);
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
        @if fig.roster > 0 {
            figure.chart { figcaption { "各学院签到情况" } (attendance_picture(&fig, &colleges)) }
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
        h2 #delegates { "代表 (" (out.total) ")" }
        p.muted {
            "“签到方式”: 扫码 (代表证二维码)、登录码 (手输代表证上的登录码) 或人工 (会务人员姓名)。"
            "同一张代表证在另一台设备上登录时, 前一台设备的登录立即结束; “换过设备”“重印”提示核实是否本人操作。 "
            a href={"/c/" (id) "/attendance.csv"} { "下载签到表(CSV)" }
            " · " a href={"/c/" (id) "/attendance.xlsx"} { "打印用签到表(Excel, 含签名栏)" }
        }
        (filter_form(&base, ListKind::Attendance, &query, &out.colleges))
        (summary(&base, &query, &filter, &out))
        @if !out.rows.is_empty() { div.scroll {
            table.nowrap {
                thead { tr { th.num { "编号" } th { "姓名" } th { "学院" } th { "状态" } th { "签到时间" } th { "签到方式" } th.num { "登录次数" } th.num { "打印次数" } } }
                tbody {
                    @for (d, u) in &out.rows {
                        tr class=(if d.present { "ok" } else { "" }) {
                            td.num { (d.delegate_no) }
                            td { (d.student.name) }
                            td { (d.student.college) }
                            td {
                                (status(d))
                                @if !d.present && d.absence_approved { @if let Some(r) = &d.absence_reason { " (" (r) ")" } }
                            }
                            td { @if let Some(t) = d.checked_in_at { (datetime(t)) } }
                            td { @if d.present { (u.check_in.as_deref().unwrap_or("—")) } }
                            td.num {
                                (u.logins)
                                // Each login ends the previous device's session: more than one
                                // login means the card was used on another device (or re-scanned).
                                @if u.logins > 1 { " " span.badge.bad title="后一次登录已使前一台设备退出" { "换过设备" } }
                            }
                            td.num {
                                (u.prints)
                                @if u.prints > 1 { " " span.badge.bad title="同一张代表证打印过不止一次" { "重印" } }
                                @if u.reissued { " " span.badge title="代表证补发过, 旧证已作废" { "补发" } }
                            }
                        }
                    }
                }
            }
        } }
    };
    Ok(page(&state, &ctx, "签到与法定人数", body))
}

/// The attendance table as CSV (签到表): number, name, college, status, time and means of
/// check-in, logins, prints.
async fn download(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let (_, delegates) = roll_call(&state, &congress.id).await?;
    let mut w = CsvOut::new();
    let header = [
        "代表编号",
        "姓名",
        "学院",
        "状态",
        "签到时间",
        "签到方式",
        "登录次数",
        "打印次数",
    ];
    w.row(header).map_err(WebError::internal)?;
    for (d, u) in &delegates {
        w.row([
            d.delegate_no.to_string(),
            d.student.name.clone(),
            d.student.college.clone(),
            status(d).to_string(),
            d.checked_in_at
                .map(crate::packet::report::datetime)
                .unwrap_or_default(),
            if d.present {
                u.check_in.clone().unwrap_or_default()
            } else {
                String::new()
            },
            u.logins.to_string(),
            u.prints.to_string(),
        ])
        .map_err(WebError::internal)?;
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(
            &format!("attendance-{}.csv", congress.id),
            &format!("签到表-{}.csv", congress.name),
        ))
        .body(w.finish().map_err(WebError::internal)?))
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
    path: web::Path<CongressId>,
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
    path: web::Path<CongressId>,
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
    path: web::Path<CongressId>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Own).await?;
    if !confirmed(&req, &body) {
        return Ok(ask(&confirm_href(
            congress.id.as_str(),
            "session-open",
            None,
        )));
    }
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
        .route("/c/{cid}/attendance.csv", web::get().to(download))
        .route("/c/{cid}/attendance", web::post().to(check))
        .route("/c/{cid}/attendance/absence", web::post().to(absence))
        .route("/c/{cid}/session/open", web::post().to(open_session));
}
