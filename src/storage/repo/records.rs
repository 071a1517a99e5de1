//! The signed record of a congress and its addenda, stored exactly as signed (the bytes are
//! what the signature covers; they are never rebuilt).

use diesel::prelude::*;

use crate::domain::ids::CongressId;
use crate::storage::models::{AddendumRow, RecordRow};
use crate::storage::schema::{addenda, records};
use crate::storage::{DbConnection, StorageResult};

pub fn insert(conn: &mut DbConnection, row: &RecordRow) -> StorageResult<()> {
    diesel::insert_into(records::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<Option<RecordRow>> {
    Ok(records::table
        .find(congress_id)
        .select(RecordRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_addendum(conn: &mut DbConnection, row: &AddendumRow) -> StorageResult<()> {
    diesel::insert_into(addenda::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The addenda of a congress, each kind in sequence (the first, then its corrections).
pub fn addenda(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<AddendumRow>> {
    Ok(addenda::table
        .filter(addenda::congress_id.eq(congress_id))
        .order((addenda::kind, addenda::seq))
        .select(AddendumRow::as_select())
        .load(conn)?)
}
