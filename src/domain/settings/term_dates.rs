//! Rule I6's settings: the term's length in years and the two semesters' first days, a day of
//! the year written "MM-DD" (issue 15: set per congress, defaults as the policy's calendar).

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest term the policies allow: "周期不超过两年".
pub const MAX_TERM_YEARS: u32 = 2;

/// A day of the year, "MM-DD", never 02-29 (it must exist every year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub const fn new(month: u32, day: u32) -> MonthDay {
        MonthDay { month, day }
    }

    /// Parses "MM-DD" (also "M-D", "3月1日"); `None` when it is not a day of every year.
    pub fn parse(text: &str) -> Option<MonthDay> {
        let t = text.trim().trim_end_matches('日');
        let (m, d) = t.split_once('-').or_else(|| t.split_once('月'))?;
        let md = MonthDay {
            month: m.trim().parse().ok()?,
            day: d.trim().parse().ok()?,
        };
        // 2023 is not a leap year: a day valid in it exists in every year.
        NaiveDate::from_ymd_opt(2023, md.month, md.day).map(|_| md)
    }

    /// This day in `year` (always exists: 02-29 is refused by `parse`).
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }

    /// "3月1日".
    pub fn zh(self) -> String {
        format!("{}月{}日", self.month, self.day)
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl From<MonthDay> for String {
    fn from(m: MonthDay) -> String {
        m.to_string()
    }
}

impl TryFrom<String> for MonthDay {
    type Error = String;
    fn try_from(s: String) -> Result<MonthDay, String> {
        MonthDay::parse(&s).ok_or_else(|| format!("“{s}”不是日期(月-日, 如 03-01)"))
    }
}

/// The problems of a term setting, in Chinese: a length of 1 or 2 years; the spring semester
/// (第二学期) starting before the autumn one (第一学期) in the calendar year, at least a month
/// apart each way so that neither semester is empty or absurd.
pub fn term_problems(years: u32, starts: [MonthDay; 2]) -> Vec<String> {
    let mut errs = Vec::new();
    if !(1..=MAX_TERM_YEARS).contains(&years) {
        errs.push(format!(
            "规则I6: 学代会每届任期为1年或2年(周期不超过两年), 不能设为{years}年"
        ));
    }
    let valid = |m: MonthDay| MonthDay::parse(&m.to_string()).is_some();
    if !starts.iter().all(|m| valid(*m)) {
        errs.push("规则I6: 学期开始日期须为每年都有的日期(月-日, 如 03-01)".to_string());
    } else if let (Some(a), Some(b), Some(next)) = (
        starts[0].in_year(2023),
        starts[1].in_year(2023),
        starts[0].in_year(2024),
    ) {
        let first = (b - a).num_days();
        let second = (next - b).num_days();
        if first < 28 || second < 28 {
            errs.push(format!(
                "规则I6: 第二学期({})须在第一学期({})之前开始, 两个学期各至少4周",
                starts[0].zh(),
                starts[1].zh()
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_days_parse_and_refuse() {
        assert_eq!(MonthDay::parse("03-01"), Some(MonthDay::new(3, 1)));
        assert_eq!(MonthDay::parse(" 9-1 "), Some(MonthDay::new(9, 1)));
        assert_eq!(MonthDay::parse("9月1日"), Some(MonthDay::new(9, 1)));
        assert_eq!(MonthDay::parse("02-29"), None);
        assert_eq!(MonthDay::parse("13-01"), None);
        assert_eq!(MonthDay::parse("0301"), None);
        assert_eq!(MonthDay::new(3, 1).to_string(), "03-01");
        let json = serde_json::to_string(&MonthDay::new(8, 1)).unwrap();
        assert_eq!(json, "\"08-01\"");
        assert!(serde_json::from_str::<MonthDay>("\"02-30\"").is_err());
    }

    #[test]
    fn term_settings_are_checked() {
        let def = [MonthDay::new(2, 1), MonthDay::new(8, 1)];
        assert!(term_problems(2, def).is_empty());
        assert!(term_problems(1, [MonthDay::new(3, 1), MonthDay::new(9, 1)]).is_empty());
        assert!(term_problems(3, def)[0].contains("不能设为3年"));
        assert!(term_problems(0, def)[0].contains("不能设为0年"));
        let swapped = term_problems(2, [MonthDay::new(9, 1), MonthDay::new(3, 1)]);
        assert!(
            swapped[0].contains("第二学期(9月1日)须在第一学期(3月1日)之前"),
            "{swapped:?}"
        );
        assert_eq!(
            term_problems(2, [MonthDay::new(3, 1), MonthDay::new(3, 15)]).len(),
            1
        );
        assert_eq!(
            term_problems(2, [MonthDay::new(2, 30), MonthDay::new(8, 1)]).len(),
            1
        );
    }
}
