//! `congress simulate` end to end (the real HTTP server, every delegate its own client), then
//! tampering with the packet it exported: changing, removing, adding or reordering one ballot,
//! a count, a root, or one byte of record.json makes `congress verify` fail with the check
//! that names the fault.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn congress(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(args)
        .output()
        .expect("run congress")
}

/// The failed check codes of `congress verify DIR --json` (exit status asserted).
fn failures(dir: &Path) -> Vec<String> {
    let out = congress(&["verify", dir.to_str().unwrap(), "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("verify json");
    let failed: Vec<String> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        out.status.code(),
        Some(if failed.is_empty() { 0 } else { 1 })
    );
    failed
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn first_board(dir: &Path) -> PathBuf {
    let mut boards: Vec<PathBuf> = std::fs::read_dir(dir.join("boards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    boards.sort();
    boards.remove(0)
}

/// Rewrites a board's JSON with `f` (as canonical-looking compact JSON).
fn edit_board(dir: &Path, f: impl FnOnce(&mut Value)) {
    let path = first_board(dir);
    let mut v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
}

test!(simulate_then_tamper);
fn simulate_then_tamper() {
    let tmp = tempfile::tempdir().unwrap();
    let packet = tmp.path().join("packet");
    let out = congress(&[
        "simulate",
        "--delegates",
        "60",
        "--seed",
        "7",
        "--out",
        packet.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("simulate json");
    assert_eq!(report["verified"], true);
    assert_eq!(report["receipts"], 180, "60 delegates x 3 contests");
    assert_eq!(report["receipts_on_board"], 180);
    let errors: u64 = report["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["errors"].as_u64().unwrap())
        .sum();
    assert_eq!(errors, 0);
    assert!(failures(&packet).is_empty());

    type Tamper = (&'static str, fn(&Path), &'static str);
    let cases: Vec<Tamper> = vec![
        (
            "change a ballot's choice",
            |d| {
                edit_board(d, |b| {
                    let ballot = &mut b["ballots"][0];
                    let choices = ballot["choices"].as_object_mut().unwrap();
                    let (k, v) = choices
                        .iter()
                        .next()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .unwrap();
                    let flipped = if v == "for" { "against" } else { "for" };
                    choices.insert(k, Value::from(flipped));
                })
            },
            "board.merkle_root",
        ),
        (
            "remove a ballot",
            |d| {
                edit_board(d, |b| {
                    b["ballots"].as_array_mut().unwrap().remove(0);
                })
            },
            "board.counts",
        ),
        (
            "add a ballot",
            |d| {
                edit_board(d, |b| {
                    let copy = b["ballots"][0].clone();
                    b["ballots"].as_array_mut().unwrap().push(copy);
                })
            },
            "board.sorted",
        ),
        (
            "reorder two ballots",
            |d| edit_board(d, |b| b["ballots"].as_array_mut().unwrap().swap(0, 1)),
            "board.sorted",
        ),
        (
            "change cast",
            |d| {
                edit_board(d, |b| {
                    b["cast"] = Value::from(b["cast"].as_u64().unwrap() - 1)
                })
            },
            "board.counts",
        ),
        (
            "change the root in the board",
            |d| edit_board(d, |b| b["merkle_root"] = Value::from("00".repeat(32))),
            "board.merkle_root",
        ),
        (
            "flip a byte of record.json",
            |d| {
                let p = d.join("record.json");
                let mut bytes = std::fs::read(&p).unwrap();
                let i = bytes.windows(6).position(|w| w == b"\"name\"").unwrap() + 9;
                bytes[i] ^= 0x01;
                std::fs::write(&p, bytes).unwrap();
            },
            "record.signature",
        ),
        (
            "change a roll row",
            |d| {
                let dir = d.join("rolls");
                let path = std::fs::read_dir(&dir)
                    .unwrap()
                    .next()
                    .unwrap()
                    .unwrap()
                    .path();
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text.replacen(',', ";", 3)).unwrap();
            },
            "roll.sha256",
        ),
    ];
    for (what, tamper, expected) in cases {
        let copy = tmp.path().join(what.replace(' ', "_"));
        copy_dir(&packet, &copy);
        tamper(&copy);
        let failed = failures(&copy);
        assert!(!failed.is_empty(), "{what}: verify still passes");
        assert!(
            failed.iter().any(|c| c == expected),
            "{what}: expected {expected} among {failed:?}"
        );
    }
}

test!(simulate_a_term);
/// `--term`: the congress, then a 评议会 (participants counted apart) and a 常代会 meeting
/// (removal vote, by-election), each packet verified by the simulator, by `congress verify` and by the Python script.
fn simulate_a_term() {
    let tmp = tempfile::tempdir().unwrap();
    let packet = tmp.path().join("packet");
    let out = congress(&[
        "simulate",
        "--delegates",
        "40",
        "--seed",
        "3",
        "--out",
        packet.to_str().unwrap(),
        "--term",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("simulate json");
    let meetings = report["term"]["meetings"].as_array().expect("term report");
    assert_eq!(meetings.len(), 2);
    assert_eq!(meetings[0]["kind"], "评议会");
    assert_eq!(meetings[1]["kind"], "常代会会议");
    let titles: Vec<&str> = meetings[1]["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b[0].as_str().unwrap())
        .collect();
    assert!(
        titles[0].starts_with("罢免") && titles[1] == "补选学生会主席团成员",
        "{titles:?}"
    );
    // The 评议会's three participants are counted apart (rule I7): their board beside it.
    let review: Vec<(&str, u64)> = meetings[0]["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b[0].as_str().unwrap(), b[1].as_u64().unwrap()))
        .collect();
    assert_eq!(review.len(), 2, "{review:?}");
    assert_eq!(
        review[1],
        (
            "评议主席团述职报告 · 列席评议人员 (分开计票, 不计入结果)",
            3
        )
    );
    for m in meetings {
        assert_eq!(m["verified"], true);
        let dir = PathBuf::from(m["packet"].as_str().unwrap());
        assert!(failures(&dir).is_empty());
        let py = Command::new("python3")
            .arg(dir.join("verify_packet.py"))
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            py.status.success(),
            "{}",
            String::from_utf8_lossy(&py.stdout)
        );
    }
}
