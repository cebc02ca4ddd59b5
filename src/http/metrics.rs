//! Prometheus metrics: requests and latency per route, transitions per
//! action, refusals per code, sign-ins per outcome; the outbox depth and
//! the token cache's hits are read at scrape time.

use std::sync::Mutex;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

type Labels = Vec<(String, String)>;

pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<Labels, Counter>,
    latency: Family<Labels, Histogram>,
    transitions: Family<Labels, Counter>,
    refusals: Family<Labels, Counter>,
    signins: Family<Labels, Counter>,
    outbox_pending: Gauge,
    token_cache_hits: Gauge,
    replica_used: Gauge,
    replica_lag_ms: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<Labels, Counter>::default();
        let latency = Family::<Labels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        let transitions = Family::<Labels, Counter>::default();
        let refusals = Family::<Labels, Counter>::default();
        let signins = Family::<Labels, Counter>::default();
        let outbox_pending = Gauge::default();
        let token_cache_hits = Gauge::default();
        let replica_used = Gauge::default();
        let replica_lag_ms = Gauge::default();
        registry.register(
            "casework_http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        registry.register(
            "casework_http_request_duration_seconds",
            "HTTP request latency by method and route",
            latency.clone(),
        );
        registry.register(
            "casework_transitions",
            "Transitions taken, by action",
            transitions.clone(),
        );
        registry.register(
            "casework_refusals",
            "Commands refused by the engine, by code",
            refusals.clone(),
        );
        registry.register(
            "casework_signins",
            "Sign-ins with a name and a password, by outcome (signed_in, refused, locked)",
            signins.clone(),
        );
        registry.register(
            "casework_outbox_pending",
            "Outbox rows not yet sent",
            outbox_pending.clone(),
        );
        registry.register(
            "casework_token_cache_hits",
            "Officers' token lookups answered from memory since the start",
            token_cache_hits.clone(),
        );
        registry.register(
            "casework_read_replica_used",
            "1 while reads go to the read replica, 0 while they go to the primary (it lags, is down, or none is set)",
            replica_used.clone(),
        );
        registry.register(
            "casework_read_replica_lag_milliseconds",
            "The read replica's lag at its last check (-1: none set, or it did not answer)",
            replica_lag_ms.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            transitions,
            refusals,
            signins,
            outbox_pending,
            token_cache_hits,
            replica_used,
            replica_lag_ms,
        }
    }

    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let base = vec![
            ("method".to_string(), method.to_string()),
            ("route".to_string(), route.to_string()),
        ];
        let mut with_status = base.clone();
        with_status.push(("status".to_string(), status.to_string()));
        self.requests.get_or_create(&with_status).inc();
        self.latency.get_or_create(&base).observe(seconds);
    }

    pub fn transition(&self, action: &str) {
        self.transitions
            .get_or_create(&vec![("action".to_string(), action.to_string())])
            .inc();
    }

    pub fn refusal(&self, code: &str) {
        self.refusals
            .get_or_create(&vec![("code".to_string(), code.to_string())])
            .inc();
    }

    /// One sign-in attempt and how it came out.
    pub fn signin(&self, outcome: &str) {
        self.signins
            .get_or_create(&vec![("outcome".to_string(), outcome.to_string())])
            .inc();
    }

    /// The exposition text, with the outbox depth and the token cache's
    /// hits as of now.
    pub fn render(
        &self,
        outbox_pending: i64,
        token_cache_hits: u64,
        replica: Option<crate::app::system::ReplicaStatus>,
    ) -> String {
        self.replica_used
            .set(i64::from(replica.is_some_and(|r| r.usable)));
        self.replica_lag_ms
            .set(replica.and_then(|r| r.lag_ms).unwrap_or(-1));
        self.outbox_pending.set(outbox_pending);
        self.token_cache_hits
            .set(i64::try_from(token_cache_hits).unwrap_or(i64::MAX));
        let mut out = String::new();
        match self.registry.lock() {
            Ok(registry) => {
                if encode(&mut out, &registry).is_err() {
                    out.clear();
                }
            }
            Err(_) => out.clear(),
        }
        out
    }
}
