//! Application services: one function per organiser, scrutineer or delegate action.
//!
//! Each checks the congress's state, calls the rules in `domain`, writes through `storage` and
//! records the audit entry, all in one transaction, so the HTML pages, the JSON API, the CLI and
//! the simulator do exactly the same thing. Authorisation (who may call) is the caller's job
//! (`web::auth`); services trust their `Actor`.

pub mod accounts;
pub mod addenda;
pub mod approval;
pub mod attendance;
pub mod ballot_box;
pub mod congress;
pub mod contests;
pub mod credentials;
pub mod delegate_filter;
pub mod group_commit;
pub mod ledger;
pub mod papers;
pub mod pending;
pub mod previews;
pub mod publish;
pub mod record;
pub mod results;
pub mod roster;
pub mod scrutineers;
pub mod term;
pub mod voting;

use crate::domain::contest::ContestRefusal;
use crate::domain::ids::CongressId;
use crate::domain::state::StateError;
use crate::errors::BoxError;
use crate::storage::repo::audit;
use crate::storage::{DbConnection, StorageError};

/// Who performs an action, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub username: String,
    /// organiser / scrutineer / system
    pub role: String,
    pub addr: Option<String>,
}

impl Actor {
    /// An action from the command line (`congress ...` run by the machine's administrator).
    pub fn cli(name: &str) -> Actor {
        Actor {
            username: format!("cli:{name}"),
            role: "system".to_string(),
            addr: None,
        }
    }

    /// Records an audit entry for this actor.
    pub fn audit(
        &self,
        conn: &mut DbConnection,
        congress_id: Option<&CongressId>,
        action: &str,
        target: Option<&str>,
        before: Option<String>,
        after: Option<String>,
    ) -> Result<(), StorageError> {
        audit::record(
            conn,
            audit::Entry {
                actor: &self.username,
                role: &self.role,
                congress_id: congress_id.map(CongressId::as_str),
                action,
                target,
                addr: self.addr.as_deref(),
                before,
                after,
            },
        )
    }
}

/// Why an action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    State(#[from] StateError),
    /// Input that breaks a rule or a format; `details` lists every problem (file, row, column).
    #[error("{message}")]
    Invalid {
        message: String,
        details: Vec<String>,
    },
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Not the user's doing: a broken invariant, unreadable stored data, a failing key store.
    /// The cause is kept; the caller words it.
    #[error(transparent)]
    Internal(BoxError),
}

/// A contest refusing an action (`domain::contest`) is a conflict with its state.
impl From<ContestRefusal> for ServiceError {
    fn from(r: ContestRefusal) -> Self {
        ServiceError::Conflict(r.message)
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::Storage(StorageError::Diesel(e))
    }
}

impl ServiceError {
    /// The message with every detail, one per line, and an internal error's causes (for the
    /// command line).
    pub fn full(&self) -> String {
        match self {
            ServiceError::Invalid { message, details } if !details.is_empty() => {
                format!("{message}:\n  {}", details.join("\n  "))
            }
            other => crate::errors::chain(other),
        }
    }

    /// An internal error with its cause (an error, or a sentence saying what broke).
    pub fn internal(cause: impl Into<BoxError>) -> ServiceError {
        ServiceError::Internal(cause.into())
    }

    pub fn invalid(message: impl Into<String>) -> ServiceError {
        ServiceError::Invalid {
            message: message.into(),
            details: Vec::new(),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// `v` as JSON for an audit entry's before / after: a value that cannot be written is an
/// internal error, never an entry silently missing its detail.
pub(crate) fn audit_json<T: serde::Serialize + ?Sized>(v: &T) -> ServiceResult<Option<String>> {
    serde_json::to_string(v)
        .map(Some)
        .map_err(|e| ServiceError::internal(crate::errors::context("audit detail as JSON", e)))
}

/// The 1-based position of the item at `index` (agenda order, ballot order): checked, never
/// clamped.
pub(crate) fn position(index: usize) -> ServiceResult<u32> {
    index
        .checked_add(1)
        .and_then(|p| u32::try_from(p).ok())
        .ok_or_else(|| ServiceError::internal(format!("position {index} + 1 does not fit u32")))
}
