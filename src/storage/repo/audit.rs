//! The append-only audit log of organiser and scrutineer actions (who, what, when, from
//! where, before/after). Callers never put a password, token or ballot choice in it; the
//! database refuses updates and deletes (triggers in the migrations).

use diesel::prelude::*;
use serde::Serialize;

use crate::storage::models::{AuditRow, NewAuditRow};
use crate::storage::schema::audit_log;
use crate::storage::{now_ms, DbConnection, StorageResult};

/// One action to record.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    /// Username, `system`, or `cli:<user>` for command-line actions.
    pub actor: &'a str,
    /// organiser / scrutineer / system
    pub role: &'a str,
    pub congress_id: Option<&'a str>,
    /// A stable action name, e.g. `roster.freeze`.
    pub action: &'a str,
    /// What was acted on (a contest id, a delegate number...).
    pub target: Option<&'a str>,
    /// Client address.
    pub addr: Option<&'a str>,
    /// JSON of the state before an edit.
    pub before: Option<String>,
    /// JSON of the state after an edit (or the action's parameters).
    pub after: Option<String>,
}

pub fn record(conn: &mut DbConnection, e: Entry<'_>) -> StorageResult<()> {
    diesel::insert_into(audit_log::table)
        .values(NewAuditRow {
            at: now_ms(),
            actor: e.actor.to_string(),
            role: e.role.to_string(),
            congress_id: e.congress_id.map(str::to_string),
            action: e.action.to_string(),
            target: e.target.map(str::to_string),
            addr: e.addr.map(str::to_string),
            before: e.before,
            after: e.after,
        })
        .execute(conn)?;
    Ok(())
}

/// An audit entry as shown and exported.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub role: String,
    pub congress_id: Option<String>,
    pub action: String,
    pub target: Option<String>,
    pub addr: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            role: r.role,
            congress_id: r.congress_id,
            action: r.action,
            target: r.target,
            addr: r.addr,
            before: r.before,
            after: r.after,
        }
    }
}

/// Entries of one congress (or all, with `None`), oldest first.
pub fn list(conn: &mut DbConnection, congress_id: Option<&str>) -> StorageResult<Vec<AuditEntry>> {
    let mut q = audit_log::table.select(AuditRow::as_select()).into_boxed();
    if let Some(c) = congress_id {
        q = q.filter(audit_log::congress_id.eq(c.to_string()));
    }
    Ok(q.order(audit_log::seq.asc())
        .load(conn)?
        .into_iter()
        .map(AuditEntry::from)
        .collect())
}
