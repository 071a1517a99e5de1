//! Pictures where people look rather than read (issue 14.6): horizontal bar charts drawn on
//! the server as SVG, no chart library and no script. Each picture is one `<svg role="img">`
//! with a Chinese `<title>` and `aria-label`, a `viewBox` and `width="100%"` so it shrinks to a
//! 360 px phone without scrolling sideways, colours given as presentation attributes (the
//! served pages' CSP allows no inline style, and the packet's `report.html` is opened from
//! disk), and every figure also written as text beside its bar: the picture reads without
//! colour. Names are text nodes and attribute values, escaped by maud.
//!
//! - [`quota`]: the quota per college (A3) with the minimum (A1) marked on each bar;
//! - [`ordinary`], [`women`], [`grades`]: the roster's composition per college against the
//!   congress's own settings (B2, B5, B3);
//! - [`attendance`]: checked-in against expected, for the congress and per college (D1, D2);
//! - [`result`]: a counted contest's per-candidate bars with the threshold (F1, F4), for the
//!   results page and the printed record;
//! - [`review`]: a 述职评议's grades per person and dimension (H3-H5), for its result page,
//!   its printed sheet and the printed record.
//!
//! It lives in `packet` because the printed record (`packet::report`) draws the results too,
//! and `packet` may not reach the web layer.

pub mod result;
pub mod review;

use maud::{html, Markup};

use crate::domain::quota::Allocation;
use crate::domain::roster::RosterSummary;
use crate::packet::report::percent;

/// The width of every picture in `viewBox` units; the page scales it to its column.
pub const WIDTH: f64 = 380.0;
/// Font size of labels and figures, in `viewBox` units.
const FONT: f64 = 13.0;
/// Distance between two bars of a chart, and a bar's height.
const PITCH: f64 = 24.0;
const BAR_H: f64 = 14.0;
/// The widest a label column gets; longer names are shortened with "…" (the full name is
/// the row's `<title>`).
const LABEL_MAX: f64 = 132.0;
/// The widest a figure column gets.
const NOTE_MAX: f64 = 140.0;

/// Text, marks and tracks: dark on white (contrast above 12:1).
pub(crate) const INK: &str = "#1f1f1f";
const TRACK: &str = "#e4e7eb";
const BLUE: &str = "#2f6db5";
const GREEN: &str = "#2e7d32";
const RED: &str = "#c62828";

/// Roughly how wide `s` is at `size` (CJK full width, ASCII a little over half).
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            ' ' => 0.3,
            c if c.is_ascii() => 0.6,
            _ => 1.0,
        })
        .sum::<f64>()
        * size
}

/// `s` cut to fit `max` units at `size`, with "…" when cut.
pub(crate) fn fit(s: &str, size: f64, max: f64) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if text_width(&out, size) + size > max {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}

/// A coordinate: one decimal, no trailing ".0".
pub(crate) fn n(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// One coloured part of a bar.
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    pub value: f64,
    pub fill: &'static str,
}

/// One bar of a chart: label, parts, an optional light track behind (its full length), short
/// marks across the bar (a minimum), and the figures written to its right.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub label: String,
    pub bold: bool,
    pub track: Option<f64>,
    pub segs: Vec<Seg>,
    pub marks: Vec<f64>,
    pub note: String,
}

/// A line through every bar (a rule's threshold), labelled above the first bar.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub at: f64,
    pub label: String,
}

/// A legend entry: a filled swatch, an outlined one, or a mark.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key {
    Fill(&'static str),
    Outline,
    Mark,
    Dashed,
}

/// A horizontal bar chart, label column on the left, figures on the right.
#[derive(Debug, Clone)]
pub(crate) struct Bars {
    pub title: String,
    pub legend: Vec<(Key, String)>,
    pub rows: Vec<Row>,
    /// The value at the bar column's right end.
    pub max: f64,
    pub line: Option<Line>,
}

/// Where the three columns fall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Columns {
    pub bar_x: f64,
    pub bar_w: f64,
    pub note_x: f64,
}

impl Bars {
    pub(crate) fn columns(&self) -> Columns {
        let label = self
            .rows
            .iter()
            .map(|r| text_width(&r.label, FONT))
            .fold(0.0, f64::max)
            .min(LABEL_MAX);
        let note = self
            .rows
            .iter()
            .map(|r| text_width(&r.note, FONT))
            .fold(0.0, f64::max)
            .min(NOTE_MAX);
        let bar_x = label + 8.0;
        let note_x = WIDTH - note - 4.0;
        Columns {
            bar_x,
            bar_w: (note_x - 6.0 - bar_x).max(40.0),
            note_x,
        }
    }

    /// The x of `value` on the bar column (values past `max` stop at its end).
    pub(crate) fn x(&self, cols: Columns, value: f64) -> f64 {
        if self.max <= 0.0 {
            return cols.bar_x;
        }
        cols.bar_x + cols.bar_w * (value / self.max).clamp(0.0, 1.0)
    }

    pub(crate) fn render(&self) -> Markup {
        let cols = self.columns();
        let (legend, legend_h) = legend(&self.legend);
        let top = legend_h + if self.line.is_some() { 18.0 } else { 4.0 };
        let height = top + PITCH * self.rows.len().max(1) as f64 + 4.0;
        html! {
            svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (n(WIDTH)) " " (n(height))}
                width="100%" role="img" aria-label=(self.title) font-size=(n(FONT)) {
                title { (self.title) }
                (legend)
                @if self.rows.is_empty() {
                    text x="0" y=(n(top + 15.0)) fill=(INK) { "(无数据)" }
                }
                @for (i, r) in self.rows.iter().enumerate() {
                    @let y = top + PITCH * i as f64;
                    @let label = fit(&r.label, FONT, LABEL_MAX);
                    g.row {
                        @if label != r.label { title { (r.label) } }
                        text x=(n(cols.bar_x - 8.0)) y=(n(y + 15.0)) text-anchor="end" fill=(INK)
                            font-weight=[r.bold.then_some("bold")] { (label) }
                        @if let Some(t) = r.track {
                            rect x=(n(cols.bar_x)) y=(n(y + 4.0)) width=(n(self.x(cols, t) - cols.bar_x)) height=(n(BAR_H)) fill=(TRACK) {}
                        }
                        @for (x, w, fill) in self.segments(cols, r) {
                            rect x=(n(x)) y=(n(y + 4.0)) width=(n(w)) height=(n(BAR_H)) fill=(fill) {}
                        }
                        @for m in &r.marks {
                            @let x = self.x(cols, *m);
                            line x1=(n(x)) x2=(n(x)) y1=(n(y)) y2=(n(y + 8.0 + BAR_H)) stroke=(INK) stroke-width="2.5" {}
                        }
                        text x=(n(cols.note_x)) y=(n(y + 15.0)) fill=(INK) { (r.note) }
                    }
                }
                @if let Some(l) = &self.line {
                    @let x = self.x(cols, l.at);
                    @let anchor = if x > cols.bar_x + cols.bar_w * 0.7 { "end" } else if x < cols.bar_x + 30.0 { "start" } else { "middle" };
                    line.threshold x1=(n(x)) x2=(n(x)) y1=(n(top - 3.0)) y2=(n(height - 2.0)) stroke=(INK) stroke-width="1.5" stroke-dasharray="4 3" {}
                    text x=(n(x)) y=(n(top - 6.0)) text-anchor=(anchor) fill=(INK) font-size="12" { (l.label) }
                }
            }
        }
    }

    /// (x, width, fill) of a row's non-empty parts, laid end to end.
    pub(crate) fn segments(&self, cols: Columns, r: &Row) -> Vec<(f64, f64, &'static str)> {
        let mut out = Vec::new();
        let mut done = 0.0;
        for s in r.segs.iter().filter(|s| s.value > 0.0) {
            let x = self.x(cols, done);
            done += s.value;
            out.push((x, self.x(cols, done) - x, s.fill));
        }
        out
    }
}

/// The legend as a line (or lines) of swatches and words; its height.
pub(crate) fn legend(keys: &[(Key, String)]) -> (Markup, f64) {
    let mut placed = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    for (key, text) in keys {
        let w = 16.0 + text_width(text, 12.0) + 14.0;
        if x > 0.0 && x + w > WIDTH {
            x = 0.0;
            y += 18.0;
        }
        placed.push((x, y, *key, text));
        x += w;
    }
    let height = if keys.is_empty() { 0.0 } else { y + 20.0 };
    let markup = html! {
        @for (x, y, key, text) in placed {
            @match key {
                // The light track's swatch gets an outline, or it vanishes on white.
                Key::Fill(TRACK) => rect x=(n(x + 0.5)) y=(n(y + 4.5)) width="10" height="10" fill=(TRACK) stroke="#8a8f96" stroke-width="1" {},
                Key::Fill(fill) => rect x=(n(x)) y=(n(y + 4.0)) width="11" height="11" fill=(fill) {},
                Key::Outline => rect x=(n(x + 0.75)) y=(n(y + 4.75)) width="9.5" height="9.5" fill="#fff" stroke=(INK) stroke-width="1.5" {},
                Key::Mark => line x1=(n(x + 5.5)) x2=(n(x + 5.5)) y1=(n(y + 2.0)) y2=(n(y + 17.0)) stroke=(INK) stroke-width="2.5" {},
                Key::Dashed => line x1=(n(x + 5.5)) x2=(n(x + 5.5)) y1=(n(y + 2.0)) y2=(n(y + 17.0)) stroke=(INK) stroke-width="1.5" stroke-dasharray="4 3" {},
            }
            text x=(n(x + 16.0)) y=(n(y + 14.0)) fill=(INK) font-size="12" { (text) }
        }
    };
    (markup, height)
}

/// "1%", "0.5%" from basis points.
fn ratio(bp: u32) -> String {
    let s = format!("{:.2}", f64::from(bp) / 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

/// The quota per college (A3), each bar with its minimum (A1: the ratio of enrolment rounded
/// up, never below the minimum seats) marked across it.
pub fn quota(a: &Allocation) -> Markup {
    let max = a
        .colleges
        .iter()
        .map(|c| c.quota.max(c.minimum))
        .max()
        .unwrap_or(0) as f64;
    let rows = a
        .colleges
        .iter()
        .map(|c| Row {
            label: c.college.clone(),
            segs: vec![Seg {
                value: c.quota as f64,
                fill: BLUE,
            }],
            marks: vec![c.minimum as f64],
            note: format!("{}名 · 最低{}", c.quota, c.minimum),
            ..Row::default()
        })
        .collect();
    Bars {
        title: format!(
            "各学院代表名额: {}个学院共{}名, 竖线为最低名额(在校生的{})",
            a.colleges.len(),
            a.total,
            ratio(a.ratio_bp)
        ),
        legend: vec![
            (Key::Fill(BLUE), "分配名额".to_string()),
            (
                Key::Mark,
                format!("最低名额(在校生的{}, 规则A1)", ratio(a.ratio_bp)),
            ),
        ],
        rows,
        max,
        line: None,
    }
    .render()
}

/// A share row: `part` of `whole` against `required` (green when met, red otherwise), over a
/// light track of the whole; the figures and "不足" in words.
fn share_row(label: &str, part: u64, whole: u64, required: Option<u64>) -> Row {
    let short = required.is_some_and(|r| part < r);
    let value = if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    };
    Row {
        label: label.to_string(),
        track: (whole > 0).then_some(1.0),
        segs: vec![Seg {
            value,
            fill: if short { RED } else { GREEN },
        }],
        note: format!(
            "{part}/{whole} · {}{}",
            percent(part, whole),
            if short { " 不足" } else { "" }
        ),
        ..Row::default()
    }
}

/// The line at `pct` percent, labelled with the rule.
fn pct_line(pct: u32, rule: &str) -> Option<Line> {
    (pct > 0).then(|| Line {
        at: f64::from(pct) / 100.0,
        label: format!("{pct}% ({rule})"),
    })
}

/// B2: ordinary students' share of the whole congress and of each college's elected
/// delegates, against `min_pct` (the congress's setting); a college short of its
/// `ordinary_required` is red and says "不足".
pub fn ordinary(s: &RosterSummary, min_pct: u32) -> Markup {
    let mut rows = vec![Row {
        bold: true,
        ..share_row("全体代表", s.ordinary, s.total, Some(s.ordinary_required))
    }];
    rows.extend(s.colleges.iter().map(|c| {
        share_row(
            &c.college,
            c.ordinary,
            c.delegates,
            Some(c.ordinary_required),
        )
    }));
    Bars {
        title: format!("普通同学占比: 每个学院及全体代表应不少于{min_pct}% (规则B2)"),
        legend: vec![
            (Key::Fill(GREEN), "达到要求".to_string()),
            (Key::Fill(RED), "不足".to_string()),
            (Key::Dashed, format!("要求的{min_pct}%")),
        ],
        rows,
        max: 1.0,
        line: pct_line(min_pct, "B2"),
    }
    .render()
}

/// B5: women's share of the whole congress against `min_pct` (0: the rule is off, no line),
/// and each college's share for comparison (B5 is a rule of the whole congress, so a
/// college's bar is never called short).
pub fn women(s: &RosterSummary, min_pct: u32) -> Markup {
    let mut rows = vec![Row {
        bold: true,
        ..share_row(
            "全体代表",
            s.women,
            s.total,
            (min_pct > 0).then_some(s.women_required),
        )
    }];
    rows.extend(
        s.colleges
            .iter()
            .map(|c| share_row(&c.college, c.women, c.delegates, None)),
    );
    let title = if min_pct > 0 {
        format!("女代表占比: 全体代表应不少于{min_pct}% (规则B5), 各学院供参考")
    } else {
        "女代表占比 (规则B5未启用)".to_string()
    };
    let mut legend = vec![(Key::Fill(GREEN), "占比".to_string())];
    if min_pct > 0 {
        legend.push((Key::Fill(RED), "全体不足".to_string()));
        legend.push((Key::Dashed, format!("要求的{min_pct}%")));
    }
    Bars {
        title,
        legend,
        rows,
        max: 1.0,
        line: pct_line(min_pct, "B5"),
    }
    .render()
}

/// B3: per college one box per grade with students, filled (with a tick) when an elected
/// delegate comes from it, and the count against what the rule requires.
pub fn grades(s: &RosterSummary) -> Markup {
    const BOX: f64 = 11.0;
    const GAP: f64 = 2.0;
    let title = "各学院年级覆盖: 每个有学生的年级至少一名代表 (规则B3)";
    let notes: Vec<String> = s
        .colleges
        .iter()
        .map(|c| {
            let short = (c.grades_covered.len() as u64) < c.grades_required;
            format!(
                "{}/{}个年级 · 应覆盖{}{}",
                c.grades_covered.len(),
                c.grades.len(),
                c.grades_required,
                if short { " 不足" } else { "" }
            )
        })
        .collect();
    let label_w = s
        .colleges
        .iter()
        .map(|c| text_width(&c.college, FONT))
        .fold(0.0, f64::max)
        .min(LABEL_MAX);
    let box_x = label_w + 8.0;
    let most = s.colleges.iter().map(|c| c.grades.len()).max().unwrap_or(0) as f64;
    let note_w = notes
        .iter()
        .map(|t| text_width(t, FONT))
        .fold(0.0, f64::max)
        .min(NOTE_MAX + 30.0);
    let note_x = (box_x + most * (BOX + GAP) + 8.0).min(WIDTH - note_w - 4.0);
    // Boxes that do not fit before the figures wrap under them (a college of 12 grades).
    let per_line = (((note_x - 8.0 - box_x) / (BOX + GAP)).floor() as usize).max(1);
    let (legend, legend_h) = legend(&[
        (Key::Fill(BLUE), "有代表的年级".to_string()),
        (Key::Outline, "没有代表的年级".to_string()),
    ]);
    let mut y = legend_h + 4.0;
    let mut rows = Vec::new();
    for (c, note) in s.colleges.iter().zip(&notes) {
        let lines = c.grades.len().div_ceil(per_line).max(1) as f64;
        rows.push((y, c, note));
        y += PITCH + (lines - 1.0) * (BOX + GAP);
    }
    let height = y.max(legend_h + 4.0 + PITCH) + 4.0;
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (n(WIDTH)) " " (n(height))}
            width="100%" role="img" aria-label=(title) font-size=(n(FONT)) {
            title { (title) }
            (legend)
            @if rows.is_empty() {
                text x="0" y=(n(legend_h + 19.0)) fill=(INK) { "(无数据)" }
            }
            @for (y, c, note) in rows {
                @let label = fit(&c.college, FONT, LABEL_MAX);
                g.row {
                    @if label != c.college { title { (c.college) } }
                    text x=(n(box_x - 8.0)) y=(n(y + 15.0)) text-anchor="end" fill=(INK) { (label) }
                    @for (i, grade) in c.grades.iter().enumerate() {
                        @let bx = box_x + (i % per_line) as f64 * (BOX + GAP);
                        @let by = y + 4.0 + (i / per_line) as f64 * (BOX + GAP);
                        @let hit = c.grades_covered.contains(grade);
                        g.grade {
                            title { (grade) @if hit { ": 有代表" } @else { ": 没有代表" } }
                            @if hit {
                                rect x=(n(bx)) y=(n(by)) width=(n(BOX)) height=(n(BOX)) fill=(BLUE) {}
                                path d={"M" (n(bx + 2.5)) " " (n(by + 5.5)) "l2.5 2.5l4-5"} fill="none" stroke="#fff" stroke-width="1.8" {}
                            } @else {
                                rect x=(n(bx + 0.75)) y=(n(by + 0.75)) width=(n(BOX - 1.5)) height=(n(BOX - 1.5)) fill="#fff" stroke=(INK) stroke-width="1.5" {}
                            }
                        }
                    }
                    text x=(n(note_x)) y=(n(y + 15.0)) fill=(INK) { (note) }
                }
            }
        }
    }
}

/// One bar of the attendance picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub label: String,
    /// 实到.
    pub present: u64,
    /// 应到.
    pub expected: u64,
}

/// 实到 against 应到: the whole congress first, with the quorum (`quorum_needed` present)
/// marked, then each college; each bar's track is its own 应到, so a small college reads as
/// clearly as a large one.
pub fn attendance(total: &Presence, colleges: &[Presence], quorum_needed: u64) -> Markup {
    let row = |p: &Presence, bold: bool| Row {
        label: p.label.clone(),
        bold,
        track: (p.expected > 0).then_some(1.0),
        segs: vec![Seg {
            value: if p.expected == 0 {
                0.0
            } else {
                p.present as f64 / p.expected as f64
            },
            fill: BLUE,
        }],
        marks: Vec::new(),
        note: format!(
            "{}/{} · {}",
            p.present,
            p.expected,
            percent(p.present, p.expected)
        ),
    };
    let mut first = row(total, true);
    if total.expected > 0 {
        first
            .marks
            .push(quorum_needed as f64 / total.expected as f64);
    }
    let mut rows = vec![first];
    rows.extend(colleges.iter().map(|p| row(p, false)));
    Bars {
        title: format!(
            "签到情况: 实到{}人, 应到{}人; 各学院实到与应到",
            total.present, total.expected
        ),
        legend: vec![
            (Key::Fill(BLUE), "实到".to_string()),
            (Key::Fill(TRACK), "应到".to_string()),
            (Key::Mark, format!("法定人数(至少{quorum_needed}人)")),
        ],
        rows,
        max: 1.0,
        line: None,
    }
    .render()
}

#[cfg(test)]
mod tests;
