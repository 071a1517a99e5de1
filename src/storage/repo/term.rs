//! Between congresses (rules H): the standing delegates' numbers per college, the nominated
//! list and its freezing, the meetings of a congress's term, and a 评议会's named participants.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::domain::ids::{CongressId, ContestId, DelegateId};
use crate::domain::term::{MeetingKind, ParticipantVotes};
use crate::storage::codes::{count, decode, to_column};
use crate::storage::repo::new_id;
use crate::storage::schema::{
    meeting_participants, meetings, participant_ballots, participant_boxes, participant_roll,
    standing_delegates, standing_lists, standing_quotas,
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

pub fn freeze(
    conn: &mut DbConnection,
    cid: &CongressId,
    by: &str,
    report: &str,
) -> StorageResult<()> {
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
    /// How the named participants weigh (rule I7).
    pub participant_votes: ParticipantVotes,
}

type MeetingRow = (String, String, String, i64, String);

fn meeting_of(r: MeetingRow) -> StorageResult<Meeting> {
    Ok(Meeting {
        kind: decode("meetings", &r.0, "kind", &r.2)?,
        participant_votes: decode("meetings", &r.0, "participant_votes", &r.4)?,
        congress_id: r.0.into(),
        parent_id: r.1.into(),
        created_at: r.3,
    })
}

/// Sets how the meeting's participants weigh (I7); `false` when `mid` is no meeting.
pub fn set_participant_votes(
    conn: &mut DbConnection,
    mid: &CongressId,
    votes: ParticipantVotes,
) -> StorageResult<bool> {
    let n = diesel::update(meetings::table.filter(meetings::congress_id.eq(mid)))
        .set(meetings::participant_votes.eq(votes.as_str()))
        .execute(conn)?;
    Ok(n == 1)
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
            meetings::participant_votes,
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
            meetings::participant_votes,
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
    /// When the participant's card was issued (rule I7; `None` before any was).
    pub issued_at: Option<i64>,
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

type ParticipantRow = (String, String, String, bool, Option<i64>);

const PARTICIPANT_COLUMNS: (
    meeting_participants::id,
    meeting_participants::name,
    meeting_participants::unit,
    meeting_participants::present,
    meeting_participants::issued_at,
) = (
    meeting_participants::id,
    meeting_participants::name,
    meeting_participants::unit,
    meeting_participants::present,
    meeting_participants::issued_at,
);

fn participant_of((id, name, unit, present, issued_at): ParticipantRow) -> Participant {
    Participant {
        id,
        name,
        unit,
        present,
        issued_at,
    }
}

pub fn participants(conn: &mut DbConnection, cid: &CongressId) -> StorageResult<Vec<Participant>> {
    let rows: Vec<ParticipantRow> = meeting_participants::table
        .filter(meeting_participants::congress_id.eq(cid))
        .order(meeting_participants::position)
        .select(PARTICIPANT_COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(participant_of).collect())
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

/// Stores a participant's card: the SHA-256 of its token and its issue time.
pub fn set_participant_card(
    conn: &mut DbConnection,
    id: &str,
    token_hash: &str,
    issued_at: i64,
) -> StorageResult<()> {
    diesel::update(meeting_participants::table.filter(meeting_participants::id.eq(id)))
        .set((
            meeting_participants::token_hash.eq(token_hash),
            meeting_participants::issued_at.eq(issued_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The participant whose card token hashes to `hash`, with their meeting's id.
pub fn participant_by_token_hash(
    conn: &mut DbConnection,
    hash: &str,
) -> StorageResult<Option<(String, Participant)>> {
    let row: Option<(String, ParticipantRow)> = meeting_participants::table
        .filter(meeting_participants::token_hash.eq(hash))
        .select((meeting_participants::congress_id, PARTICIPANT_COLUMNS))
        .first(conn)
        .optional()?;
    Ok(row.map(|(cid, r)| (cid, participant_of(r))))
}

/// One participant of meeting `cid`.
pub fn participant(
    conn: &mut DbConnection,
    cid: &CongressId,
    id: &str,
) -> StorageResult<Option<Participant>> {
    let row: Option<ParticipantRow> = meeting_participants::table
        .filter(meeting_participants::congress_id.eq(cid))
        .filter(meeting_participants::id.eq(id))
        .select(PARTICIPANT_COLUMNS)
        .first(conn)
        .optional()?;
    Ok(row.map(participant_of))
}

/// The participants' ballot box of a contest (rule I7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantBox {
    pub public_key_pem: String,
    pub key_fingerprint: String,
    /// Participants present when the contest opened: papers issued.
    pub issued: u32,
    /// Participants listed when it opened.
    pub listed: u32,
    /// Once counted: the separate tally (JSON, as `contests.result`).
    pub result: Option<String>,
}

/// Opens the participants' box: the key, and the present participants as entitled to a paper.
pub fn open_participant_box(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    b: &ParticipantBox,
    present: &[String],
) -> StorageResult<()> {
    diesel::insert_into(participant_boxes::table)
        .values((
            participant_boxes::contest_id.eq(contest_id),
            participant_boxes::public_key_pem.eq(&b.public_key_pem),
            participant_boxes::key_fingerprint.eq(&b.key_fingerprint),
            participant_boxes::issued.eq(to_column("issued", b.issued)?),
            participant_boxes::listed.eq(to_column("listed", b.listed)?),
        ))
        .execute(conn)?;
    let mut ids: Vec<&String> = present.iter().collect();
    ids.sort();
    for id in ids {
        diesel::insert_into(participant_roll::table)
            .values((
                participant_roll::contest_id.eq(contest_id),
                participant_roll::participant_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn participant_box(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Option<ParticipantBox>> {
    let row: Option<(String, String, i32, i32, Option<String>)> = participant_boxes::table
        .filter(participant_boxes::contest_id.eq(contest_id))
        .select((
            participant_boxes::public_key_pem,
            participant_boxes::key_fingerprint,
            participant_boxes::issued,
            participant_boxes::listed,
            participant_boxes::result,
        ))
        .first(conn)
        .optional()?;
    row.map(|(pem, fp, issued, listed, result)| {
        Ok(ParticipantBox {
            public_key_pem: pem,
            key_fingerprint: fp,
            issued: count("participant_boxes", contest_id.as_str(), "issued", issued)?,
            listed: count("participant_boxes", contest_id.as_str(), "listed", listed)?,
            result,
        })
    })
    .transpose()
}

/// Stores the participants' count of a contest: cast, their board's root, their tally.
pub fn set_participant_final(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    cast: u64,
    merkle_root: &str,
    result: &str,
) -> StorageResult<()> {
    diesel::update(participant_boxes::table.filter(participant_boxes::contest_id.eq(contest_id)))
        .set((
            participant_boxes::cast_count.eq(to_column("cast_count", cast)?),
            participant_boxes::merkle_root.eq(merkle_root),
            participant_boxes::result.eq(result),
        ))
        .execute(conn)?;
    Ok(())
}

/// A participant's entry in a contest: `None` when not entitled (absent at opening, or no
/// participants' box); `Some(None)` entitled, no paper yet; `Some(Some((blinded, sig)))` the
/// paper issued.
pub type RollEntry = Option<Option<(String, String)>>;

pub fn participant_roll_entry(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    participant_id: &str,
) -> StorageResult<RollEntry> {
    let row: Option<(Option<String>, Option<String>)> = participant_roll::table
        .filter(participant_roll::contest_id.eq(contest_id))
        .filter(participant_roll::participant_id.eq(participant_id))
        .select((
            participant_roll::blinded_sha256,
            participant_roll::blind_sig,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(h, s)| h.zip(s)))
}

/// Records a participant's paper if none was issued yet; `false` when one was (or no entry).
pub fn issue_participant_paper(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    participant_id: &str,
    blinded_sha256: &str,
    blind_sig: &str,
) -> StorageResult<bool> {
    let n = diesel::update(
        participant_roll::table
            .filter(participant_roll::contest_id.eq(contest_id))
            .filter(participant_roll::participant_id.eq(participant_id))
            .filter(participant_roll::blinded_sha256.is_null()),
    )
    .set((
        participant_roll::blinded_sha256.eq(blinded_sha256),
        participant_roll::blind_sig.eq(blind_sig),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Who took a participant's paper in a contest: (list position, name, unit), by position.
pub fn participant_roll_rows(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Vec<(u32, String, String)>> {
    let rows: Vec<(i32, String, String)> = participant_roll::table
        .inner_join(
            meeting_participants::table
                .on(meeting_participants::id.eq(participant_roll::participant_id)),
        )
        .filter(participant_roll::contest_id.eq(contest_id))
        .filter(participant_roll::blinded_sha256.is_not_null())
        .order(meeting_participants::position)
        .select((
            meeting_participants::position,
            meeting_participants::name,
            meeting_participants::unit,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(p, n, u)| {
            Ok((
                count("meeting_participants", contest_id.as_str(), "position", p)?,
                n,
                u,
            ))
        })
        .collect()
}

/// The participants' ballot stored under `token`, by hash.
pub fn participant_ballot_hash_by_token(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    token: &str,
) -> StorageResult<Option<String>> {
    Ok(participant_ballots::table
        .filter(participant_ballots::contest_id.eq(contest_id))
        .filter(participant_ballots::token.eq(token))
        .select(participant_ballots::ballot_hash)
        .first(conn)
        .optional()?)
}

pub fn insert_participant_ballot(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    token: &str,
    ballot_hash: &str,
    body: &str,
) -> StorageResult<()> {
    diesel::insert_into(participant_ballots::table)
        .values((
            participant_ballots::contest_id.eq(contest_id),
            participant_ballots::token.eq(token),
            participant_ballots::ballot_hash.eq(ballot_hash),
            participant_ballots::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// The participants' ballots of a contest (canonical JSON bodies), in token order.
pub fn participant_ballot_bodies(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Vec<String>> {
    Ok(participant_ballots::table
        .filter(participant_ballots::contest_id.eq(contest_id))
        .order(participant_ballots::token)
        .select(participant_ballots::body)
        .load(conn)?)
}

/// Whether `hash` is a participants' ballot of the contest.
pub fn has_participant_ballot(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    hash: &str,
) -> StorageResult<bool> {
    let n: i64 = participant_ballots::table
        .filter(participant_ballots::contest_id.eq(contest_id))
        .filter(participant_ballots::ballot_hash.eq(hash))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The participants' ballots and roll rewritten in key order at the close (as
/// `voting::rewrite_in_key_order`): nothing of the order of arrival is kept.
pub fn rewrite_participants_in_key_order(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<()> {
    type Roll = (String, String, Option<String>, Option<String>);
    let mut roll: Vec<Roll> = participant_roll::table
        .filter(participant_roll::contest_id.eq(contest_id))
        .select((
            participant_roll::contest_id,
            participant_roll::participant_id,
            participant_roll::blinded_sha256,
            participant_roll::blind_sig,
        ))
        .load(conn)?;
    roll.sort_by(|a, b| a.1.cmp(&b.1));
    let mut ballots: Vec<(String, String, String)> = participant_ballots::table
        .filter(participant_ballots::contest_id.eq(contest_id))
        .select((
            participant_ballots::token,
            participant_ballots::ballot_hash,
            participant_ballots::body,
        ))
        .load(conn)?;
    ballots.sort_by(|a, b| a.1.cmp(&b.1));
    diesel::delete(participant_roll::table.filter(participant_roll::contest_id.eq(contest_id)))
        .execute(conn)?;
    diesel::delete(
        participant_ballots::table.filter(participant_ballots::contest_id.eq(contest_id)),
    )
    .execute(conn)?;
    for (c, p, h, s) in &roll {
        diesel::insert_into(participant_roll::table)
            .values((
                participant_roll::contest_id.eq(c),
                participant_roll::participant_id.eq(p),
                participant_roll::blinded_sha256.eq(h),
                participant_roll::blind_sig.eq(s),
            ))
            .execute(conn)?;
    }
    for (t, h, b) in &ballots {
        insert_participant_ballot(conn, contest_id, t, h, b)?;
    }
    Ok(())
}
