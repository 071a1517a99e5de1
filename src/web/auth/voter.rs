//! The delegate on the phone: the `Voter` extractor (a delegate session that is still the
//! current one for its card), and the friendly page when it is not.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use maud::html;

use crate::domain::ids::DelegateId;
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::roster::{self as roster_repo, Delegate};
use crate::web::error::WebError;
use crate::web::session::VoteSession;
use crate::web::views::phone_layout;
use crate::web::AppState;

/// A logged-in delegate whose session is still the current one for their card.
pub struct Voter {
    pub delegate: Delegate,
    pub congress: Congress,
    pub session: VoteSession,
}

/// Why a delegate request has no valid session.
fn session_ended_page(message: &str) -> HttpResponse {
    let body = html! {
        h1 { "请重新登录" }
        p.error { (message) }
        p { "请用手机扫描代表证上的二维码, 或" a href="/login/code" { "输入代表证上的登录码" } "。" }
    };
    HttpResponse::Unauthorized()
        .content_type("text/html; charset=utf-8")
        .body(phone_layout("请重新登录", None, body).into_string())
}

/// Error of the `Voter` extractor: a friendly page rather than the staff login redirect.
#[derive(Debug, thiserror::Error)]
pub enum VoterError {
    #[error("未登录")]
    NoSession,
    #[error("此代表证已在另一台设备上登录, 本设备的登录已结束")]
    TakenOver,
    #[error(transparent)]
    Web(#[from] WebError),
}

impl actix_web::ResponseError for VoterError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        match self {
            VoterError::Web(e) => e.status_code(),
            _ => actix_web::http::StatusCode::UNAUTHORIZED,
        }
    }
    fn error_response(&self) -> HttpResponse {
        match self {
            VoterError::NoSession => session_ended_page("您还没有登录, 或登录已过期。"),
            VoterError::TakenOver => session_ended_page(
                "此代表证已在另一台设备上登录, 本设备的登录已结束。如果不是您本人操作, 请立即联系会务人员补发代表证。",
            ),
            VoterError::Web(e) => e.error_response(),
        }
    }
}

impl FromRequest for Voter {
    type Error = VoterError;
    type Future = Pin<Box<dyn Future<Output = Result<Voter, VoterError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| WebError::internal("state"))?;
            let session = state.sessions.vote(&req).ok_or(VoterError::NoSession)?;
            if session.participant {
                return Err(VoterError::NoSession);
            }
            let (did, cid) = (DelegateId::from(session.did.clone()), session.cid.clone());
            let found = state
                .run(move |c| {
                    let d = roster_repo::delegate(c, did.as_str())?;
                    let congress = congress_repo::get(c, &cid)?;
                    Ok(d.zip(congress))
                })
                .await?;
            let (delegate, congress) = found.ok_or(VoterError::NoSession)?;
            if delegate.session_epoch != session.epoch {
                return Err(VoterError::TakenOver);
            }
            Ok(Voter {
                delegate,
                congress,
                session,
            })
        })
    }
}

/// A 评议会 participant on their phone (rule I7): a participant session whose card is still
/// the current one, in a meeting counting participants apart and not yet closed.
pub struct ParticipantVoter {
    pub participant: crate::storage::repo::term::Participant,
    pub congress: Congress,
    pub session: VoteSession,
}

impl FromRequest for ParticipantVoter {
    type Error = VoterError;
    type Future = Pin<Box<dyn Future<Output = Result<ParticipantVoter, VoterError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| WebError::internal("state"))?;
            let session = state.sessions.vote(&req).ok_or(VoterError::NoSession)?;
            if !session.participant {
                return Err(VoterError::NoSession);
            }
            let (pid, cid, epoch) = (session.did.clone(), session.cid.clone(), session.epoch);
            let found = state
                .run(move |c| {
                    Ok(crate::service::term::participants::session_participant(
                        c,
                        &cid,
                        pid.as_str(),
                        epoch,
                    )?)
                })
                .await?;
            let (participant, congress) = found.ok_or(VoterError::NoSession)?;
            Ok(ParticipantVoter {
                participant,
                congress,
                session,
            })
        })
    }
}
