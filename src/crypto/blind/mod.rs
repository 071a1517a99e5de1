//! Ballot papers (选票凭证) by RSA blind signature: RFC 9474 RSABSSA-SHA384-PSS-Randomized
//! (SHA-384, MGF1-SHA-384, salt 48 bytes, 32-byte random message prefix) on OpenSSL.
//!
//! A contest gets its own RSA-2048 key when it opens. The phone makes a 64-byte token
//! (`prefix(32) || msg(32)`, both random: the RFC's prepared message), blinds it and sends
//! the blinded message with its delegate session (领票); the server signs it blindly; the phone
//! unblinds and casts `{ballot, token, signature}` anonymously (投票). The signature on the
//! board is an ordinary RSASSA-PSS signature of the token, which anyone checks with
//! `openssl pkeyutl -verify` (see [`ContestPublicKey::verify`]).
//!
//! # Interface (for the protocol half)
//! ```text
//! MODULUS_BITS = 2048, TOKEN_LEN = 64, SALT_LEN = 48
//! // server (private key: KeyStore::create_contest_key / load_contest_key)
//! ContestKey::generate() -> Result<ContestKey>
//! ContestKey::from_pkcs8_pem(&str) -> Result<ContestKey>
//! ContestKey::to_pkcs8_pem(&self) -> Result<String>
//! ContestKey::public_key(&self) -> &ContestPublicKey
//! ContestKey::blind_sign(&self, blinded: &[u8]) -> Result<Vec<u8>>     // 领票
//! ContestKey::sign_token(&self, token: &[u8]) -> Result<Vec<u8>>       // paper ballots
//! // public (board, packet, verifier; Clone + Send + Sync)
//! ContestPublicKey::from_spki_pem(&str) -> Result<ContestPublicKey>
//! ContestPublicKey::from_spki_der(&[u8]) -> Result<ContestPublicKey>
//! ContestPublicKey::to_spki_pem(&self) -> String
//! ContestPublicKey::spki_der(&self) -> &[u8]
//! ContestPublicKey::fingerprint(&self) -> String      // SHA-256 of the SPKI DER, hex
//! ContestPublicKey::modulus_hex(&self) -> String      // n, big-endian lower-case hex
//! ContestPublicKey::exponent(&self) -> u32            // 65537 for our keys
//! ContestPublicKey::modulus_len(&self) -> usize       // bytes of n = signature length (256)
//! ContestPublicKey::verify(&self, token: &[u8], sig: &[u8]) -> Result<()>
//! // the phone, in Rust (simulator, bench, demo, tests)
//! new_token() -> [u8; TOKEN_LEN]
//! blind(&ContestPublicKey, token: &[u8]) -> Result<Blinding>           // Blinding.blinded
//! finalize(&ContestPublicKey, token, blind_sig: &[u8], &Blinding) -> Result<Vec<u8>>
//! blind_with(&ContestPublicKey, token, salt: &[u8], inv: &[u8]) -> Result<Blinding>
//! ```
//! All errors are [`CryptoError`]; a signature that does not verify is
//! [`CryptoError::BadSignature`], a blinded message that is not below n (or of the wrong
//! length) is [`CryptoError::BadBlindedMessage`].
//!
//! The private operation is OpenSSL's (`RSA_private_encrypt` without padding: CRT, base
//! blinding and constant-time exponentiation), followed by the RFC's RSAVP1 check. Verifying
//! is OpenSSL's RSASSA-PSS with the salt length fixed to 48.

mod phone;

use std::cmp::Ordering;

use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::rsa::{Padding, Rsa};
use openssl::sign::{RsaPssSaltlen, Signer, Verifier};

use super::{pem, sha256_hex, token::ct_eq, CryptoError};

pub use phone::{blind, blind_with, finalize, new_token, Blinding};

/// Size of the RSA modulus of a new contest key.
pub const MODULUS_BITS: u32 = 2048;
/// Smallest modulus a loaded key may have.
pub const MIN_MODULUS_BITS: u32 = 2048;
/// Bytes of a ballot-paper token: RFC 9474's prepared message, `prefix(32) || msg(32)`.
pub const TOKEN_LEN: usize = 64;
/// PSS salt length in bytes (RFC 9474 RSABSSA-SHA384-PSS: the hash length).
pub const SALT_LEN: usize = 48;
/// The public exponent of the keys we generate.
pub const PUBLIC_EXPONENT: u32 = 65537;

fn ossl(action: &'static str) -> impl FnOnce(openssl::error::ErrorStack) -> CryptoError {
    move |err| CryptoError::Openssl {
        action,
        reason: err.to_string(),
    }
}

/// A contest's private ballot-paper key. `Debug` shows only the public fingerprint.
pub struct ContestKey {
    rsa: Rsa<Private>,
    pkey: PKey<Private>,
    public: ContestPublicKey,
}

impl std::fmt::Debug for ContestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContestKey({})", self.public.fingerprint())
    }
}

impl ContestKey {
    /// A new RSA-2048 key with e = 65537 (OpenSSL's generator, the OS random source).
    pub fn generate() -> Result<ContestKey, CryptoError> {
        let rsa = Rsa::generate(MODULUS_BITS).map_err(ossl("生成 RSA 密钥"))?;
        ContestKey::from_rsa(rsa)
    }

    /// A key from PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey` writes).
    /// Refuses anything but an RSA key of at least 2048 bits that passes OpenSSL's check.
    pub fn from_pkcs8_pem(text: &str) -> Result<ContestKey, CryptoError> {
        let der = pem::decode(text, "PRIVATE KEY", "选票签发私钥")?;
        let rejected = |reason: String| CryptoError::BadKey {
            what: "选票签发私钥",
            reason,
        };
        let pkey = PKey::private_key_from_pkcs8(&der)
            .map_err(|e| rejected(format!("不是 PKCS#8 格式的私钥(OpenSSL: {e})")))?;
        if pkey.id() != Id::RSA {
            return Err(rejected("不是 RSA 私钥".to_string()));
        }
        let rsa = pkey.rsa().map_err(|e| rejected(e.to_string()))?;
        if !rsa.check_key().unwrap_or(false) {
            return Err(rejected("OpenSSL 检查未通过(p、q、d 不一致)".to_string()));
        }
        ContestKey::from_rsa(rsa)
    }

    fn from_rsa(rsa: Rsa<Private>) -> Result<ContestKey, CryptoError> {
        let public_rsa = Rsa::from_public_components(
            rsa.n().to_owned().map_err(ossl("复制模数"))?,
            rsa.e().to_owned().map_err(ossl("复制指数"))?,
        )
        .map_err(ossl("构造公钥"))?;
        let public = ContestPublicKey::from_rsa(public_rsa, "选票签发私钥")?;
        let pkey = PKey::from_rsa(rsa.clone()).map_err(ossl("封装私钥"))?;
        Ok(ContestKey { rsa, pkey, public })
    }

    /// PKCS#8 PEM of the private key (the key file's content; `openssl pkey` reads it).
    pub fn to_pkcs8_pem(&self) -> Result<String, CryptoError> {
        let der = self.pkey.private_key_to_pkcs8().map_err(ossl("导出私钥"))?;
        Ok(pem::encode("PRIVATE KEY", &der))
    }

    /// The public half (published on the board and in the packet).
    pub fn public_key(&self) -> &ContestPublicKey {
        &self.public
    }

    /// RFC 9474 BlindSign (section 4.3): `m = OS2IP(blinded)`, which must be exactly
    /// `modulus_len` bytes and below n; `s = RSASP1(sk, m)`; refuse to answer unless
    /// `RSAVP1(pk, s) == m`; `I2OSP(s, modulus_len)`.
    pub fn blind_sign(&self, blinded: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let k = self.public.modulus_len();
        if blinded.len() != k {
            return Err(CryptoError::BadBlindedMessage {
                reason: format!("长度应为 {k} 字节,实际为 {} 字节", blinded.len()),
            });
        }
        let m = BigNum::from_slice(blinded).map_err(ossl("读取盲化消息"))?;
        if m.ucmp(self.rsa.n()) != Ordering::Less {
            return Err(CryptoError::BadBlindedMessage {
                reason: "数值不小于该投票事项公钥的模数 n".to_string(),
            });
        }
        let mut s = vec![0u8; k];
        let len = self
            .rsa
            .private_encrypt(blinded, &mut s, Padding::NONE)
            .map_err(ossl("RSA 私钥运算"))?;
        let mut check = vec![0u8; k];
        let check_len = self
            .public
            .rsa
            .public_encrypt(&s[..len], &mut check, Padding::NONE)
            .map_err(ossl("RSA 公钥验算"))?;
        if len != k || check_len != k || !ct_eq(&check, blinded) {
            return Err(CryptoError::BlindSignFault);
        }
        Ok(s)
    }

    /// An ordinary RSASSA-PSS signature (SHA-384, MGF1-SHA-384, salt 48) of `token`: for a
    /// paper ballot, whose token the server makes itself. It is verified exactly like a
    /// finalized blind signature and cannot be told apart from one.
    pub fn sign_token(&self, token: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut signer = Signer::new(MessageDigest::sha384(), &self.pkey).map_err(ossl("签名"))?;
        signer
            .set_rsa_padding(Padding::PKCS1_PSS)
            .and_then(|()| signer.set_rsa_pss_saltlen(RsaPssSaltlen::custom(SALT_LEN as i32)))
            .and_then(|()| signer.set_rsa_mgf1_md(MessageDigest::sha384()))
            .map_err(ossl("设置 PSS 参数"))?;
        signer.sign_oneshot_to_vec(token).map_err(ossl("签名"))
    }
}

/// A contest's public ballot-paper key. Cheap to clone; `Send + Sync`, so a verifier can
/// check signatures from many threads at once.
#[derive(Clone)]
pub struct ContestPublicKey {
    rsa: Rsa<Public>,
    pkey: PKey<Public>,
    /// SubjectPublicKeyInfo DER (rsaEncryption), what the fingerprint covers.
    der: Vec<u8>,
    /// The modulus, big-endian, without leading zeros (its length is the signature length).
    n: Vec<u8>,
    e: u32,
}

impl std::fmt::Debug for ContestPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ContestPublicKey({})", self.fingerprint())
    }
}

impl PartialEq for ContestPublicKey {
    fn eq(&self, other: &ContestPublicKey) -> bool {
        self.der == other.der
    }
}
impl Eq for ContestPublicKey {}

impl ContestPublicKey {
    /// A public key from SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn from_spki_pem(text: &str) -> Result<ContestPublicKey, CryptoError> {
        let der = pem::decode(text, "PUBLIC KEY", "选票签发公钥")?;
        ContestPublicKey::from_spki_der(&der)
    }

    /// A public key from SubjectPublicKeyInfo DER. Refuses anything but an rsaEncryption key
    /// of at least 2048 bits with an odd exponent that fits 32 bits.
    pub fn from_spki_der(der: &[u8]) -> Result<ContestPublicKey, CryptoError> {
        let rejected = |reason: String| CryptoError::BadKey {
            what: "选票签发公钥",
            reason,
        };
        let pkey = PKey::public_key_from_der(der)
            .map_err(|e| rejected(format!("不是 SubjectPublicKeyInfo 格式(OpenSSL: {e})")))?;
        if pkey.id() != Id::RSA {
            return Err(rejected("不是 RSA 公钥(rsaEncryption)".to_string()));
        }
        let rsa = pkey.rsa().map_err(|e| rejected(e.to_string()))?;
        ContestPublicKey::from_rsa(rsa, "选票签发公钥")
    }

    fn from_rsa(rsa: Rsa<Public>, what: &'static str) -> Result<ContestPublicKey, CryptoError> {
        let rejected = |reason: String| CryptoError::BadKey { what, reason };
        let bits = rsa.n().num_bits();
        if bits < MIN_MODULUS_BITS as i32 {
            return Err(rejected(format!(
                "模数只有 {bits} 位,至少需要 {MIN_MODULUS_BITS} 位"
            )));
        }
        let e_bytes = rsa.e().to_vec();
        let e = match e_bytes.len() {
            1..=4 => e_bytes
                .iter()
                .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)),
            _ => 0,
        };
        if e < 3 || e % 2 == 0 {
            return Err(rejected(format!(
                "公钥指数应为不小于 3 的 32 位奇数,实际为 {}",
                rsa.e()
            )));
        }
        let n = rsa.n().to_vec();
        let pkey = PKey::from_rsa(rsa.clone()).map_err(ossl("封装公钥"))?;
        let der = pkey.public_key_to_der().map_err(ossl("导出公钥"))?;
        Ok(ContestPublicKey {
            rsa,
            pkey,
            der,
            n,
            e,
        })
    }

    /// SubjectPublicKeyInfo PEM; `openssl pkey -pubin -in key.pem -noout -text` reads it.
    pub fn to_spki_pem(&self) -> String {
        pem::encode("PUBLIC KEY", &self.der)
    }

    /// SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.der
    }

    /// SHA-256 of the SubjectPublicKeyInfo DER, 64 lower-case hex characters
    /// (`openssl pkey -pubin -in key.pem -outform DER | sha256sum`).
    pub fn fingerprint(&self) -> String {
        sha256_hex(&self.der)
    }

    /// The modulus n as big-endian lower-case hex without leading zeros (for the phone's
    /// script).
    pub fn modulus_hex(&self) -> String {
        hex::encode(&self.n)
    }

    /// The public exponent e.
    pub fn exponent(&self) -> u32 {
        self.e
    }

    /// Bytes of the modulus: the length of every blinded message, blind signature and
    /// signature under this key (256 for RSA-2048).
    pub fn modulus_len(&self) -> usize {
        self.n.len()
    }

    /// RSASSA-PSS-VERIFY (RFC 8017 section 8.1.2) of `sig` over `token` with SHA-384,
    /// MGF1-SHA-384 and a salt of exactly 48 bytes: RFC 9474's Verify. `Ok(())` or
    /// [`CryptoError::BadSignature`] (a signature of the wrong length is simply invalid).
    pub fn verify(&self, token: &[u8], sig: &[u8]) -> Result<(), CryptoError> {
        self.verify_with_salt_len(token, sig, SALT_LEN)
    }

    /// [`ContestPublicKey::verify`] with another salt length (the RFC's PSSZERO test vectors
    /// use 0).
    pub(crate) fn verify_with_salt_len(
        &self,
        token: &[u8],
        sig: &[u8],
        salt_len: usize,
    ) -> Result<(), CryptoError> {
        let bad = || CryptoError::BadSignature {
            fingerprint: self.fingerprint(),
        };
        if sig.len() != self.modulus_len() {
            return Err(bad());
        }
        let mut verifier =
            Verifier::new(MessageDigest::sha384(), &self.pkey).map_err(ossl("验证签名"))?;
        verifier
            .set_rsa_padding(Padding::PKCS1_PSS)
            .and_then(|()| verifier.set_rsa_pss_saltlen(RsaPssSaltlen::custom(salt_len as i32)))
            .and_then(|()| verifier.set_rsa_mgf1_md(MessageDigest::sha384()))
            .map_err(ossl("设置 PSS 参数"))?;
        // OpenSSL reports a malformed signature as an error, a mismatch as `false`: both are
        // "not signed by this key" to us.
        match verifier.verify_oneshot(sig, token) {
            Ok(true) => Ok(()),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
