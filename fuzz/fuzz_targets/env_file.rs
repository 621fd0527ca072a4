//! A Directus .env never panics the reader.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let _ = roster::config::parse_env(text);
});
