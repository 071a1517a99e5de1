//! Counting, publishing and certifying through the real interfaces, on both backends, on the
//! congress of `fixture` (an over-voted ballot, a paper ballot, a tie at the last seat):
//! - `board`: board.json's bytes and root recomputed independently (sha2 + RFC 6962 written
//!   here), the proofs, the tracker check, and no personal data on public pages;
//! - `pages`: the results page, the projector, the roll's access, the voting page's count;
//! - `record`: certifying, the signature checked with OpenSSL and ed25519-dalek, the addenda,
//!   the state machine's refusals, the API;
//! - `excel`: the .xlsx downloads read back with calamine, the .xlsx import templates, the
//!   printable paper ballot in the phone ballot's order;
//! - `export`: `congress export` then `congress verify` as subprocesses, a tamper, the zip;
//! - `browser`: screenshots of the printable record and the projector in headless Chromium;
//! - `pictures`: the SVG pictures of the quota, roster, attendance, results and record pages
//!   (issue 14.6), their figures over HTTP and their fit in Chromium;
//! - `review_persons`: a 述职评议's persons taken from the counted presidium election.

mod board;
mod browser;
mod excel;
mod export;
pub mod fixture;
mod hall;
mod pages;
mod paper_ballot_browser;
mod pictures;
mod record;
mod record_api;
mod review_persons;

use sha2::{Digest, Sha256};

pub use fixture::block_on;

/// SHA-256.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Canonical JSON of `docs/formats.md`, written independently of the crate: keys sorted
/// by code point (byte order of UTF-8), no whitespace, strings as serde_json escapes them
/// (which matches the spec for the values boards hold), integers only.
pub fn canonical(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        serde_json::to_string(k).unwrap(),
                        canonical(&map[k.as_str()])
                    )
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Number(n) => {
            assert!(n.is_i64() || n.is_u64(), "not an integer: {n}");
            n.to_string()
        }
        other => serde_json::to_string(other).unwrap(),
    }
}

/// RFC 6962 Merkle Tree Hash.
pub fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves.len() {
        0 => sha256(b""),
        1 => {
            let mut d = vec![0u8];
            d.extend_from_slice(&leaves[0]);
            sha256(&d)
        }
        n => {
            let k = split(n);
            let mut d = vec![1u8];
            d.extend_from_slice(&mth(&leaves[..k]));
            d.extend_from_slice(&mth(&leaves[k..]));
            sha256(&d)
        }
    }
}

/// The largest power of two smaller than n (n >= 2).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// RFC 6962 PATH(m, D[n]): the audit path of leaf `m`.
pub fn audit_path(m: usize, leaves: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let n = leaves.len();
    if n <= 1 {
        return Vec::new();
    }
    let k = split(n);
    if m < k {
        let mut p = audit_path(m, &leaves[..k]);
        p.push(mth(&leaves[k..]));
        p
    } else {
        let mut p = audit_path(m - k, &leaves[k..]);
        p.push(mth(&leaves[..k]));
        p
    }
}

test!(the_test_merkle_tree_matches_rfc6962_by_hand);
fn the_test_merkle_tree_matches_rfc6962_by_hand() {
    // Three leaves a, b, c: MTH = H(1 || H(1 || H(0||a) || H(0||b)) || H(0||c)).
    let (a, b, c) = ([1u8; 32], [2u8; 32], [3u8; 32]);
    let leaf = |x: &[u8; 32]| {
        let mut d = vec![0u8];
        d.extend_from_slice(x);
        sha256(&d)
    };
    let node = |l: [u8; 32], r: [u8; 32]| {
        let mut d = vec![1u8];
        d.extend_from_slice(&l);
        d.extend_from_slice(&r);
        sha256(&d)
    };
    let ab = node(leaf(&a), leaf(&b));
    assert_eq!(mth(&[a, b, c]), node(ab, leaf(&c)));
    assert_eq!(audit_path(2, &[a, b, c]), vec![ab]);
    assert_eq!(audit_path(0, &[a, b, c]), vec![leaf(&b), leaf(&c)]);
    assert_eq!(hex::encode(mth(&[])), hex::encode(sha256(b"")));
    assert_eq!(
        canonical(&serde_json::json!({"b": [1, "é\n"], "a": null})),
        "{\"a\":null,\"b\":[1,\"é\\n\"]}"
    );
}
