//! One accepted filing: what was filed, when, how it was checked, where it stands, and its
//! congress's indicators in the form of the school's self-assessment (自评表).

use maud::{html, Markup};

use super::school::via_zh;
use crate::registry::table::FilingView;
use crate::web::views::assessment::{indicators_table, outcome_class};
use crate::web::views::datetime;

/// The page body.
pub fn filing_page(v: &FilingView) -> Markup {
    let f = &v.filing;
    html! {
        h1 { (f.congress_name) }
        p { a href={"/registry/schools/" (v.school.code)} { (v.school.name) } " · 学校代码 " (v.school.code) }
        dl.facts {
            dt { "大会" } dd { "第 " (f.session_no) " 次, " (f.congress_date) ", " (if f.level == "college" { "院级" } else { "校级" }) }
            @if f.school_in_record != v.school.name {
                dt { "记录中的学校" } dd.unknown { (f.school_in_record) " (与登记的学校名称不同)" }
            }
            dt { "备案状态" }
            dd class=(outcome_class(v.status.standing.outcome())) { (v.status.standing.zh()) ": " (v.status.detail) }
            dt { "上一次大会" } dd { (v.previous.map(|d| d.to_string()).unwrap_or_else(|| "未记录".to_string())) }
            dt { "上传" } dd { (datetime(f.uploaded_at)) ", " (f.uploaded_by) " (" (via_zh(&f.via)) ")" }
            dt { "核验" } dd { span.badge.ok { (f.checks) " 项检查全部通过" } " (congress verify)" }
            dt { "签名公钥指纹" } dd { code { (f.key_fingerprint) } }
            dt { "record.json sha256" } dd { code { (f.record_sha256) } }
            dt { "归档包 sha256" } dd { code { (f.packet_sha256) } " (" (f.packet_bytes) " 字节)" }
        }
        div.actions {
            a.button href={"/registry/filings/" (f.id) "/packet.zip"} { "下载归档包" }
        }
        h2 { "学代会自评表" }
        p.muted { "由归档包中的签名记录、名册摘要和附加文件计算, 与学校在本系统中看到的自评表为同一计算。" }
        (indicators_table(&v.indicators))
    }
}
