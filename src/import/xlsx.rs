//! Workbooks (.xlsx, .xls, .ods) through calamine: the first sheet as text cells, numbers and
//! dates written the way the organiser sees them in Excel.

use std::io::Cursor;

use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsx};

use super::error::{ImportError, ImportErrors};
use super::table::Table;

/// Container format recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkbookKind {
    /// ZIP: .xlsx/.xlsm, or .ods.
    Zip,
    /// OLE compound file: the old .xls.
    Ole,
}

/// Recognises a workbook by content, whatever its extension says.
pub(crate) fn sniff(bytes: &[u8]) -> Option<WorkbookKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(WorkbookKind::Zip)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(WorkbookKind::Ole)
    } else {
        None
    }
}

/// Columns read from a sheet: our files have about ten, and a cell far to the right (column
/// XFD is 16,384) would otherwise make every row that wide.
pub(crate) const MAX_SHEET_COLUMNS: u32 = 256;
/// Cells (rows x columns, blanks inside included) read from a sheet: a 100,000-row file of
/// 15 columns has 1.5 million.
pub(crate) const MAX_SHEET_CELLS: usize = 4_000_000;

fn too_wide(file: &str, row: u32, col: u32) -> ImportErrors {
    ImportError::cell(
        file,
        row as usize + 1,
        &super::columns::column_letter(col as usize),
        format!("这一列有内容, 但表格最多读取{MAX_SHEET_COLUMNS}列; 请删去多余的列后再上传"),
    )
    .into()
}

fn too_many_cells(file: &str) -> ImportErrors {
    ImportError::file(
        file,
        format!(
            "第一个工作表超过{MAX_SHEET_CELLS}个单元格, 未导入; 请删去多余的行、列或工作表后再上传"
        ),
    )
    .into()
}

/// Reads the first sheet of a workbook. Row numbers are the sheet's own (row 1 = Excel's 1).
///
/// An .xlsx sheet is read cell by cell, so a sheet with two cells far apart (A1 and
/// XFD1048576) costs two cells, not the 17 billion of the rectangle between them that
/// calamine's `Range` would allocate (enough to abort the server).
///
/// calamine panics on some malformed files (a cell reference `A99999999999` overflows its row
/// arithmetic when overflow checks are on, as in debug builds); such a file is reported as
/// damaged like any other unreadable workbook.
pub(crate) fn read_workbook(
    file: &str,
    bytes: &[u8],
    kind: WorkbookKind,
) -> Result<Table, ImportErrors> {
    std::panic::catch_unwind(|| read_workbook_unguarded(file, bytes, kind)).unwrap_or_else(|_| {
        Err(ImportError::file(
            file,
            "无法读取Excel文件: 文件内容有误(可能已损坏); 请在Excel中重新保存后再上传",
        )
        .into())
    })
}

fn read_workbook_unguarded(
    file: &str,
    bytes: &[u8],
    kind: WorkbookKind,
) -> Result<Table, ImportErrors> {
    let cursor = Cursor::new(bytes);
    let opened: Result<Sheets<Cursor<&[u8]>>, String> = match kind {
        WorkbookKind::Zip => match calamine::open_workbook_from_rs::<Xlsx<_>, _>(cursor.clone()) {
            Ok(x) => Ok(Sheets::Xlsx(x)),
            Err(xlsx_err) => calamine::open_workbook_from_rs::<Ods<_>, _>(cursor)
                .map(Sheets::Ods)
                .map_err(|_| xlsx_err.to_string()),
        },
        WorkbookKind::Ole => calamine::open_workbook_from_rs::<Xls<_>, _>(cursor)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
    };
    let mut workbook = opened.map_err(|e| {
        ImportError::file(
            file,
            format!("无法打开Excel文件({e}); 文件可能已损坏或设有密码"),
        )
    })?;
    if let Sheets::Xlsx(xlsx) = &mut workbook {
        return read_xlsx_cells(file, xlsx);
    }
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => {
            return Err(ImportError::file(file, format!("无法读取第一个工作表: {e}")).into())
        }
        None => return Err(ImportError::file(file, "Excel文件中没有工作表").into()),
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let (rows, cols) = range.get_size();
    if cols > MAX_SHEET_COLUMNS as usize {
        return Err(too_wide(file, first_row, first_col + MAX_SHEET_COLUMNS));
    }
    if rows.saturating_mul(cols) > MAX_SHEET_CELLS {
        return Err(too_many_cells(file));
    }
    let raw = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let line = first_row as usize + i + 1;
            (line, row.iter().map(cell_text).collect())
        })
        .collect();
    Ok(Table::from_raw_rows(file, raw))
}

/// The first sheet of an .xlsx, cell by cell, within [`MAX_SHEET_COLUMNS`] and
/// [`MAX_SHEET_CELLS`].
fn read_xlsx_cells(file: &str, xlsx: &mut Xlsx<Cursor<&[u8]>>) -> Result<Table, ImportErrors> {
    let Some(sheet) = xlsx.sheet_names().into_iter().next() else {
        return Err(ImportError::file(file, "Excel文件中没有工作表").into());
    };
    let unreadable = |e: calamine::XlsxError| {
        ImportErrors::from(ImportError::file(
            file,
            format!("无法读取第一个工作表: {e}"),
        ))
    };
    let mut reader = match xlsx.worksheet_cells_reader(&sheet) {
        Ok(r) => r,
        // A chart sheet or the like first: nothing to read, as calamine's range would say.
        Err(calamine::XlsxError::NotAWorksheet(_)) => {
            return Ok(Table::from_raw_rows(file, Vec::new()))
        }
        Err(e) => return Err(unreadable(e)),
    };
    // Row -> (width, [(column, text)]); `dense` counts the cells of the rows as they will be
    // built (blanks between included), `seen` every value read (a cell may repeat).
    let mut rows: std::collections::BTreeMap<u32, (u32, Vec<(u32, String)>)> = Default::default();
    let (mut dense, mut seen) = (0usize, 0usize);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        let (row, col) = cell.get_position();
        if col >= MAX_SHEET_COLUMNS {
            return Err(too_wide(file, row, col));
        }
        let (width, cells) = rows.entry(row).or_default();
        if col + 1 > *width {
            dense += (col + 1 - *width) as usize;
            *width = col + 1;
        }
        cells.push((col, cell_text(&value)));
        seen += 1;
        if dense > MAX_SHEET_CELLS || seen > MAX_SHEET_CELLS {
            return Err(too_many_cells(file));
        }
    }
    let raw = rows
        .into_iter()
        .map(|(row, (width, cells))| {
            let mut dense = vec![String::new(); width as usize];
            for (c, text) in cells {
                dense[c as usize] = text;
            }
            (row as usize + 1, dense)
        })
        .collect();
    Ok(Table::from_raw_rows(file, raw))
}

/// A cell as text: whole numbers without ".0" (student number 2023010123, year 2023), other
/// numbers in their shortest exact form, dates as `2023-09-01` (with the time if it has one).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(dt) => float_text(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn float_text(f: f64) -> String {
    // 2^53: above it an f64 no longer holds every integer, so fall back to the plain form.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::read_table;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    #[test]
    fn numbers_and_dates_read_as_seen() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        ws.write(0, 0, "学号").unwrap();
        ws.write(0, 1, "得票").unwrap();
        ws.write(0, 2, "排名").unwrap();
        ws.write(0, 3, "日期").unwrap();
        ws.write(2, 0, 2023010123.0).unwrap();
        ws.write(2, 1, 87.0).unwrap();
        ws.write(2, 2, 0.15).unwrap();
        let d = ExcelDateTime::from_ymd(2023, 9, 1).unwrap();
        ws.write_with_format(2, 3, &d, &date).unwrap();
        ws.write(4, 0, "　２０２３０１０１２４ ").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        // The extension is wrong on purpose: content decides.
        let t = read_table("名单.csv", &bytes).unwrap();
        assert_eq!(t.headers, vec!["学号", "得票", "排名", "日期"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(
            t.rows[0].cells,
            vec!["2023010123", "87", "0.15", "2023-09-01"]
        );
        assert_eq!(t.rows[1].line, 5);
        assert_eq!(t.rows[1].cells, vec!["2023010124"]);
    }

    #[test]
    fn broken_workbook_is_an_error_not_a_panic() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0u8; 64]);
        let e = read_table("a.xlsx", &bytes).unwrap_err();
        assert!(e.0[0].message.contains("无法打开Excel文件"), "{e}");
        let e = read_table(
            "a.xls",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
        )
        .unwrap_err();
        assert!(e.0[0].message.contains("无法打开Excel文件"), "{e}");
    }

    #[test]
    fn far_apart_cells_cost_two_cells_not_the_rectangle() {
        // Before reading cell by cell, calamine allocated the whole A1:XFD1048576 rectangle
        // (17 billion cells) for this 6 KB file and the allocation aborted the process.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "学院").unwrap();
        ws.write(1_048_575, 16_383, "x").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let e = read_table("far.xlsx", &bytes).unwrap_err();
        assert_eq!(e.0[0].line, Some(1_048_576), "{e}");
        assert_eq!(e.0[0].column.as_deref(), Some("XFD"), "{e}");
        assert!(e.0[0].message.contains("最多读取256列"), "{e}");

        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "学院").unwrap();
        ws.write(1_048_575, 3, "x").unwrap();
        let t = read_table("tall.xlsx", &wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 1_048_576);
        assert_eq!(t.rows[0].cells, vec!["", "", "", "x"]);
    }

    /// `bytes` with `from` replaced by `to` in the first sheet's XML.
    fn patch_sheet(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut zin = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if f.name().ends_with("sheet1.xml") {
                let xml = String::from_utf8(data).unwrap();
                assert!(xml.contains(from), "{xml}");
                data = xml.replace(from, to).into_bytes();
            }
            zout.start_file(f.name(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zout.write_all(&data).unwrap();
        }
        zout.finish().unwrap().into_inner()
    }

    #[test]
    fn a_cell_reference_past_u32_is_a_damaged_file() {
        // Found by the import_xlsx fuzz target: calamine's row arithmetic overflows (a panic
        // where overflow checks are on).
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "学院").unwrap();
        ws.write(1, 0, "文学院").unwrap();
        let bytes = patch_sheet(
            &wb.save_to_buffer().unwrap(),
            "r=\"A2\"",
            "r=\"A99999999999\"",
        );
        match read_table("bad.xlsx", &bytes) {
            // Without overflow checks the row wraps around: read, or refused, never a panic.
            Ok(t) => assert_eq!(t.headers, vec!["学院"]),
            Err(e) => assert!(e.0[0].message.contains("Excel"), "{e}"),
        }
    }

    #[test]
    fn floats_print_whole_numbers_plainly() {
        assert_eq!(float_text(2023.0), "2023");
        assert_eq!(float_text(-3.0), "-3");
        assert_eq!(float_text(12.5), "12.5");
        assert_eq!(float_text(0.15), "0.15");
    }
}
