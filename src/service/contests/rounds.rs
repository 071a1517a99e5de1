//! Proposed further rounds (再次投票 F2, 另行选举 F3) that are not held: the organiser says so
//! with a reason (for a shortfall: the seats are reduced instead, F3), the round stays on the
//! agenda as a draft that can no longer open, and the record shows the decision and the seats
//! left empty. A proposed round is never deleted: deleting one asks for this decision.

use super::{editable, load};
use crate::domain::contest::{Contest, ContestAction};
use crate::domain::ids::{CongressId, ContestId};
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::contests::{self as repo};
use crate::storage::{write_tx, DbConnection};

/// Longest reason accepted (characters).
pub const MAX_NOT_HELD_REASON_CHARS: usize = 500;

/// Records that the proposed round `contest_id` is not held, with the organiser's reason.
pub fn not_held(
    conn: &mut DbConnection,
    actor: &Actor,
    congress_id: &CongressId,
    contest_id: &ContestId,
    reason: &str,
) -> ServiceResult<Contest> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid(
            "请填写不举行的理由(规则F2、F3: 不举行再次投票或另行选举须说明理由, 写入结果报告)",
        ));
    }
    if reason.chars().count() > MAX_NOT_HELD_REASON_CHARS {
        return Err(ServiceError::invalid(format!(
            "理由过长(最多{MAX_NOT_HELD_REASON_CHARS}个字符)"
        )));
    }
    write_tx(conn, |c| {
        let (_, contest) = editable(c, congress_id, contest_id)?;
        contest.check(ContestAction::DecideNotHeld)?;
        repo::set_not_held(c, contest_id, reason)?;
        actor.audit(
            c,
            Some(congress_id),
            "contest.round_not_held",
            Some(contest_id.as_str()),
            None,
            Some(
                serde_json::json!({
                    "round": contest.round_kind,
                    "seats_left_empty": contest.def.seats,
                    "reason": reason,
                })
                .to_string(),
            ),
        )?;
        load(c, congress_id, contest_id)
    })
}
