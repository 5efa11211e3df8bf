//! The build pipeline: load → annotate → index → render → write.
//!
//! Each stage takes the previous one's data and returns its own; this module only
//! runs them in order, stops before writing when any problem is an error, and reports.

use crate::diagnostics::Diagnostics;
use crate::site::Site;
use crate::write::WriteError;
use crate::{annotate, links, write};
use std::fmt;
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
}

#[derive(Debug)]
pub enum BuildError {
    /// The content has errors (all of them, with the warnings); nothing was written.
    Content(Diagnostics),
    /// The output could not be written; the previous output is untouched.
    Output(WriteError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Content(d) => write!(f, "{d}"),
            BuildError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Builds the site: everything in memory, then one write that replaces the output.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    write::check_output(&options.root, &options.output).map_err(BuildError::Output)?;
    let staging = write::Staging::new(&options.output).map_err(BuildError::Output)?;
    // Pages go to disk as they are rendered; the staging folder takes the output's
    // place only when all went well (dropped, it is removed).
    let mut site = Site::load(options, &staging).map_err(BuildError::Content)?;
    staging.commit().map_err(BuildError::Output)?;
    let files = site.files();
    let report = BuildReport {
        pages: files.keys().filter(|p| p.ends_with(".html")).count(),
        files: files.len(),
        warnings: std::mem::take(&mut site.warnings),
    };
    // Freeing the site's millions of small allocations one by one took 150 ms at
    // 10,000 documents, on one core, after the work was done; a command-line build
    // exits without waiting for it.
    std::thread::spawn(move || drop(site));
    Ok(report)
}

/// Everything `build` would report, without writing anything, plus what only `check`
/// looks for: words that look like names no register knows, and internal links of
/// the rendered site that lead nowhere.
pub fn check(root: &Path) -> Diagnostics {
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        relative: false,
    };
    let links = links::LinkCheck::default();
    let mut diagnostics = match Site::load(&options, &links) {
        Ok(site) => {
            let mut d = site.warnings.clone();
            annotate::name_hints(site.edition(), &mut d);
            d.extend(links.broken(site.files()));
            d
        }
        Err(d) => d,
    };
    diagnostics = std::mem::take(&mut diagnostics).sorted();
    diagnostics
}
