//! The filing office's actions other than filing itself: schools, their accounts, the keys the
//! office enters, the settings. Each runs in one write transaction with its audit entry
//! (`registry.*`); authorisation is the caller's (`web::routes::registry::access`).

use crate::crypto::password::hash_password;
use crate::domain::ids::CongressId;
use crate::packet::verify::pin::normalise_fingerprint;
use crate::service::accounts::validate_username;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::registry::{self as repo, KeyPin, School};
use crate::storage::repo::users::{self, Role, User};
use crate::storage::{write_tx, DbConnection};

use super::status::Settings;

/// A school code: 1-32 of `[A-Za-z0-9_-]` (it names the school's directory in the store).
pub fn validate_code(code: &str) -> ServiceResult<()> {
    let ok = (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(format!(
            "学校代码“{code}”无效: 应为1到32个英文字母、数字、- 或 _ (例如国标学校代码 10558)"
        )))
    }
}

/// Registers a school.
pub fn add_school(
    conn: &mut DbConnection,
    actor: &Actor,
    code: &str,
    name: &str,
) -> ServiceResult<School> {
    let (code, name) = (code.trim(), name.trim());
    validate_code(code)?;
    let n = name.chars().count();
    if !(2..=64).contains(&n) || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid(format!(
            "学校名称“{name}”无效: 应为2到64个字符"
        )));
    }
    write_tx(conn, |c| {
        if repo::school_by_code(c, code)?.is_some() {
            return Err(ServiceError::Conflict(format!("学校代码“{code}”已登记")));
        }
        if repo::school_by_name(c, name)?.is_some() {
            return Err(ServiceError::Conflict(format!("学校“{name}”已登记")));
        }
        let school = repo::insert_school(c, code, name)?;
        let after = serde_json::json!({"code": code, "name": name}).to_string();
        actor.audit(
            c,
            None,
            "registry.school_add",
            Some(code),
            None,
            Some(after),
        )?;
        Ok(school)
    })
}

/// Creates a filing-office account (`Role::Office`) or a school's account (`Role::School`,
/// which files for `school` only). `must_change` marks a one-time password.
pub fn add_account(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    password: &str,
    role: Role,
    school: Option<&School>,
    must_change: bool,
) -> ServiceResult<User> {
    validate_username(username)?;
    match (role, school) {
        (Role::Office, None) | (Role::School, Some(_)) => {}
        (Role::School, None) => return Err(ServiceError::invalid("学校账户必须指定所属学校")),
        (Role::Office, Some(_)) => return Err(ServiceError::invalid("上级学联账户不属于某所学校")),
        _ => {
            return Err(ServiceError::invalid(
                "备案登记只有上级学联账户 (office) 和学校账户 (school)",
            ))
        }
    }
    if password.chars().count() < 10 {
        return Err(ServiceError::invalid("密码太短: 至少需要10个字符"));
    }
    let hash = hash_password(password).map_err(|e| {
        ServiceError::Internal(crate::errors::context(
            "hashing the password",
            e.to_string(),
        ))
    })?;
    write_tx(conn, |c| {
        if users::by_username(c, username)?.is_some() {
            return Err(ServiceError::Conflict(format!("用户名“{username}”已存在")));
        }
        let user = users::create(c, username, &hash, role, must_change)?;
        if let Some(s) = school {
            repo::add_member(c, &user.id, &s.id)?;
        }
        let after = serde_json::json!({
            "role": role.as_str(),
            "school": school.map(|s| s.code.clone()),
        });
        actor.audit(
            c,
            None,
            "registry.account_add",
            Some(username),
            None,
            Some(after.to_string()),
        )?;
        Ok(user)
    })
}

/// The office enters a school's signing-key fingerprint (from the signed paper report, where it
/// is printed): for a named congress, or (`congress_id` `None`) for the school's next one,
/// replacing an earlier such entry. A congress whose key is already pinned keeps it.
pub fn enter_key(
    conn: &mut DbConnection,
    actor: &Actor,
    school: &School,
    congress_id: Option<&str>,
    fingerprint: &str,
    note: &str,
) -> ServiceResult<KeyPin> {
    let fp = normalise_fingerprint(fingerprint).map_err(|_| {
        ServiceError::invalid(format!(
            "公钥指纹应为64位十六进制数字 (SHA-256; 可含空格或冒号), 现为“{}”",
            fingerprint.trim()
        ))
    })?;
    let congress_id = congress_id.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = congress_id {
        if !crate::packet::format::is_file_safe_id(c) {
            return Err(ServiceError::invalid(format!("大会编号“{c}”无效")));
        }
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(ServiceError::invalid(
            "请填写指纹的来源 (例如“签字的选举结果报告单”)",
        ));
    }
    write_tx(conn, |c| {
        repo::lock_school(c, &school.id)?;
        if let Some(other) = repo::other_schools_with_key(c, &school.id, &fp)?.first() {
            let name = repo::school_by_id(c, other)?
                .map(|s| s.name)
                .unwrap_or_default();
            return Err(ServiceError::Conflict(format!(
                "指纹 {fp} 已登记在“{name}”名下"
            )));
        }
        let mut before = None;
        match congress_id {
            Some(cid) => {
                if let Some(pin) = repo::key_of_congress(c, &school.id, &CongressId::from(cid))? {
                    return Err(ServiceError::Conflict(format!(
                        "大会 {cid} 的公钥已固定为 {} ({}), 不能更改",
                        pin.fingerprint,
                        super::ingest::source_zh(&pin.source)
                    )));
                }
            }
            None => {
                if let Some(old) = repo::pending_key(c, &school.id)? {
                    before = Some(
                        serde_json::json!({"fingerprint": old.fingerprint, "note": old.note})
                            .to_string(),
                    );
                    repo::delete_key(c, &old.id)?;
                }
            }
        }
        let pin = repo::insert_key(
            c,
            &school.id,
            congress_id,
            &fp,
            "office",
            note,
            &actor.username,
        )?;
        let after = serde_json::json!({"congress": congress_id, "fingerprint": fp, "note": note});
        actor.audit(
            c,
            None,
            "registry.key_enter",
            Some(&school.code),
            before,
            Some(after.to_string()),
        )?;
        Ok(pin)
    })
}

/// The office's settings, defaults for those never set.
pub fn load_settings(conn: &mut DbConnection) -> ServiceResult<Settings> {
    let mut s = Settings::default();
    for (name, value) in repo::settings(conn)? {
        let v = value.parse::<u32>().ok();
        match (name.as_str(), v) {
            ("filing_days", Some(v)) => s.filing_days = v,
            ("max_interval_months", Some(v)) => s.max_interval_months = v,
            _ => {}
        }
    }
    Ok(s)
}

/// Changes the settings (filing deadline 1-366 days, interval 1-120 months).
pub fn save_settings(conn: &mut DbConnection, actor: &Actor, new: Settings) -> ServiceResult<()> {
    if !(1..=366).contains(&new.filing_days) {
        return Err(ServiceError::invalid(format!(
            "备案期限应为1到366天, 现为 {}",
            new.filing_days
        )));
    }
    if !(1..=120).contains(&new.max_interval_months) {
        return Err(ServiceError::invalid(format!(
            "召开周期上限应为1到120个月, 现为 {}",
            new.max_interval_months
        )));
    }
    write_tx(conn, |c| {
        let old = load_settings(c)?;
        repo::set_setting(
            c,
            "filing_days",
            &new.filing_days.to_string(),
            &actor.username,
        )?;
        repo::set_setting(
            c,
            "max_interval_months",
            &new.max_interval_months.to_string(),
            &actor.username,
        )?;
        let before = serde_json::to_string(&old).ok();
        let after = serde_json::to_string(&new).ok();
        actor.audit(c, None, "registry.settings", None, before, after)?;
        Ok(())
    })
}
