//! Building the indicators' [`Facts`] from where a packet is: an unpacked packet directory
//! (the filing office, after verification), the packet contents a congress builds from its
//! own database (the school's self-assessment), or the JSON the office stored with a filing.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::indicators::Facts;
use crate::packet::format::{ADDENDA_DIR, RECORD_FILE, ROSTER_SUMMARY_FILE};
use crate::packet::PacketContents;

/// Largest record, summary or addendum read (the verifier's small-file limit).
const SMALL_LIMIT: u64 = 64 << 20;

fn read_json(path: &Path) -> Result<Value, String> {
    let meta = fs::symlink_metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_file() || meta.len() > SMALL_LIMIT {
        return Err(format!("{} 不是可读取的文件", path.display()));
    }
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The candidates' public notice (公示, rule C6) for the indicator: the data of the latest
/// `notice` step in `approval/` (file names sort in recording order), as addendum `notice`.
pub(super) fn add_notice(addenda: &mut BTreeMap<String, Value>, mut steps: Vec<(String, Value)>) {
    steps.sort_by(|a, b| a.0.cmp(&b.0));
    let latest = steps
        .into_iter()
        .rev()
        .find(|(_, v)| v.get("kind").and_then(Value::as_str) == Some("notice"));
    if let Some((_, v)) = latest {
        addenda.insert("notice".to_string(), v["data"].clone());
    }
}

impl Facts {
    /// From an unpacked (and verified) packet directory.
    pub fn from_dir(dir: &Path) -> Result<Facts, String> {
        let record = read_json(&dir.join(RECORD_FILE))?;
        let roster_summary = read_json(&dir.join(ROSTER_SUMMARY_FILE)).ok();
        let mut addenda = BTreeMap::new();
        if let Ok(entries) = fs::read_dir(dir.join(ADDENDA_DIR)) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(stem) = name.strip_suffix(".json") {
                    addenda.insert(stem.to_string(), read_json(&entry.path())?);
                }
            }
        }
        if let Ok(entries) = fs::read_dir(dir.join("approval")) {
            let mut steps = Vec::new();
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".json") {
                    steps.push((name, read_json(&entry.path())?));
                }
            }
            add_notice(&mut addenda, steps);
        }
        Ok(Facts {
            record,
            roster_summary,
            addenda,
        })
    }

    /// From the contents of a congress's own packet.
    pub fn from_contents(contents: &PacketContents) -> Result<Facts, String> {
        let record = serde_json::from_slice(&contents.record.bytes)
            .map_err(|e| format!("{RECORD_FILE}: {e}"))?;
        let roster_summary = serde_json::from_slice(&contents.roster_summary).ok();
        let mut addenda = BTreeMap::new();
        for (name, signed) in &contents.addenda {
            let v = serde_json::from_slice(&signed.bytes).map_err(|e| format!("{name}: {e}"))?;
            addenda.insert(name.clone(), v);
        }
        let mut steps = Vec::new();
        for (name, signed) in &contents.approval {
            let v = serde_json::from_slice(&signed.bytes).map_err(|e| format!("{name}: {e}"))?;
            steps.push((name.clone(), v));
        }
        add_notice(&mut addenda, steps);
        Ok(Facts {
            record,
            roster_summary,
            addenda,
        })
    }

    /// From the JSON text stored with a filing.
    pub fn from_stored(record: &str, roster_summary: &str, addenda: &str) -> Facts {
        Facts {
            record: serde_json::from_str(record).unwrap_or(Value::Null),
            roster_summary: serde_json::from_str(roster_summary)
                .ok()
                .filter(|v: &Value| !v.is_null()),
            addenda: serde_json::from_str(addenda).unwrap_or_default(),
        }
    }

    /// The addenda as one JSON object (stored with a filing).
    pub fn addenda_json(&self) -> String {
        serde_json::to_string(&self.addenda).unwrap_or_else(|_| "{}".to_string())
    }
}
