//! What every handler shares.

use std::sync::Arc;

use crate::app::Engine;
use crate::http::metrics::Metrics;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 256 * 1024;

/// What every handler shares: the engine and the metrics.
#[derive(Clone)]
pub struct AppState {
    pub engine: Engine,
    pub metrics: Arc<Metrics>,
}
