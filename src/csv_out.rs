//! Every CSV the system writes goes through here (roster, quota, audit log, attendance,
//! results, the rolls of the filing packet): UTF-8 with a BOM (so Excel on Windows shows the
//! Chinese), CRLF line ends, and no cell a spreadsheet would run as a formula.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
//! leading apostrophe (`'=1+1`), which spreadsheets show as text (OWASP "CSV injection"). The
//! importers drop that apostrophe again (`import::normalize_cell`), so a roster written out
//! and read back is unchanged.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written: prefixed with `'` when it would start a formula.
pub fn cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV being written in memory.
pub struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl Default for CsvOut {
    fn default() -> Self {
        CsvOut::new()
    }
}

impl CsvOut {
    /// An empty file: the BOM, nothing else yet.
    pub fn new() -> CsvOut {
        CsvOut {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .flexible(true)
                .from_writer(b"\xEF\xBB\xBF".to_vec()),
        }
    }

    /// Writes one row, every cell through [`cell`].
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guarded: Vec<String> = cells
            .into_iter()
            .map(|c| cell(c.as_ref()).into_owned())
            .collect();
        self.w.write_record(&guarded)
    }

    /// The bytes of the file.
    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.w
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_guarded() {
        for s in ["=1+1", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let c = cell(s);
            assert_eq!(c, format!("'{s}"));
        }
        for s in ["王芳", "1+1", "", "'plain", "a=b"] {
            assert_eq!(cell(s), s);
        }
        // The importers read a guarded cell back as it was: `import::normalize` tests it
        // (csv_out imports nothing of the crate).
    }

    #[test]
    fn rows_have_bom_crlf_and_guarded_cells() {
        let mut out = CsvOut::new();
        out.row(["姓名", "学院"]).unwrap();
        out.row(["=HYPERLINK(\"http://x\")", "法学院"]).unwrap();
        let bytes = out.finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}姓名,学院\r\n\"'=HYPERLINK(\"\"http://x\"\")\",法学院\r\n"
        );
    }
}
