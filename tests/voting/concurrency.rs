//! Exactly once under load, over real HTTP with separate clients: 200 delegates, each with
//! two devices logged in with the same card (the second login ended the first) and three
//! concurrent submissions from the live device: one ballot sent twice at once (a double tap
//! on two connections sharing the cookies) and a different ballot from a second tab, plus the
//! stale first device trying too. Afterwards a retry of the accepted ballot from a third
//! connection. Exactly one ballot and one roll entry per delegate, no 5xx, every receipt's
//! hash in the ballot box.

use std::collections::BTreeSet;
use std::time::Instant;

use futures_util::future::join_all;

use super::*;
use crate::common::Kind;
use crate::phone::{self, BallotForm, Page, Phone};

const DELEGATES: usize = 200;
/// Setup requests in flight at once (login, forms); the submissions all go at once.
const SETUP_PARALLEL: usize = 25;

/// Lets the test process (which is also the server) hold a few thousand sockets even where
/// the default soft limit is 1024.
fn raise_open_files_limit() {
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

/// One delegate's devices after the setup.
struct Devices {
    /// The first device, whose session the second login ended, with the form it had open.
    stale: (Phone, BallotForm),
    /// The live device with two ballot forms open (two tabs).
    live: Phone,
    tab1: BallotForm,
    tab2: BallotForm,
}

async fn set_up(app: &TestApp, fx: &fixture::Fixture, i: usize) -> Devices {
    let card = &fx.cards[i];
    let a = Phone::new(&app.base);
    a.login(&card.token).await;
    let stale_form = a.ballot(&fx.election).await;
    let b = Phone::new(&app.base);
    let r = b.type_code(&card.code).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let tab1 = b.ballot(&fx.election).await;
    let tab2 = b.ballot(&fx.election).await;
    assert_ne!(
        tab1.ballot_id, tab2.ballot_id,
        "each form has a fresh ballot id"
    );
    Devices {
        stale: (a, stale_form),
        live: b,
        tab1,
        tab2,
    }
}

both_backends!(exactly_once_under_concurrent_submissions, |kind: Kind| {
    let Some(app) = TestApp::start(kind, "exactly_once") else {
        return;
    };
    raise_open_files_limit();
    let fx = fixture::for_app(&app, DELEGATES);
    let (cid, kid) = (fx.congress_id.clone(), fx.election.clone());
    block_on(async {
        let staff = organiser(&app).await;
        // Every delegate's first device scans the card (check-in), then the election opens.
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
        let retry_clients: Vec<Phone> = delegates.iter().map(|d| d.live.sharing()).collect();
        let marks: Vec<_> = (0..DELEGATES).map(|i| choices(&fx, i)).collect();

        // All submissions at once: per delegate the stale device, the first tab twice (two
        // connections), the second tab.
        let started = Instant::now();
        let mut requests = Vec::new();
        for (i, d) in delegates.iter().enumerate() {
            let (m1, m2) = &marks[i];
            requests.push(d.stale.0.cast(&kid, &d.stale.1, m1));
            requests.push(d.live.cast(&kid, &d.tab1, m1));
            requests.push(retry_clients[i].cast(&kid, &d.tab1, m1));
            requests.push(d.live.cast(&kid, &d.tab2, m2));
        }
        let pages: Vec<Page> = join_all(requests).await;
        let elapsed = started.elapsed();

        let server_errors = pages.iter().filter(|p| p.status >= 500).count();
        assert_eq!(server_errors, 0, "5xx responses");
        let mut receipts = BTreeSet::new();
        let (mut tab1_won, mut tab2_won) = (0, 0);
        let mut winners = Vec::new();
        for (i, p) in pages.chunks(4).enumerate() {
            let (stale, t1a, t1b, t2) = (&p[0], &p[1], &p[2], &p[3]);
            assert_eq!(stale.status, 401, "delegate {}", i + 1);
            assert!(stale.body.contains("已在另一台设备上登录"));
            let refused = |x: &Page| x.status == 409 && x.body.contains("您已经在本项投过票");
            let hash = if t1a.status == 303 || t1b.status == 303 {
                // The first tab's ballot won: both of its submissions get the same receipt.
                assert_eq!((t1a.status, t1b.status), (303, 303), "delegate {}", i + 1);
                assert_eq!(t1a.receipt_hash(), t1b.receipt_hash());
                assert!(refused(t2), "delegate {}: {} {}", i + 1, t2.status, t2.body);
                tab1_won += 1;
                winners.push((&delegates[i].tab1, &marks[i].0));
                t1a.receipt_hash()
            } else {
                assert_eq!(t2.status, 303, "delegate {}: nothing accepted", i + 1);
                assert!(refused(t1a) && refused(t1b), "delegate {}", i + 1);
                tab2_won += 1;
                winners.push((&delegates[i].tab2, &marks[i].1));
                t2.receipt_hash()
            };
            assert!(receipts.insert(hash.expect("receipt hash")));
        }

        // The accepted ballot sent once more from a third connection: the same receipt.
        let third: Vec<Phone> = delegates.iter().map(|d| d.live.sharing()).collect();
        let retries = join_all(
            third
                .iter()
                .zip(&winners)
                .map(|(p, (form, m))| p.cast(&kid, form, m)),
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
            "exactly once ({kind:?}): {} submissions from {DELEGATES} delegates in {:.2?} \
             ({tab1_won} double-tapped ballots won, {tab2_won} second-tab ballots won)",
            pages.len(),
            elapsed
        );
    });
});

/// The accepted hash of each delegate, in delegate order.
fn receipts_in_order(pages: &[Page]) -> Vec<String> {
    pages
        .chunks(4)
        .filter_map(|p| p[1..].iter().find_map(Page::receipt_hash))
        .collect()
}
