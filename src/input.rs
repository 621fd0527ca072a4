//! Files named on the command line (config, `.env`, password, secret, import and
//! apply files): all are read here, so all say `cannot read WHAT PATH: WHY` and
//! none waits for ever on a FIFO or a device where a file is expected.

use crate::error::{Error, Result};
use std::fmt::Display;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// A regular file's whole text; `-` is a file name like any other.
pub fn read(path: &Path, what: &str) -> Result<String> {
    let mut file = open(path, what)?;
    // Sized once from the file, so a secret is not left behind in a grown buffer.
    let size = file.metadata().map_or(0, |m| m.len());
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    file.read_to_string(&mut text)
        .map_err(|e| cannot(what, path, &e))?;
    Ok(text)
}

/// The whole text of standard input for `-`, else of a regular file.
pub fn read_or_stdin(path: &Path, what: &str) -> Result<String> {
    match is_stdin(path) {
        true => std::io::read_to_string(std::io::stdin()).map_err(|e| cannot(what, path, &e)),
        false => read(path, what),
    }
}

/// Standard input for `-`, else a regular file, to read as a stream.
pub fn open_or_stdin(path: &Path, what: &str) -> Result<Box<dyn Read>> {
    match is_stdin(path) {
        true => Ok(Box::new(std::io::stdin().lock())),
        false => Ok(Box::new(open(path, what)?)),
    }
}

fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// Opens a regular file, refusing (exit 2) a FIFO, device, socket or folder.
/// Opening a FIFO waits for a writer, so its type is checked first; the open
/// itself does not wait either, so one swapped in meanwhile cannot hang the run
/// and is caught by the second check.
pub fn open(path: &Path, what: &str) -> Result<File> {
    let not_regular = || cannot(what, path, &"it is not a regular file");
    let meta = std::fs::metadata(path).map_err(|e| cannot(what, path, &e))?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let file = open_without_waiting(path).map_err(|e| cannot(what, path, &e))?;
    match file.metadata().is_ok_and(|m| m.is_file()) {
        true => Ok(file),
        false => Err(not_regular()),
    }
}

/// `O_NONBLOCK` makes opening a FIFO return at once; reads of a regular file
/// ignore it.
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn cannot(what: &str, path: &Path, why: &dyn Display) -> Error {
    Error::usage(format!("cannot read {what} {}: {why}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Runs `f` on a thread and fails the test if it has not returned within
    /// five seconds, as a read that waits on a FIFO would not.
    fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || tx.send(f()));
        rx.recv_timeout(Duration::from_secs(5))
            .expect("reading waited instead of refusing")
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pw.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        for read_it in [read, read_or_stdin] {
            let path = fifo.clone();
            let err = within_seconds(move || read_it(&path, "password file").unwrap_err());
            assert_eq!(err.exit_code(), 2);
            let want = format!(
                "cannot read password file {}: it is not a regular file",
                fifo.display()
            );
            assert_eq!(err.to_string(), want);
        }
        let path = fifo.clone();
        let opened = within_seconds(move || open_or_stdin(&path, "import file").is_err());
        assert!(opened);
    }

    #[test]
    fn a_folder_is_refused_and_a_missing_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path(), "config file").unwrap_err();
        assert!(
            err.to_string().ends_with(": it is not a regular file"),
            "{err}"
        );
        let missing = dir.path().join("absent.toml");
        let err = read(&missing, "config file").unwrap_err();
        let want = format!("cannot read config file {}: ", missing.display());
        assert!(err.to_string().starts_with(&want), "{err}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_regular_file_is_read_whole_and_dash_is_only_a_name_for_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, "s3cret\nsecond line\n").unwrap();
        assert_eq!(read(&path, "secret file").unwrap(), "s3cret\nsecond line\n");
        assert!(read(Path::new("-"), "password file").is_err());
    }
}
