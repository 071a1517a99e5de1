//! Rule C1 across the term (I4): a presidium by-election at a meeting may fill only the seats
//! the presidium has free. Members in office are those the signed records make (I5) less those
//! a removal already counted at this meeting names.

use crate::domain::candidates::ElectionKind;
use crate::domain::contest::{Contest, ContestKind, MotionKind};
use crate::domain::tally::ContestDetail;
use crate::domain::types::{Level, Violation};
use crate::service::results;
use crate::service::ServiceResult;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::{contests as contests_repo, term};
use crate::storage::DbConnection;

use super::view::presidium_of;

/// The C1 violation of `contest` when it is a presidium by-election of a meeting whose seats
/// and the members in office exceed the presidium's limit; `None` otherwise.
pub fn by_election_check(
    conn: &mut DbConnection,
    congress: &Congress,
    contest: &Contest,
) -> ServiceResult<Option<Violation>> {
    let is_presidium = contest.kind == ContestKind::Election
        && contest.round_kind.is_none()
        && contest.def.kind_of_election() == Some(ElectionKind::Presidium);
    if !is_presidium {
        return Ok(None);
    }
    let Some(meeting) = term::meeting(conn, &congress.id)? else {
        return Ok(None);
    };
    let mut in_office: Vec<String> = presidium_of(conn, &meeting.parent_id)?
        .into_iter()
        .map(|s| s.member.name)
        .collect();
    for k in contests_repo::list(conn, &congress.id)? {
        if k.def.motion_kind != Some(MotionKind::Removal) || !k.state.is_counted() {
            continue;
        }
        let passed = matches!(
            results::result(&k)?.map(|r| r.detail),
            Some(ContestDetail::Motion(m)) if m.passed
        );
        if passed {
            for named in contests_repo::candidates(conn, &k.id)? {
                in_office.retain(|n| *n != named.name);
            }
        }
    }
    let limit = match congress.level {
        Level::School => congress.settings.max_seats_school,
        Level::College => congress.settings.max_seats_college,
    };
    let seats = contest.def.seats.unwrap_or(0);
    let members = in_office.len() as u32;
    if members + seats <= limit {
        return Ok(None);
    }
    Ok(Some(Violation {
        rule: "C1".to_string(),
        college: None,
        required: i64::from(limit.saturating_sub(members)),
        found: i64::from(seats),
        message: format!(
            "主席团现有成员{members}名, 补选{seats}名后将超过规则C1的上限{limit}名: 最多补选{}名",
            limit.saturating_sub(members)
        ),
        warning: false,
    }))
}
