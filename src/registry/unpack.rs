//! An uploaded packet, unpacked safely into an empty directory: a `.zip` as the record page
//! downloads it (files at the root or under one top folder, `<congress>-packet/`), or the
//! packet directory's files sent one by one with their relative paths.
//!
//! Nothing in an upload is trusted. Every path is checked before anything is written: at most
//! two segments below the packet root (`record.json`, `boards/x.board.json`), each made of
//! `[A-Za-z0-9._-]` and not starting with a dot, so `..`, absolute paths, backslashes, drive
//! letters and hidden files are refused by name ("路径穿越"); symbolic links, encrypted entries,
//! duplicate names and unknown compression methods are refused; sizes are counted as the bytes
//! are actually decompressed, against the total limit and against each entry's declared size,
//! and an entry that inflates more than `max_ratio` times is refused as a zip bomb before it is
//! read. Every refusal is a Chinese sentence naming the entry.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::Path;

/// The limits of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The upload itself (the zip, or all files together).
    pub max_packet_bytes: u64,
    /// Everything unpacked together.
    pub max_unpacked_bytes: u64,
    /// Largest uncompressed : compressed ratio of an entry over 1 MiB.
    pub max_ratio: u64,
    /// Entries in a zip.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_packet_bytes: 64 << 20,
            max_unpacked_bytes: 1 << 30,
            max_ratio: 200,
            max_entries: 4096,
        }
    }
}

/// Why an upload could not be unpacked (Chinese, names the entry).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnpackError(pub String);

fn err<T>(s: String) -> Result<T, UnpackError> {
    Err(UnpackError(s))
}

const RATIO_FLOOR: u64 = 1 << 20;

/// The directory prefix to strip (`""` or `"<top>/"`), found from where `record.json` is.
fn root_prefix<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Result<String, UnpackError> {
    if names.clone().any(|n| n == "record.json") {
        return Ok(String::new());
    }
    let mut tops = names
        .clone()
        .map(|n| n.split('/').next().unwrap_or(""))
        .collect::<BTreeSet<_>>();
    if tops.len() == 1 {
        if let Some(top) = tops.pop_first() {
            let prefix = format!("{top}/");
            if names.clone().any(|n| n == format!("{prefix}record.json")) {
                return Ok(prefix);
            }
        }
    }
    err("归档包中没有 record.json: 请上传“结果报告”页面下载的 zip, 或归档包目录中的全部文件".into())
}

/// The packet-relative path of `raw` (after `prefix`), or why it is refused.
fn relative(raw: &str, prefix: &str) -> Result<String, UnpackError> {
    let show = raw.chars().take(120).collect::<String>();
    if raw.contains('\\')
        || raw.starts_with('/')
        || raw.contains(':')
        || raw.contains('\0')
        || raw.split('/').any(|s| s == ".." || s == ".")
    {
        return err(format!(
            "归档包中的路径“{show}”试图指向归档包目录之外 (路径穿越), 拒收"
        ));
    }
    let rel = raw.strip_prefix(prefix).unwrap_or(raw);
    let segments: Vec<&str> = rel.split('/').collect();
    let ok_segment = |s: &&str| {
        (1..=128).contains(&s.len())
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    };
    if raw.len() < prefix.len()
        || !raw.starts_with(prefix)
        || segments.len() > 2
        || !segments.iter().all(ok_segment)
    {
        return err(format!(
            "归档包中的“{show}”不是归档包的文件: 只接受 record.json 等文件及 boards/、rolls/、addenda/ 等一层子目录中的文件 (文件名只含字母、数字、. _ -)"
        ));
    }
    Ok(rel.to_string())
}

/// Writes `bytes` at `rel` inside `dest` (a fresh file; its directory created if needed).
fn write(dest: &Path, rel: &str, bytes: &[u8]) -> Result<(), UnpackError> {
    let path = dest.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| UnpackError(format!("无法创建目录: {e}")))?;
    }
    let mut f =
        fs::File::create_new(&path).map_err(|e| UnpackError(format!("无法写入 {rel}: {e}")))?;
    f.write_all(bytes)
        .map_err(|e| UnpackError(format!("无法写入 {rel}: {e}")))
}

/// Whether `bytes` look like a zip archive (local file header or an empty archive).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Unpacks a zip into `dest` (an empty directory); returns the packet-relative paths.
pub fn unzip(bytes: &[u8], dest: &Path, limits: &Limits) -> Result<Vec<String>, UnpackError> {
    if !is_zip(bytes) {
        return err("上传的文件不是 zip 归档包 (应为“结果报告”页面下载的 .zip)".into());
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| UnpackError(format!("zip 归档包无法读取: {e}")))?;
    if zip.len() > limits.max_entries {
        return err(format!(
            "zip 中有 {} 个条目, 超过上限 {}",
            zip.len(),
            limits.max_entries
        ));
    }
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let prefix = root_prefix(names.iter().map(String::as_str))?;
    let mut seen = BTreeSet::new();
    let mut total: u64 = 0;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| UnpackError(format!("zip 第 {} 个条目无法读取: {e}", i + 1)))?;
        let raw = entry.name().to_string();
        if entry.is_dir() {
            if raw.trim_end_matches('/') != prefix.trim_end_matches('/') {
                relative(raw.trim_end_matches('/'), &prefix)?;
            }
            continue;
        }
        let rel = relative(&raw, &prefix)?;
        if entry.is_symlink() {
            return err(format!("归档包中的“{rel}”是符号链接, 归档包不接受符号链接"));
        }
        if entry.encrypted() {
            return err(format!("归档包中的“{rel}”经过加密, 无法核验"));
        }
        if !seen.insert(rel.clone()) {
            return err(format!("归档包中的“{rel}”出现了两次"));
        }
        let declared = entry.size();
        let compressed = entry.compressed_size().max(1);
        let left = limits.max_unpacked_bytes.saturating_sub(total);
        if declared > left {
            return err(too_big(limits));
        }
        if declared > RATIO_FLOOR && declared / compressed > limits.max_ratio {
            return err(format!(
                "归档包中的“{rel}”压缩比为 {}:1 (解压后 {} 字节), 超过 {}:1, 疑似 zip 炸弹, 拒收",
                declared / compressed,
                declared,
                limits.max_ratio
            ));
        }
        let mut buf = Vec::with_capacity(declared.min(left) as usize);
        (&mut entry)
            .take(declared.min(left) + 1)
            .read_to_end(&mut buf)
            .map_err(|e| UnpackError(format!("归档包中的“{rel}”无法解压: {e}")))?;
        if buf.len() as u64 > declared {
            return err(format!(
                "归档包中的“{rel}”解压后大于它声明的 {declared} 字节, 拒收"
            ));
        }
        total += buf.len() as u64;
        write(dest, &rel, &buf)?;
        out.push(rel);
    }
    Ok(out)
}

fn too_big(limits: &Limits) -> String {
    format!(
        "归档包解压后超过 {} MB 的上限 (疑似 zip 炸弹), 拒收",
        limits.max_unpacked_bytes >> 20
    )
}

/// Writes the packet directory's files (relative path, bytes) into `dest`.
pub fn write_files(
    files: &[(String, Vec<u8>)],
    dest: &Path,
    limits: &Limits,
) -> Result<Vec<String>, UnpackError> {
    if files.len() > limits.max_entries {
        return err(format!(
            "共 {} 个文件, 超过上限 {}",
            files.len(),
            limits.max_entries
        ));
    }
    let prefix = root_prefix(files.iter().map(|(n, _)| n.as_str()))?;
    let mut seen = BTreeSet::new();
    let total: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    if total > limits.max_unpacked_bytes {
        return err(too_big(limits));
    }
    let mut out = Vec::new();
    for (name, bytes) in files {
        let rel = relative(name, &prefix)?;
        if !seen.insert(rel.clone()) {
            return err(format!("文件“{rel}”出现了两次"));
        }
        write(dest, &rel, bytes)?;
        out.push(rel);
    }
    Ok(out)
}

/// The unpacked packet as a zip, the way `congress export` zips it (deflate, fixed
/// timestamps, sorted, under `<folder>/`), so files sent one by one are stored as one object.
pub fn zip_dir(dir: &Path, files: &[String], folder: &str) -> Result<Vec<u8>, UnpackError> {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let fail = |e: String| UnpackError(format!("无法生成 zip: {e}"));
    let mut sorted = files.to_vec();
    sorted.sort();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for rel in &sorted {
        let bytes = fs::read(dir.join(rel)).map_err(|e| fail(e.to_string()))?;
        zip.start_file(format!("{folder}/{rel}"), options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(&bytes).map_err(|e| fail(e.to_string()))?;
    }
    Ok(zip.finish().map_err(|e| fail(e.to_string()))?.into_inner())
}

#[cfg(test)]
#[path = "unpack_tests.rs"]
mod tests;
