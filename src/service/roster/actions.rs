//! The actions that change the roster or the congress's state: generating (B7), uploading,
//! freezing and unfreezing.

use crate::domain::ids::CongressId;
use crate::domain::roster::generate::{self as generation, Generated, Infeasible};
use crate::domain::roster::{validate, RosterReport};
use crate::domain::state::{Action, CongressState};
use crate::import::{self, FileKind, ImportError};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::roster as roster_repo;
use crate::storage::{write_tx, DbConnection};

use super::files::{clean_file_name, read, reject, ImportFailure};
use super::report::{self, StoredReport};
use super::{inputs, report_figures, stored_roster, violation_line};
use crate::service::congress::load;
use crate::service::{Actor, ServiceError, ServiceResult};

/// Longest reason for unfreezing accepted.
pub const MAX_REASON_CHARS: usize = 500;

/// Generates the roster from the stored nominees (rule B7) and stores it with its report,
/// replacing the previous roster (`Action::EditRoster`).
///
/// `Ok(Err(infeasible))` when no roster meets the rules with these nominees: the violations
/// say which rule, college and shortfall, and nothing is stored.
pub fn generate(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
) -> ServiceResult<Result<Generated, Infeasible>> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        Action::EditRoster.check(congress.state)?;
        let inputs = inputs(c, &congress)?;
        let nominees = roster_repo::nominees(c, cid)?;
        if nominees.is_empty() {
            return Err(ServiceError::invalid(
                "尚未导入推荐人选: 请先在“名单导入”页面上传各班级团支部推荐的人选及得票",
            ));
        }
        let generated = match generation::generate(&nominees, &inputs.rules()) {
            Ok(g) => g,
            Err(infeasible) => return Ok(Err(infeasible)),
        };
        roster_repo::replace_roster(c, cid, &generated.roster)?;
        let stored = StoredReport::new(actor, "roster.generate", generated.report.clone())
            .generated(generated.substitutions.clone());
        report::store(c, cid, &stored)?;
        let mut after = report_figures(&generated.report);
        after["substitutions"] = generated.substitutions.len().into();
        actor.audit(
            c,
            Some(cid),
            "roster.generate",
            Some(cid.as_str()),
            None,
            Some(after.to_string()),
        )?;
        Ok(Ok(generated))
    })
}

/// What an uploaded roster gave.
#[derive(Debug, Clone)]
pub struct UploadedRoster {
    pub file_name: String,
    /// Delegates stored.
    pub rows: usize,
    /// What the importer ignored.
    pub warnings: Vec<ImportError>,
    /// The roster checked against the rules (it is stored even when invalid, so the
    /// organiser sees every violation at once; it cannot be frozen until it is valid).
    pub report: RosterReport,
    /// Whether the roster replaced the stored one. A roster with a student number on two rows
    /// (B6) is judged and reported in full but not stored: the roster holds one row per student.
    pub stored: bool,
}

/// Whether two entries share a student number (B6).
fn has_duplicate_numbers(roster: &[crate::domain::types::RosterEntry]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(roster.len());
    roster
        .iter()
        .any(|e| !seen.insert(e.student.student_no.trim()))
}

/// Stores an uploaded roster file, replacing the previous roster, validates it and stores the
/// report (`Action::EditRoster`). A file with errors stores nothing.
pub fn upload_roster(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    file_name: &str,
    bytes: &[u8],
) -> Result<UploadedRoster, ImportFailure> {
    match check_roster(conn, cid, file_name, bytes)? {
        RosterFile::Judged(u) => Ok(u),
        RosterFile::Checked(f) => store_roster(conn, actor, cid, f, None),
    }
}

/// A roster file read and parsed whole, not yet stored.
pub struct CheckedRoster {
    pub file_name: String,
    roster: Vec<crate::domain::types::RosterEntry>,
    warnings: Vec<ImportError>,
}

impl CheckedRoster {
    /// Delegates in the file.
    pub fn rows(&self) -> usize {
        self.roster.len()
    }
}

/// What reading a roster file gave: a file to store, or one judged and never stored (a
/// student number on two rows, B6).
pub enum RosterFile {
    Checked(CheckedRoster),
    Judged(UploadedRoster),
}

/// Reads and parses a roster file whole (nothing stored).
pub fn check_roster(
    conn: &mut DbConnection,
    cid: &CongressId,
    file_name: &str,
    bytes: &[u8],
) -> Result<RosterFile, ImportFailure> {
    let file_name = clean_file_name(file_name);
    let congress = load(conn, cid)?;
    Action::EditRoster.check(congress.state)?;
    let table = read(&file_name, bytes)?;
    let roster = match import::parse_roster(&table) {
        Ok(r) => r,
        Err(e) => return Err(reject(&file_name, Some(table), e)),
    };
    if roster.is_empty() {
        let e = ImportError::file(&file_name, "文件只有表头, 没有代表");
        return Err(reject(&file_name, Some(table), e.into()));
    }
    let warnings = import::warnings(FileKind::Roster, &table);
    if has_duplicate_numbers(&roster) {
        let report = write_tx(conn, |c| -> ServiceResult<RosterReport> {
            let congress = load(c, cid)?;
            Action::EditRoster.check(congress.state)?;
            Ok(validate(&roster, &inputs(c, &congress)?.rules()))
        })?;
        return Ok(RosterFile::Judged(UploadedRoster {
            file_name,
            rows: roster.len(),
            warnings,
            report,
            stored: false,
        }));
    }
    Ok(RosterFile::Checked(CheckedRoster {
        file_name,
        roster,
        warnings,
    }))
}

/// Stores a checked roster in one transaction, taking `claim` (a pending upload being
/// confirmed) in the same transaction.
pub(crate) fn store_roster(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    checked: CheckedRoster,
    claim: Option<&crate::service::pending::Claim>,
) -> Result<UploadedRoster, ImportFailure> {
    let CheckedRoster {
        file_name,
        roster,
        warnings,
    } = checked;
    let report = write_tx(conn, |c| -> ServiceResult<RosterReport> {
        let congress = load(c, cid)?;
        Action::EditRoster.check(congress.state)?;
        if let Some(claim) = claim {
            claim.take(c)?;
        }
        let inputs = inputs(c, &congress)?;
        roster_repo::replace_roster(c, cid, &roster)?;
        let report = validate(&roster, &inputs.rules());
        let stored = StoredReport::new(actor, "roster.upload", report.clone()).uploaded(&file_name);
        report::store(c, cid, &stored)?;
        let mut after = report_figures(&report);
        after["file"] = file_name.clone().into();
        actor.audit(
            c,
            Some(cid),
            "roster.upload",
            Some(cid.as_str()),
            None,
            Some(after.to_string()),
        )?;
        Ok(report)
    })?;
    Ok(UploadedRoster {
        file_name,
        rows: roster.len(),
        warnings,
        report,
        stored: true,
    })
}

/// Freezes the roster (`Action::FreezeRoster`, set-up -> roster frozen) when the stored
/// roster passes every rule now; validated inside the transaction, whatever the stored report
/// says. Refused with every violation otherwise.
pub fn freeze(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
) -> ServiceResult<RosterReport> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        Action::FreezeRoster.check(congress.state)?;
        let inputs = inputs(c, &congress)?;
        let roster = stored_roster(c, cid)?;
        if roster.is_empty() {
            return Err(ServiceError::invalid(
                "代表名单为空, 不能冻结: 请先生成或上传代表名单",
            ));
        }
        let report = validate(&roster, &inputs.rules());
        if !report.valid {
            let details: Vec<String> = report
                .violations
                .iter()
                .filter(|v| !v.warning)
                .map(violation_line)
                .collect();
            return Err(ServiceError::Invalid {
                message: format!(
                    "代表名单有{}处不符合规则, 不能冻结; 请修改名单后重新校验",
                    details.len()
                ),
                details,
            });
        }
        move_state(
            c,
            &congress,
            CongressState::Setup,
            CongressState::RosterFrozen,
        )?;
        let previous = report::load(c, cid)?;
        let stored = StoredReport::new(actor, "roster.freeze", report.clone()).carrying(previous);
        report::store(c, cid, &stored)?;
        let mut after = report_figures(&report);
        after["state"] = CongressState::RosterFrozen.as_str().into();
        actor.audit(
            c,
            Some(cid),
            "roster.freeze",
            Some(cid.as_str()),
            Some(state_json(CongressState::Setup)),
            Some(after.to_string()),
        )?;
        Ok(report)
    })
}

/// Unfreezes the roster (`Action::UnfreezeRoster`: roster frozen -> set-up, which the state
/// machine allows only before credentials are issued). The reason is required and kept in
/// the audit entry.
pub fn unfreeze(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    reason: &str,
) -> ServiceResult<Congress> {
    let reason = reason.trim();
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        Action::UnfreezeRoster.check(congress.state)?;
        if crate::storage::repo::term::meeting(c, cid)?.is_some() {
            return Err(ServiceError::Conflict(
                "闭会期间会议的代表名单是冻结的常任代表名单, 不能解除冻结(规则H2)".to_string(),
            ));
        }
        if reason.is_empty() {
            return Err(ServiceError::invalid(
                "解除冻结必须填写原因(例如: 某学院代表因故更换), 原因将记入操作日志",
            ));
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(ServiceError::invalid(format!(
                "解除冻结的原因过长: 最多{MAX_REASON_CHARS}个字符"
            )));
        }
        move_state(
            c,
            &congress,
            CongressState::RosterFrozen,
            CongressState::Setup,
        )?;
        let after = serde_json::json!({
            "state": CongressState::Setup.as_str(),
            "reason": reason,
        });
        actor.audit(
            c,
            Some(cid),
            "roster.unfreeze",
            Some(cid.as_str()),
            Some(state_json(CongressState::RosterFrozen)),
            Some(after.to_string()),
        )?;
        load(c, cid)
    })
}

fn state_json(s: CongressState) -> String {
    serde_json::json!({ "state": s.as_str() }).to_string()
}

/// Moves the congress from `from` to `to`, or says another request changed it first.
fn move_state(
    c: &mut DbConnection,
    congress: &Congress,
    from: CongressState,
    to: CongressState,
) -> ServiceResult<()> {
    if congress_repo::transition(c, &congress.id, from, to)? {
        Ok(())
    } else {
        Err(ServiceError::Conflict(
            "大会状态刚被其他操作改变, 请刷新页面后再试".to_string(),
        ))
    }
}
