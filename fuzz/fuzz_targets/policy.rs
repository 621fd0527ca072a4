//! A JavaScript-style policy regex never panics, whatever it is and whatever it checks.
#![no_main]
libfuzzer_sys::fuzz_target!(|input: (&str, &str)| {
    if let Ok(policy) = roster::policy::Policy::from_directus(input.0) {
        let _ = policy.check(input.1);
    }
});
