//! The vote itself: opening and closing contests, who may vote (frozen at opening), the roll
//! of who voted, paper ballots, the ballot box's contents, and the final result.
//!
//! Nothing here joins ballots to delegates: `ballots` and `roll` share only the contest.

use diesel::prelude::*;

use crate::storage::models::{BallotRow, ContestVoterRow, RollRow};
use crate::storage::schema::{ballots, contest_voters, contests, delegates, roll};
use crate::storage::{now_ms, DbConnection, StorageResult};

/// Marks a draft contest open with `issued` ballots (实到) and `expected` (应到) frozen;
/// returns false if it was not a draft.
pub fn set_open(
    conn: &mut DbConnection,
    contest_id: &str,
    issued: u32,
    expected: u32,
) -> StorageResult<bool> {
    let now = now_ms();
    let n = diesel::update(
        contests::table
            .find(contest_id)
            .filter(contests::state.eq("draft")),
    )
    .set((
        contests::state.eq("open"),
        contests::issued.eq(issued as i32),
        contests::expected.eq(expected as i32),
        contests::opened_at.eq(now),
        contests::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Freezes the delegates entitled to vote in a contest (those present at opening).
pub fn freeze_voters(
    conn: &mut DbConnection,
    contest_id: &str,
    delegate_ids: &[String],
) -> StorageResult<()> {
    for d in delegate_ids {
        diesel::insert_into(contest_voters::table)
            .values(ContestVoterRow {
                contest_id: contest_id.to_string(),
                delegate_id: d.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Whether the delegate was present when the contest opened.
pub fn is_voter(
    conn: &mut DbConnection,
    contest_id: &str,
    delegate_id: &str,
) -> StorageResult<bool> {
    let n: i64 = contest_voters::table
        .filter(contest_voters::contest_id.eq(contest_id))
        .filter(contest_voters::delegate_id.eq(delegate_id))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// Whether the delegate is on the roll of the contest (voted, or was handed a paper ballot).
pub fn on_roll(
    conn: &mut DbConnection,
    contest_id: &str,
    delegate_id: &str,
) -> StorageResult<bool> {
    let n: i64 = roll::table
        .filter(roll::contest_id.eq(contest_id))
        .filter(roll::delegate_id.eq(delegate_id))
        .count()
        .get_result(conn)?;
    Ok(n == 1)
}

/// Moves an open contest to closed (no further phone ballots); false if it was not open.
pub fn set_closed(conn: &mut DbConnection, contest_id: &str) -> StorageResult<bool> {
    let now = now_ms();
    let n = diesel::update(
        contests::table
            .find(contest_id)
            .filter(contests::state.eq("open")),
    )
    .set((
        contests::state.eq("closed"),
        contests::closed_at.eq(now),
        contests::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Rewrites a contest's ballots and roll entries in key order, inside the caller's
/// transaction (the close). PostgreSQL keeps a table's rows in the order they were written and
/// stamps each with the id of the transaction that wrote it (`xmin`), and the ballot box
/// writes a delegate's roll entry and ballot in one transaction: left alone, the two tables
/// could be paired up row by row (E1). Afterwards every row of the contest carries the
/// closing transaction's id and sits in hash (ballots) or delegate-id (roll) order. SQLite
/// keeps these `WITHOUT ROWID` tables in key order and records no writer: nothing to do.
pub fn rewrite_in_key_order(conn: &mut DbConnection, contest_id: &str) -> StorageResult<()> {
    let DbConnection::Pg(c) = conn else {
        return Ok(());
    };
    for sql in [
        "WITH gone AS (DELETE FROM ballots WHERE contest_id = $1 RETURNING *) \
         INSERT INTO ballots (contest_id, id, ballot_hash, body, paper) \
         SELECT contest_id, id, ballot_hash, body, paper FROM gone ORDER BY ballot_hash",
        "WITH gone AS (DELETE FROM roll WHERE contest_id = $1 RETURNING *) \
         INSERT INTO roll (contest_id, delegate_id) \
         SELECT contest_id, delegate_id FROM gone ORDER BY delegate_id",
    ] {
        diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(contest_id)
            .execute(c)?;
    }
    Ok(())
}

/// Stores the count: cast, Merkle root and the tally result (JSON); the contest is final.
pub fn set_final(
    conn: &mut DbConnection,
    contest_id: &str,
    cast: u32,
    merkle_root: &str,
    result_json: &str,
) -> StorageResult<bool> {
    let n = diesel::update(
        contests::table
            .find(contest_id)
            .filter(contests::state.eq("closed")),
    )
    .set((
        contests::state.eq("final"),
        contests::cast_count.eq(cast as i32),
        contests::merkle_root.eq(merkle_root),
        contests::result.eq(result_json),
        contests::updated_at.eq(now_ms()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Puts a delegate on the roll as voting on paper and counts one more paper ballot issued;
/// false if the delegate was already on the roll (voted by phone, or already handed one).
pub fn assign_paper(
    conn: &mut DbConnection,
    contest_id: &str,
    delegate_id: &str,
) -> StorageResult<bool> {
    if on_roll(conn, contest_id, delegate_id)? {
        return Ok(false);
    }
    diesel::insert_into(roll::table)
        .values(RollRow {
            contest_id: contest_id.to_string(),
            delegate_id: delegate_id.to_string(),
        })
        .execute(conn)?;
    diesel::update(contests::table.find(contest_id))
        .set(contests::paper_issued.eq(contests::paper_issued + 1))
        .execute(conn)?;
    Ok(true)
}

/// Paper ballots entered so far.
pub fn paper_entered(conn: &mut DbConnection, contest_id: &str) -> StorageResult<i64> {
    Ok(ballots::table
        .filter(ballots::contest_id.eq(contest_id))
        .filter(ballots::paper.eq(true))
        .count()
        .get_result(conn)?)
}

/// Stores a paper ballot (no delegate: it comes out of the ballot box anonymously).
pub fn insert_paper_ballot(conn: &mut DbConnection, row: &BallotRow) -> StorageResult<()> {
    diesel::insert_into(ballots::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The ballot bodies of a contest, in no meaningful order (callers sort by hash).
pub fn ballot_bodies(conn: &mut DbConnection, contest_id: &str) -> StorageResult<Vec<String>> {
    Ok(ballots::table
        .filter(ballots::contest_id.eq(contest_id))
        .select(ballots::body)
        .load(conn)?)
}

/// Ballots stored for a contest.
pub fn ballot_count(conn: &mut DbConnection, contest_id: &str) -> StorageResult<i64> {
    Ok(ballots::table
        .filter(ballots::contest_id.eq(contest_id))
        .count()
        .get_result(conn)?)
}

/// Whether a ballot with this hash is in the contest's box.
pub fn has_ballot(
    conn: &mut DbConnection,
    contest_id: &str,
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
    contest_id: &str,
) -> StorageResult<Vec<(u32, String, String)>> {
    let rows: Vec<(i32, String, String)> = roll::table
        .inner_join(delegates::table)
        .filter(roll::contest_id.eq(contest_id))
        .order(delegates::delegate_no)
        .select((delegates::delegate_no, delegates::name, delegates::college))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(n, name, college)| (n.max(0) as u32, name, college))
        .collect())
}

/// Roll entries of a contest.
pub fn roll_count(conn: &mut DbConnection, contest_id: &str) -> StorageResult<i64> {
    Ok(roll::table
        .filter(roll::contest_id.eq(contest_id))
        .count()
        .get_result(conn)?)
}

/// Marks a contest as a further round (`runoff` 再次投票 / `supplementary` 另行选举) of `parent`.
pub fn set_round(
    conn: &mut DbConnection,
    contest_id: &str,
    parent: &str,
    kind: &str,
) -> StorageResult<()> {
    diesel::update(contests::table.find(contest_id))
        .set((
            contests::parent_id.eq(parent),
            contests::round_kind.eq(kind),
        ))
        .execute(conn)?;
    Ok(())
}
