//! `casework audit verify`: every hash chain walked, the cases' audit
//! trails and the agencies' access logs alike.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::engine;
use crate::config::Settings;
use crate::store::audit;

/// Walks every chain and names the first broken link; exits with 1 when
/// there is one.
pub(super) async fn verify(settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    let started = Instant::now();
    let report = audit::verify(&engine.store)
        .await
        .context("verifying the audit trail")?;
    let access = crate::app::portal::verify(&engine)
        .await
        .context("verifying the agencies' access log")?;
    match (report.first_broken, access.first_broken) {
        (None, None) => {
            println!(
                "ok: {} applications, {} audit events, {} agencies, {} access-log entries, every chain intact ({:.1} s)",
                report.applications,
                report.events,
                access.agencies,
                access.entries,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        (Some(link), _) => {
            println!(
                "broken: {} event {}: {} ({} applications, {} events read)",
                link.reference, link.seq, link.problem, report.applications, report.events
            );
            Ok(ExitCode::FAILURE)
        }
        (None, Some(link)) => {
            println!(
                "broken: access log of agency {} entry {}: {}",
                link.agency, link.seq, link.problem
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
