//! Uploads waiting for confirmation (`pending_uploads`): a checked file kept until its
//! uploader confirms or cancels it, or it expires. One use: taking a row deletes it.

use diesel::prelude::*;

use crate::storage::schema::pending_uploads;
use crate::storage::{DbConnection, StorageResult};

/// A stored pending upload.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, PartialEq, Eq)]
#[diesel(table_name = pending_uploads)]
pub struct PendingUpload {
    pub id: String,
    pub congress_id: String,
    /// The account that uploaded it (only it may confirm).
    pub username: String,
    /// enrolment / societies / nominees / roster / candidates
    pub kind: String,
    /// The contest of a candidates file.
    pub contest_id: Option<String>,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// Rows stored when the file was staged (what it would replace).
    pub replaces: i64,
    /// The file's data rows.
    pub new_rows: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

pub fn insert(conn: &mut DbConnection, row: &PendingUpload) -> StorageResult<()> {
    diesel::insert_into(pending_uploads::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The pending upload `id`, whoever made it and whether expired or not.
pub fn get(conn: &mut DbConnection, id: &str) -> StorageResult<Option<PendingUpload>> {
    Ok(pending_uploads::table
        .find(id)
        .select(PendingUpload::as_select())
        .first(conn)
        .optional()?)
}

/// Deletes `id`; whether a row was deleted (false: already taken by another request).
pub fn delete(conn: &mut DbConnection, id: &str) -> StorageResult<bool> {
    Ok(diesel::delete(pending_uploads::table.find(id)).execute(conn)? == 1)
}

/// Whether any pending upload expired before `now` (ms).
pub fn any_expired(conn: &mut DbConnection, now: i64) -> StorageResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        pending_uploads::table.filter(pending_uploads::expires_at.lt(now)),
    ))
    .get_result(conn)?)
}

/// Deletes every pending upload that expired before `now` (ms); how many.
pub fn purge_expired(conn: &mut DbConnection, now: i64) -> StorageResult<usize> {
    Ok(
        diesel::delete(pending_uploads::table.filter(pending_uploads::expires_at.lt(now)))
            .execute(conn)?,
    )
}
