//! Errors of the data files beside the definitions, each at its file and
//! line (`file:line: message`), all of a file at once.

use std::fmt;

/// A problem in a data file (a definition, the places), at a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Every problem found in a data file, in file order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LineErrors(pub Vec<LineError>);

impl fmt::Display for LineErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}
