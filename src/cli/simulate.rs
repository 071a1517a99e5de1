//! `congress simulate --delegates N --out DIR [--seed S]`: a whole congress, from the quota
//! to the verified filing packet, over the real HTTP server (see `sim::simulate`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::sim::simulate::{print, run, Options};

#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Delegates on the roster (each one a separate HTTP client).
    #[arg(long, default_value_t = 200)]
    pub delegates: u64,
    /// Where to write the filing packet.
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the school and of the delegates' choices (same seed, same ballots' marks).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Machine-readable report.
    #[arg(long)]
    pub json: bool,
    /// Then the congress's term: standing delegates, a 评议会 and a 常代会 meeting with a
    /// removal vote and a by-election, each verified from its packet (`<out>-meeting-N`).
    #[arg(long)]
    pub term: bool,
}

pub fn simulate(args: SimulateArgs, database_url: Option<String>) -> anyhow::Result<ExitCode> {
    let opts = Options {
        delegates: args.delegates.max(2),
        seed: args.seed,
        out: args.out.clone(),
        concurrency: args.concurrency.max(1),
        database_url,
        term: args.term,
    };
    let report = run(&opts)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print(&report, &args.out);
    }
    let ok = report.verified
        && report.errors() == 0
        && report.receipts == report.receipts_on_board
        && report.term.as_ref().is_none_or(|t| t.verified());
    Ok(ExitCode::from(if ok { 0 } else { 1 }))
}
