//! Cookies and headers. Every session cookie is HttpOnly with Path=/ and SameSite=Strict,
//! except the delegate's (Lax: the QR link arrives as a navigation from the camera app; and
//! Path=/v, so the browser never sends it to the anonymous ballot box under /box);
//! Secure when the public URL is https, not over plain http (where a Secure cookie would not
//! come back; the README says to serve https in production). Every kind of response (pages,
//! redirects, JSON, errors 401/403/404/413/429, CSS, downloads, the phone pages) carries the
//! CSP without inline script, `frame-ancestors 'none'`, `Referrer-Policy: no-referrer` and
//! `X-Content-Type-Options: nosniff`.

use std::net::TcpListener;

use congress::storage::repo::users::Role;
use congress::web::{self, AppState, Secrets, MAX_BODY_BYTES};
use reqwest::header::HeaderMap;

use super::{block_on, fixture, http};
use crate::common::http::TestApp;
use crate::common::{test_db, Kind};

/// The `Set-Cookie` header that sets `name`, as sent.
fn set_cookie(h: &HeaderMap, name: &str) -> String {
    h.get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {h:?}"))
}

fn attributes(cookie: &str) -> Vec<String> {
    cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

fn assert_cookie(cookie: &str, same_site: &str, secure: bool) {
    assert_cookie_at(cookie, "/", same_site, secure)
}

fn assert_cookie_at(cookie: &str, path: &str, same_site: &str, secure: bool) {
    let a = attributes(cookie);
    assert!(a.contains(&"httponly".to_string()), "{cookie}");
    assert!(a.contains(&format!("path={path}")), "{cookie}");
    assert!(a.contains(&format!("samesite={same_site}")), "{cookie}");
    assert_eq!(a.contains(&"secure".to_string()), secure, "{cookie}");
    assert!(
        !a.iter().any(|x| x.starts_with("domain=")),
        "host-only: {cookie}"
    );
}

/// Logs in the fixture's organiser and a delegate; checks the cookies of each step.
async fn check_cookies(base: &str, token: &str, secure: bool) {
    let h = http(None);
    let r = h.get(format!("{base}/login")).send().await.unwrap();
    let pre = set_cookie(r.headers(), "congress_pre");
    assert_cookie(&pre, "strict", secure);
    let csrf = crate::common::http::csrf_in(&r.text().await.unwrap()).unwrap();
    let r = h
        .post(format!("{base}/login"))
        .header("cookie", pre.split(';').next().unwrap())
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", fixture::ORGANISER),
            ("password", fixture::ORGANISER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_cookie(&set_cookie(r.headers(), "congress_staff"), "strict", secure);

    let r = crate::common::http::card_login_raw(&h, base, token).await;
    assert_eq!(r.status(), 303);
    assert_cookie_at(
        &set_cookie(r.headers(), "congress_vote"),
        "/v",
        "lax",
        secure,
    );
}

both_backends!(session_cookies_over_http, |kind: Kind| {
    let app = TestApp::start(kind, "cookies_http");
    let fx = fixture::for_app(&app, 2);
    block_on(check_cookies(&app.base, &fx.card(1).token, false));
});

// A server whose public URL is https (behind a TLS proxy); the test talks plain HTTP to it.
both_backends!(session_cookies_are_secure_behind_https, |kind: Kind| {
    let db = test_db(kind, "cookies_https");
    let secrets = Secrets {
        cookie: vec![3u8; 64],
        credential: vec![5u8; 64],
    };
    let fx = fixture::build(&db.db, &db.config().key_dir, &secrets.credential, 2);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(
        db.db.clone(),
        db.config(),
        &secrets,
        "https://xdh.example.edu.cn".to_string(),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = web::server(listener, state).unwrap();
            tx.send(server.handle()).unwrap();
            let _ = server.await;
        })
    });
    let handle = rx.recv().unwrap();
    block_on(check_cookies(&base, &fx.card(1).token, true));
    block_on(handle.stop(false));
});

fn assert_headers(what: &str, h: &HeaderMap) {
    let get = |n: &str| {
        h.get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {n} header in {h:?}"))
            .to_string()
    };
    let csp = get("content-security-policy");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    let script = directives
        .iter()
        .find(|d| d.starts_with("script-src "))
        .unwrap_or_else(|| panic!("{what}: no script-src in {csp}"));
    assert!(!script.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!script.contains("unsafe-eval"), "{what}: {csp}");
    assert!(!script.contains('*'), "{what}: {csp}");
    assert!(directives.contains(&"default-src 'self'"), "{what}: {csp}");
    assert!(
        directives.contains(&"frame-ancestors 'none'"),
        "{what}: {csp}"
    );
    assert!(directives.contains(&"object-src 'none'"), "{what}: {csp}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
}

both_backends!(security_headers_on_every_kind_of_response, |kind: Kind| {
    let app = TestApp::start(kind, "security_headers");
    let fx = fixture::for_app(&app, 2);
    let cid = fx.congress_id.clone();
    app.create_user("jianpiao", Role::Scrutineer);
    let token = super::api_token(&app, fixture::ORGANISER);
    block_on(async {
        let org = super::fixture_organiser(&app).await;
        let anon = http(None);
        let get = |c: &reqwest::Client, path: &str| c.get(app.url(path)).send();
        let mut seen = Vec::new();
        let mut check = |what: &str, r: reqwest::Response, status: u16| {
            assert_eq!(r.status().as_u16(), status, "{what}");
            assert_headers(what, r.headers());
            seen.push(status);
        };

        check("login page", get(&anon, "/login").await.unwrap(), 200);
        check("staff page", org.get(&format!("/c/{cid}")).await, 200);
        check(
            "redirect",
            get(&anon, &format!("/c/{cid}")).await.unwrap(),
            303,
        );
        check("css", get(&anon, "/static/app.css").await.unwrap(), 200);
        check(
            "csv",
            get(&anon, "/templates/enrolment").await.unwrap(),
            200,
        );
        check(
            "pem",
            get(&anon, &format!("/b/{cid}/key.pem")).await.unwrap(),
            200,
        );
        check(
            "public page",
            get(&anon, &format!("/b/{cid}")).await.unwrap(),
            200,
        );
        check(
            "openapi",
            get(&anon, "/api/openapi.json").await.unwrap(),
            200,
        );
        check("api docs", get(&anon, "/api/docs").await.unwrap(), 200);
        check("health", get(&anon, "/health").await.unwrap(), 200);
        let me = anon
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        check("json", me, 200);
        check("api 401", get(&anon, "/api/v1/me").await.unwrap(), 401);
        check("html 404", get(&anon, "/nothing/here").await.unwrap(), 404);
        check("api 404", get(&anon, "/api/v1/nothing").await.unwrap(), 404);
        let csrf = anon
            .post(app.url(&format!("/c/{cid}/setup/details")))
            .form(&[("name", "x")])
            .send()
            .await
            .unwrap();
        check("csrf 403", csrf, 403);
        let big = "x".repeat(MAX_BODY_BYTES + 1);
        let r = org
            .post_form("/congresses", &[("name", big.as_str())])
            .await;
        check("form 413", r, 413);
        let r = anon
            .post(app.url("/api/v1/congresses"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "name": big }))
            .send()
            .await
            .unwrap();
        check("json 413", r, 413);
        // The phone pages.
        let phone = http(None);
        check("code page", get(&phone, "/login/code").await.unwrap(), 200);
        check(
            "card page",
            get(&phone, &format!("/t/{}", fx.card(1).token))
                .await
                .unwrap(),
            200,
        );
        let r = crate::common::http::card_login_raw(&phone, &app.base, &fx.card(1).token).await;
        let vote = set_cookie(r.headers(), "congress_vote");
        check("card login", r, 303);
        let r = phone
            .get(app.url("/v"))
            .header("cookie", vote.split(';').next().unwrap())
            .send()
            .await
            .unwrap();
        check("phone home", r, 200);
        check("phone 401", get(&anon, "/v").await.unwrap(), 401);
        // Throttled (429): wrong API tokens until the lock.
        for i in 0..congress::web::auth::MAX_TOKEN_FAILURES {
            let r = anon
                .get(app.url("/api/v1/me"))
                .bearer_auth(format!("wrong-{i}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 401);
        }
        let r = anon
            .get(app.url("/api/v1/me"))
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        check("api 429", r, 429);
        // Compressed responses too.
        let r = org
            .http
            .get(org.url(&format!("/c/{cid}")))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            Some("gzip")
        );
        check("gzip page", r, 200);
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen, vec![200, 303, 401, 403, 404, 413, 429]);
    });
});
