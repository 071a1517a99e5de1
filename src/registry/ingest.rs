//! A packet arriving at the filing office, in two steps so that the slow one holds no
//! database connection:
//!
//! 1. [`examine`] (no database): unpack the upload safely into a scratch directory, run every
//!    check of `congress verify` (`packet::verify_packet`, the same code as the command), and
//!    read what the office keeps (the record, roster summary and addenda as JSON, the key).
//! 2. [`record`] (one write transaction): the key against the pins (docs/registry.md, "Keys"),
//!    then either the accepted filing (packet file written to the store first, removed again
//!    if the transaction fails) with its pins and audit entry, or the refusal: a row with the
//!    reason and the packet's hash, and an audit entry. A refused packet is stored nowhere.

use std::path::Path;

use chrono::Datelike;
use serde_json::Value;

use super::indicators::{parse_date, Facts};
use super::store::Store;
use super::unpack::{unzip, write_files, zip_dir, Limits};
use crate::crypto::sha256_hex;
use crate::packet::verify::verify_packet;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::new_id;
use crate::storage::repo::registry::{self as repo, Filing, FilingBrief, Refusal, School};
use crate::storage::{now_ms, write_tx, DbConnection};

/// What was uploaded.
#[derive(Debug, Clone)]
pub enum Upload {
    /// A `.zip` as the record page downloads it.
    Zip(Vec<u8>),
    /// The packet directory's files: (relative path, bytes).
    Files(Vec<(String, Vec<u8>)>),
}

impl Upload {
    pub fn len(&self) -> u64 {
        match self {
            Upload::Zip(b) => b.len() as u64,
            Upload::Files(f) => f.iter().map(|(_, b)| b.len() as u64).sum(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A packet that passed every check, ready to be filed.
#[derive(Debug, Clone)]
pub struct Examined {
    /// The zip to store (the upload itself, or the files zipped).
    pub packet: Vec<u8>,
    pub packet_sha256: String,
    pub record_sha256: String,
    pub congress_id: String,
    pub congress_name: String,
    pub school_in_record: String,
    pub level: String,
    pub session_no: i64,
    pub date: String,
    pub year: i32,
    pub key_fingerprint: String,
    pub checks: usize,
    pub facts: Facts,
}

/// A packet refused before it reached the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub packet_sha256: String,
    pub packet_bytes: u64,
    /// One Chinese sentence.
    pub reason: String,
    /// The failed checks, one per line.
    pub details: Vec<String>,
}

/// What became of an upload.
#[derive(Debug, Clone)]
pub enum Outcome {
    Accepted {
        filing: FilingBrief,
        /// The key was pinned by this filing (its congress's first).
        pinned: bool,
    },
    /// This very packet was filed before by this school: nothing new.
    Duplicate(FilingBrief),
    Refused(Refused),
}

fn refused(bytes: &[u8], reason: String, details: Vec<String>) -> Refused {
    Refused {
        packet_sha256: sha256_hex(bytes),
        packet_bytes: bytes.len() as u64,
        reason,
        details,
    }
}

/// Step 1: unpack, verify, read. `Err` is a refusal (the upload is not kept).
pub fn examine(
    store: &Store,
    limits: &Limits,
    upload: Upload,
) -> ServiceResult<Result<Examined, Refused>> {
    let scratch = store
        .scratch()
        .map_err(|e| ServiceError::Internal(format!("无法创建临时目录: {e}")))?;
    let dir = scratch.path();
    let packet = match upload {
        Upload::Zip(bytes) => match unzip(&bytes, dir, limits) {
            Ok(_) => bytes,
            Err(e) => return Ok(Err(refused(&bytes, e.0, Vec::new()))),
        },
        Upload::Files(list) => {
            let joined: Vec<u8> = list
                .iter()
                .flat_map(|(n, b)| [n.as_bytes(), b].concat())
                .collect();
            let files = match write_files(&list, dir, limits) {
                Ok(f) => f,
                Err(e) => return Ok(Err(refused(&joined, e.0, Vec::new()))),
            };
            let folder = congress_folder(dir);
            zip_dir(dir, &files, &folder).map_err(|e| ServiceError::Internal(e.0))?
        }
    };
    Ok(check(dir, packet))
}

/// `<congress>-packet`, the folder `congress export` zips a packet under.
fn congress_folder(dir: &Path) -> String {
    Facts::from_dir(dir)
        .ok()
        .and_then(|f| {
            f.record
                .pointer("/congress/id")?
                .as_str()
                .map(str::to_string)
        })
        .filter(|id| crate::packet::format::is_file_safe_id(id))
        .map(|id| format!("{id}-packet"))
        .unwrap_or_else(|| "packet".to_string())
}

/// Verifies the unpacked packet in `dir` and reads what the office keeps.
fn check(dir: &Path, packet: Vec<u8>) -> Result<Examined, Refused> {
    let list = verify_packet(dir, None);
    if !list.all_ok() {
        let details: Vec<String> = list
            .failures()
            .map(|c| match &c.contest {
                Some(k) => format!("[{k}] {}: {}", c.name, c.detail),
                None => format!("{}: {}", c.name, c.detail),
            })
            .collect();
        let reason = format!(
            "归档包未通过核验 ({} 项检查中 {} 项未通过), 拒收; 未保存任何文件",
            list.items.len(),
            details.len()
        );
        return Err(refused(&packet, reason, details));
    }
    let facts = match Facts::from_dir(dir) {
        Ok(f) => f,
        Err(e) => return Err(refused(&packet, format!("归档包无法读取: {e}"), Vec::new())),
    };
    let record_bytes =
        std::fs::read(dir.join(crate::packet::format::RECORD_FILE)).unwrap_or_default();
    let r = &facts.record;
    let text = |p: &str| {
        r.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let date = text("/congress/date");
    let Some(day) = parse_date(&date) else {
        let reason = format!("记录中的大会日期“{date}”不是有效日期 (YYYY-MM-DD), 无法按年度备案");
        return Err(refused(&packet, reason, Vec::new()));
    };
    let congress_id = text("/congress/id");
    if congress_id.is_empty() {
        return Err(refused(
            &packet,
            "记录中没有大会编号".to_string(),
            Vec::new(),
        ));
    }
    Ok(Examined {
        packet_sha256: sha256_hex(&packet),
        record_sha256: sha256_hex(&record_bytes),
        congress_name: text("/congress/name"),
        school_in_record: text("/congress/school"),
        level: text("/congress/level"),
        session_no: r
            .pointer("/congress/session_no")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        year: day.year(),
        date,
        key_fingerprint: text("/key_fingerprint"),
        checks: list.items.len(),
        congress_id,
        facts,
        packet,
    })
}

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
    let wrote = store.put(&rel, &ex.packet).map_err(|e| {
        ServiceError::Internal(format!(
            "无法写入归档包存储 {}: {e}",
            store.root().display()
        ))
    })?;
    let result = write_tx(conn, |c| accept(c, actor, school, &ex, &rel, via));
    match result {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(reason)) => {
            // The pins changed between the check and the transaction.
            if wrote {
                store.remove(&rel);
            }
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

fn accept(
    c: &mut DbConnection,
    actor: &Actor,
    school: &School,
    ex: &Examined,
    rel: &str,
    via: &str,
) -> ServiceResult<Result<Outcome, String>> {
    // Checked again inside the transaction: two uploads may race.
    if let Err(reason) = may_file(c, school, ex)? {
        return Ok(Err(reason));
    }
    if let Some(f) = repo::filing_of_packet(c, &school.id, &ex.packet_sha256)? {
        return Ok(Ok(Outcome::Duplicate(f)));
    }
    let mut pinned = false;
    if repo::key_of_congress(c, &school.id, &ex.congress_id)?.is_none() {
        match repo::pending_key(c, &school.id)? {
            Some(pin) => repo::bind_key(c, &pin.id, &ex.congress_id)?,
            None => {
                repo::insert_key(
                    c,
                    &school.id,
                    Some(&ex.congress_id),
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
        congress_id: ex.congress_id.clone(),
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

/// Both steps at once (the command line and tests).
pub fn ingest(
    conn: &mut DbConnection,
    store: &Store,
    limits: &Limits,
    actor: &Actor,
    school: &School,
    upload: Upload,
    via: &str,
) -> ServiceResult<Outcome> {
    let examined = examine(store, limits, upload)?;
    record(conn, store, actor, school, examined, via)
}
