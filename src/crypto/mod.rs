//! Cryptography of `spec/verification.md`: canonical JSON, SHA-256, RFC 6962 Merkle trees,
//! Ed25519 keys and signatures (ring), random tokens and constant-time comparison.

pub mod derive;

/// Constant-time equality of two byte strings (lengths are not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// SHA-256 of `bytes` as 64 lower-case hex characters.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

pub mod password {
    //! argon2id password hashing (interim; replaced by the crypto branch).
    use argon2::password_hash::{
        rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
    };
    use argon2::Argon2;

    pub fn hash_password(password: &str) -> Result<String, String> {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    }

    pub fn verify_password(password: &str, phc: &str) -> bool {
        PasswordHash::new(phc)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    }
}

pub mod token {
    //! Random secrets (interim; replaced by the crypto branch).
    use ring::rand::{SecureRandom, SystemRandom};

    fn random<const N: usize>() -> [u8; N] {
        let mut b = [0u8; N];
        let _ = SystemRandom::new().fill(&mut b);
        b
    }

    pub fn new_token() -> String {
        hex::encode(random::<16>())
    }

    pub fn new_password() -> String {
        hex::encode(random::<12>())
    }

    pub fn hash_secret(s: &str) -> String {
        super::sha256_hex(s.as_bytes())
    }

    pub use super::ct_eq;
}
