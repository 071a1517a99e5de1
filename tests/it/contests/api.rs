//! The contests API: bearer authentication, owner / scrutineer / other organiser access, and
//! create, list, edit, move and delete with candidates.

use super::*;
use serde_json::json;

async fn api(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut rb = http.request(method, url);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

both_backends!(api_create_list_edit_and_access, |kind: Kind| {
    let app = TestApp::start(kind, "contests_api");
    block_on(async {
        let (_org, cid) = setup(&app, "school").await;
        app.create_user("jianpiao", Role::Scrutineer);
        crate::common::name_scrutineer(&app.db.db, &cid, "jianpiao");
        app.create_user("other", Role::Organiser);
        let token = |user: &str| {
            let mut c = app.db.db.conn().unwrap();
            service::accounts::create_token(&mut c, &Actor::cli("test"), user, "测试").unwrap()
        };
        let (owner, scrut, other) = (token("zuzhi"), token("jianpiao"), token("other"));
        let http = reqwest::Client::new();
        let base = app.url(&format!("/api/v1/congresses/{cid}/contests"));
        use reqwest::Method as M;

        let (s, _) = api(&http, M::GET, base.clone(), None, None).await;
        assert_eq!(s, 401);
        let election = json!({"kind": "election", "title": "选举主席团成员", "seats": 3});
        let (s, v) = api(
            &http,
            M::POST,
            base.clone(),
            Some(&owner),
            Some(election.clone()),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["kind"], "election");
        assert_eq!(v["threshold_text"], "赞成票超过1/2实到代表数");
        assert_eq!(v["ready"], false);
        let id = v["id"].as_str().unwrap().to_string();
        let one = format!("{base}/{id}");

        for (i, name) in SEVEN[..4].iter().enumerate() {
            let cand = json!({"name": name, "student_no": format!("20210101{i:02}"),
                "college": "法学院", "gender": "male", "political_status": "中共党员",
                "rank_pct": 20, "failed_courses": 0});
            let (s, v) = api(
                &http,
                M::POST,
                format!("{one}/candidates"),
                Some(&owner),
                Some(cand),
            )
            .await;
            assert_eq!(s, 201, "{v}");
            assert!(v["id"].as_str().unwrap().starts_with('k'));
        }
        let bad = json!({"name": "钱多", "student_no": "2021019999", "college": "法学院",
            "political_status": "群众", "rank_pct": 20});
        let (s, v) = api(
            &http,
            M::POST,
            format!("{one}/candidates"),
            Some(&owner),
            Some(bad),
        )
        .await;
        assert_eq!(s, 422);
        assert!(
            v["details"][0].as_str().unwrap().starts_with("规则C3"),
            "{v}"
        );

        let (s, v) = api(&http, M::GET, base.clone(), Some(&owner), None).await;
        assert_eq!(s, 200);
        assert_eq!(v.as_array().unwrap().len(), 1);
        let names: Vec<&str> = v[0]["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["王建国", "李明", "张伟", "赵敏"]);
        assert_eq!(
            v[0]["candidates"][0]["surname_strokes"],
            "王：4画，横横竖横"
        );
        assert_eq!(v[0]["ready"], true);

        let (s, _) = api(
            &http,
            M::PUT,
            one.clone(),
            Some(&owner),
            Some(json!({"title": "选举主席团成员", "seats": 6})),
        )
        .await;
        assert_eq!(s, 422);
        let (s, v) = api(
            &http,
            M::PUT,
            one.clone(),
            Some(&owner),
            Some(json!({"title": "选举第十届主席团成员", "seats": 3, "allow_write_in": true})),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["title"], "选举第十届主席团成员");
        assert_eq!(v["allow_write_in"], true);

        let (s, v) = api(&http, M::GET, one.clone(), Some(&scrut), None).await;
        assert_eq!(s, 200);
        assert_eq!(v["candidates"].as_array().unwrap().len(), 4);
        let (s, _) = api(
            &http,
            M::POST,
            base.clone(),
            Some(&scrut),
            Some(election.clone()),
        )
        .await;
        assert_eq!(s, 403);
        let (s, _) = api(
            &http,
            M::PUT,
            one.clone(),
            Some(&scrut),
            Some(json!({"title": "x", "seats": 1})),
        )
        .await;
        assert_eq!(s, 403);
        let (s, _) = api(&http, M::GET, base.clone(), Some(&other), None).await;
        assert_eq!(s, 403);

        let motion = json!({"kind": "motion", "title": "审议章程修正案", "motion_kind": "charter"});
        let (s, v) = api(&http, M::POST, base.clone(), Some(&owner), Some(motion)).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(
            v["threshold"],
            json!({"base": "present", "num": 2, "den": 3, "strict": false})
        );
        let mid = v["id"].as_str().unwrap().to_string();
        let (s, v) = api(
            &http,
            M::POST,
            format!("{base}/{mid}/move"),
            Some(&owner),
            Some(json!({"direction": "up"})),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(v[0]["id"], mid.as_str());

        let kid = api(&http, M::GET, one.clone(), Some(&owner), None).await.1["candidates"][0]
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, _) = api(
            &http,
            M::DELETE,
            format!("{one}/candidates/{kid}"),
            Some(&owner),
            None,
        )
        .await;
        assert_eq!(s, 204);
        let (s, _) = api(&http, M::DELETE, one.clone(), Some(&owner), None).await;
        assert_eq!(s, 204);
        let (s, _) = api(&http, M::GET, one.clone(), Some(&owner), None).await;
        assert_eq!(s, 404);
    });
});
