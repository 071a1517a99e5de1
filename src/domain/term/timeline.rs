//! Rule I6: the term's timeline. The congress, each meeting in its term, and the reminders the
//! policies imply: a 述职评议 (评议会) each semester, a 常代会 meeting in every year without a
//! congress ("在不召开学生代表大会的年度，应每年至少召集1次会议"), and the next congress at
//! the end of the term; each reminder done, due or overdue on a given day.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::MeetingKind;

/// The term: the congress's date and the day by which the next congress is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub congress: NaiveDate,
    pub end: NaiveDate,
}

impl Term {
    /// A term of `months` from the congress (the policies: 周期不超过两年, 24 months).
    pub fn of(congress: NaiveDate, months: u32) -> Term {
        Term {
            congress,
            end: congress
                .checked_add_months(Months::new(months))
                .unwrap_or(NaiveDate::MAX),
        }
    }
}

/// A meeting of the term as the timeline needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingAt {
    pub id: String,
    pub name: String,
    pub kind: MeetingKind,
    pub date: NaiveDate,
    /// Held: closed, certified or filed.
    pub held: bool,
}

/// What a line of the timeline is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Congress,
    Meeting {
        id: String,
        kind: MeetingKind,
        held: bool,
    },
    /// A reminder: `done` when a meeting satisfies it.
    Reminder {
        rule: String,
        done: bool,
    },
}

/// One line, in date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The day (a reminder's: the last day it can be met).
    pub date: NaiveDate,
    /// For a reminder: the first day of its period.
    pub from: Option<NaiveDate>,
    pub title: String,
    pub kind: EntryKind,
    /// A reminder not done whose last day is before today.
    pub overdue: bool,
}

/// The semesters (Feb 1 - Jul 31, Aug 1 - Jan 31) that begin after `after` and before `end`.
fn semesters(after: NaiveDate, end: NaiveDate) -> Vec<(NaiveDate, NaiveDate, String)> {
    let mut out = Vec::new();
    for year in after.year()..=end.year() {
        for spring in [true, false] {
            let (from, to, name) = if spring {
                (
                    NaiveDate::from_ymd_opt(year, 2, 1),
                    NaiveDate::from_ymd_opt(year, 7, 31),
                    format!("{}-{}学年第二学期", year - 1, year),
                )
            } else {
                (
                    NaiveDate::from_ymd_opt(year, 8, 1),
                    NaiveDate::from_ymd_opt(year + 1, 1, 31),
                    format!("{}-{}学年第一学期", year, year + 1),
                )
            };
            if let (Some(from), Some(to)) = (from, to) {
                if from > after && from < end {
                    out.push((from, to, name));
                }
            }
        }
    }
    out
}

/// The timeline of a term on `today`.
pub fn timeline(term: Term, meetings: &[MeetingAt], today: NaiveDate) -> Vec<Entry> {
    let mut out = vec![Entry {
        date: term.congress,
        from: None,
        title: "学生代表大会".to_string(),
        kind: EntryKind::Congress,
        overdue: false,
    }];
    for m in meetings {
        out.push(Entry {
            date: m.date,
            from: None,
            title: m.name.clone(),
            kind: EntryKind::Meeting {
                id: m.id.clone(),
                kind: m.kind,
                held: m.held,
            },
            overdue: false,
        });
    }
    let reminder = |from: NaiveDate, to: NaiveDate, title: String, rule: &str, done: bool| Entry {
        date: to,
        from: Some(from),
        title,
        kind: EntryKind::Reminder {
            rule: rule.to_string(),
            done,
        },
        overdue: !done && to < today,
    };
    let held_in = |kind: MeetingKind, from: NaiveDate, to: NaiveDate| {
        meetings
            .iter()
            .any(|m| m.kind == kind && m.held && m.date >= from && m.date <= to)
    };
    for (from, to, name) in semesters(term.congress, term.end) {
        let done = held_in(MeetingKind::Review, from, to);
        out.push(reminder(
            from,
            to,
            format!("{name}述职评议(评议会)"),
            "I6",
            done,
        ));
    }
    for year in term.congress.year() + 1..term.end.year() {
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let done = held_in(MeetingKind::Standing, from, to);
        out.push(reminder(
            from,
            to,
            format!("{year}年度常代会会议(不召开学代会的年度至少1次)"),
            "I6",
            done,
        ));
    }
    out.push(reminder(
        term.congress,
        term.end,
        "下一次学生代表大会(换届, 周期不超过两年)".to_string(),
        "I6",
        false,
    ));
    out.sort_by_key(|e| e.date);
    out
}
