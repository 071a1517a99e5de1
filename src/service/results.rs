//! The count: when a contest's voting has closed (and its paper ballots are in), the board is
//! built from the ballot box (sorted by hash, RFC 6962 root), the tally of the rules is run on
//! it, and both are stored; the contest is final and announced (G1). A tie at the last seat or
//! a shortfall creates the proposed further round (再次投票 / 另行选举) as a draft contest for
//! the organiser to open (F2, F3). When every contest is final the congress can close.

use crate::domain::contest::{Contest, ContestAction, ContestDefinition, ContestKind, RoundKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::review::ReviewDefinition;
use crate::domain::state::{Action, CongressState};
use crate::domain::tally::{
    tally_weighted, CandidateRef, ContestDetail, ContestResult, ContestSpec, ElectionSpec,
    MotionSpec, ReviewSpec, Turnout,
};
use crate::errors::context;
use crate::packet::board::{build_board, count_board, BoxFacts, BuiltBoard, CountedBoard};
use crate::service::contests::{self as contests_service, CandidateData};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::term::{self as term_repo, ParticipantBox};
use crate::storage::repo::voting;
use crate::storage::{write_tx, DbConnection, StorageError};

use super::{Actor, ServiceError, ServiceResult};

/// The tally rules of a stored contest: the same figures the record will state.
pub fn spec(
    congress: &Congress,
    contest: &Contest,
    candidates: &[crate::domain::candidates::Candidate],
    review: Option<ReviewDefinition>,
) -> ContestSpec {
    match contest.kind {
        ContestKind::Election => ContestSpec::Election(ElectionSpec {
            seats: contest.def.seats.unwrap_or(0),
            candidates: candidates
                .iter()
                .map(|c| CandidateRef {
                    id: c.id.clone(),
                    name: c.name.clone(),
                })
                .collect(),
            allow_write_in: contest.def.allow_write_in,
            threshold: contest.def.threshold,
            tie_rule: congress.settings.tie_rule,
        }),
        ContestKind::Motion => ContestSpec::Motion(MotionSpec {
            threshold: contest.def.threshold,
        }),
        ContestKind::Review => ContestSpec::Review(ReviewSpec {
            def: review.unwrap_or_default(),
            follow_up: contest.def.threshold,
        }),
    }
}

/// 实到 at opening (= ballots issued) and 应到 then.
pub fn turnout(contest: &Contest) -> Turnout {
    Turnout {
        issued: contest.issued.unwrap_or(0) as u64,
        roster: contest.expected.unwrap_or(0) as u64,
    }
}

/// What the board of an opened contest states besides its ballots: ballots issued, paper
/// ballots entered, the contest key.
pub fn box_facts(conn: &mut DbConnection, contest: &Contest) -> ServiceResult<BoxFacts> {
    let bb = voting::ballot_box(conn, &contest.id)?.ok_or_else(|| {
        ServiceError::internal(format!("{}: 没有选票箱 (尚未开始投票)", contest.id))
    })?;
    Ok(BoxFacts {
        issued: contest.issued.unwrap_or(0) as u64,
        paper: u64::try_from(bb.paper_entered).map_err(|_| {
            StorageError::corrupt(format!(
                "ballot_boxes {}: paper_entered {}",
                contest.id, bb.paper_entered
            ))
        })?,
        key_pem: bb.public_key_pem,
        key_fingerprint: bb.key_fingerprint,
    })
}

/// The board of a closed or final contest, rebuilt from the ballot box (deterministic).
pub fn board(conn: &mut DbConnection, contest: &Contest) -> ServiceResult<BuiltBoard> {
    let facts = box_facts(conn, contest)?;
    let bodies = voting::ballot_bodies(conn, &contest.id)?;
    build_board(
        contest.congress_id.as_str(),
        contest.id.as_str(),
        &facts,
        bodies,
    )
    .map_err(ServiceError::internal)
}

/// The board of a contest for counting and certifying (no per-ballot JSON values kept).
pub fn counted(conn: &mut DbConnection, contest: &Contest) -> ServiceResult<CountedBoard> {
    let facts = box_facts(conn, contest)?;
    let bodies = voting::ballot_bodies(conn, &contest.id)?;
    count_board(
        contest.congress_id.as_str(),
        contest.id.as_str(),
        &facts,
        bodies,
    )
    .map_err(ServiceError::internal)
}

/// The participants' box of a contest counting them apart (rule I7), as board facts:
/// papers issued to participants, no paper ballots, the participants' key.
fn participant_facts(
    conn: &mut DbConnection,
    contest: &Contest,
) -> ServiceResult<Option<(ParticipantBox, BoxFacts)>> {
    Ok(term_repo::participant_box(conn, &contest.id)?.map(|b| {
        let facts = BoxFacts {
            issued: u64::from(b.issued),
            paper: 0,
            key_pem: b.public_key_pem.clone(),
            key_fingerprint: b.key_fingerprint.clone(),
        };
        (b, facts)
    }))
}

/// The participants' board of a contest counting them apart (rule I7): the same v2 board, of
/// their ballots, with their key; `None` when the contest has no participants' box.
pub fn participant_board(
    conn: &mut DbConnection,
    contest: &Contest,
) -> ServiceResult<Option<BuiltBoard>> {
    let Some((_, facts)) = participant_facts(conn, contest)? else {
        return Ok(None);
    };
    let bodies = term_repo::participant_ballot_bodies(conn, &contest.id)?;
    build_board(
        contest.congress_id.as_str(),
        contest.id.as_str(),
        &facts,
        bodies,
    )
    .map(Some)
    .map_err(ServiceError::internal)
}

/// [`participant_board`] for counting and certifying.
pub fn participant_counted(
    conn: &mut DbConnection,
    contest: &Contest,
) -> ServiceResult<Option<(ParticipantBox, CountedBoard)>> {
    let Some((b, facts)) = participant_facts(conn, contest)? else {
        return Ok(None);
    };
    let bodies = term_repo::participant_ballot_bodies(conn, &contest.id)?;
    let counted = count_board(
        contest.congress_id.as_str(),
        contest.id.as_str(),
        &facts,
        bodies,
    )
    .map_err(ServiceError::internal)?;
    Ok(Some((b, counted)))
}

/// The participants' figures for their separate tally: papers issued to them, and the
/// participants listed at opening standing for 应到.
pub fn participant_turnout(b: &ParticipantBox) -> Turnout {
    Turnout {
        issued: u64::from(b.issued),
        roster: u64::from(b.listed),
    }
}

/// The participants' separate tally of a counted contest (rule I7), with their box.
pub fn participant_result(
    conn: &mut DbConnection,
    contest_id: &ContestId,
) -> ServiceResult<Option<(ParticipantBox, ContestResult)>> {
    let Some(b) = term_repo::participant_box(conn, contest_id)? else {
        return Ok(None);
    };
    let Some(json) = b.result.clone() else {
        return Ok(None);
    };
    let r = serde_json::from_str(&json).map_err(|e| {
        ServiceError::internal(context(format!("participants' result of {contest_id}"), e))
    })?;
    Ok(Some((b, r)))
}

/// The stored result of a final contest.
pub fn result(contest: &Contest) -> ServiceResult<Option<ContestResult>> {
    contest
        .result
        .as_deref()
        .map(|r| {
            serde_json::from_str(r).map_err(|e| {
                ServiceError::internal(context(format!("result of {}", contest.id), e))
            })
        })
        .transpose()
}

/// What finalising produced.
#[derive(Debug, Clone)]
pub struct Finalised {
    pub contest: Contest,
    pub result: ContestResult,
    /// Draft contests created for a further round.
    pub proposed: Vec<Contest>,
}

/// Counts a closed contest: board + tally stored, state final. Refuses while paper ballots
/// handed out are not all entered, unless `missing_paper_ok` (some were not returned).
pub fn finalise(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    missing_paper_ok: bool,
) -> ServiceResult<Finalised> {
    let (contest, result) = write_tx(conn, |c| {
        let congress = super::congress::load(c, congress_id)?;
        let contest = super::voting::contest(c, congress_id, contest_id)?;
        contest.check(ContestAction::Count)?;
        let entered = voting::paper_entered(c, contest_id)?;
        if entered < contest.paper_issued as i64 && !missing_paper_ok {
            return Err(ServiceError::Invalid {
                message: format!(
                    "纸质选票尚未全部录入: 发出 {} 张, 已录入 {entered} 张。请录入其余纸质选票, 或确认未收回后再计票。",
                    contest.paper_issued
                ),
                details: Vec::new(),
            });
        }
        let built = counted(c, &contest)?;
        let candidates = contests_repo::candidates(c, contest_id)?;
        let review = crate::storage::repo::reviews::get(c, contest_id)?;
        let rules = spec(&congress, &contest, &candidates, review);
        let result = tally_weighted(&rules, turnout(&contest), &built.choices);
        let json = serde_json::to_string(&result).map_err(ServiceError::internal)?;
        if !voting::set_final(c, contest_id, built.cast, &built.merkle_root, &json)? {
            return Err(ServiceError::Conflict("计票已由他人完成".to_string()));
        }
        // The participants' tally (I7): the same rules over their ballots, stored apart.
        let mut participants_cast = None;
        if let Some((b, pboard)) = participant_counted(c, &contest)? {
            let presult = tally_weighted(&rules, participant_turnout(&b), &pboard.choices);
            let pjson = serde_json::to_string(&presult).map_err(ServiceError::internal)?;
            term_repo::set_participant_final(
                c,
                contest_id,
                pboard.cast,
                &pboard.merkle_root,
                &pjson,
            )?;
            participants_cast = Some(pboard.cast);
        }
        actor.audit(
            c,
            Some(congress_id),
            "contest.finalise",
            Some(contest_id.as_str()),
            None,
            Some({
                let mut after = serde_json::json!({
                    "cast": built.cast,
                    "merkle_root": built.merkle_root,
                    "paper_missing": contest.paper_issued as i64 - entered,
                });
                if let Some(n) = participants_cast {
                    after["participants_cast"] = serde_json::json!(n);
                }
                after.to_string()
            }),
        )?;
        let contest = super::voting::contest(c, congress_id, contest_id)?;
        Ok((contest, result))
    })?;
    let proposed = propose_rounds(conn, actor, &contest, &result)?;
    Ok(Finalised {
        contest,
        result,
        proposed,
    })
}

/// Creates the draft contest of a proposed 再次投票 or 另行选举 among its contenders: listed
/// candidates with their details, write-in persons by name, to be confirmed by the organiser.
fn propose_rounds(
    conn: &mut DbConnection,
    actor: &Actor,
    parent: &Contest,
    result: &ContestResult,
) -> ServiceResult<Vec<Contest>> {
    let ContestDetail::Election(e) = &result.detail else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let rounds = [
        e.runoff
            .as_ref()
            .map(|r| (RoundKind::Runoff, r.seats, r.candidates.clone())),
        e.supplementary
            .as_ref()
            .map(|s| (RoundKind::Supplementary, s.seats, s.candidates.clone())),
    ];
    let parent_candidates = contests_repo::candidates(conn, &parent.id)?;
    for (kind, seats, contenders) in rounds.into_iter().flatten() {
        let zh = kind.zh();
        let def = ContestDefinition {
            title: format!("{} ({zh})", parent.def.title),
            body: format!(
                "根据“{}”的计票结果提出的{zh}, 应选 {seats} 名。",
                parent.def.title
            ),
            seats: Some(seats),
            margin_override: None,
            // 再次投票 is among the tied only (F2); 另行选举 keeps the first round's ballot.
            allow_write_in: kind != RoundKind::Runoff && parent.def.allow_write_in,
            ..parent.def.clone()
        };
        let child = contests_service::create(
            conn,
            actor,
            &parent.congress_id,
            ContestKind::Election,
            &def,
        )?;
        write_tx(conn, |c| {
            voting::set_round(c, &child.id, &parent.id, kind).map_err(ServiceError::from)
        })?;
        for w in contenders.iter().filter(|x| x.id.is_none()) {
            contests_service::add_write_in_person(
                conn,
                actor,
                &parent.congress_id,
                &child.id,
                &w.name,
            )?;
        }
        for k in contenders.iter().filter_map(|x| x.id.as_ref()) {
            if let Some(cand) = parent_candidates.iter().find(|p| &p.id == k) {
                let data = CandidateData {
                    name: cand.name.clone(),
                    student_no: cand.student_no.clone(),
                    college: cand.college.clone(),
                    gender: cand.gender,
                    political_status: cand.political_status.clone(),
                    rank_pct: cand.rank_pct,
                    failed_courses: cand.failed_courses,
                    eligibility_override: cand.eligibility_override.clone(),
                };
                contests_service::add_candidate(
                    conn,
                    actor,
                    &parent.congress_id,
                    &child.id,
                    &data,
                )?;
            }
        }
        out.push(super::voting::contest(
            conn,
            &parent.congress_id,
            &child.id,
        )?);
    }
    Ok(out)
}

/// 大会闭幕: every contest is final (drafts never opened are left out and say so).
pub fn close_congress(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let congress = super::congress::load(c, congress_id)?;
        Action::CloseCongress.check(congress.state)?;
        let contests = contests_repo::list(c, congress_id)?;
        let running: Vec<String> = contests
            .iter()
            .filter(|k| k.state.awaiting_count())
            .map(|k| format!("“{}”{}", k.def.title, k.state.zh()))
            .collect();
        if !running.is_empty() {
            return Err(ServiceError::Invalid {
                message: "还有未完成计票的事项, 不能闭幕".to_string(),
                details: running,
            });
        }
        let undecided: Vec<String> = contests
            .iter()
            .filter(|k| k.is_undecided_round())
            .map(|k| format!("“{}”: 请开始投票, 或选择“不举行”并说明理由", k.def.title))
            .collect();
        if !undecided.is_empty() {
            return Err(ServiceError::Invalid {
                message:
                    "计票后提出的再次投票或另行选举尚未举行, 也未决定不举行 (规则F2、F3), 不能闭幕"
                        .to_string(),
                details: undecided,
            });
        }
        if !contests.iter().any(|k| k.state.is_counted()) {
            return Err(ServiceError::invalid("还没有完成任何选举或表决, 不能闭幕"));
        }
        congress_repo::transition(
            c,
            congress_id,
            CongressState::InSession,
            CongressState::Closed,
        )?;
        let skipped = contests.iter().filter(|k| !k.state.has_opened()).count();
        actor.audit(
            c,
            Some(congress_id),
            "congress.close",
            None,
            None,
            Some(format!("{{\"drafts_not_held\":{skipped}}}")),
        )?;
        Ok(())
    })
}
