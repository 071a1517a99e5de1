//! Small reusable pieces of markup.

use maud::{html, Markup};

use crate::domain::types::Violation;
pub use crate::packet::report::percent;

/// The hidden CSRF field every state-changing form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// A table of rule violations (rule, college, required, found, message).
pub fn violations_table(violations: &[Violation]) -> Markup {
    html! {
        table.violations {
            thead { tr { th { "规则" } th { "学院" } th { "应为" } th { "实际" } th { "说明" } } }
            tbody {
                @for v in violations {
                    tr class=(if v.warning { "warning" } else { "error" }) {
                        td { (v.rule) }
                        td { (v.college.as_deref().unwrap_or("全体代表")) }
                        td.num { (v.required) }
                        td.num { (v.found) }
                        td { (v.message) }
                    }
                }
            }
        }
    }
}

/// Times on pages, in one Chinese form: "2026年12月3日 14:05" (China Standard Time). Files
/// and the API keep the sortable `packet::report::datetime` ("2026-12-03 14:05:09").
pub use crate::packet::report::{zh_day, zh_time as datetime};
