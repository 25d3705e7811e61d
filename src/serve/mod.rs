//! `hindsight serve`: a local preview that rebuilds on every change.
//!
//! Watching, HTTP and live reload over a [`crate::session::Session`]:
//! [`engine`] keeps the rendered site in memory and asks the session to
//! apply each change; [`watch`] turns file-system events into debounced
//! batches; [`http`] serves the site and the live-reload channel, whose
//! messages carry the findings as serialised
//! [`crate::diagnostic::Diagnostic`]s for the browser overlay.

pub mod engine;
pub mod hosts;
pub mod http;
pub mod listen;
pub mod watch;

pub use engine::{Engine, Outcome, Reload};

/// The tag injected before `</body>` of every page while previewing.
pub const LIVE_RELOAD_TAG: &str = "<script src=\"/__hindsight/live.js\" defer></script>";

use std::io::Write;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::site::SiteOptions;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site and build options (drafts are usually on).
    pub site: SiteOptions,
    /// Address to bind.
    pub bind: String,
    /// First port to try.
    pub port: u16,
    /// Open a browser on the site.
    pub open: bool,
    /// Host names to answer besides localhost and IP addresses.
    pub allow_hosts: Vec<String>,
}

/// Builds the site in memory, serves it and rebuilds on every change,
/// until Ctrl-C.
pub fn run(mut opts: ServeOptions) -> Result<()> {
    opts.site.inject = Some(LIVE_RELOAD_TAG.to_string());
    let engine = Engine::new(opts.site.clone())?;
    report(&engine.problems, None);
    let base_path = engine.config().base_path.clone();
    let state = http::State::new(
        engine.site.clone(),
        engine.problems.clone(),
        &base_path,
        hosts::AllowedHosts::new(&opts.allow_hosts),
    );
    let watcher = watch::Watcher::new(engine.root())?;
    let limits = listen::Limits::for_this_process();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let (listener, addr) = http::bind(&opts.bind, opts.port)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
        let url = format!("http://{addr}{base_path}");
        let _ = writeln!(std::io::stdout(), "Serving {} at {url} (Ctrl-C to stop)", engine.config().title);
        if addr.ip().is_unspecified() || !is_loopback(addr.ip()) {
            let _ = writeln!(std::io::stderr(), "warning: listening on {}, which other machines can reach; use --bind 127.0.0.1 to keep the preview private", addr.ip());
        }
        if opts.open {
            open_browser(&url);
        }
        spawn_rebuilds(engine, watcher, Arc::clone(&state), addr);
        let stopping = state.stopping.clone();
        let stop = stopping.subscribe();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            // Ends the live-reload streams too, which would otherwise
            // keep open tabs connected.
            stopping.send_replace(true);
        });
        listen::serve(listener, http::router(state), limits, stop).await;
        let _ = writeln!(std::io::stdout(), "Stopped.");
        Ok(())
    })
}

/// Rebuilds on every batch of changes, on a thread of its own, and
/// publishes each result to the server.
fn spawn_rebuilds(
    mut engine: Engine,
    mut watcher: watch::Watcher,
    state: Arc<http::State>,
    addr: std::net::SocketAddr,
) {
    std::thread::spawn(move || {
        // A save is a burst of events within a millisecond or two; wait
        // for 5 ms of quiet, or 50 ms at most, then rebuild.
        while let Some(batch) =
            watcher.next_batch(Duration::from_millis(5), Duration::from_millis(50))
        {
            let outcome = engine.apply(&batch);
            if !outcome.inputs_changed || outcome.reload == Reload::None && outcome.ok() {
                continue;
            }
            // A new base_url moves the site, with the published build:
            // its links point under the new path.
            if outcome.ok() && state.move_base(&engine.config().base_path) {
                let _ = writeln!(
                    std::io::stdout(),
                    "base_url changed: now serving at http://{addr}{}",
                    engine.config().base_path
                );
            }
            state.publish(&outcome, outcome.ok().then(|| engine.site.clone()));
            report(&outcome.problems, Some(&outcome));
            if let Some(changed) = engine.finish_deferred() {
                state.publish_later(engine.site.clone(), &changed);
            }
        }
    });
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.is_loopback()
}

fn report(problems: &[crate::diagnostic::Diagnostic], outcome: Option<&Outcome>) {
    let mut err = std::io::stderr();
    for p in problems {
        let _ = writeln!(
            err,
            "{}[{}]: {}\n --> {}:{}:{}",
            p.level, p.rule, p.message, p.file, p.line, p.column
        );
    }
    if let Some(o) = outcome {
        let status = if o.ok() {
            "Rebuilt"
        } else {
            "Kept the last good site; fix the errors above"
        };
        let _ = writeln!(
            std::io::stdout(),
            "{status} ({} pages in {} ms)",
            o.rendered,
            o.elapsed.as_millis()
        );
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        let _ = writeln!(
            std::io::stderr(),
            "warning: could not open a browser; visit {url}"
        );
    }
}
