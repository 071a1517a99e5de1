//! A real server on 127.0.0.1:<random port> over a test database, and browser-like clients
//! (own cookie jar, no automatic redirects, CSRF token picked from the pages).

#![allow(dead_code)]

use std::net::TcpListener;

use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use congress::web::{self, AppState, Secrets};
use reqwest::redirect::Policy;

use super::{test_db, Kind, TestDb};

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub state: AppState,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server; the runtime thread ends with it.
        let h = self.handle.clone();
        std::thread::spawn(move || {
            futures_executor_block_on(h.stop(false));
        });
    }
}

fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The test servers' keys: every server of a test shares them (a cookie from one is read by
/// the others, as behind a load balancer).
fn secrets() -> Secrets {
    Secrets {
        cookie: vec![7u8; 64],
        credential: vec![9u8; 64],
    }
}

/// Starts a server on 127.0.0.1:<random port> over `db`.
fn serve(db: &TestDb) -> (String, AppState, actix_web::dev::ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let mut state = AppState::new(db.db.clone(), db.config(), &secrets(), base.clone());
    state.keys = state.keys.with_contest_key_source(db.contest_keys.clone());
    let st = state.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = web::server(listener, st).expect("server");
            tx.send(server.handle()).expect("send handle");
            let _ = server.await;
        })
    });
    (base, state, rx.recv().expect("server handle"))
}

/// A second server of a [`TestApp`] (stopped when dropped).
pub struct Sibling {
    pub base: String,
    handle: actix_web::dev::ServerHandle,
}

impl Sibling {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

impl Drop for Sibling {
    fn drop(&mut self) {
        let h = self.handle.clone();
        std::thread::spawn(move || {
            futures_executor_block_on(h.stop(false));
        });
    }
}

impl TestApp {
    /// Starts the application on a fresh database of `kind` (PostgreSQL: panics when
    /// `TEST_DATABASE_URL` is unset; the runner does not start such a test unless asked to).
    pub fn start(kind: Kind, test: &str) -> TestApp {
        let db = test_db(kind, test);
        let (base, state, handle) = serve(&db);
        TestApp {
            base,
            db,
            state,
            handle,
        }
    }

    /// Another app server on the same database with the same keys (its own state, pool and
    /// port), as when several servers share one PostgreSQL database behind a load balancer.
    pub fn sibling(&self) -> Sibling {
        let (base, _, handle) = serve(&self.db);
        Sibling { base, handle }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates an account directly through the service layer; returns its password.
    pub fn create_user(&self, username: &str, role: Role) -> String {
        let password = format!("pw-{username}-0123456789");
        let mut c = self.db.db.conn().expect("conn");
        service::accounts::create_user(
            &mut c,
            &Actor::cli("test"),
            username,
            role,
            &password,
            false,
        )
        .expect("create user");
        password
    }

    /// A client with an empty cookie jar (an anonymous visitor).
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("client"),
            csrf: None,
        }
    }

    /// A client logged in as a new account `username` with `role`.
    pub async fn login_as(&self, username: &str, role: Role) -> Client {
        let pw = self.create_user(username, role);
        let mut c = self.client();
        let r = c.login(username, &pw).await;
        assert_eq!(r.status(), 303, "login of {username} should redirect");
        c.refresh_csrf().await;
        c
    }
}

/// A browser-like client.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    /// The CSRF token of the current session, read from a page.
    pub csrf: Option<String>,
}

/// Opens a card's QR link and presses the page's one button, as a phone does, with a client
/// that keeps no cookies: the page's CSRF cookie is sent back by hand. Returns the answer to
/// the button (303 to `/v` with the session cookie when the card is valid).
pub async fn card_login_raw(h: &reqwest::Client, base: &str, token: &str) -> reqwest::Response {
    let url = format!("{base}/t/{token}");
    let r = h.get(&url).send().await.expect("GET card page");
    assert_eq!(r.status(), 200, "the card page");
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    let csrf = csrf_in(&r.text().await.expect("body")).expect("csrf on the card page");
    h.post(&url)
        .header("cookie", cookies.join("; "))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST card login")
}

/// The page forms whose action asks for confirmation first (`web::confirm`): `post_form`
/// sends them with `confirm=1`.
pub const ASKS_FIRST: &[&str] = &[
    "/roster/generate",
    "/credentials/issue",
    "/session/open",
    "/voting/open",
    "/voting/close",
    "/close",
    "/record/certify",
    "/term/participant-votes",
];

/// Extracts the first `name="csrf" value="..."` from a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let rest = &html[i..];
    Some(rest[..rest.find('"')?].to_string())
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let s = r.status().as_u16();
        (s, r.text().await.expect("body"))
    }

    /// Posts a form with the session's CSRF token added; an action that asks for confirmation
    /// first ([`ASKS_FIRST`]) is sent confirmed (`confirm=1`), as from its confirmation page.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let route = path.split('?').next().unwrap_or(path);
        let asks = ASKS_FIRST.iter().any(|s| route.ends_with(s));
        let mut f: Vec<(&str, &str)> = fields.to_vec();
        if asks && !fields.iter().any(|(k, _)| *k == "confirm") {
            f.push(("confirm", "1"));
        }
        self.post_unconfirmed(path, &f).await
    }

    /// Posts a form with the session's CSRF token added, exactly as given otherwise (an action
    /// that asks first answers with its confirmation page).
    pub async fn post_unconfirmed(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut f: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if let Some(t) = &self.csrf {
            f.push(("csrf".to_string(), t.clone()));
        }
        self.http
            .post(self.url(path))
            .form(&f)
            .send()
            .await
            .expect("POST")
    }

    /// Creates the fixtures' congress (示范大学第十次学生代表大会, 校级, 2026-12-01) through the
    /// organiser's form, as a user does; returns its id.
    pub async fn create_congress(&self) -> String {
        let r = self
            .post_form(
                "/congresses",
                &[
                    ("name", "示范大学第十次学生代表大会"),
                    ("school", "示范大学"),
                    ("level", "school"),
                    ("session_no", "10"),
                    ("date", "2026-12-01"),
                    ("place", "大学生活动中心报告厅"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "creating the congress");
        let loc = r.headers()["location"].to_str().unwrap();
        loc.trim_start_matches("/c/").to_string()
    }

    /// Creates a draft review (述职评议) at congress `cid` through the new-contest form, its
    /// follow-up threshold at 1/3 of the valid papers inclusive (the default, rule H4); its id.
    pub async fn create_review(&self, cid: &str, title: &str, body: &str) -> String {
        let r = self
            .post_form(
                &format!("/c/{cid}/contests/new?kind=review"),
                &[
                    ("title", title),
                    ("body", body),
                    ("threshold_preset", "custom"),
                    ("threshold_base", "valid_ballots"),
                    ("threshold_num", "1"),
                    ("threshold_den", "3"),
                    ("threshold_mode", "inclusive"),
                ],
            )
            .await;
        let status = r.status();
        let loc = r.headers().get("location").cloned();
        assert_eq!(status, 303, "{}", r.text().await.unwrap_or_default());
        let loc = loc.expect("location").to_str().unwrap().to_string();
        loc.rsplit('/')
            .next()
            .expect("the review's page")
            .to_string()
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Uploads a file as multipart field `file`, CSRF token in the query string. A file that
    /// would replace stored rows is confirmed on its confirmation page, as the organiser does;
    /// the answer is the confirmation's.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let r = self.upload_unconfirmed(path, file_name, bytes).await;
        let to = r
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .filter(|l| r.status() == 303 && l.contains("/confirm?id="))
            .map(str::to_string);
        let Some(to) = to else { return r };
        let (status, page) = self.get_text(&to).await;
        assert_eq!(status, 200, "the confirmation page {to}: {page}");
        assert!(page.contains("将替换现有"), "{page}");
        let (action, query) = to.split_once('?').expect("?id=");
        let id = query.trim_start_matches("id=");
        self.post_unconfirmed(action, &[("id", id), ("confirm", "1")])
            .await
    }

    /// Uploads a file as multipart field `file`, CSRF token in the query string, without
    /// confirming: a file replacing stored rows answers 303 to its confirmation page.
    pub async fn upload_unconfirmed(
        &self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = match &self.csrf {
            Some(t) => self.url(&format!("{path}{sep}csrf={t}")),
            None => self.url(path),
        };
        self.http
            .post(url)
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    /// Logs in through the login form.
    pub async fn login(&mut self, username: &str, password: &str) -> reqwest::Response {
        let (_, page) = self.get_text("/login").await;
        let token = csrf_in(&page).expect("csrf on login page");
        self.http
            .post(self.url("/login"))
            .form(&[
                ("csrf", token.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .expect("login")
    }

    /// Opens a card's QR link and presses its button (this client's cookie jar keeps the
    /// page's CSRF cookie). Returns the answer to the button.
    pub async fn card_login(&self, token: &str) -> reqwest::Response {
        let (status, page) = self.get_text(&format!("/t/{token}")).await;
        assert_eq!(status, 200, "the card page");
        let csrf = csrf_in(&page).expect("csrf on the card page");
        self.post_raw(&format!("/t/{token}"), &[("csrf", csrf.as_str())])
            .await
    }

    /// Reads the session's CSRF token from the home page.
    pub async fn refresh_csrf(&mut self) {
        let (_, page) = self.get_text("/account").await;
        self.csrf = csrf_in(&page);
    }
}
