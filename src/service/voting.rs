//! The vote: opening a contest (quorum; ballots issued frozen at opening, rule D2), the ballot
//! paper a delegate sees, preparing a phone ballot for the ballot box, paper ballots (E5), and
//! closing (no ballot accepted after it).
//!
//! Secrecy (E1): a phone ballot goes through `ballot_box`, which writes the ballot and the
//! roll entry in one transaction and links them nowhere. A paper ballot is entered without any
//! delegate: the roll entry was made when the delegate was handed the paper.

use crate::crypto::{canonical, sha256_hex, token::new_ballot_id};
use crate::domain::ballot::{Ballot, Choices, ElectionPaper};
use crate::domain::candidates::Candidate;
use crate::domain::state::Action;
use crate::service::attendance;
use crate::service::ballot_box::Submission;
use crate::storage::models::BallotRow;
use crate::storage::repo::contests::{self as contests_repo, Contest, ContestKind, ContestState};
use crate::storage::repo::credentials as cred_repo;
use crate::storage::repo::roster as roster_repo;
use crate::storage::repo::scrutineers;
use crate::storage::repo::voting;
use crate::storage::{write_tx, DbConnection};

use super::{Actor, ServiceError, ServiceResult};

/// A contest as a voter sees it: the contest, its candidates in ballot order, and for an
/// election the ballot paper (seats, candidate ids, write-ins).
#[derive(Debug, Clone)]
pub struct BallotPaper {
    pub contest: Contest,
    pub candidates: Vec<Candidate>,
    pub election: Option<ElectionPaper>,
}

/// Loads contest `contest_id` of congress `congress_id` (404 when it belongs elsewhere).
pub fn contest(
    conn: &mut DbConnection,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<Contest> {
    contests_repo::get(conn, contest_id)?
        .filter(|c| c.congress_id == congress_id)
        .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))
}

/// The ballot paper of a contest.
pub fn ballot_paper(
    conn: &mut DbConnection,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<BallotPaper> {
    let contest = contest(conn, congress_id, contest_id)?;
    let candidates = contests_repo::candidates(conn, contest_id)?;
    let election = (contest.kind == ContestKind::Election).then(|| ElectionPaper {
        seats: contest.def.seats.unwrap_or(0),
        candidates: candidates.iter().map(|c| c.id.clone()).collect(),
        candidate_names: candidates.iter().map(|c| c.name.clone()).collect(),
        allow_write_in: contest.def.allow_write_in,
    });
    Ok(BallotPaper {
        contest,
        candidates,
        election,
    })
}

/// Opens a draft contest: the congress is in session, the contest is ready (C1-C3, G2), and
/// 实到 meets the quorum (D2). The delegates present now are frozen as its voters and their
/// number is the ballots issued.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<Contest> {
    write_tx(conn, |c| {
        // Serialises with contest edits (which take the same lock) on PostgreSQL.
        scrutineers::lock_congress(c, congress_id)?;
        let congress = super::congress::load(c, congress_id)?;
        Action::OpenContest.check(congress.state)?;
        let contest = contest(c, congress_id, contest_id)?;
        if contest.not_held_reason.is_some() {
            super::contests::ensure_draft(&contest)?;
        }
        if contest.state != ContestState::Draft {
            return Err(ServiceError::Conflict(format!(
                "“{}”当前状态为“{}”, 不能再次开始投票",
                contest.def.title,
                contest.state.zh()
            )));
        }
        super::contests::ensure_ready(c, congress_id, contest_id)?;
        let (fig, _) = attendance::attendance(c, congress_id)?;
        if !fig.quorum_met {
            return Err(ServiceError::Invalid {
                message: format!(
                    "未达到法定人数, 不能开始投票: 实到 {} 人, 须{}应到 {} 人, 即至少 {} 人 (规则D2)",
                    fig.present, fig.quorum_rule, fig.expected, fig.quorum_needed
                ),
                details: Vec::new(),
            });
        }
        let present = cred_repo::present_ids(c, congress_id)?;
        voting::freeze_voters(c, contest_id, &present)?;
        voting::set_open(c, contest_id, present.len() as u32, fig.expected as u32)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.open",
            Some(contest_id),
            None,
            Some(format!(
                "{{\"issued\":{},\"expected\":{}}}",
                present.len(),
                fig.expected
            )),
        )?;
        contest_or_gone(c, contest_id)
    })
}

fn contest_or_gone(c: &mut DbConnection, contest_id: &str) -> ServiceResult<Contest> {
    contests_repo::get(c, contest_id)?
        .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))
}

/// Closes an open contest: from this moment the ballot box refuses its ballots, and its
/// stored ballots and roll no longer show the order in which they arrived.
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &str,
    contest_id: &str,
) -> ServiceResult<Contest> {
    write_tx(conn, |c| {
        let congress = super::congress::load(c, congress_id)?;
        Action::CloseContest.check(congress.state)?;
        let contest = contest(c, congress_id, contest_id)?;
        if !voting::set_closed(c, contest_id)? {
            return Err(ServiceError::Conflict(format!(
                "“{}”当前状态为“{}”, 不在投票中",
                contest.def.title,
                contest.state.zh()
            )));
        }
        // Nothing about arrival may outlive the vote (E1): see `rewrite_in_key_order`.
        voting::rewrite_in_key_order(c, contest_id)?;
        let cast = voting::ballot_count(c, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.close",
            Some(contest_id),
            None,
            Some(format!("{{\"ballots\":{cast}}}")),
        )?;
        contest_or_gone(c, contest_id)
    })
}

/// Why a delegate cannot vote in a contest now (checked before the ballot box, for a clear
/// page; the ballot box re-checks what matters inside its transaction).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CannotVote {
    #[error("本项尚未开始投票")]
    NotOpen,
    #[error("本项投票已经结束")]
    Closed,
    #[error("本项投票开始时您尚未签到, 按规则不能参加本项投票 (发出选票数在开始投票时确定)")]
    NotPresentAtOpening,
    #[error("您已经在本项投过票, 或已登记使用纸质选票")]
    AlreadyOnRoll,
}

/// Whether `delegate_id` may vote in `contest` now.
pub fn may_vote(
    conn: &mut DbConnection,
    contest: &Contest,
    delegate_id: &str,
) -> ServiceResult<Result<(), CannotVote>> {
    Ok(match contest.state {
        ContestState::Draft => Err(CannotVote::NotOpen),
        ContestState::Closed | ContestState::Final => Err(CannotVote::Closed),
        ContestState::Open => {
            if !voting::is_voter(conn, &contest.id, delegate_id)? {
                Err(CannotVote::NotPresentAtOpening)
            } else if voting::on_roll(conn, &contest.id, delegate_id)? {
                Err(CannotVote::AlreadyOnRoll)
            } else {
                Ok(())
            }
        }
    })
}

/// The stored form of a ballot: canonical JSON and its SHA-256 (the tracker).
pub fn seal(ballot: &Ballot) -> ServiceResult<(String, String)> {
    let bytes = canonical(&ballot.to_value()).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let hash = sha256_hex(&bytes);
    let body = String::from_utf8(bytes).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok((body, hash))
}

/// A phone ballot ready for the ballot box. `ballot_id` comes from the form the delegate
/// was shown (fresh randomness per form), so a retried submission carries the same id.
pub fn prepare(
    congress_id: &str,
    contest_id: &str,
    delegate_id: &str,
    ballot_id: &str,
    choices: Choices,
) -> ServiceResult<Submission> {
    if ballot_id.len() != 32
        || !ballot_id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(ServiceError::invalid(
            "选票编号无效, 请刷新投票页面后重新填写",
        ));
    }
    let ballot = Ballot {
        congress: congress_id.to_string(),
        contest: contest_id.to_string(),
        id: ballot_id.to_string(),
        choices,
        paper: false,
    };
    let (body, ballot_hash) = seal(&ballot)?;
    Ok(Submission {
        contest_id: contest_id.to_string(),
        delegate_id: delegate_id.to_string(),
        ballot_id: ballot_id.to_string(),
        body,
        ballot_hash,
    })
}

/// A scrutineer records that delegate `delegate_no` votes on paper in this contest: the
/// delegate goes on the roll (their phone can no longer vote here) and one more paper ballot
/// is issued.
pub fn assign_paper(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &str,
    contest_id: &str,
    delegate_no: u32,
) -> ServiceResult<String> {
    write_tx(conn, |c| {
        let contest = contest(c, congress_id, contest_id)?;
        if contest.state != ContestState::Open {
            return Err(ServiceError::Conflict(
                "只能在投票进行中登记纸质选票".to_string(),
            ));
        }
        let d = roster_repo::delegate_by_no(c, congress_id, delegate_no)?
            .ok_or_else(|| ServiceError::NotFound(format!("代表编号 {delegate_no} 不存在")))?;
        if !voting::is_voter(c, contest_id, &d.id)? {
            return Err(ServiceError::Conflict(format!(
                "{} (代表编号 {delegate_no}) 在本项开始投票时未签到, 不能投票",
                d.student.name
            )));
        }
        if !voting::assign_paper(c, contest_id, &d.id)? {
            return Err(ServiceError::Conflict(format!(
                "{} (代表编号 {delegate_no}) 已经投过票或已领取纸质选票",
                d.student.name
            )));
        }
        actor.audit(
            c,
            Some(congress_id),
            "paper.assign",
            Some(contest_id),
            None,
            Some(format!("{{\"delegate_no\":{delegate_no}}}")),
        )?;
        Ok(d.student.name)
    })
}

/// Enters the marks of one paper ballot from the ballot box (no delegate is named). Allowed
/// while the contest is open or closed (not yet counted), up to the number issued on paper.
/// Returns the ballot's hash.
pub fn enter_paper(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &str,
    contest_id: &str,
    choices: Choices,
) -> ServiceResult<String> {
    let ballot = Ballot {
        congress: congress_id.to_string(),
        contest: contest_id.to_string(),
        id: new_ballot_id(),
        choices,
        paper: true,
    };
    let (body, hash) = seal(&ballot)?;
    write_tx(conn, |c| {
        let contest = contest(c, congress_id, contest_id)?;
        if !matches!(contest.state, ContestState::Open | ContestState::Closed) {
            return Err(ServiceError::Conflict(format!(
                "“{}”当前状态为“{}”, 不能录入纸质选票",
                contest.def.title,
                contest.state.zh()
            )));
        }
        let entered = voting::paper_entered(c, contest_id)?;
        if entered >= contest.paper_issued as i64 {
            return Err(ServiceError::Conflict(format!(
                "纸质选票已全部录入: 发出 {} 张, 已录入 {entered} 张",
                contest.paper_issued
            )));
        }
        voting::insert_paper_ballot(
            c,
            &BallotRow {
                contest_id: contest_id.to_string(),
                id: ballot.id.clone(),
                ballot_hash: hash.clone(),
                body: body.clone(),
                paper: true,
            },
        )?;
        // The audit says that a paper ballot was entered and by whom, never its marks.
        actor.audit(
            c,
            Some(congress_id),
            "paper.enter",
            Some(contest_id),
            None,
            Some(format!("{{\"entered\":{}}}", entered + 1)),
        )?;
        Ok(hash.clone())
    })
}
