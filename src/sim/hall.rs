//! The hall over HTTP, as `congress simulate`, `congress bench` and the crash test drive it:
//! check-in by QR login, the contests opened, the waiting pages loaded, then for each contest
//! the issue burst (every phone takes its paper at once) and the vote burst (every phone casts
//! to the anonymous box, at once or spread over a window). Each phase is measured with what
//! does not depend on the machine's load beside its times (`Meter`): the server's and the
//! load generator's CPU time, the kernel's TCP counters and the writers' batches.

use std::path::Path;

use anyhow::anyhow;

use super::counters::{LogCounter, Tcp};
use super::http::{
    cast_all, health_all, load_ballots, load_waiting, login_all, take_all, Phase, Target,
};
use super::process::self_cpu_seconds;
use super::run::{contests, open_all};
use super::simulate::Stage1;

/// How the hall votes: requests in flight at most, the seed of the choices, the moment each
/// phone votes within `spread` (the first motion always votes all at once, to measure
/// throughput), and, when the server is a separate process, a probe of its CPU seconds and
/// its log (with one line per group-commit batch: `counters::SERVER_LOG`). `health_rounds`
/// rounds of `GET /health` by every phone at once follow the check-in (the calibration).
pub struct Hall<'a> {
    pub concurrency: usize,
    pub seed: u64,
    pub spread: std::time::Duration,
    pub server_cpu: Option<&'a (dyn Fn() -> Option<f64> + Sync)>,
    pub server_log: Option<&'a Path>,
    pub health_rounds: usize,
}

impl Hall<'_> {
    /// The hall of `congress simulate` and the tests: no probes, no calibration.
    pub fn plain(concurrency: usize, seed: u64) -> Hall<'static> {
        Hall {
            concurrency,
            seed,
            spread: std::time::Duration::ZERO,
            server_cpu: None,
            server_log: None,
            health_rounds: 0,
        }
    }
}

/// Measures phases: what the probes say before and after.
pub struct Meter<'a> {
    server_cpu: Option<&'a (dyn Fn() -> Option<f64> + Sync)>,
    log: Option<LogCounter>,
}

/// The probes' readings at the start of a phase.
pub struct Mark {
    server_cpu: Option<f64>,
    client_cpu: f64,
    tcp: Tcp,
}

impl<'a> Meter<'a> {
    pub fn new(
        server_cpu: Option<&'a (dyn Fn() -> Option<f64> + Sync)>,
        server_log: Option<&Path>,
    ) -> Meter<'a> {
        Meter {
            server_cpu,
            log: server_log.map(LogCounter::new),
        }
    }

    /// Readings before a phase.
    pub fn mark(&mut self) -> Mark {
        if let Some(l) = self.log.as_mut() {
            l.take();
        }
        Mark {
            server_cpu: self.server_cpu.and_then(|f| f()),
            client_cpu: self_cpu_seconds(),
            tcp: Tcp::now(),
        }
    }

    /// The phase with what happened since `mark`.
    pub fn done(&mut self, mark: Mark, phase: Phase) -> Phase {
        let server = self.server_cpu.and_then(|f| f());
        Phase {
            server_cpu_ms: mark.server_cpu.zip(server).map(|(b, a)| (a - b) * 1000.0),
            client_cpu_ms: Some((self_cpu_seconds() - mark.client_cpu) * 1000.0),
            tcp: Some(Tcp::now().since(&mark.tcp)),
            writers: self.log.as_mut().map(|l| l.take()).unwrap_or_default(),
            ..phase
        }
    }
}

/// The hall: check-in by QR login, the contests opened, the waiting pages loaded; then for
/// each contest: every phone takes its paper at once (the issue burst), loads the ballot page
/// and casts (the vote burst). Returns the (contest, tracker) of every receipt received.
pub async fn vote_over_http(
    base: &str,
    st: &Stage1,
    hall: &Hall<'_>,
    phases: &mut Vec<Phase>,
) -> anyhow::Result<Vec<(String, String)>> {
    let p = &st.prepared;
    let mut meter = Meter::new(hall.server_cpu, hall.server_log);
    let m = meter.mark();
    let (phones, phase) = login_all(base, &p.cards, hall.concurrency).await;
    phases.push(meter.done(m, phase));
    if hall.health_rounds > 0 {
        let m = meter.mark();
        let phase = health_all(&phones, hall.health_rounds, hall.concurrency).await;
        phases.push(meter.done(m, phase));
    }
    {
        let (db, actor, keys, p) = (st.db.clone(), st.actor.clone(), st.keys.clone(), p.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut conn = db.conn()?;
            open_all(&mut conn, &actor, &keys, &p)
        })
        .await??;
    }
    let m = meter.mark();
    let phase = load_waiting(&phones, hall.concurrency).await;
    phases.push(meter.done(m, phase));
    let any = phones
        .iter()
        .flatten()
        .next()
        .ok_or_else(|| anyhow!("没有代表登录成功"))?;
    let mut trackers = Vec::new();
    for (i, (contest, seats)) in contests(p).into_iter().enumerate() {
        let key = any
            .contest_key(p.congress_id.as_str(), contest.as_str())
            .await?;
        let title = format!("领票 #{} ({} 部手机同时)", i + 1, phones.len());
        let m = meter.mark();
        let (papers, phase) =
            take_all(&phones, contest.as_str(), &key, hall.concurrency, &title).await;
        phases.push(meter.done(m, phase));
        let m = meter.mark();
        let (forms, phase) = load_ballots(
            &phones,
            p.congress_id.as_str(),
            contest.as_str(),
            hall.concurrency,
        )
        .await;
        let phase = Phase {
            name: format!("{} #{}", phase.name, i + 1),
            ..phase
        };
        phases.push(meter.done(m, phase));
        let spread = if i == 1 {
            std::time::Duration::ZERO
        } else {
            hall.spread
        };
        let title = format!(
            "投票 #{} ({}, {})",
            i + 1,
            if seats.is_some() { "选举" } else { "表决" },
            if spread.is_zero() {
                "同时提交".to_string()
            } else {
                format!("{}ms内提交", spread.as_millis())
            }
        );
        let target = Target {
            congress: p.congress_id.as_str(),
            contest: contest.as_str(),
            seats,
        };
        let m = meter.mark();
        let (hashes, phase) = cast_all(
            &phones,
            &papers,
            &forms,
            target,
            hall.seed + i as u64,
            hall.concurrency,
            spread,
            &title,
        )
        .await;
        phases.push(meter.done(m, phase));
        trackers.extend(
            hashes
                .into_iter()
                .flatten()
                .map(|h| (contest.to_string(), h)),
        );
    }
    Ok(trackers)
}
