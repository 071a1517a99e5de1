//! A congress prepared by the machine through the same services the organiser's pages call:
//! accounts, the congress, the three imports, the generated roster, scrutineers, a presidium
//! election and two motions, then (optionally) the frozen roster, credentials and the opened
//! session. Used by the demo, `congress simulate` and `congress bench`.

use anyhow::{anyhow, Context};

use crate::crypto::KeyStore;
use crate::domain::contest::{ContestDefinition, ContestKind, MotionKind};
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::settings::{RuleProfile, Threshold};
use crate::domain::types::Level;
use crate::service::contests::{self as contests_service, CandidateData};
use crate::service::credentials::{self, Card};
use crate::service::roster::{self as roster_service, ImportKind};
use crate::service::scrutineers::{self, ScrutineerInput};
use crate::service::{self, Actor};
use crate::storage::repo::congress::CongressDetails;
use crate::storage::repo::scrutineers::ScrutineerRole;
use crate::storage::repo::users::{self, Role};
use crate::storage::DbConnection;

/// The organiser's files.
pub struct Files<'a> {
    pub enrolment: &'a [u8],
    pub societies: &'a [u8],
    pub nominees: &'a [u8],
    /// Presidium candidates; `None` picks 7 ordinary delegates of different colleges.
    pub candidates: Option<&'a [u8]>,
}

/// How far to take the congress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Files imported, roster generated, contests drafted (the roster is not frozen).
    Drafted,
    /// Roster frozen, credentials issued, session opened (check-in counts).
    InSession,
}

/// A prepared congress.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub congress_id: CongressId,
    pub election_id: ContestId,
    pub seats: u32,
    /// 工作报告 and 章程修正案.
    pub motion_ids: Vec<ContestId>,
    /// The delegates' cards (only at `Stage::InSession`).
    pub cards: Vec<Card>,
}

/// The organiser account `username`, created if missing; returns its id.
pub fn organiser(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    password: &str,
) -> anyhow::Result<String> {
    if let Some(u) = users::by_username(conn, username)? {
        return Ok(u.id);
    }
    Ok(service::accounts::create_user(conn, actor, username, Role::Organiser, password, false)?.id)
}

/// Prepares a congress of `owner` from `files` up to `stage`.
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    conn: &mut DbConnection,
    actor: &Actor,
    owner: &str,
    keys: &KeyStore,
    credential_key: &[u8],
    name: &str,
    files: &Files<'_>,
    stage: Stage,
) -> anyhow::Result<Prepared> {
    let details = CongressDetails {
        name: name.to_string(),
        school: "示范大学".to_string(),
        level: Level::School,
        session_no: 10,
        date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        place: "大学生活动中心报告厅".to_string(),
    };
    let congress =
        service::congress::create(conn, actor, owner, &details, &RuleProfile::default(), keys)?;
    let cid = congress.id.clone();
    for (kind, file, bytes) in [
        (ImportKind::Enrolment, "enrolment.csv", files.enrolment),
        (ImportKind::Societies, "societies.csv", files.societies),
        (ImportKind::Nominees, "nominees.csv", files.nominees),
    ] {
        roster_service::import_file(conn, actor, &cid, kind, file, bytes)
            .map_err(|e| anyhow!("{file}: {}", crate::service::ServiceError::from(e)))?;
    }
    let generated = roster_service::generate(conn, actor, &cid)?
        .map_err(|inf| anyhow!("无法生成代表名单: {inf}"))?;
    let delegates: Vec<_> = generated.roster.iter().map(|e| e.student.clone()).collect();

    let election = contests_service::create(
        conn,
        actor,
        &cid,
        ContestKind::Election,
        &ContestDefinition {
            title: "选举第十届学生会主席团成员".to_string(),
            body: "差额选举, 应选5名。".to_string(),
            motion_kind: None,
            seats: Some(5),
            allow_write_in: true,
            threshold: congress.settings.election_threshold,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        },
    )?;
    let candidates: Vec<CandidateData> = match files.candidates {
        Some(bytes) => {
            let table =
                crate::import::read_table("candidates.csv", bytes).map_err(|e| anyhow!("{e}"))?;
            crate::import::parse_candidates(&table)
                .map_err(|e| anyhow!("{e}"))?
                .into_iter()
                .map(CandidateData::from)
                .filter(|c| c.failed_courses == 0)
                .collect()
        }
        None => {
            // Seven ordinary delegates, taking the colleges in turn.
            let mut by_college: Vec<Vec<&crate::domain::types::Student>> = Vec::new();
            for s in delegates.iter().filter(|s| s.union_role.is_none()) {
                match by_college.iter_mut().find(|g| g[0].college == s.college) {
                    Some(g) => g.push(s),
                    None => by_college.push(vec![s]),
                }
            }
            let mut picked: Vec<CandidateData> = Vec::new();
            let mut round = 0;
            while picked.len() < 7 && by_college.iter().any(|g| g.len() > round) {
                for g in &by_college {
                    if let Some(s) = g.get(round).filter(|_| picked.len() < 7) {
                        picked.push(CandidateData {
                            name: s.name.clone(),
                            student_no: s.student_no.clone(),
                            college: s.college.clone(),
                            gender: Some(s.gender),
                            political_status: "共青团员".to_string(),
                            rank_pct: Some(5 + 3 * picked.len() as u32),
                            failed_courses: 0,
                            eligibility_override: None,
                        });
                    }
                }
                round += 1;
            }
            picked
        }
    };
    contests_service::add_candidates(
        conn,
        actor,
        &cid,
        &election.id,
        "candidates.csv",
        &candidates,
    )
    .context("主席团候选人")?;
    // Rules C5, C6: the list approved, submitted to the upper 学联 and publicly noticed, on
    // dates already past, through the services (signed steps in the packet).
    let key = keys.load(cid.as_str())?;
    service::approval::prior::record_past_list_steps(conn, actor, &key, &cid, &election.id)
        .context("主席团候选人名单的审批与公示")?;
    let mut motion_ids = Vec::new();
    for (title, body, kind) in [
        (
            "审议学生会工作报告",
            "审议第九届学生会主席团所作的工作报告。",
            MotionKind::WorkReport,
        ),
        (
            "审议《学生会章程》修正案",
            "审议《示范大学学生会章程》修正案(草案)。",
            MotionKind::Charter,
        ),
    ] {
        let m = contests_service::create(
            conn,
            actor,
            &cid,
            ContestKind::Motion,
            &ContestDefinition {
                title: title.to_string(),
                body: body.to_string(),
                motion_kind: Some(kind),
                seats: None,
                allow_write_in: false,
                threshold: if kind == MotionKind::Charter {
                    Threshold::CHARTER
                } else {
                    Threshold::ORDINARY
                },
                margin_override: None,
                election_kind: None,
                threshold_reason: None,
            },
        )?;
        motion_ids.push(m.id);
    }
    // Scrutineers are delegates who are not candidates (rule G2).
    let scrutineer_pool: Vec<_> = delegates
        .iter()
        .filter(|s| !candidates.iter().any(|c| c.student_no == s.student_no))
        .take(4)
        .collect();
    let roles = [
        ScrutineerRole::Chief,
        ScrutineerRole::Scrutineer,
        ScrutineerRole::Scrutineer,
        ScrutineerRole::Counter,
    ];
    for (s, role) in scrutineer_pool.iter().zip(roles) {
        scrutineers::add(
            conn,
            actor,
            &cid,
            &ScrutineerInput {
                role,
                name: s.name.clone(),
                student_no: Some(s.student_no.clone()),
                username: None,
            },
        )?;
    }
    let mut cards = Vec::new();
    if stage >= Stage::InSession {
        roster_service::freeze(conn, actor, &cid)?;
        credentials::issue(conn, actor, &cid, credential_key)?;
        // Rule G4: the application to convene answered before the session is declared open.
        service::approval::prior::record_convene_reply(conn, actor, &key, &cid)
            .context("申请召开学代会及上级学联的答复")?;
        service::attendance::open_session(conn, actor, &cid)?;
        cards = credentials::cards(conn, &cid, None, credential_key)?;
    }
    Ok(Prepared {
        congress_id: cid,
        election_id: election.id,
        seats: 5,
        motion_ids,
        cards,
    })
}
