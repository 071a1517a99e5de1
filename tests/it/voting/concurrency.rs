//! Exactly once under load, over real HTTP with separate clients.
//!
//! Issue (领票): a lost answer asked again with the same blinded message gets the same blind
//! signature; another blinded message, a second device of the card, or the stale first
//! device gets nothing; twelve requests at once with one blinded message make one roll entry,
//! twelve with different ones issue one paper.
//!
//! Cast (投票): 200 delegates, each with a paper on their first device, then a second device
//! logged in with the same card (which ends the first device's session but not its paper: the
//! box needs no session). All at once, per delegate: the paper with one ballot sent twice (a
//! double tap on two connections) and with another ballot once (a second tab). Exactly one
//! ballot per paper, the same receipt for the same ballot, the other refused, no 5xx; a retry
//! from a third connection gets the same receipt; twelve casts at once with one paper make one
//! ballot. Every receipt's hash is in the ballot box, and only those.

use std::collections::BTreeSet;
use std::time::Instant;

use congress::sim::paper::{Paper, Pending};
use futures_util::future::join_all;

use super::phone::{self, Page, Phone};
use super::*;
use crate::common::Kind;

const DELEGATES: usize = 200;
/// Setup requests in flight at once (login, papers); the submissions all go at once.
const SETUP_PARALLEL: usize = 25;

/// Lets the test process (which is also the server) hold a few thousand sockets even where
/// the default soft limit is 1024.
pub fn raise_open_files_limit() {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < 8192 {
            lim.rlim_cur = lim.rlim_max.min(8192);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

/// Form fields of a ballot's marks.
type Marks = Vec<(String, String)>;

/// The marks of a delegate's first and second ballot (different, both valid).
fn choices(fx: &fixture::Fixture, i: usize) -> (Marks, Marks) {
    let base = ["for", "for", "against", "abstain", "for", "against", "for"];
    let first: Vec<&str> = (0..7).map(|k| base[(k + i) % 7]).collect();
    let second = [
        "abstain", "against", "for", "abstain", "abstain", "against", "abstain",
    ];
    (
        phone::marks(&fx.candidates, &first),
        phone::marks(&fx.candidates, &second),
    )
}

both_backends!(papers_are_issued_exactly_once, |kind: Kind| {
    let app = TestApp::start(kind, "issue_once");
    let fx = fixture::for_app(&app, 4);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let (_, phones) = super::ballots::with_voters(&app, &fx, 4).await;
        let a = &phones[0];
        let key = a.contest_key(&cid, &kid).await;
        let csrf = a.csrf().await;
        let pending = Pending::new(&key).unwrap();
        let (first, paper) = a.ask_paper(&kid, &csrf, &key, &pending).await;
        assert_eq!(first.status, 200, "{}", first.body);
        let paper = paper.unwrap();
        // The answer was lost: the same blinded message again, the same blind signature.
        let (again, same) = a.sharing().ask_paper(&kid, &csrf, &key, &pending).await;
        assert_eq!(again.status, 200);
        assert_eq!(again.json()["blind_sig"], first.json()["blind_sig"]);
        assert_eq!(same.unwrap(), paper);
        // Another blinded message for the same delegate and contest: refused.
        let other = Pending::new(&key).unwrap();
        let (r, none) = a.ask_paper(&kid, &csrf, &key, &other).await;
        assert_eq!((r.status, none), (409, None), "{}", r.body);
        assert!(r.json()["error"].as_str().unwrap().contains("另一台设备"));
        // Without the CSRF token the request does not even reach the issuer.
        let r = a
            .post(
                &format!("/v/{kid}/paper"),
                &[("blinded".into(), pending.blinded_b64())],
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        // A blinded message that is not below n is refused before any roll entry.
        let b = &phones[1];
        let csrf_b = b.csrf().await;
        let too_big =
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, [0xffu8; 256]);
        let r = b
            .post(
                &format!("/v/{kid}/paper"),
                &[("csrf".into(), csrf_b.clone()), ("blinded".into(), too_big)],
            )
            .await;
        assert_eq!(r.status, 400, "{}", r.body);
        assert_eq!(counts(&app, &kid), (0, 1));

        // Twelve requests at once with one blinded message: one entry, twelve equal answers.
        let same = Pending::new(&key).unwrap();
        let clients: Vec<Phone> = (0..12).map(|_| b.sharing()).collect();
        let answers = join_all(
            clients
                .iter()
                .map(|c| c.ask_paper(&kid, &csrf_b, &key, &same)),
        )
        .await;
        let sigs: BTreeSet<String> = answers
            .iter()
            .map(|(p, paper)| {
                assert_eq!(p.status, 200, "{}", p.body);
                assert!(paper.is_some());
                p.json()["blind_sig"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(sigs.len(), 1);
        assert_eq!(counts(&app, &kid), (0, 2));
        // Twelve at once with twelve blinded messages: one paper, eleven refusals.
        let c = &phones[2];
        let csrf_c = c.csrf().await;
        let many: Vec<Pending> = (0..12).map(|_| Pending::new(&key).unwrap()).collect();
        let clients: Vec<Phone> = (0..12).map(|_| c.sharing()).collect();
        let answers = join_all(
            clients
                .iter()
                .zip(&many)
                .map(|(cl, p)| cl.ask_paper(&kid, &csrf_c, &key, p)),
        )
        .await;
        let issued = answers.iter().filter(|(p, _)| p.status == 200).count();
        let refused = answers.iter().filter(|(p, _)| p.status == 409).count();
        assert_eq!((issued, refused), (1, 11));
        assert_eq!(counts(&app, &kid), (0, 3));
    });
});

/// One delegate's devices after the setup.
struct Devices {
    /// The first device, with its paper; its session was ended by the second login.
    first: Phone,
    paper: Paper,
}

async fn set_up(app: &TestApp, fx: &fixture::Fixture, i: usize) -> Devices {
    let card = &fx.cards[i];
    let (cid, kid) = (&fx.congress_id, &fx.election);
    let a = Phone::new(&app.base);
    a.login(&card.token).await;
    let paper = a.take_paper(cid, kid).await;
    let csrf_a = a.csrf().await;
    let b = Phone::new(&app.base);
    let r = b.type_code(&card.code).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The second device cannot take another paper; the first one's session has ended.
    let key = b.contest_key(cid, kid).await;
    let csrf_b = b.csrf().await;
    let (r, none) = b
        .ask_paper(kid, &csrf_b, &key, &Pending::new(&key).unwrap())
        .await;
    assert_eq!((r.status, none.is_none()), (409, true), "{}", r.body);
    let (r, _) = a
        .ask_paper(kid, &csrf_a, &key, &Pending::new(&key).unwrap())
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    Devices { first: a, paper }
}

both_backends!(exactly_once_under_concurrent_submissions, |kind: Kind| {
    let app = TestApp::start(kind, "exactly_once");
    raise_open_files_limit();
    let fx = fixture::for_app(&app, DELEGATES);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let staff = organiser(&app).await;
        // Every delegate scans the card (check-in), then the election opens.
        let first: Vec<Phone> = (0..DELEGATES).map(|_| Phone::new(&app.base)).collect();
        for chunk in first
            .chunks(SETUP_PARALLEL)
            .zip(fx.cards.chunks(SETUP_PARALLEL))
        {
            join_all(chunk.0.iter().zip(chunk.1).map(|(p, c)| p.login(&c.token))).await;
        }
        drop(first);
        let (status, body) = open_contest(&staff, &cid, &kid).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(contest(&app, &kid).issued, Some(DELEGATES as u32));

        let mut delegates = Vec::with_capacity(DELEGATES);
        let indices: Vec<usize> = (0..DELEGATES).collect();
        for chunk in indices.chunks(SETUP_PARALLEL) {
            delegates.extend(join_all(chunk.iter().map(|&i| set_up(&app, &fx, i))).await);
        }
        assert_eq!(counts(&app, &kid), (0, DELEGATES as i64));
        let second_conn: Vec<Phone> = delegates.iter().map(|d| d.first.sharing()).collect();
        let marks: Vec<_> = (0..DELEGATES).map(|i| choices(&fx, i)).collect();

        // All submissions at once: per delegate the paper with the first ballot on two
        // connections, and with the second ballot.
        let started = Instant::now();
        let mut requests = Vec::new();
        for (i, d) in delegates.iter().enumerate() {
            let (m1, m2) = &marks[i];
            requests.push(d.first.cast(&cid, &kid, &d.paper, m1));
            requests.push(second_conn[i].cast(&cid, &kid, &d.paper, m1));
            requests.push(d.first.cast(&cid, &kid, &d.paper, m2));
        }
        let pages: Vec<Page> = join_all(requests).await;
        let elapsed = started.elapsed();

        let server_errors = pages.iter().filter(|p| p.status >= 500).count();
        assert_eq!(server_errors, 0, "5xx responses");
        let mut receipts = BTreeSet::new();
        let (mut first_won, mut second_won) = (0, 0);
        let mut winners = Vec::new();
        for (i, p) in pages.chunks(3).enumerate() {
            let (t1a, t1b, t2) = (&p[0], &p[1], &p[2]);
            let refused = |x: &Page| x.status == 409 && x.body.contains("这张选票已经投出");
            let hash = if t1a.status == 303 || t1b.status == 303 {
                // The first ballot won: both of its submissions get the same receipt.
                assert_eq!((t1a.status, t1b.status), (303, 303), "delegate {}", i + 1);
                assert_eq!(t1a.receipt_hash(), t1b.receipt_hash());
                assert!(refused(t2), "delegate {}: {} {}", i + 1, t2.status, t2.body);
                first_won += 1;
                winners.push(&marks[i].0);
                t1a.receipt_hash()
            } else {
                assert_eq!(t2.status, 303, "delegate {}: nothing accepted", i + 1);
                assert!(refused(t1a) && refused(t1b), "delegate {}", i + 1);
                second_won += 1;
                winners.push(&marks[i].1);
                t2.receipt_hash()
            };
            assert!(receipts.insert(hash.expect("receipt hash")));
        }

        // The accepted ballot sent once more from a third connection: the same receipt.
        let third: Vec<Phone> = delegates.iter().map(|d| d.first.sharing()).collect();
        let retries = join_all(
            third
                .iter()
                .zip(&delegates)
                .zip(&winners)
                .map(|((p, d), m)| p.cast(&cid, &kid, &d.paper, m)),
        )
        .await;
        for (r, expected) in retries.iter().zip(&receipts_in_order(&pages)) {
            assert_eq!(r.status, 303, "{}", r.body);
            assert_eq!(r.receipt_hash().as_ref(), Some(expected));
        }

        assert_eq!(counts(&app, &kid), (DELEGATES as i64, DELEGATES as i64));
        let stored: BTreeSet<String> = stored_ballots(&app, &kid)
            .into_iter()
            .map(|b| b.ballot_hash)
            .collect();
        assert_eq!(
            stored, receipts,
            "every receipt's hash is in the ballot box, and only those"
        );
        println!(
            "exactly once ({kind:?}): {} submissions from {DELEGATES} papers in {:.2?} \
             ({first_won} double-tapped ballots won, {second_won} second-tab ballots won)",
            pages.len(),
            elapsed
        );
    });
});

/// The accepted hash of each delegate, in delegate order.
fn receipts_in_order(pages: &[Page]) -> Vec<String> {
    pages
        .chunks(3)
        .filter_map(|p| p.iter().find_map(Page::receipt_hash))
        .collect()
}

both_backends!(
    twelve_parallel_casts_with_one_paper_make_one_ballot,
    |kind: Kind| {
        let app = TestApp::start(kind, "twelve_casts");
        let fx = fixture::for_app(&app, 3);
        let (cid, kid) = (fx.congress_id.clone(), fx.charter.clone());
        block_on(async {
            let (_, phones) = super::ballots::with_voters(&app, &fx, 3).await;
            let paper = phones[0].take_paper(&cid, &kid).await;
            // Twelve connections (twelve devices the paper was copied to), half voting for, half
            // against, through the JSON cast the simulator uses.
            let clients: Vec<Phone> = (0..12).map(|_| Phone::new(&app.base)).collect();
            let body = |vote: &str| serde_json::json!({"choices":{"vote":vote},"token":paper.token,"token_sig":paper.token_sig});
            let path = format!("/box/{cid}/{kid}/cast");
            let bodies: Vec<serde_json::Value> = (0..12)
                .map(|i| body(if i % 2 == 0 { "for" } else { "against" }))
                .collect();
            let answers = join_all(
                clients
                    .iter()
                    .zip(&bodies)
                    .map(|(c, b)| c.post_json(&path, b)),
            )
            .await;
            let accepted: Vec<&Page> = answers.iter().filter(|p| p.status == 200).collect();
            let hashes: BTreeSet<String> = accepted
                .iter()
                .map(|p| p.json()["ballot_hash"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(hashes.len(), 1, "one ballot");
            assert_eq!(
                accepted.len(),
                6,
                "the six with the winning ballot get its receipt"
            );
            assert_eq!(
                accepted
                    .iter()
                    .filter(|p| p.json()["replayed"] == false)
                    .count(),
                1
            );
            for p in answers.iter().filter(|p| p.status != 200) {
                assert_eq!(p.status, 409, "{}", p.body);
                assert!(p.json()["error"]
                    .as_str()
                    .unwrap()
                    .contains("这张选票已经投出"));
            }
            assert_eq!(counts(&app, &kid), (1, 1));
            // The receipt in the answer is signed and names the ballot.
            let receipt = &accepted[0].json()["receipt"];
            assert_eq!(
                receipt["ballot_hash"].as_str(),
                hashes.iter().next().map(String::as_str)
            );
            // A forged signature (another paper's) is refused before the box.
            let other = phones[1].take_paper(&cid, &kid).await;
            let forged = serde_json::json!({"choices":{"vote":"for"},"token":paper.token,"token_sig":other.token_sig});
            let r = clients[0].post_json(&path, &forged).await;
            assert_eq!(r.status, 400, "{}", r.body);
            assert!(r.json()["error"].as_str().unwrap().contains("签名无效"));
            assert_eq!(counts(&app, &kid), (1, 2));
        });
    }
);

// One batch of each writer holding what concurrent requests put there together: a retry of
// the same paper or ballot, a second device, a spent paper, someone not entitled, another
// contest. The writers' set-based statements (one lookup and one multi-row insert per
// contest) must answer each item as if it had been alone, in the batch's own transaction.
both_backends!(one_batch_answers_each_request_as_if_alone, |kind: Kind| {
    use congress::service::ballot_box::{BoxWriter, Refusal, Submission};
    use congress::service::group_commit::Batch;
    use congress::service::papers::{Issue, IssueRefusal, IssueWriter};
    use congress::storage::write_tx;

    let app = TestApp::start(kind, "one_batch");
    let fx = fixture::for_app(&app, 5);
    let (election, report) = (fx.election.clone(), fx.work_report.clone());
    let d = |no: u32| fx.card(no).delegate.id.clone();
    block_on(async {
        // Delegates 1-4 present when the contests open; 5 is not entitled.
        super::ballots::with_voters(&app, &fx, 4).await;
    });
    let issue = |kid: &str, who: String, blinded: &str| Issue {
        contest_id: kid.into(),
        delegate_id: who.into(),
        blinded_sha256: blinded.repeat(64),
        blind_sig: format!("sig-{blinded}"),
    };
    let items = [
        issue(&election, d(2).into_string(), "b"),
        issue(&election, d(1).into_string(), "a"),
        issue(&election, d(5).into_string(), "e"),
        issue(&election, d(1).into_string(), "a"), // the same request again: the same answer
        issue(&election, d(2).into_string(), "c"), // another device of delegate 2: refused
        issue(&report, d(1).into_string(), "f"), // another contest, the same delegate: its own paper
    ];
    let mut conn = app.db.db.conn().expect("conn");
    let refs: Vec<&Issue> = items.iter().collect();
    let out = write_tx(&mut conn, |c| IssueWriter::store(c, &refs)).expect("batch");
    let sig = |o: &Result<congress::service::papers::Issued, IssueRefusal>| {
        o.clone().map(|i| (i.blind_sig, i.replayed))
    };
    assert_eq!(sig(&out[0]), Ok(("sig-b".to_string(), false)));
    assert_eq!(sig(&out[1]), Ok(("sig-a".to_string(), false)));
    assert_eq!(sig(&out[2]), Err(IssueRefusal::NotEntitled));
    assert_eq!(sig(&out[3]), Ok(("sig-a".to_string(), true)));
    assert_eq!(sig(&out[4]), Err(IssueRefusal::OtherDevice));
    assert_eq!(sig(&out[5]), Ok(("sig-f".to_string(), false)));
    assert_eq!(counts(&app, &election), (0, 2));
    assert_eq!(counts(&app, &report), (0, 1));
    // A later batch sees what this one stored.
    let again = [
        issue(&election, d(2).into_string(), "b"),
        issue(&election, d(3).into_string(), "d"),
    ];
    let refs: Vec<&Issue> = again.iter().collect();
    let out = write_tx(&mut conn, |c| IssueWriter::store(c, &refs)).expect("batch");
    assert_eq!(sig(&out[0]), Ok(("sig-b".to_string(), true)));
    assert_eq!(sig(&out[1]), Ok(("sig-d".to_string(), false)));
    assert_eq!(counts(&app, &election), (0, 3));

    let sub = |kid: &str, token: char, ballot: &str| Submission {
        contest_id: kid.into(),
        token: token.to_string().repeat(128),
        body: format!("{{\"ballot\":\"{ballot}\"}}"),
        ballot_hash: ballot.repeat(64),
        participants: false,
    };
    let subs = [
        sub(&election, '2', "b"),
        sub(&election, '1', "a"),
        sub(&election, '1', "a"), // a double tap: the same receipt
        sub(&election, '2', "c"), // another ballot on the same paper: refused
        sub(&report, '1', "d"),   // the same token in another contest is another paper
    ];
    let refs: Vec<&Submission> = subs.iter().collect();
    let out = write_tx(&mut conn, |c| BoxWriter::store(c, &refs)).expect("batch");
    let hash = |o: &Result<congress::service::ballot_box::Accepted, Refusal>| {
        o.clone().map(|a| (a.ballot_hash, a.replayed))
    };
    assert_eq!(hash(&out[0]), Ok(("b".repeat(64), false)));
    assert_eq!(hash(&out[1]), Ok(("a".repeat(64), false)));
    assert_eq!(hash(&out[2]), Ok(("a".repeat(64), true)));
    assert_eq!(hash(&out[3]), Err(Refusal::TokenSpent));
    assert_eq!(hash(&out[4]), Ok(("d".repeat(64), false)));
    assert_eq!(counts(&app, &election), (2, 3));
    assert_eq!(counts(&app, &report), (1, 1));
    // After the close: a retry still gets its receipt, a new paper's ballot is refused.
    let mut c2 = app.db.db.conn().expect("conn");
    congress::storage::repo::voting::set_closed(
        &mut c2,
        &congress::domain::ids::ContestId::from(election.as_str()),
    )
    .expect("close");
    let late = [sub(&election, '1', "a"), sub(&election, '3', "e")];
    let refs: Vec<&Submission> = late.iter().collect();
    let out = write_tx(&mut conn, |c| BoxWriter::store(c, &refs)).expect("batch");
    assert_eq!(hash(&out[0]), Ok(("a".repeat(64), true)));
    assert_eq!(hash(&out[1]), Err(Refusal::ContestNotOpen));
    assert_eq!(counts(&app, &election), (2, 3));
});
