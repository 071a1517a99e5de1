//! The rule-profile form of the set-up page as the browser posts it (every field a string) and
//! its parsing into a `RuleProfile`, with one error per bad field saying which field, what was
//! given and what is expected. Nothing is stored unless every field parses.

use serde::Deserialize;

use crate::domain::settings::{
    Fraction, QuotaMethod, RuleProfile, ThresholdBase, TieRule, ELECTION_FRACTIONS,
    QUORUM_FRACTIONS,
};
use crate::service::scrutineers::normalise;

use super::FieldError;

/// The rule-profile form. Every field defaults to "" so a missing one is reported by name
/// rather than as an unreadable form.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SettingsForm {
    pub quota_ratio: String,
    pub min_seats: String,
    pub total_seats: String,
    pub quota_method: String,
    pub allow_surplus: String,
    pub ordinary_min_pct: String,
    pub women_min_pct: String,
    pub max_seats_school: String,
    pub max_seats_college: String,
    pub eligibility_rank_pct: String,
    pub quorum_fraction: String,
    pub quorum_strict: String,
    pub subtract_absences: String,
    pub election_base: String,
    pub election_fraction: String,
    pub election_strict: String,
    pub tie_rule: String,
    /// C5-C7, G4 (issue 16); blank keeps the stored setting (forms made before it).
    pub approval_procedure: String,
    /// C6: the notice's working days; blank keeps the stored setting.
    pub notice_days: String,
    // --- I6 (issue 15); blank keeps the stored setting ---
    /// The term's length in years.
    pub term_years: String,
    /// The 第二学期's first day, "MM-DD".
    pub spring_start: String,
    /// The 第一学期's first day, "MM-DD".
    pub autumn_start: String,
}

/// Basis points as the form shows them: 100 -> "1%", 50 -> "0.5%", 125 -> "1.25%".
pub fn bp_percent(bp: u32) -> String {
    let (int, frac) = (bp / 100, bp % 100);
    match frac {
        0 => format!("{int}%"),
        f if f % 10 == 0 => format!("{int}.{}%", f / 10),
        f => format!("{int}.{f:02}%"),
    }
}

pub fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

pub fn strictness(f: &Fraction) -> &'static str {
    if f.strict {
        "strict"
    } else {
        "inclusive"
    }
}

pub fn base_str(b: ThresholdBase) -> &'static str {
    match b {
        ThresholdBase::Present => "present",
        ThresholdBase::ValidBallots => "valid_ballots",
        ThresholdBase::Roster => "roster",
    }
}

pub fn tie_str(t: TieRule) -> &'static str {
    match t {
        TieRule::Runoff => "runoff",
        TieRule::Vacant => "vacant",
    }
}

pub fn fraction_str(f: &Fraction) -> String {
    format!("{}/{}", f.num, f.den)
}

impl SettingsForm {
    /// The form's values for a stored profile.
    pub fn from_profile(p: &RuleProfile) -> SettingsForm {
        SettingsForm {
            quota_ratio: bp_percent(p.quota_ratio_bp),
            min_seats: p.min_seats.to_string(),
            total_seats: p.total_seats.map(|t| t.to_string()).unwrap_or_default(),
            quota_method: p.quota_method.as_str().to_string(),
            allow_surplus: yes_no(p.allow_surplus).to_string(),
            ordinary_min_pct: format!("{}%", p.ordinary_min_pct),
            women_min_pct: p.women_min_pct.to_string(),
            max_seats_school: p.max_seats_school.to_string(),
            max_seats_college: p.max_seats_college.to_string(),
            eligibility_rank_pct: format!("{}%", p.eligibility_rank_pct),
            quorum_fraction: fraction_str(&p.quorum),
            quorum_strict: strictness(&p.quorum).to_string(),
            subtract_absences: yes_no(p.subtract_approved_absences).to_string(),
            election_base: base_str(p.election_threshold.base).to_string(),
            election_fraction: fraction_str(&p.election_threshold.fraction),
            election_strict: strictness(&p.election_threshold.fraction).to_string(),
            tie_rule: tie_str(p.tie_rule).to_string(),
            approval_procedure: yes_no(p.approval_procedure).to_string(),
            notice_days: p.notice_working_days.to_string(),
            term_years: p.term_years.to_string(),
            spring_start: p.semester_starts[0].to_string(),
            autumn_start: p.semester_starts[1].to_string(),
        }
    }

    /// Parses every field. Only what the rules allow is accepted (D2 quorum 2/3 or 4/5, F1
    /// 超过半数 of any listed base, C1 limits of at most 5 / 3); `_current`, the stored
    /// profile, no longer widens that.
    pub fn parse(&self, current: &RuleProfile) -> Result<RuleProfile, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut ok = |r: Result<(), FieldError>| {
            if let Err(e) = r {
                errs.push(e);
            }
        };
        let mut p = RuleProfile::default();
        ok(percent_bp("名额比例", &self.quota_ratio).map(|v| p.quota_ratio_bp = v));
        ok(count("每个学院最少名额", &self.min_seats, 0, 1000).map(|v| p.min_seats = v));
        ok(optional_count("代表总数", &self.total_seats).map(|v| p.total_seats = v));
        ok(pick("比例分配方法", &self.quota_method, &method_options()).map(|v| p.quota_method = v));
        ok(
            yes_no_field("允许超额", &self.allow_surplus, ("允许", "不允许"))
                .map(|v| p.allow_surplus = v),
        );
        ok(percent_int("普通同学比例", &self.ordinary_min_pct, 0).map(|v| p.ordinary_min_pct = v));
        ok(pick(
            "女代表比例",
            &self.women_min_pct,
            &[("0", 0, "不设"), ("25", 25, "25%"), ("30", 30, "30%")],
        )
        .map(|v| p.women_min_pct = v));
        ok(count("校级主席团名额上限", &self.max_seats_school, 1, 5)
            .map_err(|e| e.rule("C1"))
            .map(|v| p.max_seats_school = v));
        ok(count("院级主席团名额上限", &self.max_seats_college, 1, 3)
            .map_err(|e| e.rule("C1"))
            .map(|v| p.max_seats_college = v));
        ok(percent_int("学业排名要求", &self.eligibility_rank_pct, 1)
            .map(|v| p.eligibility_rank_pct = v));
        let quorum = quorum_fraction(&self.quorum_fraction);
        let quorum_strict = strict_field("法定人数比较方式", &self.quorum_strict);
        match (quorum, quorum_strict) {
            (Ok((num, den)), Ok(strict)) => p.quorum = Fraction::new(num, den, strict),
            (q, s) => {
                ok(q.map(|_| ()));
                ok(s.map(|_| ()));
            }
        }
        ok(
            yes_no_field("应到扣除请假", &self.subtract_absences, ("扣除", "不扣除"))
                .map(|v| p.subtract_approved_absences = v),
        );
        ok(pick(
            "当选票数基数",
            &self.election_base,
            &[
                ("present", ThresholdBase::Present, "实到代表数"),
                ("valid_ballots", ThresholdBase::ValidBallots, "有效票数"),
                ("roster", ThresholdBase::Roster, "应到代表数"),
            ],
        )
        .map(|v| p.election_threshold.base = v));
        let frac = fraction("当选票数比例", &self.election_fraction);
        let strict = strict_field("当选票数比较方式", &self.election_strict);
        match (frac, strict) {
            (Ok((num, den)), Ok(strict)) => {
                let f = Fraction::new(num, den, strict);
                if ELECTION_FRACTIONS.contains(&f) {
                    p.election_threshold.fraction = f;
                } else {
                    ok(Err(FieldError::new(
                        "当选票数比例",
                        &format!("{}{}", strict_zh(strict), self.election_fraction.trim()),
                        "超过1/2(过半数, 规则F1)",
                    )));
                }
            }
            (f, s) => {
                ok(f.map(|_| ()));
                ok(s.map(|_| ()));
            }
        }
        ok(pick(
            "末位票数相同",
            &self.tie_rule,
            &[
                ("runoff", TieRule::Runoff, "再次投票"),
                ("vacant", TieRule::Vacant, "名额空缺"),
            ],
        )
        .map(|v| p.tie_rule = v));
        p.approval_procedure = current.approval_procedure;
        p.notice_working_days = current.notice_working_days;
        if !clean(&self.approval_procedure).is_empty() {
            ok(yes_no_field(
                "审批与公示程序",
                &self.approval_procedure,
                ("执行", "不执行"),
            )
            .map(|v| p.approval_procedure = v));
        }
        if !clean(&self.notice_days).is_empty() {
            ok(count(
                "候选人公示工作日",
                &self.notice_days,
                1,
                crate::domain::calendar::MAX_NOTICE_DAYS,
            )
            .map_err(|e| e.rule("C6"))
            .map(|v| p.notice_working_days = v));
        }
        self.parse_term(current, &mut p, &mut errs);
        if errs.is_empty() {
            Ok(p)
        } else {
            Err(errs)
        }
    }
}

/// (form value, setting, Chinese label) of the quota methods.
pub fn method_options() -> Vec<(&'static str, QuotaMethod, &'static str)> {
    QuotaMethod::ALL
        .iter()
        .map(|m| (m.as_str(), *m, m.zh()))
        .collect()
}

pub(super) fn clean(s: &str) -> String {
    normalise(Some(s)).unwrap_or_default()
}

/// "1%", "1", "0.5%", "1.25" -> basis points; 0%..100%, at most two decimals.
fn percent_bp(field: &'static str, s: &str) -> Result<u32, FieldError> {
    let expected = "0到100之间的百分数, 最多两位小数, 如“1%”或“1”";
    let err = || FieldError::new(field, s, expected);
    let t = clean(s);
    let t = t.strip_suffix('%').unwrap_or(&t).trim();
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    let frac_ok = frac.is_none_or(|f| digits(f) && f.len() <= 2);
    if !digits(int) || int.len() > 3 || !frac_ok {
        return Err(err());
    }
    let int: u32 = int.parse().map_err(|_| err())?;
    let frac: u32 = format!("{:0<2}", frac.unwrap_or(""))
        .parse()
        .map_err(|_| err())?;
    let bp = int * 100 + frac;
    if bp > 10_000 {
        return Err(err());
    }
    Ok(bp)
}

/// "60%" or "60" -> 60, within `min`..=100.
fn percent_int(field: &'static str, s: &str, min: u32) -> Result<u32, FieldError> {
    let t = clean(s);
    let t = t.strip_suffix('%').unwrap_or(&t).trim();
    t.parse::<u32>()
        .ok()
        .filter(|v| (min..=100).contains(v))
        .ok_or_else(|| {
            FieldError::new(
                field,
                s,
                format!("{min}到100之间的整数百分数, 如“60%”或“60”"),
            )
        })
}

pub(super) fn count(field: &'static str, s: &str, min: u32, max: u32) -> Result<u32, FieldError> {
    clean(s)
        .parse::<u32>()
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| FieldError::new(field, s, format!("{min}到{max}之间的整数")))
}

fn optional_count(field: &'static str, s: &str) -> Result<Option<u32>, FieldError> {
    if clean(s).is_empty() {
        return Ok(None);
    }
    count(field, s, 1, 100_000)
        .map(Some)
        .map_err(|e| FieldError {
            expected: "留空(等于各学院最低名额之和)或1到100000之间的整数".to_string(),
            ..e
        })
}

fn pick<T: Copy>(
    field: &'static str,
    s: &str,
    options: &[(&'static str, T, &'static str)],
) -> Result<T, FieldError> {
    let t = clean(s);
    options
        .iter()
        .find(|(v, _, zh)| *v == t || *zh == t)
        .map(|(_, x, _)| *x)
        .ok_or_else(|| {
            let names: Vec<String> = options.iter().map(|(_, _, zh)| format!("“{zh}”")).collect();
            FieldError::new(field, s, format!("{}之一", names.join("、")))
        })
}

/// A yes/no select; `labels` are its (yes, no) wording on the page.
fn yes_no_field(
    field: &'static str,
    s: &str,
    labels: (&'static str, &'static str),
) -> Result<bool, FieldError> {
    pick(
        field,
        s,
        &[("yes", true, labels.0), ("no", false, labels.1)],
    )
}

fn strict_field(field: &'static str, s: &str) -> Result<bool, FieldError> {
    pick(
        field,
        s,
        &[("strict", true, "超过"), ("inclusive", false, "以上(含)")],
    )
}

/// "M/N" with 1 <= M <= N <= 100.
fn fraction(field: &'static str, s: &str) -> Result<(u32, u32), FieldError> {
    let t = clean(s);
    let parsed = t.split_once('/').and_then(|(m, n)| {
        let m = m.trim().parse::<u32>().ok()?;
        let n = n.trim().parse::<u32>().ok()?;
        (m >= 1 && m <= n && n <= 100).then_some((m, n))
    });
    parsed.ok_or_else(|| FieldError::new(field, s, "形如“1/2”的分数(分子不大于分母)"))
}

fn strict_zh(strict: bool) -> &'static str {
    if strict {
        "超过"
    } else {
        "达到(含)"
    }
}

/// The quorum is 2/3 or 4/5 (rule D2).
fn quorum_fraction(s: &str) -> Result<(u32, u32), FieldError> {
    let field = "法定人数比例";
    let allowed = QUORUM_FRACTIONS;
    let expected = "“2/3”或“4/5”(规则D2)";
    let v = fraction(field, s).map_err(|e| FieldError {
        expected: expected.to_string(),
        ..e
    })?;
    if allowed.contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(field, s, expected))
    }
}

#[path = "settings_term.rs"]
mod term;

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
