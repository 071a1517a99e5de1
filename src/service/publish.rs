//! What is published once a contest is counted (G1): its board rebuilt from the ballot box and
//! checked against the root stored at the count, a ballot's audit path on it, the contests
//! that are public, and the roll of who voted (personal data: callers decide who sees it).
//!
//! Nothing here is visible before a contest is final: a board could still change while paper
//! ballots are being entered, and a published root must never change afterwards.

use crate::crypto::hash_from_hex;
use crate::crypto::merkle::{hash_children, hash_leaf, hash_to_hex, Hash};
use crate::domain::contest::{Contest, ContestAction, ContestState};
use crate::packet::{proof, BuiltBoard, Proof};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::voting;
use crate::storage::DbConnection;

use super::{results, ServiceError, ServiceResult};

/// One line of a roll: delegate number, name, college.
pub type RollLine = (u32, String, String);

/// A ballot found on a published board, with its audit path.
#[derive(Debug, Clone)]
pub struct Found {
    pub contest: Contest,
    pub board: BuiltBoard,
    /// Position of the ballot on the board (board order).
    pub index: usize,
    pub proof: Proof,
}

/// Where a ballot hash was looked for and not found on a board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotPublished {
    /// In the ballot box of a contest not yet counted: it will be on the board.
    Pending { title: String, state: ContestState },
    /// Nowhere in this congress.
    Unknown,
}

/// Reads a tracker as typed or pasted: surrounding spaces dropped, hex in either case.
/// Returns the lower-case hex and the 32 bytes, or a Chinese message saying what is wrong.
pub fn parse_tracker(text: &str) -> Result<(String, Hash), String> {
    let t = text.trim().to_ascii_lowercase();
    if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "追踪码应为 64 位十六进制字符 (0-9, a-f), 现为 {} 个字符",
            t.chars().count()
        ));
    }
    let hash = hash_from_hex(&t).map_err(|e| e.to_string())?;
    Ok((t, hash))
}

/// Contest `contest_id` of congress `congress_id`, which must be final (counted and published).
pub fn final_contest(
    conn: &mut DbConnection,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<Contest> {
    let contest = super::voting::contest(conn, congress_id, contest_id)?;
    // Not counted yet: not there to show (404), like any page that does not exist yet.
    contest
        .check(ContestAction::Publish)
        .map_err(|r| ServiceError::NotFound(r.message))?;
    Ok(contest)
}

/// The published board of a final contest. The board is rebuilt from the ballot box and must
/// have the root stored when it was counted; anything else means the stored ballots changed,
/// which is never served as the board.
pub fn board(
    conn: &mut DbConnection,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<(Contest, BuiltBoard)> {
    let contest = final_contest(conn, congress_id, contest_id)?;
    let built = results::board(conn, &contest)?;
    if contest.merkle_root.as_deref() != Some(built.board.merkle_root.as_str()) {
        return Err(ServiceError::Internal(format!(
            "“{}”的选票与计票时的默克尔根不一致 (计票时 {}, 现在 {})",
            contest.def.title,
            contest.merkle_root.as_deref().unwrap_or("无"),
            built.board.merkle_root
        )));
    }
    Ok((contest, built))
}

/// The audit path of `hash` on the board of one final contest; `None` when not on it.
pub fn proof_on(
    conn: &mut DbConnection,
    congress_id: &str,
    contest_id: &str,
    hash: &Hash,
) -> ServiceResult<Option<Found>> {
    let (contest, board) = board(conn, congress_id, contest_id)?;
    Ok(proof(&board.hashes, hash).map(|proof| Found {
        index: proof.index as usize,
        contest,
        board,
        proof,
    }))
}

/// Looks for a tracker on every published board of the congress; when it is on none, says
/// whether it is in the box of a contest not yet counted.
pub fn find(
    conn: &mut DbConnection,
    congress_id: &str,
    hex: &str,
    hash: &Hash,
) -> ServiceResult<Result<Found, NotPublished>> {
    let mut pending = None;
    for contest in contests_repo::list(conn, congress_id)? {
        if !voting::has_ballot(conn, &contest.id, hex)? {
            continue;
        }
        if contest.allows(ContestAction::Publish) {
            if let Some(found) = proof_on(conn, congress_id, &contest.id, hash)? {
                return Ok(Ok(found));
            }
        } else if pending.is_none() {
            pending = Some(NotPublished::Pending {
                title: contest.def.title.clone(),
                state: contest.state,
            });
        }
    }
    Ok(Err(pending.unwrap_or(NotPublished::Unknown)))
}

/// The roll of a contest (delegate number, name, college; never linked to a ballot), and the
/// contest. Refused for a contest that has not opened.
pub fn roll(
    conn: &mut DbConnection,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<(Contest, Vec<RollLine>)> {
    let contest = super::voting::contest(conn, congress_id, contest_id)?;
    contest
        .check(ContestAction::ShowRoll)
        .map_err(|r| ServiceError::NotFound(r.message))?;
    let rows = voting::roll_rows(conn, contest_id)?;
    Ok((contest, rows))
}

/// One step of walking an audit path up to the root, as shown to whoever checks a tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The path's next hash.
    pub sibling: String,
    /// Whether it goes on the left: SHA-256(0x01 || sibling || node), else (node || sibling).
    pub sibling_on_left: bool,
    /// The node this step computes.
    pub result: String,
}

/// The leaf hash SHA-256(0x00 || ballot hash) and each step from it to the root (RFC 9162
/// 2.1.3.2, the same walk as `crypto::merkle::root_from_inclusion`, which decides the check;
/// this only lays it out). The last step's `result` is the root the path leads to.
pub fn inclusion_steps(
    ballot_hash: &Hash,
    index: usize,
    tree_size: usize,
    path: &[Hash],
) -> (String, Vec<Step>) {
    let leaf = hash_leaf(ballot_hash);
    let mut steps = Vec::with_capacity(path.len());
    let (mut fnode, mut snode) = (index, tree_size.saturating_sub(1));
    let mut r = leaf;
    for p in path {
        let left = fnode & 1 == 1 || fnode == snode;
        if left {
            r = hash_children(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = hash_children(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
        steps.push(Step {
            sibling: hash_to_hex(p),
            sibling_on_left: left,
            result: hash_to_hex(&r),
        });
    }
    (hash_to_hex(&leaf), steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::merkle::{audit_path, root, verify_inclusion};

    #[test]
    fn steps_end_at_the_root_for_every_leaf_of_small_trees() {
        for n in 1..=17usize {
            let hashes: Vec<Hash> = (0..n).map(|i| crate::crypto::sha256(&[i as u8])).collect();
            let expected = hash_to_hex(&root(&hashes));
            for i in 0..n {
                let path = audit_path(&hashes, i).unwrap();
                assert!(verify_inclusion(&hashes[i], i, n, &path, &root(&hashes)));
                let (leaf, steps) = inclusion_steps(&hashes[i], i, n, &path);
                assert_eq!(leaf, hash_to_hex(&hash_leaf(&hashes[i])));
                assert_eq!(steps.len(), path.len(), "n={n} i={i}");
                let last = steps.last().map(|s| s.result.clone()).unwrap_or(leaf);
                assert_eq!(last, expected, "n={n} i={i}");
            }
        }
    }

    #[test]
    fn a_two_leaf_tree_by_hand() {
        // Leaves a, b: root = H(0x01 || H(0x00||a) || H(0x00||b)). Leaf 1's path is [H(0x00||a)],
        // which goes on the left.
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let (la, lb) = (hash_leaf(&a), hash_leaf(&b));
        let (leaf, steps) = inclusion_steps(&b, 1, 2, &[la]);
        assert_eq!(leaf, hash_to_hex(&lb));
        assert_eq!(
            steps,
            vec![Step {
                sibling: hash_to_hex(&la),
                sibling_on_left: true,
                result: hash_to_hex(&hash_children(&la, &lb)),
            }]
        );
    }

    #[test]
    fn trackers_are_read_leniently_and_checked_strictly() {
        let hex = "ab".repeat(32);
        let (t, h) = parse_tracker(&format!("  {}\n", hex.to_uppercase())).unwrap();
        assert_eq!(t, hex);
        assert_eq!(h, [0xab; 32]);
        let e = parse_tracker("abc").unwrap_err();
        assert!(e.contains("现为 3 个字符"), "{e}");
        let e = parse_tracker(&"g".repeat(64)).unwrap_err();
        assert!(e.contains("64 位十六进制"), "{e}");
        // 64 characters, but not all ASCII hex: counted in characters, not bytes.
        assert!(parse_tracker(&format!("{}票", "a".repeat(63))).is_err());
    }
}
