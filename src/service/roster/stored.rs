//! What is stored of each imported file: counts, a one-line summary and the first rows, for
//! the files page and the answer to an import.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::ids::CongressId;
use crate::domain::types::{CollegeEnrolment, Gender, Nominee, Society};
use crate::import::FileKind;
use crate::storage::repo::audit::{self as audit_repo, AuditEntry, Query, Scope};
use crate::storage::repo::roster as roster_repo;
use crate::storage::DbConnection;

use super::files::ImportKind;
use crate::service::congress::load;
use crate::service::ServiceResult;

/// Rows shown in a preview.
pub const PREVIEW_ROWS: usize = 10;

/// A few rows of a table as text, for a page or a JSON answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub headers: Vec<String>,
    /// At most [`PREVIEW_ROWS`] rows.
    pub rows: Vec<Vec<String>>,
    /// Rows in all.
    pub total: usize,
}

/// A parsed file, ready to store.
pub(super) enum Parsed {
    Enrolment(Vec<CollegeEnrolment>),
    Societies(Vec<Society>),
    Nominees(Vec<Nominee>),
}

/// What is stored of one kind of file.
#[derive(Debug, Clone, Serialize)]
pub struct StoredFile {
    pub kind: ImportKind,
    /// Rows stored (0 = nothing imported yet).
    pub rows: usize,
    pub summary: String,
    pub preview: Preview,
    /// The last import, from the audit log.
    pub last_import: Option<LastImport>,
}

/// The last import of a kind of file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastImport {
    pub file_name: String,
    /// Unix ms.
    pub at: i64,
    /// Username.
    pub by: String,
}

/// What is stored of each kind, in [`ImportKind::ALL`] order.
pub fn stored_files(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<Vec<StoredFile>> {
    load(conn, cid)?;
    let q = Query {
        scope: Scope::Congress(cid.as_str()),
        action_prefix: Some("files.import"),
        actor: None,
    };
    let imports = audit_repo::page(conn, &q, 0, 200)?;
    let mut out = Vec::new();
    for kind in ImportKind::ALL {
        let parsed = match kind {
            ImportKind::Enrolment => Parsed::Enrolment(roster_repo::enrolment(conn, cid)?),
            ImportKind::Societies => Parsed::Societies(roster_repo::societies(conn, cid)?),
            ImportKind::Nominees => Parsed::Nominees(roster_repo::nominees(conn, cid)?),
        };
        let (summary, preview) = describe(&parsed);
        out.push(StoredFile {
            kind,
            rows: preview.total,
            summary,
            preview,
            last_import: last_import(&imports, kind),
        });
    }
    Ok(out)
}

fn last_import(entries: &[AuditEntry], kind: ImportKind) -> Option<LastImport> {
    let e = entries
        .iter()
        .find(|e| e.target.as_deref() == Some(kind.slug()))?;
    let after: serde_json::Value = serde_json::from_str(e.after.as_deref()?).ok()?;
    Some(LastImport {
        file_name: after.get("file")?.as_str()?.to_string(),
        at: e.at,
        by: e.actor.clone(),
    })
}

/// The first [`PREVIEW_ROWS`] of `rows` (built only for those), of `total` in all.
fn preview<T>(
    headers: &[&str],
    items: impl Iterator<Item = T>,
    total: usize,
    row: impl Fn(T) -> Vec<String>,
) -> Preview {
    Preview {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: items.take(PREVIEW_ROWS).map(row).collect(),
        total,
    }
}

/// A one-line summary and a preview of stored values.
pub(super) fn describe(parsed: &Parsed) -> (String, Preview) {
    match parsed {
        Parsed::Enrolment(list) => {
            let rows = list
                .iter()
                .flat_map(|c| c.grades.iter().map(move |g| (c.college.as_str(), g)));
            let total: usize = list.iter().map(|c| c.grades.len()).sum();
            let students: u64 = list.iter().map(CollegeEnrolment::total).sum();
            let summary = format!("{}个学院, {total}行, 在校生共{students}人", list.len());
            let p = preview(
                &["学院", "年级", "人数"],
                rows,
                total,
                |(c, (g, n))| {
                    let grade = if g.is_empty() { "(未分年级)" } else { g };
                    vec![c.to_string(), grade.to_string(), n.to_string()]
                },
            );
            (summary, p)
        }
        Parsed::Societies(list) => {
            let main = list.iter().filter(|s| s.main).count();
            let summary = format!("{}个社团, 其中主要学生社团{main}个", list.len());
            let p = preview(
                &["社团名称", "是否主要社团"],
                list.iter(),
                list.len(),
                |s| vec![s.name.clone(), if s.main { "是" } else { "否" }.to_string()],
            );
            (summary, p)
        }
        Parsed::Nominees(list) => {
            let colleges: BTreeSet<&str> =
                list.iter().map(|n| n.student.college.as_str()).collect();
            let women = list
                .iter()
                .filter(|n| n.student.gender == Gender::Female)
                .count();
            let summary = format!(
                "{}名推荐人选, 来自{}个学院, 其中女生{women}名",
                list.len(),
                colleges.len()
            );
            let headers = FileKind::Nominees.headers();
            let p = preview(&headers, list.iter(), list.len(), |n: &Nominee| {
                let s = &n.student;
                vec![
                    s.name.clone(),
                    s.student_no.clone(),
                    s.college.clone(),
                    s.grade.clone(),
                    s.gender.zh().to_string(),
                    s.union_role.clone().unwrap_or_default(),
                    s.political_status.clone().unwrap_or_default(),
                    s.societies.join(";"),
                    n.votes.to_string(),
                ]
            });
            (summary, p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrolment_is_described_with_its_totals() {
        let list = vec![
            CollegeEnrolment {
                college: "文学院".into(),
                grades: vec![("2022级".into(), 372), ("2023级".into(), 385)],
            },
            CollegeEnrolment {
                college: "马克思主义学院".into(),
                grades: vec![(String::new(), 386)],
            },
        ];
        let (summary, p) = describe(&Parsed::Enrolment(list));
        assert_eq!(summary, "2个学院, 3行, 在校生共1143人");
        assert_eq!(p.total, 3);
        assert_eq!(p.rows[2], vec!["马克思主义学院", "(未分年级)", "386"]);
    }

    #[test]
    fn a_preview_holds_the_first_rows_and_counts_them_all() {
        let list: Vec<Society> = (1..=25)
            .map(|i| Society {
                name: format!("第{i}社团"),
                main: i % 5 == 0,
            })
            .collect();
        let (summary, p) = describe(&Parsed::Societies(list));
        assert_eq!(summary, "25个社团, 其中主要学生社团5个");
        assert_eq!((p.rows.len(), p.total), (PREVIEW_ROWS, 25));
        assert_eq!(p.rows[4], vec!["第5社团", "是"]);
        assert_eq!(p.rows[9], vec!["第10社团", "是"]);
    }
}
