//! The checks that are not per contest: no board or roll outside the record, the roster
//! summary's hash, the signed addenda (党委批准, 备案), and a delegate's signed receipt.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{read_file, same_bytes, show, Checklist, SMALL_LIMIT};
use crate::crypto::merkle::{self, Hash};
use crate::crypto::{
    canonical, hash_from_hex, sha256_hex, to_canonical, verify_receipt, PublicKey,
};
use crate::packet::board::proof;
use crate::packet::format::{
    addendum_name, addendum_path, addendum_sig_path, board_path, contest_key_path,
    parse_addendum_name, participants_id, roll_path, Addendum, Record, ADDENDA_DIR, ADDENDUM_KINDS,
    BOARDS_DIR, KEYS_DIR, ROLLS_DIR, ROSTER_SUMMARY_FILE, VERSION,
};

/// `boards/`, `rolls/` and `keys/` hold only files of the record's contests: a board left out
/// of the record would be a contest hidden from the certified result.
pub(super) fn check_stray_files(list: &mut Checklist, dir: &Path, record: &Record) {
    let mut stray = Vec::new();
    let ids = record.board_ids();
    for (sub, expected) in [
        (
            BOARDS_DIR,
            ids.iter().map(|id| board_path(id)).collect::<Vec<_>>(),
        ),
        (ROLLS_DIR, ids.iter().map(|id| roll_path(id)).collect()),
        (
            KEYS_DIR,
            ids.iter().map(|id| contest_key_path(id)).collect(),
        ),
    ] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue; // a missing directory already fails the contest checks
        };
        for entry in entries.flatten() {
            let rel = format!("{sub}/{}", entry.file_name().to_string_lossy());
            if !expected.contains(&rel) {
                stray.push(show(&rel));
            }
        }
    }
    let outcome = if stray.is_empty() {
        Ok("boards/、rolls/ 与 keys/ 中只有记录所列场次的文件".to_string())
    } else {
        Err(format!("记录未列出的文件: {}", stray.join(", ")))
    };
    list.push(
        "packet.files",
        None,
        "无多余文件 no unlisted files",
        outcome,
    );
}

/// `roster-summary.json`'s hash equals the record's.
pub(super) fn check_roster_summary(list: &mut Checklist, dir: &Path, record: &Record) {
    let outcome = read_file(dir, ROSTER_SUMMARY_FILE, SMALL_LIMIT).and_then(|bytes| {
        let digest = sha256_hex(&bytes);
        if digest == record.roster_summary_sha256 {
            Ok(format!("sha256 {digest},与记录一致"))
        } else {
            Err(format!(
                "{ROSTER_SUMMARY_FILE} 的 sha256 为 {digest},记录中为 {}",
                show(&record.roster_summary_sha256)
            ))
        }
    });
    list.push(
        "roster_summary.sha256",
        None,
        "名册摘要哈希 roster summary sha256",
        outcome,
    );
}

/// Every addendum: a known kind, both files, signature, v1 format, canonical, this congress,
/// and `record_sha256` = SHA-256 of `record.json`.
pub(super) fn check_addenda(
    list: &mut Checklist,
    dir: &Path,
    key: Option<&PublicKey>,
    record_bytes: &[u8],
    record: Option<&Record>,
) {
    let entries: Vec<String> = match fs::read_dir(dir.join(ADDENDA_DIR)) {
        Ok(e) => e
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => {
            let none = Ok("无附加文件(尚未记录党委批准或备案)".to_string());
            list.push("addenda", None, "附加文件 addenda", none);
            return;
        }
    };
    let name_of = |e: &str| {
        e.strip_suffix(".json")
            .or_else(|| e.strip_suffix(".sig"))
            .filter(|n| parse_addendum_name(n).is_some())
            .map(str::to_string)
    };
    let unknown: Vec<String> = entries
        .iter()
        .filter(|e| name_of(e).is_none())
        .map(|e| show(e))
        .collect();
    if !unknown.is_empty() {
        let detail = format!("addenda/ 中有未知文件: {}", unknown.join(", "));
        list.push("addenda", None, "附加文件 addenda", Err(detail));
    }
    let record_hash = sha256_hex(record_bytes);
    let mut names: Vec<(&str, usize)> = entries
        .iter()
        .filter_map(|e| name_of(e))
        .filter_map(|n| parse_addendum_name(&n))
        .collect();
    names.sort_by_key(|(k, n)| (ADDENDUM_KINDS.iter().position(|x| x == k), *n));
    names.dedup();
    for (kind, n) in names {
        let name = addendum_name(kind, n);
        let outcome = addendum(dir, kind, n, key, &record_hash, record);
        list.push(
            "addendum",
            None,
            &format!("附加文件 {name} addendum"),
            outcome,
        );
    }
}

/// Addendum number `n` of `kind`: as [`check_addenda`] says; a correction (n >= 2) also names
/// the SHA-256 of addendum n - 1 of the same kind and gives its reason.
fn addendum(
    dir: &Path,
    kind: &str,
    n: usize,
    key: Option<&PublicKey>,
    record_hash: &str,
    record: Option<&Record>,
) -> Result<String, String> {
    let name = addendum_name(kind, n);
    let (file, sig_file) = (addendum_path(&name), addendum_sig_path(&name));
    let bytes = read_file(dir, &file, SMALL_LIMIT)?;
    let sig = read_file(dir, &sig_file, SMALL_LIMIT)?;
    let key = key.ok_or("没有可用的公钥,无法核对签名".to_string())?;
    if !key.verify(&bytes, &sig) {
        return Err(format!("{sig_file} 不是本公钥对 {file} 的有效签名"));
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{file}: {e}"))?;
    same_bytes(
        &file,
        &to_canonical(&value).map_err(|e| e.to_string())?,
        &bytes,
    )?;
    let a: Addendum =
        serde_json::from_value(value).map_err(|e| format!("{file} 不符合 v1 格式: {e}"))?;
    same_bytes(&file, &canonical(&a).map_err(|e| e.to_string())?, &bytes)?;
    if a.v != VERSION || a.kind != kind {
        return Err(format!(
            "{file} 应为 v={VERSION}, kind=\"{kind}\",实为 v={}, kind={}",
            a.v,
            show(&a.kind)
        ));
    }
    if let Some(r) = record {
        if a.congress != r.congress.id {
            return Err(format!(
                "{file} 属于大会 {},不是 {}",
                show(&a.congress),
                r.congress.id
            ));
        }
    }
    if a.record_sha256 != record_hash {
        return Err(format!(
            "{file} 引用的记录哈希为 {},record.json 的 sha256 为 {record_hash}",
            show(&a.record_sha256)
        ));
    }
    if n >= 2 {
        let previous = addendum_path(&addendum_name(kind, n - 1));
        let prev_hash = sha256_hex(&read_file(dir, &previous, SMALL_LIMIT)?);
        if a.corrects.as_deref() != Some(prev_hash.as_str()) {
            return Err(format!(
                "{file} 是更正, 应引用 {previous}(sha256 {prev_hash}),实为 {}",
                show(a.corrects.as_deref().unwrap_or("(无)"))
            ));
        }
        if a.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(format!("{file} 是更正, 但没有写明理由"));
        }
    } else if a.corrects.is_some() {
        return Err(format!("{file} 是第一份 {kind},不应引用被更正的文件"));
    }
    Ok(format!(
        "签名有效,引用本记录(sha256 {record_hash}),{} {}",
        show(&a.body),
        a.date
    ))
}

/// The delegate's receipt: signed by the key, of this congress and one of its contests, and
/// its ballot hash on that contest's board with an audit path that leads to the recorded root.
pub(super) fn check_receipt(
    list: &mut Checklist,
    path: &Path,
    key: Option<&PublicKey>,
    record: Option<&Record>,
    boards: &BTreeMap<String, (Vec<Hash>, String)>,
) {
    let outcome = receipt(path, key, record, boards);
    list.push("receipt", None, "投票回执 receipt", outcome);
}

fn receipt(
    path: &Path,
    key: Option<&PublicKey>,
    record: Option<&Record>,
    boards: &BTreeMap<String, (Vec<Hash>, String)>,
) -> Result<String, String> {
    let text = fs::read(path)
        .map_err(|e| format!("无法读取回执 {}: {e}", path.display()))
        .and_then(|b| String::from_utf8(b).map_err(|_| "回执不是 UTF-8 文本".to_string()))?;
    let key = key.ok_or("没有可用的公钥,无法核对回执签名".to_string())?;
    let r = verify_receipt(key, &text).map_err(|e| e.to_string())?;
    let record = record.ok_or("记录无法读取,无法查找回执所属场次".to_string())?;
    if r.congress != record.congress.id {
        return Err(format!(
            "回执属于大会 {},本归档包为 {}",
            show(&r.congress),
            record.congress.id
        ));
    }
    let (hashes, root) = boards
        .get(&r.contest)
        .ok_or_else(|| format!("场次 {} 不在记录中,或其公示无法核对", show(&r.contest)))?;
    let hash = hash_from_hex(&r.ballot_hash).map_err(|e| e.to_string())?;
    // A 评议会 participant's receipt (rule I7) is on the participants' board of the contest.
    let apart = boards.get(&participants_id(&r.contest));
    let (p, root, board) = match proof(hashes, &hash) {
        Some(p) => (p, root, r.contest.clone()),
        None => apart
            .and_then(|(h, root)| Some((proof(h, &hash)?, root, participants_id(&r.contest))))
            .ok_or_else(|| {
                format!(
                    "回执的选票哈希 {} 不在 {} 的公示中:已接受的选票被丢弃",
                    r.ballot_hash, r.contest
                )
            })?,
    };
    let path_hashes = merkle::path_from_hex(&p.path).map_err(|e| e.to_string())?;
    let root_hash = hash_from_hex(root).map_err(|e| e.to_string())?;
    let included = merkle::verify_inclusion(
        &hash,
        p.index as usize,
        p.tree_size as usize,
        &path_hashes,
        &root_hash,
    );
    if !included {
        return Err(format!(
            "回执选票在公示第 {} 张,但审计路径不能得出记录中的默克尔根",
            p.index
        ));
    }
    Ok(format!(
        "签名有效;选票哈希 {} 在 {} 的公示第 {} 张(共 {} 张,序号从 0 起),{} 步审计路径得出记录中的默克尔根",
        r.ballot_hash,
        board,
        p.index,
        p.tree_size,
        p.path.len()
    ))
}
