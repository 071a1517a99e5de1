//! A 表决's result: counts (E3), void (E4), passed or not (F4) and the sentences (F5).

use crate::domain::ballot::{Choices, Mark};

use super::count::count_motion;
use super::explain;
use super::result::{ContestDetail, ContestResult, MotionResult};
use super::{applied, MotionSpec, Turnout};

pub(super) fn tally_motion(
    spec: &MotionSpec,
    turnout: Turnout,
    ballots: &[(&Choices, u64)],
) -> ContestResult {
    let count = count_motion(ballots);
    let cast = ballots.iter().map(|(_, n)| n).sum();
    let void = cast > turnout.issued;
    let (threshold, words) = applied("F4", spec.threshold, turnout, count.valid);
    let v = count.votes;
    let met = v.for_votes >= words.min_for;
    let passed = met && !void;

    let votes = format!(
        "{} {} 票, {} {} 票, {} {} 票",
        Mark::For.zh_motion(),
        v.for_votes,
        Mark::Against.zh_motion(),
        v.against,
        Mark::Abstain.zh_motion(),
        v.abstain
    );
    let explanation = if void {
        format!("{votes}; 本次表决无效 (规则 E4), 不予通过")
    } else if passed {
        format!("{votes}; 赞成票{}, 通过 (规则 F4)", words.clause(true))
    } else {
        format!("{votes}; 赞成票{}, 未通过 (规则 F4)", words.clause(false))
    };

    let mut summary = vec![explain::figures(
        turnout.issued,
        cast,
        count.valid,
        count.invalid,
    )];
    if void {
        summary.push(explain::void_sentence(turnout.issued, cast, "表决"));
    } else {
        summary.push(threshold.text.clone());
        summary.push(explanation.clone());
    }

    ContestResult {
        issued: turnout.issued,
        roster: turnout.roster,
        cast,
        valid: count.valid,
        invalid: count.invalid,
        invalid_reasons: count.invalid_reasons,
        void,
        threshold,
        detail: ContestDetail::Motion(MotionResult {
            votes: v,
            passed,
            explanation,
        }),
        explanation: format!("{}。", summary.join("。")),
    }
}
