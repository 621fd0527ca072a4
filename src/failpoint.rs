//! Points where a debug build can be held, so tests can write to the database
//! at an exact moment of a command (as another writer might); release builds
//! compile them away.

/// Waits here when `ROSTER_PAUSE_<NAME>` names a path: creates `<path>.reached`,
/// then waits (up to 30 s) until `<path>` exists.
#[cfg(debug_assertions)]
pub fn pause(name: &str) {
    use std::time::{Duration, Instant};
    let var = format!("ROSTER_PAUSE_{}", name.to_uppercase());
    let Some(path) = std::env::var_os(var).map(std::path::PathBuf::from) else {
        return;
    };
    let mut reached = path.clone().into_os_string();
    reached.push(".reached");
    // A pause the test cannot see would only wait out its time: ignore a failed write.
    let _ = std::fs::write(reached, b"");
    let until = Instant::now() + Duration::from_secs(30);
    while !path.exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Release builds never pause.
#[cfg(not(debug_assertions))]
pub fn pause(_name: &str) {}
