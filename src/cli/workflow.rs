//! `casework workflow check|diagram`: definition files checked or drawn,
//! without a database. `check` also checks the reference data beside the
//! definitions: a file named `…places.toml` is read as districts and
//! offices, `…holidays.toml` as the holidays calendar, and
//! `NAME.vA-to-vB.toml` as a migration map, checked against the two
//! definitions it names: the files `NAME.vA.toml` and `NAME.vB.toml` beside
//! it when they are there, else the built-in ones.

use std::process::ExitCode;

use super::{DiagramFormat, WorkflowCommand};
use std::sync::Arc;

use crate::workflow::Workflow;
use crate::workflow::migration::{MigrationMap, key};

/// Checks definition files or prints one's state diagram.
pub(super) fn run(command: WorkflowCommand) -> ExitCode {
    match command {
        WorkflowCommand::Check { files } => {
            let mut failed = false;
            for file in &files {
                match check_file(file) {
                    Ok(()) => println!("{}: ok", file.display()),
                    Err(errors) => {
                        failed = true;
                        println!("{errors}");
                    }
                }
            }
            if let Err(error) = check_together(&files) {
                failed = true;
                println!("{error}");
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        WorkflowCommand::Migrate { .. } => {
            eprintln!("casework workflow migrate needs the database: run it through cli::run");
            ExitCode::FAILURE
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

pub(super) fn load_definition(file: &std::path::Path) -> Result<Workflow, String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{name}:1: cannot read the file: {e}"))?;
    Workflow::from_toml(&name, &text).map_err(|errors| errors.to_string())
}

/// The definitions given, with the built-in ones they do not replace, as
/// one registry: two workflows may not share a state name.
fn check_together(files: &[std::path::PathBuf]) -> Result<(), String> {
    use crate::app::registry::{BUILTIN, Registry};
    let given: Vec<(String, Workflow)> = files
        .iter()
        .filter_map(|f| {
            load_definition(f)
                .ok()
                .map(|w| (f.display().to_string(), w))
        })
        .collect();
    let mut registry = Registry::default();
    for (file, text) in BUILTIN {
        if let Ok(workflow) = Workflow::from_toml(file, text)
            && !given
                .iter()
                .any(|(_, w)| w.name == workflow.name && w.version == workflow.version)
        {
            registry.add(file, workflow).map_err(|e| e.to_string())?;
        }
    }
    for (file, workflow) in given {
        if registry.get(&workflow.name, workflow.version).is_none() {
            registry.add(&file, workflow).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Checks one file as what its name says it is.
fn check_file(file: &std::path::Path) -> Result<(), String> {
    let name = file.display().to_string();
    let base = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if base.ends_with("places.toml") {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("{name}:1: cannot read the file: {e}"))?;
        crate::domain::places::Places::from_toml(&name, &text)
            .map(|_| ())
            .map_err(|errors| errors.to_string())
    } else if is_migration_map(&base) {
        check_map(file)
    } else if base.ends_with("holidays.toml") {
        crate::app::registry::load_calendar(Some(file))
            .map(|_| ())
            .map_err(|error| error.to_string())
    } else {
        load_definition(file).map(|_| ())
    }
}

/// Whether a file name is a migration map's: `NAME.vA-to-vB.toml`.
pub(super) fn is_migration_map(base: &str) -> bool {
    base.strip_suffix(".toml")
        .and_then(|stem| stem.rsplit_once("-to-v"))
        .is_some_and(|(head, to)| {
            to.parse::<u32>().is_ok()
                && head
                    .rsplit_once(".v")
                    .is_some_and(|(_, from)| from.parse::<u32>().is_ok())
        })
}

/// Reads and checks a migration map; returns it with the two definitions.
pub(super) fn load_map(
    file: &std::path::Path,
) -> Result<(MigrationMap, Arc<Workflow>, Arc<Workflow>), String> {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{name}:1: cannot read the file: {e}"))?;
    let map = MigrationMap::parse(&name, &text).map_err(|e| e.to_string())?;
    let definition = |(workflow, version): &(String, u32)| -> Result<Arc<Workflow>, String> {
        let beside = file
            .parent()
            .map(|dir| dir.join(format!("{workflow}.v{version}.toml")));
        if let Some(path) = beside.filter(|p| p.exists()) {
            return load_definition(&path).map(Arc::new);
        }
        crate::app::registry::Registry::load(None)
            .map_err(|e| e.to_string())?
            .get(workflow, *version)
            .ok_or_else(|| {
                format!(
                    "{name}:1: no definition {} beside the map or built in",
                    key(workflow, *version)
                )
            })
    };
    let from = definition(&map.from)?;
    let to = definition(&map.to)?;
    map.check(&from, &to).map_err(|e| e.to_string())?;
    Ok((map, from, to))
}

fn check_map(file: &std::path::Path) -> Result<(), String> {
    load_map(file).map(|_| ())
}

/// The arguments of `casework workflow migrate`.
pub(super) struct MigrateArgs {
    pub from: String,
    pub to: String,
    pub map: Option<std::path::PathBuf>,
    pub filter: Option<String>,
    pub dry_run: bool,
    pub batch: u64,
    pub limit: Option<u64>,
    pub as_user: String,
}

/// `casework workflow migrate`: the plan, or the run with a progress line.
pub(super) async fn migrate(
    settings: &crate::config::Settings,
    args: MigrateArgs,
) -> anyhow::Result<ExitCode> {
    use crate::app::migration::{self, MigrationRequest};
    let map = match &args.map {
        Some(file) => match load_map(file) {
            Ok((map, _, _)) => Some(Arc::new(map)),
            Err(errors) => {
                eprintln!("{errors}");
                return Ok(ExitCode::FAILURE);
            }
        },
        None => None,
    };
    let (mut state, mut district) = (None, None);
    for part in args.filter.iter().flat_map(|f| f.split(',')) {
        match part.trim().split_once('=') {
            Some(("state", v)) => state = Some(v.trim().to_string()),
            Some(("district", v)) => district = Some(v.trim().to_string()),
            _ => {
                eprintln!("--where takes state=…,district=…, not '{part}'");
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let request = MigrationRequest {
        from: args.from,
        to: args.to,
        map,
        state,
        district,
        batch: args.batch,
        limit: args.limit,
    };
    let engine = super::engine(settings).await?;
    let started = std::time::Instant::now();
    let plan = if args.dry_run {
        let plan = migration::plan(&engine, &request).await?;
        println!("plan (dry run, nothing written):");
        plan
    } else {
        // Redrawn in place on a terminal; a line every 5 s in a log.
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let mut last_line = std::time::Instant::now();
        let plan = migration::apply(
            &engine,
            &request,
            &args.as_user,
            |p| {
                let line = format!(
                    "{} cases looked at, {} moved ({:.1} s)",
                    p.looked_at,
                    p.moved,
                    started.elapsed().as_secs_f64()
                );
                if terminal {
                    eprint!("\r{line}");
                } else if last_line.elapsed() >= std::time::Duration::from_secs(5) {
                    eprintln!("{line}");
                    last_line = std::time::Instant::now();
                }
            },
            chrono::Utc::now,
        )
        .await?;
        if terminal {
            eprintln!();
        }
        println!("done:");
        plan
    };
    print!("{}", plan.render());
    println!("({:.1} s)", started.elapsed().as_secs_f64());
    Ok(if plan.conflicts > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
