//! Contests (选举与表决事项) of a congress as stored: their definition, agenda order and
//! lifecycle state (the model is `domain::contest`), and (in [`candidates`]) the candidates
//! of an election.
//!
//! The `threshold` column holds the JSON of [`Threshold`]; `state`, `kind`, `motion_kind`,
//! `election_kind` and `round_kind` hold the domain's codes (`storage::codes`).

mod candidates;

use diesel::prelude::*;

pub use self::candidates::{
    candidate, candidates, delete_candidate, insert_candidate, next_organiser_order,
    set_ballot_order, update_candidate,
};
use crate::domain::contest::{Contest, ContestDefinition, ContestKind, ContestState};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::settings::Threshold;
use crate::storage::codes::{count, count_opt, decode, decode_opt, to_column};
use crate::storage::models::ContestRow;
use crate::storage::schema::contests;
use crate::storage::{now_ms, DbConnection, StorageError, StorageResult};

const TABLE: &str = "contest";

fn threshold_json(t: &Threshold) -> String {
    // A struct of an enum and three integers always serialises.
    serde_json::to_string(t).unwrap_or_default()
}

impl TryFrom<ContestRow> for Contest {
    type Error = StorageError;

    fn try_from(r: ContestRow) -> StorageResult<Contest> {
        let id = r.id.as_str();
        let threshold: Threshold = serde_json::from_str(&r.threshold).map_err(|e| {
            StorageError::corrupt_because(format!("{TABLE} {id}: threshold {}", r.threshold), e)
        })?;
        Ok(Contest {
            kind: decode(TABLE, id, "kind", &r.kind)?,
            def: ContestDefinition {
                title: r.title,
                body: r.body,
                motion_kind: decode_opt(TABLE, id, "motion_kind", r.motion_kind.as_deref())?,
                seats: count_opt(TABLE, id, "seats", r.seats)?,
                allow_write_in: r.allow_write_in,
                threshold,
                margin_override: r.margin_override,
                election_kind: decode_opt(TABLE, id, "election_kind", r.election_kind.as_deref())?,
                threshold_reason: r.threshold_reason,
            },
            agenda_order: count(TABLE, id, "agenda_order", r.agenda_order)?,
            parent_id: r.parent_id.map(ContestId::from),
            round_kind: decode_opt(TABLE, id, "round_kind", r.round_kind.as_deref())?,
            not_held_reason: r.not_held_reason,
            state: decode(TABLE, id, "state", &r.state)?,
            issued: count_opt(TABLE, id, "issued", r.issued)?,
            expected: count_opt(TABLE, id, "expected", r.expected)?,
            paper_issued: count(TABLE, id, "paper_issued", r.paper_issued)?,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            cast_count: count_opt(TABLE, id, "cast_count", r.cast_count)?,
            merkle_root: r.merkle_root,
            result: r.result,
            created_at: r.created_at,
            updated_at: r.updated_at,
            congress_id: r.congress_id.into(),
            id: r.id.into(),
        })
    }
}

/// Inserts a new draft contest at the end of the agenda.
pub fn insert(
    conn: &mut DbConnection,
    id: &ContestId,
    congress_id: &CongressId,
    kind: ContestKind,
    def: &ContestDefinition,
) -> StorageResult<Contest> {
    let now = now_ms();
    let order = next_agenda_order(conn, congress_id)?;
    let row = ContestRow {
        id: id.to_string(),
        congress_id: congress_id.to_string(),
        kind: kind.as_str().to_string(),
        motion_kind: def.motion_kind.map(|m| m.as_str().to_string()),
        title: def.title.clone(),
        body: def.body.clone(),
        agenda_order: to_column("agenda_order", order)?,
        seats: def.seats.map(|n| to_column("seats", n)).transpose()?,
        allow_write_in: def.allow_write_in,
        threshold: threshold_json(&def.threshold),
        margin_override: def.margin_override.clone(),
        parent_id: None,
        round_kind: None,
        state: ContestState::Draft.as_str().to_string(),
        issued: None,
        expected: None,
        paper_issued: 0,
        opened_at: None,
        closed_at: None,
        cast_count: None,
        merkle_root: None,
        result: None,
        created_at: now,
        updated_at: now,
        election_kind: def.election_kind.map(|k| k.as_str().to_string()),
        threshold_reason: def.threshold_reason.clone(),
        not_held_reason: None,
    };
    diesel::insert_into(contests::table)
        .values(&row)
        .execute(conn)?;
    Contest::try_from(row)
}

/// One past the highest agenda position of the congress (1 for the first contest).
fn next_agenda_order(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<u32> {
    let max: Option<i32> = contests::table
        .filter(contests::congress_id.eq(congress_id))
        .select(diesel::dsl::max(contests::agenda_order))
        .first(conn)?;
    let last = count(
        TABLE,
        congress_id.as_str(),
        "max(agenda_order)",
        max.unwrap_or(0),
    )?;
    last.checked_add(1).ok_or(StorageError::OutOfRange {
        column: "agenda_order",
        value: format!("{last} + 1"),
    })
}

pub fn get(conn: &mut DbConnection, id: &ContestId) -> StorageResult<Option<Contest>> {
    contests::table
        .find(id)
        .select(ContestRow::as_select())
        .first(conn)
        .optional()?
        .map(Contest::try_from)
        .transpose()
}

/// The congress's contests in agenda order.
pub fn list(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<Vec<Contest>> {
    contests::table
        .filter(contests::congress_id.eq(congress_id))
        .order((contests::agenda_order.asc(), contests::created_at.asc()))
        .select(ContestRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Contest::try_from)
        .collect()
}

/// Replaces the editable definition of contest `id`.
pub fn update_definition(
    conn: &mut DbConnection,
    id: &ContestId,
    def: &ContestDefinition,
) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set((
            contests::title.eq(&def.title),
            contests::body.eq(&def.body),
            contests::motion_kind.eq(def.motion_kind.map(|m| m.as_str())),
            contests::seats.eq(def.seats.map(|n| to_column("seats", n)).transpose()?),
            contests::allow_write_in.eq(def.allow_write_in),
            contests::threshold.eq(threshold_json(&def.threshold)),
            contests::margin_override.eq(def.margin_override.as_deref()),
            contests::election_kind.eq(def.election_kind.map(|k| k.as_str())),
            contests::threshold_reason.eq(def.threshold_reason.as_deref()),
            contests::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that proposed round `id` is not held, with the reason.
pub fn set_not_held(conn: &mut DbConnection, id: &ContestId, reason: &str) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set((
            contests::not_held_reason.eq(reason),
            contests::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks contest `id` as changed now (its candidates changed).
pub fn touch(conn: &mut DbConnection, id: &ContestId) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set(contests::updated_at.eq(now_ms()))
        .execute(conn)?;
    Ok(())
}

pub fn set_agenda_order(conn: &mut DbConnection, id: &ContestId, order: u32) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set(contests::agenda_order.eq(to_column("agenda_order", order)?))
        .execute(conn)?;
    Ok(())
}

/// Deletes contest `id` and its candidates; `false` if there was no such contest.
pub fn delete(conn: &mut DbConnection, id: &ContestId) -> StorageResult<bool> {
    use crate::storage::schema::candidates;
    diesel::delete(candidates::table.filter(candidates::contest_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(contests::table.find(id)).execute(conn)? == 1)
}
