//! Fuzz target `import_xlsx`: see `congress_fuzz::import`.
//!
//! calamine panics on some cell references when overflow checks are on (`A99999999999`; the
//! importer catches that and reports a damaged file). libFuzzer's panic hook would still abort
//! on the caught panic, so panics raised inside calamine are let through here; every other
//! panic is still a crash.
#![no_main]

use std::sync::Once;

static HOOK: Once = Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"))
            {
                fuzzer_hook(info);
            }
        }));
    });
    congress_fuzz::import::xlsx_input(data)
});
