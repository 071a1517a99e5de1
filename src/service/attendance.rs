//! Presence and quorum (应到 / 实到, rules D1-D2): staff check-in and check-out by delegate
//! number, approved absences (请假), and the live attendance figures.

use serde::Serialize;

use crate::domain::ids::CongressId;
use crate::domain::settings::RuleProfile;
use crate::domain::state::{Action, CongressState};
use crate::storage::repo::card_events::{self, EventKind, Via};
use crate::storage::repo::congress as congress_repo;
use crate::storage::repo::credentials as cred_repo;
use crate::storage::repo::roster::{self as roster_repo, Delegate};
use crate::storage::{now_ms, write_tx, DbConnection};

use super::{Actor, ServiceError, ServiceResult};

mod by_college;
pub use by_college::{by_college, CollegeAttendance};

/// The attendance figures of a congress right now.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Attendance {
    /// Delegates on the frozen roster.
    pub roster: u64,
    /// Approved absences (请假).
    pub absences: u64,
    /// 应到: roster, minus approved absences when the profile says so (D1).
    pub expected: u64,
    /// 实到: delegates checked in now (D2).
    pub present: u64,
    /// Whether 实到 meets the quorum fraction of 应到 (D2).
    pub quorum_met: bool,
    /// The smallest 实到 that meets the quorum.
    pub quorum_needed: u64,
    /// e.g. "超过2/3"
    pub quorum_rule: String,
}

/// Computes the figures from the roster (pure, so tests and pages agree).
pub fn figures(delegates: &[Delegate], profile: &RuleProfile) -> Attendance {
    let roster = delegates.len() as u64;
    let absences = delegates.iter().filter(|d| d.absence_approved).count() as u64;
    let expected = if profile.subtract_approved_absences {
        roster - absences
    } else {
        roster
    };
    let present = delegates.iter().filter(|d| d.present).count() as u64;
    Attendance {
        roster,
        absences,
        expected,
        present,
        quorum_met: expected > 0 && profile.quorum.met(present, expected),
        quorum_needed: profile.quorum.min_count(expected),
        quorum_rule: profile.quorum.zh(),
    }
}

/// The attendance figures and the roster with presence.
pub fn attendance(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> ServiceResult<(Attendance, Vec<Delegate>)> {
    let congress = congress_repo::get(conn, congress_id)?
        .ok_or_else(|| ServiceError::NotFound(format!("大会 {congress_id} 不存在")))?;
    let delegates = roster_repo::delegates(conn, congress_id)?;
    Ok((figures(&delegates, &congress.settings), delegates))
}

/// Staff check-in (`present = true`) or check-out of a delegate by number, recorded in the
/// audit log and as a card event naming the staff member. Returns the delegate and whether
/// anything changed.
pub fn set_present(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    delegate_no: u32,
    present: bool,
) -> ServiceResult<(Delegate, bool)> {
    write_tx(conn, |c| {
        let congress = congress_repo::get(c, congress_id)?
            .ok_or_else(|| ServiceError::NotFound(format!("大会 {congress_id} 不存在")))?;
        Action::CheckIn.check(congress.state)?;
        let d = roster_repo::delegate_by_no(c, congress_id, delegate_no)?
            .ok_or_else(|| ServiceError::NotFound(format!("代表编号 {delegate_no} 不存在")))?;
        let at = now_ms();
        let changed = cred_repo::set_present(c, &d.id, present, at)?;
        // A delegate on approved leave who arrives after all is present: the absence lapses,
        // so they are not both counted out of 应到 and into 实到 (D1).
        let lapsed = present && d.absence_approved;
        if lapsed {
            cred_repo::set_absence_approved(c, &d.id, false, None)?;
        }
        if changed {
            card_events::record(
                c,
                congress_id,
                &d.id,
                at,
                if present {
                    EventKind::CheckIn
                } else {
                    EventKind::CheckOut
                },
                Via::Staff,
                Some(&actor.username),
            )?;
            actor.audit(
                c,
                Some(congress_id),
                if present {
                    "attendance.check_in"
                } else {
                    "attendance.check_out"
                },
                Some(&format!("代表{delegate_no}")),
                None,
                lapsed.then(|| r#"{"absence":"lapsed"}"#.to_string()),
            )?;
        }
        let d = roster_repo::delegate(c, d.id.as_str())?.unwrap_or(d);
        Ok((d, changed))
    })
}

/// "宣布开会": the session starts; from now on a delegate's first login checks them in.
pub fn open_session(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let congress = congress_repo::get(c, congress_id)?
            .ok_or_else(|| ServiceError::NotFound(format!("大会 {congress_id} 不存在")))?;
        Action::OpenSession.check(congress.state)?;
        super::approval::check_session_open(c, &congress)?;
        congress_repo::transition(
            c,
            congress_id,
            CongressState::CredentialsIssued,
            CongressState::InSession,
        )?;
        actor.audit(
            c,
            Some(congress_id),
            "congress.open_session",
            None,
            None,
            None,
        )?;
        Ok(())
    })
}

/// Longest absence reason accepted (characters).
pub const MAX_ABSENCE_REASON_CHARS: usize = 200;

/// Records (`approved`) or withdraws an approved absence (请假, rule D1) of delegate
/// `delegate_no`, with the organiser's reason, between freezing the roster and opening the
/// session. Refused for a delegate already checked in. Returns the delegate as it now is and
/// whether anything changed; every change is audited with its reason.
pub fn set_absence(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    delegate_no: u32,
    approved: bool,
    reason: &str,
) -> ServiceResult<(Delegate, bool)> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid(if approved {
            "请填写请假理由(规则D1: 请假须经批准并记录理由)"
        } else {
            "请填写撤销请假的理由"
        }));
    }
    if reason.chars().count() > MAX_ABSENCE_REASON_CHARS {
        return Err(ServiceError::invalid(format!(
            "理由过长(最多{MAX_ABSENCE_REASON_CHARS}个字符)"
        )));
    }
    write_tx(conn, |c| {
        let congress = congress_repo::get(c, congress_id)?
            .ok_or_else(|| ServiceError::NotFound(format!("大会 {congress_id} 不存在")))?;
        Action::RecordAbsence.check(congress.state)?;
        let d = roster_repo::delegate_by_no(c, congress_id, delegate_no)?
            .ok_or_else(|| ServiceError::NotFound(format!("代表编号 {delegate_no} 不存在")))?;
        if approved && d.present {
            return Err(ServiceError::Conflict(format!(
                "{} (代表编号 {delegate_no}) 已签到, 不能登记请假",
                d.student.name
            )));
        }
        if d.absence_approved == approved {
            return Ok((d, false));
        }
        let stored = approved.then_some(reason);
        cred_repo::set_absence_approved(c, &d.id, approved, stored)?;
        actor.audit(
            c,
            Some(congress_id),
            if approved {
                "attendance.absence_approved"
            } else {
                "attendance.absence_withdrawn"
            },
            Some(&format!("代表{delegate_no}")),
            d.absence_reason
                .as_ref()
                .map(|r| serde_json::json!({ "reason": r }).to_string()),
            Some(serde_json::json!({ "approved": approved, "reason": reason }).to_string()),
        )?;
        let d = roster_repo::delegate(c, d.id.as_str())?.unwrap_or(d);
        Ok((d, true))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::Fraction;
    use crate::domain::types::{DelegateKind, Gender, Student};

    fn delegates(n: usize, present: usize, absent: usize) -> Vec<Delegate> {
        (0..n)
            .map(|i| Delegate {
                id: format!("d{i}").into(),
                congress_id: "c".into(),
                delegate_no: i as u32 + 1,
                student: Student {
                    name: format!("代表{i}"),
                    student_no: format!("{i}"),
                    college: "文学院".into(),
                    grade: "2024级".into(),
                    gender: Gender::Female,
                    union_role: None,
                    political_status: None,
                    societies: vec![],
                },
                kind: DelegateKind::Elected,
                credential_issued: true,
                session_epoch: 0,
                present: i < present,
                checked_in_at: None,
                absence_approved: i >= n - absent,
                absence_reason: None,
            })
            .collect()
    }

    #[test]
    fn quorum_is_strictly_more_than_two_thirds_by_default() {
        let p = RuleProfile::default();
        // 300 expected: 2/3 is exactly 200, which is not "more than".
        let a = figures(&delegates(300, 200, 0), &p);
        assert_eq!((a.expected, a.present, a.quorum_needed), (300, 200, 201));
        assert!(!a.quorum_met);
        assert!(figures(&delegates(300, 201, 0), &p).quorum_met);
    }

    #[test]
    fn absences_reduce_expected_only_when_configured() {
        let mut p = RuleProfile::default();
        let a = figures(&delegates(30, 19, 3), &p);
        assert_eq!((a.roster, a.absences, a.expected), (30, 3, 30));
        assert!(!a.quorum_met); // 19 of 30 is not more than 20
        p.subtract_approved_absences = true;
        let a = figures(&delegates(30, 19, 3), &p);
        assert_eq!(a.expected, 27); // 19 > 18 = 2/3 of 27
        assert!(a.quorum_met);
        p.quorum = Fraction::new(4, 5, false);
        let a = figures(&delegates(30, 19, 3), &p);
        assert_eq!(a.quorum_needed, 22); // ceil(4/5 x 27) = 21.6 -> 22
        assert!(!a.quorum_met);
    }

    #[test]
    fn per_college_figures_add_up_to_the_whole() {
        let mut p = RuleProfile::default();
        let mut ds = delegates(10, 6, 2);
        for d in ds.iter_mut().filter(|d| d.delegate_no % 2 == 0) {
            d.student.college = "理学院".into();
        }
        // Present: delegates 1-6 (three of each college); on leave: 9 (文学院) and 10 (理学院).
        let c = by_college(&ds, &p);
        let row = |c: &CollegeAttendance| (c.college.clone(), c.roster, c.expected, c.present);
        assert_eq!(row(&c[0]), ("文学院".into(), 5, 5, 3));
        assert_eq!(row(&c[1]), ("理学院".into(), 5, 5, 3));
        assert_eq!(c.len(), 2);
        p.subtract_approved_absences = true;
        let c = by_college(&ds, &p);
        assert_eq!((c[0].expected, c[1].expected), (4, 4));
        let whole = figures(&ds, &p);
        assert_eq!(c.iter().map(|c| c.expected).sum::<u64>(), whole.expected);
        assert_eq!(c.iter().map(|c| c.present).sum::<u64>(), whole.present);
    }
}
