//! The delegate side end to end, through the real interfaces, on SQLite and PostgreSQL:
//! logging in with the card (`login`), quorum and ballots issued frozen at opening
//! (`presence`), the waiting page and the anonymous ballot box (`papers`), the invalid-ballot
//! warning, paper ballots and closing (`ballots`), exactly once for papers and ballots under
//! concurrent requests (`concurrency`), secrecy of the stored data and of the server's log
//! (`secrecy`) and against an attacker who reads the database's files (`attack`), receipts
//! and QR codes checked with independent tools (`receipts`, `qr`), and the phone flow in
//! headless Chromium (`browser`).
//!
//! Every test builds its congress with `fixture` and talks HTTP to a real server on
//! 127.0.0.1 (the secrecy and attack tests run the `congress serve` binary itself).

use crate::common;
use congress::domain::ids::{CongressId, ContestId};

mod absences;
mod api;
mod attack;
mod attack_events;
mod ballots;
mod browser;
mod concurrency;
mod confirm_browser;
mod confirm_close;
mod desk_nav;
pub mod dump;
mod every_page;
pub mod fixture;
mod hall;
mod login;
mod papers;
pub mod phone;
mod presence;
mod qr;
mod receipts;
pub mod review;
mod search;
mod search_browser;
mod secrecy;
mod server;
mod spoiled;
mod sqlite_pages;
mod write_ins;

use common::http::{Client, TestApp};
use congress::domain::contest::Contest;
use congress::storage::models::BallotRow;
use congress::storage::repo::contests::{self as contests_repo};
use congress::storage::repo::roster::{self as roster_repo, Delegate};
use congress::storage::repo::voting as voting_repo;
use congress::storage::schema::ballots as ballots_table;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl, SelectableHelper};

/// Runs an async test body on a multi-threaded runtime (the clients run concurrently).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The organiser of the fixture, logged in through the login form.
pub async fn organiser(app: &TestApp) -> Client {
    let mut c = app.client();
    let r = c
        .login(fixture::ORGANISER, fixture::ORGANISER_PASSWORD)
        .await;
    assert_eq!(r.status(), 303, "organiser login");
    c.refresh_csrf().await;
    c
}

/// A staff form post: (status, Location, body).
pub async fn staff_post(c: &Client, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    let r = c.post_form(path, fields).await;
    let status = r.status().as_u16();
    let loc = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, loc, r.text().await.expect("body"))
}

/// Checks delegate `no` in at the desk (`POST /c/{cid}/attendance`).
pub async fn desk_check_in(staff: &Client, cid: &str, no: u32) {
    let (status, loc, body) = staff_post(
        staff,
        &format!("/c/{cid}/attendance"),
        &[("delegate_no", &no.to_string()), ("present", "1")],
    )
    .await;
    assert_eq!(
        (status, loc.as_str()),
        (303, format!("/c/{cid}/attendance").as_str()),
        "{body}"
    );
}

/// Opens a contest from the staff voting page; returns the HTTP status and body.
pub async fn open_contest(staff: &Client, cid: &str, kid: &str) -> (u16, String) {
    let (status, _, body) =
        staff_post(staff, &format!("/c/{cid}/contests/{kid}/voting/open"), &[]).await;
    (status, body)
}

/// Closes a contest from the staff voting page; panics unless it closed.
pub async fn close_contest(staff: &Client, cid: &str, kid: &str) {
    let (status, _, body) =
        staff_post(staff, &format!("/c/{cid}/contests/{kid}/voting/close"), &[]).await;
    assert_eq!(status, 303, "{body}");
}

pub fn contest(app: &TestApp, id: &str) -> Contest {
    let mut c = app.db.db.conn().expect("conn");
    contests_repo::get(&mut c, &ContestId::from(id))
        .expect("get")
        .expect("contest")
}

pub fn delegate(app: &TestApp, cid: &str, no: u32) -> Delegate {
    let mut c = app.db.db.conn().expect("conn");
    roster_repo::delegate_by_no(&mut c, &CongressId::from(cid), no)
        .expect("get")
        .expect("delegate")
}

/// (ballots stored, roll entries) of a contest.
pub fn counts(app: &TestApp, kid: &str) -> (i64, i64) {
    let mut c = app.db.db.conn().expect("conn");
    (
        voting_repo::ballot_count(&mut c, &congress::domain::ids::ContestId::from(kid))
            .expect("ballots"),
        voting_repo::roll_count(&mut c, &congress::domain::ids::ContestId::from(kid))
            .expect("roll"),
    )
}

/// The stored ballots of a contest.
pub fn stored_ballots(app: &TestApp, kid: &str) -> Vec<BallotRow> {
    let mut c = app.db.db.conn().expect("conn");
    ballots_table::table
        .filter(ballots_table::contest_id.eq(kid))
        .select(BallotRow::as_select())
        .load(&mut *c)
        .expect("ballots")
}
