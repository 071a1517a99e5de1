//! How a counted contest reads (rules E2, E4, F1-F5): the ballot figures, the per-candidate or
//! per-option counts, the elected in order, the threshold with its rule, base and figure, the
//! invalid ballots by reason, and the proposed further rounds. Shared by the public results
//! page, the projector, the staff voting page and the printable record.

use maud::{html, Markup};

use crate::domain::contest::ContestState;
use crate::domain::tally::{
    AppliedThreshold, ContestDetail, ContestResult, ElectionResult, MotionResult, Status,
};

/// A contest's state as a badge.
pub fn state_badge(state: ContestState) -> Markup {
    let class = match state {
        ContestState::Final => "badge ok",
        ContestState::Open => "badge bad",
        _ => "badge",
    };
    html! { span class=(class) { (state.zh()) } }
}

/// The outcome in one line: "当选: 王芳、李强; 再次投票: 张伟、刘洋" or "通过 (赞成 8 票)".
pub fn outcome_line(r: &ContestResult) -> String {
    if r.void {
        return "选举无效 (收回选票多于发出选票, 规则 E4), 须重新投票".to_string();
    }
    match &r.detail {
        ContestDetail::Election(e) => {
            let mut parts = Vec::new();
            if e.elected.is_empty() {
                parts.push("无人当选".to_string());
            } else {
                let names: Vec<&str> = e.elected.iter().map(|c| c.name.as_str()).collect();
                parts.push(format!("当选: {}", names.join("、")));
            }
            if let Some(run) = &e.runoff {
                let names: Vec<&str> = run.candidates.iter().map(|c| c.name.as_str()).collect();
                parts.push(format!("再次投票 ({} 名): {}", run.seats, names.join("、")));
            }
            if let Some(sup) = &e.supplementary {
                parts.push(format!("另行选举 {} 名", sup.seats));
            }
            if e.vacant > 0 {
                parts.push(format!("空缺 {} 名", e.vacant));
            }
            parts.join("; ")
        }
        ContestDetail::Motion(m) => format!(
            "{} (赞成 {} 票, 反对 {} 票, 弃权 {} 票)",
            if m.passed { "通过" } else { "未通过" },
            m.votes.for_votes,
            m.votes.against,
            m.votes.abstain
        ),
        ContestDetail::Review(rv) => super::review::outcome_line(rv),
    }
}

/// 应到 / 发出 / 收回 / 有效 / 废票, and E4 when the contest is void.
pub fn ballot_figures(r: &ContestResult) -> Markup {
    html! {
        table.figures {
            thead { tr { th { "应到代表" } th { "发出选票 (实到)" } th { "收回选票" } th { "有效票" } th { "废票" } } }
            tbody {
                tr {
                    td.num { (r.roster) } td.num { (r.issued) } td.num { (r.cast) }
                    td.num { (r.valid) } td.num { (r.invalid) }
                }
            }
        }
        @if r.void {
            p.error { "收回选票 " (r.cast) " 张多于发出选票 " (r.issued) " 张, 本次投票无效 (规则 E4), 须重新投票。" }
        }
    }
}

/// The threshold applied, with its rule, base, figure and the votes it takes (F5).
pub fn threshold(t: &AppliedThreshold) -> Markup {
    html! {
        dl.facts.threshold {
            dt { "规则" } dd { (t.rule) }
            dt { "基数" } dd { (t.base.zh()) " " (t.base_figure) }
            dt { "比例" } dd { (t.fraction.zh()) }
            dt { "最低票数" } dd { (t.min_for) " 票" }
        }
        p.muted { (t.text) }
    }
}

/// The invalid ballots grouped by reason.
pub fn invalid_reasons(r: &ContestResult) -> Markup {
    html! {
        @if r.invalid > 0 {
            table.invalid {
                thead { tr { th { "废票原因" } th.num { "张数" } } }
                tbody {
                    @for (reason, n) in &r.invalid_reasons {
                        tr { td { (reason) } td.num { (n) } }
                    }
                }
            }
        }
    }
}

/// Per candidate 赞成 / 不赞成 / 弃权 in ballot order, the write-ins, the elected in order.
pub fn election(e: &ElectionResult) -> Markup {
    html! {
        table.results {
            thead { tr { th { "候选人 (选票顺序)" } th.num { "赞成" } th.num { "不赞成" } th.num { "弃权" } th { "结果" } } }
            tbody {
                @for c in &e.candidates {
                    tr class=(if c.status == Status::Elected { "ok" } else { "" }) {
                        td { (c.name) }
                        td.num { (c.votes.for_votes) }
                        td.num { (c.votes.against) }
                        td.num { (c.votes.abstain) }
                        td { (c.status.zh()) }
                    }
                }
                @for w in &e.write_ins {
                    tr class=(if w.status == Status::Elected { "ok" } else { "" }) {
                        td { "另选他人: " (w.name) }
                        td.num { (w.for_votes) } td.num { "—" } td.num { "—" }
                        td { (w.status.zh()) }
                    }
                }
            }
        }
        h3 { "当选 (按得票多少为序), 应选 " (e.seats) " 名" }
        @if e.elected.is_empty() {
            p { "无人当选。" }
        } @else {
            ol.elected {
                @for c in &e.elected {
                    li { (c.name) " · 赞成 " (c.for_votes) " 票" @if c.id.is_none() { " (另选他人)" } }
                }
            }
        }
        (proposals(e))
    }
}

/// 再次投票 (F2) / 另行选举 (F3) / vacant seats, each with its explanation.
pub fn proposals(e: &ElectionResult) -> Markup {
    html! {
        @if let Some(r) = &e.runoff {
            div.proposal {
                h3 { "再次投票 (规则 F2): 应选 " (r.seats) " 名" }
                p { "候选人: " (r.candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("、")) }
                p.muted { (r.explanation) }
            }
        }
        @if let Some(s) = &e.supplementary {
            div.proposal {
                h3 { "另行选举 (规则 F3): 应选 " (s.seats) " 名" }
                p { "候选人 (按第一轮得票): " (s.candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("、")) }
                @if !s.sufficient {
                    p.error { "剩余候选人少于差额要求的 " (s.required) " 名: 须补充提名, 或经记录理由减少名额。" }
                }
                p.muted { (s.explanation) }
            }
        }
        @if e.vacant > 0 {
            p { "按规则设置, 得票并列的 " (e.vacant) " 个名额空缺。" }
        }
    }
}

/// A motion's 赞成 / 反对 / 弃权 and whether it passed.
pub fn motion(m: &MotionResult) -> Markup {
    html! {
        table.results {
            thead { tr { th.num { "赞成" } th.num { "反对" } th.num { "弃权" } th { "结果" } } }
            tbody {
                tr class=(if m.passed { "ok" } else { "error" }) {
                    td.num { (m.votes.for_votes) }
                    td.num { (m.votes.against) }
                    td.num { (m.votes.abstain) }
                    td { (if m.passed { "通过" } else { "未通过" }) }
                }
            }
        }
    }
}

/// The whole result: figures, counts and outcome, threshold, invalid ballots, explanation.
pub fn full(r: &ContestResult) -> Markup {
    html! {
        (ballot_figures(r))
        @match &r.detail {
            ContestDetail::Election(e) => (election(e)),
            ContestDetail::Motion(m) => (motion(m)),
            ContestDetail::Review(rv) => (super::review::result(rv)),
        }
        h3 { @if matches!(r.detail, ContestDetail::Review(_)) { "跟进标准" } @else { "当选 / 通过标准" } }
        (threshold(&r.threshold))
        (invalid_reasons(r))
        h3 { "计票说明" }
        @for line in r.explanation.lines().filter(|l| !l.trim().is_empty()) {
            p.explanation { (line) }
        }
        @if let ContestDetail::Election(e) = &r.detail {
            details {
                summary { "每位候选人的说明" }
                ul {
                    @for c in &e.candidates { li { (c.explanation) } }
                    @for w in &e.write_ins { li { (w.explanation) } }
                }
            }
        }
    }
}

/// A 评议会 participants' separate tally (rule I7), set apart under its label: their figures
/// and counts, never part of the result above it.
pub fn apart(r: &ContestResult) -> Markup {
    html! {
        section.apart #apart {
            h2 { (crate::domain::term::APART_LABEL) }
            p.muted { "列席评议人员(学工部、校团委)的选票用本项的第二把密钥签发, 单独公示、单独统计。以下结果不计入本项结果, 列席人员也不计入应到、实到和法定人数(规则I7)。" }
            table.figures {
                thead { tr { th { "列席人员" } th { "发出选票 (签到)" } th { "收回选票" } th { "有效票" } th { "废票" } } }
                tbody {
                    tr {
                        td.num { (r.roster) } td.num { (r.issued) } td.num { (r.cast) }
                        td.num { (r.valid) } td.num { (r.invalid) }
                    }
                }
            }
            @match &r.detail {
                ContestDetail::Election(e) => (election(e)),
                ContestDetail::Motion(m) => (motion(m)),
                ContestDetail::Review(rv) => (super::review::result(rv)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ballot::{Choices, Mark};
    use crate::domain::settings::{Threshold, TieRule};
    use crate::domain::tally::{tally, CandidateRef, ContestSpec, ElectionSpec, Turnout};

    fn marks(list: &[(&str, Mark)]) -> Choices {
        Choices::Election {
            marks: list.iter().map(|(k, m)| (k.to_string(), *m)).collect(),
            write_ins: Vec::new(),
        }
    }

    /// One seat, 王芳 and 李强; present 5: 王芳 3 for (over 5/2, at least 3), 李强 2.
    fn one_seat() -> ContestResult {
        let spec = ContestSpec::Election(ElectionSpec {
            seats: 1,
            candidates: vec![
                CandidateRef {
                    id: "k1".into(),
                    name: "王芳".into(),
                },
                CandidateRef {
                    id: "k2".into(),
                    name: "李强".into(),
                },
            ],
            allow_write_in: false,
            threshold: Threshold::ORDINARY,
            tie_rule: TieRule::Runoff,
        });
        let f = Mark::For;
        let a = Mark::Against;
        let ballots = vec![
            marks(&[("k1", f), ("k2", a)]),
            marks(&[("k1", f), ("k2", a)]),
            marks(&[("k1", f), ("k2", a)]),
            marks(&[("k1", a), ("k2", f)]),
            marks(&[("k1", f), ("k2", f)]), // over-voted: 2 for-marks for 1 seat
        ];
        tally(
            &spec,
            Turnout {
                issued: 5,
                roster: 6,
            },
            &ballots,
        )
    }

    #[test]
    fn outcome_and_tables_state_the_figures() {
        let r = one_seat();
        assert_eq!(r.valid, 4);
        assert_eq!(r.invalid, 1);
        assert_eq!(outcome_line(&r), "当选: 王芳");
        let html = full(&r).into_string();
        for needle in [
            "<td class=\"num\">6</td><td class=\"num\">5</td><td class=\"num\">5</td><td class=\"num\">4</td><td class=\"num\">1</td>",
            "<td>王芳</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">0</td><td>当选</td>",
            "<td>李强</td><td class=\"num\">1</td><td class=\"num\">3</td><td class=\"num\">0</td><td>未当选</td>",
            "赞成及另选人数超过应选名额",
            "<dd>3 票</dd>",
            "王芳 · 赞成 3 票",
        ] {
            assert!(html.contains(needle), "{needle} missing in {html}");
        }
    }

    #[test]
    fn motions_read_passed_or_not() {
        let spec = ContestSpec::Motion(crate::domain::tally::MotionSpec {
            threshold: Threshold::CHARTER,
        });
        let votes = [Mark::For, Mark::For, Mark::Against];
        let ballots: Vec<Choices> = votes.iter().map(|v| Choices::Motion { vote: *v }).collect();
        // 2 for of 3 present: 2/3 inclusive is met.
        let r = tally(
            &spec,
            Turnout {
                issued: 3,
                roster: 3,
            },
            &ballots,
        );
        assert_eq!(outcome_line(&r), "通过 (赞成 2 票, 反对 1 票, 弃权 0 票)");
        assert!(full(&r).into_string().contains("<td>通过</td>"));
    }
}
