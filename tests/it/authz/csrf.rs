//! CSRF: a logged-in owner's state-changing request without its session's token — no token,
//! a wrong one, another session's, an upload without the token in its URL — is refused with
//! 403 and the Chinese explanation, and changes nothing; the same request with the right
//! token goes through. The API never takes the session cookie in place of a bearer token.

use congress::domain::ids::CongressId;
use congress::storage::repo::users::Role;

use super::table::DETAILS;
use super::{block_on, diff, sample, snapshot};
use crate::common::http::TestApp;
use crate::common::Kind;

const CSRF_MESSAGE: &str = "表单已过期或来源不明(CSRF 校验失败)";

both_backends!(posts_without_the_session_token_are_refused, |kind: Kind| {
    let app = TestApp::start(kind, "posts_without_the_session_token_are_refused");
    block_on(async {
        let owner = app.login_as("tuanwei_jia", Role::Organiser).await;
        let other = app.login_as("tuanwei_yi", Role::Organiser).await;
        let details: Vec<(&str, &str)> = DETAILS
            .iter()
            .map(|&(k, v)| {
                (
                    k,
                    if v.contains("$school") {
                        "甲城大学"
                    } else {
                        v
                    },
                )
            })
            .collect();
        let r = owner.post_form("/congresses", &details).await;
        assert_eq!(r.status(), 303);
        let cid = r.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/c/")
            .to_string();
        let token = owner.csrf.clone().expect("owner's token");
        let others = other.csrf.clone().expect("other's token");
        assert_ne!(token, others);

        let before = snapshot(&app);
        let details_url = format!("/c/{cid}/setup/details");
        let mut changed: Vec<(&str, &str)> = details.clone();
        changed.retain(|(k, _)| *k != "place");
        changed.push(("place", "体育馆"));

        let mut attempts = Vec::new();
        // No token at all.
        attempts.push(("no token", owner.post_raw(&details_url, &changed).await));
        // A wrong token, an empty one, and the other organiser's valid token.
        for (what, t) in [
            ("wrong token", "x".repeat(token.len())),
            ("empty token", String::new()),
            ("another session's token", others.clone()),
        ] {
            let mut f = changed.clone();
            f.push(("csrf", t.as_str()));
            let r = owner.post_raw(&details_url, &f).await;
            attempts.push((what, r));
        }
        // A wrong token in the header.
        let r = owner
            .http
            .post(owner.url(&details_url))
            .header("x-csrf-token", "forged")
            .form(&changed)
            .send()
            .await
            .unwrap();
        attempts.push(("forged header", r));
        // An upload without the token in its URL.
        let part =
            reqwest::multipart::Part::bytes(sample("enrolment.csv")).file_name("enrolment.csv");
        let r = owner
            .http
            .post(owner.url(&format!("/c/{cid}/files/enrolment")))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        attempts.push(("upload without token", r));
        // Account-level forms too: a new congress, logging out.
        attempts.push((
            "new congress",
            owner.post_raw("/congresses", &details).await,
        ));
        attempts.push(("logout", owner.post_raw("/logout", &[]).await));

        for (what, r) in attempts {
            assert_eq!(r.status(), 403, "{what}");
            let page = r.text().await.unwrap();
            assert!(page.contains(CSRF_MESSAGE), "{what}: {page}");
        }
        let d = diff(&before, &snapshot(&app));
        assert!(d.is_empty(), "refused requests changed {d:?}");
        // Still logged in (the refused logout did nothing).
        assert_eq!(owner.get(&format!("/c/{cid}")).await.status(), 200);

        // The cookie alone never authenticates the API (which needs no CSRF token because of
        // that).
        let r = owner
            .http
            .post(owner.url(&format!("/api/v1/congresses/{cid}/roster/generate")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = owner
            .http
            .put(owner.url(&format!("/api/v1/congresses/{cid}")))
            .header("x-csrf-token", token.as_str())
            .json(
                &serde_json::json!({"name": "改名", "school": "甲城大学", "level": "school",
                "session_no": 10, "date": "2026-12-01", "place": "体育馆"}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("\"code\":\"unauthorized\""));
        let d = diff(&before, &snapshot(&app));
        assert!(d.is_empty(), "cookie-only API calls changed {d:?}");

        // With the right token the same form goes through.
        let r = owner.post_form(&details_url, &changed).await;
        assert_eq!(r.status(), 303);
        let mut c = app.db.db.conn().unwrap();
        let stored = congress::storage::repo::congress::get(&mut c, &CongressId::from(&cid))
            .unwrap()
            .unwrap();
        assert_eq!(stored.place, "体育馆");
    });
});
