//! A synthetic school for `congress simulate` and `congress bench`: enrolment, societies and
//! nominees for a congress of about N delegates, written as the CSV files an organiser would
//! upload (so the real importers run), seeded and deterministic.
//!
//! Each college's enrolment is chosen so that ceil(1%) of it is the college's share of N; it
//! has about 1.6 nominees per seat, ~45% women, ~20% student-union cadres, every grade, and
//! the five main societies spread over everyone, so a valid roster always exists.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "欧阳",
];
const GIVEN_F: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "婷", "雪", "琳", "雨桐", "子涵", "欣怡", "佳怡", "梦瑶", "思琪",
];
const GIVEN_M: &[&str] = &[
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "浩然", "子轩", "宇航", "俊杰", "博文", "志强",
];
const COLLEGES: &[&str] = &[
    "计算机学院",
    "外国语学院",
    "机械工程学院",
    "经济管理学院",
    "文学院",
    "数学与统计学院",
    "化学化工学院",
    "马克思主义学院",
    "物理学院",
    "生命科学学院",
    "法学院",
    "新闻传播学院",
    "艺术学院",
    "体育学院",
    "土木工程学院",
    "电气工程学院",
    "材料科学与工程学院",
    "环境学院",
    "医学院",
    "药学院",
];
const GRADES: [&str; 4] = ["2022级", "2023级", "2024级", "2025级"];
/// The main societies (rule B4).
pub const SOCIETIES: [&str; 5] = [
    "青年志愿者协会",
    "大学生艺术团",
    "学生科技协会",
    "体育联合会",
    "读书会",
];
const ROLES: &[&str] = &[
    "院学生会干事",
    "院学生会部长",
    "校学生会干事",
    "班级团支部书记兼院学生会委员",
];

/// The three files of a synthetic school (UTF-8 with BOM, as Excel saves).
#[derive(Debug, Clone)]
pub struct School {
    pub enrolment_csv: Vec<u8>,
    pub societies_csv: Vec<u8>,
    pub nominees_csv: Vec<u8>,
    /// The college quotas, summing to the congress size.
    pub quotas: Vec<(String, u64)>,
}

fn csv(header: &str, rows: &[String]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    s.push_str(header);
    s.push_str("\r\n");
    for r in rows {
        s.push_str(r);
        s.push_str("\r\n");
    }
    s.into_bytes()
}

fn name(rng: &mut ChaCha8Rng, female: bool) -> String {
    let s = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let g = if female { GIVEN_F } else { GIVEN_M };
    format!("{s}{}", g[rng.random_range(0..g.len())])
}

/// A school whose default quotas sum to `delegates` (at least 2).
pub fn school(delegates: u64, seed: u64) -> School {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let delegates = delegates.max(2);
    let k = (delegates / 40).clamp(2, COLLEGES.len() as u64) as usize;
    // Split the seats over k colleges with weights 1..3, every college at least 1 seat.
    let weights: Vec<u64> = (0..k).map(|_| rng.random_range(10..30)).collect();
    let total_w: u64 = weights.iter().sum();
    let mut quotas: Vec<u64> = weights
        .iter()
        .map(|w| (delegates * w / total_w).max(1))
        .collect();
    let mut sum: u64 = quotas.iter().sum();
    let mut i = 0;
    while sum != delegates {
        if sum < delegates {
            quotas[i % k] += 1;
            sum += 1;
        } else if quotas[i % k] > 1 {
            quotas[i % k] -= 1;
            sum -= 1;
        }
        i += 1;
    }
    let mut enrolment = Vec::new();
    let mut nominees = Vec::new();
    let mut serial = 0u64;
    for (c, q) in quotas.iter().enumerate() {
        let college = COLLEGES[c];
        // ceil(1% x e) = q  <=>  100(q-1) < e <= 100q
        let e = 100 * q - rng.random_range(0..(if *q > 1 { 99 } else { 49 }));
        let mut left = e;
        for (g, grade) in GRADES.iter().enumerate() {
            let n = if g == 3 { left } else { e / 4 };
            left -= n;
            enrolment.push(format!("{college},{grade},{n}"));
        }
        let count = q + q.div_ceil(2) + 2;
        for j in 0..count {
            serial += 1;
            let female = rng.random_bool(0.45);
            let grade = GRADES[(j % 4) as usize];
            let role = if rng.random_bool(0.2) {
                ROLES[rng.random_range(0..ROLES.len())]
            } else {
                ""
            };
            let society = SOCIETIES[(serial % 5) as usize];
            let votes = 300 - (j * 250 / count) - rng.random_range(0..3);
            nominees.push(format!(
                "{},{}{:06},{college},{grade},{},{role},共青团员,{society},{votes}",
                name(&mut rng, female),
                &grade[..4],
                serial,
                if female { "女" } else { "男" },
            ));
        }
    }
    let societies: Vec<String> = SOCIETIES
        .iter()
        .map(|s| format!("{s},是"))
        .chain(["动漫社,否".to_string()])
        .collect();
    School {
        enrolment_csv: csv("学院,年级,人数", &enrolment),
        societies_csv: csv("社团名称,是否主要社团", &societies),
        nominees_csv: csv(
            "姓名,学号,学院,年级,性别,学生会职务,政治面貌,社团,得票",
            &nominees,
        ),
        quotas: quotas
            .iter()
            .enumerate()
            .map(|(c, q)| (COLLEGES[c].to_string(), *q))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::quota::{allocate, QuotaParams};
    use crate::domain::roster::generate::generate;
    use crate::domain::roster::RosterRules;
    use crate::domain::settings::RuleProfile;
    use crate::import::{parse_enrolment, parse_nominees, parse_societies, read_table};
    use std::collections::BTreeMap;

    #[test]
    fn quotas_sum_to_the_size_and_a_valid_roster_exists() {
        for (n, seed) in [(30u64, 1u64), (164, 7), (500, 3), (2000, 42)] {
            let s = school(n, seed);
            let enrolment =
                parse_enrolment(&read_table("e.csv", &s.enrolment_csv).unwrap()).unwrap();
            let societies =
                parse_societies(&read_table("s.csv", &s.societies_csv).unwrap()).unwrap();
            let nominees = parse_nominees(&read_table("n.csv", &s.nominees_csv).unwrap()).unwrap();
            let cols: Vec<(String, i64)> = enrolment
                .iter()
                .map(|c| (c.college.clone(), c.total() as i64))
                .collect();
            let a = allocate(&cols, &QuotaParams::default()).unwrap();
            assert_eq!(a.total, n, "size {n}");
            let quotas: BTreeMap<String, u64> = a
                .colleges
                .iter()
                .map(|c| (c.college.clone(), c.quota))
                .collect();
            let profile = RuleProfile::default();
            let rules = RosterRules {
                profile: &profile,
                enrolment: &enrolment,
                quotas: &quotas,
                societies: &societies,
                cadre_roles: None,
            };
            let g = generate(&nominees, &rules).expect("feasible");
            assert!(g.report.valid, "size {n}: {:?}", g.report.violations);
            assert_eq!(g.roster.len() as u64, n);
            // Deterministic.
            assert_eq!(school(n, seed).nominees_csv, s.nominees_csv);
        }
    }
}
