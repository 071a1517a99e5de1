//! The roster workflow in the browser and the API, through a real server on both backends:
//! importing the organisers' files through the upload forms (`files`), the quota table
//! (`quota`), generating, uploading, checking, freezing and unfreezing the roster (`roster`),
//! and the same through the JSON API (`api`).

use crate::common;
use congress::domain::ids::CongressId;

mod api;
mod confirm;
mod duplicates;
mod files;
mod quota;
mod roster;

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

/// The demo school's file `name` (`templates/sample/`).
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/templates/sample/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("sample file")
}

/// A test fixture (`tests/fixtures/`), byte for byte.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

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

/// Uploads the demo school's enrolment, societies and nominees through the forms.
pub async fn import_samples(c: &Client, cid: &str) {
    for kind in ["enrolment", "societies", "nominees"] {
        let r = c
            .upload(
                &format!("/c/{cid}/files/{kind}"),
                &format!("{kind}.csv"),
                sample(&format!("{kind}.csv")),
            )
            .await;
        assert_eq!(r.status(), 200, "{kind}: {}", r.text().await.unwrap());
    }
}

/// Posts one of the roster page's buttons.
pub async fn press(c: &Client, cid: &str, action: &str) -> reqwest::Response {
    c.post_form(&format!("/c/{cid}/roster/{action}"), &[]).await
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

/// The `after` JSON of an audit entry.
pub fn after(e: &audit_repo::AuditEntry) -> serde_json::Value {
    serde_json::from_str(e.after.as_deref().expect("after")).expect("json")
}
