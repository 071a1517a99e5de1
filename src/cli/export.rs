//! `congress export --congress ID --out DIR`: writes a certified congress's filing packet
//! (record, signature, public key, boards, rolls, roster summary, the printable report,
//! addenda, VERIFY.txt and the Python verifier) into DIR, for the league office; check it with
//! `congress verify DIR`.
//!
//! Exit codes: 0 written, 1 refused (no such congress, not certified yet, or DIR holds
//! something else), 2 the database or the disk could not be used.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::config::Config;
use crate::domain::ids::CongressId;
use crate::packet::{write_packet, PacketError};
use crate::service::{record, ServiceError};
use crate::storage::{Db, OpenMode};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The congress's id (as in its web address /c/<id>).
    #[arg(long = "congress", value_name = "ID")]
    pub congress: CongressId,
    /// Directory to write the packet into: missing, empty, or an earlier packet of the same
    /// congress (replaced whole).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The server's public address, for the verification link and QR code on the printed
    /// report (e.g. https://xdh.example.edu.cn).
    #[arg(long, env = "CONGRESS_PUBLIC_URL", value_name = "URL")]
    pub public_url: String,
}

const REFUSED: u8 = 1;
const UNUSABLE: u8 = 2;

pub fn run(config: &Config, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let db = Db::open(&config.database_url, OpenMode::Existing)?;
    let mut conn = db.conn()?;
    let contents = match record::filing_packet(&mut conn, &args.congress, &args.public_url) {
        Ok(c) => c,
        Err(e @ (ServiceError::NotFound(_) | ServiceError::Invalid { .. })) => {
            eprintln!("错误: {}", super::describe::service(&e));
            return Ok(ExitCode::from(REFUSED));
        }
        Err(e) => {
            eprintln!(
                "错误: 读取大会 {} 的备案材料失败: {}",
                args.congress,
                super::describe::service(&e)
            );
            return Ok(ExitCode::from(UNUSABLE));
        }
    };
    match write_packet(&args.out, &contents) {
        Ok(()) => {}
        Err(e @ (PacketError::DirNotEmpty { .. } | PacketError::Symlink { .. })) => {
            eprintln!("错误: {e}");
            return Ok(ExitCode::from(REFUSED));
        }
        Err(e) => {
            eprintln!("错误: {e}");
            return Ok(ExitCode::from(UNUSABLE));
        }
    }
    let files = contents.files().map(|f| f.len()).unwrap_or(0);
    println!(
        "已导出备案材料: {} ({files} 个文件, {} 项选举与表决, 附件 {} 份)",
        args.out.display(),
        contents.boards.len(),
        contents.addenda.len()
    );
    println!("核验: congress verify {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
