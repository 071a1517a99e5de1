//! A counted contest as bars (rules F1, F4, G1-G3): per candidate a stacked bar 赞成 / 不赞成 /
//! 弃权 out of the valid ballots, the threshold (the fewest for-votes that elect, or pass) as a
//! dashed line across every bar (labelled once above them), and 当选 as a tag beside the name;
//! a motion as one bar with 通过 / 未通过. The name sits above its bar and the figures at the right of the name, so a
//! bar gets the picture's whole width on a phone. A 述职评议 draws nothing here: its result
//! already has one picture per person ([`super::review`]).

use maud::{html, Markup};

use super::{fit, legend, n, text_width, Key, INK, WIDTH};
use crate::domain::tally::{ContestDetail, ContestResult, Status};

const FOR: &str = "#1b7f3b";
const AGAINST: &str = "#c62828";
const ABSTAIN: &str = "#9e9e9e";
const TRACK: &str = "#eceef1";
/// 当选 / 通过: dark text on amber (contrast above 9:1).
const TAG: &str = "#f2b01e";
const FONT: f64 = 13.0;
const PITCH: f64 = 42.0;
const BAR_H: f64 = 16.0;
/// The longest name drawn whole (a write-in may be long); longer ones end in "…".
const NAME_MAX: f64 = 200.0;

/// One bar: the name, its tag, the counts (against and abstain absent for a write-in).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub name: String,
    pub tag: Option<&'static str>,
    pub for_votes: u64,
    pub against: Option<u64>,
    pub abstain: Option<u64>,
}

/// The words of the "against" column: 不赞成 for a candidate, 反对 for a motion.
fn against_zh(motion: bool) -> &'static str {
    if motion {
        "反对"
    } else {
        "不赞成"
    }
}

/// The bars of `r`, or nothing for a 述职评议.
pub fn contest(r: &ContestResult) -> Markup {
    let (items, motion) = match &r.detail {
        ContestDetail::Election(e) => {
            let mut items: Vec<Item> = e
                .candidates
                .iter()
                .map(|c| Item {
                    name: c.name.clone(),
                    tag: (c.status == Status::Elected).then_some("当选"),
                    for_votes: c.votes.for_votes,
                    against: Some(c.votes.against),
                    abstain: Some(c.votes.abstain),
                })
                .collect();
            items.extend(e.write_ins.iter().map(|w| Item {
                name: format!("另选他人: {}", w.name),
                tag: (w.status == Status::Elected).then_some("当选"),
                for_votes: w.for_votes,
                against: None,
                abstain: None,
            }));
            (items, false)
        }
        ContestDetail::Motion(m) => (
            vec![Item {
                name: "表决结果".to_string(),
                tag: Some(if m.passed { "通过" } else { "未通过" }),
                for_votes: m.votes.for_votes,
                against: Some(m.votes.against),
                abstain: Some(m.votes.abstain),
            }],
            true,
        ),
        ContestDetail::Review(_) => return html! {},
    };
    let needed = if motion {
        "通过所需"
    } else {
        "当选所需"
    };
    let title = format!(
        "计票结果图: 有效票{}张, {}{}票 (规则{}){}",
        r.valid,
        needed,
        r.threshold.min_for,
        r.threshold.rule,
        if r.void { "; 本次投票无效" } else { "" }
    );
    draw(
        &title,
        &items,
        r.valid,
        r.threshold.min_for,
        &format!("{needed}{}票", r.threshold.min_for),
        motion,
    )
}

/// The scale's right end: the valid ballots, or further when the threshold or a count
/// (never, on a consistent result) lies beyond them.
pub(crate) fn scale_max(items: &[Item], valid: u64, min_for: u64) -> u64 {
    items
        .iter()
        .map(|i| i.for_votes + i.against.unwrap_or(0) + i.abstain.unwrap_or(0))
        .chain([valid, min_for])
        .max()
        .unwrap_or(0)
}

/// The figures of one item in words.
fn figures(i: &Item, motion: bool) -> String {
    match (i.against, i.abstain) {
        (Some(a), Some(b)) => format!(
            "赞成 {} · {} {a} · 弃权 {b}",
            i.for_votes,
            against_zh(motion)
        ),
        _ => format!("赞成 {}", i.for_votes),
    }
}

/// (x from, x to, fill, text colour, count) of an item's non-empty parts, end to end, on a
/// scale whose right end (`WIDTH`) is `max`.
pub(crate) fn parts(i: &Item, max: f64) -> Vec<(f64, f64, &'static str, &'static str, u64)> {
    let x = |v: u64| {
        if max <= 0.0 {
            0.0
        } else {
            WIDTH * (v as f64 / max).min(1.0)
        }
    };
    let mut out = Vec::new();
    let mut done = 0;
    for (v, fill, ink) in [
        (i.for_votes, FOR, "#fff"),
        (i.against.unwrap_or(0), AGAINST, "#fff"),
        (i.abstain.unwrap_or(0), ABSTAIN, "#000"),
    ] {
        if v > 0 {
            out.push((x(done), x(done + v), fill, ink, v));
            done += v;
        }
    }
    out
}

pub(crate) fn draw(
    title: &str,
    items: &[Item],
    valid: u64,
    min_for: u64,
    line_label: &str,
    motion: bool,
) -> Markup {
    let max = scale_max(items, valid, min_for) as f64;
    let x = |v: u64| {
        if max <= 0.0 {
            0.0
        } else {
            WIDTH * (v as f64 / max).min(1.0)
        }
    };
    let (legend, legend_h) = legend(&[
        (Key::Fill(FOR), "赞成".to_string()),
        (Key::Fill(AGAINST), against_zh(motion).to_string()),
        (Key::Fill(ABSTAIN), "弃权".to_string()),
    ]);
    let top = legend_h + 20.0;
    let height = top + PITCH * items.len().max(1) as f64;
    let line_x = x(min_for);
    let anchor = if line_x > WIDTH * 0.75 {
        "end"
    } else if line_x < 40.0 {
        "start"
    } else {
        "middle"
    };
    html! {
        svg.chart.result xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (n(WIDTH)) " " (n(height))}
            width="100%" role="img" aria-label=(title) font-size=(n(FONT)) {
            title { (title) }
            (legend)
            @for (k, i) in items.iter().enumerate() {
                @let y = top + PITCH * k as f64;
                @let figs = figures(i, motion);
                @let room = (WIDTH - text_width(&figs, 12.0) - 12.0 - i.tag.map_or(0.0, |t| text_width(t, 12.0) + 16.0)).min(NAME_MAX);
                @let name = fit(&i.name, FONT, room);
                @let name_w = text_width(&name, FONT);
                g.row {
                    @if name != i.name { title { (i.name) } }
                    text x="0" y=(n(y + 13.0)) fill=(INK) font-weight=[i.tag.is_some().then_some("bold")] { (name) }
                    @if let Some(tag) = i.tag {
                        @let w = text_width(tag, 12.0) + 10.0;
                        @let passed = tag != "未通过";
                        rect.tag x=(n(name_w + 6.0)) y=(n(y)) width=(n(w)) height="17" rx="3"
                            fill=(if passed { TAG } else { "#fff" }) stroke=(INK) stroke-width=(if passed { "0" } else { "1" }) {}
                        text x=(n(name_w + 11.0)) y=(n(y + 13.0)) fill=(INK) font-size="12" { (tag) }
                    }
                    text.figures x=(n(WIDTH)) y=(n(y + 13.0)) text-anchor="end" fill=(INK) font-size="12" { (figs) }
                    @if max > 0.0 {
                        rect x="0" y=(n(y + 19.0)) width=(n(x(valid))) height=(n(BAR_H)) fill=(TRACK) {}
                    }
                    @for (x0, x1, fill, ink, v) in parts(i, max) {
                        rect x=(n(x0)) y=(n(y + 19.0)) width=(n(x1 - x0)) height=(n(BAR_H)) fill=(fill) {}
                        @if x1 - x0 >= 10.0 + 7.5 * v.to_string().len() as f64 {
                            text x=(n((x0 + x1) / 2.0)) y=(n(y + 31.5)) text-anchor="middle" fill=(ink) font-size="12" { (v) }
                        }
                    }
                    // The threshold across the bar only: through the name line it would cross the
                    // figures.
                    // A white line under the dashes keeps them visible on the green.
                    line x1=(n(line_x)) x2=(n(line_x)) y1=(n(y + 17.0)) y2=(n(y + 21.0 + BAR_H))
                        stroke="#fff" stroke-width="3.5" {}
                    line.threshold x1=(n(line_x)) x2=(n(line_x)) y1=(n(y + 16.0)) y2=(n(y + 22.0 + BAR_H))
                        stroke=(INK) stroke-width="1.5" stroke-dasharray="3 2" {}
                }
            }
            text x=(n(line_x)) y=(n(top - 7.0)) text-anchor=(anchor) fill=(INK) font-size="12" { (line_label) }
        }
    }
}
