//! Property tests run in CI on the same entry points as the fuzz targets (`fuzz/src/lib.rs`,
//! included here as `harness`), on generated input of bounded size: arbitrary bytes, and real
//! files, forms and packets with a few targeted mutations. Each entry point checks its own
//! invariants (see the harness); here they must hold and nothing may panic or hang.
//!
//! - `inputs`: the importers (CSV in UTF-8/GBK/UTF-16, .xlsx), the ballot form parser and the
//!   packet verifier, in process.
//! - `imports`: files with an error uploaded to the real server (form and API, both backends)
//!   import nothing: what was stored before is exactly what is stored after.
//!
//! Cases per property: 1,000 for the in-process inputs, 300 for packets, 24 uploads per
//! backend (about 5 s in a debug build for the whole binary); `PROPTEST_CASES=N` runs N of
//! each instead.

// The fuzz crate's source, with its own copy of `packet::fixture` (clippy would have one).
#[allow(clippy::duplicate_mod)]
#[path = "../../../fuzz/src/lib.rs"]
mod harness;

mod imports;
mod inputs;

use proptest::prelude::*;
use proptest::test_runner::Config;

/// `PROPTEST_CASES` if set, otherwise `default`.
pub fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        max_shrink_iters: 256,
        ..Config::default()
    }
}

/// Cell values that have broken importers elsewhere: blanks, quotes, full-width forms, huge
/// and negative numbers, line breaks, BOMs, NUL, astral characters, markup and SQL, and
/// arbitrary printable text.
pub fn nasty_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "abc",
            "-1",
            "0",
            "1e9",
            "99999999999999999999999",
            "1,563",
            "１２３",
            "\"",
            "\"\"",
            "＂",
            "　",
            "2023级",
            "23级",
            "男",
            "女",
            "是",
            "否",
            "\u{feff}",
            "\r\n",
            "\n\n",
            "a\u{0}b",
            "𠮷野家",
            "'); DROP TABLE congresses;--",
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
        ])
        .prop_map(str::to_string),
        "\\PC{0,40}",
        "[0-9]{1,25}",
    ]
}
