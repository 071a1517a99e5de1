//! Step 2 of a packet's arrival (one write transaction): whether this school may file it
//! (the record names the school; its congress and key belong to no other school; the key is
//! the pinned or expected one), then the accepted filing (packet written to the store first,
//! removed again if the transaction fails) with its pins and audit entry, or the refusal.

use serde_json::Value;

use super::{refused, Examined, Outcome, Refused};
use crate::registry::store::Store;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::new_id;
use crate::storage::repo::registry::{self as repo, Filing, Refusal, School};
use crate::storage::{now_ms, write_tx, DbConnection};

/// Step 2, for an examined packet: pins, store, filing row, audit.
pub fn record(
    conn: &mut DbConnection,
    store: &Store,
    actor: &Actor,
    school: &School,
    examined: Result<Examined, Refused>,
    via: &str,
) -> ServiceResult<Outcome> {
    let ex = match examined {
        Ok(ex) => ex,
        Err(r) => return refuse(conn, actor, school, r, via),
    };
    if let Some(f) = repo::filing_of_packet(conn, &school.id, &ex.packet_sha256)? {
        return Ok(Outcome::Duplicate(f));
    }
    if let Err(reason) = may_file(conn, school, &ex)? {
        let r = refused(&ex.packet, reason, Vec::new());
        return refuse(conn, actor, school, r, via);
    }
    let rel = Store::name(&school.code, ex.year, &ex.packet_sha256);
    // The file is written inside the transaction, after the school's row is locked, so two
    // uploads for one school take turns: a second one sees the first's filing and pins, and
    // a file removed by a failed transaction is written again by the next.
    let mut wrote = false;
    let result = write_tx(conn, |c| {
        repo::lock_school(c, &school.id)?;
        accept(c, store, actor, school, &ex, &rel, via, &mut wrote)
    });
    match result {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(reason)) => {
            let r = refused(&ex.packet, reason, Vec::new());
            refuse(conn, actor, school, r, via)
        }
        Err(e) => {
            if wrote {
                store.remove(&rel);
            }
            Err(e)
        }
    }
}

/// Whether the packet may be filed for this school (docs/registry.md, "Keys"): the record
/// names this school, its congress and key belong to no other school, and the key is the
/// pinned or expected one. `Err(reason)` when not.
fn may_file(
    conn: &mut DbConnection,
    school: &School,
    ex: &Examined,
) -> ServiceResult<Result<(), String>> {
    let fp = &ex.key_fingerprint;
    if same_name(&ex.school_in_record) != same_name(&school.name) {
        return Ok(Err(format!(
            "记录中的学校为“{}”, 不是本校“{}”: 不能为其他学校备案, 拒收 (如只是学校名称写法不同, 请联系上级学联核对登记的学校名称)",
            ex.school_in_record, school.name
        )));
    }
    if let Some(other) =
        repo::other_schools_with_congress(conn, &school.id, &ex.congress_id)?.first()
    {
        let name = repo::school_by_id(conn, other)?
            .map(|s| s.name)
            .unwrap_or_default();
        return Ok(Err(format!(
            "大会 {} 已由“{name}”备案: 同一次大会只能由一所学校备案, 拒收",
            ex.congress_id
        )));
    }
    if let Some(other) = repo::other_schools_with_key(conn, &school.id, fp)?.first() {
        let name = repo::school_by_id(conn, other)?
            .map(|s| s.name)
            .unwrap_or_default();
        return Ok(Err(format!(
            "归档包的签名公钥 (指纹 {fp}) 已登记在“{name}”名下: 不能用于本校备案, 拒收"
        )));
    }
    if let Some(pin) = repo::key_of_congress(conn, &school.id, &ex.congress_id)? {
        if &pin.fingerprint != fp {
            return Ok(Err(format!(
                "归档包的签名公钥指纹为 {fp}, 与本校大会 {} 登记的指纹 {} ({}) 不同: 归档包不是用这次大会的密钥签署的 (可能被整体替换并重新签名), 拒收",
                ex.congress_id,
                pin.fingerprint,
                source_zh(&pin.source)
            )));
        }
        return Ok(Ok(()));
    }
    if let Some(pin) = repo::pending_key(conn, &school.id)? {
        if &pin.fingerprint != fp {
            return Ok(Err(format!(
                "归档包的签名公钥指纹为 {fp}, 与上级学联为本校下一次大会登记的指纹 {} 不同 (登记依据: {}): 请核对签字的选举结果报告单上印的指纹, 拒收",
                pin.fingerprint, pin.note
            )));
        }
    }
    Ok(Ok(()))
}

/// A school name compared without spaces and with full-width brackets as ASCII ones.
fn same_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// How a pin came about, in Chinese.
pub fn source_zh(source: &str) -> &'static str {
    match source {
        "office" => "上级学联登记",
        _ => "首次备案时固定",
    }
}

#[allow(clippy::too_many_arguments)]
fn accept(
    c: &mut DbConnection,
    store: &Store,
    actor: &Actor,
    school: &School,
    ex: &Examined,
    rel: &str,
    via: &str,
    wrote: &mut bool,
) -> ServiceResult<Result<Outcome, String>> {
    // Checked again under the school's lock: another upload may have come first.
    if let Some(f) = repo::filing_of_packet(c, &school.id, &ex.packet_sha256)? {
        return Ok(Ok(Outcome::Duplicate(f)));
    }
    if let Err(reason) = may_file(c, school, ex)? {
        return Ok(Err(reason));
    }
    *wrote = store.put(rel, &ex.packet).map_err(|e| {
        ServiceError::Internal(crate::errors::context(
            format!("writing to the packet store {}", store.root().display()),
            e,
        ))
    })?;
    let mut pinned = false;
    if repo::key_of_congress(c, &school.id, &ex.congress_id)?.is_none() {
        match repo::pending_key(c, &school.id)? {
            Some(pin) => repo::bind_key(c, &pin.id, &ex.congress_id)?,
            None => {
                repo::insert_key(
                    c,
                    &school.id,
                    Some(ex.congress_id.as_str()),
                    &ex.key_fingerprint,
                    "filing",
                    "首次备案的归档包",
                    &actor.username,
                )?;
            }
        }
        pinned = true;
    }
    let row = Filing {
        id: new_id("rf"),
        school_id: school.id.clone(),
        congress_id: ex.congress_id.to_string(),
        congress_name: ex.congress_name.clone(),
        school_in_record: ex.school_in_record.clone(),
        level: ex.level.clone(),
        session_no: ex.session_no,
        congress_date: ex.date.clone(),
        year: ex.year,
        record_sha256: ex.record_sha256.clone(),
        packet_sha256: ex.packet_sha256.clone(),
        packet_bytes: ex.packet.len() as i64,
        stored_as: rel.to_string(),
        key_fingerprint: ex.key_fingerprint.clone(),
        checks: ex.checks as i32,
        record_json: ex.facts.record.to_string(),
        roster_summary: ex
            .facts
            .roster_summary
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_else(|| "null".into()),
        addenda: ex.facts.addenda_json(),
        uploaded_by: actor.username.clone(),
        via: via.to_string(),
        uploaded_at: now_ms(),
    };
    repo::insert_filing(c, &row)?;
    let after = serde_json::json!({
        "filing": row.id, "congress": row.congress_id, "date": row.congress_date,
        "record_sha256": row.record_sha256, "packet_sha256": row.packet_sha256,
        "key_fingerprint": row.key_fingerprint, "key_pinned_now": pinned, "via": via,
    });
    actor.audit(
        c,
        None,
        "registry.filing_accepted",
        Some(&school.code),
        None,
        Some(after.to_string()),
    )?;
    let brief = repo::filing_of_packet(c, &school.id, &ex.packet_sha256)?
        .ok_or_else(|| ServiceError::Internal("刚写入的备案记录读不到".into()))?;
    Ok(Ok(Outcome::Accepted {
        filing: brief,
        pinned,
    }))
}

fn refuse(
    conn: &mut DbConnection,
    actor: &Actor,
    school: &School,
    r: Refused,
    via: &str,
) -> ServiceResult<Outcome> {
    write_tx(conn, |c| {
        repo::insert_refusal(
            c,
            &Refusal {
                id: new_id("rr"),
                school_id: school.id.clone(),
                packet_sha256: r.packet_sha256.clone(),
                packet_bytes: r.packet_bytes as i64,
                reason: r.reason.clone(),
                details: serde_json::to_string(&r.details).unwrap_or_else(|_| "[]".into()),
                uploaded_by: actor.username.clone(),
                via: via.to_string(),
                at: now_ms(),
            },
        )?;
        let after = serde_json::json!({
            "packet_sha256": r.packet_sha256, "bytes": r.packet_bytes,
            "reason": r.reason, "failed_checks": r.details.len(), "via": via,
        });
        actor.audit(
            c,
            None,
            "registry.filing_refused",
            Some(&school.code),
            None,
            Some(after.to_string()),
        )?;
        Ok::<_, ServiceError>(())
    })?;
    Ok(Outcome::Refused(r))
}
