//! A 评议会's participants counted apart (分开计票, rule I7): the meeting's setting, the
//! participants' cards (列席人员投票卡) and their login, the participants' ballot box opened
//! beside the delegates' when a contest opens (a second RSA key of the contest, the present
//! participants entitled), and issuing a participant's paper (领票).
//!
//! Participants vote with the delegates' protocol: the phone blinds a token, the
//! participants' key signs it blindly (the roll keeps the blinded message's hash and the blind
//! signature, never the token), and the unblinded paper is cast at the same anonymous box
//! (`/box`), which tells the groups apart by the key that signed the paper and stores the
//! ballot in `participant_ballots`. Participants are never delegates: not in 应到, 实到, the
//! quorum, the delegates' roll, board or result.

use crate::crypto::derive::derive_token;
use crate::crypto::KeyStore;
use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::state::CongressState;
use crate::domain::term::{MeetingKind, ParticipantVotes, MIN_APART_PARTICIPANTS};
use crate::service::credentials::token_hash;
use crate::service::papers::IssueRefusal;
use crate::service::voting::{CannotVote, Standing};
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::contests as contests_repo;
use crate::storage::repo::term::{self, Participant, ParticipantBox};
use crate::storage::{now_ms, write_tx, DbConnection, StorageError};

/// The key directory's id of a contest's participants' key (`<contest>-participants`), also
/// the id of its board, roll and public key in the filing packet.
pub fn participant_key_id(contest_id: &ContestId) -> ContestId {
    crate::packet::format::participants_id(contest_id.as_str()).into()
}

/// Sets how the participants of meeting `cid` weigh (I7): only a 评议会, only before any of
/// its contests opened, and `apart` only with at least [`MIN_APART_PARTICIPANTS`] listed.
pub fn set_participant_votes(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    votes: ParticipantVotes,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        crate::storage::repo::scrutineers::lock_congress(c, cid)?;
        let congress = crate::service::congress::load(c, cid)?;
        let m = term::meeting(c, cid)?.ok_or_else(|| {
            ServiceError::Conflict("这不是闭会期间的会议(常代会会议或评议会)".to_string())
        })?;
        if m.kind != MeetingKind::Review {
            return Err(ServiceError::Conflict(format!(
                "只有评议会有列席的学工部、校团委人员; “{}”是{}, 没有列席人员计票的设置 (规则I7)",
                congress.name,
                m.kind.zh()
            )));
        }
        if congress.state >= CongressState::Closed {
            return Err(ServiceError::Conflict(format!(
                "会议已经闭幕(当前状态“{}”), 不能再改列席人员计票方式",
                congress.state.zh()
            )));
        }
        if let Some(k) = contests_repo::list(c, cid)?
            .into_iter()
            .find(|k| k.state.has_opened())
        {
            return Err(ServiceError::Conflict(format!(
                "“{}”已经开始投票, 列席人员计票方式不能再改 (规则I7: 须在本次会议任何事项开始投票前设置)",
                k.def.title
            )));
        }
        let listed = term::participants(c, cid)?;
        if votes == ParticipantVotes::Apart && listed.len() < MIN_APART_PARTICIPANTS {
            return Err(ServiceError::invalid(format!(
                "列席人员只有 {} 名, 分开计票至少需要 {MIN_APART_PARTICIPANTS} 名 (规则I7: 人数太少时, 单独公布的列席人员计票结果会暴露个人的评议)",
                listed.len()
            )));
        }
        let before = m.participant_votes;
        term::set_participant_votes(c, cid, votes)?;
        actor.audit(
            c,
            Some(cid),
            "term.participant_votes",
            Some(cid.as_str()),
            Some(serde_json::json!({ "participant_votes": before.as_str() }).to_string()),
            Some(
                serde_json::json!({
                    "participant_votes": votes.as_str(),
                    "participants": listed.len(),
                })
                .to_string(),
            ),
        )?;
        Ok(())
    })
}

/// A participant's printed card: the participant and the token in its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantCard {
    pub participant: Participant,
    pub token: String,
}

fn card_token(key: &[u8], cid: &CongressId, pid: &str, issued_at: i64) -> String {
    let at = issued_at.to_string();
    derive_token(key, &["participant", cid.as_str(), pid, at.as_str()])
}

/// The cards of meeting `cid`'s participants (only when they are counted apart), issuing one
/// to each participant who has none yet (its token derived from the server's credential key,
/// only its SHA-256 stored, as a delegate's card). Printing is audited.
pub fn participant_cards(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    key: &[u8],
) -> ServiceResult<Vec<ParticipantCard>> {
    write_tx(conn, |c| {
        let m = term::meeting(c, cid)?;
        if m.map(|m| m.participant_votes) != Some(ParticipantVotes::Apart) {
            return Err(ServiceError::Conflict(
                "列席人员不计票, 没有列席人员投票卡 (可在本页设置为“分开计票”, 规则I7)".to_string(),
            ));
        }
        let congress = crate::service::congress::load(c, cid)?;
        if congress.state >= CongressState::Closed {
            return Err(ServiceError::Conflict(
                "会议已经闭幕, 列席人员投票卡不再使用".to_string(),
            ));
        }
        let mut out = Vec::new();
        let mut issued = 0;
        for mut p in term::participants(c, cid)? {
            let at = match p.issued_at {
                Some(at) => at,
                None => {
                    let at = now_ms();
                    let token = card_token(key, cid, &p.id, at);
                    term::set_participant_card(c, &p.id, &token_hash(&token), at)?;
                    p.issued_at = Some(at);
                    issued += 1;
                    at
                }
            };
            let token = card_token(key, cid, &p.id, at);
            out.push(ParticipantCard {
                participant: p,
                token,
            });
        }
        actor.audit(
            c,
            Some(cid),
            "term.participant_cards",
            Some(cid.as_str()),
            None,
            Some(serde_json::json!({ "cards": out.len(), "issued": issued }).to_string()),
        )?;
        Ok(out)
    })
}

/// A participant logged in with their card.
#[derive(Debug, Clone)]
pub struct ParticipantLogin {
    pub participant: Participant,
    pub congress: Congress,
    /// The card's issue time: the session's epoch.
    pub epoch: i64,
}

/// Logs a participant in with their card's token: the meeting must count participants apart
/// and be between issuing cards and closing.
pub fn participant_login(conn: &mut DbConnection, token: &str) -> ServiceResult<ParticipantLogin> {
    let h = token_hash(token.trim());
    let unknown =
        || ServiceError::NotFound("列席人员投票卡无效。请核对后重试, 或联系会务人员。".to_string());
    let (cid, p) = term::participant_by_token_hash(conn, &h)?.ok_or_else(unknown)?;
    let cid = CongressId::from(cid);
    let congress = congress_repo::get(conn, &cid)?.ok_or_else(unknown)?;
    let apart =
        term::meeting(conn, &cid)?.is_some_and(|m| m.participant_votes == ParticipantVotes::Apart);
    if !apart {
        return Err(ServiceError::Conflict(
            "本次会议的列席人员不计票, 投票卡不能使用".to_string(),
        ));
    }
    if congress.state >= CongressState::Closed {
        return Err(ServiceError::Conflict(
            "本次会议已经闭幕, 投票卡不再用于登录。".to_string(),
        ));
    }
    let epoch = p.issued_at.ok_or_else(unknown)?;
    Ok(ParticipantLogin {
        participant: p,
        congress,
        epoch,
    })
}

/// The participant of a session, if the session is still valid (same card issue).
pub fn session_participant(
    conn: &mut DbConnection,
    cid: &CongressId,
    pid: &str,
    epoch: i64,
) -> ServiceResult<Option<(Participant, Congress)>> {
    let Some(p) = term::participant(conn, cid, pid)? else {
        return Ok(None);
    };
    if p.issued_at != Some(epoch) {
        return Ok(None);
    }
    let apart =
        term::meeting(conn, cid)?.is_some_and(|m| m.participant_votes == ParticipantVotes::Apart);
    let Some(congress) = congress_repo::get(conn, cid)? else {
        return Ok(None);
    };
    Ok((apart && congress.state < CongressState::Closed).then_some((p, congress)))
}

/// Called inside the opening transaction of a contest of meeting `cid`: when its participants
/// are counted apart and at least [`MIN_APART_PARTICIPANTS`] of them are present, opens the
/// participants' box with `key` (PEM, fingerprint) and the present ones entitled. Returns the
/// papers issued to participants (`None` when they do not vote in this contest).
pub fn open_participant_box(
    c: &mut DbConnection,
    cid: &CongressId,
    contest_id: &ContestId,
    key: Option<(String, String)>,
) -> ServiceResult<Option<u32>> {
    let Some((pem, fingerprint)) = key else {
        return Ok(None);
    };
    let listed = term::participants(c, cid)?;
    let present: Vec<String> = listed
        .iter()
        .filter(|p| p.present)
        .map(|p| p.id.clone())
        .collect();
    if present.len() < MIN_APART_PARTICIPANTS {
        return Ok(None);
    }
    let issued = u32::try_from(present.len()).map_err(ServiceError::internal)?;
    let b = ParticipantBox {
        public_key_pem: pem,
        key_fingerprint: fingerprint,
        issued,
        listed: u32::try_from(listed.len()).map_err(ServiceError::internal)?,
        result: None,
    };
    term::open_participant_box(c, contest_id, &b, &present)?;
    Ok(Some(issued))
}

/// Whether the contests of meeting `cid` get a participants' box when they open: counted
/// apart, at least [`MIN_APART_PARTICIPANTS`] present now.
pub fn opens_participant_box(c: &mut DbConnection, cid: &CongressId) -> ServiceResult<bool> {
    let apart =
        term::meeting(c, cid)?.is_some_and(|m| m.participant_votes == ParticipantVotes::Apart);
    if !apart {
        return Ok(false);
    }
    let present = term::participants(c, cid)?
        .iter()
        .filter(|p| p.present)
        .count();
    Ok(present >= MIN_APART_PARTICIPANTS)
}

/// Makes (or reuses) the participants' key of a contest in the key directory.
pub fn participant_key(
    keys: &KeyStore,
    congress_id: &CongressId,
    contest_id: &ContestId,
    create: bool,
) -> ServiceResult<crate::crypto::blind::ContestKey> {
    crate::service::voting::contest_key(keys, congress_id, &participant_key_id(contest_id), create)
}

/// Where participant `pid` stands in `contest` now (as the delegates' `voting::standing`).
pub fn standing(c: &mut DbConnection, contest: &Contest, pid: &str) -> ServiceResult<Standing> {
    if let Err(refusal) = contest.check(ContestAction::Vote) {
        return Ok(Standing::Cannot(if refusal.not_yet {
            CannotVote::NotOpen
        } else {
            CannotVote::Closed
        }));
    }
    Ok(match term::participant_roll_entry(c, &contest.id, pid)? {
        Some(Some(_)) => Standing::PaperTaken,
        Some(None) => Standing::MayTakePaper,
        None => Standing::Cannot(CannotVote::NotPresentAtOpening),
    })
}

/// Records participant `pid`'s paper in `contest_id` (its blinded message's SHA-256 and the
/// participants' key's blind signature): the contest must be open and the participant
/// entitled; a retry with the same blinded message gets the same answer, another is refused.
pub fn issue_paper(
    conn: &mut DbConnection,
    contest_id: &ContestId,
    pid: &str,
    blinded_sha256: &str,
    blind_sig: &str,
) -> Result<Result<crate::service::papers::Issued, IssueRefusal>, StorageError> {
    use crate::service::papers::Issued;
    crate::storage::write_tx(conn, |c| {
        if !crate::service::ballot_box::accepts_ballots(c, contest_id)? {
            return Ok(Err(IssueRefusal::ContestNotOpen));
        }
        Ok(match term::participant_roll_entry(c, contest_id, pid)? {
            None => Err(IssueRefusal::NotEntitled),
            Some(Some((h, sig))) if h == blinded_sha256 => Ok(Issued {
                blind_sig: sig,
                replayed: true,
            }),
            Some(Some(_)) => Err(IssueRefusal::OtherDevice),
            Some(None) => {
                if term::issue_participant_paper(c, contest_id, pid, blinded_sha256, blind_sig)? {
                    Ok(Issued {
                        blind_sig: blind_sig.to_string(),
                        replayed: false,
                    })
                } else {
                    Err(IssueRefusal::OtherDevice)
                }
            }
        })
    })
}
