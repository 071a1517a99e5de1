//! Through the real server: a file with an error imports nothing. The demo school's files are
//! imported first; then each case takes one of them, changes a few cells at random, puts one
//! certain error in a random data row, and uploads it (form or API, UTF-8 or GBK). It must be
//! refused with 422 and what is stored (enrolment, societies, nominees, the audit trail) must
//! be exactly what was stored before.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use congress::domain::ids::CongressId;
use congress::service::{self, Actor};
use congress::storage::repo::roster as roster_repo;
use congress::storage::repo::users::Role;

use super::{config, nasty_cell};
use crate::common::http::{Client, TestApp};
use crate::common::Kind;

/// (slug, sample file, column index that gets the error, a value that column refuses)
const KINDS: [(&str, &str, usize, &str); 3] = [
    ("enrolment", "enrolment.csv", 2, "约452"),
    ("societies", "societies.csv", 1, "也许"),
    ("nominees", "nominees.csv", 4, "man"),
];

fn sample(file: &str) -> String {
    let bytes = std::fs::read(format!(
        "{}/templates/sample/{file}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("sample");
    String::from_utf8(bytes)
        .expect("utf-8")
        .trim_start_matches('\u{feff}')
        .to_string()
}

/// Everything an import could have written, in a comparable form.
fn snapshot(app: &TestApp, cid: &str) -> String {
    let mut c = app.db.db.conn().unwrap();
    let audit = congress::storage::repo::audit::list(&mut c, Some(cid))
        .unwrap()
        .len();
    format!(
        "{:?}\n{:?}\n{:?}\n{audit}",
        roster_repo::enrolment(&mut c, &CongressId::from(cid)).unwrap(),
        roster_repo::societies(&mut c, &CongressId::from(cid)).unwrap(),
        roster_repo::nominees(&mut c, &CongressId::from(cid)).unwrap(),
    )
}

/// `v` as one CSV field: quoted when it holds a delimiter, quote or line break, so an edit
/// never moves the certain error to another column.
fn quoted(v: &str) -> String {
    if v.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The sample with `edits` applied to data cells and the certain error in data row `bad`.
fn broken(kind: usize, edits: &[(usize, usize, String)], bad: usize) -> String {
    let (_, file, col, value) = KINDS[kind];
    let text = sample(file);
    let mut lines: Vec<Vec<String>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let rows = lines.len() - 1;
    for (line, c, v) in edits {
        let row = &mut lines[1 + line % rows];
        let n = row.len();
        row[c % n] = quoted(v);
    }
    let row = &mut lines[1 + bad % rows];
    row[col] = value.to_string();
    lines
        .iter()
        .map(|r| r.join(","))
        .collect::<Vec<_>>()
        .join("\r\n")
}

async fn upload(
    app: &TestApp,
    org: &Client,
    token: &str,
    cid: &str,
    slug: &str,
    bytes: Vec<u8>,
    api: bool,
) -> (u16, String) {
    if api {
        let r = reqwest::Client::new()
            .put(app.url(&format!(
                "/api/v1/congresses/{cid}/files/{slug}?name={slug}.csv"
            )))
            .bearer_auth(token)
            .body(bytes)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    } else {
        let r = org
            .upload(
                &format!("/c/{cid}/files/{slug}"),
                &format!("{slug}.csv"),
                bytes,
            )
            .await;
        (r.status().as_u16(), r.text().await.unwrap())
    }
}

fn run(kind: Kind) {
    let app = TestApp::start(kind, "imports_all_or_nothing");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (org, token, cid) = rt.block_on(async {
        let org = app.login_as("tuanwei", Role::Organiser).await;
        let mut c = app.db.db.conn().unwrap();
        let token =
            service::accounts::create_token(&mut c, &Actor::cli("test"), "tuanwei", "t").unwrap();
        drop(c);
        let r = org
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
        let cid = r.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/c/")
            .to_string();
        for (slug, file, _, _) in KINDS {
            let (status, body) = upload(
                &app,
                &org,
                &token,
                &cid,
                slug,
                sample(file).into_bytes(),
                false,
            )
            .await;
            assert_eq!(status, 200, "{slug}: {body}");
        }
        (org, token, cid)
    });
    let stored = snapshot(&app, &cid);
    assert!(stored.contains("计算机学院"), "the samples are stored");

    let strategy = (
        0usize..KINDS.len(),
        vec((any::<usize>(), any::<usize>(), nasty_cell()), 0..4),
        any::<usize>(),
        any::<bool>(),
        any::<bool>(),
    );
    // This file's failures are kept in proptest-regressions/ like those of `proptest!`.
    let mut runner = TestRunner::new(Config {
        source_file: Some(file!()),
        ..config(24)
    });
    runner
        .run(&strategy, |(kind, edits, bad, gbk, api)| {
            let text = broken(kind, &edits, bad);
            let bytes = if gbk {
                encoding_rs::GBK.encode(&text).0.into_owned()
            } else {
                text.into_bytes()
            };
            let slug = KINDS[kind].0;
            let (status, body) = rt.block_on(upload(&app, &org, &token, &cid, slug, bytes, api));
            prop_assert_eq!(status, 422, "{}", body);
            prop_assert!(body.contains("未导入任何内容"), "{}", body);
            prop_assert_eq!(&snapshot(&app, &cid), &stored, "nothing stored");
            Ok(())
        })
        .unwrap();
}

both_backends!(a_file_with_an_error_imports_nothing, |kind: Kind| run(kind));
