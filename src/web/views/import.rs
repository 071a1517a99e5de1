//! How imported files look on the pages: a preview of stored rows, and a rejected file shown
//! as it was uploaded, each error on its row with the offending cell highlighted.

use std::collections::{BTreeMap, BTreeSet};

use maud::{html, Markup};

use crate::import::{column_letter, FileKind, ImportError, Row, Table};
use crate::service::roster::{Preview, Rejected};

/// A rejected file with at most this many rows is shown whole; a longer one only with the
/// rows that have errors (the list above names them all anyway).
pub const FULL_TABLE_ROWS: usize = 200;
/// Columns shown of a rejected file (a stray value far to the right is still listed).
const MAX_COLUMNS: usize = 40;

/// The first rows of what is stored.
pub fn preview_table(p: &Preview) -> Markup {
    html! {
        @if p.total == 0 {
            p.muted { "(没有数据)" }
        } @else {
            table.preview {
                thead { tr { th.num { "序号" } @for h in &p.headers { th { (h) } } } }
                tbody {
                    @for (i, row) in p.rows.iter().enumerate() {
                        tr { td.num { (i + 1) } @for c in row { td { (c) } } }
                    }
                }
            }
            @if p.total > p.rows.len() {
                p.muted { "仅显示前" (p.rows.len()) "行, 共" (p.total) "行。" }
            }
        }
    }
}

/// "C" -> 2 (the inverse of `column_letter`), for errors that name a column by its letter.
fn letter_index(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(
        s.bytes()
            .fold(0usize, |n, b| n * 26 + usize::from(b - b'A') + 1)
            - 1,
    )
}

/// The 0-based column an error names: a canonical column name or a column letter.
fn column_of(e: &ImportError, located: &[(&str, usize)]) -> Option<usize> {
    let name = e.column.as_deref()?;
    located
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, i)| i)
        .or_else(|| letter_index(name))
}

/// A row's error as shown beside it: the column, then the message.
fn row_message(e: &ImportError) -> String {
    match &e.column {
        Some(c) => format!("“{c}”列: {}", e.message),
        None => e.message.clone(),
    }
}

/// A rejected file: every error in a list, then the file as uploaded with each error on its
/// row and the offending cell highlighted. Nothing of it was stored.
pub fn rejected_view(r: &Rejected, kind: FileKind) -> Markup {
    html! {
        div.rejected role="alert" {
            p.error {
                "文件“" (r.file_name) "”有" (r.errors.len()) "处错误, 未导入任何内容"
                "(之前导入的内容保持不变)。请在Excel中改正后重新上传。"
            }
            ul.errors { @for e in &r.errors { li { (e.to_string()) } } }
            @if let Some(t) = &r.table {
                (errors_in_place(t, &r.errors, kind))
            }
        }
    }
}

fn errors_in_place(t: &Table, errors: &[ImportError], kind: FileKind) -> Markup {
    let located = kind.locate(t);
    let mut by_line: BTreeMap<usize, Vec<&ImportError>> = BTreeMap::new();
    for e in errors {
        if let Some(line) = e.line {
            by_line.entry(line).or_default().push(e);
        }
    }
    let width = t
        .rows
        .iter()
        .map(|r| r.cells.len())
        .chain([t.headers.len()])
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMNS);
    let whole = t.rows.len() <= FULL_TABLE_ROWS;
    let shown: Vec<&Row> = t
        .rows
        .iter()
        .filter(|r| whole || by_line.contains_key(&r.line))
        .collect();
    html! {
        h3 { "上传的文件内容(出错的行和单元格已标出)" }
        @if !whole {
            p.muted { "文件共" (t.rows.len()) "行数据, 下表只列出有错误的" (shown.len()) "行。" }
        }
        div.scroll {
            table.import-errors {
                thead {
                    tr {
                        th.num { "行号" }
                        @for i in 0..width {
                            th { span.muted { (column_letter(i)) } " " (t.headers.get(i).map(String::as_str).unwrap_or("")) }
                        }
                        th { "错误" }
                    }
                }
                tbody {
                    @for row in shown {
                        @let errs = by_line.get(&row.line).map(Vec::as_slice).unwrap_or(&[]);
                        @let bad: BTreeSet<usize> = errs.iter().filter_map(|e| column_of(e, &located)).collect();
                        tr class=[(!errs.is_empty()).then_some("error")] {
                            td.num { (row.line) }
                            @for i in 0..width {
                                @if bad.contains(&i) {
                                    td.cell-error title="此单元格有错误" { mark { (row.cell(i)) } }
                                } @else {
                                    td { (row.cell(i)) }
                                }
                            }
                            td.row-errors { @for e in errs { div { (row_message(e)) } } }
                        }
                    }
                }
            }
        }
    }
}

/// Warnings of an import that happened anyway.
pub fn warnings_list(warnings: &[ImportError]) -> Markup {
    html! {
        @if !warnings.is_empty() {
            div.warnings {
                p { strong { "提示(" (warnings.len()) "条, 不影响导入):" } }
                ul { @for w in warnings { li { (w.to_string()) } } }
            }
        }
    }
}

/// The multipart form of an upload (the CSRF token rides in the action URL).
pub fn upload_form(action: &str, csrf: &str, label: &str) -> Markup {
    html! {
        form.upload method="post" enctype="multipart/form-data" action={(action) "?csrf=" (csrf)} {
            input type="file" name="file" required accept=".csv,.txt,.xlsx,.xlsm,.xls,.ods";
            button type="submit" { (label) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::read_table;

    #[test]
    fn letters_map_back_to_indices() {
        for i in [0, 2, 25, 26, 27, 700] {
            assert_eq!(letter_index(&column_letter(i)), Some(i));
        }
        assert_eq!(letter_index("人数"), None);
        assert_eq!(letter_index(""), None);
    }

    #[test]
    fn the_bad_cell_is_highlighted_on_its_row_and_escaped() {
        let t = read_table(
            "人数.csv",
            "院系,年级,学生人数\n文学院,2023级,372\n<b>理学院</b>,2023级,约452\n".as_bytes(),
        )
        .unwrap();
        let r = Rejected {
            file_name: "人数.csv".into(),
            errors: vec![ImportError::cell("人数.csv", 3, "人数", "“约452”不是整数")],
            table: Some(t),
        };
        let html = rejected_view(&r, FileKind::Enrolment).into_string();
        assert!(
            html.contains(
                "<td class=\"cell-error\" title=\"此单元格有错误\"><mark>约452</mark></td>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<tr class=\"error\"><td class=\"num\">3</td>"),
            "{html}"
        );
        assert!(html.contains("“人数”列: “约452”不是整数"));
        assert!(html.contains("&lt;b&gt;理学院&lt;/b&gt;"));
        assert!(!html.contains("<b>理学院"));
        assert_eq!(html.matches("cell-error").count(), 1);
    }
}
