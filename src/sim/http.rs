//! The hall over HTTP: every delegate a separate client (own connection and cookies) logging
//! in with their card's QR URL, taking each contest's paper (领票), loading the ballot page
//! and casting to the anonymous box (投票), with a bounded number in flight at once; each phase
//! timed with every request's latency.

use std::time::{Duration, Instant};

use futures_util::{stream, StreamExt};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::client::{choices, choices_json, BallotForm, Phone};
use super::paper::{Paper, Pending};
use crate::crypto::blind::ContestPublicKey;
use crate::service::credentials::Card;

/// One phase of a run: wall time, requests, errors and latency percentiles.
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub name: String,
    pub requests: usize,
    pub errors: usize,
    pub wall_ms: f64,
    pub throughput_per_s: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The first few errors, for the report.
    pub error_samples: Vec<String>,
    /// CPU time the server process used during the phase (when it runs as its own process).
    pub server_cpu_ms: Option<f64>,
}

impl Phase {
    /// A phase from its wall time and per-request outcomes.
    pub fn from(name: &str, wall: Duration, outcomes: &[Result<Duration, String>]) -> Phase {
        let mut lat: Vec<f64> = outcomes
            .iter()
            .filter_map(|o| o.as_ref().ok())
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| -> f64 {
            if lat.is_empty() {
                0.0
            } else {
                let i = ((p * lat.len() as f64).ceil() as usize).clamp(1, lat.len()) - 1;
                lat[i]
            }
        };
        let errors: Vec<String> = outcomes
            .iter()
            .filter_map(|o| o.as_ref().err().cloned())
            .collect();
        let wall_ms = wall.as_secs_f64() * 1000.0;
        Phase {
            name: name.to_string(),
            requests: outcomes.len(),
            errors: errors.len(),
            wall_ms,
            throughput_per_s: if wall_ms > 0.0 {
                outcomes.len() as f64 * 1000.0 / wall_ms
            } else {
                0.0
            },
            p50_ms: pct(0.50),
            p95_ms: pct(0.95),
            p99_ms: pct(0.99),
            max_ms: lat.last().copied().unwrap_or(0.0),
            error_samples: errors.into_iter().take(5).collect(),
            server_cpu_ms: None,
        }
    }

    /// A phase of one in-process step (no HTTP requests).
    pub fn step(name: &str, wall: Duration) -> Phase {
        Phase::from(name, wall, &[Ok(wall)])
    }
}

/// Logs every delegate in (check-in); returns the phones in card order and the phase.
pub async fn login_all(
    base: &str,
    cards: &[Card],
    concurrency: usize,
) -> (Vec<Option<Phone>>, Phase) {
    let start = Instant::now();
    let results: Vec<(Option<Phone>, Result<Duration, String>)> = stream::iter(cards.iter())
        .map(|card| async move {
            let url = format!("{base}/t/{}", card.token);
            let phone = match Phone::new(base) {
                Ok(p) => p,
                Err(e) => return (None, Err(e.to_string())),
            };
            match phone.login(&url).await {
                Ok(d) => (Some(phone), Ok(d)),
                Err(e) => (None, Err(e.to_string())),
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    let wall = start.elapsed();
    let outcomes: Vec<_> = results.iter().map(|(_, o)| o.clone()).collect();
    let phones = results.into_iter().map(|(p, _)| p).collect();
    (phones, Phase::from("签到 (扫码登录)", wall, &outcomes))
}

/// Every phone loads the waiting page (as it does every few seconds while it waits), which
/// also gives it its session's CSRF token.
pub async fn load_waiting(phones: &[Option<Phone>], concurrency: usize) -> Phase {
    let start = Instant::now();
    let outcomes: Vec<Result<Duration, String>> = stream::iter(phones.iter())
        .map(|phone| async move {
            match phone {
                Some(p) => p.waiting().await.map_err(|e| e.to_string()),
                None => Err("未登录".to_string()),
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    Phase::from("打开投票事项页", start.elapsed(), &outcomes)
}

/// Every phone takes its paper for `contest` at once (领票, the issue burst): a fresh token,
/// blinded, posted with the session; the blind signature unblinded. Returns each phone's
/// paper (card order) and the phase.
pub async fn take_all(
    phones: &[Option<Phone>],
    contest: &str,
    key: &ContestPublicKey,
    concurrency: usize,
    title: &str,
) -> (Vec<Option<Paper>>, Phase) {
    // Tokens are made and blinded before the clock starts: that is the phones' own work.
    let pending: Vec<Option<Pending>> = phones.iter().map(|_| Pending::new(key).ok()).collect();
    let start = Instant::now();
    let mut results: Vec<(usize, Option<Paper>, Result<Duration, String>)> =
        stream::iter(phones.iter().zip(&pending).enumerate())
            .map(|(i, (phone, pending))| async move {
                let (Some(phone), Some(pending)) = (phone, pending) else {
                    return (i, None, Err("未登录".to_string()));
                };
                match phone.take_paper(contest, key, pending).await {
                    Ok((paper, d)) => (i, Some(paper), Ok(d)),
                    Err(e) => (i, None, Err(e.to_string())),
                }
            })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
    let wall = start.elapsed();
    results.sort_by_key(|r| r.0);
    let outcomes: Vec<_> = results.iter().map(|(_, _, o)| o.clone()).collect();
    (
        results.into_iter().map(|(_, p, _)| p).collect(),
        Phase::from(title, wall, &outcomes),
    )
}

/// Loads every phone's ballot page of `contest` from the box (the candidates' ids).
pub async fn load_ballots(
    phones: &[Option<Phone>],
    congress: &str,
    contest: &str,
    concurrency: usize,
) -> (Vec<Option<BallotForm>>, Phase) {
    let start = Instant::now();
    let results: Vec<(Option<BallotForm>, Result<Duration, String>)> = stream::iter(phones.iter())
        .map(|phone| async move {
            let Some(phone) = phone else {
                return (None, Err("未登录".to_string()));
            };
            let t = Instant::now();
            match phone.ballot(congress, contest).await {
                Ok(f) => (Some(f), Ok(t.elapsed())),
                Err(e) => (None, Err(e.to_string())),
            }
        })
        .buffered(concurrency.max(1))
        .collect()
        .await;
    let wall = start.elapsed();
    let outcomes: Vec<_> = results.iter().map(|(_, o)| o.clone()).collect();
    (
        results.into_iter().map(|(f, _)| f).collect(),
        Phase::from("打开选票", wall, &outcomes),
    )
}

/// Where the hall votes: the congress and one contest, with its seats (None for a motion).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub congress: &'a str,
    pub contest: &'a str,
    pub seats: Option<u32>,
}

/// Every phone casts its paper of `target` with seeded choices to the anonymous box; returns
/// the trackers in card order. With a `spread`, each phone waits a random moment within it
/// before sending ("everyone votes within the same second"); latency is measured from the
/// send. Without, all are sent at once (up to `concurrency` in flight).
#[allow(clippy::too_many_arguments)]
pub async fn cast_all(
    phones: &[Option<Phone>],
    papers: &[Option<Paper>],
    forms: &[Option<BallotForm>],
    target: Target<'_>,
    seed: u64,
    concurrency: usize,
    spread: Duration,
    title: &str,
) -> (Vec<Option<String>>, Phase) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let delays: Vec<Duration> = forms
        .iter()
        .map(|_| spread.mul_f64(rand::Rng::random::<f64>(&mut rng)))
        .collect();
    let marks: Vec<Option<serde_json::Value>> = forms
        .iter()
        .map(|f| {
            f.as_ref()
                .map(|f| choices_json(&choices(&mut rng, f, target.seats)))
        })
        .collect();
    let start = Instant::now();
    let mut results: Vec<(usize, Option<String>, Result<Duration, String>)> =
        stream::iter(phones.iter().zip(papers).zip(marks).zip(delays).enumerate())
            .map(|(i, (((phone, paper), marks), delay))| async move {
                let (Some(phone), Some(paper), Some(marks)) = (phone, paper, marks) else {
                    return (i, None, Err("没有选票".to_string()));
                };
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                match phone
                    .cast(target.congress, target.contest, paper, &marks)
                    .await
                {
                    Ok((hash, d)) => (i, Some(hash), Ok(d)),
                    Err(e) => (i, None, Err(e.to_string())),
                }
            })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
    let wall = start.elapsed();
    results.sort_by_key(|r| r.0);
    let outcomes: Vec<_> = results.iter().map(|(_, _, o)| o.clone()).collect();
    (
        results.into_iter().map(|(_, h, _)| h).collect(),
        Phase::from(title, wall, &outcomes),
    )
}
