//! 述职评议 contests (rules H1-H5): their definition (persons under review, dimensions,
//! grades, favourable grades), edited while the contest is a draft, and the persons taken from
//! a counted presidium election's 当选 list. The follow-up threshold (H4) is the contest's
//! `threshold`, edited with the contest like any other.

use super::{editable, load};
use crate::domain::candidates::ElectionKind;
use crate::domain::contest::{Contest, ContestKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::{follow_up_problem, ReviewDefinition, ReviewPerson};
use crate::domain::settings::Threshold;
use crate::domain::tally::{ContestDetail, ContestResult};
use crate::service::{audit_json, Actor, ServiceError, ServiceResult};
use crate::storage::repo::contests::{self as repo};
use crate::storage::repo::reviews;
use crate::storage::{write_tx, DbConnection};

/// The post given to persons taken from a presidium election (H1).
pub const PRESIDIUM_POST: &str = "主席团成员";

/// The definition of review contest `contest_id` (the defaults when none was stored).
pub fn definition(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<(Contest, ReviewDefinition)> {
    let contest = load(conn, congress_id, contest_id)?;
    if contest.kind != ContestKind::Review {
        return Err(ServiceError::NotFound(format!(
            "“{}”不是述职评议",
            contest.def.title
        )));
    }
    let def = reviews::get(conn, contest_id)?.unwrap_or_default();
    Ok((contest, def))
}

/// Replaces the definition of a draft review and, when given, its follow-up threshold (H1,
/// H4: checked whole, nothing saved on an error).
pub fn set_definition(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    def: &ReviewDefinition,
    follow_up: Option<Threshold>,
) -> ServiceResult<ReviewDefinition> {
    def.check()
        .map_err(|e| ServiceError::invalid(format!("述职评议设置有误 (规则 H1): {e}")))?;
    if let Some(problem) = follow_up.as_ref().and_then(follow_up_problem) {
        return Err(ServiceError::invalid(problem));
    }
    write_tx(conn, |c| {
        let (_, contest) = editable(c, congress_id, contest_id)?;
        let (_, before) = definition(c, congress_id, &contest.id)?;
        reviews::put(c, contest_id, def)?;
        let mut contest_def = contest.def.clone();
        if let Some(t) = follow_up {
            contest_def.threshold = t;
        }
        repo::update_definition(c, contest_id, &contest_def)?;
        let audit =
            |d: &ReviewDefinition, t: Threshold| serde_json::json!({"review": d, "follow_up": t});
        actor.audit(
            c,
            Some(congress_id),
            "review.define",
            Some(contest_id.as_str()),
            audit_json(&audit(&before, contest.def.threshold))?,
            audit_json(&audit(def, contest_def.threshold))?,
        )?;
        Ok(def.clone())
    })
}

/// The persons of a counted presidium election's result, in the order elected, with their
/// colleges from the candidate list: what [`take_from_election`] puts on the review.
pub fn elected_persons(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    election_id: &ContestId,
) -> ServiceResult<Vec<ReviewPerson>> {
    let election = load(conn, congress_id, election_id)?;
    let presidium = election.kind == ContestKind::Election
        && election.def.kind_of_election() == Some(ElectionKind::Presidium);
    let result: Option<ContestResult> = election
        .result
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(ServiceError::internal)?;
    let Some(ContestDetail::Election(e)) = result.map(|r| r.detail).filter(|_| presidium) else {
        return Err(ServiceError::invalid(format!(
            "“{}”不是已计票的主席团选举, 不能从中取被评议人",
            election.def.title
        )));
    };
    let candidates = repo::candidates(conn, election_id)?;
    Ok(e.elected
        .iter()
        .map(|who| ReviewPerson {
            name: who.name.clone(),
            post: PRESIDIUM_POST.to_string(),
            college: who
                .id
                .as_ref()
                .and_then(|id| candidates.iter().find(|c| &c.id == id))
                .map(|c| c.college.clone())
                .unwrap_or_default(),
        })
        .collect())
}

/// Puts the 当选 of presidium election `election_id` on draft review `contest_id` (after
/// the persons already listed who are not among them; H1).
pub fn take_from_election(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    election_id: &ContestId,
) -> ServiceResult<ReviewDefinition> {
    let (_, mut def) = definition(conn, congress_id, contest_id)?;
    let elected = elected_persons(conn, congress_id, election_id)?;
    def.persons
        .retain(|p| !elected.iter().any(|e| e.name == p.name && e.post == p.post));
    let mut persons = elected;
    persons.append(&mut def.persons);
    def.persons = persons;
    set_definition(conn, actor, congress_id, contest_id, &def, None)
}
