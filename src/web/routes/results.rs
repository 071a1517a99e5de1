//! Announcing results (当场公布, rule G1): a counted contest's results page (per candidate
//! 赞成 / 不赞成 / 弃权, the elected in order, the rule, base, threshold and votes, the invalid
//! ballots and the proposed further rounds) and the projector view of the whole congress
//! (大屏: attendance and quorum, each contest's state, results as they are counted, drawn by
//! `views::screen`), which `static/screen.js` refreshes in place every few seconds and which
//! reloads itself every 10 seconds without script, and the results as CSV (for the report the
//! organisers write; write-in names come from the delegates, so its cells go through
//! `csv_out`). All are public and carry no personal data beyond the candidates' names.

use actix_web::{web, HttpResponse};
use maud::html;

use crate::csv_out::CsvOut;
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::tally::{ContestDetail, ContestResult};
use crate::service::{self, attendance, publish, results};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::voting as voting_repo;
use crate::web::error::{WebError, WebResult};
use crate::web::page::{attachment, public_page};
use crate::web::routes::board::kind_label;
use crate::web::views::results::{apart, full, state_badge};
use crate::web::views::screen;
use crate::web::views::PublicPage;
use crate::web::AppState;

/// Seconds between the projector's reloads.
pub const SCREEN_REFRESH_SECONDS: u32 = 10;

async fn result(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let (c2, k2) = (cid.clone(), kid.clone());
    let (congress, contest, rounds, participants) = state
        .run(move |c| {
            let congress = service::congress::load(c, &c2)?;
            let contest = publish::final_contest(c, &c2, &k2)?;
            let rounds: Vec<_> = contests_repo::list(c, &c2)?
                .into_iter()
                .filter(|r| r.parent_id.as_ref().map(ContestId::as_str) == Some(k2.as_str()))
                .collect();
            let participants = results::participant_result(c, &k2)?.map(|(_, r)| r);
            Ok((congress, contest, rounds, participants))
        })
        .await?;
    let r = results::result(&contest)?
        .ok_or_else(|| WebError::internal(format!("contest {kid} is final without a result")))?;
    let body = html! {
        h1 { (contest.def.title) " · 计票结果" }
        p {
            (kind_label(&contest)) " · " (state_badge(contest.state))
            @if let Some(seats) = contest.def.seats { " · 应选 " (seats) " 名" }
            " · " a href={"/b/" (cid) "/" (kid)} { "选票公示" }
            " · " a href={"/b/" (cid) "/" (kid) "/result.csv"} { "下载计票结果(CSV)" }
            @if matches!(r.detail, ContestDetail::Review(_)) {
                " · " a href={"/b/" (cid) "/" (kid) "/result.xlsx"} { "下载评议结果(Excel)" }
            } @else {
                " · " a href={"/b/" (cid) "/" (kid) "/result.xlsx"} { "下载计票结果(Excel)" }
            }
            @if matches!(r.detail, ContestDetail::Review(_)) {
                " · " a href={"/b/" (cid) "/" (kid) "/result/print"} { "打印公示表" }
            }
        }
        @if !contest.def.body.trim().is_empty() { p.muted { (contest.def.body) } }
        (crate::packet::chart::result::contest(&r))
        (full(&r))
        @if let Some(p) = &participants { (apart(p)) }
        @if !rounds.is_empty() {
            h2 { "据此提出的下一轮投票" }
            ul {
                @for k in &rounds {
                    li {
                        (k.def.title) " · " (state_badge(k.state))
                        @if k.state.is_counted() {
                            " · " a href={"/b/" (cid) "/" (k.id) "/result"} { "计票结果" }
                        }
                    }
                }
            }
        }
    };
    let page = PublicPage {
        title: &contest.def.title,
        congress: Some((cid.as_str(), &congress.name)),
        fingerprint: congress.key_fingerprint.as_deref(),
        ..PublicPage::default()
    };
    Ok(public_page(&page, body))
}

/// A final contest's results as CSV: one row per candidate and write-in name (赞成 / 不赞成 /
/// 弃权, outcome), or the motion's row, then the totals; when a 评议会 counts its participants
/// apart (rule I7), their tally follows in a block of its own under a row titled
/// "列席评议人员 (分开计票, 不计入结果)", in the same columns.
async fn result_csv(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let (contest, participants) = state
        .run(move |c| {
            let contest = publish::final_contest(c, &cid, &kid)?;
            let participants = results::participant_result(c, &kid)?.map(|(_, r)| r);
            Ok((contest, participants))
        })
        .await?;
    let r = results::result(&contest)?.ok_or_else(|| {
        WebError::internal(format!("contest {} is final without a result", contest.id))
    })?;
    let mut w = CsvOut::new();
    let e = WebError::internal;
    tally_csv(&mut w, &contest.def.title, &r, false).map_err(e)?;
    if let Some(p) = &participants {
        w.row([String::new()]).map_err(e)?;
        w.row([crate::domain::term::APART_LABEL.to_string()])
            .map_err(e)?;
        w.row([
            "列席评议人员的选票单独统计, 以下结果不计入本项结果, 列席人员也不计入应到、实到和法定人数 (规则I7)".to_string(),
        ])
        .map_err(e)?;
        tally_csv(&mut w, &contest.def.title, p, true).map_err(e)?;
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(
            &format!("result-{}.csv", contest.id),
            &format!("计票结果-{}.csv", contest.def.title),
        ))
        .body(w.finish().map_err(e)?))
}

/// One tally's rows (the delegates' result, or the participants' apart tally when `apart`,
/// which also names the participants listed): the header, the counts, a blank row, the totals.
fn tally_csv(
    w: &mut CsvOut,
    title: &str,
    r: &ContestResult,
    apart: bool,
) -> Result<(), csv::Error> {
    match &r.detail {
        ContestDetail::Election(el) => {
            w.row(["姓名", "类别", "赞成", "不赞成", "弃权", "结果"])?;
            for c in &el.candidates {
                w.row([
                    c.name.clone(),
                    "候选人".to_string(),
                    c.votes.for_votes.to_string(),
                    c.votes.against.to_string(),
                    c.votes.abstain.to_string(),
                    c.status.zh().to_string(),
                ])?;
            }
            for x in &el.write_ins {
                w.row([
                    x.name.clone(),
                    "另选他人".to_string(),
                    x.for_votes.to_string(),
                    String::new(),
                    String::new(),
                    x.status.zh().to_string(),
                ])?;
            }
        }
        ContestDetail::Motion(m) => {
            w.row(["表决事项", "赞成", "反对", "弃权", "结果"])?;
            w.row([
                title.to_string(),
                m.votes.for_votes.to_string(),
                m.votes.against.to_string(),
                m.votes.abstain.to_string(),
                (if m.passed { "通过" } else { "未通过" }).to_string(),
            ])?;
        }
        ContestDetail::Review(rv) => {
            let mut head = vec!["姓名".to_string(), "职务".into(), "评议项目".into()];
            head.extend(rv.grades.iter().cloned());
            head.extend(["好评率".to_string(), "排名".into(), "跟进".into()]);
            w.row(head)?;
            for p in &rv.persons {
                for (dim, row) in rv.dimensions.iter().zip(&p.counts) {
                    let mut cells = vec![p.name.clone(), p.post.clone(), dim.clone()];
                    cells.extend(row.iter().map(u64::to_string));
                    cells.extend([
                        crate::domain::tally::percent(p.share_bp),
                        p.rank.to_string(),
                        (if p.follow_up { "列入跟进" } else { "" }).to_string(),
                    ]);
                    w.row(cells)?;
                }
            }
        }
    }
    w.row([String::new()])?;
    if apart {
        w.row(["列席人员".to_string(), r.roster.to_string()])?;
    }
    for (k, v) in [
        ("发出选票", r.issued),
        ("收回选票", r.cast),
        ("有效票", r.valid),
        ("废票", r.invalid),
    ] {
        w.row([k.to_string(), v.to_string()])?;
    }
    w.row(["规则".to_string(), r.threshold.text.clone()])?;
    Ok(())
}

async fn screen(state: web::Data<AppState>, cid: web::Path<CongressId>) -> WebResult<HttpResponse> {
    let cid = cid.into_inner();
    let c2 = cid.clone();
    let (congress, fig, rows) = state
        .run(move |c| {
            let congress = service::congress::load(c, &c2)?;
            let (fig, _) = attendance::attendance(c, &c2)?;
            let mut rows = Vec::new();
            for k in contests_repo::list(c, &c2)? {
                let cast = if k.state.awaiting_count() {
                    Some(voting_repo::ballot_count(c, &k.id)?.max(0) as u64)
                } else {
                    None
                };
                // The participants' apart tally (rule I7), once counted.
                let apart = if k.state.is_counted() {
                    results::participant_result(c, &k.id)?.map(|(_, r)| r)
                } else {
                    None
                };
                rows.push((k, cast, apart));
            }
            Ok((congress, fig, rows))
        })
        .await?;
    let mut shown = Vec::new();
    for (k, cast, apart) in rows {
        let r = if k.state.is_counted() {
            results::result(&k)?
        } else {
            None
        };
        shown.push((k, cast, r, apart));
    }
    let body = html! {
        div.screen-head {
            h1 { (congress.name) }
            button.fullscreen type="button" hidden { "全屏" }
        }
        (screen::board(&fig, &shown))
    };
    let page = PublicPage {
        title: "大屏",
        congress: Some((cid.as_str(), &congress.name)),
        fingerprint: congress.key_fingerprint.as_deref(),
        body_class: Some("projector"),
        refresh: Some(SCREEN_REFRESH_SECONDS),
        script: Some("screen.js"),
        bare: true,
    };
    let mut resp = public_page(&page, body);
    resp.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/b/{cid}/screen", web::get().to(screen))
        .route("/b/{cid}/{kid}/result", web::get().to(result))
        .route("/b/{cid}/{kid}/result.csv", web::get().to(result_csv));
}
