//! Parsing the set-up forms (rule profile and details): accepted spellings, the error of every
//! field, and round trips.

use proptest::prelude::*;

use super::*;
use crate::domain::types::Level;
use crate::web::forms::details::{parse_details, DetailsForm};

fn default_form() -> SettingsForm {
    SettingsForm::from_profile(&RuleProfile::default())
}

#[test]
fn defaults_round_trip() {
    let d = RuleProfile::default();
    let f = default_form();
    assert_eq!(f.quota_ratio, "1%");
    assert_eq!(f.ordinary_min_pct, "60%");
    assert_eq!(f.quorum_fraction, "2/3");
    assert_eq!(f.quorum_strict, "strict");
    assert_eq!(f.parse(&d), Ok(d));
}

#[test]
fn percentages_with_or_without_sign() {
    assert_eq!(percent_bp("名额比例", "1%"), Ok(100));
    assert_eq!(percent_bp("名额比例", "1"), Ok(100));
    assert_eq!(percent_bp("名额比例", " 0.5 % "), Ok(50));
    assert_eq!(percent_bp("名额比例", "1.25"), Ok(125));
    assert_eq!(percent_bp("名额比例", "１．５％"), Ok(150));
    assert_eq!(percent_bp("名额比例", "100%"), Ok(10_000));
    for bad in ["", "abc", "1.234", "101", "-1", "1,5", ".5", "1."] {
        let e = percent_bp("名额比例", bad).unwrap_err();
        assert_eq!(e.field, "名额比例");
        assert_eq!(e.given, bad);
    }
    assert_eq!(percent_int("普通同学比例", "60%", 0), Ok(60));
    assert_eq!(percent_int("普通同学比例", "60", 0), Ok(60));
    assert!(percent_int("学业排名要求", "0", 1).is_err());
    assert!(percent_int("普通同学比例", "60.5%", 0).is_err());
}

#[test]
fn error_names_field_given_and_expected() {
    let mut f = default_form();
    f.quota_ratio = "一个百分点".to_string();
    f.quorum_fraction = "1/2".to_string();
    f.max_seats_school = "0".to_string();
    f.election_base = "".to_string();
    let errs = f.parse(&RuleProfile::default()).unwrap_err();
    let msgs: Vec<String> = errs.iter().map(FieldError::message).collect();
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    assert_eq!(
        msgs[0],
        "“名额比例”填写的是“一个百分点”, 应为0到100之间的百分数, 最多两位小数, 如“1%”或“1”"
    );
    assert_eq!(
        msgs[1],
        "“校级主席团名额上限”填写的是“0”, 应为1到5之间的整数(规则C1)"
    );
    assert_eq!(
        msgs[2],
        "“法定人数比例”填写的是“1/2”, 应为“2/3”或“4/5”(规则D2)"
    );
    assert_eq!(
        msgs[3],
        "“当选票数基数”未填写, 应为“实到代表数”、“有效票数”、“应到代表数”之一"
    );
}

#[test]
fn quorum_and_threshold_variants() {
    let mut f = default_form();
    f.quorum_fraction = "4/5".to_string();
    f.quorum_strict = "inclusive".to_string();
    f.election_base = "valid_ballots".to_string();
    f.total_seats = "120".to_string();
    f.women_min_pct = "25".to_string();
    f.tie_rule = "vacant".to_string();
    let p = f.parse(&RuleProfile::default()).unwrap();
    assert_eq!(p.quorum, Fraction::new(4, 5, false));
    assert_eq!(p.election_threshold.base, ThresholdBase::ValidBallots);
    assert_eq!(p.election_threshold.fraction, Fraction::new(1, 2, true));
    assert_eq!(p.total_seats, Some(120));
    assert_eq!(p.women_min_pct, 25);
    assert_eq!(p.tie_rule, TieRule::Vacant);
    // Only 2/3 and 4/5 (D2), whatever the stored profile says; the election fraction is
    // 超过1/2 (F1), only its base is a setting.
    let current = RuleProfile {
        quorum: Fraction::new(3, 4, true),
        ..RuleProfile::default()
    };
    f.quorum_fraction = "3/4".to_string();
    assert!(f.parse(&current).is_err());
    f.quorum_fraction = "4/5".to_string();
    f.election_fraction = "2/3".to_string();
    f.election_strict = "以上(含)".to_string();
    let errs = f.parse(&current).unwrap_err();
    assert_eq!(
        errs[0].message(),
        "“当选票数比例”填写的是“达到(含)2/3”, 应为超过1/2(过半数, 规则F1)"
    );
}

#[test]
fn women_share_is_off_25_or_30_only() {
    let mut f = default_form();
    f.women_min_pct = "20".to_string();
    let errs = f.parse(&RuleProfile::default()).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].field, "女代表比例");
    assert!(errs[0].expected.contains("“不设”"), "{}", errs[0].expected);
}

#[test]
fn details_errors_are_all_listed() {
    let f = DetailsForm {
        name: " ".to_string(),
        school: "示范大学".to_string(),
        level: "省级".to_string(),
        session_no: "十".to_string(),
        date: "2026/12/01".to_string(),
        place: "大学生活动中心".to_string(),
    };
    let errs = parse_details(&f).unwrap_err();
    assert_eq!(errs.len(), 4, "{errs:?}");
    assert_eq!(errs[0], "“级别”填写的是“省级”, 应为校级或院级");
    assert!(errs[1].starts_with("“届次”填写的是“十”"), "{}", errs[1]);
    assert!(errs[2].contains("大会名称"));
    assert!(errs[3].contains("2026/12/01"));
    let good = DetailsForm {
        name: "示范大学第十次学生代表大会".to_string(),
        level: "院级".to_string(),
        session_no: "１０".to_string(),
        date: "2026-12-01".to_string(),
        ..f
    };
    let d = parse_details(&good).unwrap();
    assert_eq!(d.level, Level::College);
    assert_eq!(d.session_no, 10);
}

#[test]
fn bp_percent_formats() {
    assert_eq!(bp_percent(100), "1%");
    assert_eq!(bp_percent(50), "0.5%");
    assert_eq!(bp_percent(125), "1.25%");
    assert_eq!(bp_percent(5), "0.05%");
}

proptest! {
    /// Whatever basis points a profile holds, the form shows them in a way that parses back.
    #[test]
    fn percent_display_parses_back(bp in 0u32..=10_000) {
        prop_assert_eq!(percent_bp("名额比例", &bp_percent(bp)), Ok(bp));
    }

    /// Every valid profile the page can express survives a render/parse round trip.
    #[test]
    fn profile_round_trips(
        bp in 0u32..=10_000, min in 0u32..=1000, total in proptest::option::of(1u32..=100_000),
        ord in 0u32..=100, women in prop::sample::select(vec![0u32, 25, 30]),
        quorum in prop::sample::select(vec![(2u32, 3u32), (4, 5)]), qs: bool,
        surplus: bool, absences: bool,
    ) {
        let p = RuleProfile {
            quota_ratio_bp: bp,
            min_seats: min,
            total_seats: total,
            ordinary_min_pct: ord,
            women_min_pct: women,
            quorum: Fraction::new(quorum.0, quorum.1, qs),
            election_threshold: crate::domain::settings::Threshold {
                base: ThresholdBase::Roster,
                fraction: Fraction::new(1, 2, true),
            },
            allow_surplus: surplus,
            subtract_approved_absences: absences,
            ..RuleProfile::default()
        };
        prop_assert_eq!(SettingsForm::from_profile(&p).parse(&RuleProfile::default()), Ok(p));
    }
}
