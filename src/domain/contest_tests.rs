//! The contest's life on hand-built contests: every action in every state, declined and
//! proposed rounds, and the explanations.

use super::*;
use crate::domain::codes::Coded;

fn contest(state: ContestState) -> Contest {
    Contest {
        id: "t1".into(),
        congress_id: "c1".into(),
        kind: ContestKind::Election,
        def: ContestDefinition {
            title: "选举主席团成员".into(),
            body: String::new(),
            motion_kind: None,
            seats: Some(5),
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            margin_override: None,
            election_kind: None,
            threshold_reason: None,
        },
        agenda_order: 1,
        parent_id: None,
        round_kind: None,
        not_held_reason: None,
        state,
        issued: None,
        expected: None,
        paper_issued: 0,
        opened_at: None,
        closed_at: None,
        cast_count: None,
        merkle_root: None,
        result: None,
        created_at: 0,
        updated_at: 0,
    }
}

const ACTIONS: [ContestAction; 12] = [
    ContestAction::Edit,
    ContestAction::Delete,
    ContestAction::DecideNotHeld,
    ContestAction::Open,
    ContestAction::Vote,
    ContestAction::AssignPaper,
    ContestAction::EnterPaper,
    ContestAction::Close,
    ContestAction::Count,
    ContestAction::Publish,
    ContestAction::ShowRoll,
    ContestAction::ShowRollToDelegates,
];

#[test]
fn an_ordinary_contest_allows_exactly_what_its_state_allows() {
    for state in ContestState::ALL {
        let k = contest(state);
        for action in ACTIONS {
            // Only a proposed round can be declined; everything else follows the table.
            let expected = action.allows(state) && action != ContestAction::DecideNotHeld;
            assert_eq!(k.allows(action), expected, "{action:?} in {state:?}");
        }
    }
}

#[test]
fn the_life_in_order() {
    use ContestAction::*;
    let allowed = |s| {
        ACTIONS
            .into_iter()
            .filter(|a| a.allows(s))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        allowed(ContestState::Draft),
        [Edit, Delete, DecideNotHeld, Open]
    );
    assert_eq!(
        allowed(ContestState::Open),
        [Vote, AssignPaper, EnterPaper, Close, ShowRoll]
    );
    assert_eq!(
        allowed(ContestState::Closed),
        [EnterPaper, Count, ShowRoll, ShowRollToDelegates]
    );
    assert_eq!(
        allowed(ContestState::Final),
        [Publish, ShowRoll, ShowRollToDelegates]
    );
}

#[test]
fn refusals_say_what_and_when() {
    let e = contest(ContestState::Open)
        .check(ContestAction::Edit)
        .unwrap_err();
    assert_eq!(
        e.message,
        "“选举主席团成员”投票中，已经不能修改：选举和表决事项只能在开始投票前修改"
    );
    assert!(!e.not_yet);
    let e = contest(ContestState::Open)
        .check(ContestAction::Count)
        .unwrap_err();
    assert_eq!(
        e.message,
        "“选举主席团成员”当前状态为“投票中”; 结束投票后才能计票"
    );
    assert!(e.not_yet);
    let e = contest(ContestState::Closed)
        .check(ContestAction::Publish)
        .unwrap_err();
    assert!(e.message.contains("计票完成后才公示"), "{}", e.message);
    assert!(e.not_yet);
    let e = contest(ContestState::Draft)
        .check(ContestAction::ShowRoll)
        .unwrap_err();
    assert_eq!(e.message, "“选举主席团成员”尚未开始投票, 还没有投票人名单");
    let e = contest(ContestState::Final)
        .check(ContestAction::Vote)
        .unwrap_err();
    assert_eq!(e.message, "本项投票已经结束");
    assert!(!e.not_yet);
    let e = contest(ContestState::Draft)
        .check(ContestAction::Vote)
        .unwrap_err();
    assert_eq!(e.message, "本项尚未开始投票");
}

#[test]
fn a_declined_round_can_no_longer_change_or_open() {
    let mut k = contest(ContestState::Draft);
    k.parent_id = Some("t0".into());
    k.round_kind = Some(RoundKind::Runoff);
    assert!(k.is_undecided_round());
    assert!(k.allows(ContestAction::DecideNotHeld));
    let e = k.check(ContestAction::Delete).unwrap_err();
    assert!(
        e.message.contains("是计票后提出的再次投票, 不能删除"),
        "{}",
        e.message
    );
    k.not_held_reason = Some("名额空缺".into());
    assert!(!k.is_undecided_round());
    for action in [
        ContestAction::Edit,
        ContestAction::Delete,
        ContestAction::DecideNotHeld,
        ContestAction::Open,
    ] {
        let e = k.check(action).unwrap_err();
        assert_eq!(
            e.message,
            "“选举主席团成员”已决定不举行(理由: 名额空缺), 不能再修改或开始投票"
        );
    }
    // An ordinary contest is deleted, not declined.
    let e = contest(ContestState::Draft)
        .check(ContestAction::DecideNotHeld)
        .unwrap_err();
    assert!(
        e.message.contains("不举行的事项可以直接删除"),
        "{}",
        e.message
    );
}

#[test]
fn codes_are_stable() {
    for s in ContestState::ALL {
        assert_eq!(ContestState::from_code(s.as_str()), Some(s));
    }
    assert_eq!(ContestState::Open.as_str(), "open");
    assert_eq!(ContestKind::parse(" 选举 "), Some(ContestKind::Election));
    assert_eq!(
        MotionKind::parse("work_report"),
        Some(MotionKind::WorkReport)
    );
    assert_eq!(
        RoundKind::from_code("supplementary"),
        Some(RoundKind::Supplementary)
    );
    assert_eq!(round_zh(None), "后续投票");
    assert_eq!(round_zh(Some(RoundKind::Runoff)), "再次投票");
}
