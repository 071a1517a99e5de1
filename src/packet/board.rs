//! A contest's public board (公示) built from its stored ballots, and the RFC 6962 audit path
//! the system serves for any ballot hash on it.
//!
//! The board file is canonical JSON, so `sha256sum` of it is stable and the record can bind it
//! by hash. Because canonical JSON sorts keys and `"ballots"` sorts first, the file is
//! `{"ballots":[` + the ballots' canonical bytes joined by `,` + `]` + `,` + the canonical
//! header (cast, congress, contest, contest_key, contest_key_fingerprint, issued, kind,
//! merkle_root, paper, v; v1 boards lack the contest key and paper) without its `{`. The
//! verifier relies on the same shape to check a million-ballot board without re-encoding it.
//!
//! Boards are built from the ballot box when a contest is counted: every ballot must be a v2
//! (signed) ballot of this contest. Signatures are not checked again here: the ballot box
//! checked each one at cast, and the verifier checks them all from the board.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::format::{is_file_safe_id, Board, BOARD_KIND, BOARD_VERSION};
use super::verify::ballots::{read_all, Signatures};
use super::PacketError;
use crate::crypto::merkle::{self, Hash};
use crate::crypto::{sha256, to_canonical};
use crate::domain::ballot::{Ballot, Choices, Serial};

/// What a board says besides its ballots: known when the contest is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoxFacts {
    /// Ballots issued = delegates entitled to vote and present when the contest opened.
    pub issued: u64,
    /// Paper ballots the scrutineers entered (how many, never which).
    pub paper: u64,
    /// The contest's public ballot-paper key, SubjectPublicKeyInfo PEM.
    pub key_pem: String,
    /// SHA-256 of its DER, hex.
    pub key_fingerprint: String,
}

/// A board's header: every field but the ballots. `paper` and `key` (PEM, fingerprint) are
/// present on v2 boards only.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header<'a> {
    pub v: u32,
    pub congress: &'a str,
    pub contest: &'a str,
    pub issued: u64,
    pub cast: u64,
    pub merkle_root: &'a str,
    pub paper: Option<u64>,
    pub key: Option<(&'a str, &'a str)>,
}

/// The opening bytes of every board file.
pub(crate) const BOARD_HEAD: &[u8] = b"{\"ballots\":[";

/// A board ready to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltBoard {
    pub board: Board,
    /// The board file's bytes: canonical JSON.
    pub bytes: Vec<u8>,
    /// The ballot hashes in board order (ascending), for audit paths.
    pub hashes: Vec<Hash>,
    /// Each distinct choices with its number of ballots, read while the board was checked, so
    /// the count need not parse the ballots again (`tally_weighted`).
    pub choices: Vec<(Choices, u64)>,
}

/// An RFC 6962 inclusion proof of one ballot on a board, as served to a delegate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    /// Position of the ballot on the board (0-based, board order).
    pub index: u64,
    /// Ballots on the board.
    pub tree_size: u64,
    /// The audit path, leaf side first, as lower-case hex.
    pub path: Vec<String>,
    /// The board's `merkle_root`.
    pub root: String,
}

/// Builds the (v2) board of `contest_id` from the stored ballots (each the canonical JSON the
/// voter's receipt hashed). Every body is read as a v2 ballot of this congress and contest
/// and must be exactly its canonical JSON; the ballots are sorted by hash (a duplicate is
/// refused) and the RFC 6962 root is computed over the hashes. `cast` is the number of
/// ballots, even above `issued` (rule E4 makes such a contest void; the board still shows it).
pub fn build_board(
    congress_id: &str,
    contest_id: &str,
    facts: &BoxFacts,
    ballot_bodies: Vec<String>,
) -> Result<BuiltBoard, PacketError> {
    let (counted, ballots) = assemble(congress_id, contest_id, facts, ballot_bodies, true)?;
    let board = Board {
        v: BOARD_VERSION,
        kind: BOARD_KIND.to_string(),
        congress: congress_id.to_string(),
        contest: contest_id.to_string(),
        ballots,
        issued: facts.issued,
        cast: counted.cast,
        paper: Some(facts.paper),
        merkle_root: counted.merkle_root,
        contest_key: Some(facts.key_pem.clone()),
        contest_key_fingerprint: Some(facts.key_fingerprint.clone()),
    };
    Ok(BuiltBoard {
        board,
        bytes: counted.bytes,
        hashes: counted.hashes,
        choices: counted.choices,
    })
}

/// A board as counting and certifying need it: the same checks, bytes, hashes, root and
/// choices as [`build_board`], without keeping each ballot as a JSON value (at a million
/// ballots, allocating and freeing those values was most of the count's time).
#[derive(Debug, Clone)]
pub struct CountedBoard {
    /// The board file's bytes: canonical JSON.
    pub bytes: Vec<u8>,
    /// The ballot hashes in board order (ascending).
    pub hashes: Vec<Hash>,
    /// Each distinct choices with its number of ballots.
    pub choices: Vec<(Choices, u64)>,
    pub cast: u64,
    pub merkle_root: String,
}

/// [`build_board`] for counting: see [`CountedBoard`].
pub fn count_board(
    congress_id: &str,
    contest_id: &str,
    facts: &BoxFacts,
    ballot_bodies: Vec<String>,
) -> Result<CountedBoard, PacketError> {
    Ok(assemble(congress_id, contest_id, facts, ballot_bodies, false)?.0)
}

/// Reads and checks every stored ballot, sorts them by hash and lays out the board file.
/// The ballots go through the verifier's reading (`verify::ballots`: one parse of the top
/// level, each distinct `choices` text read once, in parallel; no signature checked, the
/// ballot box checked each one at cast); any ballot it does not accept is read again the
/// reference way for the precise error.
fn assemble(
    congress_id: &str,
    contest_id: &str,
    facts: &BoxFacts,
    ballot_bodies: Vec<String>,
    keep_values: bool,
) -> Result<(CountedBoard, Vec<Value>), PacketError> {
    if !is_file_safe_id(contest_id) {
        return Err(PacketError::BadFileId {
            what: "选举/表决编号",
            id: contest_id.to_string(),
        });
    }
    let texts: Vec<&str> = ballot_bodies.iter().map(String::as_str).collect();
    let all = read_all(&texts, congress_id, contest_id, Signatures::Skip);
    let mut entries: Vec<(Hash, usize)> = Vec::with_capacity(texts.len());
    for (i, r) in all.reads.iter().enumerate() {
        match r.hash {
            Some(hash) if r.canonical && r.fault().is_none() && r.version == Some(2) => {
                entries.push((hash, i));
            }
            _ => {
                read_body(congress_id, contest_id, i + 1, texts[i])?;
                return Err(PacketError::BadBallot {
                    position: i + 1,
                    reason: r.fault().unwrap_or("无法读取").to_string(),
                });
            }
        }
    }
    let choices = all.weighted().unwrap_or_default();
    drop(all);
    entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if let Some(pair) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(PacketError::DuplicateBallot {
            hash: hex::encode(pair[0].0),
        });
    }
    let hashes: Vec<Hash> = entries.iter().map(|e| e.0).collect();
    let root = merkle::hash_to_hex(&merkle::root(&hashes));
    let cast = hashes.len() as u64;
    let tail = board_tail(&Header {
        v: BOARD_VERSION,
        congress: congress_id,
        contest: contest_id,
        issued: facts.issued,
        cast,
        merkle_root: &root,
        paper: Some(facts.paper),
        key: Some((&facts.key_pem, &facts.key_fingerprint)),
    })?;
    let body_len: usize = ballot_bodies.iter().map(|b| b.len() + 1).sum();
    let mut bytes = Vec::with_capacity(BOARD_HEAD.len() + body_len + tail.len());
    bytes.extend_from_slice(BOARD_HEAD);
    for (n, (_, i)) in entries.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(ballot_bodies[*i].as_bytes());
    }
    bytes.extend_from_slice(&tail);
    let values = if keep_values {
        entries
            .par_iter()
            .map(|(_, i)| serde_json::from_str(&ballot_bodies[*i]))
            .collect::<Result<Vec<Value>, _>>()
            .map_err(|e| PacketError::BadBallot {
                position: 0,
                reason: e.to_string(),
            })?
    } else {
        Vec::new()
    };
    Ok((
        CountedBoard {
            bytes,
            hashes,
            choices,
            cast,
            merkle_root: root,
        },
        values,
    ))
}

/// The audit path of `ballot_hash` on a board whose hashes (ascending, as
/// [`BuiltBoard::hashes`]) are `board_hashes`; `None` when the ballot is not on the board.
pub fn proof(board_hashes: &[Hash], ballot_hash: &Hash) -> Option<Proof> {
    let index = board_hashes.binary_search(ballot_hash).ok()?;
    let path = merkle::audit_path(board_hashes, index)?;
    Some(Proof {
        index: index as u64,
        tree_size: board_hashes.len() as u64,
        path: merkle::path_to_hex(&path),
        root: merkle::hash_to_hex(&merkle::root(board_hashes)),
    })
}

/// Everything after the last ballot: `]` then the canonical header without its `{`
/// (`,"cast":..,"congress":..,"contest":..,"contest_key":..,"contest_key_fingerprint":..,
/// "issued":..,"kind":"board","merkle_root":..,"paper":..,"v":2}`).
/// Written by the general canonicaliser, so the key order is never hand-maintained.
pub(crate) fn board_tail(h: &Header<'_>) -> Result<Vec<u8>, PacketError> {
    let mut header = json!({
        "v": h.v,
        "kind": BOARD_KIND,
        "congress": h.congress,
        "contest": h.contest,
        "issued": h.issued,
        "cast": h.cast,
        "merkle_root": h.merkle_root,
    });
    if let Some(paper) = h.paper {
        header["paper"] = json!(paper);
    }
    if let Some((pem, fingerprint)) = h.key {
        header["contest_key"] = json!(pem);
        header["contest_key_fingerprint"] = json!(fingerprint);
    }
    let canonical = to_canonical(&header)?;
    let mut tail = Vec::with_capacity(canonical.len() + 1);
    tail.extend_from_slice(b"],");
    // The header is a non-empty object: its canonical form starts with `{`.
    tail.extend_from_slice(canonical.get(1..).unwrap_or_default());
    Ok(tail)
}

/// One stored ballot read the reference way: parsed, checked, hashed (for the precise error
/// about a ballot the fast reading did not accept).
fn read_body(
    congress: &str,
    contest: &str,
    position: usize,
    body: &str,
) -> Result<(Hash, Value, Choices), PacketError> {
    let bad = |reason: String| PacketError::BadBallot { position, reason };
    let value: Value = serde_json::from_str(body).map_err(|e| bad(e.to_string()))?;
    if to_canonical(&value)? != body.as_bytes() {
        return Err(PacketError::BallotNotCanonical { position });
    }
    let ballot = Ballot::from_value(&value).map_err(|e| bad(e.to_string()))?;
    if !matches!(ballot.serial, Serial::Signed { .. }) {
        return Err(bad("不是 v2 签名选票 (没有 token 和 token_sig)".to_string()));
    }
    if ballot.congress != congress || ballot.contest != contest {
        return Err(PacketError::ForeignBallot {
            position,
            expected: format!("{congress}/{contest}"),
            found: format!("{}/{}", ballot.congress, ballot.contest),
        });
    }
    Ok((sha256(body.as_bytes()), value, ballot.choices))
}

#[cfg(test)]
#[path = "board_tests.rs"]
mod tests;
