//! Password hashing for organiser and scrutineer accounts: argon2id with the OWASP Password
//! Storage Cheat Sheet's first recommended setting (m = 19 MiB, t = 2, p = 1), stored as a PHC
//! string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) so the parameters travel with the
//! hash and can be raised later without breaking old accounts.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use ring::rand::{SecureRandom, SystemRandom};

use super::CryptoError;

/// Memory cost in KiB (19 MiB).
pub const M_COST_KIB: u32 = 19 * 1024;
/// Iterations.
pub const T_COST: u32 = 2;
/// Parallelism.
pub const P_COST: u32 = 1;

fn hasher() -> Result<Argon2<'static>, CryptoError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None)
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string of `password` with a fresh 128-bit salt from the OS random generator.
pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| CryptoError::Rng)?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
    let hash = hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string. A malformed or non-argon2 string is a
/// mismatch, not an error: the login answer is the same either way. The comparison inside
/// argon2 is constant-time.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    // Parameters come from the PHC string; refuse anything but argon2id (no downgrade to a
    // weaker variant through an edited database row).
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return false;
    }
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_owasp_parameters_and_verifies() {
        let phc = hash_password("学代会2025!").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("学代会2025!", &phc));
        assert!(!verify_password("学代会2025", &phc));
        assert!(!verify_password("", &phc));
        // A fresh salt each time: same password, different strings, both valid.
        let again = hash_password("学代会2025!").unwrap();
        assert_ne!(phc, again);
        assert!(verify_password("学代会2025!", &again));
    }

    #[test]
    fn verifies_a_known_phc_string() {
        // "password" with salt b"somesalt" at m=19456,t=2,p=1, 32-byte output, as computed by
        // the reference C implementation (libargon2's argon2id_hash_encoded, called through
        // Python ctypes): our hasher must produce the identical PHC string.
        let salt = SaltString::from_b64("c29tZXNhbHQ").unwrap();
        let phc = hasher()
            .unwrap()
            .hash_password(b"password", &salt)
            .unwrap()
            .to_string();
        assert_eq!(phc, KNOWN_PHC);
        assert!(verify_password("password", KNOWN_PHC));
        assert!(!verify_password("Password", KNOWN_PHC));
    }

    const KNOWN_PHC: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$PL01amPyeUuxG7H0vIr5X+qHkZvWnHmGBGXFYvh8z2E";

    #[test]
    fn malformed_or_foreign_hashes_never_verify() {
        assert!(!verify_password("x", ""));
        assert!(!verify_password("x", "not a phc string"));
        assert!(!verify_password(
            "x",
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$"
        ));
        // A valid argon2i hash of the same password is refused (variant downgrade).
        let salt = SaltString::from_b64("c29tZXNhbHQ").unwrap();
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default())
            .hash_password(b"x", &salt)
            .unwrap()
            .to_string();
        assert!(argon2i.starts_with("$argon2i$"));
        assert!(!verify_password("x", &argon2i));
    }
}
