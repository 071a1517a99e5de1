//! Has a school filed for a year, on time? The rules of docs/registry.md ("Late and missing"),
//! as pure functions of dates: the filing office's settings, the dates of the school's
//! congresses and of their first accepted filings, and today's date.
//!
//! - A congress is filed *on time* when its first accepted packet arrived within
//!   `filing_days` days of the congress date (the record's `congress.date`), *late* otherwise.
//! - A year without a filed congress is *missing* (未备案) once it is over, i.e. after
//!   31 December plus `filing_days` (a congress held on 30 December may still be filed in
//!   January); before that it is *pending* (尚未备案), unless the school's last congress is
//!   already more than `max_interval_months` months ago (*overdue*, 超期未召开).

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::indicators::Outcome;

/// The office's settings (`registry_settings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Days after the congress within which its result must be filed.
    pub filing_days: u32,
    /// The longest interval between two congresses, in months ("周期不超过两年": 24).
    pub max_interval_months: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            filing_days: 30,
            max_interval_months: super::indicators::DEFAULT_MAX_INTERVAL_MONTHS,
        }
    }
}

/// Where a school stands for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// 按时备案
    OnTime,
    /// 逾期备案
    Late,
    /// 尚未备案 (the year is not over)
    Pending,
    /// 超期未召开 (more than the interval since the last congress)
    Overdue,
    /// 未备案 (the year is over)
    Missing,
}

impl Standing {
    pub fn zh(self) -> &'static str {
        match self {
            Standing::OnTime => "按时备案",
            Standing::Late => "逾期备案",
            Standing::Pending => "尚未备案",
            Standing::Overdue => "超期未召开",
            Standing::Missing => "未备案",
        }
    }

    /// Red (fail), green (pass) or grey (not yet decided).
    pub fn outcome(self) -> Outcome {
        match self {
            Standing::OnTime => Outcome::Pass,
            Standing::Pending => Outcome::Unknown,
            Standing::Late | Standing::Overdue | Standing::Missing => Outcome::Fail,
        }
    }
}

/// The standing with its explanation, e.g. "会后 12 天备案 (期限 30 天)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearStatus {
    pub standing: Standing,
    pub detail: String,
}

/// A filed congress: on time or late.
pub fn filed(congress: NaiveDate, first_upload: NaiveDate, s: &Settings) -> YearStatus {
    let days = (first_upload - congress).num_days();
    if days <= i64::from(s.filing_days) {
        let detail = if days < 0 {
            "备案日期早于记录中的大会日期".to_string()
        } else {
            format!("会后 {days} 天备案 (期限 {} 天)", s.filing_days)
        };
        YearStatus {
            standing: Standing::OnTime,
            detail,
        }
    } else {
        YearStatus {
            standing: Standing::Late,
            detail: format!(
                "会后 {days} 天备案, 超过 {} 天的期限 {} 天",
                s.filing_days,
                days - i64::from(s.filing_days)
            ),
        }
    }
}

/// The date from which a year without a filed congress counts as missing: 31 December of
/// `year` plus `filing_days`.
pub fn year_closes(year: i32, s: &Settings) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)?.checked_add_days(chrono::Days::new(s.filing_days.into()))
}

/// The latest date the next congress may be held after one on `last`.
pub fn next_due(last: NaiveDate, s: &Settings) -> Option<NaiveDate> {
    last.checked_add_months(Months::new(s.max_interval_months))
}

/// A year without a filed congress, seen on `today`; `last` is the school's latest congress
/// before that year, if any.
pub fn not_filed(year: i32, last: Option<NaiveDate>, today: NaiveDate, s: &Settings) -> YearStatus {
    let due = last.and_then(|l| next_due(l, s));
    let closed = year_closes(year, s).is_some_and(|c| today > c);
    let last_text = match last {
        Some(l) => format!("上一次大会 {l}"),
        None => "从未备案".to_string(),
    };
    // Overdue when the interval ran out within this year (or before it) and by today.
    let overdue = due.is_some_and(|d| d < today && d.year() <= year);
    let (standing, detail) = match (closed, overdue, due) {
        (_, true, Some(d)) => (
            Standing::Overdue,
            format!("{year} 年无学代会备案; {last_text}, 应于 {d} 前召开"),
        ),
        (true, _, _) => (
            Standing::Missing,
            format!("{year} 年无学代会备案 ({last_text})"),
        ),
        (false, _, Some(d)) => (
            Standing::Pending,
            format!("{year} 年尚无备案; {last_text}, 最迟应于 {d} 前召开"),
        ),
        (false, _, None) => (
            Standing::Pending,
            format!("{year} 年尚无备案 ({last_text})"),
        ),
    };
    YearStatus { standing, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_filing_within_the_days_is_on_time_and_one_day_more_is_late() {
        let s = Settings::default();
        let on = filed(d("2025-05-18"), d("2025-06-17"), &s);
        assert_eq!(on.standing, Standing::OnTime);
        assert_eq!(on.detail, "会后 30 天备案 (期限 30 天)");
        let late = filed(d("2025-05-18"), d("2025-06-18"), &s);
        assert_eq!(late.standing, Standing::Late);
        assert_eq!(late.detail, "会后 31 天备案, 超过 30 天的期限 1 天");
        assert_eq!(late.standing.outcome(), Outcome::Fail);
        let early = filed(d("2025-05-18"), d("2025-05-01"), &s);
        assert_eq!(early.standing, Standing::OnTime);
    }

    #[test]
    fn a_year_is_missing_only_once_it_is_over_plus_the_filing_days() {
        let s = Settings::default();
        let last = Some(d("2024-05-18"));
        // Within the year and within two years of the last congress: pending.
        let p = not_filed(2025, last, d("2025-08-01"), &s);
        assert_eq!(p.standing, Standing::Pending);
        assert!(
            p.detail.contains("最迟应于 2026-05-18 前召开"),
            "{}",
            p.detail
        );
        // 30 January of the next year: a late-December congress may still be filed.
        assert_eq!(
            not_filed(2025, last, d("2026-01-30"), &s).standing,
            Standing::Pending
        );
        let m = not_filed(2025, last, d("2026-01-31"), &s);
        assert_eq!(m.standing, Standing::Missing);
        assert_eq!(m.detail, "2025 年无学代会备案 (上一次大会 2024-05-18)");
        assert_eq!(
            not_filed(2025, None, d("2026-03-01"), &s).detail,
            "2025 年无学代会备案 (从未备案)"
        );
    }

    #[test]
    fn two_years_without_a_congress_is_overdue_even_within_the_year() {
        let s = Settings::default();
        let o = not_filed(2025, Some(d("2023-03-01")), d("2025-04-01"), &s);
        assert_eq!(o.standing, Standing::Overdue);
        assert_eq!(
            o.detail,
            "2025 年无学代会备案; 上一次大会 2023-03-01, 应于 2025-03-01 前召开"
        );
        // The interval runs out next year: this year is only pending.
        let p = not_filed(2025, Some(d("2024-03-01")), d("2025-04-01"), &s);
        assert_eq!(p.standing, Standing::Pending);
        // A shorter interval setting (每年召开: 12 months) makes it overdue.
        let yearly = Settings {
            max_interval_months: 12,
            ..s
        };
        let o = not_filed(2025, Some(d("2024-03-01")), d("2025-04-01"), &yearly);
        assert_eq!(o.standing, Standing::Overdue);
    }
}
