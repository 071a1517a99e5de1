//! The stored validation report of a congress's roster (`congresses.roster_report`): the
//! domain's `RosterReport` plus when and by what action it was made, where the roster came
//! from, and the substitutions of the generation that produced it.

use serde::{Deserialize, Serialize};

use crate::domain::ids::CongressId;
use crate::domain::roster::generate::Substitution;
use crate::domain::roster::RosterReport;
use crate::storage::repo::congress as congress_repo;
use crate::storage::{now_ms, DbConnection, StorageError};

use crate::service::{Actor, ServiceResult};

/// How the stored roster came about.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RosterSource {
    /// Generated from the nominees (rule B7).
    Generated,
    /// Uploaded as a file.
    Uploaded,
}

impl RosterSource {
    pub fn zh(self) -> &'static str {
        match self {
            RosterSource::Generated => "由推荐人选自动生成",
            RosterSource::Uploaded => "上传的名单文件",
        }
    }
}

/// The last validation of the stored roster, as kept with the congress.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct StoredReport {
    /// When the report was made (Unix ms).
    pub at: i64,
    /// Who made it (username, or `cli:<name>`).
    pub by: String,
    /// The action that made it: `roster.generate`, `roster.upload`, `roster.check`,
    /// `roster.freeze`.
    pub action: String,
    /// Where the roster came from; `None` when unknown (the report was cleared by a new
    /// enrolment or societies file and made again by a check).
    pub source: Option<RosterSource>,
    /// The uploaded file's name (uploaded rosters).
    pub file_name: Option<String>,
    pub report: RosterReport,
    /// The substitutions of the generation that produced the roster (generated rosters).
    #[serde(default)]
    pub substitutions: Vec<Substitution>,
}

impl StoredReport {
    /// A report made now by `actor` with `action`.
    pub fn new(actor: &Actor, action: &str, report: RosterReport) -> StoredReport {
        StoredReport {
            at: now_ms(),
            by: actor.username.clone(),
            action: action.to_string(),
            source: None,
            file_name: None,
            report,
            substitutions: Vec::new(),
        }
    }

    /// Keeps where the roster came from (and its substitutions) from the previous report.
    pub fn carrying(mut self, previous: Option<StoredReport>) -> StoredReport {
        if let Some(p) = previous {
            self.source = p.source;
            self.file_name = p.file_name;
            self.substitutions = p.substitutions;
        }
        self
    }

    /// Marks the roster as generated with these substitutions.
    pub fn generated(mut self, substitutions: Vec<Substitution>) -> StoredReport {
        self.source = Some(RosterSource::Generated);
        self.substitutions = substitutions;
        self
    }

    /// Marks the roster as uploaded from `file_name`.
    pub fn uploaded(mut self, file_name: &str) -> StoredReport {
        self.source = Some(RosterSource::Uploaded);
        self.file_name = Some(file_name.to_string());
        self
    }
}

impl StoredReport {
    /// Whether this report still describes the roster: `now` (the roster validated against
    /// what is stored now) has the same verdict, figures and violations. Messages are not
    /// compared: a report made at upload names file rows ("第5行"), a later check delegate
    /// numbers ("第4条"), for the same finding.
    pub fn is_current(&self, now: &RosterReport) -> bool {
        let key = |r: &RosterReport| -> Vec<(String, Option<String>, i64, i64, bool)> {
            r.violations
                .iter()
                .map(|v| {
                    (
                        v.rule.clone(),
                        v.college.clone(),
                        v.required,
                        v.found,
                        v.warning,
                    )
                })
                .collect()
        };
        self.report.valid == now.valid
            && self.report.summary == now.summary
            && key(&self.report) == key(now)
    }
}

/// Stores `report` as the congress's roster report.
pub fn store(
    conn: &mut DbConnection,
    cid: &CongressId,
    report: &StoredReport,
) -> ServiceResult<()> {
    let json = serde_json::to_string(report)
        .map_err(|e| StorageError::corrupt_because(format!("congress {cid}: roster report"), e))?;
    congress_repo::set_roster_report(conn, cid, Some(&json))?;
    Ok(())
}

/// Forgets the stored report (its figures no longer describe the congress's files).
pub fn clear(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<()> {
    congress_repo::set_roster_report(conn, cid, None)?;
    Ok(())
}

/// The stored report, if any.
pub fn load(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<Option<StoredReport>> {
    match congress_repo::roster_report(conn, cid)? {
        None => Ok(None),
        Some(json) => Ok(Some(serde_json::from_str(&json).map_err(|e| {
            StorageError::corrupt_because(format!("congress {cid}: roster report"), e)
        })?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roster::RosterSummary;
    use crate::domain::types::Violation;

    fn report(valid: bool) -> RosterReport {
        RosterReport {
            valid,
            violations: Vec::new(),
            summary: RosterSummary::default(),
        }
    }

    #[test]
    fn a_report_is_current_when_only_its_wording_differs() {
        let v = Violation {
            rule: "B6".into(),
            college: None,
            required: 1,
            found: 2,
            message: "学号2023010101重复: 第5行、第9行".into(),
            warning: false,
        };
        let mut at_upload = report(false);
        at_upload.violations.push(v.clone());
        let stored = StoredReport::new(&Actor::cli("王老师"), "roster.upload", at_upload);
        let mut now = report(false);
        now.violations.push(Violation {
            message: "学号2023010101重复: 第4条、第8条".into(),
            ..v.clone()
        });
        assert!(stored.is_current(&now));
        now.violations[0].found = 3;
        assert!(!stored.is_current(&now));
        let mut fewer_women = report(false);
        fewer_women.violations.push(v);
        fewer_women.summary.women = 1;
        assert!(!stored.is_current(&fewer_women));
    }

    #[test]
    fn a_check_keeps_the_source_and_substitutions_of_the_roster() {
        let actor = Actor::cli("王老师");
        let first = StoredReport::new(&actor, "roster.upload", report(false)).uploaded("名单.csv");
        let again = StoredReport::new(&actor, "roster.check", report(true)).carrying(Some(first));
        assert_eq!(again.source, Some(RosterSource::Uploaded));
        assert_eq!(again.file_name.as_deref(), Some("名单.csv"));
        assert_eq!(again.action, "roster.check");
        assert!(again.report.valid);
        let json = serde_json::to_string(&again).unwrap();
        let back: StoredReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, again);
        let fresh = StoredReport::new(&actor, "roster.check", report(true)).carrying(None);
        assert_eq!(fresh.source, None);
    }
}
