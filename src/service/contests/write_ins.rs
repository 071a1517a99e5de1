//! Write-in persons (另选他人) in a further round: a person written in on the ballots who ties
//! for the last seat (or, in a shortfall, stands among those not elected) takes part in the
//! proposed 再次投票 / 另行选举 like a listed candidate. The ballots only name them, so they
//! join the round's list under their name with a placeholder 学号 ([`UNCONFIRMED`]); the round
//! cannot open until the organiser has confirmed their details (学号, 学院, and for the
//! presidium the C3 conditions) by editing the candidate.

use super::candidates::{editable_election, store_ballot_order};
use super::MAX_CANDIDATES;
use crate::domain::candidates::Candidate;
use crate::domain::ids::{CongressId, ContestId};
use crate::service::audit_json;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::contests as repo;
use crate::storage::repo::new_id;
use crate::storage::{write_tx, DbConnection};

/// The start of a write-in person's 学号 until the organiser confirms it.
pub const UNCONFIRMED: &str = "待确认:";

/// Whether `c` is a write-in person whose details are not confirmed yet.
pub fn unconfirmed(c: &Candidate) -> bool {
    c.student_no.starts_with(UNCONFIRMED)
}

/// Adds the write-in person `name` to the draft round `contest_id`, details to be confirmed.
pub fn add_write_in_person(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    name: &str,
) -> ServiceResult<Candidate> {
    let name = name.trim();
    write_tx(conn, |c| {
        let (_, contest) = editable_election(c, congress_id, contest_id)?;
        let existing = repo::candidates(c, contest_id)?;
        if existing.len() >= MAX_CANDIDATES {
            return Err(ServiceError::invalid("候选人过多"));
        }
        let order = repo::next_organiser_order(c, contest_id)?;
        let cand = Candidate {
            id: new_id("k"),
            name: name.to_string(),
            student_no: format!("{UNCONFIRMED}{name}"),
            college: String::new(),
            gender: None,
            political_status: String::new(),
            rank_pct: None,
            failed_courses: 0,
            eligibility_override: None,
            organiser_order: order,
        };
        repo::insert_candidate(c, contest_id, &cand, order)?;
        store_ballot_order(c, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.write_in_added",
            Some(contest.id.as_str()),
            None,
            audit_json(&cand)?,
        )?;
        Ok(cand)
    })
}
