//! The approval steps (rules C5-C7, G4) as signed documents: the step's shape, the candidate
//! list's hash, and the file names in the filing packet (`approval/<seq>.<kind>.json` and
//! `.sig`). The layout is in `docs/formats.md` ("Approval steps").

use serde::{Deserialize, Serialize};

use super::record::Signed;
use super::PacketError;
use crate::crypto::{canonical, sha256_hex, SigningKey};
use crate::domain::approval::NoticeCandidate;

/// The steps' directory in the packet.
pub const APPROVAL_DIR: &str = "approval";

/// Version of the step format.
pub const STEP_VERSION: u32 = 1;

/// Per contest (`contest` and `candidates_sha256` set): 党委批准, 请示上级学联, 公示, the
/// override of the notice's end, an objection's handling.
pub const PARTY_APPROVAL: &str = "party_approval";
pub const FEDERATION_REQUEST: &str = "federation_request";
pub const NOTICE: &str = "notice";
pub const NOTICE_OVERRIDE: &str = "notice_override";
pub const OBJECTION: &str = "objection";
/// Per congress: the applications to the upper 学联, their replies, the override of the
/// reply to the application to convene.
pub const APPLICATION_CONVENE: &str = "application_convene";
pub const APPLICATION_CHARTER: &str = "application_charter";
pub const REPLY: &str = "reply";
pub const SESSION_OVERRIDE: &str = "session_override";

/// Every kind, for the verifier.
pub const KINDS: [&str; 9] = [
    PARTY_APPROVAL,
    FEDERATION_REQUEST,
    NOTICE,
    NOTICE_OVERRIDE,
    OBJECTION,
    APPLICATION_CONVENE,
    APPLICATION_CHARTER,
    REPLY,
    SESSION_OVERRIDE,
];

/// "党委批准" etc.
pub fn kind_zh(kind: &str) -> &'static str {
    match kind {
        PARTY_APPROVAL => "校党委批准",
        FEDERATION_REQUEST => "请示上级学联",
        NOTICE => "候选人公示",
        NOTICE_OVERRIDE => "公示期未满提前投票",
        OBJECTION => "异议处理",
        APPLICATION_CONVENE => "申请召开学代会",
        APPLICATION_CHARTER => "申请核准章程",
        REPLY => "上级学联答复",
        SESSION_OVERRIDE => "未获答复先行开会",
        _ => "步骤",
    }
}

/// Whether a step of `kind` is an organiser's override of a rule (C6's notice end, G4's
/// reply): printed on the report and named by the verifier with its reason.
pub fn is_override(kind: &str) -> bool {
    kind == NOTICE_OVERRIDE || kind == SESSION_OVERRIDE
}

/// A string field of a step's `data` ("" when absent; numbers as written).
pub fn field(step: &Step, name: &str) -> String {
    match step.data.get(name) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// One line saying what a step recorded, in Chinese (the organiser's page, the report).
pub fn summary(step: &Step) -> String {
    let f = |name: &str| field(step, name);
    match step.kind.as_str() {
        PARTY_APPROVAL => format!("{} {} {}", f("body"), f("reference"), f("date")),
        FEDERATION_REQUEST => format!("{}: {} ({})", f("body"), f("reply"), f("date")),
        NOTICE => format!("{} 至 {}, {}个工作日", f("start"), f("end"), f("days")),
        OBJECTION => format!("{}: {}", f("candidate"), f("handling")),
        REPLY => format!(
            "{} {} {}: {}",
            f("body"),
            f("reference"),
            f("date"),
            f("reply")
        ),
        NOTICE_OVERRIDE | SESSION_OVERRIDE if f("by").is_empty() => {
            format!("理由: {}", f("reason"))
        }
        NOTICE_OVERRIDE | SESSION_OVERRIDE => format!("理由: {} (登记人 {})", f("reason"), f("by")),
        _ => format!("{} ({})", f("body"), f("start")),
    }
}

/// One signed step. `data` holds the kind's fields (`docs/formats.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub v: u32,
    pub kind: String,
    pub congress: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contest: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates_sha256: Option<String>,
    /// When it was recorded (RFC 3339, China Standard Time).
    pub recorded_at: String,
    pub data: serde_json::Value,
}

/// SHA-256 (hex) of the canonical JSON of the candidate list in ballot order.
pub fn list_hash(list: &[NoticeCandidate]) -> Result<String, PacketError> {
    Ok(sha256_hex(&canonical(list)?))
}

/// The step's canonical JSON and its Ed25519 signature.
pub fn sign_step(key: &SigningKey, step: &Step) -> Result<Signed, PacketError> {
    let bytes = canonical(step)?;
    let sig = key.sign(&bytes);
    Ok(Signed { bytes, sig })
}

/// The step's file in the packet, without the extension: `approval/003.notice`.
pub fn file_stem(seq: i32, kind: &str) -> String {
    format!("{APPROVAL_DIR}/{seq:03}.{kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of `docs/formats.md` ("Approval steps"), recomputed there with Python.
    #[test]
    fn the_list_hash_of_the_documented_example() {
        let list = [NoticeCandidate {
            id: "k1".into(),
            name: "王芳".into(),
            college: "文学院".into(),
            grade: "2023级".into(),
            political_status: "中共党员".into(),
            union_post: "学生会主席".into(),
            profile: String::new(),
        }];
        let bytes = canonical(&list[..]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"[{"college":"文学院","grade":"2023级","id":"k1","name":"王芳","political_status":"中共党员","profile":"","union_post":"学生会主席"}]"#
        );
        assert_eq!(
            list_hash(&list).unwrap(),
            "b537be45474c8d8711b21a197dc961424a334d1e1cd1266e549d4977e3d0c16b"
        );
        assert_eq!(file_stem(3, NOTICE), "approval/003.notice");
    }
}
