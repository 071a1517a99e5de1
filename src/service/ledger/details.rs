//! An audit entry's before/after (JSON) as a sentence a reader of the ledger understands:
//! the common actions have their own sentence, the others list their fields with Chinese
//! labels. Never a raw JSON object.

use serde_json::{Map, Value};

use crate::domain::state::CongressState;
use crate::storage::repo::scrutineers::ScrutineerRole;

/// Labels of the fields the audit entries carry.
const FIELDS: &[(&str, &str)] = &[
    ("kind", "类别"),
    ("file", "文件"),
    ("rows", "行数"),
    ("replaces", "替换现有行数"),
    ("state", "状态"),
    ("valid", "符合规则"),
    ("delegates", "代表"),
    ("violations", "不符合规则之处"),
    ("substitutions", "按规则调整"),
    ("reason", "理由"),
    ("cards", "代表证"),
    ("issued", "发出选票"),
    ("expected", "应到"),
    ("contest_key", "选票密钥指纹"),
    ("participant_votes", "列席人员计票方式"),
    ("participants", "列席人员"),
    ("participants_issued", "发给列席人员的选票"),
    ("participants_key", "列席人员选票密钥指纹"),
    ("participants_cast", "列席人员投出选票"),
    ("ballots", "收回选票"),
    ("cast", "投出选票"),
    ("merkle_root", "默克尔根"),
    ("paper_missing", "未录入的纸质选票"),
    ("delegate_no", "代表编号"),
    ("delegate_nos", "代表编号"),
    ("entered", "已录入纸质选票"),
    ("record_sha256", "报告单SHA-256"),
    ("drafts_not_held", "未举行的事项"),
    ("role", "角色"),
    ("token_id", "令牌编号"),
    ("name", "姓名/名称"),
    ("title", "标题"),
    ("approved", "准假"),
    ("absence", "请假"),
    ("present", "到会"),
    ("unit", "单位"),
    ("candidate", "候选人"),
    ("contest", "事项"),
    ("body", "机关"),
    ("date", "日期"),
    ("reference", "文号"),
    ("reply", "批复"),
    ("school", "学校"),
    ("code", "代码"),
    ("fingerprint", "公钥指纹"),
    ("note", "备注"),
    ("year", "年度"),
    ("schools", "学校数"),
    ("filing", "备案编号"),
    ("packet_sha256", "归档包SHA-256"),
    ("round", "轮次"),
    ("seats", "名额"),
    ("total", "总数"),
    ("ordinary", "普通"),
    ("student_no", "学号"),
    ("college", "学院"),
    ("grade", "年级"),
    ("gender", "性别"),
    ("place", "地点"),
    ("level", "级别"),
    ("session_no", "届次"),
    ("start", "开始"),
    ("end", "结束"),
    ("by", "决定人"),
    ("political_status", "政治面貌"),
    ("rank_pct", "专业排名前(%)"),
    ("failed_courses", "不及格门数"),
    ("eligibility_override", "特批理由"),
    ("organiser_order", "录入顺序"),
    ("union_role", "学生会职务"),
    ("societies", "社团"),
    ("text", "正文"),
    ("kind_of_election", "选举类别"),
    ("motion_kind", "表决类别"),
    ("allow_write_in", "允许另选他人"),
    ("threshold", "通过门槛"),
    ("quorum", "法定人数"),
    ("direction", "方向"),
    ("agenda_order", "议程顺序"),
    ("votes", "得票"),
    ("recorded_at", "登记时间"),
    ("data", "内容"),
    ("candidates", "候选人"),
];

/// Fields never worth a reader's time (internal ids).
const HIDDEN: &[&str] = &[
    "id",
    "contest_id",
    "congress_id",
    "congress",
    "created_at",
    "updated_at",
    "v",
    "candidates_sha256",
    "application_sha256",
];

fn label(key: &str) -> &str {
    FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| *l)
}

/// The file kinds' names (files.import, upload.*).
fn kind_zh(kind: &str) -> &str {
    match kind {
        "enrolment" => "学生人数",
        "societies" => "学生社团",
        "nominees" => "推荐人选",
        "roster" => "代表名单",
        other => other,
    }
}

/// A value in a sentence: text in quotes, yes/no, numbers, lists shortened.
fn value(v: &Value) -> String {
    match v {
        Value::Null => "无".to_string(),
        Value::Bool(true) => "是".to_string(),
        Value::Bool(false) => "否".to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() > 40 => {
            format!("“{}…”", s.chars().take(16).collect::<String>())
        }
        Value::String(s) => format!("“{s}”"),
        Value::Array(a) if a.iter().all(|x| !x.is_object()) && a.len() <= 8 => {
            a.iter().map(value).collect::<Vec<_>>().join("、")
        }
        Value::Array(a) => format!("{}项", a.len()),
        Value::Object(m) => format!("{}项内容", m.len()),
    }
}

/// "标签 值; 标签 值" of an object's fields (nested objects counted, not spelled out).
fn fields(m: &Map<String, Value>) -> String {
    m.iter()
        .filter(|(k, v)| !HIDDEN.contains(&k.as_str()) && !v.is_null())
        .map(|(k, v)| match (k.as_str(), v) {
            ("gender", Value::String(g)) => match g.as_str() {
                "female" => "性别 女".to_string(),
                "male" => "性别 男".to_string(),
                other => format!("性别 “{other}”"),
            },
            // A step's or record's own fields, spelled out in place.
            (_, Value::Object(inner)) if !inner.is_empty() => {
                format!("{}: {}", label(k), fields(inner))
            }
            // A scrutineer's role (总监票人 / 监票人 / 计票人) or an account's.
            ("role", Value::String(r)) => {
                let zh = ScrutineerRole::parse(r).map_or_else(|| super::names::role(r), |x| x.zh());
                format!("角色 “{zh}”")
            }
            ("state", Value::String(s)) => {
                let zh = CongressState::parse(s).map_or(s.to_string(), |c| c.zh().to_string());
                format!("状态 “{zh}”")
            }
            _ => format!("{} {}", label(k), value(v)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn num(m: &Map<String, Value>, k: &str) -> String {
    m.get(k).map_or_else(|| "?".to_string(), value)
}

fn text(m: &Map<String, Value>, k: &str) -> String {
    match m.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => value(v),
        None => String::new(),
    }
}

/// The sentence of an action whose after-object has a known shape.
fn known(action: &str, m: &Map<String, Value>) -> Option<String> {
    Some(match action {
        "files.import" => format!(
            "导入{}文件“{}”, 共{}行",
            kind_zh(&text(m, "kind")),
            text(m, "file"),
            num(m, "rows")
        ),
        "upload.pending" => format!(
            "上传{}文件“{}”({}行), 将替换现有{}行, 等待确认",
            kind_zh(&text(m, "kind")),
            text(m, "file"),
            num(m, "rows"),
            num(m, "replaces")
        ),
        "upload.cancel" => format!(
            "取消导入{}文件“{}”, 现有数据未改变",
            kind_zh(&text(m, "kind")),
            text(m, "file")
        ),
        "roster.generate" => format!(
            "生成{}名代表, 按规则调整{}处, {}",
            num(m, "delegates"),
            num(m, "substitutions"),
            verdict(m)
        ),
        "roster.upload" => format!(
            "上传名单文件“{}”, {}名代表, {}",
            text(m, "file"),
            num(m, "delegates"),
            verdict(m)
        ),
        "roster.check" | "roster.freeze" if m.contains_key("valid") => {
            format!("{}名代表, {}", num(m, "delegates"), verdict(m))
        }
        "credentials.issue" => format!("发放代表证{}张", num(m, "cards")),
        "contest.candidate_add" | "contest.candidate_edit" | "contest.write_in_added"
            if m.contains_key("name") =>
        {
            format!(
                "候选人{}({}, {})",
                text(m, "name"),
                text(m, "college"),
                text(m, "student_no")
            )
        }
        "contest.open" if m.contains_key("participants_issued") => format!(
            "开始投票: 应到{}人, 发出选票{}张; 列席人员分开计票, 发出{}张",
            num(m, "expected"),
            num(m, "issued"),
            num(m, "participants_issued")
        ),
        "contest.open" => format!(
            "开始投票: 应到{}人, 发出选票{}张",
            num(m, "expected"),
            num(m, "issued")
        ),
        "term.participant_votes" => format!(
            "列席人员计票方式设为“{}”(列席人员{}名)",
            if text(m, "participant_votes") == "apart" {
                "分开计票"
            } else {
                "不计票"
            },
            num(m, "participants")
        ),
        "contest.close" => format!("结束投票: 投票箱中有选票{}张", num(m, "ballots")),
        "contest.finalise" if m.contains_key("participants_cast") => format!(
            "计票完成: 投出选票{}张; 列席人员分开计票, 投出{}张",
            num(m, "cast"),
            num(m, "participants_cast")
        ),
        "contest.finalise" => format!("计票完成: 投出选票{}张", num(m, "cast")),
        "congress.close" => format!("宣布闭幕; 未举行的事项{}项", num(m, "drafts_not_held")),
        "record.certify" => {
            let h = text(m, "record_sha256");
            format!(
                "签署报告单, SHA-256 {}…",
                h.chars().take(16).collect::<String>()
            )
        }
        "paper.assign" => format!("向{}号代表发出纸质选票", num(m, "delegate_no")),
        "paper.enter" => format!("录入纸质选票, 累计{}张", num(m, "entered")),
        "account.create" => format!("角色: {}", super::names::role(&text(m, "role"))),
        _ => return None,
    })
}

fn verdict(m: &Map<String, Value>) -> String {
    match m.get("valid") {
        Some(Value::Bool(true)) => "符合全部规则".to_string(),
        Some(Value::Bool(false)) => format!("有{}处不符合规则", num(m, "violations")),
        _ => String::new(),
    }
}

/// The details of an entry as one sentence (empty when it has none).
pub fn sentence(action: &str, before: Option<&str>, after: Option<&str>) -> String {
    let parse = |s: &str| serde_json::from_str::<Value>(s).ok();
    let part = |s: &str| match parse(s) {
        Some(Value::Object(m)) => fields(&m),
        Some(v) => value(&v),
        None => s.to_string(),
    };
    let after_text = match after.map(|s| (s, parse(s))) {
        Some((_, Some(Value::Object(m)))) => known(action, &m).unwrap_or_else(|| fields(&m)),
        Some((s, _)) => part(s),
        None => String::new(),
    };
    match before {
        Some(b) if !after_text.is_empty() => format!("原为: {}。现为: {after_text}", part(b)),
        Some(b) => format!("原为: {}", part(b)),
        None => after_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_actions_read_as_sentences() {
        assert_eq!(
            sentence(
                "files.import",
                None,
                Some(r#"{"kind":"enrolment","file":"人数.csv","rows":32}"#)
            ),
            "导入学生人数文件“人数.csv”, 共32行"
        );
        assert_eq!(
            sentence(
                "upload.pending",
                None,
                Some(r#"{"kind":"roster","file":"a.csv","rows":1,"replaces":164}"#)
            ),
            "上传代表名单文件“a.csv”(1行), 将替换现有164行, 等待确认"
        );
        assert_eq!(
            sentence("contest.close", None, Some(r#"{"ballots":151}"#)),
            "结束投票: 投票箱中有选票151张"
        );
        assert_eq!(
            sentence(
                "roster.generate",
                None,
                Some(r#"{"valid":false,"delegates":164,"violations":2,"substitutions":3}"#)
            ),
            "生成164名代表, 按规则调整3处, 有2处不符合规则"
        );
    }

    #[test]
    fn other_actions_list_labelled_fields_never_json() {
        let s = sentence(
            "roster.unfreeze",
            Some(r#"{"state":"roster_frozen"}"#),
            Some(r#"{"state":"setup","reason":"外国语学院代表需更换"}"#),
        );
        assert!(s.starts_with("原为: 状态 “代表名单已冻结”。现为: "), "{s}");
        assert!(s.contains("状态 “筹备中”"), "{s}");
        assert!(s.contains("理由 “外国语学院代表需更换”"), "{s}");
        assert!(!sentence("x.y", None, Some(r#"{"a":{"b":1}}"#)).contains('{'));
        assert_eq!(sentence("auth.login", None, None), "");
        let s = sentence(
            "x.y",
            None,
            Some(r#"{"id":"k1","gender":"female","note":null}"#),
        );
        assert_eq!(s, "性别 女");
        assert_eq!(
            sentence(
                "scrutineer.remove",
                Some(r#"{"role":"chief","name":"王建国"}"#),
                None
            ),
            "原为: 角色 “总监票人”; 姓名/名称 “王建国”"
        );
        assert_eq!(
            sentence("x.y", None, Some(r#"{"role":"organiser"}"#)),
            "角色 “组织者”"
        );
        assert_eq!(sentence("x.y", None, Some("plain")), "plain");
    }
}
