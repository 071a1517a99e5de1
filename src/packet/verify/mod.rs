//! Verification of a filing packet by an outsider: reads ONLY the packet directory (and, when
//! given, a delegate's receipt) and performs every check of `docs/formats.md` ("What an
//! observer checks"), returning a checklist rather than an error.
//!
//! Nothing here trusts the packet: every file is read without following symbolic links, under
//! a size limit, from a path built of constants and ids checked against `[A-Za-z0-9_-]{1,64}`
//! (never a path taken from the record); every malformed input (bad JSON, wrong types, huge
//! numbers, missing files) becomes a failed check naming the file, contest, ballot index and
//! the expected and found values. It never panics.
//!
//! The submodules: [`board`] checks one board file and [`ballots`] reads its ballots (the hot
//! path: a million ballots are hashed, parsed and counted in parallel), [`contest`] the rest of
//! a contest (quorum, roll, tally), [`extras`] what is not per contest (stray files, roster
//! summary, addenda, the receipt), [`pin`] the comparison of the key with the fingerprint
//! announced in the hall (`--expect-key`).

mod approval;
pub(crate) mod ballots;
mod board;
mod contest;
mod extras;
pub mod pin;
mod signed;

#[cfg(test)]
mod approval_tests;
#[cfg(test)]
mod signed_tests;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::format::{Record, PUBLIC_KEY_FILE, RECORD_FILE, RECORD_KIND, RECORD_SIG_FILE, VERSION};
use crate::crypto::keys::SIGNATURE_LEN;
use crate::crypto::merkle::Hash;
use crate::crypto::{canonical, to_canonical, PublicKey};

/// Largest small file read (record, key, signatures, summary, addenda, receipt).
const SMALL_LIMIT: u64 = 64 << 20;
/// Largest board or roll read: about fifteen million election ballots.
const LARGE_LIMIT: u64 = 4 << 30;

/// One check and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable identifier for scripts and tests, e.g. `"board.merkle_root"`.
    pub code: String,
    /// The contest the check is about, if any.
    pub contest: Option<String>,
    /// Short name, Chinese then English, e.g. `"默克尔根 Merkle root"`.
    pub name: String,
    pub ok: bool,
    /// What was found; on failure, precisely why (contest, ballot index, expected vs found).
    pub detail: String,
}

/// Every check performed on a packet, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    pub items: Vec<Check>,
}

impl Checklist {
    /// Whether every check passed (and there was at least one).
    pub fn all_ok(&self) -> bool {
        !self.items.is_empty() && self.items.iter().all(|c| c.ok)
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.items.iter().filter(|c| !c.ok)
    }

    /// Whether the packet directory itself could not be read (nothing else was checked).
    pub fn dir_unreadable(&self) -> bool {
        self.items.iter().any(|c| c.code == DIR_CODE && !c.ok)
    }

    /// Records a check: `Ok(detail)` passed, `Err(detail)` failed.
    fn push(
        &mut self,
        code: &str,
        contest: Option<&str>,
        name: &str,
        outcome: Result<String, String>,
    ) {
        let (ok, detail) = match outcome {
            Ok(d) => (true, d),
            Err(d) => (false, d),
        };
        self.items.push(Check {
            code: code.to_string(),
            contest: contest.map(str::to_string),
            name: name.to_string(),
            ok,
            detail,
        });
    }
}

/// Code of the check that the packet directory is readable.
const DIR_CODE: &str = "packet.dir";

/// Verifies the packet in `dir`, and the delegate's signed receipt in `receipt` if given.
pub fn verify_packet(dir: &Path, receipt: Option<&Path>) -> Checklist {
    let mut list = Checklist::default();
    let readable = fs::metadata(dir).map_err(|e| e.to_string()).and_then(|m| {
        if m.is_dir() {
            fs::read_dir(dir).map(drop).map_err(|e| e.to_string())
        } else {
            Err("不是目录".to_string())
        }
    });
    if let Err(e) = readable {
        let detail = format!("无法读取归档包目录 {}: {e}", dir.display());
        list.push(DIR_CODE, None, "归档包目录 packet directory", Err(detail));
        return list;
    }

    let key = read_file(dir, PUBLIC_KEY_FILE, SMALL_LIMIT).and_then(|pem| {
        let text = String::from_utf8(pem).map_err(|_| "公钥文件不是 UTF-8 文本".to_string())?;
        PublicKey::from_spki_pem(&text).map_err(|e| format!("{PUBLIC_KEY_FILE}: {e}"))
    });
    list.push(
        "key.file",
        None,
        "公钥 public key",
        key.as_ref()
            .map(|k| format!("Ed25519 公钥,指纹 {}", k.fingerprint()))
            .map_err(Clone::clone),
    );
    let record_bytes = read_file(dir, RECORD_FILE, SMALL_LIMIT);
    let record = check_record(&mut list, dir, key.as_ref().ok(), &record_bytes);

    let mut boards: BTreeMap<String, (Vec<Hash>, String)> = BTreeMap::new();
    if let Some(record) = &record {
        let mut seen = BTreeSet::new();
        for c in &record.contests {
            let (facts, apart) = contest::check_contest(&mut list, dir, record, c, &mut seen);
            if receipt.is_none() {
                continue;
            }
            if let Some(hashes) = facts {
                boards.insert(c.id.clone(), (hashes, c.board.merkle_root.clone()));
            }
            if let (Some(hashes), Some(p)) = (apart, &c.participants) {
                let id = super::format::participants_id(&c.id);
                boards.insert(id, (hashes, p.board.merkle_root.clone()));
            }
        }
        extras::check_stray_files(&mut list, dir, record);
        extras::check_roster_summary(&mut list, dir, record);
    }
    if let Ok(bytes) = &record_bytes {
        extras::check_addenda(&mut list, dir, key.as_ref().ok(), bytes, record.as_ref());
    }
    approval::check_approval(&mut list, dir, key.as_ref().ok(), record.as_ref());
    if let Some(path) = receipt {
        extras::check_receipt(&mut list, path, key.as_ref().ok(), record.as_ref(), &boards);
    }
    list
}

/// Signature, canonical form, format and key fingerprint of `record.json`; the parsed record
/// when it has the v1 format (even if the signature failed, so the rest can still be checked).
fn check_record(
    list: &mut Checklist,
    dir: &Path,
    key: Option<&PublicKey>,
    bytes: &Result<Vec<u8>, String>,
) -> Option<Record> {
    let sig = read_file(dir, RECORD_SIG_FILE, SMALL_LIMIT);
    let signature = match (key, bytes, &sig) {
        (_, Err(e), _) | (_, _, Err(e)) => Err(e.clone()),
        (None, _, _) => Err("没有可用的公钥,无法核对签名".to_string()),
        (Some(_), _, Ok(sig)) if sig.len() != SIGNATURE_LEN => Err(format!(
            "{RECORD_SIG_FILE} 应为 64 字节的 Ed25519 签名,实为 {} 字节",
            sig.len()
        )),
        (Some(key), Ok(bytes), Ok(sig)) if key.verify(bytes, sig) => Ok(format!(
            "{RECORD_SIG_FILE} 是指纹为 {} 的公钥对 {RECORD_FILE} 全部 {} 字节的有效签名",
            key.fingerprint(),
            bytes.len()
        )),
        (Some(key), Ok(_), Ok(_)) => Err(format!(
            "{RECORD_SIG_FILE} 不是指纹为 {} 的公钥对 {RECORD_FILE} 的签名:记录被改动过,或签名/公钥被替换",
            key.fingerprint()
        )),
    };
    list.push(
        "record.signature",
        None,
        "记录签名 record signature",
        signature,
    );
    let Ok(bytes) = bytes else {
        return None;
    };
    let canonical_check = serde_json::from_slice::<Value>(bytes)
        .map_err(|e| format!("{RECORD_FILE} 不是有效的 JSON: {e}"))
        .and_then(|v| to_canonical(&v).map_err(|e| format!("{RECORD_FILE}: {e}")))
        .and_then(|c| same_bytes(RECORD_FILE, &c, bytes));
    list.push(
        "record.canonical",
        None,
        "记录为规范 JSON record canonical",
        canonical_check,
    );

    let parsed = serde_json::from_slice::<Record>(bytes)
        .map_err(|e| format!("{RECORD_FILE} 不符合 v1 记录格式: {e}"));
    let format = parsed.as_ref().map_err(Clone::clone).and_then(|r| {
        if r.v != VERSION || r.kind != RECORD_KIND {
            return Err(format!(
                "应为 v={VERSION}, kind=\"{RECORD_KIND}\",实为 v={}, kind={}",
                r.v,
                show(&r.kind)
            ));
        }
        // Every field present and nothing else: the typed record re-encodes to the same bytes.
        let again = canonical(r).map_err(|e| e.to_string())?;
        same_bytes(RECORD_FILE, &again, bytes)?;
        Ok(format!(
            "v1 记录:{},{} 场选举/表决",
            show(&r.congress.name),
            r.contests.len()
        ))
    });
    list.push("record.format", None, "记录格式 record format", format);

    let record = parsed.ok();
    let fingerprint = match (key, &record) {
        (Some(k), Some(r)) if k.fingerprint() == r.key_fingerprint => {
            Ok(format!("公钥指纹与记录一致: {}", r.key_fingerprint))
        }
        (Some(k), Some(r)) => Err(format!(
            "记录中的公钥指纹为 {},{PUBLIC_KEY_FILE} 的指纹为 {}",
            show(&r.key_fingerprint),
            k.fingerprint()
        )),
        _ => Err("公钥或记录无法读取,无法比对指纹".to_string()),
    };
    list.push(
        "key.fingerprint",
        None,
        "公钥指纹 key fingerprint",
        fingerprint,
    );
    record
}

/// Reads `rel` (constant segments and checked ids joined by `/`) inside `dir`: every segment
/// must exist and not be a symbolic link, the file must be a regular file of at most `limit`
/// bytes. Errors are the Chinese detail of a failed check.
pub(super) fn read_file(dir: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, String> {
    let mut path = dir.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        path.push(segment);
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!("缺少文件 {rel}"))
            }
            Err(e) => return Err(format!("无法读取 {rel}: {e}")),
        };
        if meta.file_type().is_symlink() {
            return Err(format!("{rel} 经过符号链接,归档包内不接受符号链接"));
        }
        let last = i + 1 == segments.len();
        if last && !meta.is_file() {
            return Err(format!("{rel} 不是普通文件"));
        }
        if last && meta.len() > limit {
            return Err(format!(
                "{rel} 有 {} 字节,超过上限 {limit} 字节",
                meta.len()
            ));
        }
    }
    fs::read(&path).map_err(|e| format!("无法读取 {rel}: {e}"))
}

/// `Ok` when `found` (a file's bytes) equals `expected` (its canonical re-encoding), else
/// where they first differ.
fn same_bytes(file: &str, expected: &[u8], found: &[u8]) -> Result<String, String> {
    if expected == found {
        return Ok(format!("{file} 重新编码后逐字节相同({} 字节)", found.len()));
    }
    let at = expected
        .iter()
        .zip(found)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(found.len()));
    Err(format!(
        "{file} 不是规范 JSON:重新编码为 {} 字节,文件为 {} 字节,第 {at} 字节起不同",
        expected.len(),
        found.len()
    ))
}

/// A value from the packet for a message: quoted, control characters escaped, at most 80
/// characters (a hostile packet cannot flood or drive the terminal).
pub(super) fn show(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect::<String>();
    if s.chars().nth(80).is_some() {
        out.push('…');
    }
    format!("{out:?}")
}
