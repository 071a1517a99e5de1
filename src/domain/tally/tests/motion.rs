//! Motions: for / against / abstain (E3), passed or not (F4), void (E4).

use super::*;

fn motion(
    threshold: Threshold,
    issued: u64,
    roster: u64,
    votes: [usize; 3],
    wrong: usize,
) -> ContestResult {
    let mut b = Vec::new();
    for (mark, n) in Mark::ALL.into_iter().zip(votes) {
        b.extend(times(n, Choices::Motion { vote: mark }));
    }
    // An election ballot dropped into a motion's box is 废票.
    b.extend(times(wrong, ballot("F", &[])));
    let spec = ContestSpec::Motion(MotionSpec { threshold });
    tally(&spec, Turnout { issued, roster }, &b)
}

fn outcome(r: &ContestResult) -> &MotionResult {
    match &r.detail {
        ContestDetail::Motion(m) => m,
        ContestDetail::Election(_) | ContestDetail::Review(_) => panic!("expected a motion result"),
    }
}

/// 工作报告, 实到 200 -> > 100 -> at least 101: 120 for passes; exactly 100 (half) fails.
#[test]
fn ordinary_motion_needs_more_than_half_of_present() {
    let r = motion(Threshold::ORDINARY, 200, 230, [120, 50, 30], 0);
    let m = outcome(&r);
    assert!(m.passed);
    assert_eq!(m.votes.total(), r.valid);
    assert_eq!(r.threshold.rule, "F4");
    assert_eq!(
        m.explanation,
        "赞成 120 票, 反对 50 票, 弃权 30 票; 赞成票超过实到代表 200 人的 1/2 (至少 101 票), 通过 (规则 F4)"
    );
    let half = motion(Threshold::ORDINARY, 200, 230, [100, 70, 30], 0);
    assert!(!outcome(&half).passed);
    assert!(outcome(&half)
        .explanation
        .ends_with("未超过实到代表 200 人的 1/2 (至少 101 票), 未通过 (规则 F4)"));
}

/// 章程修正案, >= 2/3 of 实到 (inclusive).
/// 实到 150: 2/3 x 150 = 100 exactly -> at least 100: 100 passes, 99 fails.
/// 实到 200: 2/3 x 200 = 133.33 -> at least 134: 134 passes, 133 fails.
#[test]
fn charter_amendment_needs_two_thirds_inclusive() {
    let at = motion(Threshold::CHARTER, 150, 160, [100, 30, 20], 0);
    assert_eq!(at.threshold.min_for, 100);
    assert!(outcome(&at).passed);
    assert!(outcome(&at)
        .explanation
        .contains("达到实到代表 150 人的 2/3 (含本数, 至少 100 票), 通过"));
    let below = motion(Threshold::CHARTER, 150, 160, [99, 31, 20], 0);
    assert!(!outcome(&below).passed);
    assert_eq!(
        motion(Threshold::CHARTER, 200, 200, [134, 0, 66], 0)
            .threshold
            .min_for,
        134
    );
    assert!(outcome(&motion(Threshold::CHARTER, 200, 200, [134, 0, 66], 0)).passed);
    assert!(!outcome(&motion(Threshold::CHARTER, 200, 200, [133, 1, 66], 0)).passed);
}

/// 实到 100, 应到 120; 45 for, 20 against, 15 abstain + 20 election ballots (废票): valid 80.
/// present > 50 -> 51: fails.  valid > 40 -> 41: passes.  roster > 60 -> 61: fails.
#[test]
fn motion_bases() {
    let cases = [
        (ThresholdBase::Present, 100, 51, false),
        (ThresholdBase::ValidBallots, 80, 41, true),
        (ThresholdBase::Roster, 120, 61, false),
    ];
    for (base, figure, min_for, passed) in cases {
        let r = motion(threshold(base, STRICT_HALF), 100, 120, [45, 20, 15], 20);
        assert_eq!((r.cast, r.valid, r.invalid), (100, 80, 20));
        assert_eq!(r.invalid_reasons.get("表决中投入选举票"), Some(&20));
        assert_eq!(
            (r.threshold.base_figure, r.threshold.min_for),
            (figure, min_for)
        );
        assert_eq!(outcome(&r).passed, passed, "{base:?}");
    }
}

/// E4: 实到 10, 11 ballots: void, not passed even with every vote for.
#[test]
fn more_cast_than_issued_voids_the_motion() {
    let r = motion(Threshold::ORDINARY, 10, 12, [11, 0, 0], 0);
    assert!(r.void);
    assert!(!outcome(&r).passed);
    assert!(r
        .explanation
        .contains("根据规则 E4 本次表决无效, 须重新表决"));
}

/// No valid ballots under the valid-ballot base, inclusive 2/3: 2/3 of 0 is 0, but nothing
/// passes on zero for-votes, so the minimum is 1.
#[test]
fn nothing_passes_on_zero_for_votes() {
    let r = motion(
        threshold(ThresholdBase::ValidBallots, Fraction::new(2, 3, false)),
        10,
        10,
        [0, 0, 0],
        3,
    );
    assert_eq!((r.valid, r.threshold.min_for), (0, 1));
    assert!(!outcome(&r).passed);
}

/// Paper motion ballots entered as they are (E5): blank and double-marked papers are 废票 with
/// their reasons, counted in 收回 and never as a vote.
#[test]
fn blank_and_double_marked_papers_are_invalid_with_their_reasons() {
    let mut b = times(6, Choices::Motion { vote: Mark::For });
    b.extend(times(2, Choices::MotionMarks { marks: vec![] }));
    b.push(Choices::MotionMarks {
        marks: vec![Mark::For, Mark::Against],
    });
    let spec = ContestSpec::Motion(MotionSpec {
        threshold: Threshold::ORDINARY,
    });
    let r = tally(
        &spec,
        Turnout {
            issued: 10,
            roster: 10,
        },
        &b,
    );
    assert_eq!((r.cast, r.valid, r.invalid), (9, 6, 3));
    assert_eq!(r.invalid_reasons.get("空白票"), Some(&2));
    assert_eq!(r.invalid_reasons.get("表决票标记多于一项"), Some(&1));
    assert_eq!(outcome(&r).votes.for_votes, 6);
    assert!(outcome(&r).passed, "6 of 10 present is more than half");
}
