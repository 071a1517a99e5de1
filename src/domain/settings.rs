//! The congress's rule profile: every setting of `docs/rules.md` with its default.
//!
//! The profile is stored with the congress as JSON and copied into the certified record, so a
//! reader can see every setting the result was computed under. Unknown fields are rejected and
//! missing ones take their defaults, so older stored profiles keep loading.

use serde::{Deserialize, Serialize};

/// A fraction `num/den` compared strictly (`>`, 超过/过半数) or inclusively (`>=`, N分之M以上).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
    /// `true`: the count must be strictly greater than num/den x base.
    pub strict: bool,
}

impl Fraction {
    pub const fn new(num: u32, den: u32, strict: bool) -> Self {
        Fraction { num, den, strict }
    }

    /// Whether `count` meets this fraction of `base`, in exact integer arithmetic.
    pub fn met(&self, count: u64, base: u64) -> bool {
        let lhs = count as u128 * self.den as u128;
        let rhs = base as u128 * self.num as u128;
        if self.strict {
            lhs > rhs
        } else {
            lhs >= rhs
        }
    }

    /// The smallest count that meets the fraction of `base` (the "threshold figure" of F5).
    pub fn min_count(&self, base: u64) -> u64 {
        let prod = base as u128 * self.num as u128;
        let den = self.den.max(1) as u128;
        let q = prod / den;
        let exact = prod.is_multiple_of(den);
        let v = if self.strict {
            q + 1
        } else if exact {
            q
        } else {
            q + 1
        };
        v as u64
    }

    /// Chinese wording: "超过1/2" or "2/3以上(含)".
    pub fn zh(&self) -> String {
        if self.strict {
            format!("超过{}/{}", self.num, self.den)
        } else {
            format!("达到{}/{}(含)", self.num, self.den)
        }
    }

    pub fn is_valid(&self) -> bool {
        self.den > 0 && self.num <= self.den
    }
}

/// Quota allocation method (rule A3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum QuotaMethod {
    /// Largest remainder (最大余额法), the default.
    #[default]
    Hamilton,
    /// D'Hondt (最高平均数法, divisors 1, 2, 3...).
    Dhondt,
    /// Sainte-Laguë / Webster (divisors 1, 3, 5... i.e. s + 1/2).
    Webster,
    /// Huntington-Hill (equal proportions, divisor sqrt(s(s+1))).
    HuntingtonHill,
}

impl QuotaMethod {
    pub const ALL: [QuotaMethod; 4] = [
        QuotaMethod::Hamilton,
        QuotaMethod::Dhondt,
        QuotaMethod::Webster,
        QuotaMethod::HuntingtonHill,
    ];

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaMethod::Hamilton => "hamilton",
            QuotaMethod::Dhondt => "dhondt",
            QuotaMethod::Webster => "webster",
            QuotaMethod::HuntingtonHill => "huntington-hill",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            QuotaMethod::Hamilton => "最大余额法(Hamilton)",
            QuotaMethod::Dhondt => "最高平均数法(D'Hondt)",
            QuotaMethod::Webster => "圣拉古法(Sainte-Laguë/Webster)",
            QuotaMethod::HuntingtonHill => "等比例法(Huntington-Hill)",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "hamilton" | "largest-remainder" | "hare" => Some(QuotaMethod::Hamilton),
            "dhondt" | "d'hondt" | "jefferson" => Some(QuotaMethod::Dhondt),
            "webster" | "sainte-lague" | "saint-lague" => Some(QuotaMethod::Webster),
            "huntington-hill" | "hh" | "equal-proportions" => Some(QuotaMethod::HuntingtonHill),
            _ => None,
        }
    }
}

/// Base of a threshold (rules F1, F4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBase {
    /// 实到: delegates present when the contest opened (= ballots issued). The default.
    #[default]
    Present,
    /// 有效票: valid ballots cast.
    ValidBallots,
    /// 应到: delegates on the roster.
    Roster,
}

impl ThresholdBase {
    pub fn zh(self) -> &'static str {
        match self {
            ThresholdBase::Present => "实到代表数",
            ThresholdBase::ValidBallots => "有效票数",
            ThresholdBase::Roster => "应到代表数",
        }
    }
}

/// A threshold: `fraction` of `base` (F1, F4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub base: ThresholdBase,
    pub fraction: Fraction,
}

impl Threshold {
    /// Ordinary majority: for > 1/2 of present (过半数).
    pub const ORDINARY: Threshold = Threshold {
        base: ThresholdBase::Present,
        fraction: Fraction::new(1, 2, true),
    };
    /// Removal of a presidium member (罢免, rule I4): for > 1/2 of 应到 (the standing
    /// delegates), not of those present.
    pub const REMOVAL: Threshold = Threshold {
        base: ThresholdBase::Roster,
        fraction: Fraction::new(1, 2, true),
    };
    /// Charter amendment: for >= 2/3 of present (三分之二以上).
    pub const CHARTER: Threshold = Threshold {
        base: ThresholdBase::Present,
        fraction: Fraction::new(2, 3, false),
    };

    pub fn zh(&self) -> String {
        format!("赞成票{}{}", self.fraction.zh(), self.base.zh())
    }
}

/// D2: the quorum fractions the rules allow (each strict or inclusive).
pub const QUORUM_FRACTIONS: [(u32, u32); 2] = [(2, 3), (4, 5)];

/// F1: an election is won with for-votes 超过半数 of its base; only the base is a setting.
pub const ELECTION_FRACTIONS: [Fraction; 1] = [Fraction::new(1, 2, true)];

/// F4: a motion passes with 超过半数, or (charter amendments) 三分之二以上, of its base.
pub const MOTION_FRACTIONS: [Fraction; 2] = [Fraction::new(1, 2, true), Fraction::new(2, 3, false)];

/// Whether `f` is a quorum the rules allow (D2).
pub fn quorum_allowed(f: &Fraction) -> bool {
    QUORUM_FRACTIONS.contains(&(f.num, f.den))
}

/// Why `t` is not a threshold the rules allow for an election (F1) or a motion (F4), in
/// Chinese naming the rule; `None` when it is allowed. Every base (实到, 有效票, 应到) is.
pub fn threshold_problem(t: &Threshold, election: bool) -> Option<String> {
    if election {
        (!ELECTION_FRACTIONS.contains(&t.fraction)).then(|| {
            format!(
                "规则F1: 当选须赞成票超过半数(超过1/2), 不能为“{}”; 可选的只有基数(实到代表数、有效票数或应到代表数)",
                t.fraction.zh()
            )
        })
    } else {
        (!MOTION_FRACTIONS.contains(&t.fraction)).then(|| {
            format!(
                "规则F4: 表决通过标准只能为“超过1/2”或(章程修正案)“达到2/3(含)”, 不能为“{}”",
                t.fraction.zh()
            )
        })
    }
}

/// What happens when candidates tie for the last seat(s) (F2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TieRule {
    /// 再次投票 among the tied (default).
    #[default]
    Runoff,
    /// The seat stays vacant.
    Vacant,
}

/// Every setting of the rules, with the defaults of `docs/rules.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RuleProfile {
    // --- A. quotas ---
    /// A1: minimum delegates per college as a fraction of enrolment, in basis points
    /// (100 = 1%). Stored as an integer so the record carries no floats.
    pub quota_ratio_bp: u32,
    /// A1: minimum seats of any college with students.
    pub min_seats: u32,
    /// A3: the congress total T; `None` = the sum of the minimums.
    pub total_seats: Option<u32>,
    /// A3: method for the seats above the minimums.
    pub quota_method: QuotaMethod,
    /// B1: allow a college more delegates than its quota (reported as a warning).
    pub allow_surplus: bool,
    // --- B. roster ---
    /// B2: ordinary students' minimum share, in percent, of each college and of the whole.
    pub ordinary_min_pct: u32,
    /// B5: women's minimum share of the whole congress, in percent; 0 = off.
    pub women_min_pct: u32,
    // --- C. candidates ---
    /// C1: presidium seats allowed for a school-level congress.
    pub max_seats_school: u32,
    /// C1: presidium seats allowed for a college-level congress.
    pub max_seats_college: u32,
    /// C3: maximum academic ranking percentile (专业排名前 N%).
    pub eligibility_rank_pct: u32,
    // --- D. quorum ---
    /// D2: 实到 must exceed (or reach) this fraction of 应到 for a contest to open.
    pub quorum: Fraction,
    /// D1: subtract approved absences (请假) from 应到.
    pub subtract_approved_absences: bool,
    // --- F. outcome ---
    /// F1: election threshold.
    pub election_threshold: Threshold,
    /// F2: tie at the last seat.
    pub tie_rule: TieRule,
    // --- C5-C7, G4: approval and public notice ---
    /// C5-C7, G4: the candidate approval, public notice (公示) and the application to convene
    /// are recorded in this system and enforced (a presidium election cannot open before its
    /// notice ends, the session not before the upper 学联's reply). On in the default profile;
    /// a stored profile or signed record without the field was written before it existed and
    /// reads as off ([`absent_approval_procedure`]); a request that omits it gets the
    /// default, on ([`RuleProfile::from_request`]).
    #[serde(default = "absent_approval_procedure")]
    pub approval_procedure: bool,
    /// C6: the notice's length in working days.
    pub notice_working_days: u32,
    // --- I6: the term (issue 15) ---
    /// I6: the term's length in years (1 or 2; "周期不超过两年").
    pub term_years: u32,
    /// I6: the first days of the 第二学期 (spring) and the 第一学期 (autumn); each semester
    /// runs to the day before the other's start.
    pub semester_starts: [MonthDay; 2],
}

impl Default for RuleProfile {
    fn default() -> Self {
        RuleProfile {
            quota_ratio_bp: 100,
            min_seats: 1,
            total_seats: None,
            quota_method: QuotaMethod::Hamilton,
            allow_surplus: false,
            ordinary_min_pct: 60,
            women_min_pct: 30,
            max_seats_school: 5,
            max_seats_college: 3,
            eligibility_rank_pct: 30,
            quorum: Fraction::new(2, 3, true),
            subtract_approved_absences: false,
            election_threshold: Threshold::ORDINARY,
            tie_rule: TieRule::Runoff,
            approval_procedure: true,
            notice_working_days: 5,
            term_years: 2,
            semester_starts: [MonthDay::new(2, 1), MonthDay::new(8, 1)],
        }
    }
}

/// `approval_procedure` of a profile stored or signed without the field: such a profile was
/// written before the setting existed, when nothing was enforced, so it stays off and no
/// stored congress or filed record changes meaning (`docs/rules.md`, C5-C7).
fn absent_approval_procedure() -> bool {
    false
}

impl RuleProfile {
    /// A profile sent by a client (the API's create and settings bodies): every omitted field
    /// takes the default profile's value, `approval_procedure` (on) included, unlike a stored
    /// profile, where its absence means "written before it existed" (off).
    pub fn from_request(mut v: serde_json::Value) -> Result<RuleProfile, serde_json::Error> {
        if let Some(o) = v.as_object_mut() {
            o.entry("approval_procedure")
                .or_insert(serde_json::Value::Bool(
                    RuleProfile::default().approval_procedure,
                ));
        }
        serde_json::from_value(v)
    }

    /// Checks the settings are within what the rules allow; returns Chinese messages.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        if self.quota_ratio_bp > 10_000 {
            errs.push(format!(
                "名额比例不能超过100%(当前为{}%)",
                self.quota_ratio_bp as f64 / 100.0
            ));
        }
        if self.quota_ratio_bp < 100 {
            errs.push(format!(
                "规则A1: 各学院代表名额不少于在校生的1%, 名额比例不能设为{}%",
                self.quota_ratio_bp as f64 / 100.0
            ));
        }
        if !(60..=100).contains(&self.ordinary_min_pct) {
            errs.push(format!(
                "规则B2: 普通同学代表不低于60%, 比例只能在60%到100%之间(当前为{}%)",
                self.ordinary_min_pct
            ));
        }
        if ![0, 25, 30].contains(&self.women_min_pct) {
            errs.push(format!(
                "女代表比例只能为不设、25%或30%(当前为{}%)",
                self.women_min_pct
            ));
        }
        if self.max_seats_school == 0 || self.max_seats_college == 0 {
            errs.push("主席团名额上限至少为1".to_string());
        }
        if self.max_seats_school > 5 || self.max_seats_college > 3 {
            errs.push(format!(
                "规则C1: 主席团成员校级不超过5人、院级不超过3人, 上限不能设为校级{}人、院级{}人",
                self.max_seats_school, self.max_seats_college
            ));
        }
        if !(1..=30).contains(&self.eligibility_rank_pct) {
            errs.push(format!(
                "规则C3: 候选人学业排名须在专业前30%以内, 要求只能在前1%到前30%之间(当前为前{}%)",
                self.eligibility_rank_pct
            ));
        }
        if !quorum_allowed(&self.quorum) {
            errs.push(format!(
                "规则D2: 法定人数只能为实到超过(或达到)应到的2/3或4/5, 不能为{}/{}",
                self.quorum.num, self.quorum.den
            ));
        }
        errs.extend(threshold_problem(&self.election_threshold, true));
        if !(1..=crate::domain::calendar::MAX_NOTICE_DAYS).contains(&self.notice_working_days) {
            errs.push(format!(
                "规则C6: 候选人公示期应为1到{}个工作日(当前为{}个)",
                crate::domain::calendar::MAX_NOTICE_DAYS,
                self.notice_working_days
            ));
        }
        errs.extend(term_problems(self.term_years, self.semester_starts));
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// B2's minimum number of ordinary students among `n` delegates: ceil(pct x n).
    pub fn ordinary_required(&self, n: u64) -> u64 {
        ceil_pct(n, self.ordinary_min_pct)
    }

    /// B5's minimum number of women among `n` delegates.
    pub fn women_required(&self, n: u64) -> u64 {
        ceil_pct(n, self.women_min_pct)
    }

    /// A1's minimum for a college of `enrolment` students: max(min_seats, ceil(ratio x enrolment)).
    pub fn college_minimum(&self, enrolment: u64) -> u64 {
        let by_ratio = (enrolment as u128 * self.quota_ratio_bp as u128).div_ceil(10_000) as u64;
        by_ratio.max(self.min_seats as u64)
    }
}

/// ceil(pct% x n) in integers.
pub fn ceil_pct(n: u64, pct: u32) -> u64 {
    (n as u128 * pct as u128).div_ceil(100) as u64
}

pub mod term_dates;
pub use term_dates::{term_problems, MonthDay};

#[cfg(test)]
mod tests;
