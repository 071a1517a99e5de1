//! A 述职评议's result (rules H3-H5) as pages: the ranking table, and per person a picture of
//! the grade distribution on each dimension (stacked bars, SVG drawn on the server by
//! `packet::chart::review`, which the printed record uses too) with the counts beside it. The same markup serves the public
//! result page (公示) and the printed sheet.

use maud::{html, Markup};

use crate::domain::tally::{percent, PersonReview, ReviewResult};
pub use crate::packet::chart::review::chart;

/// The ranking: rank, name, post, college, favourable share, worst grade, follow-up.
pub fn ranking(r: &ReviewResult) -> Markup {
    let fav = r.grades[..(r.favourable as usize).min(r.grades.len())].join("+");
    let worst = r.grades.last().map_or("", String::as_str);
    let mut order: Vec<&PersonReview> = r.persons.iter().collect();
    order.sort_by_key(|p| (p.rank == 0, p.rank));
    html! {
        table.rvrank {
            thead { tr {
                th.num { "排名" } th { "姓名" } th { "职务" } th { "学院" }
                th.num { (fav) "率" } th.num { (worst) } th { "跟进" }
            } }
            tbody {
                @for p in order {
                    tr.follow[p.follow_up] {
                        td.num { @if p.rank > 0 { (p.rank) } @else { "—" } }
                        td { (p.name) } td { (p.post) } td { (p.college) }
                        td.num { (percent(p.share_bp)) " (" (p.favourable) "/" (p.given) ")" }
                        td.num { (p.worst) }
                        td { @if p.follow_up { strong { "列入跟进" } } @else { "—" } }
                    }
                }
            }
        }
    }
}

/// One person's counts: a row per dimension, a column per grade.
fn counts_table(r: &ReviewResult, p: &PersonReview) -> Markup {
    html! {
        table.rvcounts {
            thead { tr { th { "评议项目" } @for g in &r.grades { th.num { (g) } } } }
            tbody {
                @for (d, dim) in r.dimensions.iter().enumerate() {
                    tr { td { (dim) } @for n in &p.counts[d] { td.num { (n) } } }
                }
            }
        }
    }
}

/// The whole review result: the ranking, then per person the picture, the counts and the
/// sentence.
pub fn result(r: &ReviewResult) -> Markup {
    html! {
        h3 { "评议排名" }
        (ranking(r))
        h3 { "每位被评议人的等次分布" }
        @for p in &r.persons {
            section.rvp {
                h4 { (p.name) " · " (p.post)
                    @if p.follow_up { " · " strong.error { "列入跟进" } } }
                (chart(r, p))
                (counts_table(r, p))
                p.explanation { (p.explanation) }
            }
        }
    }
}

/// The outcome in one line: "述职评议 7 人; 列入跟进: 张三" or "无人列入跟进".
pub fn outcome_line(r: &ReviewResult) -> String {
    let flagged: Vec<&str> = r
        .persons
        .iter()
        .filter(|p| p.follow_up)
        .map(|p| p.name.as_str())
        .collect();
    if flagged.is_empty() {
        format!("述职评议 {} 人, 无人列入跟进", r.persons.len())
    } else {
        format!(
            "述职评议 {} 人, 列入跟进: {}",
            r.persons.len(),
            flagged.join("、")
        )
    }
}
