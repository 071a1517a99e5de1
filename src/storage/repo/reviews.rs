//! The definitions of 述职评议 contests (`domain::review::ReviewDefinition`), one JSON
//! document per review contest in `contest_reviews`.

use diesel::prelude::*;

use crate::domain::ids::ContestId;
use crate::domain::review::ReviewDefinition;
use crate::storage::schema::contest_reviews;
use crate::storage::{DbConnection, StorageError, StorageResult};

/// The review definition of contest `contest_id`, if it has one.
pub fn get(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Option<ReviewDefinition>> {
    let text: Option<String> = contest_reviews::table
        .find(contest_id)
        .select(contest_reviews::definition)
        .first(conn)
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            StorageError::corrupt_because(format!("contest_review {contest_id}: definition"), e)
        })
    })
    .transpose()
}

/// Writes (inserts or replaces) the review definition of contest `contest_id`.
pub fn put(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    def: &ReviewDefinition,
) -> StorageResult<()> {
    let text = serde_json::to_string(def).map_err(|e| {
        StorageError::corrupt_because(format!("contest_review {contest_id}: encode"), e)
    })?;
    let updated = diesel::update(contest_reviews::table.find(contest_id))
        .set(contest_reviews::definition.eq(&text))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(contest_reviews::table)
            .values((
                contest_reviews::contest_id.eq(contest_id),
                contest_reviews::definition.eq(&text),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes the review definition of contest `contest_id` (with the contest).
pub fn delete(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<()> {
    diesel::delete(contest_reviews::table.find(contest_id)).execute(conn)?;
    Ok(())
}
