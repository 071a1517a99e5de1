//! The colleges a congress knows (from the enrolment, or the quota table when no enrolment is
//! given) with their quotas and grades, looked up by name; shared by validation and generation.

use std::collections::{BTreeMap, HashMap};

use super::RosterRules;
use crate::domain::types::CollegeEnrolment;

/// One college as rules B1-B3 and B6 see it.
#[derive(Debug)]
pub(crate) struct CollegeInfo<'a> {
    /// The name as the enrolment spells it.
    pub name: &'a str,
    /// B1 quota; `None` when the quota table has no entry for the college (a B6 error).
    pub quota: Option<u64>,
    /// Labels of the grades with students, in enrolment order.
    pub grades: Vec<&'a str>,
    /// Their comparison keys ([`grade_key`]), same order.
    keys: Vec<&'a str>,
    /// `false` when no enrolment was given: grades are then neither checked (B6) nor required (B3).
    pub grades_known: bool,
}

impl CollegeInfo<'_> {
    /// B3: how many distinct grades the college's delegates must cover: min(quota, grades).
    pub fn grades_required(&self) -> u64 {
        match (self.grades_known, self.quota) {
            (true, Some(q)) => q.min(self.grades.len() as u64),
            _ => 0,
        }
    }

    /// The index of `grade` among this college's grades ("2023级" and "2023" are the same).
    pub fn grade_index(&self, grade: &str) -> Option<usize> {
        let key = grade_key(grade);
        self.keys.iter().position(|&k| k == key)
    }
}

/// Whether a row's grade is one the college has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GradeLookup {
    Known(usize),
    /// The college has no such grade with students (B6).
    Unknown,
    /// No enrolment was given, so grades are not checked.
    NotTracked,
}

/// The congress's colleges, in enrolment order.
#[derive(Debug)]
pub(crate) struct CollegeIndex<'a> {
    pub colleges: Vec<CollegeInfo<'a>>,
    by_name: HashMap<&'a str, usize>,
}

impl<'a> CollegeIndex<'a> {
    /// Colleges of the enrolment (a college listed twice is merged into its first entry);
    /// when the enrolment is empty, the colleges of the quota table, grades untracked.
    pub fn new(enrolment: &'a [CollegeEnrolment], quotas: &'a BTreeMap<String, u64>) -> Self {
        let mut colleges: Vec<CollegeInfo<'a>> = Vec::new();
        let mut by_name: HashMap<&'a str, usize> = HashMap::new();
        let quota_of = |name: &str| {
            quotas
                .get(name)
                .or_else(|| quotas.get(name.trim()))
                .copied()
        };
        if enrolment.is_empty() {
            for (name, &q) in quotas {
                let key = name.trim();
                if key.is_empty() || by_name.contains_key(key) {
                    continue;
                }
                by_name.insert(key, colleges.len());
                colleges.push(CollegeInfo {
                    name: key,
                    quota: Some(q),
                    grades: Vec::new(),
                    keys: Vec::new(),
                    grades_known: false,
                });
            }
        }
        for e in enrolment {
            let key = e.college.trim();
            if key.is_empty() {
                continue;
            }
            let at = *by_name.entry(key).or_insert_with(|| {
                colleges.push(CollegeInfo {
                    name: key,
                    quota: quota_of(&e.college),
                    grades: Vec::new(),
                    keys: Vec::new(),
                    grades_known: true,
                });
                colleges.len() - 1
            });
            let info = &mut colleges[at];
            for (grade, students) in &e.grades {
                if *students > 0 && !grade.trim().is_empty() && info.grade_index(grade).is_none() {
                    info.grades.push(grade.trim());
                    info.keys.push(grade_key(grade));
                }
            }
        }
        CollegeIndex { colleges, by_name }
    }

    /// The index of a college by name (surrounding spaces ignored).
    pub fn find(&self, college: &str) -> Option<usize> {
        self.by_name.get(college.trim()).copied()
    }

    /// Looks a row's grade up in its college.
    pub fn grade(&self, college: usize, grade: &str) -> GradeLookup {
        let info = &self.colleges[college];
        if !info.grades_known {
            return GradeLookup::NotTracked;
        }
        match info.grade_index(grade) {
            Some(g) => GradeLookup::Known(g),
            None => GradeLookup::Unknown,
        }
    }
}

/// A grade's comparison key: trimmed, without a trailing "级".
pub(crate) fn grade_key(grade: &str) -> &str {
    let t = grade.trim();
    t.strip_suffix('级').map(str::trim_end).unwrap_or(t)
}

/// The main societies (B4), each name once, in configuration order.
pub(crate) fn main_societies<'a>(rules: &RosterRules<'a>) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for s in rules.societies.iter().filter(|s| s.main) {
        let name = s.name.trim();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}
