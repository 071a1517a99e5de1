//! The indicators of one congress (`registry::indicators`) as a table: the same markup on the
//! filing office's filing page and on a school's own self-assessment page (自评表).

use maud::{html, Markup};

use crate::registry::indicators::{Indicator, Outcome};

/// The CSS class of a cell or row for an outcome: failures red, "未记录" grey.
pub fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Unknown => "unknown",
    }
}

/// A badge with the outcome's word.
pub fn outcome_badge(o: Outcome) -> Markup {
    let class = match o {
        Outcome::Pass => "badge ok",
        Outcome::Fail => "badge bad",
        Outcome::Unknown => "badge",
    };
    html! { span class=(class) { (o.zh()) } }
}

/// 序号, 项目, 要求, 情况, 结论.
pub fn indicators_table(list: &[Indicator]) -> Markup {
    html! {
        div.scroll {
            table.indicators {
                thead { tr { th.num { "序号" } th { "项目" } th { "要求" } th { "情况" } th { "结论" } } }
                tbody {
                    @for (i, ind) in list.iter().enumerate() {
                        tr class=(outcome_class(ind.outcome)) {
                            td.num { (i + 1) }
                            td { (ind.short) }
                            td { (ind.item) }
                            td { (ind.value) }
                            td { (outcome_badge(ind.outcome)) }
                        }
                    }
                }
            }
        }
    }
}
