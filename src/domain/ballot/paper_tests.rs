//! Paper ballots entered as they are (E5, issue 12.5): a motion paper marked none or several
//! times, and an election paper whose 另选他人 names a listed candidate.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;

fn paper() -> ElectionPaper {
    ElectionPaper {
        seats: 3,
        candidates: vec!["c1".into(), "c2".into(), "c3".into()],
        candidate_names: vec!["王芳".into(), "刘洋".into(), "李娜".into()],
        allow_write_in: true,
    }
}

#[test]
fn motion_papers_as_marked() {
    assert_eq!(
        motion_as_marked(&[Mark::Against]),
        Choices::Motion {
            vote: Mark::Against
        }
    );
    let blank = motion_as_marked(&[]);
    assert_eq!(blank, Choices::MotionMarks { marks: vec![] });
    let both = motion_as_marked(&[Mark::Against, Mark::For, Mark::For]);
    assert_eq!(
        both,
        Choices::MotionMarks {
            marks: vec![Mark::For, Mark::Against]
        }
    );
    assert_eq!(blank.to_value(), json!({"vote": []}));
    assert_eq!(both.to_value(), json!({"vote": ["for", "against"]}));
    for c in [&blank, &both] {
        assert_eq!(Choices::from_value(&c.to_value()).as_ref(), Ok(c));
    }
    assert_eq!(
        motion_validity(&blank),
        Validity::Invalid {
            reason: "表决票未作任何标记 (空白票), 为废票 (规则 E3)".into()
        }
    );
    assert_eq!(
        motion_validity(&both),
        Validity::Invalid {
            reason: "表决票同时标记了赞成和反对, 无法确定表决意见, 为废票 (规则 E3)".into()
        }
    );
    assert_eq!(InvalidReason::MotionBlank.category(), "空白票");
    // An election paper reads a spoiled motion paper as the wrong kind of ballot.
    assert!(!paper().validity(&both).is_valid());
}

#[test]
fn motion_marks_have_one_spelling() {
    for bad in [
        json!({"vote": ["for"]}),
        json!({"vote": ["against", "for"]}),
        json!({"vote": ["for", "for"]}),
        json!({"vote": ["yes", "no"]}),
        json!({"vote": [1, 2]}),
    ] {
        assert!(
            matches!(
                Choices::from_value(&bad),
                Err(BallotError::BadMotionMarks { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_write_in_naming_a_candidate_is_kept_on_paper_and_spoils_the_ballot() {
    let p = paper();
    let marked: BTreeMap<String, Mark> = [("c1".to_string(), Mark::For)].into();
    let writes = vec![" 刘洋 ".to_string(), "孙悦".to_string()];
    // The phone form refuses it; the paper entry keeps it as written.
    assert!(matches!(
        p.fill(&marked, &writes),
        Err(BallotError::WriteInIsCandidate { .. })
    ));
    let c = p.fill_as_marked(&marked, &writes).unwrap();
    match &c {
        Choices::Election { write_ins, marks } => {
            assert_eq!(write_ins, &["刘洋".to_string(), "孙悦".to_string()]);
            assert_eq!(marks.len(), 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        p.validity(&c),
        Validity::Invalid {
            reason: "另选他人 \"刘洋\" 是已列候选人 (规则 E2)".into()
        }
    );
    // The JSON reads back to the same choices (the ballot is published as cast).
    assert_eq!(Choices::from_value(&c.to_value()), Ok(c));
    // Without such a write-in it is the ordinary fill.
    let plain = vec!["孙悦".to_string()];
    assert_eq!(p.fill_as_marked(&marked, &plain), p.fill(&marked, &plain));
    // Duplicates are still refused.
    let dup = vec!["刘洋".to_string(), "刘洋".to_string()];
    assert!(p.fill_as_marked(&marked, &dup).is_err());
}
