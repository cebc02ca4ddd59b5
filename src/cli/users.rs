//! `casework users add|revoke|passwd|list`: officers, their bearer tokens
//! and their passwords.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use chrono::Utc;

use super::{UsersCommand, engine};
use crate::app::{AppError, passwords, users};
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
            full_name,
        } => {
            if let Some(office) = &office
                && district.is_none()
            {
                let said = crate::domain::words::cli::office_needs_district(office);
                eprintln!("{}", said.ar);
                eprintln!("{}", said.en);
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
                    let said = crate::domain::words::cli::roles_need_district(
                        &crate::domain::words::list(&bound),
                        &crate::domain::words::list(&codes),
                    );
                    eprintln!("{}", said.ar);
                    eprintln!("{}", said.en);
                    return Ok(ExitCode::FAILURE);
                }
            }
            let officer = users::NewOfficer {
                name: &name,
                full_name: full_name.as_deref(),
                roles: &parsed,
                district: district.as_deref(),
                office: office.as_deref(),
                email: email.as_deref(),
            };
            match users::add_officer(&engine, &officer, Utc::now()).await {
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
        UsersCommand::Passwd { name } => {
            let password = tokio::task::spawn_blocking(read_password).await??;
            let Some(password) = password else {
                eprintln!("error: password: the two passwords typed differ; nothing changed");
                return Ok(ExitCode::FAILURE);
            };
            match passwords::set_password(&engine, &name, &password).await {
                Ok(ended) => {
                    eprintln!("password set for {name}; {ended} session(s) ended");
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::Invalid(errors)) => {
                    for e in errors {
                        eprintln!("error: {}: {}", e.field, e.message_ar);
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
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    user.name,
                    user.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    place(&user.district, "*"),
                    place(&user.office, "-"),
                    if user.revoked { "revoked" } else { "active" },
                    user.full_name.as_deref().unwrap_or("-")
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

/// The new password: one line of standard input, or on a terminal typed
/// twice with the echo off (`stty -echo`; when that fails the prompt says
/// the typing shows). `None` when the two differ.
fn read_password() -> anyhow::Result<Option<String>> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(Some(read_line(&stdin)?));
    }
    let hidden = stty("-echo");
    let shows = if hidden {
        ""
    } else {
        " (it will show as you type)"
    };
    let result = (|| {
        eprint!("new password{shows}: ");
        let first = read_line(&stdin)?;
        eprint!("\nthe same again{shows}: ");
        let second = read_line(&stdin)?;
        eprintln!();
        anyhow::Ok((first == second).then_some(first))
    })();
    if hidden {
        stty("echo");
    }
    result
}

/// One line without its line ending.
fn read_line(stdin: &std::io::Stdin) -> anyhow::Result<String> {
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let trimmed = line.strip_suffix('\n').unwrap_or(&line);
    Ok(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_string())
}

/// Runs `stty` on the terminal; true when it worked.
fn stty(setting: &str) -> bool {
    std::process::Command::new("stty")
        .arg(setting)
        .stdin(std::process::Stdio::inherit())
        .status()
        .is_ok_and(|s| s.success())
}
