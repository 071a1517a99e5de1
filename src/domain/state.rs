//! The congress lifecycle as a state machine: which action is allowed in which state, and the
//! Chinese explanation when it is too early or too late.

use serde::{Deserialize, Serialize};

/// Where a congress is in its life (setup -> roster frozen -> credentials issued -> in session
/// -> closed -> certified -> filed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CongressState {
    /// 筹备: details, files, quotas, roster, contests are edited.
    Setup,
    /// 名单已冻结: the roster passed validation and is fixed.
    RosterFrozen,
    /// 代表证已发放: QR cards exist; check-in may begin.
    CredentialsIssued,
    /// 大会进行中: the organiser opened the session; check-in counts and contests may open.
    InSession,
    /// 大会闭幕: every contest is final.
    Closed,
    /// 结果已签署: the record is signed.
    Certified,
    /// 已备案: the filing addendum is recorded.
    Filed,
}

crate::coded! { CongressState {
    Setup => "setup", "筹备中";
    RosterFrozen => "roster_frozen", "代表名单已冻结";
    CredentialsIssued => "credentials_issued", "代表证已发放";
    InSession => "in_session", "大会进行中";
    Closed => "closed", "大会已闭幕";
    Certified => "certified", "结果已签署";
    Filed => "filed", "已备案";
} }

/// Things an organiser (or scrutineer) does that depend on the congress's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    EditDetails,
    EditSettings,
    ImportFiles,
    EditRoster,
    FreezeRoster,
    UnfreezeRoster,
    EditScrutineers,
    EditContests,
    IssueCredentials,
    ReissueCredential,
    OpenSession,
    /// Record or withdraw an approved absence (请假, D1): before the session opens.
    RecordAbsence,
    CheckIn,
    OpenContest,
    CloseContest,
    CloseCongress,
    Certify,
    RecordApproval,
    RecordFiling,
}

impl Action {
    pub fn zh(self) -> &'static str {
        match self {
            Action::EditDetails => "修改大会信息",
            Action::EditSettings => "修改规则设置",
            Action::ImportFiles => "导入名单文件",
            Action::EditRoster => "生成或上传代表名单",
            Action::FreezeRoster => "冻结代表名单",
            Action::UnfreezeRoster => "解除冻结",
            Action::EditScrutineers => "设置监票计票人员",
            Action::EditContests => "编辑选举和表决事项",
            Action::IssueCredentials => "发放代表证",
            Action::ReissueCredential => "补发代表证",
            Action::OpenSession => "宣布开会(开始签到)",
            Action::RecordAbsence => "登记或撤销请假",
            Action::CheckIn => "签到",
            Action::OpenContest => "开始投票",
            Action::CloseContest => "结束投票",
            Action::CloseCongress => "大会闭幕",
            Action::Certify => "签署选举结果报告",
            Action::RecordApproval => "登记党委批准",
            Action::RecordFiling => "登记备案",
        }
    }

    /// The states in which the action is allowed.
    pub fn allowed_in(self) -> &'static [CongressState] {
        use CongressState::*;
        match self {
            Action::EditDetails => &[Setup, RosterFrozen, CredentialsIssued],
            Action::EditSettings | Action::ImportFiles | Action::EditRoster => &[Setup],
            Action::FreezeRoster => &[Setup],
            Action::UnfreezeRoster => &[RosterFrozen],
            Action::EditScrutineers => &[Setup, RosterFrozen, CredentialsIssued, InSession],
            // Contests are drafted from the start; each is locked individually once it opens.
            Action::EditContests => &[Setup, RosterFrozen, CredentialsIssued, InSession],
            Action::IssueCredentials => &[RosterFrozen],
            Action::ReissueCredential => &[CredentialsIssued, InSession],
            Action::OpenSession => &[CredentialsIssued],
            Action::RecordAbsence => &[RosterFrozen, CredentialsIssued],
            Action::CheckIn => &[InSession],
            Action::OpenContest | Action::CloseContest => &[InSession],
            Action::CloseCongress => &[InSession],
            Action::Certify => &[Closed],
            Action::RecordApproval => &[Certified, Filed],
            Action::RecordFiling => &[Certified],
        }
    }

    /// `Ok` when allowed in `state`, otherwise a Chinese explanation saying whether it is too
    /// early or too late and what comes first.
    pub fn check(self, state: CongressState) -> Result<(), StateError> {
        let allowed = self.allowed_in();
        if allowed.contains(&state) {
            return Ok(());
        }
        let first = allowed[0];
        let last = allowed[allowed.len() - 1];
        let message = if state < first {
            format!(
                "现在还不能{}: 大会当前状态为“{}”，需要先进入“{}”阶段。",
                self.zh(),
                state.zh(),
                first.zh()
            )
        } else {
            let _ = last;
            format!(
                "已经不能{}: 大会当前状态为“{}”，此操作只能在“{}”阶段进行。",
                self.zh(),
                state.zh(),
                allowed
                    .iter()
                    .map(|s| s.zh())
                    .collect::<Vec<_>>()
                    .join("”或“")
            )
        };
        Err(StateError {
            action: self,
            state,
            too_early: state < first,
            message,
        })
    }
}

/// An action refused because of the congress's state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StateError {
    pub action: Action,
    pub state: CongressState,
    pub too_early: bool,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_roundtrip() {
        use crate::domain::codes::Coded;
        for s in CongressState::ALL {
            assert_eq!(CongressState::from_code(s.as_str()), Some(s));
        }
    }

    #[test]
    fn too_early_and_too_late_are_told_apart() {
        let e = Action::IssueCredentials
            .check(CongressState::Setup)
            .unwrap_err();
        assert!(e.too_early);
        assert!(e.message.contains("还不能发放代表证"), "{}", e.message);
        let e = Action::EditRoster
            .check(CongressState::CredentialsIssued)
            .unwrap_err();
        assert!(!e.too_early);
        assert!(e.message.contains("已经不能"), "{}", e.message);
        assert!(Action::FreezeRoster.check(CongressState::Setup).is_ok());
        assert!(Action::Certify.check(CongressState::InSession).is_err());
    }
}
