//! The vote: opening a contest (quorum; ballots issued frozen at opening, rule D2; the
//! contest's own RSA key for its ballot papers), the ballot paper a delegate sees, preparing a
//! signed ballot for the ballot box, paper ballots (E5), and closing (no ballot accepted after
//! it; what the storage keeps of the vote's order scrubbed).
//!
//! Secrecy (E1, `docs/threat-model.md`): a delegate's phone takes a blindly signed paper
//! (`papers`, roll entry written by the paper issuer) and later casts it anonymously
//! (`ballot_box`, ballot written by the box); the two are never in one transaction and share
//! nothing but the contest. A paper ballot is entered without any delegate: the roll entry was
//! made when the delegate was handed the paper, and its token is made and signed here.

use base64::Engine;

use crate::crypto::blind::{self, ContestKey, ContestPublicKey};
use crate::crypto::{canonical, sha256_hex, KeyStore};
use crate::domain::ballot::{is_canonical_base64, is_token_hex, Ballot, Choices, ElectionPaper};
use crate::domain::candidates::Candidate;
use crate::domain::contest::{Contest, ContestAction, ContestKind};
use crate::domain::ids::{CongressId, ContestId, DelegateId};
use crate::domain::review::ReviewDefinition;
use crate::domain::state::Action;
use crate::service::attendance;
use crate::service::ballot_box::Submission;
use crate::storage::models::BallotRow;
use crate::storage::repo::contests::{self as contests_repo};
use crate::storage::repo::credentials as cred_repo;
use crate::storage::repo::reviews as reviews_repo;
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
    /// 述职评议 only: who is reviewed on what, with which grades (H1).
    pub review: Option<ReviewDefinition>,
}

/// Loads contest `contest_id` of congress `congress_id` (404 when it belongs elsewhere).
pub fn contest(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<Contest> {
    contests_repo::get(conn, contest_id)?
        .filter(|c| &c.congress_id == congress_id)
        .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))
}

/// The ballot paper of a contest.
pub fn ballot_paper(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<BallotPaper> {
    let contest = contest(conn, congress_id, contest_id)?;
    let candidates = contests_repo::candidates(conn, contest_id)?;
    let election = (contest.kind == ContestKind::Election).then(|| ElectionPaper {
        seats: contest.def.seats.unwrap_or(0),
        candidates: candidates.iter().map(|c| c.id.clone()).collect(),
        candidate_names: candidates.iter().map(|c| c.name.clone()).collect(),
        allow_write_in: contest.def.allow_write_in,
    });
    let review = match contest.kind {
        ContestKind::Review => reviews_repo::get(conn, contest_id)?,
        _ => None,
    };
    Ok(BallotPaper {
        contest,
        candidates,
        election,
        review,
    })
}

/// Opens a draft contest: the congress is in session, the contest is ready (C1-C3, G2), and
/// 实到 meets the quorum (D2). The delegates present now are frozen as its voters and their
/// number is the ballots issued. The contest's ballot-paper key is made first (outside the
/// transaction: generating an RSA key takes a moment and must not hold the write lock); a key
/// left by an earlier attempt that failed is used again.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    keys: &KeyStore,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<Contest> {
    // Checked before the key is made, and again under the lock.
    contest(conn, congress_id, contest_id)?.check(ContestAction::Open)?;
    let key = contest_key(keys, congress_id, contest_id, true)?;
    let public = key.public_key();
    // A 评议会 counting its participants apart (I7): their own key, made outside the lock too.
    let participants_key = if super::term::participants::opens_participant_box(conn, congress_id)? {
        let k = super::term::participants::participant_key(keys, congress_id, contest_id, true)?;
        let p = k.public_key();
        Some((p.to_spki_pem(), p.fingerprint()))
    } else {
        None
    };
    write_tx(conn, |c| {
        // Serialises with contest edits (which take the same lock) on PostgreSQL.
        scrutineers::lock_congress(c, congress_id)?;
        let congress = super::congress::load(c, congress_id)?;
        Action::OpenContest.check(congress.state)?;
        let k = contest(c, congress_id, contest_id)?;
        k.check(ContestAction::Open)?;
        super::contests::ensure_ready(c, congress_id, contest_id)?;
        super::approval::check_contest_open(c, &congress, &k)?;
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
        voting::create_ballot_box(c, contest_id, &public.to_spki_pem(), &public.fingerprint())?;
        voting::set_open(c, contest_id, present.len(), fig.expected)?;
        let participants = super::term::participants::open_participant_box(
            c,
            congress_id,
            contest_id,
            participants_key.clone(),
        )?;
        let mut after = serde_json::json!({
            "issued": present.len(),
            "expected": fig.expected,
            "contest_key": public.fingerprint(),
        });
        if let (Some(n), Some((_, fingerprint))) = (participants, &participants_key) {
            after["participants_issued"] = serde_json::json!(n);
            after["participants_key"] = serde_json::json!(fingerprint);
        }
        actor.audit(
            c,
            Some(congress_id),
            "contest.open",
            Some(contest_id.as_str()),
            None,
            Some(after.to_string()),
        )?;
        contest_or_gone(c, contest_id)
    })
}

/// The contest's private ballot-paper key from the key directory; with `create`, made when
/// missing (opening).
pub fn contest_key(
    keys: &KeyStore,
    congress_id: &CongressId,
    contest_id: &ContestId,
    create: bool,
) -> ServiceResult<ContestKey> {
    match keys.load_contest_key(congress_id.as_str(), contest_id.as_str()) {
        Ok(k) => Ok(k),
        Err(crate::crypto::CryptoError::ContestKeyFileMissing { .. }) if create => keys
            .create_contest_key(congress_id.as_str(), contest_id.as_str())
            .map_err(ServiceError::internal),
        Err(e) => Err(ServiceError::internal(e)),
    }
}

fn contest_or_gone(c: &mut DbConnection, contest_id: &ContestId) -> ServiceResult<Contest> {
    contests_repo::get(c, contest_id)?
        .ok_or_else(|| ServiceError::NotFound(format!("选举或表决事项 {contest_id} 不存在")))
}

/// Closes an open contest: from this moment the ballot box refuses its ballots, its stored
/// ballots and roll no longer show the order in which they arrived, and (after the commit)
/// the storage drops what it kept of that order (`storage::scrub`: the SQLite WAL truncated,
/// PostgreSQL's dead row versions vacuumed).
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<Contest> {
    let closed = write_tx(conn, |c| {
        let congress = super::congress::load(c, congress_id)?;
        Action::CloseContest.check(congress.state)?;
        let contest = contest(c, congress_id, contest_id)?;
        contest.check(ContestAction::Close)?;
        if !voting::set_closed(c, contest_id)? {
            // Closed by another request meanwhile (PostgreSQL): refused as the contest is now.
            let now = contest_or_gone(c, contest_id)?;
            now.check(ContestAction::Close)?;
            return Err(ServiceError::Conflict(format!(
                "“{}”当前状态已改变, 请刷新后重试",
                now.def.title
            )));
        }
        // Nothing about arrival may outlive the vote (E1): see `rewrite_in_key_order`.
        voting::rewrite_in_key_order(c, contest_id)?;
        crate::storage::repo::term::rewrite_participants_in_key_order(c, contest_id)?;
        let cast = voting::ballot_count(c, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.close",
            Some(contest_id.as_str()),
            None,
            Some(format!("{{\"ballots\":{cast}}}")),
        )?;
        contest_or_gone(c, contest_id)
    })?;
    match crate::storage::scrub(conn) {
        Ok(true) => {}
        Ok(false) => tracing::warn!("scrub after close incomplete: a reader was still active"),
        Err(e) => tracing::warn!(error = %crate::errors::chain(&e), "scrub after close failed"),
    }
    Ok(closed)
}

/// Where a delegate stands in a contest, as the phone's waiting page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Open, entitled, no paper yet: the phone may take one (领票).
    MayTakePaper,
    /// Open, and a paper was issued to a phone (this one, or another device of the card):
    /// the server cannot tell whether it has been cast.
    PaperTaken,
    /// Cannot take a paper now, and why.
    Cannot(CannotVote),
}

/// Why a delegate cannot take a paper in a contest now (checked before the paper issuer for a
/// clear page; the issuer re-checks what matters inside its transaction).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CannotVote {
    #[error("本项尚未开始投票")]
    NotOpen,
    #[error("本项投票已经结束")]
    Closed,
    #[error("本项投票开始时您尚未签到, 按规则不能参加本项投票 (发出选票数在开始投票时确定)")]
    NotPresentAtOpening,
    #[error("监票人已为您登记纸质选票, 请用纸质选票投票")]
    OnPaper,
}

/// Where `delegate_id` stands in `contest` now.
pub fn standing(
    conn: &mut DbConnection,
    contest: &Contest,
    delegate_id: &DelegateId,
) -> ServiceResult<Standing> {
    if let Err(refusal) = contest.check(ContestAction::Vote) {
        return Ok(Standing::Cannot(if refusal.not_yet {
            CannotVote::NotOpen
        } else {
            CannotVote::Closed
        }));
    }
    Ok(match voting::roll_entry(conn, &contest.id, delegate_id)? {
        Some(r) if r.kind == voting::ROLL_PHONE => Standing::PaperTaken,
        Some(_) => Standing::Cannot(CannotVote::OnPaper),
        None if voting::is_voter(conn, &contest.id, delegate_id)? => Standing::MayTakePaper,
        None => Standing::Cannot(CannotVote::NotPresentAtOpening),
    })
}

/// The stored form of a ballot: canonical JSON and its SHA-256 (the tracker).
pub fn seal(ballot: &Ballot) -> ServiceResult<(String, String)> {
    let bytes = canonical(&ballot.to_value()).map_err(ServiceError::internal)?;
    let hash = sha256_hex(&bytes);
    let body = String::from_utf8(bytes).map_err(ServiceError::internal)?;
    Ok((body, hash))
}

/// Why a cast was refused before the ballot box (the request itself is wrong).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadPaper {
    #[error("本机没有本项的电子选票 (缺少选票凭证), 请返回投票事项页面领取")]
    Missing,
    #[error("选票凭证格式不对 (token 应为 128 个小写十六进制字符, 签名应为 base64)")]
    Malformed,
    #[error("选票凭证的签名无效: 不是本项投票的选票, 或已被改动")]
    BadSignature,
}

/// A signed ballot ready for the ballot box: the token and its signature checked against the
/// contest's public key, the v2 ballot sealed. No delegate is involved.
pub fn prepare(
    congress_id: &CongressId,
    contest_id: &ContestId,
    key: &ContestPublicKey,
    choices: Choices,
    token: &str,
    token_sig: &str,
) -> Result<Submission, BadPaper> {
    if token.is_empty() || token_sig.is_empty() {
        return Err(BadPaper::Missing);
    }
    if !is_token_hex(token) || !is_canonical_base64(token_sig) {
        return Err(BadPaper::Malformed);
    }
    let token_bytes = hex::decode(token).map_err(|_| BadPaper::Malformed)?;
    let sig = base64::engine::general_purpose::STANDARD
        .decode(token_sig)
        .map_err(|_| BadPaper::Malformed)?;
    key.verify(&token_bytes, &sig)
        .map_err(|_| BadPaper::BadSignature)?;
    let ballot = Ballot::signed(
        congress_id.as_str(),
        contest_id.as_str(),
        choices,
        token,
        token_sig,
    );
    let (body, ballot_hash) = seal(&ballot).map_err(|_| BadPaper::Malformed)?;
    Ok(Submission {
        contest_id: contest_id.clone(),
        token: token.to_string(),
        body,
        ballot_hash,
        participants: false,
    })
}

/// [`prepare`] for a paper signed with the contest's participants' key (rule I7): the same
/// ballot, for the participants' box.
pub fn prepare_participant(
    congress_id: &CongressId,
    contest_id: &ContestId,
    key: &ContestPublicKey,
    choices: Choices,
    token: &str,
    token_sig: &str,
) -> Result<Submission, BadPaper> {
    let mut sub = prepare(congress_id, contest_id, key, choices, token, token_sig)?;
    sub.participants = true;
    Ok(sub)
}

/// A scrutineer records that delegate `delegate_no` votes on paper in this contest: the
/// delegate goes on the roll (their phone can no longer take a paper here) and one more paper
/// ballot is issued.
pub fn assign_paper(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    delegate_no: u32,
) -> ServiceResult<String> {
    write_tx(conn, |c| {
        let contest = contest(c, congress_id, contest_id)?;
        contest.check(ContestAction::AssignPaper)?;
        if contest.kind == ContestKind::Review {
            // The paper form of a review grid is not entered by the scrutineers (rule H2).
            return Err(ServiceError::Conflict(
                "述职评议只在手机上填写评议表, 不发纸质评议表 (规则 H2)".to_string(),
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
            // Never two ballots: a delegate whose phone took a paper cannot be handed a paper
            // ballot too, even if the phone is lost (docs/rules.md, Decisions).
            return Err(ServiceError::Conflict(format!(
                "{} (代表编号 {delegate_no}) 已领取本项的电子选票 (手机) 或纸质选票, 每位代表只能领一张",
                d.student.name
            )));
        }
        actor.audit(
            c,
            Some(congress_id),
            "paper.assign",
            Some(contest_id.as_str()),
            None,
            Some(format!("{{\"delegate_no\":{delegate_no}}}")),
        )?;
        Ok(d.student.name)
    })
}

/// Enters the marks of one paper ballot from the ballot box (no delegate is named). Allowed
/// while the contest is open or closed (not yet counted), up to the number issued on paper.
/// The server makes the ballot's token and signs it with the contest key (`sign_token`): the
/// stored and published ballot looks like any other. Returns the ballot's hash.
pub fn enter_paper(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &ContestKey,
    congress_id: &CongressId,
    contest_id: &ContestId,
    choices: Choices,
) -> ServiceResult<String> {
    let raw = blind::new_token();
    let token = hex::encode(raw);
    let sig = key.sign_token(&raw).map_err(ServiceError::internal)?;
    let sig = base64::engine::general_purpose::STANDARD.encode(sig);
    let ballot = Ballot::signed(
        congress_id.as_str(),
        contest_id.as_str(),
        choices,
        &token,
        &sig,
    );
    let (body, hash) = seal(&ballot)?;
    write_tx(conn, |c| {
        let contest = contest(c, congress_id, contest_id)?;
        contest.check(ContestAction::EnterPaper)?;
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
                token: token.clone(),
                ballot_hash: hash.clone(),
                body: body.clone(),
            },
        )?;
        // The audit says that a paper ballot was entered and by whom, never its marks.
        actor.audit(
            c,
            Some(congress_id),
            "paper.enter",
            Some(contest_id.as_str()),
            None,
            Some(format!("{{\"entered\":{}}}", entered + 1)),
        )?;
        Ok(hash.clone())
    })
}
