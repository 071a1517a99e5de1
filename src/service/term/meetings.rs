//! Meetings between congresses (rules I4, I5): creating one from the frozen standing list, a
//! 评议会's named participants, and a removal vote (罢免) naming a presidium member.

use crate::crypto::KeyStore;
use crate::domain::candidates::Candidate;
use crate::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::state::{Action, CongressState};
use crate::domain::term::{MeetingKind, Member};
use crate::errors::context;
use crate::service::congress::{load, validate_details};
use crate::service::{audit_json, Actor, ServiceError, ServiceResult};
use crate::storage::repo::congress::{self as congress_repo, Congress, CongressDetails};
use crate::storage::repo::contests as contests_repo;
use crate::storage::repo::{new_id, roster as roster_repo, scrutineers, term};
use crate::storage::{write_tx, DbConnection};

use super::view::presidium_of;

/// Longest participant name or unit accepted.
pub const MAX_PARTICIPANT_CHARS: usize = 50;

/// What the organiser gives for a meeting; school, level and 届次 are the congress's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetails {
    pub kind: MeetingKind,
    pub name: String,
    pub date: String,
    pub place: String,
}

/// Creates a meeting in the term of `parent_id`: a congress row of its own (own signing key,
/// the congress's rule profile, its enrolment and societies for the roster summary) whose
/// roster is the frozen standing list in delegate-number order, already frozen. Each meeting
/// issues its own cards (H, "cards").
pub fn create_meeting(
    conn: &mut DbConnection,
    actor: &Actor,
    parent_id: &CongressId,
    m: &MeetingDetails,
    keys: &KeyStore,
) -> ServiceResult<Congress> {
    let parent = load(conn, parent_id)?;
    let details = CongressDetails {
        name: m.name.trim().to_string(),
        school: parent.school.clone(),
        level: parent.level,
        session_no: parent.session_no,
        date: m.date.trim().to_string(),
        place: m.place.trim().to_string(),
    };
    validate_details(&details)?;
    if details.date < parent.date {
        return Err(ServiceError::invalid(format!(
            "会议日期{}早于学生代表大会的日期{}",
            details.date, parent.date
        )));
    }
    let id = CongressId::from(new_id("c"));
    std::fs::create_dir_all(&keys.dir).map_err(|e| {
        ServiceError::internal(context(
            format!("无法创建密钥目录 {}", keys.dir.display()),
            e,
        ))
    })?;
    let key = keys.create(id.as_str()).map_err(ServiceError::internal)?;
    let public = key.public_key();
    let result = write_tx(conn, |c| {
        let parent = load(c, parent_id)?;
        super::term_congress(c, &parent)?;
        if term::frozen(c, parent_id)?.is_none() {
            return Err(ServiceError::Conflict(
                "常任代表名单尚未冻结: 请先推荐并冻结常任代表名单, 再召开闭会期间的会议"
                    .to_string(),
            ));
        }
        let ids = term::standing_ids(c, parent_id)?;
        let roster: Vec<_> = roster_repo::delegates(c, parent_id)?
            .into_iter()
            .filter(|d| ids.contains(&d.id))
            .map(|d| crate::domain::types::RosterEntry {
                student: d.student,
                kind: d.kind,
                row: None,
            })
            .collect();
        congress_repo::create(c, &id, &details, &parent.owner_id, &parent.settings)?;
        congress_repo::set_key(c, &id, &public.to_spki_pem(), &public.fingerprint())?;
        let enrolment = roster_repo::enrolment(c, parent_id)?;
        roster_repo::replace_enrolment(c, &id, &enrolment)?;
        let societies = roster_repo::societies(c, parent_id)?;
        roster_repo::replace_societies(c, &id, &societies)?;
        roster_repo::replace_roster(c, &id, &roster)?;
        congress_repo::transition(c, &id, CongressState::Setup, CongressState::RosterFrozen)?;
        term::insert_meeting(c, &id, parent_id, m.kind)?;
        let after = serde_json::json!({
            "meeting": id,
            "kind": m.kind.as_str(),
            "name": details.name,
            "date": details.date,
            "delegates": roster.len(),
        });
        actor.audit(
            c,
            Some(parent_id),
            "term.meeting_create",
            Some(id.as_str()),
            None,
            Some(after.to_string()),
        )?;
        actor.audit(
            c,
            Some(&id),
            "term.meeting_create",
            Some(id.as_str()),
            None,
            Some(after.to_string()),
        )?;
        load(c, &id)
    });
    if result.is_err() {
        // Nothing refers to the new key: remove it rather than leave an orphan.
        for p in [keys.key_path(id.as_str()), keys.pub_path(id.as_str())]
            .into_iter()
            .flatten()
        {
            let _ = std::fs::remove_file(p);
        }
    }
    result
}

/// The meeting `cid` or a refusal saying it is not one.
fn meeting(c: &mut DbConnection, cid: &CongressId) -> ServiceResult<term::Meeting> {
    term::meeting(c, cid)?.ok_or_else(|| {
        ServiceError::Conflict("这不是闭会期间的会议(常代会会议或评议会)".to_string())
    })
}

/// Adds a named participant (学工部, 校团委, ...) to a 评议会 before it closes. Participants
/// attend without a vote: not in 应到 or 实到, never given a ballot paper.
pub fn add_participant(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    name: &str,
    unit: &str,
) -> ServiceResult<String> {
    let (name, unit) = (name.trim(), unit.trim());
    let mut problems = Vec::new();
    for (label, v) in [("姓名", name), ("单位", unit)] {
        if v.is_empty() {
            problems.push(format!("“{label}”不能为空"));
        } else if v.chars().count() > MAX_PARTICIPANT_CHARS {
            problems.push(format!("“{label}”过长(最多{MAX_PARTICIPANT_CHARS}个字符)"));
        }
    }
    if !problems.is_empty() {
        return Err(ServiceError::Invalid {
            message: "参会人员信息有误".to_string(),
            details: problems,
        });
    }
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        if meeting(c, cid)?.kind != MeetingKind::Review {
            return Err(ServiceError::Conflict(
                "只有评议会有列席的学工部、校团委人员".to_string(),
            ));
        }
        Action::EditScrutineers.check(congress.state)?;
        let id = term::add_participant(c, cid, name, unit)?;
        actor.audit(
            c,
            Some(cid),
            "term.participant_add",
            Some(&id),
            None,
            Some(serde_json::json!({ "name": name, "unit": unit }).to_string()),
        )?;
        Ok(id)
    })
}

/// Checks a participant in (or out) while the meeting is in session.
pub fn set_participant_present(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    participant: &str,
    present: bool,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        meeting(c, cid)?;
        Action::CheckIn.check(congress.state)?;
        if !term::set_participant_present(c, cid, participant, present)? {
            return Err(ServiceError::NotFound(format!(
                "参会人员 {participant} 不存在"
            )));
        }
        actor.audit(
            c,
            Some(cid),
            "term.participant_present",
            Some(participant),
            None,
            Some(serde_json::json!({ "present": present }).to_string()),
        )?;
        Ok(())
    })
}

/// Drafts a removal vote (罢免, I4) on `member`, who must be in the presidium as the records
/// make it now: a motion of kind `removal` whose one candidate row names the member (so the
/// signed record names them), passing by default with for > 1/2 of 应到.
pub fn propose_removal(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    member: &Member,
) -> ServiceResult<ContestId> {
    let contest_id = ContestId::from(new_id("t"));
    write_tx(conn, |c| {
        let m = meeting(c, cid)?;
        let seats = presidium_of(c, &m.parent_id)?;
        if !seats.iter().any(|s| &s.member == member) {
            return Err(ServiceError::invalid(format!(
                "{}({})不是现任主席团成员, 不能提出罢免",
                member.name, member.college
            )));
        }
        scrutineers::lock_congress(c, cid)?;
        let congress = load(c, cid)?;
        Action::EditContests.check(congress.state)?;
        let def = ContestDefinition {
            title: format!("罢免{}的主席团成员职务", member.name),
            body: format!(
                "提请常任代表表决: 罢免{}({})的学生会主席团成员职务。须经应到常任代表过半数同意(规则I4)。",
                member.name, member.college
            ),
            motion_kind: Some(MotionKind::Removal),
            seats: None,
            allow_write_in: false,
            threshold: MotionKind::Removal.default_threshold(),
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        };
        let def = crate::service::contests::validate(&congress, ContestKind::Motion, &def)?;
        let contest = contests_repo::insert(c, &contest_id, cid, ContestKind::Motion, &def)?;
        let named = Candidate {
            id: new_id("k"),
            name: member.name.clone(),
            student_no: member.student_no.clone(),
            college: member.college.clone(),
            gender: None,
            political_status: String::new(),
            rank_pct: None,
            failed_courses: 0,
            eligibility_override: None,
            organiser_order: 1,
        };
        contests_repo::insert_candidate(c, &contest_id, &named, 1)?;
        actor.audit(
            c,
            Some(cid),
            "term.removal_propose",
            Some(contest_id.as_str()),
            None,
            audit_json(&contest)?,
        )?;
        Ok(contest_id)
    })
}
