//! The command line: every subcommand is a thin call into the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use clap::{Parser, Subcommand, ValueEnum};

use crate::app::registry::{self, Registry};
use crate::app::{AppError, Engine, EngineSettings, demo, outbox, users};
use crate::config::{Settings, redact_url};
use crate::domain::roles::Role;
use crate::mail::Mailer;
use crate::store::{Store, StoreOptions, audit};
use crate::workflow::Workflow;

#[derive(Parser, Debug)]
#[command(
    name = "casework",
    version,
    about = "Case-workflow engine for the naturalization of families in the Hasakah foreigners' registers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Run the HTTP server.
    Serve {
        /// Address to listen on (default: CASEWORK_ADDR or 127.0.0.1:8080).
        #[arg(long)]
        addr: Option<String>,
        /// Seed an empty database with the demo province first.
        #[arg(long)]
        demo: bool,
        /// Families for --demo.
        #[arg(long, default_value_t = 48_000)]
        families: u64,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Build a synthetic province by driving the real engine.
    Demo {
        #[arg(long, default_value_t = 48_000)]
        families: u64,
        #[arg(long, default_value_t = 2011)]
        seed: u64,
    },
    /// Import the existing backlog from CSV files (format in README.md).
    /// Exits with 1 when a row was refused (the other families are imported).
    Import {
        /// CSV files, one row per person.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Check every row and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// The name recorded on each case's `imported` audit event.
        #[arg(long = "as", default_value = "import")]
        as_user: String,
    },
    /// Check or draw workflow definitions.
    Workflow {
        #[command(subcommand)]
        command: WorkflowCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The statistics' tallies.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Officers and their bearer tokens.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Agencies that query the portal, and their keys.
    Agencies {
        #[command(subcommand)]
        command: AgenciesCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Run the reminder scheduler.
    Remind {
        /// Run one tick and exit (the only mode: `serve` runs the loop).
        #[arg(long, required = true)]
        once: bool,
        /// The time of the tick (RFC 3339), default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Benchmarks. Use a database of its own: they add cases.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// The mail outbox.
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Statistics routes from the tallies against a plain GROUP BY, at
    /// several sizes: the demo province at the first, copies of it after.
    Statistics {
        /// Families, comma-separated; each a multiple of the first.
        #[arg(long, value_delimiter = ',', default_value = "48000,2016000")]
        sizes: Vec<u64>,
        /// Timed runs per route and size.
        #[arg(long, default_value_t = 50)]
        samples: usize,
    },
    /// Import the demo province as a backlog CSV (made in memory) into an
    /// empty database, then import the same file again.
    Import {
        #[arg(long, default_value_t = 48_000)]
        families: u64,
        /// Only write the backlog file here (to try `casework import` on
        /// it), without importing.
        #[arg(long)]
        write_csv: Option<std::path::PathBuf>,
    },
    /// Name, register and national number searches at several sizes: the
    /// demo province at the first, copies of it after.
    Search {
        /// Families, comma-separated; each a multiple of the first. A
        /// single size equal to the families already stored (by an earlier
        /// run) times them without building.
        #[arg(long, value_delimiter = ',', default_value = "48000,2016000")]
        sizes: Vec<u64>,
        /// People searched for per kind of search and size.
        #[arg(long, default_value_t = 200)]
        samples: usize,
    },
    /// Transitions through casework against the raw SQL limit.
    Transitions {
        /// Worker counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
        workers: Vec<usize>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Interleaved rounds per configuration (medians are reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// PostgreSQL only: `on` or `off`, set on every connection of the
        /// pool (for raw and casework alike). Default: the server's setting.
        #[arg(long, value_parser = ["on", "off"])]
        synchronous_commit: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// List outbox rows, newest first.
    List {
        /// pending, sending, sent, failed or skipped.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Put failed mails back in the queue: one by id, or all with --all.
    Retry {
        id: Option<i64>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user; prints the bearer token once (only its hash is kept).
    Add {
        name: String,
        /// A role; repeat for several (intake_clerk, verifier, approver, registrar, card_officer, supervisor, leadership, admin, auditor).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Bind the user to one district's cases.
        #[arg(long)]
        district: Option<String>,
        /// Where the user's reminders go.
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke a user's token.
    Revoke { name: String },
    /// List users (never their tokens).
    List,
}

#[derive(Subcommand, Debug)]
pub enum AgenciesCommand {
    /// Register an agency; prints its API key once (only its hash is kept).
    Add {
        /// A short name, e.g. `interior-passports`.
        name: String,
        /// What it may ask, comma-separated: naturalization-status, card-status.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Persons it may ask about per minute.
        #[arg(long, default_value_t = crate::app::portal::DEFAULT_RATE, value_parser = parse_rate)]
        rate: u32,
        /// Only persons of these districts (comma-separated); all when absent.
        #[arg(long, value_delimiter = ',')]
        districts: Vec<String>,
        /// The key expires after this many days; never when absent.
        #[arg(long)]
        valid_days: Option<u32>,
    },
    /// Issue a new key; the agency's other keys keep working for the overlap, then expire.
    Rotate {
        name: String,
        /// Hours the old keys keep working, so the agency can switch over.
        #[arg(long, default_value_t = 24)]
        overlap_hours: u32,
        #[arg(long)]
        valid_days: Option<u32>,
    },
    /// Revoke one key (`--key ag_1a2b3c4d`), or the agency and all its keys.
    Revoke {
        name: String,
        #[arg(long)]
        key: Option<String>,
    },
    /// List agencies and their keys (never the keys themselves).
    List,
}

/// `60` or `60/min`.
fn parse_rate(text: &str) -> Result<u32, String> {
    text.trim_end_matches("/min")
        .parse::<u32>()
        .map_err(|_| format!("'{text}' is not a rate such as 60 or 60/min"))
}

#[derive(Subcommand, Debug)]
pub enum WorkflowCommand {
    /// Validate definition files: prints `ok` or every error.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the state diagram of a definition.
    Diagram {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = DiagramFormat::Mermaid)]
        format: DiagramFormat,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiagramFormat {
    Mermaid,
    Dot,
}

#[derive(Subcommand, Debug)]
pub enum StatsCommand {
    /// Recount every tally from the raw rows and compare with the stored ones.
    Check,
    /// Recount every tally from the raw rows and store the recount.
    Rebuild,
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk every hash chain and name the first broken link.
    Verify,
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Commands::Workflow { command } => Ok(workflow_command(command)),
        Commands::Migrate => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            println!("migrated {}", redact_url(&settings.database_url));
            drop(engine);
            Ok(ExitCode::SUCCESS)
        }
        Commands::Import {
            files,
            dry_run,
            as_user,
        } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            run_import(&engine, &files, dry_run, &as_user).await
        }
        Commands::Demo { families, seed } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            run_demo(&engine, families, seed).await?;
            Ok(ExitCode::SUCCESS)
        }
        Commands::Audit {
            command: AuditCommand::Verify,
        } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
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
        Commands::Stats { command } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            let started = Instant::now();
            match command {
                StatsCommand::Check => {
                    let differences = crate::app::stats::check(&engine).await?;
                    if differences.is_empty() {
                        println!(
                            "ok: every tally equals a recount from the raw rows ({:.1} s)",
                            started.elapsed().as_secs_f64()
                        );
                        Ok(ExitCode::SUCCESS)
                    } else {
                        for d in &differences {
                            println!("{d}");
                        }
                        println!("{} tallies differ from a recount", differences.len());
                        Ok(ExitCode::FAILURE)
                    }
                }
                StatsCommand::Rebuild => {
                    let rows = crate::app::stats::rebuild(&engine).await?;
                    println!(
                        "rebuilt {rows} tally rows from the raw rows ({:.1} s)",
                        started.elapsed().as_secs_f64()
                    );
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        Commands::Remind { once: _, at } => {
            let settings = Settings::load()?;
            let now = match at {
                Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
                    .with_context(|| format!("--at '{text}' is not an RFC 3339 time such as 2026-11-29T07:00:00+03:00"))?
                    .with_timezone(&Utc),
                None => Utc::now(),
            };
            let engine = engine(&settings).await?;
            let mailer = Mailer::from_url(&settings.mail_url)?;
            let (r, d) =
                crate::jobs::tick(&engine, &mailer, &crate::jobs::holder_name(), now).await?;
            if r.ran {
                println!(
                    "reminders at {now}: rules run [{}], {} mails queued ({} already queued), {} card tasks opened; sent {}, retrying {}, failed {}, skipped {}",
                    r.rules.join(", "),
                    r.queued,
                    r.already_queued,
                    r.card_tasks_opened,
                    d.sent,
                    d.retrying,
                    d.failed,
                    d.skipped
                );
            } else {
                println!(
                    "another server holds the reminder lease: nothing done; sent {}",
                    d.sent
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Commands::Bench {
            command:
                BenchCommand::Transitions {
                    workers,
                    seconds,
                    rounds,
                    synchronous_commit,
                },
        } => {
            let mut settings = Settings::load()?;
            settings.max_connections = settings
                .max_connections
                .max(workers.iter().copied().max().unwrap_or(1) as u32 + 2);
            if let Some(value) = &synchronous_commit {
                if !settings.database_url.starts_with("postgres") {
                    anyhow::bail!("--synchronous-commit is a PostgreSQL setting");
                }
                // libpq's `options`: a setting for every connection's session.
                let separator = if settings.database_url.contains('?') {
                    '&'
                } else {
                    '?'
                };
                settings.database_url.push_str(&format!(
                    "{separator}options=-c%20synchronous_commit%3D{value}"
                ));
            }
            let engine = engine(&settings).await?;
            let commit = crate::store::bench::synchronous_commit(&engine.store).await?;
            println!(
                "transitions on {}{} ({} s per run, median of {rounds} interleaved rounds)",
                engine.store.backend_name(),
                commit.map_or(String::new(), |c| format!(", synchronous_commit = {c}")),
                seconds
            );
            println!(
                "{:<9} {:>7} {:>12} {:>9} {:>9} {:>12}",
                "mode", "workers", "per second", "p50 ms", "p99 ms", "cpu us/op"
            );
            let figures = crate::bench::transitions(&engine, &workers, seconds, rounds, |f| {
                println!(
                    "{:<9} {:>7} {:>12.0} {:>9.2} {:>9.2} {:>12.0}",
                    f.mode, f.workers, f.per_second, f.p50_ms, f.p99_ms, f.cpu_us
                );
            })
            .await?;
            for w in &workers {
                let rate = |mode: &str| {
                    figures
                        .iter()
                        .find(|f| f.mode == mode && f.workers == *w)
                        .map_or(0.0, |f| f.per_second)
                };
                let raw = rate("raw");
                if raw > 0.0 {
                    println!(
                        "ratio casework/raw at {w} workers: {:.2}",
                        rate("casework") / raw
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Commands::Bench {
            command: BenchCommand::Statistics { sizes, samples },
        } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            println!(
                "statistics on {}: p50 / p99 ms over {samples} runs, tallies against a plain GROUP BY",
                engine.store.backend_name()
            );
            println!(
                "{:>9} {:<13} {:>9} {:>9} {:>11} {:>11} {:>11}",
                "families", "route", "p50", "p99", "naive p50", "naive p99", "tally rows"
            );
            crate::bench::statistics(
                &engine,
                &sizes,
                samples,
                |f| {
                    println!(
                        "{:>9} {:<13} {:>9.2} {:>9.2} {:>11.2} {:>11.2} {:>11}",
                        f.families,
                        f.route,
                        f.p50_ms,
                        f.p99_ms,
                        f.naive_p50_ms,
                        f.naive_p99_ms,
                        f.tally_rows
                    );
                },
                |line| eprintln!("{line}"),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Commands::Bench {
            command:
                BenchCommand::Import {
                    families,
                    write_csv,
                },
        } => {
            if let Some(path) = write_csv {
                let bytes = crate::app::demo::backlog_csv(families, 2011, Utc::now());
                std::fs::write(&path, &bytes)
                    .with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "{}: {families} families, {} bytes",
                    path.display(),
                    bytes.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            let f = crate::bench::import(&engine, families).await?;
            println!(
                "import on {}: {} families, {} persons ({} rows, {:.1} MB of CSV) in {:.1} s ({:.0} families/s), {} possible duplicates flagged; the same file again: {:.1} s, nothing imported",
                engine.store.backend_name(),
                f.families,
                f.persons,
                f.rows,
                f.bytes as f64 / 1e6,
                f.seconds,
                f.families as f64 / f.seconds.max(1e-9),
                f.duplicate_flags,
                f.again_seconds
            );
            Ok(ExitCode::SUCCESS)
        }
        Commands::Bench {
            command: BenchCommand::Search { sizes, samples },
        } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            println!(
                "search on {}: first page of 50, oldest first, through app::views::list; {samples} people drawn evenly",
                engine.store.backend_name()
            );
            println!(
                "{:>9} {:<22} {:>9} {:>9} {:>10} {:>8}",
                "families", "search", "p50 ms", "p99 ms", "mean hits", "samples"
            );
            crate::bench::search(
                &engine,
                &sizes,
                samples,
                |f| {
                    println!(
                        "{:>9} {:<22} {:>9.2} {:>9.2} {:>10.1} {:>8}",
                        f.families, f.kind, f.p50_ms, f.p99_ms, f.mean_hits, f.samples
                    );
                },
                |line| eprintln!("{line}"),
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Commands::Outbox { command } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            match command {
                OutboxCommand::List { status, limit } => {
                    let mut out = std::io::stdout().lock();
                    for row in outbox::list(&engine, status.as_deref(), limit).await? {
                        // A closed pipe (`| head`) ends the listing quietly.
                        if writeln!(
                            out,
                            "{}\t{}\t{}\t{}\t{}\t{}",
                            row.id,
                            row.status,
                            row.kind,
                            row.recipient.as_deref().unwrap_or("-"),
                            row.attempts,
                            row.last_error.as_deref().unwrap_or("")
                        )
                        .is_err()
                        {
                            break;
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                OutboxCommand::Retry { id, all } => {
                    if id.is_none() && !all {
                        eprintln!("error: name an outbox id, or --all for every failed mail");
                        return Ok(ExitCode::FAILURE);
                    }
                    let n = outbox::retry(&engine, id, Utc::now()).await?;
                    println!("{n} failed mails queued again");
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        Commands::Openapi => {
            let document = crate::http::openapi()
                .to_pretty_json()
                .context("serialising the OpenAPI document")?;
            println!("{document}");
            Ok(ExitCode::SUCCESS)
        }
        Commands::Users { command } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            users_command(&engine, command).await
        }
        Commands::Agencies { command } => {
            let settings = Settings::load()?;
            let engine = engine(&settings).await?;
            agencies_command(&engine, command).await
        }
        Commands::Serve {
            addr,
            demo,
            families,
        } => {
            let mut settings = Settings::load()?;
            if let Some(addr) = addr {
                settings.addr = addr
                    .parse()
                    .with_context(|| format!("--addr '{addr}' is not HOST:PORT"))?;
            }
            let engine = engine(&settings).await?;
            if demo {
                let existing = crate::store::cases::count_applications(&engine.store).await?;
                if existing == 0 {
                    run_demo(&engine, families, 2011).await?;
                    // A director to sign in to the dashboard with.
                    let token = users::add(
                        &engine,
                        "demo.director",
                        &[Role::Leadership],
                        None,
                        None,
                        Utc::now(),
                    )
                    .await?;
                    println!(
                        "dashboard sign-in for demo.director (leadership), printed once: {token}"
                    );
                } else {
                    println!(
                        "the database already holds {existing} applications: no demo data added"
                    );
                }
            }
            serve(engine, &settings).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn users_command(engine: &Engine, command: UsersCommand) -> anyhow::Result<ExitCode> {
    match command {
        UsersCommand::Add {
            name,
            roles,
            district,
            email,
        } => {
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
            match users::add(
                engine,
                &name,
                &parsed,
                district.as_deref(),
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
        UsersCommand::Revoke { name } => match users::revoke(engine, &name, Utc::now()).await {
            Ok(()) => {
                println!("revoked {name}");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                eprintln!("error: {error}");
                Ok(ExitCode::FAILURE)
            }
        },
        UsersCommand::List => {
            let mut out = std::io::stdout().lock();
            for user in users::list(engine).await? {
                if writeln!(
                    out,
                    "{}\t{}\t{}\t{}",
                    user.name,
                    user.roles
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    user.district.as_deref().unwrap_or("*"),
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

fn report_error(error: AppError) -> ExitCode {
    match error {
        AppError::Invalid(errors) => {
            for e in errors {
                eprintln!("error: {}: {}", e.field, e.message);
            }
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::FAILURE
}

async fn agencies_command(engine: &Engine, command: AgenciesCommand) -> anyhow::Result<ExitCode> {
    use crate::app::portal;
    let now = Utc::now();
    match command {
        AgenciesCommand::Add {
            name,
            scopes,
            rate,
            districts,
            valid_days,
        } => match portal::add(engine, &name, &scopes, &districts, rate, valid_days, now).await {
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
            match portal::rotate(engine, &name, overlap, valid_days, now).await {
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
            match portal::revoke(engine, &name, key.as_deref(), now).await {
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
        AgenciesCommand::List => {
            let mut out = std::io::stdout().lock();
            for agency in portal::list(engine).await? {
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
                        agency.districts.join(",")
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

fn workflow_command(command: WorkflowCommand) -> ExitCode {
    match command {
        WorkflowCommand::Check { files } => {
            let mut failed = false;
            for file in files {
                match load_definition(&file) {
                    Ok(_) => println!("{}: ok", file.display()),
                    Err(errors) => {
                        failed = true;
                        println!("{errors}");
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        WorkflowCommand::Diagram { file, format } => match load_definition(&file) {
            Ok(workflow) => {
                print!(
                    "{}",
                    match format {
                        DiagramFormat::Mermaid => workflow.mermaid(),
                        DiagramFormat::Dot => workflow.dot(),
                    }
                );
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{errors}");
                ExitCode::FAILURE
            }
        },
    }
}

fn load_definition(file: &std::path::Path) -> Result<Workflow, String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{name}:1: cannot read the file: {e}"))?;
    Workflow::from_toml(&name, &text).map_err(|errors| errors.to_string())
}

/// Connects, migrates, and loads the definitions and calendar.
pub async fn engine(settings: &Settings) -> anyhow::Result<Engine> {
    let workflows = Registry::load(settings.workflows_dir.as_deref())?;
    let calendar = registry::load_calendar(settings.holidays_file.as_deref())?;
    let store = Store::connect(&StoreOptions {
        url: settings.database_url.clone(),
        max_connections: settings.max_connections,
    })
    .await
    .with_context(|| format!("connecting to {}", redact_url(&settings.database_url)))?;
    store.migrate().await.context("applying migrations")?;
    Ok(Engine {
        store,
        workflows: Arc::new(workflows),
        calendar: Arc::new(calendar),
        settings: EngineSettings::default(),
    })
}

/// Draws a progress bar on standard error when it is a terminal.
fn progress_bar(started: Instant, terminal: bool, done: u64, total: u64) {
    if terminal {
        let width = 40;
        let filled = (done * width / total.max(1)).min(width) as usize;
        eprint!(
            "\r[{}{}] {done}/{total} families, {:.0} s",
            "#".repeat(filled),
            " ".repeat(width as usize - filled),
            started.elapsed().as_secs_f64()
        );
        let _ = std::io::stderr().flush();
    }
}

async fn run_import(
    engine: &Engine,
    files: &[std::path::PathBuf],
    dry_run: bool,
    as_user: &str,
) -> anyhow::Result<ExitCode> {
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        sources.push(crate::app::import::Source {
            name: path.display().to_string(),
            bytes,
        });
    }
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let importer = crate::app::import::importer(as_user, None);
    let report = crate::app::import::import(
        engine,
        &sources,
        &importer,
        dry_run,
        Utc::now(),
        |done, total| progress_bar(started, terminal, done, total),
    )
    .await?;
    if terminal && report.imported > 0 {
        eprintln!();
    }
    for error in &report.errors {
        println!("{error}");
    }
    println!(
        "{}: {} rows, {} families: {} {}, {} persons; {} already imported (skipped); {} refused ({} problems); {} possible duplicates flagged; {:.1} s on {}",
        if dry_run { "dry run" } else { "import" },
        report.rows,
        report.families,
        report.imported,
        if dry_run {
            "would be imported"
        } else {
            "imported"
        },
        report.persons,
        report.already_present,
        report.refused,
        report.errors.len(),
        report.duplicate_flags,
        started.elapsed().as_secs_f64(),
        engine.store.backend_name()
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

async fn run_demo(engine: &Engine, families: u64, seed: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let report = demo::build(engine, families, seed, Utc::now(), |done| {
        progress_bar(started, terminal, done, families)
    })
    .await?;
    if terminal {
        eprintln!();
    }
    println!(
        "demo: {} families, {} persons, {} commands decided by the engine, {} cards collected, in {:.1} s on {}",
        report.families,
        report.persons,
        report.commands,
        report.cards_collected,
        started.elapsed().as_secs_f64(),
        engine.store.backend_name()
    );
    Ok(())
}

async fn serve(engine: Engine, settings: &Settings) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    let addr = listener.local_addr()?;
    println!("casework is listening on http://{addr}");
    println!("  health:    http://{addr}/healthz");
    println!("  readiness: http://{addr}/readyz");
    println!("  dashboard: http://{addr}/dashboard");
    println!("  API docs:  http://{addr}/docs/");
    println!("  OpenAPI:   http://{addr}/openapi.json");
    println!("  metrics:   http://{addr}/metrics");
    println!("  tokens:    casework users add NAME --role ROLE [--district D]");
    tracing::info!(%addr, database = %redact_url(&settings.database_url), "serving");
    let mailer = Mailer::from_url(&settings.mail_url)?;
    engine.store.watch_users();
    tokio::spawn(crate::jobs::run_forever(
        engine.clone(),
        mailer,
        settings.scheduler_start,
    ));
    axum::serve(listener, crate::http::router(engine))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
