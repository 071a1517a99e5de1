//! The filing packet through its real interfaces: `congress verify` as a subprocess, OpenSSL 3
//! and the standalone Python script, on a synthetic congress built in the test. Every tamper
//! makes verification exit 1 with the check that catches it named.

pub mod fixture;
mod tools;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use congress::crypto::{sha256_hex, to_canonical, SigningKey};
use congress::packet::format::Record;
use congress::packet::{sign_addendum, sign_record, write_packet};
use fixture::{build, Fixture, Size};

fn written() -> (tempfile::TempDir, PathBuf, Fixture) {
    let fx = build(Size::SMALL);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xdh2025-packet");
    write_packet(&dir, &fx.contents).unwrap();
    (tmp, dir, fx)
}

fn congress(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_congress"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

/// Runs `congress verify DIR --json [extra]`: the exit code and the failed checks as
/// (code, contest).
fn verify(dir: &Path, extra: &[&str]) -> (i32, Vec<(String, Option<String>)>) {
    let mut args = vec!["verify", dir.to_str().unwrap(), "--json"];
    args.extend(extra);
    let out = congress(&args);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let failed = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["contest"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(json["all_ok"], out.status.code() == Some(0));
    (out.status.code().unwrap(), failed)
}

fn at(code: &str, contest: Option<&str>) -> (String, Option<String>) {
    (code.to_string(), contest.map(str::to_string))
}

/// Rewrites record.json through `f` and re-signs it with the congress's key (an insider with
/// the key, whom only the checks below the signature can catch).
fn resign(dir: &Path, key: &SigningKey, f: impl FnOnce(&mut Record)) {
    let mut record: Record =
        serde_json::from_slice(&fs::read(dir.join("record.json")).unwrap()).unwrap();
    f(&mut record);
    let signed = sign_record(key, &record).unwrap();
    fs::write(dir.join("record.json"), &signed.bytes).unwrap();
    fs::write(dir.join("record.sig"), signed.sig).unwrap();
    // Keep the addenda pointing at the new record, so they do not fail as well.
    for kind in ["approval", "filing"] {
        let path = dir.join(format!("addenda/{kind}.json"));
        let mut a: congress::packet::format::Addendum =
            serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        a.record_sha256 = sha256_hex(&signed.bytes);
        let s = sign_addendum(key, &a).unwrap();
        fs::write(&path, &s.bytes).unwrap();
        fs::write(dir.join(format!("addenda/{kind}.sig")), s.sig).unwrap();
    }
}

/// Rewrites a board canonically through `f`; with `key`, also the record's hash of it.
fn rewrite_board(dir: &Path, key: Option<&SigningKey>, contest: &str, f: impl FnOnce(&mut Value)) {
    let path = dir.join(format!("boards/{contest}.board.json"));
    let mut board: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    f(&mut board);
    let bytes = to_canonical(&board).unwrap();
    fs::write(&path, &bytes).unwrap();
    if let Some(key) = key {
        resign(dir, key, |r| {
            let c = r.contests.iter_mut().find(|c| c.id == contest).unwrap();
            c.board.sha256 = sha256_hex(&bytes);
        });
    }
}

fn ballots(board: &mut Value) -> &mut Vec<Value> {
    board["ballots"].as_array_mut().unwrap()
}

test!(a_good_packet_passes_and_exits_0);
fn a_good_packet_passes_and_exits_0() {
    let (_tmp, dir, _) = written();
    assert_eq!(verify(&dir, &[]), (0, vec![]));
    let out = congress(&["verify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("✓ [presidium] 计票复核 tally — 按记录所载规则复算"),
        "{text}"
    );
    assert!(
        text.contains("✓ 附加文件 filing addendum — 签名有效"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("checks passed"), "{text}");
    assert!(!text.contains('✗'));
}

test!(a_changed_ballot_is_caught);
fn a_changed_ballot_is_caught() {
    let (_tmp, dir, _) = written();
    let flip = |b: &mut Value| {
        let vote = &mut ballots(b)[10]["choices"]["vote"];
        *vote = Value::from(if vote == "for" { "against" } else { "for" });
    };
    rewrite_board(&dir, None, "work-report", flip);
    let (code, failed) = verify(&dir, &[]);
    assert_eq!(code, 1);
    for check in ["board.sha256", "board.merkle_root", "tally"] {
        assert!(
            failed.contains(&at(check, Some("work-report"))),
            "{check}: {failed:?}"
        );
    }
    // The insider who also fixes the board's hash in the record and re-signs it.
    let (_tmp, dir, fx) = written();
    rewrite_board(&dir, Some(&fx.key), "work-report", flip);
    let (code, failed) = verify(&dir, &[]);
    assert_eq!(code, 1);
    assert!(
        failed.contains(&at("board.merkle_root", Some("work-report"))),
        "{failed:?}"
    );
    assert!(
        failed.contains(&at("tally", Some("work-report"))),
        "{failed:?}"
    );
    assert!(!failed
        .iter()
        .any(|(c, _)| c.starts_with("record.") || c == "board.sha256"));
}

test!(a_removed_ballot_is_caught);
fn a_removed_ballot_is_caught() {
    let (_tmp, dir, fx) = written();
    rewrite_board(&dir, Some(&fx.key), "work-report", |b| {
        ballots(b).remove(100);
    });
    let (code, failed) = verify(&dir, &[]);
    assert_eq!(code, 1);
    let want = ["board.counts", "board.merkle_root", "tally"].map(|c| at(c, Some("work-report")));
    assert_eq!(failed, want);
}

test!(an_added_ballot_is_caught);
fn an_added_ballot_is_caught() {
    let (_tmp, dir, fx) = written();
    rewrite_board(&dir, Some(&fx.key), "charter", |b| {
        // A second ballot on the first one's paper: its signature verifies, its token repeats.
        let mut extra = ballots(b)[0].clone();
        let vote = &mut extra["choices"]["vote"];
        *vote = Value::from(if vote == "for" { "against" } else { "for" });
        ballots(b).push(extra);
    });
    let (code, failed) = verify(&dir, &[]);
    assert_eq!(code, 1);
    for check in ["board.tokens", "board.counts", "board.merkle_root", "tally"] {
        assert!(
            failed.contains(&at(check, Some("charter"))),
            "{check}: {failed:?}"
        );
    }
    // The same ballot twice is caught as a duplicate.
    let (_tmp, dir, fx) = written();
    rewrite_board(&dir, Some(&fx.key), "charter", |b| {
        let again = ballots(b)[7].clone();
        ballots(b).insert(8, again);
    });
    let (_, failed) = verify(&dir, &[]);
    assert!(
        failed.contains(&at("board.sorted", Some("charter"))),
        "{failed:?}"
    );
    assert!(
        failed.contains(&at("board.tokens", Some("charter"))),
        "{failed:?}"
    );
}

test!(reordered_ballots_break_order_and_root_but_not_the_count);
fn reordered_ballots_break_order_and_root_but_not_the_count() {
    let (_tmp, dir, fx) = written();
    rewrite_board(&dir, Some(&fx.key), "presidium", |b| ballots(b).swap(3, 4));
    let (code, failed) = verify(&dir, &[]);
    assert_eq!(code, 1);
    let want = ["board.sorted", "board.merkle_root"].map(|c| at(c, Some("presidium")));
    assert_eq!(failed, want);
}

test!(changed_issued_cast_or_root_in_a_board_is_caught);
fn changed_issued_cast_or_root_in_a_board_is_caught() {
    let change = |field: &str| {
        let field = field.to_string();
        move |b: &mut Value| {
            b[&field] = match field.as_str() {
                "issued" => Value::from(b["issued"].as_u64().unwrap() + 1),
                "cast" => Value::from(b["cast"].as_u64().unwrap() - 1),
                _ => Value::from("0".repeat(64)),
            }
        }
    };
    let cases = [
        ("issued", "board.counts"),
        ("cast", "board.counts"),
        ("merkle_root", "board.merkle_root"),
    ];
    for (field, check) in cases {
        let (_tmp, dir, _) = written();
        rewrite_board(&dir, None, "work-report", change(field));
        let (code, failed) = verify(&dir, &[]);
        assert_eq!(code, 1, "{field}");
        assert_eq!(
            failed,
            [
                at("board.sha256", Some("work-report")),
                at(check, Some("work-report"))
            ],
            "{field}"
        );
        let (_tmp, dir, fx) = written();
        rewrite_board(&dir, Some(&fx.key), "work-report", change(field));
        assert_eq!(
            verify(&dir, &[]),
            (1, vec![at(check, Some("work-report"))]),
            "{field}"
        );
    }
}

test!(changed_issued_or_root_in_the_record_is_caught);
fn changed_issued_or_root_in_the_record_is_caught() {
    let (_tmp, dir, fx) = written();
    resign(&dir, &fx.key, |r| r.contests[1].board.issued += 1);
    assert_eq!(
        verify(&dir, &[]),
        (1, vec![at("board.counts", Some("work-report"))])
    );
    let (_tmp, dir, fx) = written();
    resign(&dir, &fx.key, |r| {
        r.contests[0].board.merkle_root = "ab".repeat(32)
    });
    assert_eq!(
        verify(&dir, &[]),
        (1, vec![at("board.merkle_root", Some("presidium"))])
    );
    // 实到 raised by one: the threshold moves, so the recount differs too.
    let (_tmp, dir, fx) = written();
    resign(&dir, &fx.key, |r| r.contests[0].present_at_opening += 1);
    let (_, failed) = verify(&dir, &[]);
    assert_eq!(
        failed,
        ["board.counts", "tally"].map(|c| at(c, Some("presidium")))
    );
}

test!(one_flipped_byte_in_a_name_of_the_record_breaks_the_signature);
fn one_flipped_byte_in_a_name_of_the_record_breaks_the_signature() {
    let (_tmp, dir, _) = written();
    let path = dir.join("record.json");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"name\":\"郑丽\""));
    // 郑 is E9 83 91; 0x91 -> 0x92 gives 郒, still valid UTF-8 and canonical.
    fs::write(&path, text.replacen("郑丽", "郒丽", 1)).unwrap();
    let (code, failed) = verify(&dir, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        failed,
        [
            at("record.signature", None),
            at("addendum", None),
            at("addendum", None)
        ]
    );
}

test!(a_changed_roll_or_roster_summary_is_caught);
fn a_changed_roll_or_roster_summary_is_caught() {
    let (_tmp, dir, _) = written();
    let path = dir.join("rolls/charter.csv");
    let text = fs::read_to_string(&path).unwrap();
    let second_line = text.lines().nth(1).unwrap().to_string();
    let changed = second_line.replacen(',', ",x", 1);
    fs::write(&path, text.replacen(&second_line, &changed, 1)).unwrap();
    assert_eq!(
        verify(&dir, &[]),
        (1, vec![at("roll.sha256", Some("charter"))])
    );

    // A row removed, the hash fixed in a re-signed record: the count no longer matches.
    let (_tmp, dir, fx) = written();
    let path = dir.join("rolls/charter.csv");
    let text = fs::read_to_string(&path).unwrap();
    let without: String = text
        .split_inclusive("\r\n")
        .enumerate()
        .filter(|(i, _)| *i != 5)
        .map(|(_, l)| l)
        .collect();
    fs::write(&path, &without).unwrap();
    resign(&dir, &fx.key, |r| {
        r.contests[2].board.roll_sha256 = sha256_hex(without.as_bytes())
    });
    assert_eq!(
        verify(&dir, &[]),
        (1, vec![at("roll.count", Some("charter"))])
    );

    let (_tmp, dir, _) = written();
    let path = dir.join("roster-summary.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("\"women_pct\":41", "\"women_pct\":45")).unwrap();
    assert_eq!(
        verify(&dir, &[]),
        (1, vec![at("roster_summary.sha256", None)])
    );
}

test!(a_bad_addendum_is_caught);
fn a_bad_addendum_is_caught() {
    let (_tmp, dir, _) = written();
    let path = dir.join("addenda/approval.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("31号", "13号")).unwrap();
    assert_eq!(verify(&dir, &[]), (1, vec![at("addendum", None)]));

    // Signed with the key, but referring to another record.
    let (_tmp, dir, fx) = written();
    let mut a: congress::packet::format::Addendum =
        serde_json::from_slice(&fs::read(dir.join("addenda/filing.json")).unwrap()).unwrap();
    a.record_sha256 = sha256_hex(b"another record");
    let s = sign_addendum(&fx.key, &a).unwrap();
    fs::write(dir.join("addenda/filing.json"), &s.bytes).unwrap();
    fs::write(dir.join("addenda/filing.sig"), s.sig).unwrap();
    let out = congress(&["verify", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "✗ 附加文件 filing addendum — addenda/filing.json 引用的记录哈希为 \"{}\"",
            a.record_sha256
        )),
        "{text}"
    );
}
