//! `casework openapi [--portal]`: an OpenAPI document on standard output,
//! without a database.

use std::process::ExitCode;

use anyhow::Context;

/// Prints the whole API's document, or with `portal` the agency portal's
/// own, as pretty JSON.
pub(super) fn run(portal: bool) -> anyhow::Result<ExitCode> {
    let document = if portal {
        crate::http::portal::openapi()
    } else {
        crate::http::openapi()
    };
    let document = document
        .to_pretty_json()
        .context("serialising the OpenAPI document")?;
    println!("{document}");
    Ok(ExitCode::SUCCESS)
}
