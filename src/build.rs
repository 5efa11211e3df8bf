//! `dossier build` and `dossier check`: the pipeline run once.

use crate::diagnostics::Diagnostics;
use crate::load::Changed;
use crate::pipeline::{Pipeline, RunError};
use crate::progress::Progress;
use std::path::{Path, PathBuf};

/// What `dossier build` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// The edition's folder (holding `content/`).
    pub root: PathBuf,
    /// Where the site goes; replaced whole on success.
    pub output: PathBuf,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Links that work from the file system (`.../index.html`).
    pub relative: bool,
}

/// A finished build: what was written, and the warnings.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    /// Copies of images (facsimiles for the screen, thumbnails) made by resizing,
    /// and taken from the output the build replaced (see `write::images`).
    pub images_made: usize,
    pub images_reused: usize,
}

/// Why a build wrote nothing: the content has errors, or the output cannot be
/// written (see [`RunError`]).
pub type BuildError = RunError;

/// Builds the site: everything in memory, then one write that replaces the output.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_showing(options, Progress::hidden())
}

/// [`build`], showing its progress (`dossier build` on a terminal).
pub fn build_showing(
    options: &BuildOptions,
    progress: Progress,
) -> Result<BuildReport, BuildError> {
    let mut pipeline = Pipeline::once(options);
    pipeline.show_progress(progress);
    let run = pipeline.run(&Changed::Everything)?;
    // Freeing the pipeline's millions of small allocations one by one took 150 ms
    // at 10,000 documents, on one core, after the work was done; a command-line
    // build exits without waiting for it.
    std::thread::spawn(move || drop(pipeline));
    Ok(BuildReport {
        pages: run.pages,
        files: run.files,
        warnings: run.warnings,
        images_made: run.images_made,
        images_reused: run.images_reused,
    })
}

/// Everything `build` would report, without writing anything, plus what only `check`
/// looks for: words that look like names no register knows, and internal links of
/// the rendered site that lead nowhere.
pub fn check(root: &Path) -> Diagnostics {
    check_showing(root, Progress::hidden())
}

/// [`check`], showing its progress (`dossier check` on a terminal).
pub fn check_showing(root: &Path, progress: Progress) -> Diagnostics {
    crate::pipeline::check(
        &BuildOptions {
            root: root.to_path_buf(),
            output: root.join("public"),
            base_url: None,
            relative: false,
        },
        progress,
    )
}
