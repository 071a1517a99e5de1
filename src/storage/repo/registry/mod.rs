//! The filing office's rows (`congress registry`, docs/registry.md): schools, their accounts,
//! the signing keys pinned per congress, accepted filings, refusals and the office's
//! settings. Queries only; the rules live in `crate::registry`.

pub mod schema;

use diesel::prelude::*;
use serde::Serialize;

use crate::domain::ids::CongressId;
use crate::storage::{now_ms, DbConnection, StorageResult};
use schema::{
    registry_filings as filings, registry_keys as keys, registry_members as members,
    registry_refusals as refusals, registry_schools as schools, registry_settings as settings,
};

use super::new_id;

/// A school (or any unit) that files with the office.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = schools)]
pub struct School {
    #[serde(skip)]
    pub id: String,
    pub code: String,
    pub name: String,
    pub created_at: i64,
}

/// A pinned (or expected) signing key.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = keys)]
pub struct KeyPin {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub school_id: String,
    /// `None`: entered by the office for the school's next congress.
    pub congress_id: Option<String>,
    pub fingerprint: String,
    /// office | filing
    pub source: String,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

/// An accepted packet.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = filings)]
pub struct Filing {
    pub id: String,
    pub school_id: String,
    pub congress_id: String,
    pub congress_name: String,
    pub school_in_record: String,
    pub level: String,
    pub session_no: i64,
    pub congress_date: String,
    pub year: i32,
    pub record_sha256: String,
    pub packet_sha256: String,
    pub packet_bytes: i64,
    pub stored_as: String,
    pub key_fingerprint: String,
    pub checks: i32,
    pub record_json: String,
    pub roster_summary: String,
    pub addenda: String,
    pub uploaded_by: String,
    pub via: String,
    pub uploaded_at: i64,
}

/// A filing without its JSON (lists, the province table's dates).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = filings)]
pub struct FilingBrief {
    pub id: String,
    #[serde(skip)]
    pub school_id: String,
    pub congress_id: String,
    pub congress_name: String,
    pub level: String,
    pub session_no: i64,
    pub congress_date: String,
    pub year: i32,
    pub record_sha256: String,
    pub packet_sha256: String,
    pub packet_bytes: i64,
    pub key_fingerprint: String,
    pub checks: i32,
    pub uploaded_by: String,
    pub via: String,
    pub uploaded_at: i64,
}

/// A refused packet: only its hash and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = refusals)]
pub struct Refusal {
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub school_id: String,
    pub packet_sha256: String,
    pub packet_bytes: i64,
    pub reason: String,
    /// JSON array of the failed checks.
    pub details: String,
    pub uploaded_by: String,
    pub via: String,
    pub at: i64,
}

// --- schools and accounts -------------------------------------------------------------------

pub fn insert_school(conn: &mut DbConnection, code: &str, name: &str) -> StorageResult<School> {
    let row = School {
        id: new_id("rs"),
        code: code.to_string(),
        name: name.to_string(),
        created_at: now_ms(),
    };
    diesel::insert_into(schools::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Every school, by code.
pub fn schools(conn: &mut DbConnection) -> StorageResult<Vec<School>> {
    Ok(schools::table
        .order(schools::code.asc())
        .select(School::as_select())
        .load(conn)?)
}

pub fn school_by_code(conn: &mut DbConnection, code: &str) -> StorageResult<Option<School>> {
    Ok(schools::table
        .filter(schools::code.eq(code))
        .select(School::as_select())
        .first(conn)
        .optional()?)
}

pub fn school_by_name(conn: &mut DbConnection, name: &str) -> StorageResult<Option<School>> {
    Ok(schools::table
        .filter(schools::name.eq(name))
        .select(School::as_select())
        .first(conn)
        .optional()?)
}

pub fn school_by_id(conn: &mut DbConnection, id: &str) -> StorageResult<Option<School>> {
    Ok(schools::table
        .find(id)
        .select(School::as_select())
        .first(conn)
        .optional()?)
}

/// Takes the school's row lock until the transaction ends (PostgreSQL; SQLite's immediate
/// transactions already take turns), so two filings of one school are decided one after the
/// other.
pub fn lock_school(conn: &mut DbConnection, id: &str) -> StorageResult<()> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query("SELECT id FROM registry_schools WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(id)
            .execute(c)?;
    }
    Ok(())
}

/// Makes `user_id` a filing account of `school_id`.
pub fn add_member(conn: &mut DbConnection, user_id: &str, school_id: &str) -> StorageResult<()> {
    diesel::insert_into(members::table)
        .values((
            members::user_id.eq(user_id),
            members::school_id.eq(school_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// The school a school account files for.
pub fn school_of_user(conn: &mut DbConnection, user_id: &str) -> StorageResult<Option<School>> {
    let sid: Option<String> = members::table
        .find(user_id)
        .select(members::school_id)
        .first(conn)
        .optional()?;
    match sid {
        Some(id) => school_by_id(conn, &id),
        None => Ok(None),
    }
}

/// The user ids of a school's accounts.
pub fn member_ids(conn: &mut DbConnection, school_id: &str) -> StorageResult<Vec<String>> {
    Ok(members::table
        .filter(members::school_id.eq(school_id))
        .select(members::user_id)
        .load(conn)?)
}

// --- keys -----------------------------------------------------------------------------------

/// The school's pins, newest first.
pub fn keys_of_school(conn: &mut DbConnection, school_id: &str) -> StorageResult<Vec<KeyPin>> {
    Ok(keys::table
        .filter(keys::school_id.eq(school_id))
        .order(keys::created_at.desc())
        .select(KeyPin::as_select())
        .load(conn)?)
}

/// The pin of one congress of the school.
pub fn key_of_congress(
    conn: &mut DbConnection,
    school_id: &str,
    congress_id: &CongressId,
) -> StorageResult<Option<KeyPin>> {
    Ok(keys::table
        .filter(keys::school_id.eq(school_id))
        .filter(keys::congress_id.eq(congress_id))
        .select(KeyPin::as_select())
        .first(conn)
        .optional()?)
}

/// The key the office entered for the school's next congress, if any.
pub fn pending_key(conn: &mut DbConnection, school_id: &str) -> StorageResult<Option<KeyPin>> {
    Ok(keys::table
        .filter(keys::school_id.eq(school_id))
        .filter(keys::congress_id.is_null())
        .select(KeyPin::as_select())
        .first(conn)
        .optional()?)
}

/// Records a pin; `congress_id` `None` is the school's expected next key.
pub fn insert_key(
    conn: &mut DbConnection,
    school_id: &str,
    congress_id: Option<&str>,
    fingerprint: &str,
    source: &str,
    note: &str,
    by: &str,
) -> StorageResult<KeyPin> {
    let row = KeyPin {
        id: new_id("rk"),
        school_id: school_id.to_string(),
        congress_id: congress_id.map(str::to_string),
        fingerprint: fingerprint.to_string(),
        source: source.to_string(),
        note: note.to_string(),
        created_by: by.to_string(),
        created_at: now_ms(),
    };
    diesel::insert_into(keys::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Binds the expected key `id` to the congress whose packet matched it.
pub fn bind_key(conn: &mut DbConnection, id: &str, congress_id: &CongressId) -> StorageResult<()> {
    diesel::update(keys::table.find(id))
        .set(keys::congress_id.eq(congress_id))
        .execute(conn)?;
    Ok(())
}

/// Removes a pin (the office replacing its own entry).
pub fn delete_key(conn: &mut DbConnection, id: &str) -> StorageResult<()> {
    diesel::delete(keys::table.find(id)).execute(conn)?;
    Ok(())
}

/// The schools other than `school_id` with a pin of this fingerprint.
pub fn other_schools_with_key(
    conn: &mut DbConnection,
    school_id: &str,
    fingerprint: &str,
) -> StorageResult<Vec<String>> {
    Ok(keys::table
        .filter(keys::fingerprint.eq(fingerprint))
        .filter(keys::school_id.ne(school_id))
        .select(keys::school_id)
        .load(conn)?)
}

// --- filings and refusals -------------------------------------------------------------------

pub fn insert_filing(conn: &mut DbConnection, row: &Filing) -> StorageResult<()> {
    diesel::insert_into(filings::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn filing(conn: &mut DbConnection, id: &str) -> StorageResult<Option<Filing>> {
    Ok(filings::table
        .find(id)
        .select(Filing::as_select())
        .first(conn)
        .optional()?)
}

/// The filing of exactly this packet by this school, if it was filed before.
pub fn filing_of_packet(
    conn: &mut DbConnection,
    school_id: &str,
    packet_sha256: &str,
) -> StorageResult<Option<FilingBrief>> {
    Ok(filings::table
        .filter(filings::school_id.eq(school_id))
        .filter(filings::packet_sha256.eq(packet_sha256))
        .select(FilingBrief::as_select())
        .first(conn)
        .optional()?)
}

/// The schools (other than `school_id`) that filed this congress.
pub fn other_schools_with_congress(
    conn: &mut DbConnection,
    school_id: &str,
    congress_id: &CongressId,
) -> StorageResult<Vec<String>> {
    Ok(filings::table
        .filter(filings::congress_id.eq(congress_id))
        .filter(filings::school_id.ne(school_id))
        .select(filings::school_id)
        .load(conn)?)
}

/// A school's filings, newest congress first, then newest upload.
pub fn filings_of_school(
    conn: &mut DbConnection,
    school_id: &str,
) -> StorageResult<Vec<FilingBrief>> {
    Ok(filings::table
        .filter(filings::school_id.eq(school_id))
        .order((filings::congress_date.desc(), filings::uploaded_at.desc()))
        .select(FilingBrief::as_select())
        .load(conn)?)
}

/// Every filing of a congress held in `year` or before (the province table's dates).
pub fn filings_up_to(conn: &mut DbConnection, year: i32) -> StorageResult<Vec<FilingBrief>> {
    Ok(filings::table
        .filter(filings::year.le(year))
        .order((filings::school_id.asc(), filings::uploaded_at.asc()))
        .select(FilingBrief::as_select())
        .load(conn)?)
}

/// These filings in full.
pub fn filings_by_ids(conn: &mut DbConnection, ids: &[String]) -> StorageResult<Vec<Filing>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            filings::table
                .filter(filings::id.eq_any(chunk.to_vec()))
                .select(Filing::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

pub fn insert_refusal(conn: &mut DbConnection, row: &Refusal) -> StorageResult<()> {
    diesel::insert_into(refusals::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A school's refusals, newest first.
pub fn refusals_of_school(conn: &mut DbConnection, school_id: &str) -> StorageResult<Vec<Refusal>> {
    Ok(refusals::table
        .filter(refusals::school_id.eq(school_id))
        .order(refusals::at.desc())
        .select(Refusal::as_select())
        .load(conn)?)
}

// --- settings -------------------------------------------------------------------------------

/// Every stored setting (name, value).
pub fn settings(conn: &mut DbConnection) -> StorageResult<Vec<(String, String)>> {
    Ok(settings::table
        .select((settings::name, settings::value))
        .load(conn)?)
}

/// Sets one setting.
pub fn set_setting(
    conn: &mut DbConnection,
    name: &str,
    value: &str,
    by: &str,
) -> StorageResult<()> {
    let n = diesel::update(settings::table.find(name))
        .set((
            settings::value.eq(value),
            settings::updated_by.eq(by),
            settings::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(settings::table)
            .values((
                settings::name.eq(name),
                settings::value.eq(value),
                settings::updated_by.eq(by),
                settings::updated_at.eq(now_ms()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
