//! The approval steps in `approval/` (rules C5-C7, G4; `docs/formats.md`, "Approval steps"):
//! each file signed by the congress key, canonical, of a known kind and this congress; each
//! notice's candidate list hashes to its `candidates_sha256` and is the record's list of that
//! contest (same candidates, same order); the latest 党委批准 and 请示上级学联 of a contest
//! reference the list of its latest notice; a reply answers an application in the packet.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

use super::{read_file, same_bytes, show, Checklist, SMALL_LIMIT};
use crate::crypto::{sha256_hex, to_canonical, PublicKey};
use crate::packet::approval::{self as fmt, list_hash, Step, APPROVAL_DIR, KINDS};
use crate::packet::format::Record;

pub(super) fn check_approval(
    list: &mut Checklist,
    dir: &Path,
    key: Option<&PublicKey>,
    record: Option<&Record>,
) {
    let Ok(entries) = fs::read_dir(dir.join(APPROVAL_DIR)) else {
        return; // no steps recorded: nothing to check
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".json")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    let mut steps: Vec<(String, Step)> = Vec::new();
    let mut shas = BTreeSet::new();
    for name in &names {
        let outcome = one(dir, name, key, record).map(|(step, sha)| {
            shas.insert(sha);
            let mut what = format!("{} ({})", fmt::kind_zh(&step.kind), step.kind);
            if fmt::is_override(&step.kind) {
                what.push_str(&format!(
                    "; 理由: {}; 登记人: {}; 登记于 {}",
                    step.data["reason"].as_str().unwrap_or("—"),
                    step.data["by"].as_str().unwrap_or("—"),
                    step.recorded_at
                ));
            }
            steps.push((name.clone(), step));
            format!("签名有效, 规范 JSON: {what}")
        });
        list.push(
            "approval.step",
            None,
            &format!("审批步骤 {APPROVAL_DIR}/{name}.json"),
            outcome,
        );
    }
    // The latest step of each kind per contest, in file (= recording) order.
    let mut latest: BTreeMap<(String, String), &Step> = BTreeMap::new();
    for (_, s) in &steps {
        if let Some(c) = &s.contest {
            latest.insert((c.clone(), s.kind.clone()), s);
        }
    }
    for (name, s) in &steps {
        if s.kind == fmt::REPLY {
            let app = s.data["application_sha256"].as_str().unwrap_or_default();
            let outcome = if shas.contains(app) {
                Ok(format!("答复的申请 {app} 在材料包中"))
            } else {
                Err(format!("{name} 答复的申请 {} 不在材料包中", show(app)))
            };
            list.push(
                "approval.reply",
                None,
                &format!("{name} 答复的申请"),
                outcome,
            );
        }
    }
    let contests: BTreeSet<&String> = latest.keys().map(|(c, _)| c).collect();
    for c in contests {
        let notice = latest.get(&(c.clone(), fmt::NOTICE.to_string()));
        let outcome = notice_matches(c, notice.copied(), &latest, record);
        list.push(
            "approval.list",
            Some(c.as_str()),
            "候选人名单: 公示、批准与记录一致",
            outcome,
        );
    }
}

fn one(
    dir: &Path,
    name: &str,
    key: Option<&PublicKey>,
    record: Option<&Record>,
) -> Result<(Step, String), String> {
    let file = format!("{APPROVAL_DIR}/{name}.json");
    let sig_file = format!("{APPROVAL_DIR}/{name}.sig");
    let bytes = read_file(dir, &file, 4 * SMALL_LIMIT)?;
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
    let step: Step = serde_json::from_value(value).map_err(|e| format!("{file} 格式不符: {e}"))?;
    if step.v != fmt::STEP_VERSION || !KINDS.contains(&step.kind.as_str()) {
        return Err(format!("{file}: 未知的版本或类别 {}", show(&step.kind)));
    }
    if !name.ends_with(&format!(".{}", step.kind)) {
        return Err(format!("{file} 的文件名与类别 {} 不符", step.kind));
    }
    if let Some(r) = record {
        if step.congress != r.congress.id {
            return Err(format!(
                "{file} 属于大会 {}, 不是 {}",
                show(&step.congress),
                r.congress.id
            ));
        }
    }
    Ok((step, sha256_hex(&bytes)))
}

fn notice_matches(
    contest: &str,
    notice: Option<&Step>,
    latest: &BTreeMap<(String, String), &Step>,
    record: Option<&Record>,
) -> Result<String, String> {
    let notice = notice.ok_or("没有公示记录")?;
    let list: Vec<crate::domain::approval::NoticeCandidate> =
        serde_json::from_value(notice.data["candidates"].clone())
            .map_err(|e| format!("公示的候选人名单格式不符: {e}"))?;
    let hash = list_hash(&list).map_err(|e| e.to_string())?;
    if notice.candidates_sha256.as_deref() != Some(hash.as_str()) {
        return Err(format!(
            "公示的名单哈希为 {hash}, 文件中写的是 {}",
            show(notice.candidates_sha256.as_deref().unwrap_or("无"))
        ));
    }
    for kind in [fmt::PARTY_APPROVAL, fmt::FEDERATION_REQUEST] {
        match latest.get(&(contest.to_string(), kind.to_string())) {
            Some(s) if s.candidates_sha256.as_deref() == Some(hash.as_str()) => {}
            Some(_) => {
                return Err(format!(
                    "最后一次{}针对的不是公示的名单",
                    fmt::kind_zh(kind)
                ))
            }
            None => return Err(format!("没有{}记录", fmt::kind_zh(kind))),
        }
    }
    if let Some(rc) = record.and_then(|r| r.contests.iter().find(|k| k.id == contest)) {
        let ids: Vec<&str> = rc.candidates.iter().map(|c| c.id.as_str()).collect();
        let noticed: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
        if ids != noticed {
            return Err("记录中的候选人与公示的名单不同(人选或顺序)".to_string());
        }
    }
    Ok(format!(
        "名单哈希 {hash}, 经批准、请示并公示, 与记录中的候选人一致"
    ))
}
