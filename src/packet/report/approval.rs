//! 七、候选人审批、公示与开会申请 (rules C5-C7, G4): the signed steps of the packet's
//! `approval/` in recording order, and every override of a rule (its reason, who recorded
//! it, when) set apart so the reader of the printed record cannot miss it.

use maud::{html, Markup};

use super::zh_datetime;
use crate::packet::approval::{is_override, kind_zh, summary, Step};
use crate::packet::format::Record;

/// The contest's title in the record, or its id.
fn contest_title(record: &Record, id: &str) -> String {
    record
        .contests
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.title.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The section; nothing when no step was recorded and the record's settings did not
/// require them (a congress from before issue 16 prints as it did).
pub fn section(record: &Record, steps: &[Step]) -> Markup {
    let enforced = record.settings.approval_procedure;
    if steps.is_empty() && !enforced {
        return html! {};
    }
    let overrides: Vec<&Step> = steps.iter().filter(|s| is_override(&s.kind)).collect();
    html! {
        h3 { "七、候选人审批、公示与开会申请" }
        p.small {
            "规则 C5-C7、G4: 主席团候选人名单报校党委批准、请示上级学联、公示期满后方可投票; 上级学联答复申请召开学代会后方可宣布开会。本届"
            (if enforced { "执行" } else { "未执行" })
            "审批与公示程序 (规则设置)。以下各项均为大会密钥签名的附件 (approval/ 目录)。"
        }
        @if overrides.is_empty() {
            p { "例外登记: 无 (未登记提前投票或先行开会)。" }
        } @else {
            div.overrides {
                p { strong { "例外登记 (" (overrides.len()) " 项): 组织者未按上述顺序办理, 登记理由如下" } }
                table {
                    thead { tr { th { "事项" } th { "针对" } th { "理由" } th { "登记人" } th { "登记时间" } } }
                    tbody {
                        @for s in &overrides {
                            tr {
                                td { (kind_zh(&s.kind)) }
                                td { (s.contest.as_deref().map(|c| contest_title(record, c)).unwrap_or_else(|| "大会".to_string())) }
                                td { (s.data["reason"].as_str().unwrap_or("—")) }
                                td { (s.data["by"].as_str().unwrap_or("—")) }
                                td { (zh_datetime(&s.recorded_at)) }
                            }
                        }
                    }
                }
            }
        }
        @if steps.is_empty() {
            p { "未登记任何审批、公示或申请步骤。" }
        } @else {
            table {
                thead { tr { th.num { "序号" } th { "步骤" } th { "针对" } th { "内容" } th { "登记时间" } } }
                tbody {
                    @for (i, s) in steps.iter().enumerate() {
                        tr {
                            td.num { (i + 1) }
                            td { (kind_zh(&s.kind)) }
                            td { (s.contest.as_deref().map(|c| contest_title(record, c)).unwrap_or_else(|| "大会".to_string())) }
                            td { (summary(s)) }
                            td { (zh_datetime(&s.recorded_at)) }
                        }
                    }
                }
            }
        }
    }
}
