//! `casework agencies add|rotate|revoke|list`: the agencies that query the
//! portal, and their API keys.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;

use super::{AgenciesCommand, engine};
use crate::app::{AppError, portal};
use crate::config::Settings;

/// Adds, rotates, revokes or lists agencies; a refused change exits with 1.
pub(super) async fn run(settings: &Settings, command: AgenciesCommand) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    let now = Utc::now();
    match command {
        AgenciesCommand::Add {
            name,
            scopes,
            rate,
            districts,
            valid_days,
        } => match portal::add(&engine, &name, &scopes, &districts, rate, valid_days, now).await {
            Ok(key) => {
                eprintln!("agency {name} added; this key is shown once, keep it safe:");
                println!("{key}");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => Ok(report_error(error)),
        },
        AgenciesCommand::Rotate {
            name,
            overlap_hours,
            valid_days,
        } => {
            let overlap = chrono::Duration::hours(i64::from(overlap_hours));
            match portal::rotate(&engine, &name, overlap, valid_days, now).await {
                Ok(key) => {
                    eprintln!(
                        "new key for {name}, shown once; the older keys stop working in {overlap_hours} h:"
                    );
                    println!("{key}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => Ok(report_error(error)),
            }
        }
        AgenciesCommand::Revoke { name, key } => {
            match portal::revoke(&engine, &name, key.as_deref(), now).await {
                Ok(count) => {
                    match key {
                        Some(key) => println!("revoked key {key} of {name}"),
                        None => println!("revoked agency {name} and its {count} active key(s)"),
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => Ok(report_error(error)),
            }
        }
        AgenciesCommand::List { lang } => {
            let lang = super::chosen_lang(lang);
            let mut out = std::io::stdout().lock();
            for agency in portal::list(&engine).await? {
                let keys: Vec<String> = agency
                    .keys
                    .iter()
                    .map(|k| {
                        let status = if k.revoked_at.is_some() {
                            "revoked".to_string()
                        } else if let Some(at) = k.expires_at {
                            if at <= now {
                                "expired".to_string()
                            } else {
                                format!("until {}", at.format("%Y-%m-%d %H:%M"))
                            }
                        } else {
                            "active".to_string()
                        };
                        format!("{} ({status})", k.prefix)
                    })
                    .collect();
                if writeln!(
                    out,
                    "{}\t{}\t{}/min\t{}\t{}\t{} entries\t{}",
                    agency.name,
                    agency.scopes.join(","),
                    agency.rate_per_minute,
                    if agency.districts.is_empty() {
                        "*".to_string()
                    } else {
                        agency
                            .districts
                            .iter()
                            .map(|d| super::place_name(&engine, d, lang))
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    if agency.revoked { "revoked" } else { "active" },
                    agency.entries,
                    keys.join(", ")
                )
                .is_err()
                {
                    break;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints why a change was refused, one line per error, and exits with 1.
fn report_error(error: AppError) -> ExitCode {
    match error {
        AppError::Invalid(errors) => {
            for e in errors {
                if e.message_ar != e.message {
                    eprintln!("error: {}: {}", e.field, e.message_ar);
                }
                eprintln!("error: {}: {}", e.field, e.message);
            }
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::FAILURE
}
