//! The candidates of a draft election: add (one, or a whole file at once), edit, remove.
//!
//! A candidate who fails rule C3 is refused unless the organiser records an override with its
//! reason; a candidate who is a scrutineer (G2) or whose 学号 is already listed (B6) is refused
//! outright. After every change the ballot order (C4: 姓氏笔画, then the order of entry) is
//! computed again and stored.

use serde::{Deserialize, Serialize};

use super::{editable, invalid, reason, MAX_REASON_CHARS};
use crate::domain::candidates::{ballot_order, eligibility, Candidate};
use crate::domain::contest::{Contest, ContestKind};
use crate::domain::ids::{CandidateId, CongressId, ContestId};
use crate::domain::settings::RuleProfile;
use crate::domain::types::Gender;
use crate::service::audit_json;
use crate::service::scrutineers::normalise;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::contests::{self as repo};
use crate::storage::repo::new_id;
use crate::storage::repo::scrutineers::{self, Scrutineer};
use crate::storage::{write_tx, DbConnection, StorageError};

/// Most candidates one election may list.
pub const MAX_CANDIDATES: usize = 100;

/// A candidate's data as a form, the API or an imported file gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateData {
    /// 姓名
    pub name: String,
    /// 学号
    pub student_no: String,
    /// 学院
    pub college: String,
    /// 性别
    pub gender: Option<Gender>,
    /// 政治面貌
    pub political_status: String,
    /// 专业排名百分比 (15 = top 15%); `None` = not provided.
    pub rank_pct: Option<u32>,
    /// 不及格门数
    pub failed_courses: u32,
    /// The organiser's reason for admitting a candidate who fails rule C3.
    pub eligibility_override: Option<String>,
}

impl CandidateData {
    /// The candidate with trimmed fields (full-width digits in the 学号 made half-width, as
    /// for scrutineers, so G2 compares like with like). The override is kept only for a candidate who
    /// needs one, so a later change of the rank setting cannot silently activate a reason
    /// that was never needed.
    fn candidate(&self, id: String, organiser_order: u32, profile: &RuleProfile) -> Candidate {
        let mut c = Candidate {
            id,
            name: self.name.trim().to_string(),
            student_no: normalise(Some(&self.student_no)).unwrap_or_default(),
            college: self.college.trim().to_string(),
            gender: self.gender,
            political_status: self.political_status.trim().to_string(),
            rank_pct: self.rank_pct,
            failed_courses: self.failed_courses,
            eligibility_override: reason(self.eligibility_override.as_deref()),
            organiser_order,
        };
        if eligibility(&c, profile).eligible {
            c.eligibility_override = None;
        }
        c
    }
}

/// Whether rule C3 applies to the contest's candidates (presidium elections only).
fn checks_c3(contest: &Contest) -> bool {
    contest
        .def
        .kind_of_election()
        .unwrap_or_default()
        .checks_eligibility()
}

/// Every reason to refuse `c` in a contest that already lists `others` (B6, G2, C3, field
/// lengths), each naming the candidate.
fn problems(
    c: &Candidate,
    others: &[Candidate],
    scrutineers: &[Scrutineer],
    profile: &RuleProfile,
    c3: bool,
) -> Vec<String> {
    let who = format!("候选人{}（学号{}）", c.name, c.student_no);
    let mut out = Vec::new();
    for (label, value, max) in [
        ("姓名", &c.name, 50),
        ("学号", &c.student_no, 32),
        ("学院", &c.college, 100),
    ] {
        if value.is_empty() {
            out.push(format!("{who}：“{label}”不能为空"));
        } else if value.chars().count() > max {
            out.push(format!("{who}：“{label}”过长(最多{max}个字符)"));
        }
    }
    if c.political_status.chars().count() > 50 {
        out.push(format!("{who}：“政治面貌”过长(最多50个字符)"));
    }
    if c.failed_courses > 100 {
        out.push(format!("{who}：不及格门数{}不合理", c.failed_courses));
    }
    if c.eligibility_override
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
    {
        out.push(format!("{who}：特批理由过长(最多{MAX_REASON_CHARS}个字符)"));
    }
    if let Some(same) = others.iter().find(|o| o.student_no == c.student_no) {
        out.push(format!(
            "规则B6：学号{}已是本事项的候选人（{}），每名学生只能列一次",
            c.student_no, same.name
        ));
    }
    out.extend(scrutineer_conflict(c, &who, scrutineers));
    let e = eligibility(c, profile);
    if c3 && !e.eligible && !e.overridden {
        out.push(format!(
            "规则C3：{who}未通过资格审查：{}。不得提名；如确需提名，须填写特批理由",
            e.reasons.join("；")
        ));
    }
    out
}

/// Rule G2 from the candidate's side: the same 学号 as a scrutineer, or the same name as a
/// scrutineer entered without 学号 (names repeat, so the message says how to tell them apart).
fn scrutineer_conflict(c: &Candidate, who: &str, scrutineers: &[Scrutineer]) -> Option<String> {
    if let Some(s) = scrutineers
        .iter()
        .find(|s| s.student_no.as_deref() == Some(c.student_no.as_str()))
    {
        return Some(format!(
            "规则G2：{who}已被列为{}，候选人不得担任监票、计票工作",
            s.role.zh()
        ));
    }
    scrutineers
        .iter()
        .find(|s| s.student_no.is_none() && s.name.trim() == c.name)
        .map(|s| {
            format!(
                "规则G2：监票人员中有同名的{}“{}”且未填写学号；如果不是同一人，\
                 请先在监票人员中补填其学号以区分",
                s.role.zh(),
                s.name.trim()
            )
        })
}

/// The election `contest_id`, editable now, with the congress's rule profile.
pub(super) fn editable_election(
    c: &mut DbConnection,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<(RuleProfile, Contest)> {
    let (congress, contest) = editable(c, congress_id, contest_id)?;
    if contest.kind != ContestKind::Election {
        return Err(ServiceError::Conflict(format!(
            "“{}”是表决事项，没有候选人",
            contest.def.title
        )));
    }
    Ok((congress.settings, contest))
}

/// Computes the ballot order (C4) of the contest's candidates and stores it.
pub(super) fn store_ballot_order(
    c: &mut DbConnection,
    contest_id: &ContestId,
) -> ServiceResult<Vec<Candidate>> {
    let list = repo::candidates(c, contest_id)?;
    let order = ballot_order(&list);
    let mut out = Vec::with_capacity(list.len());
    for (pos, &i) in order.iter().enumerate() {
        repo::set_ballot_order(
            c,
            &CandidateId::from(&list[i].id),
            crate::service::position(pos)?,
        )?;
        out.push(list[i].clone());
    }
    repo::touch(c, contest_id)?;
    Ok(out)
}

/// A unique violation (a concurrent request added the same 学号) as a conflict.
fn duplicate(e: StorageError) -> ServiceError {
    if e.is_unique_violation() {
        ServiceError::Conflict("该学号已是本事项的候选人(可能刚被另一操作添加)".to_string())
    } else {
        e.into()
    }
}

fn too_many(contest: &Contest, n: usize) -> ServiceError {
    invalid(
        "候选人过多",
        vec![format!(
            "“{}”将有{n}名候选人，每项选举最多{MAX_CANDIDATES}名",
            contest.def.title
        )],
    )
}

/// Adds a candidate to a draft election (refused under B6, G2, or C3 without an override).
impl From<crate::import::CandidateInput> for CandidateData {
    /// A row of a candidates file. A file carries no override reasons: candidates failing
    /// C3 are added one by one with the organiser's reason.
    fn from(c: crate::import::CandidateInput) -> CandidateData {
        CandidateData {
            name: c.name,
            student_no: c.student_no,
            college: c.college,
            gender: c.gender,
            political_status: c.political_status,
            rank_pct: c.rank_pct,
            failed_courses: c.failed_courses,
            eligibility_override: None,
        }
    }
}

pub fn add_candidate(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    data: &CandidateData,
) -> ServiceResult<Candidate> {
    write_tx(conn, |c| {
        let (profile, contest) = editable_election(c, congress_id, contest_id)?;
        let existing = repo::candidates(c, contest_id)?;
        if existing.len() >= MAX_CANDIDATES {
            return Err(too_many(&contest, existing.len() + 1));
        }
        let scrutineers = scrutineers::list(c, congress_id)?;
        let order = repo::next_organiser_order(c, contest_id)?;
        let cand = data.candidate(new_id("k"), order, &profile);
        let found = problems(
            &cand,
            &existing,
            &scrutineers,
            &profile,
            checks_c3(&contest),
        );
        if !found.is_empty() {
            return Err(invalid(&format!("不能添加候选人{}", cand.name), found));
        }
        repo::insert_candidate(c, contest_id, &cand, order).map_err(duplicate)?;
        store_ballot_order(c, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.candidate_add",
            Some(contest_id.as_str()),
            None,
            audit_json(&cand)?,
        )?;
        Ok(cand)
    })
}

#[derive(Serialize)]
struct Upload<'a> {
    file: &'a str,
    candidates: &'a [Candidate],
}

/// Adds every candidate of an imported file, in file order, or none: the error lists every
/// row that cannot be added (a file carries no override reasons, so a candidate who fails C3
/// is added on their own with the reason).
pub fn add_candidates(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    file: &str,
    rows: &[CandidateData],
) -> ServiceResult<Vec<Candidate>> {
    write_tx(conn, |c| {
        let (profile, contest) = editable_election(c, congress_id, contest_id)?;
        let mut listed = repo::candidates(c, contest_id)?;
        if listed.len() + rows.len() > MAX_CANDIDATES {
            return Err(too_many(&contest, listed.len() + rows.len()));
        }
        let scrutineers = scrutineers::list(c, congress_id)?;
        let first = repo::next_organiser_order(c, contest_id)?;
        let mut added = Vec::with_capacity(rows.len());
        let mut found = Vec::new();
        for ((i, data), order) in rows.iter().enumerate().zip(first..) {
            let cand = data.candidate(new_id("k"), order, &profile);
            let problems = problems(&cand, &listed, &scrutineers, &profile, checks_c3(&contest));
            found.extend(
                problems
                    .into_iter()
                    .map(|p| format!("{file} 第{}名候选人：{p}", i + 1)),
            );
            listed.push(cand.clone());
            added.push(cand);
        }
        if !found.is_empty() {
            return Err(invalid(
                &format!("{file} 中的候选人未添加(整个文件都未导入)"),
                found,
            ));
        }
        for cand in &added {
            repo::insert_candidate(c, contest_id, cand, cand.organiser_order).map_err(duplicate)?;
        }
        store_ballot_order(c, contest_id)?;
        let record = Upload {
            file,
            candidates: &added,
        };
        actor.audit(
            c,
            Some(congress_id),
            "contest.candidates_upload",
            Some(contest_id.as_str()),
            None,
            audit_json(&record)?,
        )?;
        Ok(added)
    })
}

/// Replaces a candidate's data (same checks as adding); the order of entry is kept.
pub fn update_candidate(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    candidate_id: &CandidateId,
    data: &CandidateData,
) -> ServiceResult<Candidate> {
    write_tx(conn, |c| {
        let (profile, contest) = editable_election(c, congress_id, contest_id)?;
        let before = repo::candidate(c, contest_id, candidate_id)?
            .ok_or_else(|| ServiceError::NotFound(format!("候选人 {candidate_id} 不存在")))?;
        let others: Vec<Candidate> = repo::candidates(c, contest_id)?
            .into_iter()
            .filter(|o| *candidate_id != o.id)
            .collect();
        let scrutineers = scrutineers::list(c, congress_id)?;
        let cand = data.candidate(before.id.clone(), before.organiser_order, &profile);
        let found = problems(&cand, &others, &scrutineers, &profile, checks_c3(&contest));
        if !found.is_empty() {
            return Err(invalid(&format!("不能修改候选人{}", before.name), found));
        }
        repo::update_candidate(c, contest_id, &cand).map_err(duplicate)?;
        store_ballot_order(c, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.candidate_edit",
            Some(contest_id.as_str()),
            audit_json(&before)?,
            audit_json(&cand)?,
        )?;
        Ok(cand)
    })
}

/// Removes a candidate from a draft election.
pub fn remove_candidate(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    candidate_id: &CandidateId,
) -> ServiceResult<Candidate> {
    write_tx(conn, |c| {
        editable_election(c, congress_id, contest_id)?;
        let before = repo::candidate(c, contest_id, candidate_id)?
            .ok_or_else(|| ServiceError::NotFound(format!("候选人 {candidate_id} 不存在")))?;
        repo::delete_candidate(c, contest_id, candidate_id)?;
        store_ballot_order(c, contest_id)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.candidate_remove",
            Some(contest_id.as_str()),
            audit_json(&before)?,
            None,
        )?;
        Ok(before)
    })
}

#[cfg(test)]
mod tests;
