//! The ballot box alone, without HTTP: what the cast path sustains. A second synthetic
//! congress of the same size is prepared on the same backend, every delegate checks in, its
//! contests open and every delegate takes a paper (in process, before the clock); then each
//! contest's signed ballots go through the real cast path all at once from as many concurrent
//! tasks as there are delegates: the paper's signature checked against the contest key, the
//! ballot sealed (canonical JSON + SHA-256) and stored by the ballot box. Each waits for its
//! durable answer (committed with synchronous=FULL on SQLite), so the figures are those of
//! the signature check plus group commit.

use std::sync::Arc;
use std::time::Instant;

use anyhow::anyhow;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::service::ballot_box::BallotBox;
use crate::service::papers::PaperIssuer;
use crate::service::{credentials, voting};

use super::http::{Kind, Phase};
use super::process::self_cpu_seconds;
use super::run::{all_choices, contests, open_all, take_papers};
use super::simulate::setup;

/// Prepares a fresh congress of `delegates` and measures each contest's burst through the
/// cast path. Returns one phase per contest.
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
    open_all(&mut conn, &st.actor, &st.keys, p)?;
    let issuer = PaperIssuer::spawn(st.db.clone());
    let ballot_box = BallotBox::spawn(st.db.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut phases = Vec::new();
    for (i, (contest, seats)) in contests(p).into_iter().enumerate() {
        let key = voting::contest_key(&st.keys, &p.congress_id, &contest, false)?;
        let public = Arc::new(key.public_key().clone());
        let papers = take_papers(&issuer, &key, p, &contest)?;
        let marked = all_choices(&mut conn, p, &contest, seats, &mut rng)?;
        let stats = ballot_box.stats();
        let client_cpu = self_cpu_seconds();
        let start = Instant::now();
        let outcomes: Vec<Result<std::time::Duration, String>> = runtime.block_on(async {
            let tasks: Vec<_> = papers
                .into_iter()
                .zip(marked)
                .map(|(paper, choices)| {
                    let (bb, public) = (ballot_box.clone(), public.clone());
                    let (cid, kid) = (p.congress_id.clone(), contest.clone());
                    tokio::spawn(async move {
                        let t = Instant::now();
                        let sub = voting::prepare(
                            &cid,
                            &kid,
                            &public,
                            choices,
                            &paper.token,
                            &paper.token_sig,
                        )
                        .map_err(|e| e.to_string())?;
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
        let phase = Phase::from(
            &format!(
                "选票箱直写 #{} ({}, 无HTTP, 验签+保存, 同时提交)",
                i + 1,
                if seats.is_some() { "选举" } else { "表决" }
            ),
            wall,
            &outcomes,
        );
        phases.push(Phase {
            client_cpu_ms: Some((self_cpu_seconds() - client_cpu) * 1000.0),
            writers: [("ballot-box".to_string(), ballot_box.stats().since(&stats))].into(),
            ..phase.of(Kind::BoxAlone)
        });
    }
    Ok(phases)
}
