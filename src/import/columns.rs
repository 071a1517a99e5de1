//! Which columns each kind of file has, their Chinese names and English aliases, and mapping a
//! table's headers onto them.

use std::collections::HashMap;

use super::error::{ImportError, ImportErrors};
use super::normalize::normalize_header;
use super::table::{Row, Table};

/// A column the importers understand. The canonical name is Chinese; aliases are matched
/// after header normalisation (case, spaces, `_`, `-` and parenthesised notes ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 学院
    College,
    /// 年级
    Grade,
    /// 人数
    Enrolment,
    /// 姓名
    Name,
    /// 学号
    StudentNo,
    /// 性别
    Gender,
    /// 学生会职务
    UnionRole,
    /// 政治面貌
    PoliticalStatus,
    /// 社团 (a list)
    Societies,
    /// 得票
    Votes,
    /// 代表类别
    Kind,
    /// 社团名称
    SocietyName,
    /// 是否主要社团
    MainSociety,
    /// 专业排名百分比
    RankPct,
    /// 不及格门数
    FailedCourses,
}

impl Field {
    /// The canonical Chinese header, used in templates and error messages.
    pub fn zh(self) -> &'static str {
        self.names()[0]
    }

    /// The canonical name first, then the accepted aliases (in normalised form).
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::College => &[
                "学院",
                "院系",
                "系",
                "院",
                "所在学院",
                "学院名称",
                "college",
                "department",
                "school",
                "faculty",
            ],
            Field::Grade => &["年级", "入学年级", "grade", "year", "cohort"],
            Field::Enrolment => &[
                "人数",
                "学生人数",
                "在校生人数",
                "在籍学生数",
                "学生数",
                "enrolment",
                "enrollment",
                "students",
                "count",
            ],
            Field::Name => &["姓名", "名字", "学生姓名", "name"],
            Field::StudentNo => &[
                "学号",
                "学生学号",
                "studentno",
                "studentid",
                "studentnumber",
                "id",
            ],
            Field::Gender => &["性别", "gender", "sex"],
            Field::UnionRole => &[
                "学生会职务",
                "职务",
                "学生会任职",
                "担任职务",
                "unionrole",
                "role",
                "position",
            ],
            Field::PoliticalStatus => &["政治面貌", "politicalstatus", "political"],
            Field::Societies => &[
                "社团",
                "所在社团",
                "参加社团",
                "所属社团",
                "societies",
                "society",
                "clubs",
            ],
            Field::Votes => &["得票", "票数", "得票数", "推荐票数", "votes", "vote"],
            Field::Kind => &["代表类别", "类别", "代表类型", "kind", "type", "category"],
            Field::SocietyName => &[
                "社团名称",
                "社团",
                "社团名",
                "名称",
                "name",
                "society",
                "societyname",
            ],
            Field::MainSociety => &[
                "是否主要社团",
                "主要社团",
                "是否主要",
                "main",
                "ismain",
                "major",
            ],
            Field::RankPct => &[
                "专业排名百分比",
                "专业排名",
                "排名百分比",
                "学业排名",
                "rankpct",
                "rank",
                "ranking",
            ],
            Field::FailedCourses => &[
                "不及格门数",
                "不及格科目数",
                "挂科门数",
                "挂科数",
                "failedcourses",
                "failed",
                "fails",
            ],
        }
    }

    fn matches(self, normalised_header: &str) -> bool {
        self.names().contains(&normalised_header)
    }
}

/// The kinds of file an organiser uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// 学生人数: enrolment per college (and grade).
    Enrolment,
    /// 推荐人选: nominees with their votes.
    Nominees,
    /// 代表名单: a roster.
    Roster,
    /// 学生社团: societies, main or not.
    Societies,
    /// 主席团候选人: presidium candidates.
    Candidates,
}

/// Whether a column must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The column must be present (its cells may still be allowed blank).
    Required,
    /// The column may be left out.
    Optional,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Enrolment,
        FileKind::Nominees,
        FileKind::Roster,
        FileKind::Societies,
        FileKind::Candidates,
    ];

    /// Chinese name of the file, for pages and messages.
    pub fn zh(self) -> &'static str {
        match self {
            FileKind::Enrolment => "学生人数表",
            FileKind::Nominees => "推荐人选名单",
            FileKind::Roster => "代表名单",
            FileKind::Societies => "学生社团名单",
            FileKind::Candidates => "主席团候选人名单",
        }
    }

    /// The columns, in template order.
    pub fn columns(self) -> &'static [(Field, Need)] {
        use Field::*;
        use Need::*;
        match self {
            FileKind::Enrolment => &[
                (College, Required),
                (Grade, Optional),
                (Enrolment, Required),
            ],
            FileKind::Nominees => &[
                (Name, Required),
                (StudentNo, Required),
                (College, Required),
                (Grade, Required),
                (Gender, Required),
                (UnionRole, Required),
                (PoliticalStatus, Optional),
                (Societies, Optional),
                (Votes, Required),
            ],
            FileKind::Roster => &[
                (Name, Required),
                (StudentNo, Required),
                (College, Required),
                (Grade, Required),
                (Gender, Required),
                (UnionRole, Required),
                (PoliticalStatus, Optional),
                (Societies, Optional),
                (Kind, Optional),
            ],
            FileKind::Societies => &[(SocietyName, Required), (MainSociety, Optional)],
            FileKind::Candidates => &[
                (Name, Required),
                (StudentNo, Required),
                (College, Required),
                (Gender, Optional),
                (PoliticalStatus, Required),
                (RankPct, Optional),
                (FailedCourses, Optional),
            ],
        }
    }

    /// The canonical Chinese headers, in template order.
    pub fn headers(self) -> Vec<&'static str> {
        self.columns().iter().map(|(f, _)| f.zh()).collect()
    }

    /// Where this kind's columns sit in `table`: (canonical Chinese name, 0-based index) for
    /// each column found, in template order; empty when the headers cannot be mapped. Lets a
    /// page put an [`ImportError`] back on the cell it names (its `column` is the canonical
    /// name, whatever alias the file used).
    pub fn locate(self, table: &Table) -> Vec<(&'static str, usize)> {
        let Ok(map) = ColumnMap::new(table, self) else {
            return Vec::new();
        };
        self.columns()
            .iter()
            .filter_map(|(f, _)| map.index.get(f).map(|&i| (f.zh(), i)))
            .collect()
    }
}

/// Where each known column sits in one table.
#[derive(Debug)]
pub(crate) struct ColumnMap {
    index: HashMap<Field, usize>,
}

impl ColumnMap {
    /// Maps `table`'s headers for `kind`: every required column must be found exactly once.
    pub(crate) fn new(table: &Table, kind: FileKind) -> Result<Self, ImportErrors> {
        let normalised: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
        let found = table.headers.join(", ");
        let mut index = HashMap::new();
        let mut errors = Vec::new();
        for &(field, need) in kind.columns() {
            let hits: Vec<usize> = (0..normalised.len())
                .filter(|&i| field.matches(&normalised[i]))
                .collect();
            match hits.as_slice() {
                [] if need == Need::Required => errors.push(ImportError::file(
                    &table.file,
                    format!(
                        "缺少必需的列“{}”(也可写作: {}); 文件中的列为: {found}",
                        field.zh(),
                        field.names()[1..].join("/"),
                    ),
                )),
                [] => {}
                [i] => {
                    index.insert(field, *i);
                }
                [a, b, ..] => errors.push(ImportError::file(
                    &table.file,
                    format!(
                        "“{}”列出现了不止一次: 第{}列“{}”和第{}列“{}”; 请只保留一列",
                        field.zh(),
                        column_letter(*a),
                        table.headers[*a],
                        column_letter(*b),
                        table.headers[*b],
                    ),
                )),
            }
        }
        if errors.is_empty() {
            Ok(ColumnMap { index })
        } else {
            Err(ImportErrors(errors))
        }
    }

    /// Whether the table has this column.
    pub(crate) fn has(&self, field: Field) -> bool {
        self.index.contains_key(&field)
    }

    /// The cell of `field` in `row`; `""` when the column is absent or the row is short.
    pub(crate) fn get<'r>(&self, row: &'r Row, field: Field) -> &'r str {
        self.index.get(&field).map_or("", |&i| row.cell(i))
    }

    /// Whether column `i` of the table was mapped to a field.
    pub(crate) fn used(&self, i: usize) -> bool {
        self.index.values().any(|&j| j == i)
    }
}

/// Excel's column letter for a 0-based index (0 -> A, 26 -> AA).
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::read_table;
    use crate::import::warnings;

    #[test]
    fn english_aliases_and_notes_are_accepted() {
        let t = read_table(
            "n.csv",
            "Name,Student ID,Department,GRADE,sex,role,votes,备注\n张伟,2023010101,计算机学院,2023级,男,,12,转专业\n"
                .as_bytes(),
        )
        .unwrap();
        let map = ColumnMap::new(&t, FileKind::Nominees).unwrap();
        assert_eq!(map.get(&t.rows[0], Field::StudentNo), "2023010101");
        assert_eq!(map.get(&t.rows[0], Field::College), "计算机学院");
        assert!(!map.has(Field::Societies));
        let w = warnings(FileKind::Nominees, &t);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].to_string(), "n.csv: 已忽略无法识别的第H列“备注”");
    }

    #[test]
    fn missing_column_names_file_column_and_headers_found() {
        let t = read_table("人数.csv", "院系,年级\n文学院,2023级\n".as_bytes()).unwrap();
        let e = ColumnMap::new(&t, FileKind::Enrolment).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e.0[0].file, "人数.csv");
        assert!(
            e.0[0].message.starts_with("缺少必需的列“人数”"),
            "{}",
            e.0[0].message
        );
        assert!(e.0[0].message.ends_with("文件中的列为: 院系, 年级"));
    }

    #[test]
    fn a_column_twice_is_an_error() {
        let t = read_table("a.csv", "学院,院系,人数\n文学院,文学院,3\n".as_bytes()).unwrap();
        let e = ColumnMap::new(&t, FileKind::Enrolment).unwrap_err();
        assert!(e.0[0].message.contains("第A列“学院”和第B列“院系”"));
    }

    #[test]
    fn locate_maps_aliases_to_canonical_names() {
        let t = read_table("a.csv", "人数,院系,备注\n3,文学院,x\n".as_bytes()).unwrap();
        assert_eq!(
            FileKind::Enrolment.locate(&t),
            vec![("学院", 1), ("人数", 0)]
        );
        let t = read_table("b.csv", "院系,年级\n文学院,2023级\n".as_bytes()).unwrap();
        assert!(FileKind::Enrolment.locate(&t).is_empty());
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
