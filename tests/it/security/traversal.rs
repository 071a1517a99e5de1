//! Path traversal. No route serves a file from disk by a name from the request (templates and
//! CSS are embedded, boards and records come from the database, signing keys are looked up
//! by checked congress ids), and this checks it from outside: every route that takes a name
//! or an id gets `../`, `%2e%2e%2f`, `%2F`, double encoding, backslashes and absolute paths,
//! sent byte for byte over a raw socket, and answers 404 (or 400) without any file's content.
//! Uploaded file names are cut to their base name and never used as a path, and the export
//! command refuses an id that is not an id.

use std::path::Path;
use std::process::Command;

use congress::storage::repo::users::Role;

use super::{block_on, entries, http, new_congress, raw_get, staff_cookie};
use crate::common::http::TestApp;
use crate::common::Kind;

/// What must never appear in a response: the repository's Cargo.toml, /etc/passwd, a
/// private key, the SQLite file header.
const SECRETS: [&str; 4] = ["[package]", "root:x:0:0", "PRIVATE KEY", "SQLite format 3"];

/// Ways to write "up two directories, then a file".
fn payloads(file: &str) -> Vec<String> {
    vec![
        format!("../../{file}"),
        format!("..%2F..%2F{file}"),
        format!("..%2f..%2f{file}"),
        format!("%2e%2e%2f%2e%2e%2f{file}"),
        format!("%2E%2E/%2E%2E/{file}"),
        format!("..%252f..%252f{file}"),
        format!("..\\..\\{file}"),
        format!("..%5C..%5C{file}"),
        format!("....//....//{file}"),
        format!("%2F{file}"),
        format!("/{file}"),
        format!("..%00/{file}"),
    ]
}

fn check(app: &TestApp, target: &str, extra: &[(&str, &str)]) {
    let r = raw_get(&app.base, target, extra);
    assert!(
        [400, 404].contains(&r.status),
        "{target}: status {} {}",
        r.status,
        r.body
    );
    for s in SECRETS {
        assert!(!r.body.contains(s), "{target} leaked {s}: {}", r.body);
    }
}

both_backends!(names_and_ids_in_urls_reach_no_file, |kind: Kind| {
    let app = TestApp::start(kind, "url_traversal");
    let password = app.create_user("tuanwei", Role::Organiser);
    let token = super::api_token(&app, "tuanwei");
    block_on(async {
        let mut org = app.client();
        assert_eq!(org.login("tuanwei", &password).await.status(), 303);
        org.refresh_csrf().await;
        let cid = new_congress(&org, "示范大学第十次学生代表大会").await;
        let cookie = staff_cookie(&app, "tuanwei", &password).await;
        let bearer = format!("Bearer {token}");
        let staff = [("Cookie", cookie.as_str())];
        let api = [("Authorization", bearer.as_str())];

        // The real things answer (so a 404 below is the payload's doing).
        let r = raw_get(&app.base, "/templates/enrolment", &[]);
        assert_eq!(r.status, 200);
        assert!(r.body.contains("学院,年级,人数"));
        let r = raw_get(&app.base, &format!("/b/{cid}/key.pem"), &[]);
        assert_eq!(r.status, 200);
        assert!(r.body.contains("BEGIN PUBLIC KEY"));
        let r = raw_get(&app.base, &format!("/c/{cid}/audit"), &staff);
        assert_eq!(r.status, 200, "{}", r.body);
        let r = raw_get(&app.base, &format!("/api/v1/congresses/{cid}"), &api);
        assert_eq!(r.status, 200, "{}", r.body);
        // The unknown path is a Chinese 404 (HTML, JSON under /api/).
        let r = raw_get(&app.base, "/no/such/page", &[]);
        assert_eq!(r.status, 404);
        assert!(r.body.contains("页面不存在"), "{}", r.body);
        let r = raw_get(&app.base, "/api/v1/no/such", &api);
        assert_eq!(r.status, 404);
        assert!(r.body.contains("\"code\":\"not_found\""), "{}", r.body);

        let key = format!("keys/{cid}.key.pem");
        let db = "data/congress.sqlite3";
        for file in ["Cargo.toml", "etc/passwd", key.as_str(), db] {
            for p in payloads(file) {
                check(&app, &format!("/templates/{p}"), &[]);
                check(&app, &format!("/static/{p}"), &[]);
                check(&app, &format!("/b/{p}"), &[]);
                check(&app, &format!("/b/{p}/key.pem"), &[]);
                check(&app, &format!("/b/{cid}/{p}"), &[]);
                check(&app, &format!("/b/{cid}/check?hash={p}"), &[]);
                check(&app, &format!("/r/{p}/{p}"), &[]);
                check(&app, &format!("/r/{p}/{p}/json"), &[]);
                check(&app, &format!("/b/{cid}/{p}/result"), &[]);
                check(&app, &format!("/c/{p}/record/record.json"), &staff);
                check(&app, &format!("/c/{p}/record/packet.zip"), &staff);
                check(&app, &format!("/c/{cid}/contests/{p}"), &staff);
                check(&app, &format!("/api/v1/congresses/{p}/packet.zip"), &api);
                check(&app, &format!("/api/v1/congresses/{p}/record"), &api);
                check(&app, &format!("/api/v1/congresses/{cid}/files/{p}"), &api);
                check(
                    &app,
                    &format!("/api/v1/congresses/{cid}/contests/{p}/board.json"),
                    &[],
                );
                check(
                    &app,
                    &format!("/api/v1/congresses/{p}/contests/{p}/proof/{p}"),
                    &[],
                );
            }
        }
    });
});

/// Every file name under `dir`, recursively.
fn names_under(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        out.push(e.file_name().to_string_lossy().into_owned());
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            names_under(&e.path(), out);
        }
    }
}

both_backends!(uploaded_file_names_are_never_paths, |kind: Kind| {
    let app = TestApp::start(kind, "upload_names");
    let sample = std::fs::read(format!(
        "{}/templates/sample/enrolment.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let unique = format!("evil-{}", std::process::id());
    block_on(async {
        let org = app.login_as("tuanwei", Role::Organiser).await;
        let token = super::api_token(&app, "tuanwei");
        let cid = new_congress(&org, "示范大学第十次学生代表大会").await;
        // (name sent, name kept)
        let cases = [
            (
                format!("../../../../tmp/{unique}1.csv"),
                format!("{unique}1.csv"),
            ),
            (
                format!("..\\..\\..\\{unique}2.csv"),
                format!("{unique}2.csv"),
            ),
            (
                format!("C:\\Windows\\{unique}3.csv"),
                format!("{unique}3.csv"),
            ),
            ("/etc/passwd".to_string(), "passwd".to_string()),
            (
                format!("%2e%2e%2f{unique}4.csv"),
                format!("%2e%2e%2f{unique}4.csv"),
            ),
            ("../".to_string(), "上传的文件".to_string()),
        ];
        for (i, (sent, kept)) in cases.iter().enumerate() {
            let r = org
                .upload(&format!("/c/{cid}/files/enrolment"), sent, sample.clone())
                .await;
            assert_eq!(r.status(), 200, "{sent}");
            let page = r.text().await.unwrap();
            assert!(page.contains(&format!("已导入“{kept}”")), "{sent}: {page}");
            let audit = entries(&app, &cid, "files.import");
            assert_eq!(audit.len(), i + 1);
            let files: Vec<String> = audit
                .iter()
                .map(|e| {
                    let after: serde_json::Value =
                        serde_json::from_str(e.after.as_deref().unwrap()).unwrap();
                    after["file"].as_str().unwrap().to_string()
                })
                .collect();
            assert!(files.contains(kept), "{sent}: {files:?}");
        }
        // Through the API's ?name= as well.
        let name = format!("../../{unique}5.csv");
        let r = http(None)
            .put(app.url(&format!("/api/v1/congresses/{cid}/files/enrolment")))
            .query(&[("name", name.as_str())])
            .bearer_auth(&token)
            .body(sample.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["file"], format!("{unique}5.csv"), "{body}");
    });
    // No file of those names was written anywhere we could find.
    let mut names = Vec::new();
    names_under(&app.db.path(), &mut names);
    assert!(!names.iter().any(|n| n.contains(&unique)), "{names:?}");
    for i in 1..=5 {
        assert!(!Path::new(&format!("/tmp/{unique}{i}.csv")).exists());
    }
    assert!(!Path::new("/passwd").exists());
});

both_backends!(export_refuses_ids_that_are_paths, |kind: Kind| {
    let app = TestApp::start(kind, "export_ids");
    let out = app.db.path().join("out");
    for id in ["../../etc", "..", "/tmp", "a/../../b", "..\\x"] {
        let o = Command::new(env!("CARGO_BIN_EXE_congress"))
            .arg("--data-dir")
            .arg(app.db.path().join("data"))
            .arg("--database-url")
            .arg(&app.db.url)
            .arg("--key-dir")
            .arg(app.db.path().join("keys"))
            .args(["export", "--congress", id, "--out"])
            .arg(&out)
            .args(["--public-url", "http://192.168.1.10:8080"])
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{id}: {err}");
        assert!(err.contains("错误"), "{id}: {err}");
        assert!(!out.exists(), "{id}: nothing written");
    }
});
