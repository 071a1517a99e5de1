//! The roster workflow of a congress (rules A1-A3, B1-B8): importing the organisers' files,
//! the quota table, generating or uploading the roster, checking it, and freezing it.
//!
//! Every action runs in one transaction: state check, domain rules, storage and audit
//! (see `service`). The rules are always judged against what is stored *now*: the enrolment,
//! the societies, and the quotas allocated from the enrolment under the congress's rule
//! profile. The last report is kept with the congress ([`StoredReport`]); freezing never
//! trusts it but validates again inside its own transaction.
//!
//! Decisions:
//! - A new enrolment or societies file clears the stored report (its figures are stale); a
//!   new nominees file does not (validation does not read the nominees).
//! - A refused import, an infeasible generation and a refused freeze change nothing and are
//!   not audited; every action that stores something is.
//! - Checking, generating and uploading need `Action::EditRoster` (set-up only), and freezing
//!   stores the report it validated, so once frozen the stored report is the frozen roster's.
//! - The stored roster is validated without file rows, so its violations name delegates as
//!   "第N条" (N = delegate number); right after an upload they name the file's rows ("第N行").

mod actions;
mod files;
mod report;
mod stored;

use std::collections::BTreeMap;

use crate::domain::ids::CongressId;
use crate::domain::quota::{allocate, Allocation, QuotaParams};
use crate::domain::roster::{validate, RosterReport, RosterRules, RosterSummary};
use crate::domain::settings::RuleProfile;
use crate::domain::state::Action;
use crate::domain::types::{CollegeEnrolment, RosterEntry, Society, Violation};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::roster::{self as roster_repo, Delegate};
use crate::storage::{write_tx, DbConnection};

use super::congress::load;
use super::{Actor, ServiceError, ServiceResult};

pub(crate) use actions::store_roster;
pub use actions::{check_roster, freeze, generate, unfreeze, upload_roster};
pub use actions::{CheckedRoster, RosterFile, UploadedRoster, MAX_REASON_CHARS};
pub(crate) use files::store_file;
pub use files::{check_file, clean_file_name, import_file, CheckedFile};
pub use files::{ImportFailure, ImportKind, ImportOutcome, Rejected};
pub use report::{RosterSource, StoredReport};
pub use stored::{stored_files, LastImport, Preview, StoredFile, PREVIEW_ROWS};

/// What the roster rules are judged against, as stored now.
struct Inputs {
    profile: RuleProfile,
    enrolment: Vec<CollegeEnrolment>,
    societies: Vec<Society>,
    quotas: BTreeMap<String, u64>,
}

impl Inputs {
    fn rules(&self) -> RosterRules<'_> {
        RosterRules {
            profile: &self.profile,
            enrolment: &self.enrolment,
            quotas: &self.quotas,
            societies: &self.societies,
            cadre_roles: None,
        }
    }
}

/// (college, enrolment) pairs for `domain::quota::allocate`.
fn colleges(enrolment: &[CollegeEnrolment]) -> ServiceResult<Vec<(String, i64)>> {
    enrolment
        .iter()
        .map(|c| {
            let total = i64::try_from(c.total()).map_err(|_| {
                ServiceError::invalid(format!("{}的在校生人数 {} 过大", c.college, c.total()))
            })?;
            Ok((c.college.clone(), total))
        })
        .collect()
}

/// The quotas of the stored enrolment under the congress's rule profile.
fn allocation(congress: &Congress, enrolment: &[CollegeEnrolment]) -> ServiceResult<Allocation> {
    if enrolment.is_empty() {
        return Err(ServiceError::invalid(
            "尚未导入学生人数表: 请先在“名单导入”页面上传各学院、各年级的学生人数",
        ));
    }
    allocate(
        &colleges(enrolment)?,
        &QuotaParams::from(&congress.settings),
    )
    .map_err(|e| ServiceError::Invalid {
        message: "按当前规则设置无法分配代表名额".to_string(),
        details: vec![e.to_string()],
    })
}

fn inputs(c: &mut DbConnection, congress: &Congress) -> ServiceResult<Inputs> {
    let enrolment = roster_repo::enrolment(c, &congress.id)?;
    let allocation = allocation(congress, &enrolment)?;
    let quotas = allocation
        .colleges
        .iter()
        .map(|q| (q.college.clone(), q.quota))
        .collect();
    Ok(Inputs {
        profile: congress.settings,
        societies: roster_repo::societies(c, &congress.id)?,
        enrolment,
        quotas,
    })
}

/// The stored roster in delegate-number order, without file rows: a violation then names a
/// delegate as "第N条", N being the delegate number shown on the page.
fn stored_roster(c: &mut DbConnection, cid: &CongressId) -> ServiceResult<Vec<RosterEntry>> {
    let mut roster = roster_repo::roster_entries(c, cid)?;
    for e in &mut roster {
        e.row = None;
    }
    Ok(roster)
}

/// The stored roster validated against what is stored now.
fn validate_now(c: &mut DbConnection, congress: &Congress) -> ServiceResult<RosterReport> {
    let inputs = inputs(c, congress)?;
    let roster = stored_roster(c, &congress.id)?;
    Ok(validate(&roster, &inputs.rules()))
}

/// One violation on one line: "规则B2 [计算机学院] 应为20 实际18: ...".
pub fn violation_line(v: &Violation) -> String {
    format!(
        "规则{} [{}] 应为{} 实际{}: {}",
        v.rule,
        v.college.as_deref().unwrap_or("全体代表"),
        v.required,
        v.found,
        v.message
    )
}

/// The quota table (rules A1-A3) of the stored enrolment under the congress's settings
/// (total, method, ratio, minimum seats).
pub fn quota(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<Allocation> {
    let congress = load(conn, cid)?;
    let enrolment = roster_repo::enrolment(conn, cid)?;
    allocation(&congress, &enrolment)
}

/// The stored roster's figures now (for the filing packet): counts per college, ordinary
/// students, women, grades and societies covered.
pub fn summary(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<RosterSummary> {
    let congress = load(conn, cid)?;
    Ok(validate_now(conn, &congress)?.summary)
}

/// Checks the stored roster against the stored enrolment, societies and quotas again, and
/// stores the report (`Action::EditRoster`).
pub fn check(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
) -> ServiceResult<RosterReport> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        Action::EditRoster.check(congress.state)?;
        let report = validate_now(c, &congress)?;
        let previous = report::load(c, cid)?;
        let stored = StoredReport::new(actor, "roster.check", report.clone()).carrying(previous);
        report::store(c, cid, &stored)?;
        actor.audit(
            c,
            Some(cid),
            "roster.check",
            Some(cid.as_str()),
            None,
            Some(report_figures(&report).to_string()),
        )?;
        Ok(report)
    })
}

/// What the audit log keeps of a report: figures, never names.
fn report_figures(r: &RosterReport) -> serde_json::Value {
    serde_json::json!({
        "valid": r.valid,
        "delegates": r.summary.rows,
        "violations": r.violations.iter().filter(|v| !v.warning).count(),
    })
}

/// Everything the roster page and the API show.
#[derive(Debug, Clone)]
pub struct RosterOverview {
    /// The stored roster in delegate-number order.
    pub delegates: Vec<Delegate>,
    /// The last stored report.
    pub stored: Option<StoredReport>,
    /// The roster validated now, or why it cannot be (no enrolment, quotas impossible).
    pub current: Result<RosterReport, String>,
}

/// The stored roster, its stored report and its validation now.
pub fn overview(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<RosterOverview> {
    let congress = load(conn, cid)?;
    let delegates = roster_repo::delegates(conn, cid)?;
    let stored = report::load(conn, cid)?;
    let current = match validate_now(conn, &congress) {
        Ok(r) => Ok(r),
        Err(ServiceError::Invalid { message, details }) => Err(std::iter::once(message)
            .chain(details)
            .collect::<Vec<_>>()
            .join(": ")),
        Err(e) => return Err(e),
    };
    Ok(RosterOverview {
        delegates,
        stored,
        current,
    })
}

/// The stored roster report of `cid`, if any (where the roster came from, its last check).
pub fn stored_report(
    conn: &mut DbConnection,
    cid: &CongressId,
) -> ServiceResult<Option<StoredReport>> {
    report::load(conn, cid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_reads_on_one_line() {
        let v = Violation {
            rule: "B2".into(),
            college: Some("计算机学院".into()),
            required: 20,
            found: 18,
            message: "计算机学院33名选举代表中普通同学至少应有20名".into(),
            warning: false,
        };
        assert_eq!(
            violation_line(&v),
            "规则B2 [计算机学院] 应为20 实际18: 计算机学院33名选举代表中普通同学至少应有20名"
        );
        let w = Violation {
            college: None,
            rule: "B5".into(),
            ..v
        };
        assert!(violation_line(&w).starts_with("规则B5 [全体代表]"));
    }

    #[test]
    fn colleges_sum_their_grades() {
        let e = vec![CollegeEnrolment {
            college: "文学院".into(),
            grades: vec![("2022级".into(), 372), ("2023级".into(), 385)],
        }];
        assert_eq!(colleges(&e).unwrap(), vec![("文学院".to_string(), 757)]);
    }
}
