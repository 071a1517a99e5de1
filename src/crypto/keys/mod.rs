//! Ed25519 (RFC 8032) keys through ring: the congress's signing key (PKCS#8 PEM, the form
//! `openssl genpkey -algorithm ed25519` writes and `openssl pkey` reads), its public key
//! (SubjectPublicKeyInfo PEM), the key fingerprint, signatures and their base64 form, and the
//! key directory ([`KeyStore`]).

mod contest;
mod store;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair, UnparsedPublicKey, ED25519};

use super::{pem, sha256_hex, CryptoError};

pub use store::{ContestKeySource, KeyStore};

/// DER of an Ed25519 SubjectPublicKeyInfo before the 32 key bytes (RFC 8410 section 4):
/// SEQUENCE(42) { SEQUENCE(5) { OID 1.3.101.112 }, BIT STRING(33, 0 unused bits) }.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// Length of an Ed25519 signature in bytes.
pub const SIGNATURE_LEN: usize = 64;

/// PKCS#8 v1 DER of an Ed25519 key before its 32-byte seed (RFC 8410 section 7):
/// SEQUENCE(46) { INTEGER 0, SEQUENCE(5) { OID 1.3.101.112 }, OCTET STRING(34) {
/// OCTET STRING(32) } }. This is the layout `openssl genpkey -algorithm ed25519` writes.
const PKCS8_V1_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// A congress's Ed25519 signing key. `Debug` shows only the public fingerprint.
pub struct SigningKey {
    pair: Ed25519KeyPair,
    /// The RFC 8032 private key (32 random bytes), kept to write the key file.
    seed: [u8; 32],
}

impl SigningKey {
    /// A new key: a 32-byte seed from the OS random number generator (RFC 8032 section 5.1.5).
    pub fn generate() -> Result<SigningKey, CryptoError> {
        let mut seed = [0u8; 32];
        SystemRandom::new()
            .fill(&mut seed)
            .map_err(|_| CryptoError::Rng)?;
        SigningKey::from_seed(seed)
    }

    fn from_seed(seed: [u8; 32]) -> Result<SigningKey, CryptoError> {
        let pair = Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|e| CryptoError::BadKey {
            what: "Ed25519 私钥",
            reason: format!("ring 拒绝了该种子({e})"),
        })?;
        Ok(SigningKey { pair, seed })
    }

    /// A key from PKCS#8 DER, v1 (seed only, as OpenSSL writes) or v2 (seed and public key,
    /// as ring writes; the two halves must agree).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<SigningKey, CryptoError> {
        let rejected = |reason: String| CryptoError::BadKey {
            what: "Ed25519 私钥",
            reason,
        };
        // ring validates the whole document (and a v2 public key against the seed) ...
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|e| rejected(format!("不是 PKCS#8 格式的 Ed25519 私钥(ring: {e})")))?;
        // ... but does not hand the seed back, and the seed is what we write out. For an
        // Ed25519 key it sits at a fixed place: after the outer header (short form), the
        // version (0 or 1), the algorithm identifier and the two OCTET STRING headers.
        let layout_ok = der.len() >= 48
            && der[0] == 0x30
            && der[1] < 0x80
            && der[2..4] == PKCS8_V1_PREFIX[2..4]
            && der[4] <= 1
            && der[5..16] == PKCS8_V1_PREFIX[5..16];
        if !layout_ok {
            return Err(rejected("PKCS#8 结构不是常见的 Ed25519 布局".to_string()));
        }
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&der[16..48]);
        let key = SigningKey::from_seed(seed)?;
        if key.pair.public_key().as_ref() != pair.public_key().as_ref() {
            return Err(rejected("私钥种子与文件中的公钥不一致".to_string()));
        }
        Ok(key)
    }

    /// A key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). Encrypted keys are refused.
    pub fn from_pkcs8_pem(text: &str) -> Result<SigningKey, CryptoError> {
        SigningKey::from_pkcs8_der(&pem::decode(text, "PRIVATE KEY", "Ed25519 私钥")?)
    }

    /// The key as PKCS#8 v1 DER. Always v1, whatever was loaded: OpenSSL 3.0 cannot read the
    /// v2 document ring generates (its public key is tagged `[1]` constructed).
    pub fn to_pkcs8_der(&self) -> Vec<u8> {
        let mut der = Vec::with_capacity(48);
        der.extend_from_slice(&PKCS8_V1_PREFIX);
        der.extend_from_slice(&self.seed);
        der
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), byte for byte what
    /// `openssl pkey` prints for it. This is the secret: it goes to the key file only, never
    /// into a log, an export or git.
    pub fn to_pkcs8_pem(&self) -> String {
        pem::encode("PRIVATE KEY", &self.to_pkcs8_der())
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        let mut raw = [0u8; 32];
        raw.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(raw)
    }

    /// Ed25519 signature of `msg` (deterministic: the same key and message give the same
    /// 64 bytes, which lets tests compare with OpenSSL and ed25519-dalek).
    pub fn sign(&self, msg: &[u8]) -> [u8; SIGNATURE_LEN] {
        let mut out = [0u8; SIGNATURE_LEN];
        out.copy_from_slice(self.pair.sign(msg).as_ref());
        out
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("fingerprint", &self.public_key().fingerprint())
            .finish_non_exhaustive()
    }
}

/// An Ed25519 public key: its 32 raw bytes (RFC 8032 encoding).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// From the 32 raw bytes. Any value is accepted; a non-point simply verifies nothing.
    pub fn from_bytes(raw: [u8; 32]) -> PublicKey {
        PublicKey(raw)
    }

    /// The 32 raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SubjectPublicKeyInfo DER: the fixed 12-byte Ed25519 prefix then the key.
    pub fn to_spki_der(&self) -> Vec<u8> {
        let mut der = Vec::with_capacity(SPKI_PREFIX.len() + 32);
        der.extend_from_slice(&SPKI_PREFIX);
        der.extend_from_slice(&self.0);
        der
    }

    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout`
    /// writes it; this is the published `congress.pub.pem`.
    pub fn to_spki_pem(&self) -> String {
        pem::encode("PUBLIC KEY", &self.to_spki_der())
    }

    /// From SubjectPublicKeyInfo DER; anything but an Ed25519 key is refused.
    pub fn from_spki_der(der: &[u8]) -> Result<PublicKey, CryptoError> {
        match der.strip_prefix(&SPKI_PREFIX[..]) {
            Some(raw) if raw.len() == 32 => {
                let mut out = [0u8; 32];
                out.copy_from_slice(raw);
                Ok(PublicKey(out))
            }
            _ => Err(CryptoError::BadKey {
                what: "公钥",
                reason: format!(
                    "不是 Ed25519 的 SubjectPublicKeyInfo(应为 44 字节,以 302a300506032b6570032100 \
                     开头;实际 {} 字节)",
                    der.len()
                ),
            }),
        }
    }

    /// From SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_spki_pem(text: &str) -> Result<PublicKey, CryptoError> {
        PublicKey::from_spki_der(&pem::decode(text, "PUBLIC KEY", "公钥")?)
    }

    /// The key fingerprint of `docs/formats.md`: SHA-256 of the 32 raw bytes, lower-case hex.
    pub fn fingerprint(&self) -> String {
        sha256_hex(&self.0)
    }

    /// Whether `sig` is a valid Ed25519 signature of `msg` under this key. A `sig` of the
    /// wrong length is simply invalid.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(msg, sig)
            .is_ok()
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

/// A signature as it is written inside JSON: standard base64 alphabet with `=` padding.
pub fn signature_to_base64(sig: &[u8; SIGNATURE_LEN]) -> String {
    STANDARD.encode(sig)
}

/// Reads a signature written as standard, padded base64 of exactly 64 bytes. Non-canonical
/// encodings (stray bits in the last character, missing padding, URL-safe alphabet) are
/// refused so that one signature has one spelling.
pub fn signature_from_base64(text: &str) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| CryptoError::BadSignatureEncoding {
            reason: format!("base64 解码失败({e})"),
        })?;
    <[u8; SIGNATURE_LEN]>::try_from(bytes.as_slice()).map_err(|_| {
        CryptoError::BadSignatureEncoding {
            reason: format!("解码后为 {} 字节", bytes.len()),
        }
    })
}

#[cfg(test)]
mod tests;
