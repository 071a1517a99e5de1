//! Steps done before they were entered here: a presidium list approved, requested and
//! publicly noticed on dates already past, and the application to convene answered. The
//! demonstration data, `congress simulate` / `bench` / soak and the test fixtures record them
//! through the same services (the same checks, signatures and audit entries) as the
//! organiser's page; nothing is skipped or forged, only the dates are earlier than today.

use chrono::{Duration, NaiveDate};

use super::{
    generate_application, overview, record_reply, record_step, ApplicationInput, ReplyInput,
    StepInput,
};
use crate::crypto::SigningKey;
use crate::domain::approval::needs_approval;
use crate::domain::ids::{CongressId, ContestId};
use crate::packet::approval as fmt;
use crate::service::addenda::today_cst;
use crate::service::{Actor, ServiceResult};
use crate::storage::DbConnection;

/// The upper 学联 the scripted steps name.
pub const FEDERATION: &str = "示范省学生联合会";

/// The dates of a list's steps done before `today` for a notice of `days` working days:
/// the notice starts early enough to have ended before `today` (a week holds at least five
/// working days when no holidays are entered, so `days / 5 + 1` weeks and one more for
/// safety), the request's reply three days before it, the approval a week before it.
pub fn past_dates(today: NaiveDate, days: u32) -> (NaiveDate, NaiveDate, NaiveDate) {
    let weeks = i64::from(days / 5 + 2);
    let notice = today - Duration::days(7 * weeks);
    (
        notice - Duration::days(7),
        notice - Duration::days(3),
        notice,
    )
}

/// Records 校党委批准, 请示上级学联 (with its reply) and a 公示 already ended for the current
/// candidate list of presidium contest `contest_id` (rules C5, C6). Call it once the list is
/// final: a later change makes the steps stale, as on the page.
pub fn record_past_list_steps(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
    contest_id: &ContestId,
) -> ServiceResult<()> {
    let congress = crate::service::congress::load(conn, congress_id)?;
    let (approved, replied, notice) =
        past_dates(today_cst(), congress.settings.notice_working_days);
    let steps = [
        StepInput::PartyApproval {
            body: format!("中共{}委员会", congress.school),
            reference: format!("{}委〔{}〕1号", congress.school, approved.format("%Y")),
            date: approved.to_string(),
        },
        StepInput::FederationRequest {
            body: FEDERATION.to_string(),
            reply: "经研究, 同意所报主席团候选人名单。".to_string(),
            date: replied.to_string(),
        },
        StepInput::Notice {
            start: notice.to_string(),
            holidays: String::new(),
            workdays: String::new(),
        },
    ];
    for s in &steps {
        record_step(conn, actor, key, congress_id, contest_id, s)?;
    }
    Ok(())
}

/// [`record_past_list_steps`] for every first-round presidium election of the congress that
/// has candidates and no notice yet of its current list.
pub fn record_past_steps_for_all(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
) -> ServiceResult<()> {
    let o = overview(conn, congress_id)?;
    for a in &o.contests {
        let noticed = a
            .latest(fmt::NOTICE)
            .is_some_and(|n| n.step.candidates_sha256.as_deref() == Some(a.hash.as_str()));
        if needs_approval(&a.contest) && !a.list.is_empty() && !noticed {
            record_past_list_steps(conn, actor, key, congress_id, &a.contest.id)?;
        }
    }
    Ok(())
}

/// Generates the application to convene (rule G4; the roster frozen, the session not yet
/// open) and records the upper 学联's approving reply, dated today.
pub fn record_convene_reply(
    conn: &mut DbConnection,
    actor: &Actor,
    key: &SigningKey,
    congress_id: &CongressId,
) -> ServiceResult<()> {
    let congress = crate::service::congress::load(conn, congress_id)?;
    let app = generate_application(
        conn,
        actor,
        key,
        congress_id,
        &ApplicationInput::Convene {
            body: FEDERATION.to_string(),
            start: congress.date.clone(),
            end: congress.date.clone(),
        },
    )?;
    record_reply(
        conn,
        actor,
        key,
        congress_id,
        &ReplyInput {
            application: app.seq,
            body: FEDERATION.to_string(),
            reference: format!("学联复〔{}〕1号", today_cst().format("%Y")),
            reply: "同意召开。".to_string(),
            date: today_cst().to_string(),
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;

    /// The scripted notice has ended before today for every allowed length, on any weekday.
    #[test]
    fn past_notice_ends_before_today() {
        let cal = Calendar::new(Vec::new(), Vec::new());
        for offset in 0..14 {
            let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + Duration::days(offset);
            for days in 1..=crate::domain::calendar::MAX_NOTICE_DAYS {
                let (a, r, n) = past_dates(today, days);
                assert!(a < r && r < n, "{today} {days}");
                let end = cal.notice_end(n, days).unwrap();
                assert!(end < today, "{today} {days}: ends {end}");
            }
        }
    }
}
