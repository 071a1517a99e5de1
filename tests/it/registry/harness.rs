//! A registry server (registry mode) on 127.0.0.1:<random port> over a fresh test database,
//! with its packet store in the test's directory; accounts, schools and packets for the tests.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;

use chrono::Days;
use congress::registry::synth::{packet, packet_with_key, Spec, Synthetic};
use congress::registry::table::today;
use congress::registry::unpack::Limits;
use congress::registry::{service, RegistryConfig};
use congress::service::{accounts, Actor};
use congress::storage::repo::registry::{self as repo, School};
use congress::storage::repo::users::Role;
use congress::web::{self, AppState, Secrets};
use reqwest::redirect::Policy;

use crate::common::http::{csrf_in, Client};
use crate::common::{test_db, Kind, TestDb};

pub struct Registry {
    pub base: String,
    pub db: TestDb,
    pub state: AppState,
    pub store: PathBuf,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Registry {
    fn drop(&mut self) {
        let h = self.handle.clone();
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(h.stop(false))
        });
    }
}

impl Registry {
    pub fn start(kind: Kind, test: &str) -> Registry {
        Self::start_with(kind, test, Limits::default())
    }

    /// A registry with these upload limits.
    pub fn start_with(kind: Kind, test: &str, limits: Limits) -> Registry {
        let db = test_db(kind, test);
        let store = db.path().join("store");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let secrets = Secrets {
            cookie: vec![7u8; 64],
            credential: vec![9u8; 64],
        };
        let registry = RegistryConfig::open(store.clone(), limits).expect("store");
        let state = AppState::new(db.db.clone(), db.config(), &secrets, base.clone())
            .with_registry(registry);
        let st = state.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = web::server(listener, st).expect("server");
                tx.send(server.handle()).expect("send handle");
                let _ = server.await;
            })
        });
        let handle = rx.recv().expect("server handle");
        Registry {
            base,
            db,
            state,
            store,
            handle,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn conn(&self) -> congress::storage::PooledConn {
        self.db.db.conn().expect("conn")
    }

    /// An account (office, or a school's with its code); returns its password.
    pub fn account(&self, username: &str, role: Role, school: Option<&str>) -> String {
        let password = format!("pw-{username}-0123456789");
        let mut c = self.conn();
        let school =
            school.map(|code| repo::school_by_code(&mut c, code).unwrap().expect("school"));
        service::add_account(
            &mut c,
            &Actor::cli("test"),
            username,
            &password,
            role,
            school.as_ref(),
            false,
        )
        .expect("account");
        password
    }

    /// Registers a school through the service (as the command line does).
    pub fn school(&self, code: &str, name: &str) -> School {
        service::add_school(&mut self.conn(), &Actor::cli("test"), code, name).expect("school")
    }

    /// An API token of `username`.
    pub fn token(&self, username: &str) -> String {
        accounts::create_token(&mut self.conn(), &Actor::cli("test"), username, "测试")
            .expect("token")
    }

    /// A browser-like client logged in as `username`.
    pub async fn login(&self, username: &str, password: &str) -> Client {
        let mut c = Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                // A fresh connection per request: a pooled one the server has closed after
                // its keep-alive time (a long run of API rows in between) fails to send.
                .pool_max_idle_per_host(0)
                .redirect(Policy::none())
                .build()
                .expect("client"),
            csrf: None,
        };
        let r = c.login(username, password).await;
        assert_eq!(r.status(), 303, "login of {username}");
        let (_, page) = c.get_text("/account").await;
        c.csrf = csrf_in(&page);
        assert!(c.csrf.is_some(), "csrf for {username}");
        c
    }

    /// A client for the API.
    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("client")
    }

    /// Files held in the packet store (not the scratch directory).
    pub fn stored_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.store).expect("store").flatten() {
            if e.file_name() != "tmp" {
                walk(&e.path(), &mut out);
            }
        }
        out
    }

    /// Nothing left behind in the scratch directory.
    pub fn scratch_is_empty(&self) -> bool {
        std::fs::read_dir(self.store.join("tmp"))
            .expect("tmp")
            .next()
            .is_none()
    }
}

/// `days` days before today (CST), as YYYY-MM-DD.
pub fn days_ago(days: u64) -> String {
    today()
        .checked_sub_days(Days::new(days))
        .expect("date")
        .to_string()
}

/// A congress of `school` held `days` days ago, with a fresh key.
pub fn congress(school: &str, id: &str, days: u64, seed: u64) -> Synthetic {
    packet(&Spec::new(school, id, &days_ago(days), 60, seed)).expect("packet")
}

/// The same with a given spec change.
pub fn congress_with(spec: Spec) -> Synthetic {
    packet(&spec).expect("packet")
}

/// The packet of `spec` signed with `key`.
pub fn signed_with(spec: &Spec, key: congress::crypto::SigningKey) -> Synthetic {
    packet_with_key(spec, key).expect("packet")
}

/// Uploads a zip over the API as `token` for school `code`.
pub async fn api_file(
    r: &Registry,
    token: &str,
    code: &str,
    zip: Vec<u8>,
) -> (u16, serde_json::Value) {
    let resp = r
        .api()
        .post(r.url(&format!("/api/v1/registry/schools/{code}/filings")))
        .bearer_auth(token)
        .header("content-type", "application/zip")
        .body(zip)
        .send()
        .await
        .expect("POST filing");
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}

/// GETs JSON over the API.
pub async fn api_get(r: &Registry, token: &str, path: &str) -> (u16, serde_json::Value) {
    let resp = r
        .api()
        .get(r.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(serde_json::Value::Null))
}
