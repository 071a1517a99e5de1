//! The ballot box: accepts each delegate's phone ballot exactly once, durably, with group
//! commit. (Paper ballots are entered by scrutineers through `service::voting`.)
//!
//! One writer thread per server owns a database connection. Handlers send it a prepared
//! submission (canonical ballot JSON and its hash are computed on the request thread) and wait
//! for the answer. The writer drains whatever has queued up and commits the whole batch in one
//! transaction (one fsync for many ballots: "group commit"); each submission gets its own
//! answer. Within the transaction, for each submission:
//!
//! 1. a ballot with the same random id already stored is a retry of the same submission
//!    (double tap, lost response): if this delegate is on the roll and the hash is the same,
//!    the original acceptance is returned again, even after the close;
//! 2. the contest must still be open (checked once per contest per batch; on PostgreSQL the
//!    contest row is share-locked so a concurrent close waits for the batch, and a ballot
//!    either commits before the close or is refused after it, never lost);
//! 3. the delegate must be one of the contest's voters, frozen when it opened (D2);
//! 4. the roll entry is inserted with `ON CONFLICT DO NOTHING`: if the delegate is already
//!    on the roll (another device, a paper ballot), the ballot is refused;
//! 5. the ballot is inserted. Roll entry and ballot are in the same transaction, so neither
//!    exists without the other.
//!
//! The ballot row carries no delegate, no time and no arrival order (SQLite: `WITHOUT ROWID`;
//! PostgreSQL: rewritten in key order when the contest closes, see
//! `storage::repo::voting::rewrite_in_key_order`); the writer's log lines carry counts only.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Duration;

use diesel::prelude::*;
use tokio::sync::oneshot;

use crate::storage::models::{BallotRow, RollRow};
use crate::storage::repo::voting;
use crate::storage::schema::{ballots, contests, roll};
use crate::storage::{write_tx, Db, DbConnection, StorageError};

/// Most submissions committed in one transaction.
pub const MAX_BATCH: usize = 512;

/// A ballot ready to store.
#[derive(Debug, Clone)]
pub struct Submission {
    pub contest_id: String,
    pub delegate_id: String,
    pub ballot_id: String,
    /// Canonical JSON of the ballot (`docs/formats.md`).
    pub body: String,
    /// SHA-256 of `body`, hex: the tracker.
    pub ballot_hash: String,
}

/// Why a ballot was not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("本项投票已结束或尚未开始, 这张选票没有被接收")]
    ContestNotOpen,
    #[error("您已经在本项投过票(或已登记使用纸质选票), 每位代表只能投一次")]
    AlreadyVoted,
    #[error("本项投票开始时您尚未签到, 按规则不能参加本项投票 (发出选票数在开始投票时确定)")]
    NotEntitled,
    #[error("选票编号重复, 请刷新投票页面后重新填写")]
    BallotIdReused,
    #[error("投票系统暂时无法保存选票, 请稍后重试: {0}")]
    Unavailable(String),
}

/// A stored ballot: `replayed` is true when this answers a retry of an accepted submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub ballot_hash: String,
    pub replayed: bool,
}

pub type Outcome = Result<Accepted, Refusal>;

struct Job {
    sub: Submission,
    reply: oneshot::Sender<Outcome>,
}

/// Handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct BallotBox {
    tx: mpsc::Sender<Job>,
}

impl BallotBox {
    /// Starts the writer thread on `db`.
    pub fn spawn(db: Db) -> BallotBox {
        let (tx, rx) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("ballot-box".to_string())
            .spawn(move || writer(db, rx))
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!(error = %e, "cannot start ballot writer"));
        BallotBox { tx }
    }

    /// Submits one ballot and waits for the durable answer.
    pub async fn submit(&self, sub: Submission) -> Outcome {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Job { sub, reply })
            .map_err(|_| Refusal::Unavailable("writer stopped".to_string()))?;
        rx.await
            .unwrap_or_else(|_| Err(Refusal::Unavailable("writer stopped".to_string())))
    }

    /// Blocking variant for non-async callers (CLI, tests).
    pub fn submit_blocking(&self, sub: Submission) -> Outcome {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Job { sub, reply })
            .map_err(|_| Refusal::Unavailable("writer stopped".to_string()))?;
        rx.blocking_recv()
            .unwrap_or_else(|_| Err(Refusal::Unavailable("writer stopped".to_string())))
    }
}

fn writer(db: Db, rx: mpsc::Receiver<Job>) {
    let mut conn = None;
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        if conn.is_none() {
            conn = db.conn().ok();
        }
        let Some(c) = conn.as_mut() else {
            for j in batch {
                let _ = j
                    .reply
                    .send(Err(Refusal::Unavailable("database unreachable".into())));
            }
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
        let subs: Vec<&Submission> = batch.iter().map(|j| &j.sub).collect();
        let outcomes = match write_tx(c, |c| store_batch(c, &subs)) {
            Ok(o) => o,
            Err(e) => {
                // One bad apple (or a lost race with another server) must not refuse the
                // others: retry each in its own transaction.
                tracing::warn!(batch = subs.len(), error = %e, "batch failed; retrying singly");
                subs.iter()
                    .map(|s| {
                        write_tx(c, |c| store_batch(c, &[*s]))
                            .map(|mut v| v.remove(0))
                            .unwrap_or_else(|e| Err(Refusal::Unavailable(e.to_string())))
                    })
                    .collect()
            }
        };
        if outcomes
            .iter()
            .any(|o| matches!(o, Err(Refusal::Unavailable(_))))
        {
            conn = None; // reconnect next time
        }
        tracing::debug!(batch = batch.len(), "ballot batch committed");
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            let _ = job.reply.send(outcome);
        }
    }
}

/// Whether the contest is open, share-locking its row on PostgreSQL.
fn contest_open(conn: &mut DbConnection, contest_id: &str) -> Result<bool, StorageError> {
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
    Ok(state.as_deref() == Some("open"))
}

/// Inserts the roll entry unless it exists; returns whether it was inserted.
fn insert_roll(conn: &mut DbConnection, row: &RollRow) -> Result<bool, StorageError> {
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

fn store_batch(
    conn: &mut DbConnection,
    subs: &[&Submission],
) -> Result<Vec<Outcome>, StorageError> {
    let mut open: HashMap<&str, bool> = HashMap::new();
    let mut out = Vec::with_capacity(subs.len());
    for s in subs {
        let is_open = match open.get(s.contest_id.as_str()) {
            Some(v) => *v,
            None => {
                let v = contest_open(conn, &s.contest_id)?;
                open.insert(&s.contest_id, v);
                v
            }
        };
        let existing: Option<String> = ballots::table
            .find((&s.contest_id, &s.ballot_id))
            .select(ballots::ballot_hash)
            .first(conn)
            .optional()?;
        if let Some(hash) = existing {
            let on_roll = voting::on_roll(conn, &s.contest_id, &s.delegate_id)?;
            // A retry of an accepted ballot gets its receipt even after the close: it adds
            // nothing, and "not received" would tell the delegate their vote was lost.
            out.push(if on_roll && hash == s.ballot_hash {
                Ok(Accepted {
                    ballot_hash: hash,
                    replayed: true,
                })
            } else if !is_open {
                Err(Refusal::ContestNotOpen)
            } else {
                Err(Refusal::BallotIdReused)
            });
            continue;
        }
        if !is_open {
            out.push(Err(Refusal::ContestNotOpen));
            continue;
        }
        // Only the delegates present when the contest opened may vote in it (D2): the
        // phone pages say so, and a form posted directly must not get past it either.
        if !voting::is_voter(conn, &s.contest_id, &s.delegate_id)? {
            out.push(Err(Refusal::NotEntitled));
            continue;
        }
        let roll_row = RollRow {
            contest_id: s.contest_id.clone(),
            delegate_id: s.delegate_id.clone(),
        };
        if !insert_roll(conn, &roll_row)? {
            out.push(Err(Refusal::AlreadyVoted));
            continue;
        }
        diesel::insert_into(ballots::table)
            .values(BallotRow {
                contest_id: s.contest_id.clone(),
                id: s.ballot_id.clone(),
                ballot_hash: s.ballot_hash.clone(),
                body: s.body.clone(),
                paper: false,
            })
            .execute(conn)?;
        out.push(Ok(Accepted {
            ballot_hash: s.ballot_hash.clone(),
            replayed: false,
        }));
    }
    Ok(out)
}
