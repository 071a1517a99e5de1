//! The approval steps in a packet (`approval/`): a consistent set verifies with `congress
//! verify` and with `verify_packet.py`; a notice whose list is not the record's, a changed
//! byte, or a reply to an absent application fails both where the Python can see it.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::json;

use super::tests::{at, failed, written};
use super::verify_packet;
use crate::crypto::SigningKey;
use crate::domain::approval::NoticeCandidate;
use crate::packet::approval::{file_stem, list_hash, sign_step, Step, STEP_VERSION};
use crate::packet::format::Record;
use crate::packet::test_data::CONGRESS;

fn step(kind: &str, contest: Option<&str>, hash: Option<&str>, data: serde_json::Value) -> Step {
    Step {
        v: STEP_VERSION,
        kind: kind.into(),
        congress: CONGRESS.into(),
        contest: contest.map(str::to_string),
        candidates_sha256: hash.map(str::to_string),
        recorded_at: "2026-11-20T10:00:00+08:00".into(),
        data,
    }
}

fn put(dir: &Path, key: &SigningKey, seq: i32, s: &Step) -> String {
    let signed = sign_step(key, s).unwrap();
    let stem = file_stem(seq, &s.kind);
    fs::create_dir_all(dir.join("approval")).unwrap();
    fs::write(dir.join(format!("{stem}.json")), &signed.bytes).unwrap();
    fs::write(dir.join(format!("{stem}.sig")), signed.sig).unwrap();
    crate::crypto::sha256_hex(&signed.bytes)
}

/// The record's presidium candidates as a notice would list them, in ballot order.
fn noticed(dir: &Path) -> Vec<NoticeCandidate> {
    let record: Record =
        serde_json::from_slice(&fs::read(dir.join("record.json")).unwrap()).unwrap();
    let c = record
        .contests
        .iter()
        .find(|c| c.id == "presidium")
        .unwrap();
    c.candidates
        .iter()
        .map(|k| NoticeCandidate {
            id: k.id.clone(),
            name: k.name.clone(),
            college: k.college.clone(),
            grade: "2023级".into(),
            political_status: "中共党员".into(),
            union_post: String::new(),
            profile: "简介".into(),
        })
        .collect()
}

fn steps(dir: &Path, key: &SigningKey, list: &[NoticeCandidate]) {
    let h = list_hash(list).unwrap();
    let c = Some("presidium");
    put(
        dir,
        key,
        1,
        &step(
            "party_approval",
            c,
            Some(&h),
            json!({"body":"校党委","reference":"党字8号","date":"2026-11-01"}),
        ),
    );
    put(
        dir,
        key,
        2,
        &step(
            "federation_request",
            c,
            Some(&h),
            json!({"body":"省学联","reply":"同意","date":"2026-11-02"}),
        ),
    );
    put(
        dir,
        key,
        3,
        &step(
            "notice",
            c,
            Some(&h),
            json!({"start":"2026-11-03","days":5,"holidays":[],"workdays":[],"end":"2026-11-09","candidates":list}),
        ),
    );
    let app = put(
        dir,
        key,
        4,
        &step(
            "application_convene",
            None,
            None,
            json!({"body":"省学联","start":"2026-12-01","end":"2026-12-01"}),
        ),
    );
    put(
        dir,
        key,
        5,
        &step(
            "reply",
            None,
            None,
            json!({"application_sha256":app,"application_kind":"application_convene","body":"省学联","reference":"","reply":"同意召开","date":"2026-11-10"}),
        ),
    );
}

/// `verify_packet.py` on `dir`: whether it passed, and its output.
fn python(dir: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .arg(dir.join("verify_packet.py"))
        .arg(dir)
        .output()
        .expect("python3");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn consistent_steps_verify() {
    let (_tmp, dir, sample) = written();
    let list = noticed(&dir);
    steps(&dir, &sample.key, &list);
    let checks = verify_packet(&dir, None);
    assert!(checks.all_ok(), "{:?}", failed(&checks));
    assert!(checks.items.iter().any(|c| c.code == "approval.list"));
    let (ok, out) = python(&dir);
    assert!(ok, "{out}");
    assert!(
        out.contains("OK   presidium: the noticed list's hash recomputes"),
        "{out}"
    );
}

#[test]
fn a_notice_of_another_list_fails() {
    let (_tmp, dir, sample) = written();
    let mut list = noticed(&dir);
    list.swap(0, 1);
    steps(&dir, &sample.key, &list);
    let checks = verify_packet(&dir, None);
    assert_eq!(failed(&checks), [at("approval.list", Some("presidium"))]);
    let (ok, out) = python(&dir);
    assert!(
        !ok && out.contains("FAIL presidium: the noticed list"),
        "{out}"
    );
}

#[test]
fn a_changed_byte_or_a_missing_application_fails() {
    let (_tmp, dir, sample) = written();
    let list = noticed(&dir);
    steps(&dir, &sample.key, &list);
    // The application the reply answers is gone.
    fs::remove_file(dir.join("approval/004.application_convene.json")).unwrap();
    fs::remove_file(dir.join("approval/004.application_convene.sig")).unwrap();
    let checks = verify_packet(&dir, None);
    assert_eq!(failed(&checks), [at("approval.reply", None)]);
    let (ok, out) = python(&dir);
    assert!(!ok && out.contains("answers an application"), "{out}");
    // A changed byte breaks the signature (Rust) and the list hash (both).
    let path = dir.join("approval/003.notice.json");
    let text = fs::read_to_string(&path).unwrap().replace("简介", "简历");
    fs::write(&path, text).unwrap();
    let codes: Vec<String> = failed(&verify_packet(&dir, None))
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert!(codes.contains(&"approval.step".to_string()), "{codes:?}");
    assert!(!python(&dir).0);
}
