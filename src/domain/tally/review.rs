//! A 述职评议's result (rules H2-H5): per person, the count of each grade on each dimension,
//! the favourable share, the rank and the follow-up flag, with the sentences.
//!
//! Exact integer arithmetic throughout: shares are compared by cross-multiplication (the rank
//! never depends on rounding), and published as basis points (1/10000) rounded half up,
//! because canonical JSON has no floats.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::ballot::Choices;
use crate::domain::review::{read_grid, ReviewDefinition, ReviewFault};
use crate::domain::settings::{Fraction, Threshold, ThresholdBase};

use super::explain;
use super::result::{AppliedThreshold, ContestDetail, ContestResult};
use super::Turnout;

/// A 述职评议 as the tally needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSpec {
    pub def: ReviewDefinition,
    /// H4: the share of the worst grade that puts a person on the follow-up list.
    pub follow_up: Threshold,
}

/// A 述职评议's counts and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewResult {
    pub dimensions: Vec<String>,
    /// Best first.
    pub grades: Vec<String>,
    /// The first `favourable` grades count towards the share (H3).
    pub favourable: u32,
    /// In the definition's order.
    pub persons: Vec<PersonReview>,
}

/// One person's counts and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonReview {
    pub name: String,
    pub post: String,
    pub college: String,
    /// `counts[d][g]`: valid papers giving grade `g` on dimension `d`; each row sums to the
    /// valid papers.
    pub counts: Vec<Vec<u64>>,
    /// Grades given to this person over all dimensions: valid papers x dimensions.
    pub given: u64,
    /// Of them, favourable grades (H3).
    pub favourable: u64,
    /// `favourable / given` in basis points, rounded half up (0 when nothing was given).
    pub share_bp: u64,
    /// Of them, the worst grade (H4).
    pub worst: u64,
    /// 1 + the persons with a strictly higher share (H3); 0 in a void review.
    pub rank: u32,
    /// The worst grade meets the follow-up threshold (H4); never in a void review.
    pub follow_up: bool,
    pub explanation: String,
}

/// `part / whole` in basis points, rounded half up; 0 when `whole` is 0.
pub fn basis_points(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    ((part as u128 * 20_000 + whole as u128) / (whole as u128 * 2)) as u64
}

/// "87.43%".
pub fn percent(bp: u64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

pub(super) fn tally_review(
    spec: &ReviewSpec,
    turnout: Turnout,
    ballots: &[(&Choices, u64)],
) -> ContestResult {
    let def = &spec.def;
    let (persons, dims, grades) = (def.persons.len(), def.dimensions.len(), def.grades.len());
    let mut counts = vec![vec![vec![0u64; grades]; dims]; persons];
    let (mut valid, mut invalid, mut cast) = (0u64, 0u64, 0u64);
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for &(choices, n) in ballots {
        cast += n;
        let read = match choices {
            Choices::Review { grid } => read_grid(def, grid).map(|()| grid),
            _ => Err(ReviewFault::NotReview),
        };
        match read {
            Ok(grid) => {
                valid += n;
                for (p, row) in grid.iter().enumerate() {
                    for (d, &g) in row.iter().enumerate() {
                        counts[p][d][g as usize] += n;
                    }
                }
            }
            Err(fault) => {
                invalid += n;
                *reasons.entry(fault.category().to_string()).or_default() += n;
            }
        }
    }
    let void = cast > turnout.issued;
    let given = valid * dims as u64;
    let fraction = spec.follow_up.fraction;
    let min_worst = fraction.min_count(given).max(1);
    let threshold = AppliedThreshold {
        rule: "H4".to_string(),
        base: ThresholdBase::ValidBallots,
        base_figure: given,
        fraction,
        min_for: min_worst,
        text: follow_up_text(def, valid, given, fraction, min_worst),
    };

    let fav = def.favourable as usize;
    let worst_grade = grades.saturating_sub(1);
    let tallies: Vec<(u64, u64)> = counts
        .iter()
        .map(|per_dim| {
            let f = per_dim
                .iter()
                .map(|c| c[..fav.min(grades)].iter().sum::<u64>())
                .sum();
            let w = per_dim
                .iter()
                .map(|c| c.get(worst_grade).copied().unwrap_or(0))
                .sum();
            (f, w)
        })
        .collect();
    let mut out = Vec::with_capacity(persons);
    for (p, person) in def.persons.iter().enumerate() {
        let (favourable, worst) = tallies[p];
        // One denominator for everyone (every valid paper grades every person on every
        // dimension, H2): shares compare as favourable counts, exactly.
        let higher = tallies.iter().filter(|(f, _)| *f > favourable).count();
        let rank = if void { 0 } else { higher as u32 + 1 };
        let follow_up = !void && given > 0 && worst >= min_worst;
        let share_bp = basis_points(favourable, given);
        let explanation = person_sentence(
            def,
            person.name.as_str(),
            favourable,
            worst,
            given,
            share_bp,
            rank,
            follow_up,
            void,
        );
        out.push(PersonReview {
            name: person.name.clone(),
            post: person.post.clone(),
            college: person.college.clone(),
            counts: counts[p].clone(),
            given,
            favourable,
            share_bp,
            worst,
            rank,
            follow_up,
            explanation,
        });
    }

    let mut summary = vec![explain::figures(turnout.issued, cast, valid, invalid)];
    if void {
        summary.push(explain::void_sentence(turnout.issued, cast, "述职评议"));
    } else {
        summary.push(threshold.text.clone());
        let flagged: Vec<&str> = out
            .iter()
            .filter(|p| p.follow_up)
            .map(|p| p.name.as_str())
            .collect();
        summary.push(if flagged.is_empty() {
            "无人列入跟进 (规则 H4)".to_string()
        } else {
            format!("列入跟进: {} (规则 H4)", flagged.join("、"))
        });
    }
    ContestResult {
        issued: turnout.issued,
        roster: turnout.roster,
        cast,
        valid,
        invalid,
        invalid_reasons: reasons,
        void,
        threshold,
        detail: ContestDetail::Review(ReviewResult {
            dimensions: def.dimensions.clone(),
            grades: def.grades.clone(),
            favourable: def.favourable,
            persons: out,
        }),
        explanation: format!("{}。", summary.join("。")),
    }
}

fn favourable_words(def: &ReviewDefinition) -> String {
    def.grades[..(def.favourable as usize).min(def.grades.len())].join("+")
}

fn follow_up_text(def: &ReviewDefinition, valid: u64, given: u64, f: Fraction, min: u64) -> String {
    let worst = def.grades.last().map_or("", String::as_str);
    let (verb, incl) = if f.strict {
        ("超过", "")
    } else {
        ("达到", " (含本数)")
    };
    format!(
        "规则 H4: 某人所得评价 (有效评议表 {valid} 张 × 评议项目 {} 项 = {given} 个) 中“{worst}”{verb} {}/{}{incl}, 即至少 {min} 个, 列入跟进",
        def.dimensions.len(),
        f.num,
        f.den
    )
}

#[allow(clippy::too_many_arguments)]
fn person_sentence(
    def: &ReviewDefinition,
    name: &str,
    favourable: u64,
    worst: u64,
    given: u64,
    share_bp: u64,
    rank: u32,
    follow_up: bool,
    void: bool,
) -> String {
    let worst_label = def.grades.last().map_or("", String::as_str);
    let head = format!(
        "{name} 所得评价 {given} 个, {} {favourable} 个, 占 {} (规则 H3); “{worst_label}” {worst} 个",
        favourable_words(def),
        percent(share_bp)
    );
    if void {
        format!("{head}; 本次评议无效 (规则 E4), 不排名")
    } else if follow_up {
        format!("{head}, 达到跟进标准, 列入跟进 (规则 H4); 排名第 {rank}")
    } else {
        format!("{head}; 排名第 {rank}")
    }
}
