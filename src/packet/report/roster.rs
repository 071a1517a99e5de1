//! The roster's quota compliance on the printed record (rule G3): per college the quota, the
//! elected delegates, ordinary students and women, the grades covered; congress-wide the share
//! of ordinary students and women against their minimums, and the main societies covered.

use maud::{html, Markup};

use super::percent;
use crate::domain::roster::RosterSummary;

/// "已满足" / "不足 N 名".
fn against(found: u64, required: u64) -> String {
    if found >= required {
        "已满足".to_string()
    } else {
        format!("差 {} 名", required - found)
    }
}

/// 三、代表名单构成.
pub(super) fn summary(s: &RosterSummary) -> Markup {
    html! {
        h3 { "三、代表名单构成 (名额与结构要求)" }
        table {
            thead {
                tr {
                    th { "学院" } th.num { "名额" } th.num { "选举代表" } th.num { "普通同学 (至少)" }
                    th.num { "女代表" } th { "年级覆盖 (至少)" } th.num { "当然/社团" }
                }
            }
            tbody {
                @for c in &s.colleges {
                    tr {
                        td { (c.college) }
                        td.num { (c.quota) }
                        td.num { (c.delegates) }
                        td.num { (c.ordinary) " (" (c.ordinary_required) ")" }
                        td.num { (c.women) }
                        td {
                            (c.grades_covered.len()) "/" (c.grades.len()) " (" (c.grades_required) ")"
                            @if c.uncoverable_grades > 0 { " 名额少于年级数" }
                        }
                        td.num { (c.ex_officio) "/" (c.society_seats) }
                    }
                }
            }
        }
        table {
            tbody {
                tr {
                    th { "代表总数" } td.num { (s.total) }
                    th { "选举产生" } td.num { (s.elected) }
                    th { "当然代表" } td.num { (s.ex_officio) }
                    th { "社团代表" } td.num { (s.society_seats) }
                }
                tr {
                    th { "普通同学" }
                    td colspan="3" {
                        (s.ordinary) " 名, 占 " (percent(s.ordinary, s.total))
                        "; 至少 " (s.ordinary_required) " 名: " (against(s.ordinary, s.ordinary_required))
                    }
                    th { "女代表" }
                    td colspan="3" {
                        (s.women) " 名, 占 " (percent(s.women, s.total))
                        "; 至少 " (s.women_required) " 名: " (against(s.women, s.women_required))
                    }
                }
                tr {
                    th { "主要学生社团" }
                    td colspan="7" {
                        @if s.societies_required.is_empty() {
                            "未设置"
                        } @else {
                            "应有代表 " (s.societies_required.len()) " 个, 已有 " (s.societies_covered.len()) " 个"
                            @if !s.societies_covered.is_empty() { ": " (s.societies_covered.join("、")) }
                            @if !s.societies_missing.is_empty() { "; 没有代表: " (s.societies_missing.join("、")) }
                        }
                    }
                }
            }
        }
        @if s.excluded > 0 {
            p.small { "另有 " (s.excluded) " 行学院缺失或不在名额表中, 未计入以上数字 (规则 B6)。" }
        }
    }
}
