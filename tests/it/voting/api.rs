//! The API does what the staff pages do (issue 12.10): cards, the session, check-in, opening
//! and closing contests, paper ballots entered as marked, the count and the roll, each with
//! the pages' authorisation (the owner; scrutineers for check-in and paper ballots).

use super::*;
use crate::common::Kind;
use congress::domain::ids::ContestId;
use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use serde_json::{json, Value};

both_backends!(a_contest_run_through_the_api, |kind: Kind| {
    let app = TestApp::start(kind, "voting_api");
    let fx = fixture::before_session(&app, 30);
    let cid = fx.congress_id.clone();
    app.create_user("jianpiao", Role::Scrutineer);
    // A scrutineer of this congress (scrutineers are authorised per congress).
    crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao");
    let token = |user: &str| {
        let mut c = app.db.db.conn().unwrap();
        service::accounts::create_token(&mut c, &Actor::cli("test"), user, "t").unwrap()
    };
    let (org, scr) = (token(fixture::ORGANISER), token("jianpiao"));
    block_on(async {
        let http = reqwest::Client::new();
        let url = |p: &str| app.url(&format!("/api/v1/congresses/{cid}{p}"));
        let call = |method: reqwest::Method, p: &str, t: &str, body: Option<Value>| {
            let mut rb = http.request(method, url(p)).bearer_auth(t);
            if let Some(b) = body {
                rb = rb.json(&b);
            }
            async move {
                let r = rb.send().await.unwrap();
                let status = r.status().as_u16();
                let no_store = r
                    .headers()
                    .get("cache-control")
                    .is_some_and(|v| v == "no-store");
                let v: Value = r.json().await.unwrap_or(Value::Null);
                (status, v, no_store)
            }
        };
        use reqwest::Method as M;

        // Cards: the owner reads them (never cached); a scrutineer may not.
        let (s, cards, no_store) = call(M::GET, "/credentials", &org, None).await;
        assert_eq!(s, 200);
        assert!(no_store);
        assert_eq!(cards.as_array().unwrap().len(), 30);
        assert!(cards[0]["login_url"].as_str().unwrap().contains("/t/"));
        assert_eq!(call(M::GET, "/credentials", &scr, None).await.0, 403);
        let old = cards[4]["code"].clone();
        let (s, card, _) = call(
            M::POST,
            "/credentials/reissue",
            &org,
            Some(json!({"delegate_no": 5})),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(card["delegate_no"], 5);
        assert_ne!(card["code"], old, "a reissued card has a new code");

        // The session, check-in by a scrutineer, the contest opened by the owner.
        assert_eq!(call(M::POST, "/session/open", &scr, None).await.0, 403);
        let (s, v, _) = call(M::POST, "/session/open", &org, None).await;
        assert_eq!(s, 200, "{v}");
        for no in 1..=22 {
            let (s, _, _) = call(
                M::POST,
                "/attendance",
                &scr,
                Some(json!({"delegate_no": no, "present": true})),
            )
            .await;
            assert_eq!(s, 200);
        }
        let election = format!("/contests/{}", fx.election);
        let motion = format!("/contests/{}", fx.work_report);
        assert_eq!(
            call(M::POST, &format!("{election}/open"), &scr, None)
                .await
                .0,
            403
        );
        for k in [&election, &motion] {
            let (s, v, _) = call(M::POST, &format!("{k}/open"), &org, None).await;
            assert_eq!(s, 200, "{v}");
            assert_eq!(
                (v["state"].as_str(), v["issued"].as_u64()),
                (Some("open"), Some(22))
            );
        }

        // Paper ballots: delegates 1 and 2 in the election, 3 in the motion.
        for (k, no) in [(&election, 1), (&election, 2), (&motion, 3)] {
            let (s, v, _) = call(
                M::POST,
                &format!("{k}/paper/assign"),
                &scr,
                Some(json!({"delegate_no": no})),
            )
            .await;
            assert_eq!(s, 200, "{v}");
        }
        let listed = contests_repo::candidates(
            &mut app.db.db.conn().unwrap(),
            &ContestId::from(&fx.election),
        )
        .unwrap();
        let (first, second) = (&listed[0], &listed[1]);
        let spoiled =
            json!({"candidates": {first.id.clone(): "for"}, "write_ins": [second.name.clone()]});
        let (s, v, _) = call(M::POST, &format!("{election}/paper"), &scr, Some(spoiled)).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["ballot_hash"].as_str().unwrap().len(), 64);
        let plain = json!({"candidates": {first.id.clone(): "for", second.id.clone(): "against"}});
        assert_eq!(
            call(M::POST, &format!("{election}/paper"), &scr, Some(plain))
                .await
                .0,
            201
        );
        let (s, v, _) = call(
            M::POST,
            &format!("{motion}/paper"),
            &scr,
            Some(json!({"marks": []})),
        )
        .await;
        assert_eq!(s, 201);
        assert_eq!(v["voting"]["paper_entered"], 1);
        let (s, roll, _) = call(M::GET, &format!("{election}/roll"), &scr, None).await;
        assert_eq!(s, 200);
        let nos: Vec<u64> = roll
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["delegate_no"].as_u64().unwrap())
            .collect();
        assert_eq!(nos, [1, 2]);

        // Closing with no paper outstanding counts at once.
        assert_eq!(
            call(M::POST, &format!("{election}/close"), &scr, None)
                .await
                .0,
            403
        );
        let (s, v, _) = call(M::POST, &format!("{election}/close"), &org, None).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["state"], "final");
        assert_eq!(
            (
                v["result"]["cast"].as_u64(),
                v["result"]["invalid"].as_u64()
            ),
            (Some(2), Some(1))
        );
        assert_eq!(v["result"]["invalid_reasons"]["另选他人为已列候选人"], 1);
        let (s, v, _) = call(M::POST, &format!("{motion}/close"), &org, None).await;
        assert_eq!(s, 200);
        assert_eq!(v["result"]["invalid_reasons"]["空白票"], 1);
        let (s, v, _) = call(M::POST, &format!("{motion}/count"), &org, Some(json!({}))).await;
        assert_eq!(s, 409, "counted once: {v}");
        let (s, v, _) = call(M::GET, &format!("{motion}/voting"), &scr, None).await;
        assert_eq!(
            (s, v["cast"].as_i64(), v["roll"].as_i64()),
            (200, Some(1), Some(1))
        );

        // The OpenAPI document lists every one of them.
        let doc: Value = http
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for path in [
            "/api/v1/congresses/{cid}/credentials",
            "/api/v1/congresses/{cid}/credentials/issue",
            "/api/v1/congresses/{cid}/credentials/reissue",
            "/api/v1/congresses/{cid}/session/open",
            "/api/v1/congresses/{cid}/attendance",
            "/api/v1/congresses/{cid}/absences",
            "/api/v1/congresses/{cid}/contests/{id}/voting",
            "/api/v1/congresses/{cid}/contests/{id}/open",
            "/api/v1/congresses/{cid}/contests/{id}/close",
            "/api/v1/congresses/{cid}/contests/{id}/count",
            "/api/v1/congresses/{cid}/contests/{id}/paper/assign",
            "/api/v1/congresses/{cid}/contests/{id}/paper",
            "/api/v1/congresses/{cid}/contests/{id}/roll",
            "/api/v1/congresses/{cid}/contests/{id}/not-held",
            "/api/v1/congresses/{cid}/addenda",
        ] {
            assert!(
                doc["paths"].get(path).is_some(),
                "{path} missing from the OpenAPI document"
            );
        }
    });
});
