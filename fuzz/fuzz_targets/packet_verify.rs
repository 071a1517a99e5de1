//! Fuzz target `packet_verify`: see `congress_fuzz::packet`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| congress_fuzz::packet::mutation_input(data));
