//! The .xlsx downloads for the offices that work in Excel (issue 14.8), each beside its CSV and
//! under the same authorisation: the quota table, the roster with 代表编号, the printable
//! sign-in sheet (签到表, with a blank 签名 column), a contest's roll (who took a paper,
//! never anything that links a delegate to a ballot: rule E1), a contest's results, and the
//! import templates. Every workbook is written by `packet::xlsx` (text IDs, guarded formula
//! cells, frozen bold header, A4 fitted to the page width).
//!
//! URL map: `GET /c/{cid}/quota.xlsx` · `GET /c/{cid}/roster.xlsx` ·
//! `GET /c/{cid}/attendance.xlsx` · `GET /c/{cid}/contests/{kid}/roll.xlsx` ·
//! `GET /b/{cid}/{kid}/result.xlsx` · `GET /templates/{name}.xlsx`.

use actix_web::{web, HttpResponse};

use crate::domain::ids::{CongressId, ContestId};
use crate::domain::tally::{ContestDetail, ContestResult};
use crate::import::{read_table, FileKind};
use crate::packet::review_xlsx;
use crate::packet::xlsx::{self, Cell, Sheet};
use crate::service::{self, attendance, publish, results};
use crate::storage::repo::roster as roster_repo;
use crate::storage::repo::voting as voting_repo;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::{attachment, load_congress};
use crate::web::routes::assets::IMPORT_TEMPLATES;
use crate::web::AppState;

fn respond(sheets: &[Sheet], ascii: &str, zh: &str) -> WebResult<HttpResponse> {
    let bytes = xlsx::workbook(sheets).map_err(WebError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(xlsx::CONTENT_TYPE)
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(attachment(ascii, zh))
        .body(bytes))
}

/// The quota table: the CSV's columns and its 合计 row, numbers as numbers.
async fn quota(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let a = state
        .run(move |c| Ok(service::roster::quota(c, &cid)?))
        .await?;
    let mut s = Sheet::new(
        "名额分配",
        &[
            "学院",
            "在校生人数",
            "按比例应得(精确值)",
            "最低名额(A1)",
            "分配名额",
            "说明",
        ],
    );
    s.title = Some(format!("{} 名额分配表", congress.name));
    for c in &a.colleges {
        s.row([
            Cell::from(&c.college),
            Cell::from(c.enrolment),
            Cell::Number((c.share * 10_000.0).round() / 10_000.0),
            Cell::from(c.minimum),
            Cell::from(c.quota),
            Cell::from(&c.explanation),
        ]);
    }
    let share: f64 = a.colleges.iter().map(|c| c.share).sum();
    s.row([
        Cell::from("合计"),
        Cell::from(a.enrolment),
        Cell::Number((share * 10_000.0).round() / 10_000.0),
        Cell::from(a.sum_of_minimums),
        Cell::from(a.total),
        Cell::from(format!(
            "分配方法: {}; 全体代表最低人数(A2): {}; 并列规则: {}",
            a.method.zh(),
            a.congress_minimum,
            a.tie_break
        )),
    ]);
    respond(
        &[s],
        &format!("quota-{}.xlsx", congress.id),
        &format!("名额分配-{}.xlsx", congress.name),
    )
}

/// The roster: 代表编号, then the roster template's columns, headers in the first row (so the
/// file imports back as a roster).
async fn roster(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let delegates = state
        .run(move |c| Ok(roster_repo::delegates(c, &cid)?))
        .await?;
    let mut headers = vec!["代表编号"];
    headers.extend(FileKind::Roster.headers());
    let mut s = Sheet::new("代表名单", &headers);
    // No title row: the file imports back as a roster (代表编号 is a column the importer
    // ignores); the congress's name is printed at the top of each page instead.
    s.page_header = Some(format!("{} 代表名单", congress.name));
    for d in &delegates {
        let mut row = vec![Cell::Text(d.delegate_no.to_string())];
        row.extend(crate::import::roster_row(&d.student, d.kind).map(Cell::from));
        s.row(row);
    }
    respond(
        &[s],
        &format!("roster-{}.xlsx", congress.id),
        &format!("代表名单-{}.xlsx", congress.name),
    )
}

/// The sign-in sheet (签到表) to print and lay on the desk: one row per delegate with a blank
/// 签名 cell tall enough to sign in; 备注 says who is on approved leave or already checked in.
async fn sign_in(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let (_, delegates) = state
        .run(move |c| Ok(attendance::attendance(c, &cid)?))
        .await?;
    let mut s = Sheet::new(
        "签到表",
        &["代表编号", "姓名", "学院", "代表类别", "签名", "备注"],
    );
    s.title = Some(format!("{} 代表签到表", congress.name));
    s.row_height = Some(26.0);
    s.min_widths = vec![("签名".into(), 22.0), ("备注".into(), 14.0)];
    for d in &delegates {
        let note = if d.absence_approved {
            "请假".to_string()
        } else if d.present {
            match d.checked_in_at {
                Some(t) => format!("已签到 {}", crate::packet::report::datetime(t)),
                None => "已签到".to_string(),
            }
        } else {
            String::new()
        };
        s.row([
            Cell::Text(d.delegate_no.to_string()),
            Cell::from(&d.student.name),
            Cell::from(&d.student.college),
            Cell::from(d.kind.zh()),
            Cell::Blank,
            Cell::from(note),
        ]);
    }
    s.notes = vec![format!(
        "应到 {} 人。会务人员核对: ____________    监票人: ____________",
        delegates.len()
    )];
    respond(
        &[s],
        &format!("sign-in-{}.xlsx", congress.id),
        &format!("签到表-{}.xlsx", congress.name),
    )
}

/// A contest's roll: who took a ballot paper (phone or paper), by 代表编号, and the figures.
/// Nothing in it (order included: by 代表编号) says which ballot was whose.
async fn roll(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let congress = load_congress(&state, &staff, &cid, Need::Read).await?;
    let (contest, rows, cast) = state
        .run(move |c| {
            let (contest, rows) = publish::roll(c, &cid, &kid)?;
            let cast = voting_repo::ballot_count(c, &kid)?;
            Ok((contest, rows, cast))
        })
        .await?;
    let mut s = Sheet::new("投票人名单", &["代表编号", "姓名", "学院"]);
    s.title = Some(format!(
        "{} · {} · 投票人名单",
        congress.name, contest.def.title
    ));
    let mut rows = rows;
    rows.sort_by_key(|(no, _, _)| *no);
    for (no, name, college) in &rows {
        s.row([
            Cell::Text(no.to_string()),
            Cell::from(name),
            Cell::from(college),
        ]);
    }
    s.notes = vec![
        format!(
            "发出选票 (开始投票时实到): {}; 领票人 (手机或纸质): {}; 收回选票: {}",
            contest.issued.unwrap_or(0),
            rows.len(),
            cast
        ),
        "名单只记录谁领取了选票, 与任何一张选票都没有关联 (无记名投票, 规则 E1)。".into(),
    ];
    respond(
        &[s],
        &format!("roll-{}.xlsx", contest.id),
        &format!("投票人名单-{}.xlsx", contest.def.title),
    )
}

/// A final contest's results, as the CSV has them; a 述职评议 keeps its own two-sheet workbook.
/// When a 评议会 counts its participants apart (rule I7), their tally is in sheets of its own
/// (named 列席评议人员..., titled "列席评议人员 (分开计票, 不计入结果)"), after the result's.
async fn result(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let (congress, contest, participants) = state
        .run(move |c| {
            let congress = service::congress::load(c, &cid)?;
            let contest = publish::final_contest(c, &cid, &kid)?;
            let participants = results::participant_result(c, &kid)?.map(|(_, r)| r);
            Ok((congress, contest, participants))
        })
        .await?;
    let r = results::result(&contest)?.ok_or_else(|| {
        WebError::internal(format!("contest {} is final without a result", contest.id))
    })?;
    if let ContestDetail::Review(rv) = &r.detail {
        let apart = participants.as_ref().and_then(|p| match &p.detail {
            ContestDetail::Review(prv) => Some(prv),
            _ => None,
        });
        let bytes =
            review_xlsx::workbook(&contest.def.title, rv, apart).map_err(WebError::internal)?;
        return Ok(HttpResponse::Ok()
            .content_type(xlsx::CONTENT_TYPE)
            .insert_header(attachment(
                &format!("review-{}.xlsx", contest.id),
                &format!("述职评议结果-{}.xlsx", contest.def.title),
            ))
            .body(bytes));
    }
    let title = format!("{} · {} · 计票结果", congress.name, contest.def.title);
    let mut sheets = vec![tally_sheet("计票结果", title, &contest.def.title, &r)];
    if let Some(p) = &participants {
        let mut s = tally_sheet(
            APART_SHEET,
            format!(
                "{} · {} · {}",
                congress.name,
                contest.def.title,
                crate::domain::term::APART_LABEL
            ),
            &contest.def.title,
            p,
        );
        s.notes.insert(0, format!("列席人员: {}", p.roster));
        s.notes.push(
            "列席评议人员的选票单独统计, 本表结果不计入本项结果, 列席人员也不计入应到、实到和法定人数 (规则I7)。"
                .into(),
        );
        sheets.push(s);
    }
    respond(
        &sheets,
        &format!("result-{}.xlsx", contest.id),
        &format!("计票结果-{}.xlsx", contest.def.title),
    )
}

/// The sheet name of the participants' apart tally (rule I7).
pub const APART_SHEET: &str = "列席评议人员(分开计票)";

/// An election's or a motion's tally as a sheet: one row per candidate and write-in name (or
/// the motion's row), the figures and the rule under it.
fn tally_sheet(name: &str, title: String, contest_title: &str, r: &ContestResult) -> Sheet {
    let mut s = match &r.detail {
        ContestDetail::Election(el) => {
            let mut s = Sheet::new(name, &["姓名", "类别", "赞成", "不赞成", "弃权", "结果"]);
            for c in &el.candidates {
                s.row([
                    Cell::from(&c.name),
                    Cell::from("候选人"),
                    Cell::from(c.votes.for_votes),
                    Cell::from(c.votes.against),
                    Cell::from(c.votes.abstain),
                    Cell::from(c.status.zh()),
                ]);
            }
            for x in &el.write_ins {
                s.row([
                    Cell::from(&x.name),
                    Cell::from("另选他人"),
                    Cell::from(x.for_votes),
                    Cell::Blank,
                    Cell::Blank,
                    Cell::from(x.status.zh()),
                ]);
            }
            s
        }
        ContestDetail::Motion(m) => {
            let mut s = Sheet::new(name, &["表决事项", "赞成", "反对", "弃权", "结果"]);
            s.row([
                Cell::from(contest_title),
                Cell::from(m.votes.for_votes),
                Cell::from(m.votes.against),
                Cell::from(m.votes.abstain),
                Cell::from(if m.passed { "通过" } else { "未通过" }),
            ]);
            s
        }
        // A review has its own workbook (`review_xlsx`); its rows are never laid out here.
        ContestDetail::Review(_) => Sheet::new(name, &["述职评议"]),
    };
    s.title = Some(title);
    s.notes = vec![
        format!(
            "发出选票: {}; 收回选票: {}; 有效票: {}; 废票: {}",
            r.issued, r.cast, r.valid, r.invalid
        ),
        format!("规则: {}", r.threshold.text),
    ];
    s
}

/// The importer's kind of file for a template's name.
fn template_kind(name: &str) -> Option<FileKind> {
    match name {
        "enrolment" => Some(FileKind::Enrolment),
        "nominees" => Some(FileKind::Nominees),
        "societies" => Some(FileKind::Societies),
        "roster" => Some(FileKind::Roster),
        "candidates" => Some(FileKind::Candidates),
        _ => None,
    }
}

/// An import template as a workbook: the importer's own columns (`FileKind::headers`, so it
/// cannot drift from what is read) and the CSV template's sample row under them, 学号 as text.
pub fn template_workbook(name: &str) -> Result<(String, Vec<u8>), WebError> {
    let missing = || WebError::NotFound(format!("没有名为 {name} 的模板"));
    let kind = template_kind(name).ok_or_else(missing)?;
    let (_, zh, csv) = IMPORT_TEMPLATES
        .iter()
        .find(|(k, _, _)| *k == name)
        .ok_or_else(missing)?;
    let sample = read_table(&format!("{name}.csv"), csv)
        .map_err(|e| WebError::internal(format!("template {name}.csv: {e:?}")))?;
    let headers = kind.headers();
    let mut s = Sheet::new(zh, &headers);
    for row in &sample.rows {
        s.row(headers.iter().map(|h| {
            let at = sample.headers.iter().position(|x| x == h);
            match at.and_then(|i| row.cells.get(i)) {
                Some(v) => Cell::Text(v.clone()),
                None => Cell::Blank,
            }
        }));
    }
    let bytes = xlsx::workbook(&[s]).map_err(WebError::internal)?;
    Ok((zh.to_string(), bytes))
}

async fn template(name: web::Path<String>) -> WebResult<HttpResponse> {
    let (zh, bytes) = template_workbook(&name)?;
    Ok(HttpResponse::Ok()
        .content_type(xlsx::CONTENT_TYPE)
        .insert_header(attachment(&format!("{name}.xlsx"), &format!("{zh}.xlsx")))
        .body(bytes))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/quota.xlsx", web::get().to(quota))
        .route("/c/{cid}/roster.xlsx", web::get().to(roster))
        .route("/c/{cid}/attendance.xlsx", web::get().to(sign_in))
        .route("/c/{cid}/contests/{kid}/roll.xlsx", web::get().to(roll))
        .route("/b/{cid}/{kid}/result.xlsx", web::get().to(result))
        .route("/templates/{name}.xlsx", web::get().to(template));
}
