//! What the attacker of `attack.rs` reads, turned into events ((position, event): equal
//! positions are one transaction): SQLite's WAL commits and page cells (`sqlite_pages`),
//! PostgreSQL's `xmin`/`ctid`, its tuples seen with `pageinspect` (dead ones included), and
//! its WAL's heap inserts seen with `pg_walinspect`.

use std::collections::{BTreeMap, BTreeSet};

use congress::storage::DbConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};

use super::attack::{Event, Truth};
use super::sqlite_pages::{self, Row};

/// SQLite, from the WAL: each row's first appearance (commit, then place in its page: a
/// lower offset is a later insert).
pub fn wal_events(wal: &[u8], contest: &str) -> Vec<((u64, u64), Event)> {
    let mut first: BTreeMap<Event, (u64, u64)> = BTreeMap::new();
    for (k, commit) in sqlite_pages::wal_commits(wal).iter().enumerate() {
        for (number, page) in commit {
            for row in sqlite_pages::rows(*number, page) {
                let (event, offset) = match row {
                    Row::Roll {
                        contest: c,
                        delegate,
                        offset,
                    } if c == contest => (Event::Issue(delegate), offset),
                    Row::Ballot {
                        contest: c,
                        token,
                        offset,
                    } if c == contest => (Event::Cast(token), offset),
                    _ => continue,
                };
                first
                    .entry(event)
                    .or_insert((k as u64, u64::MAX - offset as u64));
            }
        }
    }
    first.into_iter().map(|(e, p)| (p, e)).collect()
}

/// SQLite, from the database file: rows by page and place in the page (one "transaction"
/// per page: nothing says when a page was written).
pub fn file_events(db: &[u8], contest: &str) -> Vec<((u64, u64), Event)> {
    let mut out = Vec::new();
    for (number, page) in sqlite_pages::db_pages(db) {
        for row in sqlite_pages::rows(number, &page) {
            match row {
                Row::Roll {
                    contest: c,
                    delegate,
                    offset,
                } if c == contest => out.push((
                    (u64::from(number), u64::MAX - offset as u64),
                    Event::Issue(delegate),
                )),
                Row::Ballot {
                    contest: c,
                    token,
                    offset,
                } if c == contest => out.push((
                    (u64::from(number), u64::MAX - offset as u64),
                    Event::Cast(token),
                )),
                _ => {}
            }
        }
    }
    // Pages are not transactions: order everything by page then place, as one sequence.
    out.sort();
    out.into_iter()
        .enumerate()
        .map(|(i, (_, e))| ((i as u64, 0), e))
        .collect()
}

#[derive(QueryableByName)]
struct Tuple {
    #[diesel(sql_type = BigInt)]
    tx: i64,
    #[diesel(sql_type = BigInt)]
    place: i64,
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

fn pg(conn: &mut DbConnection, sql: &str) -> Vec<Tuple> {
    let DbConnection::Pg(c) = conn else {
        panic!("PostgreSQL")
    };
    diesel::sql_query(sql)
        .load(c)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn to_events(tuples: Vec<Tuple>) -> Vec<((u64, u64), Event)> {
    tuples
        .into_iter()
        .map(|t| {
            let e = if t.kind == "roll" {
                Event::Issue(t.key)
            } else {
                Event::Cast(t.key)
            };
            ((t.tx as u64, t.place as u64), e)
        })
        .collect()
}

/// PostgreSQL, live rows: `xmin` and `ctid`, with nothing but SELECT.
pub fn xmin_events(conn: &mut DbConnection, contest: &str) -> Vec<((u64, u64), Event)> {
    let sql = format!(
        "SELECT CAST(CAST(xmin AS TEXT) AS BIGINT) AS tx, \
                CAST((ctid::text::point)[0] * 100000 + (ctid::text::point)[1] AS BIGINT) AS place, \
                delegate_id AS key, 'roll' AS kind FROM roll WHERE contest_id = '{contest}' \
         UNION ALL \
         SELECT CAST(CAST(xmin AS TEXT) AS BIGINT), \
                CAST((ctid::text::point)[0] * 100000 + (ctid::text::point)[1] AS BIGINT), \
                token, 'ballot' FROM ballots WHERE contest_id = '{contest}'"
    );
    to_events(pg(conn, &sql))
}

/// PostgreSQL, every tuple still on the tables' pages, dead ones included (pageinspect):
/// the writing transaction, the place, and the key read from the tuple's bytes.
pub fn page_events(conn: &mut DbConnection, truth: &Truth) -> Vec<((u64, u64), Event)> {
    let mut out = Vec::new();
    for table in ["roll", "ballots"] {
        let sql = format!(
            "SELECT CAST(CAST(t_xmin AS TEXT) AS BIGINT) AS tx, \
                    CAST(b * 100000 + lp AS BIGINT) AS place, \
                    encode(COALESCE(t_data, ''::bytea), 'escape') AS key, '{table}' AS kind \
             FROM generate_series(0, pg_relation_size('{table}') / 8192 - 1) AS b, \
                  LATERAL heap_page_items(get_raw_page('{table}', CAST(b AS INT))) \
             WHERE t_xmin IS NOT NULL"
        );
        for t in pg(conn, &sql) {
            // Which delegate or token the tuple's bytes hold.
            let key = if table == "roll" {
                truth
                    .token_of
                    .keys()
                    .find(|d| t.key.contains(d.as_str()))
                    .cloned()
            } else {
                truth
                    .token_of
                    .values()
                    .find(|k| t.key.contains(k.as_str()))
                    .cloned()
            };
            if let Some(key) = key {
                out.push((Tuple { key, ..t }).into_event());
            }
        }
    }
    out
}

impl Tuple {
    fn into_event(self) -> ((u64, u64), Event) {
        to_events(vec![self]).remove(0)
    }
}

/// PostgreSQL, the WAL (pg_walinspect): the transaction of every heap insert into the two
/// tables since `from`, and its place (block, offset) for the order. Read up to the flushed
/// LSN: pg_walinspect refuses an end past it ("cannot accept future end LSN"), which the
/// insert position (`pg_current_wal_lsn`) can be while other sessions write; every insert
/// looked for here was committed, and a commit flushes the WAL through its record.
pub fn wal_inserts(conn: &mut DbConnection, from: &str) -> (BTreeSet<i64>, BTreeSet<i64>) {
    let sql = format!(
        "SELECT CAST(CAST(xid AS TEXT) AS BIGINT) AS tx, 0::bigint AS place, \
                block_ref AS key, \
                CASE WHEN block_ref LIKE '%/' || pg_relation_filenode('roll') || ' %' \
                     THEN 'roll' ELSE 'ballot' END AS kind \
         FROM pg_get_wal_records_info('{from}', pg_current_wal_flush_lsn()) \
         WHERE resource_manager = 'Heap' AND record_type LIKE 'INSERT%' \
           AND (block_ref LIKE '%/' || pg_relation_filenode('roll') || ' %' \
             OR block_ref LIKE '%/' || pg_relation_filenode('ballots') || ' %')"
    );
    let mut roll = BTreeSet::new();
    let mut ballots = BTreeSet::new();
    for t in pg(conn, &sql) {
        if t.kind == "roll" {
            roll.insert(t.tx);
        } else {
            ballots.insert(t.tx);
        }
    }
    (roll, ballots)
}
