//! The nominee file (推荐人选, with votes) and the roster file (代表名单, with 代表类别): one
//! student per row, both read through the same student columns.

use std::collections::HashMap;

use super::columns::{ColumnMap, Field, FileKind};
use super::error::{ImportError, ImportErrors};
use super::normalize::normalize_grade;
use super::table::{Row, Table};
use super::values::{
    is_scientific, parse_gender, parse_kind, parse_political_status, parse_u64, parse_union_role,
    split_list,
};
use crate::domain::types::{Nominee, RosterEntry, Student};

/// Reads 姓名, 学号, 学院, 年级, 性别, 学生会职务 (blank or 无 = ordinary student), optional
/// 政治面貌 and 社团 (`;`, `；`, `、` or `,` between societies), and 得票.
///
/// `Nominee::row` is the Excel row of the nominee (header = 1), which keeps ties in file
/// order. A duplicate 学号 is an error naming both rows; every problem of every row is
/// reported and nothing is returned unless the whole file is correct.
pub fn parse_nominees(table: &Table) -> Result<Vec<Nominee>, ImportErrors> {
    let map = ColumnMap::new(table, FileKind::Nominees)?;
    parse_rows(
        table,
        &map,
        true,
        |row| {
            cell(
                table,
                row,
                Field::Votes,
                parse_u64(map.get(row, Field::Votes)),
            )
        },
        |student, votes, row| Nominee {
            student,
            votes,
            row: row.line,
        },
    )
}

/// Reads the same student columns as [`parse_nominees`] without 得票, plus an optional
/// 代表类别 (选举产生 / 当然代表 / 社团代表; blank = 选举产生). This is the format
/// [`write_roster_csv`](super::write_roster_csv) writes, so a generated roster reads back.
///
/// A duplicate 学号 is *not* an import error here: a roster is read to be judged, and one row
/// per student is rule B6, which `domain::roster::validate` reports with every other violation
/// (both rows and the college), so a hand-edited roster gets the full report.
pub fn parse_roster(table: &Table) -> Result<Vec<RosterEntry>, ImportErrors> {
    let map = ColumnMap::new(table, FileKind::Roster)?;
    parse_rows(
        table,
        &map,
        false,
        |row| {
            cell(
                table,
                row,
                Field::Kind,
                parse_kind(map.get(row, Field::Kind)),
            )
        },
        |student, kind, row| RosterEntry {
            student,
            kind,
            row: Some(row.line),
        },
    )
}

/// A cell parser's message as an error at this row and column.
fn cell<V>(table: &Table, row: &Row, field: Field, r: Result<V, String>) -> Result<V, ImportError> {
    r.map_err(|msg| ImportError::cell(&table.file, row.line, field.zh(), msg))
}

/// Parses the student columns and the file's own column (`extra`) of every row, collects
/// every error, checks 学号 are unique when `unique_numbers`, and builds the entries only if
/// nothing was wrong.
fn parse_rows<X, T>(
    table: &Table,
    map: &ColumnMap,
    unique_numbers: bool,
    extra: impl Fn(&Row) -> Result<X, ImportError>,
    build: impl Fn(Student, X, &Row) -> T,
) -> Result<Vec<T>, ImportErrors> {
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(table.rows.len());
    let mut first_line: HashMap<&str, usize> = HashMap::with_capacity(table.rows.len());
    for row in &table.rows {
        let student = parse_student(table, map, row, &mut errors);
        let extra = extra(row).map_err(|e| errors.push(e)).ok();
        let no = map.get(row, Field::StudentNo);
        if unique_numbers && !no.is_empty() {
            if let Some(&first) = first_line.get(no) {
                errors.push(ImportError::cell(
                    &table.file,
                    row.line,
                    Field::StudentNo.zh(),
                    format!("学号“{no}”重复: 第{first}行和第{}行是同一个学号", row.line),
                ));
            } else {
                first_line.insert(no, row.line);
            }
        }
        if let (Some(student), Some(extra)) = (student, extra) {
            out.push(build(student, extra, row));
        }
    }
    if errors.is_empty() && table.rows.is_empty() {
        errors.push(ImportError::file(&table.file, "文件中没有数据行(只有表头)"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ImportErrors(errors))
    }
}

/// The student columns of one row; `None` (with the errors pushed) if any is wrong.
fn parse_student(
    table: &Table,
    map: &ColumnMap,
    row: &Row,
    errors: &mut Vec<ImportError>,
) -> Option<Student> {
    let before = errors.len();
    let mut required = |field: Field| -> String {
        let v = map.get(row, field);
        if v.is_empty() {
            errors.push(ImportError::cell(
                &table.file,
                row.line,
                field.zh(),
                format!("{}不能为空", field.zh()),
            ));
        }
        v.to_string()
    };
    let name = required(Field::Name);
    let student_no = required(Field::StudentNo);
    let college = required(Field::College);
    let grade = normalize_grade(&required(Field::Grade));
    if is_scientific(&student_no) {
        errors.push(ImportError::cell(
            &table.file,
            row.line,
            Field::StudentNo.zh(),
            format!(
                "“{student_no}” 是Excel的科学计数法, 学号的数字已丢失; \
                 请把学号列设为“文本”格式、重新填写后再导出, 或直接上传.xlsx文件"
            ),
        ));
    }
    let gender = parse_gender(map.get(row, Field::Gender))
        .map_err(|msg| {
            errors.push(ImportError::cell(
                &table.file,
                row.line,
                Field::Gender.zh(),
                msg,
            ));
        })
        .ok();
    let student = Student {
        name,
        student_no,
        college,
        grade,
        gender: gender?,
        union_role: parse_union_role(map.get(row, Field::UnionRole)),
        political_status: parse_political_status(map.get(row, Field::PoliticalStatus)),
        societies: split_list(map.get(row, Field::Societies)),
    };
    (errors.len() == before).then_some(student)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::types::{DelegateKind, Gender};
    use crate::import::table::read_table;

    const HEAD: &str = "姓名,学号,学院,年级,性别,学生会职务,政治面貌,社团,得票\n";

    fn nominees(body: &str) -> Result<Vec<Nominee>, ImportErrors> {
        let text = format!("{HEAD}{body}");
        parse_nominees(&read_table("nominees.csv", text.as_bytes()).unwrap())
    }

    #[test]
    fn a_nominee_row_in_full() {
        let got = nominees(
            "王　芳,2023010123,计算机学院,23级,女,院学生会学习部副部长,团员,青年志愿者协会；大学生艺术团,87\n\
             李浩然,2024010007,计算机学院,2024级,男,无,中共预备党员,,\"1,002\"\n",
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        let s = &got[0].student;
        assert_eq!(s.name, "王芳");
        assert_eq!(s.grade, "2023级");
        assert_eq!(s.gender, Gender::Female);
        assert_eq!(s.union_role.as_deref(), Some("院学生会学习部副部长"));
        assert_eq!(s.political_status.as_deref(), Some("共青团员"));
        assert_eq!(s.societies, vec!["青年志愿者协会", "大学生艺术团"]);
        assert_eq!((got[0].votes, got[0].row), (87, 2));
        assert_eq!(got[1].student.union_role, None);
        assert!(got[1].student.societies.is_empty());
        assert_eq!((got[1].votes, got[1].row), (1002, 3));
    }

    #[test]
    fn every_bad_cell_is_reported_with_file_line_column() {
        let e = nominees(
            "张伟,2023010101,计算机学院,2023级,man,,团员,,12\n\
             ,2023010102,计算机学院,2023级,男,,团员,,x\n\
             刘洋,2023010101,计算机学院,2023级,女,,团员,,3\n\
             赵磊,2.02301E+11,计算机学院,2023级,男,,团员,,3\n",
        )
        .unwrap_err();
        let got: Vec<String> = e.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            got,
            vec![
                "nominees.csv 第2行 “性别”列: “man” 不是有效的性别, 应为“男”或“女”",
                "nominees.csv 第3行 “姓名”列: 姓名不能为空",
                "nominees.csv 第3行 “得票”列: “x” 不是有效的数字, 应为非负整数, 如“1234”或“1,234”",
                "nominees.csv 第4行 “学号”列: 学号“2023010101”重复: 第2行和第4行是同一个学号",
                "nominees.csv 第5行 “学号”列: “2.02301E+11” 是Excel的科学计数法, 学号的数字已丢失; \
                 请把学号列设为“文本”格式、重新填写后再导出, 或直接上传.xlsx文件",
            ]
        );
    }

    #[test]
    fn roster_kinds_and_missing_kind_column() {
        let text = "姓名,学号,学院,年级,性别,学生会职务,代表类别\n\
                    周敏,2022030011,外国语学院,2022级,F,校学生会主席团成员,当然代表\n\
                    吴磊,2023030045,外国语学院,2023级,M,,\n";
        let got = parse_roster(&read_table("roster.csv", text.as_bytes()).unwrap()).unwrap();
        assert_eq!(got[0].kind, DelegateKind::ExOfficio);
        assert_eq!(got[1].kind, DelegateKind::Elected);
        assert_eq!(got[1].row, Some(3));
        let text = "姓名,学号,学院,年级,性别\n周敏,2022030011,外国语学院,2022级,女\n";
        let e = parse_roster(&read_table("roster.csv", text.as_bytes()).unwrap()).unwrap_err();
        assert!(e.0[0].message.starts_with("缺少必需的列“学生会职务”"));
    }

    #[test]
    fn a_roster_keeps_a_duplicate_for_the_rules_a_nominee_file_refuses_it() {
        let body =
            "周敏,2022030011,外国语学院,2022级,女,,\n周敏,2022030011,外国语学院,2022级,女,,\n";
        let roster = format!("姓名,学号,学院,年级,性别,学生会职务,代表类别\n{body}");
        let got = parse_roster(&read_table("roster.csv", roster.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            got.iter().map(|e| e.row).collect::<Vec<_>>(),
            [Some(2), Some(3)]
        );
        let e = nominees(&body.replace(",,\n", ",,,,3\n")).unwrap_err();
        assert!(e.0[0].message.contains("重复: 第2行和第3行"), "{e:?}");
    }
}
