//! Every .xlsx table the system writes for the offices (quota, roster, 签到表, rolls, results,
//! the import templates, the 述职评议 result) goes through here, so they all look and behave
//! the same in Excel and WPS: an optional title row, then a bold header row that is frozen
//! and repeated on every printed page, thin borders, columns as wide as their widest cell
//! (a Chinese character counted twice; past 60 the column wraps), A4 paper fitted to the page
//! width.
//!
//! Text is text: an ID such as a 学号 or 代表编号 is written as a string cell, so Excel never
//! turns `2023010101` into `2.02301E+09` or drops a leading zero. A text cell that a
//! spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return) is written
//! as the CSV writer writes it, with a leading apostrophe ([`crate::csv_out::cell`]), and the
//! cell is also marked quote-prefixed, so editing it in Excel keeps it text; the importers drop
//! the apostrophe again, so a file written here and read back is unchanged.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::csv_out;

/// A4 in the Excel paper-size table.
const A4: u8 = 9;
/// The widest a column gets, in Excel's character units.
const MAX_WIDTH: f64 = 60.0;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A string cell (IDs included).
    Text(String),
    /// A number cell (counts, sums).
    Number(f64),
    /// Nothing (a blank, bordered cell: the 签名 column).
    Blank,
    /// Text that asks for attention, in bold red (the review's "列入跟进", red on the
    /// result pages too).
    Alert(String),
}

/// The red of [`Cell::Alert`]: the pages' accent (`--accent` in app.css).
const ALERT_RED: u32 = 0xC8102E;

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Number(f64::from(n))
    }
}

/// One worksheet: a name, an optional title (row 1, merged over the columns), headers and rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The tab's name (Excel allows 31 characters; longer is cut).
    pub name: String,
    /// The title row above the headers (the congress and what the table is), if any. Import
    /// templates have none: their first row must be the headers.
    pub title: Option<String>,
    /// The header row.
    pub headers: Vec<String>,
    /// The data rows.
    pub rows: Vec<Vec<Cell>>,
    /// Lines below the table (totals, the rule, notes), one cell each, no border.
    pub notes: Vec<String>,
    /// Printed at the top of every page (used where a title row would stop the file from
    /// importing back: the roster).
    pub page_header: Option<String>,
    /// Height of the data rows in points (the 签到表 leaves room to sign); default Excel's.
    pub row_height: Option<f64>,
    /// Columns at least this wide (by header), e.g. the 签名 column.
    pub min_widths: Vec<(String, f64)>,
}

impl Sheet {
    /// A sheet with these headers and no rows.
    pub fn new(name: &str, headers: &[&str]) -> Sheet {
        Sheet {
            name: name.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            ..Sheet::default()
        }
    }

    /// Adds a data row.
    pub fn row<I, C>(&mut self, cells: I)
    where
        I: IntoIterator<Item = C>,
        C: Into<Cell>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }
}

/// How wide a text is on screen, in Excel's character units: a CJK or full-width character
/// counts two, anything else one.
pub fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| l.chars().map(|c| if wide(c) { 2 } else { 1 }).sum())
        .max()
        .unwrap_or(0)
}

fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3040..=0xA4CF | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

fn text_of(c: &Cell) -> String {
    match c {
        Cell::Text(s) | Cell::Alert(s) => csv_out::cell(s).into_owned(),
        Cell::Number(n) => format!("{n}"),
        Cell::Blank => String::new(),
    }
}

fn col(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).map_err(|_| XlsxError::ParameterError(format!("column {i} out of range")))
}

fn row_no(i: usize) -> Result<u32, XlsxError> {
    u32::try_from(i).map_err(|_| XlsxError::ParameterError(format!("row {i} out of range")))
}

fn write_sheet(ws: &mut Worksheet, s: &Sheet) -> Result<(), XlsxError> {
    let name: String = s.name.chars().take(31).collect();
    ws.set_name(name)?;
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xF1F1F4))
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let text = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let wrap = text.clone().set_text_wrap();
    let quoted = text.clone().set_quote_prefix();
    let quoted_wrap = wrap.clone().set_quote_prefix();
    let alert = text
        .clone()
        .set_bold()
        .set_font_color(Color::RGB(ALERT_RED));
    // Excel's General format: whole numbers plainly, fractions (the quota's shares) as they are.
    let number = text.clone();
    let ncols = s.headers.len().max(1);
    let mut r = 0usize;
    if let Some(title) = &s.title {
        let tf = Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        let shown = csv_out::cell(title);
        if ncols > 1 {
            ws.merge_range(0, 0, 0, col(ncols - 1)?, &shown, &tf)?;
        } else {
            ws.write_string_with_format(0, 0, shown.as_ref(), &tf)?;
        }
        ws.set_row_height(0, 24)?;
        r = 1;
    }
    let header_row = row_no(r)?;
    for (c, h) in s.headers.iter().enumerate() {
        ws.write_string_with_format(header_row, col(c)?, csv_out::cell(h).as_ref(), &head)?;
    }
    let mut widths: Vec<usize> = s.headers.iter().map(|h| display_width(h)).collect();
    for cells in &s.rows {
        for (c, cell) in cells.iter().enumerate() {
            if c >= widths.len() {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(display_width(&text_of(cell)));
        }
    }
    // A column wider than the cap wraps its text (row heights are left to Excel).
    let wraps = |c: usize| widths.get(c).is_some_and(|w| (*w as f64) + 2.0 > MAX_WIDTH);
    for (i, cells) in s.rows.iter().enumerate() {
        let rr = row_no(r + 1 + i)?;
        for (c, cell) in cells.iter().enumerate() {
            let cc = col(c)?;
            match cell {
                Cell::Text(t) => {
                    let shown = csv_out::cell(t);
                    let guarded = matches!(shown, std::borrow::Cow::Owned(_));
                    let f = match (guarded, wraps(c)) {
                        (false, false) => &text,
                        (false, true) => &wrap,
                        (true, false) => &quoted,
                        (true, true) => &quoted_wrap,
                    };
                    ws.write_string_with_format(rr, cc, shown.as_ref(), f)?;
                }
                Cell::Number(n) => {
                    ws.write_number_with_format(rr, cc, *n, &number)?;
                }
                Cell::Blank => {
                    ws.write_blank(rr, cc, &text)?;
                }
                Cell::Alert(t) => {
                    ws.write_string_with_format(rr, cc, csv_out::cell(t).as_ref(), &alert)?;
                }
            }
        }
        // Not every spreadsheet grows a wrapped row by itself: give it its lines' height.
        let lines = cells
            .iter()
            .enumerate()
            .filter(|(c, _)| wraps(*c))
            .map(|(_, cell)| display_width(&text_of(cell)).div_ceil(MAX_WIDTH as usize - 2))
            .max()
            .unwrap_or(1)
            .max(1);
        let height = s.row_height.unwrap_or(15.0).max(15.0 * lines as f64);
        if s.row_height.is_some() || lines > 1 {
            ws.set_row_height(rr, height)?;
        }
    }
    for (i, note) in s.notes.iter().enumerate() {
        let rr = row_no(r + 2 + s.rows.len() + i)?;
        ws.write_string(rr, 0, csv_out::cell(note).as_ref())?;
    }
    for (c, w) in widths.iter().enumerate() {
        let min = s
            .headers
            .get(c)
            .and_then(|h| s.min_widths.iter().find(|(n, _)| n == h))
            .map(|(_, w)| *w)
            .unwrap_or(0.0);
        let width = ((*w as f64) + 2.0).clamp(6.0, MAX_WIDTH).max(min);
        ws.set_column_width(col(c)?, width)?;
    }
    // The header stays in view when scrolling and is printed on every page.
    ws.set_freeze_panes(row_no(r + 1)?, 0)?;
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_paper_size(A4);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页, 共 &N 页");
    if let Some(h) = &s.page_header {
        // `&` starts a code in Excel's header language; `&&` is a literal one.
        ws.set_header(format!("&C{}", h.replace('&', "&&")));
    }
    Ok(())
}

/// The workbook's bytes: one worksheet per sheet, in order.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        write_sheet(ws, s)?;
    }
    wb.save_to_buffer()
}

/// The HTTP content type of an .xlsx file.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn read(bytes: Vec<u8>) -> Vec<Vec<Data>> {
        let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let name = x.sheet_names()[0].clone();
        let range = x.worksheet_range(&name).unwrap();
        range.rows().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn cjk_counts_double() {
        assert_eq!(display_width("代表编号"), 8);
        assert_eq!(display_width("2023010101"), 10);
        assert_eq!(display_width("王a"), 3);
    }

    #[test]
    fn ids_stay_text_and_formulas_are_guarded() {
        let mut s = Sheet::new("名单", &["学号", "姓名", "得票"]);
        s.title = Some("示范大学 代表名单".into());
        s.row([
            Cell::from("0023010101"),
            Cell::from("=HYPERLINK(\"x\")"),
            Cell::from(12u64),
        ]);
        let rows = read(workbook(&[s]).unwrap());
        assert_eq!(rows[0][0], Data::String("示范大学 代表名单".into()));
        assert_eq!(rows[1][0], Data::String("学号".into()));
        assert_eq!(rows[2][0], Data::String("0023010101".into()));
        assert_eq!(rows[2][1], Data::String("'=HYPERLINK(\"x\")".into()));
        assert_eq!(rows[2][2], Data::Float(12.0));
    }

    /// The styles part of a workbook, as text.
    fn styles(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn an_alert_is_bold_red_text() {
        let mut s = Sheet::new("评议结果", &["姓名", "跟进"]);
        s.row([Cell::from("张三"), Cell::Alert("列入跟进".into())]);
        s.row([Cell::from("李四"), Cell::from("")]);
        let bytes = workbook(&[s]).unwrap();
        assert!(styles(&bytes).contains("FFC8102E"), "{}", styles(&bytes));
        let rows = read(bytes);
        assert_eq!(rows[1][1], Data::String("列入跟进".into()));
        // Without an alert cell the red is not in the workbook at all.
        let mut plain = Sheet::new("评议结果", &["姓名", "跟进"]);
        plain.row([Cell::from("李四"), Cell::from("")]);
        assert!(!styles(&workbook(&[plain]).unwrap()).contains("FFC8102E"));
    }
}
