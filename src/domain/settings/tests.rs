//! The settings: fractions, minimums, and only what the rules allow (issue 12.3).

use super::*;

#[test]
fn fraction_strict_and_inclusive() {
    let half = Fraction::new(1, 2, true);
    assert!(!half.met(50, 100));
    assert!(half.met(51, 100));
    assert_eq!(half.min_count(100), 51);
    assert_eq!(half.min_count(99), 50);
    let two_thirds = Fraction::new(2, 3, false);
    assert!(two_thirds.met(200, 300));
    assert!(!two_thirds.met(199, 300));
    assert_eq!(two_thirds.min_count(300), 200);
    assert_eq!(two_thirds.min_count(301), 201);
}

#[test]
fn college_minimum_is_ceil_of_one_percent() {
    let p = RuleProfile::default();
    assert_eq!(p.college_minimum(1), 1);
    assert_eq!(p.college_minimum(100), 1);
    assert_eq!(p.college_minimum(101), 2);
    assert_eq!(p.college_minimum(1234), 13);
    assert_eq!(p.ordinary_required(10), 6);
    assert_eq!(p.ordinary_required(11), 7);
    assert_eq!(p.women_required(10), 3);
}

#[test]
fn profile_roundtrips_and_fills_defaults() {
    let p = RuleProfile::default();
    let json = serde_json::to_string(&p).unwrap();
    let back: RuleProfile = serde_json::from_str(&json).unwrap();
    assert_eq!(p, back);
    assert!(p.validate().is_ok());
    let partial: RuleProfile = serde_json::from_str(r#"{"women_min_pct":25}"#).unwrap();
    assert_eq!(partial.women_min_pct, 25);
    assert_eq!(partial.ordinary_min_pct, 60);
    assert!(serde_json::from_str::<RuleProfile>(r#"{"nonsense":1}"#).is_err());
}

#[test]
fn only_the_quorums_and_thresholds_of_the_rules_validate() {
    for (num, den) in QUORUM_FRACTIONS {
        for strict in [true, false] {
            let p = RuleProfile {
                quorum: Fraction::new(num, den, strict),
                ..RuleProfile::default()
            };
            assert!(p.validate().is_ok());
        }
    }
    for (num, den) in [(1, 2), (1, 100), (0, 1), (3, 4)] {
        let p = RuleProfile {
            quorum: Fraction::new(num, den, true),
            ..RuleProfile::default()
        };
        let e = p.validate().unwrap_err();
        assert_eq!(
            e,
            [format!(
                "规则D2: 法定人数只能为实到超过(或达到)应到的2/3或4/5, 不能为{num}/{den}"
            )]
        );
    }
    let mut p = RuleProfile::default();
    p.election_threshold.base = ThresholdBase::ValidBallots;
    assert!(p.validate().is_ok());
    p.election_threshold.fraction = Fraction::new(1, 100, false);
    assert!(p.validate().unwrap_err()[0].starts_with("规则F1: 当选须赞成票超过半数"));
    p.election_threshold = Threshold::ORDINARY;
    p.max_seats_school = 7;
    assert!(p.validate().unwrap_err()[0].starts_with("规则C1"));
    p.max_seats_school = 5;
    assert!(p.validate().is_ok());
    // A1, B2, C3: the rules' minimums may be made stricter, never looser.
    for (bp, ord, rank, rule) in [
        (50, 60, 30, "规则A1"),
        (100, 50, 30, "规则B2"),
        (100, 101, 30, "规则B2"),
        (100, 60, 40, "规则C3"),
        (100, 60, 0, "规则C3"),
    ] {
        let q = RuleProfile {
            quota_ratio_bp: bp,
            ordinary_min_pct: ord,
            eligibility_rank_pct: rank,
            ..RuleProfile::default()
        };
        let e = q.validate().unwrap_err();
        assert!(
            e.len() == 1 && e[0].starts_with(rule),
            "{bp} {ord} {rank}: {e:?}"
        );
    }
    let stricter = RuleProfile {
        quota_ratio_bp: 150,
        ordinary_min_pct: 70,
        eligibility_rank_pct: 20,
        ..RuleProfile::default()
    };
    assert!(stricter.validate().is_ok());
    assert!(threshold_problem(&Threshold::CHARTER, false).is_none());
    assert!(threshold_problem(&Threshold::CHARTER, true).is_some());
}

/// C5-C7, G4: the default profile enforces the approval steps; a profile stored (or signed
/// into a record) before the setting existed reads as off; a client's partial profile gets
/// the default (on), and an explicit choice is kept either way.
#[test]
fn approval_procedure_on_by_default_off_when_stored_without_it() {
    assert!(RuleProfile::default().approval_procedure);
    let mut stored = serde_json::to_value(RuleProfile::default()).unwrap();
    stored.as_object_mut().unwrap().remove("approval_procedure");
    let old: RuleProfile = serde_json::from_value(stored.clone()).unwrap();
    assert!(!old.approval_procedure);
    assert_eq!(
        RuleProfile {
            approval_procedure: true,
            ..old
        },
        RuleProfile::default()
    );
    assert!(serde_json::from_str::<RuleProfile>("{}")
        .map(|p| !p.approval_procedure)
        .unwrap());
    assert!(
        RuleProfile::from_request(stored)
            .unwrap()
            .approval_procedure
    );
    assert!(
        RuleProfile::from_request(serde_json::json!({"min_seats": 2}))
            .unwrap()
            .approval_procedure
    );
    let off = RuleProfile::from_request(serde_json::json!({"approval_procedure": false})).unwrap();
    assert!(!off.approval_procedure);
    let round = serde_json::to_string(&RuleProfile::default()).unwrap();
    assert!(
        serde_json::from_str::<RuleProfile>(&round)
            .unwrap()
            .approval_procedure
    );
    assert!(RuleProfile::from_request(serde_json::json!({"nope": 1})).is_err());
}
