//! Test data shared by the roster and generation tests: colleges of a Chinese university with
//! grades 2022级-2025级, two main societies, names and student numbers that look real.

use std::collections::BTreeMap;

use super::RosterRules;
use crate::domain::settings::RuleProfile;
use crate::domain::types::{
    CollegeEnrolment, DelegateKind, Gender, Nominee, RosterEntry, Society, Student,
};

pub(crate) const GRADES: [&str; 4] = ["2022级", "2023级", "2024级", "2025级"];
pub(crate) const VOLUNTEERS: &str = "青年志愿者协会";
pub(crate) const SCITECH: &str = "学生科技协会";

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
const GIVEN: [&str; 20] = [
    "子涵", "浩然", "欣怡", "梓萱", "宇轩", "诗涵", "俊杰", "雨桐", "思远", "佳怡", "明轩", "一诺",
    "晨曦", "雅婷", "博文", "若曦", "天宇", "可馨", "志强", "婉清",
];

/// A Chinese name for person number `i` (not unique; student numbers are).
pub(crate) fn name(i: usize) -> String {
    format!("{}{}", SURNAMES[i % 20], GIVEN[(i / 20 + i * 7) % 20])
}

/// A student; `no` makes the student number unique.
pub(crate) fn student(
    college: &str,
    grade: &str,
    no: usize,
    woman: bool,
    role: Option<&str>,
) -> Student {
    Student {
        name: name(no),
        student_no: format!("2025{no:06}"),
        college: college.to_string(),
        grade: grade.to_string(),
        gender: if woman { Gender::Female } else { Gender::Male },
        union_role: role.map(str::to_string),
        political_status: Some("共青团员".to_string()),
        societies: Vec::new(),
    }
}

/// The congress's settings and colleges.
pub(crate) struct World {
    pub profile: RuleProfile,
    pub enrolment: Vec<CollegeEnrolment>,
    pub quotas: BTreeMap<String, u64>,
    pub societies: Vec<Society>,
    pub cadre_roles: Option<Vec<String>>,
}

impl World {
    pub fn rules(&self) -> RosterRules<'_> {
        RosterRules {
            profile: &self.profile,
            enrolment: &self.enrolment,
            quotas: &self.quotas,
            societies: &self.societies,
            cadre_roles: self.cadre_roles.as_deref(),
        }
    }
}

/// Enrolment of a college with the four grades.
pub(crate) fn college(name: &str, students: [u64; 4]) -> CollegeEnrolment {
    CollegeEnrolment {
        college: name.to_string(),
        grades: GRADES
            .iter()
            .zip(students)
            .map(|(g, n)| (g.to_string(), n))
            .collect(),
    }
}

/// 信息学院 (quota 10), 经济管理学院 (quota 8), 外国语学院 (quota 3, fewer than its 4 grades);
/// main societies 青年志愿者协会 and 学生科技协会, and 书法协会 (not main). Default profile.
pub(crate) fn world() -> World {
    let quotas = [("信息学院", 10), ("经济管理学院", 8), ("外国语学院", 3)];
    World {
        profile: RuleProfile::default(),
        enrolment: vec![
            college("信息学院", [300, 280, 260, 250]),
            college("经济管理学院", [200, 210, 190, 180]),
            college("外国语学院", [80, 90, 70, 60]),
        ],
        quotas: quotas.iter().map(|(c, q)| (c.to_string(), *q)).collect(),
        societies: vec![
            Society {
                name: VOLUNTEERS.to_string(),
                main: true,
            },
            Society {
                name: SCITECH.to_string(),
                main: true,
            },
            Society {
                name: "书法协会".to_string(),
                main: false,
            },
        ],
        cadre_roles: None,
    }
}

fn elected(s: Student, row: usize) -> RosterEntry {
    RosterEntry {
        student: s,
        kind: DelegateKind::Elected,
        row: Some(row),
    }
}

/// A valid roster for [`world`], 22 rows (file rows 1-22):
/// - 信息学院 rows 1-10: grades cycle 2022-2025, cadres at rows 2, 5, 8, 10 (6 ordinary of
///   the 6 required), women at rows 1, 4, 6, 9; row 1 is in 学生科技协会.
/// - 经济管理学院 rows 11-18: all ordinary, grades cycle, women at rows 11, 13, 16; row 11 is in
///   青年志愿者协会 and 书法协会.
/// - 外国语学院 rows 19-21: 2022级, 2023级, 2024级, all ordinary, women at rows 19, 20.
/// - row 22: 当然代表, 信息学院 2023级, man, 校学生会主席.
///
/// Totals: 22 delegates, 17 ordinary (14 required), 9 women (7 required).
pub(crate) fn valid_roster() -> Vec<RosterEntry> {
    let mut rows = Vec::new();
    let roles = [
        "学生会宣传部部长",
        "学生会主席团成员",
        "学生会学习部干事",
        "学生会文体部部长",
    ];
    for i in 0..10 {
        let cadre = [1, 4, 7, 9].iter().position(|&c| c == i).map(|k| roles[k]);
        let woman = [0, 3, 5, 8].contains(&i);
        let mut s = student("信息学院", GRADES[i % 4], 100 + i, woman, cadre);
        if i == 0 {
            s.societies.push(SCITECH.to_string());
        }
        rows.push(elected(s, rows.len() + 1));
    }
    for i in 0..8 {
        let mut s = student(
            "经济管理学院",
            GRADES[i % 4],
            200 + i,
            [0, 2, 5].contains(&i),
            None,
        );
        if i == 0 {
            s.societies = vec![VOLUNTEERS.to_string(), "书法协会".to_string()];
        }
        rows.push(elected(s, rows.len() + 1));
    }
    for (i, grade) in GRADES.iter().take(3).enumerate() {
        let s = student("外国语学院", grade, 300 + i, i < 2, None);
        rows.push(elected(s, rows.len() + 1));
    }
    let chair = student("信息学院", "2023级", 400, false, Some("校学生会主席"));
    rows.push(RosterEntry {
        student: chair,
        kind: DelegateKind::ExOfficio,
        row: Some(22),
    });
    rows
}

/// A nominee with `votes` from file row `row`.
pub(crate) fn nominee(s: Student, votes: u64, row: usize) -> Nominee {
    Nominee {
        student: s,
        votes,
        row,
    }
}
