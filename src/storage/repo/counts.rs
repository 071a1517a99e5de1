//! Counting queries for the confirmation pages (`service::previews`): how many rows an action
//! would replace or touch, counted in the database rather than loaded.

use diesel::prelude::*;

use crate::domain::ids::CongressId;
use crate::storage::schema::{delegates, enrolment, nominees, societies};
use crate::storage::{DbConnection, StorageResult};

/// Rows of the stored enrolment (one per college and grade).
pub fn enrolment_rows(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<i64> {
    Ok(enrolment::table
        .filter(enrolment::congress_id.eq(cid))
        .count()
        .get_result(conn)?)
}

/// Stored societies.
pub fn society_rows(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<i64> {
    Ok(societies::table
        .filter(societies::congress_id.eq(cid))
        .count()
        .get_result(conn)?)
}

/// Stored nominees.
pub fn nominee_rows(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<i64> {
    Ok(nominees::table
        .filter(nominees::congress_id.eq(cid))
        .count()
        .get_result(conn)?)
}

/// Delegates on the stored roster.
pub fn delegates(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<i64> {
    Ok(delegates::table
        .filter(delegates::congress_id.eq(cid))
        .count()
        .get_result(conn)?)
}

/// Delegates whose card has been issued.
pub fn cards_issued(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<i64> {
    Ok(delegates::table
        .filter(delegates::congress_id.eq(cid))
        .filter(delegates::token_issued_at.is_not_null())
        .count()
        .get_result(conn)?)
}

/// Delegates checked in (实到).
pub fn present(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<i64> {
    Ok(delegates::table
        .filter(delegates::congress_id.eq(cid))
        .filter(delegates::present.eq(true))
        .count()
        .get_result(conn)?)
}
