//! Hostile and clumsy uploads: a zip bomb, a path that climbs out of the packet, an upload
//! over the size limit, a file that is not a zip; each refused with a clear Chinese reason,
//! nothing stored, the scratch directory empty again. And the packet directory's files sent
//! one by one (a chosen folder) are filed like the zip.

use std::io::{Cursor, Write};

use congress::registry::unpack::Limits;
use congress::storage::repo::users::Role;
use zip::write::SimpleFileOptions;

use super::block_on;
use super::harness::{api_file, congress, Registry};
use crate::common::Kind;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        z.start_file(*name, options).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

async fn hostile(kind: Kind) {
    let limits = Limits {
        max_packet_bytes: 2 << 20,
        ..Limits::default()
    };
    let r = Registry::start_with(kind, "hostile_uploads", limits);
    r.school("10001", "甲城大学");
    let pw = r.account("jiacheng", Role::School, Some("10001"));
    let token = r.token("jiacheng");

    let bomb = zip_of(&[
        ("record.json", b"{}"),
        ("boards/x.board.json", &vec![b'0'; 48 << 20]),
    ]);
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let (status, body) = api_file(&r, &token, "10001", bomb).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("疑似 zip 炸弹, 拒收"),
        "{body}"
    );

    let climb = zip_of(&[
        ("p/record.json", b"{}"),
        ("p/../../../etc/cron.d/x", b"* * * * * root id"),
    ]);
    let (status, body) = api_file(&r, &token, "10001", climb).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "归档包中的路径“p/../../../etc/cron.d/x”试图指向归档包目录之外 (路径穿越), 拒收"
    );

    let (status, body) = api_file(
        &r,
        &token,
        "10001",
        b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d,\xe5\xad\xa6\xe9\x99\xa2\r\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("上传的文件不是 zip 归档包"));

    let big = vec![b'P'; 3 << 20];
    let (status, body) = api_file(&r, &token, "10001", big.clone()).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(
        body["message"],
        "归档包超过 2 MB 的上限, 未接收; 请上传“结果报告”页面下载的 zip (其中不应有其他文件)"
    );
    let web = r.login("jiacheng", &pw).await;
    let resp = web
        .upload("/registry/schools/10001/filings", "big.zip", big)
        .await;
    assert_eq!(resp.status(), 413);

    // Refusals that were read whole are in the log with their hash; nothing is stored.
    let (_, school) = super::harness::api_get(&r, &token, "/api/v1/registry/schools/10001").await;
    assert_eq!(school["refusals"].as_array().unwrap().len(), 3, "{school}");
    assert!(r.stored_files().is_empty());
    assert!(r.scratch_is_empty());
    // The site is still there.
    let (status, _) = web.get_text("/registry/schools/10001").await;
    assert_eq!(status, 200);
}

both_backends!(
    hostile_uploads_are_refused_with_the_reason,
    |kind| block_on(hostile(kind))
);

async fn directory(kind: Kind) {
    let r = Registry::start(kind, "directory_upload");
    r.school("10001", "甲城大学");
    let pw = r.account("jiacheng", Role::School, Some("10001"));
    let web = r.login("jiacheng", &pw).await;
    let packet = congress("甲城大学", "jc2025", 2, 1);
    let files = packet.contents.files().unwrap();
    let mut form = reqwest::multipart::Form::new();
    for (rel, bytes) in &files {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(format!("jc2025-packet/{rel}"));
        form = form.part("files", part);
    }
    let url = r.url(&format!(
        "/registry/schools/10001/filings?csrf={}",
        web.csrf.as_deref().unwrap()
    ));
    let resp = web.http.post(url).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), 303, "{}", resp.text().await.unwrap());
    let (status, page) = web
        .get_text(resp.headers()["location"].to_str().unwrap())
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("已接收并备案") && page.contains("按时备案"),
        "{page}"
    );
    // Stored as one zip, which unpacks to the same files.
    let stored = r.stored_files();
    assert_eq!(stored.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let got = congress::registry::unpack::unzip(
        &std::fs::read(&stored[0]).unwrap(),
        dir.path(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(got.len(), files.len());
}

both_backends!(a_packet_directory_is_filed_like_its_zip, |kind| block_on(
    directory(kind)
));
