//! Reading a file into a [`Table`] of normalised cells: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030,
//! UTF-16 from Excel's "Unicode text") or a workbook (.xlsx, .xls, .ods via calamine).

use super::error::{ImportError, ImportErrors};
use super::normalize::normalize_cell;
use super::xlsx;

/// A file as rows of normalised text cells, before any typed parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file name as uploaded, used in every error message.
    pub file: String,
    /// The header row (the first row that is not blank), normalised.
    pub headers: Vec<String>,
    /// The data rows, blank rows left out.
    pub rows: Vec<Row>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based row number as the user sees it in Excel (header = 1 when it is the first row).
    /// Blank rows skipped in between still count, so the numbers stay true.
    pub line: usize,
    /// Normalised cells (see [`normalize_cell`]); may be shorter or longer than the headers.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at `index`, or `""` when the row is shorter.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(String::as_str).unwrap_or("")
    }
}

impl Table {
    /// Builds a table from raw rows `(line, cells)`: normalises every cell, takes the first
    /// non-blank row as the header and drops blank rows (trailing rows Excel leaves, rows of
    /// only commas).
    pub(crate) fn from_raw_rows(file: &str, raw: Vec<(usize, Vec<String>)>) -> Self {
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (line, cells) in raw {
            let mut cells: Vec<String> = cells.iter().map(|c| normalize_cell(c)).collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            if cells.is_empty() {
                continue;
            }
            if headers.is_none() {
                headers = Some(cells);
            } else {
                rows.push(Row { line, cells });
            }
        }
        Table {
            file: file.to_string(),
            headers: headers.unwrap_or_default(),
            rows,
        }
    }
}

/// Reads an organiser's file.
///
/// A workbook is recognised by its content (ZIP or OLE signature) or its extension (.xlsx,
/// .xlsm, .xls, .ods); its first sheet is read. Anything else is CSV: a UTF-8 BOM is stripped;
/// bytes that are valid UTF-8 are read as UTF-8, otherwise as GB18030 (the superset of GBK that
/// Excel on a Chinese Windows saves), and if that fails too the error names the first bad
/// line. UTF-16 with a BOM is read as well. The delimiter is sniffed from the header line:
/// `,`, tab, `;` or, when none of them occurs, the full-width `，`.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, ImportErrors> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let table = if let Some(kind) = xlsx::sniff(bytes) {
        xlsx::read_workbook(file_name, bytes, kind)?
    } else if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        return Err(ImportError::file(
            file_name,
            format!("扩展名为.{ext}, 但内容不是Excel文件; 请在Excel中重新保存为.xlsx或CSV"),
        )
        .into());
    } else {
        let text = decode(file_name, bytes)?;
        read_csv(file_name, &text)?
    };
    if table.headers.is_empty() {
        return Err(ImportError::file(file_name, "文件为空, 没有找到表头行").into());
    }
    Ok(table)
}

/// Decodes CSV bytes to text (see [`read_table`] for the order of attempts).
fn decode(file: &str, bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => Err(ImportError::row(
                file,
                line_of(rest, e.valid_up_to()),
                "文件标明为UTF-8编码, 但这一行含有无效的字节; 请在Excel中另存为“CSV UTF-8(逗号分隔)”",
            )),
        };
    }
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    if let Some(enc) = utf16 {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(ImportError::file(file, "UTF-16编码的文件中含有无效的字符"));
        }
        return Ok(text.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, _) => Err(ImportError::row(
            file,
            line_of(bytes, read.saturating_sub(bad as usize)),
            "文件既不是UTF-8也不是GBK/GB18030编码, 这一行有无法识别的字节; \
             请在Excel中另存为“CSV UTF-8(逗号分隔)”或.xlsx后重新上传",
        )),
        // Cannot happen with a buffer sized by max_utf8_buffer_length; reported, not unwrapped.
        encoding_rs::DecoderResult::OutputFull => {
            Err(ImportError::file(file, "文件过大, 无法解码"))
        }
    }
}

/// 1-based physical line of byte offset `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    1 + bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Picks the delimiter by counting candidates outside quotes in the first non-blank line.
fn sniff_delimiter(text: &str) -> Option<u8> {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 4]; // , \t ; ，
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            '，' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    if counts[..3].iter().all(|&n| n == 0) && counts[3] > 0 {
        return None; // full-width comma: the caller rewrites it
    }
    // Ties go to the comma, then tab.
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    Some([b',', b'\t', b';'][best])
}

/// Parses decoded CSV text, numbering rows as Excel does.
///
/// The csv crate's record positions point to where its parser resumed (possibly on the `\n`
/// of a CRLF or on skipped blank lines), so the physical line of a record is counted here from
/// its first byte that is not a line break. Excel shows a record with line breaks inside
/// quotes as one row, so those breaks of earlier records are subtracted.
fn read_csv(file: &str, text: &str) -> Result<Table, ImportErrors> {
    let rewritten;
    let (text, delimiter) = match sniff_delimiter(text) {
        Some(d) => (text, d),
        None => {
            // The header is separated by full-width commas (typed in a text editor with a
            // Chinese input method): every `，` is then a delimiter.
            rewritten = text.replace('，', ",");
            (rewritten.as_str(), b',')
        }
    };
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut raw = Vec::new();
    let (mut cursor, mut physical_line, mut embedded) = (0usize, 1usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ImportError {
                    file: file.to_string(),
                    line: e.position().map(|p| p.line() as usize),
                    column: None,
                    message: format!("CSV格式错误: {e}"),
                }
                .into());
            }
        }
        let mut start = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        physical_line += line_breaks(&bytes[cursor.min(start)..start]);
        cursor = start.max(cursor);
        raw.push((
            physical_line.saturating_sub(embedded),
            record.iter().map(str::to_string).collect(),
        ));
        embedded += record
            .iter()
            .map(|f| line_breaks(f.as_bytes()))
            .sum::<usize>();
    }
    Ok(Table::from_raw_rows(file, raw))
}

/// Line breaks in `bytes`: `\n`, `\r\n` and a lone `\r` each count once.
fn line_breaks(bytes: &[u8]) -> usize {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(t: &Table) -> Vec<usize> {
        t.rows.iter().map(|r| r.line).collect()
    }

    #[test]
    fn utf8_bom_and_gbk_read_the_same() {
        let text = "学院,人数\r\n计算机学院,3212\r\n外国语学院,1846\r\n";
        let plain = read_table("a.csv", text.as_bytes()).unwrap();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let (gbk, _, had_errors) = encoding_rs::GBK.encode(text);
        assert!(!had_errors);
        assert_eq!(read_table("a.csv", &bom).unwrap(), plain);
        assert_eq!(read_table("a.csv", &gbk).unwrap(), plain);
        assert_eq!(plain.headers, vec!["学院", "人数"]);
        assert_eq!(plain.rows[1].cells, vec!["外国语学院", "1846"]);
        assert_eq!(lines(&plain), vec![2, 3]);
    }

    #[test]
    fn utf16_from_excel_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "学院\t人数\r\n文学院\t1563\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let t = read_table("a.txt", &bytes).unwrap();
        assert_eq!(t.rows[0].cells, vec!["文学院", "1563"]);
    }

    #[test]
    fn bad_bytes_name_the_first_bad_line() {
        let text = "学院,人数\r\n文学院,1563\r\n";
        let mut gbk = encoding_rs::GBK.encode(text).0.into_owned();
        gbk.extend_from_slice(b"\xFF\xFF,12\r\n");
        let err = read_table("x.csv", &gbk).unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
        assert!(err.0[0].message.contains("GBK"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        bom.extend_from_slice(b"\xFF\xFF,12\r\n");
        let err = read_table("x.csv", &bom).unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
        assert!(err.0[0].message.contains("UTF-8"));
    }

    #[test]
    fn blank_rows_are_skipped_and_lines_stay_true() {
        let text = "\n学院,人数\n文学院,1563\n,,\n\n  ,\u{3000}\n理学院,12\n,\n\n";
        let t = read_table("a.csv", text.as_bytes()).unwrap();
        assert_eq!(t.headers, vec!["学院", "人数"]);
        assert_eq!(lines(&t), vec![3, 7]);
    }

    #[test]
    fn line_numbers_with_crlf_cr_and_blank_lines() {
        for text in [
            "学院,人数\r\n\r\n文学院,1\r\n,,\r\n理学院,2",
            "学院,人数\r\r文学院,1\r,,\r理学院,2\r",
            "\n学院,人数\n\n文学院,1\n\n理学院,2\n",
        ] {
            let t = read_table("a.csv", text.as_bytes()).unwrap();
            let got: Vec<_> = t
                .rows
                .iter()
                .map(|r| (r.line, r.cell(0).to_string()))
                .collect();
            let first = if text.starts_with('\n') { 4 } else { 3 };
            let second = if text.starts_with('\n') { 6 } else { 5 };
            assert_eq!(
                got,
                vec![
                    (first, "文学院".to_string()),
                    (second, "理学院".to_string())
                ],
                "{text:?}"
            );
        }
    }

    #[test]
    fn quoted_line_breaks_count_as_one_excel_row() {
        let text = "姓名,社团\n张伟,\"青年志愿者协会\n大学生艺术团\"\n\n李娜,围棋协会\n";
        let t = read_table("a.csv", text.as_bytes()).unwrap();
        assert_eq!(lines(&t), vec![2, 4]);
        assert_eq!(t.rows[0].cells[1], "青年志愿者协会\n大学生艺术团");
    }

    #[test]
    fn delimiters_are_sniffed() {
        for text in [
            "学院\t人数\n文学院\t1,563\n",
            "学院;人数\n文学院;\"1,563\"\n",
            "学院，人数\n文学院，1563\n",
            "学院,人数\n文学院,\"1,563\"\n",
        ] {
            let t = read_table("a.csv", text.as_bytes()).unwrap();
            assert_eq!(t.headers, vec!["学院", "人数"], "{text}");
            assert_eq!(t.rows[0].cell(0), "文学院", "{text}");
            assert!(t.rows[0].cell(1) == "1,563" || t.rows[0].cell(1) == "1563");
        }
    }

    #[test]
    fn empty_and_fake_workbooks_are_errors() {
        let e = read_table("a.csv", b"\xEF\xBB\xBF\r\n,,\r\n").unwrap_err();
        assert_eq!(e.0[0].message, "文件为空, 没有找到表头行");
        let e = read_table("a.xlsx", "学院,人数\n".as_bytes()).unwrap_err();
        assert!(e.0[0].message.contains("不是Excel文件"));
    }
}
