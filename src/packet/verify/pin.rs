//! Pinning the packet's key (`congress verify --expect-key FINGERPRINT`): a packet whose whole
//! content was re-signed with another key is consistent and passes every other check, so the
//! key must be compared with the fingerprint announced in the hall and printed on the signed
//! paper report.

use std::path::Path;

use super::{read_file, Checklist, SMALL_LIMIT};
use crate::crypto::PublicKey;
use crate::packet::format::PUBLIC_KEY_FILE;

/// Code of the pinning check.
pub const PIN_CODE: &str = "key.expected";

/// A fingerprint as people copy it (upper case, spaces, colons, dashes) in its canonical
/// form: 64 lower-case hex digits.
pub fn normalise_fingerprint(s: &str) -> Result<String, String> {
    let hex: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | ':' | '-' | '\u{3000}'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(format!(
            "--expect-key 应为 64 位十六进制的公钥指纹 (SHA-256), 实为“{s}”"
        ))
    }
}

/// The fingerprint of the packet's public key, if it can be read.
pub fn packet_fingerprint(dir: &Path) -> Option<String> {
    let pem = read_file(dir, PUBLIC_KEY_FILE, SMALL_LIMIT).ok()?;
    let text = String::from_utf8(pem).ok()?;
    PublicKey::from_spki_pem(&text)
        .ok()
        .map(|k| k.fingerprint())
}

/// Compares the packet's key with `expected`; the check goes right after the key's own.
pub fn check_expected_key(list: &mut Checklist, dir: &Path, expected: &str) {
    let outcome = normalise_fingerprint(expected).and_then(|want| match packet_fingerprint(dir) {
        None => Err(format!("无法读取 {PUBLIC_KEY_FILE}, 不能与指定的指纹比对")),
        Some(found) if found == want => Ok(format!(
            "归档包公钥指纹与指定的指纹一致: {found}"
        )),
        Some(found) => Err(format!(
            "归档包的公钥指纹为 {found}, 与指定的 {want} 不同: 归档包不是用大会公布的密钥签署的 (可能被整体替换并重新签名)"
        )),
    });
    list.push(PIN_CODE, None, "公钥与公布的指纹一致 key pinned", outcome);
    if let Some(at) = list.items.iter().position(|c| c.code == "key.file") {
        if let Some(check) = list.items.pop() {
            list.items.insert(at + 1, check);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_read_as_people_copy_them() {
        let fp = "ab".repeat(32);
        assert_eq!(normalise_fingerprint(&fp).unwrap(), fp);
        let spaced = "AB AB:ab-AB ".repeat(8);
        assert_eq!(normalise_fingerprint(&spaced).unwrap(), fp);
        assert!(normalise_fingerprint("abcd").is_err());
        assert!(normalise_fingerprint(&"zz".repeat(32)).is_err());
    }
}
