//! Organiser and scrutineer accounts and API tokens.

use crate::crypto::password::hash_password;
use crate::crypto::token::{hash_secret, new_token};
use crate::storage::repo::users::{self, Role, User};
use crate::storage::{write_tx, DbConnection};

use super::{Actor, ServiceError, ServiceResult};

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
    if password.chars().count() < 10 {
        return Err(ServiceError::invalid("密码太短: 至少需要10个字符"));
    }
    let hash = hash_password(password).map_err(|e| ServiceError::Internal(e.to_string()))?;
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
