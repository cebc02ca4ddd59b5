//! `casework workflow check|diagram`: definition files checked or drawn,
//! without a database. `check` also checks the reference data beside the
//! definitions: a file named `…places.toml` is read as districts and
//! offices, `…holidays.toml` as the holidays calendar.

use std::process::ExitCode;

use super::{DiagramFormat, WorkflowCommand};
use crate::workflow::Workflow;

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
    } else if base.ends_with("holidays.toml") {
        crate::app::registry::load_calendar(Some(file))
            .map(|_| ())
            .map_err(|error| error.to_string())
    } else {
        load_definition(file).map(|_| ())
    }
}
