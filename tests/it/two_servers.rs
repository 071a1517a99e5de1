//! Two app servers, one database (issue 11): two `congress serve` processes on the same
//! database, key directory and data-directory secrets, as behind a load balancer. Delegates
//! check in on one and take papers and vote through the other; one delegate's two devices on
//! different servers get exactly one paper and one ballot; a logout on one server refuses the
//! cookie on the other; failed card logins are counted across both; a burst goes through
//! both, and one server is killed (`kill -9`) in the middle of it, deterministically (the
//! writers held on a lock, `sim::stall`): the rest finish on the other. Exactly one ballot
//! per delegate who cast, every receipt a phone got is on the board, and the packet verifies
//! with `congress verify`. PostgreSQL is the documented setup (`docs/architecture.md`); the
//! SQLite variant runs the same on one host (two processes on one file).

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use common::Kind;
use congress::sim::client::{choices, choices_json, ClientError, Phone};
use congress::sim::http::{cast_all, load_ballots, load_waiting, login_all, take_all, Target};
use congress::sim::paper::{Paper, Pending};
use congress::sim::process::{free_port, raise_fd_limit, ServerProcess};
use congress::sim::run::{contests, open_all};
use congress::sim::simulate::{finish, setup, Stage1};
use congress::sim::stall::{until_writer_busy, Stall};
use congress::storage::repo::voting;
use futures_util::future::join_all;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DELEGATES: u64 = 40;

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

fn counts(st: &Stage1, contest: &str) -> (i64, i64) {
    let mut c = st.db.conn().unwrap();
    (
        voting::ballot_count(&mut c, &congress::domain::ids::ContestId::from(contest)).unwrap(),
        voting::roll_count(&mut c, &congress::domain::ids::ContestId::from(contest)).unwrap(),
    )
}

fn status(r: Result<std::time::Duration, ClientError>) -> u16 {
    match r {
        Ok(_) => 303,
        Err(ClientError::Status { status, .. }) => status,
        Err(e) => panic!("unexpected: {e}"),
    }
}

fn run(kind: Kind) {
    let _pg = match kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(common::test_db(Kind::Postgres, "two_servers")),
    };
    raise_fd_limit();
    let st = setup(
        DELEGATES,
        21,
        _pg.as_ref().map(|t| t.url.clone()),
        &mut Vec::new(),
    )
    .expect("setup");
    let cid = st.prepared.congress_id.clone();
    let (pa, pb) = (free_port().unwrap(), free_port().unwrap());
    let mut a = start(&st, pa);
    let b = start(&st, if pb == pa { free_port().unwrap() } else { pb });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let agenda = contests(&st.prepared);
    let (election, seats) = agenda[0].clone();
    let card_url = |base: &str, i: usize| format!("{base}/t/{}", st.prepared.cards[i].token);
    let mut receipts: Vec<(String, String)> = Vec::new();

    // Check-in on A; the same browsers reach B (cookies are per host, not per port).
    let (phones, phase) = rt.block_on(login_all(&a.base, &st.prepared.cards, 16));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    let on_a: Vec<Phone> = phones.into_iter().map(|p| p.expect("logged in")).collect();
    let on_b: Vec<Phone> = on_a.iter().map(|p| p.on(&b.base).unwrap()).collect();
    open_all(
        &mut st.db.conn().unwrap(),
        &st.actor,
        &st.keys,
        &st.prepared,
    )
    .unwrap();
    let phase = rt.block_on(load_waiting(&on_b, 16));
    assert_eq!(
        phase.errors, 0,
        "a session from A is valid on B: {:?}",
        phase.error_samples
    );

    // Delegate 0: a second device logs in with the card on B; the first device's session
    // has ended on both servers.
    let second = Phone::new(&b.base).unwrap();
    rt.block_on(second.login(&card_url(&b.base, 0)))
        .expect("second device");
    for old in [&on_a[0], &on_b[0]] {
        let (s, _) = rt.block_on(old.get_status("/v")).unwrap();
        assert_eq!(
            s,
            401,
            "the taken-over session is refused on {}",
            old.base()
        );
    }
    rt.block_on(second.waiting()).unwrap();
    // Its session on two devices at once (a copied cookie), one on each server: twelve
    // requests for a paper at once, each with its own blinded message: exactly one paper.
    let copy = second.copy_cookies(&a.base).unwrap();
    let key = rt
        .block_on(second.contest_key(cid.as_str(), election.as_str()))
        .unwrap();
    let pending: Vec<Pending> = (0..12).map(|_| Pending::new(&key).unwrap()).collect();
    let tries: Vec<Option<Paper>> =
        rt.block_on(join_all(pending.iter().enumerate().map(|(i, p)| {
            let (dev, key, election) = (if i % 2 == 0 { &second } else { &copy }, &key, &election);
            async move {
                dev.take_paper(election.as_str(), key, p)
                    .await
                    .ok()
                    .map(|(x, _)| x)
            }
        })));
    let papers0: Vec<&Paper> = tries.iter().flatten().collect();
    assert_eq!(papers0.len(), 1, "one paper for two devices on two servers");
    let paper0 = papers0[0].clone();
    // The paper cast twelve times at once through both servers: one ballot, one receipt.
    let form = rt
        .block_on(second.ballot(cid.as_str(), election.as_str()))
        .unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let marks0 = choices_json(&choices(&mut rng, &form, seats));
    let casts: Vec<Option<String>> = rt.block_on(join_all((0..12).map(|i| {
        let (dev, paper, m, cid, election) = (
            if i % 2 == 0 { &second } else { &copy },
            &paper0,
            &marks0,
            &cid,
            &election,
        );
        async move {
            dev.cast(cid.as_str(), election.as_str(), paper, m)
                .await
                .ok()
                .map(|(h, _)| h)
        }
    })));
    let hashes: BTreeSet<&String> = casts.iter().flatten().collect();
    assert_eq!(casts.iter().flatten().count(), 12, "every retry answered");
    assert_eq!(hashes.len(), 1, "the same receipt every time");
    let other = if marks0 == serde_json::json!({}) {
        serde_json::json!({ form.candidates[0].clone(): "against" })
    } else {
        serde_json::json!({})
    };
    assert!(
        rt.block_on(copy.cast(cid.as_str(), election.as_str(), &paper0, &other))
            .is_err(),
        "a spent paper with other choices is refused"
    );
    assert_eq!(counts(&st, election.as_str()), (1, 1));
    receipts.push((election.to_string(), casts[0].clone().unwrap()));

    // Everyone else checked in on A takes the paper through B and votes through A.
    let (papers, phase) = rt.block_on(take_all(&on_b[1..], election.as_str(), &key, 16, "领票"));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    let (forms, phase) = rt.block_on(load_ballots(
        &on_a[1..],
        cid.as_str(),
        election.as_str(),
        16,
    ));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    let target = Target {
        congress: cid.as_str(),
        contest: election.as_str(),
        seats,
    };
    let (hashes, phase) = rt.block_on(cast_all(
        &on_a[1..],
        &papers,
        &forms,
        target,
        7,
        16,
        Duration::ZERO,
        "投票",
    ));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    receipts.extend(
        hashes
            .into_iter()
            .flatten()
            .map(|h| (election.to_string(), h)),
    );
    assert_eq!(
        counts(&st, election.as_str()),
        (DELEGATES as i64, DELEGATES as i64)
    );

    // A logout on A ends the session on B too, even for a copy of the cookie.
    let captured = on_a[1].copy_cookies(&b.base).unwrap();
    assert_eq!(rt.block_on(captured.get_status("/v")).unwrap().0, 200);
    rt.block_on(on_a[1].logout()).expect("logout on A");
    assert_eq!(rt.block_on(captured.get_status("/v")).unwrap().0, 401);
    rt.block_on(on_b[1].login(&card_url(&b.base, 1)))
        .expect("back in on B");

    // Failed card logins count across both servers: 30 wrong ones, alternating; the next
    // wrong one is slowed (429) on either; a right card still logs in on either.
    for i in 0..30 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        let guess = Phone::new(base).unwrap();
        let url = format!("{base}/t/{:0>26}", format!("wrong{i}"));
        assert_eq!(status(rt.block_on(guess.login(&url))), 401, "guess {i}");
    }
    for base in [&a.base, &b.base] {
        let guess = Phone::new(base).unwrap();
        let url = format!("{base}/t/{:0>26}", "wrongagain");
        assert_eq!(status(rt.block_on(guess.login(&url))), 429, "on {base}");
    }
    rt.block_on(on_a[2].login(&card_url(&a.base, 2)))
        .expect("right card on A");
    rt.block_on(on_b[3].login(&card_url(&b.base, 3)))
        .expect("right card on B");

    // A burst through both servers, and A killed in the middle of it.
    let (motion, _) = agenda[1].clone();
    // Delegate 0 through A on the copy of the second device's session.
    let voters: Vec<&Phone> = std::iter::once(&copy)
        .chain(on_a[1..].iter().step_by(2))
        .collect();
    let voters_b: Vec<&Phone> = on_b[2..].iter().step_by(2).collect();
    for p in voters.iter().chain(&voters_b) {
        rt.block_on(p.waiting()).unwrap();
    }
    let mkey = rt
        .block_on(second.contest_key(cid.as_str(), motion.as_str()))
        .unwrap();
    let burst = |phones: Vec<&Phone>| {
        let (papers, phase) = rt.block_on(take_all(&phones, motion.as_str(), &mkey, 16, "领票"));
        assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
        papers
            .into_iter()
            .map(|p| p.unwrap())
            .collect::<Vec<Paper>>()
    };
    let papers_a = burst(voters.clone());
    let papers_b = burst(voters_b.clone());
    let vote = |i: usize| {
        let v = ["for", "against", "abstain"][i % 3];
        serde_json::json!({ "vote": v })
    };
    // (paper, choices, the phone that sends it, through A?)
    let all: Vec<(Paper, serde_json::Value, &Phone, bool)> = papers_a
        .into_iter()
        .zip(&voters)
        .map(|(p, d)| (p, *d, true))
        .chain(
            papers_b
                .into_iter()
                .zip(&voters_b)
                .map(|(p, d)| (p, *d, false)),
        )
        .enumerate()
        .map(|(i, (p, d, via_a))| (p, vote(i), d, via_a))
        .collect();
    let stall = Stall::hold(&st.db, &motion).unwrap();
    let first: Vec<Option<String>> = rt.block_on(async {
        let sends = join_all(all.iter().map(|(paper, m, dev, _)| {
            let (cid, motion) = (&cid, &motion);
            async move {
                dev.cast(cid.as_str(), motion.as_str(), paper, m)
                    .await
                    .ok()
                    .map(|(h, _)| h)
            }
        }));
        let kill = async {
            until_writer_busy(a.pid(), "ballot-box", Duration::from_secs(300))
                .await
                .expect("the burst reaches A's ballot box");
            a.kill9().expect("kill -9 A");
            stall.release().unwrap();
        };
        let (r, ()) = tokio::join!(sends, kill);
        r
    });
    for ((_, _, _, via_a), got) in all.iter().zip(&first) {
        if *via_a {
            assert!(
                got.is_none(),
                "nothing sent to A while stalled was answered"
            );
        }
    }
    // Whoever got no answer sends the same paper and choices to B.
    let mut got = first;
    for _ in 0..3 {
        let again: Vec<Option<String>> = rt.block_on(join_all(all.iter().zip(&got).map(
            |((paper, m, _, _), had)| {
                let (cid, motion, b) = (&cid, &motion, &on_b[0]);
                async move {
                    match had {
                        Some(h) => Some(h.clone()),
                        None => b
                            .cast(cid.as_str(), motion.as_str(), paper, m)
                            .await
                            .ok()
                            .map(|(h, _)| h),
                    }
                }
            },
        )));
        got = again;
    }
    assert!(
        got.iter().all(Option::is_some),
        "every phone has its receipt from B"
    );
    let distinct: BTreeSet<&String> = got.iter().flatten().collect();
    assert_eq!(distinct.len(), all.len(), "one ballot per paper");
    assert_eq!(
        counts(&st, motion.as_str()),
        (all.len() as i64, all.len() as i64)
    );
    receipts.extend(got.into_iter().flatten().map(|h| (motion.to_string(), h)));

    // The last contest entirely on B.
    let (motion2, _) = agenda[2].clone();
    let rest: Vec<&Phone> = std::iter::once(&second).chain(on_b[1..].iter()).collect();
    for p in &rest {
        rt.block_on(p.waiting()).unwrap();
    }
    let key2 = rt
        .block_on(second.contest_key(cid.as_str(), motion2.as_str()))
        .unwrap();
    let (papers, phase) = rt.block_on(take_all(&rest, motion2.as_str(), &key2, 16, "领票"));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    let (forms, phase) = rt.block_on(load_ballots(&rest, cid.as_str(), motion2.as_str(), 16));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    let target = Target {
        congress: cid.as_str(),
        contest: motion2.as_str(),
        seats: None,
    };
    let (hashes, phase) = rt.block_on(cast_all(
        &rest,
        &papers,
        &forms,
        target,
        9,
        16,
        Duration::ZERO,
        "投票",
    ));
    assert_eq!(phase.errors, 0, "{:?}", phase.error_samples);
    receipts.extend(
        hashes
            .into_iter()
            .flatten()
            .map(|h| (motion2.to_string(), h)),
    );
    drop(b);

    let dir = tempfile::tempdir().unwrap();
    let packet = dir.path().join("packet");
    let report = finish(&st, &packet, &receipts, Vec::new(), DELEGATES).expect("certify");
    assert!(report.verified, "{:?}", report.verify_failures);
    assert_eq!(report.receipts_on_board, report.receipts);
    let verify = std::process::Command::new(exe())
        .arg("verify")
        .arg(&packet)
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "congress verify: {}",
        String::from_utf8_lossy(&verify.stdout)
    );
}

both_backends!(two_servers_one_database, |kind: Kind| run(kind));
