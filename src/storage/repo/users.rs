//! Organiser and scrutineer accounts, API tokens and login throttling records.
//! Passwords are stored only as argon2id hashes and tokens only as SHA-256 hashes; hashing
//! happens above this module.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::storage::models::{ApiTokenRow, ThrottleEventRow, UserRow};
use crate::storage::schema::{api_tokens, throttle_events, users};
use crate::storage::{now_ms, DbConnection, StorageError, StorageResult};

use super::new_id;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 组织者 (校团委 / 学生会秘书处): everything for the congresses they own.
    Organiser,
    /// 监票人: read-only everywhere, plus the scrutineer actions (check-in, paper ballots).
    Scrutineer,
    /// 上级学联 / 团委 filing office (`congress registry`): every school's filings.
    Office,
    /// A school's filing account (`congress registry`): its own school's filings only.
    School,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Organiser => "organiser",
            Role::Scrutineer => "scrutineer",
            Role::Office => "office",
            Role::School => "school",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "organiser" | "organizer" => Some(Role::Organiser),
            "scrutineer" => Some(Role::Scrutineer),
            "office" => Some(Role::Office),
            "school" => Some(Role::School),
            _ => None,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Role::Organiser => "组织者",
            Role::Scrutineer => "监票人",
            Role::Office => "上级学联",
            Role::School => "学校备案",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub must_change_password: bool,
    pub created_at: i64,
    /// Staff sessions carry the epoch they started in; logging out bumps it (all of this
    /// account's sessions end, on every app server).
    pub session_epoch: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;
    fn try_from(r: UserRow) -> StorageResult<User> {
        let role = Role::parse(&r.role)
            .ok_or_else(|| StorageError::corrupt(format!("user {}: role {}", r.id, r.role)))?;
        Ok(User {
            id: r.id,
            username: r.username,
            password_hash: r.password_hash,
            role,
            must_change_password: r.must_change_password,
            created_at: r.created_at,
            session_epoch: r.session_epoch,
        })
    }
}

pub fn create(
    conn: &mut DbConnection,
    username: &str,
    password_hash: &str,
    role: Role,
    must_change_password: bool,
) -> StorageResult<User> {
    let row = UserRow {
        id: new_id("u"),
        username: username.to_string(),
        password_hash: password_hash.to_string(),
        role: role.as_str().to_string(),
        must_change_password,
        created_at: now_ms(),
        session_epoch: 0,
    };
    diesel::insert_into(users::table)
        .values(&row)
        .execute(conn)?;
    User::try_from(row)
}

pub fn by_username(conn: &mut DbConnection, username: &str) -> StorageResult<Option<User>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> StorageResult<Option<User>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

pub fn list(conn: &mut DbConnection) -> StorageResult<Vec<User>> {
    users::table
        .order(users::username)
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// Ends every session of the account (logout): bumps its session epoch.
pub fn end_sessions(conn: &mut DbConnection, id: &str) -> StorageResult<()> {
    diesel::update(users::table.find(id))
        .set(users::session_epoch.eq(users::session_epoch + 1))
        .execute(conn)?;
    Ok(())
}

pub fn set_password(
    conn: &mut DbConnection,
    id: &str,
    password_hash: &str,
    must_change_password: bool,
) -> StorageResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(must_change_password),
        ))
        .execute(conn)?;
    Ok(())
}

// --- API tokens ----------------------------------------------------------------------------

pub fn create_token(
    conn: &mut DbConnection,
    user_id: &str,
    token_hash: &str,
    label: &str,
) -> StorageResult<String> {
    let id = new_id("t");
    diesel::insert_into(api_tokens::table)
        .values(ApiTokenRow {
            id: id.clone(),
            user_id: user_id.to_string(),
            token_hash: token_hash.to_string(),
            label: label.to_string(),
            created_at: now_ms(),
            revoked_at: None,
        })
        .execute(conn)?;
    Ok(id)
}

/// The user owning a live (not revoked) token with this hash.
pub fn user_by_token_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> StorageResult<Option<User>> {
    let row: Option<UserRow> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(User::try_from).transpose()
}

pub fn revoke_token(conn: &mut DbConnection, id: &str) -> StorageResult<bool> {
    let n = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now_ms()))
    .execute(conn)?;
    Ok(n == 1)
}

// --- throttling ----------------------------------------------------------------------------

/// Records a failure in `bucket` (e.g. `login:user:alice`, `login:addr:10.0.0.5`); returns
/// the event's id.
pub fn record_failure(conn: &mut DbConnection, bucket: &str) -> StorageResult<String> {
    let id = new_id("f");
    diesel::insert_into(throttle_events::table)
        .values(ThrottleEventRow {
            id: id.clone(),
            bucket: bucket.to_string(),
            at: now_ms(),
        })
        .execute(conn)?;
    Ok(id)
}

/// Takes one attempt from each of `buckets` unless one of them already holds `max` failures
/// since `since_ms` (`None`: throttled). The attempt is recorded as a failure in each bucket
/// *before* the password is checked, so simultaneous attempts cannot all see the same count;
/// a successful attempt removes its events again (`forget_failure`). Call inside
/// `write_tx`: SQLite's immediate transaction serialises it; on PostgreSQL the table lock
/// makes concurrent reservations take turns.
pub fn reserve_attempt(
    conn: &mut DbConnection,
    buckets: &[&str],
    since_ms: i64,
    max: i64,
) -> StorageResult<Option<Vec<String>>> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("LOCK TABLE throttle_events IN SHARE ROW EXCLUSIVE MODE").execute(c)?;
    }
    for b in buckets {
        if failures_since(conn, b, since_ms)? >= max {
            return Ok(None);
        }
    }
    let mut ids = Vec::with_capacity(buckets.len());
    for b in buckets {
        ids.push(record_failure(conn, b)?);
    }
    Ok(Some(ids))
}

/// Removes one recorded failure (a reserved attempt that succeeded).
pub fn forget_failure(conn: &mut DbConnection, id: &str) -> StorageResult<()> {
    diesel::delete(throttle_events::table.find(id)).execute(conn)?;
    Ok(())
}

/// Failures in `bucket` since `since_ms`.
pub fn failures_since(conn: &mut DbConnection, bucket: &str, since_ms: i64) -> StorageResult<i64> {
    Ok(throttle_events::table
        .filter(throttle_events::bucket.eq(bucket))
        .filter(throttle_events::at.ge(since_ms))
        .count()
        .get_result(conn)?)
}

/// Forgets failures older than `before_ms` (called now and then; keeps the table small).
pub fn prune_failures(conn: &mut DbConnection, before_ms: i64) -> StorageResult<usize> {
    Ok(
        diesel::delete(throttle_events::table.filter(throttle_events::at.lt(before_ms)))
            .execute(conn)?,
    )
}

/// Forgets the failures of a bucket (after a successful login).
pub fn clear_failures(conn: &mut DbConnection, bucket: &str) -> StorageResult<()> {
    diesel::delete(throttle_events::table.filter(throttle_events::bucket.eq(bucket)))
        .execute(conn)?;
    Ok(())
}
