//! Cell normalisation every importer applies: full-width characters, odd spaces, grades.

/// Characters that are not `char::is_whitespace` but that Excel and web copies leave in cells.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Full-width ASCII (U+FF01..U+FF5E, "ＡＢＣ１２３，％") to half-width; other characters unchanged.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Normalises one cell as every importer sees it.
///
/// - the apostrophe the CSV exports put before `=`, `+`, `-`, `@` (`csv_out`) is dropped;
/// - full-width ASCII becomes half-width (`２０２３` -> `2023`, `１，２３４` -> `1,234`);
/// - control characters other than whitespace (NUL, BEL, ...) are dropped;
/// - leading/trailing whitespace goes, including the ideographic space U+3000 and NBSP, and
///   zero-width characters vanish;
/// - inside the cell a run of whitespace next to a Chinese (non-ASCII) character is dropped
///   (`王　芳` -> `王芳`, the habit of padding two-character names), between ASCII
///   characters it becomes one space (`John  Smith` -> `John Smith`), and a run holding a line
///   break (Alt+Enter in Excel) becomes one `\n`, which list cells treat as a separator.
///
/// The web forms use the same function, so a name typed there matches the imported one.
pub fn normalize_cell(raw: &str) -> String {
    // Fast path: plain ASCII without spaces to fix (most numbers and student numbers).
    if raw.bytes().all(|b| b.is_ascii_graphic()) {
        return unguard(raw).to_string();
    }
    let mut out = String::with_capacity(raw.len());
    // Pending whitespace run: Some(had_newline).
    let mut pending: Option<bool> = None;
    for c in raw.chars() {
        // Control characters (NUL from a UTF-16 file read as bytes, Excel's _x0001_ escapes)
        // mean nothing in a name or number, and PostgreSQL cannot store a NUL in text.
        if is_invisible(c) || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        let c = half_width(c);
        if c.is_whitespace() {
            let nl = c == '\n' || c == '\r';
            pending = Some(pending.unwrap_or(false) || nl);
            continue;
        }
        if let Some(had_newline) = pending.take() {
            if let Some(prev) = out.chars().next_back() {
                if had_newline {
                    out.push('\n');
                } else if prev.is_ascii() && c.is_ascii() {
                    out.push(' ');
                }
            }
        }
        out.push(c);
    }
    match unguard(&out) {
        kept if kept.len() == out.len() => out,
        kept => kept.to_string(),
    }
}

/// A cell our own CSV exports guarded against formulas (`'=...`, `csv_out`) reads as it was
/// stored: the apostrophes before `=`, `+`, `-` or `@` are dropped (all of them, so that
/// normalising twice changes nothing).
fn unguard(s: &str) -> &str {
    let rest = s.trim_start_matches('\'');
    if rest.len() < s.len() && rest.starts_with(['=', '+', '-', '@']) {
        rest
    } else {
        s
    }
}

/// Normalises a header for matching against column names and aliases: cell normalisation,
/// then lowercase, without spaces, `_`, `-`, `.`, `:`, `*` (a "required" mark) and without a
/// parenthesised note (`人数(人)`, `性别（男/女）`, `专业排名[%]`).
pub fn normalize_header(raw: &str) -> String {
    let cell = normalize_cell(raw);
    let mut out = String::with_capacity(cell.len());
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || matches!(c, '_' | '-' | '.' | ':' | '*') => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A grade in canonical form. `2023级`, `2023`, `2023 级`, `2023年级`, `2023年` and `23级`
/// all become `2023级` (two digits are read as 20xx); anything else (`大一`, `研一`, `2023届`,
/// `2023级硕士`) is kept as written, since the rules only need grades to compare equal.
pub fn normalize_grade(s: &str) -> String {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = t
        .strip_suffix("年级")
        .or_else(|| t.strip_suffix('级'))
        .or_else(|| t.strip_suffix('年'))
        .unwrap_or(&t);
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        match digits.len() {
            4 => return format!("{digits}级"),
            2 => return format!("20{digits}级"),
            _ => {}
        }
    }
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_trimmed_and_half_width() {
        assert_eq!(normalize_cell("\u{3000}计算机学院\u{00A0} "), "计算机学院");
        assert_eq!(normalize_cell("ＡＢＣ１２３"), "ABC123");
        assert_eq!(normalize_cell("王　芳"), "王芳");
        assert_eq!(normalize_cell("John   Smith"), "John Smith");
        assert_eq!(normalize_cell("2023 级"), "2023级");
        assert_eq!(
            normalize_cell("青年志愿者协会\r\n大学生艺术团"),
            "青年志愿者协会\n大学生艺术团"
        );
        assert_eq!(normalize_cell("\u{FEFF}姓名"), "姓名");
        assert_eq!(normalize_cell(" \u{3000} "), "");
        assert_eq!(normalize_cell("王\0芳\u{7}"), "王芳");
        assert_eq!(normalize_cell("\u{1}2023\u{7f}"), "2023");
    }

    #[test]
    fn a_cell_guarded_against_formulas_reads_back_as_it_was() {
        // Tab and CR are trimmed here anyway.
        for s in ["=1+1", "+86 138", "-2", "@SUM(A1)"] {
            assert_eq!(normalize_cell(&crate::csv_out::cell(s)), s);
        }
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(normalize_header("Student ID"), "studentid");
        assert_eq!(normalize_header("student_no"), "studentno");
        assert_eq!(normalize_header("人数（人）"), "人数");
        assert_eq!(normalize_header("*姓名"), "姓名");
        assert_eq!(normalize_header("专业排名百分比[%]"), "专业排名百分比");
    }

    #[test]
    fn grades_have_one_form() {
        for g in ["2023级", "2023", "2023年级", "2023年", "23级", "23"] {
            assert_eq!(normalize_grade(g), "2023级", "{g}");
        }
        assert_eq!(normalize_grade("大一"), "大一");
        assert_eq!(normalize_grade("2023届"), "2023届");
        assert_eq!(normalize_grade("2023级硕士"), "2023级硕士");
    }
}
