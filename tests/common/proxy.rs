//! A TCP proxy between roster and a test server that can be told to stall
//! (from then on it forwards nothing either way and keeps every connection
//! open, as a frozen server or a network that silently drops everything would)
//! or to cut every connection.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Proxy {
    /// The port roster is pointed at.
    pub port: u16,
    stalled: Arc<AtomicBool>,
    /// Both ends of every connection, closed when the proxy goes (so the test's
    /// database can be dropped).
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
    }
}

impl Proxy {
    /// Stands in front of the server `url` (`scheme://user@host:port/db`) names.
    pub fn in_front_of(url: &str) -> Proxy {
        let port = url
            .rsplit(':')
            .next()
            .and_then(|p| p.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("the server's port");
        Proxy::to(port)
    }

    /// Forwards connections to `127.0.0.1:<to>`.
    pub fn to(to: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let stalled = Arc::new(AtomicBool::new(false));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (flag, streams) = (Arc::clone(&stalled), Arc::clone(&open));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", to)) else {
                    continue;
                };
                pipe(&client, &server, &flag);
                pipe(&server, &client, &flag);
                let mut streams = streams.lock().unwrap_or_else(|p| p.into_inner());
                streams.extend([client, server]);
            }
        });
        Proxy {
            port,
            stalled,
            open,
        }
    }

    /// Closes every connection, both ends, as a network cut or a killed server would.
    pub fn cut(&self) {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        for stream in open.iter() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// From now on nothing is forwarded.
    pub fn stall(&self) {
        self.stalled.store(true, Ordering::SeqCst);
    }

    /// `url` (`scheme://user@host:port/db`) with the proxy in the server's place.
    pub fn url(&self, url: &str) -> String {
        let at = url.find('@').expect("a URL with a user") + 1;
        let slash = at + url[at..].find('/').expect("a URL with a database");
        format!("{}127.0.0.1:{}{}", &url[..at], self.port, &url[slash..])
    }
}

/// Copies `from` to `to` until either closes, holding what it reads once stalled.
fn pipe(from: &TcpStream, to: &TcpStream, stalled: &Arc<AtomicBool>) {
    let (mut from, mut to) = (
        from.try_clone().expect("clone"),
        to.try_clone().expect("clone"),
    );
    let stalled = Arc::clone(stalled);
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            // Held until the proxy goes (and closes the connection).
            while stalled.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
                if to.peer_addr().is_err() {
                    return;
                }
            }
            if to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}
