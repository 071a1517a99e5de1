//! The enrolment file (学生人数): students per college and grade, for quotas (A1-A3) and B3.

use std::collections::HashMap;

use super::columns::{ColumnMap, Field, FileKind};
use super::error::{ImportError, ImportErrors};
use super::normalize::normalize_grade;
use super::table::Table;
use super::values::parse_u64;
use crate::domain::types::CollegeEnrolment;

/// Reads 学院, optional 年级, 人数.
///
/// Rows of one college are summed into one [`CollegeEnrolment`] (colleges and their grades in
/// file order); grades are normalised (`2023`, `23级` -> `2023级`); rows with 0 students are
/// left out of `grades` (a college whose rows are all 0 is kept, with no grades). A file
/// without a 年级 column gives each college one grade `""`, meaning "grades not given", which
/// rule B3 cannot check. Errors: a duplicate (college, grade), a college twice in a file
/// without grades, a college mixing rows with and without a grade, and any 人数 that is not a
/// non-negative integer (`1,234` is accepted).
pub fn parse_enrolment(table: &Table) -> Result<Vec<CollegeEnrolment>, ImportErrors> {
    let map = ColumnMap::new(table, FileKind::Enrolment)?;
    let file = table.file.as_str();
    let has_grade = map.has(Field::Grade);
    let mut errors = Vec::new();
    let mut colleges: Vec<CollegeEnrolment> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    // (college, grade) -> first line, to name both lines of a duplicate.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    // college -> line of a row without a grade / with a grade, to report mixing.
    let mut blank_grade: HashMap<String, usize> = HashMap::new();
    let mut with_grade: HashMap<String, usize> = HashMap::new();

    for row in &table.rows {
        let college = map.get(row, Field::College);
        let grade = normalize_grade(map.get(row, Field::Grade));
        let count = parse_u64(map.get(row, Field::Enrolment));
        if college.is_empty() {
            errors.push(ImportError::cell(
                file,
                row.line,
                "学院",
                "学院名称不能为空",
            ));
        }
        let count = match count {
            Ok(n) => Some(n),
            Err(msg) => {
                errors.push(ImportError::cell(file, row.line, "人数", msg));
                None
            }
        };
        if college.is_empty() {
            continue;
        }
        let key = (college.to_string(), grade.clone());
        if let Some(&first) = seen.get(&key) {
            let what = if has_grade && !grade.is_empty() {
                format!(
                    "“{college}” {grade}的人数出现了两次(第{first}行和第{}行)",
                    row.line
                )
            } else if has_grade {
                format!("“{college}” 有两行未填年级(第{first}行和第{}行)", row.line)
            } else {
                format!(
                    "“{college}”出现了两次(第{first}行和第{}行); 没有“年级”列时每个学院只能有一行",
                    row.line
                )
            };
            errors.push(ImportError::row(file, row.line, what));
            continue;
        }
        seen.insert(key, row.line);
        let (mine, other) = if grade.is_empty() {
            (&mut blank_grade, &with_grade)
        } else {
            (&mut with_grade, &blank_grade)
        };
        mine.entry(college.to_string()).or_insert(row.line);
        if let Some(&other_line) = other.get(college) {
            errors.push(ImportError::cell(
                file,
                row.line,
                "年级",
                format!(
                    "“{college}”既有分年级的行又有未填年级的行(第{other_line}行和第{}行); 请都填写年级",
                    row.line
                ),
            ));
            continue;
        }
        let Some(count) = count else { continue };
        let idx = *position.entry(college.to_string()).or_insert_with(|| {
            colleges.push(CollegeEnrolment {
                college: college.to_string(),
                grades: Vec::new(),
            });
            colleges.len() - 1
        });
        let entry = &mut colleges[idx];
        if entry.total().checked_add(count).is_none() {
            errors.push(ImportError::cell(
                file,
                row.line,
                "人数",
                format!("“{college}”的人数合计过大"),
            ));
            continue;
        }
        if count > 0 {
            entry.grades.push((grade, count));
        }
    }
    if errors.is_empty() && table.rows.is_empty() {
        errors.push(ImportError::file(file, "文件中没有数据行(只有表头)"));
    }
    if errors.is_empty() {
        Ok(colleges)
    } else {
        Err(ImportErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::read_table;

    fn parse(text: &str) -> Result<Vec<CollegeEnrolment>, ImportErrors> {
        parse_enrolment(&read_table("enrolment.csv", text.as_bytes()).unwrap())
    }

    #[test]
    fn grades_are_summed_per_college_in_file_order() {
        let text = "学院,年级,人数\n计算机学院,2023级,812\n外国语学院,2023,460\n计算机学院,24级,\"1,021\"\n外国语学院,2024级,0\n";
        let got = parse(text).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].college, "计算机学院");
        assert_eq!(
            got[0].grades,
            vec![("2023级".to_string(), 812), ("2024级".to_string(), 1021)]
        );
        assert_eq!(got[0].total(), 1833);
        assert_eq!(got[1].grades, vec![("2023级".to_string(), 460)]);
    }

    #[test]
    fn without_grades_each_college_is_one_row() {
        let got = parse("学院,人数\n文学院,1563\n理学院,\"1,402\"\n").unwrap();
        assert_eq!(got[1].grades, vec![(String::new(), 1402)]);
        let e = parse("学院,人数\n文学院,1563\n理学院,10\n文学院,2\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e.0[0].line, Some(4));
        assert!(e.0[0].message.contains("第2行和第4行"), "{}", e.0[0]);
    }

    #[test]
    fn duplicate_college_grade_names_both_lines() {
        let e = parse("学院,年级,人数\n文学院,2023级,400\n文学院,2024级,380\n文学院,2023,12\n")
            .unwrap_err();
        assert_eq!(
            e.0[0].to_string(),
            "enrolment.csv 第4行: “文学院” 2023级的人数出现了两次(第2行和第4行)"
        );
    }

    #[test]
    fn bad_counts_name_file_line_column_value() {
        let e = parse("学院,年级,人数\n文学院,2023级,12.5\n理学院,2023级,-3\n化学化工学院,2023级,abc\n数学学院,2023级,7\n")
            .unwrap_err();
        assert_eq!(e.len(), 3);
        let lines: Vec<_> = e.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4)]);
        assert!(e.iter().all(|x| x.column.as_deref() == Some("人数")));
        assert_eq!(
            e.0[0].to_string(),
            "enrolment.csv 第2行 “人数”列: “12.5” 不是整数, 应为非负整数, 如“1234”或“1,234”"
        );
        assert!(e.0[1].message.contains("“-3” 是负数"));
        assert!(e.0[2].message.contains("“abc” 不是有效的数字"));
    }

    #[test]
    fn mixing_graded_and_ungraded_rows_is_an_error() {
        let e = parse("学院,年级,人数\n文学院,2023级,400\n文学院,,12\n").unwrap_err();
        assert_eq!(e.0[0].line, Some(3));
        assert_eq!(e.0[0].column.as_deref(), Some("年级"));
    }

    #[test]
    fn header_only_is_an_error() {
        let e = parse("学院,年级,人数\n").unwrap_err();
        assert!(e.0[0].message.contains("没有数据行"));
    }
}
