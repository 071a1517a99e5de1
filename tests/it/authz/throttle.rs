//! Staff login throttling (src/web/routes/account.rs): after 5 failures for one account, or
//! from one address, within 10 minutes, logins are refused with 429 and a Chinese message,
//! even with the right password, until the window has passed. Each address is a different
//! loopback source (127.0.0.2-6), so the per-account and per-address buckets are told apart.
//! The window is passed by ageing the stored failures, not by waiting.

use std::net::{IpAddr, Ipv4Addr};

use congress::storage::repo::users::Role;
use congress::storage::schema::throttle_events;
use diesel::{ExpressionMethods, RunQueryDsl};

use super::{audit_all, block_on};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

const THROTTLED: &str = "登录失败次数过多: 同一账号或同一地址10分钟内最多尝试5次, 请10分钟后再试。";
const BAD: &str = "用户名或密码不正确。";

/// A browser whose connections come from 127.0.0.`last`.
fn from(app: &TestApp, last: u8) -> Client {
    Client {
        base: app.base.clone(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
            .build()
            .unwrap(),
        csrf: None,
    }
}

async fn login(c: &mut Client, user: &str, password: &str) -> (u16, String) {
    let r = c.login(user, password).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Whether `c` holds a staff session.
async fn logged_in(c: &Client) -> bool {
    c.get("/account").await.status() == 200
}

both_backends!(
    five_failures_lock_the_account_and_the_address,
    |kind: Kind| {
        let app = TestApp::start(kind, "five_failures_lock_the_account_and_the_address");
        block_on(async {
            let bing = app.create_user("tuanwei_bing", Role::Organiser);
            let ding = app.create_user("tuanwei_ding", Role::Organiser);
            let wu = app.create_user("jianpiao_wu", Role::Scrutineer);
            let wrong = "wrong-password-Secret-1";

            // Per account: 5 failures from .2, then the right password is refused from .2 and
            // from .3; another account still logs in from .3.
            let mut a = from(&app, 2);
            for _ in 0..5 {
                let (s, page) = login(&mut a, "tuanwei_bing", wrong).await;
                assert_eq!(s, 401);
                assert!(page.contains(BAD), "{page}");
            }
            let (s, page) = login(&mut a, "tuanwei_bing", &bing).await;
            assert_eq!(s, 429);
            assert!(page.contains(THROTTLED), "{page}");
            assert!(!logged_in(&a).await);
            let mut b = from(&app, 3);
            let (s, page) = login(&mut b, "tuanwei_bing", &bing).await;
            assert_eq!(s, 429, "the account is locked from every address");
            assert!(page.contains(THROTTLED));
            assert!(!logged_in(&b).await);
            let (s, _) = login(&mut b, "tuanwei_ding", &ding).await;
            assert_eq!(s, 303, "address .3 is not locked");
            assert!(logged_in(&b).await);

            // Per address: 5 failures from .4 under names that are no account's, then a real
            // account with its right password is refused there, and logs in from .5.
            let mut c = from(&app, 4);
            for i in 0..5 {
                let (s, _) = login(&mut c, &format!("guess_{i}_name"), wrong).await;
                assert_eq!(s, 401);
            }
            let (s, page) = login(&mut c, "jianpiao_wu", &wu).await;
            assert_eq!(s, 429);
            assert!(page.contains(THROTTLED));
            assert!(!logged_in(&c).await);
            let mut d = from(&app, 5);
            let (s, _) = login(&mut d, "jianpiao_wu", &wu).await;
            assert_eq!(s, 303, "the account is not locked, only address .4");

            // The audit log: each failure and each refusal, with the address, never the typed
            // password or the names that are no account's.
            let log = audit_all(&app);
            let failed: Vec<_> = log
                .iter()
                .filter(|e| e.action == "auth.login_failed" && e.actor == "tuanwei_bing")
                .collect();
            assert_eq!(failed.len(), 5);
            assert!(failed
                .iter()
                .all(|e| e.addr.as_deref() == Some("127.0.0.2")));
            let throttled: Vec<_> = log
                .iter()
                .filter(|e| e.action == "auth.login_throttled")
                .map(|e| (e.actor.as_str(), e.addr.as_deref().unwrap_or("")))
                .collect();
            assert_eq!(
                throttled,
                [
                    ("tuanwei_bing", "127.0.0.2"),
                    ("tuanwei_bing", "127.0.0.3"),
                    ("jianpiao_wu", "127.0.0.4"),
                ]
            );
            let by_address = log
                .iter()
                .filter(|e| {
                    e.action == "auth.login_failed" && e.addr.as_deref() == Some("127.0.0.4")
                })
                .count();
            assert_eq!(by_address, 5);
            for e in &log {
                let text = format!("{e:?}");
                assert!(!text.contains(wrong), "typed password in {text}");
                assert!(!text.contains("guess_"), "unknown username in {text}");
                for pw in [&bing, &ding, &wu] {
                    assert!(!text.contains(pw.as_str()), "password in {text}");
                }
            }

            // Still locked within the window; once the failures are older than 10 minutes the
            // right password works again, from the same address.
            let (s, _) = login(&mut a, "tuanwei_bing", &bing).await;
            assert_eq!(s, 429);
            {
                let mut conn = app.db.db.conn().unwrap();
                let shifted = diesel::update(throttle_events::table)
                    .set(throttle_events::at.eq(throttle_events::at - 600_001))
                    .execute(&mut conn)
                    .unwrap();
                assert!(shifted >= 10);
            }
            let (s, _) = login(&mut a, "tuanwei_bing", &bing).await;
            assert_eq!(s, 303, "the window has passed");
            assert!(logged_in(&a).await);
            let mut e = from(&app, 4);
            let (s, _) = login(&mut e, "jianpiao_wu", &wu).await;
            assert_eq!(s, 303, "the address's window has passed");
        });
    }
);

both_backends!(concurrent_guesses_are_capped_too, |kind: Kind| {
    let app = TestApp::start(kind, "concurrent_guesses_are_capped_too");
    block_on(async {
        let geng = app.create_user("tuanwei_geng", Role::Organiser);
        // Twelve guesses at once from one address: no more than 5 may be tried against the
        // password (401); the others are refused unread (429).
        let c = {
            let mut c = from(&app, 6);
            let (_, page) = c.get_text("/login").await;
            c.csrf = crate::common::http::csrf_in(&page);
            c
        };
        let token = c.csrf.clone().expect("login page token");
        let guesses = (0..12).map(|i| {
            let (http, url, token) = (c.http.clone(), c.url("/login"), token.clone());
            async move {
                http.post(url)
                    .form(&[
                        ("csrf", token.as_str()),
                        ("username", "tuanwei_geng"),
                        ("password", format!("guess-number-{i:02}").as_str()),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        });
        let statuses = futures_util::future::join_all(guesses).await;
        let tried = statuses.iter().filter(|&&s| s == 401).count();
        let refused = statuses.iter().filter(|&&s| s == 429).count();
        assert_eq!((tried, refused), (5, 7), "{statuses:?}");
        let log = audit_all(&app);
        let failed = log
            .iter()
            .filter(|e| e.action == "auth.login_failed" && e.actor == "tuanwei_geng")
            .count();
        assert_eq!(failed, 5);
        // And the right password is refused now.
        let mut d = from(&app, 7);
        let (s, _) = login(&mut d, "tuanwei_geng", &geng).await;
        assert_eq!(s, 429);
    });
});
