//! Contest keys for the in-process test servers, taken from a pool made once
//! (`tests/it/fixtures/contest-keys.pem`) instead of generated when each contest opens.
//!
//! OpenSSL takes about 0.2 s of CPU for an RSA-2048 key, and the suite opens hundreds of
//! contests on two cores: generating them was about a tenth of the suite's CPU. The keys are
//! written to the key directory, loaded and checked by the server exactly as generated ones;
//! only where the key bytes come from differs ([`KeyStore::with_contest_key_source`]).
//! Generation itself is tested in `crypto::blind` and by every test that runs the real binary
//! (`crash`, `two_servers`, `cli`, `simulate`), which never uses this pool.
//!
//! Each test database gets its own source: it starts at a random key of the pool and takes the
//! next one for each contest, so the contests of one test never share a key (the verifiers
//! check that a participants' key differs from the delegates'). After the whole pool it
//! generates.
//!
//! [`KeyStore::with_contest_key_source`]: congress::crypto::KeyStore::with_contest_key_source

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use congress::crypto::{ContestKey, ContestKeySource};

const POOL: &str = include_str!("../fixtures/contest-keys.pem");

/// The pool's PEM blocks, each one PKCS#8 key.
fn pool() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let end = "-----END PRIVATE KEY-----";
        let keys: Vec<String> = POOL
            .split_inclusive(end)
            .filter_map(|block| {
                let start = block.find("-----BEGIN PRIVATE KEY-----")?;
                Some(format!("{}\n", &block[start..]))
            })
            .collect();
        assert!(
            keys.len() >= 32,
            "the test key pool holds {} keys",
            keys.len()
        );
        keys
    })
}

/// A source for one test database (see the module's text).
pub fn source() -> ContestKeySource {
    let keys = pool();
    let start = rand::random_range(0..keys.len());
    let taken = AtomicUsize::new(0);
    Arc::new(move || {
        let i = taken.fetch_add(1, Ordering::Relaxed);
        if i < keys.len() {
            ContestKey::from_pkcs8_pem(&keys[(start + i) % keys.len()])
        } else {
            ContestKey::generate()
        }
    })
}
