//! `congress init`, `congress serve` and `congress demo`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::config::Config;
use crate::storage::{Db, OpenMode};
use crate::web::{self, AppState, Secrets};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on. Use 0.0.0.0:8080 to let phones in the hall reach it.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The URL delegates' phones use to reach this server (printed in the QR codes).
    /// Defaults to http://<bind>.
    #[arg(long, env = "CONGRESS_PUBLIC_URL")]
    pub public_url: Option<String>,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Keep the demo in this directory instead of a fresh temporary one.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

pub fn init(config: &Config) -> anyhow::Result<ExitCode> {
    crate::storage::create_private_dir(&config.data_dir)
        .with_context(|| format!("无法创建数据目录 {}", config.data_dir.display()))?;
    let db = Db::open(&config.database_url, OpenMode::Create)?;
    Secrets::load(config)
        .with_context(|| format!("无法创建密钥文件于 {}", config.data_dir.display()))?;
    println!("已初始化: 数据库 {}", db.backend().display());
    println!("会话密钥: {}", config.session_key_path().display());
    println!("下一步: congress admin create --username <用户名> --role organiser");
    Ok(ExitCode::SUCCESS)
}

/// Opens the database and session key of an initialised data directory.
pub fn app_state(config: &Config, public_url: String, mode: OpenMode) -> anyhow::Result<AppState> {
    let db = Db::open(&config.database_url, mode)?;
    let secrets = Secrets::load(config)
        .with_context(|| format!("无法读取密钥文件于 {}", config.data_dir.display()))?;
    Ok(AppState::new(db, config.clone(), &secrets, public_url))
}

fn public_url(args: &ServeArgs, listener: &TcpListener) -> anyhow::Result<String> {
    Ok(match &args.public_url {
        Some(u) => u.clone(),
        None => format!("http://{}", listener.local_addr()?),
    })
}

pub fn serve(config: &Config, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let listener =
        TcpListener::bind(&args.bind).with_context(|| format!("无法监听 {}", args.bind))?;
    let url = public_url(&args, &listener)?;
    let state = app_state(config, url.clone(), OpenMode::Existing)?;
    tracing::info!(url = %url, database = %state.db.backend().display(), "serving");
    println!("学代会选举系统已启动: {url}");
    run_server(listener, state)?;
    Ok(ExitCode::SUCCESS)
}

/// Runs the server until Ctrl-C (or SIGTERM), then checkpoints and truncates the SQLite WAL
/// (`storage::scrub`) so the frames of the session's commits do not stay on disk.
pub fn run_server(listener: TcpListener, state: AppState) -> anyhow::Result<()> {
    let db = state.db.clone();
    spawn_heap_trimmer();
    actix_web::rt::System::new().block_on(async move {
        let server = web::server(listener, state)?;
        server.await
    })?;
    if db.backend().is_sqlite() {
        match db.scrub() {
            Ok(true) => tracing::info!("WAL checkpointed and truncated"),
            Ok(false) => tracing::warn!("WAL checkpoint incomplete: a reader was still active"),
            Err(e) => tracing::warn!(error = %crate::errors::chain(&e), "WAL checkpoint failed"),
        }
    }
    Ok(())
}

/// How often the server hands memory freed after a burst back to the system.
const HEAP_TRIM_SECS: u64 = 1;

/// glibc keeps what a burst freed (2,000 phones at once, boards rendered for the polls) in
/// its arenas, fragmented, and returns little of it: the live heap of a soak run stayed near
/// 40 MiB while the RSS grew by some 4 MiB a contest (issue 11, docs/performance.md).
/// `malloc_trim(0)` releases the free pages of every arena; it runs on its own thread, off
/// the request path. Every 5 s still let the RSS climb during bursts; every second keeps it
/// flat (docs/performance.md).
fn spawn_heap_trimmer() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let spawned = std::thread::Builder::new()
            .name("heap-trim".into())
            .spawn(|| loop {
                std::thread::sleep(std::time::Duration::from_secs(HEAP_TRIM_SECS));
                // SAFETY: malloc_trim takes the allocator's own locks and only releases memory
                // that is already free; it touches no memory of ours.
                unsafe {
                    libc::malloc_trim(0);
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "heap trimmer not started");
        }
    }
}

/// `congress demo`: the demo congresses on a fresh temporary SQLite database, or on the
/// database `--database-url` (`DATABASE_URL`) names when given. A given database must be
/// empty (no accounts yet): the demo never mixes its accounts and congresses with real ones.
pub fn demo(args: DemoArgs, database_url: Option<String>) -> anyhow::Result<ExitCode> {
    if let Some(url) = &database_url {
        if let Err(why) = demo_url_ok(url) {
            eprintln!("错误: {why}");
            return Ok(ExitCode::from(2));
        }
    }
    let (dir, _tmp) = match &args.dir {
        Some(d) => (d.clone(), None),
        None => {
            let t = tempfile::Builder::new()
                .prefix("congress-demo-")
                .tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    let config = Config::new(dir.join("data"), database_url, dir.join("keys"));
    crate::storage::create_private_dir(&config.data_dir)?;
    crate::storage::create_private_dir(&config.key_dir)?;
    let db = Db::open(&config.database_url, OpenMode::Create)?;
    let existing = crate::storage::repo::users::list(&mut *db.conn()?)?.len();
    if existing > 0 {
        eprintln!(
            "错误: 数据库 {} 中已有 {existing} 个账户: 演示只写入空数据库, 以免与真实数据混在一起。\n\
             请新建一个空数据库再指定它, 或不指定 --database-url (使用临时 SQLite)。",
            db.backend().display()
        );
        return Ok(ExitCode::from(1));
    }
    let listener = TcpListener::bind(&args.serve.bind)
        .with_context(|| format!("无法监听 {}", args.serve.bind))?;
    let url = public_url(&args.serve, &listener)?;
    let secrets = Secrets::load(&config)
        .with_context(|| format!("无法读取密钥文件于 {}", config.data_dir.display()))?;
    let mut state = AppState::new(db, config.clone(), &secrets, url.clone());
    state.demo = true;
    println!("正在准备演示数据 (两个大会, 其中一个已完成投票和计票)…");
    let (logins, setup_id) = crate::demo::populate(&state.db, &config)?;
    println!();
    println!("学代会选举系统演示已启动: {url}");
    println!("筹备中的大会: {url}/c/{setup_id}");
    println!("数据库: {}", state.db.backend().display());
    println!("数据目录: {}", dir.display());
    for l in &logins {
        println!(
            "  {}: 用户名 {}  密码 {}",
            l.role_zh, l.username, l.password
        );
    }
    println!("按 Ctrl-C 结束演示。");
    run_server(listener, state)?;
    Ok(ExitCode::SUCCESS)
}

/// The demo accepts PostgreSQL and SQLite URLs; anything else with a scheme is refused rather
/// than taken for a SQLite file name.
fn demo_url_ok(url: &str) -> Result<(), String> {
    let known = ["postgres://", "postgresql://", "sqlite://", "sqlite:"];
    match url.split_once("://") {
        Some(_) if !known.iter().any(|k| url.starts_with(k)) => Err(format!(
            "不支持的数据库地址 {}: 只支持 postgres://、postgresql://、sqlite:// 或 SQLite 文件路径",
            crate::storage::Backend::from_url(url).display()
        )),
        _ => Ok(()),
    }
}
