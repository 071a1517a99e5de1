//! Textbook allocations (ratio 0, no minimum) checked against independent implementations.
//! Realistic Chinese cases, errors and the JSON shape are in `tests/university.rs`; properties
//! (random inputs) in `tests/props.rs`.

mod props;
mod university;

use super::*;

/// `(name, enrolment)` pairs as the importer hands them over.
pub(super) fn cols(rows: &[(&str, i64)]) -> Vec<(String, i64)> {
    rows.iter().map(|(n, e)| (n.to_string(), *e)).collect()
}

/// Ratio 0 and no minimum seat: the textbook methods on their own.
pub(super) fn plain(method: QuotaMethod, total: u64) -> QuotaParams {
    QuotaParams {
        ratio_bp: 0,
        min_seats: 0,
        total: Some(total),
        method,
    }
}

pub(super) fn quotas(a: &Allocation) -> Vec<u64> {
    a.colleges.iter().map(|c| c.quota).collect()
}

/// Independent check of a divisor method: find a divisor λ by bisection such that the
/// seats max(m_i, #{s >= 0 : e_i / d(s) > λ}) add up to `total` (floats). `None` when a tie
/// at the last seat leaves no such divisor.
pub(super) fn by_bisection(
    method: QuotaMethod,
    e: &[u64],
    mins: &[u64],
    total: u64,
) -> Option<Vec<u64>> {
    let d = |s: u64| -> f64 {
        match method {
            QuotaMethod::Dhondt => s as f64 + 1.0,
            QuotaMethod::Webster => s as f64 + 0.5,
            QuotaMethod::HuntingtonHill => ((s * (s + 1)) as f64).sqrt(),
            QuotaMethod::Hamilton => panic!("not a divisor method"),
        }
    };
    let seats_at = |lambda: f64| -> Vec<u64> {
        e.iter()
            .zip(mins)
            .map(|(&v, &m)| {
                let mut k = 0;
                while k <= total && v as f64 / d(k) > lambda {
                    k += 1;
                }
                k.max(m)
            })
            .collect()
    };
    let (mut lo, mut hi) = (1e-6_f64, 1e12_f64);
    for _ in 0..300 {
        let mid = (lo * hi).sqrt();
        let s = seats_at(mid);
        let sum: u64 = s.iter().sum();
        match sum.cmp(&total) {
            std::cmp::Ordering::Equal => return Some(s),
            std::cmp::Ordering::Greater => lo = mid,
            std::cmp::Ordering::Less => hi = mid,
        }
    }
    None // a tie: no divisor separates the last seat
}

/// Independent textbook Hamilton in floats: integer parts, then the largest fractions.
fn hamilton_by_floats(e: &[u64], total: u64) -> Vec<u64> {
    let sum: u64 = e.iter().sum();
    let q: Vec<f64> = e
        .iter()
        .map(|&v| total as f64 * v as f64 / sum as f64)
        .collect();
    let mut seats: Vec<u64> = q.iter().map(|x| x.floor() as u64).collect();
    let mut idx: Vec<usize> = (0..e.len()).collect();
    idx.sort_by(|&a, &b| (q[b] - q[b].floor()).total_cmp(&(q[a] - q[a].floor())));
    let left = total - seats.iter().sum::<u64>();
    for &i in idx.iter().take(left as usize) {
        seats[i] += 1;
    }
    seats
}

#[test]
fn hamilton_textbook_largest_remainder() {
    // Wikipedia "Largest remainder method", Hare quota: 100,000 votes, 10 seats, quota 10,000.
    // Quotas 4.70 1.60 1.58 1.20 0.61 0.31 -> integer parts 4 1 1 1 0 0 (7 seats); the three
    // left go to the largest remainders .70 (A), .61 (E), .60 (B): 5 2 1 1 1 0.
    let votes = [47_000, 16_000, 15_800, 12_000, 6_100, 3_100];
    let rows: Vec<(String, i64)> = (0..6)
        .map(|i| (format!("党派{i}"), votes[i] as i64))
        .collect();
    let a = allocate(&rows, &plain(QuotaMethod::Hamilton, 10)).unwrap();
    assert_eq!(quotas(&a), [5, 2, 1, 1, 1, 0]);
    assert_eq!(quotas(&a), hamilton_by_floats(&votes, 10));
    assert_eq!(a.total, 10);
    assert!((a.colleges[0].share - 4.7).abs() < 1e-12);
}

#[test]
fn dhondt_textbook() {
    // Wikipedia "D'Hondt method": 100,000 / 80,000 / 30,000 / 20,000 votes, 8 seats.
    // Quotients v/1, v/2, ...: 100000 A, 80000 B, 50000 A, 40000 B, 33333 A, 30000 C,
    // 26667 B, 25000 A are the 8 largest (next: 20000 A/B/D) -> 4 3 1 0.
    let votes = [100_000, 80_000, 30_000, 20_000];
    let rows = cols(&[("A", 100_000), ("B", 80_000), ("C", 30_000), ("D", 20_000)]);
    let a = allocate(&rows, &plain(QuotaMethod::Dhondt, 8)).unwrap();
    assert_eq!(quotas(&a), [4, 3, 1, 0]);
    assert_eq!(
        quotas(&a),
        by_bisection(QuotaMethod::Dhondt, &votes, &[0; 4], 8).unwrap()
    );
}

#[test]
fn sainte_lague_textbook() {
    // Same votes, divisors 1, 3, 5, 7 (s + 1/2 scaled by 2): 100000 A, 80000 B, 33333 A,
    // 30000 C, 26667 B, 20000 A, 20000 D, 16000 B are the 8 largest (next: 14286 A)
    // -> 3 3 1 1 (Wikipedia "Sainte-Laguë method").
    let votes = [100_000, 80_000, 30_000, 20_000];
    let rows = cols(&[("A", 100_000), ("B", 80_000), ("C", 30_000), ("D", 20_000)]);
    let a = allocate(&rows, &plain(QuotaMethod::Webster, 8)).unwrap();
    assert_eq!(quotas(&a), [3, 3, 1, 1]);
    assert_eq!(
        quotas(&a),
        by_bisection(QuotaMethod::Webster, &votes, &[0; 4], 8).unwrap()
    );
}

#[test]
fn huntington_hill_us_house_2010_first_seats() {
    // Wikipedia "Huntington–Hill method": after the 2010 census every state has one seat;
    // seat 51 goes to California, 52 to Texas, 53 to California, 54 to New York.
    // Apportionment populations and priorities P / sqrt(n(n+1)):
    //   CA 37,341,989: n=1 26,404,774  n=2 15,244,803  n=3 10,779,704
    //   TX 25,268,418: n=1 17,867,470  n=2 10,315,788
    //   NY 19,421,055: n=1 13,732,760  n=2  7,928,613
    //   FL 18,900,773: n=1 13,364,865
    // With these four states at one seat each, seats 5-8 are CA, TX, CA, NY (3 2 2 1) and
    // seat 9 is Florida's (13,364,865 beats CA's 10,779,704).
    let pop = [37_341_989, 25_268_418, 19_421_055, 18_900_773];
    let rows = cols(&[
        ("California", 37_341_989),
        ("Texas", 25_268_418),
        ("New York", 19_421_055),
        ("Florida", 18_900_773),
    ]);
    let mut p = plain(QuotaMethod::HuntingtonHill, 8);
    p.min_seats = 1;
    let a = allocate(&rows, &p).unwrap();
    assert_eq!(quotas(&a), [3, 2, 2, 1]);
    assert_eq!(
        quotas(&a),
        by_bisection(p.method, &pop, &[1; 4], 8).unwrap()
    );
    p.total = Some(9);
    assert_eq!(quotas(&allocate(&rows, &p).unwrap()), [3, 2, 2, 2]);
}

#[test]
fn huntington_hill_gives_every_college_a_first_seat() {
    // d(0) = 0: a college without a seat has infinite priority, so with 3 seats each of the
    // three gets one (even the smallest). Then A's 7000/√2 = 4949.7, 7000/√6 = 2857.7,
    // 7000/√12 = 2020.7, 7000/√20 = 1565.2 all beat B's 2000/√2 = 1414.2, which takes seat 8.
    let rows = cols(&[("A", 7000), ("B", 2000), ("C", 1000)]);
    let hh = |t| quotas(&allocate(&rows, &plain(QuotaMethod::HuntingtonHill, t)).unwrap());
    assert_eq!(hh(2), [1, 1, 0]);
    assert_eq!(hh(3), [1, 1, 1]);
    assert_eq!(hh(7), [5, 1, 1]);
    assert_eq!(hh(8), [5, 2, 1]);
    let text = allocate(&rows, &plain(QuotaMethod::HuntingtonHill, 2)).unwrap();
    assert!(text.colleges[2].explanation.contains("下一席商数无穷大"));
}

#[test]
fn dhondt_tie_goes_to_larger_enrolment() {
    // Quotients: A 7000 3500 2333.3 1750 1400 1166.7 1000; B 2000 1000; C 1000.
    // Seven seats go above 1000; the 8th is a three-way tie at 1000 (A's 7th, B's 2nd,
    // C's 1st): the larger enrolment, A, wins -> 7 1 0.
    let rows = cols(&[("C", 1000), ("B", 2000), ("A", 7000)]);
    let a = allocate(&rows, &plain(QuotaMethod::Dhondt, 8)).unwrap();
    assert_eq!(quotas(&a), [0, 1, 7]);
    assert!(a.colleges[2].explanation.contains("按平局规则优先获得"));
    assert!(a.colleges[0].explanation.contains("按平局规则未获得"));
    assert!(a.colleges[1].explanation.contains("按平局规则未获得"));
    // Equal enrolments: the earlier college wins.
    let rows = cols(&[("甲学院", 500), ("乙学院", 500)]);
    let a = allocate(&rows, &plain(QuotaMethod::Dhondt, 3)).unwrap();
    assert_eq!(quotas(&a), [2, 1]);
    assert_eq!(a.tie_break, TIE_BREAK);
}

#[test]
fn hamilton_tie_goes_to_larger_enrolment() {
    // E = 1200, T = 4: quotas 4 x 100 / 1200 = 0 r 400, 4 x 400 / 1200 = 1 r 400,
    // 4 x 700 / 1200 = 2 r 400. Integer parts 3; the last seat is a three-way tie on the
    // remainder 400/1200, won by the largest college -> 0 1 3.
    let rows = cols(&[("新闻学院", 100), ("法学院", 400), ("商学院", 700)]);
    let a = allocate(&rows, &plain(QuotaMethod::Hamilton, 4)).unwrap();
    assert_eq!(quotas(&a), [0, 1, 3]);
    assert!(a.colleges[0].explanation.contains("按平局规则决定"));
    // Equal enrolments: the earlier college wins.
    let rows = cols(&[("甲学院", 500), ("乙学院", 500)]);
    let run = |t| quotas(&allocate(&rows, &plain(QuotaMethod::Hamilton, t)).unwrap());
    assert_eq!((run(1), run(3)), (vec![1, 0], vec![2, 1]));
}

#[test]
fn hamilton_shows_the_alabama_paradox_dhondt_does_not() {
    // Enrolments 600, 600, 200. T = 10: quotas 4.286 4.286 1.429 -> 4 4 2.
    // T = 11: quotas 4.714 4.714 1.571 -> 5 5 1: the small college loses a seat.
    let rows = cols(&[("甲", 600), ("乙", 600), ("丙", 200)]);
    let run = |m, t| quotas(&allocate(&rows, &plain(m, t)).unwrap());
    assert_eq!(run(QuotaMethod::Hamilton, 10), [4, 4, 2]);
    assert_eq!(run(QuotaMethod::Hamilton, 11), [5, 5, 1]);
    for m in [
        QuotaMethod::Dhondt,
        QuotaMethod::Webster,
        QuotaMethod::HuntingtonHill,
    ] {
        let (a, b) = (run(m, 10), run(m, 11));
        assert!(
            a.iter().zip(&b).all(|(x, y)| x <= y),
            "{m:?}: {a:?} -> {b:?}"
        );
    }
}
