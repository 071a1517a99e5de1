//! The scrutineers (监票人员) the organiser names for a congress (rule G2): one 总监票人 at most,
//! 监票人 and 计票人, each optionally linked to a scrutineer account; and the candidate lookups
//! that keep candidates off the list.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::ids::CongressId;
use crate::storage::codes::decode;
use crate::storage::models::ScrutineerRow;
use crate::storage::schema::{candidates, congresses, contests, scrutineers, users};
use crate::storage::{DbConnection, StorageResult};

/// The three scrutineer roles of the certified record (G2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScrutineerRole {
    /// 总监票人 (at most one per congress).
    Chief,
    /// 监票人
    Scrutineer,
    /// 计票人
    Counter,
}

// The code is stored and used by the API; `parse` also accepts the Chinese titles.
crate::coded! { ScrutineerRole {
    Chief => "chief", "总监票人";
    Scrutineer => "scrutineer", "监票人";
    Counter => "counter", "计票人";
} }

/// One named scrutineer of a congress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scrutineer {
    pub id: String,
    pub congress_id: String,
    pub role: ScrutineerRole,
    /// 姓名
    pub name: String,
    /// 学号, when the scrutineer is a student.
    pub student_no: Option<String>,
    /// The linked scrutineer account, if any.
    pub user_id: Option<String>,
    /// That account's username (joined for display).
    pub username: Option<String>,
    /// Order of entry within the congress.
    pub position: i32,
}

fn from_row(r: ScrutineerRow, username: Option<String>) -> StorageResult<Scrutineer> {
    let role = decode("scrutineer", &r.id, "role", &r.role)?;
    Ok(Scrutineer {
        id: r.id,
        congress_id: r.congress_id,
        role,
        name: r.name,
        student_no: r.student_no,
        user_id: r.user_id,
        username,
        position: r.position,
    })
}

/// The scrutineers of a congress: 总监票人 first, then 监票人, then 计票人, each in entry order.
pub fn list(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<Vec<Scrutineer>> {
    let rows: Vec<(ScrutineerRow, Option<String>)> = scrutineers::table
        .left_join(users::table.on(scrutineers::user_id.eq(users::id.nullable())))
        .filter(scrutineers::congress_id.eq(congress_id))
        .order(scrutineers::position.asc())
        .select((ScrutineerRow::as_select(), users::username.nullable()))
        .load(conn)?;
    let mut out = rows
        .into_iter()
        .map(|(r, u)| from_row(r, u))
        .collect::<StorageResult<Vec<_>>>()?;
    out.sort_by_key(|s| (s.role, s.position));
    Ok(out)
}

/// The congresses whose scrutineers include the account `user_id` (what it may see).
pub fn congresses_of_account(
    conn: &mut DbConnection,
    user_id: &str,
) -> StorageResult<Vec<CongressId>> {
    Ok(scrutineers::table
        .filter(scrutineers::user_id.eq(user_id))
        .select(scrutineers::congress_id)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .map(CongressId::from)
        .collect())
}

/// One scrutineer of a congress (`None` when the id belongs to no scrutineer of it).
pub fn get(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    id: &str,
) -> StorageResult<Option<Scrutineer>> {
    Ok(list(conn, congress_id)?.into_iter().find(|s| s.id == id))
}

/// What to insert; `position` is assigned here.
#[derive(Debug, Clone)]
pub struct NewScrutineer<'a> {
    pub id: &'a str,
    pub congress_id: &'a str,
    pub role: ScrutineerRole,
    pub name: &'a str,
    pub student_no: Option<&'a str>,
    pub user_id: Option<&'a str>,
}

/// Inserts a scrutineer after the congress's last one.
pub fn insert(conn: &mut DbConnection, s: &NewScrutineer<'_>) -> StorageResult<()> {
    let last: Option<i32> = scrutineers::table
        .filter(scrutineers::congress_id.eq(s.congress_id))
        .select(diesel::dsl::max(scrutineers::position))
        .first(conn)?;
    diesel::insert_into(scrutineers::table)
        .values(ScrutineerRow {
            id: s.id.to_string(),
            congress_id: s.congress_id.to_string(),
            role: s.role.as_str().to_string(),
            name: s.name.to_string(),
            student_no: s.student_no.map(str::to_string),
            user_id: s.user_id.map(str::to_string),
            position: last.unwrap_or(0) + 1,
        })
        .execute(conn)?;
    Ok(())
}

/// Deletes a scrutineer of the congress; `false` when there was none with that id.
pub fn delete(conn: &mut DbConnection, congress_id: &CongressId, id: &str) -> StorageResult<bool> {
    let n = diesel::delete(
        scrutineers::table
            .filter(scrutineers::congress_id.eq(congress_id))
            .filter(scrutineers::id.eq(id)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes the congress's row lock for the rest of the transaction, so two concurrent
/// additions cannot both pass the "one 总监票人" and "one role per person" checks. (SQLite's
/// immediate transactions already serialise writers; on PostgreSQL this no-op UPDATE makes
/// the second transaction wait for the first.)
pub fn lock_congress(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<()> {
    diesel::update(congresses::table.find(congress_id))
        .set(congresses::updated_at.eq(congresses::updated_at))
        .execute(conn)?;
    Ok(())
}

/// A candidate of one of the congress's contests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidacyRef {
    /// The contest's title, e.g. "主席团成员选举".
    pub contest: String,
    pub name: String,
    pub student_no: String,
}

fn candidacies(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    by_student_no: Option<&str>,
    by_name: Option<&str>,
) -> StorageResult<Vec<CandidacyRef>> {
    let mut q = candidates::table
        .inner_join(contests::table)
        .filter(contests::congress_id.eq(congress_id.to_string()))
        .select((contests::title, candidates::name, candidates::student_no))
        .order((contests::agenda_order.asc(), candidates::ballot_order.asc()))
        .into_boxed();
    if let Some(no) = by_student_no {
        q = q.filter(candidates::student_no.eq(no.to_string()));
    }
    if let Some(name) = by_name {
        q = q.filter(candidates::name.eq(name.to_string()));
    }
    Ok(q.load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(contest, name, student_no)| CandidacyRef {
            contest,
            name,
            student_no,
        })
        .collect())
}

/// The contests of the congress in which the student `student_no` is a candidate.
pub fn candidacies_of(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    student_no: &str,
) -> StorageResult<Vec<CandidacyRef>> {
    candidacies(conn, congress_id, Some(student_no), None)
}

/// Candidates of the congress called `name` (to catch a scrutineer entered without 学号).
pub fn candidates_named(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    name: &str,
) -> StorageResult<Vec<CandidacyRef>> {
    candidacies(conn, congress_id, None, Some(name))
}

/// The scrutineer of the congress with this 学号, if any (for the candidates' side of G2).
pub fn by_student_no(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    student_no: &str,
) -> StorageResult<Option<Scrutineer>> {
    Ok(list(conn, congress_id)?
        .into_iter()
        .find(|s| s.student_no.as_deref() == Some(student_no)))
}
