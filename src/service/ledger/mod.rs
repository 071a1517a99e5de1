//! The audit log read as a ledger: each entry with its action's Chinese name
//! ([`names::ACTIONS`]), its object by title (the congress, contest, delegate or scrutineer it
//! names, looked up now) and its details as a sentence ([`details::sentence`]).

pub mod details;
pub mod names;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::domain::ids::CongressId;
use crate::storage::repo::audit::AuditEntry;
use crate::storage::repo::{congress as congress_repo, contests as contests_repo};
use crate::storage::repo::{roster as roster_repo, scrutineers as scrutineers_repo};
use crate::storage::DbConnection;

use super::ServiceResult;

/// One line of the ledger.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LedgerEntry {
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// The action's Chinese name (the action code itself when it has none).
    pub action_name: String,
    /// What was acted on, by title; empty when the entry names nothing.
    pub object: String,
    /// The before/after as a sentence.
    pub details: String,
}

/// Titles of the things audit entries name, for the congresses the entries belong to.
#[derive(Debug, Default)]
pub struct Titles {
    congresses: HashMap<String, String>,
    contests: HashMap<String, String>,
    /// (congress id, delegate number) -> name
    delegates: HashMap<(String, u32), String>,
    scrutineers: HashMap<String, String>,
}

impl Titles {
    /// Looks up the titles of everything `entries` may name.
    pub fn load(conn: &mut DbConnection, entries: &[AuditEntry]) -> ServiceResult<Titles> {
        let mut t = Titles::default();
        for c in congress_repo::list(conn)? {
            t.congresses.insert(c.id.into_string(), c.name);
        }
        let ids: BTreeSet<&str> = entries
            .iter()
            .filter_map(|e| e.congress_id.as_deref())
            .collect();
        for cid in ids.into_iter().map(CongressId::from) {
            for k in contests_repo::list(conn, &cid)? {
                t.contests.insert(k.id.into_string(), k.def.title);
            }
            for d in roster_repo::delegates(conn, &cid)? {
                t.delegates
                    .insert((cid.to_string(), d.delegate_no), d.student.name);
            }
            for s in scrutineers_repo::list(conn, &cid)? {
                t.scrutineers.insert(s.id, s.name);
            }
        }
        Ok(t)
    }

    /// The object of `e` by title.
    pub fn object(&self, e: &AuditEntry) -> String {
        let Some(target) = e.target.as_deref() else {
            return String::new();
        };
        if let Some(name) = self.congresses.get(target) {
            return format!("大会“{name}”");
        }
        if let Some(title) = self.contests.get(target) {
            return format!("“{title}”");
        }
        if let Some(name) = self.scrutineers.get(target) {
            return format!("监票人员{name}");
        }
        if let (Some(cid), Some(no)) = (&e.congress_id, target.strip_prefix("代表")) {
            if let Some(name) = no
                .parse::<u32>()
                .ok()
                .and_then(|n| self.delegates.get(&(cid.clone(), n)))
            {
                return format!("{no}号代表{name}");
            }
        }
        match target {
            "enrolment" => "学生人数表".to_string(),
            "societies" => "学生社团表".to_string(),
            "nominees" => "推荐人选表".to_string(),
            "roster" => "代表名单".to_string(),
            "correction" => "更正".to_string(),
            other => other.to_string(),
        }
    }

    /// A congress's name, if known.
    pub fn congress(&self, id: &str) -> Option<&str> {
        self.congresses.get(id).map(String::as_str)
    }
}

/// `entries` as ledger lines.
pub fn ledger(titles: &Titles, entries: Vec<AuditEntry>) -> Vec<LedgerEntry> {
    entries
        .into_iter()
        .map(|e| LedgerEntry {
            action_name: names::name(&e.action).unwrap_or(&e.action).to_string(),
            object: titles.object(&e),
            details: details::sentence(&e.action, e.before.as_deref(), e.after.as_deref()),
            entry: e,
        })
        .collect()
}

/// Loads the titles and makes the ledger of `entries`.
pub fn read(conn: &mut DbConnection, entries: Vec<AuditEntry>) -> ServiceResult<Vec<LedgerEntry>> {
    let titles = Titles::load(conn, &entries)?;
    Ok(ledger(&titles, entries))
}
