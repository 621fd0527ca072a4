//! Database URLs never panic, and a refusal never echoes the URL (it may hold a password).
#![no_main]
libfuzzer_sys::fuzz_target!(|url: &str| {
    if let Err(e) = roster::config::parse_url(url) {
        if url.len() > 12 {
            assert!(!e.to_string().contains(url));
        }
    }
});
