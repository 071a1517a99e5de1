//! The projector (大屏): what a hall reads from its back rows. During 签到 the live count
//! 实到 / 应到 against the quorum line; during voting "已投 87 / 发出 115" per open contest
//! (never a partial result); after the count each candidate's 赞成 / 不赞成 / 弃权 as a bar
//! with the threshold line and 当选 marked, a motion as one bar. Bars are server-side SVG
//! (presentation attributes and classes only: the CSP forbids inline styles), so the page
//! needs no chart library and no script; `static/screen.js` only swaps in a fresh `<main>`.

use maud::{html, Markup};

use crate::domain::contest::{Contest, ContestState};
use crate::domain::tally::{ContestDetail, ContestResult, MarkCounts, Status};
use crate::service::attendance::Attendance;
use crate::web::views::results::state_badge;

/// Width of a bar's coordinate system (the SVG stretches to its box).
const W: f64 = 1000.0;

/// `part` of `whole` in bar units, clamped to the bar.
fn span(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * W / whole as f64).min(W)
    }
}

/// One horizontal bar of segments `(class, value)` out of `whole`, with an optional marker
/// line at `mark` (the quorum or the threshold).
pub fn bar(segments: &[(&str, u64)], whole: u64, mark: Option<u64>, label: &str) -> Markup {
    let mut x = 0.0;
    let rects: Vec<(String, f64, f64)> = segments
        .iter()
        .map(|(class, v)| {
            let w = span(*v, whole).min(W - x);
            let r = ((*class).to_string(), x, w);
            x += w;
            r
        })
        .collect();
    html! {
        svg.bar viewBox={"0 0 " (W) " 40"} preserveAspectRatio="none" role="img" aria-label=(label) {
            rect.track x="0" y="0" width=(W) height="40" {}
            @for (class, x, w) in &rects {
                rect class=(class) x=(format!("{x:.1}")) y="0" width=(format!("{w:.1}")) height="40" {}
            }
            @if let Some(m) = mark {
                @let mx = span(m, whole);
                line.mark x1=(format!("{mx:.1}")) x2=(format!("{mx:.1}")) y1="-4" y2="44" {}
            }
        }
    }
}

/// 实到 / 应到 in large type, with the quorum line on the bar.
pub fn attendance(fig: &Attendance) -> Markup {
    html! {
        section.screen-attendance {
            p.figure {
                span.present { (fig.present) }
                span.sep { " / " }
                span.expected { (fig.expected) }
            }
            p.figure-label { "实到 / 应到" }
            (bar(&[("present", fig.present)], fig.expected, Some(fig.quorum_needed),
                 &format!("实到 {} / 应到 {}", fig.present, fig.expected)))
            p.quorum {
                "法定人数: 实到须" (fig.quorum_rule) "应到, 即至少 " (fig.quorum_needed) " 人 "
                @if fig.quorum_met { span.badge.ok { "已达到" } } @else { span.badge.bad { "未达到" } }
            }
        }
    }
}

/// 实到 / 应到 as one line once voting has begun: the hall's attention is on the contests.
pub fn attendance_line(fig: &Attendance) -> Markup {
    html! {
        section.screen-attendance.compact {
            p.figure-line {
                "实到 " span.present { (fig.present) } " / 应到 " span.expected { (fig.expected) }
                span.quorum-note { " · 法定人数 " (fig.quorum_needed) " 人 " }
                @if fig.quorum_met { span.badge.ok { "已达到" } } @else { span.badge.bad { "未达到" } }
            }
            (bar(&[("present", fig.present)], fig.expected, Some(fig.quorum_needed),
                 &format!("实到 {} / 应到 {}", fig.present, fig.expected)))
        }
    }
}

/// Contests shown in full at once; older results shrink to one line each, so a 1080p screen
/// holds the day's current business without scrolling (docs/pages.md).
pub const FULL_CONTESTS: usize = 3;

/// A contest as the projector gets it: the contest, ballots in the box while it awaits the
/// count, and its result once counted.
/// A contest on the projector: the contest, ballots in the box while it awaits its count,
/// its result once counted, and the participants' apart tally of a 评议会 counting them apart
/// (rule I7).
pub type Shown = (
    Contest,
    Option<u64>,
    Option<ContestResult>,
    Option<ContestResult>,
);

/// The whole projector below the title. Before any vote the big 实到 / 应到; from the first
/// opening a one-line count, the contests being voted on and the newest results in full
/// (at most [`FULL_CONTESTS`], more only when more are open at once), older results as one
/// line each, and the contests still to come as one line.
pub fn board(fig: &Attendance, shown: &[Shown]) -> Markup {
    let started = shown.iter().any(|(k, _, _, _)| k.state.has_opened());
    let keys: Vec<(ContestState, u32)> = shown
        .iter()
        .map(|(k, _, _, _)| (k.state, k.agenda_order))
        .collect();
    let a = arrange(&keys);
    let full: Vec<&Shown> = a.full.iter().map(|&i| &shown[i]).collect();
    let older: Vec<&Shown> = a.older.iter().map(|&i| &shown[i]).collect();
    let next: Vec<&Contest> = a.next.iter().map(|&i| &shown[i].0).collect();
    html! {
        @if started { (attendance_line(fig)) } @else { (attendance(fig)) }
        @if !full.is_empty() {
            div.screen-contests {
                @for (k, cast, r, apart) in &full { (contest(k, *cast, r.as_ref(), apart.as_ref())) }
            }
        }
        @if !older.is_empty() {
            section.screen-earlier {
                h2 { "已确定的结果" }
                ol {
                    @for (k, _, r, _) in &older {
                        li { span.title { (k.agenda_order) ". " (k.def.title) } " " span.outcome-line { (r.as_ref().map(summary).unwrap_or_default()) } }
                    }
                }
            }
        }
        @if !next.is_empty() && !started {
            section.screen-agenda {
                h2 { "议程" }
                ol {
                    @for k in &next {
                        li { (k.agenda_order) ". " (k.def.title) " " (state_badge(k.state)) }
                    }
                }
            }
        }
        @if !next.is_empty() && started {
            p.screen-next {
                "接下来: "
                @for (i, k) in next.iter().enumerate() {
                    @if i > 0 { " · " }
                    (k.agenda_order) ". " (k.def.title)
                }
            }
        }
    }
}

/// Which contests the projector shows in full, as one line of results, or as still to come
/// (indices into the agenda, each list in agenda order).
#[derive(Debug, PartialEq, Eq)]
pub struct Arrangement {
    pub full: Vec<usize>,
    pub older: Vec<usize>,
    pub next: Vec<usize>,
}

/// Every contest being voted on or awaiting its count in full; then the newest counted ones
/// while fewer than [`FULL_CONTESTS`] are shown; older counted ones as a line each; drafts
/// as the contests to come.
pub fn arrange(contests: &[(ContestState, u32)]) -> Arrangement {
    let by_order = |v: &mut Vec<usize>| v.sort_by_key(|&i| contests[i].1);
    let pick = |f: fn(ContestState) -> bool| -> Vec<usize> {
        (0..contests.len()).filter(|&i| f(contests[i].0)).collect()
    };
    let mut full = pick(ContestState::awaiting_count);
    let mut counted = pick(ContestState::is_counted);
    counted.sort_by_key(|&i| std::cmp::Reverse(contests[i].1));
    let room = FULL_CONTESTS.saturating_sub(full.len()).min(counted.len());
    let mut older = counted.split_off(room);
    full.extend(counted);
    by_order(&mut full);
    by_order(&mut older);
    let mut next = pick(|s| s == ContestState::Draft);
    by_order(&mut next);
    Arrangement { full, older, next }
}

/// One counted contest in a line: who was elected, or whether the motion passed.
pub fn summary(r: &ContestResult) -> String {
    if r.void {
        return "投票无效, 须重新投票".into();
    }
    match &r.detail {
        ContestDetail::Election(e) if e.elected.is_empty() => "无人当选".into(),
        ContestDetail::Election(e) => {
            let names: Vec<&str> = e.elected.iter().map(|c| c.name.as_str()).collect();
            format!("当选: {}", names.join("、"))
        }
        ContestDetail::Motion(m) => (if m.passed { "通过" } else { "未通过" }).into(),
        ContestDetail::Review(rv) => super::review::outcome_line(rv),
    }
}

/// One contest on the screen: its title and state, then progress or result, and under the
/// result the participants' apart tally (rule I7) in one line, when there is one.
pub fn contest(
    k: &Contest,
    cast: Option<u64>,
    r: Option<&ContestResult>,
    apart: Option<&ContestResult>,
) -> Markup {
    html! {
        section.screen-contest {
            h2 { (k.agenda_order) ". " (k.def.title) " " (state_badge(k.state)) }
            @match (k.state, r) {
                (ContestState::Open | ContestState::Closed, _) => {
                    @let (cast, issued) = (cast.unwrap_or(0), u64::from(k.issued.unwrap_or(0)));
                    p.progress { "已投 " strong { (cast) } " / 发出 " strong { (issued) } }
                    (bar(&[("cast", cast)], issued, None, &format!("已投 {cast} / 发出 {issued}")))
                    @if k.state == ContestState::Closed { p.muted { "投票已结束, 正在计票" } }
                },
                (ContestState::Final, Some(r)) => {
                    (result(r))
                    @if let Some(p) = apart { (apart_line(p)) }
                },
                (ContestState::Draft, _) => p.muted { "尚未开始投票" },
                _ => {},
            }
        }
    }
}

/// The participants' apart tally (rule I7) in one line, labelled as never part of the result:
/// their papers and the outcome their ballots would give.
pub fn apart_line(p: &ContestResult) -> Markup {
    html! {
        p.screen-apart {
            span.apart-label { (crate::domain::term::APART_LABEL) } ": "
            "发出 " (p.issued) " · 收回 " (p.cast) " · 有效 " (p.valid) " · " (summary(p))
        }
    }
}

fn legend() -> Markup {
    html! {
        p.legend {
            span.key.for { "赞成" } span.key.against { "不赞成" } span.key.abstain { "弃权" }
            span.key.line { "当选所需票数" }
        }
    }
}

fn counts_bar(v: &MarkCounts, whole: u64, mark: Option<u64>, label: &str) -> Markup {
    bar(
        &[
            ("for", v.for_votes),
            ("against", v.against),
            ("abstain", v.abstain),
        ],
        whole,
        mark,
        label,
    )
}

/// A counted contest: the figures, then one bar per candidate (or the motion's bar).
pub fn result(r: &ContestResult) -> Markup {
    let whole = r.valid.max(1);
    let min = Some(r.threshold.min_for);
    html! {
        p.figures-line { "发出 " (r.issued) " · 收回 " (r.cast) " · 有效 " (r.valid) " · 废票 " (r.invalid) }
        @if r.void {
            p.error { "收回选票多于发出选票, 本次投票无效, 须重新投票 (规则 E4)" }
        } @else {
            @match &r.detail {
                ContestDetail::Election(e) => {
                    (legend())
                    ol.bars {
                        @for c in &e.candidates {
                            li class=(if c.status == Status::Elected { "elected" } else { "" }) {
                                p.who {
                                    span.name { (c.name) }
                                    @if c.status == Status::Elected { span.won { "当选" } }
                                    @else if c.status != Status::NotElected { span.other { (c.status.zh()) } }
                                }
                                div.bar-col {
                                    span.nums { "赞成 " (c.votes.for_votes) " · 不赞成 " (c.votes.against) " · 弃权 " (c.votes.abstain) }
                                    (counts_bar(&c.votes, whole, min, &format!("{}: 赞成 {}", c.name, c.votes.for_votes)))
                                }
                            }
                        }
                        @for x in &e.write_ins {
                            li class=(if x.status == Status::Elected { "elected" } else { "" }) {
                                p.who {
                                    span.name { "另选他人: " (x.name) }
                                    @if x.status == Status::Elected { span.won { "当选" } }
                                }
                                div.bar-col {
                                    span.nums { "赞成 " (x.for_votes) }
                                    (bar(&[("for", x.for_votes)], whole, min, &format!("{}: 赞成 {}", x.name, x.for_votes)))
                                }
                            }
                        }
                    }
                    @if e.elected.is_empty() { p.outcome { "无人当选" } }
                    @if let Some(run) = &e.runoff {
                        p.outcome { "得票并列: " (run.candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("、")) ", 再次投票选出 " (run.seats) " 名" }
                    }
                    @if let Some(s) = &e.supplementary {
                        p.outcome { "当选人数不足, 另行选举 " (s.seats) " 名" }
                    }
                },
                ContestDetail::Motion(m) => {
                    (legend())
                    p.who.motion-result {
                        span class=(if m.passed { "won motion passed" } else { "won motion failed" }) { (if m.passed { "通过" } else { "未通过" }) }
                        span.nums { "赞成 " (m.votes.for_votes) " · 反对 " (m.votes.against) " · 弃权 " (m.votes.abstain) }
                    }
                    (counts_bar(&m.votes, whole, min, &format!("赞成 {}", m.votes.for_votes)))
                },
                ContestDetail::Review(rv) => {
                    p.outcome { (super::review::outcome_line(rv)) }
                },
            }
            p.muted { (r.threshold.text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_keeps_current_business_in_full() {
        use ContestState::*;
        // Nothing started: every contest is still to come.
        let a = arrange(&[(Draft, 2), (Draft, 1)]);
        assert_eq!((a.full.len(), a.older.len(), a.next), (0, 0, vec![1, 0]));
        // Four counted, one open, one draft: the open one and the two newest results in
        // full, the two oldest results as lines, the draft to come.
        let k = [
            (Final, 1),
            (Final, 2),
            (Final, 3),
            (Final, 4),
            (Open, 5),
            (Draft, 6),
        ];
        let a = arrange(&k);
        assert_eq!(
            a,
            Arrangement {
                full: vec![2, 3, 4],
                older: vec![0, 1],
                next: vec![5]
            }
        );
        // More open at once than the screen's share: all of them, no result in full.
        let a = arrange(&[(Open, 1), (Closed, 2), (Open, 3), (Open, 4), (Final, 0)]);
        assert_eq!((a.full, a.older), (vec![0, 1, 2, 3], vec![4]));
    }

    #[test]
    fn bars_stay_inside_and_mark_the_line() {
        let html = bar(&[("for", 30), ("against", 80)], 100, Some(50), "x").into_string();
        assert!(
            html.contains(r#"class="for" x="0.0" y="0" width="300.0""#),
            "{html}"
        );
        // The second segment is cut at the end of the bar.
        assert!(
            html.contains(r#"class="against" x="300.0" y="0" width="700.0""#),
            "{html}"
        );
        assert!(html.contains(r#"x1="500.0""#), "{html}");
        assert!(!html.contains("style="));
        let empty = bar(&[("cast", 0)], 0, None, "x").into_string();
        assert!(empty.contains(r#"width="0.0""#), "{empty}");
    }
}
