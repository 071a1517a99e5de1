//! The province table as an Excel workbook (.xlsx): sheet 1 one row per school (code, name,
//! standing and its explanation, the congress, when filed, then each indicator's value with
//! failures filled red and "未记录" grey), sheet 2 what each column means and the settings the
//! table was computed with. Cells are text (never formulas).

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use super::indicators::{Outcome, INDICATORS};
use super::table::ProvinceTable;
use crate::packet::report::datetime;

const RED_FILL: u32 = 0xF8C9CF;
const RED_TEXT: u32 = 0x9A0010;
const GREY_TEXT: u32 = 0x5F6368;

fn cell(outcome: Outcome) -> Format {
    let f = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    match outcome {
        Outcome::Fail => f
            .set_background_color(Color::RGB(RED_FILL))
            .set_font_color(Color::RGB(RED_TEXT))
            .set_bold(),
        Outcome::Unknown => f.set_font_color(Color::RGB(GREY_TEXT)),
        Outcome::Pass => f,
    }
}

/// The workbook's bytes.
pub fn workbook(t: &ProvinceTable) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xF1F1F4))
        .set_text_wrap();
    let plain = cell(Outcome::Pass);
    let ws = wb.add_worksheet();
    ws.set_name(format!("{}年备案情况", t.year))?;
    let fixed = [
        "学校代码",
        "学校",
        "备案状态",
        "说明",
        "大会",
        "大会日期",
        "首次备案时间",
    ];
    for (c, h) in fixed.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (i, (_, short, _)) in INDICATORS.iter().enumerate() {
        ws.write_string_with_format(0, (fixed.len() + i) as u16, *short, &head)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        let status = cell(row.status.standing.outcome());
        ws.write_string_with_format(r, 0, &row.school.code, &plain)?;
        ws.write_string_with_format(r, 1, &row.school.name, &plain)?;
        ws.write_string_with_format(r, 2, row.status.standing.zh(), &status)?;
        ws.write_string_with_format(r, 3, &row.status.detail, &status)?;
        let (name, date) = match &row.filing {
            Some(f) => (f.congress_name.as_str(), f.congress_date.as_str()),
            None => ("", ""),
        };
        ws.write_string_with_format(r, 4, name, &plain)?;
        ws.write_string_with_format(r, 5, date, &plain)?;
        let when = row.first_filed_at.map(datetime).unwrap_or_default();
        ws.write_string_with_format(r, 6, &when, &plain)?;
        for (i, ind) in row.indicators.iter().enumerate() {
            let text = format!("{}: {}", ind.outcome.zh(), ind.value);
            ws.write_string_with_format(r, (fixed.len() + i) as u16, &text, &cell(ind.outcome))?;
        }
    }
    for (c, w) in [10.0, 24.0, 11.0, 36.0, 30.0, 11.0, 19.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    for i in 0..INDICATORS.len() {
        ws.set_column_width((fixed.len() + i) as u16, 26.0)?;
    }
    ws.set_freeze_panes(1, 2)?;
    let last_col = (fixed.len() + INDICATORS.len() - 1) as u16;
    ws.autofilter(0, 0, t.rows.len() as u32, last_col)?;

    let notes = wb.add_worksheet();
    notes.set_name("指标说明")?;
    notes.write_string_with_format(0, 0, "列", &head)?;
    notes.write_string_with_format(0, 1, "要求 (政策原文)", &head)?;
    let mut r = 1u32;
    for (_, short, item) in INDICATORS {
        notes.write_string_with_format(r, 0, short, &plain)?;
        notes.write_string_with_format(r, 1, item, &plain)?;
        r += 1;
    }
    let settings = [
        (
            "备案状态",
            format!(
                "按时备案: 大会后 {} 天内首次备案; 逾期备案: 超过该期限; 尚未备案: 本年度尚无备案且年度未结束; 未备案: 年度结束 (12月31日后再过 {} 天) 仍无备案; 超期未召开: 距上一次大会已超过 {} 个月",
                t.settings.filing_days, t.settings.filing_days, t.settings.max_interval_months
            ),
        ),
        ("计算日期", format!("{} (北京时间)", t.today)),
        ("未记录", "归档包中没有这项数据, 不作推测".to_string()),
    ];
    for (k, v) in settings {
        notes.write_string_with_format(r, 0, k, &plain)?;
        notes.write_string_with_format(r, 1, &v, &plain)?;
        r += 1;
    }
    notes.set_column_width(0, 14.0)?;
    notes.set_column_width(1, 100.0)?;
    wb.save_to_buffer()
}
