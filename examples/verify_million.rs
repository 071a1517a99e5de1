//! Times `verify_packet` on a synthetic packet with a million-ballot election (and, with
//! `--motions N`, two motions of N ballots each). Run in release:
//!
//!     cargo run --release --example verify_million [-- --ballots 1000000 --motions 0]
//!     cargo run --release --example verify_million -- --keep DIR    (write the packet to DIR)
//!     cargo run --release --example verify_million -- --only DIR    (verify DIR, build nothing)
//!
//! It builds the packet with the same fixture as `tests/it/packet/mod.rs`, writes it to a
//! temporary directory, verifies it once and prints the figures (and the load average, since the
//! time depends on what else the machine is doing).
//!
//! Every ballot carries a token signed by its contest's RSA-2048 key, as a real packet does.
//! Signing a million tokens takes minutes even on every core (OpenSSL signs ~2,900 per second
//! per core here), so the signed papers are made once, in parallel, and kept under
//! `target/verify-million/` (`<contest>-<n>-<seed>.papers`: the contest's public key, then one
//! `token signature` line per paper); later runs read them back. Delete the directory to sign
//! afresh. Verification is timed on its own and never reads the cache.

#[path = "../tests/it/packet/fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};
use std::time::Instant;

use fixture::cached_papers;

use congress::packet::{verify_packet, write_packet};

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

fn number(name: &str, default: u64) -> u64 {
    arg(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_else(|_| "unknown".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let dir = match (arg("--only"), arg("--keep")) {
        (Some(only), _) => PathBuf::from(only),
        (None, keep) => {
            let dir = keep.map_or_else(|| tmp.path().join("packet"), PathBuf::from);
            build(&dir)?;
            dir
        }
    };
    println!(
        "threads: {}, load average before: {}",
        rayon::current_num_threads(),
        load().trim()
    );
    let started = Instant::now();
    let list = verify_packet(&dir, None);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "verify_packet: {:.2} s, {} checks, all ok: {}; load average after: {}",
        secs,
        list.items.len(),
        list.all_ok(),
        load().trim()
    );
    for failed in list.failures() {
        println!(
            "FAILED {} {:?}: {}",
            failed.code, failed.contest, failed.detail
        );
    }
    Ok(())
}

fn build(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let size = fixture::Size {
        seed: 7,
        election_cast: number("--ballots", 1_000_000),
        motion_cast: number("--motions", 0),
    };
    let started = Instant::now();
    let fx = fixture::build_with(size, cached_papers);
    write_packet(dir, &fx.contents)?;
    let board_bytes: usize = fx.contents.boards.values().map(Vec::len).sum();
    println!(
        "built and wrote the packet in {:.1} s: election {} ballots, motions {} each, boards {:.0} MB",
        started.elapsed().as_secs_f64(),
        size.election_cast,
        size.motion_cast,
        board_bytes as f64 / 1e6
    );
    Ok(())
}
