//! Run-time configuration: where the data, the database and the keys live, where to listen.
//!
//! Everything has a default that works for a single machine (`./data`, SQLite inside it,
//! `./keys`, 127.0.0.1:8080); flags and `CONGRESS_*` / `DATABASE_URL` environment variables
//! override them (see `congress --help`).

use std::path::{Path, PathBuf};

use crate::storage;

/// Resolved settings shared by every command that touches a congress.
#[derive(Debug, Clone)]
pub struct Config {
    /// Holds the SQLite database (by default) and the session cookie key.
    pub data_dir: PathBuf,
    /// `sqlite://...`, a plain path, or `postgres://...`.
    pub database_url: String,
    /// Where the congresses' Ed25519 private keys are kept (mode 0600).
    pub key_dir: PathBuf,
}

impl Config {
    /// Builds the configuration from optional overrides; `database_url` defaults to the SQLite
    /// file inside `data_dir`.
    pub fn new(data_dir: PathBuf, database_url: Option<String>, key_dir: PathBuf) -> Config {
        let database_url = database_url.unwrap_or_else(|| {
            storage::default_sqlite_path(&data_dir)
                .to_string_lossy()
                .into_owned()
        });
        Config {
            data_dir,
            database_url,
            key_dir,
        }
    }

    /// The file holding the key that signs session cookies (generated on first start).
    pub fn session_key_path(&self) -> PathBuf {
        self.data_dir.join("session.key")
    }

    /// The file holding the key the delegates' card secrets are derived from.
    pub fn credential_key_path(&self) -> PathBuf {
        self.data_dir.join("credential.key")
    }
}

/// Reads a 64-byte secret from `path`, creating it (mode 0600) from the OS RNG if missing.
pub fn load_or_create_secret(path: &Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) if bytes.len() == 64 => return Ok(bytes),
        Ok(bytes) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{} 应为64字节, 实际 {} 字节; 删除它可重新生成(现有登录会失效)",
                    path.display(),
                    bytes.len()
                ),
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::storage::create_private_dir(dir)?;
    }
    let mut secret = vec![0u8; 64];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut secret)
        .map_err(|_| std::io::Error::other("操作系统随机数生成器不可用"))?;
    write_private_file(path, &secret)?;
    Ok(secret)
}

/// Writes a file readable only by its owner (0600), failing if it already exists.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}
