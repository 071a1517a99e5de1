//! The API's approval steps (rules C5-C7, G4; `/api/v1/congresses/{cid}/approval...`) on the
//! API congress `$aid`, walked before its session is declared open: the owner alone may read
//! the state and record each step (201, signed, audited); everyone else gets 401/403.

use super::{get, post, Body, Reply, Row, Step, Vars, A_CREATED, A_OWN, P};
use crate::common::http::TestApp;
use congress::domain::ids::{CongressId, ContestId};
use congress::storage::repo::contests as contests_repo;

fn seq(v: &mut Vars, _: &TestApp, p: P, r: &Reply) {
    if p == P::Owner {
        let j: serde_json::Value = serde_json::from_slice(&r.bytes).expect("json");
        v.set("aapp", j["seq"].as_i64().expect("seq").to_string());
    }
}

fn step_row(kind_body: &'static str, audit: &'static str) -> Row {
    post(
        "/api/v1/congresses/{cid}/approval/contests/{kid}/steps",
        "/api/v1/congresses/$aid/approval/contests/$aelection/steps",
        Body::Json(kind_body),
        A_CREATED,
    )
    .audit(audit)
}

pub fn steps() -> Vec<Step> {
    use Step::{Db, Walk};
    vec![
        Db(|app, v| {
            v.set("today", congress::service::addenda::today_cst().to_string());
            let mut c = app.db.db.conn().unwrap();
            let mut k = contests_repo::candidates(&mut c, &ContestId::from(v.get("aelection"))).unwrap();
            if k.is_empty() {
                // The walk removed its candidates; one for the notice and the objection.
                let data = congress::service::contests::CandidateData {
                    name: "孙候选".into(),
                    student_no: "2023999".into(),
                    college: "文学院".into(),
                    gender: None,
                    political_status: "共青团员".into(),
                    rank_pct: Some(10),
                    failed_courses: 0,
                    eligibility_override: None,
                };
                congress::service::contests::add_candidate(
                    &mut c,
                    &congress::service::Actor::cli("test-fixture"),
                    &CongressId::from(v.get("aid")),
                    &ContestId::from(v.get("aelection")),
                    &data,
                )
                .unwrap();
                k = contests_repo::candidates(&mut c, &ContestId::from(v.get("aelection"))).unwrap();
            }
            v.set("aecand", k[0].id.clone());
        }),
        Walk(
            get(
                "/api/v1/congresses/{cid}/approval",
                "/api/v1/congresses/$aid/approval",
                A_OWN,
            )
            .says("\"enforced\":true"),
        ),
        Walk(step_row(
            r#"{"kind": "party_approval", "body": "中共乙城大学委员会", "reference": "乙大党字〔2026〕3号", "date": "$today"}"#,
            "approval.party_approval",
        )),
        Walk(step_row(
            r#"{"kind": "notice", "date": "$today"}"#,
            "approval.notice",
        )),
        Db(|app, v| {
            let mut c = app.db.db.conn().unwrap();
            let input = congress::service::approval::ObjectionInput {
                candidate_id: v.get("aecand").to_string(),
                body: "异议".into(),
                name: "钱同学".into(),
                contact: "13900139000".into(),
            };
            let id = congress::service::approval::submit_objection(
                &mut c,
                &CongressId::from(v.get("aid")),
                "10.0.0.10",
                &input,
            )
            .map_err(|_| "objection refused")
            .unwrap();
            v.set("aoid", id);
        }),
        Walk(
            post(
                "/api/v1/congresses/{cid}/approval/objections/{oid}",
                "/api/v1/congresses/$aid/approval/objections/$aoid",
                Body::Json(r#"{"handling": "经核实, 异议不成立, 已当面答复"}"#),
                A_CREATED,
            )
            .audit("approval.objection"),
        ),
        Walk(step_row(
            r#"{"kind": "notice_override", "reason": "校党委同意提前"}"#,
            "approval.notice_override",
        )),
        Walk(
            post(
                "/api/v1/congresses/{cid}/approval/applications",
                "/api/v1/congresses/$aid/approval/applications",
                Body::Json(
                    r#"{"kind": "convene", "body": "省学联", "start": "$today", "end": "$today"}"#,
                ),
                A_CREATED,
            )
            .audit("approval.application_convene")
            .capture(seq),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/approval/replies",
                "/api/v1/congresses/$aid/approval/replies",
                Body::Json(
                    r#"{"application": $aapp, "body": "省学联", "reply": "同意召开", "date": "$today"}"#,
                ),
                A_CREATED,
            )
            .audit("approval.reply"),
        ),
        Walk(
            post(
                "/api/v1/congresses/{cid}/approval/session-override",
                "/api/v1/congresses/$aid/approval/session-override",
                Body::Json(r#"{"reason": "答复原件在途"}"#),
                A_CREATED,
            )
            .audit("approval.session_override"),
        ),
    ]
}
