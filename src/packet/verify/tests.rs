use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::crypto::{sha256_hex, sign_receipt, SigningKey};
use crate::packet::record::sign_record;
use crate::packet::test_data::{sample_packet, Sample};
use crate::packet::write::write_packet;

pub(super) fn written() -> (tempfile::TempDir, PathBuf, Sample) {
    let sample = sample_packet();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("packet");
    write_packet(&dir, &sample.contents).unwrap();
    (tmp, dir, sample)
}

/// (code, contest) of every failed check.
pub(super) fn failed(list: &Checklist) -> Vec<(String, Option<String>)> {
    list.failures()
        .map(|c| (c.code.clone(), c.contest.clone()))
        .collect()
}

pub(super) fn at(code: &str, contest: Option<&str>) -> (String, Option<String>) {
    (code.to_string(), contest.map(str::to_string))
}

/// Rewrites record.json through `f` and signs it again with the congress's own key: the
/// insider's forgery, which only the checks below the signature can catch.
pub(super) fn resign(dir: &Path, key: &SigningKey, f: impl FnOnce(&mut Record)) {
    let mut record: Record =
        serde_json::from_slice(&fs::read(dir.join("record.json")).unwrap()).unwrap();
    f(&mut record);
    let signed = sign_record(key, &record).unwrap();
    fs::write(dir.join("record.json"), &signed.bytes).unwrap();
    fs::write(dir.join("record.sig"), signed.sig).unwrap();
}

/// Rewrites a board (canonically) through `f`, and the record's hash of it, re-signed.
pub(super) fn rewrite_board(
    dir: &Path,
    key: &SigningKey,
    contest: &str,
    f: impl FnOnce(&mut Value),
) {
    let path = dir.join(format!("boards/{contest}.board.json"));
    let mut board: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    f(&mut board);
    let bytes = to_canonical(&board).unwrap();
    fs::write(&path, &bytes).unwrap();
    resign(dir, key, |r| {
        let c = r.contests.iter_mut().find(|c| c.id == contest).unwrap();
        c.board.sha256 = sha256_hex(&bytes);
    });
}

#[test]
fn the_sample_packet_passes_every_check() {
    let (_tmp, dir, _) = written();
    let list = verify_packet(&dir, None);
    assert!(list.all_ok(), "{:#?}", list.failures().collect::<Vec<_>>());
    let codes: Vec<&str> = list.items.iter().map(|c| c.code.as_str()).collect();
    let per_contest = [
        "quorum",
        "board.file",
        "board.sha256",
        "board.format",
        "board.key",
        "board.canonical",
        "board.ballots",
        "board.signatures",
        "board.tokens",
        "board.sorted",
        "board.counts",
        "board.merkle_root",
        "board.key_file",
        "roll.sha256",
        "roll.count",
        "tally",
    ];
    let mut expected = vec![
        "key.file",
        "record.signature",
        "record.canonical",
        "record.format",
        "key.fingerprint",
    ];
    expected.extend(per_contest);
    expected.extend(per_contest);
    expected.extend(["packet.files", "roster_summary.sha256", "addendum"]);
    assert_eq!(codes, expected);
    let tally = list.items.iter().find(|c| c.code == "tally").unwrap();
    // 25 presidium ballots, ballot 0 over-voted (4 for-marks, 3 seats).
    assert_eq!(
        tally.detail,
        "按记录所载规则复算:有效 24 张,废票 1 张,结果与记录完全一致"
    );
}

#[test]
fn a_changed_byte_in_the_record_breaks_its_signature_and_the_addendum_reference() {
    let (_tmp, dir, _) = written();
    let path = dir.join("record.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("陈静", "陈晶")).unwrap();
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [at("record.signature", None), at("addendum", None)]
    );
}

#[test]
fn a_changed_vote_is_caught_by_order_root_and_tally_even_when_re_signed() {
    let (_tmp, dir, sample) = written();
    rewrite_board(&dir, &sample.key, "work-report", |b| {
        let ballots = b["ballots"].as_array_mut().unwrap();
        let vote = &mut ballots[5]["choices"]["vote"];
        *vote = Value::from(if vote == "for" { "against" } else { "for" });
    });
    let f = failed(&verify_packet(&dir, None));
    assert!(
        f.contains(&at("board.merkle_root", Some("work-report"))),
        "{f:?}"
    );
    assert!(f.contains(&at("tally", Some("work-report"))), "{f:?}");
    assert!(
        !f.iter().any(|(code, _)| code.starts_with("record.")),
        "{f:?}"
    );
}

#[test]
fn a_recorded_result_that_does_not_recount_names_the_first_difference() {
    let (_tmp, dir, sample) = written();
    resign(&dir, &sample.key, |r| r.contests[0].result.valid += 1);
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [at("tally", Some("presidium")), at("addendum", None)]
    );
    let detail = &list.failures().next().unwrap().detail;
    assert_eq!(
        detail,
        "复算结果与记录不同,首处差异在 result/valid: 复算为 \"24\",记录为 \"25\""
    );
}

#[test]
fn whitespace_in_a_board_is_not_canonical() {
    let (_tmp, dir, sample) = written();
    let path = dir.join("boards/presidium.board.json");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replacen("},{", "}, {", 1);
    fs::write(&path, &text).unwrap();
    resign(&dir, &sample.key, |r| {
        r.contests[0].board.sha256 = sha256_hex(text.as_bytes())
    });
    let f = failed(&verify_packet(&dir, None));
    assert_eq!(
        f,
        [
            at("board.canonical", Some("presidium")),
            at("addendum", None)
        ]
    );
}

#[test]
fn missing_symlinked_and_stray_files_fail_without_stopping_the_rest() {
    let (_tmp, dir, _) = written();
    fs::remove_file(dir.join("boards/presidium.board.json")).unwrap();
    fs::remove_file(dir.join("rolls/presidium.csv")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.join("rolls/presidium.csv")).unwrap();
    fs::write(dir.join("boards/hidden.board.json"), b"{}").unwrap();
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [
            at("board.file", Some("presidium")),
            at("roll.sha256", Some("presidium")),
            at("packet.files", None)
        ]
    );
    let details: Vec<&str> = list.failures().map(|c| c.detail.as_str()).collect();
    assert_eq!(
        details[0],
        "缺少文件 boards/presidium.board.json;本场公示检查与计票复核未执行"
    );
    assert_eq!(
        details[1],
        "rolls/presidium.csv 经过符号链接,归档包内不接受符号链接"
    );
    assert_eq!(details[2], "记录未列出的文件: \"boards/hidden.board.json\"");
    // The other contest was checked in full.
    assert!(list
        .items
        .iter()
        .any(|c| c.code == "tally" && c.contest.as_deref() == Some("work-report") && c.ok));
}

#[test]
fn wrong_types_and_huge_numbers_are_failed_checks() {
    let (_tmp, dir, sample) = written();
    let path = dir.join("boards/work-report.board.json");
    let text = fs::read_to_string(&path).unwrap();
    let huge = text.replace("\"issued\":27", "\"issued\":184467440737095516160000");
    fs::write(&path, huge).unwrap();
    let list = verify_packet(&dir, None);
    let f = failed(&list);
    assert!(
        f.contains(&at("board.format", Some("work-report"))),
        "{f:?}"
    );

    fs::write(
        dir.join("record.json"),
        br#"{"v":1,"kind":"record","contests":"many"}"#,
    )
    .unwrap();
    let f = failed(&verify_packet(&dir, None));
    assert!(f.contains(&at("record.format", None)), "{f:?}");
    assert!(f.contains(&at("record.signature", None)), "{f:?}");
    drop(sample);
}

#[test]
fn an_unreadable_directory_is_reported_as_such() {
    let list = verify_packet(Path::new("/nonexistent/packet"), None);
    assert!(list.dir_unreadable());
    assert!(!list.all_ok());
    assert_eq!(list.items.len(), 1);
    let empty = tempfile::tempdir().unwrap();
    let list = verify_packet(empty.path(), None);
    assert!(!list.dir_unreadable());
    assert!(failed(&list).contains(&at("record.signature", None)));
}

#[test]
fn a_receipt_verifies_only_for_a_ballot_on_the_board() {
    let (tmp, dir, sample) = written();
    let hash = sha256_hex(sample.bodies["presidium"][7].as_bytes());
    let good = sign_receipt(&sample.key, "xdh12", "presidium", &hash).unwrap();
    let path = tmp.path().join("receipt.json");
    fs::write(&path, good.to_json_string()).unwrap();
    let list = verify_packet(&dir, Some(&path));
    assert!(list.all_ok(), "{:#?}", list.failures().collect::<Vec<_>>());
    let receipt = list.items.iter().find(|c| c.code == "receipt").unwrap();
    assert!(receipt.detail.contains("共 25 张"), "{}", receipt.detail);

    let dropped = sha256_hex(b"a ballot the board lost");
    let bad = sign_receipt(&sample.key, "xdh12", "presidium", &dropped).unwrap();
    fs::write(&path, bad.to_json_string()).unwrap();
    let list = verify_packet(&dir, Some(&path));
    assert_eq!(failed(&list), [at("receipt", None)]);
    assert_eq!(
        list.failures().next().unwrap().detail,
        format!("回执的选票哈希 {dropped} 不在 presidium 的公示中:已接受的选票被丢弃")
    );

    let stranger = SigningKey::generate().unwrap();
    let forged = sign_receipt(&stranger, "xdh12", "presidium", &hash).unwrap();
    fs::write(&path, forged.to_json_string()).unwrap();
    assert_eq!(
        failed(&verify_packet(&dir, Some(&path))),
        [at("receipt", None)]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any single changed byte of a board makes some check fail, and nothing panics.
    #[test]
    fn any_flipped_board_byte_fails(pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (_tmp, dir, _) = written();
        let path = dir.join("boards/presidium.board.json");
        let mut bytes = fs::read(&path).unwrap();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        fs::write(&path, &bytes).unwrap();
        let list = verify_packet(&dir, None);
        prop_assert!(failed(&list).contains(&at("board.sha256", Some("presidium"))));
    }

    /// Garbage in place of the record or a board is a failed check, never a panic.
    #[test]
    fn garbage_files_are_failed_checks(garbage in prop::collection::vec(any::<u8>(), 0..300), which in 0usize..3) {
        let (_tmp, dir, _) = written();
        let file = ["record.json", "boards/work-report.board.json", "rolls/presidium.csv"][which];
        fs::write(dir.join(file), &garbage).unwrap();
        prop_assert!(!verify_packet(&dir, None).all_ok());
    }
}
