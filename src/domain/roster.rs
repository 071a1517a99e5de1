//! Roster (代表名单) validation: rules B1-B6 and B8 of `docs/rules.md`, as data. Generating a
//! roster from ranked nominees (B7) is [`generate`].
//!
//! [`validate`] reads a roster against the colleges' enrolment, their quotas (computed by
//! `domain::quota`) and the main societies, and returns a [`RosterReport`]: every violation with
//! rule, college, figure required and figure found, and a summary made of integers and names
//! only (it goes into signed records).
//!
//! Decisions where the spec leaves room:
//! - B1 counts *elected* delegates against the quota. Ex-officio (当然代表) and society-seat
//!   delegates (A4) are counted separately; they count towards the congress-wide shares
//!   (B2, B5) and society coverage (B4), never towards a college's quota or its B2/B3 figures.
//! - B2 per college is judged on the college's elected delegates actually on the roster
//!   (ordinary >= ceil(pct x n)); B2 congress-wide on every counted delegate. A student is
//!   ordinary unless their 学生会职务 marks a cadre, see [`is_ordinary`].
//! - B3 asks for min(quota, grades with students) distinct grades among the college's elected
//!   delegates; a single violation per college lists the grades without a delegate. When the
//!   quota is smaller than the number of grades the summary says how many grades cannot be
//!   covered (`uncoverable_grades`), which is not a violation by itself.
//! - B6: a row whose college is blank or unknown is reported once and left out of every other
//!   count (it belongs to no college), so one mistake is not also reported as B2/B5 figures.
//!   A duplicate student number is reported once with all its rows; the rows still count as
//!   seats (B1 counts rows), so the duplicate is not reported a second time as a B1 shortfall.
//!   A college of the enrolment missing from the quota table is a B6 error. Grades compare
//!   without surrounding spaces and without a trailing "级" ("2023级" = "2023"). When no
//!   enrolment is given, the colleges are those of the quota table and grades are not checked.
//! - B8: violations are sorted by rule, then college (enrolment order, then unknown colleges
//!   in order of appearance, then congress-wide), then the order they were found.

#[cfg(test)]
pub(crate) mod fixtures;
pub mod generate;
pub(crate) mod index;
#[cfg(test)]
mod proptests;
pub(crate) mod rows;
mod summary;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::settings::RuleProfile;
use crate::domain::types::{CollegeEnrolment, RosterEntry, Society, Student, Violation};

/// Everything the roster rules are judged against.
#[derive(Debug, Clone, Copy)]
pub struct RosterRules<'a> {
    /// The congress's settings (B1 surplus, B2 and B5 shares).
    pub profile: &'a RuleProfile,
    /// Colleges and their grades with students (B3, B6).
    pub enrolment: &'a [CollegeEnrolment],
    /// College -> quota (B1), as allocated by `domain::quota`.
    pub quotas: &'a BTreeMap<String, u64>,
    /// Societies; the `main` ones must each have a delegate (B4).
    pub societies: &'a [Society],
    /// B2 setting: `None` = any non-blank 学生会职务 makes a cadre; `Some(list)` = only roles
    /// containing one of these keywords (e.g. "主席", "部长") do.
    pub cadre_roles: Option<&'a [String]>,
}

/// Role texts that mean "no role" although they are not blank (common in organisers' files).
const NO_ROLE: [&str; 9] = ["无", "暂无", "没有", "否", "无职务", "-", "—", "/", "／"];

/// B2: whether a student counts as ordinary (非学生会骨干).
///
/// A blank role, or a placeholder such as "无" or "/", is ordinary. Otherwise, with
/// `cadre_roles == None` every role makes a cadre; with `Some(keywords)` a role makes a cadre
/// only when it contains one of the (non-blank) keywords.
pub fn is_ordinary(student: &Student, cadre_roles: Option<&[String]>) -> bool {
    let role = match student.union_role.as_deref().map(str::trim) {
        None | Some("") => return true,
        Some(r) if NO_ROLE.contains(&r) || r.eq_ignore_ascii_case("none") => return true,
        Some(r) => r,
    };
    match cadre_roles {
        None => false,
        Some(words) => !words
            .iter()
            .map(|w| w.trim())
            .any(|w| !w.is_empty() && role.contains(w)),
    }
}

/// The outcome of [`validate`]: valid when no violation (other than a warning) was found.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RosterReport {
    /// `true` when every violation is a warning.
    pub valid: bool,
    /// Every violation once, in B8 order.
    pub violations: Vec<Violation>,
    pub summary: RosterSummary,
}

/// The roster's figures (quota compliance, G3): integers and names only, no floats.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct RosterSummary {
    /// Rows on the roster.
    pub rows: u64,
    /// Rows left out of every count because their college is blank or unknown (B6).
    pub excluded: u64,
    /// Delegates counted: elected + ex-officio + society seats.
    pub total: u64,
    pub elected: u64,
    /// 当然代表 (A4).
    pub ex_officio: u64,
    /// Seats reserved for main societies (A4).
    pub society_seats: u64,
    /// Ordinary delegates among all counted delegates, and B2's minimum for the whole.
    pub ordinary: u64,
    pub ordinary_required: u64,
    /// Women among all counted delegates, and B5's minimum (0 when B5 is off).
    pub women: u64,
    pub women_required: u64,
    /// Per college, in enrolment order.
    pub colleges: Vec<CollegeSummary>,
    /// B4: the main societies, those with a delegate and those without.
    pub societies_required: Vec<String>,
    pub societies_covered: Vec<String>,
    pub societies_missing: Vec<String>,
}

/// One college's figures. Counts of ordinary delegates, women and grades are of its elected
/// delegates (the ones its quota is about).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct CollegeSummary {
    pub college: String,
    /// B1 quota (0 when the quota table has no entry, which is a B6 error).
    pub quota: u64,
    /// Elected delegates on the roster.
    pub delegates: u64,
    pub ex_officio: u64,
    pub society_seats: u64,
    pub ordinary: u64,
    /// B2: ceil(pct x delegates).
    pub ordinary_required: u64,
    pub women: u64,
    /// Grades with students, in enrolment order.
    pub grades: Vec<String>,
    /// Grades with at least one elected delegate.
    pub grades_covered: Vec<String>,
    /// B3: min(quota, number of grades).
    pub grades_required: u64,
    /// Grades the quota cannot reach (grades - quota when the quota is smaller), so that many
    /// grades necessarily have no delegate; a note, not a violation.
    pub uncoverable_grades: u64,
}

/// Checks a roster against rules B1-B6; never panics, whatever the rows contain.
pub fn validate(roster: &[RosterEntry], rules: &RosterRules) -> RosterReport {
    let index = index::CollegeIndex::new(rules.enrolment, rules.quotas);
    let refs: Vec<rows::RowRef> = roster
        .iter()
        .enumerate()
        .map(|(pos, e)| rows::RowRef {
            student: &e.student,
            row: e.row,
            pos,
        })
        .collect();
    let checked = rows::check_rows(&refs, &index);
    let (summary, mut findings) = summary::tally(roster, &checked, &index, rules);
    findings.extend(checked.findings);
    let violations = findings.into_sorted();
    RosterReport {
        valid: violations.iter().all(|v| v.warning),
        violations,
        summary,
    }
}
