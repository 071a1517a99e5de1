//! What happened to each delegate's card (代表证): printed, reissued, logged in with, checked in
//! or out, and by which means (the QR link, the typed code, or a staff member named). The
//! delegate sees their card's events on their phone; the scrutineers see how each delegate was
//! checked in. A later "ballot paper taken" (领票) is one more kind, shown the same way.
//!
//! Nothing here names a contest, a ballot or a choice (rule E1).

use diesel::prelude::*;

use crate::domain::ids::{CongressId, DelegateId};
use crate::storage::codes::decode;
use crate::storage::schema::card_events;
use crate::storage::{DbConnection, StorageError, StorageResult};

use super::new_id;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The card was printed (a sheet, or one card) by a staff member.
    Print,
    /// The card was reissued: new secrets, the old card void.
    Reissue,
    /// A device logged in with the card (ending any other device's session).
    Login,
    /// The delegate was checked in (签到).
    CheckIn,
    /// The delegate was checked out (签退).
    CheckOut,
}

crate::coded! { EventKind {
    Print => "print";
    Reissue => "reissue";
    Login => "login";
    CheckIn => "check_in";
    CheckOut => "check_out";
} }

/// By which means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// The card's QR link (`/t/{token}`).
    Card,
    /// The manual code typed on `/login/code`.
    Code,
    /// A staff member (organiser or scrutineer), named in `actor`.
    Staff,
}

crate::coded! { Via { Card => "card"; Code => "code"; Staff => "staff"; } }

/// One event of one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardEvent {
    pub delegate_id: String,
    /// Unix ms.
    pub at: i64,
    pub kind: EventKind,
    pub via: Via,
    /// The staff member's username (`via` = staff).
    pub actor: Option<String>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = card_events)]
struct Row {
    id: String,
    congress_id: String,
    delegate_id: String,
    at: i64,
    kind: String,
    via: String,
    actor: Option<String>,
}

impl TryFrom<Row> for CardEvent {
    type Error = StorageError;
    fn try_from(r: Row) -> StorageResult<CardEvent> {
        Ok(CardEvent {
            kind: decode("card event", &r.id, "kind", &r.kind)?,
            via: decode("card event", &r.id, "via", &r.via)?,
            delegate_id: r.delegate_id,
            at: r.at,
            actor: r.actor,
        })
    }
}

/// Records an event of delegate `delegate_id`'s card.
pub fn record(
    conn: &mut DbConnection,
    congress_id: &CongressId,
    delegate_id: &DelegateId,
    at: i64,
    kind: EventKind,
    via: Via,
    actor: Option<&str>,
) -> StorageResult<()> {
    diesel::insert_into(card_events::table)
        .values(Row {
            id: new_id("e"),
            congress_id: congress_id.to_string(),
            delegate_id: delegate_id.to_string(),
            at,
            kind: kind.as_str().to_string(),
            via: via.as_str().to_string(),
            actor: actor.map(str::to_string),
        })
        .execute(conn)?;
    Ok(())
}

/// Oldest first; events of the same millisecond in the order they happen within one action
/// (a login that checks in: the login, then the check-in).
fn convert(rows: Vec<Row>) -> StorageResult<Vec<CardEvent>> {
    let mut out = rows
        .into_iter()
        .map(CardEvent::try_from)
        .collect::<StorageResult<Vec<_>>>()?;
    out.sort_by_key(|e| (e.at, e.kind as u8));
    Ok(out)
}

/// The events of one card, oldest first.
pub fn of_delegate(
    conn: &mut DbConnection,
    delegate_id: &DelegateId,
) -> StorageResult<Vec<CardEvent>> {
    convert(
        card_events::table
            .filter(card_events::delegate_id.eq(delegate_id))
            .order(card_events::at.asc())
            .select(Row::as_select())
            .load(conn)?,
    )
}

/// The events of every card of a congress, oldest first.
pub fn of_congress(
    conn: &mut DbConnection,
    congress_id: &CongressId,
) -> StorageResult<Vec<CardEvent>> {
    convert(
        card_events::table
            .filter(card_events::congress_id.eq(congress_id))
            .order(card_events::at.asc())
            .select(Row::as_select())
            .load(conn)?,
    )
}
