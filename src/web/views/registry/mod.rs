//! The filing office's views: the province table, a school's page, a filing's page, and the
//! navigation of registry accounts.

pub mod filing;
pub mod school;
pub mod table;

use maud::{html, Markup};

use crate::storage::repo::users::Role;

/// The header links of a registry account (the layout's nav).
pub fn nav(role: Role) -> Markup {
    html! {
        @if role == Role::Office {
            a href="/registry/table" { "全省备案" }
            a href="/registry/schools" { "学校" }
            a href="/registry/settings" { "设置" }
            a href="/registry/audit" { "操作日志" }
        } @else {
            a href="/registry" { "本校备案" }
        }
    }
}

/// A fingerprint shortened for a table cell (the whole one in its title).
pub fn short_fp(fp: &str) -> Markup {
    let short: String = fp.chars().take(16).collect();
    html! { code title=(fp) { (short) "…" } }
}
