//! A 述职评议's result as an Excel workbook (.xlsx), for 综合测评 and 评优 (rule H5): sheet 1
//! one row per person (rank, name, post, college, the favourable share, the worst grade,
//! follow-up, then the count of each grade summed over the dimensions), sheet 2 one row per
//! person and dimension with the count of each grade. Numbers are numbers, text is text (never
//! a formula: a name starting with "=" stays a string).

use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, XlsxError};

use crate::domain::tally::{percent, ReviewResult};

/// The workbook's bytes; `title` names the review on both sheets' first row.
pub fn workbook(title: &str, r: &ReviewResult) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xF1F1F4))
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let flag = Format::new()
        .set_border(FormatBorder::Thin)
        .set_bold()
        .set_font_color(Color::RGB(0x9A0010));
    let favourable = r.grades[..(r.favourable as usize).min(r.grades.len())].join("+");
    let worst = r.grades.last().cloned().unwrap_or_default();

    let ws = wb.add_worksheet();
    ws.set_name("评议结果")?;
    ws.write_string(0, 0, title)?;
    let mut cols: Vec<String> = ["排名", "姓名", "职务", "学院"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    cols.extend([
        format!("{favourable}率"),
        format!("{favourable}个数"),
        "评价总数".to_string(),
        format!("{worst}个数"),
        "跟进".to_string(),
    ]);
    cols.extend(r.grades.iter().map(|g| format!("{g}(合计)")));
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &head)?;
    }
    for (i, p) in r.persons.iter().enumerate() {
        let row = (i + 2) as u32;
        ws.write_number_with_format(row, 0, f64::from(p.rank), &cell)?;
        ws.write_string_with_format(row, 1, &p.name, &cell)?;
        ws.write_string_with_format(row, 2, &p.post, &cell)?;
        ws.write_string_with_format(row, 3, &p.college, &cell)?;
        ws.write_string_with_format(row, 4, percent(p.share_bp), &cell)?;
        ws.write_number_with_format(row, 5, p.favourable as f64, &cell)?;
        ws.write_number_with_format(row, 6, p.given as f64, &cell)?;
        ws.write_number_with_format(row, 7, p.worst as f64, &cell)?;
        let (text, fmt) = if p.follow_up {
            ("列入跟进", &flag)
        } else {
            ("", &cell)
        };
        ws.write_string_with_format(row, 8, text, fmt)?;
        for g in 0..r.grades.len() {
            let sum: u64 = p
                .counts
                .iter()
                .map(|d| d.get(g).copied().unwrap_or(0))
                .sum();
            ws.write_number_with_format(row, (9 + g) as u16, sum as f64, &cell)?;
        }
    }
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 16)?;

    let ws = wb.add_worksheet();
    ws.set_name("分项统计")?;
    ws.write_string(0, 0, title)?;
    let mut cols: Vec<String> = ["姓名", "职务", "评议项目"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    cols.extend(r.grades.iter().cloned());
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &head)?;
    }
    let mut row = 2u32;
    for p in &r.persons {
        for (dim, counts) in r.dimensions.iter().zip(&p.counts) {
            ws.write_string_with_format(row, 0, &p.name, &cell)?;
            ws.write_string_with_format(row, 1, &p.post, &cell)?;
            ws.write_string_with_format(row, 2, dim, &cell)?;
            for (g, n) in counts.iter().enumerate() {
                ws.write_number_with_format(row, (3 + g) as u16, *n as f64, &cell)?;
            }
            row += 1;
        }
    }
    wb.save_to_buffer()
}
