//! How audit entries read: Chinese labels for action names and roles, and the entries table
//! of the congress and global audit pages.

use std::collections::HashMap;

use maud::{html, Markup};

use super::components::datetime;
use crate::service::ledger::{names, LedgerEntry};
use crate::storage::repo::audit::AuditEntry;

/// Areas, for action names without an exact label (shown as "area: name").
const AREAS: &[(&str, &str)] = &[
    ("congress.", "大会"),
    ("upload.", "名单导入"),
    ("term.", "闭会期间"),
    ("review.", "述职评议"),
    ("scrutineer.", "监票人员"),
    ("auth.", "登录"),
    ("account.", "账户"),
    ("files.", "名单导入"),
    ("import.", "名单导入"),
    ("quota.", "名额分配"),
    ("roster.", "代表名单"),
    ("contest.", "选举与表决"),
    ("candidate.", "候选人"),
    ("credential.", "代表证"),
    ("credentials.", "代表证"),
    ("session.", "大会进程"),
    ("checkin.", "签到"),
    ("attendance.", "签到"),
    ("ballot.", "选票"),
    ("paper.", "纸质选票"),
    ("record.", "选举结果报告单"),
    ("approval.", "党委批准"),
    ("filing.", "备案"),
    ("registry.", "备案登记"),
];

/// The Chinese label of an action name: exact when known, else its area and the name.
pub fn action_zh(action: &str) -> String {
    if let Some(zh) = names::name(action) {
        return zh.to_string();
    }
    match AREAS.iter().find(|(p, _)| action.starts_with(p)) {
        Some((_, area)) => format!("{area}: {action}"),
        None => action.to_string(),
    }
}

/// The Chinese label of an audit role.
pub fn role_zh(role: &str) -> &str {
    names::role(role)
}

/// The action-name prefixes offered as filter suggestions.
pub fn prefixes(actions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in actions {
        if let Some((area, _)) = a.split_once('.') {
            let p = format!("{area}.");
            if !out.contains(&p) {
                out.push(p);
            }
        }
        if !out.contains(a) {
            out.push(a.clone());
        }
    }
    out
}

/// Pretty JSON when the text is JSON; the text otherwise.
fn pretty(s: &str) -> String {
    serde_json::from_str::<serde_json::Value>(s)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| s.to_string())
}

/// The stored record behind a sentence, folded (scrutineers compare it with the CSV).
fn raw(e: &AuditEntry) -> Markup {
    html! {
        @if e.before.is_some() || e.after.is_some() {
            details.raw {
                summary { "原始记录" }
                @if let Some(b) = &e.before { p.muted { "修改前:" } pre { (pretty(b)) } }
                @if let Some(a) = &e.after { p.muted { "修改后:" } pre { (pretty(a)) } }
            }
        }
    }
}

/// The ledger: one row per entry, the action by its Chinese name, the object by its title and
/// the details as a sentence. `congresses` (id -> name) adds a 大会 column (the global page).
/// It fits a 1366 px screen; on a phone it scrolls inside its own box.
pub fn entries_table(
    entries: &[LedgerEntry],
    congresses: Option<&HashMap<String, String>>,
) -> Markup {
    html! {
        div.scroll.audit-box {
            table.audit {
                thead {
                    tr {
                        th.num { "序号" }
                        th.when { "时间(北京时间)" }
                        @if congresses.is_some() { th.nw { "大会" } }
                        th.nw { "操作人" } th.nw { "操作" } th.nw { "对象" } th { "详情" }
                    }
                }
                tbody {
                    @for l in entries {
                        @let e = &l.entry;
                        tr {
                            td.num { (e.seq) }
                            td.when {
                                (datetime(e.at))
                                @if let Some(a) = &e.addr { br; span.muted { (a) } }
                            }
                            @if let Some(names) = congresses {
                                td.congress {
                                    @match &e.congress_id {
                                        Some(id) => a href={"/c/" (id) "/audit"} {
                                            (names.get(id).map(String::as_str).unwrap_or(id.as_str()))
                                        },
                                        None => span.muted { "账户" },
                                    }
                                }
                            }
                            td.nw { (e.actor) br; span.muted { (role_zh(&e.role)) } }
                            td.op { (l.action_name) br; code.muted { (e.action) } }
                            td.object { @if l.object.is_empty() { span.muted { "—" } } @else { (l.object) } }
                            td.details {
                                @if l.details.is_empty() { span.muted { "—" } } @else { (l.details) }
                                (raw(e))
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_exact_then_by_area() {
        assert_eq!(action_zh("scrutineer.add"), "添加监票人员");
        assert_eq!(action_zh("roster.freeze"), "冻结代表名单");
        assert_eq!(action_zh("contest.open"), "开始投票");
        assert_eq!(action_zh("contest.later"), "选举与表决: contest.later");
        assert_eq!(action_zh("something"), "something");
        assert_eq!(role_zh("organiser"), "组织者");
        assert_eq!(role_zh("robot"), "robot");
    }

    #[test]
    fn prefixes_list_areas_then_actions() {
        let acts = vec!["auth.login".to_string(), "auth.logout".to_string()];
        assert_eq!(prefixes(&acts), vec!["auth.", "auth.login", "auth.logout"]);
    }

    #[test]
    fn raw_records_fold_and_escape() {
        let e = AuditEntry {
            seq: 1,
            at: 0,
            actor: "a".into(),
            role: "organiser".into(),
            congress_id: None,
            action: "x.y".into(),
            target: None,
            addr: None,
            before: None,
            after: Some("{\"name\":\"<script>alert(1)</script>\"}".into()),
        };
        let html = raw(&e).into_string();
        assert!(html.contains("<details class=\"raw\">"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }
}
