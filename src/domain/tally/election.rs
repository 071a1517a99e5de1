//! A 选举's result: counts (E2), void (E4), seats (F1-F3) and the sentences (F5).

use crate::domain::ballot::Choices;
use crate::domain::settings::TieRule;

use super::count::{count_election, counts};
use super::explain;
use super::result::{
    CandidateResult, Contender, ContestDetail, ContestResult, ElectionResult, Runoff, Status,
    Supplementary, WriteInResult,
};
use super::seats::{decide, Decision};
use super::{applied, ElectionSpec, Turnout};

pub(super) fn tally_election(
    spec: &ElectionSpec,
    turnout: Turnout,
    ballots: &[(&Choices, u64)],
) -> ContestResult {
    let count = count_election(&spec.paper(), ballots);
    let cast = ballots.iter().map(|(_, n)| n).sum();
    let void = cast > turnout.issued;
    let (threshold, words) = applied("F1", spec.threshold, turnout, count.valid);

    // Listed candidates in ballot order, then write-ins by name (the BTreeMap's order).
    let listed = spec.candidates.len();
    let mut contenders: Vec<Contender> = spec
        .candidates
        .iter()
        .zip(&count.marks)
        .map(|(c, row)| Contender {
            id: Some(c.id.clone()),
            name: c.name.clone(),
            for_votes: counts(*row).for_votes,
        })
        .collect();
    contenders.extend(count.write_ins.iter().map(|(name, &n)| Contender {
        id: None,
        name: name.clone(),
        for_votes: n,
    }));

    let decision = if void {
        Decision::default()
    } else {
        decide(&contenders, listed, spec.seats, words.min_for)
    };
    let pick = |list: &[usize]| -> Vec<Contender> {
        list.iter().map(|&i| contenders[i].clone()).collect()
    };
    let elected = pick(&decision.elected);
    let tied = pick(&decision.tied);
    let runoff_rule = spec.tie_rule == TieRule::Runoff;

    let sentence = |i: usize| -> (Status, String) {
        let c = &contenders[i];
        let head = format!("{} 得赞成票 {} 票", explain::who(c), c.for_votes);
        if void {
            return (
                Status::Void,
                format!("{head}; 本次选举无效 (规则 E4), 无人当选"),
            );
        }
        let met = c.for_votes >= words.min_for;
        if decision.elected.contains(&i) {
            let s = format!("{head}, {}, 当选 (规则 F1)", words.clause(true));
            return (Status::Elected, s);
        }
        if decision.tied.contains(&i) {
            let others: Vec<Contender> = tied.iter().filter(|t| **t != *c).cloned().collect();
            let lead = format!(
                "{head}, {}, 与 {} 票数相同, 并列争夺剩余 {} 个名额",
                words.clause(true),
                explain::names(&others),
                decision.tied_seats
            );
            return if runoff_rule {
                (Status::Runoff, format!("{lead}, 须再次投票 (规则 F2)"))
            } else {
                (
                    Status::TieVacant,
                    format!("{lead}, 按本次规则名额空缺 (规则 F2)"),
                )
            };
        }
        let s = if met {
            format!(
                "{head}, {}, 但应选 {} 名已由得票更多者当选, 未当选 (规则 F1)",
                words.clause(true),
                spec.seats
            )
        } else {
            format!("{head}, {}, 未当选 (规则 F1)", words.clause(false))
        };
        (Status::NotElected, s)
    };

    let candidates: Vec<CandidateResult> = spec
        .candidates
        .iter()
        .zip(&count.marks)
        .enumerate()
        .map(|(i, (c, row))| {
            let (status, explanation) = sentence(i);
            CandidateResult {
                id: c.id.clone(),
                name: c.name.clone(),
                votes: counts(*row),
                status,
                explanation,
            }
        })
        .collect();
    let mut write_ins: Vec<WriteInResult> = (listed..contenders.len())
        .map(|i| {
            let (status, explanation) = sentence(i);
            WriteInResult {
                name: contenders[i].name.clone(),
                for_votes: contenders[i].for_votes,
                status,
                explanation,
            }
        })
        .collect();
    write_ins.sort_by(|a, b| b.for_votes.cmp(&a.for_votes).then(a.name.cmp(&b.name)));

    let tied_votes = tied.first().map_or(0, |c| c.for_votes);
    let (runoff, vacant) = match (tied.is_empty(), runoff_rule) {
        (true, _) => (None, 0),
        (false, true) => {
            let explanation = format!(
                "{} 各得赞成票 {tied_votes} 票, 均{}, 并列争夺剩余 {} 个名额; 根据规则 F2 \
                 建议在他们之间再次投票 (应选 {} 名), 由组织方开启",
                explain::names(&tied),
                words.clause(true),
                decision.tied_seats,
                decision.tied_seats
            );
            let runoff = Runoff {
                seats: decision.tied_seats,
                candidates: tied.clone(),
                explanation,
            };
            (Some(runoff), 0)
        }
        (false, false) => (None, decision.tied_seats),
    };
    let supplementary = (decision.short_seats > 0).then(|| {
        supplementary(
            &decision,
            pick(&decision.proposal),
            elected.len(),
            spec.seats,
        )
    });

    let seats = spec.seats;
    let unfilled = seats.saturating_sub(elected.len() as u32);
    let mut summary = vec![explain::figures(
        turnout.issued,
        cast,
        count.valid,
        count.invalid,
    )];
    if void {
        summary.push(explain::void_sentence(turnout.issued, cast, "选举"));
    } else {
        summary.push(threshold.text.clone());
        summary.push(if elected.is_empty() {
            format!("应选 {seats} 名, 无人当选")
        } else {
            let list = explain::names_with_votes(&elected);
            format!("应选 {seats} 名, 当选 {} 名: {list}", elected.len())
        });
        if let Some(r) = &runoff {
            summary.push(r.explanation.clone());
        }
        if vacant > 0 {
            summary.push(format!(
                "{} 各得赞成票 {tied_votes} 票, 并列争夺剩余 {vacant} 个名额; 按本次规则 \
                 (F2: 票数相同时名额空缺), 该 {vacant} 个名额空缺",
                explain::names(&tied)
            ));
        }
        if let Some(s) = &supplementary {
            summary.push(s.explanation.clone());
        }
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
        detail: ContestDetail::Election(ElectionResult {
            seats,
            allow_write_in: spec.allow_write_in,
            tie_rule: spec.tie_rule,
            candidates,
            write_ins,
            elected,
            unfilled,
            vacant,
            runoff,
            supplementary,
        }),
        explanation: format!("{}。", summary.join("。")),
    }
}

/// The 另行选举 proposal (F3) with C2's margin, in words.
fn supplementary(
    d: &Decision,
    proposal: Vec<Contender>,
    elected: usize,
    seats: u32,
) -> Supplementary {
    let r = d.short_seats;
    let m = d.required;
    let have = proposal.len() as u32;
    let sufficient = have >= m;
    let head = format!(
        "当选 {elected} 名, 少于应选 {seats} 名, 根据规则 F3 建议就剩余 {r} 个名额另行选举; \
         按规则 C2 差额要求候选人至少 {m} 名 (max({r}+1, ⌈1.2×{r}⌉))"
    );
    let explanation = if sufficient {
        let tie_note = if have > m {
            format!(", 与第 {m} 位票数相同者一并列入")
        } else {
            String::new()
        };
        format!(
            "{head}, 按首轮赞成票多少依次为: {}{tie_note}",
            explain::names_with_votes(&proposal)
        )
    } else {
        let list = if proposal.is_empty() {
            "无".to_string()
        } else {
            explain::names_with_votes(&proposal)
        };
        format!(
            "{head}, 但未当选的候选人只有 {have} 名: {list}; 组织方须补充提名至少 {} 人, \
             或减少应选名额并记录理由",
            m - have
        )
    };
    Supplementary {
        seats: r,
        required: m,
        candidates: proposal,
        sufficient,
        explanation,
    }
}
