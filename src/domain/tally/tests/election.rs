//! Elections: seats by for-votes over the threshold (F1), ties (F2), void (E4), invalid
//! ballots (E2), the three bases and write-ins.

use super::*;

/// 主席团, 3 seats, 5 candidates, 实到 200, 应到 240, threshold > 1/2 of 实到 -> at least 101.
///   90 x F F F - -     50 x F - F A -     40 x - F - F F     18 x A A A A A
///    2 x F F F F -  (4 for-marks > 3 seats: 废票)
/// cast 200, valid 198, invalid 2.
/// 王芳 for 90+50 = 140, against 18, abstain 40;   刘洋 for 90+40 = 130, against 18, abstain 50
/// 李娜 for 90+50 = 140, against 18, abstain 40;   张伟 for 40, against 50+18 = 68, abstain 90
/// 陈静 for 40, against 18, abstain 140.
/// Elected: 王芳 140 and 李娜 140 (equal, both seated: ballot order), then 刘洋 130.
#[test]
fn plain_election_fills_the_seats_in_order_of_votes() {
    let spec = election(3, 5);
    let mut ballots = times(90, ballot("FFF--", &[]));
    ballots.extend(times(50, ballot("F-FA-", &[])));
    ballots.extend(times(40, ballot("-F-FF", &[])));
    ballots.extend(times(18, ballot("AAAAA", &[])));
    ballots.extend(times(2, ballot("FFFF-", &[])));
    let r = run(&spec, 200, 240, &ballots);

    assert_eq!(
        (r.issued, r.roster, r.cast, r.valid, r.invalid, r.void),
        (200, 240, 200, 198, 2, false)
    );
    assert_eq!(
        r.invalid_reasons.get("赞成及另选人数超过应选名额"),
        Some(&2)
    );
    assert_eq!(
        triples(&r),
        vec![
            (140, 18, 40),
            (130, 18, 50),
            (140, 18, 40),
            (40, 68, 90),
            (40, 18, 140)
        ]
    );
    assert_eq!(r.threshold.rule, "F1");
    assert_eq!((r.threshold.base_figure, r.threshold.min_for), (200, 101));
    assert_eq!(
        r.threshold.text,
        "规则 F1: 赞成票须超过实到代表 200 人的 1/2, 即至少 101 票"
    );
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳", "李娜", "刘洋"]);
    assert_eq!((e.unfilled, e.vacant), (0, 0));
    assert!(e.runoff.is_none() && e.supplementary.is_none());
    assert_eq!(
        e.candidates[0].explanation,
        "王芳 得赞成票 140 票, 超过实到代表 200 人的 1/2 (至少 101 票), 当选 (规则 F1)"
    );
    assert_eq!(e.candidates[3].status, Status::NotElected);
    assert_eq!(
        e.candidates[3].explanation,
        "张伟 得赞成票 40 票, 未超过实到代表 200 人的 1/2 (至少 101 票), 未当选 (规则 F1)"
    );
    assert!(r
        .explanation
        .starts_with("发出选票 200 张, 收回 200 张, 有效 198 张, 废票 2 张。"));
    assert!(r
        .explanation
        .contains("当选 3 名: 王芳 (140 票)、李娜 (140 票)、刘洋 (130 票)"));
}

/// 2 seats, 实到 100 -> at least 51.
///   40 x F F - -    40 x F - F -    15 x - F F -    5 x - - - F
/// 王芳 80, 刘洋 40+15 = 55, 李娜 40+15 = 55, 张伟 5.
/// 王芳 is seated; 刘洋 and 李娜 tie at 55 for the one seat left.
fn tie_ballots() -> Vec<Choices> {
    let mut b = times(40, ballot("FF--", &[]));
    b.extend(times(40, ballot("F-F-", &[])));
    b.extend(times(15, ballot("-FF-", &[])));
    b.extend(times(5, ballot("---F", &[])));
    b
}

#[test]
fn a_tie_at_the_last_seat_proposes_a_runoff_among_exactly_the_tied() {
    let r = run(&election(2, 4), 100, 120, &tie_ballots());
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳"]);
    let runoff = e.runoff.as_ref().expect("runoff proposed");
    assert_eq!(runoff.seats, 1);
    assert_eq!(names(&runoff.candidates), ["刘洋", "李娜"]);
    assert_eq!(runoff.candidates[0].for_votes, 55);
    assert!(e.supplementary.is_none());
    assert_eq!((e.unfilled, e.vacant), (1, 0));
    let status: Vec<Status> = e.candidates.iter().map(|c| c.status).collect();
    assert_eq!(
        status,
        [
            Status::Elected,
            Status::Runoff,
            Status::Runoff,
            Status::NotElected
        ]
    );
    assert_eq!(
        e.candidates[1].explanation,
        "刘洋 得赞成票 55 票, 超过实到代表 100 人的 1/2 (至少 51 票), 与 李娜 票数相同, \
         并列争夺剩余 1 个名额, 须再次投票 (规则 F2)"
    );
}

#[test]
fn a_tie_at_the_last_seat_leaves_it_vacant_under_the_vacant_rule() {
    let spec = ElectionSpec {
        tie_rule: TieRule::Vacant,
        ..election(2, 4)
    };
    let r = run(&spec, 100, 120, &tie_ballots());
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳"]);
    assert!(e.runoff.is_none() && e.supplementary.is_none());
    assert_eq!((e.unfilled, e.vacant), (1, 1));
    assert_eq!(e.candidates[2].status, Status::TieVacant);
    assert!(
        r.explanation.contains("该 1 个名额空缺"),
        "{}",
        r.explanation
    );
}

/// Three-way tie for both seats: 30 x F F - -, 30 x F - F -, 30 x - F F -, 10 x - - - F
/// -> 王芳 60, 刘洋 60, 李娜 60 (all >= 51), 张伟 10: nobody above the tie, 3 contest 2 seats.
#[test]
fn a_tie_for_every_seat_puts_all_seats_into_the_runoff() {
    let mut b = times(30, ballot("FF--", &[]));
    b.extend(times(30, ballot("F-F-", &[])));
    b.extend(times(30, ballot("-FF-", &[])));
    b.extend(times(10, ballot("---F", &[])));
    let r = run(&election(2, 4), 100, 100, &b);
    let e = detail(&r);
    assert!(e.elected.is_empty());
    let runoff = e.runoff.as_ref().expect("runoff proposed");
    assert_eq!(
        (runoff.seats, names(&runoff.candidates)),
        (2, vec!["王芳", "刘洋", "李娜"])
    );
}

/// Over the threshold but outranked, no tie. 1 seat, 实到 120, threshold > 1/3 of valid ballots.
///   60 x F -, 55 x - F  -> valid 115, > 38.33 -> at least 39; 王芳 60 and 刘洋 55 both qualify,
/// the one seat goes to 王芳.
#[test]
fn qualified_but_outranked_is_not_elected() {
    let spec = ElectionSpec {
        threshold: threshold(ThresholdBase::ValidBallots, Fraction::new(1, 3, true)),
        ..election(1, 2)
    };
    let mut b = times(60, ballot("F-", &[]));
    b.extend(times(55, ballot("-F", &[])));
    let r = run(&spec, 120, 120, &b);
    assert_eq!((r.valid, r.threshold.min_for), (115, 39));
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳"]);
    assert_eq!(e.candidates[1].status, Status::NotElected);
    assert!(e.candidates[1]
        .explanation
        .contains("但应选 1 名已由得票更多者当选"));
}

/// 实到 100, 1 seat: 50 x F A, 50 x - F -> 王芳 50, 刘洋 50: exactly half is not 超过 1/2
/// (at least 51), nobody elected. With 实到 101 and one more - F, 刘洋 has 51 > 50.5: elected.
#[test]
fn exactly_half_is_not_more_than_half() {
    let mut b = times(50, ballot("FA", &[]));
    b.extend(times(50, ballot("-F", &[])));
    let r = run(&election(1, 2), 100, 100, &b);
    assert_eq!(r.threshold.min_for, 51);
    assert!(detail(&r).elected.is_empty());
    // 实到 101 -> > 50.5 -> at least 51; one more ballot for 刘洋 makes 51.
    b.push(ballot("-F", &[]));
    let r = run(&election(1, 2), 101, 101, &b);
    assert_eq!(r.threshold.min_for, 51);
    assert_eq!(names(&detail(&r).elected), ["刘洋"]);
}

/// Same ballots under each base: 实到 100, 应到 120, 80 valid + 20 废票 (over-voted).
///   55 x F -, 25 x - F, 20 x F F (2 for-marks > 1 seat: 废票)  -> 王芳 55, 刘洋 25.
/// present (100): > 50 -> 51, 王芳 elected.   valid (80): > 40 -> 41, elected.
/// roster (120): > 60 -> 61, not elected (shortfall).
#[test]
fn each_base_gives_its_own_threshold() {
    let mut b = times(55, ballot("F-", &[]));
    b.extend(times(25, ballot("-F", &[])));
    b.extend(times(20, ballot("FF", &[])));
    let cases = [
        (ThresholdBase::Present, 100, 51, true, "实到代表 100 人"),
        (ThresholdBase::ValidBallots, 80, 41, true, "有效票 80 张"),
        (ThresholdBase::Roster, 120, 61, false, "应到代表 120 人"),
    ];
    for (base, figure, min_for, elected, words) in cases {
        let spec = ElectionSpec {
            threshold: threshold(base, STRICT_HALF),
            ..election(1, 2)
        };
        let r = run(&spec, 100, 120, &b);
        assert_eq!((r.valid, r.invalid), (80, 20));
        assert_eq!(
            (
                r.threshold.base,
                r.threshold.base_figure,
                r.threshold.min_for
            ),
            (base, figure, min_for)
        );
        assert_eq!(!detail(&r).elected.is_empty(), elected, "{base:?}");
        assert!(detail(&r).candidates[0].explanation.contains(words));
    }
}

/// E4: 实到 100 but 101 ballots cast: void, nobody elected, no proposals; counts still shown.
#[test]
fn more_cast_than_issued_voids_the_election() {
    let b = times(101, ballot("F-", &[]));
    let r = run(&election(1, 2), 100, 120, &b);
    assert!(r.void);
    assert_eq!((r.cast, r.valid), (101, 101));
    let e = detail(&r);
    assert!(e.elected.is_empty() && e.runoff.is_none() && e.supplementary.is_none());
    assert_eq!((e.unfilled, e.vacant), (1, 0));
    assert_eq!(e.candidates[0].status, Status::Void);
    assert_eq!(triples(&r)[0], (101, 0, 0));
    assert!(r
        .explanation
        .contains("收回选票 101 张, 多于发出选票 100 张, 根据规则 E4 本次选举无效"));
    // Exactly as many as issued is fine.
    assert!(!run(&election(1, 2), 101, 120, &b).void);
}

/// Write-ins compete on for-votes under the same threshold. 2 seats, 实到 100 -> 51.
///   60 x F - + 陈静, 40 x - F   -> 王芳 60, 陈静 60, 刘洋 40.
/// 王芳 and 陈静 take the seats (equal votes: the listed candidate first).
#[test]
fn a_write_in_over_the_threshold_is_elected() {
    let spec = ElectionSpec {
        allow_write_in: true,
        ..election(2, 2)
    };
    let mut b = times(60, ballot("F-", &["陈静"]));
    b.extend(times(40, ballot("-F", &[])));
    let r = run(&spec, 100, 100, &b);
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳", "陈静"]);
    assert_eq!(e.elected[1].id, None);
    assert_eq!(
        (e.write_ins[0].name.as_str(), e.write_ins[0].for_votes),
        ("陈静", 60)
    );
    assert_eq!(e.write_ins[0].status, Status::Elected);
    assert!(e.write_ins[0]
        .explanation
        .starts_with("另选他人 陈静 得赞成票 60 票"));
}

/// Write-ins on a contest without them, or naming a listed candidate, are 废票 (E2).
/// A write-in under the threshold is simply not elected. 1 seat, 实到 100 -> 51.
///   60 x F -, 10 x - - + 杨磊, 5 x - - + 刘洋 (a listed name): 杨磊 10 < 51.
#[test]
fn refused_and_unsuccessful_write_ins() {
    let mut b = times(60, ballot("F-", &[]));
    b.extend(times(10, ballot("--", &["杨磊"])));
    b.extend(times(5, ballot("--", &["刘洋"])));
    let closed = run(&election(1, 2), 100, 100, &b);
    assert_eq!((closed.valid, closed.invalid), (60, 15));
    assert_eq!(
        closed.invalid_reasons.get("本次选举不允许另选他人"),
        Some(&15)
    );
    assert!(detail(&closed).write_ins.is_empty());

    let open = ElectionSpec {
        allow_write_in: true,
        ..election(1, 2)
    };
    let r = run(&open, 100, 100, &b);
    assert_eq!((r.valid, r.invalid), (70, 5));
    assert_eq!(r.invalid_reasons.get("另选他人为已列候选人"), Some(&5));
    let e = detail(&r);
    assert_eq!(names(&e.elected), ["王芳"]);
    assert_eq!(
        (e.write_ins[0].for_votes, e.write_ins[0].status),
        (10, Status::NotElected)
    );
}

/// The result is canonical-JSON friendly: no floats anywhere, and it reads back equal.
#[test]
fn result_roundtrips_without_floats() {
    fn no_floats(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) => n.is_u64() || n.is_i64(),
            serde_json::Value::Array(a) => a.iter().all(no_floats),
            serde_json::Value::Object(o) => o.values().all(no_floats),
            _ => true,
        }
    }
    let r = run(&election(2, 4), 100, 120, &tie_ballots());
    let v = serde_json::to_value(&r).unwrap();
    assert!(no_floats(&v));
    assert_eq!(
        v["threshold"]["fraction"],
        serde_json::json!({"num":1,"den":2,"strict":true})
    );
    assert_eq!(v["detail"]["election"]["candidates"][0]["votes"]["for"], 80);
    let back: ContestResult = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}
