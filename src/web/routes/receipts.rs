//! Receipts of accepted ballots (`/r/{contest}/{hash}`): the tracker and the signed receipt
//! (Ed25519, `docs/formats.md`). Anyone who knows the hash may see it: it reveals nothing but
//! that the ballot is in the box. The page's script keeps the receipt in this phone's
//! `localStorage` (never in a cookie), where the waiting page lists it.

use actix_web::{web, HttpResponse};
use maud::html;

use crate::crypto::sign_receipt;
use crate::storage::repo::contests as contests_repo;
use crate::storage::repo::voting as voting_repo;
use crate::web::error::{WebError, WebResult};
use crate::web::views::phone::{phone_page, PageOptions};
use crate::web::AppState;

async fn receipt(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (contest_id, hash) = path.into_inner();
    let (json, congress_name) = signed_receipt(&state, &contest_id, &hash).await?;
    let body = html! {
        h1 { "投票成功" }
        p { "您的选票已保存。下面是选票的追踪码 (选票哈希), 投票结束后可在公示中查到它:" }
        p.tracker { (hash) }
        p { "签名回执 (已保存在本机浏览器中, 也可截图或下载保存):" }
        pre.tracker #receipt data-contest=(contest_id) data-hash=(hash) { (json) }
        p { a.button.big href={"/r/" (contest_id) "/" (hash) "/json"} { "下载回执" } }
        p { a href="/v" { "返回投票事项" } }
    };
    let opts = PageOptions {
        refresh_secs: None,
        scripts: true,
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(phone_page("投票回执", Some(&congress_name), &opts, body).into_string()))
}

/// The signed receipt of the ballot with `hash` in `contest_id` (canonical JSON), and the
/// congress's name; 404 unless that ballot is in the box.
pub async fn signed_receipt(
    state: &AppState,
    contest_id: &str,
    hash: &str,
) -> WebResult<(String, String)> {
    if hash.len() != 64
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(WebError::NotFound("回执不存在".to_string()));
    }
    let (kid, h) = (contest_id.to_string(), hash.to_string());
    let found = state
        .run(move |c| {
            let Some(contest) = contests_repo::get(c, &kid)? else {
                return Ok(None);
            };
            if !voting_repo::has_ballot(c, &kid, &h)? {
                return Ok(None);
            }
            let congress = crate::storage::repo::congress::get(c, &contest.congress_id)?;
            Ok(congress.map(|g| (contest.congress_id, g.name)))
        })
        .await?;
    let (congress_id, name) =
        found.ok_or_else(|| WebError::NotFound("没有这张选票的回执".to_string()))?;
    let key = state.signing_key(&congress_id)?;
    let r = sign_receipt(&key, &congress_id, contest_id, hash).map_err(WebError::internal)?;
    Ok((r.to_json_string(), name))
}

async fn receipt_json(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (contest_id, hash) = path.into_inner();
    let (json, _) = signed_receipt(&state, &contest_id, &hash).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"receipt-{}.json\"", &hash[..16]),
        ))
        .body(json))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/r/{contest}/{hash}/json", web::get().to(receipt_json))
        .route("/r/{contest}/{hash}", web::get().to(receipt));
}
