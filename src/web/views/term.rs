//! The term page (闭会期间, rules H): of a congress, the standing delegates' numbers, list,
//! check and freezing, the meetings, the presidium and the timeline; of a meeting, what it is,
//! its presidium, the removal form and a 评议会's participants.

use maud::{html, Markup};

use crate::domain::state::CongressState;
use crate::domain::term::{
    EntryKind, MeetingKind, ParticipantVotes, StandingReport, APART_LABEL, MIN_APART_PARTICIPANTS,
};
use crate::service::term::TermOverview;
use crate::web::views::{csrf_field, datetime, violations_table};

/// What the viewer may do on the page.
pub struct Can {
    /// The owner, in a state that allows it.
    pub own: bool,
    /// The owner or a scrutineer (check-in of participants).
    pub scrutinise: bool,
}

fn report(r: &StandingReport) -> Markup {
    html! {
        div.scroll {
            table.nowrap {
                thead { tr { th { "学院" } th.num { "名额" } th.num { "已推荐" } th.num { "普通同学" } th.num { "女生" } } }
                tbody {
                    @for l in &r.colleges {
                        tr class=(if l.quota == l.nominated { "ok" } else { "error" }) {
                            td { (l.college) } td.num { (l.quota) } td.num { (l.nominated) }
                            td.num { (l.ordinary) } td.num { (l.women) }
                        }
                    }
                    tr { th { "合计" } th.num { (r.colleges.iter().map(|l| l.quota).sum::<u32>()) } th.num { (r.total) } th.num { (r.ordinary) } th.num { (r.women) } }
                }
            }
        }
        @if !r.violations.is_empty() { (violations_table(&r.violations)) }
    }
}

fn standing(o: &TermOverview, csrf: &str, can: &Can) -> Markup {
    let cid = &o.congress.id;
    let editable = can.own && o.frozen.is_none();
    html! {
        h2 { "常任代表" }
        p.muted { "常任代表由各学院从本次大会代表中推荐产生(规则I1-I3)。名额由组织者设定; 名单冻结后在整个届期内使用, 每次会议按名单另发代表证。" }
        @if let Some(f) = &o.frozen {
            p { span.badge.ok { "已冻结" } " " (datetime(f.at)) " 由 " (f.by) " 冻结" }
        } @else {
            p { span.badge.bad { "未冻结" } }
        }
        (report(&o.report))
        @if !o.standing.is_empty() {
            div.scroll { table.nowrap {
                thead { tr { th.num { "编号" } th { "姓名" } th { "学院" } th { "年级" } th { "性别" } th { "学生会职务" } } }
                tbody {
                    @for d in o.delegates.iter().filter(|d| o.standing.contains(&d.id)) {
                        tr { td.num { (d.delegate_no) } td { (d.student.name) } td { (d.student.college) }
                             td { (d.student.grade) } td { (d.student.gender.zh()) }
                             td { (d.student.union_role.as_deref().unwrap_or("—")) } }
                    }
                }
            } }
        }
        @if editable {
            h3 { "各学院名额" }
            form.stack method="post" action={"/c/" (cid) "/term/quotas"} {
                (csrf_field(csrf))
                @for college in colleges(o) {
                    label for={"seats-" (college)} { (college) }
                    input id={"seats-" (college)} type="number" min="0" name={"seats:" (college)}
                        value=(o.quotas.get(&college).copied().unwrap_or(0));
                }
                div.actions { button type="submit" { "保存名额" } }
            }
            h3 { "推荐名单" }
            form.stack method="post" action={"/c/" (cid) "/term/standing"} {
                (csrf_field(csrf))
                label for="numbers" { "常任代表的代表编号 (用空格、逗号或换行分隔)" }
                textarea #numbers name="numbers" rows="3" {
                    @for d in o.delegates.iter().filter(|d| o.standing.contains(&d.id)) { (d.delegate_no) " " }
                }
                div.actions { button type="submit" { "保存名单并校验" } }
            }
            form.inline method="post" action={"/c/" (cid) "/term/freeze"} {
                (csrf_field(csrf))
                button type="submit" disabled[!o.report.valid] { "冻结常任代表名单" }
            }
        }
    }
}

/// The colleges of the congress's delegates, in first-seen order.
fn colleges(o: &TermOverview) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in &o.delegates {
        if !out.contains(&d.student.college) {
            out.push(d.student.college.clone());
        }
    }
    out
}

fn presidium(o: &TermOverview) -> Markup {
    html! {
        h2 { "主席团现任成员" }
        p.muted { "由已签署的结果报告推算(规则I5): 大会选举产生, 此后各次会议罢免或补选。" }
        @if o.presidium.is_empty() {
            p.muted { "尚无已签署的主席团选举结果。" }
        } @else {
            div.scroll { table {
                thead { tr { th { "姓名" } th { "学院" } th { "产生于" } } }
                tbody { @for s in &o.presidium { tr { td { (s.member.name) } td { (s.member.college) } td { (s.since) } } } }
            } }
        }
    }
}

fn timeline(o: &TermOverview) -> Markup {
    html! {
        h2 { "届期时间线" }
        @let p = &o.congress.settings;
        p.muted {
            "届期 " (p.term_years) " 年(规则设置, 周期不超过两年); 第二学期自" (p.semester_starts[0].zh())
            "、第一学期自" (p.semester_starts[1].zh()) "起。提醒: 每学期一次述职评议(评议会上完成计票的述职评议); "
            "不召开学代会的年度至少召开1次常代会会议(规则I6)。逾期未办的以红色标出。"
        }
        div.scroll { table.timeline {
            thead { tr { th { "日期" } th { "事项" } th { "状态" } } }
            tbody {
                @for e in &o.timeline {
                    tr class=(if e.overdue { "overdue" } else { "" }) {
                        td {
                            @if let Some(from) = e.from { (from) " 至 " }
                            (e.date)
                        }
                        td {
                            @match &e.kind {
                                EntryKind::Meeting { id, kind, .. } => {
                                    (kind.zh()) ": " a href={"/c/" (id) "/term"} { (e.title) }
                                }
                                EntryKind::Review { meeting, contest, .. } => {
                                    "述职评议: " a href={"/c/" (meeting) "/contests/" (contest)} { (e.title) }
                                }
                                _ => { (e.title) }
                            }
                        }
                        td {
                            @match &e.kind {
                                EntryKind::Congress => { "已召开" }
                                EntryKind::Meeting { held: true, .. } => { span.badge.ok { "已召开" } }
                                EntryKind::Meeting { held: false, .. } => { "筹备中" }
                                EntryKind::Review { counted: true, .. } => { span.badge.ok { "已计票" } }
                                EntryKind::Review { counted: false, .. } => { "未计票" }
                                EntryKind::Reminder { done: true, .. } => { span.badge.ok { "已完成" } }
                                EntryKind::Reminder { done: false, .. } => {
                                    @if e.overdue { strong { "逾期" } } @else { "待办" }
                                }
                            }
                        }
                    }
                }
            }
        } }
    }
}

fn meetings(o: &TermOverview, csrf: &str, can: &Can) -> Markup {
    let cid = &o.congress.id;
    html! {
        h2 { "闭会期间的会议" }
        @if o.meetings.is_empty() {
            p.muted { "尚未召开常代会会议或评议会。" }
        } @else {
            div.scroll { table {
                thead { tr { th { "日期" } th { "类别" } th { "名称" } th { "状态" } } }
                tbody {
                    @for m in &o.meetings {
                        tr { td { (m.congress.date) } td { (m.meeting.kind.zh()) }
                             td { a href={"/c/" (m.congress.id) "/term"} { (m.congress.name) } }
                             td { (m.congress.state.zh()) } }
                    }
                }
            } }
        }
        @if can.own && o.frozen.is_some() {
            h3 { "召开会议" }
            form.stack method="post" action={"/c/" (cid) "/term/meetings"} {
                (csrf_field(csrf))
                label for="kind" { "类别" }
                select #kind name="kind" {
                    @for k in MeetingKind::ALL { option value=(k.as_str()) { (k.zh()) } }
                }
                label for="name" { "会议名称" }
                input #name type="text" name="name" required maxlength="200";
                label for="date" { "日期" }
                input #date type="date" name="date" required;
                label for="place" { "地点" }
                input #place type="text" name="place" required maxlength="200";
                div.actions { button type="submit" { "创建会议" } }
            }
        } @else if can.own {
            p.muted { "常任代表名单冻结后可召开会议。" }
        }
    }
}

fn meeting(o: &TermOverview, csrf: &str, can: &Can) -> Markup {
    let Some(m) = &o.meeting else { return html! {} };
    let mid = &m.congress.id;
    html! {
        p {
            (m.meeting.kind.zh()) ", 属于 "
            a href={"/c/" (o.congress.id) "/term"} { (o.congress.name) } " 的届期。"
            "应到为常任代表 " strong { (o.meeting_roster) } " 名; 签到、法定人数、选举与表决、公示和结果报告与大会相同。"
        }
        (presidium(o))
        @if can.own {
            h3 { "提出罢免" }
            p.muted { "罢免须经应到常任代表过半数同意(规则I4, 可在“选举与表决”中改为其他标准并说明理由)。" }
            @if o.presidium.is_empty() {
                p.muted { "没有可罢免的现任主席团成员。" }
            } @else {
                form.stack method="post" action={"/c/" (mid) "/term/removals"} {
                    (csrf_field(csrf))
                    label for="member" { "主席团成员" }
                    select #member name="member" {
                        @for s in &o.presidium {
                            option value={(s.member.name) "|" (s.member.college) "|" (s.member.student_no)} {
                                (s.member.name) " (" (s.member.college) ")"
                            }
                        }
                    }
                    div.actions { button type="submit" { "提出罢免事项" } }
                }
            }
            p { "补选主席团成员: 在 " a href={"/c/" (mid) "/contests"} { "选举与表决" } " 中新建主席团选举(规则C适用)。" }
        }
        @if m.meeting.kind == MeetingKind::Review {
            h2 { "列席人员 (学工部、校团委)" }
            @match m.meeting.participant_votes {
                ParticipantVotes::None => p.muted #participant-votes { "计票方式: " strong { "不计票" } ": 列席人员签到出席, 不计入应到、实到, 不领取选票。" },
                ParticipantVotes::Apart => p #participant-votes { "计票方式: " strong { "分开计票" } ": 每项投票开始时已签到的列席人员各领一张选票(列席人员投票卡登录), 单独公示、单独计票, 结果标为“" (APART_LABEL) "”, 不计入会议结果, 也不计入应到、实到和法定人数(规则I7)。" },
            }
            @if can.own && (o.meeting_voting_started || m.congress.state >= CongressState::Closed) {
                p.muted { "本次会议已开始投票, 列席人员计票方式不能再改(规则I7)。" }
            } @else if can.own {
                form.inline method="post" action={"/c/" (mid) "/term/participant-votes"} {
                    (csrf_field(csrf))
                    @match m.meeting.participant_votes {
                        ParticipantVotes::None => {
                            input type="hidden" name="votes" value="apart";
                            button.secondary type="submit" { "改为分开计票" }
                        }
                        ParticipantVotes::Apart => {
                            input type="hidden" name="votes" value="none";
                            button.secondary type="submit" { "改为不计票" }
                        }
                    }
                }
                p.muted { "须在本次会议任何事项开始投票前设置; 分开计票至少需要 " (MIN_APART_PARTICIPANTS) " 名列席人员, 人数太少时单独公布的结果会暴露个人的评议(规则I7)。" }
            }
            @if can.own && m.meeting.participant_votes == ParticipantVotes::Apart && m.congress.state < CongressState::Closed {
                p { a.button href={"/c/" (mid) "/term/participant-cards"} { "打印列席人员投票卡" } }
            }
            @if o.participants.is_empty() { p.muted { "尚未添加列席人员。" } } @else {
                table {
                    thead { tr { th { "姓名" } th { "单位" } th { "签到" } @if can.scrutinise { th { "操作" } } } }
                    tbody {
                        @for p in &o.participants {
                            tr {
                                td { (p.name) } td { (p.unit) }
                                td { @if p.present { span.badge.ok { "已签到" } } @else { "未签到" } }
                                @if can.scrutinise {
                                    td { form.inline method="post" action={"/c/" (mid) "/term/participants/" (p.id) "/present"} {
                                        (csrf_field(csrf))
                                        input type="hidden" name="present" value=(if p.present { "0" } else { "1" });
                                        button.secondary type="submit" { (if p.present { "取消签到" } else { "签到" }) }
                                    } }
                                }
                            }
                        }
                    }
                }
            }
            @if can.own {
                form.stack method="post" action={"/c/" (mid) "/term/participants"} {
                    (csrf_field(csrf))
                    label for="pname" { "姓名" }
                    input #pname type="text" name="name" required maxlength="50";
                    label for="unit" { "单位" }
                    input #unit type="text" name="unit" required maxlength="50" placeholder="学工部";
                    div.actions { button type="submit" { "添加列席人员" } }
                }
            }
        }
    }
}

/// The page body.
pub fn term_page(o: &TermOverview, csrf: &str, can: &Can) -> Markup {
    html! {
        @if o.meeting.is_some() {
            h1 { "闭会期间会议" }
            (meeting(o, csrf, can))
        } @else {
            h1 { "闭会期间" }
            (timeline(o))
            (presidium(o))
            (meetings(o, csrf, can))
            (standing(o, csrf, can))
        }
    }
}
