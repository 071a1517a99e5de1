//! What every page handler shares, in one place: the audit actor of a staff request, the page
//! context, loading a congress with the access check, whether the staff member may change it
//! now, and the responses (a page, a public page, a redirect with a flash, a download's name).
//! Route modules import these; they never import one another for them.

use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse};
use maud::Markup;

use crate::crypto::SigningKey;
use crate::domain::ids::CongressId;
use crate::domain::state::Action;
use crate::service::{self, Actor};
use crate::storage::repo::congress::Congress;
use crate::web::auth::{authorize, client_addr, Need, Staff};
use crate::web::error::WebResult;
use crate::web::session::{Flash, FLASH_COOKIE};
use crate::web::views::{layout, public_layout, PageCtx, PublicPage};
use crate::web::AppState;

/// The audit actor for a staff request.
pub fn actor(staff: &Staff, req: &HttpRequest) -> Actor {
    Actor {
        username: staff.user.username.clone(),
        role: staff.user.role.as_str().to_string(),
        addr: Some(client_addr(req)),
    }
}

/// The page context for a logged-in staff member (no congress).
pub fn staff_ctx(state: &AppState, req: &HttpRequest, staff: &Staff) -> PageCtx {
    PageCtx {
        user: Some((staff.user.username.clone(), staff.user.role)),
        csrf: staff.csrf().to_string(),
        flash: state.sessions.flash(req),
        path: req.path().to_string(),
        demo: state.demo,
        ..PageCtx::default()
    }
}

/// The page context for a page about `congress`.
pub fn congress_ctx(
    state: &AppState,
    req: &HttpRequest,
    staff: &Staff,
    congress: &Congress,
) -> PageCtx {
    PageCtx {
        congress: Some((
            congress.id.to_string(),
            congress.name.clone(),
            congress.state,
        )),
        fingerprint: congress.key_fingerprint.clone(),
        ..staff_ctx(state, req, staff)
    }
}

/// Loads the congress `id` and checks `staff` may do `need` with it.
pub async fn load_congress(
    state: &AppState,
    staff: &Staff,
    id: &CongressId,
    need: Need,
) -> WebResult<Congress> {
    let id = id.clone();
    let congress = state
        .run(move |c| Ok(service::congress::load(c, &id)?))
        .await?;
    authorize(staff, &congress, need)?;
    Ok(congress)
}

/// For an action the congress's owner signs (addenda, approval steps): checks `staff` owns the
/// congress `id`, and gives its signing key and the audit actor.
pub async fn owner_signing(
    state: &AppState,
    staff: &Staff,
    req: &HttpRequest,
    id: &CongressId,
) -> WebResult<(Arc<SigningKey>, Actor)> {
    load_congress(state, staff, id, Need::Own).await?;
    Ok((state.signing_key(id)?, actor(staff, req)))
}

/// Whether `staff` may change `congress`'s files or roster now (`action`); otherwise why not,
/// to show instead of the forms.
pub fn may_change(staff: &Staff, congress: &Congress, action: Action) -> Result<(), String> {
    authorize(staff, congress, Need::Own)
        .map_err(|_| "只有创建本大会的组织者可以导入或修改名单; 您可以查看。".to_string())?;
    action.check(congress.state).map_err(|e| e.message)
}

/// Renders a staff page, clearing any flash it showed.
pub fn page(state: &AppState, ctx: &PageCtx, title: &str, body: Markup) -> HttpResponse {
    let mut resp = HttpResponse::Ok();
    resp.content_type("text/html; charset=utf-8");
    if ctx.flash.is_some() {
        resp.cookie(state.sessions.removal(FLASH_COOKIE));
    }
    resp.body(layout(ctx, title, body).into_string())
}

/// An HTML response of a public page.
pub fn public_page(p: &PublicPage, body: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(public_layout(p, body).into_string())
}

/// Sends a flash message with a 303 redirect to `to`.
pub fn redirect_with(
    state: &AppState,
    to: &str,
    ok: bool,
    message: impl Into<String>,
) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to.to_string()))
        .cookie(state.sessions.flash_cookie(&Flash {
            ok,
            message: message.into(),
        }))
        .finish()
}

/// A download named `ascii` (old clients) and `zh` (UTF-8, what browsers use).
pub fn attachment(ascii: &str, zh: &str) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii.to_string()),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_string()),
                language_tag: None,
                value: zh.as_bytes().to_vec(),
            }),
        ],
    }
}
