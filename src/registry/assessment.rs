//! A school's own self-assessment (学代会自评表) of a certified congress, from its own
//! database: the record, roster summary and addenda it signed (the same files its packet
//! carries, with the approval steps: the latest 公示), judged by the same `indicators::assess` the filing office runs on the packet, with
//! the school's previous certified congress (same school name and level) as the interval's
//! start. The filing office adds only what it alone knows (when the packet arrived).

use crate::domain::ids::CongressId;
use crate::registry::indicators::{assess, latest_addendum, parse_date, Context, Facts, Indicator};
use crate::service::{ServiceError, ServiceResult};
use crate::storage::repo::congress::{self as congress_repo, Congress};
use crate::storage::repo::records;
use crate::storage::DbConnection;

/// The self-assessment of one congress.
#[derive(Debug, Clone)]
pub struct SelfAssessment {
    pub congress: Congress,
    /// The date of the school's previous certified congress, if this database holds one.
    pub previous: Option<String>,
    pub indicators: Vec<Indicator>,
    /// The filing addendum (备案): receiving body and date, if recorded.
    pub filed: Option<(String, String)>,
}

/// The facts of a certified congress, as its packet would carry them.
pub fn facts(conn: &mut DbConnection, congress_id: &CongressId) -> ServiceResult<Facts> {
    let row = records::get(conn, congress_id)?.ok_or_else(|| {
        ServiceError::invalid("尚未签署选举结果报告: 自评表在签署结果报告后由签名记录生成")
    })?;
    let record = serde_json::from_str(&row.record_json)
        .map_err(|e| ServiceError::Internal(crate::errors::context("reading record.json", e)))?;
    let roster_summary = serde_json::from_str(&row.roster_summary).ok();
    let mut addenda = std::collections::BTreeMap::new();
    for a in records::addenda(conn, congress_id)? {
        if let Ok(v) = serde_json::from_str(&a.body_json) {
            addenda.insert(a.kind, v);
        }
    }
    // The approval steps (公示 among them) as the packet's `approval/` files carry them.
    let mut steps = Vec::new();
    for (name, signed) in crate::service::approval::packet_files(conn, congress_id)? {
        if let Ok(v) = serde_json::from_slice(&signed.bytes) {
            steps.push((name, v));
        }
    }
    super::facts::add_notice(&mut addenda, steps);
    Ok(Facts {
        record,
        roster_summary,
        addenda,
    })
}

/// The self-assessment of congress `congress_id`.
pub fn self_assessment(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> ServiceResult<SelfAssessment> {
    let congress = congress_repo::get(conn, congress_id)?
        .ok_or_else(|| ServiceError::NotFound(format!("没有编号为“{congress_id}”的大会")))?;
    let facts = facts(conn, congress_id)?;
    let this = parse_date(&congress.date);
    let mut previous: Option<String> = None;
    for other in congress_repo::list(conn)? {
        let same = other.id != congress.id
            && other.school.trim() == congress.school.trim()
            && other.level == congress.level;
        let earlier = match (parse_date(&other.date), this) {
            (Some(d), Some(t)) => d < t,
            _ => false,
        };
        if same
            && earlier
            && records::get(conn, &other.id)?.is_some()
            && previous.as_deref().and_then(parse_date) < parse_date(&other.date)
        {
            previous = Some(other.date.clone());
        }
    }
    let ctx = Context {
        previous_congress: previous.clone(),
        ..Context::default()
    };
    let filed = latest_addendum(&facts.addenda, "filing").map(|a| {
        let text = |k: &str| a.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        (text("body"), text("date"))
    });
    Ok(SelfAssessment {
        indicators: assess(&facts, &ctx),
        congress,
        previous,
        filed,
    })
}
