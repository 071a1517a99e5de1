//! `congress registry ...`: the filing office (docs/registry.md). `init` and `serve` run it
//! (same database machinery as a congress: SQLite or PostgreSQL; packets in `--store`);
//! `school`, `account` and `key` set it up from the command line (audited as `cli:registry`);
//! `file` files a packet received otherwise (e-mail, USB stick); `table` prints or exports the
//! province table; `synth` and `bench` are the scale measurement.
//!
//! Exit codes: 0 done, 1 refused (a refused packet, a duplicate school...), 2 unusable input.

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Datelike;
use clap::{Args, Subcommand};

use crate::config::Config;
use crate::crypto::token::new_password;
use crate::registry::bench::{self, BenchOptions};
use crate::registry::corpus::{self, SynthOptions};
use crate::registry::unpack::Limits;
use crate::registry::{service, table, xlsx, RegistryConfig};
use crate::service::{Actor, ServiceError};
use crate::storage::repo::registry as repo;
use crate::storage::repo::users::Role;
use crate::storage::{Db, OpenMode};

#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// Directory of the filed packets (a local directory or a mounted object store); default
    /// <data-dir>/registry-store.
    #[arg(long, env = "CONGRESS_REGISTRY_STORE")]
    pub store: Option<PathBuf>,
    /// Largest packet accepted, MB.
    #[arg(long, default_value_t = 64)]
    pub max_packet_mb: u64,
    /// Largest packet once unpacked, MB (zip bombs stop here).
    #[arg(long, default_value_t = 1024)]
    pub max_unpacked_mb: u64,
}

impl StoreArgs {
    pub(super) fn open(&self, config: &Config) -> anyhow::Result<RegistryConfig> {
        let dir = self
            .store
            .clone()
            .unwrap_or_else(|| config.data_dir.join("registry-store"));
        let limits = Limits {
            max_packet_bytes: self.max_packet_mb << 20,
            max_unpacked_bytes: self.max_unpacked_mb << 20,
            ..Limits::default()
        };
        RegistryConfig::open(dir.clone(), limits)
            .with_context(|| format!("无法使用归档包存储目录 {}", dir.display()))
    }
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Create the database, the session key and the packet store.
    Init(StoreArgs),
    /// Serve the filing office.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value = "127.0.0.1:8090")]
        bind: String,
        #[arg(long, env = "CONGRESS_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Register a school: --code 10558 --name 中山大学.
    School {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
    /// Create an office account (--role office) or a school's account (--role school
    /// --school CODE); prints a one-time password.
    Account {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = ["office", "school"])]
        role: String,
        #[arg(long)]
        school: Option<String>,
        /// Read the password from standard input instead.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Enter a school's signing-key fingerprint (from the signed paper report), for a congress
    /// or (without --congress) for its next one.
    Key {
        #[arg(long)]
        school: String,
        #[arg(long)]
        fingerprint: String,
        #[arg(long)]
        congress: Option<String>,
        #[arg(long, default_value = "签字的选举结果报告单")]
        note: String,
    },
    /// File a packet (.zip or directory) for a school, as the office.
    File {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        school: String,
        path: PathBuf,
    },
    /// Print the province table of a year, or write it as .xlsx.
    Table {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Write N synthetic packets (one key per school) and a manifest, for `bench`.
    Synth {
        #[arg(long, default_value_t = 3000)]
        count: usize,
        #[arg(long, default_value_t = 2000)]
        delegates: u64,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Every Nth school has too few ordinary students (0: none).
        #[arg(long, default_value_t = 20)]
        short_every: usize,
    },
    /// File the packets `synth` wrote into a fresh registry server process and measure.
    Bench {
        #[arg(long)]
        packets: PathBuf,
        /// A PostgreSQL server (each run creates and drops its own database); default SQLite.
        #[arg(long = "database", value_name = "URL")]
        database: Option<String>,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long, default_value_t = 2)]
        concurrency: usize,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(config: &Config, cmd: RegistryCommand) -> anyhow::Result<ExitCode> {
    let actor = Actor::cli("registry");
    match cmd {
        RegistryCommand::Init(store) => {
            std::fs::create_dir_all(&config.data_dir)?;
            let db = Db::open(&config.database_url, OpenMode::Create)?;
            crate::web::Secrets::load(config).context("无法创建会话密钥")?;
            let r = store.open(config)?;
            println!("已初始化备案登记: 数据库 {}", db.backend().display());
            println!("归档包存储: {}", r.store.root().display());
            println!("下一步: congress registry account --username <用户名> --role office");
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Serve {
            store,
            bind,
            public_url,
        } => {
            let registry = store.open(config)?;
            let listener = TcpListener::bind(&bind).with_context(|| format!("无法监听 {bind}"))?;
            let url = match public_url {
                Some(u) => u,
                None => format!("http://{}", listener.local_addr()?),
            };
            let state = super::serve::app_state(config, url.clone(), OpenMode::Existing)?
                .with_registry(registry);
            println!("备案登记已启动: {url}");
            super::serve::run_server(listener, state)?;
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::School { code, name } => with_db(config, |c| {
            let s = service::add_school(c, &actor, &code, &name)?;
            println!("已登记学校: {} ({})", s.name, s.code);
            Ok(())
        }),
        RegistryCommand::Account {
            username,
            role,
            school,
            password_stdin,
        } => {
            let role = if role == "office" {
                Role::Office
            } else {
                Role::School
            };
            let (password, one_time) = if password_stdin {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s)?;
                (s.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (new_password(), true)
            };
            with_db(config, |c| {
                let school = match &school {
                    Some(code) => Some(repo::school_by_code(c, code)?.ok_or_else(|| {
                        ServiceError::NotFound(format!("没有学校代码为“{code}”的学校"))
                    })?),
                    None => None,
                };
                let u = service::add_account(
                    c,
                    &actor,
                    &username,
                    &password,
                    role,
                    school.as_ref(),
                    one_time,
                )?;
                println!("已创建{}账户: {}", u.role.zh(), u.username);
                if one_time {
                    println!("一次性密码: {password}\n(首次登录后请修改密码; API 令牌: congress admin token --username {username})");
                }
                Ok(())
            })
        }
        RegistryCommand::Key {
            school,
            fingerprint,
            congress,
            note,
        } => with_db(config, |c| {
            let s = repo::school_by_code(c, &school)?
                .ok_or_else(|| ServiceError::NotFound(format!("没有学校代码为“{school}”的学校")))?;
            let pin = service::enter_key(c, &actor, &s, congress.as_deref(), &fingerprint, &note)?;
            println!(
                "已登记 {} 的公钥指纹 {}",
                pin.congress_id.as_deref().unwrap_or("下一次大会"),
                pin.fingerprint
            );
            Ok(())
        }),
        RegistryCommand::File {
            store,
            school,
            path,
        } => super::registry_file::file(config, &store, &school, &path, &actor),
        RegistryCommand::Table {
            year,
            xlsx: out,
            json,
        } => {
            let db = Db::open(&config.database_url, OpenMode::Existing)?;
            let day = table::today();
            let t = table::province_table(&mut *db.conn()?, year.unwrap_or(day.year()), day)?;
            if let Some(path) = out {
                std::fs::write(&path, xlsx::workbook(&t)?)?;
                println!("已导出 {} 所学校到 {}", t.rows.len(), path.display());
            } else if json {
                println!("{}", serde_json::to_string_pretty(&t)?);
            } else {
                for r in &t.rows {
                    let fails: Vec<&str> = r
                        .indicators
                        .iter()
                        .filter(|i| i.outcome == crate::registry::indicators::Outcome::Fail)
                        .map(|i| i.short)
                        .collect();
                    println!(
                        "{}\t{}\t{}\t{}\t未达标: {}",
                        r.school.code,
                        r.school.name,
                        r.status.standing.zh(),
                        r.status.detail,
                        if fails.is_empty() {
                            "无".to_string()
                        } else {
                            fails.join(", ")
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Synth {
            count,
            delegates,
            out,
            year,
            seed,
            short_every,
        } => {
            let year = year.unwrap_or(table::today().year());
            let t = std::time::Instant::now();
            let entries = corpus::generate(&SynthOptions {
                count,
                delegates,
                year,
                seed,
                out: out.clone(),
                short_every,
            })?;
            let total: u64 = entries.iter().map(|e| e.bytes).sum();
            println!(
                "已生成 {} 个归档包 ({} 名代表/校, 共 {:.1} MiB) 于 {}, 用时 {:.1} s",
                entries.len(),
                delegates,
                total as f64 / 1048576.0,
                out.display(),
                t.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        RegistryCommand::Bench {
            packets,
            database,
            runs,
            concurrency,
            json,
        } => {
            let r = bench::run(&BenchOptions {
                packets,
                database,
                runs,
                concurrency,
            })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                bench::print(&r);
            }
            let ok = r
                .runs
                .iter()
                .all(|x| x.errors.is_empty() && x.accepted == x.packets);
            Ok(ExitCode::from(if ok { 0 } else { 1 }))
        }
    }
}

/// Runs `f` on the existing database; a service refusal is exit 1 with its message.
fn with_db(
    config: &Config,
    f: impl FnOnce(&mut crate::storage::DbConnection) -> Result<(), ServiceError>,
) -> anyhow::Result<ExitCode> {
    let db = Db::open(&config.database_url, OpenMode::Existing)?;
    match f(&mut *db.conn()?) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(ServiceError::Storage(e)) => Err(e.into()),
        Err(e) => {
            eprintln!("错误: {}", e.full());
            Ok(ExitCode::from(1))
        }
    }
}
