//! Congresses: their details, rule profile, lifecycle state and signing-key fingerprint.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::ids::CongressId;
use crate::domain::settings::RuleProfile;
use crate::domain::state::CongressState;
use crate::domain::types::Level;
use crate::storage::codes::{count, decode, to_column};
use crate::storage::models::CongressRow;
use crate::storage::schema::congresses;
use crate::storage::{now_ms, DbConnection, StorageError, StorageResult};

/// A congress as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Congress {
    pub id: CongressId,
    /// 大会名称, e.g. "XX大学第十次学生代表大会".
    pub name: String,
    pub school: String,
    pub level: Level,
    /// 第N次
    pub session_no: u32,
    /// YYYY-MM-DD
    pub date: String,
    pub place: String,
    pub owner_id: String,
    pub state: CongressState,
    pub settings: RuleProfile,
    pub public_key_pem: Option<String>,
    pub key_fingerprint: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The editable details of a congress (what the set-up form holds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CongressDetails {
    pub name: String,
    pub school: String,
    pub level: Level,
    pub session_no: u32,
    pub date: String,
    pub place: String,
}

impl TryFrom<CongressRow> for Congress {
    type Error = StorageError;

    fn try_from(r: CongressRow) -> StorageResult<Congress> {
        let level = decode("congress", &r.id, "level", &r.level)?;
        let state = decode("congress", &r.id, "state", &r.state)?;
        let session_no = count("congress", &r.id, "session_no", r.session_no)?;
        let settings: RuleProfile = serde_json::from_str(&r.settings).map_err(|e| {
            StorageError::corrupt_because(format!("congress {}: settings", r.id), e)
        })?;
        Ok(Congress {
            id: r.id.into(),
            name: r.name,
            school: r.school,
            level,
            session_no,
            date: r.date,
            place: r.place,
            owner_id: r.owner_id,
            state,
            settings,
            public_key_pem: r.public_key_pem,
            key_fingerprint: r.key_fingerprint,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn settings_json(settings: &RuleProfile) -> String {
    // Serialising a plain struct of integers and enums cannot fail.
    serde_json::to_string(settings).unwrap_or_else(|_| "{}".to_string())
}

/// Inserts a new congress in the `setup` state.
pub fn create(
    conn: &mut DbConnection,
    id: &CongressId,
    details: &CongressDetails,
    owner_id: &str,
    settings: &RuleProfile,
) -> StorageResult<Congress> {
    let now = now_ms();
    let row = CongressRow {
        id: id.to_string(),
        name: details.name.clone(),
        school: details.school.clone(),
        level: details.level.as_str().to_string(),
        session_no: to_column("session_no", details.session_no)?,
        date: details.date.clone(),
        place: details.place.clone(),
        owner_id: owner_id.to_string(),
        state: CongressState::Setup.as_str().to_string(),
        settings: settings_json(settings),
        public_key_pem: None,
        key_fingerprint: None,
        roster_report: None,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(congresses::table)
        .values(&row)
        .execute(conn)?;
    Congress::try_from(row)
}

pub fn get(conn: &mut DbConnection, id: &CongressId) -> StorageResult<Option<Congress>> {
    congresses::table
        .find(id)
        .select(CongressRow::as_select())
        .first(conn)
        .optional()?
        .map(Congress::try_from)
        .transpose()
}

/// All congresses, newest first.
pub fn list(conn: &mut DbConnection) -> StorageResult<Vec<Congress>> {
    congresses::table
        .order(congresses::created_at.desc())
        .select(CongressRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Congress::try_from)
        .collect()
}

pub fn update_details(
    conn: &mut DbConnection,
    id: &CongressId,
    d: &CongressDetails,
) -> StorageResult<()> {
    diesel::update(congresses::table.find(id))
        .set((
            congresses::name.eq(&d.name),
            congresses::school.eq(&d.school),
            congresses::level.eq(d.level.as_str()),
            congresses::session_no.eq(to_column("session_no", d.session_no)?),
            congresses::date.eq(&d.date),
            congresses::place.eq(&d.place),
            congresses::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn update_settings(
    conn: &mut DbConnection,
    id: &CongressId,
    settings: &RuleProfile,
) -> StorageResult<()> {
    diesel::update(congresses::table.find(id))
        .set((
            congresses::settings.eq(settings_json(settings)),
            congresses::updated_at.eq(now_ms()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the congress from `from` to `to`; returns `false` (and changes nothing) when the
/// congress was no longer in `from` (a concurrent request got there first).
pub fn transition(
    conn: &mut DbConnection,
    id: &CongressId,
    from: CongressState,
    to: CongressState,
) -> StorageResult<bool> {
    let n = diesel::update(
        congresses::table
            .find(id)
            .filter(congresses::state.eq(from.as_str())),
    )
    .set((
        congresses::state.eq(to.as_str()),
        congresses::updated_at.eq(now_ms()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn set_key(
    conn: &mut DbConnection,
    id: &CongressId,
    public_key_pem: &str,
    fingerprint: &str,
) -> StorageResult<()> {
    diesel::update(congresses::table.find(id))
        .set((
            congresses::public_key_pem.eq(public_key_pem),
            congresses::key_fingerprint.eq(fingerprint),
        ))
        .execute(conn)?;
    Ok(())
}

/// The last roster validation report, stored as JSON.
pub fn set_roster_report(
    conn: &mut DbConnection,
    id: &CongressId,
    report_json: Option<&str>,
) -> StorageResult<()> {
    diesel::update(congresses::table.find(id))
        .set(congresses::roster_report.eq(report_json))
        .execute(conn)?;
    Ok(())
}

pub fn roster_report(conn: &mut DbConnection, id: &CongressId) -> StorageResult<Option<String>> {
    Ok(congresses::table
        .find(id)
        .select(congresses::roster_report)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}
