//! Markup of the contest pages: the form fields, the readiness report, and the candidate
//! table with its stroke-order (C4) and eligibility (C3) explanations.

use maud::{html, Markup};

use crate::domain::candidates::{eligibility, ElectionKind};
use crate::domain::contest::{ContestKind, MotionKind};
use crate::domain::settings::{RuleProfile, Threshold, ThresholdBase};
use crate::domain::strokes::{compare_chars, describe_char, stroke_count};
use crate::domain::types::Violation;
use crate::service::contests::{is_ready, ContestView};
use crate::web::forms::contests::{CandidateForm, ContestForm};
use crate::web::views::{csrf_field, violations_table};

/// A list of form errors.
pub fn errors(list: &[String]) -> Markup {
    html! {
        @if !list.is_empty() {
            ul.errors role="alert" { @for e in list { li { (e) } } }
        }
    }
}

fn radio(name: &str, value: &str, current: &str, label: Markup) -> Markup {
    html! {
        div {
            label.radio {
                input type="radio" name=(name) value=(value) checked[current == value];
                " " (label)
            }
        }
    }
}

/// The threshold choice: presets with the rule's wording, or a custom fraction.
/// A review's follow-up threshold (H4): the share of the worst grade among the grades a
/// person was given.
fn follow_up_fields(f: &ContestForm) -> Markup {
    html! {
        fieldset {
            legend { "跟进标准（规则H4）" }
            input type="hidden" name="threshold_preset" value="custom";
            input type="hidden" name="threshold_base" value="valid_ballots";
            p.hint { "某人所得全部评价（有效评议表数 × 评议项目数）中，最低等次（默认“不称职”）所占比例达到下列标准的，列入跟进（约谈等）。" }
            div.custom-threshold {
                label for="threshold_mode" { "最低等次" }
                select #threshold_mode name="threshold_mode" {
                    option value="inclusive" selected[f.threshold_mode == "inclusive"] { "达到(含)" }
                    option value="strict" selected[f.threshold_mode == "strict"] { "超过" }
                }
                label for="threshold_num" { "分子" }
                input #threshold_num type="number" min="1" max="99" name="threshold_num" value=(f.threshold_num);
                label for="threshold_den" { "分母" }
                input #threshold_den type="number" min="2" max="100" name="threshold_den" value=(f.threshold_den);
            }
        }
    }
}

fn threshold_fields(kind: ContestKind, f: &ContestForm, profile: &RuleProfile) -> Markup {
    if kind == ContestKind::Review {
        return follow_up_fields(f);
    }
    let p = f.threshold_preset.as_str();
    let base = f.threshold_base.as_str();
    html! {
        fieldset {
            legend { @if kind == ContestKind::Election { "当选标准（规则F1）" } @else { "通过标准（规则F4）" } }
            @if kind == ContestKind::Election {
                (radio("threshold_preset", "settings", p, html! { "按大会规则设置：" (profile.election_threshold.zh()) }))
            } @else {
                (radio("threshold_preset", "kind", p, html! {
                    "按类别默认：工作报告、其他为" (Threshold::ORDINARY.zh()) "；章程修正案为" (Threshold::CHARTER.zh())
                }))
            }
            (radio("threshold_preset", "ordinary", p, html! { "过半数：" (Threshold::ORDINARY.zh()) }))
            @if kind == ContestKind::Motion {
                (radio("threshold_preset", "charter", p, html! { "三分之二以上（章程修正案）：" (Threshold::CHARTER.zh()) }))
            }
            (radio("threshold_preset", "custom", p, html! { "自定义：" }))
            div.custom-threshold {
                label for="threshold_mode" { "赞成票" }
                select #threshold_mode name="threshold_mode" {
                    option value="strict" selected[f.threshold_mode == "strict"] { "超过" }
                    option value="inclusive" selected[f.threshold_mode == "inclusive"] { "达到(含)" }
                }
                label for="threshold_num" { "分子" }
                input #threshold_num type="number" min="1" max="100" name="threshold_num" value=(f.threshold_num);
                label for="threshold_den" { "分母" }
                input #threshold_den type="number" min="1" max="100" name="threshold_den" value=(f.threshold_den);
                label for="threshold_base" { "计算基数" }
                select #threshold_base name="threshold_base" {
                    @for b in [ThresholdBase::Present, ThresholdBase::ValidBallots, ThresholdBase::Roster] {
                        @let v = match b { ThresholdBase::Present => "present", ThresholdBase::ValidBallots => "valid_ballots", ThresholdBase::Roster => "roster" };
                        option value=(v) selected[base == v] { (b.zh()) }
                    }
                }
                p.hint { @if kind == ContestKind::Election { "规则F1：当选须赞成票超过1/2，只有计算基数可选。" } @else { "规则F4：只能为超过1/2或达到2/3(含)。" } }
            }
            label for="threshold_reason" { "改变通过标准的理由（与规则默认标准不同时必填，写入结果报告）" }
            textarea #threshold_reason name="threshold_reason" rows="2" maxlength="500" { (f.threshold_reason) }
        }
    }
}

/// The fields of the contest form of `kind`.
pub fn contest_fields(kind: ContestKind, f: &ContestForm, profile: &RuleProfile) -> Markup {
    html! {
        label for="title" { "事项名称" }
        input #title type="text" name="title" required maxlength="100" value=(f.title)
            placeholder=(if kind == ContestKind::Election { "例: 选举第十届学生会主席团成员" } else { "例: 审议学生会工作报告" });
        @if kind == ContestKind::Election {
            label for="election_kind" { "选举类别" }
            select #election_kind name="election_kind" {
                @for k in ElectionKind::ALL {
                    option value=(k.as_str()) selected[f.election_kind == k.as_str()] { (k.zh()) }
                }
            }
            label for="seats" { "应选名额" }
            input #seats type="number" min="1" name="seats" required value=(f.seats);
            p.hint { "规则C1：校级学代会主席团不超过" (profile.max_seats_school) "名，院级不超过" (profile.max_seats_college) "名；委员会、常任代表和其他选举不受此限，候选人资格条件（规则C3）只适用于主席团。" }
            label.checkbox {
                input type="checkbox" name="allow_write_in" checked[f.allow_write_in.is_some()];
                " 选票上设“另选他人”栏"
            }
            label for="margin_override" { "等额或减少差额的理由（规则C2，仅在候选人数不足差额要求时填写）" }
            textarea #margin_override name="margin_override" rows="2" maxlength="500" { (f.margin_override) }
            label for="body" { "说明（可选）" }
            textarea #body name="body" rows="3" { (f.body) }
        } @else if kind == ContestKind::Review {
            label for="body" { "说明（可选，如“学生会主席团成员和各部门负责人本学期述职评议”）" }
            textarea #body name="body" rows="3" { (f.body) }
        } @else {
            label for="motion_kind" { "类别" }
            select #motion_kind name="motion_kind" {
                @for m in MotionKind::ALL {
                    option value=(m.as_str()) selected[f.motion_kind == m.as_str()] { (m.zh()) }
                }
            }
            label for="body" { "表决内容" }
            textarea #body name="body" rows="6" { (f.body) }
        }
        (threshold_fields(kind, f, profile))
    }
}

/// The fields of the candidate form.
pub fn candidate_fields(f: &CandidateForm) -> Markup {
    html! {
        label for="name" { "姓名" }
        input #name type="text" name="name" required maxlength="50" value=(f.name);
        label for="student_no" { "学号" }
        input #student_no type="text" name="student_no" required maxlength="32" value=(f.student_no);
        label for="college" { "学院" }
        input #college type="text" name="college" required maxlength="100" value=(f.college);
        label for="gender" { "性别" }
        select #gender name="gender" {
            option value="" selected[f.gender.is_empty()] { "未填写" }
            option value="male" selected[f.gender == "male"] { "男" }
            option value="female" selected[f.gender == "female"] { "女" }
        }
        label for="political_status" { "政治面貌" }
        input #political_status type="text" name="political_status" list="political-statuses" value=(f.political_status);
        datalist #political-statuses {
            option value="中共党员" {} option value="中共预备党员" {} option value="共青团员" {} option value="群众" {}
        }
        label for="rank_pct" { "专业排名百分比（前N%，填N；不清楚可留空）" }
        input #rank_pct type="text" name="rank_pct" inputmode="numeric" value=(f.rank_pct);
        label for="failed_courses" { "不及格课程门数" }
        input #failed_courses type="number" min="0" name="failed_courses" value=(f.failed_courses);
        label for="eligibility_override" { "特批理由（规则C3：仅当候选人不符合资格条件而确需提名时填写，将记入结果报告）" }
        textarea #eligibility_override name="eligibility_override" rows="2" maxlength="500" { (f.eligibility_override) }
    }
}

/// The readiness report of a contest.
pub fn readiness_block(readiness: &[Violation]) -> Markup {
    html! {
        @if readiness.is_empty() {
            p.flash.ok { "已满足开始投票的条件。" }
        } @else if is_ready(readiness) {
            p.flash.ok { "已满足开始投票的条件；以下特批或提示将记入结果报告：" }
            (violations_table(readiness))
        } @else {
            p.error { "尚不能开始投票，请先解决以下问题：" }
            (violations_table(readiness))
        }
    }
}

/// A short readiness badge for the agenda list.
pub fn readiness_badge(v: &ContestView) -> Markup {
    let errors: Vec<&str> = v
        .readiness
        .iter()
        .filter(|x| !x.warning)
        .map(|x| x.rule.as_str())
        .collect();
    let warnings = v.readiness.len() - errors.len();
    html! {
        @if v.contest.state.has_opened() {
            span.muted { "—" }
        } @else if errors.is_empty() {
            span.badge.ok { "可以开始投票" }
            @if warnings > 0 { " " span.badge { (warnings) "项特批或提示" } }
        } @else {
            span.badge.bad { (errors.len()) "项问题：" (dedup(&errors).join("、")) }
        }
    }
}

fn dedup<'a>(rules: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rules {
        if !out.contains(r) {
            out.push(r);
        }
    }
    out
}

fn is_separator(c: char) -> bool {
    // The characters `strokes::compare_names` skips.
    c.is_whitespace() || matches!(c, '·' | '・' | '•' | '‧' | '.' | '．')
}

/// Why `cur` follows `prev` on the ballot (C4), following `strokes::compare_names`.
pub fn order_note(prev: &str, cur: &str) -> String {
    let a: Vec<char> = prev.chars().filter(|c| !is_separator(*c)).collect();
    let b: Vec<char> = cur.chars().filter(|c| !is_separator(*c)).collect();
    for (k, (&x, &y)) in a.iter().zip(&b).enumerate() {
        if stroke_count(x).is_none() && stroke_count(y).is_none() {
            return "无笔画数据，按录入顺序".to_string();
        }
        if compare_chars(x, y) != std::cmp::Ordering::Equal {
            return format!(
                "第{}字：{} 先于 {}",
                k + 1,
                describe_char(x),
                describe_char(y)
            );
        }
    }
    if a.len() < b.len() {
        format!("前{}字笔画相同，字数少者在前", a.len())
    } else {
        "笔画无法区分，按录入顺序".to_string()
    }
}

/// The candidates in ballot order with strokes, eligibility, and (when `edit`) actions.
pub fn candidates_table(
    base: &str,
    v: &ContestView,
    profile: &RuleProfile,
    edit: Option<&str>,
) -> Markup {
    let c3 = v
        .contest
        .def
        .kind_of_election()
        .unwrap_or_default()
        .checks_eligibility();
    html! {
        p.hint { "选票上候选人按姓氏笔画排列（规则C4）：笔画少者在前；笔画数相同的，按起笔笔形横、竖、撇、点、折排列；姓氏相同的再依次比较名字各字；笔画无法区分时按录入顺序。" }
        div.scroll { table.candidates {
            thead { tr {
                th.num { "选票顺序" } th { "姓名" } th { "姓氏笔画" } th { "排序依据（与上一位比较）" }
                th { "学号" } th { "学院" } th { "性别" } th { "政治面貌" } th.num { "专业排名" } th.num { "不及格门数" }
                th { @if c3 { "资格审查（规则C3）" } @else { "资格审查（仅主席团）" } }
                @if edit.is_some() { th { "操作" } }
            } }
            tbody {
                @for (i, c) in v.candidates.iter().enumerate() {
                    @let e = eligibility(c, profile);
                    @let e = if c3 { e } else { crate::domain::candidates::Eligibility { eligible: true, ..e } };
                    tr class=(if e.eligible { "ok" } else if e.overridden { "warning" } else { "error" }) {
                        td.num { (i + 1) }
                        td.nw { (c.name) }
                        td.nw { (c.name.chars().next().map(describe_char).unwrap_or_default()) }
                        td.why { @if i == 0 { "首位" } @else { (order_note(&v.candidates[i - 1].name, &c.name)) } }
                        td.nw { (c.student_no) }
                        td.nw { (c.college) }
                        td.nw { (c.gender.map(|g| g.zh()).unwrap_or("—")) }
                        td.nw { (c.political_status) }
                        td.num { @if let Some(p) = c.rank_pct { "前" (p) "%" } @else { "—" } }
                        td.num { (c.failed_courses) }
                        td {
                            @if !c3 { "不适用" }
                            @else if e.eligible { "符合" }
                            @else {
                                @if e.overridden { strong { "特批" } } @else { strong { "不符合" } }
                                ul { @for r in &e.reasons { li { (r) } } }
                                @if let Some(reason) = &e.override_reason { p { "特批理由：" (reason) } }
                            }
                        }
                        @if let Some(csrf) = edit {
                            td {
                                a href={(base) "/candidates/" (c.id)} { "修改" }
                                form.inline method="post" action={(base) "/candidates/" (c.id) "/delete"} {
                                    (csrf_field(csrf))
                                    " " button.secondary type="submit" { "删除" }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_notes_name_the_deciding_character() {
        // 王 4 strokes before 李 7.
        assert_eq!(
            order_note("王建国", "李明"),
            "第1字：王：4画，横横竖横 先于 李：7画，横竖撇点折竖横"
        );
        // Same surname: 张伟 vs 张静, decided by 伟 (6) before 静 (14).
        assert!(order_note("张伟", "张静").starts_with("第2字：伟：6画"));
        assert_eq!(order_note("高富", "高富强"), "前2字笔画相同，字数少者在前");
        assert_eq!(order_note("张伟", "张伟"), "笔画无法区分，按录入顺序");
        assert_eq!(order_note("Anna", "John"), "无笔画数据，按录入顺序");
    }
}
