//! The synthetic corpus of the scale measurement (`congress registry synth`): N packets of D
//! delegates written in parallel, one school and one record key each (the ballot papers, signed
//! once, are shared), with a manifest
//! (`schools.json`) that `congress registry bench` reads. Every 20th school (by default) has
//! too few ordinary students, so the province table has failures to show.

use std::path::PathBuf;

use anyhow::{anyhow, Context};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::synth::{packet_with, voters, PaperSet, Spec, CONTESTS};
use crate::crypto::sha256_hex;
use crate::crypto::SigningKey;

/// The manifest `synth` writes beside the packets (`schools.json`).
pub const MANIFEST: &str = "schools.json";

/// One packet of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub code: String,
    pub school: String,
    pub file: String,
    pub congress_date: String,
    pub key_fingerprint: String,
    pub bytes: u64,
    pub sha256: String,
    /// Signed ballots on the packet's boards (each one an RSA signature the registry checks);
    /// 0 in manifests written before this field.
    #[serde(default)]
    pub ballots: u64,
}

const CITIES: [&str; 34] = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "石家庄",
    "太原",
    "沈阳",
    "长春",
    "哈尔滨",
    "南京",
    "杭州",
    "合肥",
    "福州",
    "南昌",
    "济南",
    "郑州",
    "武汉",
    "长沙",
    "广州",
    "南宁",
    "海口",
    "成都",
    "贵阳",
    "昆明",
    "西安",
    "兰州",
    "西宁",
    "呼和浩特",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "厦门",
    "青岛",
    "深圳",
];
const KINDS: [&str; 8] = [
    "大学",
    "理工大学",
    "师范大学",
    "财经大学",
    "医科大学",
    "农业大学",
    "职业技术学院",
    "外国语大学",
];

/// The name of synthetic school `i` (unique).
pub fn school_name(i: usize) -> String {
    let base = format!(
        "{}{}",
        CITIES[i % CITIES.len()],
        KINDS[i / CITIES.len() % KINDS.len()]
    );
    let round = i / (CITIES.len() * KINDS.len());
    if round == 0 {
        base
    } else {
        format!("{base}{}", round + 1)
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    pub count: usize,
    pub delegates: u64,
    pub year: i32,
    pub seed: u64,
    pub out: PathBuf,
    /// Every this many schools have too few ordinary students (0: none).
    pub short_every: usize,
}

/// Writes the packets and the manifest; returns the manifest.
pub fn generate(o: &SynthOptions) -> anyhow::Result<Vec<Entry>> {
    std::fs::create_dir_all(&o.out).with_context(|| format!("无法创建 {}", o.out.display()))?;
    // The ballot papers are signed once (3 x voters RSA signatures) and shared by every
    // packet: a paper's signature covers only its token.
    let papers = PaperSet::new(voters(o.delegates), o.seed).map_err(|e| anyhow!("{e}"))?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let entries: Vec<Entry> = (0..o.count)
        .into_par_iter()
        .map(|i| -> anyhow::Result<Entry> {
            let code = format!("S{:04}", i + 1);
            let school = school_name(i);
            let date = format!("{}-{:02}-{:02}", o.year, i % 9 + 3, i % 27 + 1);
            let mut spec = Spec::new(
                &school,
                &format!("xdh{}{}", o.year, code),
                &date,
                o.delegates,
                o.seed.wrapping_add(i as u64),
            );
            if o.short_every > 0 && (i + 1).is_multiple_of(o.short_every) {
                spec.ordinary_pct = 55;
            }
            let key = SigningKey::generate().map_err(|e| anyhow!("{e}"))?;
            let s = packet_with(&spec, key, &papers).map_err(|e| anyhow!("{code}: {e}"))?;
            let zip = s.zip().map_err(|e| anyhow!("{code}: {e}"))?;
            let file = format!("{code}.zip");
            std::fs::write(o.out.join(&file), &zip)?;
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(100) {
                eprintln!("已生成 {n}/{} 个归档包", o.count);
            }
            Ok(Entry {
                code,
                school,
                file,
                congress_date: date,
                key_fingerprint: s.key.public_key().fingerprint(),
                bytes: zip.len() as u64,
                sha256: sha256_hex(&zip),
                ballots: CONTESTS.len() as u64 * voters(o.delegates),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    std::fs::write(o.out.join(MANIFEST), serde_json::to_vec_pretty(&entries)?)?;
    Ok(entries)
}
