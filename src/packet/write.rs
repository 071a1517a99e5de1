//! The filing packet on disk and as a zip: the signed record, the public key, the boards, the
//! rolls, the contests' ballot-paper keys, the roster summary, the printable report, the
//! signed addenda, VERIFY.txt and the standalone Python verifier, in the layout of `format`.
//!
//! Writing is all or nothing: the files go into a fresh staging directory beside `dir`, which
//! is then renamed into place, so a reader never sees half a packet. `dir` must be missing,
//! empty, or an earlier packet of the same congress (its `record.json` names this congress and
//! it holds nothing but packet files); the earlier packet is replaced whole, so a contest
//! dropped since leaves no stale board behind. Nothing is written through a symbolic link, and
//! every file name is built from constants and ids checked against `[A-Za-z0-9_-]{1,64}`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::approval::APPROVAL_DIR;
use super::format::{
    addendum_path, addendum_sig_path, board_path, contest_key_path, is_file_safe_id,
    parse_addendum_name, participants_id, roll_path, ADDENDA_DIR, BOARDS_DIR, KEYS_DIR,
    PARTICIPANT_ROLL_HEADER, PUBLIC_KEY_FILE, RECORD_FILE, RECORD_SIG_FILE, REPORT_FILE, ROLLS_DIR,
    ROSTER_SUMMARY_FILE, VERIFY_FILE, VERIFY_SCRIPT_FILE,
};
use super::record::Signed;
use super::verify_txt::{verify_txt, VERIFY_SCRIPT};
use super::PacketError;
use crate::crypto::PublicKey;

/// The header row of a roll: delegate number, name, college.
pub const ROLL_HEADER: [&str; 3] = ["代表编号", "姓名", "学院"];

/// One file of the packet: its path relative to the packet directory, and its bytes.
pub type PacketFile<'a> = (String, Cow<'a, [u8]>);

/// Everything that goes into a filing packet. Boards and rolls are keyed by contest id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacketContents {
    /// `record.json` and `record.sig`.
    pub record: Signed,
    /// `congress.pub.pem`: the congress's public key, SubjectPublicKeyInfo PEM.
    pub public_key_pem: String,
    /// `boards/<contest>.board.json`: the canonical board bytes.
    pub boards: BTreeMap<String, Vec<u8>>,
    /// `rolls/<contest>.csv`: see [`roll_csv`].
    pub rolls: BTreeMap<String, Vec<u8>>,
    /// `keys/<contest>.pub.pem`: each contest's public ballot-paper key (SPKI PEM, the same
    /// as on its v2 board), for the OpenSSL commands of VERIFY.txt. Empty for v1 packets.
    pub contest_keys: BTreeMap<String, String>,
    /// `roster-summary.json`.
    pub roster_summary: Vec<u8>,
    /// `report.html`: the printable form (选举结果报告单).
    pub report_html: Vec<u8>,
    /// `addenda/<name>.json` + `.sig`, keyed by name (approval, filing; approval-2... for
    /// corrections, see [`addendum_name`](crate::packet::format::addendum_name)).
    pub addenda: BTreeMap<String, Signed>,
    /// `approval/<seq>.<kind>.json` + `.sig`, keyed by the path without the extension
    /// ([`file_stem`](crate::packet::approval::file_stem)): the approval steps (C5-C7, G4).
    pub approval: BTreeMap<String, Signed>,
}

impl PacketContents {
    /// The congress id the record names (`/congress/id`), which must be file-safe.
    pub fn congress_id(&self) -> Result<String, PacketError> {
        let record: Value = serde_json::from_slice(&self.record.bytes)
            .map_err(|e| PacketError::Contents(format!("record.json 不是 JSON: {e}")))?;
        let id = record
            .pointer("/congress/id")
            .and_then(Value::as_str)
            .ok_or_else(|| PacketError::Contents("record.json 缺少 congress.id".into()))?;
        if !is_file_safe_id(id) {
            return Err(PacketError::BadFileId {
                what: "大会编号",
                id: id.to_string(),
            });
        }
        Ok(id.to_string())
    }

    /// Every file of the packet as (relative path, bytes), in a fixed order. Checks that the
    /// key is an Ed25519 SPKI PEM, that ids and kinds are file-safe, and that boards and rolls
    /// cover exactly the contests of the record.
    pub fn files(&self) -> Result<Vec<PacketFile<'_>>, PacketError> {
        let key = PublicKey::from_spki_pem(&self.public_key_pem)?;
        let record: Value = serde_json::from_slice(&self.record.bytes)
            .map_err(|e| PacketError::Contents(format!("record.json 不是 JSON: {e}")))?;
        // Each contest, and `<contest>-participants` for one with a participants' tally (I7).
        let ids: Vec<String> = record
            .get("contests")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|c| {
                        let id = c.get("id")?.as_str()?;
                        let mut out = vec![id.to_string()];
                        if c.get("participants").is_some() {
                            out.push(participants_id(id));
                        }
                        Some(out)
                    })
                    .flatten()
                    .collect()
            })
            .unwrap_or_default();
        let contests: Vec<&str> = ids.iter().map(String::as_str).collect();
        for (what, map) in [("公示文件", &self.boards), ("签到名单", &self.rolls)] {
            let ids: Vec<&str> = map.keys().map(String::as_str).collect();
            let mut listed = contests.clone();
            listed.sort_unstable();
            if ids != listed {
                return Err(PacketError::Contents(format!(
                    "{what}对应的选举/表决为 {ids:?},记录中为 {listed:?}"
                )));
            }
            if let Some(bad) = ids.iter().find(|id| !is_file_safe_id(id)) {
                return Err(PacketError::BadFileId {
                    what: "选举/表决编号",
                    id: bad.to_string(),
                });
            }
        }
        if let Some(bad) = self
            .contest_keys
            .keys()
            .find(|id| !contests.contains(&id.as_str()))
        {
            return Err(PacketError::Contents(format!(
                "选票签发公钥对应的选举/表决 {bad} 不在记录中"
            )));
        }
        if let Some(kind) = self
            .addenda
            .keys()
            .find(|k| parse_addendum_name(k).is_none())
        {
            return Err(PacketError::Contents(format!(
                "附加文件类型“{kind}”未知,只能为 approval(党委批准)或 filing(备案)"
            )));
        }
        fn owned<'a>(path: &str, bytes: Vec<u8>) -> PacketFile<'a> {
            (path.to_string(), Cow::Owned(bytes))
        }
        fn borrowed(path: String, bytes: &[u8]) -> PacketFile<'_> {
            (path, Cow::Borrowed(bytes))
        }
        let mut out = vec![
            borrowed(RECORD_FILE.into(), &self.record.bytes),
            owned(RECORD_SIG_FILE, self.record.sig.to_vec()),
            borrowed(PUBLIC_KEY_FILE.into(), self.public_key_pem.as_bytes()),
            borrowed(ROSTER_SUMMARY_FILE.into(), &self.roster_summary),
            borrowed(REPORT_FILE.into(), &self.report_html),
            owned(VERIFY_FILE, verify_txt(&key.fingerprint()).into_bytes()),
            owned(VERIFY_SCRIPT_FILE, VERIFY_SCRIPT.as_bytes().to_vec()),
        ];
        out.extend(
            self.boards
                .iter()
                .map(|(id, b)| borrowed(board_path(id), b)),
        );
        out.extend(self.rolls.iter().map(|(id, r)| borrowed(roll_path(id), r)));
        out.extend(
            self.contest_keys
                .iter()
                .map(|(id, pem)| borrowed(contest_key_path(id), pem.as_bytes())),
        );
        for (kind, signed) in &self.addenda {
            out.push(borrowed(addendum_path(kind), &signed.bytes));
            out.push((addendum_sig_path(kind), Cow::Owned(signed.sig.to_vec())));
        }
        for (stem, signed) in &self.approval {
            out.push(borrowed(format!("{stem}.json"), &signed.bytes));
            out.push((format!("{stem}.sig"), Cow::Owned(signed.sig.to_vec())));
        }
        Ok(out)
    }
}

/// A roll (签到名单) as CSV (`csv_out`: UTF-8 with BOM, CRLF line ends, formula cells guarded),
/// header `代表编号,姓名,学院`, one row per delegate who was handed a ballot, ordered by
/// delegate number. Names and numbers only: nothing in it refers to a ballot (rule E1).
pub fn roll_csv(rows: &[(u32, String, String)]) -> Result<Vec<u8>, PacketError> {
    let mut sorted: Vec<&(u32, String, String)> = rows.iter().collect();
    sorted.sort_by_key(|r| r.0);
    if let Some(pair) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(PacketError::DuplicateRollNumber { number: pair[0].0 });
    }
    let csv_err = |e: csv::Error| PacketError::Contents(format!("签到名单写入失败: {e}"));
    let mut w = crate::csv_out::CsvOut::new();
    w.row(ROLL_HEADER).map_err(csv_err)?;
    for (number, name, college) in sorted {
        w.row([number.to_string().as_str(), name, college])
            .map_err(csv_err)?;
    }
    w.finish().map_err(csv_err)
}

/// A participants' roll (rule I7), as [`roll_csv`] with the header `序号,姓名,单位`: one row
/// per participant who took a paper, by their position on the meeting's list.
pub fn participant_roll_csv(rows: &[(u32, String, String)]) -> Result<Vec<u8>, PacketError> {
    let mut sorted: Vec<&(u32, String, String)> = rows.iter().collect();
    sorted.sort_by_key(|r| r.0);
    if let Some(pair) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(PacketError::DuplicateRollNumber { number: pair[0].0 });
    }
    let csv_err = |e: csv::Error| PacketError::Contents(format!("列席人员名单写入失败: {e}"));
    let mut w = crate::csv_out::CsvOut::new();
    w.row(PARTICIPANT_ROLL_HEADER).map_err(csv_err)?;
    for (number, name, unit) in sorted {
        w.row([number.to_string().as_str(), name, unit])
            .map_err(csv_err)?;
    }
    w.finish().map_err(csv_err)
}

/// Writes the packet into `dir` (see the module documentation for what `dir` may be).
pub fn write_packet(dir: &Path, contents: &PacketContents) -> Result<(), PacketError> {
    let files = contents.files()?;
    let congress = contents.congress_id()?;
    let existing = inspect_target(dir, &congress)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(PacketError::io("创建目录", &parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".packet-writing-")
        .tempdir_in(&parent)
        .map_err(PacketError::io("创建临时目录于", &parent))?;
    for sub in [BOARDS_DIR, ROLLS_DIR, ADDENDA_DIR, KEYS_DIR] {
        let path = staging.path().join(sub);
        fs::create_dir(&path).map_err(PacketError::io("创建目录", &path))?;
    }
    // `approval/` only when steps were recorded (issue 16): older packets stay as they were.
    if files
        .iter()
        .any(|(rel, _)| rel.starts_with(&format!("{APPROVAL_DIR}/")))
    {
        let path = staging.path().join(APPROVAL_DIR);
        fs::create_dir(&path).map_err(PacketError::io("创建目录", &path))?;
    }
    for (rel, bytes) in &files {
        let path = staging.path().join(rel);
        let mut file = fs::File::create_new(&path).map_err(PacketError::io("创建文件", &path))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(PacketError::io("写入文件", &path))?;
    }
    if existing {
        // Move the old packet (or the empty directory) into a temporary directory that is
        // removed when dropped, then put the new one in its place.
        let old = tempfile::Builder::new()
            .prefix(".packet-previous-")
            .tempdir_in(&parent)
            .map_err(PacketError::io("创建临时目录于", &parent))?;
        let moved = old.path().join("packet");
        fs::rename(dir, &moved).map_err(PacketError::io("移走旧归档包", dir))?;
        if let Err(e) = fs::rename(staging.path(), dir) {
            // Put the old packet back rather than leave nothing; if even that fails, keep it
            // where it is instead of deleting it.
            if fs::rename(&moved, dir).is_err() {
                let _ = old.keep();
            }
            return Err(PacketError::io("放置新归档包到", dir)(e));
        }
        let _ = staging.keep();
    } else {
        fs::rename(staging.path(), dir).map_err(PacketError::io("放置新归档包到", dir))?;
        let _ = staging.keep();
    }
    Ok(())
}

/// The packet as a zip archive (deflate, fixed 1980-01-01 timestamps so the same packet
/// always gives the same bytes), every file under `<congress>-packet/`.
pub fn zip_packet(contents: &PacketContents) -> Result<Vec<u8>, PacketError> {
    use zip::write::SimpleFileOptions;
    let files = contents.files()?;
    let folder = format!("{}-packet", contents.congress_id()?);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let zip_err = |e: zip::result::ZipError| PacketError::Zip(e.to_string());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (rel, bytes) in &files {
        zip.start_file(format!("{folder}/{rel}"), options)
            .map_err(zip_err)?;
        zip.write_all(bytes)
            .map_err(|e| PacketError::Zip(e.to_string()))?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

/// Whether `dir` exists (and so must be replaced); refuses anything but a missing directory,
/// an empty one, or an earlier packet of `congress`.
fn inspect_target(dir: &Path, congress: &str) -> Result<bool, PacketError> {
    if dir.file_name().is_none() {
        return Err(not_empty(dir, congress, "目标路径必须以目录名结尾".into()));
    }
    let meta = match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        other => other.map_err(PacketError::io("读取", dir))?,
    };
    if meta.file_type().is_symlink() {
        return Err(PacketError::Symlink {
            path: dir.to_path_buf(),
        });
    }
    if !meta.is_dir() {
        return Err(not_empty(dir, congress, "它是文件而不是目录".into()));
    }
    let entries = list(dir)?;
    if entries.is_empty() {
        return Ok(true);
    }
    let record = dir.join(RECORD_FILE);
    let owner = fs::symlink_metadata(&record)
        .ok()
        .filter(|m| m.is_file())
        .and_then(|_| fs::read(&record).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| v.pointer("/congress/id")?.as_str().map(str::to_string));
    match owner {
        None => {
            return Err(not_empty(
                dir,
                congress,
                "其中没有可读的 record.json".into(),
            ))
        }
        Some(other) if other != congress => {
            let reason = format!("其中的 record.json 属于大会 {other}");
            return Err(not_empty(dir, congress, reason));
        }
        Some(_) => {}
    }
    let top_files = [
        RECORD_FILE,
        RECORD_SIG_FILE,
        PUBLIC_KEY_FILE,
        ROSTER_SUMMARY_FILE,
        REPORT_FILE,
        VERIFY_FILE,
        VERIFY_SCRIPT_FILE,
    ];
    for (name, path, kind) in entries {
        if kind.is_symlink() {
            return Err(PacketError::Symlink { path });
        }
        let sub =
            [BOARDS_DIR, ROLLS_DIR, ADDENDA_DIR, KEYS_DIR, APPROVAL_DIR].contains(&name.as_str());
        if kind.is_file() && top_files.contains(&name.as_str()) {
            continue;
        }
        if !(kind.is_dir() && sub) {
            return Err(not_empty(
                dir,
                congress,
                format!("含有不属于归档包的 {name}"),
            ));
        }
        for (inner, inner_path, inner_kind) in list(&path)? {
            if inner_kind.is_symlink() {
                return Err(PacketError::Symlink { path: inner_path });
            }
            let expected = match name.as_str() {
                BOARDS_DIR => inner.ends_with(".board.json"),
                ROLLS_DIR => inner.ends_with(".csv"),
                KEYS_DIR => inner.ends_with(".pub.pem"),
                _ => inner.ends_with(".json") || inner.ends_with(".sig"),
            };
            if !(inner_kind.is_file() && expected) {
                let reason = format!("含有不属于归档包的 {name}/{inner}");
                return Err(not_empty(dir, congress, reason));
            }
        }
    }
    Ok(true)
}

/// The entries of a directory: (name, path, type), names that are not UTF-8 shown lossily.
fn list(dir: &Path) -> Result<Vec<(String, PathBuf, fs::FileType)>, PacketError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(PacketError::io("读取目录", dir))? {
        let entry = entry.map_err(PacketError::io("读取目录", dir))?;
        let kind = entry
            .file_type()
            .map_err(PacketError::io("读取", &entry.path()))?;
        out.push((
            entry.file_name().to_string_lossy().into_owned(),
            entry.path(),
            kind,
        ));
    }
    Ok(out)
}

fn not_empty(dir: &Path, congress: &str, reason: String) -> PacketError {
    PacketError::DirNotEmpty {
        path: dir.to_path_buf(),
        congress: congress.to_string(),
        reason,
    }
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
