//! The province table: for one year, every registered school with where it stands (filed on
//! time, late, pending, overdue, missing; `status`) and the indicators of its congress that
//! year (`indicators::assess` on the latest packet filed for it), and the same view of a
//! single filing. Only the chosen filings' JSON is read; the dates come from a light query.

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use serde::Serialize;

use super::indicators::{assess, parse_date, Context, Facts, Indicator, Outcome};
use super::service::load_settings;
use super::status::{filed, not_filed, Settings, Standing, YearStatus};
use crate::service::{ServiceError, ServiceResult};
use crate::storage::repo::registry::{self as repo, Filing, FilingBrief, School};
use crate::storage::DbConnection;

/// A Unix-ms time as a date in China Standard Time.
pub fn cst_date(ms: i64) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    cst.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// Today in China Standard Time.
pub fn today() -> NaiveDate {
    cst_date(crate::storage::now_ms())
}

/// One school's line.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub school: School,
    pub status: YearStatus,
    /// The filing the indicators come from (the latest packet of the year's congress).
    pub filing: Option<FilingBrief>,
    /// When the congress's first packet was accepted (Unix ms).
    pub first_filed_at: Option<i64>,
    /// Empty when nothing was filed for the year.
    pub indicators: Vec<Indicator>,
}

impl Row {
    /// Indicators that failed.
    pub fn failures(&self) -> usize {
        self.indicators
            .iter()
            .filter(|i| i.outcome == Outcome::Fail)
            .count()
    }
}

/// The table of a year.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceTable {
    pub year: i32,
    /// The day the table was computed on (CST).
    pub today: String,
    pub settings: Settings,
    pub rows: Vec<Row>,
}

impl ProvinceTable {
    /// How many schools stand so.
    pub fn count(&self, s: Standing) -> usize {
        self.rows.iter().filter(|r| r.status.standing == s).count()
    }

    /// Schools with a filed congress and at least one failed indicator.
    pub fn with_failures(&self) -> usize {
        self.rows.iter().filter(|r| r.failures() > 0).count()
    }
}

/// A school's congresses as filed: congress id -> (date, first upload, latest filing).
fn congresses(filings: &[FilingBrief]) -> BTreeMap<String, (NaiveDate, i64, FilingBrief)> {
    let mut out: BTreeMap<String, (NaiveDate, i64, FilingBrief)> = BTreeMap::new();
    for f in filings {
        let Some(date) = parse_date(&f.congress_date) else {
            continue;
        };
        out.entry(f.congress_id.clone())
            .and_modify(|e| {
                e.1 = e.1.min(f.uploaded_at);
                if f.uploaded_at >= e.2.uploaded_at {
                    e.2 = f.clone();
                }
            })
            .or_insert((date, f.uploaded_at, f.clone()));
    }
    out
}

fn indicators_of(full: &Filing, previous: Option<NaiveDate>, s: &Settings) -> Vec<Indicator> {
    let facts = Facts::from_stored(&full.record_json, &full.roster_summary, &full.addenda);
    let ctx = Context {
        previous_congress: previous.map(|d| d.to_string()),
        max_interval_months: s.max_interval_months,
    };
    assess(&facts, &ctx)
}

/// The province table of `year`, as of `today`.
pub fn province_table(
    conn: &mut DbConnection,
    year: i32,
    today: NaiveDate,
) -> ServiceResult<ProvinceTable> {
    let settings = load_settings(conn)?;
    let schools = repo::schools(conn)?;
    let mut by_school: BTreeMap<String, Vec<FilingBrief>> = BTreeMap::new();
    for f in repo::filings_up_to(conn, year)? {
        by_school.entry(f.school_id.clone()).or_default().push(f);
    }
    let mut rows = Vec::with_capacity(schools.len());
    let mut wanted: Vec<(usize, String, Option<NaiveDate>)> = Vec::new();
    for school in schools {
        let list = by_school.remove(&school.id).unwrap_or_default();
        let cs = congresses(&list);
        let this_year = cs
            .values()
            .filter(|(d, _, _)| chrono::Datelike::year(d) == year)
            .max_by_key(|(d, _, f)| (*d, f.uploaded_at));
        let row = match this_year {
            Some((date, first, latest)) => {
                let previous = cs.values().map(|(d, _, _)| *d).filter(|d| d < date).max();
                wanted.push((rows.len(), latest.id.clone(), previous));
                Row {
                    status: filed(*date, cst_date(*first), &settings),
                    filing: Some(latest.clone()),
                    first_filed_at: Some(*first),
                    indicators: Vec::new(),
                    school,
                }
            }
            None => {
                let last = cs.values().map(|(d, _, _)| *d).max();
                Row {
                    status: not_filed(year, last, today, &settings),
                    filing: None,
                    first_filed_at: None,
                    indicators: Vec::new(),
                    school,
                }
            }
        };
        rows.push(row);
    }
    let ids: Vec<String> = wanted.iter().map(|(_, id, _)| id.clone()).collect();
    let full: BTreeMap<String, Filing> = repo::filings_by_ids(conn, &ids)?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    for (i, id, previous) in wanted {
        if let Some(f) = full.get(&id) {
            rows[i].indicators = indicators_of(f, previous, &settings);
        }
    }
    Ok(ProvinceTable {
        year,
        today: today.to_string(),
        settings,
        rows,
    })
}

/// One filing as the office and its school see it.
#[derive(Debug, Clone)]
pub struct FilingView {
    pub filing: Filing,
    pub school: School,
    /// On time or late (by the congress's first accepted packet).
    pub status: YearStatus,
    /// The school's congress before this one, if filed.
    pub previous: Option<NaiveDate>,
    pub indicators: Vec<Indicator>,
}

/// The filing `id`.
pub fn filing_view(conn: &mut DbConnection, id: &str) -> ServiceResult<FilingView> {
    let filing = repo::filing(conn, id)?
        .ok_or_else(|| ServiceError::NotFound(format!("没有编号为“{id}”的备案")))?;
    let school = repo::school_by_id(conn, &filing.school_id)?.ok_or_else(|| {
        ServiceError::Internal(format!("the school of filing {id} does not exist").into())
    })?;
    let settings = load_settings(conn)?;
    let all = repo::filings_of_school(conn, &school.id)?;
    let cs = congresses(&all);
    let date = parse_date(&filing.congress_date).unwrap_or_default();
    let previous = cs.values().map(|(d, _, _)| *d).filter(|d| *d < date).max();
    let first = cs
        .get(&filing.congress_id)
        .map(|(_, first, _)| *first)
        .unwrap_or(filing.uploaded_at);
    Ok(FilingView {
        status: filed(date, cst_date(first), &settings),
        indicators: indicators_of(&filing, previous, &settings),
        previous,
        filing,
        school,
    })
}
