//! Secrets derived from a server key with HMAC-SHA256, so they need not be stored: a delegate's
//! credential token and manual code are HMAC(key, congress | delegate | issue time). The
//! database keeps only their SHA-256; the organiser can print a card again at any time, and
//! reissuing (a new issue time) yields new secrets and revokes the old ones at once.

use ring::hmac;

/// Crockford-style base32 without padding (lower-case): URL-safe and unambiguous.
const B32: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
use super::token::CODE_ALPHABET;

fn mac(key: &[u8], label: &str, parts: &[&str]) -> [u8; 32] {
    let k = hmac::Key::new(hmac::HMAC_SHA256, key);
    let mut ctx = hmac::Context::with_key(&k);
    ctx.update(label.as_bytes());
    for p in parts {
        // Length-prefix each part so ("ab","c") and ("a","bc") differ.
        ctx.update(&(p.len() as u64).to_be_bytes());
        ctx.update(p.as_bytes());
    }
    let tag = ctx.sign();
    let mut out = [0u8; 32];
    out.copy_from_slice(tag.as_ref());
    out
}

/// Base32 of the first 20 bytes (160 bits) of the MAC: 32 characters.
pub fn derive_token(key: &[u8], parts: &[&str]) -> String {
    let m = mac(key, "congress/credential-token/v1", parts);
    let mut out = String::with_capacity(32);
    let mut acc: u64 = 0;
    let mut bits = 0;
    for b in &m[..20] {
        acc = (acc << 8) | *b as u64;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((acc >> bits) & 31) as usize] as char);
        }
    }
    out
}

/// A 10-character code from `CODE_ALPHABET` (~49.5 bits), printed as `XXXXX-XXXXX` like
/// `token::new_manual_code`; typed input is read with `token::normalise_manual_code`.
pub fn derive_code(key: &[u8], parts: &[&str]) -> String {
    let m = mac(key, "congress/credential-code/v1", parts);
    // Rejection-free: take 10 digits of a big number in base 31 (bias < 2^-100).
    let mut n = u128::from_be_bytes(m[..16].try_into().unwrap_or([0; 16]));
    let mut out = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            out.push('-');
        }
        out.push(CODE_ALPHABET[(n % 31) as usize] as char);
        n /= 31;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_deterministic_and_distinct() {
        let k = [9u8; 64];
        let a = derive_token(&k, &["c1", "d1", "1000"]);
        assert_eq!(a, derive_token(&k, &["c1", "d1", "1000"]));
        assert_eq!(a.len(), 32);
        assert_ne!(a, derive_token(&k, &["c1", "d1", "1001"]));
        assert_ne!(a, derive_token(&k, &["c1d1", "", "1000"]));
        assert_ne!(a, derive_token(&[8u8; 64], &["c1", "d1", "1000"]));
    }

    #[test]
    fn codes_have_the_printed_shape_and_normalise() {
        let k = [1u8; 64];
        let c = derive_code(&k, &["c1", "d7", "5"]);
        assert_eq!(c.len(), 11);
        assert_eq!(&c[5..6], "-");
        assert!(c
            .chars()
            .filter(|c| *c != '-')
            .all(|c| CODE_ALPHABET.contains(&(c as u8))));
        let typed = format!(" {} ", c.to_lowercase().replace('-', " "));
        let normalised = crate::crypto::token::normalise_manual_code(&typed);
        assert_eq!(normalised, c.replace('-', ""));
        assert!(crate::crypto::token::is_manual_code_shape(&normalised));
    }
}
