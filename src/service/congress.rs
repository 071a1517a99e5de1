//! Creating a congress and editing its details and rule profile.

use crate::crypto::KeyStore;
use crate::domain::ids::CongressId;
use crate::domain::settings::RuleProfile;
use crate::domain::state::Action;
use crate::errors::context;
use crate::storage::repo::congress::{self, Congress, CongressDetails};
use crate::storage::repo::new_id;
use crate::storage::{write_tx, DbConnection};

use super::{audit_json, Actor, ServiceError, ServiceResult};

/// Checks the details a form or API call supplies; every problem in one error.
pub fn validate_details(d: &CongressDetails) -> ServiceResult<()> {
    let mut problems = Vec::new();
    if d.name.trim().is_empty() {
        problems.push("“大会名称”不能为空".to_string());
    }
    if d.school.trim().is_empty() {
        problems.push("“学校”不能为空".to_string());
    }
    if d.place.trim().is_empty() {
        problems.push("“地点”不能为空".to_string());
    }
    if d.session_no == 0 || d.session_no > 1000 {
        problems.push(format!("“届次”应为1到1000之间的整数, 现为{}", d.session_no));
    }
    if chrono::NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d").is_err() {
        problems.push(format!("“日期”应为 YYYY-MM-DD 格式, 现为“{}”", d.date));
    }
    for (label, v) in [
        ("大会名称", &d.name),
        ("学校", &d.school),
        ("地点", &d.place),
    ] {
        if v.chars().count() > 200 {
            problems.push(format!("“{label}”过长(最多200个字符)"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid {
            message: "大会信息有误".to_string(),
            details: problems,
        })
    }
}

fn trimmed(d: &CongressDetails) -> CongressDetails {
    CongressDetails {
        name: d.name.trim().to_string(),
        school: d.school.trim().to_string(),
        level: d.level,
        session_no: d.session_no,
        date: d.date.trim().to_string(),
        place: d.place.trim().to_string(),
    }
}

/// Creates a congress owned by `owner_id`, in the `setup` state, with its own Ed25519
/// signing key (private key in `keys`, mode 0600; public key and fingerprint in the database).
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    owner_id: &str,
    details: &CongressDetails,
    settings: &RuleProfile,
    keys: &KeyStore,
) -> ServiceResult<Congress> {
    validate_details(details)?;
    settings
        .validate()
        .map_err(|details| ServiceError::Invalid {
            message: "规则设置有误".to_string(),
            details,
        })?;
    let details = trimmed(details);
    let id = CongressId::from(new_id("c"));
    std::fs::create_dir_all(&keys.dir).map_err(|e| {
        ServiceError::internal(context(
            format!("无法创建密钥目录 {}", keys.dir.display()),
            e,
        ))
    })?;
    let key = keys.create(id.as_str()).map_err(ServiceError::internal)?;
    let public = key.public_key();
    let result = write_tx(conn, |c| {
        congress::create(c, &id, &details, owner_id, settings)?;
        congress::set_key(c, &id, &public.to_spki_pem(), &public.fingerprint())?;
        actor.audit(
            c,
            Some(&id),
            "congress.create",
            Some(id.as_str()),
            None,
            audit_json(&details)?,
        )?;
        load(c, &id)
    });
    if result.is_err() {
        // Nothing refers to the new key: remove it rather than leave an orphan.
        for p in [keys.key_path(id.as_str()), keys.pub_path(id.as_str())]
            .into_iter()
            .flatten()
        {
            let _ = std::fs::remove_file(p);
        }
    }
    result
}

/// Loads a congress or says it does not exist.
pub fn load(conn: &mut DbConnection, id: &CongressId) -> ServiceResult<Congress> {
    congress::get(conn, id)?.ok_or_else(|| ServiceError::NotFound(format!("大会 {id} 不存在")))
}

pub fn update_details(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &CongressId,
    details: &CongressDetails,
) -> ServiceResult<Congress> {
    validate_details(details)?;
    let details = trimmed(details);
    write_tx(conn, |c| {
        let before = load(c, id)?;
        Action::EditDetails.check(before.state)?;
        let old = CongressDetails {
            name: before.name.clone(),
            school: before.school.clone(),
            level: before.level,
            session_no: before.session_no,
            date: before.date.clone(),
            place: before.place.clone(),
        };
        congress::update_details(c, id, &details)?;
        actor.audit(
            c,
            Some(id),
            "congress.edit_details",
            Some(id.as_str()),
            audit_json(&old)?,
            audit_json(&details)?,
        )?;
        load(c, id)
    })
}

pub fn update_settings(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &CongressId,
    settings: &RuleProfile,
) -> ServiceResult<Congress> {
    settings
        .validate()
        .map_err(|details| ServiceError::Invalid {
            message: "规则设置有误".to_string(),
            details,
        })?;
    write_tx(conn, |c| {
        let before = load(c, id)?;
        Action::EditSettings.check(before.state)?;
        congress::update_settings(c, id, settings)?;
        actor.audit(
            c,
            Some(id),
            "congress.edit_settings",
            Some(id.as_str()),
            audit_json(&before.settings)?,
            audit_json(settings)?,
        )?;
        load(c, id)
    })
}
