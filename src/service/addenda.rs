//! The signed addenda to a certified record (rule G3): 党委批准 (approval) and 备案 (filing).
//!
//! The filing follows the approval: 备案 can be recorded only once an approval is, and not
//! dated before it. Neither is ever edited: a mistake in either is corrected by a further signed
//! addendum of the same kind that names the one it corrects (its SHA-256) and gives the reason.
//! Dates are calendar dates, not in the future (China Standard Time) and not before the record
//! was signed.

use base64::Engine;
use chrono::NaiveDate;

use super::record::{internal, now_cst, stored};
use super::{audit_json, Actor, ServiceError, ServiceResult};
use crate::crypto::{sha256_hex, SigningKey};
use crate::domain::ids::CongressId;
use crate::domain::state::{Action, CongressState};
use crate::packet::format::{Addendum, VERSION};
use crate::packet::record::sign_addendum;
use crate::storage::models::AddendumRow;
use crate::storage::repo::congress as congress_repo;
use crate::storage::repo::{new_id, records};
use crate::storage::{now_ms, write_tx, DbConnection};

/// Longest correction reason accepted (characters).
pub const MAX_CORRECTION_REASON_CHARS: usize = 500;

/// What an addendum says.
#[derive(Debug, Clone)]
pub struct AddendumInput {
    /// approval (党委批准) | filing (备案)
    pub kind: String,
    /// approval: the approving Party committee; filing: the receiving 学联 / 团委.
    pub body: String,
    /// approval: 文号 (reference number).
    pub reference: Option<String>,
    /// YYYY-MM-DD
    pub date: String,
    /// Why a recorded approval or filing is corrected (required for a correction).
    pub reason: Option<String>,
}

/// Today in China Standard Time.
pub fn today_cst() -> NaiveDate {
    let now = chrono::Utc::now();
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(cst) => now.with_timezone(&cst).date_naive(),
        None => now.date_naive(),
    }
}

/// The CST calendar date of a millisecond timestamp.
fn date_of_ms(ms: i64) -> Option<NaiveDate> {
    let cst = chrono::FixedOffset::east_opt(8 * 3600)?;
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&cst).date_naive())
}

/// The latest addendum of `kind` among `rows` (its last correction), parsed.
fn latest(rows: &[AddendumRow], kind: &str) -> ServiceResult<Option<(AddendumRow, Addendum)>> {
    match rows.iter().filter(|r| r.kind == kind).max_by_key(|r| r.seq) {
        None => Ok(None),
        Some(r) => {
            let a: Addendum = serde_json::from_str(&r.body_json).map_err(internal)?;
            Ok(Some((r.clone(), a)))
        }
    }
}

fn parse_date(a: &Addendum) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&a.date, "%Y-%m-%d").ok()
}

/// Records a signed addendum referencing the record's hash; the first filing moves the
/// congress to `filed`. A second addendum of a kind is a correction and needs `reason`.
pub fn add_addendum(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    key: &SigningKey,
    input: &AddendumInput,
) -> ServiceResult<Addendum> {
    let action = match input.kind.as_str() {
        "approval" => Action::RecordApproval,
        "filing" => Action::RecordFiling,
        other => {
            return Err(ServiceError::invalid(format!(
                "附件类别应为 approval 或 filing, 现为 {other}"
            )))
        }
    };
    let approval = action == Action::RecordApproval;
    let mut problems = Vec::new();
    if input.body.trim().is_empty() {
        problems.push(
            if approval {
                "“批准机关”不能为空"
            } else {
                "“备案机关”不能为空"
            }
            .to_string(),
        );
    }
    if approval
        && input
            .reference
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        problems.push("“文号”不能为空".to_string());
    }
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_CORRECTION_REASON_CHARS)
    {
        problems.push(format!(
            "更正理由过长(最多{MAX_CORRECTION_REASON_CHARS}个字符)"
        ));
    }
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d");
    match date {
        Err(_) => problems.push(format!("“日期”应为 YYYY-MM-DD, 现为“{}”", input.date)),
        Ok(d) if d > today_cst() => problems.push(format!(
            "“日期”{d} 晚于今天({}), 不能登记尚未发生的{}",
            today_cst(),
            action.zh().trim_start_matches("登记")
        )),
        Ok(_) => {}
    }
    if !problems.is_empty() {
        return Err(ServiceError::Invalid {
            message: "登记内容有误".to_string(),
            details: problems,
        });
    }
    let date = date.map_err(internal)?;
    write_tx(conn, |c| {
        let congress = super::congress::load(c, congress_id)?;
        let rows = records::addenda(c, congress_id)?;
        let previous = latest(&rows, &input.kind)?;
        // A filing is corrected after the congress is filed; everything else as the state says.
        if !(previous.is_some() && congress.state == CongressState::Filed) {
            action.check(congress.state)?;
        }
        let (row, _) =
            stored(c, congress_id)?.ok_or_else(|| ServiceError::invalid("尚未签署结果报告"))?;
        if date_of_ms(row.signed_at).is_some_and(|signed| date < signed) {
            return Err(ServiceError::invalid(format!(
                "“日期”{date} 早于结果报告签署的日期, 请核对"
            )));
        }
        if previous.is_some() && reason.is_none() {
            return Err(ServiceError::Conflict(format!(
                "{}已经登记过; 已登记的内容不能修改, 如需更正, 请填写更正理由, 以新的签名附件登记",
                action.zh()
            )));
        }
        let approved = latest(&rows, "approval")?;
        let filed = latest(&rows, "filing")?;
        if !approval {
            let Some((_, a)) = &approved else {
                return Err(ServiceError::Conflict(
                    "须先登记党委批准, 才能登记备案 (规则 G3: 经同级党委批准后报上级学联备案)"
                        .to_string(),
                ));
            };
            if parse_date(a).is_some_and(|d| date < d) {
                return Err(ServiceError::invalid(format!(
                    "备案日期 {date} 早于党委批准日期 {}; 备案须在批准之后",
                    a.date
                )));
            }
        } else if let Some((_, f)) = &filed {
            if parse_date(f).is_some_and(|d| date > d) {
                return Err(ServiceError::invalid(format!(
                    "党委批准日期 {date} 晚于已登记的备案日期 {}; 请先核对, 必要时更正备案",
                    f.date
                )));
            }
        }
        let addendum = Addendum {
            v: VERSION,
            kind: input.kind.clone(),
            congress: congress_id.to_string(),
            record_sha256: row.record_hash.clone(),
            body: input.body.trim().to_string(),
            reference: input
                .reference
                .as_ref()
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
            date: date.to_string(),
            recorded_at: now_cst(),
            corrects: previous
                .as_ref()
                .map(|(r, _)| sha256_hex(r.body_json.as_bytes())),
            reason: previous.as_ref().and(reason.clone()),
        };
        let signed = sign_addendum(key, &addendum).map_err(internal)?;
        let seq = previous.as_ref().map_or(1, |(r, _)| r.seq + 1);
        records::insert_addendum(
            c,
            &AddendumRow {
                id: new_id("a"),
                congress_id: congress_id.to_string(),
                kind: input.kind.clone(),
                body_json: String::from_utf8(signed.bytes).map_err(internal)?,
                sig: base64::engine::general_purpose::STANDARD.encode(signed.sig),
                created_at: now_ms(),
                seq,
            },
        )?;
        if !approval && previous.is_none() {
            congress_repo::transition(
                c,
                congress_id,
                CongressState::Certified,
                CongressState::Filed,
            )?;
        }
        actor.audit(
            c,
            Some(congress_id),
            &format!("record.{}", input.kind),
            previous.is_some().then_some("correction"),
            None,
            audit_json(&addendum)?,
        )?;
        Ok(addendum)
    })
}
