//! A deterministic moment to crash a server in the middle of a burst, for the crash tests
//! (`tests/it/crash.rs`, `tests/it/two_servers.rs`): instead of hoping a `kill -9` lands while
//! requests are in flight, the test holds a lock that the writers need to commit
//! ([`Stall::hold`]), sends the burst, waits until the server's writer thread is inside its
//! batch, blocked on that lock ([`writer_busy`]), kills the server, then lets go. Nothing the
//! burst sent can have committed before the kill, however fast or slow the machine is.
//!
//! - SQLite: the test's connection takes the write lock (`BEGIN IMMEDIATE`); the writers'
//!   own `BEGIN IMMEDIATE` waits in SQLite's busy handler.
//! - PostgreSQL: the test's transaction locks the contest's row `FOR UPDATE`; the writers
//!   share-lock it (`contest_open`) before they insert anything, and wait.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;

use crate::domain::ids::ContestId;
use crate::storage::{Db, DbConnection, PooledConn};

/// A lock held by the test that stops every writer's commit until [`Stall::release`].
pub struct Stall {
    conn: Option<PooledConn>,
}

impl Stall {
    /// Takes the lock the writers need for `contest_id`.
    pub fn hold(db: &Db, contest_id: &ContestId) -> anyhow::Result<Stall> {
        let mut conn = db.conn()?;
        match &mut *conn {
            DbConnection::Sqlite(c) => c.batch_execute("BEGIN IMMEDIATE")?,
            DbConnection::Pg(c) => {
                c.batch_execute("BEGIN")?;
                diesel::sql_query("SELECT 1 FROM contests WHERE id = $1 FOR UPDATE")
                    .bind::<diesel::sql_types::Text, _>(contest_id.as_str())
                    .execute(c)?;
            }
        }
        Ok(Stall { conn: Some(conn) })
    }

    /// Lets the writers go on.
    pub fn release(mut self) -> anyhow::Result<()> {
        self.rollback()
    }

    fn rollback(&mut self) -> anyhow::Result<()> {
        if let Some(mut conn) = self.conn.take() {
            conn.batch_execute("ROLLBACK")?;
        }
        Ok(())
    }
}

impl Drop for Stall {
    fn drop(&mut self) {
        let _ = self.rollback();
    }
}

/// The thread of process `pid` named `name` (e.g. `ballot-box`, `paper-issuer`: the writers'
/// thread names), from `/proc/<pid>/task/*/comm`.
fn thread_of(pid: u32, name: &str) -> Option<u32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    tasks.flatten().find_map(|t| {
        let comm = std::fs::read_to_string(t.path().join("comm")).ok()?;
        (comm.trim_end() == name)
            .then(|| t.file_name().to_str()?.parse().ok())
            .flatten()
    })
}

/// Whether the writer thread `name` of process `pid` is inside a batch rather than waiting
/// for work: an idle writer sleeps in `futex` (its channel's receive); one blocked on a
/// [`Stall`] sleeps in the busy handler (SQLite) or waits on the database socket
/// (PostgreSQL). Linux only (`/proc/<pid>/task/<tid>/syscall`).
pub fn writer_busy(pid: u32, name: &str) -> anyhow::Result<bool> {
    let tid = thread_of(pid, name).ok_or_else(|| anyhow!("进程 {pid} 没有线程 {name}"))?;
    let syscall = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/syscall"))
        .with_context(|| format!("读取 /proc/{pid}/task/{tid}/syscall"))?;
    let first = syscall.split_whitespace().next().unwrap_or("");
    Ok(match first.parse::<i64>() {
        Ok(nr) => nr != libc::SYS_futex,
        // "running" (on a CPU right now) or "-1" (in the kernel, not in a syscall).
        Err(_) => true,
    })
}

/// Waits (polling) until [`writer_busy`] holds, up to `limit`; the error names what never
/// happened. The limit is a safety net against a test that hangs, not a timing assumption:
/// under a [`Stall`] the writer stays busy until the lock is released.
pub async fn until_writer_busy(pid: u32, name: &str, limit: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        if writer_busy(pid, name)? {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(anyhow!(
                "服务器进程 {pid} 的 {name} 线程在 {limit:?} 内没有开始处理这批请求"
            ));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
