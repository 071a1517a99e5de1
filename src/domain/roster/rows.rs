//! Rule B6 on a list of rows (roster entries or nominees): required fields present, college and
//! grade known, one row per student number; and the deterministic order of violations (B8).

use std::collections::{BTreeMap, HashMap};

use super::index::{CollegeIndex, GradeLookup};
use crate::domain::types::{Student, Violation};

/// Sort rank of congress-wide violations (after every college).
pub(crate) const CONGRESS: usize = usize::MAX;

/// A violation with its sort key: rule number, then the college's rank (enrolment order,
/// then unknown colleges in order of appearance, then congress-wide), then insertion order.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    items: Vec<(u8, usize, Violation)>,
}

impl Findings {
    pub fn push(&mut self, rule: u8, rank: usize, v: Violation) {
        self.items.push((rule, rank, v));
    }

    pub fn extend(&mut self, other: Findings) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The violations in B8 order: rule, then college, then the order they were found.
    pub fn into_sorted(mut self) -> Vec<Violation> {
        self.items.sort_by_key(|(rule, rank, _)| (*rule, *rank));
        self.items.into_iter().map(|(_, _, v)| v).collect()
    }
}

/// Builds a violation of rule `B{rule}`.
pub(crate) fn violation(
    rule: u8,
    college: Option<&str>,
    required: u64,
    found: u64,
    message: String,
) -> Violation {
    Violation {
        rule: format!("B{rule}"),
        college: college.map(str::to_string),
        required: clamp(required),
        found: clamp(found),
        message,
        warning: false,
    }
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// One row to check: the student, the 1-based file row if any, the 0-based position in the list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowRef<'a> {
    pub student: &'a Student,
    pub row: Option<usize>,
    pub pos: usize,
}

impl RowRef<'_> {
    /// "第12行" (file row) or "第12条" (position in a list built by hand).
    pub fn label(&self) -> String {
        match self.row {
            Some(r) => format!("第{r}行"),
            None => format!("第{}条", self.pos + 1),
        }
    }
}

/// "第3行、第8行" or, for long lists, "第3行、第8行……等共25行".
pub(crate) fn list_rows(labels: &[String]) -> String {
    const SHOWN: usize = 10;
    if labels.len() <= SHOWN {
        labels.join("、")
    } else {
        format!("{}……等共{}处", labels[..SHOWN].join("、"), labels.len())
    }
}

/// What B6 found, and where each row belongs.
#[derive(Debug)]
pub(crate) struct RowCheck {
    /// Per row: the index of its (known) college, `None` for a blank or unknown college.
    pub college: Vec<Option<usize>>,
    /// Per row: its grade in that college.
    pub grade: Vec<GradeLookup>,
    pub findings: Findings,
}

/// Checks B6 on `rows`: a college missing from the quota table, unknown colleges, missing
/// fields (grouped per college), grades the college does not have, duplicate student numbers.
pub(crate) fn check_rows(rows: &[RowRef], index: &CollegeIndex) -> RowCheck {
    let n_known = index.colleges.len();
    let mut findings = Findings::default();
    let mut college = Vec::with_capacity(rows.len());
    let mut grade = Vec::with_capacity(rows.len());
    // Unknown colleges in order of first appearance, with their rows.
    let mut unknown: Vec<(&str, Vec<String>)> = Vec::new();
    let mut unknown_at: HashMap<&str, usize> = HashMap::new();
    let mut missing: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut bad_grades: BTreeMap<(usize, String), Vec<String>> = BTreeMap::new();
    // First row of each student number; rows of numbers seen twice, keyed by their first row.
    let mut first_of: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    let mut dups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();

    for (i, r) in rows.iter().enumerate() {
        let s = r.student;
        let name = s.college.trim();
        let c = if name.is_empty() {
            None
        } else {
            index.find(name)
        };
        let rank = match (c, name.is_empty()) {
            (Some(c), _) => c,
            (None, true) => CONGRESS,
            (None, false) => {
                let j = *unknown_at.entry(name).or_insert_with(|| {
                    unknown.push((name, Vec::new()));
                    unknown.len() - 1
                });
                unknown[j].1.push(r.label());
                n_known + j
            }
        };
        let required = [
            ("姓名", &s.name),
            ("学号", &s.student_no),
            ("学院", &s.college),
            ("年级", &s.grade),
        ];
        if required.iter().any(|(_, v)| v.trim().is_empty()) {
            let fields: Vec<&str> = required
                .iter()
                .filter(|(_, v)| v.trim().is_empty())
                .map(|(f, _)| *f)
                .collect();
            missing.entry(rank).or_default().push(format!(
                "{}缺少{}",
                r.label(),
                fields.join("、")
            ));
        }
        let g = match c {
            Some(c) if !s.grade.trim().is_empty() => index.grade(c, &s.grade),
            Some(c) if !index.colleges[c].grades_known => GradeLookup::NotTracked,
            _ => GradeLookup::Unknown,
        };
        if let (Some(c), GradeLookup::Unknown, false) = (c, g, s.grade.trim().is_empty()) {
            bad_grades
                .entry((c, s.grade.trim().to_string()))
                .or_default()
                .push(r.label());
        }
        let no = s.student_no.trim();
        if !no.is_empty() {
            match first_of.get(no) {
                Some(&f) => dups.entry(f).or_insert_with(|| vec![f]).push(i),
                None => {
                    first_of.insert(no, i);
                }
            }
        }
        college.push(c);
        grade.push(g);
    }

    for (c, info) in index.colleges.iter().enumerate() {
        if info.quota.is_none() {
            let msg = format!(
                "{}没有分配名额(名额表中没有该学院), 无法核对规则B1、B3",
                info.name
            );
            findings.push(6, c, violation(6, Some(info.name), 1, 0, msg));
        }
    }
    for (j, (name, labels)) in unknown.iter().enumerate() {
        let msg = format!(
            "\"{name}\"不在学院名单中({}), 这{}人未计入各学院和全体的统计",
            list_rows(labels),
            labels.len()
        );
        let v = violation(6, Some(name), 0, labels.len() as u64, msg);
        findings.push(6, n_known + j, v);
    }
    for (rank, problems) in missing {
        let college_name = college_name(rank, index, &unknown);
        let msg = format!(
            "{}必填项(姓名、学号、学院、年级)不全: {}",
            college_name.unwrap_or("(未填学院)"),
            problems_text(&problems)
        );
        let v = violation(6, college_name, 0, problems.len() as u64, msg);
        findings.push(6, rank, v);
    }
    for ((c, g), labels) in bad_grades {
        let name = index.colleges[c].name;
        let msg = format!(
            "{name}没有\"{g}\"的在校学生(该院有学生的年级: {}), 见{}",
            index.colleges[c].grades.join("、"),
            list_rows(&labels)
        );
        findings.push(6, c, violation(6, Some(name), 0, labels.len() as u64, msg));
    }
    for (&i, dups) in &dups {
        let no = rows[i].student.student_no.trim();
        let labels: Vec<String> = dups.iter().map(|&d| rows[d].label()).collect();
        // The duplicate belongs to a college only when every row names the same known one.
        let same = dups
            .iter()
            .all(|&d| college[d].is_some() && college[d] == college[i]);
        let (cname, rank) = match college[i] {
            Some(c) if same => (Some(index.colleges[c].name), c),
            _ => (None, CONGRESS),
        };
        let msg = format!(
            "学号{no}出现{}次({}), 每名学生只能有一行",
            dups.len(),
            list_rows(&labels)
        );
        findings.push(6, rank, violation(6, cname, 1, dups.len() as u64, msg));
    }
    RowCheck {
        college,
        grade,
        findings,
    }
}

fn college_name<'a>(
    rank: usize,
    index: &'a CollegeIndex,
    unknown: &[(&'a str, Vec<String>)],
) -> Option<&'a str> {
    let n = index.colleges.len();
    if rank < n {
        Some(index.colleges[rank].name)
    } else {
        unknown.get(rank - n).map(|(name, _)| *name)
    }
}

fn problems_text(problems: &[String]) -> String {
    const SHOWN: usize = 10;
    if problems.len() <= SHOWN {
        problems.join("; ")
    } else {
        format!("{}……等共{}处", problems[..SHOWN].join("; "), problems.len())
    }
}
