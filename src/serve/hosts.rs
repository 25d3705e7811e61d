//! Which `Host` headers the preview answers.
//!
//! A web page on any site can point a name it controls at 127.0.0.1 (DNS
//! rebinding) and then read the preview, drafts and status included, as
//! same-origin. Its requests carry its own name in `Host`, so, like Vite
//! and webpack-dev-server, the preview answers only names that mean this
//! machine: `localhost`, `*.localhost`, IP addresses (a page cannot be
//! served from someone else's address), and names given with
//! `--allow-host`.

/// The hosts a preview answers besides the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    /// Names from `--allow-host`, lowercase; a leading `.` allows the
    /// name and every name under it.
    extra: Vec<String>,
}

impl AllowedHosts {
    /// The built-in hosts plus `extra` (from `--allow-host`).
    pub fn new(extra: &[String]) -> AllowedHosts {
        AllowedHosts {
            extra: extra
                .iter()
                .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }

    /// True when a request with `Host: host` (port included or not) may
    /// be answered.
    pub fn allows(&self, host: &str) -> bool {
        let name = strip_port(host.trim())
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if name.parse::<std::net::IpAddr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
        {
            return true;
        }
        self.extra
            .iter()
            .any(|allowed| match allowed.strip_prefix('.') {
                Some(domain) => name == domain || name.ends_with(allowed.as_str()),
                None => name == *allowed,
            })
    }
}

/// `name` of `name:port`, or the address of `[v6]:port`.
fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_this_machine() {
        let hosts = AllowedHosts::new(&["preview.test".into(), ".dev.example".into()]);
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "app.localhost:8080",
            "127.0.0.1:1111",
            "[::1]:1111",
            "192.168.1.20",
            "preview.test:1111",
            "dev.example",
            "a.dev.example:1",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "preview.test.evil.example",
            "xdev.example",
            "",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }
}
