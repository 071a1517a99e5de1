//! The province table: every school's standing for the year and its congress's indicators,
//! failures in red; the counts above it; a year chooser and the Excel export.

use maud::{html, Markup};

use crate::registry::indicators::INDICATORS;
use crate::registry::status::Standing;
use crate::registry::table::ProvinceTable;
use crate::web::views::assessment::outcome_class;
use crate::web::views::zh_day;

fn counts(t: &ProvinceTable) -> Markup {
    let standings = [
        Standing::OnTime,
        Standing::Late,
        Standing::Pending,
        Standing::Overdue,
        Standing::Missing,
    ];
    html! {
        ul.counts aria-label="统计" {
            li { "学校 " strong { (t.rows.len()) } }
            @for s in standings {
                li class=(if s.outcome() == crate::registry::indicators::Outcome::Fail { "bad" } else { "" }) {
                    (s.zh()) " " strong { (t.count(s)) }
                }
            }
            li.bad { "有未达标指标 " strong { (t.with_failures()) } }
        }
    }
}

/// The page body.
pub fn province(t: &ProvinceTable, years: &[i32]) -> Markup {
    html! {
        h1 { (t.year) " 年学代会备案情况" }
        form.upload method="get" action="/registry/table" {
            label for="year" { "年度" }
            select #year name="year" {
                @for y in years {
                    option value=(y) selected[*y == t.year] { (y) }
                }
            }
            button.secondary type="submit" { "查看" }
            a.button href={"/registry/table.xlsx?year=" (t.year)} { "导出 Excel" }
        }
        (counts(t))
        p.muted {
            "按大会日期归入年度。备案期限: 会后 " (t.settings.filing_days) " 天; 召开周期上限 "
            (t.settings.max_interval_months) " 个月; 计算日期 " (t.today) "。红色为未达标, 灰色“未记录”为归档包中没有的数据。"
        }
        div.scroll {
            table.province {
                thead {
                    tr {
                        th { "学校" }
                        th { "备案状态" }
                        th { "大会日期" }
                        @for (_, short, item) in INDICATORS {
                            th title=(item) { (short) }
                        }
                    }
                }
                tbody {
                    @for row in &t.rows {
                        tr {
                            td.school {
                                @match &row.filing {
                                    Some(f) => a href={"/registry/filings/" (f.id)} { (row.school.name) },
                                    None => a href={"/registry/schools/" (row.school.code)} { (row.school.name) },
                                }
                                br; small.muted { (row.school.code) }
                            }
                            td class=(outcome_class(row.status.standing.outcome())) {
                                (row.status.standing.zh())
                                span.detail { (row.status.detail) }
                            }
                            td {
                                @if let Some(f) = &row.filing {
                                    (f.congress_date)
                                    @if let Some(at) = row.first_filed_at {
                                        span.detail { "备案 " (zh_day(at)) }
                                    }
                                } @else { span.muted { "—" } }
                            }
                            @if row.indicators.is_empty() {
                                @for _ in INDICATORS { td.unknown { "—" } }
                            } @else {
                                @for ind in &row.indicators {
                                    td class=(outcome_class(ind.outcome)) title=(ind.value) { (ind.figure) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
