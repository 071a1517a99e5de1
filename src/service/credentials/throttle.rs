//! The delegates' login throttle: wrong card tokens or codes counted per address. A hall's
//! Wi-Fi puts hundreds of phones behind one address, so the allowance is generous; a 130-bit
//! token or 49-bit code cannot be guessed anyway. A right token or code is never refused.

use crate::storage::repo::users;
use crate::storage::{now_ms, DbConnection};

use crate::service::ServiceResult;

/// Wrong tokens or codes answered at once per address in the window; past it the caller
/// slows its answer down.
pub const MAX_LOGIN_FAILURES: i64 = 30;
/// The throttling window.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;

/// Records a failed card login from `addr`; returns whether the address is past its
/// allowance.
pub fn record_failed_login(conn: &mut DbConnection, addr: &str) -> ServiceResult<bool> {
    let bucket = format!("delegate-login:addr:{addr}");
    let before = users::failures_since(conn, &bucket, now_ms() - WINDOW_MS)?;
    // Past the allowance the bucket is full anyway: no row per further guess.
    if before <= MAX_LOGIN_FAILURES {
        users::record_failure(conn, &bucket)?;
    }
    Ok(before >= MAX_LOGIN_FAILURES)
}
