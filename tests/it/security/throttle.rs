//! Guessing secrets is throttled per client address: the delegates' card tokens (`/t/{token}`)
//! and the API's bearer tokens. After the allowed failures a wrong guess gets 429 with a
//! Chinese message, and another address is not locked out. A right card from the locked
//! address still logs in (a guesser behind the hall's NAT must not lock the hall out: only
//! failures are throttled); a right API token is refused during the lock.

use congress::domain::ids::CongressId;
use congress::service::credentials::MAX_LOGIN_FAILURES;
use congress::storage::repo::users::Role;
use congress::web::auth::MAX_TOKEN_FAILURES;
use serde_json::Value;

use super::{block_on, fixture, http};
use crate::common::http::TestApp;
use crate::common::Kind;

/// Another loopback address: another client to the server.
const OTHER: &str = "127.0.0.2";

async fn open_card(h: &reqwest::Client, app: &TestApp, token: &str) -> (u16, bool, String) {
    let r = crate::common::http::card_login_raw(h, &app.base, token).await;
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("congress_vote="));
    (status, cookie, r.text().await.unwrap())
}

both_backends!(card_tokens_cannot_be_guessed, |kind: Kind| {
    let app = TestApp::start(kind, "card_token_guessing");
    let fx = fixture::for_app(&app, 3);
    block_on(async {
        let h = http(None);
        let good = fx.card(1).token.clone();
        // Well-formed tokens (26 Crockford base32 characters) that are not on any card.
        for i in 0..MAX_LOGIN_FAILURES {
            let guess = format!("{:0>26}", format!("z{i}"));
            let (status, cookie, body) = open_card(&h, &app, &guess).await;
            assert_eq!(status, 401, "guess {i}: {body}");
            assert!(!cookie);
            assert!(body.contains("代表证无效或已作废"), "{body}");
        }
        let (status, cookie, body) = open_card(&h, &app, "0000000000000000000000zzzz").await;
        assert_eq!(status, 429);
        assert!(!cookie);
        assert!(body.contains("登录失败次数过多"), "{body}");
        // The right token from the same address (the hall's NAT): logged in and checked in.
        let (status, cookie, body) = open_card(&h, &app, &good).await;
        assert_eq!((status, cookie), (303, true), "{body}");
        let mut c = app.db.db.conn().unwrap();
        let d = congress::storage::repo::roster::delegate_by_no(
            &mut c,
            &CongressId::from(&fx.congress_id),
            1,
        )
        .unwrap()
        .unwrap();
        assert!(d.present, "the right card logs in during the guessing");
        drop(c);
        // Guesses are still refused, on a second app server sharing the database too, and the
        // throttle keeps no row per further guess.
        let (status, cookie, _) = open_card(&h, &app, "0000000000000000000000yyyy").await;
        assert_eq!((status, cookie), (429, false));
        let sibling = app.sibling();
        let r =
            crate::common::http::card_login_raw(&h, &sibling.base, "0000000000000000000000wwww")
                .await;
        assert_eq!(r.status(), 429);
        let mut c = app.db.db.conn().unwrap();
        let rows = congress::storage::repo::users::failures_since(
            &mut c,
            "delegate-login:addr:127.0.0.1",
            0,
        )
        .unwrap();
        assert_eq!(rows, MAX_LOGIN_FAILURES + 1);
        drop(c);
        // Another address has its own allowance: its first wrong guess is a plain 401.
        let (status, _, _) =
            open_card(&http(Some(OTHER)), &app, "0000000000000000000000xxxx").await;
        assert_eq!(status, 401);
        let (status, cookie, body) = open_card(&http(Some(OTHER)), &app, &fx.card(2).token).await;
        assert_eq!((status, cookie), (303, true), "{body}");
    });
});

async fn me(h: &reqwest::Client, app: &TestApp, token: &str) -> (u16, Option<String>, Value) {
    let r = h
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, retry, r.json().await.unwrap())
}

both_backends!(api_tokens_cannot_be_guessed, |kind: Kind| {
    let app = TestApp::start(kind, "api_token_guessing");
    app.create_user("tuanwei", Role::Organiser);
    let good = super::api_token(&app, "tuanwei");
    block_on(async {
        let h = http(None);
        let (status, _, body) = me(&h, &app, &good).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["username"], "tuanwei");
        // A request without a token is not a guess and does not count.
        for _ in 0..MAX_TOKEN_FAILURES + 2 {
            let r = h.get(app.url("/api/v1/me")).send().await.unwrap();
            assert_eq!(r.status(), 401);
        }
        for i in 0..MAX_TOKEN_FAILURES {
            let (status, _, body) = me(&h, &app, &format!("{good}{i}")).await;
            assert_eq!(status, 401, "guess {i}: {body}");
            assert_eq!(body["code"], "unauthorized");
        }
        let (status, retry, body) = me(&h, &app, "not-a-token").await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["code"], "throttled");
        assert_eq!(retry.as_deref(), Some("600"));
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("API 令牌错误次数过多") && message.contains("10分钟后再试"),
            "{message}"
        );
        // The right token from the locked-out address is refused as well ...
        let (status, _, body) = me(&h, &app, &good).await;
        assert_eq!(status, 429, "{body}");
        // ... also for writes, which change nothing.
        let r = h
            .post(app.url("/api/v1/congresses"))
            .bearer_auth(&good)
            .json(&super::congress_json("锁定期间创建的大会"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
        // Another address is not locked out.
        let (status, _, body) = me(&http(Some(OTHER)), &app, &good).await;
        assert_eq!(status, 200, "{body}");
        let r = http(Some(OTHER))
            .get(app.url("/api/v1/congresses"))
            .bearer_auth(&good)
            .send()
            .await
            .unwrap();
        let list: Value = r.json().await.unwrap();
        assert_eq!(list.as_array().map(Vec::len), Some(0), "{list}");
    });
});

/// A browser-like client (cookie jar) connecting from `local`.
fn client_from(app: &TestApp, local: &str) -> crate::common::http::Client {
    crate::common::http::Client {
        base: app.base.clone(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(Some(local.parse().unwrap()))
            .build()
            .unwrap(),
        csrf: None,
    }
}

both_backends!(staff_passwords_cannot_be_guessed, |kind: Kind| {
    let app = TestApp::start(kind, "password_guessing");
    let password = app.create_user("tuanwei", Role::Organiser);
    let other_password = app.create_user("jianpiao", Role::Scrutineer);
    block_on(async {
        let mut c = app.client();
        for i in 0..congress::service::accounts::MAX_FAILURES {
            let r = c.login("tuanwei", &format!("guess-{i}")).await;
            assert_eq!(r.status(), 401, "guess {i}");
            assert!(r.text().await.unwrap().contains("用户名或密码不正确"));
        }
        let r = c.login("tuanwei", "guess-again").await;
        assert_eq!(r.status(), 429);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("登录失败次数过多: 同一账号或同一地址10分钟内最多尝试5次"));
        // The right password is refused during the lock, for this account from anywhere ...
        for mut c in [app.client(), client_from(&app, OTHER)] {
            let r = c.login("tuanwei", &password).await;
            assert_eq!(r.status(), 429);
            assert!(!r
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|v| v.to_str().unwrap().starts_with("congress_staff=")));
        }
        // ... and for any account from this address; another account elsewhere is not locked.
        let r = app.client().login("jianpiao", &other_password).await;
        assert_eq!(r.status(), 429);
        let r = client_from(&app, "127.0.0.3")
            .login("jianpiao", &other_password)
            .await;
        assert_eq!(r.status(), 303);
        let mut c = app.db.db.conn().unwrap();
        let throttled = congress::storage::repo::audit::list(&mut c, None)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "auth.login_throttled")
            .count();
        assert!(throttled >= 3, "{throttled}");
    });
});
