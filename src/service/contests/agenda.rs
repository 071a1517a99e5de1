//! The agenda: deleting a draft contest (the agenda closes up behind it) and moving a draft
//! contest up or down past another draft.

use serde::Serialize;

use super::editable;
use crate::domain::candidates::Candidate;
use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::{audit_json, position};
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::contests::{self as repo};
use crate::storage::{write_tx, DbConnection};

/// The audit record of a deleted contest: the contest and its candidates.
#[derive(Serialize)]
struct Deleted<'a> {
    contest: &'a Contest,
    candidates: &'a [Candidate],
}

/// Deletes a draft contest and its candidates; the agenda closes up behind it.
pub fn delete(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let (_, before) = editable(c, congress_id, contest_id)?;
        before.check(ContestAction::Delete)?;
        let candidates = repo::candidates(c, contest_id)?;
        repo::delete(c, contest_id)?;
        for (i, rest) in repo::list(c, congress_id)?.iter().enumerate() {
            let order = position(i)?;
            if rest.agenda_order != order {
                repo::set_agenda_order(c, &rest.id, order)?;
            }
        }
        let record = Deleted {
            contest: &before,
            candidates: &candidates,
        };
        actor.audit(
            c,
            Some(congress_id),
            "contest.delete",
            Some(contest_id.as_str()),
            audit_json(&record)?,
            None,
        )?;
        Ok(())
    })
}

/// Which way to move a contest on the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct AgendaPosition<'a> {
    contest: &'a str,
    agenda_order: u32,
}

/// Swaps a draft contest with its neighbour on the agenda. Both must be drafts: what has
/// been voted on keeps its place. Returns the new agenda.
pub fn move_contest(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    direction: Direction,
) -> ServiceResult<Vec<Contest>> {
    write_tx(conn, |c| {
        let (_, contest) = editable(c, congress_id, contest_id)?;
        let agenda = repo::list(c, congress_id)?;
        let i = agenda
            .iter()
            .position(|x| x.id == contest.id)
            .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))?;
        let j = match direction {
            Direction::Up if i > 0 => i - 1,
            Direction::Down if i + 1 < agenda.len() => i + 1,
            Direction::Up => {
                return Err(ServiceError::Conflict(format!(
                    "“{}”已是议程第一项",
                    contest.def.title
                )))
            }
            Direction::Down => {
                return Err(ServiceError::Conflict(format!(
                    "“{}”已是议程最后一项",
                    contest.def.title
                )))
            }
        };
        let other = &agenda[j];
        other.check(ContestAction::Edit)?;
        // Positions come from the list order, so equal or gapped numbers are repaired too.
        let (pos_i, pos_j) = (position(i)?, position(j)?);
        repo::set_agenda_order(c, &contest.id, pos_j)?;
        repo::set_agenda_order(c, &other.id, pos_i)?;
        let before = [
            AgendaPosition {
                contest: contest.id.as_str(),
                agenda_order: contest.agenda_order,
            },
            AgendaPosition {
                contest: other.id.as_str(),
                agenda_order: other.agenda_order,
            },
        ];
        let after = [
            AgendaPosition {
                contest: contest.id.as_str(),
                agenda_order: pos_j,
            },
            AgendaPosition {
                contest: other.id.as_str(),
                agenda_order: pos_i,
            },
        ];
        actor.audit(
            c,
            Some(congress_id),
            "contest.move",
            Some(contest_id.as_str()),
            audit_json(&before)?,
            audit_json(&after)?,
        )?;
        Ok(repo::list(c, congress_id)?)
    })
}
