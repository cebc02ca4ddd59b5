//! The progress bar that `demo`, `serve --demo` and `import` draw while
//! they work.

use std::io::Write;
use std::time::Instant;

/// Draws a progress bar on standard error when it is a terminal.
pub(super) fn progress_bar(started: Instant, terminal: bool, done: u64, total: u64) {
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
