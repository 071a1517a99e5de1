//! The crash test, with ballot papers: `kill -9` the server process in the middle of a vote
//! burst and, for the next contest, in the middle of the paper-issue burst; start it again.
//! Every receipt a phone received is on the board; every paper issued is on the roll and no
//! ballot lacks an issued paper; a phone that holds a paper but got no receipt casts the same
//! paper and choices again after the restart and gets its receipt (a phone that did get one
//! gets the same one again); a phone whose paper answer was lost asks again with the same
//! blinded message and gets a paper that verifies; one ballot per paper; the packet verifies.
//! On SQLite (synchronous=FULL) and, when configured, PostgreSQL.
//!
//! The moment of the crash does not depend on timing: a quarter of the phones get their
//! answers first; then the test holds a lock the writers need to commit (`sim::stall`), sends
//! the rest, waits until the server's writer is inside that batch, blocked on the lock, and
//! kills it. Nothing sent after the lock can have been answered, on a fast or a loaded
//! machine.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use common::Kind;
use congress::crypto::blind::ContestPublicKey;
use congress::sim::client::{choices, choices_json, BallotForm, Phone};
use congress::sim::http::{cast_all, load_ballots, load_waiting, login_all, take_all, Target};
use congress::sim::paper::{Paper, Pending};
use congress::sim::process::{raise_fd_limit, ServerProcess};
use congress::sim::run::{contests, open_all};
use congress::sim::simulate::{finish, setup, Stage1};
use congress::sim::stall::{until_writer_busy, Stall};
use congress::storage::repo::voting;
use futures_util::future::join_all;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DELEGATES: u64 = 120;

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_congress"))
}

fn start(st: &Stage1, port: u16) -> ServerProcess {
    ServerProcess::start(
        exe(),
        &st.config.data_dir,
        &st.config.key_dir,
        &st.config.database_url,
        port,
    )
    .expect("server process")
}

/// (ballots, roll entries) of a contest.
fn counts(st: &Stage1, contest: &str) -> (i64, i64) {
    let mut c = st.db.conn().unwrap();
    (
        voting::ballot_count(&mut c, &congress::domain::ids::ContestId::from(contest)).unwrap(),
        voting::roll_count(&mut c, &congress::domain::ids::ContestId::from(contest)).unwrap(),
    )
}

/// Phones answered before the crash: the first quarter.
const BEFORE: usize = (DELEGATES / 4) as usize;

/// Once the server's writer `writer` is inside a batch blocked by `stall`, kills the server,
/// then releases the lock.
async fn kill_when_blocked(server: &mut ServerProcess, writer: &str, stall: Stall) {
    until_writer_busy(server.pid(), writer, Duration::from_secs(300))
        .await
        .expect("the burst reaches the writer");
    server.kill9().expect("kill -9");
    stall.release().expect("release the lock");
}

async fn cast_one(
    p: &Phone,
    cid: &str,
    contest: &str,
    paper: &Paper,
    marks: &serde_json::Value,
) -> Option<String> {
    p.cast(cid, contest, paper, marks)
        .await
        .ok()
        .map(|(h, _)| h)
}

async fn take_one(
    p: &Phone,
    contest: &str,
    key: &ContestPublicKey,
    pending: &Pending,
) -> Option<Paper> {
    p.take_paper(contest, key, pending)
        .await
        .ok()
        .map(|(paper, _)| paper)
}

fn run(kind: Kind) {
    // On PostgreSQL the test's own database (dropped when `_pg` goes out of scope).
    let _pg = match kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(common::test_db(Kind::Postgres, "crash")),
    };
    let database_url = _pg.as_ref().map(|t| t.url.clone());
    raise_fd_limit();
    let mut phases = Vec::new();
    let st = setup(DELEGATES, 11, database_url, &mut phases).expect("setup");
    let cid = st.prepared.congress_id.clone();
    let port = congress::sim::process::free_port().unwrap();
    let mut server = start(&st, port);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let all = contests(&st.prepared);
    let (election, seats) = all[0].clone();

    let (phones, papers, forms) = rt.block_on(async {
        let (phones, phase) = login_all(&server.base, &st.prepared.cards, 32).await;
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        open_all(
            &mut st.db.conn().unwrap(),
            &st.actor,
            &st.keys,
            &st.prepared,
        )
        .unwrap();
        assert_eq!(load_waiting(&phones, 32).await.errors, 0);
        let first = phones[0].as_ref().unwrap();
        let key = first
            .contest_key(cid.as_str(), election.as_str())
            .await
            .unwrap();
        let (papers, phase) = take_all(&phones, election.as_str(), &key, 32, "领票").await;
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        let (forms, phase) = load_ballots(&phones, cid.as_str(), election.as_str(), 32).await;
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        (phones, papers, forms)
    });
    assert_eq!(
        counts(&st, election.as_str()),
        (0, DELEGATES as i64),
        "all papers issued"
    );
    let phones: Vec<Phone> = phones.into_iter().map(|p| p.expect("logged in")).collect();
    let papers: Vec<Paper> = papers.into_iter().map(|p| p.expect("paper")).collect();
    let forms: Vec<BallotForm> = forms.into_iter().map(|f| f.expect("ballot page")).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let marks: Vec<serde_json::Value> = forms
        .iter()
        .map(|f| choices_json(&choices(&mut rng, f, seats)))
        .collect();

    // The vote burst: a quarter answered, then the server killed with the rest in flight.
    let sends = phones.iter().zip(&papers).zip(&marks);
    let mut received: Vec<Option<String>> =
        rt.block_on(join_all(sends.clone().take(BEFORE).map(
            |((p, paper), m)| cast_one(p, cid.as_str(), election.as_str(), paper, m),
        )));
    assert!(
        received.iter().all(Option::is_some),
        "the first quarter is answered"
    );
    let stall = Stall::hold(&st.db, &election).expect("hold the writers' lock");
    let rest: Vec<Option<String>> = rt.block_on(async {
        let burst = join_all(
            sends
                .skip(BEFORE)
                .map(|((p, paper), m)| cast_one(p, cid.as_str(), election.as_str(), paper, m)),
        );
        let (r, ()) = tokio::join!(burst, kill_when_blocked(&mut server, "ballot-box", stall));
        r
    });
    assert!(
        rest.iter().all(Option::is_none),
        "nothing sent while the writers were stalled got a receipt"
    );
    received.extend(rest);
    let got: Vec<&String> = received.iter().flatten().collect();
    let (ballots, roll) = counts(&st, election.as_str());
    println!(
        "{kind:?}: {} receipts before the crash, {ballots} ballots stored",
        got.len()
    );
    assert_eq!(got.len(), BEFORE);
    assert!(ballots <= roll, "a ballot without an issued paper");
    {
        let mut c = st.db.conn().unwrap();
        for h in &got {
            assert!(
                voting::has_ballot(
                    &mut c,
                    &congress::domain::ids::ContestId::from(election.as_str()),
                    h
                )
                .unwrap(),
                "a receipt was given for a lost ballot"
            );
        }
    }

    // Restart; every phone sends its paper and choices again: those without a receipt get
    // one, those with one get the same one.
    let mut server = start(&st, port);
    let again: Vec<Option<String>> =
        rt.block_on(join_all(phones.iter().zip(&papers).zip(&marks).map(
            |((p, paper), m)| {
                let (cid, election) = (cid.clone(), election.clone());
                async move {
                    p.cast(cid.as_str(), election.as_str(), paper, m)
                        .await
                        .ok()
                        .map(|(h, _)| h)
                }
            },
        )));
    assert!(
        again.iter().all(Option::is_some),
        "every delegate gets a receipt after the restart"
    );
    for (before, after) in received.iter().zip(&again) {
        if before.is_some() {
            assert_eq!(before, after, "a retried paper got another receipt");
        }
    }
    let hashes: BTreeSet<&String> = again.iter().flatten().collect();
    assert_eq!(hashes.len(), DELEGATES as usize, "one ballot per paper");
    assert_eq!(
        counts(&st, election.as_str()),
        (DELEGATES as i64, DELEGATES as i64)
    );
    let mut receipts: Vec<(String, String)> = again
        .into_iter()
        .flatten()
        .map(|h| (election.to_string(), h))
        .collect();

    // The next contest: the server killed in the middle of the issue burst. A phone whose
    // answer was lost asks again with the same blinded message after the restart.
    let (motion, _) = all[1].clone();
    let mkey: ContestPublicKey = rt
        .block_on(phones[0].contest_key(cid.as_str(), motion.as_str()))
        .unwrap();
    let pending: Vec<Pending> = phones
        .iter()
        .map(|_| Pending::new(&mkey).unwrap())
        .collect();
    let both = phones.iter().zip(&pending);
    let mut first_try: Vec<Option<Paper>> = rt.block_on(join_all(
        both.clone()
            .take(BEFORE)
            .map(|(p, x)| take_one(p, motion.as_str(), &mkey, x)),
    ));
    assert!(
        first_try.iter().all(Option::is_some),
        "a quarter get papers"
    );
    let stall = Stall::hold(&st.db, &motion).expect("hold the writers' lock");
    let rest: Vec<Option<Paper>> = rt.block_on(async {
        let burst = join_all(
            both.skip(BEFORE)
                .map(|(p, x)| take_one(p, motion.as_str(), &mkey, x)),
        );
        let (r, ()) = tokio::join!(burst, kill_when_blocked(&mut server, "paper-issuer", stall));
        r
    });
    assert!(
        rest.iter().all(Option::is_none),
        "no paper answered while stalled"
    );
    first_try.extend(rest);
    let issued_before = counts(&st, motion.as_str()).1;
    println!(
        "{kind:?}: {} papers answered before the crash, {issued_before} issues stored",
        first_try.iter().flatten().count()
    );
    assert_eq!(
        issued_before, BEFORE as i64,
        "no issue committed while stalled"
    );
    let server = start(&st, port);
    let papers2: Vec<Paper> = rt
        .block_on(join_all(phones.iter().zip(&pending).map(|(p, pending)| {
            let (motion, mkey) = (motion.clone(), mkey.clone());
            async move {
                p.take_paper(motion.as_str(), &mkey, pending)
                    .await
                    .map(|(paper, _)| paper)
            }
        })))
        .into_iter()
        .map(|p| p.expect("the same blinded message gets its paper after the restart"))
        .collect();
    for (before, after) in first_try.iter().zip(&papers2) {
        if let Some(b) = before {
            assert_eq!(b.token, after.token);
        }
    }
    assert_eq!(counts(&st, motion.as_str()), (0, DELEGATES as i64));

    // The remaining contests vote normally on the restarted server, from the same phones.
    let phones: Vec<Option<Phone>> = phones.into_iter().map(Some).collect();
    for (i, (contest, seats)) in all.into_iter().enumerate().skip(1) {
        let (hashes, phase) = rt.block_on(async {
            let papers: Vec<Option<Paper>> = if contest == motion {
                papers2.iter().cloned().map(Some).collect()
            } else {
                let key = phones[0]
                    .as_ref()
                    .unwrap()
                    .contest_key(cid.as_str(), contest.as_str())
                    .await
                    .unwrap();
                let (p, phase) = take_all(&phones, contest.as_str(), &key, 32, "领票").await;
                assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
                p
            };
            let (forms, phase) = load_ballots(&phones, cid.as_str(), contest.as_str(), 32).await;
            assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
            let target = Target {
                congress: cid.as_str(),
                contest: contest.as_str(),
                seats,
            };
            cast_all(
                &phones,
                &papers,
                &forms,
                target,
                40 + i as u64,
                32,
                Duration::ZERO,
                "after restart",
            )
            .await
        });
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        receipts.extend(
            hashes
                .into_iter()
                .flatten()
                .map(|h| (contest.to_string(), h)),
        );
    }
    drop(server);
    let dir = tempfile::tempdir().unwrap();
    let report = finish(
        &st,
        &dir.path().join("packet"),
        &receipts,
        Vec::new(),
        DELEGATES,
    )
    .expect("count and certify");
    assert!(report.verified, "{:?}", report.verify_failures);
    assert_eq!(report.receipts, 3 * DELEGATES as usize);
    assert_eq!(report.receipts_on_board, report.receipts);
}

both_backends!(kill_nine_mid_burst, |kind: Kind| run(kind));
