//! Tests of the RFC 6962 Merkle tree: the published test vectors, a naive transcription of the
//! RFC as a reference, and properties of audit paths.

use super::*;
use crate::crypto::sha256;
use proptest::prelude::*;

/// The leaves of the RFC 6962 test tree (transparency-dev/merkle `proof/verify_test.go`,
/// also in google/certificate-transparency).
const LEAVES_HEX: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// MTH of the first n leaves, n = 0..=8 (n = 0 is SHA-256 of the empty string). Checked
/// against the published file and recomputed with an independent Python script.
const ROOTS_HEX: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// Published audit paths: (0-based leaf index, tree size, path).
const PATHS: [(usize, usize, &[&str]); 5] = [
    (0, 1, &[]),
    (
        0,
        8,
        &[
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        &[
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        3,
        &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    ),
    (
        1,
        5,
        &[
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
];

fn leaves() -> Vec<Vec<u8>> {
    LEAVES_HEX.iter().map(|h| hex::decode(h).unwrap()).collect()
}

fn h(text: &str) -> Hash {
    hash_from_hex(text).unwrap()
}

/// RFC 6962 section 2.1 written out literally (recursive, allocating): the reference.
fn naive_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => sha256(b""),
        1 => hash_leaf(&leaves[0]),
        n => {
            let k = (0..)
                .map(|e| 1usize << e)
                .take_while(|p| *p < n)
                .last()
                .unwrap();
            hash_children(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

fn ballot_hashes(n: usize, seed: u32) -> Vec<Hash> {
    (0..n)
        .map(|i| sha256(format!("选票-{seed}-{i}").as_bytes()))
        .collect()
}

#[test]
fn roots_of_the_rfc6962_test_tree() {
    let data = leaves();
    for (n, want) in ROOTS_HEX.iter().enumerate() {
        let refs: Vec<&[u8]> = data[..n].iter().map(Vec::as_slice).collect();
        assert_eq!(hash_to_hex(&root_of_data(&refs)), *want, "tree size {n}");
    }
}

#[test]
fn audit_paths_of_the_rfc6962_test_tree() {
    let data = leaves();
    for (index, size, want) in PATHS {
        let refs: Vec<&[u8]> = data[..size].iter().map(Vec::as_slice).collect();
        let got = audit_path_of_data(&refs, index).unwrap();
        assert_eq!(path_to_hex(&got), want, "leaf {index} of {size}");
        let root = h(ROOTS_HEX[size]);
        let leaf = hash_leaf(&data[index]);
        assert!(verify_inclusion_leaf_hash(&leaf, index, size, &got, &root));
    }
}

#[test]
fn corrupted_rfc6962_proofs_are_refused() {
    // The probes of transparency-dev's verify_test.go, applied to every published path.
    let data = leaves();
    let some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
    for (index, size, want) in PATHS {
        let path = path_from_hex(want).unwrap();
        let root = h(ROOTS_HEX[size]);
        let leaf = hash_leaf(&data[index]);
        let ok = |i: usize, s: usize, l: &Hash, p: &[Hash], r: &Hash| {
            verify_inclusion_leaf_hash(l, i, s, p, r)
        };
        assert!(ok(index, size, &leaf, &path, &root));
        assert!(!ok(index.wrapping_sub(1), size, &leaf, &path, &root));
        assert!(!ok(index + 1, size, &leaf, &path, &root));
        assert!(!ok(index ^ 2, size, &leaf, &path, &root));
        assert!(!ok(index, size * 2, &leaf, &path, &root));
        assert!(!ok(index, size / 2, &leaf, &path, &root));
        assert!(!ok(index, size, &hash_leaf(b"WrongLeaf"), &path, &root));
        assert!(!ok(index, size, &leaf, &path, &sha256(b"")));
        assert!(!ok(index, size, &leaf, &path, &some));
        for extra in [[0u8; 32], root] {
            let mut longer = path.clone();
            longer.push(extra);
            assert!(!ok(index, size, &leaf, &longer, &root), "trailing");
            longer.pop();
            longer.insert(0, extra);
            assert!(!ok(index, size, &leaf, &longer, &root), "preceding");
        }
        for i in 0..path.len() {
            let mut bad = path.clone();
            bad[i][0] ^= 8;
            assert!(!ok(index, size, &leaf, &bad, &root), "bit flip in node {i}");
        }
        if !path.is_empty() {
            assert!(!ok(index, size, &leaf, &path[..path.len() - 1], &root));
        }
        if path.len() > 1 {
            let mut inserted = vec![path[0], some];
            inserted.extend_from_slice(&path[1..]);
            assert!(!ok(index, size, &leaf, &inserted, &root));
        }
    }
}

#[test]
fn board_root_and_path_of_five_ballots() {
    // Ballot hashes SHA-256("选票1") .. SHA-256("选票5"); root and path of ballot 4 (index 3)
    // computed independently with a 20-line Python transcription of RFC 6962.
    let hashes: Vec<Hash> = (1..=5)
        .map(|i| sha256(format!("选票{i}").as_bytes()))
        .collect();
    assert_eq!(
        hash_to_hex(&hashes[0]),
        "ed6da260c435b0975a7f1f835195cad2814a9fb0c91793eb89557981afe84730"
    );
    let board_root = root(&hashes);
    assert_eq!(
        hash_to_hex(&board_root),
        "2cb84659dae8ca7c8c96ad966808448feeaeb1420ae60175bc2355fb034a3a61"
    );
    let path = audit_path(&hashes, 3).unwrap();
    assert_eq!(
        path_to_hex(&path),
        [
            "faee798dec0715aee1632f2ffe41e8142895c68dab7abd70e47b9406682c5741",
            "d547c98a6da8cd8b2c59eec2b217ee377d7fa4abcbaf834fd8cf3049ba68af71",
            "7019e9b8fbec643b45744a2fa5f775d103aadab8b71399d84d5ffa3f285159c4",
        ]
    );
    assert!(verify_inclusion(&hashes[3], 3, 5, &path, &board_root));
    assert!(!verify_inclusion(&hashes[2], 3, 5, &path, &board_root));
    assert_eq!(audit_path(&hashes, 5), None);
    assert_eq!(audit_path(&[], 0), None);
}

#[test]
fn empty_and_single_ballot_boards() {
    assert_eq!(hash_to_hex(&root(&[])), ROOTS_HEX[0]);
    let one = sha256("唯一一张选票".as_bytes());
    assert_eq!(root(&[one]), hash_leaf(&one));
    assert_eq!(audit_path(&[one], 0), Some(vec![]));
    assert!(verify_inclusion(&one, 0, 1, &[], &root(&[one])));
    assert!(!verify_inclusion(&one, 0, 0, &[], &root(&[])));
    assert!(!verify_inclusion(&one, 1, 1, &[], &root(&[one])));
}

#[test]
fn fast_root_equals_the_rfc_around_every_boundary() {
    let hashes = ballot_hashes(300, 1);
    for n in 0..=hashes.len() {
        assert_eq!(root(&hashes[..n]), naive_root(&hashes[..n]), "n = {n}");
    }
    // Sizes around the parallel split, where rayon takes over.
    let big = ballot_hashes(2 * PARALLEL_LEAVES + 3, 2);
    for n in [
        PARALLEL_LEAVES,
        PARALLEL_LEAVES + 1,
        2 * PARALLEL_LEAVES,
        2 * PARALLEL_LEAVES + 3,
    ] {
        assert_eq!(root(&big[..n]), naive_root(&big[..n]), "n = {n}");
    }
    let index = PARALLEL_LEAVES + 2;
    let path = audit_path(&big, index).unwrap();
    assert!(verify_inclusion(
        &big[index],
        index,
        big.len(),
        &path,
        &root(&big)
    ));
}

#[test]
fn split_point_is_the_largest_power_of_two_below() {
    let cases = [
        (2, 1),
        (3, 2),
        (4, 2),
        (5, 4),
        (8, 4),
        (9, 8),
        (1000, 512),
        (1024, 512),
    ];
    for (n, k) in cases {
        assert_eq!(split_point(n), k, "n = {n}");
    }
}

#[test]
fn hex_helpers_round_trip_and_refuse_bad_hex() {
    let path = ballot_hashes(3, 3);
    let text = path_to_hex(&path);
    assert_eq!(path_from_hex(&text).unwrap(), path);
    assert!(path_from_hex(&["xyz"]).is_err());
    assert!(path_from_hex(&[text[0].to_uppercase()]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_audit_path_verifies(n in 1usize..130, seed in any::<u32>()) {
        let hashes = ballot_hashes(n, seed);
        let board_root = root(&hashes);
        prop_assert_eq!(board_root, naive_root(&hashes));
        for (i, hash) in hashes.iter().enumerate() {
            let path = audit_path(&hashes, i).unwrap();
            prop_assert!(verify_inclusion(hash, i, n, &path, &board_root));
            // The path is as long as the leaf is deep, never more than ceil(log2 n).
            prop_assert!(path.len() <= (usize::BITS - (n - 1).leading_zeros()) as usize);
        }
    }

    #[test]
    fn a_flipped_byte_anywhere_fails(
        n in 1usize..70,
        seed in any::<u32>(),
        pick in any::<prop::sample::Index>(),
        byte in 0usize..32,
        bit in 0u8..8,
    ) {
        let hashes = ballot_hashes(n, seed);
        let i = pick.index(n);
        let board_root = root(&hashes);
        let path = audit_path(&hashes, i).unwrap();
        let flip = |mut h: Hash| { h[byte] ^= 1 << bit; h };
        prop_assert!(!verify_inclusion(&flip(hashes[i]), i, n, &path, &board_root));
        prop_assert!(!verify_inclusion(&hashes[i], i, n, &path, &flip(board_root)));
        for k in 0..path.len() {
            let mut bad = path.clone();
            bad[k] = flip(bad[k]);
            prop_assert!(!verify_inclusion(&hashes[i], i, n, &bad, &board_root));
        }
        // Changing any ballot changes the root.
        let mut changed = hashes.clone();
        changed[i] = flip(changed[i]);
        prop_assert_ne!(root(&changed), board_root);
        // A proof is for one position: another index fails.
        if n > 1 {
            let j = (i + 1) % n;
            prop_assert!(!verify_inclusion(&hashes[i], j, n, &path, &board_root));
        }
    }
}

#[test]
fn explained_steps_end_at_the_root_for_every_leaf_of_small_trees() {
    for n in 1..=17usize {
        let hashes: Vec<Hash> = (0..n).map(|i| crate::crypto::sha256(&[i as u8])).collect();
        let expected = root(&hashes);
        for i in 0..n {
            let path = audit_path(&hashes, i).unwrap();
            let shown = explain_inclusion(&hashes[i], i, n, &path, &expected);
            assert!(shown.verified, "n={n} i={i}");
            assert_eq!(shown.leaf, hash_leaf(&hashes[i]));
            assert_eq!(shown.steps.len(), path.len(), "n={n} i={i}");
            let last = shown.steps.last().map_or(shown.leaf, |s| s.node);
            assert_eq!(last, expected, "n={n} i={i}");
            // Another root is not reached by the same steps.
            assert!(!explain_inclusion(&hashes[i], i, n, &path, &[0; 32]).verified);
        }
    }
}

#[test]
fn a_two_leaf_tree_explained_by_hand() {
    // Leaves a, b: root = H(0x01 || H(0x00||a) || H(0x00||b)). Leaf 1's path is [H(0x00||a)],
    // which goes on the left.
    let (a, b) = ([1u8; 32], [2u8; 32]);
    let (la, lb) = (hash_leaf(&a), hash_leaf(&b));
    let root = hash_children(&la, &lb);
    let shown = explain_inclusion(&b, 1, 2, &[la], &root);
    assert_eq!(shown.leaf, lb);
    assert!(shown.verified);
    assert_eq!(
        shown.steps,
        vec![PathStep {
            sibling: la,
            sibling_on_left: true,
            node: root,
        }]
    );
}
