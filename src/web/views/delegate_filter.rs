//! The search form and the pager of the long delegate lists (roster, attendance): a GET form,
//! so it works without JavaScript, needs no CSRF token and leaves the query in the URL; the
//! pager's links carry the filter.

use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use crate::service::delegate_filter::{
    DelegateFilter, Filtered, ListKind, RawFilter, MAX_QUERY_CHARS, PAGE_SIZE,
};

/// The id of the list's heading: the form and the pager lead back to the list, not to the
/// top of a long page.
pub const ANCHOR: &str = "delegates";

/// The form's fields as they arrive in the query string (all text, so nothing fails before
/// `DelegateFilter::parse` can say what is wrong in Chinese).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FilterQuery {
    pub q: String,
    pub college: String,
    pub status: String,
    pub page: String,
}

impl FilterQuery {
    pub fn raw(&self) -> RawFilter {
        RawFilter {
            q: self.q.clone(),
            college: self.college.clone(),
            status: self.status.clone(),
            page: self.page.clone(),
        }
    }

    /// The link to page `page` of the same filter (empty fields left out).
    pub fn href(&self, base: &str, page: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("college", &self.college),
            ("status", &self.status),
        ] {
            if !v.trim().is_empty() {
                pairs.push((k, v.trim().to_string()));
            }
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        if pairs.is_empty() {
            return format!("{base}#{ANCHOR}");
        }
        // Serialising strings into a query string cannot fail.
        format!(
            "{base}?{}#{ANCHOR}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

/// The search form: name / number, college, status.
pub fn filter_form(base: &str, list: ListKind, q: &FilterQuery, colleges: &[String]) -> Markup {
    let f_status = q.status.trim();
    html! {
        form.search method="get" action={(base) "#" (ANCHOR)} role="search" {
            label {
                span { "姓名、代表编号或学号" }
                input type="search" name="q" value=(q.q) maxlength=(MAX_QUERY_CHARS)
                    placeholder="如 王 或 12";
            }
            label {
                span { "学院" }
                select name="college" {
                    option value="" { "全部学院" }
                    @for c in colleges {
                        option value=(c) selected[q.college.trim() == c] { (c) }
                    }
                }
            }
            label {
                span { (list.status_label()) }
                select name="status" {
                    option value="" { "全部" }
                    @for (v, zh, _) in list.statuses() {
                        option value=(v) selected[f_status == *v || f_status == *zh] { (zh) }
                    }
                }
            }
            div.actions {
                button type="submit" { "筛选" }
                a href={(base) "#" (ANCHOR)} { "清除筛选" }
            }
        }
    }
}

/// "共 2000 名, 符合条件 37 名, 第 1 / 1 页" with the pager's links, and the empty result in
/// words.
pub fn summary<T>(base: &str, q: &FilterQuery, f: &DelegateFilter, out: &Filtered<T>) -> Markup {
    html! {
        p.pager role="status" {
            @if f.is_active() {
                "符合条件的代表 " (out.matched) " 名(共 " (out.total) " 名)"
            } @else {
                "共 " (out.total) " 名"
            }
            @if out.pages > 1 {
                ", 第 " (out.page) " / " (out.pages) " 页(每页" (PAGE_SIZE) "名)。"
                @if out.page > 1 { " " a href=(q.href(base, out.page - 1)) rel="prev" { "上一页" } }
                @if out.page < out.pages { " " a href=(q.href(base, out.page + 1)) rel="next" { "下一页" } }
            } @else { "。" }
        }
        @if out.matched == 0 && f.is_active() && out.total > 0 {
            p.empty {
                "没有符合条件的代表(" (conditions(f)) "), 请换一个条件或 " a href={(base) "#" (ANCHOR)} { "清除筛选" } "。"
            }
        }
    }
}

/// The filter in words: "搜索“王”, 学院: 物理学院, 已签到".
fn conditions(f: &DelegateFilter) -> String {
    let mut parts = Vec::new();
    if !f.q.is_empty() {
        parts.push(format!("搜索“{}”", f.q));
    }
    if let Some(c) = &f.college {
        parts.push(format!("学院: {c}"));
    }
    if let Some(s) = f.status {
        let all = ListKind::Roster.statuses().iter();
        let label = all
            .chain(ListKind::Attendance.statuses())
            .find(|(_, _, st)| *st == s);
        if let Some((_, zh, _)) = label {
            parts.push((*zh).to_string());
        }
    }
    parts.join(", ")
}
