//! The roster page (`/c/{cid}/roster`): what the last action left to say, the owner's actions
//! for the congress's state, the validation report (figures per college and for the whole
//! congress, and every violation), the substitutions of the last generation and the delegates.
//! The tables are shared with the API's and the record's readers.

use maud::{html, Markup};

use super::components::{csrf_field, datetime, percent, violations_table};
use crate::domain::roster::generate::Infeasible;
use crate::domain::roster::generate::Substitution;
use crate::domain::roster::{is_ordinary, RosterReport, RosterSummary};
use crate::domain::settings::RuleProfile;
use crate::import::FileKind;
use crate::packet::chart;
use crate::service::delegate_filter::{DelegateFilter, Filtered, ListKind};
use crate::service::roster::StoredReport;
use crate::service::roster::{
    Rejected, RosterOverview, RosterSource, UploadedRoster, MAX_REASON_CHARS,
};
use crate::storage::repo::congress::Congress;
use crate::storage::repo::roster::Delegate;
use crate::web::views::delegate_filter::{filter_form, summary, FilterQuery};
use crate::web::views::import::{rejected_view, upload_form, warnings_list};

/// The delegates shown: the search as typed, as checked, and its page of the roster.
pub struct Listing<'a> {
    pub query: FilterQuery,
    pub filter: DelegateFilter,
    pub out: Filtered<&'a Delegate>,
}

/// The delegates in delegate-number order. Cells never wrap (a name one character per line is
/// unreadable): on a phone the table scrolls inside its own box.
pub fn delegates_table(delegates: &[&Delegate]) -> Markup {
    html! {
        @if !delegates.is_empty() {
            div.scroll { table.delegates.nowrap {
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
            } }
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

/// What the last action has to say, shown at the top.
pub enum Notice {
    /// The action was refused: why (state, missing files, violations).
    Refused(Vec<String>),
    /// No roster meets the rules with these nominees.
    Infeasible(Infeasible),
    /// An uploaded roster file had errors; nothing was stored.
    Rejected(Rejected),
    /// A roster file was stored.
    Uploaded(UploadedRoster),
}

fn notice(n: &Notice) -> Markup {
    html! {
        @match n {
            Notice::Refused(lines) => div role="alert" {
                p.error { (lines.first().map(String::as_str).unwrap_or("")) }
                @if lines.len() > 1 { ul.errors { @for l in &lines[1..] { li { (l) } } } }
            },
            Notice::Infeasible(inf) => div role="alert" {
                p.error { "无法生成符合规则的代表名单, 当前名单未改变。原因如下(规则、学院、需要人数与实有人数):" }
                (violations_table(&inf.violations))
                p.muted { "可请相关学院补充推荐人选后重新导入“推荐人选”, 或直接上传代表名单。" }
            },
            Notice::Rejected(r) => (rejected_view(r, FileKind::Roster)),
            Notice::Uploaded(u) if !u.stored => div role="alert" {
                p.error { "“" (u.file_name) "”未保存: 名单中有学号重复(规则B6, 每名学生只能有一行), \
                    当前名单未改变。这份文件的全部校验结果如下:" }
                (violations_table(&u.report.violations))
                (warnings_list(&u.warnings))
            },
            Notice::Uploaded(u) => div role="status" {
                p.flash.ok { "已上传“" (u.file_name) "”: " (u.rows) "名代表, 校验结果见下方。" }
                (warnings_list(&u.warnings))
            },
        }
    }
}

/// Whether the stored roster may be frozen now; otherwise why not.
fn freezable(o: &RosterOverview) -> Result<(), String> {
    if o.delegates.is_empty() {
        return Err("还没有代表名单".to_string());
    }
    match &o.current {
        Err(why) => Err(why.clone()),
        Ok(r) if !r.valid => Err(format!(
            "名单有{}处不符合规则",
            r.violations.iter().filter(|v| !v.warning).count()
        )),
        Ok(_) => Ok(()),
    }
}

/// What the viewer may do with the roster now: edit it (generate, check, freeze, upload) and
/// unfreeze it; each `Err` says why not.
pub struct Allowed {
    pub edit: Result<(), String>,
    pub unfreeze: Result<(), String>,
}

fn actions(congress: &Congress, csrf: &str, o: &RosterOverview, allowed: &Allowed) -> Markup {
    let base = format!("/c/{}/roster", congress.id);
    let (edit, unfreeze) = (&allowed.edit, &allowed.unfreeze);
    html! {
        @if edit.is_ok() {
            div.actions {
                form.inline method="post" action={(base) "/generate"} {
                    (csrf_field(csrf))
                    button type="submit" { "生成代表名单" }
                }
                form.inline method="post" action={(base) "/check"} {
                    (csrf_field(csrf))
                    button.secondary type="submit" { "重新校验" }
                }
                @match freezable(o) {
                    Ok(()) => form.inline method="post" action={(base) "/freeze"} {
                        (csrf_field(csrf))
                        button.danger type="submit" { "冻结名单" }
                    },
                    Err(why) => {
                        button.danger type="button" disabled title=(why) { "冻结名单" }
                        span.muted { "暂不能冻结: " (why) }
                    },
                }
            }
            p.muted {
                "“生成代表名单”按各学院推荐人选的得票从高到低选取, 只在规则B2-B5要求时调整并逐一说明; "
                "生成或上传都会替换当前名单。冻结后才能发放代表证。"
            }
            h3 { "上传代表名单" }
            p.muted {
                "已在Excel中排好的名单也可以直接上传(列: 姓名, 学号, 学院, 年级, 性别, 学生会职务, 政治面貌, 社团, 代表类别), "
                a href="/templates/roster" { "下载模板(CSV)" } " 或 " a href="/templates/roster.xlsx" { "Excel模板" } "。上传后立即校验。"
            }
            (upload_form(&format!("{base}/upload"), csrf, "上传代表名单"))
        } @else if unfreeze.is_ok() {
            form.stack method="post" action={(base) "/unfreeze"} {
                (csrf_field(csrf))
                label for="reason" { "解除冻结的原因(必填, 记入操作日志)" }
                input #reason type="text" name="reason" required maxlength=(MAX_REASON_CHARS)
                    placeholder="例: 外国语学院一名代表因出国交流需要更换";
                div.actions { button.danger type="submit" { "解除冻结" } }
            }
            p.muted { "代表证发放之前可以解除冻结; 解除后名单可再次修改, 需重新校验并冻结。" }
        } @else if let Err(why) = edit {
            p.muted { (why) }
        }
    }
}

/// The roster's composition as pictures (issue 14.6), against the congress's own settings:
/// ordinary students (B2), women (B5), grades covered (B3).
fn pictures(s: &RosterSummary, profile: &RuleProfile) -> Markup {
    html! {
        @if !s.colleges.is_empty() {
            h3 { "名单构成图" }
            figure.chart { figcaption { "普通同学占比 (规则B2)" } (chart::ordinary(s, profile.ordinary_min_pct)) }
            figure.chart { figcaption { "女代表占比 (规则B5)" } (chart::women(s, profile.women_min_pct)) }
            figure.chart { figcaption { "年级覆盖 (规则B3)" } (chart::grades(s)) }
        }
    }
}

/// The whole page body.
pub fn body(
    congress: &Congress,
    csrf: &str,
    allowed: &Allowed,
    o: &RosterOverview,
    n: Option<&Notice>,
    list: &Listing,
) -> Markup {
    let id = &congress.id;
    let base = format!("/c/{id}/roster");
    html! {
        h1 { "代表名单" }
        @if let Some(n) = n { (notice(n)) }
        (actions(congress, csrf, o, allowed))
        h2 { "校验报告" }
        @match (&o.stored, &o.current) {
            (_, Err(why)) => p.error { "无法校验: " (why) },
            (Some(s), Ok(now)) => {
                (report_origin(s))
                @if !s.is_current(now) {
                    p.flash.error role="alert" {
                        "此报告已过期: 此后学生人数、社团名单或规则设置有变动, 按当前数据校验的结果不同。"
                        "请点击“重新校验”保存最新报告; 以下为按当前数据校验的结果。"
                    }
                    (report_view(now))
                    (pictures(&now.summary, &congress.settings))
                } @else {
                    (report_view(&s.report))
                    (pictures(&s.report.summary, &congress.settings))
                }
            },
            (None, Ok(now)) => {
                @if !o.delegates.is_empty() {
                    p.muted { "尚未保存校验报告(学生人数或社团名单更新后报告会被清除); 以下为按当前数据校验的结果, 请点击“重新校验”保存。" }
                }
                (report_view(now))
                @if !o.delegates.is_empty() { (pictures(&now.summary, &congress.settings)) }
            },
        }
        @if let Some(s) = o.stored.as_ref().filter(|s| s.source == Some(RosterSource::Generated)) {
            h2 { "生成时的调整(" (s.substitutions.len()) "处)" }
            (substitutions_table(&s.substitutions))
        }
        h2 #delegates { "代表(" (o.delegates.len()) "名)" }
        @if o.delegates.is_empty() {
            p.muted { "还没有代表名单: 生成或上传后显示在这里。" }
        } @else {
            p { a.button.secondary href={"/c/" (id) "/roster.csv"} { "下载代表名单(CSV)" } " " a.button.secondary href={"/c/" (id) "/roster.xlsx"} { "下载代表名单(Excel, 含代表编号)" } }
            (filter_form(&base, ListKind::Roster, &list.query, &list.out.colleges))
            (summary(&base, &list.query, &list.filter, &list.out))
            (delegates_table(&list.out.rows))
        }
    }
}
