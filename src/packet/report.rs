//! The printable certified record (选举结果报告单, rule G2/G3): one A4 document made from the
//! signed record and the roster summary alone, so the server page and the filing packet's
//! `report.html` (opened from disk, no server) are the same document.
//!
//! Contents: the congress's details, 应到 / 实到 and the quorum, every contest's ballots
//! issued / cast / valid / invalid and per candidate or option 赞成 / 不赞成 / 弃权, the elected
//! in order and the motions' results with the rule applied (in [`contest`]), the roster's quota
//! compliance (in [`roster`]), the Merkle roots, the key fingerprint, the record's hash, a QR
//! code of the online verification page, and signature lines for the scrutineers and the
//! presidium, with room for the Party committee's approval and the filing.

mod approval;
mod contest;
mod roster;
mod zh_time;

pub use zh_time::{datetime, zh_date, zh_datetime, zh_day, zh_time};

use maud::{html, Markup, PreEscaped, DOCTYPE};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::crypto::{canonical, sha256_hex};
use crate::domain::roster::RosterSummary;
use crate::packet::format::{Addendum, Record, RecordScrutineer};
use crate::packet::PacketContents;

/// A blank date to fill by hand; ideographic spaces, which HTML does not collapse.
const DATE_LINE: &str =
    "日期:\u{3000}\u{3000}\u{3000}\u{3000}年\u{3000}\u{3000}月\u{3000}\u{3000}日";

/// The stylesheet of the printed form (also served as `/static/print.css`).
pub const PRINT_CSS: &str = include_str!("../../templates/print.css");

/// Why the packet's `report.html` could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("record.json 无法读取为结果报告: {0}")]
    Record(String),
    #[error("roster-summary.json 无法读取为代表名单构成: {0}")]
    Summary(String),
}

/// "12.3%" of `part` in `whole`, or "—" when whole is zero.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// The online verification page of a congress, printed under the QR code.
pub fn verify_url(public_url: &str, congress_id: &str) -> String {
    format!("{}/b/{congress_id}", public_url.trim_end_matches('/'))
}

/// What the form prints besides the record and the roster summary.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportExtras<'a> {
    /// The signed addenda (党委批准, 备案, and their corrections), in sequence per kind; the
    /// latest of each kind is printed in section 六, with the corrections noted.
    pub addenda: &'a [Addendum],
    /// A preview before certifying: the record is not signed yet.
    pub preview: bool,
    /// The approval steps (C5-C7, G4) in recording order: printed in section 七, the
    /// overrides with their reasons set apart.
    pub steps: &'a [crate::packet::approval::Step],
}

/// The whole printable form as an HTML document. `standalone`: the stylesheet is embedded
/// (for `report.html` in the packet, opened from disk); otherwise it links `/static/print.css`
/// (the served page, whose CSP allows no inline style).
pub fn report_html(
    record: &Record,
    summary: &RosterSummary,
    verify_url: &str,
    standalone: bool,
) -> String {
    report_html_with(
        record,
        summary,
        verify_url,
        standalone,
        ReportExtras::default(),
    )
}

/// [`report_html`] with the addenda recorded so far, or as a preview.
pub fn report_html_with(
    record: &Record,
    summary: &RosterSummary,
    verify_url: &str,
    standalone: bool,
    extras: ReportExtras<'_>,
) -> String {
    let c = &record.congress;
    let title = if extras.preview {
        format!("{} 选举结果报告单 (预览)", c.name)
    } else {
        format!("{} 选举结果报告单", c.name)
    };
    let doc = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                @if standalone {
                    style { (PreEscaped(PRINT_CSS)) }
                } @else {
                    link rel="stylesheet" href="/static/print.css";
                }
            }
            body.report {
                div.sheet {
                    @if extras.preview {
                        p.preview { "预览: 结果报告尚未签署。签署后内容不再改变; 签署时间与数字指纹以签署时为准。请核对无误后再签署。" }
                    }
                    p.screen-only { "本页为 A4 打印格式: 请使用浏览器的“打印”(Ctrl+P) 打印或存为 PDF。" }
                    h1 { (c.name) }
                    h2 { "选举结果报告单" @if extras.preview { " (预览)" } }
                    p.meta {
                        (c.school) " · " (c.level_zh) "学生代表大会 · 第" (c.session_no) "次 · "
                        (zh_date(&c.date)) " · " (c.place)
                    }
                    (attendance(record))
                    h3 { "二、选举与表决结果" }
                    @for (i, rc) in record.contests.iter().enumerate() {
                        (contest::contest(i + 1, rc, record))
                    }
                    (contest::presidium(record))
                    (roster::summary(summary))
                    (verification(record, extras.preview))
                    (signatures(&record.scrutineers))
                    (approval_and_filing(extras.addenda))
                    (approval::section(record, extras.steps))
                    (last_page(record, verify_url, extras.preview))
                }
            }
        }
    };
    doc.into_string()
}

/// The whole filing packet: `parts` as read from storage (`service::record::filing_packet`
/// reads them; `report_html` still empty) with the printable report made from the record and
/// the roster summary they carry, its QR code pointing at congress `congress_id`'s page under
/// `public_url`. The one place a packet is put together: the staff download, the API,
/// `congress export` and `congress simulate` all get their packet through it.
pub fn assemble(
    mut parts: PacketContents,
    public_url: &str,
    congress_id: &str,
) -> Result<PacketContents, ReportError> {
    fill_report(&mut parts, &verify_url(public_url, congress_id))?;
    Ok(parts)
}

/// Fills the packet's `report.html` from the record and roster summary it already carries.
pub fn fill_report(contents: &mut PacketContents, verify_url: &str) -> Result<(), ReportError> {
    let record: Record = serde_json::from_slice(&contents.record.bytes)
        .map_err(|e| ReportError::Record(e.to_string()))?;
    let summary: RosterSummary = serde_json::from_slice(&contents.roster_summary)
        .map_err(|e| ReportError::Summary(e.to_string()))?;
    // In sequence per kind (approval, approval-2, ... approval-10 by number, not by name).
    let mut named: Vec<(Option<(&str, usize)>, &crate::packet::Signed)> = contents
        .addenda
        .iter()
        .map(|(name, signed)| (crate::packet::format::parse_addendum_name(name), signed))
        .collect();
    named.sort_by_key(|(n, _)| *n);
    let mut addenda = Vec::new();
    for (_, signed) in named {
        let a: Addendum = serde_json::from_slice(&signed.bytes)
            .map_err(|e| ReportError::Record(e.to_string()))?;
        addenda.push(a);
    }
    // `approval/<seq>.<kind>`: the sequence is zero-padded, so name order is recording order.
    let steps = contents
        .approval
        .values()
        .map(|signed| serde_json::from_slice(&signed.bytes))
        .collect::<Result<Vec<crate::packet::approval::Step>, _>>()
        .map_err(|e| ReportError::Record(format!("approval/: {e}")))?;
    let extras = ReportExtras {
        addenda: &addenda,
        preview: false,
        steps: &steps,
    };
    contents.report_html =
        report_html_with(&record, &summary, verify_url, true, extras).into_bytes();
    Ok(())
}

/// 一、代表出席情况: the roster, absences, 应到, the quorum rule, and 实到 at each contest.
fn attendance(record: &Record) -> Markup {
    let d = &record.delegates;
    html! {
        h3 { "一、代表出席情况" }
        table {
            tbody {
                tr {
                    th { "代表名单人数" } td.num { (d.roster) }
                    th { "请假" } td.num { (d.absences) }
                    th { "应到代表" } td.num { (d.expected) }
                }
            }
        }
        p { "法定人数: 实到代表须" (record.quorum_rule) "应到代表 (规则 D2); 每项投票开始时的实到人数即为发出选票数。" }
        table {
            thead { tr { th { "事项" } th.num { "应到" } th.num { "实到 (发出选票)" } th { "法定人数" } } }
            tbody {
                @for rc in &record.contests {
                    tr {
                        td { (rc.title) }
                        td.num { (rc.expected_at_opening) }
                        td.num { (rc.present_at_opening) }
                        td { (if rc.quorum_met { "已达到" } else { "未达到" }) }
                    }
                }
            }
        }
    }
}

/// 四、电子签名: the record's hash and when it was signed, and how to check them.
fn verification(record: &Record, preview: bool) -> Markup {
    let record_hash = canonical(record)
        .map(|b| sha256_hex(&b))
        .unwrap_or_else(|_| "—".to_string());
    html! {
        h3 { "四、电子签名" }
        dl {
            dt { "结果报告数字指纹 (record.json 的 SHA-256)" }
            dd.hash { @if preview { "(签署时生成)" } @else { (record_hash) } }
            dt { "签署时间" }
            dd { @if preview { "(尚未签署)" } @else { (zh_datetime(&record.signed_at)) } }
        }
        p.small {
            "本报告单由选举系统以大会密钥 (Ed25519) 签名。核验方法: 用 OpenSSL 以 congress.pub.pem 核对 record.json 与 "
            "record.sig; 按备案材料中的 VERIFY.txt 逐项核对各公示文件的默克尔根与计票结果; 或扫描末页二维码查看网上公示。"
        }
    }
}

/// The last page's verification block: the QR code, the online verification URL and the
/// key fingerprint together, kept on one page.
fn last_page(record: &Record, verify_url: &str, preview: bool) -> Markup {
    html! {
        div.verify.last {
            @match qr_svg(verify_url) {
                Some(svg) => div.qr { (PreEscaped(svg)) },
                None => {},
            }
            dl {
                dt { "在线核验" } dd { (verify_url) }
                dt { "签名公钥指纹 (Ed25519, 公钥 SHA-256)" } dd.hash { (record.key_fingerprint) }
                @if !preview {
                    dt { "签署时间" } dd { (zh_datetime(&record.signed_at)) }
                }
            }
            p.small.pin {
                strong { "请核对公钥指纹: " }
                "上面的签名公钥指纹应与大会当场公布的指纹一致。备案机关核验归档包时请运行 "
                code { "congress verify --expect-key " (record.key_fingerprint) " <归档包目录>" }
                "; 归档包的公钥指纹与本报告单不同, 即说明归档包不是用本次大会的密钥签署的 (可能被整体替换后重新签名), 不论其他检查是否通过。"
            }
        }
    }
}

/// 六、审批与备案: the recorded approval (批准机关, 文号, 日期) and filing (备案机关, 日期), the
/// latest of each with its corrections noted; blank lines to fill by hand where none is
/// recorded yet.
fn approval_and_filing(addenda: &[Addendum]) -> Markup {
    let latest = |kind: &str| addenda.iter().rev().find(|a| a.kind == kind);
    let corrections = |kind: &str| {
        addenda
            .iter()
            .filter(|a| a.kind == kind && a.corrects.is_some())
            .count()
    };
    html! {
        h3 { "六、审批与备案" }
        div.signatures {
            div.sign {
                p { strong { "同级党委批准" } }
                @match latest("approval") {
                    Some(a) => {
                        p { "批准机关: " (a.body) }
                        p { "文号: " (a.reference.as_deref().unwrap_or("—")) }
                        p { "批准日期: " (zh_date(&a.date)) }
                        p.small { "登记于 " (zh_datetime(&a.recorded_at)) " (签名附件)" }
                        @if corrections("approval") > 0 {
                            p.small { "已更正 " (corrections("approval")) " 次, 最近理由: " (a.reason.as_deref().unwrap_or("")) }
                        }
                    },
                    None => {
                        p.sign-line { "批准机关:" }
                        p.sign-line { "文号:" }
                        p.sign-date { (DATE_LINE) " (盖章)" }
                    },
                }
            }
            div.sign {
                p { strong { "报上级学联、学生会组织备案" } }
                @match latest("filing") {
                    Some(a) => {
                        p { "备案机关: " (a.body) }
                        p { "备案日期: " (zh_date(&a.date)) }
                        p.small { "登记于 " (zh_datetime(&a.recorded_at)) " (签名附件)" }
                        @if corrections("filing") > 0 {
                            p.small { "已更正 " (corrections("filing")) " 次, 最近理由: " (a.reason.as_deref().unwrap_or("")) }
                        }
                    },
                    None => {
                        p.sign-line { "备案机关:" }
                        p.sign-date { (DATE_LINE) " (盖章)" }
                    },
                }
            }
        }
    }
}

/// 五、签字: the scrutineers by role (names from the record), the presidium, and the boxes
/// for the Party committee's approval and the filing.
fn signatures(scrutineers: &[RecordScrutineer]) -> Markup {
    let names = |role: &str| -> String {
        let list: Vec<&str> = scrutineers
            .iter()
            .filter(|s| s.role == role)
            .map(|s| s.name.as_str())
            .collect();
        if list.is_empty() {
            "(未登记)".to_string()
        } else {
            list.join("、")
        }
    };
    let rows = [
        ("总监票人", names("chief")),
        ("监票人", names("scrutineer")),
        ("计票人", names("counter")),
        ("大会主席团", "(签章)".to_string()),
    ];
    html! {
        h3 { "五、签字" }
        div.signatures {
            @for (role, who) in &rows {
                div.sign {
                    p { strong { (role) } ": " (who) }
                    p.sign-line { "签字:" }
                    p.sign-date { (DATE_LINE) }
                }
            }
        }
    }
}

/// The QR code of `url` as inline SVG, or `None` when the URL is too long for a QR code.
fn qr_svg(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(120, 120)
        .quiet_zone(true)
        .build();
    // Drop the XML declaration: the SVG is inlined in HTML.
    Some(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

#[cfg(test)]
mod tests;
