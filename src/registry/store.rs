//! The packet store: one immutable file per accepted packet, `<school code>/<year>/<packet
//! sha256>.zip` under the store directory (a local directory, or an object store mounted as
//! one: only create, rename and read are used). A file is written under a temporary name,
//! synced, then renamed into place, so a reader never sees half a packet; the name is the
//! content's hash, so writing the same packet twice is harmless. Unpacking for verification
//! happens in `<store>/tmp/`, on the same file system, and is removed afterwards.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The store's root directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// The store at `root`, creating it (and `tmp/`) if needed.
    pub fn open(root: &Path) -> std::io::Result<Store> {
        fs::create_dir_all(root.join("tmp"))?;
        Ok(Store {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A fresh, empty directory for unpacking an upload (removed when dropped).
    pub fn scratch(&self) -> std::io::Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix("upload-")
            .tempdir_in(self.root.join("tmp"))
    }

    /// The relative name a packet is stored under. `code` is a school code (checked to be
    /// `[A-Za-z0-9_-]`), `sha256` 64 hex digits.
    pub fn name(code: &str, year: i32, sha256: &str) -> String {
        format!("{code}/{year}/{sha256}.zip")
    }

    /// Writes `bytes` as `rel` (see [`Store::name`]) unless it is there already; returns
    /// whether this call wrote it (so a failed database write can remove it again).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<bool> {
        let path = self.root.join(rel);
        if path.exists() {
            return Ok(false);
        }
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("存储路径无效"))?;
        fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".writing-")
            .tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(true)
    }

    /// Removes `rel` (a packet this process just wrote whose database row was not written).
    pub fn remove(&self, rel: &str) {
        let _ = fs::remove_file(self.root.join(rel));
    }

    /// The stored packet `rel`.
    pub fn get(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        fs::read(self.root.join(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packet_is_written_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let rel = Store::name("10558", 2025, &"a".repeat(64));
        assert_eq!(rel, format!("10558/2025/{}.zip", "a".repeat(64)));
        assert!(store.put(&rel, b"PK-first").unwrap());
        assert!(!store.put(&rel, b"PK-second").unwrap());
        assert_eq!(store.get(&rel).unwrap(), b"PK-first");
        // Nothing but the packet is left in its directory.
        let names: Vec<_> = fs::read_dir(store.root().join("10558/2025"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
        store.remove(&rel);
        assert!(store.get(&rel).is_err());
    }
}
