use serde_json::json;

use super::*;
use crate::packet::test_data::sample_packet;

fn record(level: &str, contests: Value) -> Value {
    json!({
        "congress": {"id": "xdh", "date": "2025-05-18", "level": level, "name": "某大学第十二次学代会"},
        "quorum_rule": "超过2/3",
        "contests": contests,
    })
}

fn election(id: &str, seats: u64, candidates: usize, elected: usize) -> Value {
    let cands: Vec<Value> = (0..candidates)
        .map(|i| json!({"id": format!("k{i}"), "name": format!("候选人{i}"), "college": "文学院", "eligibility_override": null}))
        .collect();
    let won: Vec<Value> = (0..elected)
        .map(|i| json!({"id": format!("k{i}"), "name": format!("候选人{i}"), "for": 100}))
        .collect();
    json!({
        "id": id, "kind": "election", "title": "主席团选举", "seats": seats, "round_kind": null,
        "candidates": cands, "margin_override": null,
        "present_at_opening": 180, "expected_at_opening": 200, "quorum_met": true,
        "result": {"detail": {"election": {"elected": won}}},
    })
}

fn motion(kind: &str, passed: bool) -> Value {
    json!({
        "id": "m1", "kind": "motion", "title": "关于工作报告的决议", "motion_kind": kind,
        "present_at_opening": 150, "expected_at_opening": 200, "quorum_met": true,
        "result": {"detail": {"motion": {"passed": passed, "votes": {"for": 140, "against": 5, "abstain": 5}}}},
    })
}

fn summary(total: u64, ordinary: u64, women: u64) -> Value {
    json!({
        "total": total, "ordinary": ordinary, "women": women,
        "colleges": [
            {"college": "文学院", "delegates": 100, "ordinary": 60, "ex_officio": 0, "society_seats": 0,
             "grades_covered": ["2023", "2024"], "grades_required": 2},
            {"college": "理学院", "delegates": 100, "ordinary": 60, "ex_officio": 0, "society_seats": 0,
             "grades_covered": ["2023", "2024"], "grades_required": 2},
        ],
        "societies_required": ["青年志愿者协会"], "societies_missing": [],
    })
}

fn facts(record: Value, summary: Option<Value>) -> Facts {
    Facts {
        record,
        roster_summary: summary,
        addenda: BTreeMap::new(),
    }
}

fn get<'a>(list: &'a [Indicator], id: &str) -> &'a Indicator {
    list.iter().find(|i| i.id == id).unwrap()
}

#[test]
fn the_sample_packet_reads_and_a_summary_of_another_shape_is_not_guessed() {
    let s = sample_packet();
    let f = Facts::from_contents(&s.contents).unwrap();
    let list = assess(&f, &Context::default());
    assert_eq!(list.len(), INDICATORS.len());
    assert_eq!(get(&list, "margin").outcome, Outcome::Pass);
    assert_eq!(get(&list, "margin").value, "候选人 4 名, 应选 3 名");
    assert_eq!(get(&list, "quorum").outcome, Outcome::Pass);
    assert_eq!(get(&list, "work_report").outcome, Outcome::Pass);
    let approval = get(&list, "approval");
    assert_eq!(approval.outcome, Outcome::Pass);
    assert_eq!(
        approval.value,
        "中共某某大学委员会 2025-05-20 校党发〔2025〕12号"
    );
    // The sample's summary has no `ordinary` figure: not recorded, never a guess.
    let ordinary = get(&list, "ordinary_share");
    assert_eq!(ordinary.outcome, Outcome::Unknown);
    assert!(ordinary.value.starts_with("未记录"), "{}", ordinary.value);
    assert_eq!(get(&list, "cycle").outcome, Outcome::Unknown);
    assert_eq!(get(&list, "notice").outcome, Outcome::Unknown);
}

#[test]
fn sixty_percent_is_ceil_and_every_college_must_reach_it() {
    let r = record("school", json!([election("e", 5, 7, 5)]));
    let pass = assess(
        &facts(r.clone(), Some(summary(200, 120, 60))),
        &Context::default(),
    );
    assert_eq!(get(&pass, "ordinary_share").outcome, Outcome::Pass);
    assert_eq!(
        get(&pass, "ordinary_share").value,
        "普通同学 120/200 (60.0%)"
    );
    assert_eq!(get(&pass, "women_share").outcome, Outcome::Pass);
    let fail = assess(
        &facts(r.clone(), Some(summary(200, 119, 59))),
        &Context::default(),
    );
    assert_eq!(get(&fail, "ordinary_share").outcome, Outcome::Fail);
    assert_eq!(get(&fail, "women_share").outcome, Outcome::Fail);
    // The whole is fine but one college is short.
    let mut s = summary(200, 130, 80);
    s["colleges"][1]["ordinary"] = json!(59);
    let list = assess(&facts(r, Some(s)), &Context::default());
    let o = get(&list, "ordinary_share");
    assert_eq!(o.outcome, Outcome::Fail);
    assert_eq!(
        o.value,
        "普通同学 130/200 (65.0%); 不足60%的学院: 理学院 59/100 (59.0%)"
    );
}

#[test]
fn coverage_names_what_has_no_delegate() {
    let r = record("school", json!([]));
    let mut s = summary(200, 130, 80);
    s["colleges"][0]["grades_covered"] = json!(["2023"]);
    s["societies_missing"] = json!(["读书会"]);
    let c = get(&assess(&facts(r, Some(s)), &Context::default()), "coverage").clone();
    assert_eq!(c.outcome, Outcome::Fail);
    assert_eq!(
        c.value,
        "年级未覆盖: 文学院 (差 1 个); 无代表的主要社团: 读书会"
    );
}

#[test]
fn the_presidium_is_counted_over_its_rounds_and_other_elections_are_left_out() {
    let mut committee = election("c", 9, 12, 9);
    committee["election_kind"] = json!("committee");
    let mut runoff = election("r", 1, 2, 1);
    runoff["round_kind"] = json!("runoff");
    let r = record("school", json!([election("e", 5, 7, 4), runoff, committee]));
    let list = assess(&facts(r, None), &Context::default());
    assert_eq!(get(&list, "presidium_size").value, "应选 5 名, 当选 5 名");
    assert_eq!(get(&list, "presidium_size").outcome, Outcome::Pass);
    let big = record("school", json!([election("e", 6, 8, 6)]));
    assert_eq!(
        get(
            &assess(&facts(big, None), &Context::default()),
            "presidium_size"
        )
        .outcome,
        Outcome::Fail
    );
    let college = record("college", json!([election("e", 4, 5, 4)]));
    let p = get(
        &assess(&facts(college, None), &Context::default()),
        "presidium_size",
    )
    .clone();
    assert_eq!(
        (p.item.as_str(), p.outcome),
        ("主席团成员不超过3人 (院级)", Outcome::Fail)
    );
}

#[test]
fn an_uncontested_election_fails_with_the_organisers_reason() {
    let mut e = election("e", 5, 5, 5);
    e["margin_override"] = json!("候选人不足");
    e["candidates"][2]["eligibility_override"] = json!("成绩排名前35%");
    let list = assess(
        &facts(record("school", json!([e])), None),
        &Context::default(),
    );
    let m = get(&list, "margin");
    assert_eq!(m.outcome, Outcome::Fail);
    assert_eq!(
        m.value,
        "候选人 5 名, 应选 5 名 (应至少 6 名), 组织者记录的理由: 候选人不足"
    );
    let el = get(&list, "eligibility");
    assert_eq!(el.outcome, Outcome::Fail);
    assert!(
        el.value.contains("候选人2 (理由: 成绩排名前35%)"),
        "{}",
        el.value
    );
}

#[test]
fn quorum_and_work_report_come_from_every_contest() {
    let mut e = election("e", 5, 7, 5);
    e["quorum_met"] = json!(false);
    e["present_at_opening"] = json!(120);
    let list = assess(
        &facts(
            record("school", json!([e, motion("work_report", false)])),
            None,
        ),
        &Context::default(),
    );
    let q = get(&list, "quorum");
    assert_eq!(q.outcome, Outcome::Fail);
    assert_eq!(
        q.value,
        "2 场, 到会最少一场 实到/应到 120/200 (60.0%); 未达法定人数: 主席团选举"
    );
    assert_eq!(
        get(&list, "work_report").value,
        "已表决, 未通过 (赞成 140 票)"
    );
    let none = assess(
        &facts(record("school", json!([motion("charter", true)])), None),
        &Context::default(),
    );
    assert_eq!(get(&none, "work_report").outcome, Outcome::Fail);
    // A contest without the presence figures: not recorded.
    let mut bare = election("e", 5, 7, 5);
    bare.as_object_mut().unwrap().remove("quorum_met");
    let list = assess(
        &facts(record("school", json!([bare])), None),
        &Context::default(),
    );
    assert_eq!(get(&list, "quorum").outcome, Outcome::Unknown);
}

#[test]
fn the_interval_is_counted_in_months_from_the_previous_congress() {
    let r = record("school", json!([]));
    let ctx = |prev: &str| Context {
        previous_congress: Some(prev.to_string()),
        max_interval_months: 24,
    };
    let ok = get(
        &assess(&facts(r.clone(), None), &ctx("2023-06-01")),
        "cycle",
    )
    .clone();
    assert_eq!(
        (ok.outcome, ok.value.as_str()),
        (Outcome::Pass, "距上一次大会 (2023-06-01) 23 个月")
    );
    let late = get(&assess(&facts(r, None), &ctx("2023-05-01")), "cycle").clone();
    assert_eq!(late.outcome, Outcome::Fail);
    assert_eq!(
        late.value,
        "距上一次大会 (2023-05-01) 24 个月, 超过 24 个月"
    );
}

#[test]
fn the_latest_correction_of_an_addendum_counts() {
    let mut f = facts(record("school", json!([])), None);
    f.addenda.insert(
        "approval".into(),
        json!({"body": "党委", "date": "2025-05-20"}),
    );
    f.addenda.insert(
        "approval-2".into(),
        json!({"body": "党委", "date": "2025-05-22", "reference": "2号"}),
    );
    f.addenda.insert(
        "approval-x".into(),
        json!({"body": "伪", "date": "2099-01-01"}),
    );
    assert_eq!(
        get(&assess(&f, &Context::default()), "approval").value,
        "党委 2025-05-22 2号"
    );
    assert_eq!(
        get(&assess(&f, &Context::default()), "notice").outcome,
        Outcome::Unknown
    );
    f.addenda.insert(
        "notice".into(),
        json!({"start": "2025-05-01", "end": "2025-05-07"}),
    );
    let n = get(&assess(&f, &Context::default()), "notice").clone();
    assert_eq!(
        (n.outcome, n.value.as_str()),
        (Outcome::Pass, "已公示 2025-05-01 至 2025-05-07")
    );
    f.addenda.clear();
    assert_eq!(
        get(&assess(&f, &Context::default()), "approval").outcome,
        Outcome::Fail
    );
}
