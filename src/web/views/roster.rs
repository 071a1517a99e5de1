//! The roster's tables: delegates, the validation report (figures per college and for the
//! whole congress, and every violation), and the substitutions of a generation.

use maud::{html, Markup};

use super::components::{datetime, percent, violations_table};
use crate::domain::generate::Substitution;
use crate::domain::roster::{is_ordinary, RosterReport, RosterSummary};
use crate::service::roster::StoredReport;
use crate::storage::repo::roster::Delegate;

/// The delegates in delegate-number order.
pub fn delegates_table(delegates: &[Delegate]) -> Markup {
    html! {
        @if delegates.is_empty() {
            p.muted { "还没有代表名单: 生成或上传后显示在这里。" }
        } @else {
            table.delegates {
                thead {
                    tr {
                        th.num { "代表编号" } th { "姓名" } th { "学号" } th { "学院" } th { "年级" }
                        th { "性别" } th { "学生会职务" } th { "代表类别" }
                    }
                }
                tbody {
                    @for d in delegates {
                        @let s = &d.student;
                        tr {
                            td.num { (d.delegate_no) }
                            td { (s.name) }
                            td { (s.student_no) }
                            td { (s.college) }
                            td { (s.grade) }
                            td { (s.gender.zh()) }
                            td {
                                @match s.union_role.as_deref() {
                                    Some(r) if !is_ordinary(s, None) => (r),
                                    _ => span.muted { "普通同学" },
                                }
                            }
                            td { (d.kind.zh()) }
                        }
                    }
                }
            }
        }
    }
}

/// Where a stored report came from, in one line.
pub fn report_origin(s: &StoredReport) -> Markup {
    let action = match s.action.as_str() {
        "roster.generate" => "生成名单时",
        "roster.upload" => "上传名单时",
        "roster.freeze" => "冻结名单时",
        _ => "重新校验时",
    };
    html! {
        p.muted {
            "名单来源: "
            @match s.source {
                Some(src) => { (src.zh()) @if let Some(f) = &s.file_name { "(" (f) ")" } }
                None => "—",
            }
            " · 报告生成于" (action) ": " (datetime(s.at)) ", 操作人 " (s.by)
        }
    }
}

/// "普通同学 20/33 (60.6%), 应不少于20".
fn share(part: u64, whole: u64, required: u64) -> Markup {
    let ok = part >= required;
    html! {
        span class=(if ok { "badge ok" } else { "badge bad" }) {
            (part) "/" (whole) " (" (percent(part, whole)) ")"
        }
        " 应不少于" (required)
    }
}

/// The validation report: verdict, congress-wide figures, per-college figures, violations.
pub fn report_view(r: &RosterReport) -> Markup {
    let s = &r.summary;
    let errors = r.violations.iter().filter(|v| !v.warning).count();
    html! {
        @if r.valid {
            p.flash.ok { "代表名单符合全部规则(B1-B6)。" }
        } @else {
            p.flash.error { "代表名单有" (errors) "处不符合规则, 不能冻结。" }
        }
        (congress_figures(s))
        (college_figures(s))
        @if !r.violations.is_empty() {
            h3 { (if errors == 0 { "提示" } else { "违反规则的情况" }) "(" (r.violations.len()) ")" }
            (violations_table(&r.violations))
        }
    }
}

fn congress_figures(s: &RosterSummary) -> Markup {
    html! {
        dl.facts {
            dt { "代表人数" }
            dd {
                (s.total) "名(选举产生" (s.elected) "名, 当然代表" (s.ex_officio) "名, 社团代表" (s.society_seats) "名)"
                @if s.excluded > 0 { "; 另有" (s.excluded) "行学院为空或不存在, 未计入" }
            }
            dt { "普通同学(B2)" } dd { (share(s.ordinary, s.total, s.ordinary_required)) }
            dt { "女代表(B5)" } dd { (share(s.women, s.total, s.women_required)) }
            dt { "主要学生社团(B4)" }
            dd {
                @if s.societies_required.is_empty() {
                    span.muted { "未设置主要学生社团" }
                } @else {
                    "已覆盖" (s.societies_covered.len()) "/" (s.societies_required.len())
                    @if !s.societies_covered.is_empty() { ": " (s.societies_covered.join("、")) }
                    @if !s.societies_missing.is_empty() {
                        br; span.badge.bad { "没有代表: " (s.societies_missing.join("、")) }
                    }
                }
            }
        }
    }
}

fn college_figures(s: &RosterSummary) -> Markup {
    html! {
        table.colleges {
            thead {
                tr {
                    th { "学院" } th.num { "名额(B1)" } th.num { "选举代表" } th.num { "当然/社团代表" }
                    th { "普通同学(B2)" } th.num { "女代表" } th { "年级覆盖(B3)" }
                }
            }
            tbody {
                @for c in &s.colleges {
                    tr class=[(c.delegates != c.quota).then_some("error")] {
                        td { (c.college) }
                        td.num { (c.quota) }
                        td.num { (c.delegates) }
                        td.num { (c.ex_officio + c.society_seats) }
                        td { (share(c.ordinary, c.delegates, c.ordinary_required)) }
                        td.num { (c.women) " (" (percent(c.women, c.delegates)) ")" }
                        td {
                            (c.grades_covered.len()) "/" (c.grades.len()) "个年级, 应覆盖" (c.grades_required)
                            @if c.uncoverable_grades > 0 {
                                br; span.muted { "名额少于年级数, " (c.uncoverable_grades) "个年级无法都有代表" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The substitutions of the generation that produced the roster.
pub fn substitutions_table(subs: &[Substitution]) -> Markup {
    let person = |name: &str, rank: Option<u64>, votes: Option<u64>| match (rank, votes) {
        (Some(r), Some(v)) => format!("{name}(第{r}名, {v}票)"),
        _ => name.to_string(),
    };
    html! {
        @if subs.is_empty() {
            p.muted { "按得票排名直接入选, 没有调整。" }
        } @else {
            table.substitutions {
                thead { tr { th { "学院" } th { "规则" } th { "未入选" } th { "替补入选" } th { "说明" } } }
                tbody {
                    @for s in subs {
                        tr {
                            td { (s.college) }
                            td { (s.rule) }
                            td {
                                @match &s.removed {
                                    Some(r) => (person(&r.name, s.removed_rank, s.removed_votes)),
                                    None => span.muted { "—" },
                                }
                            }
                            td { (person(&s.added.name, Some(s.added_rank), Some(s.added_votes))) }
                            td { (s.reason) }
                        }
                    }
                }
            }
        }
    }
}
