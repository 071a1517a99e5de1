//! Unit tests of the candidate checks (B6, G2, C3) and the data normalisation.

use super::*;

fn data(name: &str, no: &str) -> CandidateData {
    CandidateData {
        name: format!(" {name} "),
        student_no: no.to_string(),
        college: "经济管理学院".to_string(),
        gender: Some(Gender::Female),
        political_status: "共青团员".to_string(),
        rank_pct: Some(12),
        failed_courses: 0,
        eligibility_override: Some("  ".to_string()),
    }
}

#[test]
fn an_eligible_candidate_passes_and_drops_an_unneeded_reason() {
    let p = RuleProfile::default();
    let mut d = data("林晓", "2022030101");
    d.eligibility_override = Some("学院推荐".to_string());
    let c = d.candidate("k1".into(), 1, &p);
    assert_eq!(c.name, "林晓");
    assert_eq!(c.eligibility_override, None);
    assert!(problems(&c, &[], &[], &p, true).is_empty());
}

#[test]
fn failing_c3_needs_a_reason() {
    let p = RuleProfile::default();
    let mut d = data("周宁", "2022030102");
    d.failed_courses = 1;
    let c = d.candidate("k1".into(), 1, &p);
    let found = problems(&c, &[], &[], &p, true);
    assert_eq!(
        found,
        vec![
            "规则C3：候选人周宁（学号2022030102）未通过资格审查：有1门课程不及格，\
              须无不及格课程。不得提名；如确需提名，须填写特批理由"
                .to_string()
        ]
    );
    d.eligibility_override = Some(" 该课程已重修通过，经学院党委研究同意 ".to_string());
    let c = d.candidate("k1".into(), 1, &p);
    assert_eq!(
        c.eligibility_override.as_deref(),
        Some("该课程已重修通过，经学院党委研究同意")
    );
    assert!(problems(&c, &[], &[], &p, true).is_empty());
}

fn scrutineer(name: &str, no: Option<&str>) -> Scrutineer {
    Scrutineer {
        id: "s1".into(),
        congress_id: "c1".into(),
        role: scrutineers::ScrutineerRole::Counter,
        name: name.into(),
        student_no: no.map(str::to_string),
        user_id: None,
        username: None,
        position: 1,
    }
}

#[test]
fn duplicates_scrutineers_and_blank_fields_are_refused() {
    let p = RuleProfile::default();
    let first = data("林晓", "2022030101").candidate("k1".into(), 1, &p);
    // A 学号 typed with full-width digits is the same 学号.
    let again = data("林小", "２０２２０３０１０１").candidate("k2".into(), 2, &p);
    assert_eq!(again.student_no, "2022030101");
    let s = [scrutineer("林小", Some("2022030101"))];
    let found = problems(&again, &[first], &s, &p, true);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("规则B6：学号2022030101已是本事项的候选人（林晓）"));
    assert_eq!(
        found[1],
        "规则G2：候选人林小（学号2022030101）已被列为计票人，候选人不得担任监票、计票工作"
    );
    // A scrutineer without 学号 of the same name.
    let s = [scrutineer("郑强", None)];
    let zheng = data("郑强", "2022030109").candidate("k3".into(), 3, &p);
    let found = problems(&zheng, &[], &s, &p, true);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("规则G2：监票人员中有同名的计票人“郑强”且未填写学号"));
    let blank = data("", "").candidate("k4".into(), 4, &p);
    let found = problems(&blank, &[], &[], &p, true);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("“姓名”不能为空"));
    assert!(found[1].contains("“学号”不能为空"));
}
