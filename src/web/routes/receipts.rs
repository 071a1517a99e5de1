//! Receipts of accepted ballots (`/r/{contest}/{hash}`): "你的选票已投入票箱", the tracker's
//! first 8 characters in large type and what to do with it, the signed receipt (Ed25519,
//! `docs/formats.md`) behind "技术细节", with copy buttons and a QR image to long-press (WeChat
//! cannot download files). Anyone who knows the hash may see it: it reveals nothing but
//! that the ballot is in the box. The page's script keeps the receipt in this phone's
//! `localStorage` (never in a cookie), where the waiting page lists it.

use actix_web::{web, HttpResponse};
use maud::html;

use crate::crypto::sign_receipt;
use crate::domain::ids::ContestId;
use crate::storage::repo::contests as contests_repo;
use crate::storage::repo::voting as voting_repo;
use crate::web::error::{WebError, WebResult};
use crate::web::views::phone::{phone_page, PageOptions};
use crate::web::AppState;

async fn receipt(
    state: web::Data<AppState>,
    path: web::Path<(ContestId, String)>,
) -> WebResult<HttpResponse> {
    let (contest_id, hash) = path.into_inner();
    let (json, congress_name) = signed_receipt(&state, &contest_id, &hash).await?;
    let short = format!("{} {}", &hash[..4], &hash[4..8]);
    let body = html! {
        h1 { "你的选票已投入票箱" }
        p { "你的选票追踪码 (前 8 位):" }
        p.tracker-short { (short) }
        p {
            "计票结束后, 打开大会公示的“核对追踪码”, 输入完整追踪码, 就能看到你的选票在公示中、内容未被改动。"
            "追踪码不显示你是谁; 请记下或截图保存本页。"
        }
        p.tracker #tracker { (hash) }
        p.copy { button.secondary type="button" data-copy="tracker" hidden { "复制追踪码" } }
        details.tech {
            summary { "技术细节: 签名回执" }
            p.muted { "回执由大会的签名密钥 (Ed25519) 签署, 证明这张选票已被票箱接收。已保存在本机浏览器中。" }
            pre.tracker #receipt data-contest=(contest_id) data-hash=(hash) { (json) }
            p.copy { button.secondary type="button" data-copy="receipt" hidden { "复制回执" } }
            p.muted { "长按下面的二维码图片可保存到手机相册 (二维码内容即上面的签名回执):" }
            img.receipt-qr src={"/r/" (contest_id) "/" (hash) "/receipt.svg"} alt="签名回执二维码" width="240" height="240" loading="lazy";
            p { a href={"/r/" (contest_id) "/" (hash) "/json"} { "下载回执文件 (JSON)" } }
        }
        p { a.button.big href="/v" { "返回投票事项" } }
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
    contest_id: &ContestId,
    hash: &str,
) -> WebResult<(String, String)> {
    if hash.len() != 64
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(WebError::NotFound("回执不存在".to_string()));
    }
    let (kid, h) = (contest_id.clone(), hash.to_string());
    let found = state
        .run(move |c| {
            let Some(contest) = contests_repo::get(c, &kid)? else {
                return Ok(None);
            };
            if !voting_repo::has_ballot(c, &kid, &h)?
                && !crate::storage::repo::term::has_participant_ballot(c, &kid, &h)?
            {
                return Ok(None);
            }
            let congress = crate::storage::repo::congress::get(c, &contest.congress_id)?;
            Ok(congress.map(|g| (contest.congress_id, g.name)))
        })
        .await?;
    let (congress_id, name) =
        found.ok_or_else(|| WebError::NotFound("没有这张选票的回执".to_string()))?;
    let key = state.signing_key(&congress_id)?;
    let r = sign_receipt(&key, congress_id.as_str(), contest_id.as_str(), hash)
        .map_err(WebError::internal)?;
    Ok((r.to_json_string(), name))
}

async fn receipt_json(
    state: web::Data<AppState>,
    path: web::Path<(ContestId, String)>,
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

/// The signed receipt as a QR code image: inside WeChat, where downloads do not work, a
/// long press saves it to the phone's photos.
async fn receipt_svg(
    state: web::Data<AppState>,
    path: web::Path<(ContestId, String)>,
) -> WebResult<HttpResponse> {
    let (contest_id, hash) = path.into_inner();
    let (json, _) = signed_receipt(&state, &contest_id, &hash).await?;
    let svg = crate::web::routes::credentials::qr_svg(&json)?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(svg))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/r/{contest}/{hash}/json", web::get().to(receipt_json))
        .route(
            "/r/{contest}/{hash}/receipt.svg",
            web::get().to(receipt_svg),
        )
        .route("/r/{contest}/{hash}", web::get().to(receipt));
}
