//! Contests (选举与表决事项) of a congress: their definition, agenda order and lifecycle
//! state, and (in [`candidates`]) the presidium candidates of an election.
//!
//! The `threshold` column holds the JSON of [`Threshold`]; `state` is draft | open | closed |
//! final; `motion_kind` is work_report | charter | other (motions only).

mod candidates;

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub use self::candidates::{
    candidate, candidates, delete_candidate, insert_candidate, next_organiser_order,
    set_ballot_order, update_candidate,
};
use crate::domain::candidates::ElectionKind;
use crate::domain::settings::Threshold;
use crate::storage::models::ContestRow;
use crate::storage::schema::contests;
use crate::storage::{now_ms, DbConnection, StorageError, StorageResult};

/// 选举 (an election of presidium members) or 表决 (a motion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestKind {
    Election,
    Motion,
}

impl ContestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContestKind::Election => "election",
            ContestKind::Motion => "motion",
        }
    }

    pub fn parse(s: &str) -> Option<ContestKind> {
        match s.trim() {
            "election" | "选举" => Some(ContestKind::Election),
            "motion" | "表决" => Some(ContestKind::Motion),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ContestKind::Election => "选举",
            ContestKind::Motion => "表决",
        }
    }
}

/// What a motion is about; it decides the default threshold (rule F4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionKind {
    /// 工作报告 (the outgoing presidium's report).
    WorkReport,
    /// 章程修正案: needs for >= 2/3 of present by default.
    Charter,
    /// 其他 (any other resolution).
    Other,
}

impl MotionKind {
    pub const ALL: [MotionKind; 3] = [
        MotionKind::WorkReport,
        MotionKind::Charter,
        MotionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MotionKind::WorkReport => "work_report",
            MotionKind::Charter => "charter",
            MotionKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<MotionKind> {
        match s.trim() {
            "work_report" | "工作报告" => Some(MotionKind::WorkReport),
            "charter" | "章程修正案" => Some(MotionKind::Charter),
            "other" | "其他" => Some(MotionKind::Other),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            MotionKind::WorkReport => "工作报告",
            MotionKind::Charter => "章程修正案",
            MotionKind::Other => "其他",
        }
    }

    /// Rule F4's threshold for this kind: 2/3 (inclusive) for a charter amendment, otherwise a
    /// simple majority of those present.
    pub fn default_threshold(self) -> Threshold {
        match self {
            MotionKind::Charter => Threshold::CHARTER,
            MotionKind::WorkReport | MotionKind::Other => Threshold::ORDINARY,
        }
    }
}

/// Where a contest is in its own life. Only a `Draft` contest may be edited ("edited until
/// opened").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestState {
    /// 准备中: being defined; candidates are added.
    Draft,
    /// 投票中: ballots are being cast.
    Open,
    /// 投票已结束: the board is published, the count follows.
    Closed,
    /// 结果已确定: counted and final.
    Final,
}

impl ContestState {
    pub const ALL: [ContestState; 4] = [
        ContestState::Draft,
        ContestState::Open,
        ContestState::Closed,
        ContestState::Final,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContestState::Draft => "draft",
            ContestState::Open => "open",
            ContestState::Closed => "closed",
            ContestState::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<ContestState> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            ContestState::Draft => "准备中",
            ContestState::Open => "投票中",
            ContestState::Closed => "投票已结束",
            ContestState::Final => "结果已确定",
        }
    }
}

/// The part of a contest the organiser edits while it is a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestDefinition {
    /// 事项名称, e.g. "选举第十届学生会主席团成员".
    pub title: String,
    /// An election's note, or a motion's text (表决事项内容).
    pub body: String,
    /// Motions only.
    pub motion_kind: Option<MotionKind>,
    /// 应选名额 (elections only; rule C1).
    pub seats: Option<u32>,
    /// 另选他人 allowed (elections only).
    pub allow_write_in: bool,
    /// Rule F1 (elections) or F4 (motions).
    pub threshold: Threshold,
    /// The organiser's reason for 等额 or a reduced margin (rule C2; elections only).
    pub margin_override: Option<String>,
    /// What the election fills (elections only; `None` = 主席团, as before issue 12).
    #[serde(default)]
    pub election_kind: Option<ElectionKind>,
    /// The organiser's reason for a threshold other than the rules' default for this contest
    /// (the congress's F1 setting for an election, the motion kind's F4 default).
    #[serde(default)]
    pub threshold_reason: Option<String>,
}

impl ContestDefinition {
    /// The election's kind (主席团 when none was recorded); `None` for a motion.
    pub fn kind_of_election(&self) -> Option<ElectionKind> {
        self.seats.map(|_| self.election_kind.unwrap_or_default())
    }
}

/// A contest as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contest {
    pub id: String,
    pub congress_id: String,
    pub kind: ContestKind,
    pub def: ContestDefinition,
    /// Position on the agenda, 1-based.
    pub agenda_order: u32,
    /// The contest this one follows up (再次投票 / 另行选举), if any.
    pub parent_id: Option<String>,
    pub round_kind: Option<String>,
    /// A proposed round the organiser decided not to hold, with the reason (F2, F3): it stays
    /// a draft that can no longer open.
    #[serde(default)]
    pub not_held_reason: Option<String>,
    pub state: ContestState,
    /// 实到 frozen at opening = ballots issued (rule D2).
    pub issued: Option<u32>,
    /// 应到 at opening.
    pub expected: Option<u32>,
    pub paper_issued: u32,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub cast_count: Option<u32>,
    pub merkle_root: Option<String>,
    /// The tally result as JSON, once counted.
    pub result: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

fn to_u32(what: &str, id: &str, v: i32) -> StorageResult<u32> {
    u32::try_from(v).map_err(|_| StorageError::Corrupt(format!("contest {id}: {what} {v}")))
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn opt_u32(what: &str, id: &str, v: Option<i32>) -> StorageResult<Option<u32>> {
    v.map(|v| to_u32(what, id, v)).transpose()
}

fn threshold_json(t: &Threshold) -> String {
    // A struct of an enum and three integers always serialises.
    serde_json::to_string(t).unwrap_or_default()
}

impl TryFrom<ContestRow> for Contest {
    type Error = StorageError;

    fn try_from(r: ContestRow) -> StorageResult<Contest> {
        let corrupt =
            |what: &str, v: &str| StorageError::Corrupt(format!("contest {}: {what} {v}", r.id));
        let kind = ContestKind::parse(&r.kind).ok_or_else(|| corrupt("kind", &r.kind))?;
        let state = ContestState::parse(&r.state).ok_or_else(|| corrupt("state", &r.state))?;
        let motion_kind = match &r.motion_kind {
            None => None,
            Some(m) => Some(MotionKind::parse(m).ok_or_else(|| corrupt("motion_kind", m))?),
        };
        let threshold: Threshold = serde_json::from_str(&r.threshold)
            .map_err(|e| corrupt("threshold", &format!("{}: {e}", r.threshold)))?;
        Ok(Contest {
            kind,
            def: ContestDefinition {
                title: r.title,
                body: r.body,
                motion_kind,
                seats: opt_u32("seats", &r.id, r.seats)?,
                allow_write_in: r.allow_write_in,
                threshold,
                margin_override: r.margin_override,
                election_kind: match &r.election_kind {
                    None => None,
                    Some(k) => {
                        Some(ElectionKind::parse(k).ok_or_else(|| corrupt("election_kind", k))?)
                    }
                },
                threshold_reason: r.threshold_reason,
            },
            agenda_order: to_u32("agenda_order", &r.id, r.agenda_order)?,
            parent_id: r.parent_id,
            round_kind: r.round_kind,
            not_held_reason: r.not_held_reason,
            state,
            issued: opt_u32("issued", &r.id, r.issued)?,
            expected: opt_u32("expected", &r.id, r.expected)?,
            paper_issued: to_u32("paper_issued", &r.id, r.paper_issued)?,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            cast_count: opt_u32("cast_count", &r.id, r.cast_count)?,
            merkle_root: r.merkle_root,
            result: r.result,
            created_at: r.created_at,
            updated_at: r.updated_at,
            congress_id: r.congress_id,
            id: r.id,
        })
    }
}

/// Inserts a new draft contest at the end of the agenda.
pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    congress_id: &str,
    kind: ContestKind,
    def: &ContestDefinition,
) -> StorageResult<Contest> {
    let now = now_ms();
    let order = next_agenda_order(conn, congress_id)?;
    let row = ContestRow {
        id: id.to_string(),
        congress_id: congress_id.to_string(),
        kind: kind.as_str().to_string(),
        motion_kind: def.motion_kind.map(|m| m.as_str().to_string()),
        title: def.title.clone(),
        body: def.body.clone(),
        agenda_order: to_i32(order),
        seats: def.seats.map(to_i32),
        allow_write_in: def.allow_write_in,
        threshold: threshold_json(&def.threshold),
        margin_override: def.margin_override.clone(),
        parent_id: None,
        round_kind: None,
        state: ContestState::Draft.as_str().to_string(),
        issued: None,
        expected: None,
        paper_issued: 0,
        opened_at: None,
        closed_at: None,
        cast_count: None,
        merkle_root: None,
        result: None,
        created_at: now,
        updated_at: now,
        election_kind: def.election_kind.map(|k| k.as_str().to_string()),
        threshold_reason: def.threshold_reason.clone(),
        not_held_reason: None,
    };
    diesel::insert_into(contests::table)
        .values(&row)
        .execute(conn)?;
    Contest::try_from(row)
}

/// One past the highest agenda position of the congress (1 for the first contest).
fn next_agenda_order(conn: &mut DbConnection, congress_id: &str) -> StorageResult<u32> {
    let max: Option<i32> = contests::table
        .filter(contests::congress_id.eq(congress_id))
        .select(diesel::dsl::max(contests::agenda_order))
        .first(conn)?;
    Ok(u32::try_from(max.unwrap_or(0).max(0)).unwrap_or(0) + 1)
}

pub fn get(conn: &mut DbConnection, id: &str) -> StorageResult<Option<Contest>> {
    contests::table
        .find(id)
        .select(ContestRow::as_select())
        .first(conn)
        .optional()?
        .map(Contest::try_from)
        .transpose()
}

/// The congress's contests in agenda order.
pub fn list(conn: &mut DbConnection, congress_id: &str) -> StorageResult<Vec<Contest>> {
    contests::table
        .filter(contests::congress_id.eq(congress_id))
        .order((contests::agenda_order.asc(), contests::created_at.asc()))
        .select(ContestRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Contest::try_from)
        .collect()
}

/// Replaces the editable definition of contest `id`.
pub fn update_definition(
    conn: &mut DbConnection,
    id: &str,
    def: &ContestDefinition,
) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set((
            contests::title.eq(&def.title),
            contests::body.eq(&def.body),
            contests::motion_kind.eq(def.motion_kind.map(|m| m.as_str())),
            contests::seats.eq(def.seats.map(to_i32)),
            contests::allow_write_in.eq(def.allow_write_in),
            contests::threshold.eq(threshold_json(&def.threshold)),
            contests::margin_override.eq(def.margin_override.as_deref()),
            contests::election_kind.eq(def.election_kind.map(|k| k.as_str())),
            contests::threshold_reason.eq(def.threshold_reason.as_deref()),
            contests::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that proposed round `id` is not held, with the reason.
pub fn set_not_held(conn: &mut DbConnection, id: &str, reason: &str) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set((
            contests::not_held_reason.eq(reason),
            contests::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks contest `id` as changed now (its candidates changed).
pub fn touch(conn: &mut DbConnection, id: &str) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set(contests::updated_at.eq(now_ms()))
        .execute(conn)?;
    Ok(())
}

pub fn set_agenda_order(conn: &mut DbConnection, id: &str, order: u32) -> StorageResult<()> {
    diesel::update(contests::table.find(id))
        .set(contests::agenda_order.eq(to_i32(order)))
        .execute(conn)?;
    Ok(())
}

/// Deletes contest `id` and its candidates; `false` if there was no such contest.
pub fn delete(conn: &mut DbConnection, id: &str) -> StorageResult<bool> {
    use crate::storage::schema::candidates;
    diesel::delete(candidates::table.filter(candidates::contest_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(contests::table.find(id)).execute(conn)? == 1)
}
