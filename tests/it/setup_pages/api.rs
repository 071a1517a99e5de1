//! The API: scrutineers and audit entries with bearer tokens (401, 403, 201, 204, 409).

use congress::service::{self, Actor};
use congress::storage::repo::users::Role;

use super::{block_on, new_congress};
use crate::common::http::TestApp;
use crate::common::Kind;

fn token(app: &TestApp, username: &str) -> String {
    let mut c = app.db.db.conn().unwrap();
    service::accounts::create_token(&mut c, &Actor::cli("test"), username, "测试").unwrap()
}

both_backends!(api_scrutineers_and_audit, |kind: Kind| {
    let app = TestApp::start(kind, "api_scrutineers_and_audit");
    block_on(async {
        let org = app.login_as("tuanwei_feng", Role::Organiser).await;
        let cid = new_congress(&org).await;
        app.create_user("tuanwei_guo", Role::Organiser);
        app.create_user("jianpiao_tang", Role::Scrutineer);
        // Named as a 监票人 of this congress (it could not read it otherwise).
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao_tang");
        let (t_org, t_other, t_scr) = (
            token(&app, "tuanwei_feng"),
            token(&app, "tuanwei_guo"),
            token(&app, "jianpiao_tang"),
        );
        let http = reqwest::Client::new();
        let url = app.url(&format!("/api/v1/congresses/{cid}/scrutineers"));
        let body =
            serde_json::json!({"role": "chief", "name": "王建国", "student_no": "2021010101"});

        let r = http.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 401);
        let r = http.post(&url).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 401);
        let r = http
            .post(&url)
            .bearer_auth(&t_scr)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "a scrutineer may not write");
        let r = http
            .post(&url)
            .bearer_auth(&t_other)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "another congress's organiser");
        let r = http.get(&url).bearer_auth(&t_other).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["code"], "forbidden");

        let r = http
            .post(&url)
            .bearer_auth(&t_org)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let made: serde_json::Value = r.json().await.unwrap();
        assert_eq!(made["role"], "chief");
        assert_eq!(made["role_zh"], "总监票人");
        let id = made["id"].as_str().unwrap().to_string();
        let again = serde_json::json!({"role": "总监票人", "name": "赵敏"});
        let r = http
            .post(&url)
            .bearer_auth(&t_org)
            .json(&again)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(v["message"]
            .as_str()
            .unwrap()
            .contains("总监票人只能有一名"));
        let bad = serde_json::json!({"role": "boss", "name": "赵敏"});
        let r = http
            .post(&url)
            .bearer_auth(&t_org)
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);

        let r = http.get(&url).bearer_auth(&t_scr).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let list: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            list.as_array().unwrap().len(),
            2,
            "王建国 and the account's 监票人"
        );
        assert_eq!(list[0]["name"], "王建国");
        assert_eq!(list[0]["student_no"], "2021010101");

        let del = app.url(&format!("/api/v1/congresses/{cid}/scrutineers/{id}"));
        let r = http.delete(&del).bearer_auth(&t_scr).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = http.delete(&del).bearer_auth(&t_org).send().await.unwrap();
        assert_eq!(r.status(), 204);
        let r = http.delete(&del).bearer_auth(&t_org).send().await.unwrap();
        assert_eq!(r.status(), 404);

        let audit_url = app.url(&format!("/api/v1/congresses/{cid}/audit"));
        assert_eq!(http.get(&audit_url).send().await.unwrap().status(), 401);
        let r = http
            .get(&audit_url)
            .bearer_auth(&t_other)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = http
            .get(format!("{audit_url}?action=scrutineer.&limit=1"))
            .bearer_auth(&t_scr)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["total"], 2);
        assert_eq!(v["limit"], 1);
        let e = &v["entries"][0];
        assert_eq!(e["action"], "scrutineer.remove", "newest first");
        assert_eq!(e["action_zh"], "删除监票人员");
        assert_eq!(e["actor"], "tuanwei_feng");
        assert_eq!(e["before"]["name"], "王建国");
        assert!(e["after"].is_null());
        // The page's 对象 and 详情 columns, in the same words.
        assert!(
            e["details_zh"]
                .as_str()
                .is_some_and(|d| d.contains("王建国")),
            "{e}"
        );
        let r = http
            .get(format!("{audit_url}?limit=abc"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(v["message"].as_str().unwrap().contains("limit"));

        let doc: serde_json::Value = http
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for p in [
            "/api/v1/congresses/{cid}/scrutineers",
            "/api/v1/congresses/{cid}/scrutineers/{id}",
            "/api/v1/congresses/{cid}/audit",
        ] {
            assert!(doc["paths"].get(p).is_some(), "{p} documented");
        }
    });
});
