//! `congress bench`: the whole hall voting at once against a separate server process, with the
//! machine's limits measured in the same run (see `sim::bench`, `sim::calibrate`), or with
//! `--soak` a congress day compressed (see `sim::soak`). How to run it and what the figures
//! mean: `docs/performance.md`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::sim::bench::{run, Options};
use crate::sim::bench_report::print;
use crate::sim::soak;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Delegates, each a separate HTTP client.
    #[arg(long, default_value_t = 2000)]
    pub delegates: u64,
    /// Requests in flight at once (default: every delegate, the whole hall at once).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Database to run on (default: a fresh SQLite file per run); e.g. an empty PostgreSQL
    /// database (each run adds its own congresses to it).
    #[arg(long = "database", value_name = "URL")]
    pub database: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Each delegate votes at a random moment within this many milliseconds ("everyone
    /// votes in the same second"); the first motion always votes all at once (throughput).
    #[arg(long, default_value_t = 1000)]
    pub spread_ms: u64,
    /// Whole runs (calibration, hall, ballot box alone); the report gives the median and
    /// the range of each figure.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Rounds of the HTTP calibration (every phone's `GET /health` at once).
    #[arg(long, default_value_t = 3)]
    pub health_rounds: usize,
    /// A congress day compressed instead: contests in a row, check-ins and check-outs,
    /// phones reconnecting, projector and board polled, the server's RSS sampled.
    #[arg(long)]
    pub soak: bool,
    /// Contests held in the soak run (elections, runoffs and motions).
    #[arg(long, default_value_t = 20)]
    pub contests: usize,
    /// Keep the filing packet here (default: a temporary directory).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

/// `served`: the global `--database-url` / `DATABASE_URL`, which the benchmark does not use
/// (it adds congresses of 2,000 made-up delegates to the database it runs on), but says so.
pub fn bench(args: BenchArgs, served: Option<&str>) -> anyhow::Result<ExitCode> {
    if let (Some(url), None) = (served, &args.database) {
        eprintln!(
            "注意: congress bench 不使用 --database-url / DATABASE_URL ({}), 以免把测试数据写进正式数据库; \
             本次在新建的 SQLite 文件上运行. 要在 PostgreSQL 上测, 请用 --database <空数据库的 URL>.",
            crate::storage::redact_password(url)
        );
    }
    let delegates = args.delegates.max(2);
    let concurrency = args.concurrency.unwrap_or(delegates as usize).max(1);
    if args.soak {
        let opts = soak::Options {
            delegates,
            contests: args.contests.max(1),
            concurrency,
            database_url: args.database,
            seed: args.seed,
            out: args.out,
            exe: None,
        };
        let report = soak::run(&opts)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            soak::print(&report);
        }
        return Ok(ExitCode::from(if report.ok() { 0 } else { 1 }));
    }
    let opts = Options {
        delegates,
        concurrency,
        database_url: args.database,
        seed: args.seed,
        out: args.out,
        spread: std::time::Duration::from_millis(args.spread_ms),
        runs: args.runs.max(1),
        health_rounds: args.health_rounds,
    };
    let report = run(&opts, args.json)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print(&report);
    }
    let ok = report.runs.iter().all(|r| r.ok());
    Ok(ExitCode::from(if ok { 0 } else { 1 }))
}
