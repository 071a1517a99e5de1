//! Presidium candidates (主席团候选人): the seats of a contest (rule C1), the 差额 margin (C2),
//! eligibility (C3, in [`eligibility`]), the checks of a whole contest including "candidates
//! cannot be scrutineers" (G2) and duplicate 学号 (B6), and the ballot order (C4, by
//! [`super::strokes`]).

mod eligibility;
mod kind;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

pub use self::eligibility::{eligibility, Eligibility, PoliticalStatus};
pub use self::kind::{check_seats_of, ElectionKind, MAX_SEATS_OTHER};
use super::settings::RuleProfile;
use super::strokes::compare_names;
use super::types::{Gender, Level, Violation};

/// A candidate for the presidium as the organiser entered them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The system's id of the candidate (used on ballots).
    pub id: String,
    /// 姓名
    pub name: String,
    /// 学号
    pub student_no: String,
    /// 学院
    pub college: String,
    /// 性别
    pub gender: Option<Gender>,
    /// 政治面貌, free text as imported (see [`PoliticalStatus::parse`]).
    pub political_status: String,
    /// 专业排名百分比: 15 = within the top 15% of the major; `None` = not provided.
    pub rank_pct: Option<u32>,
    /// 不及格课程门数
    pub failed_courses: u32,
    /// The organiser's reason for admitting a candidate who fails C3 (shown in the record).
    pub eligibility_override: Option<String>,
    /// The organiser's order, used where strokes cannot decide the ballot order (C4).
    pub organiser_order: u32,
}

impl Candidate {
    /// "张伟（学号2021010101）", how messages name a candidate.
    fn label(&self) -> String {
        format!("{}（学号{}）", self.name.trim(), self.student_no.trim())
    }

    fn college(&self) -> Option<String> {
        Some(self.college.trim().to_string()).filter(|c| !c.is_empty())
    }
}

fn violation(
    rule: &str,
    college: Option<String>,
    required: i64,
    found: i64,
    message: String,
) -> Violation {
    Violation {
        rule: rule.to_string(),
        college,
        required,
        found,
        message,
        warning: false,
    }
}

/// Rule C1: a contest elects at least 1 and at most `max_seats_school` (校级) or
/// `max_seats_college` (院级) presidium members. The violation's `required` is the limit.
pub fn check_seats(level: Level, seats: u32, profile: &RuleProfile) -> Result<(), Violation> {
    let max = match level {
        Level::School => profile.max_seats_school,
        Level::College => profile.max_seats_college,
    };
    let level = level.zh();
    if seats == 0 {
        Err(violation(
            "C1",
            None,
            1,
            0,
            format!("{level}学代会主席团应选名额至少为1名，当前为0名"),
        ))
    } else if seats > max {
        let message = format!("{level}学代会主席团应选名额不得超过{max}名，当前为{seats}名");
        Err(violation(
            "C1",
            None,
            i64::from(max),
            i64::from(seats),
            message,
        ))
    } else {
        Ok(())
    }
}

/// Rule C2: the candidates a 差额 election needs, max(seats + 1, ceil(1.2 x seats)).
/// Seats 1..=7 need 2, 3, 4, 5, 6, 8, 9.
pub fn required_candidates(seats: u32) -> u32 {
    let plus_one = u64::from(seats) + 1;
    let by_ratio = (u64::from(seats) * 6).div_ceil(5);
    u32::try_from(plus_one.max(by_ratio)).unwrap_or(u32::MAX)
}

/// The outcome of the C2 margin check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MarginCheck {
    /// Enough candidates for a 差额 election.
    Ok,
    /// 等额选举 (as many candidates as seats), allowed by the organiser's override.
    Equal { reason: String },
    /// More candidates than seats but fewer than C2 requires, allowed by the organiser's
    /// override (a smaller margin is no worse than the 等额 the override could allow).
    Reduced {
        required: u32,
        found: usize,
        reason: String,
    },
    /// Not allowed: too few candidates and no override, or fewer candidates than seats.
    Violation(Violation),
}

/// Rule C2 for `candidates` standing for `seats`. An override (its reason, blank = none)
/// allows 等额 or a reduced margin, never fewer candidates than seats.
pub fn check_margin(seats: u32, candidates: usize, override_reason: Option<&str>) -> MarginCheck {
    let required = required_candidates(seats);
    let found = i64::try_from(candidates).unwrap_or(i64::MAX);
    if found >= i64::from(required) {
        return MarginCheck::Ok;
    }
    if found < i64::from(seats) {
        let message = format!("应选{seats}名，候选人仅{candidates}名，候选人数不得少于应选名额");
        return MarginCheck::Violation(violation("C2", None, i64::from(required), found, message));
    }
    match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) if found == i64::from(seats) => MarginCheck::Equal {
            reason: reason.to_string(),
        },
        Some(reason) => MarginCheck::Reduced {
            required,
            found: candidates,
            reason: reason.to_string(),
        },
        None => {
            let message = format!(
                "应选{seats}名，差额选举须有候选人至少{required}名（应选名额加1与其1.2倍向上取整中\
                 的较大者），现有{candidates}名；如确需等额或减少差额，须由组织方注明理由"
            );
            MarginCheck::Violation(violation("C2", None, i64::from(required), found, message))
        }
    }
}

/// Every check of a contest's candidate list, in rule order: C1 seats, C2 margin, C3 per
/// candidate and failing criterion, G2 candidates named as scrutineers, B6 missing or duplicate
/// 姓名/学号. Overrides the organiser recorded (等额 or reduced margin with a reason; an
/// ineligible candidate with a reason) come back as warnings (`warning: true`) quoting the
/// reason. The margin counts only candidates who may stand: eligible or overridden, each
/// 学号 once.
pub fn check_contest(
    level: Level,
    seats: u32,
    candidates: &[Candidate],
    margin_override: Option<&str>,
    scrutineer_student_nos: &[String],
    profile: &RuleProfile,
) -> Vec<Violation> {
    check_contest_of(
        ElectionKind::Presidium,
        level,
        seats,
        candidates,
        margin_override,
        scrutineer_student_nos,
        profile,
    )
}

/// [`check_contest`] for any kind of election: C1 by kind ([`check_seats_of`]), C3 only for
/// the presidium; C2, G2 and B6 for every kind.
pub fn check_contest_of(
    kind: ElectionKind,
    level: Level,
    seats: u32,
    candidates: &[Candidate],
    margin_override: Option<&str>,
    scrutineer_student_nos: &[String],
    profile: &RuleProfile,
) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(check_seats_of(kind, level, seats, profile).err());

    let mut standing = HashSet::new();
    let mut c3 = Vec::new();
    for c in candidates {
        if !kind.checks_eligibility() {
            if !c.student_no.trim().is_empty() {
                standing.insert(c.student_no.trim());
            }
            continue;
        }
        let e = eligibility(c, profile);
        if (e.eligible || e.overridden) && !c.student_no.trim().is_empty() {
            standing.insert(c.student_no.trim());
        }
        c3.extend(c3_violations(c, &e, profile));
    }
    let excluded = candidates.len() - standing.len();
    out.extend(margin_violation(
        seats,
        standing.len(),
        excluded,
        margin_override,
    ));
    out.append(&mut c3);
    out.extend(scrutineer_violations(candidates, scrutineer_student_nos));
    out.extend(roster_violations(candidates));
    out
}

fn as_warning(mut v: Violation) -> Violation {
    v.warning = true;
    v
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// C2 for the `standing` candidates; `excluded` others are named in the message.
fn margin_violation(
    seats: u32,
    standing: usize,
    excluded: usize,
    margin_override: Option<&str>,
) -> Option<Violation> {
    let note = if excluded > 0 {
        format!("（不含未通过资格审查或学号缺失、重复的{excluded}人）")
    } else {
        String::new()
    };
    let required = i64::from(required_candidates(seats));
    match check_margin(seats, standing, margin_override) {
        MarginCheck::Ok => None,
        MarginCheck::Equal { reason } => {
            let message =
                format!("等额选举：应选{seats}名，候选人{standing}名{note}；组织方理由：{reason}");
            Some(as_warning(violation(
                "C2",
                None,
                required,
                count(standing),
                message,
            )))
        }
        MarginCheck::Reduced { reason, .. } => {
            let message = format!(
                "差额不足：应选{seats}名，须有候选人{required}名，现有{standing}名{note}；\
                 组织方理由：{reason}"
            );
            Some(as_warning(violation(
                "C2",
                None,
                required,
                count(standing),
                message,
            )))
        }
        MarginCheck::Violation(mut v) => {
            v.message.push_str(&note);
            Some(v)
        }
    }
}

/// C3: one violation per failing criterion; warnings quoting the reason when overridden.
fn c3_violations(c: &Candidate, e: &Eligibility, profile: &RuleProfile) -> Vec<Violation> {
    let who = c.label();
    eligibility::shortfalls(c, profile)
        .into_iter()
        .map(|s| {
            let v = |message| violation("C3", c.college(), s.required, s.found, message);
            match &e.override_reason {
                Some(reason) => as_warning(v(format!(
                    "候选人{who}：{}；组织方已特批，理由：{reason}",
                    s.message
                ))),
                None => v(format!("候选人{who}：{}，不得提名", s.message)),
            }
        })
        .collect()
}

/// G2: candidates cannot be scrutineers (总监票人, 监票人, 计票人), matched by 学号.
fn scrutineer_violations(candidates: &[Candidate], scrutineers: &[String]) -> Vec<Violation> {
    let scrutineers: HashSet<&str> = scrutineers
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    candidates
        .iter()
        .filter(|c| scrutineers.contains(c.student_no.trim()))
        .map(|c| {
            let message = format!(
                "候选人{}同时被列为监票人或计票人，候选人不得担任监票、计票工作",
                c.label()
            );
            violation("G2", c.college(), 0, 1, message)
        })
        .collect()
}

/// B6: a name and a 学号 for every candidate, each 学号 once.
fn roster_violations(candidates: &[Candidate]) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut by_no: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        if c.name.trim().is_empty() {
            let message = format!("第{}名候选人姓名未填写", i + 1);
            out.push(violation("B6", c.college(), 1, 0, message));
        }
        match c.student_no.trim() {
            "" => {
                let message = format!("候选人{}学号未填写", c.name.trim());
                out.push(violation("B6", c.college(), 1, 0, message));
            }
            no => by_no.entry(no).or_default().push(c),
        }
    }
    for (no, same) in by_no.into_iter().filter(|(_, v)| v.len() > 1) {
        let names: Vec<&str> = same.iter().map(|c| c.name.trim()).collect();
        let message = format!(
            "学号{no}在候选人名单中出现{}次（{}），每名学生只能列一次",
            same.len(),
            names.join("、")
        );
        out.push(violation(
            "B6",
            same[0].college(),
            1,
            count(same.len()),
            message,
        ));
    }
    out
}

/// Rule C4: the indices of `candidates` in ballot order: 姓氏笔画 ([`compare_names`]), then the
/// organiser's order where the strokes cannot decide, then the input position (so the result
/// is fully determined even when the organiser's order repeats).
pub fn ballot_order(candidates: &[Candidate]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&candidates[a], &candidates[b]);
        compare_names(&x.name, &y.name)
            .then(x.organiser_order.cmp(&y.organiser_order))
            .then(a.cmp(&b))
    });
    order
}

#[cfg(test)]
mod tests;
