//! Plain types the rules speak about: students, nominees, delegates, colleges and rule violations.
//!
//! These are what the importers produce and what `quota`, `roster`, `candidates` and `tally`
//! consume. No IO, no storage, no web.

use serde::{Deserialize, Serialize};

/// 性别. Imports accept 男/女 (and M/F, male/female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// The Chinese label used in the UI and in exported files.
    pub fn zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// One student as the organiser's files describe them (a nominee or a delegate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    /// 姓名
    pub name: String,
    /// 学号: unique within a congress (rule B6).
    pub student_no: String,
    /// 学院 (or 系)
    pub college: String,
    /// 年级, normalised by the importer ("2023级" and "2023" are the same grade).
    pub grade: String,
    /// 性别
    pub gender: Gender,
    /// 学生会职务; `None` (blank) = an ordinary student (rule B2).
    pub union_role: Option<String>,
    /// 政治面貌 (中共党员, 中共预备党员, 共青团员, 群众...), free text as imported.
    pub political_status: Option<String>,
    /// 社团, the societies the student belongs to.
    pub societies: Vec<String>,
}

/// A nominee recommended by a class (班级团支部推荐) with the votes of their class election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nominee {
    pub student: Student,
    /// 得票: votes in the class/college election; higher ranks first.
    pub votes: u64,
    /// 1-based data row in the source file (ties in votes keep file order).
    pub row: usize,
}

/// A delegate on the roster (代表名单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub student: Student,
    pub kind: DelegateKind,
    /// 1-based data row in the source file, when the roster came from a file.
    pub row: Option<usize>,
}

/// How a delegate holds their seat (rule A4: ex-officio and society seats are reported
/// separately and do not count against a college's quota).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DelegateKind {
    /// Elected by a college (the normal case).
    #[default]
    Elected,
    /// 当然代表, e.g. the sitting presidium.
    ExOfficio,
    /// A seat reserved for a main student society.
    Society,
}

impl DelegateKind {
    pub fn zh(self) -> &'static str {
        match self {
            DelegateKind::Elected => "选举产生",
            DelegateKind::ExOfficio => "当然代表",
            DelegateKind::Society => "社团代表",
        }
    }
}

/// Enrolment of one college, summed over its grades (rule A1 works on the total; B3 on grades).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollegeEnrolment {
    pub college: String,
    /// (grade, students) in file order; grades with 0 students are kept out.
    pub grades: Vec<(String, u64)>,
}

impl CollegeEnrolment {
    pub fn total(&self) -> u64 {
        self.grades.iter().map(|(_, n)| n).sum()
    }
}

/// A student society (学生社团); `main` ones must be represented (rule B4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Society {
    pub name: String,
    pub main: bool,
}

/// One broken rule, as data (rule B8): the report, the JSON and the HTTP status are built from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Rule id of `docs/rules.md`, e.g. "B2".
    pub rule: String,
    /// The college concerned; `None` for congress-wide rules.
    pub college: Option<String>,
    /// The figure the rule requires (a count of people unless the message says otherwise).
    pub required: i64,
    /// The figure found.
    pub found: i64,
    /// What is wrong, in Chinese, naming the college and figures.
    pub message: String,
    /// `true` for a warning (e.g. an allowed surplus) that does not make the roster invalid.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub warning: bool,
}

/// 校级 or 院级 congress (rule C1 limits the presidium seats differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    School,
    College,
}

crate::coded! { Level { School => "school", "校级"; College => "college", "院级"; } }
