//! Runs the table against one server per backend: every row as the five principals in
//! order (anonymous, scrutineer, scrutineer of another congress, other organiser, owner).
//! Checks per request:
//! - the exact status, and for a page's 303 to log in, that it goes to `/login`;
//! - a refused request (401/403/404, the login redirect, or the owner's 409/422) changed
//!   nothing: the whole database is the same before and after;
//! - an accepted organiser/scrutineer action wrote its audit entry naming who did it (and so
//!   did an audited read: the card print sheet);
//! - refusals say why (the Chinese message of the access rule, or the API's error code);
//! - the other organiser's and the other scrutineer's successful reads never show the owner's
//!   congresses;
//! - the owner's response holds the row's message (e.g. the state machine's refusal).
//!
//! Finally no audit entry holds a password, an API token, or a delegate's card secret.

use congress::domain::ids::CongressId;
use congress::service::{self, Actor};
use congress::storage::repo::users::Role;
use reqwest::Method;

use super::table::{self, Body, Reply, Src, Step, Vars, P, PRINCIPALS};
use super::{audit_all, block_on, diff, sample, snapshot};
use crate::common::http::{csrf_in, Client, TestApp};
use crate::common::Kind;

/// The owner's school: no page or answer the other organiser gets may contain it.
pub const OWNER_SCHOOL: &str = "甲城大学";
/// The scrutineer account named for the owner's congresses.
pub const SCRUTINEER: &str = "jianpiao_zhou";
/// The scrutineer account named for the other organiser's congresses only.
pub const ELSEWHERE: &str = "jianpiao_qian";

pub struct Principal {
    pub username: &'static str,
    pub password: String,
    pub school: &'static str,
    pub html: Client,
    pub token: Option<String>,
}

pub struct World {
    pub app: TestApp,
    pub who: Vec<Principal>,
    pub api: reqwest::Client,
    pub vars: Vars,
    pub failures: Vec<String>,
    pub requests: usize,
}

/// An anonymous browser holding the login page's CSRF token, as any visitor does.
pub async fn anonymous(app: &TestApp) -> Client {
    let mut c = app.client();
    let (s, page) = c.get_text("/login").await;
    assert_eq!(s, 200);
    c.csrf = csrf_in(&page);
    assert!(c.csrf.is_some());
    c
}

pub fn token(app: &TestApp, username: &str) -> String {
    let mut c = app.db.db.conn().unwrap();
    service::accounts::create_token(&mut c, &Actor::cli("test"), username, "测试").unwrap()
}

impl World {
    pub async fn new(app: TestApp) -> World {
        let mut who = vec![Principal {
            username: "",
            password: "x".to_string(),
            school: "无名学院",
            html: anonymous(&app).await,
            token: None,
        }];
        // In `PRINCIPALS` order.
        for (username, role, school) in [
            (SCRUTINEER, Role::Scrutineer, "丙县学院"),
            (ELSEWHERE, Role::Scrutineer, "丁乡学院"),
            ("tuanwei_yi", Role::Organiser, "乙镇学院"),
            ("tuanwei_jia", Role::Organiser, OWNER_SCHOOL),
        ] {
            let html = app.login_as(username, role).await;
            who.push(Principal {
                username,
                password: format!("pw-{username}-0123456789"),
                school,
                html,
                token: Some(token(&app, username)),
            });
        }
        let mut vars = Vars::default();
        for (k, v) in [("p", "1"), ("me", ""), ("pw", "x"), ("school", "无名学院")] {
            vars.set(k, v);
        }
        World {
            app,
            who,
            api: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            vars,
            failures: Vec::new(),
            requests: 0,
        }
    }

    fn bytes(&self, src: Src) -> Vec<u8> {
        match src {
            Src::Sample(n) => sample(n),
            Src::Var(k) => self
                .vars
                .b
                .get(k)
                .unwrap_or_else(|| panic!("bytes ${k} not captured"))
                .clone(),
            Src::Text(t) => self.vars.fill(t).into_bytes(),
        }
    }

    /// Sends `row` as principal `i`.
    pub async fn send(&mut self, i: usize, row: &table::Row) -> Reply {
        let (username, password, school) = (
            self.who[i].username,
            self.who[i].password.clone(),
            self.who[i].school,
        );
        let token = self.who[i].token.clone();
        self.vars.set("p", (i + 1).to_string());
        self.vars.set("me", username);
        self.vars.set("pw", password);
        self.vars.set("school", school);
        let path = self.vars.fill(row.path);
        self.requests += 1;
        let resp = if row.is_api() {
            let method = Method::from_bytes(row.method.as_bytes()).unwrap();
            let mut rb = self.api.request(method, self.app.url(&path));
            if let Some(t) = &token {
                rb = rb.bearer_auth(t);
            }
            rb = match row.body {
                Body::Empty => rb,
                Body::Json(t) => rb
                    .header("content-type", "application/json")
                    .body(self.vars.fill(t)),
                Body::Raw(src) => rb
                    .header("content-type", "application/octet-stream")
                    .body(self.bytes(src)),
                Body::Form(_) | Body::Upload(..) => panic!("{}: a form on the API", row.path),
            };
            rb.send().await.expect("API request")
        } else {
            let c = &self.who[i].html;
            match (row.method, row.body) {
                ("GET", Body::Empty) => c.get(&path).await,
                ("POST", Body::Empty) => c.post_form(&path, &[]).await,
                ("POST", Body::Form(fields)) => {
                    let filled: Vec<(String, String)> = fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), self.vars.fill(v)))
                        .collect();
                    let refs: Vec<(&str, &str)> = filled
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    c.post_form(&path, &refs).await
                }
                ("POST", Body::Upload(name, src)) => c.upload(&path, name, self.bytes(src)).await,
                (m, b) => panic!("{}: cannot send {m} {b:?} to a page", row.path),
            }
        };
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let bytes = resp.bytes().await.expect("body").to_vec();
        Reply {
            status,
            location,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    fn fail(&mut self, row: &table::Row, p: P, what: String) {
        self.failures
            .push(format!("{} {} as {p:?}: {what}", row.method, row.path));
    }

    /// Walks one row as the five principals.
    async fn walk_row(&mut self, row: &table::Row) {
        if let Some(k) = row.missing(&self.vars) {
            self.fail(
                row,
                P::Anon,
                format!("not walked: ${k} was not captured by an earlier row"),
            );
            return;
        }
        let mut before = if row.is_mutating() {
            Some(snapshot(&self.app))
        } else {
            None
        };
        for p in PRINCIPALS {
            let i = p.index();
            let last_seq = audit_all(&self.app).last().map_or(0, |e| e.seq);
            let r = self.send(i, row).await;
            let want = row.expect[i];
            let snippet: String = r.text.chars().take(300).collect();
            if r.status != want {
                self.fail(
                    row,
                    p,
                    format!("status {} (want {want}): {snippet}", r.status),
                );
            }
            let to_login = r.status == 303 && r.location.as_deref() == Some("/login");
            if r.status == 303
                && (p == P::Anon || row.method == "GET")
                && !row.is_api()
                && !to_login
            {
                self.fail(row, p, format!("303 to {:?}, not /login", r.location));
            }
            // Logging out also ends at /login; a logged-in principal's POST goes there for
            // no other reason.
            let refused = (to_login && (p == P::Anon || row.method == "GET"))
                || matches!(r.status, 400..=499);
            // The reason is said.
            match (row.is_api(), r.status) {
                (true, 401) if !r.text.contains("\"code\":\"unauthorized\"") => {
                    self.fail(row, p, format!("401 without its code: {snippet}"));
                }
                (true, 403) if !r.text.contains("\"code\":\"forbidden\"") => {
                    self.fail(row, p, format!("403 without its code: {snippet}"));
                }
                (false, 403) => {
                    let said = [
                        "这不是您创建的大会",
                        "监票人账户只能查看",
                        "您不是这次大会的监票人员",
                        "只有组织者可以新建大会",
                    ];
                    if !said.iter().any(|s| r.text.contains(s)) {
                        self.fail(row, p, format!("403 without the reason: {snippet}"));
                    }
                }
                _ => {}
            }
            // Nothing of the owner's congresses reaches the other organiser or the scrutineer
            // of the other congress.
            if matches!(p, P::Other | P::Elsewhere) && (200..300).contains(&r.status) {
                // The owner's school (in its congresses' names), the congresses' ids, and the
                // owner's account (its logins are in the owner's account log, not the
                // other organiser's).
                let mut secret = vec![
                    OWNER_SCHOOL.to_string(),
                    self.who[P::Owner.index()].username.to_string(),
                ];
                for k in ["cid", "aid"] {
                    if let Some(v) = self.vars.s.get(k) {
                        secret.push(v.clone());
                    }
                }
                for s in secret {
                    if r.text.contains(&s) {
                        self.fail(row, p, format!("the answer shows {s}: {snippet}"));
                    }
                }
            }
            if p == P::Owner {
                if let Some(s) = row.says {
                    let s = self.vars.fill(s);
                    if !r.text.contains(&s) {
                        self.fail(row, p, format!("does not say {s:?}: {snippet}"));
                    }
                }
            }
            // A read that is audited (the card print sheet: it shows the cards' secrets)
            // writes its entry when served, and nothing when refused.
            if let (false, Some(action)) = (row.is_mutating(), row.audit) {
                let new: Vec<_> = audit_all(&self.app)
                    .into_iter()
                    .filter(|e| e.seq > last_seq)
                    .collect();
                let who = self.who[i].username;
                if refused && !new.is_empty() {
                    self.fail(row, p, format!("refused but audited {new:?}"));
                }
                if !refused && !new.iter().any(|e| e.action == action && e.actor == who) {
                    self.fail(row, p, format!("served without the audit entry {action}"));
                }
            }
            if let Some(b) = &before {
                let after = snapshot(&self.app);
                if refused {
                    let d = diff(b, &after);
                    if !d.is_empty() {
                        self.fail(row, p, format!("refused ({}) but changed {d:?}", r.status));
                    }
                } else {
                    match row.audit {
                        None => self.fail(
                            row,
                            p,
                            "accepted change without an audit row in the table".into(),
                        ),
                        Some(action) => {
                            let who = self.who[i].username;
                            let role = if matches!(p, P::Scrutineer | P::Elsewhere) {
                                "scrutineer"
                            } else {
                                "organiser"
                            };
                            let written = audit_all(&self.app)
                                .into_iter()
                                .filter(|e| e.seq > last_seq)
                                .any(|e| e.action == action && e.actor == who && e.role == role);
                            if !written {
                                self.fail(
                                    row,
                                    p,
                                    format!("no audit entry {action} by {who} ({role})"),
                                );
                            }
                        }
                    }
                    before = Some(after);
                }
            }
            if let Some(cap) = row.capture {
                if !refused {
                    cap(&mut self.vars, &self.app, p, &r);
                }
            }
        }
    }

    /// Runs the steps; returns how many rows were walked.
    pub async fn run(&mut self, steps: &[Step]) -> usize {
        let mut rows = 0;
        for step in steps {
            match step {
                Step::Walk(row) => {
                    rows += 1;
                    self.walk_row(row).await;
                }
                Step::Owner(row) => {
                    if let Some(k) = row.missing(&self.vars) {
                        panic!(
                            "set-up {} {}: ${k} was not captured; failures so far:\n{}",
                            row.method,
                            row.path,
                            self.failures.join("\n")
                        );
                    }
                    let i = P::Owner.index();
                    let r = self.send(i, row).await;
                    if r.status != row.expect[i] {
                        let snippet: String = r.text.chars().take(400).collect();
                        panic!(
                            "set-up {} {} answered {} (want {}): {snippet}\nfailures so far:\n{}",
                            row.method,
                            row.path,
                            r.status,
                            row.expect[i],
                            self.failures.join("\n")
                        );
                    }
                    if let Some(cap) = row.capture {
                        cap(&mut self.vars, &self.app, P::Owner, &r);
                    }
                }
                Step::Db(f) => f(&self.app, &mut self.vars),
            }
        }
        rows
    }

    /// Every password, API token and delegate card secret of this world.
    fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        for pr in self.who.iter().skip(1) {
            out.push(pr.password.clone());
            out.extend(pr.token.clone());
        }
        let mut c = self.app.db.db.conn().unwrap();
        for k in ["cid", "aid"] {
            let cid = self.vars.get(k);
            let cards = service::credentials::cards(
                &mut c,
                &CongressId::from(cid),
                None,
                &self.app.state.credential_key,
            )
            .expect("cards");
            assert!(!cards.is_empty());
            for card in cards {
                out.push(card.token);
                out.push(card.code);
            }
        }
        out
    }

    /// No audit entry holds a secret.
    pub fn check_audit_has_no_secrets(&mut self) {
        let secrets = self.secrets();
        let entries = audit_all(&self.app);
        assert!(entries.len() > 100, "{} entries", entries.len());
        for e in &entries {
            let text = format!("{e:?}");
            for s in &secrets {
                if text.contains(s.as_str()) {
                    self.failures.push(format!(
                        "audit entry {} {} holds a secret: {text}",
                        e.seq, e.action
                    ));
                }
            }
        }
    }
}

both_backends!(every_route_as_five_principals, |kind: Kind| {
    let app = TestApp::start(kind, "every_route_as_five_principals");
    block_on(async {
        let mut w = World::new(app).await;
        // The API first: the page walk ends by logging everyone out.
        let api = w.run(&table::api_steps()).await;
        let html = w.run(&table::html_steps()).await;
        w.check_audit_has_no_secrets();
        eprintln!(
            "authz table: {html} page rows + {api} API rows = {} rows x 5 principals; {} requests",
            html + api,
            w.requests
        );
        assert!(
            w.failures.is_empty(),
            "{} failures:\n{}",
            w.failures.len(),
            w.failures.join("\n")
        );
    });
});
