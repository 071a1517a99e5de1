//! Searching the long lists of delegates (the roster page and the attendance page): a filter by
//! name, 代表编号 or 学号, college and status, checked in one pass over the delegates already
//! loaded for the page (no query per row), and the page of the result to show.
//!
//! The parameters come from a GET form as text; `DelegateFilter::parse` turns them into this
//! filter or a Chinese sentence saying which parameter is wrong and what it should be.

use std::collections::BTreeSet;

use crate::domain::types::DelegateKind;
use crate::storage::repo::roster::Delegate;

/// Rows per page of a filtered list.
pub const PAGE_SIZE: usize = 200;

/// The status a list filters by: the roster's 代表类别 or the attendance's presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Kind(DelegateKind),
    /// 已签到
    Present,
    /// 请假 (approved absence, not present)
    Leave,
    /// 未到 (neither present nor on leave)
    Absent,
}

/// Which list the filter is for; each has its own statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Roster,
    Attendance,
}

impl ListKind {
    /// The statuses of this list: (URL value, Chinese label, status).
    pub fn statuses(self) -> &'static [(&'static str, &'static str, Status)] {
        match self {
            ListKind::Roster => &[
                ("elected", "选举产生", Status::Kind(DelegateKind::Elected)),
                (
                    "ex_officio",
                    "当然代表",
                    Status::Kind(DelegateKind::ExOfficio),
                ),
                ("society", "社团代表", Status::Kind(DelegateKind::Society)),
            ],
            ListKind::Attendance => &[
                ("present", "已签到", Status::Present),
                ("leave", "请假", Status::Leave),
                ("absent", "未到", Status::Absent),
            ],
        }
    }

    /// What the status parameter is called on the page.
    pub fn status_label(self) -> &'static str {
        match self {
            ListKind::Roster => "代表类别",
            ListKind::Attendance => "状态",
        }
    }
}

/// The filter as typed (the GET form's fields, all text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawFilter {
    /// Name fragment, 代表编号 or 学号 (fragment).
    pub q: String,
    pub college: String,
    pub status: String,
    pub page: String,
}

/// A checked filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelegateFilter {
    /// Trimmed search text; empty = everyone.
    pub q: String,
    pub college: Option<String>,
    pub status: Option<Status>,
    /// 1-based page.
    pub page: usize,
}

/// The longest search text accepted (a name or a number is far shorter).
pub const MAX_QUERY_CHARS: usize = 50;

impl DelegateFilter {
    /// Checks the typed filter; the error says which parameter is wrong, in Chinese.
    pub fn parse(raw: &RawFilter, list: ListKind) -> Result<DelegateFilter, String> {
        let q = raw.q.trim();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(format!(
                "“搜索”最多{MAX_QUERY_CHARS}个字, 现为{}个字",
                q.chars().count()
            ));
        }
        let page = match raw.page.trim() {
            "" => 1,
            p => p
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("“页码”应为正整数, 现为“{}”", raw.page))?,
        };
        let status = match raw.status.trim() {
            "" => None,
            s => {
                let all = list.statuses();
                let found = all.iter().find(|(v, zh, _)| *v == s || *zh == s);
                match found {
                    Some((_, _, st)) => Some(*st),
                    None => {
                        let names: Vec<String> =
                            all.iter().map(|(v, zh, _)| format!("{zh}({v})")).collect();
                        return Err(format!(
                            "“{}”应为{}之一, 现为“{}”",
                            list.status_label(),
                            names.join("、"),
                            raw.status
                        ));
                    }
                }
            }
        };
        let college = Some(raw.college.trim().to_string()).filter(|c| !c.is_empty());
        Ok(DelegateFilter {
            q: q.to_string(),
            college,
            status,
            page,
        })
    }

    /// Whether anything narrows the list.
    pub fn is_active(&self) -> bool {
        !self.q.is_empty() || self.college.is_some() || self.status.is_some()
    }

    /// Whether `d` is in the filtered list. Digits match the 代表编号 exactly or the 学号 as a
    /// fragment; other text matches the name or the 学号 as a fragment (ASCII case ignored).
    pub fn matches(&self, d: &Delegate) -> bool {
        if let Some(c) = &self.college {
            if d.student.college != *c {
                return false;
            }
        }
        if let Some(s) = self.status {
            let ok = match s {
                Status::Kind(k) => d.kind == k,
                Status::Present => d.present,
                Status::Leave => !d.present && d.absence_approved,
                Status::Absent => !d.present && !d.absence_approved,
            };
            if !ok {
                return false;
            }
        }
        if self.q.is_empty() {
            return true;
        }
        let q = self.q.to_lowercase();
        let by_no = q.parse::<u32>().is_ok_and(|n| n == d.delegate_no);
        by_no
            || d.student.name.to_lowercase().contains(&q)
            || d.student.student_no.to_lowercase().contains(&q)
    }
}

/// One page of a filtered list.
#[derive(Debug)]
pub struct Filtered<T> {
    pub rows: Vec<T>,
    /// Rows that match the filter (on every page).
    pub matched: usize,
    /// Rows before filtering.
    pub total: usize,
    /// The page shown (1-based; past the last page shows the last).
    pub page: usize,
    pub pages: usize,
    /// The colleges of the whole list, sorted, for the form's choice.
    pub colleges: Vec<String>,
}

/// Filters `items` (each holding a delegate, found by `delegate`) in one pass and keeps the
/// rows of the filter's page.
pub fn apply<T>(
    items: Vec<T>,
    delegate: impl Fn(&T) -> &Delegate,
    f: &DelegateFilter,
) -> Filtered<T> {
    let total = items.len();
    let mut colleges = BTreeSet::new();
    let mut matched = Vec::new();
    for it in items {
        let d = delegate(&it);
        if !colleges.contains(&d.student.college) {
            colleges.insert(d.student.college.clone());
        }
        if f.matches(d) {
            matched.push(it);
        }
    }
    let count = matched.len();
    let pages = count.div_ceil(PAGE_SIZE).max(1);
    let page = f.page.min(pages);
    let rows = matched
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Filtered {
        rows,
        matched: count,
        total,
        page,
        pages,
        colleges: colleges.into_iter().collect(),
    }
}

#[cfg(test)]
#[path = "delegate_filter_tests.rs"]
mod tests;
