//! Who is asking, and may they? Extractors for the logged-in staff member (cookie session)
//! and the API user (bearer token), and the one access rule for congresses.
//!
//! Roles: an *organiser* may do everything for the congresses they own and nothing for
//! others'; a *scrutineer* (监票人) account may read a congress and do the scrutineer actions
//! there only when the owner named it among that congress's scrutineers (总监票人, 监票人 or
//! 计票人 linked to the account); other congresses are closed to it like to another organiser.

mod voter;

pub use self::voter::{ParticipantVoter, Voter, VoterError};

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};

use super::error::{ApiError, WebError};
use super::session::{password_version, StaffSession};
use super::AppState;
use crate::domain::ids::CongressId;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::users::{self, Role, User};

/// A logged-in organiser or scrutineer (browser session).
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub session: StaffSession,
    /// The congresses whose scrutineers include this (scrutineer) account.
    pub scrutinises: Vec<CongressId>,
}

impl Staff {
    pub fn csrf(&self) -> &str {
        &self.session.csrf
    }
}

/// Wrong API tokens allowed per address within [`TOKEN_WINDOW_MS`]; after that every token
/// from the address is refused with 429 until the window passes. A script with a stale token
/// fails at once, so a handful is plenty; a 130-bit token cannot be guessed anyway, but a
/// leaked token list or a typo'd script should not get unlimited tries.
pub const MAX_TOKEN_FAILURES: i64 = 10;
/// The API token throttling window.
pub const TOKEN_WINDOW_MS: i64 = 10 * 60 * 1000;

/// An API caller authenticated by `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct ApiUser {
    pub user: User,
    /// The congresses whose scrutineers include this (scrutineer) account.
    pub scrutinises: Vec<CongressId>,
}

/// Who asks, as the access rule needs it: the account, and the congresses it scrutinises.
pub trait Principal {
    fn user(&self) -> &User;
    /// Whether the owner of `congress_id` named this account among its scrutineers.
    fn scrutinises(&self, congress_id: &CongressId) -> bool;
}

impl<T: Principal> Principal for &T {
    fn user(&self) -> &User {
        (**self).user()
    }
    fn scrutinises(&self, congress_id: &CongressId) -> bool {
        (**self).scrutinises(congress_id)
    }
}

impl Principal for Staff {
    fn user(&self) -> &User {
        &self.user
    }
    fn scrutinises(&self, congress_id: &CongressId) -> bool {
        self.scrutinises.iter().any(|c| c == congress_id)
    }
}

impl Principal for ApiUser {
    fn user(&self) -> &User {
        &self.user
    }
    fn scrutinises(&self, congress_id: &CongressId) -> bool {
        self.scrutinises.iter().any(|c| c == congress_id)
    }
}

/// The congresses a scrutineer account is named for (none for an organiser).
fn scrutinised(
    c: &mut crate::storage::DbConnection,
    user: &User,
) -> Result<Vec<CongressId>, WebError> {
    Ok(if user.role == Role::Scrutineer {
        crate::storage::repo::scrutineers::congresses_of_account(c, &user.id)?
    } else {
        Vec::new()
    })
}

/// What a request needs of a congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Read anything: the owner and the congress's scrutineers.
    Read,
    /// Scrutineer actions (check-in, paper ballots): the owner and the congress's scrutineers.
    Scrutinise,
    /// Change anything: only the owning organiser.
    Own,
}

/// The access rule, in one place.
pub fn authorize(who: &impl Principal, congress: &Congress, need: Need) -> Result<(), WebError> {
    let user = who.user();
    let owner = user.role == Role::Organiser && user.id == congress.owner_id;
    let member = user.role == Role::Scrutineer && who.scrutinises(&congress.id);
    let allowed = match need {
        Need::Read | Need::Scrutinise => owner || member,
        Need::Own => owner,
    };
    if allowed {
        Ok(())
    } else if member {
        Err(WebError::Forbidden(
            "监票人账户只能查看, 不能修改大会设置".to_string(),
        ))
    } else if user.role == Role::Scrutineer {
        Err(WebError::Forbidden(NOT_NAMED.to_string()))
    } else {
        Err(WebError::Forbidden(
            "这不是您创建的大会, 您没有权限查看或修改它".to_string(),
        ))
    }
}

/// Why a scrutineer account may not see a congress it is not named for.
pub const NOT_NAMED: &str =
    "您不是这次大会的监票人员: 只有组织者在“监票人员”中关联了您的账户, 您才能查看它";

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::internal("application state missing"))
}

impl FromRequest for Staff {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Staff, WebError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req)?;
            let session = state.sessions.staff(&req).ok_or(WebError::Unauthorized)?;
            let uid = session.uid.clone();
            let (user, scrutinises) = state
                .run(move |c| {
                    let Some(user) = users::by_id(c, &uid)? else {
                        return Ok(None);
                    };
                    let list = scrutinised(c, &user)?;
                    Ok(Some((user, list)))
                })
                .await?
                .ok_or(WebError::Unauthorized)?;
            // A password change or a logout since the session began ends it.
            if !crate::crypto::ct_eq(
                password_version(&user.password_hash).as_bytes(),
                session.pwv.as_bytes(),
            ) || user.session_epoch != session.epoch
            {
                return Err(WebError::Unauthorized);
            }
            Ok(Staff {
                user,
                session,
                scrutinises,
            })
        })
    }
}

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req)?;
            let token = req
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .ok_or(ApiError(WebError::Unauthorized))?;
            // Only the SHA-256 of a token is stored; looking up by hash leaks no timing about
            // the token itself.
            let hash = crate::crypto::sha256_hex(token.as_bytes());
            let bucket = format!("api-token:addr:{}", client_addr(&req));
            let since = crate::storage::now_ms() - TOKEN_WINDOW_MS;
            let found = state
                .run(move |c| {
                    // While the address is locked out even a right token is refused, so the
                    // lock cannot be used to tell a right guess from a wrong one.
                    if users::failures_since(c, &bucket, since)? >= MAX_TOKEN_FAILURES {
                        return Ok(Err(()));
                    }
                    let user = users::user_by_token_hash(c, &hash)?;
                    let Some(user) = user else {
                        users::record_failure(c, &bucket)?;
                        return Ok(Ok(None));
                    };
                    let list = scrutinised(c, &user)?;
                    Ok(Ok(Some((user, list))))
                })
                .await?;
            match found {
                Ok(Some((user, scrutinises))) => Ok(ApiUser { user, scrutinises }),
                Ok(None) => Err(ApiError(WebError::Unauthorized)),
                Err(()) => Err(ApiError(WebError::Throttled(format!(
                    "API 令牌错误次数过多: 同一地址{}分钟内最多{}次错误, 请{}分钟后再试",
                    TOKEN_WINDOW_MS / 60_000,
                    MAX_TOKEN_FAILURES,
                    TOKEN_WINDOW_MS / 60_000
                )))),
            }
        })
    }
}

/// The client's address for audit and throttling: the peer address (a reverse proxy in front
/// should be configured to be the only peer; `X-Forwarded-For` is not trusted).
pub fn client_addr(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}
