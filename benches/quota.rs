//! Quota allocation for 1,000 colleges with T = 10 x the sum of the minimums, per method.

use std::hint::black_box;

use congress::domain::quota::{allocate, QuotaParams};
use congress::domain::settings::QuotaMethod;
use criterion::{criterion_group, criterion_main, Criterion};

/// 1,000 colleges of 50 to 5,049 students (a fixed pseudo-random spread, xorshift).
fn colleges() -> Vec<(String, i64)> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..1000)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (format!("第{i}学院"), 50 + (x % 5_000) as i64)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let rows = colleges();
    let base = QuotaParams::default();
    let sum_min = allocate(&rows, &base)
        .map(|a| a.sum_of_minimums)
        .unwrap_or(0);
    let mut group = c.benchmark_group("quota_1000_colleges");
    for method in QuotaMethod::ALL {
        let params = QuotaParams {
            total: Some(10 * sum_min),
            method,
            ..base
        };
        let a = allocate(&rows, &params).expect("allocation");
        println!("{}: T = {}, E = {}", method.as_str(), a.total, a.enrolment);
        group.bench_function(method.as_str(), |b| {
            b.iter(|| allocate(black_box(&rows), black_box(&params)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
