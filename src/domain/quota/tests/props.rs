//! Properties of every method on random colleges: minimums, totals, quota rule, house
//! monotonicity, order independence and the divisor-method inequality.

use proptest::prelude::*;

use super::super::*;
use super::by_bisection;

fn method() -> impl Strategy<Value = QuotaMethod> {
    prop::sample::select(QuotaMethod::ALL.to_vec())
}

fn divisor_method() -> impl Strategy<Value = QuotaMethod> {
    prop::sample::select(vec![
        QuotaMethod::Dhondt,
        QuotaMethod::Webster,
        QuotaMethod::HuntingtonHill,
    ])
}

fn named(e: &[u64]) -> Vec<(String, i64)> {
    e.iter()
        .enumerate()
        .map(|(i, &v)| (format!("第{i}学院"), v as i64))
        .collect()
}

/// Random settings with a total between the sum of the minimums and the enrolment.
fn case() -> impl Strategy<Value = (Vec<u64>, QuotaParams)> {
    (
        prop::collection::vec(3u64..5000, 1..12),
        0u32..500,
        0u32..=3,
        method(),
        0u64..300,
    )
        .prop_map(|(e, ratio_bp, min_seats, method, extra)| {
            let mut p = QuotaParams {
                ratio_bp,
                min_seats,
                total: None,
                method,
            };
            let sum_min: u64 = e.iter().map(|&v| p.minimum(v)).sum();
            let enrol: u64 = e.iter().sum();
            p.total = Some((sum_min + extra).min(enrol));
            (e, p)
        })
}

fn quotas(a: &Allocation) -> Vec<u64> {
    a.colleges.iter().map(|c| c.quota).collect()
}

proptest! {
    #[test]
    fn minimum_kept_total_preserved_enrolment_respected((e, p) in case()) {
        let a = allocate(&named(&e), &p).unwrap();
        prop_assert_eq!(a.total, p.total.unwrap());
        prop_assert_eq!(quotas(&a).iter().sum::<u64>(), a.total);
        prop_assert!(a.total >= a.congress_minimum);
        for (c, &v) in a.colleges.iter().zip(&e) {
            prop_assert_eq!(c.minimum, p.minimum(v));
            prop_assert!(c.quota >= c.minimum, "{} below minimum", c.college);
            prop_assert!(c.quota <= v, "{} above enrolment", c.college);
        }
    }

    #[test]
    fn without_total_every_college_gets_its_minimum((e, mut p) in case()) {
        p.total = None;
        let a = allocate(&named(&e), &p).unwrap();
        for c in &a.colleges {
            prop_assert_eq!(c.quota, c.minimum);
        }
        prop_assert_eq!(a.total, a.sum_of_minimums);
        prop_assert!(a.sum_of_minimums >= a.congress_minimum);
    }

    #[test]
    fn hamilton_stays_within_the_quota(e in prop::collection::vec(1u64..5000, 1..12), t in 0u64..400) {
        // Without minimums every quota is the floor or the ceiling of T x e_i / E.
        let total_e: u64 = e.iter().sum();
        let t = t.min(total_e);
        let p = QuotaParams { ratio_bp: 0, min_seats: 0, total: Some(t), method: QuotaMethod::Hamilton };
        let a = allocate(&named(&e), &p).unwrap();
        for (c, &v) in a.colleges.iter().zip(&e) {
            let floor = t * v / total_e;
            let ceil = (t * v).div_ceil(total_e);
            prop_assert!(c.quota == floor || c.quota == ceil, "{}: {} not in [{floor}, {ceil}]", c.college, c.quota);
        }
    }

    #[test]
    fn divisor_methods_are_house_monotone((e, mut p) in case(), m in divisor_method()) {
        p.method = m;
        let t = p.total.unwrap();
        let enrol: u64 = e.iter().sum();
        prop_assume!(t < enrol);
        let before = quotas(&allocate(&named(&e), &p).unwrap());
        p.total = Some(t + 1);
        let after = quotas(&allocate(&named(&e), &p).unwrap());
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(b <= a, "{:?} -> {:?}", before, after);
        }
    }

    #[test]
    fn permuting_colleges_permutes_quotas(
        (e, p) in case(),
        seed in any::<u64>(),
    ) {
        // Distinct enrolments make every tie decided by enrolment, never by position.
        let mut e = e;
        e.sort_unstable();
        e.dedup();
        let rows = named(&e);
        let mut shuffled = rows.clone();
        // A simple deterministic shuffle (Fisher-Yates driven by an LCG on `seed`).
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let mut p = p;
        let sum_min: u64 = e.iter().map(|&v| p.minimum(v)).sum();
        p.total = p.total.map(|t| t.clamp(sum_min, e.iter().sum()));
        let a = allocate(&rows, &p).unwrap();
        let b = allocate(&shuffled, &p).unwrap();
        for c in &b.colleges {
            let orig = a.colleges.iter().find(|x| x.college == c.college).unwrap();
            prop_assert_eq!(orig.quota, c.quota);
        }
    }

    #[test]
    fn divisor_allocation_satisfies_the_min_max_inequality((e, mut p) in case(), m in divisor_method()) {
        // A divisor apportionment with lower bounds: every seat above a minimum was worth at
        // least as much as any seat not given, min_{s_i > m_i} e_i/d(s_i - 1) >= max_j e_j/d(s_j).
        p.method = m;
        let a = allocate(&named(&e), &p).unwrap();
        let d = |s: u64| match m {
            QuotaMethod::Dhondt => s as f64 + 1.0,
            QuotaMethod::Webster => s as f64 + 0.5,
            _ => ((s * (s + 1)) as f64).sqrt(),
        };
        let worst_in = a.colleges.iter().zip(&e)
            .filter(|(c, _)| c.quota > c.minimum)
            .map(|(c, &v)| v as f64 / d(c.quota - 1))
            .fold(f64::INFINITY, f64::min);
        let best_out = a.colleges.iter().zip(&e)
            .map(|(c, &v)| v as f64 / d(c.quota))
            .fold(0.0, f64::max);
        prop_assert!(worst_in >= best_out * (1.0 - 1e-12), "{worst_in} < {best_out}");
    }

    #[test]
    fn divisor_methods_match_bisection_without_ties(e in prop::collection::btree_set(1u64..100_000, 1..8), t in 0u64..60, m in divisor_method()) {
        // Large distinct enrolments make exact ties between quotients unlikely; skip the rare
        // case where bisection cannot separate them.
        let e: Vec<u64> = e.into_iter().collect();
        // T may not exceed the total enrolment (allocate refuses it: TotalAboveEnrolment).
        let t = t.min(e.iter().sum());
        let p = QuotaParams { ratio_bp: 0, min_seats: 0, total: Some(t), method: m };
        let a = allocate(&named(&e), &p).unwrap();
        let check = by_bisection(m, &e, &vec![0; e.len()], t);
        prop_assume!(check.is_some());
        prop_assert_eq!(Some(quotas(&a)), check);
    }
}
