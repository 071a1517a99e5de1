//! The packet checked with outside tools (OpenSSL 3, sha256sum, the Python script) and the
//! CLI's receipt option and exit codes.

use super::*;
use congress::crypto::sign_receipt;

test!(openssl_verifies_the_record_signature_and_the_fingerprint);
fn openssl_verifies_the_record_signature_and_the_fingerprint() {
    let (_tmp, dir, fx) = written();
    let pkeyutl = |dir: &Path| {
        Command::new("openssl")
            .current_dir(dir)
            .args([
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "congress.pub.pem",
                "-rawin",
                "-in",
                "record.json",
                "-sigfile",
                "record.sig",
            ])
            .output()
            .unwrap()
    };
    let ok = pkeyutl(&dir);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Signature Verified Successfully"));
    let fp = Command::new("sh")
        .current_dir(&dir)
        .args([
            "-c",
            "openssl pkey -pubin -in congress.pub.pem -outform DER | tail -c 32 | sha256sum",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(fp.stdout).unwrap(),
        format!("{}  -\n", fx.record.key_fingerprint)
    );
    let sums = Command::new("sh")
        .current_dir(&dir)
        .args([
            "-c",
            "sha256sum boards/*.json rolls/*.csv roster-summary.json",
        ])
        .output()
        .unwrap();
    let sums = String::from_utf8(sums.stdout).unwrap();
    for c in &fx.record.contests {
        assert!(
            sums.contains(&format!("{}  {}\n", c.board.sha256, c.board.file)),
            "{sums}"
        );
        assert!(
            sums.contains(&format!("{}  {}\n", c.board.roll_sha256, c.board.roll_file)),
            "{sums}"
        );
    }
    assert!(sums.contains(&format!(
        "{}  roster-summary.json\n",
        fx.record.roster_summary_sha256
    )));

    let text = fs::read_to_string(dir.join("record.json")).unwrap();
    fs::write(
        dir.join("record.json"),
        text.replacen("大学生活动中心", "大学生活动申心", 1),
    )
    .unwrap();
    let bad = pkeyutl(&dir);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).contains("Signature Verification Failure"));
}

/// Runs VERIFY.txt's OpenSSL loop for contest `c` in `dir`: (its output, ballots checked).
fn openssl_loop(dir: &Path, c: &str) -> (String, usize) {
    for f in fs::read_dir(dir).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        if name.ends_with(".bin") {
            fs::remove_file(f.path()).unwrap();
        }
    }
    let out = Command::new("bash")
        .current_dir(dir)
        .env("C", c)
        .args(["-c", congress::packet::verify_txt::OPENSSL_BALLOT_LOOP])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let digests = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().starts_with('d'))
        .count();
    (String::from_utf8(out.stdout).unwrap(), digests)
}

test!(openssl_verifies_every_ballot_signature_with_the_commands_of_verify_txt);
fn openssl_verifies_every_ballot_signature_with_the_commands_of_verify_txt() {
    let (_tmp, dir, fx) = written();
    let text = fs::read_to_string(dir.join("VERIFY.txt")).unwrap();
    assert!(text.contains(congress::packet::verify_txt::OPENSSL_BALLOT_LOOP));
    for c in &fx.record.contests {
        let (out, checked) = openssl_loop(&dir, &c.id);
        assert_eq!(out, "", "{}", c.id);
        assert_eq!(checked as u64, c.board.cast, "{}", c.id);
        let fp = Command::new("sh")
            .current_dir(&dir)
            .env("C", &c.id)
            .args([
                "-c",
                "openssl pkey -pubin -in keys/$C.pub.pem -outform DER | sha256sum",
            ])
            .output()
            .unwrap();
        let board: Value =
            serde_json::from_slice(&fs::read(dir.join(&c.board.file)).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(fp.stdout).unwrap(),
            format!(
                "{}  -\n",
                board["contest_key_fingerprint"].as_str().unwrap()
            )
        );
    }
    // Ballot 3 carries ballot 4's signature: OpenSSL names it.
    rewrite_board(&dir, None, "charter", |b| {
        let sig = ballots(b)[4]["token_sig"].clone();
        ballots(b)[3]["token_sig"] = sig;
    });
    let (out, _) = openssl_loop(&dir, "charter");
    assert_eq!(out, "FAIL ballot 3 / 第 3 张选票签名无效\n");
}

fn python(script: &Path, dir: &Path) -> Output {
    Command::new("python3")
        .arg(script)
        .arg(dir)
        .output()
        .unwrap()
}

test!(the_python_script_passes_the_good_packet_and_fails_a_tampered_one);
fn the_python_script_passes_the_good_packet_and_fails_a_tampered_one() {
    let (tmp, dir, _) = written();
    let out = python(&dir.join("verify_packet.py"), &dir);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.ends_with("ALL CHECKS PASSED / 全部通过\n"), "{text}");
    assert!(!text.contains("FAIL"));
    // The copy printed in VERIFY.txt is the same script and works the same.
    let verify_txt = fs::read_to_string(dir.join("VERIFY.txt")).unwrap();
    let (_, printed) = verify_txt
        .split_once("------------------------------------------------------\n")
        .unwrap();
    assert_eq!(
        printed,
        fs::read_to_string(dir.join("verify_packet.py")).unwrap()
    );
    let copy = tmp.path().join("copied.py");
    fs::write(&copy, printed).unwrap();
    assert!(python(&copy, &dir).status.success());

    rewrite_board(&dir, None, "presidium", |b| ballots(b).swap(0, 1));
    let out = python(&copy, &dir);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("FAIL presidium: board sha256 as recorded, canonical"),
        "{text}"
    );
    assert!(
        text.contains("FAIL presidium: ballots sorted by hash, unique"),
        "{text}"
    );
    assert!(
        text.contains("FAIL presidium: Merkle root recomputes and equals the record"),
        "{text}"
    );
    assert!(text.contains("OK   work-report: Merkle root"), "{text}");

    // A wrong signature, a repeated token, an unsigned ballot: each fails by name.
    rewrite_board(&dir, None, "charter", |b| {
        let sig = ballots(b)[4]["token_sig"].clone();
        ballots(b)[3]["token_sig"] = sig;
    });
    let text = String::from_utf8(python(&copy, &dir).stdout).unwrap();
    assert!(
        text.contains("FAIL charter: every ballot signed by the contest key (bad: [3])"),
        "{text}"
    );
    rewrite_board(&dir, None, "work-report", |b| {
        let token = ballots(b)[1]["token"].clone();
        ballots(b)[2]["token"] = token;
        let mut unsigned = ballots(b)[5].clone();
        let o = unsigned.as_object_mut().unwrap();
        o.remove("token");
        o.remove("token_sig");
        o.insert("v".into(), Value::from(1));
        o.insert("ballot".into(), Value::from("ab".repeat(16)));
        ballots(b)[5] = unsigned;
    });
    let text = String::from_utf8(python(&copy, &dir).stdout).unwrap();
    assert!(
        text.contains("FAIL work-report: every ballot signed by the contest key (bad: [2, 5])"),
        "{text}"
    );
    assert!(text.contains("FAIL work-report: tokens unique"), "{text}");

    fs::remove_file(dir.join("boards/charter.board.json")).unwrap();
    let out = python(&copy, &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("FAIL unreadable packet"));
}

test!(a_receipt_verifies_only_when_its_ballot_is_on_the_board);
fn a_receipt_verifies_only_when_its_ballot_is_on_the_board() {
    let (tmp, dir, fx) = written();
    let hash = sha256_hex(fx.bodies["charter"][42].as_bytes());
    let receipt = tmp.path().join("回执.json");
    let signed = sign_receipt(&fx.key, "xdh2025", "charter", &hash).unwrap();
    fs::write(&receipt, signed.to_json_string()).unwrap();
    assert_eq!(
        verify(&dir, &["--receipt", receipt.to_str().unwrap()]),
        (0, vec![])
    );

    let missing = sha256_hex(b"an accepted ballot that was dropped");
    let signed = sign_receipt(&fx.key, "xdh2025", "charter", &missing).unwrap();
    fs::write(&receipt, signed.to_json_string()).unwrap();
    assert_eq!(
        verify(&dir, &["--receipt", receipt.to_str().unwrap()]),
        (1, vec![at("receipt", None)])
    );
}

test!(an_unreadable_directory_or_receipt_exits_2);
fn an_unreadable_directory_or_receipt_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let gone = tmp.path().join("no-such-packet");
    let out = congress(&["verify", gone.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("无法读取归档包目录"));
    let (_tmp, dir, _) = written();
    let out = congress(&[
        "verify",
        dir.to_str().unwrap(),
        "--receipt",
        gone.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    // An empty directory is readable: it fails its checks (exit 1), it is not unreadable.
    assert_eq!(
        congress(&["verify", tmp.path().to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
}
