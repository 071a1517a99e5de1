//! Fuzz target `import_csv`: see `congress_fuzz::import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| congress_fuzz::import::csv_input(data));
