//! The term's JSON API (issue 15) through HTTP on both backends: the term read, standing
//! quotas, nomination (a number that is no delegate refused, nothing stored), freezing, a
//! 评议会 created with a participant, a review's settings refused then saved; every change
//! audited, a scrutineer refused every change.

use congress::service::{self, Actor};
use congress::storage::repo::audit as audit_repo;
use congress::storage::repo::users::Role;
use serde_json::{json, Value};

use crate::common::Kind;
use crate::results::fixture::{block_on, certified};

both_backends!(the_term_through_the_api, |kind: Kind| {
    let w = certified(kind, "term_api");
    w.app.create_user("jianpiao", Role::Scrutineer);
    w.link_scrutineer("jianpiao");
    let token = |user: &str| {
        let mut c = w.conn();
        service::accounts::create_token(&mut c, &Actor::cli("test"), user, "t").unwrap()
    };
    let (org, scr) = (token("zuzhi"), token("jianpiao"));
    let cid = w.cid.clone();
    let mid = block_on(async {
        let http = reqwest::Client::new();
        let call = |method: reqwest::Method, p: &str, t: &str, body: Option<Value>| {
            let mut rb = http
                .request(method, w.app.url(&format!("/api/v1/congresses/{p}")))
                .bearer_auth(t);
            if let Some(b) = body {
                rb = rb.json(&b);
            }
            async move {
                let r = rb.send().await.unwrap();
                let status = r.status().as_u16();
                let text = r.text().await.unwrap_or_default();
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                (status, v, text)
            }
        };
        use reqwest::Method as M;

        // The term: the presidium from the record, the timeline's reminders, the settings.
        let (s, t, _) = call(M::GET, &format!("{cid}/term"), &scr, None).await;
        assert_eq!(s, 200);
        let names: Vec<&str> = t["presidium"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["member"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["王芳", "李强"]);
        assert_eq!(t["term_years"], 2);
        assert_eq!(t["semester_starts"], json!(["02-01", "08-01"]));
        let first = &t["timeline"][1];
        assert_eq!(first["title"], "2026-2027学年第二学期述职评议(评议会)");
        assert_eq!(first["kind"]["reminder"]["done"], false);
        assert_eq!(t["frozen"], false);

        // Quotas, nomination, freezing; the scrutineer may read, never change.
        let quotas = json!({"quotas": {"信息学院": 2, "文学院": 2, "理学院": 2}});
        let (s, _, _) = call(
            M::PUT,
            &format!("{cid}/term/quotas"),
            &scr,
            Some(quotas.clone()),
        )
        .await;
        assert_eq!(s, 403);
        let (s, t, _) = call(M::PUT, &format!("{cid}/term/quotas"), &org, Some(quotas)).await;
        assert_eq!(s, 200);
        assert_eq!(t["quotas"]["理学院"], 2);
        let (s, _, text) = call(
            M::PUT,
            &format!("{cid}/term/standing"),
            &org,
            Some(json!({"numbers": [2, 3, 99]})),
        )
        .await;
        assert_eq!(s, 422, "{text}");
        assert!(text.contains("第99号不是本次大会的代表"), "{text}");
        let (_, t, _) = call(M::GET, &format!("{cid}/term"), &org, None).await;
        assert_eq!(t["standing"], json!([]), "nothing stored");
        let (s, _, text) = call(
            M::PUT,
            &format!("{cid}/term/standing"),
            &org,
            Some(json!({"numbers": [2, 3, 6, 7, 10]})),
        )
        .await;
        assert_eq!(s, 200, "{text}");
        let (s, _, text) = call(M::POST, &format!("{cid}/term/freeze"), &org, None).await;
        assert_eq!(s, 422);
        assert!(text.contains("理学院"), "{text}");
        let (s, t, _) = call(
            M::PUT,
            &format!("{cid}/term/standing"),
            &org,
            Some(json!({"numbers": [2, 3, 6, 7, 10, 11]})),
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(t["standing"], json!([2, 3, 6, 7, 10, 11]));
        assert_eq!(t["report"]["valid"], true);
        let (s, t, _) = call(M::POST, &format!("{cid}/term/freeze"), &org, None).await;
        assert_eq!(s, 200);
        assert_eq!(t["frozen"], true);

        // A meeting: an unknown kind is refused by name; a 评议会 is created with a participant.
        let meeting = |kind: &str| {
            json!({"kind": kind, "name": "2026-2027学年第二学期述职评议会",
                   "date": "2027-04-01", "place": "学生活动中心201"})
        };
        let (s, _, text) = call(
            M::POST,
            &format!("{cid}/term/meetings"),
            &org,
            Some(meeting("x")),
        )
        .await;
        assert_eq!(s, 422);
        assert!(text.contains("kind 为“x”"), "{text}");
        let (s, t, text) = call(
            M::POST,
            &format!("{cid}/term/meetings"),
            &org,
            Some(meeting("review")),
        )
        .await;
        assert_eq!(s, 201, "{text}");
        assert_eq!(t["meeting"]["kind"], "review");
        let mid = t["meeting"]["id"].as_str().unwrap().to_string();
        let (s, _, text) = call(
            M::POST,
            &format!("{mid}/term/participants"),
            &org,
            Some(json!({"name": " ", "unit": "学工部"})),
        )
        .await;
        assert_eq!(s, 422);
        assert!(text.contains("“姓名”不能为空"), "{text}");
        let (s, t, _) = call(
            M::POST,
            &format!("{mid}/term/participants"),
            &org,
            Some(json!({"name": "刘老师", "unit": "学工部"})),
        )
        .await;
        assert_eq!(s, 201);
        assert_eq!(t["participants"][0]["name"], "刘老师");
        assert_eq!(t["participants"][0]["present"], false);
        let (_, t, _) = call(M::GET, &format!("{cid}/term"), &org, None).await;
        assert_eq!(t["meetings"][0]["id"], mid.as_str());
        mid
    });

    // A review at the meeting: its settings through the API.
    let kid = block_on(w.org.create_review(&mid, "学生会主席团述职评议", ""));
    block_on(async {
        let http = reqwest::Client::new();
        let url = w
            .app
            .url(&format!("/api/v1/congresses/{mid}/contests/{kid}/review"));
        let r = http.get(&url).bearer_auth(&org).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["definition"]["grades"][3], "不称职");
        assert_eq!(v["definition"]["persons"], json!([]));
        let mut body = json!({"definition": {"persons": [], "dimensions": ["政治态度"],
            "grades": ["优秀", "不称职"], "favourable": 1}});
        let r = http
            .put(&url)
            .bearer_auth(&org)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let text = r.text().await.unwrap();
        assert!(text.contains("至少要有 1 名被评议人"), "{text}");
        body["definition"]["persons"] =
            json!([{"name": "李强", "post": "主席团成员", "college": "文学院"}]);
        body["follow_up"] = json!({"base": "valid_ballots",
            "fraction": {"num": 1, "den": 2, "strict": false}});
        let r = http
            .put(&url)
            .bearer_auth(&org)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["definition"]["persons"][0]["name"], "李强");
        assert_eq!(v["follow_up"]["fraction"]["den"], 2);
        let r = http
            .put(&url)
            .bearer_auth(&scr)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
    });

    // Every change audited, under the API user.
    let mut c = w.conn();
    let mut actions: Vec<String> = audit_repo::list(&mut c, Some(&cid))
        .unwrap()
        .into_iter()
        .chain(audit_repo::list(&mut c, Some(&mid)).unwrap())
        .filter(|e| e.action.starts_with("term.") || e.action == "review.define")
        .map(|e| e.action)
        .collect();
    actions.sort();
    actions.dedup();
    assert_eq!(
        actions,
        [
            "review.define",
            "term.meeting_create",
            "term.participant_add",
            "term.standing_freeze",
            "term.standing_nominate",
            "term.standing_quotas"
        ]
    );
});
