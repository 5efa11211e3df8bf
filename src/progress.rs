//! What a long build shows on a terminal: the stage it is in, and while pages are
//! made, how many of how many. Drawn with indicatif on stderr, and only when stderr
//! is a terminal: never in logs, pipes or CI, where the summary line is all.
//!
//! Not here: timings (`DOSSIER_TIMINGS`, in the pipeline), messages (`diagnostics`).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// A run's progress, shown or not.
#[derive(Clone)]
pub struct Progress(Option<ProgressBar>);

impl Default for Progress {
    fn default() -> Self {
        Self::hidden()
    }
}

impl Progress {
    /// Shows nothing (a library call, `serve`'s runs after an edit, tests).
    pub fn hidden() -> Self {
        Self(None)
    }

    /// Shown on stderr if it is a terminal, else nothing.
    pub fn on_terminal() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
        Self(Some(bar))
    }

    /// A stage begins whose length is not counted ("annotating").
    pub(crate) fn stage(&self, name: &'static str) {
        if let Some(bar) = &self.0 {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("a template"),
            );
            bar.set_message(name);
        }
    }

    /// A stage begins of `total` steps ("rendering", pages and files to make).
    pub(crate) fn counting(&self, name: &'static str, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
                    .expect("a template")
                    .progress_chars("=> "),
            );
            bar.set_message(name);
            bar.set_length(total as u64);
            bar.set_position(0);
        }
    }

    /// `steps` more are done.
    pub(crate) fn advance(&self, steps: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(steps as u64);
        }
    }

    /// The run is over: the line goes, for the summary to take its place.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
