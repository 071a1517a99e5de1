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

/// Which entries an audit query may return.
#[derive(Debug, Clone)]
pub enum Scope<'a> {
    /// The entries of one congress.
    Congress(&'a str),
    /// The entries of these congresses, plus the entries without a congress (account events:
    /// logins, password changes, tokens) whose actor or target is one of `usernames`.
    OwnAndAccount {
        congress_ids: &'a [String],
        usernames: &'a [String],
    },
}

/// An audit query: scope plus the page's filters.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    pub scope: Scope<'a>,
    /// Only actions starting with this (e.g. `scrutineer.`); matched literally.
    pub action_prefix: Option<&'a str>,
    /// Only this actor (exact username).
    pub actor: Option<&'a str>,
}

type Backend = <DbConnection as diesel::Connection>::Backend;

/// `%` and `_` are LIKE wildcards; a prefix filter must match them literally.
fn like_prefix(prefix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '\\' | '%' | '_') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

fn filtered<'a>(q: &Query<'a>) -> audit_log::BoxedQuery<'a, Backend> {
    let mut b = audit_log::table.into_boxed();
    match &q.scope {
        Scope::Congress(id) => b = b.filter(audit_log::congress_id.eq(id.to_string())),
        Scope::OwnAndAccount {
            congress_ids,
            usernames,
        } => {
            let own = audit_log::congress_id.eq_any(congress_ids.to_vec());
            let account = audit_log::congress_id.is_null().and(
                audit_log::actor
                    .eq_any(usernames.to_vec())
                    .or(audit_log::target.eq_any(usernames.to_vec())),
            );
            b = b.filter(own.or(account));
        }
    }
    if let Some(p) = q.action_prefix.filter(|p| !p.is_empty()) {
        b = b.filter(audit_log::action.like(like_prefix(p)).escape('\\'));
    }
    if let Some(a) = q.actor.filter(|a| !a.is_empty()) {
        b = b.filter(audit_log::actor.eq(a.to_string()));
    }
    b
}

/// How many entries the query matches.
pub fn count(conn: &mut DbConnection, q: &Query<'_>) -> StorageResult<i64> {
    Ok(filtered(q).count().get_result(conn)?)
}

/// One page of the query's entries, newest first.
pub fn page(
    conn: &mut DbConnection,
    q: &Query<'_>,
    offset: i64,
    limit: i64,
) -> StorageResult<Vec<AuditEntry>> {
    Ok(filtered(q)
        .select(AuditRow::as_select())
        .order(audit_log::seq.desc())
        .offset(offset.max(0))
        .limit(limit.max(0))
        .load(conn)?
        .into_iter()
        .map(AuditEntry::from)
        .collect())
}

/// The distinct action names recorded for the query's scope (for the filter's suggestions).
pub fn actions(conn: &mut DbConnection, scope: Scope<'_>) -> StorageResult<Vec<String>> {
    let q = Query {
        scope,
        action_prefix: None,
        actor: None,
    };
    Ok(filtered(&q)
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::like_prefix;

    #[test]
    fn like_prefix_escapes_wildcards() {
        assert_eq!(like_prefix("scrutineer."), "scrutineer.%");
        assert_eq!(like_prefix("a_b%c\\"), "a\\_b\\%c\\\\%");
    }
}
