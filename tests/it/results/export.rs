//! The filing packet on disk and as a zip: `congress export` then `congress verify` as
//! subprocesses (exit 0; a flipped byte in a board makes it exit 1), refusals, and the zip from
//! the web holding exactly the packet's files.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

use super::block_on;
use super::fixture::{certified, counted, World};
use crate::common::Kind;

pub fn congress(w: &World, args: &[&str]) -> Output {
    let data = w.app.db.path().join("data");
    let keys = w.app.db.path().join("keys");
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .arg("--data-dir")
        .arg(&data)
        .arg("--database-url")
        .arg(&w.app.db.url)
        .arg("--key-dir")
        .arg(&keys)
        .args(args)
        .env("RUST_LOG", "error")
        .env_remove("CONGRESS_PUBLIC_URL")
        .output()
        .unwrap()
}

fn export(w: &World, out: &Path) -> Output {
    congress(
        w,
        &[
            "export",
            "--congress",
            &w.cid,
            "--out",
            out.to_str().unwrap(),
            "--public-url",
            "http://192.168.1.10:8080",
        ],
    )
}

/// Every file under `dir`, relative, with `/`.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            for inner in files(&entry.path()) {
                out.insert(format!("{name}/{inner}"));
            }
        } else {
            out.insert(name);
        }
    }
    out
}

both_backends!(export_then_verify_and_a_tamper_fails, |kind: Kind| {
    let w = certified(kind, "export");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("packet");
    let out = export(&w, &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("已导出备案材料"));
    let listed = files(&dir);
    for f in [
        "record.json",
        "record.sig",
        "congress.pub.pem",
        "roster-summary.json",
        "report.html",
        "VERIFY.txt",
        "verify_packet.py",
    ] {
        assert!(listed.contains(f), "{f} missing: {listed:?}");
    }
    let boards: Vec<&String> = listed.iter().filter(|f| f.starts_with("boards/")).collect();
    assert_eq!(boards.len(), 2);
    // The printed report is standalone and points at the public page.
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.contains("<style>"));
    assert!(report.contains(&format!("http://192.168.1.10:8080/b/{}", w.cid)));
    assert!(report.contains("王芳"));
    assert!(report.contains(&format!(
        "通过标准与规则默认标准不同 (规则 F1/F4), 组织方记录的理由: {}",
        super::fixture::MOTION_THRESHOLD_REASON
    )));
    assert!(
        report.contains("主席团选举"),
        "the election's kind is printed"
    );
    // The summary shows the roster's quota compliance: 12 delegates, 3 ordinary per college.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("roster-summary.json")).unwrap()).unwrap();
    assert_eq!(summary["total"], 12);
    assert_eq!(summary["ordinary"], 9);
    assert_eq!(summary["women"], 6);
    assert_eq!(summary["colleges"][0]["quota"], 4);

    let verify = congress(&w, &["verify", dir.to_str().unwrap()]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    // Exporting again over the same packet replaces it.
    assert!(export(&w, &dir).status.success());

    let board = dir.join(boards[0]);
    let mut bytes = std::fs::read(&board).unwrap();
    let i = bytes.iter().position(|b| *b == b'"').unwrap() + 1;
    bytes[i] ^= 0x01;
    std::fs::write(&board, bytes).unwrap();
    let verify = congress(&w, &["verify", dir.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(1));

    // A directory holding something else is refused with exit 1, and so is an unknown id.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "x").unwrap();
    assert_eq!(export(&w, &other).status.code(), Some(1));
    let out = congress(
        &w,
        &[
            "export",
            "--congress",
            "cnosuch",
            "--out",
            "x",
            "--public-url",
            "http://x",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
});

both_backends!(export_refuses_an_uncertified_congress, |kind: Kind| {
    let w = counted(kind, "export_refused");
    let tmp = tempfile::tempdir().unwrap();
    let out = export(&w, &tmp.path().join("packet"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未签署结果报告"));
    assert!(!tmp.path().join("packet").exists());
});

both_backends!(packet_zip_holds_every_file_of_the_packet, |kind: Kind| {
    let w = certified(kind, "packet_zip");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("packet");
    assert!(export(&w, &dir).status.success());
    let on_disk = files(&dir);
    let zip_bytes = block_on(async {
        let r = w.org.get(&format!("/c/{}/record/packet.zip", w.cid)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/zip");
        r.bytes().await.unwrap().to_vec()
    });
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let prefix = format!("{}-packet/", w.cid);
    let mut in_zip = BTreeSet::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().strip_prefix(&prefix).unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        // Every file but the report (whose link follows the server's address) is identical.
        if name != "report.html" {
            assert_eq!(bytes, std::fs::read(dir.join(&name)).unwrap(), "{name}");
        }
        in_zip.insert(name);
    }
    assert_eq!(in_zip, on_disk);
    // Unpacked, the zip verifies too.
    let unpacked = tmp.path().join("unzipped");
    zip.extract(&unpacked).unwrap();
    let verify = congress(&w, &["verify", unpacked.join(&prefix).to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(0));
});
