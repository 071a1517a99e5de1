//! The standing delegates' list (rules I1-I3): the number per college, the nomination, its
//! check and its freezing. Every change is refused once the list is frozen.

use std::collections::BTreeMap;

use crate::domain::ids::{CongressId, DelegateId};
use crate::domain::roster::is_ordinary;
use crate::domain::term::{check_standing, Nominated, StandingReport};
use crate::domain::types::Gender;
use crate::service::congress::load;
use crate::service::roster::violation_line;
use crate::service::{audit_json, Actor, ServiceError, ServiceResult};
use crate::storage::repo::roster as roster_repo;
use crate::storage::repo::term;
use crate::storage::{write_tx, DbConnection};

use super::term_congress;

fn not_frozen(c: &mut DbConnection, cid: &CongressId) -> ServiceResult<()> {
    if term::frozen(c, cid)?.is_some() {
        return Err(ServiceError::Conflict(
            "常任代表名单已冻结, 不能再修改".to_string(),
        ));
    }
    Ok(())
}

/// Sets the number of standing delegates each college nominates (I2). Every college must be
/// one of the congress's delegates' colleges, and its number at most its delegates.
pub fn set_quotas(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    quotas: &BTreeMap<String, u32>,
) -> ServiceResult<()> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        term_congress(c, &congress)?;
        not_frozen(c, cid)?;
        let delegates = roster_repo::delegates(c, cid)?;
        let mut problems = Vec::new();
        for (college, n) in quotas {
            let have = delegates
                .iter()
                .filter(|d| &d.student.college == college)
                .count() as u32;
            if have == 0 {
                problems.push(format!("“{college}”不是本次大会代表所在的学院"));
            } else if *n > have {
                problems.push(format!("{college}只有{have}名代表, 不能推荐{n}名常任代表"));
            }
        }
        if quotas.values().all(|n| *n == 0) {
            problems.push("各学院的常任代表名额合计为0".to_string());
        }
        if !problems.is_empty() {
            return Err(ServiceError::Invalid {
                message: "常任代表名额有误".to_string(),
                details: problems,
            });
        }
        let before = term::quotas(c, cid)?;
        term::set_quotas(c, cid, quotas)?;
        actor.audit(
            c,
            Some(cid),
            "term.standing_quotas",
            Some(cid.as_str()),
            audit_json(&before)?,
            audit_json(quotas)?,
        )?;
        Ok(())
    })
}

/// The nominated list as the rules see it: each number looked up among the delegates.
fn nominated(
    c: &mut DbConnection,
    cid: &CongressId,
    numbers: &[u32],
) -> ServiceResult<Vec<Nominated>> {
    let delegates = roster_repo::delegates(c, cid)?;
    Ok(numbers
        .iter()
        .map(|no| match delegates.iter().find(|d| d.delegate_no == *no) {
            Some(d) => Nominated {
                delegate_no: *no,
                name: Some(d.student.name.clone()),
                college: d.student.college.clone(),
                ordinary: is_ordinary(&d.student, None),
                woman: d.student.gender == Gender::Female,
            },
            None => Nominated {
                delegate_no: *no,
                name: None,
                college: String::new(),
                ordinary: false,
                woman: false,
            },
        })
        .collect())
}

/// The stored list checked now.
pub fn check_now(conn: &mut DbConnection, cid: &CongressId) -> ServiceResult<StandingReport> {
    let congress = load(conn, cid)?;
    let ids = term::standing_ids(conn, cid)?;
    let mut numbers: Vec<u32> = roster_repo::delegates(conn, cid)?
        .into_iter()
        .filter(|d| ids.contains(&d.id))
        .map(|d| d.delegate_no)
        .collect();
    numbers.sort_unstable();
    let list = nominated(conn, cid, &numbers)?;
    Ok(check_standing(
        &term::quotas(conn, cid)?,
        &list,
        &congress.settings,
    ))
}

/// Replaces the nominated list with the delegates numbered `numbers` (I1): refused, storing
/// nothing, when a number is not a delegate or comes twice; otherwise stored and reported
/// (I2 and I3 findings are shown; freezing needs I2 to hold).
pub fn nominate(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
    numbers: &[u32],
) -> ServiceResult<StandingReport> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        term_congress(c, &congress)?;
        not_frozen(c, cid)?;
        let list = nominated(c, cid, numbers)?;
        let report = check_standing(&term::quotas(c, cid)?, &list, &congress.settings);
        let h1: Vec<String> = report
            .violations
            .iter()
            .filter(|v| v.rule == "I1")
            .map(violation_line)
            .collect();
        if !h1.is_empty() {
            return Err(ServiceError::Invalid {
                message: "常任代表名单未保存".to_string(),
                details: h1,
            });
        }
        let delegates = roster_repo::delegates(c, cid)?;
        let ids: Vec<DelegateId> = numbers
            .iter()
            .filter_map(|no| delegates.iter().find(|d| d.delegate_no == *no))
            .map(|d| d.id.clone())
            .collect();
        term::replace_standing(c, cid, &ids)?;
        actor.audit(
            c,
            Some(cid),
            "term.standing_nominate",
            Some(cid.as_str()),
            None,
            Some(
                serde_json::json!({
                    "delegate_nos": numbers,
                    "valid": report.valid,
                })
                .to_string(),
            ),
        )?;
        Ok(report)
    })
}

/// Freezes the list when it passes I1 and I2 now; the report it was frozen with is kept.
pub fn freeze(
    conn: &mut DbConnection,
    actor: &Actor,
    cid: &CongressId,
) -> ServiceResult<StandingReport> {
    write_tx(conn, |c| {
        let congress = load(c, cid)?;
        term_congress(c, &congress)?;
        not_frozen(c, cid)?;
        let report = check_now(c, cid)?;
        if !report.valid {
            return Err(ServiceError::Invalid {
                message: "常任代表名单不符合规则, 不能冻结".to_string(),
                details: report
                    .violations
                    .iter()
                    .filter(|v| !v.warning)
                    .map(violation_line)
                    .collect(),
            });
        }
        let json = serde_json::to_string(&report).map_err(ServiceError::internal)?;
        term::freeze(c, cid, &actor.username, &json)?;
        actor.audit(
            c,
            Some(cid),
            "term.standing_freeze",
            Some(cid.as_str()),
            None,
            Some(
                serde_json::json!({
                    "total": report.total,
                    "ordinary": report.ordinary,
                    "women": report.women,
                })
                .to_string(),
            ),
        )?;
        Ok(report)
    })
}
