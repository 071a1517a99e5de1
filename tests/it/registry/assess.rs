//! A school's own self-assessment (学代会自评表) is the filing office's view of its packet:
//! the demo's certified congress, its page `/c/{cid}/self-assessment` and `congress assess`,
//! then its packet filed to a registry on the same database: the same indicators.

use congress::domain::state::CongressState;
use congress::registry::assessment::self_assessment;
use congress::registry::ingest::{ingest, Outcome, Upload};
use congress::registry::service;
use congress::registry::store::Store;
use congress::registry::table::filing_view;
use congress::registry::unpack::Limits;
use congress::service::record::filing_packet;
use congress::service::Actor;
use congress::storage::repo::congress as congress_repo;

use super::block_on;
use crate::common::http::TestApp;
use crate::common::Kind;

fn same_view(kind: Kind) {
    let app = TestApp::start(kind, "self_assessment");
    // The demo votes through the ballot box's blocking interface: outside the runtime.
    let (logins, _) = congress::demo::populate(&app.db.db, &app.db.config()).unwrap();
    block_on(check(&app, &logins));
}

async fn check(app: &TestApp, logins: &[congress::demo::DemoLogin]) {
    let organiser = logins.iter().find(|l| l.username == "zuzhi").unwrap();
    let mut c = app.db.db.conn().unwrap();
    let held = congress_repo::list(&mut c)
        .unwrap()
        .into_iter()
        .find(|k| k.state >= CongressState::Certified)
        .expect("the demo's certified congress");
    let mut web = app.client();
    assert_eq!(web.login("zuzhi", &organiser.password).await.status(), 303);
    let (status, page) = web
        .get_text(&format!("/c/{}/self-assessment", held.id))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("学代会自评表") && page.contains("代表中普通同学"),
        "{page}"
    );
    let mine = self_assessment(&mut c, &held.id).unwrap();

    // The packet as the record page downloads it, filed to a registry on this database.
    let contents = filing_packet(&mut c, &held.id, &app.base).unwrap();
    let zip = congress::packet::zip_packet(&contents).unwrap();
    let actor = Actor::cli("test");
    let school = service::add_school(&mut c, &actor, "10001", &held.school).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let outcome = ingest(
        &mut c,
        &store,
        &Limits::default(),
        &actor,
        &school,
        Upload::Zip(zip),
        "cli",
    )
    .unwrap();
    let Outcome::Accepted { filing, .. } = outcome else {
        panic!("the demo's packet was not accepted: {outcome:?}");
    };
    let theirs = filing_view(&mut c, &filing.id).unwrap();
    assert_eq!(mine.indicators, theirs.indicators);
    assert!(mine.indicators.iter().all(|i| !i.value.is_empty()));
    // What the page shows is that list.
    for i in &mine.indicators {
        assert!(page.contains(&i.item), "{} missing from the page", i.item);
    }

    // The command line says the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(["--data-dir"])
        .arg(app.db.path().join("data"))
        .args([
            "--database-url",
            &app.db.url,
            "assess",
            "--congress",
            held.id.as_str(),
            "--json",
        ])
        .output()
        .unwrap();
    let failed = mine
        .indicators
        .iter()
        .any(|i| i.outcome == congress::registry::indicators::Outcome::Fail);
    assert_eq!(
        out.status.code(),
        Some(if failed { 1 } else { 0 }),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["indicators"],
        serde_json::to_value(&mine.indicators).unwrap()
    );
}

both_backends!(the_self_assessment_is_the_offices_view, same_view);
