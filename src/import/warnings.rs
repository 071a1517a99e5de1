//! Notices that do not stop an import: what was ignored, so the organiser can check it was
//! meant to be.

use super::columns::{column_letter, ColumnMap, Field, FileKind};
use super::error::ImportError;
use super::table::Table;
use super::values::parse_yes_no;

/// Notices that do not stop an import: columns that were ignored, values to the right of the
/// last header, and a societies file where no society is marked main. Same shape as errors.
pub fn warnings(kind: FileKind, table: &Table) -> Vec<ImportError> {
    let Ok(map) = ColumnMap::new(table, kind) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, h) in table.headers.iter().enumerate() {
        if !h.is_empty() && !map.used(i) {
            out.push(ImportError::file(
                &table.file,
                format!("已忽略无法识别的第{}列“{h}”", column_letter(i)),
            ));
        }
    }
    for row in &table.rows {
        let stray = (0..row.cells.len()).find(|&i| {
            !row.cells[i].is_empty() && table.headers.get(i).is_none_or(String::is_empty)
        });
        if let Some(i) = stray {
            out.push(ImportError::cell(
                &table.file,
                row.line,
                &column_letter(i),
                format!("这一列没有表头, 其中的“{}”已忽略", row.cells[i]),
            ));
        }
    }
    if kind == FileKind::Societies
        && map.has(Field::MainSociety)
        && !table.rows.is_empty()
        && table
            .rows
            .iter()
            .all(|r| !matches!(parse_yes_no(map.get(r, Field::MainSociety)), Ok(Some(true))))
    {
        out.push(ImportError::file(
            &table.file,
            "没有任何社团标为主要社团(“是否主要社团”列为空白或“否”), 规则B4将不检查社团代表",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::read_table;

    #[test]
    fn stray_values_and_unmarked_societies_warn() {
        let t = read_table(
            "s.csv",
            "社团名称,是否主要社团\n围棋协会,,多余\n".as_bytes(),
        )
        .unwrap();
        let w = warnings(FileKind::Societies, &t);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].line, Some(2));
        assert_eq!(w[0].column.as_deref(), Some("C"));
        assert!(w[1].message.contains("没有任何社团标为主要社团"));
    }
}
