//! What the term's pages show: the standing list and its check, the meetings, the presidium
//! as the certified records make it (I5), and the timeline (I6).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::contest::{ContestKind, ContestState};
use crate::domain::ids::{CandidateId, CongressId, ContestId, DelegateId};
use crate::domain::state::CongressState;
use crate::domain::tally::ContestDetail;
use crate::domain::term::{
    presidium, timeline, Change, Entry, MeetingAt, Member, ReviewAt, Seat, StandingReport, Term,
};
use crate::packet::format::{Record, RecordContest};
use crate::service::congress::load;
use crate::service::{ServiceError, ServiceResult};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::roster::{self as roster_repo, Delegate};
use crate::storage::repo::term::{self, Frozen, Meeting, Participant};
use crate::storage::repo::{contests as contests_repo, records};
use crate::storage::DbConnection;

/// Today in China Standard Time.
pub fn today_cst() -> NaiveDate {
    let now = chrono::Utc::now();
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(cst) => now.with_timezone(&cst).date_naive(),
        None => now.date_naive(),
    }
}

/// One meeting of the term, with its congress row.
#[derive(Debug, Clone)]
pub struct MeetingLine {
    pub meeting: Meeting,
    pub congress: Congress,
}

/// Everything the term page of a congress, or of a meeting, shows.
#[derive(Debug, Clone)]
pub struct TermOverview {
    /// The congress whose term this is.
    pub congress: Congress,
    /// Set when the page is a meeting's: the meeting and its congress row.
    pub meeting: Option<MeetingLine>,
    pub quotas: BTreeMap<String, u32>,
    /// The congress's delegates (to nominate from) and the nominated ones' ids.
    pub delegates: Vec<Delegate>,
    pub standing: Vec<DelegateId>,
    pub report: StandingReport,
    pub frozen: Option<Frozen>,
    pub meetings: Vec<MeetingLine>,
    pub presidium: Vec<Seat>,
    pub timeline: Vec<Entry>,
    /// A 评议会's named participants.
    pub participants: Vec<Participant>,
    /// The meeting's delegates (its 应到 before absences): the standing delegates.
    pub meeting_roster: usize,
    /// A contest of the meeting has opened: how participants weigh is fixed (I7).
    pub meeting_voting_started: bool,
}

/// The term page of `cid`: a congress, or a meeting (then the data of its congress's term,
/// and the meeting).
pub fn overview(
    conn: &mut DbConnection,
    cid: &CongressId,
    today: NaiveDate,
) -> ServiceResult<TermOverview> {
    let here = load(conn, cid)?;
    let (congress, meeting) = match term::meeting(conn, cid)? {
        Some(m) => (
            load(conn, &m.parent_id)?,
            Some(MeetingLine {
                meeting: m,
                congress: here,
            }),
        ),
        None => (here, None),
    };
    let pid = congress.id.clone();
    let meetings = meetings(conn, &pid)?;
    let date = NaiveDate::parse_from_str(&congress.date, "%Y-%m-%d").map_err(|e| {
        ServiceError::internal(crate::errors::context(
            format!("congress {pid}: date {}", congress.date),
            e,
        ))
    })?;
    let mut at = Vec::new();
    for m in &meetings {
        let Ok(date) = NaiveDate::parse_from_str(&m.congress.date, "%Y-%m-%d") else {
            continue;
        };
        let reviews = contests_repo::list(conn, &m.congress.id)?
            .into_iter()
            .filter(|k| k.kind == ContestKind::Review && k.not_held_reason.is_none())
            .map(|k| ReviewAt {
                counted: k.state == ContestState::Final,
                contest_id: k.id.into_string(),
                title: k.def.title,
            })
            .collect();
        at.push(MeetingAt {
            id: m.congress.id.to_string(),
            name: m.congress.name.clone(),
            kind: m.meeting.kind,
            date,
            held: m.congress.state >= CongressState::Closed,
            reviews,
        });
    }
    let (participants, meeting_roster, meeting_voting_started) = match &meeting {
        Some(m) => (
            term::participants(conn, &m.congress.id)?,
            roster_repo::delegates(conn, &m.congress.id)?.len(),
            contests_repo::list(conn, &m.congress.id)?
                .iter()
                .any(|k| k.state.has_opened()),
        ),
        None => (Vec::new(), 0, false),
    };
    Ok(TermOverview {
        quotas: term::quotas(conn, &pid)?,
        delegates: roster_repo::delegates(conn, &pid)?,
        standing: term::standing_ids(conn, &pid)?,
        report: super::check_now(conn, &pid)?,
        frozen: term::frozen(conn, &pid)?,
        presidium: presidium_of(conn, &pid)?,
        timeline: timeline(
            Term::of(
                date,
                congress.settings.term_years,
                congress.settings.semester_starts,
            ),
            &at,
            today,
        ),
        meetings,
        participants,
        meeting_roster,
        meeting_voting_started,
        meeting,
        congress,
    })
}

/// The meetings of a congress's term, by date then creation.
fn meetings(conn: &mut DbConnection, parent: &CongressId) -> ServiceResult<Vec<MeetingLine>> {
    let mut out = Vec::new();
    for m in term::meetings_of(conn, parent)? {
        let congress = load(conn, &m.congress_id)?;
        out.push(MeetingLine {
            meeting: m,
            congress,
        });
    }
    out.sort_by(|a, b| a.congress.date.cmp(&b.congress.date));
    Ok(out)
}

/// The signed record of `cid`, if certified.
fn record(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<Option<Record>> {
    let Some(row) = records::get(conn, cid)? else {
        return Ok(None);
    };
    serde_json::from_str(&row.record_json)
        .map(Some)
        .map_err(|e| ServiceError::internal(crate::errors::context(format!("record of {cid}"), e)))
}

/// The member a record's candidate id names, with the candidate row's 学号.
fn member(
    conn: &mut DbConnection,
    contest: &RecordContest,
    id: Option<&str>,
    name: &str,
) -> ServiceResult<Member> {
    let listed = id.and_then(|id| contest.candidates.iter().find(|k| k.id == id));
    let student_no = match id {
        Some(id) => {
            contests_repo::candidate(conn, &ContestId::from(&contest.id), &CandidateId::from(id))?
                .map(|k| k.student_no)
                .unwrap_or_default()
        }
        None => String::new(),
    };
    Ok(Member {
        name: name.to_string(),
        college: listed.map(|k| k.college.clone()).unwrap_or_default(),
        student_no,
    })
}

/// The changes one certified record makes to the presidium, in agenda order: the elected of
/// each presidium election, the member named by each removal (罢免) that passed.
fn changes(conn: &mut DbConnection, record: &Record, out: &mut Vec<Change>) -> ServiceResult<()> {
    let source = record.congress.name.clone();
    for contest in &record.contests {
        match &contest.result.detail {
            ContestDetail::Election(e)
                if contest.election_kind.as_deref().unwrap_or("presidium") == "presidium" =>
            {
                for c in &e.elected {
                    out.push(Change::Elected {
                        member: member(conn, contest, c.id.as_deref(), &c.name)?,
                        source: source.clone(),
                    });
                }
            }
            ContestDetail::Motion(m)
                if m.passed && contest.motion_kind.as_deref() == Some("removal") =>
            {
                if let Some(k) = contest.candidates.first() {
                    out.push(Change::Removed {
                        member: member(conn, contest, Some(&k.id), &k.name)?,
                        source: source.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The presidium of the congress `cid` now (I5): elected at the congress, then removed or
/// added at each meeting of its term whose record is signed, in meeting order.
pub fn presidium_of(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<Vec<Seat>> {
    let mut all = Vec::new();
    if let Some(r) = record(conn, cid)? {
        changes(conn, &r, &mut all)?;
    }
    for m in meetings(conn, cid)? {
        if let Some(r) = record(conn, &m.congress.id)? {
            changes(conn, &r, &mut all)?;
        }
    }
    Ok(presidium(&all))
}
