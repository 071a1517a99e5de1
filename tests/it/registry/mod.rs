//! The filing office (`congress registry`, docs/registry.md) end to end over HTTP, on SQLite
//! and on PostgreSQL (`TEST_DATABASE_URL`): schools filing to one registry through the web
//! form and the API, each packet verified on arrival; a late filing, a tampered packet refused
//! with its reason and stored nowhere, a school with too few ordinary students flagged in the
//! province table and its Excel export; a school account refused another school; signing keys
//! pinned per congress and entered by the office; zip bombs, path traversal and oversize
//! uploads refused; the school's own self-assessment equal to the office's view of its packet;
//! and screenshots of the province table at 1366 and 390 px.

mod assess;
mod browser;
mod cli;
mod flow;
pub mod harness;
mod keys;
mod limits;

/// Runs an async test body on a fresh runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}
