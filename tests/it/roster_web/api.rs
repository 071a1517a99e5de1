//! The roster API with bearer tokens: files, quota, generate, roster upload, check, freeze
//! and unfreeze (401, 403, 200, 409, 422), and the OpenAPI document listing them.

use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use serde_json::Value;

use super::{block_on, entries, fixture, new_congress, sample, stored};
use crate::common::http::TestApp;
use crate::common::Kind;

fn token(app: &TestApp, username: &str) -> String {
    let mut c = app.db.db.conn().unwrap();
    service::accounts::create_token(&mut c, &Actor::cli("test"), username, "测试").unwrap()
}

both_backends!(api_roster_workflow, |kind: Kind| {
    let app = TestApp::start(kind, "api_roster_workflow");
    block_on(async {
        let org = app.login_as("tuanwei_xu", Role::Organiser).await;
        let cid = new_congress(&org).await;
        app.create_user("tuanwei_gao", Role::Organiser);
        app.create_user("jianpiao_lv", Role::Scrutineer);
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao_lv");
        let (t_org, t_other, t_scr) = (
            token(&app, "tuanwei_xu"),
            token(&app, "tuanwei_gao"),
            token(&app, "jianpiao_lv"),
        );
        let http = reqwest::Client::new();
        let api = |p: &str| app.url(&format!("/api/v1/congresses/{cid}{p}"));
        let put = |p: &str, t: Option<&str>, body: Vec<u8>| {
            let mut r = http.put(api(p)).body(body);
            if let Some(t) = t {
                r = r.bearer_auth(t);
            }
            r.send()
        };

        let r = put(
            "/files/enrolment?name=人数.csv",
            None,
            sample("enrolment.csv"),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "unauthorized");
        for t in [&t_scr, &t_other] {
            let r = put("/files/enrolment", Some(t), sample("enrolment.csv"))
                .await
                .unwrap();
            assert_eq!(r.status(), 403);
            assert_eq!(r.json::<Value>().await.unwrap()["code"], "forbidden");
        }
        assert!(entries(&app, &cid, "files.import").is_empty());

        // A bad file: 422 with every row error in details; nothing stored.
        let r = put(
            "/files/enrolment?name=enrolment_bad_count.gbk.csv",
            Some(&t_org),
            fixture("enrolment_bad_count.gbk.csv"),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "unprocessable");
        assert!(v["details"][0]
            .as_str()
            .unwrap()
            .starts_with("enrolment_bad_count.gbk.csv 第7行 “人数”列: “约452”"));
        let r = http
            .get(api("/quota"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "no enrolment yet");

        let r = put(
            "/files/enrolment?name=人数.gbk.csv",
            Some(&t_org),
            fixture("enrolment.gbk.csv"),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["kind"], "enrolment");
        assert_eq!(v["file"], "人数.gbk.csv");
        assert_eq!(v["rows"], 32);
        assert_eq!(v["preview"]["headers"][0], "学院");
        assert_eq!(v["preview"]["rows"][0][2], "742");
        assert_eq!(v["preview"]["total"], 32);
        for (kind, file) in [("societies", "societies.csv"), ("nominees", "nominees.csv")] {
            let r = put(
                &format!("/files/{kind}?name={file}"),
                Some(&t_org),
                sample(file),
            )
            .await
            .unwrap();
            assert_eq!(r.status(), 200, "{kind}");
        }
        let r = put("/files/roster", Some(&t_org), sample("nominees.csv"))
            .await
            .unwrap();
        assert_eq!(r.status(), 404);

        // Quota: readable by a scrutineer, not by another congress's organiser.
        let r = http
            .get(api("/quota"))
            .bearer_auth(&t_scr)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let q: Value = r.json().await.unwrap();
        assert_eq!(q["total"], 164);
        assert_eq!(q["congress_minimum"], 160);
        assert_eq!(q["method"], "hamilton");
        let quotas: Vec<u64> = q["colleges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["quota"].as_u64().unwrap())
            .collect();
        assert_eq!(quotas, vec![33, 19, 28, 30, 16, 15, 19, 4]);
        let r = http
            .get(api("/quota"))
            .bearer_auth(&t_other)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);

        // Generate, then the roster with its reports.
        let r = http
            .post(api("/roster/generate"))
            .bearer_auth(&t_scr)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let r = http
            .post(api("/roster/generate"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let g: Value = r.json().await.unwrap();
        assert_eq!(g["delegates"], 164);
        assert_eq!(g["report"]["valid"], true);
        let subs = g["substitutions"].as_array().unwrap();
        assert_eq!(subs.len(), 4);
        assert_eq!(subs[3]["rule"], "B3");
        assert_eq!(subs[3]["college"], "文学院");
        let r = http
            .get(api("/roster"))
            .bearer_auth(&t_scr)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let ro: Value = r.json().await.unwrap();
        assert_eq!(ro["state"], "setup");
        assert_eq!(ro["delegates"].as_array().unwrap().len(), 164);
        assert_eq!(ro["delegates"][0]["delegate_no"], 1);
        assert_eq!(ro["delegates"][0]["kind"], "elected");
        assert_eq!(ro["current"]["valid"], true);
        assert_eq!(ro["current"]["summary"]["total"], 164);
        assert_eq!(ro["stored"]["source"], "generated");
        assert_eq!(ro["stored"]["substitutions"].as_array().unwrap().len(), 4);

        // Upload a short roster: stored, invalid; freezing it is refused with the violations.
        let text = String::from_utf8(fixture("roster.utf8.csv")).unwrap();
        let short: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i == 0 || *i > 3)
            .map(|(_, l)| l)
            .collect();
        let r = put(
            "/roster?name=短名单.csv",
            Some(&t_org),
            short.join("\n").into_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let u: Value = r.json().await.unwrap();
        assert_eq!(u["delegates"], 161);
        assert_eq!(u["report"]["valid"], false);
        assert_eq!(u["report"]["violations"][0]["rule"], "B1");
        assert_eq!(u["report"]["violations"][0]["college"], "计算机学院");
        assert_eq!(u["report"]["violations"][0]["required"], 33);
        assert_eq!(u["report"]["violations"][0]["found"], 30);
        let r = http
            .post(api("/roster/check"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["valid"], false);
        let r = http
            .post(api("/roster/freeze"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert!(v["details"][0]
            .as_str()
            .unwrap()
            .starts_with("规则B1 [计算机学院] 应为33 实际30"));

        let r = put(
            "/roster?name=roster.gbk.csv",
            Some(&t_org),
            fixture("roster.gbk.csv"),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["report"]["valid"], true);
        let r = http
            .post(api("/roster/freeze"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["state"], "roster_frozen");
        assert_eq!(stored(&app, &cid).state.as_str(), "roster_frozen");

        // Too late: 409 with the state machine's message.
        let r = put(
            "/files/nominees?name=n.csv",
            Some(&t_org),
            sample("nominees.csv"),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 409);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "wrong_state");
        assert!(v["message"]
            .as_str()
            .unwrap()
            .starts_with("已经不能导入名单文件"));
        let r = put("/roster", Some(&t_org), fixture("roster.gbk.csv"))
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        let r = http
            .post(api("/roster/generate"))
            .bearer_auth(&t_org)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);

        // Unfreeze: reason required.
        let unfreeze = |body: Value| {
            http.post(api("/roster/unfreeze"))
                .bearer_auth(&t_org)
                .json(&body)
                .send()
        };
        let r = unfreeze(serde_json::json!({"reason": "  "})).await.unwrap();
        assert_eq!(r.status(), 422);
        let r = unfreeze(serde_json::json!({})).await.unwrap();
        assert_eq!(r.status(), 400);
        let r = unfreeze(serde_json::json!({"reason": "机械工程学院名额调整"}))
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["state"], "setup");
        let u = entries(&app, &cid, "roster.unfreeze");
        assert_eq!(u[0].actor, "tuanwei_xu");
        assert!(u[0]
            .after
            .as_deref()
            .unwrap()
            .contains("机械工程学院名额调整"));
        assert_eq!(entries(&app, &cid, "roster.upload").len(), 2);
        assert_eq!(entries(&app, &cid, "files.import").len(), 3);
    });
});

both_backends!(api_infeasible_generation_and_document, |kind: Kind| {
    let app = TestApp::start(kind, "api_infeasible_generation_and_document");
    block_on(async {
        let org = app.login_as("tuanwei_tian", Role::Organiser).await;
        let cid = new_congress(&org).await;
        let t = token(&app, "tuanwei_tian");
        let http = reqwest::Client::new();
        let api = |p: &str| app.url(&format!("/api/v1/congresses/{cid}{p}"));
        let r = http
            .put(api("/files/enrolment?name=e.csv"))
            .bearer_auth(&t)
            .body("学院,年级,人数\n信息学院,2023级,900\n".as_bytes().to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        // 9 seats, 3 nominees: no roster can meet B1.
        let nominees = "姓名,学号,学院,年级,性别,学生会职务,得票\n\
            王芳,2023000001,信息学院,2023级,女,,30\n李强,2023000002,信息学院,2023级,男,,20\n\
            张伟,2023000003,信息学院,2023级,男,,10\n";
        let r = http
            .put(api("/files/nominees?name=n.csv"))
            .bearer_auth(&t)
            .body(nominees.as_bytes().to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let r = http
            .post(api("/roster/generate"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "infeasible");
        assert_eq!(v["violations"][0]["rule"], "B1");
        assert_eq!(v["violations"][0]["college"], "信息学院");
        assert_eq!(v["violations"][0]["required"], 9);
        assert_eq!(v["violations"][0]["found"], 3);
        assert!(entries(&app, &cid, "roster.generate").is_empty());
        // The page says the same.
        let r = org
            .post_form(&format!("/c/{cid}/roster/generate"), &[])
            .await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("无法生成符合规则的代表名单, 当前名单未改变"),
            "{page}"
        );
        assert!(page.contains(
            "<td>B1</td><td>信息学院</td><td class=\"num\">9</td><td class=\"num\">3</td>"
        ));

        let doc: Value = http
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for p in [
            "/api/v1/congresses/{cid}/files/{kind}",
            "/api/v1/congresses/{cid}/quota",
            "/api/v1/congresses/{cid}/roster",
            "/api/v1/congresses/{cid}/roster/generate",
            "/api/v1/congresses/{cid}/roster/check",
            "/api/v1/congresses/{cid}/roster/freeze",
            "/api/v1/congresses/{cid}/roster/unfreeze",
        ] {
            assert!(paths.contains_key(p), "{p}");
        }
        assert!(paths["/api/v1/congresses/{cid}/roster"]
            .get("put")
            .is_some());
    });
});
