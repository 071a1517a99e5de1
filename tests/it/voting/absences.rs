//! Approved absences (请假, rule D1; issue 12.4): recorded and withdrawn with a reason on the
//! attendance page, through the API and the CLI, before the session only; 应到 and the quorum
//! show them; every change audited.

use super::*;
use crate::common::Kind;
use congress::domain::ids::CongressId;
use congress::domain::settings::RuleProfile;
use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use congress::storage::repo::{audit as audit_repo, congress as congress_repo};
use serde_json::{json, Value};

both_backends!(absences_before_the_session_reduce_expected, |kind: Kind| {
    let app = TestApp::start(kind, "absences");
    let fx = fixture::before_session(&app, 30);
    let cid = fx.congress_id.clone();
    {
        let mut c = app.db.db.conn().unwrap();
        let p = RuleProfile {
            subtract_approved_absences: true,
            ..RuleProfile::default()
        };
        congress_repo::update_settings(&mut c, &CongressId::from(&cid), &p).unwrap();
    }
    block_on(async {
        let staff = organiser(&app).await;
        let path = format!("/c/{cid}/attendance/absence");
        // A reason is required.
        let (status, _, body) = staff_post(
            &staff,
            &path,
            &[("delegate_no", "3"), ("approved", "1"), ("reason", " ")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(body.contains("请填写请假理由"), "{body}");
        let (status, loc, _) = staff_post(
            &staff,
            &path,
            &[
                ("delegate_no", "3"),
                ("approved", "1"),
                ("reason", "参加全国大学生数学竞赛(学院批准)"),
            ],
        )
        .await;
        assert_eq!(
            (status, loc.as_str()),
            (303, format!("/c/{cid}/attendance").as_str())
        );
        let (_, page) = staff.get_text(&format!("/c/{cid}/attendance")).await;
        assert!(page.contains("已登记"), "{page}");
        assert!(
            page.contains("请假 (参加全国大学生数学竞赛(学院批准))"),
            "{page}"
        );
        assert!(page.contains("名单 30 人, 请假 1 人"), "{page}");
        assert!(page.contains("<p class=\"big\">29</p>"), "{page}");
        assert!(page.contains("应到已扣除请假 1 人 (规则 D1)"));

        // The API: the owner records another, a scrutineer may not; figures follow.
        let token = |user: &str| {
            let mut c = app.db.db.conn().unwrap();
            service::accounts::create_token(&mut c, &Actor::cli("test"), user, "t").unwrap()
        };
        app.create_user("jianpiao", Role::Scrutineer);
        // A scrutineer of this congress (scrutineers are authorised per congress).
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao");
        let (t_org, t_scr) = (token(fixture::ORGANISER), token("jianpiao"));
        let http = reqwest::Client::new();
        let post = |t: &str, body: Value| {
            http.post(app.url(&format!("/api/v1/congresses/{cid}/absences")))
                .bearer_auth(t)
                .json(&body)
                .send()
        };
        let sick = json!({"delegate_no": 4, "approved": true, "reason": "病假(校医院证明)"});
        let r = post(&t_scr, sick.clone()).await.unwrap();
        assert_eq!(r.status(), 403);
        let r = post(&t_org, sick).await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["changed"], true);
        assert_eq!(v["delegate"]["absence_reason"], "病假(校医院证明)");
        assert_eq!(
            (
                v["figures"]["absences"].as_u64(),
                v["figures"]["expected"].as_u64()
            ),
            (Some(2), Some(28))
        );
        // 2/3 of 28 is 18.67: at least 19 needed.
        assert_eq!(v["figures"]["quorum_needed"], 19);
        let r = post(
            &t_org,
            json!({"delegate_no": 4, "approved": false, "reason": "已康复, 能到会"}),
        )
        .await
        .unwrap();
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["figures"]["expected"], 29);
        assert!(v["delegate"]["absence_reason"].is_null());
        let r = http
            .get(app.url(&format!("/api/v1/congresses/{cid}/attendance")))
            .bearer_auth(&t_scr)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["delegates"][2]["absence_approved"], true);
        assert_eq!(v["figures"]["absences"], 1);

        // The CLI, on the same database.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_congress"))
            .args([
                "--database-url",
                &app.db.url,
                "attendance",
                "absence",
                "--congress",
                &cid,
            ])
            .args(["--delegate", "5", "--reason", "代表学校参加省运会"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_congress"))
            .args([
                "--database-url",
                &app.db.url,
                "attendance",
                "show",
                "--congress",
                &cid,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("应到 28 (名单 30 人, 请假 2 人)"), "{text}");
        assert!(text.contains("代表学校参加省运会"), "{text}");

        // Audited, with reasons.
        let mut c = app.db.db.conn().unwrap();
        let log = audit_repo::list(&mut c, Some(&cid)).unwrap();
        let actions: Vec<&str> = log
            .iter()
            .filter(|e| e.action.starts_with("attendance.absence"))
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(
            actions,
            [
                "attendance.absence_approved",
                "attendance.absence_approved",
                "attendance.absence_withdrawn",
                "attendance.absence_approved"
            ]
        );
        assert!(log.iter().any(|e| e
            .after
            .as_deref()
            .is_some_and(|a| a.contains("已康复, 能到会"))));

        // Once the session is open, absences can no longer change; a checked-in delegate
        // could never be marked absent.
        let r = http
            .post(app.url(&format!("/api/v1/congresses/{cid}/session/open")))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let (status, _, body) = staff_post(
            &staff,
            &path,
            &[("delegate_no", "6"), ("approved", "1"), ("reason", "迟到")],
        )
        .await;
        assert_eq!(status, 409);
        assert!(body.contains("已经不能登记或撤销请假"), "{body}");
    });
});
