//! Between congresses (rules H): the standing delegates' numbers per college, the nominated
//! list and its freezing, the meetings of a congress's term, and a 评议会's named participants.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::domain::ids::{CongressId, DelegateId};
use crate::domain::term::MeetingKind;
use crate::storage::codes::{count, decode, to_column};
use crate::storage::repo::new_id;
use crate::storage::schema::{
    meeting_participants, meetings, standing_delegates, standing_lists, standing_quotas,
};
use crate::storage::{now_ms, DbConnection, StorageResult};

/// Replaces the number of standing delegates per college.
pub fn set_quotas(
    conn: &mut DbConnection,
    cid: &CongressId,
    quotas: &BTreeMap<String, u32>,
) -> StorageResult<()> {
    diesel::delete(standing_quotas::table.filter(standing_quotas::congress_id.eq(cid)))
        .execute(conn)?;
    for (college, seats) in quotas {
        diesel::insert_into(standing_quotas::table)
            .values((
                standing_quotas::congress_id.eq(cid),
                standing_quotas::college.eq(college),
                standing_quotas::seats.eq(to_column("seats", *seats)?),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The number of standing delegates per college.
pub fn quotas(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<BTreeMap<String, u32>> {
    let rows: Vec<(String, i32)> = standing_quotas::table
        .filter(standing_quotas::congress_id.eq(cid))
        .select((standing_quotas::college, standing_quotas::seats))
        .load(conn)?;
    rows.into_iter()
        .map(|(c, s)| Ok((c, count("standing_quotas", cid.as_str(), "seats", s)?)))
        .collect()
}

/// Replaces the nominated list (delegate ids of the congress).
pub fn replace_standing(
    conn: &mut DbConnection,
    cid: &CongressId,
    delegate_ids: &[DelegateId],
) -> StorageResult<()> {
    diesel::delete(standing_delegates::table.filter(standing_delegates::congress_id.eq(cid)))
        .execute(conn)?;
    for id in delegate_ids {
        diesel::insert_into(standing_delegates::table)
            .values((
                standing_delegates::congress_id.eq(cid),
                standing_delegates::delegate_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The nominated delegates' ids.
pub fn standing_ids(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<Vec<DelegateId>> {
    Ok(standing_delegates::table
        .filter(standing_delegates::congress_id.eq(cid))
        .select(standing_delegates::delegate_id)
        .load::<String>(conn)?
        .into_iter()
        .map(DelegateId::from)
        .collect())
}

/// When and by whom the list was frozen, and the report (JSON) it was frozen with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frozen {
    pub at: i64,
    pub by: String,
    pub report: String,
}

pub fn freeze(conn: &mut DbConnection, cid: &CongressId, by: &str, report: &str) -> StorageResult<()> {
    diesel::insert_into(standing_lists::table)
        .values((
            standing_lists::congress_id.eq(cid),
            standing_lists::frozen_at.eq(now_ms()),
            standing_lists::frozen_by.eq(by),
            standing_lists::report.eq(report),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn frozen(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<Option<Frozen>> {
    let row: Option<(i64, String, String)> = standing_lists::table
        .filter(standing_lists::congress_id.eq(cid))
        .select((
            standing_lists::frozen_at,
            standing_lists::frozen_by,
            standing_lists::report,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(at, by, report)| Frozen { at, by, report }))
}

/// A meeting: its own congress row in the term of `parent_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub congress_id: CongressId,
    pub parent_id: CongressId,
    pub kind: MeetingKind,
    pub created_at: i64,
}

type MeetingRow = (String, String, String, i64);

fn meeting_of(r: MeetingRow) -> StorageResult<Meeting> {
    Ok(Meeting {
        kind: decode("meetings", &r.0, "kind", &r.2)?,
        congress_id: r.0.into(),
        parent_id: r.1.into(),
        created_at: r.3,
    })
}

pub fn insert_meeting(
    conn: &mut DbConnection,
    mid: &CongressId,
    parent: &CongressId,
    kind: MeetingKind,
) -> StorageResult<()> {
    diesel::insert_into(meetings::table)
        .values((
            meetings::congress_id.eq(mid),
            meetings::parent_id.eq(parent),
            meetings::kind.eq(kind.as_str()),
            meetings::created_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The meeting whose congress row is `cid`, if it is one.
pub fn meeting(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<Option<Meeting>> {
    meetings::table
        .filter(meetings::congress_id.eq(cid))
        .select((
            meetings::congress_id,
            meetings::parent_id,
            meetings::kind,
            meetings::created_at,
        ))
        .first::<MeetingRow>(conn)
        .optional()?
        .map(meeting_of)
        .transpose()
}

/// The meetings of a congress's term, in order of creation.
pub fn meetings_of(conn: &mut DbConnection, parent: &CongressId) -> StorageResult<Vec<Meeting>> {
    meetings::table
        .filter(meetings::parent_id.eq(parent))
        .order((meetings::created_at, meetings::congress_id))
        .select((
            meetings::congress_id,
            meetings::parent_id,
            meetings::kind,
            meetings::created_at,
        ))
        .load::<MeetingRow>(conn)?
        .into_iter()
        .map(meeting_of)
        .collect()
}

/// A named participant of a 评议会 (attends, no vote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub present: bool,
}

pub fn add_participant(
    conn: &mut DbConnection,
    cid: &CongressId,
    name: &str,
    unit: &str,
) -> StorageResult<String> {
    let n: i64 = meeting_participants::table
        .filter(meeting_participants::congress_id.eq(cid))
        .count()
        .get_result(conn)?;
    let id = new_id("p");
    diesel::insert_into(meeting_participants::table)
        .values((
            meeting_participants::id.eq(&id),
            meeting_participants::congress_id.eq(cid),
            meeting_participants::name.eq(name),
            meeting_participants::unit.eq(unit),
            meeting_participants::position.eq(to_column("position", n + 1)?),
            meeting_participants::present.eq(false),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn participants(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<Vec<Participant>> {
    let rows: Vec<(String, String, String, bool)> = meeting_participants::table
        .filter(meeting_participants::congress_id.eq(cid))
        .order(meeting_participants::position)
        .select((
            meeting_participants::id,
            meeting_participants::name,
            meeting_participants::unit,
            meeting_participants::present,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, unit, present)| Participant {
            id,
            name,
            unit,
            present,
        })
        .collect())
}

/// Marks a participant present or not; `false` when no such participant of `cid`.
pub fn set_participant_present(
    conn: &mut DbConnection,
    cid: &CongressId,
    id: &str,
    present: bool,
) -> StorageResult<bool> {
    let n = diesel::update(
        meeting_participants::table
            .filter(meeting_participants::congress_id.eq(cid))
            .filter(meeting_participants::id.eq(id)),
    )
    .set(meeting_participants::present.eq(present))
    .execute(conn)?;
    Ok(n == 1)
}
