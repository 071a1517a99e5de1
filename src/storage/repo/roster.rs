//! Enrolment, societies, nominees and the roster (delegates) of a congress.
//!
//! Each `replace_*` swaps a whole imported file's content; callers run it inside
//! `storage::write_tx` so a file is stored entirely or not at all.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::ids::{CongressId, DelegateId};
use crate::domain::types::{
    CollegeEnrolment, DelegateKind, Gender, Nominee, RosterEntry, Society, Student,
};
use crate::storage::codes::{count, count64, to_big_column, to_column};
use crate::storage::models::{DelegateRow, EnrolmentRow, NomineeRow, SocietyRow};
use crate::storage::schema::{delegates, enrolment, nominees, societies};
use crate::storage::{DbConnection, StorageError, StorageResult};

use super::new_id;

fn gender_str(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

fn parse_gender(s: &str) -> StorageResult<Gender> {
    match s {
        "male" => Ok(Gender::Male),
        "female" => Ok(Gender::Female),
        other => Err(StorageError::corrupt(format!("gender {other}"))),
    }
}

fn kind_str(k: DelegateKind) -> &'static str {
    match k {
        DelegateKind::Elected => "elected",
        DelegateKind::ExOfficio => "ex_officio",
        DelegateKind::Society => "society",
    }
}

fn parse_kind(s: &str) -> StorageResult<DelegateKind> {
    match s {
        "elected" => Ok(DelegateKind::Elected),
        "ex_officio" => Ok(DelegateKind::ExOfficio),
        "society" => Ok(DelegateKind::Society),
        other => Err(StorageError::corrupt(format!("delegate kind {other}"))),
    }
}

fn join_societies(s: &[String]) -> String {
    s.join(";")
}

fn split_societies(s: &str) -> Vec<String> {
    s.split(';')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

// --- enrolment ---------------------------------------------------------------------------

pub fn replace_enrolment(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    colleges: &[CollegeEnrolment],
) -> StorageResult<()> {
    diesel::delete(enrolment::table.filter(enrolment::congress_id.eq(congress_id)))
        .execute(conn)?;
    let rows = colleges
        .iter()
        .flat_map(|c| c.grades.iter().map(move |(g, n)| (c, g, *n)));
    for (i, (c, grade, students)) in rows.enumerate() {
        diesel::insert_into(enrolment::table)
            .values(EnrolmentRow {
                congress_id: congress_id.to_string(),
                college: c.college.clone(),
                grade: grade.clone(),
                students: to_big_column("students", students)?,
                row_no: to_column("row_no", i + 1)?,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Enrolment by college in the order of the imported file.
pub fn enrolment(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<CollegeEnrolment>> {
    let rows: Vec<EnrolmentRow> = enrolment::table
        .filter(enrolment::congress_id.eq(congress_id))
        .order(enrolment::row_no)
        .select(EnrolmentRow::as_select())
        .load(conn)?;
    let mut out: Vec<CollegeEnrolment> = Vec::new();
    for r in rows {
        let students = count64("enrolment", &r.college, "students", r.students)?;
        match out.iter_mut().find(|c| c.college == r.college) {
            Some(c) => c.grades.push((r.grade, students)),
            None => out.push(CollegeEnrolment {
                college: r.college,
                grades: vec![(r.grade, students)],
            }),
        }
    }
    Ok(out)
}

// --- societies ---------------------------------------------------------------------------

pub fn replace_societies(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    list: &[Society],
) -> StorageResult<()> {
    diesel::delete(societies::table.filter(societies::congress_id.eq(congress_id)))
        .execute(conn)?;
    for (i, s) in list.iter().enumerate() {
        diesel::insert_into(societies::table)
            .values(SocietyRow {
                congress_id: congress_id.to_string(),
                name: s.name.clone(),
                main: s.main,
                row_no: to_column("row_no", i + 1)?,
            })
            .execute(conn)?;
    }
    Ok(())
}

pub fn societies(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<Vec<Society>> {
    Ok(societies::table
        .filter(societies::congress_id.eq(congress_id))
        .order(societies::row_no)
        .select(SocietyRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| Society {
            name: r.name,
            main: r.main,
        })
        .collect())
}

// --- nominees ----------------------------------------------------------------------------

pub fn replace_nominees(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    list: &[Nominee],
) -> StorageResult<()> {
    diesel::delete(nominees::table.filter(nominees::congress_id.eq(congress_id))).execute(conn)?;
    for n in list {
        let s = &n.student;
        diesel::insert_into(nominees::table)
            .values(NomineeRow {
                congress_id: congress_id.to_string(),
                student_no: s.student_no.clone(),
                name: s.name.clone(),
                college: s.college.clone(),
                grade: s.grade.clone(),
                gender: gender_str(s.gender).to_string(),
                union_role: s.union_role.clone(),
                political_status: s.political_status.clone(),
                societies: join_societies(&s.societies),
                votes: to_big_column("votes", n.votes)?,
                row_no: to_column("row_no", n.row)?,
            })
            .execute(conn)?;
    }
    Ok(())
}

pub fn nominees(conn: &mut DbConnection, congress_id: &CongressId) -> StorageResult<Vec<Nominee>> {
    nominees::table
        .filter(nominees::congress_id.eq(congress_id))
        .order(nominees::row_no)
        .select(NomineeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| {
            let votes = count64("nominees", &r.student_no, "votes", r.votes)?;
            let row = count("nominees", &r.student_no, "row_no", r.row_no)? as usize;
            Ok(Nominee {
                student: Student {
                    name: r.name,
                    student_no: r.student_no,
                    college: r.college,
                    grade: r.grade,
                    gender: parse_gender(&r.gender)?,
                    union_role: r.union_role,
                    political_status: r.political_status,
                    societies: split_societies(&r.societies),
                },
                votes,
                row,
            })
        })
        .collect()
}

// --- delegates (the roster) --------------------------------------------------------------

/// A delegate on the stored roster, with the fields the later stages need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegate {
    pub id: DelegateId,
    pub congress_id: CongressId,
    /// 代表编号, 1-based, in roster order.
    pub delegate_no: u32,
    pub student: Student,
    pub kind: DelegateKind,
    pub credential_issued: bool,
    pub session_epoch: i64,
    pub present: bool,
    pub checked_in_at: Option<i64>,
    pub absence_approved: bool,
    /// Why the absence was approved (请假理由), while it is.
    pub absence_reason: Option<String>,
}

impl TryFrom<DelegateRow> for Delegate {
    type Error = StorageError;
    fn try_from(r: DelegateRow) -> StorageResult<Delegate> {
        let delegate_no = count("delegates", &r.id, "delegate_no", r.delegate_no)?;
        Ok(Delegate {
            id: r.id.into(),
            congress_id: r.congress_id.into(),
            delegate_no,
            student: Student {
                name: r.name,
                student_no: r.student_no,
                college: r.college,
                grade: r.grade,
                gender: parse_gender(&r.gender)?,
                union_role: r.union_role,
                political_status: r.political_status,
                societies: split_societies(&r.societies),
            },
            kind: parse_kind(&r.kind)?,
            credential_issued: r.token_hash.is_some(),
            session_epoch: r.session_epoch,
            present: r.present,
            checked_in_at: r.checked_in_at,
            absence_approved: r.absence_approved,
            absence_reason: r.absence_reason,
        })
    }
}

/// Replaces the roster; delegates are numbered 1..n in the given order.
pub fn replace_roster(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    roster: &[RosterEntry],
) -> StorageResult<()> {
    diesel::delete(delegates::table.filter(delegates::congress_id.eq(congress_id)))
        .execute(conn)?;
    for (i, e) in roster.iter().enumerate() {
        let s = &e.student;
        diesel::insert_into(delegates::table)
            .values(DelegateRow {
                id: new_id("d"),
                congress_id: congress_id.to_string(),
                delegate_no: to_column("delegate_no", i + 1)?,
                student_no: s.student_no.clone(),
                name: s.name.clone(),
                college: s.college.clone(),
                grade: s.grade.clone(),
                gender: gender_str(s.gender).to_string(),
                union_role: s.union_role.clone(),
                political_status: s.political_status.clone(),
                societies: join_societies(&s.societies),
                kind: kind_str(e.kind).to_string(),
                token_hash: None,
                code_hash: None,
                token_issued_at: None,
                session_epoch: 0,
                present: false,
                checked_in_at: None,
                absence_approved: false,
                absence_reason: None,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// The roster in delegate-number order.
pub fn delegates(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<Delegate>> {
    delegates::table
        .filter(delegates::congress_id.eq(congress_id))
        .order(delegates::delegate_no)
        .select(DelegateRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Delegate::try_from)
        .collect()
}

/// The roster as domain entries (for validation and export).
pub fn roster_entries(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<RosterEntry>> {
    Ok(delegates(conn, congress_id)?
        .into_iter()
        .map(|d| RosterEntry {
            student: d.student,
            kind: d.kind,
            row: Some(d.delegate_no as usize),
        })
        .collect())
}

pub fn delegate(conn: &mut DbConnection, id: &str) -> StorageResult<Option<Delegate>> {
    delegates::table
        .find(id)
        .select(DelegateRow::as_select())
        .first(conn)
        .optional()?
        .map(Delegate::try_from)
        .transpose()
}

pub fn delegate_by_no(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    delegate_no: u32,
) -> StorageResult<Option<Delegate>> {
    // A number no column can hold is no delegate's.
    let Ok(delegate_no) = i32::try_from(delegate_no) else {
        return Ok(None);
    };
    delegates::table
        .filter(delegates::congress_id.eq(congress_id))
        .filter(delegates::delegate_no.eq(delegate_no))
        .select(DelegateRow::as_select())
        .first(conn)
        .optional()?
        .map(Delegate::try_from)
        .transpose()
}
