//! The ballot box alone, without HTTP: what the storage sustains. A second synthetic congress
//! of the same size is prepared on the same backend, every delegate checks in, its contests
//! open, and each contest's ballots are submitted to the ballot box all at once from as many
//! concurrent tasks as there are delegates. Each submission waits for its durable answer
//! (committed with synchronous=FULL on SQLite), so the figures are those of group commit:
//! how many ballots per second the writer makes durable, and how long each waits.

use std::time::Instant;

use anyhow::anyhow;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::service::ballot_box::BallotBox;
use crate::service::credentials;

use super::http::Phase;
use super::run::{contests, open_all, submissions};
use super::simulate::setup;

/// Prepares a fresh congress of `delegates` and measures each contest's burst through the
/// ballot box. Returns one phase per contest.
pub fn measure(
    delegates: u64,
    seed: u64,
    database_url: Option<String>,
) -> anyhow::Result<Vec<Phase>> {
    let mut ignored = Vec::new();
    let st = setup(delegates, seed, database_url, &mut ignored)?;
    let p = &st.prepared;
    let mut conn = st.db.conn()?;
    for card in &p.cards {
        credentials::login_with_token(&mut conn, &card.token).map_err(|e| anyhow!("{e}"))?;
    }
    open_all(&mut conn, &st.actor, p)?;
    let ballot_box = BallotBox::spawn(st.db.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut phases = Vec::new();
    for (i, (contest, seats)) in contests(p).into_iter().enumerate() {
        // Sealing (canonical JSON + SHA-256) happens on the request threads in the server;
        // here it is done before the clock starts so the phase measures the box alone.
        let subs = submissions(&mut conn, p, &contest, seats, &mut rng)?;
        let start = Instant::now();
        let outcomes: Vec<Result<std::time::Duration, String>> = runtime.block_on(async {
            let tasks: Vec<_> = subs
                .into_iter()
                .map(|sub| {
                    let bb = ballot_box.clone();
                    tokio::spawn(async move {
                        let t = Instant::now();
                        bb.submit(sub)
                            .await
                            .map(|_| t.elapsed())
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(tasks.len());
            for t in tasks {
                out.push(t.await.unwrap_or_else(|e| Err(e.to_string())));
            }
            out
        });
        let wall = start.elapsed();
        phases.push(Phase::from(
            &format!(
                "选票箱直写 #{} ({}, 无HTTP, 同时提交)",
                i + 1,
                if seats.is_some() { "选举" } else { "表决" }
            ),
            wall,
            &outcomes,
        ));
    }
    Ok(phases)
}
