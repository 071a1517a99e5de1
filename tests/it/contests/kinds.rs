//! Elections other than the presidium (issue 12.9) and per-contest threshold deviations
//! (issue 12.3), through the API and the form: C1 caps only the presidium, C3 applies only to
//! presidium candidates, and a threshold other than the default needs a reason.

use super::*;
use serde_json::json;

both_backends!(election_kinds_and_their_limits, |kind: Kind| {
    let app = TestApp::start(kind, "election_kinds");
    block_on(async {
        let (org, cid) = setup(&app, "school").await;
        let token = {
            let mut c = app.db.db.conn().unwrap();
            service::accounts::create_token(&mut c, &Actor::cli("test"), "zuzhi", "t").unwrap()
        };
        let http = reqwest::Client::new();
        let base = app.url(&format!("/api/v1/congresses/{cid}/contests"));
        let post = |body: Value| http.post(&base).bearer_auth(&token).json(&body).send();

        // The presidium is capped at 5 (C1, school level); a committee of 9 is not.
        let r = post(json!({"kind": "election", "title": "选举主席团成员", "seats": 6}))
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert!(
            v["details"][0].as_str().unwrap().contains("不得超过5名"),
            "{v}"
        );
        let r = post(json!({"kind": "election", "title": "选举学生会委员会委员",
            "seats": 9, "election_kind": "committee"}))
        .await
        .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["election_kind"], "committee");
        assert_eq!(v["election_kind_zh"], "委员会");
        let committee = v["id"].as_str().unwrap().to_string();
        let r = post(json!({"kind": "election", "title": "补选常任代表",
            "seats": 12, "election_kind": "standing"}))
        .await
        .unwrap();
        assert_eq!(r.status(), 201);
        let r = post(json!({"kind": "election", "title": "x", "seats": 1,
            "election_kind": "council"}))
        .await
        .unwrap();
        assert_eq!(r.status(), 400, "an unknown kind is a malformed body");

        // C3 is for the presidium: a committee candidate with a failed course does not block.
        for (i, name) in SEVEN.iter().enumerate().take(5) {
            let extra: &[(&str, &str)] = if i == 0 {
                &[("failed_courses", "2"), ("political_status", "群众")]
            } else {
                &[]
            };
            let r = add(
                &org,
                &cid,
                &committee,
                name,
                &format!("20210101{i:02}"),
                extra,
            )
            .await;
            assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        }
        let c = contest(&app, &committee);
        assert_eq!(c.def.seats, Some(9));
        let (_, page) = org
            .get_text(&format!("/c/{cid}/contests/{committee}"))
            .await;
        assert!(
            !page.contains("规则C3：候选人") && page.contains("<td>不适用</td>"),
            "{page}"
        );
        assert!(page.contains("现有可参选的候选人5名"));
        // The page form offers the kinds, and a presidium made through it is capped.
        let (_, page) = org
            .get_text(&format!("/c/{cid}/contests/new?kind=election"))
            .await;
        assert!(
            page.contains("<option value=\"standing\">常任代表</option>"),
            "{page}"
        );
        let r = org
            .post_form(
                &format!("/c/{cid}/contests/new?kind=election"),
                &[
                    ("title", "选举委员会"),
                    ("election_kind", "committee"),
                    ("seats", "15"),
                    ("threshold_preset", "settings"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);

        // A threshold other than the congress's F1 setting needs a reason (422 naming F1),
        // and is kept with it.
        let deviating = json!({"kind": "election", "title": "选举主席团成员", "seats": 5,
            "threshold": {"base": "valid_ballots", "num": 1, "den": 2, "strict": true}});
        let r = post(deviating.clone()).await.unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert!(
            v["details"][0]
                .as_str()
                .unwrap()
                .starts_with("规则F1: 本事项的通过标准“赞成票超过1/2有效票数”与规则默认的“赞成票超过1/2实到代表数”不同, 须填写理由"),
            "{v}"
        );
        let mut with_reason = deviating.clone();
        with_reason["threshold_reason"] = json!("按有效票计算, 经主席团会议决定");
        let r = post(with_reason).await.unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["threshold_reason"], "按有效票计算, 经主席团会议决定");
        assert_eq!(v["election_kind"], "presidium");
        // A fraction the rules do not list is refused even with a reason.
        let mut low = deviating;
        low["threshold"]["num"] = json!(1);
        low["threshold"]["den"] = json!(100);
        low["threshold_reason"] = json!("试试");
        let r = post(low).await.unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert!(v["details"][0]
            .as_str()
            .unwrap()
            .starts_with("规则F1: 当选须赞成票超过半数"));
    });
});
