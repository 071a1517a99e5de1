//! `congress bench`: the whole hall voting at once against a separate server process; see
//! `sim::bench`. Figures go in the README's performance section with the machine's conditions.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::sim::bench::{print, run, Options};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Delegates, each a separate HTTP client.
    #[arg(long, default_value_t = 2000)]
    pub delegates: u64,
    /// Requests in flight at once (default: every delegate, the whole hall at once).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Database to run on (default: a fresh SQLite file); e.g. an empty PostgreSQL database.
    #[arg(long = "database", value_name = "URL")]
    pub database: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Each delegate votes at a random moment within this many milliseconds ("everyone
    /// votes in the same second"); the first motion always votes all at once (throughput).
    #[arg(long, default_value_t = 1000)]
    pub spread_ms: u64,
    /// Keep the filing packet here (default: a temporary directory).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn bench(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let delegates = args.delegates.max(2);
    let opts = Options {
        delegates,
        concurrency: args.concurrency.unwrap_or(delegates as usize).max(1),
        database_url: args.database,
        seed: args.seed,
        out: args.out,
        spread: std::time::Duration::from_millis(args.spread_ms),
    };
    let report = run(&opts)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print(&report);
    }
    let r = &report.run;
    let ok = r.verified
        && r.errors() == 0
        && r.receipts == r.receipts_on_board
        && report.ballot_box.iter().all(|p| p.errors == 0);
    Ok(ExitCode::from(if ok { 0 } else { 1 }))
}
