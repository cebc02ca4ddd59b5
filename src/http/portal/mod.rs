//! The agency portal's routes (`/portal/v1/…`, tag "agency portal"), the
//! access log as officers and auditors read it, and the portal's
//! statistics for leadership.
//!
//! Persons are named in POST bodies, never in URLs, so they stay out of
//! request logs and proxies.
//!
//! `query` holds the four portal routes and their request bodies, `answer`
//! the answers they give, `access_log` the log's two routes and
//! `statistics` the counts' route.

mod access_log;
mod answer;
mod query;
mod statistics;

// The handlers keep their paths (`portal::card_status`) for the router,
// together with the `__path_…` types utoipa generates beside them.
pub use access_log::*;
pub use query::*;
pub use statistics::*;
