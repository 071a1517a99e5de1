//! The candidates of an election (rows <-> `domain::candidates::Candidate`) and their stored
//! ballot order.

use diesel::prelude::*;

use crate::domain::candidates::Candidate;
use crate::domain::ids::{CandidateId, ContestId};
use crate::domain::types::Gender;
use crate::storage::codes::{count, count_opt, to_column};
use crate::storage::models::CandidateRow;
use crate::storage::schema::candidates;
use crate::storage::{DbConnection, StorageError, StorageResult};

fn gender_str(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

impl TryFrom<CandidateRow> for Candidate {
    type Error = StorageError;

    fn try_from(r: CandidateRow) -> StorageResult<Candidate> {
        let gender = match r.gender.as_deref() {
            None => None,
            Some("male") => Some(Gender::Male),
            Some("female") => Some(Gender::Female),
            Some(other) => {
                return Err(StorageError::corrupt(format!(
                    "candidates {}: gender {other}",
                    r.id
                )))
            }
        };
        let rank_pct = count_opt("candidates", &r.id, "rank_pct", r.rank_pct)?;
        let failed_courses = count("candidates", &r.id, "failed_courses", r.failed_courses)?;
        let organiser_order = count("candidates", &r.id, "organiser_order", r.organiser_order)?;
        Ok(Candidate {
            id: r.id,
            name: r.name,
            student_no: r.student_no,
            college: r.college,
            gender,
            political_status: r.political_status,
            rank_pct,
            failed_courses,
            eligibility_override: r.eligibility_override,
            organiser_order,
        })
    }
}

fn row(contest_id: &ContestId, c: &Candidate, ballot_order: u32) -> StorageResult<CandidateRow> {
    Ok(CandidateRow {
        id: c.id.clone(),
        contest_id: contest_id.to_string(),
        name: c.name.clone(),
        student_no: c.student_no.clone(),
        college: c.college.clone(),
        gender: c.gender.map(|g| gender_str(g).to_string()),
        political_status: c.political_status.clone(),
        rank_pct: c.rank_pct.map(|p| to_column("rank_pct", p)).transpose()?,
        failed_courses: to_column("failed_courses", c.failed_courses)?,
        eligibility_override: c.eligibility_override.clone(),
        organiser_order: to_column("organiser_order", c.organiser_order)?,
        ballot_order: to_column("ballot_order", ballot_order)?,
    })
}

/// The candidates of a contest in stored ballot order (rule C4), ties by the organiser's order.
pub fn candidates(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> StorageResult<Vec<Candidate>> {
    candidates::table
        .filter(candidates::contest_id.eq(contest_id))
        .order((
            candidates::ballot_order.asc(),
            candidates::organiser_order.asc(),
        ))
        .select(CandidateRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Candidate::try_from)
        .collect()
}

/// Candidate `id` of contest `contest_id`.
pub fn candidate(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    id: &CandidateId,
) -> StorageResult<Option<Candidate>> {
    candidates::table
        .find(id)
        .filter(candidates::contest_id.eq(contest_id))
        .select(CandidateRow::as_select())
        .first(conn)
        .optional()?
        .map(Candidate::try_from)
        .transpose()
}

/// One past the highest organiser's order in the contest (1 for the first candidate), so the
/// organiser's order is the order of entry.
pub fn next_organiser_order(conn: &mut DbConnection, contest_id: &ContestId) -> StorageResult<u32> {
    let max: Option<i32> = candidates::table
        .filter(candidates::contest_id.eq(contest_id))
        .select(diesel::dsl::max(candidates::organiser_order))
        .first(conn)?;
    let max = count_opt(
        "candidates",
        contest_id.as_str(),
        "max(organiser_order)",
        max,
    )?
    .unwrap_or(0);
    max.checked_add(1).ok_or(StorageError::OutOfRange {
        column: "organiser_order",
        value: format!("{max} + 1"),
    })
}

/// Inserts a candidate; the caller then stores the new ballot order of the whole contest.
/// A second candidate with the same 学号 in the contest is a unique violation.
pub fn insert_candidate(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    c: &Candidate,
    ballot_order: u32,
) -> StorageResult<()> {
    diesel::insert_into(candidates::table)
        .values(row(contest_id, c, ballot_order)?)
        .execute(conn)?;
    Ok(())
}

/// Replaces a candidate's data (everything but the contest and the ballot order).
pub fn update_candidate(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    c: &Candidate,
) -> StorageResult<()> {
    let r = row(contest_id, c, 0)?;
    diesel::update(
        candidates::table
            .find(&c.id)
            .filter(candidates::contest_id.eq(contest_id)),
    )
    .set((
        candidates::name.eq(r.name),
        candidates::student_no.eq(r.student_no),
        candidates::college.eq(r.college),
        candidates::gender.eq(r.gender),
        candidates::political_status.eq(r.political_status),
        candidates::rank_pct.eq(r.rank_pct),
        candidates::failed_courses.eq(r.failed_courses),
        candidates::eligibility_override.eq(r.eligibility_override),
        candidates::organiser_order.eq(r.organiser_order),
    ))
    .execute(conn)?;
    Ok(())
}

/// Stores candidate `id`'s position on the ballot paper (1-based).
pub fn set_ballot_order(
    conn: &mut DbConnection,
    id: &CandidateId,
    ballot_order: u32,
) -> StorageResult<()> {
    diesel::update(candidates::table.find(id))
        .set(candidates::ballot_order.eq(to_column("ballot_order", ballot_order)?))
        .execute(conn)?;
    Ok(())
}

/// Deletes candidate `id` of contest `contest_id`; `false` if there was none.
pub fn delete_candidate(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    id: &CandidateId,
) -> StorageResult<bool> {
    let n = diesel::delete(
        candidates::table
            .find(id)
            .filter(candidates::contest_id.eq(contest_id)),
    )
    .execute(conn)?;
    Ok(n == 1)
}
