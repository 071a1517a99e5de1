//! The signed record's files for the congress's staff: `record.json` exactly as signed, the raw
//! 64-byte `record.sig`, the whole filing packet as a zip (with its printable `report.html`),
//! and the printable form itself (选举结果报告单, A4). The packet holds the rolls, which are
//! personal data, so none of this is public.

use actix_web::{web, HttpResponse};

use crate::domain::ids::CongressId;
use crate::packet::format::{Addendum, Record};
use crate::packet::report::{report_html_with, verify_url, ReportExtras};
use crate::packet::zip_packet;
use crate::service::record;
use crate::storage::repo::records;
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::load_congress;
use crate::web::AppState;

fn not_signed() -> WebError {
    WebError::NotFound("尚未签署选举结果报告".to_string())
}

fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

async fn record_json(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Read).await?;
    let c2 = cid.clone();
    let (_, signed) = state
        .run(move |c| Ok(record::stored(c, &c2)?))
        .await?
        .ok_or_else(not_signed)?;
    Ok(attachment("application/json", "record.json", signed.bytes))
}

async fn record_sig(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Read).await?;
    let c2 = cid.clone();
    let (_, signed) = state
        .run(move |c| Ok(record::stored(c, &c2)?))
        .await?
        .ok_or_else(not_signed)?;
    Ok(attachment(
        "application/octet-stream",
        "record.sig",
        signed.sig.to_vec(),
    ))
}

async fn packet_zip(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Read).await?;
    let (c2, url) = (cid.clone(), state.public_url.clone());
    let bytes = state
        .run(move |c| {
            let contents = record::filing_packet(c, &c2, &url)?;
            zip_packet(&contents).map_err(WebError::internal)
        })
        .await?;
    Ok(attachment(
        "application/zip",
        &format!("{cid}-packet.zip"),
        bytes,
    ))
}

async fn print(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Read).await?;
    let c2 = cid.clone();
    let (stored, addenda, steps) = state
        .run(move |c| {
            let stored = record::stored(c, &c2)?;
            let addenda = records::addenda(c, &c2)?;
            let steps = crate::service::approval::all_steps(c, &c2)?;
            Ok((stored, addenda, steps))
        })
        .await?;
    let (row, signed) = stored.ok_or_else(not_signed)?;
    let record: Record = serde_json::from_slice(&signed.bytes).map_err(WebError::internal)?;
    let summary = serde_json::from_str(&row.roster_summary).map_err(WebError::internal)?;
    let addenda: Vec<Addendum> = addenda
        .iter()
        .map(|a| serde_json::from_str(&a.body_json))
        .collect::<Result<_, _>>()
        .map_err(WebError::internal)?;
    let extras = ReportExtras {
        addenda: &addenda,
        preview: false,
        steps: &steps,
    };
    let html = report_html_with(
        &record,
        &summary,
        &verify_url(&state.public_url, cid.as_str()),
        false,
        extras,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The form as certifying would sign it now (closed congress, not yet certified): for the
/// organiser and the scrutineers to check before the record is signed for good.
async fn preview(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let cid = path.into_inner();
    load_congress(&state, &staff, &cid, Need::Read).await?;
    let c2 = cid.clone();
    let (record, summary, steps) = state
        .run(move |c| {
            let summary = crate::service::roster::summary(c, &c2)?;
            let record = record::preview(c, &c2, &summary)?;
            let steps = crate::service::approval::all_steps(c, &c2)?;
            Ok((record, summary, steps))
        })
        .await?;
    let extras = ReportExtras {
        addenda: &[],
        preview: true,
        steps: &steps,
    };
    let html = report_html_with(
        &record,
        &summary,
        &verify_url(&state.public_url, cid.as_str()),
        false,
        extras,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(html))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/record/record.json", web::get().to(record_json))
        .route("/c/{cid}/record/record.sig", web::get().to(record_sig))
        .route("/c/{cid}/record/packet.zip", web::get().to(packet_zip))
        .route("/c/{cid}/record/print", web::get().to(print))
        .route("/c/{cid}/record/preview", web::get().to(preview));
}
