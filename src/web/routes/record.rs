//! The certified record from the organiser's side (rules G2, G3): closing the congress once
//! every contest is counted, certifying (signing) the record, recording the Party committee's
//! approval and the filing as signed addenda, and the record's facts and downloads (in
//! `record_files`: record.json, record.sig, the filing packet and the printable form).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::contest::Contest;
use crate::domain::ids::CongressId;
use crate::domain::state::CongressState;
use crate::packet::format::{Addendum, Record};
use crate::packet::report::{zh_date, zh_datetime};
use crate::service::record::{self, AddendumInput};
use crate::service::results;
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::records;
use crate::web::auth::{Need, Staff};
use crate::web::confirm::{ask, confirmed};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{actor, congress_ctx, load_congress, owner_signing, page, redirect_with};
use crate::web::routes::confirm::href as confirm_href;
use crate::web::views::csrf_field;
use crate::web::views::results::{outcome_line, state_badge};
use crate::web::AppState;

/// What the record page shows of a signed record.
struct Signed {
    record: Record,
    hash: String,
    addenda: Vec<(Addendum, String)>,
}

fn back(cid: &str) -> String {
    format!("/c/{cid}/record")
}

/// "党委批准" / "备案".
fn addendum_zh(kind: &str) -> &'static str {
    match kind {
        "approval" => "党委批准",
        "filing" => "备案",
        _ => "附件",
    }
}

fn contests_table(cid: &str, contests: &[Contest]) -> WebResult<Markup> {
    let mut rows = Vec::new();
    for k in contests {
        let outcome = match results::result(k)? {
            Some(r) => outcome_line(&r),
            None => "—".to_string(),
        };
        rows.push((k, outcome));
    }
    Ok(html! {
        table.contests {
            thead { tr { th.num { "议程" } th { "事项" } th { "状态" } th { "结果" } } }
            tbody {
                @for (k, outcome) in &rows {
                    tr {
                        td.num { (k.agenda_order) }
                        td { a href={"/c/" (cid) "/contests/" (k.id) "/voting"} { (k.def.title) } }
                        td { (state_badge(k.state)) }
                        td { (outcome) }
                    }
                }
            }
        }
    })
}

fn close_form(cid: &str, csrf: &str, contests: &[Contest]) -> Markup {
    let running: Vec<&Contest> = contests
        .iter()
        .filter(|k| k.state.awaiting_count())
        .collect();
    let drafts: Vec<&Contest> = contests.iter().filter(|k| !k.state.has_opened()).collect();
    html! {
        h2 { "大会闭幕" }
        @if !running.is_empty() {
            p.error { "以下事项尚未完成计票, 完成后才能闭幕: "
                (running.iter().map(|k| format!("“{}”{}", k.def.title, k.state.zh())).collect::<Vec<_>>().join("、")) }
        } @else {
            @if !drafts.is_empty() {
                p { "以下事项没有进行投票, 闭幕后不再进行, 也不写入结果报告: "
                    (drafts.iter().map(|k| format!("“{}”", k.def.title)).collect::<Vec<_>>().join("、")) }
            }
            form method="post" action={"/c/" (cid) "/close"} {
                (csrf_field(csrf))
                button.danger type="submit" { "宣布大会闭幕" }
            }
        }
    }
}

/// The approval and filing forms: the first of each, or a correction (with its reason) once
/// recorded; the filing only after the approval (rule G3).
fn addendum_forms(cid: &str, csrf: &str, state: CongressState, done: &[&str]) -> Markup {
    let approved = done.contains(&"approval");
    let filed = done.contains(&"filing");
    let today = crate::service::addenda::today_cst().to_string();
    let reason = |id: &str| {
        html! {
            label for=(id) { "更正理由 (已登记的内容不修改, 更正作为新的签名附件登记)" }
            textarea id=(id) name="reason" rows="2" maxlength="500" required {}
        }
    };
    html! {
        h3 { @if approved { "更正党委批准" } @else { "登记党委批准" } }
        form.stack method="post" action={"/c/" (cid) "/record/addenda"} {
            (csrf_field(csrf))
            input type="hidden" name="kind" value="approval";
            label for="a-body" { "批准机关 (同级党委)" }
            input #a-body type="text" name="body" required;
            label for="a-ref" { "文号" }
            input #a-ref type="text" name="reference" required;
            label for="a-date" { "批准日期 (不晚于今天)" }
            input #a-date type="date" name="date" max=(today) required;
            @if approved { (reason("a-reason")) }
            div.actions { button type="submit" { @if approved { "登记更正" } @else { "登记党委批准" } } }
        }
        @if !approved {
            p.muted { "备案须在登记党委批准之后 (规则 G3)。" }
        } @else if state == CongressState::Certified || filed {
            h3 { @if filed { "更正备案" } @else { "登记备案" } }
            form.stack method="post" action={"/c/" (cid) "/record/addenda"} {
                (csrf_field(csrf))
                input type="hidden" name="kind" value="filing";
                label for="f-body" { "备案机关 (上级学联、学生会组织或团委)" }
                input #f-body type="text" name="body" required;
                label for="f-date" { "备案日期 (不早于批准日期, 不晚于今天)" }
                input #f-date type="date" name="date" max=(today) required;
                @if filed { (reason("f-reason")) }
                div.actions { button type="submit" { @if filed { "登记更正" } @else { "登记备案" } } }
            }
        }
    }
}

fn signed_section(cid: &str, s: &Signed) -> Markup {
    html! {
        h2 { "已签署的选举结果报告" }
        dl.facts {
            dt { "签署时间" } dd { (zh_datetime(&s.record.signed_at)) }
            dt { "数字指纹 (record.json 的 SHA-256)" } dd { code { (s.hash) } }
            dt { "签名公钥指纹" } dd { code { (s.record.key_fingerprint) } }
            dt { "写入的事项" } dd { (s.record.contests.len()) " 项" }
            dt { "监票计票人员" } dd {
                (s.record.scrutineers.iter().map(|x| format!("{} {}", x.role_zh, x.name)).collect::<Vec<_>>().join("、"))
            }
        }
        div.actions {
            a.button href={"/c/" (cid) "/record/print"} { "打印结果报告单" }
            a.button.secondary href={"/c/" (cid) "/record/record.json"} { "record.json" }
            a.button.secondary href={"/c/" (cid) "/record/record.sig"} { "record.sig" }
            a.button.secondary href={"/c/" (cid) "/record/packet.zip"} { "备案材料 (zip)" }
            a.button.secondary href={"/c/" (cid) "/self-assessment"} { "学代会自评表" }
        }
        p.muted { "结果报告签署后不再改变; 党委批准和备案作为单独签名的附件登记, 引用报告的数字指纹。" }
        h2 { "党委批准与备案" }
        @if s.addenda.is_empty() {
            p.muted { "尚未登记。" }
        } @else {
            table.addenda {
                thead { tr { th { "类别" } th { "机关" } th { "文号" } th { "日期" } th { "登记时间" } th { "所引用报告指纹" } th { "更正" } } }
                tbody {
                    @for (a, _) in &s.addenda {
                        tr {
                            td { (addendum_zh(&a.kind)) }
                            td { (a.body) }
                            td { (a.reference.as_deref().unwrap_or("—")) }
                            td { (zh_date(&a.date)) }
                            td { (zh_datetime(&a.recorded_at)) }
                            td { code { (&a.record_sha256[..16.min(a.record_sha256.len())]) "…" } }
                            td { @if let Some(r) = &a.reason { "更正前一份登记, 理由: " (r) } @else { "—" } }
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
    let cid = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    let c2 = cid.clone();
    let (contests, signed) = state
        .run(move |c| {
            let contests = contests_repo::list(c, &c2)?;
            let signed = match record::stored(c, &c2)? {
                None => None,
                Some((row, s)) => {
                    let record: Record =
                        serde_json::from_slice(&s.bytes).map_err(WebError::internal)?;
                    let mut addenda = Vec::new();
                    for a in records::addenda(c, &c2)? {
                        let parsed: Addendum =
                            serde_json::from_str(&a.body_json).map_err(WebError::internal)?;
                        addenda.push((parsed, a.sig));
                    }
                    Some(Signed {
                        record,
                        hash: row.record_hash,
                        addenda,
                    })
                }
            };
            Ok((contests, signed))
        })
        .await?;
    let owner = staff.user.id == congress.owner_id;
    let csrf = staff.csrf();
    let body = html! {
        h1 { "选举结果报告" }
        p { "大会状态: " span.badge { (congress.state.zh()) } " · " a href={"/b/" (cid)} { "公示页面" } " · " a href={"/b/" (cid) "/screen"} { "大屏" } }
        h2 { "选举与表决事项" }
        (contests_table(cid.as_str(), &contests)?)
        @if owner && congress.state == CongressState::InSession {
            (close_form(cid.as_str(), csrf, &contests))
        }
        @if congress.state == CongressState::Closed {
            h2 { "签署选举结果报告" }
            p { "签署时, 系统以本大会的密钥 (Ed25519) 对结果报告签名, 其中包括每项选举和表决的票数、结果、公示的默克尔根、监票计票人员和代表名单构成。签署后报告不能再修改。" }
            p { a.button.secondary href={"/c/" (cid) "/record/preview"} { "预览结果报告单" } " 签署前请与监票人一起核对预览。" }
            @if owner {
                form method="post" action={"/c/" (cid) "/record/certify"} {
                    (csrf_field(csrf))
                    button type="submit" { "签署选举结果报告" }
                }
            } @else {
                p.muted { "由大会组织者签署。" }
            }
        }
        @if let Some(s) = &signed {
            (signed_section(cid.as_str(), s))
            @if owner {
                (addendum_forms(cid.as_str(), csrf, congress.state, &s.addenda.iter().map(|(a, _)| a.kind.as_str()).collect::<Vec<_>>()))
            }
        }
    };
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    Ok(page(&state, &ctx, "选举结果报告", body))
}

async fn close(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Own).await?;
    if !confirmed(&req, &body) {
        return Ok(ask(&confirm_href(cid.as_str(), "congress-close", None)));
    }
    let who = actor(&staff, &req);
    let c2 = cid.clone();
    state
        .run(move |c| Ok(results::close_congress(c, &who, &c2)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        "大会已闭幕。下一步: 签署选举结果报告。",
    ))
}

async fn certify(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    body: web::Bytes,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Own).await?;
    if !confirmed(&req, &body) {
        return Ok(ask(&confirm_href(cid.as_str(), "record-certify", None)));
    }
    let record = state.certify(&congress.id, actor(&staff, &req)).await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        format!(
            "选举结果报告已签署 ({} 项), 签署时间 {}。",
            record.contests.len(),
            record.signed_at
        ),
    ))
}

#[derive(Deserialize)]
struct AddendumForm {
    kind: String,
    body: String,
    reference: Option<String>,
    date: String,
    #[serde(default)]
    reason: Option<String>,
}

async fn add_addendum(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
    form: web::Form<AddendumForm>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    let (key, who) = owner_signing(&state, &staff, &req, &cid).await?;
    let form = form.into_inner();
    let input = AddendumInput {
        kind: form.kind,
        body: form.body,
        reference: form.reference,
        date: form.date,
        reason: form.reason,
    };
    let c2 = cid.clone();
    let added = state
        .run(move |c| Ok(record::add_addendum(c, &who, &c2, &key, &input)?))
        .await?;
    Ok(redirect_with(
        &state,
        &back(cid.as_str()),
        true,
        format!(
            "已登记{}: {} ({})。",
            addendum_zh(&added.kind),
            added.body,
            added.date
        ),
    ))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/record", web::get().to(show))
        .route("/c/{cid}/close", web::post().to(close))
        .route("/c/{cid}/record/certify", web::post().to(certify))
        .route("/c/{cid}/record/addenda", web::post().to(add_addendum));
}
