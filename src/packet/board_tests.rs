use super::*;
use crate::crypto::merkle::{hash_children, hash_leaf, verify_inclusion};
use crate::crypto::{hash_from_hex, sha256_hex};
use crate::domain::ballot::{Choices, Mark};
use crate::packet::test_data::{facts, signed_serial};

fn motion_body(congress: &str, contest: &str, i: usize, vote: Mark) -> String {
    let ballot = Ballot {
        congress: congress.into(),
        contest: contest.into(),
        choices: Choices::Motion { vote },
        serial: signed_serial(contest, i),
    };
    String::from_utf8(to_canonical(&ballot.to_value()).unwrap()).unwrap()
}

fn three() -> Vec<String> {
    vec![
        motion_body("xdh12", "work-report", 1, Mark::For),
        motion_body("xdh12", "work-report", 2, Mark::Against),
        motion_body("xdh12", "work-report", 3, Mark::Abstain),
    ]
}

/// 30 issued, one paper ballot.
fn f30() -> BoxFacts {
    BoxFacts {
        issued: 30,
        ..facts(1)
    }
}

#[test]
fn ballot_body_is_the_canonical_json_of_the_spec() {
    let body = motion_body("xdh12", "work-report", 1, Mark::For);
    let Serial::Signed { token, token_sig } = signed_serial("work-report", 1) else {
        panic!("signed")
    };
    assert_eq!(
        body,
        format!(
            r#"{{"choices":{{"vote":"for"}},"congress":"xdh12","contest":"work-report","token":"{token}","token_sig":"{token_sig}","v":2}}"#
        )
    );
}

#[test]
fn v1_ballots_do_not_go_on_a_board() {
    let v1 = r#"{"ballot":"a1","choices":{"vote":"for"},"congress":"xdh12","contest":"work-report","v":1}"#;
    match build_board("xdh12", "work-report", &f30(), vec![v1.to_string()]) {
        Err(PacketError::BadBallot { position, reason }) => {
            assert_eq!(position, 1);
            assert!(reason.contains("v2"), "{reason}");
        }
        other => panic!("expected a bad ballot, got {other:?}"),
    }
}

#[test]
fn sorts_by_hash_and_computes_the_rfc6962_root_by_hand() {
    let bodies = three();
    let built = build_board("xdh12", "work-report", &f30(), bodies.clone()).unwrap();
    let mut expected: Vec<(Hash, &String)> =
        bodies.iter().map(|b| (sha256(b.as_bytes()), b)).collect();
    expected.sort();
    assert_eq!(
        built.hashes,
        expected.iter().map(|e| e.0).collect::<Vec<_>>()
    );
    // n = 3: MTH = H(1 || H(1 || leaf0 || leaf1) || leaf2), leaf = H(0 || hash).
    let leaf = |i: usize| hash_leaf(&expected[i].0);
    let root = hash_children(&hash_children(&leaf(0), &leaf(1)), &leaf(2));
    assert_eq!(built.board.merkle_root, hex::encode(root));
    assert_eq!(built.board.cast, 3);
    assert_eq!(built.board.issued, 30);
    assert_eq!(built.board.paper, Some(1));
    assert_eq!(built.board.contest_key, Some(f30().key_pem));
    assert_eq!(built.board.kind, "board");
    assert_eq!(built.board.v, 2);
    for (value, (_, body)) in built.board.ballots.iter().zip(&expected) {
        assert_eq!(to_canonical(value).unwrap(), body.as_bytes());
    }
}

#[test]
fn bytes_are_the_canonical_json_of_the_board() {
    let built = build_board("xdh12", "work-report", &f30(), three()).unwrap();
    let value = serde_json::to_value(&built.board).unwrap();
    assert_eq!(built.bytes, to_canonical(&value).unwrap());
    let none = BoxFacts {
        issued: 0,
        ..facts(0)
    };
    let empty = build_board("xdh12", "charter", &none, Vec::new()).unwrap();
    let root = sha256_hex(b"");
    let (pem, fp) = (
        serde_json::to_string(&none.key_pem).unwrap(),
        none.key_fingerprint,
    );
    assert_eq!(
        String::from_utf8(empty.bytes).unwrap(),
        format!(
            r#"{{"ballots":[],"cast":0,"congress":"xdh12","contest":"charter","contest_key":{pem},"contest_key_fingerprint":"{fp}","issued":0,"kind":"board","merkle_root":"{root}","paper":0,"v":2}}"#
        )
    );
}

#[test]
fn more_ballots_than_issued_are_still_published() {
    let two = BoxFacts {
        issued: 2,
        ..facts(0)
    };
    let built = build_board("xdh12", "work-report", &two, three()).unwrap();
    assert_eq!((built.board.issued, built.board.cast), (2, 3));
}

#[test]
fn refuses_duplicates_foreign_malformed_and_non_canonical_ballots() {
    let mut bodies = three();
    bodies.push(bodies[1].clone());
    let dup = build_board("xdh12", "work-report", &f30(), bodies).unwrap_err();
    let hash = sha256_hex(three()[1].as_bytes());
    assert_eq!(
        dup.to_string(),
        format!("选票哈希 {hash} 出现两次(同一张选票不能重复计入)")
    );

    let mut bodies = three();
    bodies[2] = motion_body("xdh12", "charter", 3, Mark::For);
    match build_board("xdh12", "work-report", &f30(), bodies) {
        Err(PacketError::ForeignBallot {
            position,
            expected,
            found,
        }) => {
            assert_eq!(position, 3);
            assert_eq!(expected, "xdh12/work-report");
            assert_eq!(found, "xdh12/charter");
        }
        other => panic!("expected a foreign ballot, got {other:?}"),
    }

    let mut bodies = three();
    bodies[0] = bodies[0].replace(",\"v\":2", ", \"v\":2");
    assert!(matches!(
        build_board("xdh12", "work-report", &f30(), bodies),
        Err(PacketError::BallotNotCanonical { position: 1 })
    ));

    let mut bodies = three();
    bodies[1] = bodies[1].replace("\"against\"", "\"maybe\"");
    match build_board("xdh12", "work-report", &f30(), bodies) {
        Err(PacketError::BadBallot { position, reason }) => {
            assert_eq!(position, 2);
            assert!(reason.contains("maybe"), "{reason}");
        }
        other => panic!("expected a bad ballot, got {other:?}"),
    }
    let bad = build_board("xdh12", "work-report", &f30(), vec!["{not json".into()]);
    assert!(matches!(
        bad,
        Err(PacketError::BadBallot { position: 1, .. })
    ));
}

#[test]
fn refuses_contest_ids_that_are_not_file_names() {
    for id in ["../etc", "a/b", "", "工作报告", "a.b", &"x".repeat(65)] {
        assert!(
            matches!(
                build_board("xdh12", id, &f30(), Vec::new()),
                Err(PacketError::BadFileId { .. })
            ),
            "{id:?} accepted"
        );
    }
    assert!(build_board("xdh12", &"x".repeat(64), &f30(), Vec::new()).is_ok());
}

#[test]
fn every_ballot_has_a_proof_that_verifies_and_others_have_none() {
    let bodies: Vec<String> = (0..13)
        .map(|i| motion_body("xdh12", "work-report", i, Mark::For))
        .collect();
    let built = build_board("xdh12", "work-report", &f30(), bodies).unwrap();
    let root = hash_from_hex(&built.board.merkle_root).unwrap();
    for (i, h) in built.hashes.iter().enumerate() {
        let p = proof(&built.hashes, h).unwrap();
        assert_eq!((p.index, p.tree_size), (i as u64, 13));
        assert_eq!(p.root, built.board.merkle_root);
        let path = merkle::path_from_hex(&p.path).unwrap();
        assert!(verify_inclusion(h, i, 13, &path, &root));
    }
    assert_eq!(proof(&built.hashes, &sha256(b"not a ballot")), None);
    assert_eq!(proof(&[], &sha256(b"x")), None);
}
