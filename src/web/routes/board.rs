//! The public board (公示, rule G1), open to anyone without logging in and carrying no personal
//! data: the congress's public page (its contests, their state and results, the signing key),
//! each counted contest's board (figures, Merkle root, the ballots page by page), and the
//! congress's public key. The tracker check is in `check`, results and the projector in
//! `results`, the JSON in `api::board`.

use actix_web::{web, HttpResponse};
use maud::html;
use serde::Deserialize;

use crate::crypto::sha256_hex;
use crate::domain::contest::{Contest, ContestAction, ContestKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::{self, publish, results, voting};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::records;
use crate::web::error::{WebError, WebResult};
use crate::web::page::public_page;
use crate::web::views::board::{ballot_line, ballots_table};
use crate::web::views::results::{outcome_line, state_badge};
use crate::web::views::PublicPage;
use crate::web::AppState;

/// Ballots per page of a board.
pub const PAGE_SIZE: usize = 100;

/// "选举" / "表决", or the further round it is.
pub fn kind_label(c: &Contest) -> String {
    match c.round_kind {
        Some(round) => format!("选举 · {}", round.zh()),
        None => c.kind.zh().to_string(),
    }
}

async fn index(state: web::Data<AppState>, cid: web::Path<CongressId>) -> WebResult<HttpResponse> {
    let cid = cid.into_inner();
    let c2 = cid.clone();
    let (congress, contests, record_hash) = state
        .run(move |c| {
            let congress = service::congress::load(c, &c2)?;
            let contests = contests_repo::list(c, &c2)?;
            let record = records::get(c, &c2)?.map(|r| r.record_hash);
            Ok((congress, contests, record))
        })
        .await?;
    let mut rows = Vec::new();
    for k in &contests {
        let outcome = match results::result(k)? {
            Some(r) if k.allows(ContestAction::Publish) => Some(outcome_line(&r)),
            _ => None,
        };
        rows.push((k, outcome));
    }
    let body = html! {
        h1 { (congress.name) " · 选举公示" }
        p { (congress.school) " · " (congress.level.zh()) " · 第" (congress.session_no) "次 · " (congress.date) " · " (congress.place) }
        p { "大会状态: " span.badge { (congress.state.zh()) } }
        h2 { "选举与表决事项" }
        @if rows.is_empty() {
            p.muted { "尚未设置选举或表决事项。" }
        } @else {
            table.contests {
                thead { tr { th.num { "议程" } th { "事项" } th { "类别" } th { "状态" } th { "结果" } th { "公示" } } }
                tbody {
                    @for (k, outcome) in &rows {
                        tr {
                            td.num { (k.agenda_order) }
                            td { (k.def.title) }
                            td { (kind_label(k)) }
                            td { (state_badge(k.state)) }
                            td { (outcome.as_deref().unwrap_or("—")) }
                            td {
                                @if k.allows(ContestAction::Publish) {
                                    a href={"/b/" (cid) "/" (k.id) "/result"} { "计票结果" } " · "
                                    a href={"/b/" (cid) "/" (k.id)} { "选票公示" }
                                } @else { "计票后公示" }
                            }
                        }
                    }
                }
            }
        }
        h2 { "核对您的选票" }
        p { "投票后手机上显示的追踪码 (选票哈希) 可在 " a href={"/b/" (cid) "/check"} { "核对追踪码" } " 页面查找, 并核验它包含在公示的默克尔根中。" }
        h2 { "签名公钥" }
        @match &congress.key_fingerprint {
            Some(fp) => {
                p { "回执和结果报告由大会的 Ed25519 密钥签名。公钥指纹 (公钥 32 字节的 SHA-256): " }
                p.tracker { (fp) }
                p { a href={"/b/" (cid) "/key.pem"} { "下载公钥 congress.pub.pem" } }
            },
            None => p.muted { "本大会尚无签名密钥。" },
        }
        @if let Some(h) = &record_hash {
            h2 { "选举结果报告" }
            p { "结果报告单已签署, 其数字指纹 (record.json 的 SHA-256) 为:" }
            p.tracker { (h) }
        }
    };
    let page = PublicPage {
        title: &congress.name,
        congress: Some((cid.as_str(), &congress.name)),
        fingerprint: congress.key_fingerprint.as_deref(),
        ..PublicPage::default()
    };
    Ok(public_page(&page, body))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<usize>,
}

async fn board(
    state: web::Data<AppState>,
    path: web::Path<(CongressId, ContestId)>,
    query: web::Query<PageQuery>,
) -> WebResult<HttpResponse> {
    let (cid, kid) = path.into_inner();
    let (c2, k2) = (cid.clone(), kid.clone());
    let (congress, contest, built, paper, apart) = state
        .run(move |c| {
            let congress = service::congress::load(c, &c2)?;
            let (contest, built) = publish::board(c, &c2, &k2)?;
            let paper = voting::ballot_paper(c, &c2, &k2)?;
            let apart = crate::service::results::participant_board(c, &contest)?;
            Ok((congress, contest, built, paper, apart))
        })
        .await?;
    let total = built.board.ballots.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page_no = query.page.unwrap_or(1).clamp(1, pages);
    let start = (page_no - 1) * PAGE_SIZE;
    let election = match contest.kind {
        ContestKind::Election => paper.election.as_ref(),
        ContestKind::Motion | ContestKind::Review => None,
    };
    let lines: Vec<_> = built
        .board
        .ballots
        .iter()
        .zip(&built.hashes)
        .enumerate()
        .skip(start)
        .take(PAGE_SIZE)
        .map(|(i, (value, hash))| {
            ballot_line(
                i + 1,
                hex::encode(hash),
                value,
                election,
                paper.review.as_ref(),
            )
        })
        .collect();
    // The participants' ballots (rule I7): few, all on one page, apart from the delegates'.
    let apart_lines: Vec<_> = apart
        .iter()
        .flat_map(|b| {
            b.board
                .ballots
                .iter()
                .zip(&b.hashes)
                .enumerate()
                .map(|(i, (value, hash))| {
                    ballot_line(
                        i + 1,
                        hex::encode(hash),
                        value,
                        election,
                        paper.review.as_ref(),
                    )
                })
        })
        .collect();
    let base = format!("/b/{cid}/{kid}");
    let body = html! {
        h1 { (contest.def.title) " · 选票公示" }
        p { (kind_label(&contest)) " · " (state_badge(contest.state)) " · " a href={(base) "/result"} { "计票结果" } }
        dl.facts {
            dt { "发出选票 (开始投票时实到)" } dd { (built.board.issued) }
            dt { "收回选票" } dd { (built.board.cast) }
            @if let Some(paper) = built.board.paper {
                dt { "其中纸质选票" } dd { (paper) " 张 (不标明是哪几张)" }
            }
            @if let Some(fp) = &built.board.contest_key_fingerprint {
                dt { "选票签发公钥指纹" } dd { code { (fp) } }
            }
            dt { "默克尔根 (RFC 6962)" } dd { code { (built.board.merkle_root) } }
            dt { "公示文件 SHA-256" } dd { code { (sha256_hex(&built.bytes)) } }
        }
        p {
            a href={"/api/v1/congresses/" (cid) "/contests/" (kid) "/board.json"} { "下载公示文件 board.json" }
            " (规范化 JSON, 可用 sha256sum 核对上面的哈希) · "
            a href={"/b/" (cid) "/check"} { "核对追踪码" }
        }
        p.muted {
            "选票按追踪码 (选票规范化 JSON 的 SHA-256) 升序排列, 不含任何代表信息。每张选票的凭证 (token) 都有本场公钥的盲签名, 证明它是发给某位有投票权代表的选票, 却看不出是谁的。废票照样公示, 计为废票 (规则 E2)。"
        }
        h2 { "选票 (第 " (page_no) "/" (pages) " 页, 共 " (total) " 张)" }
        (ballots_table(&lines))
        @if let Some(b) = &apart {
            section.apart #apart {
                h2 { (crate::domain::term::APART_LABEL) " · 选票公示" }
                dl.facts {
                    dt { "发出选票 (开始投票时签到的列席人员)" } dd { (b.board.issued) }
                    dt { "收回选票" } dd { (b.board.cast) }
                    @if let Some(fp) = &b.board.contest_key_fingerprint {
                        dt { "列席人员选票签发公钥指纹" } dd { code { (fp) } }
                    }
                    dt { "默克尔根 (RFC 6962)" } dd { code { (b.board.merkle_root) } }
                    dt { "公示文件 SHA-256" } dd { code { (sha256_hex(&b.bytes)) } }
                }
                p.muted { "列席人员的选票由本项的第二把密钥签发, 与代表的选票分开公示、分开计票, 不计入本项结果 (规则I7)。归档包中为 boards/" (kid) "-participants.board.json。" }
                (ballots_table(&apart_lines))
            }
        }
        @if pages > 1 {
            nav.pager {
                @if page_no > 1 { a href={(base) "?page=" (page_no - 1)} { "上一页" } " " }
                @for p in 1..=pages {
                    @if p == page_no { strong { (p) } } @else { a href={(base) "?page=" (p)} { (p) } }
                    " "
                }
                @if page_no < pages { a href={(base) "?page=" (page_no + 1)} { "下一页" } }
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

/// The congress's public key (SubjectPublicKeyInfo PEM), to check receipts and the record.
async fn key_pem(
    state: web::Data<AppState>,
    cid: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = cid.into_inner();
    let c2 = cid.clone();
    let congress = state
        .run(move |c| Ok(service::congress::load(c, &c2)?))
        .await?;
    let pem = congress
        .public_key_pem
        .ok_or_else(|| WebError::NotFound(format!("大会 {cid} 尚无签名公钥")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"congress.pub.pem\"",
        ))
        .body(pem))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/b/{cid}", web::get().to(index))
        .route("/b/{cid}/key.pem", web::get().to(key_pem))
        .route("/b/{cid}/{kid}", web::get().to(board));
}
