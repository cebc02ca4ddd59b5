//! `casework workflow check|diagram`: definition files checked or drawn,
//! without a database.

use std::process::ExitCode;

use super::{DiagramFormat, WorkflowCommand};
use crate::workflow::Workflow;

/// Checks definition files or prints one's state diagram.
pub(super) fn run(command: WorkflowCommand) -> ExitCode {
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
