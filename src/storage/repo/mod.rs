//! Repositories: each file owns the queries of one area and converts rows to domain types.
//! Every function takes a `&mut DbConnection`, so callers choose the transaction.

pub mod approval;
pub mod audit;
pub mod card_events;
pub mod congress;
pub mod contests;
pub mod counts;
pub mod credentials;
pub mod pending;
pub mod records;
pub mod registry;
pub mod reviews;
pub mod roster;
pub mod scrutineers;
pub mod term;
pub mod users;
pub mod voting;

use rand::RngCore;

/// A new random identifier: `prefix` + 20 base32 characters (100 bits from the OS RNG).
/// Identifiers are not secrets; they only need to be unique across app servers.
pub fn new_id(prefix: &str) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    let mut s = String::with_capacity(prefix.len() + 20);
    s.push_str(prefix);
    for b in bytes {
        s.push(ALPHABET[(b & 31) as usize] as char);
    }
    s
}
