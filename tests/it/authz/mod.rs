//! Who may do what, over HTTP, on both backends.
//!
//! `table` lists every organiser/scrutineer page and every `/api/v1` endpoint with the exact
//! status each of five principals must get: anonymous (no session / no bearer token), a
//! scrutineer named for the congress (监票人, may read it and do the scrutineer actions), a
//! scrutineer named for another congress only (may do nothing here), the organiser of another
//! congress, and the owning organiser. The rows are ordered along a congress's
//! life, so the owner's requests really get past authorisation (success, or a state-machine
//! refusal with its Chinese message), while every refused request is checked to have
//! changed nothing in the database. `walk` runs the table against one server per backend and
//! checks each organiser action's audit entry.
//!
//! `guard` parses the route registrations in `src/web` and the served OpenAPI document and
//! fails when a route has no row (public routes are listed with a reason), so a new route
//! cannot be added without deciding who may use it.
//!
//! `csrf`: a logged-in owner's form without or with a wrong token is refused and changes
//! nothing; cookies never authenticate the API. `throttle`: 5 failed logins per account and
//! per address lock logins out for the window, with the Chinese message and audit entries.
//! `secrets`: no audit entry ever holds a password or a token.

use crate::common;

use crate::voting::dump;

mod csrf;
mod guard;
mod table;
mod throttle;
mod walk;

use common::http::TestApp;
use congress::storage::repo::audit::{self as audit_repo, AuditEntry};

/// Runs an async test body on a fresh runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The demo school's file `name` (`templates/sample/`).
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/templates/sample/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("sample file")
}

/// Every audit entry, oldest first.
pub fn audit_all(app: &TestApp) -> Vec<AuditEntry> {
    let mut c = app.db.db.conn().expect("conn");
    let mut v = audit_repo::list(&mut c, None).expect("audit");
    v.sort_by_key(|e| e.seq);
    v
}

/// The whole database as sorted text, table by table (row order is not stable on
/// PostgreSQL after updates, so rows are sorted).
pub fn snapshot(app: &TestApp) -> Vec<(String, Vec<String>)> {
    let mut c = app.db.db.conn().expect("conn");
    dump::dump(&mut c)
        .into_iter()
        .map(|t| {
            let mut rows = t.rows;
            rows.sort();
            (t.name, rows)
        })
        .collect()
}

/// Names the tables and rows that differ between two snapshots (empty when equal).
pub fn diff(before: &[(String, Vec<String>)], after: &[(String, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (b, a) in before.iter().zip(after) {
        if b != a {
            let gone: Vec<_> = b.1.iter().filter(|r| !a.1.contains(r)).collect();
            let new: Vec<_> = a.1.iter().filter(|r| !b.1.contains(r)).collect();
            out.push(format!("{}: removed {gone:?}, added {new:?}", b.0));
        }
    }
    if before.len() != after.len() {
        out.push("the set of tables changed".to_string());
    }
    out
}
