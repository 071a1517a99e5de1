//! Delegate quotas per college (名额分配, rules A1-A4 of `docs/rules.md`): minimums, the
//! apportionment of a larger total, and the explanation organisers are shown.
//!
//! # How a quota comes about
//! - **A1 minimum.** College *i* with enrolment *e_i* gets at least
//!   `m_i = max(min_seats, ceil(ratio x e_i))` ([`RuleProfile::college_minimum`]; the ratio is in
//!   basis points, 100 = 1%).
//! - **A2 congress minimum** = `ceil(ratio x E)` with `E = sum e_i`. It needs no seats of its own:
//!   a sum of ceilings is at least the ceiling of the sum, so `sum m_i >= ceil(ratio x E)` always.
//! - **No total T** (the default): every college gets exactly its minimum; `total = sum m_i`.
//! - **A total T** (A3) must be at least `sum m_i` (and at most `E`: nobody sends more delegates
//!   than it has students). The T seats are shared in proportion to enrolment, never below `m_i`:
//!   - *Hamilton* (largest remainder, the default): standard quotas `q_i = T x e_i / E`. Colleges
//!     with `q_i < m_i` are fixed at `m_i`; the remaining seats are re-apportioned among the
//!     others in proportion to their enrolment, repeating until no further college falls below
//!     its minimum. The rest get the integer part of their quota, and the seats left over go to
//!     the largest remainders.
//!   - *Divisor methods*: every college starts at `m_i`; each further seat goes to the highest
//!     priority `e_i / d(s_i)`, with `d(s) = s + 1` (D'Hondt), `s + 1/2` (Sainte-Laguë/Webster)
//!     or `sqrt(s(s + 1))` (Huntington-Hill, where `d(0) = 0` means a college without a seat
//!     comes first). Started from zero minimums this is the textbook method; with minimums it is
//!     the divisor method with lower bounds (Balinski and Young).
//! - **Ties** (equal remainders or equal priorities): the larger enrolment first, then the
//!   earlier college in the input ([`TIE_BREAK`], copied into every [`Allocation`]).
//! - **A4**: ex-officio delegates and main-society seats are attached with
//!   [`Allocation::with_reserved`]; they are reported separately and are not part of `total`.
//!
//! Every decision uses exact integer arithmetic (cross-multiplication in `u128`); floats are
//! only computed for display (`share`, the explanations). [`MAX_ENROLMENT`] and
//! [`MAX_TOTAL_SEATS`] keep every product within `u128` and the work within milliseconds.

mod divisor;
mod hamilton;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::settings::{QuotaMethod, RuleProfile};
use super::types::DelegateKind;

/// The tie rule of A3, stated in every allocation.
pub const TIE_BREAK: &str = "余数（或商数）相同时，在校生人数多的学院优先；\
                             在校生人数也相同时，按输入顺序靠前的学院优先。";

/// Largest total enrolment accepted (keeps Huntington-Hill's `e^2 x s(s+1)` within `u128`).
pub const MAX_ENROLMENT: u64 = 1_000_000_000;

/// Largest total T accepted: divisor methods hand out seats one at a time.
pub const MAX_TOTAL_SEATS: u64 = 1_000_000;

/// The settings of rules A1 and A3 that the allocation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaParams {
    /// A1 ratio in basis points (100 = 1%).
    pub ratio_bp: u32,
    /// A1 minimum seats of any college.
    pub min_seats: u32,
    /// A3 total T; `None` = every college gets its minimum.
    pub total: Option<u64>,
    /// A3 method for the seats above the minimums.
    pub method: QuotaMethod,
}

impl From<&RuleProfile> for QuotaParams {
    fn from(p: &RuleProfile) -> Self {
        QuotaParams {
            ratio_bp: p.quota_ratio_bp,
            min_seats: p.min_seats,
            total: p.total_seats.map(u64::from),
            method: p.quota_method,
        }
    }
}

impl Default for QuotaParams {
    fn default() -> Self {
        QuotaParams::from(&RuleProfile::default())
    }
}

impl QuotaParams {
    /// A1's minimum for a college of `enrolment` students (same rule as the profile's).
    pub fn minimum(&self, enrolment: u64) -> u64 {
        let profile = RuleProfile {
            quota_ratio_bp: self.ratio_bp,
            min_seats: self.min_seats,
            ..RuleProfile::default()
        };
        profile.college_minimum(enrolment)
    }

    /// A2's minimum for the whole congress: ceil(ratio x total enrolment).
    pub fn congress_minimum(&self, enrolment: u64) -> u64 {
        (enrolment as u128 * self.ratio_bp as u128).div_ceil(10_000) as u64
    }
}

/// The quotas of all colleges, with everything the organisers are shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// Serialises as "hamilton" | "dhondt" | "webster" | "huntington-hill".
    pub method: QuotaMethod,
    /// Seats allocated to colleges: T, or the sum of the minimums when no T was set.
    pub total: u64,
    /// Total enrolment E.
    pub enrolment: u64,
    pub sum_of_minimums: u64,
    /// A2: ceil(ratio x E); `total` is never below it.
    pub congress_minimum: u64,
    /// A1 settings used.
    pub ratio_bp: u32,
    pub min_seats: u32,
    /// The tie rule, in Chinese ([`TIE_BREAK`]).
    pub tie_break: String,
    /// One entry per college, in input order.
    pub colleges: Vec<CollegeQuota>,
    /// A4: ex-officio and society seats, outside `total`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reserved: Vec<ReservedSeats>,
}

/// One college's quota and how it came about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollegeQuota {
    pub college: String,
    pub enrolment: u64,
    /// A1 minimum.
    pub minimum: u64,
    /// Exact proportional share of `total`: total x enrolment / E (display only).
    pub share: f64,
    /// Final quota.
    pub quota: u64,
    /// How the quota came about, in Chinese.
    pub explanation: String,
}

/// Seats outside the college quotas (A4): ex-officio delegates or a main society's seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservedSeats {
    /// [`DelegateKind::ExOfficio`] or [`DelegateKind::Society`].
    pub kind: DelegateKind,
    /// Who holds them, e.g. "校学生会主席团" or "青年志愿者协会".
    pub name: String,
    pub seats: u64,
}

/// Why no allocation could be made; the messages name the college and the figures.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuotaError {
    #[error("没有学院，无法分配代表名额")]
    NoColleges,
    #[error("第{position}个学院的名称为空")]
    EmptyName { position: usize },
    #[error("学院「{college}」重复出现（第{first}个和第{second}个）")]
    DuplicateCollege {
        college: String,
        first: usize,
        second: usize,
    },
    #[error("学院「{college}」的在校生人数为{enrolment}，应为正整数")]
    NonPositiveEnrolment { college: String, enrolment: i64 },
    #[error("学院「{college}」的在校生人数{enrolment}超过上限{}", MAX_ENROLMENT)]
    EnrolmentTooLarge { college: String, enrolment: i64 },
    #[error("在校生总数{enrolment}超过上限{}", MAX_ENROLMENT)]
    TotalEnrolmentTooLarge { enrolment: u64 },
    #[error("名额比例{}超过100%（规则A1）", pct(*ratio_bp))]
    RatioTooLarge { ratio_bp: u32 },
    #[error(
        "学院「{college}」只有{enrolment}名学生，少于每个学院的最少名额{min_seats}名（规则A1）"
    )]
    MinimumAboveEnrolment {
        college: String,
        enrolment: u64,
        min_seats: u32,
    },
    #[error(
        "总名额 {total} 少于各学院最低名额之和 {sum_of_minimums}（规则A1），\
         请将总名额设为不少于 {sum_of_minimums}"
    )]
    TotalBelowMinimums { total: u64, sum_of_minimums: u64 },
    #[error("总名额 {total} 超过在校生总数 {enrolment}")]
    TotalAboveEnrolment { total: u64, enrolment: u64 },
    #[error("总名额 {total} 超过上限 {}", MAX_TOTAL_SEATS)]
    TotalTooLarge { total: u64 },
    #[error("预留名额「{name}」的类型应为当然代表或社团代表，而不是选举产生（规则A4）")]
    ReservedElected { name: String },
    #[error("第{position}项预留名额的名称为空，或名额数为0（规则A4）")]
    ReservedInvalid { position: usize },
    #[error("预留名额「{name}」（{}）重复出现（规则A4）", kind.zh())]
    DuplicateReserved { kind: DelegateKind, name: String },
}

/// One college's seats and the method-specific part of its explanation.
struct Outcome {
    quota: u64,
    note: String,
}

/// Allocates the delegate quotas of `colleges` (name, enrolment) under A1-A3.
///
/// The colleges come back in input order. See the module documentation for the rules.
pub fn allocate(
    colleges: &[(String, i64)],
    params: &QuotaParams,
) -> Result<Allocation, QuotaError> {
    let enrol = validate(colleges, params)?;
    let enrolment: u64 = enrol.iter().sum();
    let mins: Vec<u64> = enrol.iter().map(|&e| params.minimum(e)).collect();
    let sum_of_minimums: u64 = mins.iter().sum();
    let congress_minimum = params.congress_minimum(enrolment);
    // A2 holds by construction: sum of ceil(r x e_i) >= ceil(r x sum e_i).
    debug_assert!(sum_of_minimums >= congress_minimum);

    let (total, outcomes) = match params.total {
        None => {
            let out = mins
                .iter()
                .map(|&m| Outcome {
                    quota: m,
                    note: format!("未设定总名额（规则A3），名额即最低名额{m}名"),
                })
                .collect();
            (sum_of_minimums, out)
        }
        Some(total) => {
            if total < sum_of_minimums {
                return Err(QuotaError::TotalBelowMinimums {
                    total,
                    sum_of_minimums,
                });
            }
            if total > MAX_TOTAL_SEATS {
                return Err(QuotaError::TotalTooLarge { total });
            }
            if total > enrolment {
                return Err(QuotaError::TotalAboveEnrolment { total, enrolment });
            }
            let out = match divisor::Divisor::of(params.method) {
                None => hamilton::apportion(&enrol, &mins, total),
                Some(d) => divisor::apportion(d, &enrol, &mins, total),
            };
            (total, out)
        }
    };

    let colleges = colleges
        .iter()
        .zip(enrol.iter().zip(&mins))
        .zip(outcomes)
        .map(|(((name, _), (&e, &m)), out)| {
            let share = total as f64 * e as f64 / enrolment as f64;
            let explanation = format!(
                "在校生{e}人；{}；按在校生比例应占总名额{total}名中的{share:.4}名；{}",
                minimum_text(params, e, m),
                out.note
            );
            CollegeQuota {
                college: name.clone(),
                enrolment: e,
                minimum: m,
                share,
                quota: out.quota,
                explanation,
            }
        })
        .collect();
    Ok(Allocation {
        method: params.method,
        total,
        enrolment,
        sum_of_minimums,
        congress_minimum,
        ratio_bp: params.ratio_bp,
        min_seats: params.min_seats,
        tie_break: TIE_BREAK.to_string(),
        colleges,
        reserved: Vec::new(),
    })
}

impl Allocation {
    /// A4: attaches ex-officio and society seats, reported separately from the college quotas.
    pub fn with_reserved(mut self, reserved: Vec<ReservedSeats>) -> Result<Self, QuotaError> {
        let mut seen = HashMap::new();
        for (i, r) in reserved.iter().enumerate() {
            if r.kind == DelegateKind::Elected {
                return Err(QuotaError::ReservedElected {
                    name: r.name.clone(),
                });
            }
            if r.name.trim().is_empty() || r.seats == 0 {
                return Err(QuotaError::ReservedInvalid { position: i + 1 });
            }
            if seen.insert((r.kind, r.name.trim()), i).is_some() {
                return Err(QuotaError::DuplicateReserved {
                    kind: r.kind,
                    name: r.name.clone(),
                });
            }
        }
        self.reserved = reserved;
        Ok(self)
    }

    /// Seats reserved under A4.
    pub fn reserved_seats(&self) -> u64 {
        self.reserved.iter().map(|r| r.seats).sum()
    }

    /// The whole congress: college quotas plus A4 seats.
    pub fn congress_size(&self) -> u64 {
        self.total + self.reserved_seats()
    }
}

/// Checks the input and returns the enrolments as `u64`, in input order.
fn validate(colleges: &[(String, i64)], params: &QuotaParams) -> Result<Vec<u64>, QuotaError> {
    if colleges.is_empty() {
        return Err(QuotaError::NoColleges);
    }
    if params.ratio_bp > 10_000 {
        return Err(QuotaError::RatioTooLarge {
            ratio_bp: params.ratio_bp,
        });
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut enrol = Vec::with_capacity(colleges.len());
    for (i, (name, e)) in colleges.iter().enumerate() {
        let key = name.trim();
        if key.is_empty() {
            return Err(QuotaError::EmptyName { position: i + 1 });
        }
        if let Some(first) = seen.insert(key, i + 1) {
            return Err(QuotaError::DuplicateCollege {
                college: key.to_string(),
                first,
                second: i + 1,
            });
        }
        let college = || name.clone();
        if *e <= 0 {
            return Err(QuotaError::NonPositiveEnrolment {
                college: college(),
                enrolment: *e,
            });
        }
        let e_u = *e as u64;
        if e_u > MAX_ENROLMENT {
            return Err(QuotaError::EnrolmentTooLarge {
                college: college(),
                enrolment: *e,
            });
        }
        if u64::from(params.min_seats) > e_u {
            return Err(QuotaError::MinimumAboveEnrolment {
                college: college(),
                enrolment: e_u,
                min_seats: params.min_seats,
            });
        }
        enrol.push(e_u);
    }
    // Each term is at most MAX_ENROLMENT, so the sum cannot overflow u64 first.
    let enrolment: u64 = enrol.iter().sum();
    if enrolment > MAX_ENROLMENT {
        return Err(QuotaError::TotalEnrolmentTooLarge { enrolment });
    }
    Ok(enrol)
}

/// "A1最低名额13名（1%×1234向上取整为13，且不少于1名）".
fn minimum_text(params: &QuotaParams, e: u64, m: u64) -> String {
    let by_ratio = params.congress_minimum(e);
    format!(
        "规则A1最低名额{m}名（{}×{e}向上取整为{by_ratio}，且不少于{}名）",
        pct(params.ratio_bp),
        params.min_seats
    )
}

/// Basis points as a percentage without trailing zeros: 100 -> "1%", 150 -> "1.5%".
fn pct(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        format!("{whole}%")
    } else if frac.is_multiple_of(10) {
        format!("{whole}.{}%", frac / 10)
    } else {
        format!("{whole}.{frac:02}%")
    }
}

/// The tie order of [`TIE_BREAK`]: `Greater` = `a` goes first (larger enrolment, earlier input).
fn tie_order(a: (u64, usize), b: (u64, usize)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then(b.1.cmp(&a.1))
}
