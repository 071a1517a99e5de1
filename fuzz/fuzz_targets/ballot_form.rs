//! Fuzz target `ballot_form`: see `congress_fuzz::ballot`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| congress_fuzz::ballot::form_input(data));
