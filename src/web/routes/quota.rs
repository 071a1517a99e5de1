//! The quota table (`/c/{cid}/quota`, rules A1-A3) of the stored enrolment under the
//! congress's settings, and the same as CSV (`/c/{cid}/quota.csv`, UTF-8 with BOM, Chinese
//! headers) for Excel.

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};

use crate::csv_out::CsvOut;
use crate::domain::ids::CongressId;
use crate::domain::quota::Allocation;
use crate::service::{self, ServiceError};
use crate::web::auth::{Need, Staff};
use crate::web::error::{WebError, WebResult};
use crate::web::page::attachment;
use crate::web::page::{congress_ctx, load_congress, page};
use crate::web::AppState;

/// "1%", "0.5%" from basis points.
fn ratio(bp: u32) -> String {
    let s = format!("{:.2}", f64::from(bp) / 100.0);
    format!("{}%", s.trim_end_matches('0').trim_end_matches('.'))
}

fn total_text(a: &Allocation, configured: bool) -> String {
    if configured {
        format!("{}名(大会设置的总名额)", a.total)
    } else {
        format!("{}名(未设定总名额, 即各学院最低名额之和)", a.total)
    }
}

fn table(a: &Allocation) -> Markup {
    let share_sum: f64 = a.colleges.iter().map(|c| c.share).sum();
    html! {
        table.quota {
            thead {
                tr {
                    th { "学院" } th.num { "在校生人数" } th.num { "按比例应得(精确值)" }
                    th.num { "最低名额(A1)" } th.num { "分配名额" } th { "说明" }
                }
            }
            tbody {
                @for c in &a.colleges {
                    tr {
                        td { (c.college) }
                        td.num { (c.enrolment) }
                        td.num { (format!("{:.4}", c.share)) }
                        td.num { (c.minimum) }
                        td.num { strong { (c.quota) } }
                        td { (c.explanation) }
                    }
                }
                tr {
                    th { "合计" }
                    th.num { (a.enrolment) }
                    th.num { (format!("{share_sum:.4}")) }
                    th.num { (a.sum_of_minimums) }
                    th.num { (a.total) }
                    th {}
                }
            }
        }
    }
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    // Without enrolment (or with settings the enrolment cannot meet) the page says why.
    let result = match state
        .run(move |c| Ok(service::roster::quota(c, &cid)))
        .await?
    {
        Ok(a) => Ok(a),
        Err(ServiceError::Invalid { message, details }) => Err((message, details)),
        Err(e) => return Err(e.into()),
    };
    let configured = congress.settings.total_seats.is_some();
    let id = &congress.id;
    let body = html! {
        h1 { "名额分配" }
        @match &result {
            Ok(a) => {
                dl.facts {
                    dt { "分配方法(A3)" } dd { (a.method.zh()) }
                    dt { "总名额" } dd { (total_text(a, configured)) }
                    dt { "在校生总数" } dd { (a.enrolment) "人, " (a.colleges.len()) "个学院" }
                    dt { "每个学院最低名额(A1)" } dd { "在校生的" (ratio(a.ratio_bp)) "向上取整, 且不少于" (a.min_seats) "名; 合计" (a.sum_of_minimums) "名" }
                    dt { "全体代表最低人数(A2)" } dd { (a.congress_minimum) "名(在校生总数的" (ratio(a.ratio_bp)) "向上取整); 总名额" (a.total) "名" @if a.total >= a.congress_minimum { ", 符合要求" } }
                    dt { "并列规则" } dd { (a.tie_break) }
                }
                (crate::packet::chart::quota(a))
                (table(a))
                p {
                    a.button.secondary href={"/c/" (id) "/quota.csv"} { "下载名额分配表(CSV)" }
                    " " a.button.secondary href={"/c/" (id) "/quota.xlsx"} { "下载名额分配表(Excel)" }
                    " 总名额和分配方法在 " a href={"/c/" (id) "/setup#settings"} { "大会设置" } " 中修改。"
                }
            }
            Err((message, details)) => {
                p.error role="alert" { (message) @for d in details { ": " (d) } }
                p { a href={"/c/" (id) "/files"} { "前往名单导入" } " · " a href={"/c/" (id) "/setup#settings"} { "大会设置" } }
            }
        }
    };
    let ctx = congress_ctx(&state, &req, &staff, &congress);
    Ok(page(&state, &ctx, "名额分配", body))
}

/// The quota table as CSV: one row per college and a 合计 row.
pub fn csv_bytes(a: &Allocation) -> Result<Vec<u8>, WebError> {
    let mut w = CsvOut::new();
    w.row([
        "学院",
        "在校生人数",
        "按比例应得(精确值)",
        "最低名额(A1)",
        "分配名额",
        "说明",
    ])
    .map_err(WebError::internal)?;
    for c in &a.colleges {
        w.row([
            c.college.clone(),
            c.enrolment.to_string(),
            format!("{:.4}", c.share),
            c.minimum.to_string(),
            c.quota.to_string(),
            c.explanation.clone(),
        ])
        .map_err(WebError::internal)?;
    }
    let note = format!(
        "分配方法: {}; 全体代表最低人数(A2): {}; 并列规则: {}",
        a.method.zh(),
        a.congress_minimum,
        a.tie_break
    );
    w.row([
        "合计".to_string(),
        a.enrolment.to_string(),
        format!("{:.4}", a.colleges.iter().map(|c| c.share).sum::<f64>()),
        a.sum_of_minimums.to_string(),
        a.total.to_string(),
        note,
    ])
    .map_err(WebError::internal)?;
    w.finish().map_err(WebError::internal)
}

async fn download(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<CongressId>,
) -> WebResult<HttpResponse> {
    let congress = load_congress(&state, &staff, &path, Need::Read).await?;
    let cid = congress.id.clone();
    let a = state
        .run(move |c| Ok(service::roster::quota(c, &cid)?))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(
            &format!("quota-{}.csv", congress.id),
            &format!("名额分配-{}.csv", congress.name),
        ))
        .body(csv_bytes(&a)?))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/c/{cid}/quota", web::get().to(show))
        .route("/c/{cid}/quota.csv", web::get().to(download));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quota::{allocate, QuotaParams};

    #[test]
    fn ratios_read_as_percentages() {
        assert_eq!(ratio(100), "1%");
        assert_eq!(ratio(50), "0.5%");
        assert_eq!(ratio(125), "1.25%");
    }

    #[test]
    fn csv_has_bom_chinese_headers_rows_and_total() {
        let colleges = vec![
            ("文学院".to_string(), 1563),
            ("=HYPERLINK(\"x\")".to_string(), 386),
        ];
        let a = allocate(&colleges, &QuotaParams::default()).unwrap();
        let bytes = csv_bytes(&a).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "学院,在校生人数,按比例应得(精确值),最低名额(A1),分配名额,说明"
        );
        // No total set: T = 16 + 4 = 20; shares 20 x 1563/1949 = 16.0390, 20 x 386/1949 = 3.9610.
        assert!(
            lines[1].starts_with("文学院,1563,16.0390,16,16,"),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains(",386,3.9610,4,4,"), "{}", lines[2]);
        assert!(
            lines[2].starts_with("\"'=HYPERLINK(\"\"x\"\")\",386,"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("合计,1949,20.0000,20,20,分配方法: "),
            "{}",
            lines[3]
        );
    }
}
