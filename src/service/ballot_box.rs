//! The ballot box (投票): accepts each signed ballot exactly once, durably, with group commit
//! (`group_commit`), without knowing who cast it.
//!
//! A submission is a v2 ballot whose token the contest key has signed (blindly, when the
//! phone took its paper; `papers`). The request carries no session and no delegate: the box
//! is reached under `/box`, where the delegate's cookies are never sent. The signature is
//! checked on the request thread before the submission gets here (`prepare`); inside the
//! batch's transaction, for each submission, in token order (so neither the order of the rows
//! written nor their place on a page says in which order the batch's ballots arrived):
//!
//! 1. a ballot already stored under the same token is either the same ballot (a retry, a
//!    double tap, a lost response: the same receipt again, even after the close) or another
//!    ballot on a spent paper (refused);
//! 2. the contest must still be open (checked once per contest per batch; on PostgreSQL the
//!    contest row is share-locked so a concurrent close waits for the batch, and a ballot
//!    either commits before the close or is refused after it, never lost);
//! 3. the ballot is inserted under its token.
//!
//! A 评议会 counting its participants apart (rule I7) has a second key per contest: a paper
//! signed with it (`participants`) goes to the participants' tables, with the same checks
//! (one statement per ballot there: participants are few).
//!
//! The statements are set-based: per contest in the batch, one lookup of the batch's tokens
//! and one multi-row insert of its new ballots (in chunks of 200), instead of two statements
//! per ballot, so a batch costs PostgreSQL a few round trips whatever its size.
//!
//! Nothing here touches the roll: the roll entry was written when the paper was issued, in
//! another transaction of another writer, usually long before.

use super::group_commit::{Batch, Writer};
use crate::domain::contest::ContestAction;
use crate::domain::ids::ContestId;
use crate::storage::models::BallotRow;
use crate::storage::repo::{term, voting};
use crate::storage::{DbConnection, StorageError};

/// A signed ballot ready to store (its signature already checked).
#[derive(Debug, Clone)]
pub struct Submission {
    pub contest_id: ContestId,
    /// The paper's token, 128 lower-case hex characters.
    pub token: String,
    /// Canonical JSON of the v2 ballot (`docs/formats.md`).
    pub body: String,
    /// SHA-256 of `body`, hex: the tracker.
    pub ballot_hash: String,
    /// The paper was signed with the contest's participants' key (rule I7): the ballot goes to
    /// the participants' box, counted apart.
    pub participants: bool,
}

/// Why a ballot was not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("本项投票已结束或尚未开始, 这张选票没有被接收")]
    ContestNotOpen,
    #[error("这张选票已经投出, 不能再投或更改 (每张选票只能投一次)")]
    TokenSpent,
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

/// The ballot box's writer.
pub struct BoxWriter;

/// Handle to the ballot box's writer thread; cheap to clone.
pub type BallotBox = Writer<BoxWriter>;

impl Batch for BoxWriter {
    type Item = Submission;
    type Outcome = Outcome;
    const NAME: &'static str = "ballot-box";

    fn store(conn: &mut DbConnection, subs: &[&Submission]) -> Result<Vec<Outcome>, StorageError> {
        store_batch(conn, subs)
    }

    fn unavailable(reason: String) -> Outcome {
        Err(Refusal::Unavailable(reason))
    }

    fn is_unavailable(outcome: &Outcome) -> bool {
        matches!(outcome, Err(Refusal::Unavailable(_)))
    }
}

/// Whether ballots may go into the contest's box now (the model decides: `ContestAction::Vote`),
/// share-locking its row on PostgreSQL (`voting::contest_state_locked`).
pub(crate) fn accepts_ballots(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> Result<bool, StorageError> {
    Ok(voting::contest_state_locked(conn, contest_id)?
        .is_some_and(|state| ContestAction::Vote.allows(state)))
}

fn store_batch(
    conn: &mut DbConnection,
    subs: &[&Submission],
) -> Result<Vec<Outcome>, StorageError> {
    let mut out: Vec<Option<Outcome>> = vec![None; subs.len()];
    let mut order: Vec<usize> = (0..subs.len()).collect();
    let key = |i: usize| (&subs[i].contest_id, subs[i].participants);
    order.sort_by(|a, b| (key(*a), &subs[*a].token).cmp(&(key(*b), &subs[*b].token)));
    // One contest (and group, I7) at a time, a few statements per contest (not two per
    // ballot: on PostgreSQL each statement is a round trip inside the batch's transaction).
    for group in order.chunk_by(|a, b| key(*a) == key(*b)) {
        let contest_id = &subs[group[0]].contest_id;
        let participants = subs[group[0]].participants;
        let tokens: Vec<&str> = group.iter().map(|i| subs[*i].token.as_str()).collect();
        let mut stored = if participants {
            let mut m = std::collections::HashMap::new();
            for t in &tokens {
                if let Some(h) = term::participant_ballot_hash_by_token(conn, contest_id, t)? {
                    m.insert(t.to_string(), h);
                }
            }
            m
        } else {
            voting::ballot_hashes_by_tokens(conn, contest_id, &tokens)?
        };
        let mut open: Option<bool> = None;
        let mut rows = Vec::new();
        for &i in group {
            let s = subs[i];
            if let Some(hash) = stored.get(&s.token) {
                // A retry of an accepted ballot gets its receipt even after the close: it adds
                // nothing, and "not received" would tell the voter their vote was lost. (Also
                // the second of two submissions of one token in the same batch.)
                out[i] = Some(if *hash == s.ballot_hash {
                    Ok(Accepted {
                        ballot_hash: hash.clone(),
                        replayed: true,
                    })
                } else {
                    Err(Refusal::TokenSpent)
                });
                continue;
            }
            let is_open = match open {
                Some(v) => v,
                None => *open.insert(accepts_ballots(conn, contest_id)?),
            };
            if !is_open {
                out[i] = Some(Err(Refusal::ContestNotOpen));
                continue;
            }
            stored.insert(s.token.clone(), s.ballot_hash.clone());
            rows.push(BallotRow {
                contest_id: s.contest_id.as_str().to_string(),
                token: s.token.clone(),
                ballot_hash: s.ballot_hash.clone(),
                body: s.body.clone(),
            });
            out[i] = Some(Ok(Accepted {
                ballot_hash: s.ballot_hash.clone(),
                replayed: false,
            }));
        }
        if participants {
            for r in &rows {
                term::insert_participant_ballot(
                    conn,
                    contest_id,
                    &r.token,
                    &r.ballot_hash,
                    &r.body,
                )?;
            }
        } else {
            voting::insert_ballots(conn, &rows)?;
        }
    }
    Ok(out
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err(Refusal::Unavailable("internal".into()))))
        .collect())
}
