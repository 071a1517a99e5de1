//! Import errors: what was wrong, in which file, row and column, in Chinese.

use std::fmt;

/// One problem found in an organiser's file.
///
/// Displayed as `nominees.csv 第12行 “性别”列: “man” 不是有效的性别, 应为“男”或“女”`: the file,
/// the row as Excel shows it (header = row 1), the column by its canonical Chinese name, then
/// what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportError {
    /// File name as uploaded (`nominees.csv`).
    pub file: String,
    /// 1-based row as Excel shows it (header = 1); `None` for whole-file problems.
    pub line: Option<usize>,
    /// Canonical Chinese column name (`性别`); `None` for row or file problems.
    pub column: Option<String>,
    /// What was found and what was expected, in Chinese.
    pub message: String,
}

impl ImportError {
    /// A problem with the file as a whole (encoding, format, missing column).
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A problem with one row (e.g. a duplicate student number).
    pub fn row(file: &str, line: usize, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            line: Some(line),
            column: None,
            message: message.into(),
        }
    }

    /// A problem with one cell.
    pub fn cell(file: &str, line: usize, column: &str, message: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            line: Some(line),
            column: Some(column.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, " 第{line}行")?;
        }
        if let Some(column) = &self.column {
            write!(f, " “{column}”列")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a file: an import either succeeds whole or returns all of these
/// (never a partial result), so the organiser can fix the file in one pass.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct ImportErrors(pub Vec<ImportError>);

/// How many errors `Display` lists before summarising the rest (the `Vec` keeps them all).
const DISPLAY_LIMIT: usize = 50;

impl ImportErrors {
    /// A single whole-file error.
    pub fn one(error: ImportError) -> Self {
        ImportErrors(vec![error])
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, ImportError> {
        self.0.iter()
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        if n > 1 {
            writeln!(f, "共发现{n}处错误, 文件未导入:")?;
        }
        for (i, e) in self.0.iter().take(DISPLAY_LIMIT).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        if n > DISPLAY_LIMIT {
            write!(f, "\n……另有{}处错误未列出", n - DISPLAY_LIMIT)?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

impl std::error::Error for ImportErrors {}

impl IntoIterator for ImportErrors {
    type Item = ImportError;
    type IntoIter = std::vec::IntoIter<ImportError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<ImportError> for ImportErrors {
    fn from(e: ImportError) -> Self {
        ImportErrors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column() {
        let e = ImportError::cell(
            "nominees.csv",
            12,
            "性别",
            "“man” 不是有效的性别, 应为“男”或“女”",
        );
        assert_eq!(
            e.to_string(),
            "nominees.csv 第12行 “性别”列: “man” 不是有效的性别, 应为“男”或“女”"
        );
        let e = ImportError::file("enrolment.csv", "文件为空");
        assert_eq!(e.to_string(), "enrolment.csv: 文件为空");
        let e = ImportError::row("roster.csv", 3, "学号重复");
        assert_eq!(e.to_string(), "roster.csv 第3行: 学号重复");
    }

    #[test]
    fn many_errors_are_summarised() {
        let errs = ImportErrors(
            (2..=61)
                .map(|l| ImportError::cell("a.csv", l, "人数", "“x” 不是整数"))
                .collect(),
        );
        let text = errs.to_string();
        assert!(text.starts_with("共发现60处错误, 文件未导入:\n"));
        assert!(text.contains("a.csv 第51行"));
        assert!(!text.contains("a.csv 第52行"));
        assert!(text.ends_with("……另有10处错误未列出"));
    }
}
