//! Attendance per college (应到 / 实到 of each college's delegates, rule D1), for the
//! attendance page's picture.

use crate::domain::settings::RuleProfile;
use crate::storage::repo::roster::Delegate;

/// One college's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollegeAttendance {
    pub college: String,
    /// Delegates of the college on the roster.
    pub roster: u64,
    /// 应到: the roster, minus approved absences when the profile says so (D1).
    pub expected: u64,
    /// 实到: checked in now.
    pub present: u64,
}

/// Per college in the order each first appears on the roster (the roster is in college
/// order), counted the way [`super::figures`] counts the whole congress.
pub fn by_college<'a>(
    delegates: impl IntoIterator<Item = &'a Delegate>,
    profile: &RuleProfile,
) -> Vec<CollegeAttendance> {
    let mut out: Vec<CollegeAttendance> = Vec::new();
    for d in delegates {
        let college = d.student.college.trim();
        let i = match out.iter().position(|c| c.college == college) {
            Some(i) => i,
            None => {
                out.push(CollegeAttendance {
                    college: college.to_string(),
                    roster: 0,
                    expected: 0,
                    present: 0,
                });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        c.roster += 1;
        if !(profile.subtract_approved_absences && d.absence_approved) {
            c.expected += 1;
        }
        c.present += u64::from(d.present);
    }
    out
}
