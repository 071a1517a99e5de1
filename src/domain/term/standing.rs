//! Rules I1-I3: the standing delegates' list, checked against the delegates of the congress,
//! the number per college the organiser set, and (as figures with warnings, since the rules
//! say nothing of standing delegates) the ordinary students' and women's shares of rules B2
//! and B5.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::settings::RuleProfile;
use crate::domain::types::Violation;

/// One nominated standing delegate: a delegate of the congress (by delegate number) or a
/// number that is none (`name == None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nominated {
    /// 代表编号 as entered.
    pub delegate_no: u32,
    /// The delegate's name, college, and whether ordinary / a woman; `None` when the number is
    /// not a delegate of this congress.
    pub name: Option<String>,
    pub college: String,
    pub ordinary: bool,
    pub woman: bool,
}

/// One college's line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollegeLine {
    pub college: String,
    /// The number the organiser set.
    pub quota: u32,
    pub nominated: u32,
    pub ordinary: u32,
    pub women: u32,
}

/// The list judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandingReport {
    /// No violation other than warnings.
    pub valid: bool,
    pub colleges: Vec<CollegeLine>,
    pub total: u32,
    pub ordinary: u32,
    pub women: u32,
    pub violations: Vec<Violation>,
}

fn violation(
    rule: &str,
    college: Option<&str>,
    required: i64,
    found: i64,
    message: String,
) -> Violation {
    Violation {
        rule: rule.to_string(),
        college: college.map(str::to_string),
        required,
        found,
        message,
        warning: false,
    }
}

/// ceil(pct% of n).
fn share(pct: u32, n: u32) -> u32 {
    (u64::from(pct) * u64::from(n)).div_ceil(100) as u32
}

/// Judges a nominated list: I1 every member is a delegate of the congress, once; I2 each
/// college nominates exactly the number set (a college with none set nominates nobody); I3
/// the ordinary students' share (B2's percentage) and the women's (B5's) are shown, a shortfall
/// as a warning. An empty list is invalid.
pub fn check_standing(
    quotas: &BTreeMap<String, u32>,
    nominated: &[Nominated],
    profile: &RuleProfile,
) -> StandingReport {
    let mut violations = Vec::new();
    if nominated.is_empty() {
        violations.push(violation("I1", None, 1, 0, "常任代表名单为空".to_string()));
    }
    let mut seen = BTreeSet::new();
    let mut lines: BTreeMap<String, CollegeLine> = quotas
        .iter()
        .map(|(c, q)| {
            (
                c.clone(),
                CollegeLine {
                    college: c.clone(),
                    quota: *q,
                    nominated: 0,
                    ordinary: 0,
                    women: 0,
                },
            )
        })
        .collect();
    let (mut total, mut ordinary, mut women) = (0u32, 0u32, 0u32);
    for n in nominated {
        if n.name.is_none() {
            violations.push(violation(
                "I1",
                None,
                0,
                i64::from(n.delegate_no),
                format!(
                    "第{}号不是本次大会的代表: 常任代表只能从本次大会的代表中推荐",
                    n.delegate_no
                ),
            ));
            continue;
        }
        if !seen.insert(n.delegate_no) {
            violations.push(violation(
                "I1",
                Some(&n.college),
                1,
                2,
                format!("第{}号代表重复推荐", n.delegate_no),
            ));
            continue;
        }
        let line = lines
            .entry(n.college.clone())
            .or_insert_with(|| CollegeLine {
                college: n.college.clone(),
                quota: 0,
                nominated: 0,
                ordinary: 0,
                women: 0,
            });
        line.nominated += 1;
        line.ordinary += n.ordinary as u32;
        line.women += n.woman as u32;
        total += 1;
        ordinary += n.ordinary as u32;
        women += n.woman as u32;
    }
    for line in lines.values() {
        if line.nominated != line.quota {
            violations.push(violation(
                "I2",
                Some(&line.college),
                i64::from(line.quota),
                i64::from(line.nominated),
                format!(
                    "{}应推荐常任代表{}名, 实际推荐{}名",
                    line.college, line.quota, line.nominated
                ),
            ));
        }
    }
    let need = share(profile.ordinary_min_pct, total);
    if total > 0 && ordinary < need {
        let mut v = violation(
            "I3",
            None,
            i64::from(need),
            i64::from(ordinary),
            format!(
                "常任代表{total}名中普通同学{ordinary}名, 低于代表名单规则B2的{}%(应至少{need}名); 规则对常任代表未作规定, 仅作提示",
                profile.ordinary_min_pct
            ),
        );
        v.warning = true;
        violations.push(v);
    }
    let need = share(profile.women_min_pct, total);
    if total > 0 && profile.women_min_pct > 0 && women < need {
        let mut v = violation(
            "I3",
            None,
            i64::from(need),
            i64::from(women),
            format!(
                "常任代表{total}名中女生{women}名, 低于代表名单规则B5的{}%(应至少{need}名); 规则对常任代表未作规定, 仅作提示",
                profile.women_min_pct
            ),
        );
        v.warning = true;
        violations.push(v);
    }
    StandingReport {
        valid: !violations.iter().any(|v| !v.warning),
        colleges: lines.into_values().collect(),
        total,
        ordinary,
        women,
        violations,
    }
}
