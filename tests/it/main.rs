//! The integration tests: one binary (`cargo test --test it`), one module per area, sharing
//! `common` (a database per test, a real server, HTTP clients, headless Chromium). One binary
//! links once instead of once per area, which is most of the build time on a small machine.
//!
//! It runs with its own harness (`runner`, on libtest-mimic; `harness = false` in
//! `Cargo.toml`), so that a test that cannot run here shows as `ignored` with the reason
//! instead of passing: the PostgreSQL variants when `TEST_DATABASE_URL` is unset, the browser
//! tests when Chromium or ChromeDriver is missing; the last line names what did not run. Under
//! `CI=true` they run and fail instead. Usual arguments work: `cargo test --test it voting::`
//! (a name filter), `-- --list`, `--exact`, `--skip`, `--test-threads 1`, `--include-ignored`.
//! Output is never captured (`--nocapture` is accepted and changes nothing). Twice the cores
//! run at once (at most 8) unless `--test-threads` or `RUST_TEST_THREADS` says otherwise. The
//! in-process servers take contest keys from a pre-made pool (`common::contest_keys`).
//!
//! # Adding a test
//!
//! `#[test]` does nothing here (a guard test fails if one is written): a test is a plain
//! function registered beside it. Its name is its module path, e.g. `voting::api::x::sqlite`.
//!
//! ```text
//! test!(the_export_is_sorted);            // a test: fn() that panics to fail
//! fn the_export_is_sorted() { /* ... */ }
//!
//! both_backends!(a_ballot_is_counted_once, |kind: Kind| {   // <name>::sqlite and ::postgres
//!     let app = TestApp::start(kind, "a_ballot_is_counted_once");
//!     // ...
//! });
//!
//! test!(the_record_prints, browser);      // needs headless Chromium: skipped when missing
//! both_backends!(the_phone_votes, browser, |kind: Kind| { /* ... */ });
//! ```
//!
//! In a browser test, `common::browser::tools(name)` gives the Chromium and ChromeDriver paths.
//! Property tests: write `proptest! { fn name(x in ...) { ... } }` without `#[test]` and
//! register each with `test!(name);`. An async test builds its runtime (each area has a
//! `block_on`).
//!
//! # Moving an old test binary in
//!
//! Cargo builds nothing else in `tests/` (`autotests = false`; a guard test fails while a file
//! is left there). `tests/<area>.rs` or `tests/<area>/main.rs` becomes `tests/it/<area>.rs` or
//! `tests/it/<area>/mod.rs` (`git mv`), declared below; then:
//! - `#[macro_use] #[path = "../common/mod.rs"] mod common;` (or `mod common;`) becomes
//!   `use crate::common;`; a module borrowed from another area with `#[path]` becomes a `use`
//!   of that area's module (`use crate::voting::fixture;`);
//! - in the area's files, `crate::x` (the old binary's root) becomes `super::x`;
//! - `#[test] fn f()` becomes `test!(f); fn f()`; `#[tokio::test] async fn f()` becomes a plain
//!   `fn f()` that runs its body with `block_on`;
//! - `let Some(app) = TestApp::start(kind, "t") else { return; };` becomes
//!   `let app = TestApp::start(kind, "t");` (likewise `test_db`, `browser::tools`): these no
//!   longer skip, the runner does; a test that calls `browser::tools` registers with `browser`.

// The registration macros first: their textual scope covers the modules declared after them.
#[macro_use]
mod runner;

mod common;

mod approval;
mod authz;
mod cli;
mod contests;
mod crash;
mod layers;
mod organiser_browser;
mod packet;
mod paper_js;
mod properties;
mod registry;
mod results;
mod roster_web;
mod security;
mod setup_pages;
mod simulate;
mod soak;
mod storage;
mod term;
mod two_servers;
mod voting;

fn main() {
    runner::main();
}
