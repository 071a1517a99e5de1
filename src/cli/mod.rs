//! The `congress` command line: clap subcommands over the library, no logic of their own.
//!
//! Exit codes are stable for scripts: 0 success / valid, 1 rule violations or a refused
//! action, 2 unreadable input or a usage error.

mod admin;
mod allocate;
mod assess;
mod attendance;
mod bench;
mod describe;
mod export;
mod registry;
mod registry_file;
mod roster;
mod serve;
mod simulate;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;

#[derive(Parser, Debug)]
#[command(
    name = "congress",
    version,
    about = "学代会选举系统: student congress quotas, roster, secret ballots and certified results"
)]
pub struct Cli {
    /// Data directory (SQLite database, session key).
    #[arg(long, global = true, env = "CONGRESS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Database URL: a SQLite path / sqlite://path (default: <data-dir>/congress.sqlite3) or postgres://...
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Directory of the congresses' Ed25519 signing keys.
    #[arg(long, global = true, env = "CONGRESS_KEY_DIR", default_value = "keys")]
    pub key_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the data directory, the database and the session key.
    Init,
    /// Serve the web application.
    Serve(serve::ServeArgs),
    /// Serve a demo congress filled from the sample files (a fresh temporary data directory;
    /// on the empty database --database-url names, when given).
    Demo(serve::DemoArgs),
    /// Organiser and scrutineer accounts, API tokens.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Approved absences (请假, D1) and the attendance figures of a congress.
    #[command(subcommand)]
    Attendance(attendance::AttendanceCommand),
    /// Delegate quotas per college (rules A1-A4).
    Allocate(allocate::AllocateArgs),
    /// Roster validation (B1-B6, B8) and generation (B7).
    #[command(subcommand)]
    Roster(roster::RosterCommand),
    /// A whole congress in one command: a synthetic school, the real HTTP server, every
    /// delegate voting from their own client; counted, certified, exported and verified.
    Simulate(simulate::SimulateArgs),
    /// Benchmark: the whole hall (default 2,000 delegates) voting at once against a separate
    /// server process; per-phase latency, throughput, errors and the server's peak RSS.
    Bench(bench::BenchArgs),
    /// Verify a filing packet like an outsider: signature, boards, rolls, recount, addenda
    /// (exit 0 all pass, 1 a check failed, 2 unreadable).
    Verify(verify::VerifyArgs),
    /// Write a certified congress's filing packet into a directory (exit 0 written, 1 refused,
    /// 2 database or disk unusable).
    Export(export::ExportArgs),
    /// A certified congress's self-assessment (学代会自评表): the filing office's indicators.
    Assess(assess::AssessArgs),
    /// The filing office (备案登记): serve it, register schools and accounts, file packets,
    /// the province table, and the scale measurement (docs/registry.md).
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
}

impl Cli {
    pub fn config(&self) -> Config {
        Config::new(
            self.data_dir.clone(),
            self.database_url.clone(),
            self.key_dir.clone(),
        )
    }
}

/// Sets up logging to stderr (`RUST_LOG` overrides the level).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Lets `congress allocate ... | head` end quietly like other command-line tools, instead of
/// panicking on a closed pipe. Not for the server, whose sockets must never kill it.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: resetting a signal disposition to its default at start-up, before any threads.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging();
    if !matches!(
        cli.command,
        Command::Serve(_) | Command::Demo(_) | Command::Simulate(_) | Command::Bench(_)
    ) && !matches!(
        cli.command,
        Command::Registry(
            registry::RegistryCommand::Serve { .. } | registry::RegistryCommand::Bench { .. }
        )
    ) {
        restore_sigpipe();
    }
    let config = cli.config();
    let result = match cli.command {
        Command::Init => serve::init(&config),
        Command::Serve(args) => serve::serve(&config, args),
        Command::Demo(args) => serve::demo(args, cli.database_url.clone()),
        Command::Admin(cmd) => admin::run(&config, cmd),
        Command::Attendance(cmd) => attendance::run(&config, cmd),
        Command::Allocate(args) => allocate::allocate(args),
        Command::Roster(cmd) => roster::roster(cmd),
        Command::Verify(args) => verify::run(args),
        Command::Simulate(args) => simulate::simulate(args, cli.database_url.clone()),
        Command::Bench(args) => bench::bench(args, cli.database_url.as_deref()),
        Command::Export(args) => export::run(&config, args),
        Command::Assess(args) => assess::run(&config, args),
        Command::Registry(cmd) => registry::run(&config, cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误: {}", describe::error(&e));
            ExitCode::from(2)
        }
    }
}
