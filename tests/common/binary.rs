//! The real binary, run on a test's database as an operator would.

use std::path::Path;
use std::process::Command;

use super::TestDb;

/// `casework` on `db`, in `dir`, logging only warnings, with no
/// configuration file; callers add the arguments and anything else.
pub fn casework(db: &TestDb, dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_casework"));
    command
        .current_dir(dir)
        .env("DATABASE_URL", &db.url)
        .env("CASEWORK_LOG", "warn")
        .env_remove("CASEWORK_CONFIG");
    command
}
