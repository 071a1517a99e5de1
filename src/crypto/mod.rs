//! Cryptography of `docs/formats.md`: canonical JSON, SHA-256, RFC 6962 Merkle trees,
//! Ed25519 keys and signatures (ring), RSA blind signatures for ballot papers (OpenSSL),
//! random tokens and constant-time comparison.
//!
//! Everything here follows the public verification format to the byte, because observers and
//! the league office check our output with `sha256sum`, OpenSSL 3 and short scripts of their
//! own, never with this crate. The submodules:
//! - [`mod@canonical`]: canonical JSON (RFC 8785 restricted to what we emit).
//! - [`merkle`]: RFC 6962 Merkle Tree Hash, audit paths, RFC 9162 inclusion verification.
//! - [`keys`]: Ed25519 signing and public keys, PEM, fingerprints, the key directory.
//! - [`blind`]: RFC 9474 RSA blind signatures: the contests' ballot-paper keys (选票凭证).
//! - [`receipt`]: the signed ballot receipt and signing of any JSON record.
//! - [`token`]: OS-RNG secrets (credential tokens, manual codes, ballot ids, passwords).
//! - [`password`]: argon2id password hashes.
//! - [`derive`]: delegate card secrets derived with HMAC from the server's credential key.
//!
//! The only IO in this module is the key directory ([`keys::KeyStore`]).

pub mod blind;
pub mod canonical;
pub mod derive;
mod error;
pub mod keys;
pub mod merkle;
pub mod password;
mod pem;
pub mod receipt;
pub mod token;

pub use blind::{ContestKey, ContestPublicKey};
pub use canonical::{canonical, to_canonical};
pub use error::CryptoError;
pub use keys::{ContestKeySource, KeyStore, PublicKey, SigningKey};
pub use receipt::{sign_json, sign_receipt, verify_receipt, Receipt, SignedReceipt};
pub use token::ct_eq;

/// SHA-256 of `bytes` (FIPS 180-4, via ring).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}

/// SHA-256 of `bytes` as 64 lower-case hex characters, the form every hash takes in our
/// published files (and the form `sha256sum` prints).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha256(bytes))
}

/// Parses a hash written as exactly 64 lower-case hex characters (the only form
/// `docs/formats.md` allows; upper case is refused so that one hash has one spelling).
pub fn hash_from_hex(text: &str) -> Result<[u8; 32], CryptoError> {
    let well_formed = text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !well_formed {
        return Err(CryptoError::BadHash {
            found: text.chars().take(80).collect(),
        });
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).map_err(|_| CryptoError::BadHash {
        found: text.to_string(),
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // FIPS 180-2 appendix B.1 and the empty-string digest, written out by hand.
    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn sha256_matches_published_digests() {
        assert_eq!(sha256_hex(b"abc"), ABC);
        assert_eq!(sha256_hex(b""), EMPTY);
        assert_eq!(hex::encode(sha256(b"abc")), ABC);
        // A digest of Chinese text is over its UTF-8 bytes: cross-checked with the sha2 crate.
        use sha2::Digest;
        let text = "第十二次学生代表大会";
        assert_eq!(
            sha256(text.as_bytes()).as_slice(),
            sha2::Sha256::digest(text.as_bytes()).as_slice()
        );
    }

    #[test]
    fn hash_from_hex_accepts_only_lower_case_64_hex() {
        assert_eq!(hex::encode(hash_from_hex(ABC).unwrap()), ABC);
        let upper = ABC.to_uppercase();
        assert!(matches!(
            hash_from_hex(&upper),
            Err(CryptoError::BadHash { .. })
        ));
        assert!(hash_from_hex(&ABC[..63]).is_err());
        assert!(hash_from_hex(&format!("{ABC}0")).is_err());
        assert!(hash_from_hex(&format!("{}g", &ABC[..63])).is_err());
        assert!(hash_from_hex("").is_err());
    }
}
