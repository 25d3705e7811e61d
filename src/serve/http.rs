//! The preview's HTTP server (axum on tokio): the in-memory site under the
//! site's base path, its 404 page, and the live-reload channel
//! (Server-Sent Events) with the script that listens to it.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::{BroadcastStream, WatchStream};

use super::engine::{Outcome, Reload};
use super::hosts::AllowedHosts;
use crate::diagnostic::Diagnostic;

/// What the server shares with the rebuild loop.
pub struct State {
    /// The current site: output path → bytes.
    pub site: RwLock<Arc<BTreeMap<String, Arc<Vec<u8>>>>>,
    /// Problems of the last rebuild.
    pub problems: RwLock<Vec<Diagnostic>>,
    /// Bumped on every rebuild.
    pub version: AtomicU64,
    /// Live-reload messages (JSON).
    pub events: broadcast::Sender<String>,
    /// The site's base path (`/` or `/incidents/`); it moves when
    /// `base_url` changes in `site.toml`.
    base_path: RwLock<String>,
    /// Set when the server stops: ends the live-reload streams, which
    /// would otherwise keep open tabs connected forever.
    pub stopping: tokio::sync::watch::Sender<bool>,
    /// The `Host` names answered (DNS rebinding protection).
    pub hosts: AllowedHosts,
}

#[derive(serde::Serialize)]
struct Message<'a> {
    version: u64,
    reload: &'static str,
    ok: bool,
    problems: &'a [Diagnostic],
    /// Output paths that changed; absent: every page.
    #[serde(skip_serializing_if = "Option::is_none")]
    paths: Option<&'a [String]>,
    /// The site's base path, to map a page's URL to its output path.
    base: &'a str,
}

impl State {
    /// Server state for a site, with its first problems.
    pub fn new(
        site: BTreeMap<String, Arc<Vec<u8>>>,
        problems: Vec<Diagnostic>,
        base_path: &str,
        hosts: AllowedHosts,
    ) -> Arc<State> {
        let (events, _) = broadcast::channel(64);
        Arc::new(State {
            site: RwLock::new(Arc::new(site)),
            problems: RwLock::new(problems),
            version: AtomicU64::new(1),
            events,
            base_path: RwLock::new(base_path.to_string()),
            stopping: tokio::sync::watch::Sender::new(false),
            hosts,
        })
    }

    /// The base path the site is served under.
    pub fn base(&self) -> String {
        self.base_path
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Serves the site under `base` from now on; true when it moved.
    pub fn move_base(&self, base: &str) -> bool {
        let mut current = self.base_path.write().unwrap_or_else(|e| e.into_inner());
        let moved = *current != base;
        *current = base.to_string();
        moved
    }

    /// Publishes a rebuild: swaps the site (when it succeeded) and tells
    /// browsers. Returns the message sent.
    pub fn publish(
        &self,
        outcome: &Outcome,
        site: Option<BTreeMap<String, Arc<Vec<u8>>>>,
    ) -> String {
        if let Some(site) = site {
            *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
        }
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = outcome.problems.clone();
        let version = self.version.fetch_add(1, Ordering::SeqCst) + 1;
        let reload = match outcome.reload {
            Reload::None => "none",
            Reload::Css => "css",
            Reload::Full => "full",
        };
        let message = serde_json::to_string(&Message {
            version,
            reload,
            ok: outcome.ok(),
            problems: &outcome.problems,
            paths: outcome.changed.as_deref(),
            base: &self.base(),
        })
        .unwrap_or_else(|_| "{}".into());
        let _ = self.events.send(message.clone());
        message
    }

    /// Swaps in the rest of a rebuild (lists, stats, feeds, search) and
    /// tells browsers showing one of the `changed` pages to reload.
    pub fn publish_later(&self, site: BTreeMap<String, Arc<Vec<u8>>>, changed: &[String]) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
        if changed.is_empty() {
            return;
        }
        let problems = self
            .problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let version = self.version.fetch_add(1, Ordering::SeqCst) + 1;
        let message = Message {
            version,
            reload: "full",
            ok: true,
            problems: &problems,
            paths: Some(changed),
            base: &self.base(),
        };
        let _ = self
            .events
            .send(serde_json::to_string(&message).unwrap_or_else(|_| "{}".into()));
    }

    fn status(&self) -> String {
        let problems = self.problems.read().unwrap_or_else(|e| e.into_inner());
        let ok = !problems
            .iter()
            .any(|p| p.level == crate::diagnostic::Level::Error);
        let version = self.version.load(Ordering::SeqCst);
        serde_json::to_string(&Message {
            version,
            reload: "none",
            ok,
            problems: &problems,
            paths: None,
            base: &self.base(),
        })
        .unwrap_or_else(|_| "{}".into())
    }
}

/// The router: live-reload endpoints, then the site.
pub fn router(state: Arc<State>) -> Router {
    Router::new().fallback(move |req: Request<Body>| {
        let state = Arc::clone(&state);
        async move { handle(&state, req) }
    })
}

/// Binds `bind:port`, or the next free port among the ten after it.
pub async fn bind(bind: &str, port: u16) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let mut last = None;
    for p in port..=port.saturating_add(10) {
        match tokio::net::TcpListener::bind((bind, p)).await {
            Ok(listener) => {
                let addr = listener.local_addr()?;
                return Ok((listener, addr));
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no port to try")))
}

const LIVE_JS: &str = include_str!("live.js");

fn handle(state: &State, req: Request<Body>) -> Response<Body> {
    if let Some(refused) = foreign_host(state, &req) {
        return refused;
    }
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are supported",
        );
    }
    let path = req.uri().path().to_string();
    let response = match path.as_str() {
        "/__hindsight/live.js" => bytes(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        ),
        "/__hindsight/status" => bytes(
            StatusCode::OK,
            "application/json",
            state.status().into_bytes(),
        ),
        "/__hindsight/events" => return events(state),
        _ => page(state, &path),
    };
    if head {
        let (parts, _) = response.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    response
}

/// A 403 for a request whose `Host` is not a name of this machine (see
/// [`super::hosts`]); `None` when it may be answered. A request without a
/// `Host` (HTTP/1.0 tools) comes from no web page and is answered.
fn foreign_host(state: &State, req: &Request<Body>) -> Option<Response<Body>> {
    let host = match req.uri().authority() {
        Some(authority) => authority.as_str().to_string(),
        None => req
            .headers()
            .get(header::HOST)?
            .to_str()
            .unwrap_or("(not text)")
            .to_string(),
    };
    let host = host.rsplit('@').next().unwrap_or_default();
    if state.hosts.allows(host) {
        return None;
    }
    let name = host
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect::<String>();
    let message = format!(
        "hindsight serve answers only localhost, loopback and this machine's addresses, not `{name}`: a page on another site could otherwise read the preview through DNS rebinding. To preview under this name, restart with --allow-host {}\n",
        name.split(':').next().unwrap_or_default()
    );
    Some(bytes(
        StatusCode::FORBIDDEN,
        "text/plain; charset=utf-8",
        message.into_bytes(),
    ))
}

fn events(state: &State) -> Response<Body> {
    // Messages until the server stops (`None` ends the stream).
    let messages = BroadcastStream::new(state.events.subscribe())
        .filter_map(|m| m.ok())
        .map(Some);
    let stop = WatchStream::new(state.stopping.subscribe())
        .filter(|stop| *stop)
        .map(|_| None);
    let stream = messages.merge(stop).map_while(|m: Option<String>| {
        m.map(|m| Ok::<Event, std::convert::Infallible>(Event::default().data(m)))
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn page(state: &State, raw_path: &str) -> Response<Body> {
    let site = Arc::clone(&state.site.read().unwrap_or_else(|e| e.into_inner()));
    let not_found = || {
        let body = site
            .get("404.html")
            .map_or_else(|| b"404 Not Found".to_vec(), |b| b.to_vec());
        bytes(StatusCode::NOT_FOUND, "text/html; charset=utf-8", body)
    };
    if site.is_empty() {
        // No successful build yet: a page that only shows the overlay.
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>No build yet</title></head><body><h1>hindsight has no successful build of this site yet</h1><p>Fix the errors shown here or in the terminal; the page reloads when the build succeeds.</p>{}</body></html>",
            super::LIVE_RELOAD_TAG
        );
        return bytes(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            body.into_bytes(),
        );
    }
    let base_path = state.base();
    if raw_path == "/" && base_path != "/" {
        return redirect(&base_path);
    }
    let Some(path) = decode(raw_path) else {
        return not_found();
    };
    if format!("{path}/") == base_path {
        return redirect(&base_path);
    }
    let Some(rel) = path.strip_prefix(&base_path) else {
        return not_found();
    };
    if !is_safe(rel) {
        return not_found();
    }
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(body) = site.get(&file) {
        return bytes(StatusCode::OK, mime(&file), body.to_vec());
    }
    if site.contains_key(&format!("{rel}/index.html")) {
        return redirect(&format!("{raw_path}/"));
    }
    not_found()
}

/// Percent-decodes a URL path; `None` if it is not UTF-8.
fn decode(path: &str) -> Option<String> {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// Refuses `..`, `.`, backslashes and NUL: nothing outside the site.
fn is_safe(rel: &str) -> bool {
    !rel.starts_with('/')
        && !rel.contains(['\\', '\0'])
        && rel.split('/').all(|seg| seg != ".." && seg != ".")
}

/// The MIME type of a file, by extension.
pub fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn bytes(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    bytes(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

fn redirect(to: &str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::MOVED_PERMANENTLY)
        .header(header::LOCATION, to)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "../etc/passwd",
            "a/../../b",
            "./x",
            "a\\..\\b",
            "/etc/passwd",
        ] {
            assert!(!is_safe(bad), "{bad}");
        }
        assert!(is_safe("incidents/x/index.html"));
        assert_eq!(decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(decode("/%ff"), None);
    }

    #[test]
    fn mime_types() {
        assert_eq!(mime("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(mime("chart.svg"), "image/svg+xml");
        assert_eq!(mime("atom.xml"), "application/xml");
        assert_eq!(mime("noext"), "application/octet-stream");
    }
}
