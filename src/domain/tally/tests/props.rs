//! Properties of the tally over random contests: order of ballots does not matter, every
//! ballot is counted once, nobody gets in below the threshold.

use proptest::prelude::*;

use super::*;

/// Write-in names a ballot may carry: two fine ones, a listed candidate's name (废票) and an
/// untrimmed one (废票, the board's spelling must be canonical).
const WRITE_INS: [&str; 4] = ["赵敏", "孙强", "王芳", " 周婷"];

fn arb_threshold() -> impl Strategy<Value = Threshold> {
    let base = prop_oneof![
        Just(ThresholdBase::Present),
        Just(ThresholdBase::ValidBallots),
        Just(ThresholdBase::Roster)
    ];
    let fraction = prop_oneof![
        Just(Fraction::new(1, 2, true)),
        Just(Fraction::new(2, 3, false)),
        Just(Fraction::new(1, 3, true)),
        Just(Fraction::new(0, 1, false)),
    ];
    (base, fraction).prop_map(|(base, fraction)| Threshold { base, fraction })
}

/// One ballot for `n` candidates: marks, sometimes a candidate dropped (废票), some write-ins.
fn arb_ballot(n: usize) -> impl Strategy<Value = Choices> {
    let marks = proptest::collection::vec(0..3usize, n);
    let drop = proptest::option::weighted(0.05, 0..n.max(1));
    let write_ins = proptest::sample::subsequence(WRITE_INS.to_vec(), 0..=2);
    let motion = proptest::bool::weighted(0.03);
    (marks, drop, write_ins, motion).prop_map(move |(marks, drop, write_ins, motion)| {
        if motion {
            return Choices::Motion { vote: Mark::For };
        }
        let pattern: String = marks.iter().map(|&m| ['F', 'A', '-'][m]).collect();
        let mut c = ballot(&pattern, &write_ins);
        if let (Some(i), Choices::Election { marks, .. }) = (drop, &mut c) {
            marks.remove(&format!("c{}", i + 1));
        }
        c
    })
}

prop_compose! {
    fn arb_election()(seats in 1..=4u32, n in 1..=6usize)(
        seats in Just(seats),
        n in Just(n),
        allow_write_in in any::<bool>(),
        vacant in any::<bool>(),
        threshold in arb_threshold(),
        ballots in proptest::collection::vec(arb_ballot(n), 0..80),
        slack in -3i64..15,
        absent in 0..30u64,
    ) -> (ElectionSpec, Turnout, Vec<Choices>) {
        let spec = ElectionSpec {
            allow_write_in,
            threshold,
            tie_rule: if vacant { TieRule::Vacant } else { TieRule::Runoff },
            ..election(seats, n)
        };
        let issued = (ballots.len() as i64 + slack).max(0) as u64;
        (spec, Turnout { issued, roster: issued + absent }, ballots)
    }
}

fn arb_motion_ballots() -> impl Strategy<Value = Vec<Choices>> {
    let one = prop_oneof![
        10 => prop_oneof![Just(Mark::For), Just(Mark::Against), Just(Mark::Abstain)]
            .prop_map(|vote| Choices::Motion { vote }),
        1 => Just(ballot("F", &[])),
    ];
    proptest::collection::vec(one, 0..200)
}

/// The ballots as distinct choices with their counts (what the verifier hands the tally).
fn weighted(ballots: &[Choices]) -> Vec<(Choices, u64)> {
    let mut out: Vec<(Choices, u64)> = Vec::new();
    for b in ballots {
        match out.iter_mut().find(|(c, _)| c == b) {
            Some((_, n)) => *n += 1,
            None => out.push((b.clone(), 1)),
        }
    }
    out
}

proptest! {
    #[test]
    fn weighted_counts_give_the_same_result(
        (spec, turnout, ballots) in arb_election(),
        motions in arb_motion_ballots(),
    ) {
        let spec = ContestSpec::Election(spec);
        prop_assert_eq!(
            tally_weighted(&spec, turnout, &weighted(&ballots)),
            tally(&spec, turnout, &ballots)
        );
        let motion = ContestSpec::Motion(MotionSpec { threshold: Threshold::ORDINARY });
        prop_assert_eq!(
            tally_weighted(&motion, turnout, &weighted(&motions)),
            tally(&motion, turnout, &motions)
        );
    }

    #[test]
    fn result_does_not_depend_on_ballot_order(
        (case, shuffled) in arb_election().prop_flat_map(|(spec, turnout, ballots)| {
            let shuffled = Just(ballots.clone()).prop_shuffle();
            (Just((spec, turnout, ballots)), shuffled)
        })
    ) {
        let (spec, turnout, ballots) = case;
        let spec = ContestSpec::Election(spec);
        prop_assert_eq!(tally(&spec, turnout, &ballots), tally(&spec, turnout, &shuffled));
    }

    #[test]
    fn every_ballot_is_counted_once_and_nobody_gets_in_below_the_threshold(
        (spec, turnout, ballots) in arb_election()
    ) {
        let r = run(&spec, turnout.issued, turnout.roster, &ballots);
        prop_assert_eq!(r.cast, ballots.len() as u64);
        prop_assert_eq!(r.valid + r.invalid, r.cast);
        prop_assert_eq!(r.invalid_reasons.values().sum::<u64>(), r.invalid);
        prop_assert_eq!(r.void, r.cast > r.issued);
        let th = r.threshold.clone();
        prop_assert_eq!(th.min_for, th.fraction.min_count(th.base_figure).max(1));
        let e = detail(&r);
        for c in &e.candidates {
            prop_assert_eq!(c.votes.total(), r.valid);
        }
        prop_assert!(e.elected.len() <= spec.seats as usize);
        for who in &e.elected {
            prop_assert!(who.for_votes >= th.min_for);
            prop_assert!(th.fraction.met(who.for_votes, th.base_figure));
        }
        // Every seat is either filled or accounted for by a proposal or the tie rule.
        prop_assert_eq!(e.unfilled as usize, spec.seats as usize - e.elected.len());
        if r.void {
            prop_assert!(e.elected.is_empty() && e.runoff.is_none() && e.supplementary.is_none());
        } else {
            let runoff = e.runoff.as_ref().map_or(0, |x| x.seats);
            let supp = e.supplementary.as_ref().map_or(0, |x| x.seats);
            prop_assert_eq!(e.unfilled, runoff + supp + e.vacant);
        }
        if let Some(x) = &e.runoff {
            // The tied are more than the seats they contest, and all have the same votes.
            prop_assert!(x.candidates.len() > x.seats as usize);
            prop_assert!(x.candidates.iter().all(|c| c.for_votes == x.candidates[0].for_votes));
        }
        if let Some(x) = &e.supplementary {
            prop_assert_eq!(x.sufficient, x.candidates.len() >= x.required as usize);
            prop_assert!(x.candidates.iter().all(|c| c.id.is_some()));
            prop_assert!(x.candidates.windows(2).all(|w| w[0].for_votes >= w[1].for_votes));
        }
    }

    #[test]
    fn motion_counts_sum_to_valid(
        ballots in arb_motion_ballots(),
        slack in -3i64..10,
        threshold in arb_threshold(),
    ) {
        let issued = (ballots.len() as i64 + slack).max(0) as u64;
        let spec = ContestSpec::Motion(MotionSpec { threshold });
        let r = tally(&spec, Turnout { issued, roster: issued + 5 }, &ballots);
        let ContestDetail::Motion(m) = &r.detail else {
            return Err(TestCaseError::fail("expected a motion result"));
        };
        prop_assert_eq!(m.votes.total(), r.valid);
        prop_assert_eq!(r.valid + r.invalid, r.cast);
        prop_assert_eq!(
            m.passed,
            !r.void && m.votes.for_votes >= 1
                && r.threshold.fraction.met(m.votes.for_votes, r.threshold.base_figure)
        );
    }
}
