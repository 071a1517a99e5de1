//! Storage: diesel over SQLite (embedded default) and PostgreSQL, one code path.
//!
//! `DbConnection` is a `MultiConnection` chosen from the URL scheme; `Db` is a pool of them.
//! Migrations for both backends are embedded and applied when a database is opened.
//! Repositories (`storage::repo::*`) convert rows to domain types; nothing above this module
//! writes SQL. All calls are blocking: the web layer runs them on `web::block`.

pub mod models;
pub mod repo;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One database connection, SQLite or PostgreSQL.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Storage errors. Constraint violations are surfaced separately so callers can turn
/// "already exists" into a domain answer instead of a 500.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("数据库错误: {0}")]
    Diesel(#[from] diesel::result::Error),
    #[error("无法连接数据库 {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("数据库文件 {0} 不存在; 请先运行 `congress init` 创建")]
    Missing(PathBuf),
    #[error("数据库迁移失败: {0}")]
    Migration(String),
    #[error("连接池错误: {0}")]
    Pool(String),
    #[error("数据损坏: {0}")]
    Corrupt(String),
}

impl StorageError {
    /// Whether the error is a unique / primary-key violation.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StorageError::Diesel(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

/// Which backend a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    /// `postgres://` / `postgresql://` -> PostgreSQL; `sqlite://path`, `sqlite:path` or a plain
    /// path -> SQLite. The scheme is read here rather than by `establish` so a PostgreSQL
    /// authentication failure is reported as such.
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(url.to_string())
        } else if let Some(p) = url.strip_prefix("sqlite://") {
            Backend::Sqlite(PathBuf::from(p))
        } else if let Some(p) = url.strip_prefix("sqlite:") {
            Backend::Sqlite(PathBuf::from(p))
        } else {
            Backend::Sqlite(PathBuf::from(url))
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Backend::Sqlite(_))
    }

    /// The URL with any password removed, for messages and logs.
    pub fn display(&self) -> String {
        match self {
            Backend::Sqlite(p) => format!("sqlite://{}", p.display()),
            Backend::Postgres(u) => redact_password(u),
        }
    }
}

fn redact_password(url: &str) -> String {
    // postgres://user:secret@host/db -> postgres://user:***@host/db
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((auth, host)) = rest.split_once('@') {
            if let Some((user, _)) = auth.split_once(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
    }
    url.to_string()
}

/// How to open a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the SQLite file (and its directory) if missing: `congress init`, tests, simulate.
    Create,
    /// The SQLite file must already exist: `serve` and every other command, so a typo'd path
    /// does not silently start an empty congress.
    Existing,
}

#[derive(Debug, Clone, Copy)]
struct SqlitePragmas;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        configure(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Per-connection settings. SQLite: WAL, a busy timeout so writers queue instead of failing,
/// foreign keys, and synchronous=FULL so a committed ballot survives power loss.
fn configure(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON;",
        )?;
    }
    Ok(())
}

/// A pool of connections to one database.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<DbConnection>>,
    backend: Backend,
}

pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

impl Db {
    /// Opens (and for `OpenMode::Create`, creates) the database and applies the migrations.
    pub fn open(url: &str, mode: OpenMode) -> StorageResult<Db> {
        Self::open_with_pool_size(url, mode, 16)
    }

    pub fn open_with_pool_size(url: &str, mode: OpenMode, size: u32) -> StorageResult<Db> {
        let backend = Backend::from_url(url);
        let conn_url = match &backend {
            Backend::Sqlite(path) => {
                if !path.exists() {
                    match mode {
                        OpenMode::Existing => return Err(StorageError::Missing(path.clone())),
                        OpenMode::Create => {
                            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                                std::fs::create_dir_all(dir).map_err(|e| {
                                    StorageError::Connect {
                                        url: backend.display(),
                                        reason: format!("无法创建目录 {}: {e}", dir.display()),
                                    }
                                })?;
                            }
                        }
                    }
                }
                path.to_string_lossy().into_owned()
            }
            Backend::Postgres(u) => u.clone(),
        };
        // Establish once directly so the real error (auth, missing db) reaches the user.
        let mut first = establish(&backend, &conn_url)?;
        configure(&mut first)?;
        run_migrations(&mut first)?;
        drop(first);

        let manager = ConnectionManager::<DbConnection>::new(conn_url);
        let mut builder = Pool::builder()
            .max_size(size)
            .connection_timeout(Duration::from_secs(30));
        if backend.is_sqlite() {
            // A SQLite connection is a file handle: it cannot go stale, so the `SELECT 1`
            // r2d2 runs on every checkout would be pure overhead on the hot path. PostgreSQL
            // connections keep the check (a server restart leaves dead sockets in the pool).
            builder = builder
                .connection_customizer(Box::new(SqlitePragmas))
                .test_on_check_out(false);
        }
        let pool = builder.build(manager).map_err(|e| StorageError::Connect {
            url: backend.display(),
            reason: e.to_string(),
        })?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A connection from the pool (blocking).
    pub fn conn(&self) -> StorageResult<PooledConn> {
        self.pool
            .get()
            .map_err(|e| StorageError::Pool(e.to_string()))
    }
}

fn establish(backend: &Backend, url: &str) -> StorageResult<DbConnection> {
    let res = match backend {
        Backend::Sqlite(_) => SqliteConnection::establish(url).map(DbConnection::Sqlite),
        Backend::Postgres(_) => PgConnection::establish(url).map(DbConnection::Pg),
    };
    res.map_err(|e| StorageError::Connect {
        url: backend.display(),
        reason: e.to_string(),
    })
}

/// Applies the embedded migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> StorageResult<()> {
    let res = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|_| ()),
    };
    res.map_err(|e| StorageError::Migration(e.to_string()))
}

/// Runs `f` in a write transaction. On SQLite the transaction is `BEGIN IMMEDIATE`, so it
/// takes the write lock up front and waits on `busy_timeout` instead of failing with
/// SQLITE_BUSY when a read inside it later upgrades to a write.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(v) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => {
            // The rollback error, if any, is secondary to the one that caused it.
            let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// Current time in Unix milliseconds, the unit of every timestamp column.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The default SQLite file inside a data directory.
pub fn default_sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join("congress.sqlite3")
}
