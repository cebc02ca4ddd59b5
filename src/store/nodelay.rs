//! TCP_NODELAY for the PostgreSQL connections.
//!
//! sqlx 0.9.0 stopped setting TCP_NODELAY on its sockets (transact-rs/sqlx
//! issue 4335; fixed upstream by pull request 4336, not yet released). Without
//! it, any statement larger than one TCP segment — a bulk insert, a long IN
//! list — waits for the server's delayed acknowledgement, about 40 ms per
//! round trip: importing the demo province took 59 s over TCP against 31 s
//! over the Unix socket. Until a release carries the fix, every new pool
//! connection runs [`set_on_open_sockets`]. Remove this module then.

/// Sets TCP_NODELAY on every TCP socket this process has open (connections
/// the pool opened, and any other: none is harmed by it).
#[cfg(target_os = "linux")]
pub(crate) fn set_on_open_sockets() {
    use std::os::fd::FromRawFd;
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for entry in dir.flatten() {
        let Some(fd) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        // SAFETY: `fd` is an open socket of this process; the stream is
        // never dropped, so the descriptor is not closed or taken over.
        // On a socket that is not TCP (Unix, UDP) the call fails and is
        // ignored, and so it is if the descriptor was closed meanwhile.
        let stream = std::mem::ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(fd) });
        let _ = stream.set_nodelay(true);
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn set_on_open_sockets() {}
