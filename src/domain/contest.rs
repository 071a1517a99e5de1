//! The contest (选举与表决事项) as plain Rust: what it is (an election or a motion, its
//! definition), where it is in its own life (draft -> open -> closed -> final), and which
//! action each state allows, with the Chinese explanation when one does not. The contest's
//! counterpart of [`state`](super::state) for the congress: services ask [`Contest::check`]
//! (or, without a contest at hand, [`ContestAction::allows`]) and never compare states
//! themselves.

use serde::{Deserialize, Serialize};

use crate::domain::candidates::ElectionKind;
use crate::domain::ids::{CongressId, ContestId};
use crate::domain::settings::Threshold;

/// 选举 (an election of presidium members, a committee, ...) or 表决 (a motion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestKind {
    Election,
    Motion,
    /// 述职评议 (rules H1-H5): the definition is a `review::ReviewDefinition`.
    Review,
}

crate::coded! { ContestKind {
    Election => "election", "选举";
    Motion => "motion", "表决";
    Review => "review", "述职评议";
} }

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
    /// 罢免: removing a named presidium member at a meeting of standing delegates (rule I4);
    /// passes by default with for > 1/2 of 应到 (the standing delegates), not of 实到.
    Removal,
}

crate::coded! { MotionKind {
    WorkReport => "work_report", "工作报告";
    Charter => "charter", "章程修正案";
    Other => "other", "其他";
    Removal => "removal", "罢免";
} }

impl MotionKind {
    /// Rule F4's threshold for this kind: 2/3 (inclusive) for a charter amendment, otherwise a
    /// simple majority of those present.
    pub fn default_threshold(self) -> Threshold {
        match self {
            MotionKind::Charter => Threshold::CHARTER,
            MotionKind::WorkReport | MotionKind::Other => Threshold::ORDINARY,
            MotionKind::Removal => Threshold::REMOVAL,
        }
    }
}

/// A further round proposed when a contest is counted (rules F2, F3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// 再次投票: a tie or too few elected among the same candidates (F2).
    Runoff,
    /// 另行选举: seats left empty filled by a new election (F3).
    Supplementary,
}

crate::coded! { RoundKind { Runoff => "runoff", "再次投票"; Supplementary => "supplementary", "另行选举"; } }

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

crate::coded! { ContestState {
    Draft => "draft", "准备中";
    Open => "open", "投票中";
    Closed => "closed", "投票已结束";
    Final => "final", "结果已确定";
} }

impl ContestState {
    /// Voting has begun: the contest has voters, a ballot box and a roll (open or later).
    pub fn has_opened(self) -> bool {
        self != ContestState::Draft
    }

    /// Ballots are in the box and not yet counted (open, or closed awaiting the count).
    pub fn awaiting_count(self) -> bool {
        matches!(self, ContestState::Open | ContestState::Closed)
    }

    /// Counted: the result, the board and its Merkle root are final and public.
    pub fn is_counted(self) -> bool {
        self == ContestState::Final
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
    pub id: ContestId,
    pub congress_id: CongressId,
    pub kind: ContestKind,
    pub def: ContestDefinition,
    /// Position on the agenda, 1-based.
    pub agenda_order: u32,
    /// The contest this one follows up (再次投票 / 另行选举), if any.
    pub parent_id: Option<ContestId>,
    pub round_kind: Option<RoundKind>,
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

/// Things done to a contest that depend on where it is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContestAction {
    /// Change the definition or the candidates, or move it on the agenda (a draft that is
    /// still to be held).
    Edit,
    /// Delete it (an editable draft that is not a proposed further round).
    Delete,
    /// Decide not to hold a proposed further round (F2, F3).
    DecideNotHeld,
    /// 开始投票.
    Open,
    /// A delegate's phone takes a ballot paper (领票), or a ballot is cast into the box.
    Vote,
    /// Record that a delegate votes on paper (a paper ballot handed out).
    AssignPaper,
    /// Enter the marks of a returned paper ballot (until counted).
    EnterPaper,
    /// 结束投票.
    Close,
    /// 计票.
    Count,
    /// Show the board and its proofs (公示): once counted.
    Publish,
    /// Show the roll of who took a ballot paper to the staff: once voting began.
    ShowRoll,
    /// Show the roll to the delegates on their phones: once voting ended.
    ShowRollToDelegates,
}

impl ContestAction {
    /// The states in which the action is allowed (before the checks on the contest itself:
    /// declined rounds, proposed rounds).
    pub fn allowed_in(self) -> &'static [ContestState] {
        use ContestState::*;
        match self {
            ContestAction::Edit
            | ContestAction::Delete
            | ContestAction::DecideNotHeld
            | ContestAction::Open => &[Draft],
            ContestAction::Vote | ContestAction::AssignPaper | ContestAction::Close => &[Open],
            ContestAction::EnterPaper => &[Open, Closed],
            ContestAction::Count => &[Closed],
            ContestAction::Publish => &[Final],
            ContestAction::ShowRoll => &[Open, Closed, Final],
            ContestAction::ShowRollToDelegates => &[Closed, Final],
        }
    }

    /// Whether the action is allowed in `state` (for callers holding only the state, like the
    /// ballot box; with a contest at hand use [`Contest::check`]).
    pub fn allows(self, state: ContestState) -> bool {
        self.allowed_in().contains(&state)
    }
}

/// An action refused because of where the contest is in its life, with the Chinese
/// explanation. `not_yet` tells "too early" (a later state would allow it: 404 for what is
/// shown only later) from "no longer" or "never".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ContestRefusal {
    pub action: ContestAction,
    pub state: ContestState,
    pub not_yet: bool,
    pub message: String,
}

impl Contest {
    /// `Ok` when `action` may be done to this contest now; otherwise why not, in Chinese.
    pub fn check(&self, action: ContestAction) -> Result<(), ContestRefusal> {
        let (title, state) = (&self.def.title, self.state.zh());
        let declined = self.not_held_reason.as_deref();
        let message = match action {
            ContestAction::Edit
            | ContestAction::Delete
            | ContestAction::DecideNotHeld
            | ContestAction::Open
                if declined.is_some() =>
            {
                Some(format!(
                    "“{title}”已决定不举行(理由: {}), 不能再修改或开始投票",
                    declined.unwrap_or_default()
                ))
            }
            _ if action.allows(self.state) => None,
            ContestAction::Edit | ContestAction::Delete | ContestAction::DecideNotHeld => Some(
                format!("“{title}”{state}，已经不能修改：选举和表决事项只能在开始投票前修改"),
            ),
            ContestAction::Open => Some(format!("“{title}”当前状态为“{state}”, 不能再次开始投票")),
            ContestAction::Vote if self.state == ContestState::Draft => {
                Some("本项尚未开始投票".to_string())
            }
            ContestAction::Vote => Some("本项投票已经结束".to_string()),
            ContestAction::AssignPaper => Some("只能在投票进行中登记纸质选票".to_string()),
            ContestAction::EnterPaper => {
                Some(format!("“{title}”当前状态为“{state}”, 不能录入纸质选票"))
            }
            ContestAction::Close => Some(format!("“{title}”当前状态为“{state}”, 不在投票中")),
            ContestAction::Count => {
                Some(format!("“{title}”当前状态为“{state}”; 结束投票后才能计票"))
            }
            ContestAction::Publish => {
                Some(format!("“{title}”当前状态为“{state}”, 计票完成后才公示"))
            }
            ContestAction::ShowRoll => Some(format!("“{title}”尚未开始投票, 还没有投票人名单")),
            ContestAction::ShowRollToDelegates => {
                Some(format!("“{title}”投票结束后才显示投票人名单"))
            }
        };
        let message = message.or_else(|| self.round_refusal(action));
        match message {
            None => Ok(()),
            Some(message) => Err(ContestRefusal {
                action,
                state: self.state,
                not_yet: action
                    .allowed_in()
                    .first()
                    .is_some_and(|first| self.state < *first),
                message,
            }),
        }
    }

    /// Whether `action` may be done to this contest now.
    pub fn allows(&self, action: ContestAction) -> bool {
        self.check(action).is_ok()
    }

    /// A further round proposed by a count (F2, F3).
    pub fn is_proposed_round(&self) -> bool {
        self.parent_id.is_some()
    }

    /// A proposed round neither held nor declined yet: closing the congress waits for it.
    pub fn is_undecided_round(&self) -> bool {
        self.is_proposed_round()
            && self.state == ContestState::Draft
            && self.not_held_reason.is_none()
    }

    /// "再次投票" / "另行选举", or "后续投票" when the round's kind is unknown.
    pub fn round_zh(&self) -> &'static str {
        round_zh(self.round_kind)
    }

    /// What a proposed round allows beyond its state: it is declined, never deleted; only a
    /// proposed round can be declined.
    fn round_refusal(&self, action: ContestAction) -> Option<String> {
        let title = &self.def.title;
        match action {
            ContestAction::Delete if self.is_proposed_round() => Some(format!(
                "“{title}”是计票后提出的{}, 不能删除; 如不举行, 请选择“不举行”并说明理由 (规则F2、F3)",
                self.round_zh()
            )),
            ContestAction::DecideNotHeld if !self.is_proposed_round() => Some(format!(
                "“{title}”不是计票后提出的再次投票或另行选举; 不举行的事项可以直接删除"
            )),
            _ => None,
        }
    }
}

/// "再次投票" / "另行选举" for a proposed round's kind, "后续投票" when unknown.
pub fn round_zh(kind: Option<RoundKind>) -> &'static str {
    kind.map_or("后续投票", RoundKind::zh)
}

#[cfg(test)]
#[path = "contest_tests.rs"]
mod tests;
