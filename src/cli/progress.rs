//! The progress that `demo`, `serve --demo` and `import` show while they
//! work: a bar redrawn in place when standard error is a terminal, a plain
//! line every few seconds when it is not (a log file, a pipe, CI).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often a plain progress line is written when standard error is not a
/// terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// Progress towards `total` things (families), shown on standard error.
pub(super) struct Progress {
    what: &'static str,
    started: Instant,
    terminal: bool,
    /// When the last plain line was written (not on a terminal).
    last_line: Instant,
    /// Whether a bar is drawn and still needs its line ended.
    drawn: bool,
}

impl Progress {
    /// Starts showing progress of `what` (a plural noun, e.g. "families").
    pub(super) fn start(what: &'static str) -> Progress {
        let now = Instant::now();
        Progress {
            what,
            started: now,
            terminal: std::io::stderr().is_terminal(),
            last_line: now,
            drawn: false,
        }
    }

    /// Seconds since the start.
    pub(super) fn elapsed_seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Shows that `done` of `total` are done.
    pub(super) fn update(&mut self, done: u64, total: u64) {
        let seconds = self.started.elapsed().as_secs_f64();
        if self.terminal {
            eprint!("\r{}", bar_line(done, total, self.what, seconds));
            let _ = std::io::stderr().flush();
            self.drawn = true;
        } else if self.last_line.elapsed() >= PLAIN_EVERY || (done >= total && done > 0) {
            eprintln!("{}", plain_line(done, total, self.what, seconds));
            self.last_line = Instant::now();
        }
    }

    /// Ends the bar's line, so what follows starts on a line of its own.
    pub(super) fn finish(&mut self) {
        if self.drawn {
            eprintln!();
            self.drawn = false;
        }
    }
}

/// The bar drawn on a terminal.
fn bar_line(done: u64, total: u64, what: &str, seconds: f64) -> String {
    let width = 40;
    let filled = (done * width / total.max(1)).min(width) as usize;
    format!(
        "[{}{}] {done}/{total} {what}, {seconds:.0} s",
        "#".repeat(filled),
        " ".repeat(width as usize - filled),
    )
}

/// The line written every few seconds when not on a terminal.
fn plain_line(done: u64, total: u64, what: &str, seconds: f64) -> String {
    let percent = (done * 100).checked_div(total).unwrap_or(100).min(100);
    format!("progress: {done}/{total} {what} ({percent}%), {seconds:.0} s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_in_proportion_and_the_plain_line_has_no_control_characters() {
        let half = bar_line(50, 100, "families", 3.0);
        assert!(half.starts_with(&format!("[{}{}]", "#".repeat(20), " ".repeat(20))));
        assert!(half.ends_with("50/100 families, 3 s"));
        let plain = plain_line(250, 1000, "families", 12.4);
        assert_eq!(plain, "progress: 250/1000 families (25%), 12 s");
        assert!(!plain.chars().any(char::is_control));
        assert_eq!(
            plain_line(0, 0, "families", 0.0),
            "progress: 0/0 families (100%), 0 s"
        );
    }
}
