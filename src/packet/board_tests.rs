use super::*;
use crate::crypto::merkle::{hash_children, hash_leaf, verify_inclusion};
use crate::crypto::{hash_from_hex, sha256_hex};
use crate::domain::ballot::{Choices, Mark};

fn motion_body(congress: &str, contest: &str, id: &str, vote: Mark) -> String {
    let ballot = Ballot {
        congress: congress.into(),
        contest: contest.into(),
        id: id.into(),
        choices: Choices::Motion { vote },
        paper: false,
    };
    String::from_utf8(to_canonical(&ballot.to_value()).unwrap()).unwrap()
}

fn three() -> Vec<String> {
    vec![
        motion_body("xdh12", "work-report", "a1", Mark::For),
        motion_body("xdh12", "work-report", "b2", Mark::Against),
        motion_body("xdh12", "work-report", "c3", Mark::Abstain),
    ]
}

#[test]
fn ballot_body_is_the_canonical_json_of_the_spec() {
    assert_eq!(
        motion_body("xdh12", "work-report", "a1", Mark::For),
        r#"{"ballot":"a1","choices":{"vote":"for"},"congress":"xdh12","contest":"work-report","v":1}"#
    );
}

#[test]
fn sorts_by_hash_and_computes_the_rfc6962_root_by_hand() {
    let bodies = three();
    let built = build_board("xdh12", "work-report", 30, bodies.clone()).unwrap();
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
    assert_eq!(built.board.kind, "board");
    for (value, (_, body)) in built.board.ballots.iter().zip(&expected) {
        assert_eq!(to_canonical(value).unwrap(), body.as_bytes());
    }
}

#[test]
fn bytes_are_the_canonical_json_of_the_board() {
    let built = build_board("xdh12", "work-report", 30, three()).unwrap();
    let value = serde_json::to_value(&built.board).unwrap();
    assert_eq!(built.bytes, to_canonical(&value).unwrap());
    let empty = build_board("xdh12", "charter", 0, Vec::new()).unwrap();
    let root = sha256_hex(b"");
    assert_eq!(
        String::from_utf8(empty.bytes).unwrap(),
        format!(
            r#"{{"ballots":[],"cast":0,"congress":"xdh12","contest":"charter","issued":0,"kind":"board","merkle_root":"{root}","v":1}}"#
        )
    );
}

#[test]
fn more_ballots_than_issued_are_still_published() {
    let built = build_board("xdh12", "work-report", 2, three()).unwrap();
    assert_eq!((built.board.issued, built.board.cast), (2, 3));
}

#[test]
fn refuses_duplicates_foreign_malformed_and_non_canonical_ballots() {
    let mut bodies = three();
    bodies.push(bodies[1].clone());
    let dup = build_board("xdh12", "work-report", 30, bodies).unwrap_err();
    let hash = sha256_hex(three()[1].as_bytes());
    assert_eq!(
        dup.to_string(),
        format!("选票哈希 {hash} 出现两次(同一张选票不能重复计入)")
    );

    let mut bodies = three();
    bodies[2] = motion_body("xdh12", "charter", "c3", Mark::For);
    match build_board("xdh12", "work-report", 30, bodies) {
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
    bodies[0] = bodies[0].replace(",\"v\":1", ", \"v\":1");
    assert!(matches!(
        build_board("xdh12", "work-report", 30, bodies),
        Err(PacketError::BallotNotCanonical { position: 1 })
    ));

    let mut bodies = three();
    bodies[1] = r#"{"ballot":"x","choices":{"vote":"maybe"},"congress":"xdh12","contest":"work-report","v":1}"#.into();
    match build_board("xdh12", "work-report", 30, bodies) {
        Err(PacketError::BadBallot { position, reason }) => {
            assert_eq!(position, 2);
            assert!(reason.contains("maybe"), "{reason}");
        }
        other => panic!("expected a bad ballot, got {other:?}"),
    }
    let bad = build_board("xdh12", "work-report", 30, vec!["{not json".into()]);
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
                build_board("xdh12", id, 1, Vec::new()),
                Err(PacketError::BadFileId { .. })
            ),
            "{id:?} accepted"
        );
    }
    assert!(build_board("xdh12", &"x".repeat(64), 1, Vec::new()).is_ok());
}

#[test]
fn every_ballot_has_a_proof_that_verifies_and_others_have_none() {
    let bodies: Vec<String> = (0..13)
        .map(|i| motion_body("xdh12", "work-report", &format!("id{i}"), Mark::For))
        .collect();
    let built = build_board("xdh12", "work-report", 13, bodies).unwrap();
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
