//! Rule I6: the term's timeline. The congress, each meeting in its term, and the reminders the
//! policies imply: a 述职评议 (评议会) each semester, a 常代会 meeting in every year without a
//! congress ("在不召开学生代表大会的年度，应每年至少召集1次会议"), and the next congress at
//! the end of the term; each reminder done, due or overdue on a given day.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::MeetingKind;
use crate::domain::settings::MonthDay;

/// The term: the congress's date, the day by which the next congress is due, and the
/// semesters' first days (the congress's settings, I6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub congress: NaiveDate,
    pub end: NaiveDate,
    pub semester_starts: [MonthDay; 2],
}

impl Term {
    /// A term of `years` from the congress (the policies: 周期不超过两年) with its semesters.
    pub fn of(congress: NaiveDate, years: u32, semester_starts: [MonthDay; 2]) -> Term {
        Term {
            congress,
            end: congress
                .checked_add_months(Months::new(years.saturating_mul(12)))
                .unwrap_or(NaiveDate::MAX),
            semester_starts,
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
    /// The 述职评议 contests on its agenda.
    pub reviews: Vec<ReviewAt>,
}

/// A 述职评议 (contest of kind review) of a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAt {
    pub contest_id: String,
    pub title: String,
    /// Counted (its result is final).
    pub counted: bool,
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
    /// A 述职评议 held at a meeting (`meeting` its id, `contest` the review's).
    Review {
        meeting: String,
        contest: String,
        counted: bool,
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

/// The semesters that begin after `after` and before `end`: the 第二学期 from `starts[0]` to
/// the day before `starts[1]`, the 第一学期 from `starts[1]` to the day before the next year's
/// `starts[0]` (defaults: Feb 1 - Jul 31, Aug 1 - Jan 31).
fn semesters(
    after: NaiveDate,
    end: NaiveDate,
    starts: [MonthDay; 2],
) -> Vec<(NaiveDate, NaiveDate, String)> {
    let mut out = Vec::new();
    for year in after.year()..=end.year() {
        let spring = starts[0].in_year(year);
        let autumn = starts[1].in_year(year);
        let next = starts[0].in_year(year + 1);
        let periods = [
            (spring, autumn, format!("{}-{}学年第二学期", year - 1, year)),
            (autumn, next, format!("{}-{}学年第一学期", year, year + 1)),
        ];
        for (from, until, name) in periods {
            if let (Some(from), Some(to)) = (from, until.and_then(|u| u.pred_opt())) {
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
        for r in &m.reviews {
            out.push(Entry {
                date: m.date,
                from: None,
                title: format!("{} · {}", m.name, r.title),
                kind: EntryKind::Review {
                    meeting: m.id.clone(),
                    contest: r.contest_id.clone(),
                    counted: r.counted,
                },
                overdue: false,
            });
        }
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
    // A semester's 述职评议 is done by a 评议会 dated in it that was held and counted a review:
    // a 评议会 without a review on its agenda does not meet the policy's "每学期向评议会述职".
    let reviewed_in = |from: NaiveDate, to: NaiveDate| {
        meetings.iter().any(|m| {
            m.kind == MeetingKind::Review
                && m.held
                && m.date >= from
                && m.date <= to
                && m.reviews.iter().any(|r| r.counted)
        })
    };
    for (from, to, name) in semesters(term.congress, term.end, term.semester_starts) {
        let done = reviewed_in(from, to);
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
