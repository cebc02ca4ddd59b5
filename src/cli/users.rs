//! `casework users add|revoke|list`: officers and their bearer tokens.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;

use super::{UsersCommand, engine};
use crate::app::{AppError, users};
use crate::config::Settings;

/// Adds, revokes or lists users; a refused change exits with 1.
pub(super) async fn run(settings: &Settings, command: UsersCommand) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    match command {
        UsersCommand::Add {
            name,
            roles,
            district,
            all_districts,
            office,
            email,
        } => {
            if let Some(office) = &office
                && district.is_none()
            {
                eprintln!(
                    "error: office: يعمل الموظف في مركز ضمن منطقة واحدة: اذكر مع --office {office} المنطقة التي يتبعها المركز بـ --district"
                );
                eprintln!(
                    "error: office: an officer works at an office within one district: give --district, the district office '{office}' belongs to, with --office"
                );
                return Ok(ExitCode::FAILURE);
            }
            let mut parsed = Vec::new();
            for role in &roles {
                match crate::domain::roles::Role::parse(role) {
                    Some(role) => parsed.push(role),
                    None => {
                        eprintln!(
                            "error: unknown role '{role}' (known: {})",
                            crate::domain::roles::Role::ALL
                                .map(|r| r.as_str())
                                .join(", ")
                        );
                        return Ok(ExitCode::FAILURE);
                    }
                }
            }
            if district.is_none() && !all_districts {
                let bound: Vec<&str> = parsed
                    .iter()
                    .filter(|r| r.works_in_a_district())
                    .map(|r| r.as_str())
                    .collect();
                if !bound.is_empty() {
                    let codes: Vec<&str> = engine
                        .places
                        .districts()
                        .iter()
                        .map(|d| d.code.as_str())
                        .collect();
                    eprintln!(
                        "error: district: الدور {} مرتبط بمنطقة: اذكر --district بأحد الرموز ({}) أو --all-districts لكل المناطق",
                        bound.join("، "),
                        codes.join("، ")
                    );
                    eprintln!(
                        "error: district: the role {} works in one district: give --district with one of {}, or --all-districts for every district",
                        bound.join(", "),
                        codes.join(", ")
                    );
                    return Ok(ExitCode::FAILURE);
                }
            }
            match users::add_at_office(
                &engine,
                &name,
                &parsed,
                district.as_deref(),
                office.as_deref(),
                email.as_deref(),
                Utc::now(),
            )
            .await
            {
                Ok(token) => {
                    eprintln!("user {name} added; this token is shown once, keep it safe:");
                    println!("{token}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::Invalid(errors)) => {
                    for e in errors {
                        if e.message_ar != e.message {
                            eprintln!("error: {}: {}", e.field, e.message_ar);
                        }
                        eprintln!("error: {}: {}", e.field, e.message);
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        UsersCommand::Revoke { name } => match users::revoke(&engine, &name, Utc::now()).await {
            Ok(()) => {
                println!("revoked {name}");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                eprintln!("error: {error}");
                Ok(ExitCode::FAILURE)
            }
        },
        UsersCommand::List { lang } => {
            let lang = super::chosen_lang(lang);
            let mut out = std::io::stdout().lock();
            for user in users::list(&engine).await? {
                let place = |code: &Option<String>, none: &str| {
                    code.as_deref()
                        .map_or_else(|| none.to_string(), |c| super::place_name(&engine, c, lang))
                };
                if writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    user.name,
                    user.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    place(&user.district, "*"),
                    place(&user.office, "-"),
                    if user.revoked { "revoked" } else { "active" }
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
