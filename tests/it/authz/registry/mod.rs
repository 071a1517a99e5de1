//! The filing office's table (registry mode): every registry page and `/api/v1/registry`
//! endpoint with the exact status each of five principals must get, walked against a registry
//! server on each backend, with the checks of `walk`: a refused request changes nothing (the
//! whole database and the packet store), an accepted action writes its audit entry naming who
//! did it, a refusal says why, and a school account's successful reads never show another
//! school. `guard` counts these rows, so a registry route without one fails there.
//!
//! Principals: anonymous, a congress organiser's account (a staff account that is not a
//! registry account: nothing), the other school's account, the school's own account, and the
//! office (上级学联).

use congress::crypto::sha256_hex;
use congress::registry::synth::{packet, Spec};
use congress::storage::repo::audit;
use congress::storage::repo::users::Role;
use reqwest::Method;

use super::{block_on, diff};
use crate::common::http::{csrf_in, Client};
use crate::common::Kind;
use crate::registry::harness::{days_ago, Registry};

mod table;

pub use table::{rows, Body, Row, WHO};

struct World {
    r: Registry,
    html: Vec<Client>,
    tokens: Vec<Option<String>>,
    fid: Option<String>,
    failures: Vec<String>,
    /// Packets filed so far (each principal's upload is a new congress).
    filed: u32,
}

/// The whole database as sorted text, table by table (as `crate::snapshot`).
fn snapshot(r: &Registry) -> Vec<(String, Vec<String>)> {
    super::dump::dump(&mut r.conn())
        .into_iter()
        .map(|t| {
            let mut rows = t.rows;
            rows.sort();
            (t.name, rows)
        })
        .collect()
}

/// An anonymous browser holding the login page's CSRF token.
async fn anonymous(r: &Registry) -> Client {
    let mut c = Client {
        base: r.base.clone(),
        http: reqwest::Client::builder()
            .cookie_store(true)
            .pool_max_idle_per_host(0)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        csrf: None,
    };
    let (_, page) = c.get_text("/login").await;
    c.csrf = csrf_in(&page);
    assert!(c.csrf.is_some());
    c
}

fn store_files(r: &Registry) -> usize {
    r.stored_files().len()
}

impl World {
    async fn send(&mut self, i: usize, row: &Row) -> (u16, Option<String>, String) {
        let path = row
            .path
            .replace("$fid", self.fid.as_deref().unwrap_or("missing"));
        let packet_bytes = || {
            let n = if path.starts_with("/api/") {
                200 + i
            } else {
                100 + i
            };
            let spec = Spec::new("甲城大学", &format!("jc{n}"), &days_ago(3), 40, n as u64);
            packet(&spec).unwrap().zip().unwrap()
        };
        let resp = if path.starts_with("/api/") {
            let mut rb = self.r.api().request(
                Method::from_bytes(row.method.as_bytes()).unwrap(),
                self.r.url(&path),
            );
            if let Some(t) = &self.tokens[i] {
                rb = rb.bearer_auth(t);
            }
            rb = match row.body {
                Body::Empty => rb,
                Body::Json(t) => rb.header("content-type", "application/json").body(t),
                Body::Packet => rb
                    .header("content-type", "application/zip")
                    .body(packet_bytes()),
                Body::Form(_) => panic!("a form on the API"),
            };
            rb.send().await.unwrap()
        } else {
            let c = &self.html[i];
            match row.body {
                Body::Empty if row.method == "GET" => c.get(&path).await,
                Body::Form(f) => c.post_form(&path, f).await,
                Body::Packet => c.upload(&path, "packet.zip", packet_bytes()).await,
                b => panic!("cannot send {b:?}"),
            }
        };
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, location, resp.text().await.unwrap_or_default())
    }

    fn fail(&mut self, row: &Row, i: usize, what: String) {
        self.failures.push(format!(
            "{} {} as {:?}: {what}",
            row.method, row.path, WHO[i]
        ));
    }

    async fn walk(&mut self, row: &Row) {
        for (i, who) in WHO.iter().enumerate() {
            let before = snapshot(&self.r);
            let files = store_files(&self.r);
            let last = audit::list(&mut self.r.conn(), None)
                .unwrap()
                .last()
                .map_or(0, |e| e.seq);
            let (status, location, text) = self.send(i, row).await;
            let snippet: String = text.chars().take(200).collect();
            if status != row.expect[i] {
                self.fail(
                    row,
                    i,
                    format!("status {status} (want {}): {snippet}", row.expect[i]),
                );
            }
            let to_login = status == 303 && location.as_deref() == Some("/login");
            if i == 0 && status == 303 && row.path != "/" && !to_login {
                self.fail(row, i, format!("anonymous 303 to {location:?}, not /login"));
            }
            let refused = to_login || (400..500).contains(&status);
            if status == 403 {
                let said = [
                    "此账户不是备案登记账户",
                    "学校备案账户只能查看和上传本校的备案",
                    "只有上级学联账户可以进行此操作",
                ];
                if !said.iter().any(|s| text.contains(s)) {
                    self.fail(row, i, format!("403 without the reason: {snippet}"));
                }
            }
            // The other school's successful reads never show the first school.
            if i == 2
                && (200..300).contains(&status)
                && (text.contains("甲城大学") || text.contains("10001"))
            {
                self.fail(row, i, format!("shows 甲城大学: {snippet}"));
            }
            let new: Vec<_> = audit::list(&mut self.r.conn(), None)
                .unwrap()
                .into_iter()
                .filter(|e| e.seq > last)
                .collect();
            if refused {
                let d = diff(&before, &snapshot(&self.r));
                if !d.is_empty() || store_files(&self.r) != files {
                    self.fail(row, i, format!("refused ({status}) but changed {d:?}"));
                }
            } else if let Some(action) = row.audit {
                if !new.iter().any(|e| e.action == action && e.actor == *who) {
                    self.fail(
                        row,
                        i,
                        format!("done without the audit entry {action}: {new:?}"),
                    );
                }
            }
            if matches!(row.body, Body::Packet) && !refused {
                self.filed += 1;
                if self.fid.is_none() {
                    self.fid = match location {
                        Some(l) => l.strip_prefix("/registry/filings/").map(str::to_string),
                        None => serde_json::from_str::<serde_json::Value>(&text)
                            .ok()
                            .and_then(|v| v["filing"]["id"].as_str().map(str::to_string)),
                    };
                }
            }
        }
    }
}

fn walk(kind: Kind) {
    let r = Registry::start(kind, "registry_table");
    r.school("10001", "甲城大学");
    r.school("10002", "乙镇学院");
    let passwords = [
        String::new(),
        {
            let mut c = r.conn();
            congress::service::accounts::create_user(
                &mut c,
                &congress::service::Actor::cli("t"),
                "zuzhi",
                Role::Organiser,
                "pw-zuzhi-0123456789",
                false,
            )
            .unwrap();
            "pw-zuzhi-0123456789".to_string()
        },
        r.account("yizhen", Role::School, Some("10002")),
        r.account("jiacheng", Role::School, Some("10001")),
        r.account("tuanshengwei", Role::Office, None),
    ];
    block_on(async {
        let mut html = vec![anonymous(&r).await];
        let mut tokens = vec![None];
        for i in 1..5 {
            html.push(r.login(WHO[i], &passwords[i]).await);
            tokens.push(Some(r.token(WHO[i])));
        }
        let mut w = World {
            r,
            html,
            tokens,
            fid: None,
            failures: Vec::new(),
            filed: 0,
        };
        let rows = rows();
        for row in &rows {
            w.walk(row).await;
        }
        assert!(
            w.failures.is_empty(),
            "{} failures:\n{}",
            w.failures.len(),
            w.failures.join("\n")
        );
        assert_eq!(w.filed, 4, "own school and office, page and API");
        assert_eq!(store_files(&w.r), 4);
        // No audit entry holds a password or a token.
        let entries = audit::list(&mut w.r.conn(), None).unwrap();
        for e in &entries {
            let text = format!("{e:?}");
            for secret in passwords
                .iter()
                .filter(|p| !p.is_empty())
                .chain(w.tokens.iter().flatten())
            {
                assert!(
                    !text.contains(secret.as_str()),
                    "audit entry holds a secret: {text}"
                );
                assert!(!text.contains(&sha256_hex(secret.as_bytes())));
            }
        }
        eprintln!("registry table: {} rows walked by 5 principals", rows.len());
    });
}

both_backends!(registry_routes_are_authorised, walk);
