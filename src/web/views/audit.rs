//! How audit entries read: Chinese labels for action names and roles, and the entries table
//! of the congress and global audit pages.

use std::collections::HashMap;

use maud::{html, Markup};

use super::components::datetime;
use crate::storage::repo::audit::AuditEntry;

/// Exact labels of the actions recorded today.
const LABELS: &[(&str, &str)] = &[
    ("congress.create", "新建大会"),
    ("congress.edit_details", "修改大会信息"),
    ("congress.edit_settings", "修改规则设置"),
    ("scrutineer.add", "添加监票人员"),
    ("scrutineer.remove", "删除监票人员"),
    ("files.import", "导入名单文件"),
    ("roster.generate", "生成代表名单"),
    ("roster.upload", "上传代表名单"),
    ("roster.check", "校验代表名单"),
    ("roster.freeze", "冻结代表名单"),
    ("roster.unfreeze", "解除冻结代表名单"),
    ("auth.login", "登录"),
    ("auth.login_failed", "登录失败"),
    ("auth.login_throttled", "登录被限制(失败次数过多)"),
    ("auth.logout", "退出登录"),
    ("auth.password_changed", "修改密码"),
    ("account.create", "创建账户"),
    ("account.token_create", "创建API令牌"),
    ("registry.school_add", "登记学校"),
    ("registry.account_add", "创建备案登记账户"),
    ("registry.key_enter", "登记公钥指纹"),
    ("registry.filing_accepted", "接收备案"),
    ("registry.filing_refused", "拒收归档包"),
    ("registry.settings", "修改备案设置"),
    ("registry.table_export", "导出备案情况表"),
    ("registry.packet_download", "下载归档包"),
];

/// Areas, for action names without an exact label (shown as "area: name").
const AREAS: &[(&str, &str)] = &[
    ("congress.", "大会"),
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
    if let Some((_, zh)) = LABELS.iter().find(|(a, _)| *a == action) {
        return zh.to_string();
    }
    match AREAS.iter().find(|(p, _)| action.starts_with(p)) {
        Some((_, area)) => format!("{area}: {action}"),
        None => action.to_string(),
    }
}

/// The Chinese label of an audit role.
pub fn role_zh(role: &str) -> &str {
    match role {
        "organiser" => "组织者",
        "scrutineer" => "监票人",
        "system" => "系统(命令行)",
        "anonymous" => "未登录",
        "delegate" => "代表",
        "office" => "上级学联",
        "school" => "学校备案",
        other => other,
    }
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

/// A before/after cell: short values inline, long ones folded (no script needed).
fn change(v: Option<&str>) -> Markup {
    html! {
        @match v {
            None => span.muted { "—" },
            Some(s) if s.chars().count() <= 60 => code { (s) },
            Some(s) => details {
                summary { code { (s.chars().take(40).collect::<String>()) "…" } }
                pre { (pretty(s)) }
            },
        }
    }
}

/// The entries table. `congresses` (id -> name) adds a 大会 column (the global page).
pub fn entries_table(
    entries: &[AuditEntry],
    congresses: Option<&HashMap<String, String>>,
) -> Markup {
    html! {
        table.audit {
            thead {
                tr {
                    th.num { "序号" }
                    th { "时间(北京时间)" }
                    @if congresses.is_some() { th { "大会" } }
                    th { "操作人" } th { "角色" } th { "操作" } th { "对象" } th { "地址" }
                    th { "修改前" } th { "修改后" }
                }
            }
            tbody {
                @for e in entries {
                    tr {
                        td.num { (e.seq) }
                        td { (datetime(e.at)) }
                        @if let Some(names) = congresses {
                            td {
                                @match &e.congress_id {
                                    Some(id) => a href={"/c/" (id) "/audit"} {
                                        (names.get(id).map(String::as_str).unwrap_or(id.as_str()))
                                    },
                                    None => span.muted { "账户" },
                                }
                            }
                        }
                        td { (e.actor) }
                        td { (role_zh(&e.role)) }
                        td { (action_zh(&e.action)) br; code.muted { (e.action) } }
                        td { (e.target.as_deref().unwrap_or("—")) }
                        td { (e.addr.as_deref().unwrap_or("—")) }
                        td { (change(e.before.as_deref())) }
                        td { (change(e.after.as_deref())) }
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
        assert_eq!(action_zh("contest.open"), "选举与表决: contest.open");
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
    fn long_changes_fold_and_escape() {
        let long = format!(
            "{{\"name\":\"<script>alert(1)</script>{}\"}}",
            "李".repeat(60)
        );
        let html = change(Some(&long)).into_string();
        assert!(html.contains("<details>"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert_eq!(change(None).into_string(), "<span class=\"muted\">—</span>");
    }
}
