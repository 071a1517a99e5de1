//! The security suite, over HTTP against the real server on SQLite and PostgreSQL:
//!
//! - `throttle`: guessing delegate card tokens and API bearer tokens is throttled per address
//!   (401, then 429 in Chinese), other addresses are not locked out; a right card still logs
//!   in from a throttled address (only failures are throttled), a right API token does not.
//! - `cards`: a card's QR link is not consumed by looking (GET shows one button; login is a
//!   POST with CSRF); printing, logging in with and checking in by a card leave a trail the
//!   delegate and the scrutineers see; logout ends delegate and staff sessions on the server.
//! - `limits`: uploads over `MAX_UPLOAD_BYTES` (16 MiB) and JSON or form bodies over
//!   `MAX_BODY_BYTES` (256 KiB) are refused with 413 and a Chinese message; nothing stored.
//! - `traversal`: `../`, `%2e%2e%2f`, backslashes and absolute paths in every route that
//!   takes a name or id, sent byte for byte over a raw socket, reach no file; uploaded file
//!   names are reduced to a base name and never used as paths; the export CLI refuses ids
//!   that are not ids.
//! - `injection`: SQL-looking and HTML/JS strings in congress names, contest titles and
//!   texts, candidate names and uploaded file names are stored exactly, escaped in HTML,
//!   exact in JSON, and inert in headless Chromium (no dialog, no injected element).
//! - `headers`: session cookie flags (HttpOnly, SameSite, Path, Secure behind https) and the
//!   security headers on every kind of response.
//! - `closed`: a closed contest refuses ballots from phones and from the paper-ballot desk;
//!   the refused ballot is not on the board and the counts do not move.
//! - `cli`: `congress verify --expect-key` catches a packet re-signed whole with another key;
//!   `congress demo --database-url` uses the database it is given or refuses clearly.
//! - `csv`: every CSV export (roster, quota, audit, attendance, results, the packet's rolls)
//!   of a congress full of names starting with = + - @ tab CR: no cell runs a formula.
//! - `roles`: a sample of organiser routes refused to scrutineers, other organisers,
//!   scrutineers of other congresses (who see nothing of this one),
//!   delegates and anonymous visitors (the full route-by-role table lives in `tests/it/authz`).

use crate::common;
use crate::packet::fixture as packet_fixture;
use crate::voting::{fixture, phone};

mod cards;
mod cli;
mod closed;
mod csv;
mod headers;
mod injection;
mod limits;
mod roles;
mod throttle;
mod traversal;

use std::io::{Read, Write};

use common::http::{csrf_in, Client, TestApp};
use congress::service::{self, Actor};
use congress::storage::repo::audit as audit_repo;

/// Runs an async test body on a multi-threaded runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The organiser of the voting fixture, logged in through the login form.
pub async fn fixture_organiser(app: &TestApp) -> Client {
    let mut c = app.client();
    let r = c
        .login(fixture::ORGANISER, fixture::ORGANISER_PASSWORD)
        .await;
    assert_eq!(r.status(), 303, "organiser login");
    c.refresh_csrf().await;
    c
}

/// Creates a congress named `name` through the "new congress" form; returns its id.
pub async fn new_congress(c: &Client, name: &str) -> String {
    let r = c
        .post_form(
            "/congresses",
            &[
                ("name", name),
                ("school", "示范大学"),
                ("level", "school"),
                ("session_no", "10"),
                ("date", "2026-12-01"),
                ("place", "大学生活动中心"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    loc.strip_prefix("/c/")
        .expect("redirect to the congress")
        .to_string()
}

/// The API's body for a new congress named `name`.
pub fn congress_json(name: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "school": "示范大学",
        "level": "school",
        "session_no": 10,
        "date": "2026-12-01",
        "place": "大学生活动中心",
    })
}

/// An API token for the existing account `username`.
pub fn api_token(app: &TestApp, username: &str) -> String {
    let mut c = app.db.db.conn().expect("conn");
    service::accounts::create_token(&mut c, &Actor::cli("test"), username, "security test")
        .expect("token")
}

/// A plain HTTP client (no cookies, no redirects), connecting from `local` when given
/// (another loopback address is another client address to the server).
pub fn http(local: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if let Some(ip) = local {
        b = b.local_address(Some(ip.parse().expect("ip")));
    }
    b.build().expect("client")
}

/// The audit entries of `cid` with `action`.
pub fn entries(app: &TestApp, cid: &str, action: &str) -> Vec<audit_repo::AuditEntry> {
    let mut c = app.db.db.conn().unwrap();
    audit_repo::list(&mut c, Some(cid))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// A response read off a raw socket.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub body: String,
}

/// Sends `GET {target}` exactly as written (no client normalises `..` or `\` away) over
/// HTTP/1.0, so the answer is not chunked; `extra` are further header lines.
pub fn raw_get(base: &str, target: &str, extra: &[(&str, &str)]) -> Raw {
    let host = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .expect("timeout");
    let mut req = format!("GET {target} HTTP/1.0\r\nHost: {host}\r\n");
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split("\r\n")
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    Raw {
        status,
        body: body.to_string(),
    }
}

/// Logs `username` in through the form without a cookie jar; returns the `Cookie:` value of
/// the staff session, for raw requests.
pub async fn staff_cookie(app: &TestApp, username: &str, password: &str) -> String {
    let h = http(None);
    let r = h.get(app.url("/login")).send().await.unwrap();
    let pre = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = csrf_in(&r.text().await.unwrap()).expect("csrf");
    let r = h
        .post(app.url("/login"))
        .header("cookie", pre)
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "login of {username}");
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("congress_staff="))
        .expect("staff cookie")
}
