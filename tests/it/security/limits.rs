//! Size limits: a file of exactly `MAX_UPLOAD_BYTES` (16 MiB) is read, one byte more is
//! refused with 413 and a Chinese message, through the upload form and the API; JSON and
//! form bodies over `MAX_BODY_BYTES` (256 KiB) likewise, with or without the CSRF token in
//! the body. Nothing is stored by a refused request.

use congress::domain::ids::CongressId;
use congress::storage::repo::users::Role;
use congress::storage::repo::{congress as congress_repo, roster as roster_repo};
use congress::web::{MAX_BODY_BYTES, MAX_UPLOAD_BYTES};
use serde_json::Value;

use super::{block_on, congress_json, entries, http, new_congress};
use crate::common::http::TestApp;
use crate::common::Kind;

/// The demo school's enrolment padded with spaces in its last cell (trimmed on import) to
/// exactly `len` bytes.
fn enrolment_of_len(len: usize) -> Vec<u8> {
    let mut bytes = std::fs::read(format!(
        "{}/templates/sample/enrolment.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("sample");
    while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
        bytes.pop();
    }
    assert!(bytes.len() < len);
    bytes.resize(len, b' ');
    bytes
}

fn enrolment_rows(app: &TestApp, cid: &str) -> usize {
    let mut c = app.db.db.conn().unwrap();
    roster_repo::enrolment(&mut c, &CongressId::from(cid))
        .unwrap()
        .len()
}

fn congresses(app: &TestApp) -> usize {
    let mut c = app.db.db.conn().unwrap();
    congress_repo::list(&mut c).unwrap().len()
}

both_backends!(uploads_over_16_mib_are_refused, |kind: Kind| {
    let app = TestApp::start(kind, "upload_limit");
    block_on(async {
        let org = app.login_as("tuanwei", Role::Organiser).await;
        let token = super::api_token(&app, "tuanwei");
        let cid = new_congress(&org, "示范大学第十次学生代表大会").await;
        let path = format!("/c/{cid}/files/enrolment");

        let r = org
            .upload(
                &path,
                "enrolment.csv",
                enrolment_of_len(MAX_UPLOAD_BYTES + 1),
            )
            .await;
        assert_eq!(r.status(), 413);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("文件超过16 MB的上限, 未导入; 请删去多余的工作表、列或空行后再上传"),
            "{page}"
        );
        let api = format!("/api/v1/congresses/{cid}/files/enrolment?name=enrolment.csv");
        let r = http(None)
            .put(app.url(&api))
            .bearer_auth(&token)
            .body(enrolment_of_len(MAX_UPLOAD_BYTES + 1))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "payload_too_large");
        assert!(body["message"].as_str().unwrap().contains("16 MB的上限"));
        assert_eq!(enrolment_rows(&app, &cid), 0, "nothing stored");
        assert!(entries(&app, &cid, "files.import").is_empty());

        // Exactly at the limit: read and imported (the limit is not off by one).
        let r = org
            .upload(&path, "enrolment.csv", enrolment_of_len(MAX_UPLOAD_BYTES))
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        assert_eq!(enrolment_rows(&app, &cid), 8);
        let r = http(None)
            .put(app.url(&api))
            .bearer_auth(&token)
            .body(enrolment_of_len(MAX_UPLOAD_BYTES))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        assert_eq!(entries(&app, &cid, "files.import").len(), 2);
    });
});

both_backends!(
    json_and_form_bodies_over_256_kib_are_refused,
    |kind: Kind| {
        let app = TestApp::start(kind, "body_limit");
        block_on(async {
            let org = app.login_as("tuanwei", Role::Organiser).await;
            let token = super::api_token(&app, "tuanwei");
            let long = "大".repeat(MAX_BODY_BYTES / 3 + 1); // 3 bytes each: just over the limit
            let h = http(None);

            // JSON API.
            let r = h
                .post(app.url("/api/v1/congresses"))
                .bearer_auth(&token)
                .json(&congress_json(&long))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 413);
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["code"], "payload_too_large");
            assert_eq!(
                body["message"],
                "请求内容超过256 KB的上限, 未处理; 文件请用上传功能提交"
            );
            assert_eq!(congresses(&app), 0);

            // A form with the CSRF token in the body (refused before the token is found) ...
            let csrf = org.csrf.clone().unwrap();
            let fields = [
                ("csrf", csrf.as_str()),
                ("name", long.as_str()),
                ("school", "示范大学"),
                ("level", "school"),
                ("session_no", "10"),
                ("date", "2026-12-01"),
                ("place", "大学生活动中心"),
            ];
            let r = org.post_raw("/congresses", &fields).await;
            assert_eq!(r.status(), 413);
            let page = r.text().await.unwrap();
            assert!(page.contains("请求内容超过256 KB的上限"), "{page}");
            // ... and with the token in the header (refused by the form reader).
            let r = org
                .http
                .post(org.url("/congresses"))
                .header("x-csrf-token", &csrf)
                .form(&fields[1..])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 413);
            let page = r.text().await.unwrap();
            assert!(page.contains("请求内容超过256 KB的上限"), "{page}");
            assert_eq!(congresses(&app), 0, "nothing stored");

            // A small form is read (and refused for its content only); a small JSON body works.
            let fine = "大".repeat(100);
            let r = org
                .post_form("/congresses", &[("name", fine.as_str())])
                .await;
            assert_eq!(r.status(), 400, "a form that was read, missing fields");
            let r = h
                .post(app.url("/api/v1/congresses"))
                .bearer_auth(&token)
                .json(&congress_json("示范大学第十次学生代表大会"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            assert_eq!(congresses(&app), 1);
        });
    }
);
