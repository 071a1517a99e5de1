//! What an action that cannot be undone would do, counted before the organiser confirms it:
//! the figures the confirmation pages show ("将替换现有 164 行, 新文件 1 行",
//! "9 张已发出的选票尚未收回"). Pure counting queries through `storage`; nothing is written.

use serde::Serialize;

use crate::domain::contest::ContestState;
use crate::domain::ids::{CongressId, ContestId};
use crate::storage::repo::contests as contests_repo;
use crate::storage::repo::counts;
use crate::storage::repo::voting as voting_repo;
use crate::storage::DbConnection;

use super::roster::{ImportKind, RosterSource};
use super::{ServiceError, ServiceResult};

/// Rows stored now of what an upload of `kind` would replace: `enrolment`, `societies`,
/// `nominees` (the files) or `roster` (the delegates).
pub fn stored_rows(conn: &mut DbConnection, cid: &CongressId, kind: &str) -> ServiceResult<i64> {
    Ok(match kind {
        "roster" => counts::delegates(conn, cid)?,
        k => match ImportKind::parse(k) {
            Some(ImportKind::Enrolment) => counts::enrolment_rows(conn, cid)?,
            Some(ImportKind::Societies) => counts::society_rows(conn, cid)?,
            Some(ImportKind::Nominees) => counts::nominee_rows(conn, cid)?,
            None => return Err(ServiceError::NotFound(format!("没有“{k}”这种文件"))),
        },
    })
}

/// Generating the roster over the stored one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GeneratePreview {
    /// Delegates on the stored roster (replaced).
    pub delegates: i64,
    /// Nominees the new roster is drawn from.
    pub nominees: i64,
    /// Where the stored roster came from (an uploaded file is an organiser's edit).
    pub source: Option<RosterSource>,
    pub file_name: Option<String>,
}

pub fn generate(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<GeneratePreview> {
    let stored = super::roster::stored_report(conn, cid)?;
    Ok(GeneratePreview {
        delegates: counts::delegates(conn, cid)?,
        nominees: counts::nominee_rows(conn, cid)?,
        source: stored.as_ref().and_then(|r| r.source),
        file_name: stored.and_then(|r| r.file_name),
    })
}

/// The roster's delegates, their cards and who is checked in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DelegatesPreview {
    pub delegates: i64,
    pub cards_issued: i64,
    pub present: i64,
}

pub fn delegates(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<DelegatesPreview> {
    Ok(DelegatesPreview {
        delegates: counts::delegates(conn, cid)?,
        cards_issued: counts::cards_issued(conn, cid)?,
        present: counts::present(conn, cid)?,
    })
}

/// A contest about to open or close.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ContestPreview {
    pub title: String,
    pub state: ContestState,
    /// Delegates checked in now (the papers an opening would allow, rule D2).
    pub present: i64,
    pub delegates: i64,
    /// Papers issued so far (phone and paper), ballots in the box, and the difference.
    pub issued: i64,
    pub cast: i64,
    pub outstanding: i64,
}

pub fn contest(
    conn: &mut DbConnection,
    cid: &CongressId,
    kid: &ContestId,
) -> ServiceResult<ContestPreview> {
    let contest = contests_repo::get(conn, kid)?
        .filter(|c| &c.congress_id == cid)
        .ok_or_else(|| ServiceError::NotFound("本大会没有这个选举或表决事项".to_string()))?;
    let issued = voting_repo::roll_count(conn, kid)?;
    let cast = voting_repo::ballot_count(conn, kid)?;
    Ok(ContestPreview {
        title: contest.def.title.clone(),
        state: contest.state,
        present: counts::present(conn, cid)?,
        delegates: counts::delegates(conn, cid)?,
        issued,
        cast,
        outstanding: if issued > cast { issued - cast } else { 0 },
    })
}

/// The contests of a congress by state (closing the congress, certifying).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ContestsPreview {
    pub total: usize,
    pub draft: usize,
    pub open: usize,
    pub closed: usize,
    pub r#final: usize,
    /// Titles of the contests not yet final (open, closed, or drafts still to hold).
    pub unfinished: Vec<String>,
}

pub fn contests(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<ContestsPreview> {
    let list = contests_repo::list(conn, cid)?;
    let mut p = ContestsPreview {
        total: list.len(),
        ..ContestsPreview::default()
    };
    for c in &list {
        match c.state {
            ContestState::Draft => p.draft += 1,
            ContestState::Open => p.open += 1,
            ContestState::Closed => p.closed += 1,
            ContestState::Final => p.r#final += 1,
        }
        if c.state != ContestState::Final && c.not_held_reason.is_none() {
            p.unfinished.push(c.def.title.clone());
        }
    }
    Ok(p)
}
