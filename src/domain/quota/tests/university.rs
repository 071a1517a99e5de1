//! Realistic allocations under the A1 minimums, with the explanations organisers see; errors;
//! the JSON shape; A4 reserved seats.

use super::super::*;
use super::{cols, plain, quotas};

/// Five colleges of a realistic university, default profile (1%, at least 1 seat).
fn university() -> Vec<(String, i64)> {
    cols(&[
        ("计算机学院", 2345),
        ("外国语学院", 876),
        ("数学科学学院", 1234),
        ("马克思主义学院", 98),
        ("医学院", 4321),
    ])
}

#[test]
fn default_profile_gives_every_college_its_minimum() {
    // ceil(1%): 23.45 -> 24, 8.76 -> 9, 12.34 -> 13, 0.98 -> 1, 43.21 -> 44; sum 91.
    // A2: ceil(1% of 8874) = ceil(88.74) = 89 <= 91.
    let a = allocate(&university(), &QuotaParams::default()).unwrap();
    assert_eq!(quotas(&a), [24, 9, 13, 1, 44]);
    assert_eq!((a.total, a.enrolment), (91, 8874));
    assert_eq!((a.sum_of_minimums, a.congress_minimum), (91, 89));
    assert_eq!(a.method, QuotaMethod::Hamilton);
    let math = &a.colleges[2];
    assert_eq!(math.minimum, 13);
    assert!(math
        .explanation
        .contains("规则A1最低名额13名（1%×1234向上取整为13，且不少于1名）"));
    assert!(math.explanation.contains("未设定总名额"));
}

#[test]
fn hamilton_with_total_120() {
    // E = 8874, T = 120. Quotas 120 e / 8874 as integer part + remainder / 8874:
    //   计算机 281400 = 31 x 8874 + 6306     外国语 105120 = 11 x 8874 + 7506
    //   数学   148080 = 16 x 8874 + 6096     马克思   11760 =  1 x 8874 + 2886
    //   医学   518520 = 58 x 8874 + 3828
    // No quota is below its minimum (24 9 13 1 44). Integer parts sum to 117; the three seats
    // left go to the remainders 7506 (外国语), 6306 (计算机), 6096 (数学) -> 32 12 17 1 58.
    let p = QuotaParams {
        total: Some(120),
        ..QuotaParams::default()
    };
    let a = allocate(&university(), &p).unwrap();
    assert_eq!(quotas(&a), [32, 12, 17, 1, 58]);
    assert_eq!(a.total, 120);
    assert!(a.colleges[1].explanation.contains("另得1个余额名额"));
    assert!(a.colleges[4].explanation.contains("未得余额名额，合计58名"));
}

#[test]
fn hamilton_fixes_a_small_college_at_its_minimum() {
    // Minimums 50, 40, 2 (ceil 1.5); T = 95, E = 9150. 艺术学院's quota 95 x 150 / 9150
    // = 1.557 < 2: fixed at 2. The other 93 seats go to 9000 students: 465000 / 9000
    // = 51 r 6000, 372000 / 9000 = 41 r 3000; one seat left -> 电子信息 52, 机械 41.
    let rows = cols(&[
        ("电子信息学院", 5000),
        ("机械工程学院", 4000),
        ("艺术学院", 150),
    ]);
    let p = QuotaParams {
        total: Some(95),
        ..QuotaParams::default()
    };
    let a = allocate(&rows, &p).unwrap();
    assert_eq!(quotas(&a), [52, 41, 2]);
    assert!(a.colleges[2]
        .explanation
        .contains("应得1.5574名，低于最低名额"));
    assert!(a.colleges[0].explanation.contains("剩余93名"));
}

#[test]
fn hamilton_fixes_minimums_over_several_rounds() {
    // Ratio 0, at least 3 seats each, T = 13, E = 1380.
    // Round 1: 文学院 13 x 50 / 1380 = 0.4710 < 3 -> fixed; 理学院 13 x 330 / 1380 = 3.109.
    // Round 2: 10 seats for 1330 students: 理学院 10 x 330 / 1330 = 2.4812 < 3 -> fixed.
    // Round 3: 7 seats for 1000 students: 工学院 7.0 -> 7. Result 7 3 3.
    let rows = cols(&[("工学院", 1000), ("文学院", 50), ("理学院", 330)]);
    let mut p = plain(QuotaMethod::Hamilton, 13);
    p.min_seats = 3;
    let a = allocate(&rows, &p).unwrap();
    assert_eq!(quotas(&a), [7, 3, 3]);
    assert!(a.colleges[1]
        .explanation
        .contains("按最大余额法应得0.4710名"));
    assert!(a.colleges[2]
        .explanation
        .contains("扣除前1轮保底学院后重新分配应得2.4812名"));
    assert!(a.colleges[0].explanation.contains("在校生共1000人"));
}

#[test]
fn dhondt_from_the_minimums() {
    // Default profile: minimums 9, 3, 2 (ceil 1.2). Extra seats by e / (s + 1):
    //   文学院 900: 900/10 = 90, 900/11 = 81.8, 900/12 = 75, 900/13 = 69.2
    //   法学院 300: 300/4 = 75, 300/5 = 60          体育学院 120: 120/3 = 40
    // T = 18 (4 extra): 90, 81.8, then a tie at 75 (文学院 first, larger), then 75 -> 12 4 2.
    // T = 17 (3 extra): the tie at 75 is for the last seat and 文学院 wins -> 12 3 2.
    let rows = cols(&[("文学院", 900), ("法学院", 300), ("体育学院", 120)]);
    let mut p = QuotaParams {
        total: Some(18),
        method: QuotaMethod::Dhondt,
        ..QuotaParams::default()
    };
    assert_eq!(quotas(&allocate(&rows, &p).unwrap()), [12, 4, 2]);
    p.total = Some(17);
    let a = allocate(&rows, &p).unwrap();
    assert_eq!(quotas(&a), [12, 3, 2]);
    assert!(a.colleges[0]
        .explanation
        .contains("另得3名（所得最后一席的商数为75.00）"));
    assert!(a.colleges[1].explanation.contains("按平局规则未获得"));
    assert!(a.colleges[2].explanation.contains("下一席商数40.00"));
}

#[test]
fn zero_ratio_and_zero_minimum_without_total_gives_nothing() {
    let p = QuotaParams {
        ratio_bp: 0,
        min_seats: 0,
        total: None,
        method: QuotaMethod::Hamilton,
    };
    let a = allocate(&university(), &p).unwrap();
    assert_eq!(quotas(&a), [0; 5]);
    assert_eq!((a.total, a.congress_minimum), (0, 0));
}

#[test]
fn errors_name_the_college_and_the_figures() {
    let d = QuotaParams::default();
    assert_eq!(allocate(&[], &d), Err(QuotaError::NoColleges));
    let err = allocate(
        &cols(&[("信息学院", 10), ("化学学院", 5), ("信息学院", 7)]),
        &d,
    );
    assert_eq!(
        err.unwrap_err().to_string(),
        "学院「信息学院」重复出现（第1个和第3个）"
    );
    let err = allocate(&cols(&[("信息学院", 10), ("化学学院", -3)]), &d).unwrap_err();
    assert_eq!(
        err.to_string(),
        "学院「化学学院」的在校生人数为-3，应为正整数"
    );
    let err = allocate(&cols(&[("化学学院", 0)]), &d).unwrap_err();
    assert!(matches!(
        err,
        QuotaError::NonPositiveEnrolment { enrolment: 0, .. }
    ));
    let err = allocate(&cols(&[("  ", 10)]), &d).unwrap_err();
    assert_eq!(err, QuotaError::EmptyName { position: 1 });

    // Minimums 80 + 54 = 134.
    let two = cols(&[("计算机学院", 8000), ("外国语学院", 5400)]);
    let mut p = QuotaParams {
        total: Some(120),
        ..d
    };
    assert_eq!(
        allocate(&two, &p).unwrap_err().to_string(),
        "总名额 120 少于各学院最低名额之和 134（规则A1），请将总名额设为不少于 134"
    );
    p.total = Some(134);
    assert_eq!(quotas(&allocate(&two, &p).unwrap()), [80, 54]);
    p.total = Some(13_401);
    assert_eq!(
        allocate(&two, &p).unwrap_err().to_string(),
        "总名额 13401 超过在校生总数 13400"
    );
    p.total = Some(MAX_TOTAL_SEATS + 1);
    assert!(matches!(
        allocate(&two, &p),
        Err(QuotaError::TotalTooLarge { .. })
    ));

    let p = QuotaParams {
        ratio_bp: 10_001,
        ..d
    };
    assert_eq!(
        allocate(&two, &p).unwrap_err().to_string(),
        "名额比例100.01%超过100%（规则A1）"
    );
    let p = QuotaParams { min_seats: 3, ..d };
    let err = allocate(&cols(&[("艺术学院", 2)]), &p).unwrap_err();
    assert_eq!(
        err.to_string(),
        "学院「艺术学院」只有2名学生，少于每个学院的最少名额3名（规则A1）"
    );
    let err = allocate(&cols(&[("医学院", 2_000_000_000)]), &d).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("学院「医学院」的在校生人数2000000000超过上限"));
    let big = cols(&[("甲", 600_000_000), ("乙", 600_000_000)]);
    assert!(matches!(
        allocate(&big, &d),
        Err(QuotaError::TotalEnrolmentTooLarge {
            enrolment: 1_200_000_000
        })
    ));
}

#[test]
fn json_has_the_fields_the_cli_prints() {
    let p = QuotaParams {
        total: Some(100),
        method: QuotaMethod::HuntingtonHill,
        ..QuotaParams::default()
    };
    let a = allocate(&university(), &p).unwrap();
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["method"], "huntington-hill");
    assert_eq!(v["total"], 100);
    assert!(v.get("reserved").is_none());
    let c = &v["colleges"][0];
    assert_eq!(c["college"], "计算机学院");
    assert_eq!(c["enrolment"], 2345);
    assert_eq!(c["minimum"], 24);
    assert!(c["quota"].as_u64().is_some() && c["share"].as_f64().is_some());
    let back: Allocation = serde_json::from_value(v).unwrap();
    assert_eq!(back, a);
}

#[test]
fn reserved_seats_are_reported_apart_a4() {
    let a = allocate(&university(), &QuotaParams::default()).unwrap();
    let ok = vec![
        ReservedSeats {
            kind: DelegateKind::ExOfficio,
            name: "校学生会主席团".into(),
            seats: 5,
        },
        ReservedSeats {
            kind: DelegateKind::Society,
            name: "青年志愿者协会".into(),
            seats: 2,
        },
    ];
    let with = a.clone().with_reserved(ok.clone()).unwrap();
    assert_eq!(
        (with.total, with.reserved_seats(), with.congress_size()),
        (91, 7, 98)
    );
    assert_eq!(
        serde_json::to_value(&with).unwrap()["reserved"][1]["kind"],
        "society"
    );

    let mut dup = ok.clone();
    dup.push(ok[1].clone());
    assert_eq!(
        a.clone().with_reserved(dup).unwrap_err().to_string(),
        "预留名额「青年志愿者协会」（社团代表）重复出现（规则A4）"
    );
    let mut zero = ok.clone();
    zero[0].seats = 0;
    let err = a.clone().with_reserved(zero).unwrap_err();
    assert_eq!(err, QuotaError::ReservedInvalid { position: 1 });
    let mut elected = ok;
    elected[1].kind = DelegateKind::Elected;
    assert!(matches!(
        a.with_reserved(elected),
        Err(QuotaError::ReservedElected { .. })
    ));
}

#[test]
fn params_come_from_the_rule_profile() {
    let profile = RuleProfile {
        quota_ratio_bp: 150,
        min_seats: 2,
        total_seats: Some(300),
        quota_method: QuotaMethod::Webster,
        ..RuleProfile::default()
    };
    let p = QuotaParams::from(&profile);
    assert_eq!(
        p,
        QuotaParams {
            ratio_bp: 150,
            min_seats: 2,
            total: Some(300),
            method: QuotaMethod::Webster
        }
    );
    // max(2, ceil(1.5% x 1234 = 18.51)) = 19; max(2, ceil(0.15)) = 2.
    assert_eq!(p.minimum(1234), profile.college_minimum(1234));
    assert_eq!((p.minimum(1234), p.minimum(10)), (19, 2));
    assert_eq!(
        (pct(100), pct(150), pct(125), pct(5)),
        ("1%".into(), "1.5%".into(), "1.25%".into(), "0.05%".into())
    );
}
