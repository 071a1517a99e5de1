//! "Is my ballot on the board?": anyone pastes a tracker (a GET form, so the link can be
//! shared) and sees on which published board it is, what the ballot says, and its audit path
//! checked step by step against the board's Merkle root on the server
//! (`crypto::merkle::explain_inclusion`: the check and the steps shown are one walk). A tracker on no board gets a 404 that says so, and
//! whether it is in the box of a contest not yet counted.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use crate::crypto::merkle::{explain_inclusion, path_from_hex};
use crate::domain::contest::ContestKind;
use crate::domain::ids::CongressId;
use crate::service::publish::{self, NotPublished};
use crate::service::{self, voting};
use crate::web::error::{WebError, WebResult};
use crate::web::page::public_page;
use crate::web::routes::board::PAGE_SIZE;
use crate::web::views::board::{ballot_line, ballots_table, steps_table};
use crate::web::views::{public_layout, PublicPage};
use crate::web::AppState;

#[derive(Deserialize)]
struct CheckQuery {
    hash: Option<String>,
}

fn form(cid: &str, value: &str) -> Markup {
    html! {
        form.stack method="get" action={"/b/" (cid) "/check"} {
            label for="hash" { "追踪码 (64 位, 投票成功页面和回执上的选票哈希)" }
            input #hash type="text" name="hash" value=(value) autocomplete="off" spellcheck="false" required;
            div.actions { button type="submit" { "查找并核验" } }
        }
    }
}

fn status_page(status: u16, p: &PublicPage, body: Markup) -> HttpResponse {
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    )
    .content_type("text/html; charset=utf-8")
    .body(public_layout(p, body).into_string())
}

async fn check(
    state: web::Data<AppState>,
    cid: web::Path<CongressId>,
    query: web::Query<CheckQuery>,
) -> WebResult<HttpResponse> {
    let cid = cid.into_inner();
    let c2 = cid.clone();
    let congress = state
        .run(move |c| Ok(service::congress::load(c, &c2)?))
        .await?;
    let page = PublicPage {
        title: "核对追踪码",
        congress: Some((cid.as_str(), &congress.name)),
        fingerprint: congress.key_fingerprint.as_deref(),
        ..PublicPage::default()
    };
    let typed = query.hash.clone().unwrap_or_default();
    if typed.trim().is_empty() {
        let body = html! {
            h1 { "核对追踪码" }
            p { "输入您投票后得到的追踪码, 查看您的选票是否在公示中, 并核验它包含在公示的默克尔根里。" }
            (form(cid.as_str(), ""))
        };
        return Ok(public_page(&page, body));
    }
    let (hex, hash) = match publish::parse_tracker(&typed) {
        Ok(h) => h,
        Err(message) => {
            let body = html! {
                h1 { "核对追踪码" }
                p.error role="alert" { (message) }
                (form(cid.as_str(), &typed))
            };
            return Ok(status_page(400, &page, body));
        }
    };
    let (c2, h2) = (cid.clone(), hex.clone());
    let found = state
        .run(move |c| {
            Ok(match publish::find(c, &c2, &h2, &hash)? {
                Ok(f) => {
                    let paper = voting::ballot_paper(c, &c2, &f.contest.id)?;
                    Ok((f, paper))
                }
                Err(why) => Err(why),
            })
        })
        .await?;
    let (found, paper) = match found {
        Ok(found) => found,
        Err(why) => {
            let message = match why {
                NotPublished::Pending { title, state } => format!(
                    "追踪码 {hex} 的选票已在“{title}”的投票箱中, 该事项目前“{}”, 计票完成后会出现在公示中。",
                    state.zh()
                ),
                NotPublished::Unknown => format!(
                    "追踪码 {hex} 不在本大会任何已公示的选票中。请核对是否输入完整; 如果您持有这张选票的签名回执, 它不在公示中即说明选票被遗漏, 请立即向总监票人反映。"
                ),
            };
            let body = html! {
                h1 { "核对追踪码" }
                p.error role="alert" { (message) }
                (form(cid.as_str(), &hex))
            };
            return Ok(status_page(404, &page, body));
        }
    };
    // Checked against the root stored when the contest was counted (the published one).
    let root = found
        .contest
        .merkle_root
        .clone()
        .ok_or_else(|| WebError::internal("final contest without a Merkle root"))?;
    let root_bytes = crate::crypto::hash_from_hex(&root).map_err(WebError::internal)?;
    let path = path_from_hex(&found.proof.path).map_err(WebError::internal)?;
    let tree_size = usize::try_from(found.proof.tree_size).map_err(WebError::internal)?;
    let shown = explain_inclusion(&hash, found.index, tree_size, &path, &root_bytes);
    let verified = shown.verified;
    let election = match found.contest.kind {
        ContestKind::Election => paper.election.as_ref(),
        ContestKind::Motion | ContestKind::Review => None,
    };
    let value = found
        .board
        .board
        .ballots
        .get(found.index)
        .ok_or_else(|| WebError::internal("proof index outside the board"))?;
    let line = ballot_line(
        found.index + 1,
        hex.clone(),
        value,
        election,
        paper.review.as_ref(),
    );
    let k = &found.contest;
    let board_page = found.index / PAGE_SIZE + 1;
    let body = html! {
        h1 { "核对追踪码" }
        @if verified {
            p.flash.ok role="status" { "已找到: 这张选票在“" (k.def.title) "”的公示中, 默克尔证明核验通过。" }
        } @else {
            p.error role="alert" { "这张选票在“" (k.def.title) "”的公示中, 但默克尔证明核验未通过, 请立即向总监票人反映。" }
        }
        (ballots_table(std::slice::from_ref(&line)))
        dl.facts {
            dt { "事项" } dd { a href={"/b/" (cid) "/" (k.id) "?page=" (board_page) "#b" (line.position)} { (k.def.title) } }
            dt { "位置" } dd { "第 " (found.index + 1) " 张, 共 " (found.proof.tree_size) " 张" }
            dt { "公示的默克尔根" } dd { code { (root) } }
        }
        h2 { "核验步骤 (RFC 6962 审计路径)" }
        (steps_table(&shown, &root))
        p { "结论: " strong { (if verified { "验证通过, 最后一步的结果等于公示的默克尔根。" } else { "验证失败。" }) } }
        p.muted {
            "机器可读的证明: "
            a href={"/api/v1/congresses/" (cid) "/contests/" (k.id) "/proof/" (hex)} { "proof JSON" }
        }
        h2 { "核对另一个追踪码" }
        (form(cid.as_str(), ""))
    };
    Ok(public_page(&page, body))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/b/{cid}/check", web::get().to(check));
}
