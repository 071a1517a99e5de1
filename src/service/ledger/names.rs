//! The Chinese name of every action the audit log records, in one table. A unit test reads
//! the source for every action string written (`Actor::audit` calls) and fails when one has
//! no name here.

/// (action, name), every action recorded anywhere in `src`.
pub const ACTIONS: &[(&str, &str)] = &[
    ("congress.create", "新建大会"),
    ("congress.edit_details", "修改大会信息"),
    ("congress.edit_settings", "修改规则设置"),
    ("congress.open_session", "宣布开会(开始签到)"),
    ("congress.close", "宣布闭幕"),
    ("scrutineer.add", "添加监票人员"),
    ("scrutineer.remove", "删除监票人员"),
    ("files.import", "导入名单文件"),
    ("upload.pending", "上传文件(待确认替换)"),
    ("upload.cancel", "取消待确认的上传"),
    ("roster.generate", "生成代表名单"),
    ("roster.upload", "上传代表名单"),
    ("roster.check", "校验代表名单"),
    ("roster.freeze", "冻结代表名单"),
    ("roster.unfreeze", "解除冻结代表名单"),
    ("credentials.issue", "发放代表证"),
    ("credentials.print", "打印代表证"),
    ("credentials.reissue", "补发代表证"),
    ("attendance.check_in", "签到"),
    ("attendance.check_out", "撤销签到"),
    ("attendance.absence_approved", "准假"),
    ("attendance.absence_withdrawn", "撤销准假"),
    ("contest.create", "新建选举或表决事项"),
    ("contest.edit", "修改事项"),
    ("contest.delete", "删除事项"),
    ("contest.move", "调整议程顺序"),
    ("contest.round_not_held", "决定不举行后续轮次"),
    ("contest.candidate_add", "添加候选人"),
    ("contest.candidate_edit", "修改候选人"),
    ("contest.candidate_remove", "删除候选人"),
    ("contest.candidates_upload", "导入候选人名单"),
    ("contest.write_in_added", "登记另选人"),
    ("contest.open", "开始投票"),
    ("contest.close", "结束投票"),
    ("contest.finalise", "计票并公示结果"),
    ("paper.assign", "发出纸质选票"),
    ("paper.enter", "录入纸质选票"),
    ("review.define", "设置述职评议"),
    ("candidate.notes", "登记候选人考察情况"),
    ("record.certify", "签署选举结果报告单"),
    ("record.approval", "登记党委批准"),
    ("record.filing", "登记备案"),
    ("approval.party_approval", "登记党委批准候选人"),
    ("approval.federation_request", "登记请示上级学联"),
    ("approval.notice", "发布候选人公示"),
    ("approval.notice_override", "调整公示结束时间"),
    ("approval.objection", "处理公示异议"),
    ("approval.objection_received", "收到公示异议"),
    ("approval.application_convene", "登记召开大会的请示"),
    ("approval.application_charter", "登记章程修改的请示"),
    ("approval.reply", "登记上级学联批复"),
    ("approval.session_override", "未获批复时决定开会"),
    ("term.meeting_create", "新建闭会期间会议"),
    ("term.participant_add", "添加列席人员"),
    ("term.participant_present", "列席人员签到"),
    ("term.participant_votes", "设置列席人员计票方式"),
    ("term.participant_cards", "打印列席人员投票卡"),
    ("term.removal_propose", "提出罢免或撤换"),
    ("term.standing_quotas", "设置常任代表名额"),
    ("term.standing_nominate", "推选常任代表"),
    ("term.standing_freeze", "确定常任代表名单"),
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

/// The Chinese name of `action`, if it has one.
pub fn name(action: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(a, _)| *a == action).map(|(_, n)| *n)
}

/// The Chinese name of an audit role.
pub fn role(role: &str) -> &str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The arguments of each `.audit(` call in `text` (top level, split on commas).
    fn audit_calls(text: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find(".audit(") {
            let body = &rest[i + ".audit(".len()..];
            let (mut depth, mut args, mut cur) = (1usize, Vec::new(), String::new());
            for ch in body.chars() {
                match ch {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                if depth == 1 && ch == ',' {
                    args.push(std::mem::take(&mut cur).trim().to_string());
                } else {
                    cur.push(ch);
                }
            }
            args.push(cur.trim().to_string());
            out.push(args);
            rest = &body[1..];
        }
        out
    }

    /// The string literals of an argument.
    fn literals(arg: &str) -> Vec<String> {
        arg.split('"')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s.to_string())
            .collect()
    }

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }

    #[test]
    fn every_action_written_in_src_has_a_chinese_name() {
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut seen = 0;
        let mut missing = Vec::new();
        for (path, text) in &files {
            if path.ends_with("names.rs") {
                continue;
            }
            for args in audit_calls(text) {
                // `fn audit(&self, conn, congress_id, action, ...)`: the call's third argument.
                let Some(action) = args.get(2) else { continue };
                let actions: Vec<String> = if action.starts_with("&format!(\"approval.{}\"") {
                    crate::packet::approval::KINDS
                        .iter()
                        .map(|k| format!("approval.{k}"))
                        .collect()
                } else if action.starts_with("&format!(\"record.{}\"") {
                    vec!["record.approval".into(), "record.filing".into()]
                } else {
                    literals(action)
                };
                assert!(
                    !actions.is_empty(),
                    "{path}: an audit action this test cannot read: {action}"
                );
                for a in actions {
                    seen += 1;
                    if name(&a).is_none() {
                        missing.push(format!("{path}: {a}"));
                    }
                }
            }
        }
        assert!(seen > 60, "only {seen} audit actions found in src");
        assert!(missing.is_empty(), "actions without a name: {missing:#?}");
    }

    #[test]
    fn names_are_unique_and_chinese() {
        for (i, (a, n)) in ACTIONS.iter().enumerate() {
            assert!(!ACTIONS[..i].iter().any(|(b, _)| b == a), "{a} twice");
            assert!(!n.is_ascii(), "{a}: {n}");
        }
        assert_eq!(name("contest.close"), Some("结束投票"));
        assert_eq!(name("nothing.here"), None);
        assert_eq!(role("organiser"), "组织者");
    }
}
