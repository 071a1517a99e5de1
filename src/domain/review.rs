//! 述职评议 (rules H1-H5): who is reviewed, on which dimensions, with which grades, and what
//! makes one evaluator's review paper (评议表) valid. The count is `tally::review`.
//!
//! The ballot of a review is a grid: one row per person under review (definition order), one
//! cell per dimension, each cell the position of a grade in the definition's list (0 = the
//! best). Positions instead of labels: the labels are the organiser's (editable until the
//! review opens), the positions are what the published record fixes.

use serde::{Deserialize, Serialize};

use crate::domain::settings::{Fraction, Threshold, ThresholdBase};

/// The dimensions of the policy (学生会主席团成员和各部门负责人 述职评议), in its order.
pub const DEFAULT_DIMENSIONS: [&str; 5] =
    ["政治态度", "道德品行", "学习情况", "工作成效", "纪律作风"];
/// The grades, best first.
pub const DEFAULT_GRADES: [&str; 4] = ["优秀", "称职", "基本称职", "不称职"];
/// How many of the best grades count as favourable (优秀 + 称职) by default (H3).
pub const DEFAULT_FAVOURABLE: u32 = 2;
/// The default follow-up threshold (H4): the worst grade in at least 1/3 of the grades a
/// person was given.
pub const DEFAULT_FOLLOW_UP: Threshold = Threshold {
    base: ThresholdBase::ValidBallots,
    fraction: Fraction::new(1, 3, false),
};
/// Limits that keep a paper on a phone screen and the record readable.
pub const MAX_PERSONS: usize = 100;
pub const MAX_DIMENSIONS: usize = 10;
pub const MAX_GRADES: usize = 6;
/// Longest name, post, college, dimension or grade, in characters.
pub const MAX_LABEL_CHARS: usize = 50;

/// One person under review (被评议人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPerson {
    pub name: String,
    /// 职务, e.g. "主席团成员", "学习部部长".
    pub post: String,
    pub college: String,
}

/// What a review contest evaluates; edited only while the contest is a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDefinition {
    /// In the order of the paper and of the ballot's rows.
    pub persons: Vec<ReviewPerson>,
    /// 评议项目, in the order of each row's cells.
    pub dimensions: Vec<String>,
    /// 评议等次, best first; a cell holds a position in this list.
    pub grades: Vec<String>,
    /// The first `favourable` grades count towards the favourable share (H3; 2: 优秀 + 称职).
    pub favourable: u32,
}

impl Default for ReviewDefinition {
    fn default() -> Self {
        ReviewDefinition {
            persons: Vec::new(),
            dimensions: DEFAULT_DIMENSIONS.iter().map(|s| s.to_string()).collect(),
            grades: DEFAULT_GRADES.iter().map(|s| s.to_string()).collect(),
            favourable: DEFAULT_FAVOURABLE,
        }
    }
}

/// A review definition that cannot be opened or read, in Chinese, naming the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("述职评议至少要有 1 名被评议人, 最多 {MAX_PERSONS} 名, 现有 {found} 名")]
    Persons { found: usize },
    #[error("评议项目应有 1 至 {MAX_DIMENSIONS} 项, 现有 {found} 项")]
    Dimensions { found: usize },
    #[error("评议等次应有 2 至 {MAX_GRADES} 个, 现有 {found} 个")]
    Grades { found: usize },
    #[error("计入好评率的等次数应在 1 至 {most} 之间 (最后一个等次不能计入), 现为 {found}")]
    Favourable { found: u32, most: usize },
    #[error("{what}第 {position} 项为空")]
    Empty { what: &'static str, position: usize },
    #[error("{what}第 {position} 项 \"{value}\" 首尾有空格或超过 {MAX_LABEL_CHARS} 个字")]
    Malformed {
        what: &'static str,
        position: usize,
        value: String,
    },
    #[error("{what} \"{value}\" 重复 (第 {position} 项)")]
    Duplicate {
        what: &'static str,
        position: usize,
        value: String,
    },
    #[error(
        "被评议人名单第 {line} 行应为“姓名, 职务, 学院”三项 (用逗号或制表符分隔), 实为: {text}"
    )]
    PersonLine { line: usize, text: String },
}

impl ReviewDefinition {
    /// Rule H1: 1-100 persons, 1-10 dimensions, 2-6 grades, `favourable` leaves at least the
    /// worst grade out; every label non-empty, trimmed, at most 50 characters; dimensions and
    /// grades unique, persons unique by name and post.
    pub fn check(&self) -> Result<(), ReviewError> {
        let n = self.persons.len();
        if n == 0 || n > MAX_PERSONS {
            return Err(ReviewError::Persons { found: n });
        }
        let d = self.dimensions.len();
        if d == 0 || d > MAX_DIMENSIONS {
            return Err(ReviewError::Dimensions { found: d });
        }
        let g = self.grades.len();
        if !(2..=MAX_GRADES).contains(&g) {
            return Err(ReviewError::Grades { found: g });
        }
        if self.favourable == 0 || self.favourable as usize >= g {
            return Err(ReviewError::Favourable {
                found: self.favourable,
                most: g - 1,
            });
        }
        labels("评议项目", self.dimensions.iter().map(String::as_str))?;
        labels("评议等次", self.grades.iter().map(String::as_str))?;
        for (i, p) in self.persons.iter().enumerate() {
            label("被评议人姓名", i + 1, &p.name)?;
            for (what, v) in [("职务", &p.post), ("学院", &p.college)] {
                if !v.is_empty() {
                    label(what, i + 1, v)?;
                }
            }
            let twin = self.persons[..i]
                .iter()
                .any(|q| q.name == p.name && q.post == p.post);
            if twin {
                return Err(ReviewError::Duplicate {
                    what: "被评议人",
                    position: i + 1,
                    value: format!("{} ({})", p.name, p.post),
                });
            }
        }
        Ok(())
    }

    /// Whether the grade at `position` counts as favourable (H3).
    pub fn is_favourable(&self, position: usize) -> bool {
        position < self.favourable as usize
    }
}

/// What is wrong with a follow-up threshold (H4), if anything: a fraction strictly between 0
/// and 1 of the grades a person was given.
pub fn follow_up_problem(t: &Threshold) -> Option<String> {
    let f = t.fraction;
    let ok = t.base == ThresholdBase::ValidBallots
        && f.num > 0
        && f.den > 0
        && f.num < f.den
        && f.den <= 100;
    (!ok).then(|| {
        format!(
            "规则H4: 跟进标准应为所得评价中“不称职”所占比例, 介于 0 与 1 之间 (分母不超过 100), 不能为“{}/{}”",
            f.num, f.den
        )
    })
}

fn label(what: &'static str, position: usize, value: &str) -> Result<(), ReviewError> {
    if value.trim().is_empty() {
        return Err(ReviewError::Empty { what, position });
    }
    if value.trim() != value || value.chars().count() > MAX_LABEL_CHARS {
        return Err(ReviewError::Malformed {
            what,
            position,
            value: value.chars().take(60).collect(),
        });
    }
    Ok(())
}

fn labels<'a>(what: &'static str, items: impl Iterator<Item = &'a str>) -> Result<(), ReviewError> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, v) in items.enumerate() {
        label(what, i + 1, v)?;
        if seen.contains(&v) {
            return Err(ReviewError::Duplicate {
                what,
                position: i + 1,
                value: v.to_string(),
            });
        }
        seen.push(v);
    }
    Ok(())
}

/// Reads the organiser's list of persons: one per line, "姓名, 职务, 学院" separated by
/// commas (half- or full-width) or tabs (a block pasted from a spreadsheet); blank lines and
/// a header line starting with "姓名" are skipped; cells are trimmed; post and college may be
/// empty but a line has at most three cells.
pub fn parse_persons(text: &str) -> Result<Vec<ReviewPerson>, ReviewError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() || (out.is_empty() && line.starts_with("姓名")) {
            continue;
        }
        let cells: Vec<&str> = line
            .split(['\t', ',', '，'])
            .map(|c| c.trim_matches(|ch: char| ch.is_whitespace()))
            .collect();
        if cells.len() > 3 || cells[0].is_empty() {
            return Err(ReviewError::PersonLine {
                line: i + 1,
                text: line.chars().take(60).collect(),
            });
        }
        let cell = |k: usize| cells.get(k).map_or(String::new(), |c| c.to_string());
        out.push(ReviewPerson {
            name: cell(0),
            post: cell(1),
            college: cell(2),
        });
    }
    Ok(out)
}

/// Reads a list of labels (dimensions or grades): one per line, trimmed, blank lines skipped.
pub fn parse_labels(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Why a review paper is 废票 (H2). Only a hand-made ballot can be one: the phone's form
/// refuses an incomplete grid before anything is cast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewFault {
    /// An election or motion ballot in a review.
    NotReview,
    /// Rows are not one per person, or a row not one cell per dimension.
    Shape,
    /// A cell names a grade position past the list.
    UnknownGrade,
}

impl ReviewFault {
    /// The heading the count groups 废票 by.
    pub fn category(&self) -> &'static str {
        match self {
            ReviewFault::NotReview => "述职评议中投入选举票或表决票",
            ReviewFault::Shape => "评议表行列与被评议人、评议项目不符",
            ReviewFault::UnknownGrade => "评议表含不存在的等次",
        }
    }
}

/// Checks one grid against the definition (H2): exactly one row per person, one cell per
/// dimension, every cell a grade position.
pub fn read_grid(def: &ReviewDefinition, grid: &[Vec<u32>]) -> Result<(), ReviewFault> {
    if grid.len() != def.persons.len() || grid.iter().any(|r| r.len() != def.dimensions.len()) {
        return Err(ReviewFault::Shape);
    }
    let grades = def.grades.len();
    if grid.iter().flatten().any(|&g| g as usize >= grades) {
        return Err(ReviewFault::UnknownGrade);
    }
    Ok(())
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
