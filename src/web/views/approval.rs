//! The organiser's approval page (rules C5-C7, G4) and the public notice's candidate table.

use maud::{html, Markup};

use crate::domain::approval::{zh_date, NoticeCandidate};
use crate::packet::approval::{self as fmt, kind_zh};
use crate::service::addenda::today_cst;
use crate::service::approval::{ContestApproval, Overview, StoredStep};
use crate::storage::repo::congress::Congress;
use crate::web::views::csrf_field;

/// The candidates as the public notice shows them (no 学号, no contact details).
pub fn candidate_table(list: &[NoticeCandidate]) -> Markup {
    html! {
        ol.notice-list {
            @for c in list {
                li {
                    strong { (c.name) }
                    " " span.muted { (c.college) @if !c.grade.is_empty() { " · " (c.grade) } " · " (c.political_status)
                        @if !c.union_post.is_empty() { " · " (c.union_post) } }
                    @if !c.profile.is_empty() { p { (c.profile) } }
                }
            }
        }
    }
}

fn step_line(cid: &str, s: &StoredStep, current: Option<&str>) -> Markup {
    let stale = current.is_some() && s.step.candidates_sha256.as_deref() != current;
    let summary = fmt::summary(&s.step);
    html! {
        li {
            "第" (s.seq) "号 " strong { (kind_zh(&s.step.kind)) } ": " (summary)
            @if stale { " " span.badge.warn { "针对旧名单" } }
            " · " a href={"/c/" (cid) "/approval/steps/" (s.seq)} { "查看/打印" }
            " · " a href={"/c/" (cid) "/approval/steps/" (s.seq) "/json"} { "签名文件" }
        }
    }
}

fn contest_section(cid: &str, csrf: &str, a: &ContestApproval, o: &Overview) -> Markup {
    let kid = &a.contest.id;
    let today = today_cst().to_string();
    let action = format!("/c/{cid}/approval/contests/{kid}/steps");
    let problems =
        crate::domain::approval::open_refusals(&a.contest.def.title, &a.status, today_cst());
    let draft = !a.contest.state.has_opened();
    html! {
        section.card {
            h2 { (a.contest.def.title) }
            p.muted { "候选人名单哈希 (SHA-256): " code { (a.hash) } }
            @if problems.is_empty() {
                p.ok { "各项程序已完成, 可以开始投票。" }
            } @else {
                ul.error { @for p in &problems { li { (p) } } }
            }
            h3 { "候选人 (按选票顺序) 与公示信息" }
            table.candidates-notice {
                thead { tr { th { "候选人" } th { "年级 · 学生会职务 · 简介" } } }
                tbody {
                    @for c in &a.list {
                        tr {
                            td.who { strong { (c.name) } br; span.muted { (c.college) } br; span.muted { (c.political_status) } }
                            td {
                                @if draft {
                                    form.inline method="post" action={"/c/" (cid) "/approval/contests/" (kid) "/candidates/" (c.id)} {
                                        (csrf_field(csrf))
                                        input type="text" name="grade" value=(c.grade) placeholder="年级" aria-label={"年级 " (c.name)} maxlength="40";
                                        input type="text" name="union_post" value=(c.union_post) placeholder="学生会职务" aria-label={"学生会职务 " (c.name)} maxlength="40";
                                        textarea name="profile" rows="2" maxlength="300" placeholder="简介" aria-label={"简介 " (c.name)} { (c.profile) }
                                        button type="submit" { "保存" }
                                    }
                                } @else { (c.grade) " · " (c.union_post) " · " (c.profile) }
                            }
                        }
                    }
                }
            }
            h3 { "已登记的步骤 (均为签名文件, 引用名单哈希)" }
            @if a.steps.is_empty() { p.muted { "尚无。" } }
            ul { @for s in &a.steps { (step_line(cid, s, Some(a.hash.as_str()))) } }
            @let objections: Vec<_> = o.objections.iter().filter(|x| *kid == x.contest_id).collect();
            h3 { "异议 (" (objections.len()) ")" }
            @for x in &objections {
                div.objection {
                    p { "针对 " strong { (x.candidate_name) } ": " (x.body) }
                    p.muted { "提出人: " (x.name) " · 联系方式: " (x.contact) " (仅组织者可见)" }
                    @match &x.handling {
                        Some(h) => p { "处理结果: " (h) },
                        None => form.stack method="post" action={"/c/" (cid) "/approval/objections/" (x.id)} {
                            (csrf_field(csrf))
                            label for={"h-" (x.id)} { "处理结果" }
                            textarea id={"h-" (x.id)} name="handling" rows="2" maxlength="1000" required {}
                            div.actions { button type="submit" { "登记处理结果" } }
                        },
                    }
                }
            }
            @if draft {
                h3 { "登记步骤" }
                form.stack method="post" action=(action) {
                    (csrf_field(csrf))
                    input type="hidden" name="kind" value="party_approval";
                    h4 { "1. 校党委批准 (规则C5)" }
                    label { "批准机关" input type="text" name="body" required; }
                    label { "文号" input type="text" name="reference" required; }
                    label { "批准日期" input type="date" name="date" max=(today) required; }
                    div.actions { button type="submit" { "登记校党委批准" } }
                }
                form.stack method="post" action=(action) {
                    (csrf_field(csrf))
                    input type="hidden" name="kind" value="federation_request";
                    h4 { "2. 请示上级学联 (规则C5)" }
                    label { "上级学联" input type="text" name="body" required; }
                    label { "答复" textarea name="reply" rows="2" required {} }
                    label { "答复日期" input type="date" name="date" max=(today) required; }
                    div.actions { button type="submit" { "登记请示与答复" } }
                }
                form.stack method="post" action=(action) {
                    (csrf_field(csrf))
                    input type="hidden" name="kind" value="notice";
                    h4 { "3. 公示 (规则C6)" }
                    label { "公示开始日期" input type="date" name="date" max=(today) required; }
                    label { "期间的法定节假日 (YYYY-MM-DD, 可写范围 2025-10-01~2025-10-08)" input type="text" name="holidays"; }
                    label { "期间的调休上班日 (周六或周日)" input type="text" name="workdays"; }
                    div.actions { button type="submit" { "开始公示" } }
                }
                @if !problems.is_empty() && a.notice.is_some() {
                    form.stack method="post" action=(action) {
                        (csrf_field(csrf))
                        input type="hidden" name="kind" value="notice_override";
                        h4 { "公示期未满提前投票 (理由写入签名文件)" }
                        label { "理由" textarea name="reason" rows="2" maxlength="500" required {} }
                        div.actions { button.danger type="submit" { "登记理由" } }
                    }
                }
            }
        }
    }
}

fn applications(cid: &str, csrf: &str, o: &Overview, congress: &Congress) -> Markup {
    let today = today_cst().to_string();
    let apps: Vec<&StoredStep> = o
        .steps
        .iter()
        .filter(|s| {
            s.step.kind == fmt::APPLICATION_CONVENE || s.step.kind == fmt::APPLICATION_CHARTER
        })
        .collect();
    let replied = o.replied(fmt::APPLICATION_CONVENE).is_some();
    html! {
        section.card {
            h2 { "向上级学联申请 (规则G4)" }
            @if replied {
                p.ok { "已登记对“申请召开学代会”的答复, 可以宣布开会。" }
            } @else if o.latest(fmt::SESSION_OVERRIDE).is_some() {
                p.warn { "未获答复, 已登记先行开会的理由。" }
            } @else {
                p.error { "尚未登记上级学联对“申请召开学代会”的答复: 答复登记之前不能宣布开会。" }
            }
            ul { @for s in &o.steps { (step_line(cid, s, None)) } }
            form.stack method="post" action={"/c/" (cid) "/approval/applications"} {
                (csrf_field(csrf))
                input type="hidden" name="kind" value="convene";
                h4 { "生成“申请召开学生代表大会” (附代表名额、名单统计、主席团候选人名单)" }
                label { "报送的上级学联" input type="text" name="body" required; }
                label { "会期开始" input type="date" name="start" value=(congress.date) required; }
                label { "会期结束" input type="date" name="end" value=(congress.date) required; }
                div.actions { button type="submit" { "生成申请" } }
            }
            form.stack method="post" action={"/c/" (cid) "/approval/applications"} {
                (csrf_field(csrf))
                input type="hidden" name="kind" value="charter";
                h4 { "生成“报请核准章程”" }
                label { "报送的上级学联" input type="text" name="body" required; }
                label { "章程名称" input type="text" name="title" required; }
                label { "章程全文" textarea name="text" rows="6" required {} }
                div.actions { button type="submit" { "生成申请" } }
            }
            @if !apps.is_empty() {
                form.stack method="post" action={"/c/" (cid) "/approval/replies"} {
                    (csrf_field(csrf))
                    h4 { "登记上级学联的答复" }
                    label { "针对的申请"
                        select name="application" {
                            @for s in apps.iter().rev() { option value=(s.seq) { "第" (s.seq) "号 " (kind_zh(&s.step.kind)) } }
                        }
                    }
                    label { "答复机关" input type="text" name="body" required; }
                    label { "文号 (如有)" input type="text" name="reference"; }
                    label { "答复内容" textarea name="reply" rows="2" required {} }
                    label { "答复日期" input type="date" name="date" max=(today) required; }
                    div.actions { button type="submit" { "登记答复" } }
                }
            }
            @if !replied {
                form.stack method="post" action={"/c/" (cid) "/approval/session-override"} {
                    (csrf_field(csrf))
                    h4 { "未获答复先行开会 (理由写入签名文件)" }
                    label { "理由" textarea name="reason" rows="2" maxlength="500" required {} }
                    div.actions { button.danger type="submit" { "登记理由" } }
                }
            }
        }
    }
}

/// The organiser's page.
pub fn organiser_page(congress: &Congress, o: &Overview, csrf: &str) -> Markup {
    let cid = &congress.id;
    let s = &congress.settings;
    html! {
        h1 { "候选人审批、公示与开会申请" }
        p {
            @if s.approval_procedure {
                "本大会按程序执行: 主席团候选人名单经校党委批准、请示上级学联并公示 " (s.notice_working_days)
                " 个工作日期满后才能开始投票 (规则C5-C7); 上级学联答复“申请召开学代会”后才能宣布开会 (规则G4)。"
            } @else {
                "本大会的规则设置未启用“审批与公示程序” (规则C5-C7、G4 不强制执行); 此处登记的步骤仍签名并写入备案材料包。"
            }
        }
        p { "公示页面 (无需登录): " a href={"/b/" (cid) "/notice"} { "/b/" (cid) "/notice" } }
        @if o.contests.is_empty() { p.muted { "本大会还没有主席团选举事项。" } }
        @for a in &o.contests { (contest_section(cid.as_str(), csrf, a, o)) }
        (applications(cid.as_str(), csrf, o, congress))
        p.muted { "今天 (北京时间): " (zh_date(today_cst())) }
    }
}
