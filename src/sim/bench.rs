//! `congress bench`: the simulated congress against the server running as its own process
//! (`congress serve`), so the server's peak RSS can be read, with the whole hall at once by
//! default: 2,000 delegates, each a separate HTTP client with its own connection and cookies.
//! Reports each phase's wall time, throughput, latency percentiles and errors, the server's
//! peak RSS, and the machine's conditions. Tests never assert on these figures.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use super::hall::{vote_over_http, Hall};
use super::http::Phase;
use super::process::{congress_exe, free_port, raise_fd_limit, ServerProcess};
use super::simulate::{finish, setup, Report};

/// What to measure.
#[derive(Debug, Clone)]
pub struct Options {
    pub delegates: u64,
    pub concurrency: usize,
    pub database_url: Option<String>,
    pub seed: u64,
    pub out: Option<PathBuf>,
    /// Each phone votes at a random moment within this window (see `Hall`).
    pub spread: std::time::Duration,
}

/// The machine the figures were measured on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_mib: u64,
    /// 1-minute load average before the run.
    pub load_before: f64,
    pub load_after: f64,
    pub open_files_limit: u64,
}

pub fn load_avg() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(-1.0)
}

/// The machine's conditions now (the load after the run is the caller's to fill in).
pub fn machine(fd_limit: u64) -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    Machine {
        cpus: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        cpu_model: cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split(':').nth(1))
            .unwrap_or("")
            .trim()
            .to_string(),
        memory_mib: meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024,
        load_before: load_avg(),
        load_after: 0.0,
        open_files_limit: fd_limit,
    }
}

/// The benchmark's result.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub machine: Machine,
    pub concurrency: usize,
    /// The server process's peak resident set size, MiB.
    pub server_peak_rss_mib: f64,
    pub run: Report,
    /// The ballot box alone (no HTTP), on a second congress of the same size.
    pub ballot_box: Vec<Phase>,
}

/// Runs the benchmark.
pub fn run(opts: &Options) -> anyhow::Result<BenchReport> {
    let fd_limit = raise_fd_limit();
    let mut machine = machine(fd_limit);
    let mut phases = Vec::new();
    let st = setup(
        opts.delegates,
        opts.seed,
        opts.database_url.clone(),
        &mut phases,
    )?;
    let out = match &opts.out {
        Some(p) => p.clone(),
        None => st.tmp.path().join("packet"),
    };
    let port = free_port()?;
    let t = Instant::now();
    let server = ServerProcess::start(
        &congress_exe()?,
        &st.config.data_dir,
        &st.config.key_dir,
        &st.config.database_url,
        port,
    )?;
    phases.push(Phase::step("启动服务器进程", t.elapsed()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let probe = || server.cpu_seconds();
    let hall = Hall {
        concurrency: opts.concurrency,
        seed: opts.seed,
        spread: opts.spread,
        server_cpu: Some(&probe),
    };
    let receipts = runtime.block_on(vote_over_http(&server.base, &st, &hall, &mut phases))?;
    let rss = server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    drop(server);
    drop(runtime);
    let report = finish(&st, &out, &receipts, phases, opts.delegates)?;
    let ballot_box = super::ballot_box_phase::measure(
        opts.delegates,
        opts.seed.wrapping_add(1),
        opts.database_url.clone(),
    )?;
    machine.load_after = load_avg();
    Ok(BenchReport {
        machine,
        concurrency: opts.concurrency,
        server_peak_rss_mib: rss,
        run: report,
        ballot_box,
    })
}

/// Prints the report as the README's performance table.
pub fn print(r: &BenchReport) {
    let m = &r.machine;
    println!(
        "机器: {} 核 {} , 内存 {} MiB, 负载 {:.2} -> {:.2}, 文件句柄上限 {}",
        m.cpus, m.cpu_model, m.memory_mib, m.load_before, m.load_after, m.open_files_limit
    );
    println!(
        "代表 {} 名, 并发 {}, 数据库 {}",
        r.run.delegates, r.concurrency, r.run.database
    );
    println!(
        "| phase | requests | errors | wall ms | per s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for p in r.run.phases.iter().chain(&r.ballot_box) {
        println!(
            "| {} | {} | {} | {:.1} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
            p.name,
            p.requests,
            p.errors,
            p.wall_ms,
            p.throughput_per_s,
            p.p50_ms,
            p.p95_ms,
            p.p99_ms,
            p.max_ms,
            p.server_cpu_ms
                .map(|c| format!("{c:.0}"))
                .unwrap_or_else(|| "-".to_string())
        );
        for e in &p.error_samples {
            println!("    错误: {e}");
        }
    }
    println!("server peak RSS: {:.1} MiB", r.server_peak_rss_mib);
    println!(
        "receipts: {} (on the boards: {}); packet verified: {}",
        r.run.receipts,
        r.run.receipts_on_board,
        if r.run.verified { "yes" } else { "NO" }
    );
}
