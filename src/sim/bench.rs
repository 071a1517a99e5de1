//! `congress bench`: the simulated congress against the server running as its own process
//! (`congress serve`), so the server's peak RSS and CPU time can be read, with the whole hall
//! at once by default: 2,000 delegates, each a separate HTTP client with its own connection
//! and cookies. Each run measures the machine's limits first (`calibrate`: RSA, fsync,
//! commits, and the HTTP limit as the hall's first phase), then the hall, then the ballot box
//! alone; `--runs N` repeats the whole and the report gives the median and the range
//! (`bench_report`). Tests never assert on these figures.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use super::calibrate::{self, Calibration};
use super::counters::SERVER_LOG;
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
    /// Whole runs (calibration, hall, ballot box alone), each on a fresh congress.
    pub runs: usize,
    /// Rounds of the HTTP calibration (every phone's `GET /health` at once).
    pub health_rounds: usize,
}

/// The machine the figures were measured on.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_mib: u64,
    pub kernel: String,
    pub open_files_limit: u64,
}

/// The 1-minute load average now.
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
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_string(),
        open_files_limit: fd_limit,
    }
}

/// One run: its calibration and figures.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// 1-minute load average before and after the run.
    pub load_before: f64,
    pub load_after: f64,
    pub calibration: Calibration,
    /// The server process's peak resident set size, MiB.
    pub server_peak_rss_mib: f64,
    pub run: Report,
    /// The ballot box alone (no HTTP), on a second congress of the same size.
    pub ballot_box: Vec<Phase>,
}

impl RunReport {
    /// Every phase: the hall's, then the ballot box alone.
    pub fn phases(&self) -> impl Iterator<Item = &Phase> {
        self.run.phases.iter().chain(&self.ballot_box)
    }

    /// Whether nothing failed: no errors, every receipt on the board, the packet verified.
    pub fn ok(&self) -> bool {
        self.run.verified
            && self.run.errors() == 0
            && self.run.receipts == self.run.receipts_on_board
            && self.ballot_box.iter().all(|p| p.errors == 0)
    }
}

/// The benchmark's result.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub machine: Machine,
    pub delegates: u64,
    pub concurrency: usize,
    pub spread_ms: u64,
    pub runs: Vec<RunReport>,
}

/// One whole run on a fresh congress.
fn run_once(opts: &Options, out: Option<PathBuf>) -> anyhow::Result<RunReport> {
    let load_before = load_avg();
    let mut phases = Vec::new();
    let st = setup(
        opts.delegates,
        opts.seed,
        opts.database_url.clone(),
        &mut phases,
    )?;
    let calibration = calibrate::measure(&st.config.database_url, &st.config.data_dir)?;
    let out = out.unwrap_or_else(|| st.tmp.path().join("packet"));
    let port = free_port()?;
    let t = Instant::now();
    let server = ServerProcess::start_logging(
        &congress_exe()?,
        &st.config.data_dir,
        &st.config.key_dir,
        &st.config.database_url,
        port,
        SERVER_LOG,
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
        server_log: Some(&server.log_path),
        health_rounds: opts.health_rounds,
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
    Ok(RunReport {
        load_before,
        load_after: load_avg(),
        calibration,
        server_peak_rss_mib: rss,
        run: report,
        ballot_box,
    })
}

/// Runs the benchmark `opts.runs` times (each printed as it ends, unless `quiet`).
pub fn run(opts: &Options, quiet: bool) -> anyhow::Result<BenchReport> {
    let fd_limit = raise_fd_limit();
    let mut runs = Vec::new();
    for i in 0..opts.runs.max(1) {
        // The packet of the last run is kept where asked.
        let out = opts.out.clone().filter(|_| i + 1 == opts.runs.max(1));
        let r = run_once(opts, out)?;
        if !quiet {
            eprintln!(
                "第 {} 次运行: 负载 {:.2} -> {:.2}, 错误 {}, 回执 {}/{} 在公示中, 核验 {}",
                i + 1,
                r.load_before,
                r.load_after,
                r.run.errors() + r.ballot_box.iter().map(|p| p.errors).sum::<usize>(),
                r.run.receipts_on_board,
                r.run.receipts,
                if r.run.verified {
                    "通过"
                } else {
                    "未通过"
                }
            );
        }
        runs.push(r);
    }
    Ok(BenchReport {
        machine: machine(fd_limit),
        delegates: opts.delegates,
        concurrency: opts.concurrency,
        spread_ms: opts.spread.as_millis() as u64,
        runs,
    })
}
