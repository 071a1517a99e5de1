//! Working days (工作日) for the candidates' public notice (公示, rule C6): a notice of N
//! working days starts on its first day and ends at the end of its N-th working day.
//!
//! A day is a working day when it is a Monday to Friday that the organiser did not enter as a
//! holiday (法定节假日), or a Saturday or Sunday that the organiser entered as a make-up
//! working day (调休上班). The system knows no holiday table of its own: the State Council
//! publishes each year's in December, and the organiser enters the days that fall in the
//! notice (they are written into the signed notice, so anyone can recount).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// The organiser's calendar: holidays on weekdays and make-up working days on weekends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

/// The longest notice the setting allows (working days), and the furthest the count looks
/// ahead (calendar days) before giving up on a calendar that has no working days left.
pub const MAX_NOTICE_DAYS: u32 = 30;
const MAX_SPAN_DAYS: i64 = 400;

impl Calendar {
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        workdays: impl IntoIterator<Item = NaiveDate>,
    ) -> Calendar {
        Calendar {
            holidays: holidays.into_iter().collect(),
            workdays: workdays.into_iter().collect(),
        }
    }

    /// Whether `d` is a working day (工作日) under this calendar. A make-up working day wins
    /// over a holiday if the organiser entered both.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.workdays.contains(&d) {
            return true;
        }
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        !weekend && !self.holidays.contains(&d)
    }

    /// The last day of a notice of `days` working days that starts on `start`: the
    /// `days`-th working day counted from `start` inclusive (a start on a non-working day
    /// counts from the next working day). `None` for 0 days or a calendar with no such day
    /// within a year.
    pub fn notice_end(&self, start: NaiveDate, days: u32) -> Option<NaiveDate> {
        if days == 0 {
            return None;
        }
        let mut left = days;
        let mut d = start;
        for _ in 0..MAX_SPAN_DAYS {
            if self.is_working_day(d) {
                left -= 1;
                if left == 0 {
                    return Some(d);
                }
            }
            d = d.succ_opt()?;
        }
        None
    }

    /// The working days from `from` to `to`, both included (0 when `to` is before `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count() as u32
    }
}

/// Parses the organiser's list of dates: `YYYY-MM-DD` separated by commas, spaces,
/// semicolons, Chinese commas or new lines; a range `YYYY-MM-DD~YYYY-MM-DD` (or `至`) stands
/// for every day in it. Returns the dates or the Chinese message naming the bad item.
pub fn parse_dates(text: &str) -> Result<BTreeSet<NaiveDate>, String> {
    let mut out = BTreeSet::new();
    let items = text
        .split([
            ',', '，', '、', ';', '；', '\n', '\r', ' ', '\t', '\u{3000}',
        ])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    for item in items {
        let parse = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| format!("日期“{s}”应写作 YYYY-MM-DD, 例如 2026-10-01"))
        };
        match item.split_once(['~', '至']) {
            Some((a, b)) => {
                let (a, b) = (parse(a)?, parse(b)?);
                if b < a || (b - a).num_days() > 62 {
                    return Err(format!("日期范围“{item}”应从早到晚, 且不超过62天"));
                }
                out.extend(a.iter_days().take_while(|d| *d <= b));
            }
            None => {
                out.insert(parse(item)?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 国庆 2025: 10月1日至8日放假调休, 共8天; 9月28日(周日)、10月11日(周六)上班
    /// (国务院办公厅关于2025年部分节假日安排的通知).
    fn guoqing_2025() -> Calendar {
        Calendar::new(
            d("2025-10-01").iter_days().take(8),
            [d("2025-09-28"), d("2025-10-11")],
        )
    }

    #[test]
    fn weekends_are_not_working_days_unless_made_up() {
        let cal = guoqing_2025();
        assert!(!cal.is_working_day(d("2025-09-27"))); // Saturday
        assert!(cal.is_working_day(d("2025-09-28"))); // Sunday, 调休上班
        assert!(!cal.is_working_day(d("2025-10-01"))); // Wednesday, 国庆
        assert!(!cal.is_working_day(d("2025-10-08"))); // Wednesday, 中秋国庆
        assert!(cal.is_working_day(d("2025-10-09"))); // Thursday
        assert!(cal.is_working_day(d("2025-10-11"))); // Saturday, 调休上班
        assert!(!cal.is_working_day(d("2025-10-12"))); // Sunday
    }

    #[test]
    fn a_five_day_notice_across_guoqing() {
        let cal = guoqing_2025();
        // Starts Friday 26 Sep: 26, 28 (调休), 29, 30 Sep, then 9 Oct is the fifth.
        assert_eq!(cal.notice_end(d("2025-09-26"), 5), Some(d("2025-10-09")));
        // Without the organiser's holidays the same notice would end on 2 Oct.
        let plain = Calendar::default();
        assert_eq!(plain.notice_end(d("2025-09-26"), 5), Some(d("2025-10-02")));
        // Started during the holiday: counted from the 9th: 9, 10, 11 (调休), 13, 14.
        assert_eq!(cal.notice_end(d("2025-10-03"), 5), Some(d("2025-10-14")));
        assert_eq!(
            cal.working_days_between(d("2025-09-26"), d("2025-10-09")),
            5
        );
    }

    #[test]
    fn edge_cases() {
        let cal = Calendar::default();
        assert_eq!(cal.notice_end(d("2026-12-07"), 0), None);
        // Monday + 1 working day = the same Monday.
        assert_eq!(cal.notice_end(d("2026-12-07"), 1), Some(d("2026-12-07")));
        // A Saturday start counts from Monday.
        assert_eq!(cal.notice_end(d("2026-12-05"), 1), Some(d("2026-12-07")));
        assert_eq!(
            cal.working_days_between(d("2026-12-08"), d("2026-12-07")),
            0
        );
        // A calendar where every day is a holiday never ends.
        let never = Calendar::new(d("2026-01-01").iter_days().take(500), []);
        assert_eq!(never.notice_end(d("2026-01-01"), 1), None);
    }

    #[test]
    fn parses_lists_and_ranges() {
        let got = parse_dates("2025-10-01~2025-10-03，2025-10-08\n2025-10-05至2025-10-05").unwrap();
        let want: BTreeSet<NaiveDate> = [
            "2025-10-01",
            "2025-10-02",
            "2025-10-03",
            "2025-10-05",
            "2025-10-08",
        ]
        .into_iter()
        .map(d)
        .collect();
        assert_eq!(got, want);
        assert!(parse_dates("").unwrap().is_empty());
        assert!(parse_dates("10月1日").unwrap_err().contains("10月1日"));
        assert!(parse_dates("2025-10-08~2025-10-01").is_err());
    }
}
