//! Email validation never panics, and what it accepts normalises to itself.
#![no_main]
libfuzzer_sys::fuzz_target!(|raw: &str| {
    if let Ok(email) = roster::email::normalize(raw) {
        assert_eq!(roster::email::normalize(&email).ok(), Some(email));
    }
});
