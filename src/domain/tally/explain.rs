//! The Chinese sentences of a result (F5): every outcome names the rule, the base with its
//! figure, the fraction, the threshold figure and the votes.

use crate::domain::settings::{Fraction, ThresholdBase};

use super::result::Contender;

/// A threshold with this contest's figures, ready to be put into words.
#[derive(Debug, Clone, Copy)]
pub(super) struct Words {
    pub rule: &'static str,
    pub base: ThresholdBase,
    pub figure: u64,
    pub fraction: Fraction,
    pub min_for: u64,
}

impl Words {
    /// "实到代表 200 人" / "有效票 180 张" / "应到代表 250 人".
    fn base_phrase(&self) -> String {
        match self.base {
            ThresholdBase::Present => format!("实到代表 {} 人", self.figure),
            ThresholdBase::ValidBallots => format!("有效票 {} 张", self.figure),
            ThresholdBase::Roster => format!("应到代表 {} 人", self.figure),
        }
    }

    /// "1/2" or "2/3 (含本数)": 超过 is strict, N分之M以上 inclusive.
    fn fraction_phrase(&self) -> String {
        let Fraction { num, den, strict } = self.fraction;
        if strict {
            format!("{num}/{den}")
        } else {
            format!("{num}/{den} (含本数)")
        }
    }

    /// "超过实到代表 200 人的 1/2 (至少 101 票)" or "达到实到代表 150 人的 2/3 (含本数, 至少
    /// 100 票)", or their negation.
    pub fn clause(&self, met: bool) -> String {
        let verb = match (self.fraction.strict, met) {
            (true, true) => "超过",
            (true, false) => "未超过",
            (false, true) => "达到",
            (false, false) => "未达到",
        };
        let Fraction { num, den, strict } = self.fraction;
        let incl = if strict { "" } else { "含本数, " };
        format!(
            "{verb}{}的 {num}/{den} ({incl}至少 {} 票)",
            self.base_phrase(),
            self.min_for
        )
    }

    /// "规则 F1: 赞成票须超过实到代表 200 人的 1/2, 即至少 101 票".
    pub fn rule_text(&self) -> String {
        let verb = if self.fraction.strict {
            "超过"
        } else {
            "达到"
        };
        format!(
            "规则 {}: 赞成票须{verb}{}的 {}, 即至少 {} 票",
            self.rule,
            self.base_phrase(),
            self.fraction_phrase(),
            self.min_for
        )
    }
}

/// "张三" for a listed candidate, "另选他人 王五" for a write-in.
pub(super) fn who(c: &Contender) -> String {
    match c.id {
        Some(_) => c.name.clone(),
        None => format!("另选他人 {}", c.name),
    }
}

/// "张三、李四".
pub(super) fn names(list: &[Contender]) -> String {
    list.iter().map(who).collect::<Vec<_>>().join("、")
}

/// "张三 (120 票)、李四 (98 票)".
pub(super) fn names_with_votes(list: &[Contender]) -> String {
    list.iter()
        .map(|c| format!("{} ({} 票)", who(c), c.for_votes))
        .collect::<Vec<_>>()
        .join("、")
}

/// The opening of every summary: "发出选票 200 张, 收回 198 张, 有效 195 张, 废票 3 张".
pub(super) fn figures(issued: u64, cast: u64, valid: u64, invalid: u64) -> String {
    format!("发出选票 {issued} 张, 收回 {cast} 张, 有效 {valid} 张, 废票 {invalid} 张")
}

/// E4's sentence for a void contest.
pub(super) fn void_sentence(issued: u64, cast: u64, what: &str) -> String {
    format!(
        "收回选票 {cast} 张, 多于发出选票 {issued} 张, 根据规则 E4 本次{what}无效, 须重新{what}"
    )
}
