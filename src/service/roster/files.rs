//! Importing the organisers' files (学生人数, 学生社团, 推荐人选) into a congress. A file is
//! parsed whole before anything is written: one bad row anywhere and nothing is stored, and
//! every error comes back with its file, row and column.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::ids::CongressId;
use crate::domain::quota::{allocate, QuotaParams};
use crate::domain::state::{Action, StateError};
use crate::domain::types::{CollegeEnrolment, Nominee};
use crate::import::{self, FileKind, ImportError, ImportErrors, Table};
use crate::storage::repo::roster as roster_repo;
use crate::storage::{write_tx, DbConnection};

use super::stored::{describe, Parsed, Preview};
use super::{colleges, report};
use crate::service::congress::load;
use crate::service::{Actor, ServiceError, ServiceResult};

/// Longest file name kept (the rest is cut).
const MAX_FILE_NAME_CHARS: usize = 120;

/// The files a congress imports on its own (the roster has its own action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// 学生人数: enrolment per college and grade (quotas, B3).
    Enrolment,
    /// 学生社团: societies, main or not (B4).
    Societies,
    /// 推荐人选: nominees with their votes (B7).
    Nominees,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [
        ImportKind::Enrolment,
        ImportKind::Societies,
        ImportKind::Nominees,
    ];

    /// The name in URLs and JSON.
    pub fn slug(self) -> &'static str {
        match self {
            ImportKind::Enrolment => "enrolment",
            ImportKind::Societies => "societies",
            ImportKind::Nominees => "nominees",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        Self::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// The importer's kind of file.
    pub fn file_kind(self) -> FileKind {
        match self {
            ImportKind::Enrolment => FileKind::Enrolment,
            ImportKind::Societies => FileKind::Societies,
            ImportKind::Nominees => FileKind::Nominees,
        }
    }

    /// 学生人数 / 学生社团 / 推荐人选
    pub fn zh(self) -> &'static str {
        match self {
            ImportKind::Enrolment => "学生人数",
            ImportKind::Societies => "学生社团",
            ImportKind::Nominees => "推荐人选",
        }
    }
}

/// What a successful import stored.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub kind: ImportKind,
    pub file_name: String,
    /// Data rows in the file.
    pub rows: usize,
    /// One line on what is now stored, e.g. "8个学院, 32行, 在校生15993人".
    pub stored: String,
    /// The first rows of what was stored.
    pub preview: Preview,
    /// What was ignored or looks doubtful; the import happened anyway.
    pub warnings: Vec<ImportError>,
    /// Whether the roster's stored report was cleared (new enrolment or societies).
    pub report_cleared: bool,
}

/// A file that was not imported: nothing was stored.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub file_name: String,
    /// Every problem, with file, row and column.
    pub errors: Vec<ImportError>,
    /// The file as read, when it could be read as a table (to show the errors in place).
    pub table: Option<Table>,
}

/// Why an import (or a roster upload) did not happen.
#[derive(Debug)]
pub enum ImportFailure {
    /// The file has errors.
    Rejected(Rejected),
    /// The action was refused (state, unknown congress) or storage failed.
    Service(ServiceError),
}

impl From<ServiceError> for ImportFailure {
    fn from(e: ServiceError) -> Self {
        ImportFailure::Service(e)
    }
}

impl From<StateError> for ImportFailure {
    fn from(e: StateError) -> Self {
        ImportFailure::Service(e.into())
    }
}

impl From<ImportFailure> for ServiceError {
    /// For callers that only need the messages (the API): every error in `details`.
    fn from(f: ImportFailure) -> Self {
        match f {
            ImportFailure::Service(e) => e,
            ImportFailure::Rejected(r) => ServiceError::Invalid {
                message: format!(
                    "文件“{}”有{}处错误, 未导入任何内容",
                    r.file_name,
                    r.errors.len()
                ),
                details: r.errors.iter().map(ToString::to_string).collect(),
            },
        }
    }
}

/// The file's base name (no directories a browser may send), trimmed and shortened; a
/// placeholder when blank.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    if base.is_empty() {
        "上传的文件".to_string()
    } else {
        base
    }
}

/// Reads `bytes` as a table, or the rejection naming every problem.
pub(super) fn read(file_name: &str, bytes: &[u8]) -> Result<Table, ImportFailure> {
    import::read_table(file_name, bytes).map_err(|e| reject(file_name, None, e))
}

pub(super) fn reject(file_name: &str, table: Option<Table>, e: ImportErrors) -> ImportFailure {
    ImportFailure::Rejected(Rejected {
        file_name: file_name.to_string(),
        errors: e.0,
        table,
    })
}

/// A file read and parsed whole, not yet stored.
pub struct CheckedFile {
    pub kind: ImportKind,
    pub file_name: String,
    /// Data rows in the file.
    pub rows: usize,
    parsed: Parsed,
    warnings: Vec<ImportError>,
}

/// Imports one file, replacing what was stored of its kind (state: `Action::ImportFiles`).
///
/// The file is read and parsed whole first; on any error nothing is stored and every error
/// comes back ([`ImportFailure::Rejected`]). A new enrolment or societies file clears the
/// roster's stored report (its figures were computed against the old one). The audit entry
/// names the file, its kind and its row count, never its content.
pub fn import_file(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportOutcome, ImportFailure> {
    let checked = check_file(conn, cid, kind, file_name, bytes)?;
    store_file(conn, actor, cid, checked, None)
}

/// Reads and parses a file whole (nothing stored): the checked file, or every error.
pub fn check_file(
    conn: &mut DbConnection,
    cid: &CongressId,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<CheckedFile, ImportFailure> {
    let file_name = clean_file_name(file_name);
    let congress = load(conn, cid)?;
    // Refuse before reading: a file sent too late gets the state's message, not its errors.
    Action::ImportFiles.check(congress.state)?;
    let table = read(&file_name, bytes)?;
    let parsed = match kind {
        ImportKind::Enrolment => import::parse_enrolment(&table).map(Parsed::Enrolment),
        ImportKind::Societies => import::parse_societies(&table).map(Parsed::Societies),
        ImportKind::Nominees => import::parse_nominees(&table).map(Parsed::Nominees),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => return Err(reject(&file_name, Some(table), e)),
    };
    if table.rows.is_empty() && kind != ImportKind::Societies {
        let e = ImportError::file(&file_name, "文件只有表头, 没有数据行");
        return Err(reject(&file_name, Some(table), e.into()));
    }
    let warnings = import::warnings(kind.file_kind(), &table);
    Ok(CheckedFile {
        kind,
        file_name,
        rows: table.rows.len(),
        parsed,
        warnings,
    })
}

/// Stores a checked file in one transaction; `claim` (a pending upload being confirmed) is
/// taken in the same transaction, so a failure leaves it in place.
pub(crate) fn store_file(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    checked: CheckedFile,
    claim: Option<&crate::service::pending::Claim>,
) -> Result<ImportOutcome, ImportFailure> {
    let CheckedFile {
        kind,
        file_name,
        rows,
        parsed,
        mut warnings,
    } = checked;
    let report_cleared = write_tx(conn, |c| -> ServiceResult<bool> {
        let congress = load(c, cid)?;
        Action::ImportFiles.check(congress.state)?;
        if let Some(claim) = claim {
            claim.take(c)?;
        }
        let cleared = match &parsed {
            Parsed::Enrolment(list) => {
                roster_repo::replace_enrolment(c, cid, list)?;
                let params = QuotaParams::from(&congress.settings);
                if let Err(e) = allocate(&colleges(list)?, &params) {
                    warnings.push(ImportError::file(
                        &file_name,
                        format!("已导入, 但按当前规则设置无法分配名额: {e}"),
                    ));
                }
                true
            }
            Parsed::Societies(list) => {
                roster_repo::replace_societies(c, cid, list)?;
                true
            }
            Parsed::Nominees(list) => {
                roster_repo::replace_nominees(c, cid, list)?;
                let enrolment = roster_repo::enrolment(c, cid)?;
                warnings.extend(unknown_colleges(&file_name, list, &enrolment));
                false
            }
        };
        if cleared {
            report::clear(c, cid)?;
        }
        let after = serde_json::json!({ "kind": kind.slug(), "file": file_name, "rows": rows });
        actor.audit(
            c,
            Some(cid),
            "files.import",
            Some(kind.slug()),
            None,
            Some(after.to_string()),
        )?;
        Ok(cleared)
    })?;
    let (stored, preview) = describe(&parsed);
    Ok(ImportOutcome {
        kind,
        file_name,
        rows,
        stored,
        preview,
        warnings,
        report_cleared,
    })
}

/// Nominees of colleges the stored enrolment does not list (generation will refuse them).
fn unknown_colleges(
    file_name: &str,
    nominees: &[Nominee],
    enrolment: &[CollegeEnrolment],
) -> Vec<ImportError> {
    if enrolment.is_empty() {
        return Vec::new();
    }
    let known: BTreeSet<&str> = enrolment.iter().map(|c| c.college.as_str()).collect();
    let mut seen = BTreeSet::new();
    nominees
        .iter()
        .filter(|n| !known.contains(n.student.college.as_str()))
        .filter(|n| seen.insert(n.student.college.as_str()))
        .map(|n| {
            ImportError::cell(
                file_name,
                n.row,
                "学院",
                format!(
                    "学院“{}”不在已导入的学生人数表中; 生成代表名单前请核对学院名称",
                    n.student.college
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_directories_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\团委\\人数.csv"), "人数.csv");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(" 名单\n.xlsx "), "名单.xlsx");
        assert_eq!(clean_file_name("  "), "上传的文件");
        assert_eq!(clean_file_name(&"长".repeat(300)).chars().count(), 120);
    }

    #[test]
    fn kinds_round_trip_through_their_slugs() {
        for k in ImportKind::ALL {
            assert_eq!(ImportKind::parse(k.slug()), Some(k));
        }
        assert_eq!(ImportKind::parse("roster"), None);
        assert_eq!(ImportKind::Nominees.file_kind(), FileKind::Nominees);
    }

    #[test]
    fn a_rejection_lists_every_error_for_the_api() {
        let f = ImportFailure::Rejected(Rejected {
            file_name: "人数.csv".into(),
            errors: vec![
                ImportError::cell("人数.csv", 7, "人数", "“约452”不是整数"),
                ImportError::file("人数.csv", "x"),
            ],
            table: None,
        });
        match ServiceError::from(f) {
            ServiceError::Invalid { message, details } => {
                assert_eq!(message, "文件“人数.csv”有2处错误, 未导入任何内容");
                assert_eq!(details[0], "人数.csv 第7行 “人数”列: “约452”不是整数");
            }
            other => panic!("{other:?}"),
        }
    }
}
