//! Organiser and scrutineer accounts: creating them and their API tokens, logging in (with
//! the throttle), logging out and changing the password.
//!
//! Login is throttled: after 5 failures for one account, or from one address, within 10
//! minutes, further attempts are refused until the window passes, without even checking the
//! password, so guessing is capped at 5 tries per 10 minutes per account and per address.

use crate::crypto::password::{hash_password, verify_password};
use crate::crypto::sha256_hex;
use crate::crypto::token::{hash_secret, new_token};
use crate::storage::repo::users::{self, Role, User};
use crate::storage::{now_ms, write_tx, Db, DbConnection};

use super::{Actor, ServiceError, ServiceResult};

/// Failures allowed per account and per address within the window.
pub const MAX_FAILURES: i64 = 5;
/// The throttling window.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The audit log's actor for a login attempt with a username that does not exist: what was
/// typed is never kept (people type passwords into the name field).
pub const UNKNOWN_USERNAME: &str = "(不存在的用户名)";

/// Checks a username: 2-32 characters, letters (any script), digits, `_ - .`.
pub fn validate_username(name: &str) -> ServiceResult<()> {
    let n = name.chars().count();
    let ok_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if (2..=32).contains(&n) && ok_chars {
        Ok(())
    } else {
        Err(ServiceError::invalid(format!(
            "用户名“{name}”无效: 应为2到32个字符, 只含字母、数字、下划线、连字符或点"
        )))
    }
}

/// Creates an account. `must_change` marks a one-time password.
pub fn create_user(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    role: Role,
    password: &str,
    must_change: bool,
) -> ServiceResult<User> {
    validate_username(username)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(format!(
            "密码太短: 至少需要{MIN_PASSWORD_CHARS}个字符"
        )));
    }
    let hash = hash_password(password).map_err(ServiceError::internal)?;
    write_tx(conn, |c| {
        if users::by_username(c, username)?.is_some() {
            return Err(ServiceError::Conflict(format!("用户名“{username}”已存在")));
        }
        let user = users::create(c, username, &hash, role, must_change)?;
        actor.audit(
            c,
            None,
            "account.create",
            Some(username),
            None,
            Some(format!("{{\"role\":\"{}\"}}", role.as_str())),
        )?;
        Ok(user)
    })
}

/// Issues an API token for `username`; returns the token (shown once; only its hash is kept).
pub fn create_token(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    label: &str,
) -> ServiceResult<String> {
    let token = new_token();
    let hash = hash_secret(&token);
    write_tx(conn, |c| {
        let user = users::by_username(c, username)?
            .ok_or_else(|| ServiceError::NotFound(format!("用户“{username}”不存在")))?;
        let id = users::create_token(c, &user.id, &hash, label)?;
        actor.audit(
            c,
            None,
            "account.token_create",
            Some(username),
            None,
            Some(format!("{{\"token_id\":\"{id}\"}}")),
        )?;
        Ok(token)
    })
}

/// How a login attempt ended.
#[derive(Debug)]
pub enum LoginOutcome {
    /// The password is right: the account, to open a session for.
    LoggedIn(User),
    /// Unknown account or wrong password (the two are not told apart).
    Refused,
    /// Too many failures for this account or address: the password was not checked.
    Throttled,
}

/// A login attempt by `username` (as typed) with `password` from address `addr`. The attempt
/// is reserved as a failure in both buckets before the password is checked, so simultaneous
/// guesses cannot all pass the throttle; a success removes it again. Each step takes its own
/// connection from `db` and none is held while argon2 runs.
pub fn login(db: &Db, username: &str, password: &str, addr: &str) -> ServiceResult<LoginOutcome> {
    let username = username.trim();
    // Only a hash of the typed name is kept: people do type passwords into the name field.
    let user_bucket = format!("login:user:{}", sha256_hex(username.as_bytes()));
    let addr_bucket = format!("login:addr:{addr}");
    let since = now_ms() - WINDOW_MS;
    let reserved = write_tx(&mut *db.conn()?, |c| {
        Ok::<_, ServiceError>(users::reserve_attempt(
            c,
            &[&user_bucket, &addr_bucket],
            since,
            MAX_FAILURES,
        )?)
    })?;
    let user = users::by_username(&mut *db.conn()?, username)?;
    // The audit log names the account only when it exists, never what was typed otherwise.
    let anonymous = Actor {
        username: user
            .as_ref()
            .map_or(UNKNOWN_USERNAME.to_string(), |u| u.username.clone()),
        role: "anonymous".to_string(),
        addr: Some(addr.to_string()),
    };
    let Some(reserved) = reserved else {
        anonymous.audit(
            &mut *db.conn()?,
            None,
            "auth.login_throttled",
            None,
            None,
            None,
        )?;
        return Ok(LoginOutcome::Throttled);
    };
    // Verify even for unknown users (against a fixed hash) so timing does not reveal which
    // usernames exist.
    let verified = match user {
        Some(u) if verify_password(password, &u.password_hash) => Some(u),
        Some(_) => None,
        None => {
            verify_password(password, dummy_hash());
            None
        }
    };
    let Some(user) = verified else {
        // The reserved attempt stays as the failure in both buckets.
        write_tx(&mut *db.conn()?, |c| {
            anonymous.audit(c, None, "auth.login_failed", None, None, None)
        })?;
        return Ok(LoginOutcome::Refused);
    };
    let actor = Actor {
        username: user.username.clone(),
        role: user.role.as_str().to_string(),
        addr: Some(addr.to_string()),
    };
    write_tx(&mut *db.conn()?, |c| {
        users::clear_failures(c, &user_bucket)?;
        // A successful login is no failure of its address either.
        for id in &reserved {
            users::forget_failure(c, id)?;
        }
        actor.audit(c, None, "auth.login", None, None, None)
    })?;
    Ok(LoginOutcome::LoggedIn(user))
}

/// A real argon2id hash of a throwaway password, verified against for unknown usernames so
/// they take as long as known ones.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

/// Logs `user` out everywhere: the account's session epoch moves on, so every session of the
/// account ends on every app server sharing the database.
pub fn logout(conn: &mut DbConnection, user: &User, addr: &str) -> ServiceResult<()> {
    let actor = Actor {
        username: user.username.clone(),
        role: user.role.as_str().to_string(),
        addr: Some(addr.to_string()),
    };
    write_tx(conn, |c| {
        users::end_sessions(c, &user.id)?;
        actor.audit(c, None, "auth.logout", None, None, None)?;
        Ok(())
    })
}

/// `user` changes their own password: `new` typed twice the same, at least
/// [`MIN_PASSWORD_CHARS`] characters, `current` right. Returns the new hash (the caller keeps
/// its session under it; the account's other sessions end). Refusals are `Invalid` with the
/// message to show.
pub fn change_password(
    db: &Db,
    user: &User,
    current: &str,
    new: &str,
    confirm: &str,
    addr: &str,
) -> ServiceResult<String> {
    if new != confirm {
        return Err(ServiceError::invalid("两次输入的新密码不一致。"));
    }
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServiceError::invalid(format!(
            "新密码太短: 至少需要{MIN_PASSWORD_CHARS}个字符。"
        )));
    }
    if !verify_password(current, &user.password_hash) {
        return Err(ServiceError::invalid("当前密码不正确。"));
    }
    let new_hash = hash_password(new).map_err(ServiceError::internal)?;
    let actor = Actor {
        username: user.username.clone(),
        role: user.role.as_str().to_string(),
        addr: Some(addr.to_string()),
    };
    write_tx(&mut *db.conn()?, |c| {
        users::set_password(c, &user.id, &new_hash, false)?;
        actor.audit(c, None, "auth.password_changed", None, None, None)?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(new_hash)
}
