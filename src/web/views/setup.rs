//! The set-up page's markup: the details form, and every rule-profile setting with its
//! default and a short Chinese explanation (what it means, which rule, the legal wording),
//! as a form while the congress is in set-up and as a read-only table afterwards.

use maud::{html, Markup};

use crate::domain::settings::{Fraction, RuleProfile, ThresholdBase, TieRule};
use crate::domain::types::Level;
use crate::storage::repo::congress::CongressDetails;
use crate::web::forms::details::DetailsForm;
use crate::web::forms::settings::{base_str, bp_percent, method_options, tie_str, SettingsForm};
use crate::web::views::csrf_field;

/// One setting as the page shows it.
struct Setting {
    label: &'static str,
    /// The `id` of its first input (what the label points at).
    id: &'static str,
    rule: &'static str,
    help: String,
    default: String,
    current: String,
    input: Markup,
}

/// "超过2/3" (strict) or "2/3以上(含)" (inclusive): the legal wording of a fraction.
pub fn fraction_zh(f: &Fraction) -> String {
    if f.strict {
        format!("超过{}/{}", f.num, f.den)
    } else {
        format!("{}/{}以上(含)", f.num, f.den)
    }
}

fn threshold_zh(p: &RuleProfile) -> String {
    let t = &p.election_threshold;
    format!("赞成票{}{}", fraction_zh(&t.fraction), t.base.zh())
}

fn seats(n: u32) -> String {
    format!("{n}名")
}

fn women_zh(pct: u32) -> String {
    if pct == 0 {
        "不设".to_string()
    } else {
        format!("{pct}%")
    }
}

fn total_zh(t: Option<u32>) -> String {
    t.map(seats)
        .unwrap_or_else(|| "各学院最低名额之和".to_string())
}

fn tie_zh(t: TieRule) -> &'static str {
    match t {
        TieRule::Runoff => "再次投票",
        TieRule::Vacant => "名额空缺",
    }
}

fn text(name: &str, value: &str, placeholder: &str) -> Markup {
    html! { input id=(name) type="text" name=(name) value=(value) placeholder=(placeholder); }
}

fn select(name: &str, value: &str, options: &[(String, String)]) -> Markup {
    html! {
        select id=(name) name=(name) {
            @for (v, label) in options {
                option value=(v) selected[v == value] { (label) }
            }
        }
    }
}

fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

fn strict_options() -> Vec<(String, String)> {
    opts(&[
        ("strict", "超过(严格大于, 不含本数)"),
        ("inclusive", "以上(含)(大于或等于)"),
    ])
}

fn settings(p: &RuleProfile, f: &SettingsForm) -> Vec<Setting> {
    let d = RuleProfile::default();
    let yes_no_opts = |yes: &str, no: &str| opts(&[("yes", yes), ("no", no)]);
    let mut quorum_opts = opts(&[("2/3", "2/3"), ("4/5", "4/5")]);
    let cur_q = format!("{}/{}", p.quorum.num, p.quorum.den);
    if !quorum_opts.iter().any(|(v, _)| *v == cur_q) {
        quorum_opts.push((cur_q.clone(), format!("{cur_q}(当前值)")));
    }
    let q_strict = Fraction::new(d.quorum.num, d.quorum.den, true);
    let q_incl = Fraction::new(d.quorum.num, d.quorum.den, false);
    let e_strict = Fraction::new(1, 2, true);
    let method_opts: Vec<(String, String)> = method_options()
        .iter()
        .map(|(v, _, zh)| (v.to_string(), zh.to_string()))
        .collect();
    let base_opts: Vec<(String, String)> = [
        ThresholdBase::Present,
        ThresholdBase::ValidBallots,
        ThresholdBase::Roster,
    ]
    .iter()
    .map(|b| (base_str(*b).to_string(), b.zh().to_string()))
    .collect();
    let tie_opts: Vec<(String, String)> = [TieRule::Runoff, TieRule::Vacant]
        .iter()
        .map(|t| (tie_str(*t).to_string(), tie_zh(*t).to_string()))
        .collect();
    vec![
        Setting {
            label: "名额比例",
            id: "quota_ratio",
            rule: "A1、A2",
            help: format!(
                "每个学院的代表名额不少于该学院学生人数乘以这一比例(向上取整), 全体代表也不少于全校学生总数乘以这一比例。“不少于”含本数。例如按{}计, 1234名学生的学院至少{}名代表。可填“1%”或“1”, 最多两位小数(如“0.5%”)。",
                bp_percent(d.quota_ratio_bp), d.college_minimum(1234)
            ),
            default: bp_percent(d.quota_ratio_bp),
            current: bp_percent(p.quota_ratio_bp),
            input: text("quota_ratio", &f.quota_ratio, "1%"),
        },
        Setting {
            label: "每个学院最少名额",
            id: "min_seats",
            rule: "A1",
            help: "有学生的学院至少分到的名额, 即使按比例计算的结果更小。".to_string(),
            default: seats(d.min_seats),
            current: seats(p.min_seats),
            input: text("min_seats", &f.min_seats, "1"),
        },
        Setting {
            label: "代表总数",
            id: "total_seats",
            rule: "A3",
            help: "可设定大于各学院最低名额之和的代表总数T, 多出的席位按学生人数比例分配; 留空表示代表总数等于各学院最低名额之和。".to_string(),
            default: total_zh(d.total_seats),
            current: total_zh(p.total_seats),
            input: text("total_seats", &f.total_seats, "留空"),
        },
        Setting {
            label: "比例分配方法",
            id: "quota_method",
            rule: "A3",
            help: "分配最低名额以外席位的方法。无论哪种方法, 任何学院都不会低于A1的最低名额; “名额分配”页面说明每个学院的精确份额、最低名额和最终名额。".to_string(),
            default: d.quota_method.zh().to_string(),
            current: p.quota_method.zh().to_string(),
            input: select("quota_method", &f.quota_method, &method_opts),
        },
        Setting {
            label: "允许超额",
            id: "allow_surplus",
            rule: "B1",
            help: "各学院代表人数应等于其名额: 少于名额是错误; 多于名额默认也是错误, 选择“允许”后只作为警告列出。".to_string(),
            default: "不允许".to_string(),
            current: if p.allow_surplus { "允许" } else { "不允许" }.to_string(),
            input: select("allow_surplus", &f.allow_surplus, &yes_no_opts("允许", "不允许")),
        },
        Setting {
            label: "普通同学比例",
            id: "ordinary_min_pct",
            rule: "B2",
            help: format!(
                "每个学院以及全体代表中, 非校、院级学生会骨干(不是主席团成员、部门负责人或工作人员)的普通同学不少于这一比例, 人数向上取整、含本数: 普通同学 ≥ ⌈{}% × 代表人数⌉, 例如11名代表中至少{}名。",
                d.ordinary_min_pct, d.ordinary_required(11)
            ),
            default: format!("{}%", d.ordinary_min_pct),
            current: format!("{}%", p.ordinary_min_pct),
            input: text("ordinary_min_pct", &f.ordinary_min_pct, "60%"),
        },
        Setting {
            label: "女代表比例",
            id: "women_min_pct",
            rule: "B5",
            help: format!(
                "全体代表中女代表不少于这一比例, 人数向上取整、含本数, 例如100名代表中至少{}名。可选不设、25%或30%。",
                d.women_required(100)
            ),
            default: women_zh(d.women_min_pct),
            current: women_zh(p.women_min_pct),
            input: select("women_min_pct", &f.women_min_pct, &opts(&[("0", "不设"), ("25", "25%"), ("30", "30%")])),
        },
        Setting {
            label: "校级主席团名额上限",
            id: "max_seats_school",
            rule: "C1",
            help: "校级学代会选举主席团成员的名额不超过这一数字(“不超过”含本数)。".to_string(),
            default: seats(d.max_seats_school),
            current: seats(p.max_seats_school),
            input: text("max_seats_school", &f.max_seats_school, "5"),
        },
        Setting {
            label: "院级主席团名额上限",
            id: "max_seats_college",
            rule: "C1",
            help: "院级学代会选举主席团成员的名额不超过这一数字(“不超过”含本数)。".to_string(),
            default: seats(d.max_seats_college),
            current: seats(p.max_seats_college),
            input: text("max_seats_college", &f.max_seats_college, "3"),
        },
        Setting {
            label: "学业排名要求",
            id: "eligibility_rank_pct",
            rule: "C3",
            help: "主席团候选人须为中共党员、中共预备党员或共青团员, 学业成绩在本专业排名前这一比例以内(含本数), 且没有不及格课程; 不符合的候选人须由组织者登记理由后才能列入, 理由写入报告单。".to_string(),
            default: format!("前{}%", d.eligibility_rank_pct),
            current: format!("前{}%", p.eligibility_rank_pct),
            input: text("eligibility_rank_pct", &f.eligibility_rank_pct, "30%"),
        },
        Setting {
            label: "法定人数",
            id: "quorum_fraction",
            rule: "D2",
            help: format!(
                "每项选举或表决开始投票前, 实到代表须达到应到代表的这一比例。“超过”是严格大于: 应到300人时“{}”至少需实到{}人; “以上(含)”是大于或等于: “{}”至少需实到{}人。可选2/3或4/5。开始投票时的实到人数就是该项的发出选票数。",
                fraction_zh(&q_strict), q_strict.min_count(300), fraction_zh(&q_incl), q_incl.min_count(300)
            ),
            default: format!("实到{}应到", fraction_zh(&d.quorum)),
            current: format!("实到{}应到", fraction_zh(&p.quorum)),
            input: html! {
                (select("quorum_fraction", &f.quorum_fraction, &quorum_opts))
                (select("quorum_strict", &f.quorum_strict, &strict_options()))
            },
        },
        Setting {
            label: "应到扣除请假",
            id: "subtract_absences",
            rule: "D1",
            help: "应到代表数为冻结名单上的代表人数; 选择“扣除”则减去经批准请假的代表。".to_string(),
            default: "不扣除".to_string(),
            current: if p.subtract_approved_absences { "扣除" } else { "不扣除" }.to_string(),
            input: select("subtract_absences", &f.subtract_absences, &yes_no_opts("扣除", "不扣除")),
        },
        Setting {
            label: "当选票数",
            id: "election_base",
            rule: "F1",
            help: format!(
                "候选人的赞成票须达到所选基数的这一比例才能当选, 达到的候选人按赞成票多少依次当选。“超过”“过半数”是严格大于: 实到300人时“{}”至少需{}票; “以上(含)”是大于或等于。基数可选实到代表数、有效票数或应到代表数。表决事项(规则F4)的通过票数在各表决事项中分别设置。",
                fraction_zh(&e_strict), e_strict.min_count(300)
            ),
            default: threshold_zh(&d),
            current: threshold_zh(p),
            input: html! {
                (select("election_base", &f.election_base, &base_opts))
                (text("election_fraction", &f.election_fraction, "1/2"))
                (select("election_strict", &f.election_strict, &strict_options()))
            },
        },
        Setting {
            label: "末位票数相同",
            id: "tie_rule",
            rule: "F2",
            help: "最后的名额有几名候选人赞成票相同时: 在票数相同的候选人中再次投票, 或者该名额空缺。".to_string(),
            default: tie_zh(d.tie_rule).to_string(),
            current: tie_zh(p.tie_rule).to_string(),
            input: select("tie_rule", &f.tie_rule, &tie_opts),
        },
        Setting {
            label: "审批与公示程序",
            id: "approval_procedure",
            rule: "C5-C7、G4",
            help: "执行时: 主席团候选人名单须经校党委批准、请示上级学联并公示期满才能开始投票, 上级学联答复召开申请后才能宣布开会 (均可登记理由提前)。".to_string(),
            default: "不执行".to_string(),
            current: if p.approval_procedure { "执行" } else { "不执行" }.to_string(),
            input: select("approval_procedure", &f.approval_procedure, &yes_no_opts("执行", "不执行")),
        },
        Setting {
            label: "候选人公示期",
            id: "notice_days",
            rule: "C6",
            help: "公示的工作日数(1到30), 不计周末和组织者登记的节假日, 计入调休上班日。".to_string(),
            default: format!("{}个工作日", d.notice_working_days),
            current: format!("{}个工作日", p.notice_working_days),
            input: text("notice_days", &f.notice_days, "5"),
        },
        Setting {
            label: "届期(年)",
            id: "term_years",
            rule: "I6",
            help: "自本次大会起到下一次大会的期限(1或2年, 周期不超过两年); 届期时间线按此提醒换届, 并在其间逐学期、逐年提醒述职评议和常代会会议。".to_string(),
            default: format!("{}年", d.term_years),
            current: format!("{}年", p.term_years),
            input: text("term_years", &f.term_years, "2"),
        },
        Setting {
            label: "第二学期开始日期",
            id: "spring_start",
            rule: "I6",
            help: "月-日, 如 03-01; 第二学期到第一学期开始的前一天为止。届期时间线按学期提醒述职评议。".to_string(),
            default: d.semester_starts[0].zh(),
            current: p.semester_starts[0].zh(),
            input: text("spring_start", &f.spring_start, "02-01"),
        },
        Setting {
            label: "第一学期开始日期",
            id: "autumn_start",
            rule: "I6",
            help: "月-日, 如 09-01; 第一学期到次年第二学期开始的前一天为止。".to_string(),
            default: d.semester_starts[1].zh(),
            current: p.semester_starts[1].zh(),
            input: text("autumn_start", &f.autumn_start, "08-01"),
        },
    ]
}

/// The legal-wording note above the settings.
fn wording_note() -> Markup {
    html! {
        p.hint {
            "用语说明: “超过”“过半数”指严格大于, 不含本数; “N分之M以上”“不少于”“不超过”含本数。"
            "本页的全部设置都会写入选举结果报告单, 供审核者核对。"
        }
    }
}

/// The settings section: a form when `editable`, otherwise a read-only table with `reason`.
pub fn settings_section(
    cid: &str,
    csrf: &str,
    profile: &RuleProfile,
    form: &SettingsForm,
    editable: bool,
    reason: Option<&str>,
    errors: &[String],
) -> Markup {
    let rows = settings(profile, form);
    html! {
        section #settings {
            h2 { "规则设置" }
            (wording_note())
            (error_list(errors))
            @if editable {
                form.stack method="post" action={"/c/" (cid) "/setup/settings"} {
                    (csrf_field(csrf))
                    @for s in &rows {
                        div.setting {
                            label for=(s.id) { (s.label) " " span.badge { "规则" (s.rule) } }
                            (s.input)
                            p.hint { (s.help) " 默认: " strong { (s.default) } "。" }
                        }
                    }
                    div.actions { button type="submit" { "保存规则设置" } }
                }
            } @else {
                @if let Some(r) = reason { p.muted { (r) } }
                table {
                    thead { tr { th { "设置" } th { "规则" } th { "当前值" } th { "默认值" } th { "说明" } } }
                    tbody {
                        @for s in &rows {
                            tr {
                                td { (s.label) }
                                td { (s.rule) }
                                td { strong { (s.current) } }
                                td { (s.default) }
                                td.hint { (s.help) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn error_list(errors: &[String]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div role="alert" {
                p.error { "未保存, 请修改以下内容后重新提交:" }
                ul.errors { @for e in errors { li { (e) } } }
            }
        }
    }
}

/// The details section: the form when `editable`, otherwise the facts with `reason`.
pub fn details_section(
    cid: &str,
    csrf: &str,
    f: &DetailsForm,
    editable: bool,
    reason: Option<&str>,
    errors: &[String],
) -> Markup {
    let level = Level::parse(&f.level);
    html! {
        section #details {
            h2 { "大会信息" }
            (error_list(errors))
            @if editable {
                form.stack method="post" action={"/c/" (cid) "/setup/details"} {
                    (csrf_field(csrf))
                    label for="name" { "大会名称" }
                    input #name type="text" name="name" required value=(f.name);
                    label for="school" { "学校" }
                    input #school type="text" name="school" required value=(f.school);
                    label for="level" { "级别" }
                    select #level name="level" {
                        option value="school" selected[level == Some(Level::School)] { "校级" }
                        option value="college" selected[level == Some(Level::College)] { "院级" }
                    }
                    label for="session_no" { "届次 (第N次)" }
                    input #session_no type="text" inputmode="numeric" name="session_no" required value=(f.session_no);
                    label for="date" { "日期" }
                    input #date type="date" name="date" required value=(f.date);
                    label for="place" { "地点" }
                    input #place type="text" name="place" required value=(f.place);
                    div.actions { button type="submit" { "保存大会信息" } }
                }
            } @else {
                @if let Some(r) = reason { p.muted { (r) } }
                dl.facts {
                    dt { "大会名称" } dd { (f.name) }
                    dt { "学校" } dd { (f.school) }
                    dt { "级别" } dd { (level.map(Level::zh).unwrap_or("—")) }
                    dt { "届次" } dd { "第" (f.session_no) "次" }
                    dt { "日期" } dd { (f.date) }
                    dt { "地点" } dd { (f.place) }
                }
            }
        }
    }
}

/// The details fields, shared by "new" and "edit".
pub fn details_fields(d: Option<&CongressDetails>) -> Markup {
    let v = |f: fn(&CongressDetails) -> String| d.map(f).unwrap_or_default();
    let level = d.map(|d| d.level).unwrap_or(Level::School);
    html! {
        label for="name" { "大会名称" }
        input #name type="text" name="name" required value=(v(|d| d.name.clone())) placeholder="例: 某某大学第十次学生代表大会";
        label for="school" { "学校" }
        input #school type="text" name="school" required value=(v(|d| d.school.clone()));
        label for="level" { "级别" }
        select #level name="level" {
            option value="school" selected[level == Level::School] { "校级" }
            option value="college" selected[level == Level::College] { "院级" }
        }
        label for="session_no" { "届次 (第N次)" }
        input #session_no type="number" min="1" name="session_no" required value=(v(|d| d.session_no.to_string()));
        label for="date" { "日期" }
        input #date type="date" name="date" required value=(v(|d| d.date.clone()));
        label for="place" { "地点" }
        input #place type="text" name="place" required value=(v(|d| d.place.clone()));
    }
}
