//! A 述职评议's picture (rules H3-H5): per person one stacked bar per dimension, split by
//! grade in proportion to the valid papers, the counts written inside segments wide enough.
//! Drawn for the result page and the printed sheet (`web::views::review`) and for the printed
//! record's review section (`packet::report`).

use maud::{html, Markup};

use crate::domain::tally::{PersonReview, ReviewResult};

/// Fill colours of the grades, best first (a seventh grade never exists: H1 allows six).
const GRADE_COLOURS: [&str; 6] = [
    "#1b7f3b", "#7cb342", "#f2b01e", "#c62828", "#6d4c41", "#455a64",
];
/// Text colours readable on each fill.
const TEXT_COLOURS: [&str; 6] = ["#fff", "#000", "#000", "#fff", "#fff", "#fff"];

const LABEL_W: u32 = 92;
const BAR_W: u32 = 520;
const ROW_H: u32 = 26;
const TOP: u32 = 28;

fn colour(g: usize) -> (&'static str, &'static str) {
    (
        GRADE_COLOURS[g % GRADE_COLOURS.len()],
        TEXT_COLOURS[g % TEXT_COLOURS.len()],
    )
}

/// One person's grade distribution: a legend, then one bar per dimension, each split by grade
/// in proportion to the valid papers (the counts written inside segments wide enough).
pub fn chart(r: &ReviewResult, p: &PersonReview) -> Markup {
    let width = LABEL_W + BAR_W + 8;
    let height = TOP + ROW_H * r.dimensions.len() as u32 + 4;
    let legend_w = BAR_W / r.grades.len().max(1) as u32;
    html! {
        svg.rvchart xmlns="http://www.w3.org/2000/svg" viewBox={"0 0 " (width) " " (height)}
            width=(width) height=(height) role="img"
            aria-label={(p.name) " 各评议项目的等次分布"} {
            @for (g, grade) in r.grades.iter().enumerate() {
                @let x = LABEL_W + legend_w * g as u32;
                rect x=(x) y="4" width="12" height="12" fill=(colour(g).0) {}
                text x=(x + 16) y="14" font-size="12" fill="#222" { (grade) }
            }
            @for (d, dim) in r.dimensions.iter().enumerate() {
                @let y = TOP + ROW_H * d as u32;
                @let row = &p.counts[d];
                @let total: u64 = row.iter().sum();
                text x=(LABEL_W - 6) y=(y + 16) font-size="13" text-anchor="end" fill="#222" { (dim) }
                @if total == 0 {
                    rect x=(LABEL_W) y=(y + 2) width=(BAR_W) height=(ROW_H - 6) fill="#eee" {}
                } @else {
                    @for (g, x, w, n) in segments(row, total) {
                        rect x=(x) y=(y + 2) width=(w) height=(ROW_H - 6) fill=(colour(g).0) {}
                        @if w >= 22 {
                            text x=(x + w / 2) y=(y + 16) font-size="12" text-anchor="middle" fill=(colour(g).1) { (n) }
                        }
                    }
                }
            }
        }
    }
}

/// (grade, x, width, count) of the non-empty segments of one bar; widths in whole units that
/// add up to the bar exactly (the remainder goes to the last segment).
fn segments(row: &[u64], total: u64) -> Vec<(usize, u32, u32, u64)> {
    let mut out = Vec::new();
    let mut x = LABEL_W;
    let mut done = 0u64;
    for (g, &n) in row.iter().enumerate() {
        if n == 0 {
            continue;
        }
        done += n;
        let end = LABEL_W + (u64::from(BAR_W) * done / total) as u32;
        out.push((g, x, end - x, n));
        x = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_fill_the_bar_exactly_and_skip_empty_grades() {
        let s = segments(&[10, 0, 15, 5], 30);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0], (0, LABEL_W, 173, 10));
        assert_eq!(s.iter().map(|x| x.2).sum::<u32>(), BAR_W);
        assert_eq!(s[2].1 + s[2].2, LABEL_W + BAR_W);
    }
}
