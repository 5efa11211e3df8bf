//! The build pipeline: load → annotate → index → render → write.
//!
//! Each stage takes the previous one's data and returns its own; this module only
//! runs them in order, stops before writing when any problem is an error, and reports.

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::links::Links;
use crate::render::{OutputFile, Renderer};
use crate::write::WriteError;
use crate::{annotate, index, load, render, theme, write};
use std::fmt;
use std::path::PathBuf;

/// What `dossier build` was asked to do.
#[derive(Debug, Clone)]
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
    let mut diagnostics = Diagnostics::new();
    let files = generate(options, &mut diagnostics);
    let diagnostics = diagnostics.sorted();
    let files = match files {
        Some(files) if !diagnostics.has_errors() => files,
        _ => return Err(BuildError::Content(diagnostics)),
    };
    write::write(&options.output, &files).map_err(BuildError::Output)?;
    Ok(BuildReport {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
        warnings: diagnostics,
    })
}

/// Everything `build` would report, without writing anything, plus the hints only
/// `check` gives (words that look like names no register knows).
pub fn check(root: &std::path::Path) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        base_url: None,
        relative: false,
    };
    if let Some(edition) = load::load(root, &mut Diagnostics::new()) {
        annotate::name_hints(&edition, &mut diagnostics);
    }
    generate(&options, &mut diagnostics);
    diagnostics.sorted()
}

/// All output files of the edition, or `None` when a stage could not produce its
/// part (the reasons are in `diagnostics`).
fn generate(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Vec<OutputFile>> {
    let mut edition = load::load(&options.root, diagnostics)?;
    if let Some(base_url) = &options.base_url {
        edition.config.base_url = base_url.clone();
    }
    let links = Links::new(&edition.config.base_url, options.relative);
    let annotated = annotate::annotate(&edition, &links, diagnostics);
    let site_index = index::index(&edition, &annotated);
    let renderer = Renderer::new(&options.root, links)
        .map_err(|problems| diagnostics.extend(problems))
        .ok()?;
    if diagnostics.has_errors() {
        // Rendering pages of a broken edition would only add noise.
        return None;
    }
    let mut files = render::render(&edition, &annotated, &site_index, &renderer)
        .map_err(|problems| diagnostics.extend(problems))
        .ok()?;
    // A document's own files (facsimiles) are published beside its page.
    for document in &edition.documents {
        for name in &document.files {
            let path = options
                .root
                .join("content/documents")
                .join(&document.id)
                .join(name);
            match std::fs::read(&path) {
                Ok(contents) => files.push(OutputFile {
                    path: format!("{}{name}", crate::links::document_address(&document.id)),
                    contents,
                }),
                Err(e) => diagnostics.push(Diagnostic::error(
                    path,
                    Position::START,
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    let assets = theme::assets(&options.root)
        .map_err(|problems| diagnostics.extend(problems))
        .ok()?;
    for (path, asset) in assets {
        if files.iter().any(|f| f.path == path) {
            diagnostics.push(Diagnostic::error(
                PathBuf::from(&asset.origin),
                Position::START,
                format!("`{path}` would overwrite a generated page: rename the file"),
            ));
            continue;
        }
        files.push(OutputFile {
            path,
            contents: asset.contents,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Some(files)
}
