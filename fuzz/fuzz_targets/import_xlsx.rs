//! Fuzz target `import_xlsx`: see `congress_fuzz::import`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| congress_fuzz::import::xlsx_input(data));
