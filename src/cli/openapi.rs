//! `casework openapi`: the OpenAPI document on standard output, without a
//! database.

use std::process::ExitCode;

use anyhow::Context;

/// Prints the OpenAPI document as pretty JSON.
pub(super) fn run() -> anyhow::Result<ExitCode> {
    let document = crate::http::openapi()
        .to_pretty_json()
        .context("serialising the OpenAPI document")?;
    println!("{document}");
    Ok(ExitCode::SUCCESS)
}
