//! Benchmark corpus generator: writes a complete hindsight site with N
//! synthetic but valid postmortems.
//!
//! ```text
//! cargo run --release --example gen_corpus -- DIR N [--seed S]
//! ```
//!
//! Writes `DIR/site.toml` and `DIR/content/<year>/<YYYY-MM-DD>-<slug>.md`.
//! The output depends only on N and the seed (default 1): the PRNG is a
//! self-contained splitmix64, and every incident draws from its own stream
//! derived from (seed, index). Every file follows `shared/DOMAIN.md`, so
//! `hindsight check --root DIR` should report nothing:
//!
//! - start/end/detected/mitigated are RFC 3339 with the offset the IANA
//!   zone has at that instant (computed with jiff, DST included);
//! - the timeline has 6–12 events in the incident's local time, in order,
//!   within start..end; an event on a new local date carries the full date;
//!   local times that are ambiguous (repeated fall-back hour) are avoided;
//! - the body has the four required sections and 400–600 words of prose
//!   (counted like hindsight does: outside fenced code, tokens containing a
//!   letter or digit); sentences are added from pools until a per-file
//!   target between 460 and 540 is reached;
//! - open/in-progress action items are due in 2029, so never overdue.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

// ---------------------------------------------------------------- PRNG

/// splitmix64: tiny, fast, good enough for test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream for item `i` of a run with `seed`.
    fn stream(seed: u64, i: u64) -> Self {
        let mut r = Rng(seed
            ^ i.wrapping_mul(0xA076_1D64_78BD_642F)
                .wrapping_add(0x1234_5678));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        let span = (hi - lo) as u64 + 1;
        lo + (self.next() % span) as i64
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.range(0, xs.len() as i64 - 1) as usize]
    }

    /// `k` distinct indices of `0..n`, in random order.
    fn sample_idx(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = self.range(i as i64, n as i64 - 1) as usize;
            idx.swap(i, j);
        }
        idx.truncate(k);
        idx
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.range(0, i as i64) as usize;
            xs.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------- vocabulary

struct Service {
    id: &'static str,
    title: &'static str,
    desc: &'static str,
    symptom: &'static str,
    owner: &'static str,
    alert: &'static str,
}

const SERVICES: &[Service] = &[
    Service {
        id: "api-gateway",
        title: "API gateway",
        desc: "the public API gateway",
        symptom: "API clients received HTTP 502 responses",
        owner: "platform-team",
        alert: "GatewayUpstream5xxHigh",
    },
    Service {
        id: "checkout",
        title: "Checkout",
        desc: "the checkout service",
        symptom: "customers could not place orders",
        owner: "checkout-team",
        alert: "CheckoutErrorRateHigh",
    },
    Service {
        id: "payments",
        title: "Payments",
        desc: "the payments service",
        symptom: "card payments were declined or timed out",
        owner: "payments-team",
        alert: "PaymentAuthFailures",
    },
    Service {
        id: "search",
        title: "Search",
        desc: "product search",
        symptom: "search returned empty or stale results",
        owner: "search-team",
        alert: "SearchLatencyP99High",
    },
    Service {
        id: "auth",
        title: "Login",
        desc: "the login service",
        symptom: "users could not log in or were logged out",
        owner: "identity-team",
        alert: "AuthLoginSuccessRateLow",
    },
    Service {
        id: "postgres",
        title: "Orders database",
        desc: "the orders Postgres cluster",
        symptom: "orders could not be saved",
        owner: "database-team",
        alert: "PostgresWriteLatencyHigh",
    },
    Service {
        id: "redis",
        title: "Session cache",
        desc: "the shared Redis cache",
        symptom: "pages loaded slowly and sessions were lost",
        owner: "platform-team",
        alert: "RedisEvictionsHigh",
    },
    Service {
        id: "kafka",
        title: "Event bus",
        desc: "the Kafka event bus",
        symptom: "order confirmations and stock updates were delayed",
        owner: "data-team",
        alert: "KafkaConsumerLagHigh",
    },
    Service {
        id: "web",
        title: "Storefront",
        desc: "the storefront web frontend",
        symptom: "the storefront showed an error page",
        owner: "web-team",
        alert: "StorefrontAvailabilityLow",
    },
    Service {
        id: "email",
        title: "Email",
        desc: "transactional email",
        symptom: "receipts and password reset emails were delayed",
        owner: "messaging-team",
        alert: "MailQueueDepthHigh",
    },
    Service {
        id: "notifications",
        title: "Push notifications",
        desc: "the push notification sender",
        symptom: "mobile push notifications did not arrive",
        owner: "messaging-team",
        alert: "PushDeliveryRateLow",
    },
    Service {
        id: "cdn",
        title: "CDN",
        desc: "the CDN edge",
        symptom: "images and scripts failed to load",
        owner: "network-team",
        alert: "EdgeOriginErrors",
    },
];

const TAGS: &[&str] = &[
    "deploy",
    "rollback",
    "config",
    "feature-flag",
    "tls",
    "certificate",
    "cron",
    "disk-full",
    "capacity",
    "monitoring",
    "alerting",
    "memory-leak",
    "kubernetes",
    "database",
    "replication",
    "failover",
    "dns",
    "network",
    "third-party",
    "retry-storm",
    "timeout",
    "dependency",
    "rate-limit",
    "cache",
    "queue",
    "migration",
    "load-balancer",
    "health-check",
    "backup",
    "dst",
];

const EXTRA_TEAMS: &[&str] = &[
    "sre-team",
    "observability-team",
    "security-team",
    "release-team",
];

const ZONES: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("America/New_York", "New York time"),
    ("Europe/Berlin", "Berlin time"),
    ("Asia/Tokyo", "Tokyo time"),
    ("Australia/Sydney", "Sydney time"),
];

const SEVERITIES: &[(&str, f64)] = &[
    ("SEV1", 0.07),
    ("SEV2", 0.2),
    ("SEV3", 0.48),
    ("SEV4", 0.25),
];

const DETECTIONS: &[(&str, f64)] = &[
    ("monitoring", 0.55),
    ("customer", 0.18),
    ("engineer", 0.12),
    ("automated-test", 0.1),
    ("other", 0.05),
];

/// One kind of incident. Placeholders: {svc} {svc_desc} {Svc} {dep}
/// {dep_desc} {ver} {old_ver} {host} {n} {m} {pct} {team} {dep_team}.
struct Scenario {
    key: &'static str,
    tags: &'static [&'static str],
    titles: &'static [&'static str],
    cause: &'static str,
    trigger: &'static str,
    misleading: &'static str,
    found: &'static str,
    fix: &'static str,
    detail: &'static [&'static str],
    resolution: &'static str,
    langs: &'static [&'static str],
    actions: &'static [(&'static str, &'static str)],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        key: "config-typo",
        tags: &["config", "deploy", "rollback"],
        titles: &[
            "{Svc} errors after a configuration typo",
            "{Svc} returned HTTP 500 after a config push",
            "A malformed setting took down {svc_desc}",
        ],
        cause: "a configuration change for `{svc}` that set a connection limit to {n} instead of {m}",
        trigger: "A configuration change for `{svc}` is applied to production by the config pipeline.",
        misleading: "a network problem between `{svc}` and `{dep}` is suspected and the links are checked; they are healthy.",
        found: "The config diff of the last push shows the pool limit changed from {m} to {n}.",
        fix: "The previous configuration revision is restored and `{svc}` is restarted in batches.",
        detail: &[
            "The change was meant to raise the connection limit of `{svc}` ahead of a traffic peak. A missing digit turned {m} into {n}, and the schema check in the pipeline only verifies that the value is a positive integer. With so few connections, requests queued inside `{svc}` until they hit their timeout.",
            "Because the value was valid, the pipeline reported success and the canary stage saw too little traffic to notice. Only the full production load exposed the limit.",
        ],
        resolution: "Reverting the configuration restored the old limit within minutes; the pipeline now compares numeric settings against their previous value and asks for a second review when a value changes by more than a factor of two.",
        langs: &["yaml", "toml", "json"],
        actions: &[
            (
                "Flag numeric config changes larger than 2x for a second review",
                "prevent",
            ),
            (
                "Send canary traffic that matches the production mix",
                "detect",
            ),
            (
                "Document the config rollback in the {svc} runbook",
                "process",
            ),
        ],
    },
    Scenario {
        key: "bad-release",
        tags: &["deploy", "rollback", "feature-flag"],
        titles: &[
            "{Svc} regression after release {ver}",
            "Release {ver} of {svc} broke requests to {dep}",
            "{Svc} failures after a routine release",
        ],
        cause: "release {ver} of `{svc}`, which changed how requests to `{dep}` are serialised",
        trigger: "Release {ver} of `{svc}` finishes rolling out to all regions.",
        misleading: "`{dep}` is suspected because its error log is noisy; the messages turn out to be routine warnings.",
        found: "Request traces show `{dep}` rejecting a new field that release {ver} started to send.",
        fix: "`{svc}` is rolled back to {old_ver}.",
        detail: &[
            "Release {ver} of `{svc}` added an optional field to every request sent to `{dep}`. The contract tests ran against a mock of `{dep}` that ignores unknown fields, while the real service rejects them with HTTP 400. Roughly {pct}% of calls carried the new field.",
            "The release went out during a quiet period, so the error budget alert needed several minutes of traffic before it fired.",
        ],
        resolution: "Rolling back to {old_ver} removed the field. The fixed release puts the field behind a feature flag that is enabled only after `{dep}` accepts it.",
        langs: &["go", "python", "bash"],
        actions: &[
            (
                "Run contract tests against a real {dep} instance in staging",
                "prevent",
            ),
            ("Put new request fields behind feature flags", "prevent"),
            ("Alert on HTTP 400 responses from {dep}", "detect"),
        ],
    },
    Scenario {
        key: "cert-expiry",
        tags: &["tls", "certificate", "cron"],
        titles: &[
            "{Svc} unreachable after a TLS certificate expired",
            "Expired certificate on {svc_desc}",
            "{Svc} TLS handshakes failed for {dep} clients",
        ],
        cause: "an expired TLS certificate on `{svc}`: the renewal job had been failing silently for three weeks",
        trigger: "The TLS certificate of `{svc}` expires; new handshakes fail.",
        misleading: "a recent load balancer change is suspected and compared with the previous version; it is unrelated.",
        found: "`openssl s_client` shows the certificate expired at the start of the incident.",
        fix: "A new certificate is issued by hand and loaded on all `{svc}` hosts.",
        detail: &[
            "Certificates for `{svc}` are renewed by a nightly job. After a permissions change the job could no longer write the new certificate, logged an error and exited with status zero, so the scheduler recorded it as successful. The old certificate expired about three weeks after the first failed run.",
            "Clients that reuse connections kept working for a while, which made the impact grow slowly and looked like a capacity problem at first.",
        ],
        resolution: "Issuing the certificate by hand restored service. The renewal job now exits with an error when it cannot write, and an alert fires when any certificate has less than 14 days left.",
        langs: &["bash", "yaml"],
        actions: &[
            (
                "Alert when a certificate has less than 14 days left",
                "detect",
            ),
            (
                "Make the renewal job exit non-zero on write errors",
                "prevent",
            ),
            ("Move {svc} to the managed certificate service", "prevent"),
        ],
    },
    Scenario {
        key: "disk-full",
        tags: &["disk-full", "capacity", "monitoring"],
        titles: &[
            "{Svc} stopped writing after a disk filled up",
            "Full disk on {host} stalled {svc}",
            "{Svc} outage caused by log growth on {host}",
        ],
        cause: "a full data disk on `{host}`: debug logging left on after an investigation wrote {n} GB in two days",
        trigger: "The data disk on `{host}` reaches 100%; writes from `{svc}` start failing.",
        misleading: "a slow query is suspected because latency rose first; the query plans are unchanged.",
        found: "`df -h` on `{host}` shows the data volume at 100%, almost all of it debug logs.",
        fix: "Debug logs are compressed and moved off `{host}`; log level set back to info.",
        detail: &[
            "Debug logging was switched on for `{svc}` during an investigation earlier in the week and never switched off. At debug level `{svc}` writes about {m} MB per minute, and log rotation only runs at midnight. The disk alert existed but was routed to a mailing list that nobody reads at night.",
            "Once the disk was full, `{svc}` could not write its own state and began returning errors to `{dep}`, which then retried and added load.",
        ],
        resolution: "Freeing space restored writes immediately. Log level changes now expire automatically after 24 hours, and disk alerts page the owning team.",
        langs: &["bash", "yaml", "toml"],
        actions: &[
            (
                "Expire debug log levels automatically after 24 hours",
                "prevent",
            ),
            (
                "Route disk usage alerts to the owning team's pager",
                "detect",
            ),
            ("Rotate logs by size as well as by time", "mitigate"),
        ],
    },
    Scenario {
        key: "memory-leak",
        tags: &["memory-leak", "kubernetes", "capacity"],
        titles: &[
            "{Svc} pods restarting from a memory leak",
            "Out-of-memory restarts on {svc}",
            "{Svc} degraded as pods ran out of memory",
        ],
        cause: "a memory leak in `{svc}` release {ver}: a per-request cache was never evicted",
        trigger: "`{svc}` pods start hitting their memory limit and are killed by Kubernetes.",
        misleading: "a traffic spike is suspected and `{svc}` is scaled out, which only delays the next restarts.",
        found: "A heap profile shows a map of request contexts growing without bound.",
        fix: "`{svc}` is rolled back to {old_ver}; restarts stop.",
        detail: &[
            "Release {ver} added a cache keyed by request id to avoid repeated lookups against `{dep}`. Entries were added on every request and never removed. Each pod grew by about {m} MB per hour until it reached its limit and was killed, and because all pods had started at the same time they failed together.",
            "While pods restarted, the remaining ones took their traffic, ran hotter and reached the limit faster, so the restarts came in waves.",
        ],
        resolution: "Rolling back stopped the growth. The fixed release uses a bounded LRU cache, and load tests now run long enough to show steady memory growth.",
        langs: &["go", "python", "yaml"],
        actions: &[
            (
                "Alert on steady memory growth per pod, not only on OOM kills",
                "detect",
            ),
            (
                "Run soak tests of at least four hours before release",
                "prevent",
            ),
            ("Stagger pod restarts after deploys", "mitigate"),
        ],
    },
    Scenario {
        key: "db-failover",
        tags: &["database", "replication", "failover"],
        titles: &[
            "{Svc} writes failed during a database failover",
            "Slow failover of {dep_desc} broke {svc}",
            "{Svc} errors while the database primary was degraded",
        ],
        cause: "a degraded storage volume under the primary database used by `{svc}`, with a replica too far behind for a quick failover",
        trigger: "Write latency on the primary database used by `{svc}` rises from 4 ms to over a second.",
        misleading: "the nightly maintenance job is suspected, but it is not running.",
        found: "`iostat` shows very high await on the primary's data volume.",
        fix: "After the replica catches up, a switchover to the replica is started.",
        detail: &[
            "The primary kept answering health checks, so the failover manager saw a healthy leader while every commit waited on a slow volume. `{svc}` has a three second database timeout, and most writes crossed it.",
            "The replica was {n} minutes behind because a long analytics query held back replay. Promoting it at once meant losing recent writes, so the team waited for it to catch up.",
        ],
        resolution: "The switchover restored normal latency. Replay on the failover replica can no longer be paused by queries for more than 30 seconds, and analytics moved to a separate replica.",
        langs: &["sql", "bash", "yaml"],
        actions: &[
            (
                "Fail over automatically on sustained write latency",
                "mitigate",
            ),
            ("Move analytics queries to a dedicated replica", "prevent"),
            ("Alert when replica lag exceeds 60 seconds", "detect"),
        ],
    },
    Scenario {
        key: "dns",
        tags: &["dns", "network", "third-party"],
        titles: &[
            "{Svc} unreachable after a DNS change",
            "DNS records for {svc} pointed at a retired load balancer",
            "{Svc} lookups failed for part of the internet",
        ],
        cause: "a DNS change that pointed `{svc}` at a retired load balancer, cached by resolvers for the record's one hour TTL",
        trigger: "A DNS change for `{svc}` is published.",
        misleading: "the CDN is suspected because errors vary by region; the pattern matches resolver caches instead.",
        found: "`dig` against public resolvers returns the address of a retired load balancer.",
        fix: "The previous DNS record is restored and the TTL lowered to 60 seconds.",
        detail: &[
            "The change was part of a migration to new load balancers. The zone file still listed the old address for `{svc}`, and the review compared only the lines that changed. Resolvers that fetched the record after the change sent clients to a host that no longer accepted connections.",
            "Because the record had a one hour TTL, recovery continued for up to an hour after the fix, and different regions recovered at different times.",
        ],
        resolution: "Restoring the record ended new failures; cached answers expired over the following hour. DNS changes are now checked against the live load balancer inventory before publishing.",
        langs: &["bash", "json", "toml"],
        actions: &[
            (
                "Check DNS targets against the load balancer inventory in CI",
                "prevent",
            ),
            ("Lower TTLs a day before planned DNS migrations", "process"),
            ("Probe {svc} from several public resolvers", "detect"),
        ],
    },
    Scenario {
        key: "retry-storm",
        tags: &["retry-storm", "timeout", "dependency"],
        titles: &[
            "Retry storm from {svc} overloaded {dep}",
            "{Svc} and {dep} down after a retry storm",
            "Aggressive retries in {svc} amplified a slowdown of {dep}",
        ],
        cause: "retries without backoff in `{svc}`: a short slowdown of `{dep}` turned into {n} times the normal request rate",
        trigger: "`{dep}` latency rises briefly during a routine deploy.",
        misleading: "the deploy of `{dep}` is rolled back, but load stays high.",
        found: "Request rates show `{svc}` sending {n} times its normal traffic to `{dep}`, almost all retries.",
        fix: "Retries from `{svc}` are switched off with a runtime flag; `{dep}` recovers.",
        detail: &[
            "`{svc}` retried failed calls to `{dep}` immediately and up to five times, at every layer of its client stack. When `{dep}` slowed down for a few seconds during its deploy, the retries multiplied the load until `{dep}` could no longer recover by itself.",
            "The rate limiter in front of `{dep}` counted requests per client instance, not per service, so it did not shed the extra load.",
        ],
        resolution: "Disabling retries let `{dep}` drain its queues. `{svc}` now uses a single retry layer with exponential backoff, jitter and a retry budget of 10% of requests.",
        langs: &["go", "python", "nginx"],
        actions: &[
            (
                "Use one retry layer with backoff, jitter and a retry budget",
                "prevent",
            ),
            ("Rate-limit {dep} per calling service", "mitigate"),
            (
                "Alert when the retry share of traffic exceeds 10%",
                "detect",
            ),
        ],
    },
    Scenario {
        key: "cache-stampede",
        tags: &["cache", "capacity", "timeout"],
        titles: &[
            "{Svc} slow after a cache flush",
            "Cache stampede on {svc} after a Redis restart",
            "{Svc} timeouts while the cache refilled",
        ],
        cause: "a cache flush that sent every request from `{svc}` to `{dep}` at once",
        trigger: "The cache in front of `{svc}` is flushed during a maintenance task.",
        misleading: "a slow network path to `{dep}` is suspected; packet loss is normal.",
        found: "Cache hit rate is at {pct}% instead of the usual 97%, and `{dep}` is saturated.",
        fix: "Traffic to `{svc}` is rate-limited while the cache warms up.",
        detail: &[
            "A maintenance task flushed the whole cache instead of a single key prefix. Every request then missed the cache and went to `{dep}`, which is sized for about {m} requests per second, not the full traffic of `{svc}`.",
            "Slow responses from `{dep}` meant entries took long to refill, so the cache stayed cold much longer than expected.",
        ],
        resolution: "Rate-limiting let the cache refill. Flushes are now limited to key prefixes, and `{svc}` collapses concurrent misses for the same key into one request.",
        langs: &["python", "go", "bash"],
        actions: &[
            (
                "Collapse concurrent cache misses for the same key",
                "prevent",
            ),
            ("Restrict cache flushes to key prefixes", "prevent"),
            ("Alert on a cache hit rate below 80%", "detect"),
        ],
    },
    Scenario {
        key: "queue-backlog",
        tags: &["queue", "capacity", "alerting"],
        titles: &[
            "{Svc} delayed by a queue backlog",
            "Consumer backlog delayed {svc}",
            "{Svc} events processed hours late",
        ],
        cause: "a consumer of `{svc}` events stuck on a malformed message, so the backlog grew to {n} thousand messages",
        trigger: "A malformed message reaches the `{svc}` event queue; the consumer starts failing on it.",
        misleading: "broker capacity is suspected and a broker node is added; throughput does not change.",
        found: "Consumer logs show the same message offset failing over and over.",
        fix: "The malformed message is moved to a dead-letter queue and the consumer restarted.",
        detail: &[
            "The consumer retried a message it could not parse forever, which blocked its partition. Other partitions kept moving, so the total throughput graph looked only slightly lower while one partition fell hours behind.",
            "The lag alert averaged across partitions and did not fire until the backlog reached {n} thousand messages.",
        ],
        resolution: "Moving the message aside let the consumer catch up within {m} minutes. Messages that fail three times now go to a dead-letter queue automatically, and lag is alerted per partition.",
        langs: &["python", "json", "yaml"],
        actions: &[
            (
                "Send messages that fail three times to a dead-letter queue",
                "prevent",
            ),
            ("Alert on consumer lag per partition", "detect"),
            ("Add a runbook step for skipping poison messages", "process"),
        ],
    },
    Scenario {
        key: "migration-lock",
        tags: &["migration", "database", "deploy"],
        titles: &[
            "{Svc} blocked by a schema migration lock",
            "Schema migration locked a table used by {svc}",
            "{Svc} writes stalled during a database migration",
        ],
        cause: "a schema migration that took an exclusive lock on a large table used by `{svc}`",
        trigger: "A schema migration for `{svc}` starts as part of the release pipeline.",
        misleading: "connection pool exhaustion is suspected and the pool is enlarged, which adds more waiting sessions.",
        found: "`pg_stat_activity` shows every write waiting on the migration's lock.",
        fix: "The migration is cancelled; waiting writes complete.",
        detail: &[
            "The migration added a column with a volatile expression as its value, which rewrites the whole table under an exclusive lock. The table holds about {n} million rows. The migration tool has no lock timeout, so it waited and then held the lock while every write from `{svc}` queued behind it.",
            "The migration ran fine in staging, where the same table has only a few thousand rows.",
        ],
        resolution: "Cancelling the migration released the lock. The column is now added in three steps without a table rewrite, and migrations run with a five second lock timeout.",
        langs: &["sql", "bash", "python"],
        actions: &[
            (
                "Run migrations with a lock timeout of five seconds",
                "prevent",
            ),
            ("Check migrations for table rewrites in CI", "prevent"),
            ("Load staging with production-sized tables", "process"),
        ],
    },
    Scenario {
        key: "provider-outage",
        tags: &["third-party", "dependency", "timeout"],
        titles: &[
            "{Svc} degraded during an upstream provider outage",
            "Provider outage slowed {svc}",
            "{Svc} timeouts while an external provider was down",
        ],
        cause: "an outage at an external provider used by `{svc}`, made worse by a 30 second client timeout",
        trigger: "Calls from `{svc}` to an external provider start timing out.",
        misleading: "our own egress proxy is suspected and restarted; it is healthy.",
        found: "The provider's status page confirms a regional outage.",
        fix: "`{svc}` is switched to the secondary provider with a runtime flag.",
        detail: &[
            "`{svc}` waited up to 30 seconds for each call to the provider. With the provider down, worker threads filled up with waiting calls and `{svc}` stopped answering requests that did not need the provider at all.",
            "The switch to the secondary provider was documented, but the runbook entry still named a flag that had been renamed.",
        ],
        resolution: "Switching providers restored service. The client timeout is now two seconds, calls to the provider run in a separate worker pool, and the runbook is checked in a quarterly drill.",
        langs: &["go", "nginx", "toml"],
        actions: &[
            (
                "Lower the provider client timeout to two seconds",
                "mitigate",
            ),
            ("Isolate provider calls in their own worker pool", "prevent"),
            ("Drill the provider failover every quarter", "process"),
        ],
    },
];

// Generic sentences; placeholders as in `Scenario`.
const SUMMARY_EXTRA: &[&str] = &[
    "Support received about {n} tickets during the incident and answered them with a status page link.",
    "The status page was updated within minutes of the first alert.",
    "Other services kept working, although some pages that depend on `{svc}` showed partial content.",
    "No data was lost; delayed work was processed after recovery.",
    "The incident fell in a period of normal traffic, so the impact reflects an ordinary day.",
    "Internal tools that read from `{svc}` were affected as well, which slowed down the investigation.",
    "Customers who retried after recovery completed their requests normally.",
    "Partners using the public API were informed by email after the incident.",
    "Revenue impact is estimated from the drop in completed requests compared with the same hour a week earlier.",
];

const ROOT_EXTRA: &[&str] = &[
    "The contributing factors were a gap in testing, an alert that fired later than it could, and a runbook that did not cover this case.",
    "`{dep}` depends on `{svc}` for part of its work, which spread the impact beyond the first service.",
    "Several engineers joined the incident channel in the first minutes, which helped split the investigation into parallel paths.",
    "Dashboards for `{svc}` showed the symptoms clearly, but no panel linked them to the change that caused them.",
    "The on-call engineer was new to `{svc}` and relied on the runbook, which made the gaps in it visible.",
    "Graphs from the incident are attached to the internal ticket for later review.",
    "A similar pattern appeared in a smaller incident last year; its follow-up items were not finished at the time.",
    "The change passed review and all automated checks, so the safeguards in the pipeline need to cover this class of problem.",
    "The team confirmed the fix by watching error rates and latency for `{svc}` return to their usual range.",
    "Communication worked well: the incident commander posted updates every fifteen minutes.",
    "Load on `{dep}` stayed within its limits for the whole incident.",
    "Rolling back was possible because the previous version was still cached on every node.",
];

const MEASURES_INTRO: &[&str] = &[
    "The measures below aim to catch this class of problem earlier and to make recovery faster.",
    "We are changing the tooling rather than asking people to be more careful.",
    "Most measures make the safe path the easy one; one improves detection.",
    "The list covers detection, mitigation and prevention for `{svc}` and similar services.",
];

const MEASURES_EXTRA: &[&str] = &[
    "The {team} will review progress on these items in the weekly operations meeting.",
    "The runbook for `{svc}` gets a section on this failure mode, with the commands used during the incident.",
    "We will run a game day to practise the recovery steps with the whole on-call rotation.",
    "Other teams running a similar setup have been sent a summary of this report.",
    "Progress on each item is tracked in the incident ticket until it is closed.",
    "Dashboards for `{svc}` get a panel that shows recent changes next to error rates.",
];

const INVESTIGATE: &[&str] = &[
    "On-call acknowledges the page and opens an incident channel.",
    "An incident commander is assigned and the status page is set to investigating.",
    "Dashboards show the error rate of `{svc}` at {pct}%.",
    "Logs show connection timeouts from `{svc}` to `{dep}`.",
    "The status page is updated with the customer impact.",
    "Customer support is briefed and posts a notice in the help center.",
    "Latency of `{dep}` is checked and found to be within its usual range.",
    "Recent changes to `{svc}` are listed in the incident channel.",
    "Traffic to `{svc}` is compared with the previous week; volume is normal.",
];

const MITIGATED: &[&str] = &[
    "Error rates are back at baseline. Mitigated.",
    "Requests to `{svc}` succeed again; mitigated.",
    "Latency and errors of `{svc}` return to normal. Mitigated.",
];

const CLOSED: &[&str] = &[
    "Metrics stable for {n} minutes; incident closed.",
    "Backlog processed and monitoring quiet; incident closed.",
    "Status page set to resolved; incident closed.",
];

// Code snippets, by language.
const SNIPPETS: &[(&str, &str, &str)] = &[
    (
        "bash",
        "The state was checked with:",
        "kubectl -n {svc} get pods -o wide\nkubectl -n {svc} logs deploy/{svc} --since=30m | grep -c ERROR\ncurl -s -o /dev/null -w '%{http_code}\\n' https://{svc}.internal/healthz",
    ),
    (
        "bash",
        "The recovery commands were:",
        "kubectl -n {svc} rollout undo deployment/{svc}\nkubectl -n {svc} rollout status deployment/{svc} --timeout=10m\ndf -h /var/lib/{svc}",
    ),
    (
        "yaml",
        "The relevant part of the configuration:",
        "{svc}:\n  upstream: {dep}.internal:8443\n  pool:\n    max_connections: {n}\n    idle_timeout: 30s\n  retries:\n    attempts: 1\n    backoff: exponential",
    ),
    (
        "yaml",
        "The alert that now covers this case:",
        "- alert: {svc}ErrorBudgetBurn\n  expr: |\n    sum(rate(http_requests_total{service=\"{svc}\",code=~\"5..\"}[5m]))\n      / sum(rate(http_requests_total{service=\"{svc}\"}[5m])) > 0.02\n  for: 5m\n  labels:\n    severity: page",
    ),
    (
        "python",
        "The fix in the client code:",
        "def call_{svc_us}(client, request, budget):\n    for attempt in range(3):\n        try:\n            return client.send(request, timeout=2.0)\n        except TimeoutError:\n            if not budget.allow_retry():\n                raise\n            time.sleep(min(0.1 * 2 ** attempt, 1.0) * random.random())\n    raise RuntimeError(\"{dep} unavailable\")",
    ),
    (
        "python",
        "A script to measure the backlog:",
        "import json, sys\n\nlag = json.load(sys.stdin)\nworst = max(lag[\"partitions\"], key=lambda p: p[\"lag\"])\nprint(f\"partition {worst['id']} is {worst['lag']} messages behind\")",
    ),
    (
        "go",
        "The bounded version of the code:",
        "func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {\n\tctx, cancel := context.WithTimeout(ctx, 2*time.Second)\n\tdefer cancel()\n\tif !c.budget.Allow() {\n\t\treturn nil, ErrRetryBudget\n\t}\n\treturn c.inner.Do(ctx, req)\n}",
    ),
    (
        "go",
        "The cache now evicts entries:",
        "cache, err := lru.New[string, *Entry]({n})\nif err != nil {\n\treturn fmt.Errorf(\"{svc} cache: %w\", err)\n}",
    ),
    (
        "nginx",
        "The proxy settings in front of the service:",
        "upstream {svc_us} {\n    server {dep}.internal:8443 max_fails=3 fail_timeout=10s;\n    keepalive 64;\n}\n\nlocation /api/ {\n    proxy_read_timeout 2s;\n    proxy_next_upstream off;\n    proxy_pass https://{svc_us};\n}",
    ),
    (
        "sql",
        "The query used to find the blocking session:",
        "SELECT pid, state, wait_event_type, now() - query_start AS waiting\nFROM pg_stat_activity\nWHERE datname = '{svc_us}'\nORDER BY waiting DESC\nLIMIT 10;",
    ),
    (
        "sql",
        "Replica lag was read with:",
        "SELECT application_name, state, replay_lag\nFROM pg_stat_replication\nORDER BY replay_lag DESC NULLS LAST;",
    ),
    (
        "json",
        "An example of the rejected payload:",
        "{\n  \"service\": \"{svc}\",\n  \"request_id\": \"7f3a9c1e\",\n  \"items\": [{\"sku\": \"A-1042\", \"qty\": 2}],\n  \"priority\": null\n}",
    ),
    (
        "json",
        "The runtime flag that was changed:",
        "{\n  \"flag\": \"{svc}.use_secondary\",\n  \"enabled\": true,\n  \"rollout\": 100\n}",
    ),
    (
        "toml",
        "The corrected settings:",
        "[{svc_us}]\nupstream = \"{dep}.internal:8443\"\ntimeout = \"2s\"\nmax_connections = {m}\n\n[{svc_us}.retry]\nattempts = 2\nbudget = 0.1",
    ),
];

// ---------------------------------------------------------------- helpers

fn pick_weighted<'a>(rng: &mut Rng, xs: &'a [(&'a str, f64)]) -> &'a str {
    let mut u = rng.unit();
    for (x, w) in xs {
        if u < *w {
            return x;
        }
        u -= w;
    }
    xs[xs.len() - 1].0
}

/// Words of prose as hindsight counts them: outside fenced code blocks,
/// whitespace-separated tokens with a letter or digit (task-list markers
/// `[x]` are syntax, not text).
fn count_words(md: &str) -> usize {
    let mut in_fence = false;
    let mut n = 0;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        n += line
            .split_whitespace()
            .filter(|w| *w != "[x]" && w.chars().any(char::is_alphanumeric))
            .count();
    }
    n
}

fn human_minutes(mins: i64) -> String {
    let (d, h, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    let mut parts = Vec::new();
    let unit = |n: i64, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
    if d > 0 {
        parts.push(unit(d, "day"));
    }
    if h > 0 {
        parts.push(unit(h, "hour"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(unit(m, "minute"));
    }
    parts.join(" ")
}

fn rfc3339(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn offset_label(z: &Zoned) -> String {
    let s = z.strftime("%:z").to_string();
    format!("UTC{s}")
}

/// Duration of an incident in minutes: 5 min .. 3 days, mostly 20 min .. 4 h.
fn duration_minutes(rng: &mut Rng) -> i64 {
    let log_uniform = |rng: &mut Rng, lo: f64, hi: f64| {
        (lo.ln() + rng.unit() * (hi.ln() - lo.ln())).exp().round() as i64
    };
    let u = rng.unit();
    if u < 0.75 {
        log_uniform(rng, 20.0, 240.0)
    } else if u < 0.85 {
        log_uniform(rng, 5.0, 20.0)
    } else if u < 0.97 {
        log_uniform(rng, 240.0, 1440.0)
    } else {
        log_uniform(rng, 1440.0, 4320.0)
    }
}

struct Vars(Vec<(&'static str, String)>);

impl Vars {
    fn fill(&self, template: &str) -> String {
        let mut s = template.to_string();
        for (k, v) in &self.0 {
            if s.contains(k) {
                s = s.replace(k, v);
            }
        }
        s
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------- one incident

struct Incident {
    path: PathBuf,
    slug: String,
    text: String,
}

struct Event {
    at: Timestamp,
    text: String,
}

fn incident(seed: u64, index: usize, day: Date, earlier: &[String]) -> Incident {
    let mut rng = Rng::stream(seed, index as u64);
    for _attempt in 0..50 {
        if let Some(inc) = try_incident(&mut rng, index, day, earlier) {
            return inc;
        }
    }
    panic!("could not generate a valid incident #{index} on {day}");
}

fn try_incident(rng: &mut Rng, index: usize, day: Date, earlier: &[String]) -> Option<Incident> {
    let scen = rng.pick(SCENARIOS);
    let (zone_name, zone_label) = *rng.pick(ZONES);
    let tz = TimeZone::get(zone_name).expect("zone in the bundled tzdb");
    let severity = pick_weighted(rng, SEVERITIES);
    let detection = pick_weighted(rng, DETECTIONS);

    // Times: a local civil start, resolved in the zone (DST-aware).
    let hour = if rng.chance(0.7) {
        rng.range(8, 19)
    } else {
        rng.range(0, 23)
    };
    let local_start = DateTime::from_parts(
        day,
        jiff::civil::time(hour as i8, rng.range(0, 59) as i8, 0, 0),
    );
    let start = tz.to_ambiguous_zoned(local_start).compatible().ok()?;
    let dur = duration_minutes(rng).clamp(5, 4320);
    let end = start
        .timestamp()
        .checked_add(dur.minutes())
        .ok()?
        .to_zoned(tz.clone());

    // Services and tags.
    let n_services = *rng.pick(&[1usize, 1, 2, 2, 2, 3]);
    let svc_idx = rng.sample_idx(SERVICES.len(), n_services.max(2));
    let svc = &SERVICES[svc_idx[0]];
    let dep = &SERVICES[svc_idx[1]];
    let services: Vec<&str> = svc_idx[..n_services]
        .iter()
        .map(|&i| SERVICES[i].id)
        .collect();
    let n_tags = rng.range(1, 4) as usize;
    let mut tags: Vec<&str> = Vec::new();
    for &i in &rng.sample_idx(scen.tags.len(), n_tags.min(scen.tags.len()).clamp(1, 2)) {
        tags.push(scen.tags[i]);
    }
    while tags.len() < n_tags {
        let t = *rng.pick(TAGS);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }

    let major = rng.range(2, 9);
    let minor = rng.range(0, 30);
    let host_n = rng.range(1, 24);
    let n = rng.range(3, 48);
    let m = rng.range(n + 10, 400);
    let pct_users: i64 = match severity {
        "SEV1" => rng.range(40, 100),
        "SEV2" => rng.range(15, 70),
        "SEV3" => rng.range(2, 30),
        _ => rng.range(0, 8),
    };
    let team2 = *rng.pick(EXTRA_TEAMS);
    let vars = Vars(vec![
        ("{svc_desc}", svc.desc.to_string()),
        ("{dep_desc}", dep.desc.to_string()),
        ("{svc_us}", svc.id.replace('-', "_")),
        ("{Svc}", svc.title.to_string()),
        ("{svc}", svc.id.to_string()),
        ("{dep_team}", dep.owner.to_string()),
        ("{dep}", dep.id.to_string()),
        ("{old_ver}", format!("v{major}.{minor}.{}", rng.range(0, 9))),
        ("{ver}", format!("v{major}.{}.0", minor + 1)),
        ("{host}", format!("{}-{host_n:02}", svc.id)),
        ("{pct}", rng.range(5, 95).to_string()),
        ("{team}", svc.owner.to_string()),
        ("{n}", n.to_string()),
        ("{m}", m.to_string()),
    ]);
    let f = |t: &str| vars.fill(t);

    // Timeline: n events at minute offsets 0 = start .. dur = end.
    let n_events = rng.range(6, 12) as usize;
    let mut offs: Vec<i64> = (0..n_events - 2)
        .map(|_| rng.range(1, (dur - 1).max(1)))
        .collect();
    offs.sort_unstable();
    offs.insert(0, 0);
    offs.push(dur);
    let mut texts: Vec<String> = Vec::with_capacity(n_events);
    texts.push(f(scen.trigger));
    texts.push(f(match detection {
        "monitoring" => "`{alert}` pages the {team} on-call.",
        "customer" => "Support reports a spike of customer tickets: {symptom}.",
        "engineer" => "An engineer notices failing requests on the `{svc}` dashboard and opens an incident.",
        "automated-test" => "The synthetic end-to-end test for `{svc}` fails three runs in a row and opens an incident.",
        _ => "A partner reports failing requests to the support desk.",
    })
    .replace("{alert}", svc.alert)
    .replace("{symptom}", svc.symptom));
    // Middle events: investigation first, then the core path (misleading
    // path, escalation, cause found, fix), trimmed from the front when short.
    let n_middle = n_events - 4; // minus trigger, detect, mitigated, closed
    let mut core = vec![
        format!("Misleading path: {}", f(scen.misleading)),
        f(scen.found),
        f(scen.fix),
    ];
    if n_middle >= 4 {
        core.insert(1, format!("Escalated to the {team2}; {severity} declared."));
    }
    while core.len() > n_middle {
        core.remove(0);
    }
    let mut middle: Vec<String> = rng
        .sample_idx(INVESTIGATE.len(), n_middle - core.len())
        .into_iter()
        .map(|i| f(INVESTIGATE[i]))
        .collect();
    middle.extend(core);
    texts.extend(middle);
    texts.push(f(rng.pick::<&str>(MITIGATED)));
    texts.push(f(rng.pick::<&str>(CLOSED)));
    debug_assert_eq!(texts.len(), n_events);

    let events: Vec<Event> = offs
        .iter()
        .zip(texts)
        .map(|(&o, text)| Event {
            at: start.timestamp() + o.minutes(),
            text,
        })
        .collect();
    // Every event must read back as the same instant (no repeated hour).
    for e in &events {
        let local = e.at.to_zoned(tz.clone()).datetime();
        if tz.to_ambiguous_zoned(local).compatible().ok()?.timestamp() != e.at {
            return None;
        }
    }
    let detected = events[1].at.to_zoned(tz.clone());
    let mitigated = events[n_events - 2].at.to_zoned(tz.clone());

    // ------------------------------------------------ front matter
    let date_s = start.strftime("%Y-%m-%d").to_string();
    let slug = format!("{date_s}-{}-{}-{index}", scen.key, svc.id);
    let title = f(rng.pick::<&str>(scen.titles));
    let impact_summary = capitalize(&format!("{} for {}", svc.symptom, human_minutes(dur)));
    let mut authors = vec![svc.owner];
    if rng.chance(0.4) && !authors.contains(&team2) {
        authors.push(team2);
    }

    struct Action {
        task: String,
        owner: &'static str,
        status: &'static str,
        due: Date,
        kind: &'static str,
    }
    let n_actions = rng.range(1, 5) as usize;
    let mut actions: Vec<Action> = Vec::new();
    let generic_actions: &[(&str, &str)] = &[
        (
            "Add a dashboard panel that shows recent changes for {svc}",
            "detect",
        ),
        ("Write a runbook section for this failure mode", "process"),
        (
            "Review alert thresholds for {svc} with the on-call rotation",
            "detect",
        ),
        (
            "Schedule a game day for the {svc} recovery steps",
            "process",
        ),
        (
            "Add a load test for {dep} under degraded conditions",
            "prevent",
        ),
    ];
    let mut pool: Vec<(&str, &str)> = scen.actions.to_vec();
    let mut extra: Vec<(&str, &str)> = generic_actions.to_vec();
    rng.shuffle(&mut pool);
    rng.shuffle(&mut extra);
    pool.extend(extra);
    for (task, kind) in pool.into_iter().take(n_actions) {
        let status = *rng.pick(&["open", "open", "in-progress", "done", "done", "wont-do"]);
        let due = if matches!(status, "open" | "in-progress") {
            Date::new(2029, rng.range(1, 12) as i8, rng.range(1, 28) as i8).ok()?
        } else {
            end.date().checked_add(rng.range(7, 60).days()).ok()?
        };
        let owner = if rng.chance(0.7) {
            svc.owner
        } else {
            *rng.pick(&["sre-team", "observability-team", dep.owner])
        };
        actions.push(Action {
            task: f(task),
            owner,
            status,
            due,
            kind,
        });
    }

    let q = |s: &str| serde_json::to_string(s).unwrap();
    let mut fm = String::with_capacity(1024);
    fm.push_str("---\n");
    let _ = writeln!(fm, "title: {}", q(&title));
    fm.push_str("status: final\n");
    let _ = writeln!(fm, "severity: {severity}");
    let _ = writeln!(fm, "start: {}", rfc3339(&start));
    let _ = writeln!(fm, "end: {}", rfc3339(&end));
    let _ = writeln!(fm, "timezone: {zone_name}");
    let _ = writeln!(fm, "detected: {}", rfc3339(&detected));
    let _ = writeln!(fm, "mitigated: {}", rfc3339(&mitigated));
    let _ = writeln!(fm, "detection: {detection}");
    fm.push_str("impact:\n");
    let _ = writeln!(fm, "  summary: {}", q(&impact_summary));
    let _ = writeln!(fm, "  users_affected_pct: {pct_users}");
    let _ = writeln!(fm, "services: [{}]", services.join(", "));
    let _ = writeln!(fm, "tags: [{}]", tags.join(", "));
    let _ = writeln!(fm, "authors: [{}]", authors.join(", "));
    if !earlier.is_empty() && rng.chance(0.15) {
        let back = rng.range(1, earlier.len().min(50) as i64) as usize;
        let _ = writeln!(fm, "related: [{}]", earlier[earlier.len() - back]);
    }
    fm.push_str("action_items:\n");
    for a in &actions {
        let _ = writeln!(fm, "  - task: {}", q(&a.task));
        let _ = writeln!(fm, "    owner: {}", a.owner);
        let _ = writeln!(fm, "    status: {}", a.status);
        let _ = writeln!(fm, "    due: {}", a.due);
        let _ = writeln!(fm, "    kind: {}", a.kind);
    }
    fm.push_str("---\n");

    // ------------------------------------------------ body
    // Summary paragraph 1: when, what users saw, how many.
    let same_day = start.date() == end.date();
    let when = if same_day {
        format!(
            "On {}, from {} to {}",
            start.strftime("%A %-d %B %Y"),
            start.strftime("%H:%M"),
            end.strftime("%H:%M")
        )
    } else {
        format!(
            "From {} to {}",
            start.strftime("%A %-d %B %Y, %H:%M"),
            end.strftime("%A %-d %B %Y, %H:%M")
        )
    };
    let zone_part = if zone_name == "UTC" {
        "UTC".to_string()
    } else if start.offset() == end.offset() {
        format!("{zone_label} ({zone_name}, {})", offset_label(&start))
    } else {
        format!(
            "{zone_label} ({zone_name}, {} at the start and {} at the end)",
            offset_label(&start),
            offset_label(&end)
        )
    };
    let mut summary = vec![
        format!(
            "{when} {zone_part}, {} was degraded for {}.",
            svc.desc,
            human_minutes(dur)
        ),
        format!(
            "{} About {pct_users}% of users were affected{}.",
            capitalize(svc.symptom) + ".",
            if services.len() > 1 {
                format!(
                    ", and the problem spread to `{}`",
                    services[1..].join("` and `")
                )
            } else {
                String::new()
            }
        ),
    ];
    let mut summary2 = vec![format!("The root cause was {}.", f(scen.cause))];
    summary2.push(match detection {
        "monitoring" => format!(
            "Monitoring detected the problem after {} and paged the on-call engineer.",
            human_minutes(offs[1])
        ),
        "customer" => format!(
            "Customers reported the problem before any alert fired, {} after it began.",
            human_minutes(offs[1])
        ),
        "engineer" => {
            "An engineer noticed the problem on a dashboard before any alert fired.".to_string()
        }
        "automated-test" => "A synthetic end-to-end test detected the problem.".to_string(),
        _ => "A partner told us about the problem.".to_string(),
    });
    summary2.push(format!(
        "It was mitigated after {}.",
        human_minutes(offs[n_events - 2])
    ));

    let mut root: Vec<String> = scen.detail.iter().map(|d| f(d)).collect();
    let root_end = [f(scen.resolution)];

    // Code blocks: one from the scenario's languages, sometimes a second.
    let lang1 = *rng.pick(scen.langs);
    let mut langs = vec![lang1];
    if rng.chance(0.5) {
        let other = SNIPPETS[rng.range(0, SNIPPETS.len() as i64 - 1) as usize].0;
        if other != lang1 {
            langs.push(other);
        }
    }
    let snippet_for = |rng: &mut Rng, lang: &str| {
        let candidates: Vec<&(&str, &str, &str)> =
            SNIPPETS.iter().filter(|s| s.0 == lang).collect();
        let s = rng.pick(&candidates);
        (s.0, f(s.1), f(s.2))
    };
    let code: Vec<(&str, String, String)> = langs.iter().map(|l| snippet_for(rng, l)).collect();

    let mut measures = vec![f(rng.pick::<&str>(MEASURES_INTRO))];

    // Extra sentences until the word target is met.
    let target = rng.range(460, 540) as usize;
    let mut extras: Vec<(u8, String)> = Vec::new();
    for &i in &rng.sample_idx(SUMMARY_EXTRA.len(), 4) {
        extras.push((0, f(SUMMARY_EXTRA[i])));
    }
    for &i in &rng.sample_idx(ROOT_EXTRA.len(), 8) {
        extras.push((1, f(ROOT_EXTRA[i])));
    }
    for &i in &rng.sample_idx(MEASURES_EXTRA.len(), 4) {
        extras.push((2, f(MEASURES_EXTRA[i])));
    }
    rng.shuffle(&mut extras);

    let tasks: Vec<String> = actions
        .iter()
        .map(|a| {
            if matches!(a.status, "open" | "in-progress") {
                format!("- [ ] {} (@{}, due {})", a.task, a.owner, a.due)
            } else {
                format!("- [x] {} (@{})", a.task, a.owner)
            }
        })
        .collect();

    let render = |summary: &[String], summary2: &[String], root: &[String], measures: &[String]| {
        let mut b = String::with_capacity(4096);
        b.push_str("\n## Issue Summary\n\n");
        b.push_str(&summary.join(" "));
        b.push_str("\n\n");
        b.push_str(&summary2.join(" "));
        b.push_str("\n\n## Timeline\n\n");
        let mut prev_date = start.date();
        for e in &events {
            let z = e.at.to_zoned(tz.clone());
            if z.date() != prev_date {
                let _ = writeln!(b, "- {} - {}", z.strftime("%Y-%m-%d %H:%M"), e.text);
            } else {
                let _ = writeln!(b, "- {} - {}", z.strftime("%H:%M"), e.text);
            }
            prev_date = z.date();
        }
        b.push_str("\n## Root Cause and Resolution\n\n");
        b.push_str(&root[0]);
        b.push_str("\n\n");
        let (l, lead, body) = &code[0];
        let _ = write!(b, "{lead}\n\n```{l}\n{body}\n```\n\n");
        b.push_str(&root[1..].join(" "));
        b.push_str("\n\n");
        if let Some((l, lead, body)) = code.get(1) {
            let _ = write!(b, "{lead}\n\n```{l}\n{body}\n```\n\n");
        }
        b.push_str(&root_end.join(" "));
        b.push_str("\n\n## Corrective and Preventative Measures\n\n");
        b.push_str(&measures.join(" "));
        b.push_str("\n\n");
        for t in &tasks {
            b.push_str(t);
            b.push('\n');
        }
        b
    };

    let mut body = render(&summary, &summary2, &root, &measures);
    let mut words = count_words(&body);
    for (section, sentence) in extras {
        if words >= target {
            break;
        }
        match section {
            0 => summary.push(sentence),
            1 => root.push(sentence),
            _ => measures.push(sentence),
        }
        body = render(&summary, &summary2, &root, &measures);
        words = count_words(&body);
    }
    if !(420..=580).contains(&words) {
        return None;
    }

    let year = start.year();
    let path = PathBuf::from(format!("content/{year}/{slug}.md"));
    Some(Incident {
        path,
        slug,
        text: fm + &body,
    })
}

// ---------------------------------------------------------------- main

const SITE_TOML: &str = r##"# hindsight configuration for the generated benchmark archive.

title = "Bench incident archive"
description = "Synthetic postmortems generated by examples/gen_corpus.rs for benchmarks."
base_url = "https://bench.example/"
theme = "default"
timezone = "UTC"
language = "en"
paginate_by = 100
taxonomies = ["services", "tags", "severity"]

[[severity]]
id = "SEV1"
label = "Critical"
color = "#b42318"

[[severity]]
id = "SEV2"
label = "Major"
color = "#b93815"

[[severity]]
id = "SEV3"
label = "Minor"
color = "#8a5a00"

[[severity]]
id = "SEV4"
label = "Low"
color = "#475467"

[validation]
required_sections = ["Issue Summary", "Timeline", "Root Cause and Resolution", "Corrective and Preventative Measures"]
word_count = [400, 600]
timeline_slack = "24h"
"##;

fn usage() -> ExitCode {
    eprintln!("usage: gen_corpus DIR N [--seed S]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed: u64 = 1;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" => {
                let Some(s) = args.get(i + 1).and_then(|s| s.parse().ok()) else {
                    return usage();
                };
                seed = s;
                i += 2;
            }
            "-h" | "--help" => {
                eprintln!(
                    "usage: gen_corpus DIR N [--seed S]\nWrites DIR/site.toml and N postmortems under DIR/content/."
                );
                return ExitCode::SUCCESS;
            }
            a => {
                positional.push(a.to_string());
                i += 1;
            }
        }
    }
    let [dir, n] = positional.as_slice() else {
        return usage();
    };
    let Ok(n) = n.parse::<usize>() else {
        return usage();
    };
    match run(Path::new(dir), n, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    let t0 = Instant::now();
    let content = dir.join("content");
    if content.exists() {
        fs::remove_dir_all(&content)?;
    }
    fs::create_dir_all(&content)?;
    fs::write(dir.join("site.toml"), SITE_TOML)?;
    let mut bytes = SITE_TOML.len() as u64;

    // Days spread uniformly over 2020-01-01 .. 2025-12-31, in date order so
    // `related` can point back at earlier incidents.
    let first = Date::new(2020, 1, 1).unwrap();
    let last = Date::new(2025, 12, 31).unwrap();
    let span = first.until(last).unwrap().get_days() as i64;
    let mut rng = Rng::new(seed);
    let mut days: Vec<i64> = (0..n).map(|_| rng.range(0, span)).collect();
    days.sort_unstable();

    let mut slugs: Vec<String> = Vec::with_capacity(n);
    let mut made_dirs = std::collections::HashSet::new();
    for (i, d) in days.iter().enumerate() {
        let day = first.checked_add((*d).days()).unwrap();
        let inc = incident(seed, i, day, &slugs);
        let path = dir.join(&inc.path);
        let parent = path.parent().unwrap().to_path_buf();
        if made_dirs.insert(parent.clone()) {
            fs::create_dir_all(&parent)?;
        }
        fs::write(&path, &inc.text)?;
        bytes += inc.text.len() as u64;
        slugs.push(inc.slug);
    }
    println!(
        "gen_corpus: wrote {} files ({} postmortems + site.toml), {} bytes, in {:.2} s (seed {seed}) to {}",
        n + 1,
        n,
        bytes,
        t0.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}
