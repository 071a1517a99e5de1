//! The filing office at scale (issue 16, item 4): `congress registry bench` files the packets
//! `congress registry synth` wrote (`corpus`) into a fresh registry running as its own process
//! (`congress registry serve`, SQLite or PostgreSQL), over the API with C uploads in flight,
//! and reports the wall time, per-packet latency, the server's peak RSS and CPU time, the
//! store's size and the province table's time, per run and the median of the runs, with the
//! machine's conditions and its limits measured just before each run (OpenSSL's RSA-2048 PSS
//! verifications per second on every core, the data directory's fsync rate, the backend's
//! single-commit rate): every packet's ballots are RSA signatures the registry checks, so the
//! run's wall time over the time those verifications alone take on this machine
//! (`wall_over_verify_floor`) is the figure that carries to another machine of the same kind.
//! Tests never assert on these figures.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use super::corpus::{Entry, MANIFEST};
use crate::service::{accounts, Actor};
use crate::sim::bench::{load_avg, machine, Machine};
use crate::sim::calibrate;
use crate::sim::process::{congress_exe, free_port, raise_fd_limit, ServerProcess};
use crate::storage::repo::users::Role;
use crate::storage::{Db, OpenMode};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub packets: PathBuf,
    /// PostgreSQL server URL (each run gets a fresh database there); `None`: fresh SQLite.
    pub database: Option<String>,
    pub runs: usize,
    pub concurrency: usize,
}

/// One run's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub packets: usize,
    pub accepted: usize,
    pub errors: Vec<String>,
    pub wall_s: f64,
    pub packets_per_s: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
    pub server_peak_rss_mib: f64,
    pub server_cpu_s: f64,
    pub store_mib: f64,
    /// `GET /api/v1/registry/table` for the packets' year, after the run.
    pub table_ms: f64,
    /// The machine's limits, measured just before the run.
    pub calibration: RunCalibration,
    /// Signed ballots in the run's packets (0 when the manifest predates the count).
    pub ballots: u64,
    /// `ballots` / `calibration.rsa_verify_per_s_all`: the time the signature checks alone take.
    pub verify_floor_s: f64,
    /// `wall_s` / `verify_floor_s` (0 when unknown).
    pub wall_over_verify_floor: f64,
}

/// The machine's limits before a run (see the module documentation).
#[derive(Debug, Clone, Serialize)]
pub struct RunCalibration {
    pub rsa_verify_per_s_all: f64,
    pub fsync_per_s: f64,
    pub commit_per_s: f64,
}

/// The benchmark's result.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub machine: Machine,
    /// The 1-minute load average before and after the runs.
    pub load_before: f64,
    pub load_after: f64,
    pub database: String,
    pub concurrency: usize,
    pub packets: usize,
    pub packet_mib_total: f64,
    pub runs: Vec<Run>,
    /// Median over the runs of wall time, p95, peak RSS, wall time over the verification floor.
    pub median_wall_s: f64,
    pub median_p95_ms: f64,
    pub median_peak_rss_mib: f64,
    pub median_wall_over_verify_floor: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}

/// Runs the benchmark.
pub fn run(o: &BenchOptions) -> anyhow::Result<Report> {
    let fd = raise_fd_limit();
    let m = machine(fd);
    let load_before = load_avg();
    let manifest: Vec<Entry> =
        serde_json::from_slice(&std::fs::read(o.packets.join(MANIFEST)).with_context(|| {
            format!(
                "{} 中没有 {MANIFEST}; 先运行 congress registry synth",
                o.packets.display()
            )
        })?)?;
    let mut runs = Vec::new();
    for i in 0..o.runs.max(1) {
        eprintln!("第 {} 次运行 ({} 个归档包)…", i + 1, manifest.len());
        runs.push(one_run(o, &manifest)?);
    }
    Ok(Report {
        machine: m,
        load_before,
        load_after: load_avg(),
        database: if o.database.is_some() {
            "postgres".into()
        } else {
            "sqlite".into()
        },
        concurrency: o.concurrency,
        packets: manifest.len(),
        packet_mib_total: manifest.iter().map(|e| e.bytes).sum::<u64>() as f64 / 1048576.0,
        median_wall_s: median(runs.iter().map(|r| r.wall_s).collect()),
        median_p95_ms: median(runs.iter().map(|r| r.p95_ms).collect()),
        median_peak_rss_mib: median(runs.iter().map(|r| r.server_peak_rss_mib).collect()),
        median_wall_over_verify_floor: median(
            runs.iter().map(|r| r.wall_over_verify_floor).collect(),
        ),
        runs,
    })
}

/// A fresh database for a run: a SQLite file in `dir`, or a new database on the PostgreSQL
/// server (dropped by the returned guard).
fn fresh_database(o: &BenchOptions, dir: &Path) -> anyhow::Result<(String, Option<PgDrop>)> {
    match &o.database {
        None => Ok((
            dir.join("registry.sqlite3").to_string_lossy().into_owned(),
            None,
        )),
        Some(base) => {
            use diesel::{Connection, RunQueryDsl};
            let name = format!(
                "congress_registry_bench_{}",
                crate::storage::repo::new_id("").to_lowercase()
            );
            let mut admin = diesel::PgConnection::establish(base).context("连接 PostgreSQL")?;
            diesel::sql_query(format!("CREATE DATABASE \"{name}\"")).execute(&mut admin)?;
            let (head, query) = base
                .split_once('?')
                .map(|(h, q)| (h, Some(q)))
                .unwrap_or((base, None));
            let head = match head.rfind('/') {
                Some(i) if i > head.find("://").map(|j| j + 2).unwrap_or(0) => &head[..i],
                _ => head,
            };
            let url = match query {
                Some(q) => format!("{head}/{name}?{q}"),
                None => format!("{head}/{name}"),
            };
            Ok((
                url,
                Some(PgDrop {
                    admin: base.clone(),
                    name,
                }),
            ))
        }
    }
}

struct PgDrop {
    admin: String,
    name: String,
}

impl Drop for PgDrop {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        if let Ok(mut c) = diesel::PgConnection::establish(&self.admin) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .execute(&mut c);
        }
    }
}

fn one_run(o: &BenchOptions, manifest: &[Entry]) -> anyhow::Result<Run> {
    let tmp = tempfile::Builder::new()
        .prefix("congress-registry-bench-")
        .tempdir()?;
    let data = tmp.path().join("data");
    let store = tmp.path().join("store");
    std::fs::create_dir_all(&data)?;
    let (url, _pg) = fresh_database(o, tmp.path())?;
    let token = {
        let db = Db::open(&url, OpenMode::Create)?;
        let mut c = db.conn()?;
        let actor = Actor::cli("registry");
        let pw = crate::crypto::token::new_password();
        super::service::add_account(
            &mut c,
            &actor,
            "bench-office",
            &pw,
            Role::Office,
            None,
            false,
        )?;
        for e in manifest {
            super::service::add_school(&mut c, &actor, &e.code, &e.school)?;
        }
        accounts::create_token(&mut c, &actor, "bench-office", "bench")?
    };
    eprintln!("  测量本机上限 (RSA 验签, fsync, 单事务提交)…");
    let (_, rsa_verify_per_s_all, _) = calibrate::rsa_verify_rates()?;
    let calibration = RunCalibration {
        rsa_verify_per_s_all,
        fsync_per_s: calibrate::fsync_rate(&data)?,
        commit_per_s: calibrate::commit_rate(&url, &data)?.0,
    };
    let port = free_port()?;
    let args: Vec<std::ffi::OsString> = vec![
        "--database-url".into(),
        url.into(),
        "registry".into(),
        "serve".into(),
        "--bind".into(),
        format!("127.0.0.1:{port}").into(),
        "--store".into(),
        store.clone().into(),
    ];
    let server = ServerProcess::start_with(&congress_exe()?, &data, port, &args, "warn")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (wall, mut latencies, errors) = rt.block_on(upload_all(o, manifest, &server.base, &token));
    let year = manifest
        .first()
        .map(|e| e.congress_date[..4].to_string())
        .unwrap_or_default();
    let t0 = Instant::now();
    let table = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{}/api/v1/registry/table?year={year}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    let table_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut errors = errors;
    if !matches!(table, Ok(200)) {
        errors.push(format!("province table: {table:?}"));
    }
    latencies.sort();
    let ballots: u64 = manifest.iter().map(|e| e.ballots).sum();
    let verify_floor_s = ballots as f64 / calibration.rsa_verify_per_s_all.max(1e-9);
    let wall_s = wall.as_secs_f64();
    Ok(Run {
        packets: manifest.len(),
        accepted: latencies.len(),
        wall_s,
        packets_per_s: latencies.len() as f64 / wall_s.max(1e-9),
        p50_ms: percentile(&latencies, 0.5),
        p95_ms: percentile(&latencies, 0.95),
        max_ms: percentile(&latencies, 1.0),
        server_peak_rss_mib: server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0,
        server_cpu_s: server.cpu_seconds().unwrap_or(0.0),
        store_mib: dir_bytes(&store) as f64 / 1048576.0,
        table_ms,
        errors,
        ballots,
        verify_floor_s,
        wall_over_verify_floor: if ballots > 0 {
            wall_s / verify_floor_s.max(1e-9)
        } else {
            0.0
        },
        calibration,
    })
}

async fn upload_all(
    o: &BenchOptions,
    manifest: &[Entry],
    base: &str,
    token: &str,
) -> (Duration, Vec<Duration>, Vec<String>) {
    use futures_util::StreamExt;
    let client = reqwest::Client::new();
    let start = Instant::now();
    let results: Vec<Result<Duration, String>> = futures_util::stream::iter(manifest.iter())
        .map(|e| {
            let client = client.clone();
            let path = o.packets.join(&e.file);
            let url = format!("{base}/api/v1/registry/schools/{}/filings", e.code);
            async move {
                let bytes = tokio::fs::read(&path)
                    .await
                    .map_err(|x| format!("{}: {x}", e.file))?;
                let t = Instant::now();
                let r = client
                    .post(url)
                    .bearer_auth(token)
                    .header("content-type", "application/zip")
                    .body(bytes)
                    .send()
                    .await
                    .map_err(|x| format!("{}: {x}", e.code))?;
                let status = r.status().as_u16();
                let took = t.elapsed();
                if status == 201 {
                    Ok(took)
                } else {
                    Err(format!(
                        "{}: {status} {}",
                        e.code,
                        r.text().await.unwrap_or_default()
                    ))
                }
            }
        })
        .buffer_unordered(o.concurrency.max(1))
        .collect()
        .await;
    let wall = start.elapsed();
    let (mut ok, mut errors) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(d) => ok.push(d),
            Err(e) => errors.push(e),
        }
    }
    (wall, ok, errors)
}

/// The report for people.
pub fn print(r: &Report) {
    let m = &r.machine;
    println!(
        "机器: {} 核 {}, 内存 {} MiB, 运行前负载 {:.2}, 运行后 {:.2}",
        m.cpus, m.cpu_model, m.memory_mib, r.load_before, r.load_after
    );
    println!(
        "{} 个归档包 (共 {:.1} MiB), 数据库 {}, 并发上传 {}",
        r.packets, r.packet_mib_total, r.database, r.concurrency
    );
    println!("run | accepted | wall s | packets/s | p50 ms | p95 ms | max ms | server peak RSS MiB | server CPU s | store MiB | table ms | ballots | verify floor s | wall/floor | RSA verify/s (all cores) | fsync/s | commits/s");
    for (i, x) in r.runs.iter().enumerate() {
        println!(
            "{} | {}/{} | {:.1} | {:.1} | {:.0} | {:.0} | {:.0} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {:.1} | {:.2} | {:.0} | {:.0} | {:.0}",
            i + 1,
            x.accepted,
            x.packets,
            x.wall_s,
            x.packets_per_s,
            x.p50_ms,
            x.p95_ms,
            x.max_ms,
            x.server_peak_rss_mib,
            x.server_cpu_s,
            x.store_mib,
            x.table_ms,
            x.ballots,
            x.verify_floor_s,
            x.wall_over_verify_floor,
            x.calibration.rsa_verify_per_s_all,
            x.calibration.fsync_per_s,
            x.calibration.commit_per_s
        );
        for e in x.errors.iter().take(5) {
            println!("  错误: {e}");
        }
    }
    println!(
        "中位数: 总时间 {:.1} s, p95 {:.0} ms, 服务器峰值内存 {:.1} MiB, 总时间/验签下限 {:.2}",
        r.median_wall_s, r.median_p95_ms, r.median_peak_rss_mib, r.median_wall_over_verify_floor
    );
}
