//! A document's opening held back until the work behind it has started well.

use std::io::{self, Write};

/// How much is held back before it goes out anyway: enough for a header and the
/// first rows, small enough that a streamed document stays streamed.
const HOLD: usize = 64 * 1024;

/// Output whose first bytes wait for [`Held::release`]: a command that fails
/// before its first rows (a missing table, a lost connection) leaves stdout empty
/// instead of a lone `[` or CSV header that a script would read as a document.
/// Dropped without a release, what it holds is discarded.
pub struct Held<W: Write> {
    out: W,
    held: Option<Vec<u8>>,
}

impl<W: Write> Held<W> {
    pub fn new(out: W) -> Self {
        Held {
            out,
            held: Some(Vec::new()),
        }
    }

    /// Sends what is held, and everything after it, on its way, then flushes.
    pub fn release(&mut self) -> io::Result<()> {
        self.send()?;
        self.out.flush()
    }

    fn send(&mut self) -> io::Result<()> {
        match self.held.take() {
            Some(bytes) => self.out.write_all(&bytes),
            None => Ok(()),
        }
    }
}

impl<W: Write> Write for Held<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(held) = &mut self.held else {
            return self.out.write(buf);
        };
        held.extend_from_slice(buf);
        if held.len() >= HOLD {
            self.send()?;
        }
        Ok(buf.len())
    }

    /// Flushes only what was already released: writers flush when dropped, and
    /// a drop on an error must not let the held opening out.
    fn flush(&mut self) -> io::Result<()> {
        match self.held {
            Some(_) => Ok(()),
            None => self.out.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_leaves_without_a_release_and_everything_leaves_with_one() {
        let mut sink = Vec::new();
        {
            let mut h = Held::new(&mut sink);
            h.write_all(b"[").unwrap();
            h.flush().unwrap();
        }
        assert!(sink.is_empty());
        let mut h = Held::new(&mut sink);
        h.write_all(b"[").unwrap();
        h.release().unwrap();
        h.write_all(b"]").unwrap();
        h.flush().unwrap();
        assert_eq!(sink, b"[]");
    }

    #[test]
    fn a_long_document_streams_past_the_hold() {
        let mut sink = Vec::new();
        let mut h = Held::new(&mut sink);
        h.write_all(&vec![b'x'; HOLD + 1]).unwrap();
        drop(h);
        assert_eq!(sink.len(), HOLD + 1);
    }
}
