//! The hall over HTTP, as `congress simulate`, `congress bench` and the crash test drive it:
//! check-in by QR login, the contests opened, the waiting pages loaded, then for each contest
//! the issue burst (every phone takes its paper at once) and the vote burst (every phone casts
//! to the anonymous box, at once or spread over a window).

use anyhow::anyhow;

use super::http::{cast_all, load_ballots, load_waiting, login_all, take_all, Phase, Target};
use super::run::{contests, open_all};
use super::simulate::Stage1;

/// How the hall votes: requests in flight at most, the seed of the choices, the moment each
/// phone votes within `spread` (the first motion always votes all at once, to measure
/// throughput), and a probe of the server's CPU seconds (when it is a separate process).
pub struct Hall<'a> {
    pub concurrency: usize,
    pub seed: u64,
    pub spread: std::time::Duration,
    pub server_cpu: Option<&'a (dyn Fn() -> Option<f64> + Sync)>,
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
    let cpu = || hall.server_cpu.and_then(|f| f());
    let timed = |phase: Phase, before: Option<f64>| Phase {
        server_cpu_ms: before.zip(cpu()).map(|(b, a)| (a - b) * 1000.0),
        ..phase
    };
    let before = cpu();
    let (phones, phase) = login_all(base, &p.cards, hall.concurrency).await;
    phases.push(timed(phase, before));
    {
        let (db, actor, keys, p) = (st.db.clone(), st.actor.clone(), st.keys.clone(), p.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut conn = db.conn()?;
            open_all(&mut conn, &actor, &keys, &p)
        })
        .await??;
    }
    let before = cpu();
    let phase = load_waiting(&phones, hall.concurrency).await;
    phases.push(timed(phase, before));
    let any = phones
        .iter()
        .flatten()
        .next()
        .ok_or_else(|| anyhow!("没有代表登录成功"))?;
    let mut trackers = Vec::new();
    for (i, (contest, seats)) in contests(p).into_iter().enumerate() {
        let key = any.contest_key(&p.congress_id, &contest).await?;
        let before = cpu();
        let title = format!("领票 #{} ({} 部手机同时)", i + 1, phones.len());
        let (papers, phase) = take_all(&phones, &contest, &key, hall.concurrency, &title).await;
        phases.push(timed(phase, before));
        let before = cpu();
        let (forms, phase) =
            load_ballots(&phones, &p.congress_id, &contest, hall.concurrency).await;
        phases.push(timed(
            Phase {
                name: format!("{} #{}", phase.name, i + 1),
                ..phase
            },
            before,
        ));
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
            congress: &p.congress_id,
            contest: &contest,
            seats,
        };
        let before = cpu();
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
        phases.push(timed(phase, before));
        trackers.extend(hashes.into_iter().flatten().map(|h| (contest.clone(), h)));
    }
    Ok(trackers)
}
