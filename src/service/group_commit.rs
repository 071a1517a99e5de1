//! Group commit, shared by the two writers of the vote: the paper issuer (领票, `papers`) and
//! the ballot box (投票, `ballot_box`). Each is its own thread with its own database
//! connection, so a paper and a ballot are never written in the same transaction.
//!
//! Handlers send the writer a prepared item (all CPU work, such as signing or hashing, is
//! done on the request threads beforehand) and wait for its answer. The writer drains
//! whatever has queued up and commits the whole batch in one transaction (one fsync for many
//! requests); each item gets its own answer. If the batch's transaction fails (a lost race
//! with another server, a dropped connection), each item is retried in its own transaction,
//! so one bad item never refuses the others. Log lines carry counts only, and the writer
//! counts its batches (`Writer::stats`) for the benchmark's figures.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::errors::chain;
use crate::storage::{write_tx, Db, DbConnection, StorageError};

/// Most items committed in one transaction.
pub const MAX_BATCH: usize = 512;

/// What a writer stores, and how.
pub trait Batch: 'static {
    /// One request, prepared.
    type Item: Send + 'static;
    /// Its answer.
    type Outcome: Send + 'static;
    /// The writer thread's name (and its log lines' `writer` field).
    const NAME: &'static str;
    /// Stores `items` inside the caller's transaction; one outcome per item, in order.
    fn store(
        conn: &mut DbConnection,
        items: &[&Self::Item],
    ) -> Result<Vec<Self::Outcome>, StorageError>;
    /// The answer when nothing could be stored (the database is unreachable).
    fn unavailable(reason: String) -> Self::Outcome;
    /// Whether an outcome is [`Batch::unavailable`] (the writer then reconnects).
    fn is_unavailable(outcome: &Self::Outcome) -> bool;
}

struct Job<B: Batch> {
    item: B::Item,
    reply: oneshot::Sender<B::Outcome>,
}

/// What a writer has done since it started: counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Transactions that committed a whole batch.
    pub batches: u64,
    /// Items answered from those batches.
    pub items: u64,
    /// Batches whose transaction failed, each item then retried in its own transaction.
    pub failed_batches: u64,
    /// Items retried in a transaction of their own after their batch failed.
    pub retried_singly: u64,
}

impl Stats {
    /// The counts since `earlier`.
    pub fn since(&self, earlier: &Stats) -> Stats {
        Stats {
            batches: self.batches - earlier.batches,
            items: self.items - earlier.items,
            failed_batches: self.failed_batches - earlier.failed_batches,
            retried_singly: self.retried_singly - earlier.retried_singly,
        }
    }
}

#[derive(Default)]
struct Counters {
    batches: AtomicU64,
    items: AtomicU64,
    failed_batches: AtomicU64,
    retried_singly: AtomicU64,
}

/// Handle to a writer thread; cheap to clone.
pub struct Writer<B: Batch> {
    tx: mpsc::Sender<Job<B>>,
    counters: Arc<Counters>,
}

impl<B: Batch> Clone for Writer<B> {
    fn clone(&self) -> Self {
        Writer {
            tx: self.tx.clone(),
            counters: self.counters.clone(),
        }
    }
}

impl<B: Batch> Writer<B> {
    /// Starts the writer thread on `db`.
    pub fn spawn(db: Db) -> Writer<B> {
        let (tx, rx) = mpsc::channel::<Job<B>>();
        let counters = Arc::new(Counters::default());
        let c = counters.clone();
        std::thread::Builder::new()
            .name(B::NAME.to_string())
            .spawn(move || run::<B>(db, rx, &c))
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!(writer = B::NAME, error = %e, "cannot start"));
        Writer { tx, counters }
    }

    /// The writer's counts so far.
    pub fn stats(&self) -> Stats {
        let c = &self.counters;
        Stats {
            batches: c.batches.load(Ordering::Relaxed),
            items: c.items.load(Ordering::Relaxed),
            failed_batches: c.failed_batches.load(Ordering::Relaxed),
            retried_singly: c.retried_singly.load(Ordering::Relaxed),
        }
    }

    /// Submits one item and waits for the durable answer.
    pub async fn submit(&self, item: B::Item) -> B::Outcome {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Job { item, reply }).is_err() {
            return B::unavailable("writer stopped".to_string());
        }
        rx.await
            .unwrap_or_else(|_| B::unavailable("writer stopped".to_string()))
    }

    /// Blocking variant for non-async callers (CLI, tests, the simulator's phones).
    pub fn submit_blocking(&self, item: B::Item) -> B::Outcome {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Job { item, reply }).is_err() {
            return B::unavailable("writer stopped".to_string());
        }
        rx.blocking_recv()
            .unwrap_or_else(|_| B::unavailable("writer stopped".to_string()))
    }
}

fn run<B: Batch>(db: Db, rx: mpsc::Receiver<Job<B>>, counters: &Counters) {
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
            match db.conn() {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    let why = format!("database unreachable: {}", chain(&e));
                    tracing::warn!(writer = B::NAME, error = %why, "no connection");
                    for j in batch {
                        // A caller that gave up waiting has nobody to tell.
                        let _ = j.reply.send(B::unavailable(why.clone()));
                    }
                    std::thread::sleep(Duration::from_millis(100));
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else {
            continue;
        };
        let items: Vec<&B::Item> = batch.iter().map(|j| &j.item).collect();
        let outcomes = match write_tx(c, |c| B::store(c, &items)) {
            Ok(o) if o.len() == items.len() => {
                counters.batches.fetch_add(1, Ordering::Relaxed);
                counters.items.fetch_add(o.len() as u64, Ordering::Relaxed);
                o
            }
            Ok(_) => items
                .iter()
                .map(|_| B::unavailable("internal: outcome count".into()))
                .collect(),
            Err(e) => {
                tracing::warn!(writer = B::NAME, batch = items.len(), error = %chain(&e), "batch failed; retrying singly");
                counters.failed_batches.fetch_add(1, Ordering::Relaxed);
                counters
                    .retried_singly
                    .fetch_add(items.len() as u64, Ordering::Relaxed);
                items
                    .iter()
                    .map(|item| {
                        // The batch's error is logged above; an item's own error is not
                        // (its text can quote the item's values).
                        write_tx(c, |c| B::store(c, &[*item]))
                            .ok()
                            .and_then(|mut v| v.pop())
                            .unwrap_or_else(|| B::unavailable("storage error".into()))
                    })
                    .collect()
            }
        };
        if outcomes.iter().any(B::is_unavailable) {
            conn = None; // reconnect next time
        }
        tracing::debug!(writer = B::NAME, batch = batch.len(), "batch committed");
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            let _ = job.reply.send(outcome);
        }
    }
}
