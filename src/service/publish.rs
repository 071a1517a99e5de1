//! What is published once a contest is counted (G1): its board rebuilt from the ballot box and
//! checked against the root stored at the count, a ballot's audit path on it, the contests
//! that are public, and the roll of who voted (personal data: callers decide who sees it).
//!
//! Nothing here is visible before a contest is final: a board could still change while paper
//! ballots are being entered, and a published root must never change afterwards.

use crate::crypto::hash_from_hex;
use crate::crypto::merkle::Hash;
use crate::domain::contest::{Contest, ContestAction, ContestState};
use crate::domain::ids::{CongressId, ContestId};
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
    congress_id: &CongressId,
    contest_id: &ContestId,
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
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<(Contest, BuiltBoard)> {
    let contest = final_contest(conn, congress_id, contest_id)?;
    let built = results::board(conn, &contest)?;
    if contest.merkle_root.as_deref() != Some(built.board.merkle_root.as_str()) {
        return Err(ServiceError::internal(format!(
            "“{}”的选票与计票时的默克尔根不一致 (计票时 {}, 现在 {})",
            contest.def.title,
            contest.merkle_root.as_deref().unwrap_or("无"),
            built.board.merkle_root
        )));
    }
    Ok((contest, built))
}

/// The participants' board of a final contest counting them apart (rule I7); not found when
/// the contest has no participants' box.
pub fn participant_board(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<(Contest, BuiltBoard)> {
    let contest = final_contest(conn, congress_id, contest_id)?;
    let built = results::participant_board(conn, &contest)?.ok_or_else(|| {
        ServiceError::NotFound(format!(
            "“{}”没有列席评议人员的选票 (未分开计票, 规则I7)",
            contest.def.title
        ))
    })?;
    Ok((contest, built))
}

/// The audit path of `hash` on the board of one final contest; `None` when not on it.
pub fn proof_on(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
    hash: &Hash,
) -> ServiceResult<Option<Found>> {
    let (contest, board) = board(conn, congress_id, contest_id)?;
    Ok(found(contest, board, hash))
}

/// The audit path of `hash` on the participants' board of one final contest counting them
/// apart (rule I7); `None` when not on it, not found when the contest has no such board.
pub fn participant_proof_on(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
    hash: &Hash,
) -> ServiceResult<Option<Found>> {
    let (contest, board) = participant_board(conn, congress_id, contest_id)?;
    Ok(found(contest, board, hash))
}

fn found(contest: Contest, board: BuiltBoard, hash: &Hash) -> Option<Found> {
    proof(&board.hashes, hash).map(|proof| Found {
        index: proof.index as usize,
        contest,
        board,
        proof,
    })
}

/// Looks for a tracker on every published board of the congress; when it is on none, says
/// whether it is in the box of a contest not yet counted.
pub fn find(
    conn: &mut DbConnection,
    congress_id: &CongressId,
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
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<(Contest, Vec<RollLine>)> {
    let contest = super::voting::contest(conn, congress_id, contest_id)?;
    contest
        .check(ContestAction::ShowRoll)
        .map_err(|r| ServiceError::NotFound(r.message))?;
    let rows = voting::roll_rows(conn, contest_id)?;
    Ok((contest, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

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
