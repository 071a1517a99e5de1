//! `congress registry file --school CODE PATH`: a packet received otherwise (e-mail, a USB
//! stick), a `.zip` or an unpacked directory, filed by the office exactly as an upload is
//! (verified, key checked, stored or refused with the reason; audited as `cli:registry`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::registry::StoreArgs;
use crate::config::Config;
use crate::registry::ingest::{ingest, Outcome, Upload};
use crate::service::Actor;
use crate::storage::repo::registry as repo;
use crate::storage::{Db, OpenMode};

/// Files `path` for the school `code`.
pub fn file(
    config: &Config,
    store: &StoreArgs,
    code: &str,
    path: &PathBuf,
    actor: &Actor,
) -> anyhow::Result<ExitCode> {
    let registry = store.open(config)?;
    let upload = if path.is_dir() {
        let mut files = Vec::new();
        collect_files(path, path, &mut files)?;
        Upload::Files(files)
    } else {
        Upload::Zip(std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?)
    };
    let db = Db::open(&config.database_url, OpenMode::Existing)?;
    let mut c = db.conn()?;
    let Some(school) = repo::school_by_code(&mut c, code)? else {
        eprintln!("错误: 没有学校代码为“{code}”的学校");
        return Ok(ExitCode::from(1));
    };
    match ingest(
        &mut c,
        &registry.store,
        &registry.limits,
        actor,
        &school,
        upload,
        "cli",
    )? {
        Outcome::Accepted { filing, pinned } => {
            println!(
                "已备案: {} {} ({} 项检查全部通过){}",
                filing.congress_name,
                filing.congress_date,
                filing.checks,
                if pinned {
                    "; 已固定签名公钥指纹"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Duplicate(f) => {
            println!("这个归档包此前已经备案 ({}), 没有新的变化", f.congress_name);
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Refused(r) => {
            eprintln!("拒收: {}", r.reason);
            for d in &r.details {
                eprintln!("  {d}");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// Every regular file under `dir`, with its path relative to `root`.
fn collect_files(
    root: &PathBuf,
    dir: &PathBuf,
    out: &mut Vec<(String, Vec<u8>)>,
) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            collect_files(root, &path, out)?;
        } else if kind.is_file() {
            let rel = path
                .strip_prefix(root)?
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path)?));
        }
    }
    Ok(())
}
