//! A school's page at the filing office: the upload forms, its filings by year, its signing
//! keys, its refused packets with the reasons, and (for the office) its accounts.

use maud::{html, Markup};

use super::short_fp;
use crate::registry::ingest::{source_zh, Refused};
use crate::storage::repo::registry::{FilingBrief, KeyPin, Refusal, School};
use crate::web::views::{csrf_field, datetime};

/// Everything the page shows.
pub struct SchoolPage<'a> {
    pub school: &'a School,
    pub office: bool,
    pub pins: &'a [KeyPin],
    pub filings: &'a [FilingBrief],
    pub refusals: &'a [Refusal],
    /// The school's accounts (office only).
    pub accounts: &'a [String],
    pub csrf: &'a str,
    pub limit_mb: u64,
    /// The upload just refused, shown on top.
    pub refused_now: Option<&'a Refused>,
}

/// The reason of a refusal and its failed checks.
pub fn refusal_box(r: &Refused) -> Markup {
    html! {
        section.flash.error role="alert" {
            strong { "归档包被拒收: " } (r.reason)
            @if !r.details.is_empty() {
                ul.errors { @for d in &r.details { li { (d) } } }
            }
            p { "归档包 sha256 " code { (r.packet_sha256) } " (" (r.packet_bytes) " 字节)。未保存任何文件, 只留下这条拒收记录。" }
        }
    }
}

fn upload_forms(p: &SchoolPage) -> Markup {
    let action = format!(
        "/registry/schools/{}/filings?csrf={}",
        p.school.code, p.csrf
    );
    html! {
        h2 { "上传归档包" }
        p.muted {
            "上传大会“结果报告”页面下载的归档包 zip (不超过 " (p.limit_mb) " MB), 或选择解压后的归档包目录。"
            "归档包到达后立即按 congress verify 的全部检查核验, 并核对签名公钥; 未通过的不保存, 只记录拒收原因。"
        }
        form.upload method="post" enctype="multipart/form-data" action=(action) {
            input type="file" name="file" accept=".zip,application/zip" required;
            button type="submit" { "上传 zip" }
        }
        form.upload method="post" enctype="multipart/form-data" action=(action) {
            input type="file" name="files" multiple webkitdirectory required;
            button.secondary type="submit" { "上传归档包目录" }
        }
    }
}

fn filings_table(filings: &[FilingBrief]) -> Markup {
    html! {
        h2 { "备案记录" }
        @if filings.is_empty() { p.muted { "尚无备案。" } }
        @else {
            div.scroll {
                table.nowrap {
                    thead { tr {
                        th { "年度" } th { "大会" } th { "大会日期" } th { "备案时间" }
                        th { "上传者" } th { "核验" } th { "公钥指纹" } th { "" }
                    } }
                    tbody {
                        @for f in filings {
                            tr {
                                td.num { (f.year) }
                                td { (f.congress_name) }
                                td { (f.congress_date) }
                                td { (datetime(f.uploaded_at)) }
                                td { (f.uploaded_by) " (" (via_zh(&f.via)) ")" }
                                td { span.badge.ok { (f.checks) " 项全部通过" } }
                                td { (short_fp(&f.key_fingerprint)) }
                                td { a href={"/registry/filings/" (f.id)} { "查看" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// web | api | cli in Chinese.
pub fn via_zh(via: &str) -> &'static str {
    match via {
        "web" => "网页",
        "api" => "API",
        "cli" => "命令行",
        _ => "其他",
    }
}

fn keys(p: &SchoolPage) -> Markup {
    html! {
        h2 { "签名公钥" }
        p.muted {
            "每次大会用自己的密钥签名。一次大会的首个被接收的归档包固定其公钥指纹; 之后这次大会的归档包必须用同一把密钥签署。"
            "上级学联可预先登记指纹 (例如签字的选举结果报告单上印的指纹): 本校下一次大会的首个归档包必须与之相同。"
        }
        @if p.pins.is_empty() { p.muted { "尚无登记的公钥。" } }
        @else {
            div.scroll {
                table.nowrap {
                    thead { tr { th { "大会" } th { "指纹" } th { "来源" } th { "依据" } th { "登记人" } th { "时间" } } }
                    tbody {
                        @for k in p.pins {
                            tr {
                                td { (k.congress_id.as_deref().unwrap_or("下一次大会")) }
                                td { code { (k.fingerprint) } }
                                td { (source_zh(&k.source)) }
                                td { (k.note) }
                                td { (k.created_by) }
                                td { (datetime(k.created_at)) }
                            }
                        }
                    }
                }
            }
        }
        @if p.office {
            form.stack method="post" action={"/registry/schools/" (p.school.code) "/keys"} {
                (csrf_field(p.csrf))
                label for="fingerprint" { "公钥指纹 (64 位十六进制)" }
                input #fingerprint type="text" name="fingerprint" required autocomplete="off";
                label for="congress" { "大会编号 (留空: 本校下一次大会)" }
                input #congress type="text" name="congress" autocomplete="off";
                label for="note" { "指纹来源" }
                input #note type="text" name="note" required value="签字的选举结果报告单";
                div.actions { button type="submit" { "登记公钥指纹" } }
            }
        }
    }
}

fn refusals(list: &[Refusal]) -> Markup {
    html! {
        h2 { "拒收记录" }
        @if list.is_empty() { p.muted { "没有被拒收的归档包。" } }
        @else {
            div.scroll {
                table {
                    thead { tr { th { "时间" } th { "上传者" } th { "归档包 sha256" } th { "原因" } } }
                    tbody {
                        @for r in list {
                            tr.fail {
                                td { (datetime(r.at)) }
                                td { (r.uploaded_by) " (" (via_zh(&r.via)) ")" }
                                td { (short_fp(&r.packet_sha256)) }
                                td {
                                    (r.reason)
                                    @let details: Vec<String> = serde_json::from_str(&r.details).unwrap_or_default();
                                    @if !details.is_empty() {
                                        details { summary { "未通过的检查 (" (details.len()) ")" }
                                            ul { @for d in &details { li { (d) } } } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn accounts(p: &SchoolPage) -> Markup {
    html! {
        h2 { "学校备案账户" }
        @if p.accounts.is_empty() { p.muted { "尚无账户。" } }
        @else { ul { @for a in p.accounts { li { code { (a) } } } } }
        form.stack method="post" action={"/registry/schools/" (p.school.code) "/accounts"} {
            (csrf_field(p.csrf))
            label for="username" { "新账户用户名" }
            input #username type="text" name="username" required autocomplete="off";
            p.hint { "创建后显示一次性密码, 请转交学校; 首次登录须修改密码。" }
            div.actions { button type="submit" { "创建学校账户" } }
        }
    }
}

/// The page body.
pub fn school_page(p: &SchoolPage) -> Markup {
    html! {
        h1 { (p.school.name) " " small.muted { "学校代码 " (p.school.code) } }
        @if let Some(r) = p.refused_now { (refusal_box(r)) }
        (upload_forms(p))
        (filings_table(p.filings))
        (keys(p))
        (refusals(p.refusals))
        @if p.office { (accounts(p)) }
    }
}
