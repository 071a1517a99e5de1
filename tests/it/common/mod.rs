//! Shared test support: a fresh database per test on each backend, a real server on a random
//! 127.0.0.1 port, and an HTTP client with its own cookie jar.
//!
//! SQLite always runs. PostgreSQL runs when `TEST_DATABASE_URL` is set (CI sets it): each
//! test gets its own database, created from that URL and dropped afterwards. Without the
//! variable the runner reports the PostgreSQL variants ignored and names them at the end
//! (under `CI=true` they run and fail, so CI can never silently skip them).

#![allow(dead_code)]

pub mod browser;
pub mod contest_keys;
pub mod forms;
pub mod http;

use std::path::PathBuf;

use congress::config::Config;
use congress::domain::ids::CongressId;
use congress::storage::{Db, OpenMode};
use diesel::{Connection, PgConnection, RunQueryDsl};

/// Which backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    pub db: Db,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
    /// Where this database's in-process servers take new contest keys ([`contest_keys`]).
    pub contest_keys: congress::crypto::ContestKeySource,
}

impl TestDb {
    /// A config whose data and key directories live in this test's temporary directory.
    pub fn config(&self) -> Config {
        Config::new(
            self.dir.path().join("data"),
            Some(self.url.clone()),
            self.dir.path().join("keys"),
        )
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.pg {
            if let Ok(mut c) = PgConnection::establish(admin_url) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut c);
            }
        }
    }
}

/// The PostgreSQL URL from the environment; panics when `TEST_DATABASE_URL` is unset (the
/// runner reports the PostgreSQL variants ignored then, so this is reached only under
/// `CI=true` or with `--include-ignored`).
pub fn pg_url(test: &str) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        // The test databases are local: no TLS. With TLS, libpq's OpenSSL state was torn
        // down at process exit while pooled connections' threads still used it (a SIGSEGV
        // after every test had passed, seen once in CI).
        Ok(u) if !u.is_empty() && u.contains("sslmode=") => u,
        Ok(u) if !u.is_empty() => format!(
            "{u}{}sslmode=disable",
            if u.contains('?') { '&' } else { '?' }
        ),
        _ => panic!(
            "the PostgreSQL variant of `{test}` cannot run: set \
             TEST_DATABASE_URL=postgres://... (CI=true requires it)"
        ),
    }
}

/// A fresh, migrated database of `kind` (PostgreSQL: see [`pg_url`]).
pub fn test_db(kind: Kind, test: &str) -> TestDb {
    let dir = tempfile::Builder::new()
        .prefix("congress-test-")
        .tempdir()
        .expect("temp dir");
    std::fs::create_dir_all(dir.path().join("data")).expect("data dir");
    std::fs::create_dir_all(dir.path().join("keys")).expect("key dir");
    match kind {
        Kind::Sqlite => {
            let url = dir
                .path()
                .join("data/congress.sqlite3")
                .to_string_lossy()
                .into_owned();
            let db = Db::open_with_pool_size(&url, OpenMode::Create, 8).expect("open sqlite");
            TestDb {
                url,
                db,
                dir,
                pg: None,
                contest_keys: contest_keys::source(),
            }
        }
        Kind::Postgres => {
            let base = pg_url(test);
            let name = format!(
                "congress_t_{}",
                congress::storage::repo::new_id("").to_lowercase()
            );
            let mut admin = PgConnection::establish(&base).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                .execute(&mut admin)
                .expect("create test database");
            let url = replace_db_name(&base, &name);
            let db = Db::open_with_pool_size(&url, OpenMode::Create, 8).expect("open postgres");
            TestDb {
                url,
                db,
                dir,
                pg: Some((base, name)),
                contest_keys: contest_keys::source(),
            }
        }
    }
}

/// `postgres://u@h:5432/test?x` -> `postgres://u@h:5432/<name>?x`
fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let out = match base[scheme_end..].find('/') {
        Some(i) => format!("{}/{}", &base[..scheme_end + i], name),
        None => format!("{base}/{name}"),
    };
    match query {
        Some(q) => format!("{out}?{q}"),
        None => out,
    }
}

/// Names the scrutineer account `username` among the scrutineers of congress `cid` (as a
/// 监票人 called "监票人<username>"), as the organiser does on the 监票人员 page with "关联账户":
/// a scrutineer account sees only the congresses it is named for. Written straight to the
/// table, so it works in any state of the congress.
pub fn name_scrutineer(db: &Db, cid: &str, username: &str) {
    use congress::storage::repo::scrutineers::{self, NewScrutineer, ScrutineerRole};
    use congress::storage::repo::{new_id, users};
    let mut c = db.conn().expect("conn");
    let user = users::by_username(&mut c, username)
        .expect("read account")
        .unwrap_or_else(|| panic!("no account {username}"));
    let name = format!("监票人{username}");
    scrutineers::insert(
        &mut c,
        &NewScrutineer {
            id: &new_id("s"),
            congress_id: cid,
            role: ScrutineerRole::Scrutineer,
            name: &name,
            student_no: None,
            user_id: Some(&user.id),
        },
    )
    .expect("name the scrutineer");
}

/// Rules C5-C7 and G4, on by default: records through the services what a congress's steps
/// before the vote would be had they been done before the test's day (the helpers of
/// `service::approval::prior`, signed and audited like the page's): every first-round
/// presidium list approved, submitted to the upper 学联 and publicly noticed (the notice
/// ended), and, once the roster is frozen and before the session opens, the application to
/// convene answered. Call it when the lists are final: a later change makes them stale.
pub fn record_steps_before_vote(
    c: &mut congress::storage::DbConnection,
    keys: &congress::crypto::KeyStore,
    cid: &str,
) {
    use congress::domain::state::CongressState;
    use congress::service::approval::prior;
    let actor = congress::service::Actor::cli("test-fixture");
    let key = keys.load(cid).expect("the congress's signing key");
    prior::record_past_steps_for_all(c, &actor, &key, &CongressId::from(cid))
        .expect("the lists' steps");
    let state = congress::service::congress::load(c, &CongressId::from(cid))
        .expect("congress")
        .state;
    let meeting = congress::storage::repo::term::meeting(c, &CongressId::from(cid))
        .expect("meeting")
        .is_some();
    if !meeting
        && matches!(
            state,
            CongressState::RosterFrozen | CongressState::CredentialsIssued
        )
    {
        prior::record_convene_reply(c, &actor, &key, &CongressId::from(cid))
            .expect("the application to convene");
    }
}

/// [`record_steps_before_vote`]'s lists, and instead of the application to convene (which
/// carries the roster summary, so needs the imported enrolment) the organiser's recorded
/// override of rule G4 with `reason`: for fixtures whose roster is written straight to the
/// table. Once the cards are issued (the override needs the state that may open the session).
pub fn record_steps_with_session_override(
    c: &mut congress::storage::DbConnection,
    keys: &congress::crypto::KeyStore,
    cid: &str,
    reason: &str,
) {
    use congress::service::approval::{override_session, prior};
    let actor = congress::service::Actor::cli("test-fixture");
    let key = keys.load(cid).expect("the congress's signing key");
    prior::record_past_steps_for_all(c, &actor, &key, &CongressId::from(cid))
        .expect("the lists' steps");
    override_session(c, &actor, &key, &CongressId::from(cid), reason)
        .expect("the session override");
}
