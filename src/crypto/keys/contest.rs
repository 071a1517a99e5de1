//! The contests' ballot-paper keys in the key directory (RSA, `crate::crypto::blind`):
//! `<dir>/<congress id>/<contest id>.ballot.key.pem` (PKCS#8, mode 0600, made once when the
//! contest opens, never overwritten) beside `<contest id>.ballot.pub.pem` (SPKI, published);
//! the per-congress directory is created with mode 0700.

use std::fs::{self, File};
use std::io::{ErrorKind, Read};
use std::path::PathBuf;

use super::store::{check_private_mode, checked_id, create_private_dir, io_error, write_new};
use super::KeyStore;
use crate::crypto::blind::{ContestKey, ContestPublicKey};
use crate::crypto::CryptoError;

impl KeyStore {
    /// `<dir>/<congress id>/`, where the congress's contest keys live.
    pub fn contest_key_dir(&self, congress_id: &str) -> Result<PathBuf, CryptoError> {
        Ok(self.dir.join(checked_id(congress_id)?))
    }

    /// `<dir>/<congress id>/<contest id>.ballot.key.pem`.
    pub fn contest_key_path(
        &self,
        congress_id: &str,
        contest_id: &str,
    ) -> Result<PathBuf, CryptoError> {
        Ok(self.contest_key_dir(congress_id)?.join(format!(
            "{}.ballot.key.pem",
            checked_contest_id(contest_id)?
        )))
    }

    /// `<dir>/<congress id>/<contest id>.ballot.pub.pem`.
    pub fn contest_pub_path(
        &self,
        congress_id: &str,
        contest_id: &str,
    ) -> Result<PathBuf, CryptoError> {
        Ok(self.contest_key_dir(congress_id)?.join(format!(
            "{}.ballot.pub.pem",
            checked_contest_id(contest_id)?
        )))
    }

    /// Generates a contest's RSA-2048 ballot-paper key (or takes one from the store's test
    /// source) and writes both files. Refuses if either file exists: a second key would
    /// invalidate every paper already issued for the contest.
    pub fn create_contest_key(
        &self,
        congress_id: &str,
        contest_id: &str,
    ) -> Result<ContestKey, CryptoError> {
        let key_path = self.contest_key_path(congress_id, contest_id)?;
        let pub_path = self.contest_pub_path(congress_id, contest_id)?;
        create_private_dir(&self.contest_key_dir(congress_id)?)?;
        for path in [&key_path, &pub_path] {
            if fs::symlink_metadata(path).is_ok() {
                return Err(CryptoError::ContestKeyFileExists { path: path.clone() });
            }
        }
        let key = match &self.contest_key_source {
            Some(source) => source()?,
            None => ContestKey::generate()?,
        };
        let exists = |err: CryptoError| match err {
            CryptoError::KeyFileExists { path } => CryptoError::ContestKeyFileExists { path },
            other => other,
        };
        write_new(&key_path, key.to_pkcs8_pem()?.as_bytes(), 0o600).map_err(exists)?;
        let public = key.public_key().to_spki_pem();
        if let Err(err) = write_new(&pub_path, public.as_bytes(), 0o644) {
            // Leave no half-made key behind; the caller may simply try again.
            let _ = fs::remove_file(&key_path);
            return Err(exists(err));
        }
        Ok(key)
    }

    /// Loads a contest's ballot-paper key. Refuses a key file that group or others may access,
    /// and a key that does not match the `.ballot.pub.pem` beside it (when that file exists).
    pub fn load_contest_key(
        &self,
        congress_id: &str,
        contest_id: &str,
    ) -> Result<ContestKey, CryptoError> {
        let key_path = self.contest_key_path(congress_id, contest_id)?;
        let mut file = File::open(&key_path).map_err(|source| match source.kind() {
            ErrorKind::NotFound => CryptoError::ContestKeyFileMissing {
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
        let key = ContestKey::from_pkcs8_pem(&text).map_err(|err| CryptoError::KeyFileIo {
            action: "解析",
            path: key_path.clone(),
            source: std::io::Error::new(ErrorKind::InvalidData, err.to_string()),
        })?;
        let pub_path = self.contest_pub_path(congress_id, contest_id)?;
        match fs::read_to_string(&pub_path) {
            Ok(pub_pem) => {
                let stored = ContestPublicKey::from_spki_pem(&pub_pem).ok();
                if stored.as_ref() != Some(key.public_key()) {
                    return Err(CryptoError::KeyMismatch { key_path, pub_path });
                }
            }
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(source) => return Err(io_error("读取", &pub_path, source)),
        }
        Ok(key)
    }

    /// Reads a contest's published public key (`<contest id>.ballot.pub.pem`).
    pub fn load_contest_public_key(
        &self,
        congress_id: &str,
        contest_id: &str,
    ) -> Result<ContestPublicKey, CryptoError> {
        let pub_path = self.contest_pub_path(congress_id, contest_id)?;
        let text = fs::read_to_string(&pub_path).map_err(|source| match source.kind() {
            ErrorKind::NotFound => CryptoError::ContestKeyFileMissing {
                path: pub_path.clone(),
            },
            _ => io_error("读取", &pub_path, source),
        })?;
        ContestPublicKey::from_spki_pem(&text).map_err(|err| CryptoError::KeyFileIo {
            action: "解析",
            path: pub_path,
            source: std::io::Error::new(ErrorKind::InvalidData, err.to_string()),
        })
    }
}

/// Contest ids obey the same file-name rule as congress ids.
fn checked_contest_id(id: &str) -> Result<&str, CryptoError> {
    checked_id(id).map_err(|_| CryptoError::BadContestKeyId { id: id.to_string() })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode_of(path: &std::path::Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_contest_key_source_is_used_instead_of_generating_and_written_the_same_way() {
        let tmp = tempfile::tempdir().unwrap();
        let pem = crate::crypto::blind::tests::test_key()
            .to_pkcs8_pem()
            .unwrap();
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = calls.clone();
        let store =
            KeyStore::new(tmp.path()).with_contest_key_source(std::sync::Arc::new(move || {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                ContestKey::from_pkcs8_pem(&pem)
            }));
        let key = store.create_contest_key("cg", "a").unwrap();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(
            key.public_key(),
            crate::crypto::blind::tests::test_key().public_key()
        );
        assert_eq!(mode_of(&tmp.path().join("cg/a.ballot.key.pem")), 0o600);
        let loaded = store.load_contest_key("cg", "a").unwrap();
        assert_eq!(loaded.public_key(), key.public_key());
        // A failing source fails the opening; nothing is left behind.
        let failing =
            KeyStore::new(tmp.path()).with_contest_key_source(std::sync::Arc::new(|| {
                ContestKey::from_pkcs8_pem("not a key")
            }));
        assert!(failing.create_contest_key("cg", "b").is_err());
        assert!(!tmp.path().join("cg/b.ballot.key.pem").exists());
        assert!(!tmp.path().join("cg/b.ballot.pub.pem").exists());
    }

    #[test]
    fn contest_key_is_created_once_0600_in_a_0700_directory_and_loads() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path().join("keys"));
        let key = store.create_contest_key("xdh-2025", "c-chair").unwrap();
        let dir = tmp.path().join("keys/xdh-2025");
        let key_path = dir.join("c-chair.ballot.key.pem");
        let pub_path = dir.join("c-chair.ballot.pub.pem");
        assert_eq!(
            store.contest_key_path("xdh-2025", "c-chair").unwrap(),
            key_path
        );
        assert_eq!(mode_of(&key_path), 0o600);
        assert_eq!(mode_of(&dir), 0o700);
        assert_eq!(mode_of(&tmp.path().join("keys")), 0o700);
        assert_eq!(
            fs::read_to_string(&pub_path).unwrap(),
            key.public_key().to_spki_pem()
        );
        let loaded = store.load_contest_key("xdh-2025", "c-chair").unwrap();
        assert_eq!(loaded.public_key(), key.public_key());
        assert_eq!(
            &store
                .load_contest_public_key("xdh-2025", "c-chair")
                .unwrap(),
            key.public_key()
        );
        // The loaded key signs blindly for the public key on file.
        let token = crate::crypto::blind::new_token();
        let blinding = crate::crypto::blind::blind(key.public_key(), &token).unwrap();
        let blind_sig = loaded.blind_sign(&blinding.blinded).unwrap();
        let sig = crate::crypto::blind::finalize(key.public_key(), &token, &blind_sig, &blinding);
        key.public_key().verify(&token, &sig.unwrap()).unwrap();

        // Never overwritten: the second call fails and the first key stays.
        let err = store.create_contest_key("xdh-2025", "c-chair").unwrap_err();
        assert!(matches!(err, CryptoError::ContestKeyFileExists { ref path } if *path == key_path));
        assert!(err.to_string().contains("拒绝覆盖"), "{err}");
        assert_eq!(
            store
                .load_contest_key("xdh-2025", "c-chair")
                .unwrap()
                .public_key(),
            key.public_key()
        );
        // A stray public file also blocks creation and leaves no private key behind.
        fs::write(dir.join("c2.ballot.pub.pem"), "旧文件").unwrap();
        assert!(matches!(
            store.create_contest_key("xdh-2025", "c2"),
            Err(CryptoError::ContestKeyFileExists { .. })
        ));
        assert!(!dir.join("c2.ballot.key.pem").exists());
    }

    #[test]
    fn contest_key_load_refuses_open_modes_missing_mismatched_and_bad_ids() {
        let tmp = tempfile::tempdir().unwrap();
        let store = KeyStore::new(tmp.path());
        store.create_contest_key("cg", "a").unwrap();
        store.create_contest_key("cg", "b").unwrap();
        let key_path = tmp.path().join("cg/a.ballot.key.pem");
        for mode in [0o640, 0o604, 0o660] {
            fs::set_permissions(&key_path, fs::Permissions::from_mode(mode)).unwrap();
            let err = store.load_contest_key("cg", "a").unwrap_err();
            assert!(matches!(err, CryptoError::KeyFilePermissions { mode: m, .. } if m == mode));
            assert!(err.to_string().contains("chmod 600"), "{err}");
        }
        fs::set_permissions(&key_path, fs::Permissions::from_mode(0o400)).unwrap();
        assert!(store.load_contest_key("cg", "a").is_ok());

        let err = store.load_contest_key("cg", "nope").unwrap_err();
        assert!(matches!(err, CryptoError::ContestKeyFileMissing { .. }));
        assert!(err.to_string().contains("nope.ballot.key.pem"), "{err}");
        assert!(matches!(
            store.load_contest_public_key("other", "a"),
            Err(CryptoError::ContestKeyFileMissing { .. })
        ));

        fs::copy(
            tmp.path().join("cg/b.ballot.pub.pem"),
            tmp.path().join("cg/a.ballot.pub.pem"),
        )
        .unwrap();
        assert!(matches!(
            store.load_contest_key("cg", "a"),
            Err(CryptoError::KeyMismatch { .. })
        ));

        for id in ["", "../x", "a/b", "事项", "a.b"] {
            assert!(
                matches!(
                    store.create_contest_key("cg", id),
                    Err(CryptoError::BadContestKeyId { .. })
                ),
                "{id:?}"
            );
            assert!(matches!(
                store.create_contest_key(id, "a"),
                Err(CryptoError::BadKeyId { .. })
            ));
        }
    }
}
