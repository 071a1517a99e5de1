//! The crash test: `kill -9` the server process in the middle of a vote burst, start it again,
//! and check that every receipt a phone received is on the board, that no ballot lacks its
//! roll entry or the reverse, that every delegate can still vote (a phone whose answer was
//! lost resubmits the same ballot and gets the same receipt), and that the final packet
//! verifies. On SQLite (synchronous=FULL) and, when configured, PostgreSQL.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use common::Kind;
use congress::sim::client::{choices, BallotForm, Phone};
use congress::sim::http::{cast_all, load_ballots, login_all};
use congress::sim::process::{raise_fd_limit, ServerProcess};
use congress::sim::run::{contests, open_all};
use congress::sim::simulate::{finish, setup, Stage1};
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
        voting::ballot_count(&mut c, contest).unwrap(),
        voting::roll_count(&mut c, contest).unwrap(),
    )
}

fn run(kind: Kind) {
    // On PostgreSQL the test's own database (dropped when `_pg` goes out of scope).
    let _pg = match kind {
        Kind::Sqlite => None,
        Kind::Postgres => match common::test_db(Kind::Postgres, "crash") {
            Some(t) => Some(t),
            None => return,
        },
    };
    let database_url = _pg.as_ref().map(|t| t.url.clone());
    raise_fd_limit();
    let mut phases = Vec::new();
    let st = setup(DELEGATES, 11, database_url, &mut phases).expect("setup");
    let port = congress::sim::process::free_port().unwrap();
    let mut server = start(&st, port);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (election, seats) = contests(&st.prepared)[0].clone();

    let (phones, forms) = rt.block_on(async {
        let (phones, phase) = login_all(&server.base, &st.prepared.cards, 32).await;
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        open_all(&mut st.db.conn().unwrap(), &st.actor, &st.prepared).unwrap();
        let (forms, phase) = load_ballots(&phones, &election, 32).await;
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        (phones, forms)
    });
    let phones: Vec<Phone> = phones.into_iter().map(|p| p.expect("logged in")).collect();
    let forms: Vec<BallotForm> = forms.into_iter().map(|f| f.expect("ballot page")).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let fields: Vec<Vec<(String, String)>> =
        forms.iter().map(|f| choices(&mut rng, f, seats)).collect();

    // The burst, with the server killed while it is in flight.
    let received: Vec<Option<String>> = rt.block_on(async {
        let burst = join_all(phones.iter().zip(&forms).zip(&fields).map(|((p, f), x)| {
            let election = election.clone();
            async move { p.cast(&election, f, x).await.ok().map(|(h, _)| h) }
        }));
        let killer = async {
            // Let part of the hall get through first.
            loop {
                tokio::time::sleep(Duration::from_millis(2)).await;
                if counts(&st, &election).0 >= (DELEGATES / 4) as i64 {
                    break;
                }
            }
            server.kill9().expect("kill -9");
        };
        let (r, ()) = tokio::join!(burst, killer);
        r
    });
    let got: Vec<&String> = received.iter().flatten().collect();
    let (ballots, roll) = counts(&st, &election);
    println!(
        "{kind:?}: {} receipts before the crash, {ballots} ballots stored",
        got.len()
    );
    assert!(
        got.len() < DELEGATES as usize,
        "the crash came too late to test anything"
    );
    assert_eq!(
        ballots, roll,
        "a ballot without its roll entry or the reverse"
    );
    {
        let mut c = st.db.conn().unwrap();
        for h in &got {
            assert!(
                voting::has_ballot(&mut c, &election, h).unwrap(),
                "a receipt was given for a lost ballot"
            );
        }
    }

    // Restart; everyone without a receipt submits again (the same form: same ballot id).
    let server = start(&st, port);
    let retried: Vec<Option<String>> = rt.block_on(join_all(
        phones
            .iter()
            .zip(&forms)
            .zip(&fields)
            .zip(&received)
            .map(|(((p, f), x), r)| {
                let election = election.clone();
                async move {
                    match r {
                        Some(h) => Some(h.clone()),
                        None => p.cast(&election, f, x).await.ok().map(|(h, _)| h),
                    }
                }
            }),
    ));
    assert!(
        retried.iter().all(Option::is_some),
        "every delegate gets a receipt after the restart"
    );
    let hashes: BTreeSet<&String> = retried.iter().flatten().collect();
    assert_eq!(hashes.len(), DELEGATES as usize, "one ballot per delegate");
    assert_eq!(counts(&st, &election), (DELEGATES as i64, DELEGATES as i64));

    // The other contests vote normally on the restarted server, from the same phones.
    let mut receipts: Vec<(String, String)> = retried
        .into_iter()
        .flatten()
        .map(|h| (election.clone(), h))
        .collect();
    let phones: Vec<Option<Phone>> = phones.into_iter().map(Some).collect();
    for (i, (contest, seats)) in contests(&st.prepared).into_iter().enumerate().skip(1) {
        let (hashes, phase) = rt.block_on(async {
            let (forms, phase) = load_ballots(&phones, &contest, 32).await;
            assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
            cast_all(
                &phones,
                &forms,
                &contest,
                seats,
                40 + i as u64,
                32,
                Duration::ZERO,
                "after restart",
            )
            .await
        });
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        receipts.extend(hashes.into_iter().flatten().map(|h| (contest.clone(), h)));
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
