//! Storage: diesel over SQLite (embedded default) and PostgreSQL, one code path.
//!
//! `DbConnection` is a `MultiConnection` chosen from the URL scheme; `Db` is a pool of them.
//! Migrations for both backends are embedded and applied when a database is opened.
//! Repositories (`storage::repo::*`) convert rows to domain types; nothing above this module
//! writes SQL. All calls are blocking: the web layer runs them on `web::block`.

pub(crate) mod codes;
mod error;
mod ids;
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

use crate::errors::context;
pub use error::{StorageError, StorageResult};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One database connection, SQLite or PostgreSQL.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

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

/// `url` with its password, if any, replaced by `***` (for messages and logs).
pub fn redact_password(url: &str) -> String {
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
/// foreign keys, synchronous=FULL so a committed ballot survives power loss, `secure_delete`
/// so that deleted content is overwritten with zeros rather than left in free pages, and
/// `journal_size_limit = 0` so that the WAL file is cut back to nothing each time it is
/// reset (old frames are not left at its end). See `docs/threat-model.md`.
fn configure(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA journal_size_limit = 0;",
        )?;
    }
    Ok(())
}

/// Removes what the database keeps of rows that are gone, outside any transaction: after a
/// contest closes, and (SQLite) when the server stops. SQLite: the WAL is checkpointed into
/// the database file and truncated to zero bytes (`wal_checkpoint(TRUNCATE)`), so the frames
/// that recorded each commit of the vote are gone from disk. PostgreSQL: `VACUUM` of the roll
/// and the ballots, so the row versions the close rewrote (`voting::rewrite_in_key_order`) are
/// no longer on their pages. Returns whether it completed (a checkpoint cannot finish while
/// another connection is reading an older snapshot; it is then tried again next time).
pub fn scrub(conn: &mut DbConnection) -> StorageResult<bool> {
    #[derive(diesel::QueryableByName)]
    struct Checkpoint {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        busy: i32,
    }
    match conn {
        DbConnection::Sqlite(c) => {
            let rows: Vec<Checkpoint> =
                diesel::RunQueryDsl::load(diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)"), c)?;
            Ok(rows.first().is_some_and(|r| r.busy == 0))
        }
        DbConnection::Pg(c) => {
            c.batch_execute("VACUUM roll, ballots, participant_roll, participant_ballots")?;
            Ok(true)
        }
    }
}

/// Creates `dir` (and missing parents) readable only by its owner (0700), or narrows an
/// existing one to 0700: the data directory holds the database, its WAL and the secrets.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        let meta = std::fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// Creates the SQLite file empty with mode 0600 before SQLite opens it (SQLite gives the
/// `-wal` and `-shm` files the database file's mode), or narrows an existing database file
/// and its `-wal`/`-shm` to 0600.
fn private_sqlite_files(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            if let Ok(meta) = std::fs::metadata(&p) {
                if meta.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))?;
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
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
                                create_private_dir(dir).map_err(|e| StorageError::Connect {
                                    url: backend.display(),
                                    cause: context(
                                        format!("creating directory {}", dir.display()),
                                        e,
                                    ),
                                })?;
                            }
                        }
                    }
                }
                private_sqlite_files(path).map_err(|e| StorageError::Connect {
                    url: backend.display(),
                    cause: context(format!("making {} private (0600)", path.display()), e),
                })?;
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
            cause: e.into(),
        })?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Connections the pool opens at most.
    pub fn pool_size(&self) -> u32 {
        self.pool.max_size()
    }

    /// [`scrub`] on a connection of the pool: when the server stops.
    pub fn scrub(&self) -> StorageResult<bool> {
        scrub(&mut *self.conn()?)
    }

    /// A connection from the pool (blocking).
    pub fn conn(&self) -> StorageResult<PooledConn> {
        self.pool.get().map_err(StorageError::Pool)
    }
}

fn establish(backend: &Backend, url: &str) -> StorageResult<DbConnection> {
    let res = match backend {
        Backend::Sqlite(_) => SqliteConnection::establish(url).map(DbConnection::Sqlite),
        Backend::Postgres(_) => PgConnection::establish(url).map(DbConnection::Pg),
    };
    res.map_err(|e| StorageError::Connect {
        url: backend.display(),
        cause: e.into(),
    })
}

/// Applies the embedded migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> StorageResult<()> {
    let res = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|_| ()),
    };
    res.map_err(StorageError::Migration)
}

/// Whether the database answers a query (the health check).
pub fn ping(conn: &mut DbConnection) -> StorageResult<()> {
    diesel::RunQueryDsl::execute(diesel::sql_query("SELECT 1"), conn)?;
    Ok(())
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
