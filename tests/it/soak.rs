//! The soak run at small scale (`congress bench --soak`, `sim::soak`): 50 delegates, three
//! contests in a row (an election marked so that three candidates tie, the runoff its count
//! proposes, then a motion), with check-outs and check-ins, reconnecting and re-logging
//! phones, the projector and the public board polled all along, against `congress serve` as
//! its own process. Asserts what must hold at any scale: no error of any kind, every receipt
//! on the board, the packet verifies. Never the time, nor the memory.

use crate::common;

use std::path::PathBuf;

use common::Kind;
use congress::sim::soak::{run, Options};

fn soak(kind: Kind) {
    let _pg = match kind {
        Kind::Sqlite => None,
        Kind::Postgres => Some(common::test_db(Kind::Postgres, "soak")),
    };
    let r = run(&Options {
        delegates: 50,
        contests: 3,
        concurrency: 50,
        database_url: _pg.as_ref().map(|t| t.url.clone()),
        seed: 4,
        out: None,
        exe: Some(PathBuf::from(env!("CARGO_BIN_EXE_congress"))),
    })
    .expect("soak run");
    congress::sim::soak::print(&r);
    assert_eq!(r.errors(), 0, "no errors (see the table above)");
    assert!(r.run.receipts > 0);
    assert_eq!(r.run.receipts_on_board, r.run.receipts);
    assert!(r.run.verified, "{:?}", r.run.verify_failures);
    let kinds: Vec<&str> = r.contests.iter().map(|c| c.kind).collect();
    assert_eq!(kinds.len(), 3);
    assert_eq!(
        &kinds[..2],
        ["选举", "再次投票"],
        "the tie proposes a runoff"
    );
    let churn = |f: fn(&congress::sim::soak_churn::Churn) -> usize| -> usize {
        r.contests.iter().map(|c| f(&c.churn)).sum()
    };
    assert!(
        churn(|c| c.checked_out) >= 3,
        "delegates left between contests"
    );
    assert!(churn(|c| c.checked_in) >= 1, "and came back");
    assert!(churn(|c| c.reconnected) >= 3 && churn(|c| c.relogged) >= 3);
    assert!(
        r.polls.requests > 0,
        "the projector and the board were polled"
    );
    assert!(!r.rss.is_empty(), "the server's RSS was sampled");
    let expected: usize = r.contests.iter().map(|c| c.voters).sum();
    assert_eq!(r.run.receipts, expected, "every paper issued was cast");
}

both_backends!(soak_small, |kind: Kind| soak(kind));
