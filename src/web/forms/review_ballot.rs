//! The 述职评议 paper (评议表) as an HTML form: one block per person, one row per dimension,
//! one radio per grade (field `g.<person>.<dimension>` = the grade's position, rule H2), and
//! its parsing back into `Choices::Review`. Every cell must be graded: the page says which
//! person and dimension is missing instead of casting an incomplete paper.

use maud::{html, Markup};

use super::ballot::Fields;
use crate::domain::ballot::Choices;
use crate::domain::review::ReviewDefinition;

fn name(p: usize, d: usize) -> String {
    format!("g.{p}.{d}")
}

/// Parses the grid, or says (in Chinese) which cell is missing or wrong.
pub fn parse(def: &ReviewDefinition, fields: &Fields) -> Result<Choices, String> {
    let mut grid = Vec::with_capacity(def.persons.len());
    for (p, person) in def.persons.iter().enumerate() {
        let mut row = Vec::with_capacity(def.dimensions.len());
        for (d, dim) in def.dimensions.iter().enumerate() {
            let key = name(p, d);
            let v = fields
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.trim())
                .unwrap_or("");
            if v.is_empty() {
                return Err(format!(
                    "请为 {} 的“{dim}”选择一个等次 (每一项都须评议)",
                    person.name
                ));
            }
            let grade = v
                .parse::<u32>()
                .ok()
                .filter(|g| (*g as usize) < def.grades.len())
                .ok_or_else(|| format!("{} 的“{dim}”的等次“{v}”无效", person.name))?;
            row.push(grade);
        }
        grid.push(row);
    }
    Ok(Choices::Review { grid })
}

/// The grid's fields, pre-filled with `current` (when going back to change it).
pub fn fields(def: &ReviewDefinition, current: Option<&Choices>) -> Markup {
    let grid = match current {
        Some(Choices::Review { grid }) => Some(grid),
        _ => None,
    };
    let cell = |p: usize, d: usize| grid.and_then(|g| g.get(p)).and_then(|r| r.get(d)).copied();
    html! {
        p.hint { "对每位被评议人的每个评议项目选择一个等次 (" (def.grades.join(" / ")) "), 全部评完才能提交。评议表不记名。" }
        @for (p, person) in def.persons.iter().enumerate() {
            fieldset.rv {
                legend { strong { (person.name) } " " span.muted { (person.post) } }
                @for (d, dim) in def.dimensions.iter().enumerate() {
                    div.rr role="radiogroup" aria-label={(person.name) " " (dim)} {
                        span { (dim) }
                        @for (g, grade) in def.grades.iter().enumerate() {
                            label { input type="radio" name=(name(p, d)) value=(g) required[g == 0] checked[cell(p, d) == Some(g as u32)]; span { (grade) } }
                        }
                    }
                }
            }
        }
    }
}

/// The grid as hidden fields (the check step carries it to the final submit).
pub fn hidden(grid: &[Vec<u32>]) -> Markup {
    html! {
        @for (p, row) in grid.iter().enumerate() {
            @for (d, g) in row.iter().enumerate() {
                input type="hidden" name=(name(p, d)) value=(g);
            }
        }
    }
}

/// The grid as a readable table (the check step).
pub fn summary(def: &ReviewDefinition, grid: &[Vec<u32>]) -> Markup {
    let label = |g: u32| def.grades.get(g as usize).map_or("?", String::as_str);
    html! {
        table.rvs {
            thead { tr { th { "被评议人" } @for d in &def.dimensions { th { (d) } } } }
            tbody {
                @for (person, row) in def.persons.iter().zip(grid) {
                    tr { td { (person.name) } @for g in row { td { (label(*g)) } } }
                }
            }
        }
    }
}
