//! The societies file (学生社团): which societies exist and which are main (rule B4).

use std::collections::HashMap;

use super::columns::{ColumnMap, Field, FileKind};
use super::error::{ImportError, ImportErrors};
use super::table::Table;
use super::values::parse_yes_no;
use crate::domain::types::Society;

/// Reads 社团名称 and an optional 是否主要社团.
///
/// 是否主要社团 accepts 是/否, Y/N, yes/no, true/false, 1/0, √/×. Without that column every
/// listed society is main (the file is then the list of main societies). With it, a blank
/// cell means 否: organisers list all societies and tick the main ones, as one does in Excel.
/// [`warnings`](super::warnings) says so when no society at all is marked main. A society
/// listed twice is an error naming both rows.
pub fn parse_societies(table: &Table) -> Result<Vec<Society>, ImportErrors> {
    let map = ColumnMap::new(table, FileKind::Societies)?;
    let file = table.file.as_str();
    let all_main = !map.has(Field::MainSociety);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for row in &table.rows {
        let name = map.get(row, Field::SocietyName);
        let main = parse_yes_no(map.get(row, Field::MainSociety))
            .map(|v| v.unwrap_or(all_main))
            .map_err(|msg| {
                errors.push(ImportError::cell(
                    file,
                    row.line,
                    Field::MainSociety.zh(),
                    msg,
                ));
            });
        let name_ok = if name.is_empty() {
            errors.push(ImportError::cell(
                file,
                row.line,
                Field::SocietyName.zh(),
                "社团名称不能为空",
            ));
            false
        } else if let Some(&first) = first_line.get(name) {
            errors.push(ImportError::cell(
                file,
                row.line,
                Field::SocietyName.zh(),
                format!("社团“{name}”重复: 第{first}行和第{}行", row.line),
            ));
            false
        } else {
            first_line.insert(name, row.line);
            true
        };
        if let (true, Ok(main)) = (name_ok, main) {
            out.push(Society {
                name: name.to_string(),
                main,
            });
        }
    }
    if errors.is_empty() && table.rows.is_empty() {
        errors.push(ImportError::file(file, "文件中没有数据行(只有表头)"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::read_table;

    fn parse(text: &str) -> Result<Vec<Society>, ImportErrors> {
        parse_societies(&read_table("societies.csv", text.as_bytes()).unwrap())
    }

    fn mains(v: &[Society]) -> Vec<bool> {
        v.iter().map(|s| s.main).collect()
    }

    #[test]
    fn yes_no_in_every_spelling() {
        let got = parse(
            "社团名称,是否主要社团\n青年志愿者协会,是\n大学生艺术团,Y\n围棋协会,否\n\
             摄影协会,×\n大学生记者团,√\n街舞社,\n大学生科学技术协会,TRUE\n",
        )
        .unwrap();
        assert_eq!(got[0].name, "青年志愿者协会");
        assert_eq!(
            mains(&got),
            vec![true, true, false, false, true, false, true]
        );
    }

    #[test]
    fn without_the_column_every_society_is_main() {
        let got = parse("社团名称\n青年志愿者协会\n大学生艺术团\n").unwrap();
        assert_eq!(mains(&got), vec![true, true]);
    }

    #[test]
    fn duplicates_and_bad_flags_are_errors() {
        let e = parse("社团名称,主要社团\n围棋协会,是\n围棋协会,否\n摄影协会,也许\n").unwrap_err();
        let got: Vec<String> = e.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            got,
            vec![
                "societies.csv 第3行 “社团名称”列: 社团“围棋协会”重复: 第2行和第3行",
                "societies.csv 第4行 “是否主要社团”列: “也许” 无法识别, 应为“是”或“否”",
            ]
        );
    }
}
