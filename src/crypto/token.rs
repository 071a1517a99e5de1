//! Random secrets from the OS random number generator (ring's `SystemRandom`, i.e. getrandom):
//! credential tokens for the QR cards, the manual codes printed beside them, ballot ids and
//! one-time passwords; plus how secrets are stored (SHA-256 only) and compared (constant time).
//!
//! Formats and their strength:
//! - credential token: 26 characters of Crockford base32 in lower case
//!   (`0-9a-z` without `i l o u`), the first 130 bits of 17 random bytes. URL-safe, fits a
//!   small QR code, case-insensitive if ever typed.
//! - manual code: 10 characters from a 31-symbol alphabet without look-alikes (`2-9` and
//!   `A-Z` without `I L O`; no `0 1` either), printed as `XXXXX-XXXXX`:
//!   10 x log2(31) ~ 49.5 bits (31^10 ~ 8.2e14). Hitting any one of 2,000 live codes at 10
//!   tries a minute takes 31^10 / 2000 / 10 minutes ~ 78,000 years on average, so online
//!   guessing is hopeless; the codes also live only as long as one congress.
//! - ballot id: 128 bits as 32 lower-case hex characters (`docs/formats.md`: >= 128 bits).
//! - one-time password: 18 characters of the same alphabet in lower case, `xxxxxx-xxxxxx-xxxxxx`:
//!   18 x log2(31) ~ 89.2 bits (>= 80).
//!
//! These functions panic only if the operating system's random generator fails, which
//! getrandom never does on a supported platform; carrying on without randomness would be
//! worse than stopping.

use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;

use super::sha256_hex;

/// Crockford's base32 digits, lower case.
const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Symbols that survive bad handwriting, small print and phone fonts: no 0/O, 1/I/L.
pub const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Characters in a credential token.
pub const TOKEN_LEN: usize = 26;
/// Characters in a manual code, without its dash.
pub const MANUAL_CODE_LEN: usize = 10;
/// Characters in a one-time password, without its dashes.
pub const PASSWORD_LEN: usize = 18;

/// Fills `buf` from the OS random number generator.
fn fill_random(buf: &mut [u8]) {
    if SystemRandom::new().fill(buf).is_err() {
        panic!("操作系统随机数生成器不可用 (getrandom 失败),拒绝在没有随机性的情况下继续");
    }
}

/// A credential token (the secret in a delegate's QR code): 26 lower-case Crockford base32
/// characters carrying 130 random bits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 17];
    fill_random(&mut bytes);
    crockford(&bytes, TOKEN_LEN)
}

/// The first `chars` base32 digits of `bytes`, most significant bit first.
fn crockford(bytes: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 && out.len() < chars {
            bits -= 5;
            out.push(char::from(CROCKFORD[((acc >> bits) & 31) as usize]));
        }
        acc &= (1 << bits) - 1;
    }
    out
}

/// The symbol a random byte stands for, or `None` for the 8 top values that rejection
/// sampling discards: 248 = 8 x 31, so each symbol has exactly 8 bytes and is equally likely.
fn code_symbol(byte: u8) -> Option<u8> {
    (usize::from(byte) < 8 * CODE_ALPHABET.len())
        .then(|| CODE_ALPHABET[usize::from(byte) % CODE_ALPHABET.len()])
}

/// `n` uniformly random symbols of [`CODE_ALPHABET`].
fn code_symbols(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let mut pool = [0u8; 32];
    while out.len() < n {
        fill_random(&mut pool);
        out.extend(
            pool.iter()
                .filter_map(|b| code_symbol(*b))
                .take(n - out.len()),
        );
    }
    out
}

/// Joins `symbols` into groups of `group` characters separated by `-`.
fn grouped(symbols: &[u8], group: usize) -> String {
    symbols
        .chunks(group)
        .map(|chunk| chunk.iter().map(|b| char::from(*b)).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A manual code for the printed card, e.g. `K7QM4-TXZ9R` (about 49.5 bits; see module docs).
/// Store `hash_secret(&normalise_manual_code(code))`.
pub fn new_manual_code() -> String {
    grouped(&code_symbols(MANUAL_CODE_LEN), MANUAL_CODE_LEN / 2)
}

/// What a delegate typed, in the form the code was stored in: full-width characters (a
/// Chinese IME's ＡＢＣ１２３) made half-width, letters upper-cased, spaces (including the
/// ideographic space U+3000) and dashes of any kind (- ‐ ‑ ‒ – — ― − －) removed.
pub fn normalise_manual_code(input: &str) -> String {
    input
        .chars()
        .map(|c| match u32::from(c) {
            // U+FF01..U+FF5E mirror ASCII 0x21..0x7E at an offset of 0xFEE0.
            code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !is_dash(*c))
        .flat_map(char::to_uppercase)
        .collect()
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Whether a normalised code has the shape of a manual code (10 symbols of the alphabet), so
/// the web layer can say "格式不对" without a database lookup.
pub fn is_manual_code_shape(normalised: &str) -> bool {
    normalised.len() == MANUAL_CODE_LEN && normalised.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// A ballot id: 128 random bits as 32 lower-case hex characters.
pub fn new_ballot_id() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    hex::encode(bytes)
}

/// A one-time password, e.g. `k7qm4t-xz9rab-cd3e5f` (about 89.2 bits; dashes included).
pub fn new_password() -> String {
    grouped(&code_symbols(PASSWORD_LEN), PASSWORD_LEN / 3).to_lowercase()
}

/// How a token or code is stored: SHA-256 of its UTF-8 bytes, lower-case hex. These secrets
/// carry enough entropy that a fast hash suffices; passwords use [`super::password`].
pub fn hash_secret(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// Constant-time equality (for CSRF tokens and stored hashes). Slices of different lengths
/// are unequal; only the length is not hidden.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
#[path = "token_tests.rs"]
mod tests;
