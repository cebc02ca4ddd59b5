//! The command line: every subcommand is a thin call into the library.
//! `args` holds what clap parses; `run` reads the settings once and hands
//! each subcommand to its own file; `engine` connects and migrates for all
//! of them.

mod agencies;
mod args;
mod audit;
mod bench;
mod demo;
mod documents;
mod import;
mod migrate;
mod openapi;
mod outbox;
mod progress;
mod remind;
mod serve;
mod stats;
mod users;
mod workflow;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

pub use self::args::{
    AgenciesCommand, AuditCommand, BenchCommand, Cli, Commands, DiagramFormat, DocumentsCommand,
    OutboxCommand, StatsCommand, UsersCommand, WorkflowCommand,
};
use crate::app::registry::{self, Registry};
use crate::app::sessions::SessionSettings;
use crate::app::{Engine, EngineSettings};
use crate::config::{Settings, redact_url};
use crate::domain::language::Lang;
use crate::store::{Store, StoreOptions};

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Read once, here. A command that needs no database (`workflow`,
    // `openapi`, `bench import --write-csv`) never looks at the result, so a
    // broken environment cannot stop it.
    let settings = Settings::load();
    match cli.command {
        Commands::Serve {
            addr,
            demo,
            families,
        } => serve::run(settings?, addr, demo, families).await,
        Commands::Migrate => migrate::run(&settings?).await,
        Commands::Demo { families, seed } => demo::run(&settings?, families, seed).await,
        Commands::Import {
            files,
            dry_run,
            as_user,
            lang,
            scans,
        } => {
            import::run(
                &settings?,
                &files,
                dry_run,
                &as_user,
                lang,
                scans.as_deref(),
            )
            .await
        }
        Commands::Documents { command } => documents::run(&settings?, command).await,
        Commands::Workflow {
            command:
                WorkflowCommand::Migrate {
                    from,
                    to,
                    map,
                    filter,
                    dry_run,
                    batch,
                    limit,
                    as_user,
                },
        } => {
            workflow::migrate(
                &settings?,
                workflow::MigrateArgs {
                    from,
                    to,
                    map,
                    filter,
                    dry_run,
                    batch,
                    limit,
                    as_user,
                },
            )
            .await
        }
        Commands::Workflow { command } => Ok(workflow::run(command)),
        Commands::Audit { command } => audit::run(&settings?, command).await,
        Commands::Stats { command } => stats::run(&settings?, command).await,
        Commands::Users { command } => users::run(&settings?, command).await,
        Commands::Agencies { command } => agencies::run(&settings?, command).await,
        Commands::Openapi { portal } => openapi::run(portal),
        Commands::Remind { once: _, at } => remind::run(&settings?, at).await,
        Commands::Bench { command } => bench::run(settings, command).await,
        Commands::Outbox { command } => outbox::run(&settings?, command).await,
    }
}

/// The language a command reports in: `--lang`, else the locale's (see
/// `import`), else English.
fn chosen_lang(lang: Option<Lang>) -> Lang {
    lang.unwrap_or_else(|| {
        import::locale_lang(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    })
}

/// A district or an office as an operator reads it: its name in `lang`
/// and its code in brackets (the code alone when the places file does not
/// list it).
fn place_name(engine: &Engine, code: &str, lang: Lang) -> String {
    match engine.places.names(code) {
        Some(names) => {
            let name = match lang {
                Lang::Ar => &names.ar,
                Lang::En => &names.en,
            };
            format!("{name} ({code})")
        }
        None => code.to_string(),
    }
}

/// Connects, migrates, and loads the definitions, calendar and places.
pub async fn engine(settings: &Settings) -> anyhow::Result<Engine> {
    let workflows = Registry::load(settings.workflows_dir.as_deref())?;
    let calendar = registry::load_calendar(settings.holidays_file.as_deref())?;
    let places = registry::load_places(settings.places_file.as_deref())?;
    let store = Store::connect(&StoreOptions {
        url: settings.database_url.clone(),
        max_connections: settings.max_connections,
    })
    .await
    .with_context(|| format!("connecting to {}", redact_url(&settings.database_url)))?;
    store.set_group_commit(settings.group_commit);
    let store = match &settings.read_database_url {
        None => store,
        Some(url) => store.with_replica(
            crate::store::replica::Replica::connect(
                url,
                settings.read_max_lag_ms,
                settings.max_connections,
            )
            .await
            .with_context(|| format!("the read replica {}", redact_url(url)))?,
        ),
    };
    crate::app::system::migrate(&store, chrono::Utc::now())
        .await
        .context("applying migrations")?;
    Ok(Engine {
        store,
        workflows: Arc::new(workflows),
        calendar: Arc::new(calendar),
        places: Arc::new(places),
        files: crate::files::DocumentStore::open(&settings.documents_url)?,
        settings: EngineSettings {
            documents_limit: u64::from(settings.documents_max_mb) * 1024 * 1024,
            dashboard_digits: settings.dashboard_digits,
            sessions: SessionSettings {
                idle: chrono::Duration::minutes(i64::from(settings.session_idle_minutes)),
                absolute: chrono::Duration::hours(i64::from(settings.session_hours)),
                https: settings.https,
            },
            ..EngineSettings::default()
        },
    })
}
