//! Accepting connections with limits, so that slow or idle clients cannot
//! use up the preview.
//!
//! `axum::serve` sets no timer, so a client that sends its headers a byte
//! at a time (slowloris), or opens a connection and sends nothing, holds
//! it forever; a thousand of them use up the file descriptors and nothing
//! new gets through. Here every connection has [`HEADER_TIMEOUT`] to send
//! each request's headers, which also closes keep-alive connections that
//! stay idle that long (a browser simply opens a new one), and at most
//! [`Limits::connections`] are served at once: past that, new ones are
//! closed at once instead of waiting in the kernel's queue.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take to send a request's headers, and so how
/// long a keep-alive connection may stay idle.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long shutting down waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(2);

/// Connection limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once.
    pub connections: usize,
}

impl Limits {
    /// Limits for this process: raises the soft limit on open files as far
    /// as the hard one allows (to 8,192), and serves as many connections
    /// as leave room for the files a rebuild opens.
    pub fn for_this_process() -> Limits {
        let files = raise_file_limit(8192);
        Limits {
            connections: files.saturating_sub(128).clamp(16, 4096),
        }
    }
}

/// Raises this process's soft limit on open files towards `want` (as far
/// as the hard limit allows); returns the limit now.
pub fn raise_file_limit(want: u64) -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit with a valid struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 256;
        }
        let raised = want.min(limit.rlim_max).max(limit.rlim_cur);
        let new = libc::rlimit {
            rlim_cur: raised,
            rlim_max: limit.rlim_max,
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &new) == 0 {
            limit.rlim_cur = new.rlim_cur;
        }
    }
    usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX)
}

/// Serves `app` on `listener` until `stop` turns true, then waits up to
/// `DRAIN` for requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(limits.connections));
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors or a reset before accept: pause
                // rather than spin, then go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.wait_for(|stop| *stop) => break,
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
    let all = u32::try_from(limits.connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(DRAIN, permits.acquire_many(all)).await;
}
