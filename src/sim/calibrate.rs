//! The machine's limits, measured in the same run as the figures they bound, so a figure can
//! be read as a fraction of what this machine allows rather than compared across machines:
//!
//! - RSA-2048 with OpenSSL, in process, the same key size and operations as the server: the
//!   blind signature (`ContestKey::blind_sign`, one private-key operation with CRT: 领票) and
//!   the PSS verification (`ContestPublicKey::verify`: every cast, and `congress verify`), per
//!   second on one core and on every core at once;
//! - the data directory's `fdatasync` rate (4 KiB written, then synced: the disk alone);
//! - the backend's single-commit rate: one-row transactions, one after another, with the
//!   durability settings the server uses (SQLite: the server's own pragmas, WAL +
//!   synchronous=FULL, on a scratch file in the data directory; PostgreSQL: autocommit
//!   inserts into a scratch table of the run's database, the server's `synchronous_commit`),
//!   and on PostgreSQL the round-trip rate of `SELECT 1` on one connection (each statement
//!   the writers send is one round trip).
//!
//! The HTTP limit (every phone's `GET /health` at once) is a phase of the hall
//! (`http::health_all`): it needs the server and the phones.

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;
use rayon::prelude::*;
use serde::Serialize;

use crate::crypto::blind::ContestKey;
use crate::storage::{write_tx, Backend, Db, DbConnection, OpenMode};

/// How long each rate is measured.
const BUDGET: Duration = Duration::from_millis(700);

/// The machine's limits for one run.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub cpus: usize,
    /// RSA-2048 blind signatures (raw private-key operation with CRT) per second, one core.
    pub rsa_sign_per_s_core: f64,
    /// The same on every core at once.
    pub rsa_sign_per_s_all: f64,
    /// RSA-2048 PSS verifications (SHA-384, salt 48) per second, one core.
    pub rsa_verify_per_s_core: f64,
    /// The same on every core at once.
    pub rsa_verify_per_s_all: f64,
    /// 4 KiB write + `fdatasync` per second in the data directory.
    pub fsync_per_s: f64,
    /// The backend's one-row transactions per second (see the module documentation).
    pub commit_per_s: f64,
    /// `SELECT 1` round trips per second on one PostgreSQL connection.
    pub pg_round_trips_per_s: Option<f64>,
}

/// Runs `op` on one thread for [`BUDGET`]; operations per second.
fn rate(mut op: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < BUDGET || n < 3 {
        op()?;
        n += 1;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Runs `op` on `threads` threads at once for [`BUDGET`]; operations per second in total.
fn parallel_rate(
    threads: usize,
    op: impl Fn() -> anyhow::Result<()> + Sync,
) -> anyhow::Result<f64> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let start = Instant::now();
    let counts: Vec<u64> = pool.install(|| {
        (0..threads)
            .into_par_iter()
            .map(|_| {
                let mut n = 0u64;
                while start.elapsed() < BUDGET || n < 3 {
                    if op().is_err() {
                        break;
                    }
                    n += 1;
                }
                n
            })
            .collect()
    });
    Ok(counts.iter().sum::<u64>() as f64 / start.elapsed().as_secs_f64())
}

/// Blind signatures per second with `key`: (one core, `cpus` cores at once).
fn rsa_sign(key: &ContestKey, cpus: usize) -> anyhow::Result<(f64, f64)> {
    let k = key.public_key().modulus_len();
    // Any k-byte value below the modulus (whose top byte is at least 0x80).
    let blinded: Vec<u8> = (0..k)
        .map(|i| if i == 0 { 0 } else { (i * 31 + 7) as u8 })
        .collect();
    let sign = || {
        black_box(
            key.blind_sign(black_box(&blinded))
                .map_err(|e| anyhow!("{e}"))?,
        );
        Ok(())
    };
    Ok((rate(sign)?, parallel_rate(cpus, sign)?))
}

/// PSS verifications per second with `key`'s public half: (one core, `cpus` cores at once).
fn rsa_verify(key: &ContestKey, cpus: usize) -> anyhow::Result<(f64, f64)> {
    let token = crate::crypto::blind::new_token();
    let sig = key.sign_token(&token).map_err(|e| anyhow!("{e}"))?;
    let pk = key.public_key();
    let verify = || {
        pk.verify(black_box(&token), black_box(&sig))
            .map_err(|e| anyhow!("{e}"))
    };
    Ok((rate(verify)?, parallel_rate(cpus, verify)?))
}

fn new_key() -> anyhow::Result<ContestKey> {
    ContestKey::generate().map_err(|e| anyhow!("{e}"))
}

/// 4 KiB written and `fdatasync`ed per second, in `dir`.
pub fn fsync_rate(dir: &Path) -> anyhow::Result<f64> {
    let path = dir.join("calibration.fsync");
    let mut f = std::fs::File::create(&path)?;
    let block = vec![0x5au8; 4096];
    let r = rate(|| {
        f.write_all(&block)?;
        f.sync_data()?;
        Ok(())
    });
    let _ = std::fs::remove_file(&path);
    r
}

/// One-row transactions per second, and PostgreSQL round trips per second (see the module
/// documentation). `data_dir` holds the SQLite scratch file.
pub fn commit_rate(database_url: &str, data_dir: &Path) -> anyhow::Result<(f64, Option<f64>)> {
    let body = "x".repeat(600);
    match Backend::from_url(database_url) {
        Backend::Sqlite(_) => {
            let path = data_dir.join("calibration.sqlite3");
            let db = Db::open_with_pool_size(&path.to_string_lossy(), OpenMode::Create, 1)?;
            let mut conn = db.conn()?;
            conn.batch_execute(
                "CREATE TABLE IF NOT EXISTS calibration (id INTEGER PRIMARY KEY, body TEXT)",
            )?;
            let commits = rate(|| {
                write_tx(&mut conn, |c: &mut DbConnection| {
                    diesel::sql_query("INSERT INTO calibration (body) VALUES (?)")
                        .bind::<diesel::sql_types::Text, _>(&body)
                        .execute(c)
                        .map(|_| ())
                })
                .map_err(|e: diesel::result::Error| anyhow!("{e}"))
            })?;
            drop(conn);
            drop(db);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            Ok((commits, None))
        }
        Backend::Postgres(_) => {
            let db = Db::open_with_pool_size(database_url, OpenMode::Create, 1)?;
            let mut conn = db.conn()?;
            conn.batch_execute(
                "DROP TABLE IF EXISTS bench_calibration; \
                 CREATE TABLE bench_calibration (id BIGSERIAL PRIMARY KEY, body TEXT)",
            )?;
            let commits = rate(|| {
                diesel::sql_query("INSERT INTO bench_calibration (body) VALUES ($1)")
                    .bind::<diesel::sql_types::Text, _>(&body)
                    .execute(&mut *conn)?;
                Ok(())
            })?;
            let trips = rate(|| {
                conn.batch_execute("SELECT 1")?;
                Ok(())
            })?;
            conn.batch_execute("DROP TABLE bench_calibration")?;
            Ok((commits, Some(trips)))
        }
    }
}

/// Measures everything but HTTP (see the module documentation).
pub fn measure(database_url: &str, data_dir: &Path) -> anyhow::Result<Calibration> {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let key = new_key()?;
    let (sign1, sign_all) = rsa_sign(&key, cpus)?;
    let (verify1, verify_all) = rsa_verify(&key, cpus)?;
    let fsync = fsync_rate(data_dir)?;
    let (commits, trips) = commit_rate(database_url, data_dir)?;
    Ok(Calibration {
        cpus,
        rsa_sign_per_s_core: sign1,
        rsa_sign_per_s_all: sign_all,
        rsa_verify_per_s_core: verify1,
        rsa_verify_per_s_all: verify_all,
        fsync_per_s: fsync,
        commit_per_s: commits,
        pg_round_trips_per_s: trips,
    })
}

/// OpenSSL RSA-2048 PSS verifications per second on one core and on every core, for the
/// verifier's limit (`examples/verify_million.rs`, `benches/results.rs`).
pub fn rsa_verify_rates() -> anyhow::Result<(f64, f64, usize)> {
    let cpus = rayon::current_num_threads();
    let (one, all) = rsa_verify(&new_key()?, cpus)?;
    Ok((one, all, cpus))
}
