//! One contest on the printed record: the rule applied, the ballot figures, the per-candidate
//! or per-option counts, the elected in order or the motion's result, the explanation (F5),
//! the organiser's recorded overrides, and the board it was counted from.

use maud::{html, Markup};

use crate::domain::candidates::ElectionKind;
use crate::domain::codes::Coded;
use crate::domain::contest::{round_zh, RoundKind};
use crate::domain::tally::{ContestDetail, Status};
use crate::packet::format::{Record, RecordContest};

/// "选举" / "表决", with the round when it is one.
fn kind_zh(rc: &RecordContest, record: &Record) -> String {
    let kind = match (rc.kind.as_str(), rc.election_kind.as_deref()) {
        ("election", Some(k)) => {
            ElectionKind::parse(k).map_or("选举".to_string(), |k| format!("{}选举", k.zh()))
        }
        ("election", None) => "选举".to_string(),
        _ => "表决".to_string(),
    };
    let parent = rc
        .parent
        .as_deref()
        .and_then(|p| record.contests.iter().find(|c| c.id == p))
        .map(|p| p.title.as_str());
    match (
        rc.round_kind.as_deref().and_then(RoundKind::from_code),
        parent,
    ) {
        (Some(round), Some(p)) => format!("{kind} · “{p}”的{}", round.zh()),
        _ => kind.to_string(),
    }
}

/// The section of contest number `n`.
pub(super) fn contest(n: usize, rc: &RecordContest, record: &Record) -> Markup {
    let r = &rc.result;
    html! {
        section.contest {
            h4 { (n) ". " (rc.title) " (" (kind_zh(rc, record)) ")" }
            table {
                tbody {
                    tr {
                        @if let Some(seats) = rc.seats {
                            th { "应选名额" } td.num { (seats) }
                        }
                        th { "应到" } td.num { (r.roster) }
                        th { "发出选票" } td.num { (r.issued) }
                        th { "收回选票" } td.num { (r.cast) }
                        th { "有效票" } td.num { (r.valid) }
                        th { "废票" } td.num { (r.invalid) }
                    }
                }
            }
            p { "当选/通过标准: " (r.threshold.text) }
            @if let Some(why) = &rc.threshold_reason {
                p { "通过标准与规则默认标准不同 (规则 F1/F4), 组织方记录的理由: " (why) }
            }
            @if r.void {
                p { strong { "本次投票无效: 收回选票多于发出选票 (规则 E4), 须重新投票。" } }
            }
            (detail(r))
            (crate::packet::chart::result::contest(r))
            @if !r.invalid_reasons.is_empty() {
                p {
                    "废票原因: "
                    @for (i, (reason, count)) in r.invalid_reasons.iter().enumerate() {
                        @if i > 0 { "; " }
                        (reason) " " (count) " 张"
                    }
                }
            }
            @for r in &rc.rounds_not_held {
                p {
                    "提出的" (round_zh(RoundKind::from_code(&r.round_kind)))
                    "“" (r.title) "”未举行 (规则 F2/F3), 空缺名额 " (r.seats_left_empty) " 名; 组织方记录的理由: " (r.reason)
                }
            }
            @if let Some(why) = &rc.margin_override {
                p { "差额要求的例外 (规则 C2), 组织方记录的理由: " (why) }
            }
            @for c in rc.candidates.iter().filter(|c| c.eligibility_override.is_some()) {
                p { "候选人 " (c.name) " 资格条件的例外 (规则 C3), 理由: " (c.eligibility_override.as_deref().unwrap_or_default()) }
            }
            p.small { (r.explanation) }
            p.small {
                "公示文件 " (rc.board.file) ": 收回选票 " (rc.board.cast) " 张, 投票人名单 "
                (rc.board.roll_count) " 人; 默克尔根 " span.hash { (rc.board.merkle_root) }
            }
            @if let Some(p) = &rc.participants { (participants(p)) }
        }
    }
}

/// A result's counts: an election's candidates and elected, a motion's votes, a review's tables.
fn detail(r: &crate::domain::tally::ContestResult) -> Markup {
    html! {
    @match &r.detail {
        ContestDetail::Election(e) => {
            table {
                thead { tr { th { "候选人 (选票顺序)" } th.num { "赞成" } th.num { "不赞成" } th.num { "弃权" } th { "结果" } } }
                tbody {
                    @for c in &e.candidates {
                        tr {
                            td { (c.name) }
                            td.num { (c.votes.for_votes) }
                            td.num { (c.votes.against) }
                            td.num { (c.votes.abstain) }
                            td { (c.status.zh()) }
                        }
                    }
                    @for w in &e.write_ins {
                        tr {
                            td { "另选他人: " (w.name) }
                            td.num { (w.for_votes) } td.num { "—" } td.num { "—" }
                            td { (w.status.zh()) }
                        }
                    }
                }
            }
            p {
                strong { "当选 (按得票多少为序): " }
                @if e.elected.is_empty() { "无" }
                @for (i, c) in e.elected.iter().enumerate() {
                    @if i > 0 { "; " }
                    (i + 1) ". " (c.name) " (赞成 " (c.for_votes) " 票)"
                }
            }
            @if let Some(run) = &e.runoff {
                p { "再次投票 (规则 F2): " (run.explanation) }
            }
            @if let Some(sup) = &e.supplementary {
                p { "另行选举 (规则 F3): " (sup.explanation) }
            }
            @if e.candidates.iter().any(|c| c.status == Status::TieVacant) {
                p { "得票并列的名额按规则设置空缺 " (e.vacant) " 名。" }
            }
        },
        ContestDetail::Motion(m) => {
            table {
                thead { tr { th.num { "赞成" } th.num { "反对" } th.num { "弃权" } th { "结果" } } }
                tbody {
                    tr {
                        td.num { (m.votes.for_votes) }
                        td.num { (m.votes.against) }
                        td.num { (m.votes.abstain) }
                        td { strong { (if m.passed { "通过" } else { "未通过" }) } }
                    }
                }
            }
        },
        ContestDetail::Review(rv) => (review_tables(rv)),
    }
    }
}

/// A 评议会 participants' separate tally (rule I7), under its label, apart from the result.
fn participants(p: &crate::packet::format::RecordParticipants) -> Markup {
    let r = &p.result;
    html! {
        div.apart {
            h5 { (p.label) }
            table {
                tbody {
                    tr {
                        th { "列席人员" } td.num { (p.listed) }
                        th { "发出选票" } td.num { (r.issued) }
                        th { "收回选票" } td.num { (r.cast) }
                        th { "有效票" } td.num { (r.valid) }
                        th { "废票" } td.num { (r.invalid) }
                    }
                }
            }
            (detail(r))
            p.small { "列席人员的选票由本项的第二把密钥签发, 单独公示、单独计票, 不计入本项结果, 也不计入应到、实到和法定人数 (规则 I7)。" }
            p.small {
                "公示文件 " (p.board.file) ": 收回选票 " (p.board.cast) " 张, 领票名单 "
                (p.board.roll_count) " 人; 默克尔根 " span.hash { (p.board.merkle_root) }
            }
        }
    }
}

/// Whether `rc` elects presidium members: an election of kind presidium, or an election of a
/// record made before elections had kinds (all were presidium elections).
fn is_presidium(rc: &RecordContest) -> bool {
    rc.kind == "election" && rc.election_kind.as_deref().is_none_or(|k| k == "presidium")
}

/// 新当选主席团成员: one list across the first round and every further round (再次投票,
/// 另行选举), in agenda order, each with the round that elected them and their for-votes.
pub(super) fn presidium(record: &Record) -> Markup {
    let mut rows = Vec::new();
    for rc in record.contests.iter().filter(|rc| is_presidium(rc)) {
        if let ContestDetail::Election(e) = &rc.result.detail {
            for who in &e.elected {
                let college = who
                    .id
                    .as_deref()
                    .and_then(|id| rc.candidates.iter().find(|c| c.id == id))
                    .map_or("(另选他人)", |c| c.college.as_str());
                rows.push((who.name.as_str(), college, rc.title.as_str(), who.for_votes));
            }
        }
    }
    html! {
        @if !rows.is_empty() {
            h4 { "新当选主席团成员 (各轮合计 " (rows.len()) " 名)" }
            table {
                thead { tr { th.num { "序号" } th { "姓名" } th { "学院" } th { "当选于" } th.num { "赞成票" } } }
                tbody {
                    @for (i, (name, college, round, votes)) in rows.iter().enumerate() {
                        tr {
                            td.num { (i + 1) }
                            td { (name) }
                            td { (college) }
                            td { (round) }
                            td.num { (votes) }
                        }
                    }
                }
            }
        }
    }
}

/// A 述职评议 on the report (H3-H5): each person's rank, favourable share, worst grade and
/// follow-up, and the count of each grade on each dimension ("a/b/c/d", best grade first).
fn review_tables(rv: &crate::domain::tally::ReviewResult) -> maud::Markup {
    use crate::domain::tally::percent;
    let fav = rv.grades[..(rv.favourable as usize).min(rv.grades.len())].join("+");
    maud::html! {
        table {
            thead { tr {
                th.num { "排名" } th { "被评议人" } th { "职务" }
                th.num { (fav) "率" } th.num { (rv.grades.last().map_or("", String::as_str)) } th { "跟进 (规则 H4)" }
            } }
            tbody {
                @for p in &rv.persons {
                    tr {
                        td.num { @if p.rank > 0 { (p.rank) } @else { "—" } }
                        td { (p.name) } td { (p.post) }
                        td.num { (percent(p.share_bp)) }
                        td.num { (p.worst) }
                        td { @if p.follow_up { strong { "列入跟进" } } @else { "—" } }
                    }
                }
            }
        }
        p.small { "各评议项目的等次票数 (" (rv.grades.join("/")) "):" }
        table {
            thead { tr { th { "被评议人" } @for d in &rv.dimensions { th.num { (d) } } } }
            tbody {
                @for p in &rv.persons {
                    tr {
                        td { (p.name) }
                        @for row in &p.counts {
                            td.num { (row.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("/")) }
                        }
                    }
                }
            }
        }
        p.small { "每位被评议人的等次分布 (" (rv.grades.join("/")) "):" }
        @for person in &rv.persons {
            section.rvp {
                p { (person.name) " · " (person.post) }
                (crate::packet::chart::review::chart(rv, person))
            }
        }
    }
}
