//! Verification of signed ballots (v2 boards): every ballot's signature, each token once, the
//! contest key on the board and in `keys/`, and v1 packets still read. Each forgery below is
//! re-signed with the congress's own key (the insider's forgery): only the ballot checks can
//! catch it, and the failed check says why.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::tests::{at, failed, resign, rewrite_board, written};
use super::*;
use crate::crypto::blind::ContestKey;
use crate::crypto::merkle;
use crate::crypto::{sha256, sha256_hex};
use crate::packet::test_data::sample_packet_v1;
use crate::packet::write::write_packet;

/// Sorts a board's ballots by hash again and recomputes cast and root (in the board and,
/// re-signed, in the record), so that only the check under test can fail.
fn tidy(dir: &Path, key: &crate::crypto::SigningKey, contest: &str) {
    let path = dir.join(format!("boards/{contest}.board.json"));
    let mut board: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let ballots = board["ballots"].as_array_mut().unwrap();
    ballots.sort_by_key(|b| sha256(&to_canonical(b).unwrap()));
    let hashes: Vec<merkle::Hash> = ballots
        .iter()
        .map(|b| sha256(&to_canonical(b).unwrap()))
        .collect();
    let root = merkle::hash_to_hex(&merkle::root(&hashes));
    board["merkle_root"] = Value::from(root.clone());
    let bytes = to_canonical(&board).unwrap();
    fs::write(&path, &bytes).unwrap();
    resign(dir, key, |r| {
        let c = r.contests.iter_mut().find(|c| c.id == contest).unwrap();
        c.board.sha256 = sha256_hex(&bytes);
        c.board.merkle_root = root;
    });
}

fn detail(list: &Checklist, code: &str) -> String {
    list.items
        .iter()
        .find(|c| c.code == code && !c.ok)
        .map(|c| c.detail.clone())
        .unwrap_or_default()
}

#[test]
fn a_wrong_signature_fails_with_the_ballot_named() {
    let (_tmp, dir, sample) = written();
    rewrite_board(&dir, &sample.key, "work-report", |b| {
        let ballots = b["ballots"].as_array_mut().unwrap();
        // Ballot 4 carries ballot 9's signature: well formed, not over its own token.
        let other = ballots[9]["token_sig"].clone();
        ballots[4]["token_sig"] = other;
    });
    tidy(&dir, &sample.key, "work-report");
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [
            at("board.signatures", Some("work-report")),
            at("addendum", None)
        ]
    );
    let why = detail(&list, "board.signatures");
    assert!(why.contains("1 张选票的签名无效"), "{why}");
}

#[test]
fn an_unsigned_ballot_fails_as_unsigned() {
    let (_tmp, dir, sample) = written();
    rewrite_board(&dir, &sample.key, "work-report", |b| {
        let ballots = b["ballots"].as_array_mut().unwrap();
        // A v1 ballot (no token, no signature) slipped onto a v2 board in place of one.
        let choices = ballots[2]["choices"].clone();
        ballots[2] = serde_json::json!({"v":1,"congress":"xdh12","contest":"work-report",
                                        "ballot":"f00d","choices":choices});
    });
    tidy(&dir, &sample.key, "work-report");
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [
            at("board.ballots", Some("work-report")),
            at("board.signatures", Some("work-report")),
            at("addendum", None)
        ]
    );
    assert!(detail(&list, "board.ballots").contains("v1 选票不能出现在 v2 公示中(未签名)"));
    assert!(detail(&list, "board.signatures").contains("1 张选票没有签名"));
}

#[test]
fn a_duplicated_token_fails_even_with_valid_signatures() {
    let (_tmp, dir, sample) = written();
    rewrite_board(&dir, &sample.key, "work-report", |b| {
        let ballots = b["ballots"].as_array_mut().unwrap();
        // One paper cast twice with different choices: both signatures verify.
        let (token, sig) = (ballots[3]["token"].clone(), ballots[3]["token_sig"].clone());
        ballots[8]["token"] = token;
        ballots[8]["token_sig"] = sig;
        let other = if ballots[3]["choices"]["vote"] == "for" {
            "against"
        } else {
            "for"
        };
        let was = ballots[8]["choices"]["vote"].clone();
        ballots[8]["choices"]["vote"] = Value::from(other);
        // Keep the tally as recorded: another ballot takes the vote ballot 8 lost.
        let swap = (0..ballots.len())
            .find(|&i| i != 3 && i != 8 && ballots[i]["choices"]["vote"] == other)
            .unwrap();
        ballots[swap]["choices"]["vote"] = was;
    });
    tidy(&dir, &sample.key, "work-report");
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [
            at("board.tokens", Some("work-report")),
            at("addendum", None)
        ]
    );
    assert!(detail(&list, "board.tokens").contains("一张选票凭证只能投一次"));
}

#[test]
fn a_board_with_another_key_fails_every_signature() {
    let (_tmp, dir, sample) = written();
    let other = ContestKey::generate().unwrap();
    let (pem, fp) = (
        other.public_key().to_spki_pem(),
        other.public_key().fingerprint(),
    );
    rewrite_board(&dir, &sample.key, "presidium", |b| {
        b["contest_key"] = Value::from(pem.clone());
        b["contest_key_fingerprint"] = Value::from(fp.clone());
    });
    fs::write(dir.join("keys/presidium.pub.pem"), &pem).unwrap();
    let list = verify_packet(&dir, None);
    assert_eq!(
        failed(&list),
        [
            at("board.signatures", Some("presidium")),
            at("addendum", None)
        ]
    );
    assert!(detail(&list, "board.signatures").contains("25 张选票的签名无效"));
}

#[test]
fn the_key_file_must_be_the_boards_key() {
    let (_tmp, dir, _) = written();
    let other = ContestKey::generate().unwrap();
    fs::write(
        dir.join("keys/presidium.pub.pem"),
        other.public_key().to_spki_pem(),
    )
    .unwrap();
    assert_eq!(
        failed(&verify_packet(&dir, None)),
        [at("board.key_file", Some("presidium"))]
    );
    fs::remove_file(dir.join("keys/presidium.pub.pem")).unwrap();
    fs::write(dir.join("keys/stray.pub.pem"), b"x").unwrap();
    assert_eq!(
        failed(&verify_packet(&dir, None)),
        [
            at("board.key_file", Some("presidium")),
            at("packet.files", None)
        ]
    );
}

#[test]
fn a_fingerprint_that_is_not_the_keys_fails_the_key_check() {
    let (_tmp, dir, sample) = written();
    rewrite_board(&dir, &sample.key, "presidium", |b| {
        b["contest_key_fingerprint"] = Value::from("0".repeat(64));
    });
    let f = failed(&verify_packet(&dir, None));
    assert!(f.contains(&at("board.key", Some("presidium"))), "{f:?}");
    assert!(
        f.contains(&at("board.signatures", Some("presidium"))),
        "{f:?}"
    );
}

#[test]
fn a_v1_packet_is_still_verified() {
    let sample = sample_packet_v1();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("packet");
    write_packet(&dir, &sample.contents).unwrap();
    let list = verify_packet(&dir, None);
    assert!(list.all_ok(), "{:#?}", list.failures().collect::<Vec<_>>());
    let codes: Vec<&str> = list.items.iter().map(|c| c.code.as_str()).collect();
    assert!(!codes.contains(&"board.signatures"), "{codes:?}");
    let format = list
        .items
        .iter()
        .find(|c| c.code == "board.format")
        .unwrap();
    assert!(format.detail.starts_with("v1 公示"), "{}", format.detail);
    // A v1 board may not carry v2 fields, nor v2 ballots.
    rewrite_board(&dir, &sample.key, "work-report", |b| {
        b["paper"] = Value::from(1);
    });
    let f = failed(&verify_packet(&dir, None));
    assert!(
        f.contains(&at("board.format", Some("work-report"))),
        "{f:?}"
    );
}
