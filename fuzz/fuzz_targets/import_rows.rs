//! The import parsers (CSV, JSON, JSON Lines, TOML) never panic on any bytes.
#![no_main]
use roster::rows::{FileFormat, read};

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("rows");
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    for format in [FileFormat::Csv, FileFormat::Json, FileFormat::Jsonl, FileFormat::Toml] {
        let _ = read(&path, format, &mut |_| Ok(()));
    }
});
