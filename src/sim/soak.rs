//! `congress bench --soak`: a congress day, compressed, against the server as its own process.
//! Every delegate logs in with their card; then contests are held one after another
//! (`soak_agenda`: elections, the runoffs their counts propose, motions): each opens, every
//! present delegate's phone loads the waiting page, takes its paper at once, loads the ballot
//! page and casts within a second; the contest closes and is counted. Between contests some
//! delegates are checked out by the staff and come back later (checked in by the staff, or
//! by logging in with their card again), some phones reconnect and some log in again from a
//! fresh browser. A projector polls `/b/{cid}/screen` and an observer the public board all
//! day. The server's RSS is sampled every half second. At the end the congress closes, is
//! certified, exported and verified, and every receipt is looked up on the boards.
//!
//! Must hold: no errors at all, every receipt on the board, the packet verifies, and the RSS
//! flat after the first contests (reported, not asserted: tests never assert on time).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::bench::load_avg;
use super::client::Phone;
use super::counters::SERVER_LOG;
use super::hall::Meter;
use super::http::{self, cast_marked, load_ballots, load_waiting, login_all, take_all, Phase};
use super::process::{congress_exe, free_port, raise_fd_limit, ServerProcess};
use super::run::close_and_certify;
use super::simulate::{report, setup, Report, Stage1};
use super::soak_agenda::{marks, Agenda};
use super::soak_churn::{churn, Churn};
use super::soak_poll::{poll, Polls};
use crate::service::{results, voting};

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub delegates: u64,
    pub contests: usize,
    pub concurrency: usize,
    pub database_url: Option<String>,
    pub seed: u64,
    pub out: Option<PathBuf>,
    /// The `congress` executable to serve with (default: `process::congress_exe`).
    pub exe: Option<PathBuf>,
}

/// One contest of the day.
#[derive(Debug, Clone, Serialize)]
pub struct ContestFigures {
    pub title: String,
    pub kind: &'static str,
    /// Papers issued by phone (= delegates present at the opening).
    pub voters: usize,
    pub phases: Vec<Phase>,
    /// Seconds since the start when the contest was counted.
    pub at_s: f64,
    pub rss_mib: f64,
    /// What happened before the next contest.
    pub churn: Churn,
}

impl ContestFigures {
    fn errors(&self) -> usize {
        self.phases.iter().map(|p| p.errors).sum::<usize>() + self.churn.errors
    }
}

/// The day's report.
#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    pub delegates: u64,
    pub load_before: f64,
    pub load_after: f64,
    pub check_in: Phase,
    pub contests: Vec<ContestFigures>,
    /// Proposed rounds declined when the day ended.
    pub declined: usize,
    pub polls: Polls,
    /// (seconds since the start, MiB) every half second.
    pub rss: Vec<(f64, f64)>,
    pub peak_rss_mib: f64,
    pub run: Report,
}

impl SoakReport {
    /// Errors of every kind: phones, staff actions, pollers.
    pub fn errors(&self) -> usize {
        self.check_in.errors
            + self.contests.iter().map(|c| c.errors()).sum::<usize>()
            + self.polls.errors
            + self.run.errors()
    }

    /// No errors, every receipt on the board, the packet verified.
    pub fn ok(&self) -> bool {
        self.errors() == 0 && self.run.receipts == self.run.receipts_on_board && self.run.verified
    }

    /// The RSS after the `k`-th contest and at the end, MiB.
    pub fn growth_after(&self, k: usize) -> Option<(f64, f64)> {
        let base = self.contests.get(k.checked_sub(1)?)?.rss_mib;
        Some((base, self.contests.last()?.rss_mib))
    }
}

/// Samples a process's RSS every half second until stopped.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Vec<(f64, f64)>>>,
}

impl Sampler {
    fn start(pid: u32, t0: Instant) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut out = Vec::new();
            while !s.load(Ordering::Relaxed) {
                if let Some(kib) = super::process::proc_status_kib(pid, "VmRSS:") {
                    out.push((t0.elapsed().as_secs_f64(), kib as f64 / 1024.0));
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            out
        });
        Sampler {
            stop,
            thread: Some(thread),
        }
    }

    fn finish(mut self) -> Vec<(f64, f64)> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

/// Holds one contest through HTTP; returns its phases and the receipts.
async fn hold(
    st: &Stage1,
    voters: &[&Phone],
    item: &super::soak_agenda::Item,
    concurrency: usize,
    rng: &mut ChaCha8Rng,
    meter: &mut Meter<'_>,
) -> anyhow::Result<(Vec<Phase>, Vec<(String, String)>)> {
    let cid = &st.prepared.congress_id;
    let mut phases = Vec::new();
    let m = meter.mark();
    let phase = load_waiting(voters, concurrency).await;
    phases.push(meter.done(m, phase));
    let first = voters.first().ok_or_else(|| anyhow!("没有代表在场"))?;
    let key = first.contest_key(cid.as_str(), item.id.as_str()).await?;
    let m = meter.mark();
    let (papers, phase) = take_all(voters, item.id.as_str(), &key, concurrency, "领票").await;
    phases.push(meter.done(m, phase));
    let m = meter.mark();
    let (forms, phase) = load_ballots(voters, cid.as_str(), item.id.as_str(), concurrency).await;
    phases.push(meter.done(m, phase));
    let marked = marks(item, &forms, rng);
    let delays = http::delays(rng, voters.len(), Duration::from_secs(1));
    let target = http::Target {
        congress: cid.as_str(),
        contest: item.id.as_str(),
        seats: item.seats,
    };
    let m = meter.mark();
    let (hashes, phase) = cast_marked(
        voters,
        &papers,
        marked,
        target,
        concurrency,
        delays,
        "投票 (1秒内)",
    )
    .await;
    phases.push(meter.done(m, phase));
    let receipts = hashes
        .into_iter()
        .flatten()
        .map(|h| (item.id.to_string(), h))
        .collect();
    Ok((phases, receipts))
}

/// Runs the day; see the module documentation.
pub fn run(opts: &Options) -> anyhow::Result<SoakReport> {
    raise_fd_limit();
    let load_before = load_avg();
    let mut ignored = Vec::new();
    let st = setup(
        opts.delegates,
        opts.seed,
        opts.database_url.clone(),
        &mut ignored,
    )?;
    let cid = st.prepared.congress_id.clone();
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| st.tmp.path().join("packet"));
    let exe = match &opts.exe {
        Some(e) => e.clone(),
        None => congress_exe()?,
    };
    let server = ServerProcess::start_logging(
        &exe,
        &st.config.data_dir,
        &st.config.key_dir,
        &st.config.database_url,
        free_port()?,
        SERVER_LOG,
    )?;
    let t0 = Instant::now();
    let sampler = Sampler::start(server.pid(), t0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let probe = || server.cpu_seconds();
    let mut meter = Meter::new(Some(&probe), Some(&server.log_path));
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let stop = Arc::new(AtomicBool::new(false));
    let counted: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let poller = runtime.spawn(poll(
        server.base.clone(),
        cid.to_string(),
        counted.clone(),
        stop.clone(),
    ));
    let m = meter.mark();
    let (logged, phase) = runtime.block_on(login_all(
        &server.base,
        &st.prepared.cards,
        opts.concurrency,
    ));
    let check_in = meter.done(m, phase);
    let mut phones: Vec<Phone> = logged
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| anyhow!("签到失败: {:?}", check_in.error_samples))?;
    let mut present = vec![true; phones.len()];
    let mut away: Vec<(usize, usize)> = Vec::new();
    let mut conn = st.db.conn()?;
    let mut agenda = Agenda::new(&mut conn, &st.prepared)?;
    let mut contests = Vec::new();
    let mut receipts = Vec::new();
    while contests.len() < opts.contests {
        let item = agenda.next(&mut conn, &st.actor, &cid)?;
        // Rules C5, C6: a new first-round election's list approved and noticed (a 再次投票 or
        // 另行选举 is among candidates already approved).
        let key = st.keys.load(cid.as_str())?;
        crate::service::approval::prior::record_past_steps_for_all(
            &mut conn, &st.actor, &key, &cid,
        )?;
        voting::open(&mut conn, &st.actor, &st.keys, &cid, &item.id)?;
        let voters: Vec<&Phone> = phones
            .iter()
            .zip(&present)
            .filter(|(_, here)| **here)
            .map(|(p, _)| p)
            .collect();
        let (phases, got) = runtime.block_on(hold(
            &st,
            &voters,
            &item,
            opts.concurrency,
            &mut rng,
            &mut meter,
        ))?;
        receipts.extend(got);
        voting::close(&mut conn, &st.actor, &cid, &item.id)?;
        let f = results::finalise(&mut conn, &st.actor, &cid, &item.id, false)?;
        agenda.proposed(&f.proposed);
        if let Ok(mut c) = counted.lock() {
            *c = Some(item.id.to_string());
        }
        let n = contests.len();
        let ch = runtime.block_on(churn(
            &st,
            &mut phones,
            &mut present,
            &mut away,
            n,
            &mut rng,
        ))?;
        contests.push(ContestFigures {
            title: item.title.clone(),
            kind: item.kind_zh(),
            voters: voters_len(&phases),
            phases,
            at_s: t0.elapsed().as_secs_f64(),
            rss_mib: server.rss_kib().unwrap_or(0) as f64 / 1024.0,
            churn: ch,
        });
    }
    stop.store(true, Ordering::Relaxed);
    let polls = runtime.block_on(poller)?;
    let declined = agenda.decline_rest(&mut conn, &st.actor, &cid)?;
    let rss = sampler.finish();
    let peak = server.peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    drop(server);
    drop(runtime);
    let record = close_and_certify(&mut conn, &st.actor, &st.keys, &st.prepared)?;
    drop(conn);
    let distinct: BTreeSet<&(String, String)> = receipts.iter().collect();
    if distinct.len() != receipts.len() {
        return Err(anyhow!("同一张回执出现了两次"));
    }
    let run = report(&st, &out, &receipts, Vec::new(), opts.delegates, &record)?;
    Ok(SoakReport {
        delegates: opts.delegates,
        load_before,
        load_after: load_avg(),
        check_in,
        contests,
        declined,
        polls,
        rss,
        peak_rss_mib: peak,
        run,
    })
}

fn voters_len(phases: &[Phase]) -> usize {
    phases
        .iter()
        .find(|p| p.kind == http::Kind::Issue)
        .map_or(0, |p| p.requests - p.errors)
}

/// Shuffles `v` with `rng` and keeps `n`.
pub(super) fn pick(rng: &mut ChaCha8Rng, v: Vec<usize>, n: usize) -> Vec<usize> {
    let mut v = v;
    v.shuffle(rng);
    v.truncate(n);
    v
}

/// Prints the day.
pub fn print(r: &SoakReport) {
    println!(
        "压力测试 (大会一天, 压缩): 代表 {} 名, 事项 {} 项, 数据库 {}, 负载 {:.2} -> {:.2}",
        r.delegates,
        r.contests.len(),
        r.run.database,
        r.load_before,
        r.load_after
    );
    println!(
        "签到: {} 次, 错误 {}, p99 {:.1} ms",
        r.check_in.requests, r.check_in.errors, r.check_in.p99_ms
    );
    println!("| # | 事项 | 类型 | 票数 | 领票 p50/p99 ms | 投票 p50/p99 ms | 错误 | 签退/签到/重连/重新登录 | 时刻 s | RSS MiB |");
    println!("|---:|---|---|---:|---:|---:|---:|---|---:|---:|");
    for (i, c) in r.contests.iter().enumerate() {
        let lat = |k: http::Kind| {
            c.phases
                .iter()
                .find(|p| p.kind == k)
                .map_or("-".to_string(), |p| {
                    format!("{:.1}/{:.1}", p.p50_ms, p.p99_ms)
                })
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {}/{}/{}/{} | {:.1} | {:.1} |",
            i + 1,
            c.title,
            c.kind,
            c.voters,
            lat(http::Kind::Issue),
            lat(http::Kind::CastSpread),
            c.errors(),
            c.churn.checked_out,
            c.churn.checked_in,
            c.churn.reconnected,
            c.churn.relogged,
            c.at_s,
            c.rss_mib
        );
        for p in &c.phases {
            for e in &p.error_samples {
                println!("    错误 ({}): {e}", p.name);
            }
        }
        for e in &c.churn.error_samples {
            println!("    错误 (签到签退): {e}");
        }
    }
    println!(
        "大屏与公示轮询: {} 次, 错误 {}, p99 {:.1} ms",
        r.polls.requests, r.polls.errors, r.polls.p99_ms
    );
    for e in &r.polls.error_samples {
        println!("    错误: {e}");
    }
    let series: Vec<String> = r
        .rss
        .iter()
        .step_by(10)
        .map(|(t, m)| format!("{t:.0}s {m:.1}"))
        .collect();
    println!("服务器 RSS (MiB, 每 5 秒): {}", series.join(", "));
    if let Some((base, end)) = r.growth_after(3) {
        println!(
            "第 3 项之后 RSS {base:.1} MiB, 结束时 {end:.1} MiB (变化 {:+.1} MiB); 峰值 {:.1} MiB",
            end - base,
            r.peak_rss_mib
        );
    }
    println!(
        "未举行的后续轮次: {}; 回执 {} 张, 公示中 {} 张; 备案材料核验 {}; 错误合计 {}",
        r.declined,
        r.run.receipts,
        r.run.receipts_on_board,
        if r.run.verified {
            "通过"
        } else {
            "未通过"
        },
        r.errors()
    );
    for f in &r.run.verify_failures {
        println!("  ✗ {f}");
    }
}
