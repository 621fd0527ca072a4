//! One bulk write in flight while roster prepares the next: the write goes to
//! a thread of its own with the connection, and the next use of the connection
//! waits for it. A large import then keeps the server inserting one batch while
//! roster reads, checks and encodes the next, instead of the two taking turns.

use crate::error::{Error, Result};
use std::thread::JoinHandle;

/// A connection that may be lent to a write still running.
pub struct Pipelined<C> {
    conn: Option<C>,
    flight: Option<JoinHandle<(C, Result<()>)>>,
}

impl<C: Send + 'static> Pipelined<C> {
    pub fn new(conn: C) -> Self {
        Pipelined {
            conn: Some(conn),
            flight: None,
        }
    }

    /// The connection, once the write in flight has ended; that write's error
    /// if it failed (the transaction is then lost, and the caller rolls back).
    pub fn get(&mut self) -> Result<&mut C> {
        self.settle()?;
        self.conn.as_mut().ok_or_else(lost)
    }

    /// Waits for the write in flight, if any, and returns its outcome.
    pub fn settle(&mut self) -> Result<()> {
        let Some(flight) = self.flight.take() else {
            return Ok(());
        };
        let (conn, done) = flight.join().map_err(|_| lost())?;
        self.conn = Some(conn);
        done
    }

    /// Starts `write` on the connection and returns at once; the write's
    /// outcome comes with the next use of the connection.
    pub fn send(
        &mut self,
        write: impl FnOnce(&mut C) -> Result<()> + Send + 'static,
    ) -> Result<()> {
        self.settle()?;
        let mut conn = self.conn.take().ok_or_else(lost)?;
        self.flight = Some(std::thread::spawn(move || {
            let done = write(&mut conn);
            (conn, done)
        }));
        Ok(())
    }
}

/// A write that panicked took the connection with it.
fn lost() -> Error {
    Error::unavailable("the connection to the database was lost during a write")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_use_waits_for_the_write_and_gets_its_error() {
        let mut p = Pipelined::new(Vec::<u32>::new());
        p.send(|v| {
            v.push(1);
            Ok(())
        })
        .unwrap();
        assert_eq!(p.get().unwrap(), &[1]);
        p.send(|_| Err(Error::conflict("taken"))).unwrap();
        assert!(p.get().is_err());
        assert_eq!(
            p.get().unwrap(),
            &[1],
            "the connection comes back after the error"
        );
    }
}
