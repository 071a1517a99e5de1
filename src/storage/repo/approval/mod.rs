//! The candidates' notes for the public notice, the signed approval steps (stored exactly as
//! signed) and the objections (rules C5-C7, G4).

pub mod schema;

use diesel::prelude::*;

use self::schema::{approval_steps, candidate_notes, objections};
use crate::domain::ids::CongressId;
use crate::storage::{DbConnection, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = candidate_notes)]
pub struct NoteRow {
    pub candidate_id: String,
    pub grade: String,
    pub union_post: String,
    pub profile: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = approval_steps)]
pub struct StepRow {
    pub id: String,
    pub congress_id: String,
    pub contest_id: Option<String>,
    pub kind: String,
    pub seq: i32,
    pub body_json: String,
    pub sig: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = objections)]
pub struct ObjectionRow {
    pub id: String,
    pub congress_id: String,
    pub contest_id: String,
    pub candidate_id: String,
    pub candidate_name: String,
    pub body: String,
    pub name: String,
    pub contact: String,
    pub created_at: i64,
    pub handling: Option<String>,
    pub handled_at: Option<i64>,
    pub handled_by: Option<String>,
}

/// The notes of the candidates `ids` (missing ones are simply absent).
pub fn notes(conn: &mut DbConnection, ids: &[String]) -> StorageResult<Vec<NoteRow>> {
    Ok(candidate_notes::table
        .filter(candidate_notes::candidate_id.eq_any(ids))
        .select(NoteRow::as_select())
        .load(conn)?)
}

/// Sets a candidate's notes (insert or replace).
pub fn set_note(conn: &mut DbConnection, row: &NoteRow) -> StorageResult<()> {
    let n = diesel::update(candidate_notes::table.find(&row.candidate_id))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(candidate_notes::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_step(conn: &mut DbConnection, row: &StepRow) -> StorageResult<()> {
    diesel::insert_into(approval_steps::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A congress's steps in the order recorded.
pub fn steps(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<Vec<StepRow>> {
    Ok(approval_steps::table
        .filter(approval_steps::congress_id.eq(congress_id))
        .order(approval_steps::seq)
        .select(StepRow::as_select())
        .load(conn)?)
}

/// The next step number of a congress (1 for the first).
pub fn next_seq(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<i32> {
    let max: Option<i32> = approval_steps::table
        .filter(approval_steps::congress_id.eq(congress_id))
        .select(diesel::dsl::max(approval_steps::seq))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn insert_objection(conn: &mut DbConnection, row: &ObjectionRow) -> StorageResult<()> {
    diesel::insert_into(objections::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A congress's objections, oldest first.
pub fn objections(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<ObjectionRow>> {
    Ok(objections::table
        .filter(objections::congress_id.eq(congress_id))
        .order((objections::created_at, objections::id))
        .select(ObjectionRow::as_select())
        .load(conn)?)
}

/// Records how an objection was handled; `false` when it was already handled (or is gone).
pub fn set_handling(
    conn: &mut DbConnection,
    id: &str,
    handling: &str,
    at: i64,
    by: &str,
) -> StorageResult<bool> {
    let n = diesel::update(
        objections::table
            .filter(objections::id.eq(id))
            .filter(objections::handling.is_null()),
    )
    .set((
        objections::handling.eq(handling),
        objections::handled_at.eq(at),
        objections::handled_by.eq(by),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
