//! A whole congress in one command (`congress simulate`): a synthetic school on a fresh
//! database, the real HTTP server on 127.0.0.1, every delegate a separate HTTP client logging
//! in with its card's QR URL, taking a ballot paper for each contest as it opens (领票) and
//! casting it to the anonymous ballot box (投票; seeded random choices, a few over-voted
//! ballots and abstentions) in a presidium election and two motions; then close, count,
//! certify, export the filing packet and verify it like an outsider. Each phase is timed; `congress bench`
//! builds on the same run.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, Context};
use serde::Serialize;

use super::hall::{vote_over_http, Hall};
use super::http::Phase;
use super::run::close_count_certify;
use super::scenario::{organiser, prepare, Files, Prepared, Stage};
use super::school::school;
use crate::config::Config;
use crate::crypto::{sha256_hex, KeyStore};
use crate::packet::verify::verify_packet;
use crate::packet::write_packet;
use crate::service::{record, Actor};
use crate::storage::{Db, OpenMode};
use crate::web::{self, AppState, Secrets};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Options {
    pub delegates: u64,
    pub seed: u64,
    /// Where the filing packet is written.
    pub out: PathBuf,
    /// Requests in flight at once (the whole hall: `delegates`).
    pub concurrency: usize,
    /// A database URL to use instead of a fresh SQLite file (e.g. an empty PostgreSQL
    /// database); its migrations are applied.
    pub database_url: Option<String>,
    /// Then the congress's term (`sim::term`): a 评议会 and a 常代会 meeting.
    pub term: bool,
}

/// What happened.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub delegates: u64,
    pub database: String,
    pub congress: String,
    pub phases: Vec<Phase>,
    /// Ballots on each board.
    pub ballots: Vec<(String, u64)>,
    pub record_sha256: String,
    pub packet: String,
    pub verified: bool,
    pub verify_failures: Vec<String>,
    /// Receipts the delegates received, and how many of them are on the published boards
    /// (every one must be).
    pub receipts: usize,
    pub receipts_on_board: usize,
    /// The term's meetings (`--term`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<super::term::TermReport>,
}

impl Report {
    /// Errors over all phases (must be 0).
    pub fn errors(&self) -> usize {
        self.phases.iter().map(|p| p.errors).sum()
    }
}

/// A server running on 127.0.0.1 in its own thread, stopped on drop.
pub struct Server {
    pub base: String,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(
        state_of: impl FnOnce(String) -> AppState + Send + 'static,
    ) -> anyhow::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = std::sync::mpsc::channel();
        let b = base.clone();
        let thread = std::thread::spawn(move || {
            let state = state_of(b);
            let result = actix_web::rt::System::new().block_on(async move {
                let server = web::server(listener, state)?;
                let _ = tx.send(server.handle());
                server.await
            });
            if let Err(e) = result {
                tracing::error!(error = %e, "simulated server stopped");
            }
        });
        let handle = rx.recv().map_err(|_| anyhow!("服务器启动失败"))?;
        Ok(Server {
            base,
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let h = self.handle.clone();
        let stop = std::thread::spawn(move || actix_web::rt::System::new().block_on(h.stop(true)));
        let _ = stop.join();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A fresh congress ready for the hall: its database, keys and the prepared congress.
pub struct Stage1 {
    /// Keeps the temporary data directory alive.
    pub tmp: tempfile::TempDir,
    pub config: Config,
    pub db: Db,
    pub secrets: Secrets,
    pub keys: KeyStore,
    pub actor: Actor,
    pub prepared: Prepared,
}

/// Creates the database (a fresh SQLite file unless `database_url`), the synthetic school of
/// `delegates`, and prepares the congress up to the opened session.
pub fn setup(
    delegates: u64,
    seed: u64,
    database_url: Option<String>,
    phases: &mut Vec<Phase>,
) -> anyhow::Result<Stage1> {
    let tmp = tempfile::Builder::new()
        .prefix("congress-simulate-")
        .tempdir()?;
    let config = Config::new(
        tmp.path().join("data"),
        database_url,
        tmp.path().join("keys"),
    );
    crate::storage::create_private_dir(&config.data_dir)?;
    let db = Db::open(&config.database_url, OpenMode::Create)?;
    let secrets = Secrets::load(&config)?;
    let keys = KeyStore::new(config.key_dir.clone());
    let actor = Actor::cli("simulate");
    let t = Instant::now();
    let s = school(delegates, seed);
    let files = Files {
        enrolment: &s.enrolment_csv,
        societies: &s.societies_csv,
        nominees: &s.nominees_csv,
        candidates: None,
    };
    let prepared = {
        let mut conn = db.conn()?;
        let owner = organiser(
            &mut conn,
            &actor,
            "simulate",
            &crate::crypto::token::new_password(),
        )?;
        prepare(
            &mut conn,
            &actor,
            &owner,
            &keys,
            &secrets.credential,
            "模拟大学第一次学生代表大会",
            &files,
            Stage::InSession,
        )?
    };
    phases.push(Phase::step(
        "筹备 (导入、生成名单、冻结、发证)",
        t.elapsed(),
    ));
    Ok(Stage1 {
        tmp,
        config,
        db,
        secrets,
        keys,
        actor,
        prepared,
    })
}

/// After the hall: close, count, close the congress, certify, export to `out`, verify; then
/// the report (with the receipts checked against the boards).
pub fn finish(
    st: &Stage1,
    out: &Path,
    receipts: &[(String, String)],
    mut phases: Vec<Phase>,
    delegates: u64,
) -> anyhow::Result<Report> {
    let (db, p) = (&st.db, &st.prepared);
    let t = Instant::now();
    let record = close_count_certify(&mut *db.conn()?, &st.actor, &st.keys, p)?;
    phases.push(Phase::step("结束投票、计票、闭幕、签署", t.elapsed()));
    report(st, out, receipts, phases, delegates, &record)
}

/// After the certified `record`: export to `out`, verify like an outsider; the report (with
/// the receipts checked against the boards).
pub fn report(
    st: &Stage1,
    out: &Path,
    receipts: &[(String, String)],
    mut phases: Vec<Phase>,
    delegates: u64,
    record: &crate::packet::format::Record,
) -> anyhow::Result<Report> {
    let (db, p) = (&st.db, &st.prepared);
    let t = Instant::now();
    let contents = record::filing_packet(&mut *db.conn()?, &p.congress_id, "http://127.0.0.1")?;
    write_packet(out, &contents).with_context(|| format!("写入 {}", out.display()))?;
    phases.push(Phase::step("导出备案材料", t.elapsed()));

    let t = Instant::now();
    let checklist = verify_packet(out, None);
    phases.push(Phase::step("核验备案材料", t.elapsed()));
    let mut on_board = 0;
    let mut conn = db.conn()?;
    for (contest, hash) in receipts {
        if crate::storage::repo::voting::has_ballot(
            &mut conn,
            &crate::domain::ids::ContestId::from(contest),
            hash,
        )? {
            on_board += 1;
        }
    }
    Ok(Report {
        delegates,
        database: db.backend().display(),
        congress: p.congress_id.to_string(),
        phases,
        ballots: record
            .contests
            .iter()
            .map(|c| (c.title.clone(), c.board.cast))
            .collect(),
        record_sha256: sha256_hex(&contents.record.bytes),
        packet: out.display().to_string(),
        verified: checklist.all_ok(),
        verify_failures: checklist
            .failures()
            .map(|c| format!("{}: {}", c.name, c.detail))
            .collect(),
        receipts: receipts.len(),
        receipts_on_board: on_board,
        term: None,
    })
}

/// Runs a whole congress; see the module documentation.
pub fn run(opts: &Options) -> anyhow::Result<Report> {
    let mut phases = Vec::new();
    let st = setup(
        opts.delegates,
        opts.seed,
        opts.database_url.clone(),
        &mut phases,
    )?;
    let (db2, config2, secrets2) = (st.db.clone(), st.config.clone(), st.secrets.clone());
    let server = Server::start(move |base| AppState::new(db2, config2, &secrets2, base))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let hall = Hall::plain(opts.concurrency, opts.seed);
    let receipts = runtime.block_on(vote_over_http(&server.base, &st, &hall, &mut phases))?;
    drop(server);
    let mut report = finish(&st, &opts.out, &receipts, phases, opts.delegates)?;
    if opts.term {
        report.term = Some(super::term::run(&st, &opts.out, opts.seed)?);
    }
    Ok(report)
}

/// Prints the phases as a table.
pub fn print(report: &Report, out: &Path) {
    println!(
        "模拟学代会: {} 名代表, 数据库 {}",
        report.delegates, report.database
    );
    println!(
        "{:<28} {:>7} {:>6} {:>10} {:>10} {:>8} {:>8} {:>8} {:>8}",
        "阶段", "请求", "错误", "耗时ms", "每秒", "p50ms", "p95ms", "p99ms", "最大ms"
    );
    for p in &report.phases {
        println!(
            "{:<28} {:>7} {:>6} {:>10.1} {:>10.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            p.name,
            p.requests,
            p.errors,
            p.wall_ms,
            p.throughput_per_s,
            p.p50_ms,
            p.p95_ms,
            p.p99_ms,
            p.max_ms
        );
        for e in &p.error_samples {
            println!("    错误: {e}");
        }
    }
    for (title, n) in &report.ballots {
        println!("公示 “{title}”: {n} 张选票");
    }
    println!(
        "回执: {} 张, 其中 {} 张在公示中",
        report.receipts, report.receipts_on_board
    );
    println!("结果报告 SHA-256: {}", report.record_sha256);
    println!("备案材料: {}", out.display());
    if let Some(t) = &report.term {
        super::term::print(t);
    }
    if report.verified {
        println!("核验: 全部通过 ✓");
    } else {
        println!("核验: 未通过 ✗");
        for f in &report.verify_failures {
            println!("  ✗ {f}");
        }
    }
}
