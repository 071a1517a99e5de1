//! Delegates' credentials (hashes of their card token and manual code), sessions and presence.

use diesel::prelude::*;

use crate::domain::ids::{CongressId, DelegateId};
use crate::storage::models::DelegateRow;
use crate::storage::schema::delegates;
use crate::storage::{DbConnection, StorageResult};

use super::roster::Delegate;

/// Stores the hashes of a delegate's new credential; the issue time is the derivation nonce.
pub fn set_credential(
    conn: &mut DbConnection,
    delegate_id: &DelegateId,
    token_hash: &str,
    code_hash: &str,
    issued_at: i64,
) -> StorageResult<()> {
    diesel::update(delegates::table.find(delegate_id))
        .set((
            delegates::token_hash.eq(token_hash),
            delegates::code_hash.eq(code_hash),
            delegates::token_issued_at.eq(issued_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// (delegate id, token issue time) of every delegate of a congress, in number order.
pub fn issue_times(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<(String, Option<i64>)>> {
    Ok(delegates::table
        .filter(delegates::congress_id.eq(congress_id))
        .order(delegates::delegate_no)
        .select((delegates::id, delegates::token_issued_at))
        .load(conn)?)
}

pub fn issued_at(conn: &mut DbConnection, delegate_id: &DelegateId) -> StorageResult<Option<i64>> {
    Ok(delegates::table
        .find(delegate_id)
        .select(delegates::token_issued_at)
        .first::<Option<i64>>(conn)
        .optional()?
        .flatten())
}

pub fn by_token_hash(conn: &mut DbConnection, hash: &str) -> StorageResult<Option<Delegate>> {
    delegates::table
        .filter(delegates::token_hash.eq(hash))
        .select(DelegateRow::as_select())
        .first(conn)
        .optional()?
        .map(Delegate::try_from)
        .transpose()
}

pub fn by_code_hash(conn: &mut DbConnection, hash: &str) -> StorageResult<Option<Delegate>> {
    delegates::table
        .filter(delegates::code_hash.eq(hash))
        .select(DelegateRow::as_select())
        .first(conn)
        .optional()?
        .map(Delegate::try_from)
        .transpose()
}

/// Starts a new delegate session: increments the epoch, which ends the session of any other
/// device. Returns the new epoch.
pub fn bump_epoch(conn: &mut DbConnection, delegate_id: &DelegateId) -> StorageResult<i64> {
    diesel::update(delegates::table.find(delegate_id))
        .set(delegates::session_epoch.eq(delegates::session_epoch + 1))
        .execute(conn)?;
    Ok(delegates::table
        .find(delegate_id)
        .select(delegates::session_epoch)
        .first(conn)?)
}

pub fn epoch(conn: &mut DbConnection, delegate_id: &DelegateId) -> StorageResult<Option<i64>> {
    Ok(delegates::table
        .find(delegate_id)
        .select(delegates::session_epoch)
        .first(conn)
        .optional()?)
}

/// Marks a delegate present (with the time) or absent; returns whether anything changed.
pub fn set_present(
    conn: &mut DbConnection,
    delegate_id: &DelegateId,
    present: bool,
    at: i64,
) -> StorageResult<bool> {
    let n = diesel::update(
        delegates::table
            .find(delegate_id)
            .filter(delegates::present.eq(!present)),
    )
    .set((
        delegates::present.eq(present),
        delegates::checked_in_at.eq(if present { Some(at) } else { None }),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn set_absence_approved(
    conn: &mut DbConnection,
    delegate_id: &DelegateId,
    approved: bool,
    reason: Option<&str>,
) -> StorageResult<()> {
    diesel::update(delegates::table.find(delegate_id))
        .set((
            delegates::absence_approved.eq(approved),
            delegates::absence_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ids of the delegates present now, in number order.
pub fn present_ids(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<String>> {
    Ok(delegates::table
        .filter(delegates::congress_id.eq(congress_id))
        .filter(delegates::present.eq(true))
        .order(delegates::delegate_no)
        .select(delegates::id)
        .load(conn)?)
}
