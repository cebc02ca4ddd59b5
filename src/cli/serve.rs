//! `casework serve`: the HTTP server and the reminder loop beside it,
//! optionally on a freshly seeded demo province.

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;

use super::engine;
use crate::app::{Engine, demo, users};
use crate::config::{Settings, redact_url};
use crate::domain::language::Lang;
use crate::domain::roles::Role;
use crate::domain::words::cli;
use crate::mail::Mailer;

/// Serves until Ctrl-C; with `demo`, an empty database gets the demo
/// province, a director with a password and a token, and its officers
/// first.
pub(super) async fn run(
    mut settings: Settings,
    addr: Option<String>,
    demo: bool,
    families: u64,
) -> anyhow::Result<ExitCode> {
    if let Some(addr) = addr {
        settings.addr = addr
            .parse()
            .with_context(|| format!("--addr '{addr}' is not HOST:PORT"))?;
    }
    // A configured checkpoint key that cannot be read stops the server
    // here, before anything is served.
    let checkpoints = super::audit::checkpoint_settings(&settings)?;
    let mut engine = engine(&settings).await?;
    engine.settings.checkpoints = checkpoints;
    if demo {
        let existing = crate::store::cases::count_applications(&engine.store).await?;
        if existing == 0 {
            build_province_apart(families, DEMO_SEED).await?;
            seed_accounts(&engine, super::chosen_lang(None)).await?;
        } else {
            println!("the database already holds {existing} applications: no demo data added");
        }
    }
    serve_until_stopped(engine, &settings).await?;
    Ok(ExitCode::SUCCESS)
}

/// The demo's accounts, each password printed once in `lang`: a director
/// with a password and an API token, and the officers with their roles
/// (`app::demo::accounts`: enough of each role for every separation rule).
async fn seed_accounts(engine: &Engine, lang: Lang) -> anyhow::Result<()> {
    let director = demo::director_full_name();
    let token = users::add_officer(
        engine,
        &users::NewOfficer {
            name: demo::DIRECTOR,
            full_name: Some(&director),
            roles: &[Role::Leadership],
            ..users::NewOfficer::default()
        },
        Utc::now(),
    )
    .await?;
    let password = demo_password()?;
    crate::app::passwords::set_password(engine, demo::DIRECTOR, &password).await?;
    println!(
        "{}",
        lang.say(&cli::demo_director(demo::DIRECTOR, &password, &token))
    );
    let password = demo_password()?;
    let officers = demo::add_officers(engine, &password, Utc::now()).await?;
    println!("{}", lang.say(&cli::demo_officers(&password)));
    for officer in &officers {
        println!(
            "{}",
            lang.say(&cli::demo_officer(
                &officer.name,
                &officer.full_name,
                &officer.roles.iter().map(|r| r.words()).collect::<Vec<_>>()
            ))
        );
    }
    Ok(())
}

/// A new password for demo accounts.
fn demo_password() -> anyhow::Result<String> {
    Ok(crate::app::accounts::new_secret("demo-")?
        .chars()
        .take(21)
        .collect())
}

/// The seed of the demo province `serve --demo` builds.
const DEMO_SEED: u64 = 2011;

/// Builds the demo province in a child process (`casework demo`, with this
/// process's environment, so the same database), which shows its own
/// progress and prints its own report.
///
/// Built in this process, the province's hundreds of thousands of short-lived
/// allocations left the server holding 324 MB resident (RssAnon, the heap)
/// for as long as it ran, against 27 MB for a plain `serve`; a child's
/// memory goes back to the system when it exits, and the server now starts
/// at 41 MB (48,000 families, SQLite, VmRSS 10 s after it listens).
async fn build_province_apart(families: u64, seed: u64) -> anyhow::Result<()> {
    let program = std::env::current_exe().context("finding this program to build the demo")?;
    let mut command = std::process::Command::new(&program);
    command.args([
        "demo",
        "--families",
        &families.to_string(),
        "--seed",
        &seed.to_string(),
    ]);
    let status = tokio::task::spawn_blocking(move || command.status())
        .await?
        .with_context(|| format!("running {} demo", program.display()))?;
    anyhow::ensure!(
        status.success(),
        "building the demo province failed ({status}); nothing is served"
    );
    Ok(())
}

/// Listens, prints where, starts the reminder loop, and serves until Ctrl-C.
async fn serve_until_stopped(engine: Engine, settings: &Settings) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    let addr = listener.local_addr()?;
    println!("casework is listening on http://{addr}");
    println!("  workbench: http://{addr}/  (officers sign in at /signin)");
    println!("  health:    http://{addr}/healthz");
    println!("  readiness: http://{addr}/readyz");
    println!("  dashboard: http://{addr}/dashboard");
    println!("  API docs:  http://{addr}/docs/");
    println!("  OpenAPI:   http://{addr}/openapi.json");
    println!("  metrics:   http://{addr}/metrics");
    println!("  sign-in:   http://{addr}/signin");
    println!("  tokens:    casework users add NAME --role ROLE [--district D | --all-districts]");
    println!("  passwords: casework users passwd NAME");
    tracing::info!(%addr, database = %redact_url(&settings.database_url), "serving");
    let mailer = Mailer::from_url(&settings.mail_url)?;
    engine.store.watch_users();
    engine.store.watch_replica();
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
