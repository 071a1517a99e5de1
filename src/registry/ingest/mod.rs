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

mod record;

pub use record::{record, source_zh};

use super::indicators::{parse_date, Facts};
use super::store::Store;
use super::unpack::{unzip, write_files, zip_dir, Limits};
use crate::crypto::sha256_hex;
use crate::domain::ids::CongressId;
use crate::packet::verify::verify_packet;
use crate::service::{Actor, ServiceError, ServiceResult};
use crate::storage::repo::registry::{FilingBrief, School};
use crate::storage::DbConnection;

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
    pub congress_id: CongressId,
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
    let scratch = store.scratch().map_err(|e| {
        ServiceError::Internal(crate::errors::context("creating a temporary directory", e))
    })?;
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
            zip_dir(dir, &files, &folder).map_err(|e| ServiceError::Internal(e.0.into()))?
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
        congress_id: congress_id.into(),
        facts,
        packet,
    })
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
