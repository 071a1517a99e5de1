//! The count at scale: building a board (parse, hash, sort, RFC 6962 root), the Merkle root
//! alone, the tally of the board's choices, the whole count-and-sign (board + tally + signed
//! record), and verifying a packet, at 10^4, 10^5 and 10^6 ballots of a presidium election
//! (5 seats, 7 candidates, over-voted ballots and write-ins among them).
//! Run: `cargo bench --bench results` (set `RESULTS_SIZES=10000,100000` to choose sizes).
//! Every ballot is signed; the signed papers are made once and cached under
//! `target/verify-million/` (see `tests/it/packet/fixture.rs`, `cached_papers`).

#[path = "../tests/it/packet/fixture.rs"]
mod fixture;

use std::hint::black_box;

use congress::crypto::merkle;
use congress::domain::tally::tally_weighted;
use congress::packet::{
    build_board, contest_spec, count_board, sign_record, turnout, verify_packet, write_packet,
};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

fn sizes() -> Vec<u64> {
    std::env::var("RESULTS_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

fn bench(c: &mut Criterion) {
    for n in sizes() {
        let fx = fixture::build_with(
            fixture::Size {
                seed: 7,
                election_cast: n,
                motion_cast: 0,
            },
            fixture::cached_papers,
        );
        let rc = fx
            .record
            .contests
            .iter()
            .find(|c| c.id == "presidium")
            .expect("election")
            .clone();
        let bodies = fx.bodies["presidium"].clone();
        let facts = fx.facts["presidium"].clone();
        let built =
            build_board(&fx.record.congress.id, &rc.id, &facts, bodies.clone()).expect("board");
        let spec = contest_spec(&rc, &fx.record.settings).expect("spec");
        let dir = tempfile::tempdir().expect("tmp");
        let packet = dir.path().join("packet");
        write_packet(&packet, &fx.contents).expect("packet");
        assert!(verify_packet(&packet, None).all_ok());

        let mut g = c.benchmark_group(format!("count_{n}"));
        g.sample_size(10);
        g.bench_function("board: parse, hash, sort, merkle root", |b| {
            b.iter_batched(
                || bodies.clone(),
                |bodies| {
                    build_board(&fx.record.congress.id, &rc.id, &facts, bodies).expect("board")
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function("merkle root of the ballot hashes", |b| {
            b.iter(|| merkle::root(black_box(&built.hashes)))
        });
        g.bench_function("tally (count the board's choices)", |b| {
            b.iter(|| tally_weighted(&spec, turnout(&rc), black_box(&built.choices)))
        });
        g.bench_function("count and certify: board + tally + signed record", |b| {
            b.iter_batched(
                || bodies.clone(),
                |bodies| {
                    let counted =
                        count_board(&fx.record.congress.id, &rc.id, &facts, bodies).expect("board");
                    let result = tally_weighted(&spec, turnout(&rc), &counted.choices);
                    let mut record = fx.record.clone();
                    record.contests[0].result = result;
                    sign_record(&fx.key, &record).expect("sign")
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function("verify the packet (congress verify)", |b| {
            b.iter(|| verify_packet(black_box(&packet), None))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
