//! What can go wrong below the service layer, in English for the logs. Each variant says what
//! failed and keeps its cause as `source()`; the web layer shows a generic sentence and logs
//! the chain, the command line words the error in Chinese (`cli::describe`).

use std::path::PathBuf;

use crate::errors::BoxError;

/// Storage errors. Constraint violations are surfaced separately so callers can turn
/// "already exists" into a domain answer instead of a 500.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A query or a transaction failed (the cause is diesel's error).
    #[error("database query failed")]
    Diesel(#[from] diesel::result::Error),
    /// The database could not be opened: an unreachable server, refused credentials, a
    /// directory or file that could not be created.
    #[error("cannot open database {url}")]
    Connect {
        url: String,
        #[source]
        cause: BoxError,
    },
    /// `OpenMode::Existing` and the SQLite file is not there (nothing was created).
    #[error("database file {} does not exist (`congress init` creates it)", .0.display())]
    Missing(PathBuf),
    #[error("database migration failed")]
    Migration(#[source] BoxError),
    /// No connection could be taken from the pool in time.
    #[error("no database connection available")]
    Pool(#[source] diesel::r2d2::PoolError),
    /// A stored value that cannot be read back (written by something else, or a bug).
    #[error("corrupt stored data: {what}")]
    Corrupt {
        what: String,
        #[source]
        cause: Option<BoxError>,
    },
    /// A count or position too large for its column (never clamped).
    #[error("value {value} does not fit column {column}")]
    OutOfRange { column: &'static str, value: String },
}

impl StorageError {
    /// Whether the error is a unique / primary-key violation.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StorageError::Diesel(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }

    /// Stored data that makes no sense: `what` names the row, column and value.
    pub fn corrupt(what: impl Into<String>) -> StorageError {
        StorageError::Corrupt {
            what: what.into(),
            cause: None,
        }
    }

    /// Stored data that cannot be read (or written) because of `cause` (a JSON error, ...).
    pub fn corrupt_because(what: impl Into<String>, cause: impl Into<BoxError>) -> StorageError {
        StorageError::Corrupt {
            what: what.into(),
            cause: Some(cause.into()),
        }
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::chain;

    #[test]
    fn the_cause_is_kept_not_glued_into_the_message() {
        let e = StorageError::from(diesel::result::Error::NotFound);
        assert_eq!(e.to_string(), "database query failed");
        assert_eq!(chain(&e), "database query failed: Record not found");
        let e = StorageError::corrupt_because(
            "congress c1: settings",
            serde_json::from_str::<u32>("x").unwrap_err(),
        );
        assert!(chain(&e).starts_with("corrupt stored data: congress c1: settings: expected"));
        assert_eq!(
            chain(&StorageError::corrupt("user u1: role x")),
            "corrupt stored data: user u1: role x"
        );
    }
}
