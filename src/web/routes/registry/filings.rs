//! Filing a packet from the web (`POST /registry/schools/{code}/filings`: the office, or the
//! school's own account), a filing's page and its stored packet (audited download: the
//! packet holds the rolls, personal data).

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};

use super::access::{config, school, who};
use super::actor;
use super::schools::render;
use super::upload::multipart;
use crate::registry::ingest::{examine, record, Outcome};
use crate::registry::table::{filing_view, FilingView};
use crate::web::auth::Staff;
use crate::web::error::{WebError, WebResult};
use crate::web::page::{page, redirect_with, staff_ctx};
use crate::web::views::registry::filing::filing_page;
use crate::web::AppState;

async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: Multipart,
) -> WebResult<HttpResponse> {
    let w = who(&state, &staff.user).await?;
    let s = school(&state, &w, &path.into_inner()).await?;
    let cfg = config(&state)?;
    let upload = multipart(form, cfg.limits.max_packet_bytes).await?;
    let a = actor(&staff, &req);
    let (c2, s2) = (cfg.clone(), s.clone());
    let examined = web::block(move || examine(&c2.store, &c2.limits, upload)).await??;
    let outcome = state
        .run(move |c| Ok(record(c, &cfg.store, &a, &s2, examined, "web")?))
        .await?;
    match outcome {
        Outcome::Accepted { filing, pinned } => Ok(redirect_with(
            &state,
            &format!("/registry/filings/{}", filing.id),
            true,
            format!(
                "已接收并备案: {} ({}), 全部 {} 项检查通过{}",
                filing.congress_name,
                filing.congress_date,
                filing.checks,
                if pinned {
                    "; 已固定这次大会的签名公钥指纹"
                } else {
                    ""
                }
            ),
        )),
        Outcome::Duplicate(filing) => Ok(redirect_with(
            &state,
            &format!("/registry/filings/{}", filing.id),
            true,
            "这个归档包此前已经备案, 没有新的变化",
        )),
        Outcome::Refused(r) => render(&state, &req, &staff, &w, s, Some(r)).await,
    }
}

/// The filing `id`, if `staff` may see its school.
async fn load(state: &AppState, staff: &Staff, id: String) -> WebResult<FilingView> {
    let w = who(state, &staff.user).await?;
    let view = state.run(move |c| Ok(filing_view(c, &id)?)).await?;
    school(state, &w, &view.school.code).await?;
    Ok(view)
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let v = load(&state, &staff, path.into_inner()).await?;
    let ctx = staff_ctx(&state, &req, &staff);
    Ok(page(&state, &ctx, &v.filing.congress_name, filing_page(&v)))
}

async fn packet(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let v = load(&state, &staff, path.into_inner()).await?;
    let cfg = config(&state)?;
    let rel = v.filing.stored_as.clone();
    let bytes = web::block(move || cfg.store.get(&rel))
        .await?
        .map_err(|e| {
            WebError::Internal(crate::errors::context(
                format!("reading the filed packet {}", v.filing.stored_as),
                e,
            ))
        })?;
    let a = actor(&staff, &req);
    let (code, after) = (
        v.school.code.clone(),
        serde_json::json!({"filing": v.filing.id, "packet_sha256": v.filing.packet_sha256})
            .to_string(),
    );
    state
        .run(move |c| {
            a.audit(
                c,
                None,
                "registry.packet_download",
                Some(&code),
                None,
                Some(after),
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}-{}.zip\"",
                v.school.code, v.filing.congress_date
            ),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/registry/schools/{code}/filings", web::post().to(upload))
        .route("/registry/filings/{id}", web::get().to(show))
        .route("/registry/filings/{id}/packet.zip", web::get().to(packet));
}
