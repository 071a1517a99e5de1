//! The key directory: one `<congress id>.key.pem` (PKCS#8, mode 0600, never overwritten) and
//! one `<congress id>.pub.pem` (SPKI, the key observers receive) per congress. This is the only
//! IO in `crate::crypto`.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{PublicKey, SigningKey};
use crate::crypto::blind::ContestKey;
use crate::crypto::CryptoError;

/// Where the key store takes a new contest's ballot-paper key from instead of generating it
/// (see [`KeyStore::with_contest_key_source`]).
pub type ContestKeySource = Arc<dyn Fn() -> Result<ContestKey, CryptoError> + Send + Sync>;

/// The directory holding the congresses' signing keys (`Config::key_dir`).
#[derive(Clone)]
pub struct KeyStore {
    /// Where the key files live; created with mode 0700 on first use.
    pub dir: PathBuf,
    /// `None` (always, outside the test suite): a contest's key is generated when it opens.
    pub(super) contest_key_source: Option<ContestKeySource>,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore")
            .field("dir", &self.dir)
            .field("contest_key_source", &self.contest_key_source.is_some())
            .finish()
    }
}

impl KeyStore {
    /// A key store over `dir` (nothing is touched until `create` or `load`).
    pub fn new(dir: impl Into<PathBuf>) -> KeyStore {
        KeyStore {
            dir: dir.into(),
            contest_key_source: None,
        }
    }

    /// The same store, taking each new contest key from `source` instead of generating one.
    /// For the integration tests' in-process servers only: an RSA-2048 key takes OpenSSL about
    /// 0.2 s of CPU to generate, and the suite opens hundreds of contests. Nothing outside the
    /// tests calls this; the keys are written, loaded and checked exactly as generated ones.
    pub fn with_contest_key_source(mut self, source: ContestKeySource) -> KeyStore {
        self.contest_key_source = Some(source);
        self
    }

    /// `<dir>/<id>.key.pem`. The id must be a safe file name (see [`CryptoError::BadKeyId`]).
    pub fn key_path(&self, congress_id: &str) -> Result<PathBuf, CryptoError> {
        Ok(self
            .dir
            .join(format!("{}.key.pem", checked_id(congress_id)?)))
    }

    /// `<dir>/<id>.pub.pem`.
    pub fn pub_path(&self, congress_id: &str) -> Result<PathBuf, CryptoError> {
        Ok(self
            .dir
            .join(format!("{}.pub.pem", checked_id(congress_id)?)))
    }

    /// Generates the congress's signing key and writes both files. Refuses if either file
    /// already exists: a congress's key is made once, and overwriting it would orphan every
    /// receipt already signed.
    pub fn create(&self, congress_id: &str) -> Result<SigningKey, CryptoError> {
        let key_path = self.key_path(congress_id)?;
        let pub_path = self.pub_path(congress_id)?;
        create_private_dir(&self.dir)?;
        for path in [&key_path, &pub_path] {
            if fs::symlink_metadata(path).is_ok() {
                return Err(CryptoError::KeyFileExists { path: path.clone() });
            }
        }
        let key = SigningKey::generate()?;
        write_new(&key_path, key.to_pkcs8_pem().as_bytes(), 0o600)?;
        if let Err(err) = write_new(&pub_path, key.public_key().to_spki_pem().as_bytes(), 0o644) {
            // Leave no half-made key behind; the caller may simply try again.
            let _ = fs::remove_file(&key_path);
            return Err(err);
        }
        Ok(key)
    }

    /// Loads the congress's signing key. Refuses a key file that group or others may access,
    /// and a key that does not match the `.pub.pem` beside it (when that file exists).
    pub fn load(&self, congress_id: &str) -> Result<SigningKey, CryptoError> {
        let key_path = self.key_path(congress_id)?;
        let mut file = File::open(&key_path).map_err(|source| match source.kind() {
            ErrorKind::NotFound => CryptoError::KeyFileMissing {
                path: key_path.clone(),
            },
            _ => io_error("打开", &key_path, source),
        })?;
        // Check the opened file itself (fstat), not the path, so a swap cannot slip through.
        let meta = file
            .metadata()
            .map_err(|source| io_error("读取", &key_path, source))?;
        check_private_mode(&key_path, &meta)?;
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|source| io_error("读取", &key_path, source))?;
        let key = SigningKey::from_pkcs8_pem(&text).map_err(|err| CryptoError::KeyFileIo {
            action: "解析",
            path: key_path.clone(),
            source: std::io::Error::new(ErrorKind::InvalidData, err.to_string()),
        })?;
        let pub_path = self.pub_path(congress_id)?;
        match fs::read_to_string(&pub_path) {
            Ok(pub_pem) => {
                let stored = PublicKey::from_spki_pem(&pub_pem).ok();
                if stored != Some(key.public_key()) {
                    return Err(CryptoError::KeyMismatch { key_path, pub_path });
                }
            }
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(source) => return Err(io_error("读取", &pub_path, source)),
        }
        Ok(key)
    }

    /// Reads the congress's published public key (`<id>.pub.pem`).
    pub fn load_public(&self, congress_id: &str) -> Result<PublicKey, CryptoError> {
        let pub_path = self.pub_path(congress_id)?;
        let text = fs::read_to_string(&pub_path).map_err(|source| match source.kind() {
            ErrorKind::NotFound => CryptoError::KeyFileMissing {
                path: pub_path.clone(),
            },
            _ => io_error("读取", &pub_path, source),
        })?;
        PublicKey::from_spki_pem(&text).map_err(|err| CryptoError::KeyFileIo {
            action: "解析",
            path: pub_path,
            source: std::io::Error::new(ErrorKind::InvalidData, err.to_string()),
        })
    }
}

/// Congress ids become file names: ASCII letters, digits, `-` and `_` only, so no id can
/// climb out of the directory (`..`, `/`) or collide by case folding tricks in other scripts.
pub(super) fn checked_id(id: &str) -> Result<&str, CryptoError> {
    let ok = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(id)
    } else {
        Err(CryptoError::BadKeyId { id: id.to_string() })
    }
}

pub(super) fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> CryptoError {
    CryptoError::KeyFileIo {
        action,
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn create_private_dir(dir: &Path) -> Result<(), CryptoError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|source| io_error("创建目录", dir, source))
}

/// Writes a file that must not exist yet, with `mode` from the start (no window in which a
/// private key is world-readable), and syncs it to disk.
pub(super) fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), CryptoError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(|source| match source.kind() {
        ErrorKind::AlreadyExists => CryptoError::KeyFileExists {
            path: path.to_path_buf(),
        },
        _ => io_error("创建", path, source),
    })?;
    let written = file.write_all(contents).and_then(|()| file.sync_all());
    if let Err(source) = written {
        let _ = fs::remove_file(path);
        return Err(io_error("写入", path, source));
    }
    Ok(())
}

#[cfg(unix)]
pub(super) fn check_private_mode(path: &Path, meta: &fs::Metadata) -> Result<(), CryptoError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CryptoError::KeyFilePermissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
pub(super) fn check_private_mode(_path: &Path, _meta: &fs::Metadata) -> Result<(), CryptoError> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode_of(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn create_writes_0600_key_and_public_pem_then_load_reads_it() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path().join("keys"));
        let key = store.create("xdh-2025").unwrap();
        let key_path = tmp.path().join("keys/xdh-2025.key.pem");
        let pub_path = tmp.path().join("keys/xdh-2025.pub.pem");
        assert_eq!(mode_of(&key_path), 0o600);
        assert_eq!(mode_of(&tmp.path().join("keys")), 0o700);
        assert_eq!(fs::read_to_string(&key_path).unwrap(), key.to_pkcs8_pem());
        assert_eq!(
            fs::read_to_string(&pub_path).unwrap(),
            key.public_key().to_spki_pem()
        );
        let loaded = store.load("xdh-2025").unwrap();
        assert_eq!(loaded.public_key(), key.public_key());
        assert_eq!(loaded.sign(b"abc"), key.sign(b"abc"));
        assert_eq!(store.load_public("xdh-2025").unwrap(), key.public_key());
    }

    #[test]
    fn create_refuses_to_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path());
        let first = store.create("c1").unwrap();
        match store.create("c1") {
            Err(CryptoError::KeyFileExists { path }) => {
                assert_eq!(path, tmp.path().join("c1.key.pem"))
            }
            other => panic!("expected KeyFileExists, got {other:?}"),
        }
        assert_eq!(store.load("c1").unwrap().public_key(), first.public_key());
        // A stray public key file also blocks creation, and no private key is left behind.
        fs::write(tmp.path().join("c2.pub.pem"), "旧文件").unwrap();
        assert!(matches!(
            store.create("c2"),
            Err(CryptoError::KeyFileExists { .. })
        ));
        assert!(!tmp.path().join("c2.key.pem").exists());
    }

    #[test]
    fn load_refuses_group_or_world_readable_key_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path());
        store.create("c1").unwrap();
        let key_path = tmp.path().join("c1.key.pem");
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o640)).unwrap();
        let err = store.load("c1").unwrap_err();
        assert!(matches!(
            err,
            CryptoError::KeyFilePermissions { mode: 0o640, .. }
        ));
        let message = err.to_string();
        assert!(
            message.contains(&key_path.display().to_string()),
            "{message}"
        );
        assert!(
            message.contains("640") && message.contains("chmod 600"),
            "{message}"
        );
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o604)).unwrap();
        assert!(store.load("c1").is_err());
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o400)).unwrap();
        assert!(store.load("c1").is_ok());
    }

    #[test]
    fn load_reports_missing_broken_and_mismatched_keys() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path());
        let err = store.load("nope").unwrap_err();
        assert!(matches!(err, CryptoError::KeyFileMissing { .. }));
        assert!(err.to_string().contains("nope.key.pem"), "{err}");

        store.create("a").unwrap();
        store.create("b").unwrap();
        // a's public file replaced by b's: the pair no longer matches.
        fs::copy(tmp.path().join("b.pub.pem"), tmp.path().join("a.pub.pem")).unwrap();
        assert!(matches!(
            store.load("a"),
            Err(CryptoError::KeyMismatch { .. })
        ));

        let broken = tmp.path().join("b.key.pem");
        fs::write(
            &broken,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let err = store.load("b").unwrap_err();
        assert!(err.to_string().contains("b.key.pem"), "{err}");
    }

    #[test]
    fn ids_that_are_not_plain_file_names_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path());
        for id in ["", "../etc", "a/b", "大会", "a.b", &"x".repeat(65)] {
            assert!(
                matches!(store.create(id), Err(CryptoError::BadKeyId { .. })),
                "id {id:?}"
            );
        }
        assert!(store.key_path("Congress_2025-a").is_ok());
    }
}
