//! The presidium candidates file (主席团候选人): who stands and the facts rule C3 checks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::columns::{ColumnMap, Field, FileKind};
use super::error::{ImportError, ImportErrors};
use super::table::Table;
use super::values::{parse_gender, parse_political_status, parse_rank_pct, parse_u64};
use crate::domain::types::Gender;

/// One presidium candidate as the organiser's file gives them, before the eligibility check
/// (rule C3) that `domain::candidates` performs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateInput {
    /// 姓名
    pub name: String,
    /// 学号: must be a delegate's.
    pub student_no: String,
    /// 学院
    pub college: String,
    /// 性别, when given.
    pub gender: Option<Gender>,
    /// 政治面貌, short forms written out (团员 -> 共青团员); `""` when blank, which C3 refuses.
    pub political_status: String,
    /// 专业排名百分比, rounded up to a whole percent; `None` when blank (C3 cannot confirm it).
    pub rank_pct: Option<u32>,
    /// 不及格门数; blank = 0.
    pub failed_courses: u32,
}

/// Reads 姓名, 学号, 学院, optional 性别, 政治面貌, optional 专业排名百分比 (`15`, `15%`,
/// `前15%`, `3/120`) and optional 不及格门数 (blank = 0). A duplicate 学号 is an error naming
/// both rows.
pub fn parse_candidates(table: &Table) -> Result<Vec<CandidateInput>, ImportErrors> {
    let map = ColumnMap::new(table, FileKind::Candidates)?;
    let file = table.file.as_str();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for row in &table.rows {
        let before = errors.len();
        let mut err = |field: Field, msg: String| {
            errors.push(ImportError::cell(file, row.line, field.zh(), msg));
        };
        for field in [Field::Name, Field::StudentNo, Field::College] {
            if map.get(row, field).is_empty() {
                err(field, format!("{}不能为空", field.zh()));
            }
        }
        let no = map.get(row, Field::StudentNo);
        if let Some(&first) = first_line.get(no) {
            err(
                Field::StudentNo,
                format!("学号“{no}”重复: 第{first}行和第{}行是同一个学号", row.line),
            );
        } else if !no.is_empty() {
            first_line.insert(no, row.line);
        }
        let gender = match map.get(row, Field::Gender) {
            "" => None,
            g => parse_gender(g).map_err(|m| err(Field::Gender, m)).ok(),
        };
        let rank_pct = match map.get(row, Field::RankPct) {
            "" => None,
            r => parse_rank_pct(r).map_err(|m| err(Field::RankPct, m)).ok(),
        };
        let failed_courses = match map.get(row, Field::FailedCourses) {
            "" => Some(0),
            f => parse_u64(f)
                .and_then(|n| u32::try_from(n).map_err(|_| format!("“{f}” 太大")))
                .map_err(|m| err(Field::FailedCourses, m))
                .ok(),
        };
        if errors.len() > before {
            continue;
        }
        out.push(CandidateInput {
            name: map.get(row, Field::Name).to_string(),
            student_no: no.to_string(),
            college: map.get(row, Field::College).to_string(),
            gender,
            political_status: parse_political_status(map.get(row, Field::PoliticalStatus))
                .unwrap_or_default(),
            rank_pct,
            failed_courses: failed_courses.unwrap_or(0),
        });
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

    fn parse(text: &str) -> Result<Vec<CandidateInput>, ImportErrors> {
        parse_candidates(&read_table("candidates.csv", text.as_bytes()).unwrap())
    }

    #[test]
    fn a_candidate_in_full_and_defaults() {
        let got = parse(
            "姓名,学号,学院,性别,政治面貌,专业排名百分比,不及格门数\n\
             陈思远,2022010003,计算机学院,男,中共党员,前8%,0\n\
             林雨萱,2023030012,外国语学院,,团员,,\n",
        )
        .unwrap();
        assert_eq!(
            got[0],
            CandidateInput {
                name: "陈思远".into(),
                student_no: "2022010003".into(),
                college: "计算机学院".into(),
                gender: Some(Gender::Male),
                political_status: "中共党员".into(),
                rank_pct: Some(8),
                failed_courses: 0,
            }
        );
        assert_eq!(got[1].gender, None);
        assert_eq!(got[1].political_status, "共青团员");
        assert_eq!(got[1].rank_pct, None);
        assert_eq!(got[1].failed_courses, 0);
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse(
            "姓名,学号,学院,政治面貌,专业排名,不及格门数\n\
             陈思远,2022010003,计算机学院,中共党员,优秀,一门\n\
             林雨萱,2022010003,外国语学院,团员,12%,1\n",
        )
        .unwrap_err();
        let got: Vec<String> = e.iter().map(|x| x.to_string()).collect();
        assert_eq!(got.len(), 3);
        assert!(got[0].starts_with("candidates.csv 第2行 “专业排名百分比”列: “优秀”"));
        assert!(got[1].starts_with("candidates.csv 第2行 “不及格门数”列: “一门”"));
        assert_eq!(
            got[2],
            "candidates.csv 第3行 “学号”列: 学号“2022010003”重复: 第2行和第3行是同一个学号"
        );
    }
}
