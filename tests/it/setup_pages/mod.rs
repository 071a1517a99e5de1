//! The set-up pages through a real server on both backends: details and rule profile through
//! the forms (`forms`), the scrutineer rules of G2 (`scrutineers`), the audit log pages, CSV
//! and escaping (`audit`), and the API (`api`).

use crate::common;
use congress::domain::ids::CongressId;

mod api;
mod audit;
mod forms;
mod scrutineers;
mod within_rules;

use common::http::{Client, TestApp};
use congress::storage::repo::{audit as audit_repo, congress as congress_repo};

/// Runs an async test body on a fresh runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

pub const XSS: &str = "<script>alert(1)</script>";

/// Creates a congress through the "new congress" form; returns its id.
pub async fn new_congress(c: &Client) -> String {
    let r = c
        .post_form(
            "/congresses",
            &[
                ("name", "示范大学第十次学生代表大会"),
                ("school", "示范大学"),
                ("level", "school"),
                ("session_no", "10"),
                ("date", "2026-12-01"),
                ("place", "大学生活动中心"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    loc.strip_prefix("/c/")
        .expect("redirect to the congress")
        .to_string()
}

pub fn stored(app: &TestApp, cid: &str) -> congress_repo::Congress {
    let mut c = app.db.db.conn().unwrap();
    congress_repo::get(&mut c, &CongressId::from(cid))
        .unwrap()
        .unwrap()
}

pub fn entries(app: &TestApp, cid: &str, action: &str) -> Vec<audit_repo::AuditEntry> {
    let mut c = app.db.db.conn().unwrap();
    audit_repo::list(&mut c, Some(cid))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}
