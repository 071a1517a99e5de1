//! The vote itself: opening and closing contests, who may vote (frozen at opening), the roll
//! of who took a ballot paper (领票), each contest's ballot box (its key and paper count),
//! paper ballots, the ballot box's contents, and the final result.
//!
//! Nothing here joins ballots to delegates: `ballots` and `roll` share only the contest, and
//! no function writes both.

use diesel::prelude::*;

use crate::domain::codes::Coded;
use crate::domain::contest::{ContestState, RoundKind};
use crate::domain::ids::{ContestId, DelegateId};
use crate::storage::codes::{count, decode, to_column};
use crate::storage::models::{BallotBoxRow, BallotRow, ContestVoterRow, RollRow};
use crate::storage::schema::{ballot_boxes, ballots, contest_voters, contests, delegates, roll};
use crate::storage::{now_ms, DbConnection, StorageResult};

/// The state of contest `contest_id` (`None`: no such contest), share-locking its row on
/// PostgreSQL so that a concurrent close waits for the caller's transaction: the ballot box
/// and the paper issuer check it once per contest per batch.
pub fn contest_state_locked(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Option<ContestState>> {
    let state: Option<String> = match conn {
        DbConnection::Pg(c) => contests::table
            .find(contest_id)
            .select(contests::state)
            .for_share()
            .first(c)
            .optional()?,
        DbConnection::Sqlite(_) => contests::table
            .find(contest_id)
            .select(contests::state)
            .first(conn)
            .optional()?,
    };
    state
        .map(|s| decode("contest", contest_id.as_str(), "state", &s))
        .transpose()
}

/// `roll.kind` of a delegate who took a paper on the phone.
pub const ROLL_PHONE: &str = "phone";
/// `roll.kind` of a delegate handed a paper ballot by the scrutineers.
pub const ROLL_PAPER: &str = "paper";

/// Marks a draft contest open with `issued` ballots (实到) and `expected` (应到) frozen;
/// returns false if it was not a draft.
pub fn set_open(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    issued: usize,
    expected: u64,
) -> StorageResult<bool> {
    let now = now_ms();
    let n = diesel::update(
        contests::table
            .find(contest_id)
            .filter(contests::state.eq(ContestState::Draft.code())),
    )
    .set((
        contests::state.eq(ContestState::Open.code()),
        contests::issued.eq(to_column("issued", issued)?),
        contests::expected.eq(to_column("expected", expected)?),
        contests::opened_at.eq(now),
        contests::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Freezes the delegates entitled to vote in a contest (those present at opening).
pub fn freeze_voters(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_ids: &[String],
) -> StorageResult<()> {
    for d in delegate_ids {
        diesel::insert_into(contest_voters::table)
            .values(ContestVoterRow {
                contest_id: contest_id.as_str().to_string(),
                delegate_id: d.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Whether the delegate was present when the contest opened.
pub fn is_voter(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_id: &DelegateId,
) -> StorageResult<bool> {
    let n: i64 = contest_voters::table
        .filter(contest_voters::contest_id.eq(contest_id))
        .filter(contest_voters::delegate_id.eq(delegate_id))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// Whether the delegate is on the roll of the contest (took a phone paper, or was handed a
/// paper ballot).
pub fn on_roll(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_id: &DelegateId,
) -> StorageResult<bool> {
    Ok(roll_entry(conn, contest_id, delegate_id)?.is_some())
}

/// The delegate's roll entry in the contest, if any.
pub fn roll_entry(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_id: &DelegateId,
) -> StorageResult<Option<RollRow>> {
    Ok(roll::table
        .find((contest_id, delegate_id))
        .select(RollRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts a roll entry unless the delegate already has one; returns whether it was
/// inserted (the caller's transaction decides what an existing entry means).
pub fn insert_roll(conn: &mut DbConnection, row: &RollRow) -> StorageResult<bool> {
    let n = match conn {
        DbConnection::Pg(c) => diesel::insert_into(roll::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(roll::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok(n == 1)
}

/// Most rows or keys in one statement of the batched functions below: far under SQLite's
/// 32,766 bound parameters, and a few statements for a whole group-commit batch.
const CHUNK: usize = 200;

/// Of `delegate_ids`, those who are voters of the contest (one statement per chunk instead of
/// one per delegate: the paper issuer's batch).
pub fn voters_among(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_ids: &[&DelegateId],
) -> StorageResult<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in delegate_ids.chunks(CHUNK) {
        let chunk: Vec<&str> = chunk.iter().map(|d| d.as_str()).collect();
        let ids: Vec<String> = contest_voters::table
            .filter(contest_voters::contest_id.eq(contest_id))
            .filter(contest_voters::delegate_id.eq_any(chunk))
            .select(contest_voters::delegate_id)
            .load(conn)?;
        found.extend(ids);
    }
    Ok(found)
}

/// The roll entries of `delegate_ids` in the contest, by delegate.
pub fn roll_entries(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_ids: &[&DelegateId],
) -> StorageResult<std::collections::HashMap<String, RollRow>> {
    let mut found = std::collections::HashMap::new();
    for chunk in delegate_ids.chunks(CHUNK) {
        let chunk: Vec<&str> = chunk.iter().map(|d| d.as_str()).collect();
        let rows: Vec<RollRow> = roll::table
            .filter(roll::contest_id.eq(contest_id))
            .filter(roll::delegate_id.eq_any(chunk))
            .select(RollRow::as_select())
            .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.delegate_id.clone(), r)));
    }
    Ok(found)
}

/// Inserts roll entries, in the order given, skipping any delegate who already has one (a
/// paper ballot registered meanwhile by another connection); returns how many were inserted.
/// On PostgreSQL one statement per chunk; SQLite runs in-process, where a statement costs no
/// round trip, and its multi-row insert cannot write the NULLs of a paper's empty columns.
pub fn insert_roll_rows(conn: &mut DbConnection, rows: &[RollRow]) -> StorageResult<usize> {
    let mut n = 0;
    match conn {
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(CHUNK) {
                n += diesel::insert_into(roll::table)
                    .values(chunk)
                    .on_conflict_do_nothing()
                    .execute(c)?;
            }
        }
        DbConnection::Sqlite(_) => {
            for row in rows {
                n += usize::from(insert_roll(conn, row)?);
            }
        }
    }
    Ok(n)
}

/// The hashes of the ballots stored under `tokens` in the contest, by token.
pub fn ballot_hashes_by_tokens(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    tokens: &[&str],
) -> StorageResult<std::collections::HashMap<String, String>> {
    let mut found = std::collections::HashMap::new();
    for chunk in tokens.chunks(CHUNK) {
        let rows: Vec<(String, String)> = ballots::table
            .filter(ballots::contest_id.eq(contest_id))
            .filter(ballots::token.eq_any(chunk))
            .select((ballots::token, ballots::ballot_hash))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Stores ballots, in the order given (the ballot box's batch, in token order): one statement
/// per chunk.
pub fn insert_ballots(conn: &mut DbConnection, rows: &[BallotRow]) -> StorageResult<()> {
    for chunk in rows.chunks(CHUNK) {
        match conn {
            DbConnection::Pg(c) => diesel::insert_into(ballots::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Sqlite(c) => diesel::insert_into(ballots::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(())
}

/// Creates the contest's ballot box with the public half of its key (at opening).
pub fn create_ballot_box(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    public_key_pem: &str,
    key_fingerprint: &str,
) -> StorageResult<()> {
    diesel::insert_into(ballot_boxes::table)
        .values(BallotBoxRow {
            contest_id: contest_id.as_str().to_string(),
            public_key_pem: public_key_pem.to_string(),
            key_fingerprint: key_fingerprint.to_string(),
            paper_entered: 0,
        })
        .execute(conn)?;
    Ok(())
}

/// The contest's ballot box (its public key and paper count), once it has opened.
pub fn ballot_box(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Option<BallotBoxRow>> {
    Ok(ballot_boxes::table
        .find(contest_id)
        .select(BallotBoxRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores one ballot (a paper ballot's entry).
pub fn insert_ballot(conn: &mut DbConnection, row: &BallotRow) -> StorageResult<()> {
    diesel::insert_into(ballots::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Moves an open contest to closed (no further phone ballots); false if it was not open.
pub fn set_closed(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<bool> {
    let now = now_ms();
    let n = diesel::update(
        contests::table
            .find(contest_id)
            .filter(contests::state.eq(ContestState::Open.code())),
    )
    .set((
        contests::state.eq(ContestState::Closed.code()),
        contests::closed_at.eq(now),
        contests::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Rewrites a contest's roll entries (and, on PostgreSQL, its ballots) in key order, inside
/// the caller's transaction (the close). Roll entries and ballots are never written in one
/// transaction, so nothing stored pairs them; but where the rows physically sit still says in
/// which order papers were issued and ballots cast, and a delegate who took a paper and voted
/// at once could be picked out by the two being adjacent (`docs/threat-model.md`). So:
/// - PostgreSQL keeps a table's rows in the order they were written and stamps each with the
///   id of the transaction that wrote it (`xmin`): both tables' rows of the contest are
///   deleted and inserted again in hash (ballots) or delegate-id (roll) order, so every live
///   row carries the closing transaction's id; the dead versions go with the `VACUUM` after
///   the close (`storage::scrub`).
/// - SQLite keeps these `WITHOUT ROWID` tables in key order, but a cell's place inside its
///   page follows insertion order: the roll's entries are deleted (zeroed: `secure_delete`)
///   and inserted again in delegate-id order. The ballots are left as they are: their cells
///   show the order of casting and nothing about who (rewriting a million ballots would hold
///   the write lock for seconds while other contests vote).
pub fn rewrite_in_key_order(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<()> {
    let DbConnection::Pg(c) = conn else {
        let mut rows: Vec<RollRow> = roll::table
            .filter(roll::contest_id.eq(contest_id))
            .select(RollRow::as_select())
            .load(conn)?;
        rows.sort_by(|a, b| a.delegate_id.cmp(&b.delegate_id));
        diesel::delete(roll::table.filter(roll::contest_id.eq(contest_id))).execute(conn)?;
        for row in &rows {
            diesel::insert_into(roll::table).values(row).execute(conn)?;
        }
        return Ok(());
    };
    for sql in [
        "WITH gone AS (DELETE FROM ballots WHERE contest_id = $1 RETURNING *) \
         INSERT INTO ballots (contest_id, token, ballot_hash, body) \
         SELECT contest_id, token, ballot_hash, body FROM gone ORDER BY ballot_hash",
        "WITH gone AS (DELETE FROM roll WHERE contest_id = $1 RETURNING *) \
         INSERT INTO roll (contest_id, delegate_id, kind, blinded_sha256, blind_sig) \
         SELECT contest_id, delegate_id, kind, blinded_sha256, blind_sig FROM gone \
         ORDER BY delegate_id",
    ] {
        diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(contest_id.as_str())
            .execute(c)?;
    }
    Ok(())
}

/// Stores the count: cast, Merkle root and the tally result (JSON); the contest is final.
pub fn set_final(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    cast: u64,
    merkle_root: &str,
    result_json: &str,
) -> StorageResult<bool> {
    let n = diesel::update(
        contests::table
            .find(contest_id)
            .filter(contests::state.eq(ContestState::Closed.code())),
    )
    .set((
        contests::state.eq(ContestState::Final.code()),
        contests::cast_count.eq(to_column("cast_count", cast)?),
        contests::merkle_root.eq(merkle_root),
        contests::result.eq(result_json),
        contests::updated_at.eq(now_ms()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Puts a delegate on the roll as voting on paper and counts one more paper ballot issued;
/// false if the delegate was already on the roll (took a phone paper, or already handed one).
pub fn assign_paper(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    delegate_id: &DelegateId,
) -> StorageResult<bool> {
    let row = RollRow {
        contest_id: contest_id.as_str().to_string(),
        delegate_id: delegate_id.as_str().to_string(),
        kind: ROLL_PAPER.to_string(),
        blinded_sha256: None,
        blind_sig: None,
    };
    if !insert_roll(conn, &row)? {
        return Ok(false);
    }
    diesel::update(contests::table.find(contest_id))
        .set(contests::paper_issued.eq(contests::paper_issued + 1))
        .execute(conn)?;
    Ok(true)
}

/// Paper ballots entered so far (0 before the contest opened).
pub fn paper_entered(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<i64> {
    let n: Option<i32> = ballot_boxes::table
        .find(contest_id)
        .select(ballot_boxes::paper_entered)
        .first(conn)
        .optional()?;
    Ok(i64::from(n.unwrap_or(0)))
}

/// Stores a paper ballot and counts it (no delegate: it comes out of the ballot box
/// anonymously; the ballot itself does not say it was on paper).
pub fn insert_paper_ballot(conn: &mut DbConnection, row: &BallotRow) -> StorageResult<()> {
    insert_ballot(conn, row)?;
    diesel::update(ballot_boxes::table.find(&row.contest_id))
        .set(ballot_boxes::paper_entered.eq(ballot_boxes::paper_entered + 1))
        .execute(conn)?;
    Ok(())
}

/// The ballot bodies of a contest, in no meaningful order (callers sort by hash).
pub fn ballot_bodies(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Vec<String>> {
    Ok(ballots::table
        .filter(ballots::contest_id.eq(contest_id))
        .select(ballots::body)
        .load(conn)?)
}

/// Ballots stored for a contest.
pub fn ballot_count(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<i64> {
    Ok(ballots::table
        .filter(ballots::contest_id.eq(contest_id))
        .count()
        .get_result(conn)?)
}

/// Whether a ballot with this hash is in the contest's box.
pub fn has_ballot(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    ballot_hash: &str,
) -> StorageResult<bool> {
    let n: i64 = ballots::table
        .filter(ballots::contest_id.eq(contest_id))
        .filter(ballots::ballot_hash.eq(ballot_hash))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// The roll of a contest: (delegate number, name, college), in delegate-number order.
pub fn roll_rows(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Vec<(u32, String, String)>> {
    let rows: Vec<(i32, String, String)> = roll::table
        .inner_join(delegates::table)
        .filter(roll::contest_id.eq(contest_id))
        .order(delegates::delegate_no)
        .select((delegates::delegate_no, delegates::name, delegates::college))
        .load(conn)?;
    rows.into_iter()
        .map(|(n, name, college)| {
            Ok((
                count("roll", contest_id.as_str(), "delegate_no", n)?,
                name,
                college,
            ))
        })
        .collect()
}

/// Roll entries of a contest.
pub fn roll_count(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<i64> {
    Ok(roll::table
        .filter(roll::contest_id.eq(contest_id))
        .count()
        .get_result(conn)?)
}

/// Marks a contest as a further round (`runoff` 再次投票 / `supplementary` 另行选举) of `parent`.
pub fn set_round(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    parent: &ContestId,
    kind: RoundKind,
) -> StorageResult<()> {
    diesel::update(contests::table.find(contest_id))
        .set((
            contests::parent_id.eq(parent),
            contests::round_kind.eq(kind.code()),
        ))
        .execute(conn)?;
    Ok(())
}
