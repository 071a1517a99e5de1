//! The indicators (考核指标) of one congress, computed from its filing packet alone: the one
//! function behind both the filing office's province table and a school's own self-assessment
//! (自评表), so the two can never disagree.
//!
//! The items and their wording are the policy documents' (the schools' self-assessment reports:
//! "主席团成员不超过5人", "代表中普通同学不低于60%", "学代会每年召开 / 周期不超过两年" ...);
//! docs/registry.md says how each is computed. The figures come from `record.json`,
//! `roster-summary.json` and the addenda, read as JSON values field by field: a field the
//! record does not have (an older or newer format) makes that one indicator "未记录", never a
//! guessed value. Items the packet cannot show (the union's staff numbers, departments) are not
//! indicators here: a congress's packet does not describe them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

mod addenda;
mod contests;
mod roster;

pub use addenda::latest_addendum;
use addenda::{approval, notice};
use contests::{eligibility, margin, presidium_size, quorum, work_report};
use roster::{coverage, ordinary_share, women_share};

/// B2 / the reform documents: ordinary students (非学生会骨干) at least 60% of the delegates.
pub const ORDINARY_MIN_PCT: u64 = 60;
/// B5 / "女代表不少于 30%".
pub const WOMEN_MIN_PCT: u64 = 30;
/// C1: presidium of a school-level congress.
pub const PRESIDIUM_MAX_SCHOOL: u64 = 5;
/// C1: presidium of a college-level congress.
pub const PRESIDIUM_MAX_COLLEGE: u64 = 3;
/// "周期不超过两年".
pub const DEFAULT_MAX_INTERVAL_MONTHS: u32 = 24;

/// How an indicator came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 达标
    Pass,
    /// 未达标 (shown in red)
    Fail,
    /// 未记录: the packet does not say.
    Unknown,
}

impl Outcome {
    pub fn zh(self) -> &'static str {
        match self {
            Outcome::Pass => "达标",
            Outcome::Fail => "未达标",
            Outcome::Unknown => "未记录",
        }
    }
}

/// One indicator of one congress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Stable id, e.g. `ordinary_share`.
    pub id: &'static str,
    /// Column heading, e.g. "普通同学比例".
    pub short: &'static str,
    /// The requirement in the policy's words, e.g. "代表中普通同学不低于60%".
    pub item: String,
    /// What the packet shows, e.g. "普通同学 130/200 (65.0%)".
    pub value: String,
    /// The short figure of a table cell, e.g. "65.0%".
    pub figure: String,
    pub outcome: Outcome,
}

/// The indicators, in table order: (id, column heading, requirement).
pub const INDICATORS: [(&str, &str, &str); 11] = [
    ("cycle", "召开周期", "学代会每年召开, 周期不超过两年"),
    (
        "presidium_size",
        "主席团人数",
        "主席团成员不超过5人 (院级不超过3人)",
    ),
    (
        "margin",
        "差额选举",
        "主席团实行差额选举: 候选人不少于应选人数加1, 且不少于其120% (规则 C2)",
    ),
    (
        "eligibility",
        "候选人资格",
        "主席团候选人符合资格条件 (政治面貌、成绩排名前30%、无课业不合格)",
    ),
    (
        "ordinary_share",
        "普通同学比例",
        "代表中普通同学 (非学生会骨干) 不低于60%, 各学院均如此",
    ),
    ("women_share", "女代表比例", "女代表不少于30%"),
    (
        "coverage",
        "代表覆盖面",
        "代表覆盖各个学院、年级及主要学生社团",
    ),
    (
        "quorum",
        "到会人数",
        "每场选举和表决到会代表超过应到代表的2/3",
    ),
    ("work_report", "审议工作报告", "大会审议学生会组织工作报告"),
    ("notice", "候选人公示", "主席团候选人名单经统一公示"),
    ("approval", "党委批准", "选举结果经同级党委批准"),
];

/// What a packet says, as JSON values (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// `record.json`.
    pub record: Value,
    /// `roster-summary.json`, if it could be read.
    pub roster_summary: Option<Value>,
    /// Each addendum by its file name without `.json` (`approval`, `approval-2`, `filing`...).
    pub addenda: BTreeMap<String, Value>,
}

/// What is known beside the packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The date (YYYY-MM-DD) of the same school's congress before this one, if known.
    pub previous_congress: Option<String>,
    /// The longest interval allowed between two congresses, in months.
    pub max_interval_months: u32,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            previous_congress: None,
            max_interval_months: DEFAULT_MAX_INTERVAL_MONTHS,
        }
    }
}

/// Every indicator of [`INDICATORS`], in that order.
pub fn assess(facts: &Facts, ctx: &Context) -> Vec<Indicator> {
    INDICATORS
        .iter()
        .map(|(id, short, item)| {
            let (item, value, figure, outcome) = match *id {
                "cycle" => cycle(facts, ctx, item),
                "presidium_size" => presidium_size(facts),
                "margin" => margin(facts, item),
                "eligibility" => eligibility(facts, item),
                "ordinary_share" => ordinary_share(facts, item),
                "women_share" => women_share(facts, item),
                "coverage" => coverage(facts, item),
                "quorum" => quorum(facts),
                "work_report" => work_report(facts, item),
                "notice" => notice(facts, item),
                _ => approval(facts, item),
            };
            Indicator {
                id,
                short,
                item,
                value,
                figure,
                outcome,
            }
        })
        .collect()
}

/// (requirement, value, figure, outcome)
type Judged = (String, String, String, Outcome);

fn unknown(item: &str, why: &str) -> Judged {
    (
        item.to_string(),
        format!("未记录: {why}"),
        "未记录".to_string(),
        Outcome::Unknown,
    )
}

fn judged(item: &str, value: String, figure: String, ok: bool) -> Judged {
    let outcome = if ok { Outcome::Pass } else { Outcome::Fail };
    (item.to_string(), value, figure, outcome)
}

fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn num(v: &Value, pointer: &str) -> Option<u64> {
    v.pointer(pointer).and_then(Value::as_u64)
}

/// `12.3%` of `part` in `whole` ("—" when whole is 0).
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// `part/whole (12.3%)`.
pub fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        format!("{part}/{whole}")
    } else {
        format!(
            "{part}/{whole} ({:.1}%)",
            part as f64 * 100.0 / whole as f64
        )
    }
}

/// ceil(pct% of n) in integers: the fewest that make "不低于 pct%".
pub fn at_least(pct: u64, n: u64) -> u64 {
    (pct * n).div_ceil(100)
}

/// A YYYY-MM-DD date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Whole months from `from` to `to` (negative when `to` is earlier).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let m = (to.year() as i64 - from.year() as i64) * 12 + to.month() as i64 - from.month() as i64;
    if to.day() < from.day() {
        m - 1
    } else {
        m
    }
}

fn cycle(f: &Facts, ctx: &Context, item: &str) -> Judged {
    let Some(date) = text(&f.record, "/congress/date").and_then(parse_date) else {
        return unknown(item, "记录中没有有效的大会日期");
    };
    let Some(prev) = ctx.previous_congress.as_deref() else {
        return unknown(item, "没有上一次大会的记录");
    };
    let Some(prev) = parse_date(prev) else {
        return unknown(item, "上一次大会的日期无效");
    };
    let limit = prev.checked_add_months(chrono::Months::new(ctx.max_interval_months));
    let ok = limit.is_some_and(|l| date <= l);
    let months = months_between(prev, date);
    let value = format!(
        "距上一次大会 ({prev}) {months} 个月{}",
        if ok {
            String::new()
        } else {
            format!(", 超过 {} 个月", ctx.max_interval_months)
        }
    );
    judged(item, value, format!("{months}个月"), ok)
}

#[cfg(test)]
mod tests;
