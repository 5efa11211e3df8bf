//! The default theme, compiled into the binary, and an edition's overrides of it.
//!
//! An edition may have `templates/` and `static/` beside `content/`: a file there with
//! the name of a built-in one replaces it, any other file is added. This module only
//! gathers the files; `render` compiles templates and `write` writes assets.

use crate::diagnostics::{Diagnostic, Position};
use std::collections::BTreeMap;
use std::path::Path;

macro_rules! embed {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../", $dir, "/", $name)))),*]
    };
}

/// Built-in templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embed!("templates":
    "base.html",
    "home.html",
    "document.html",
    "documents.html",
    "page.html",
    "entry.html",
    "entries.html",
    "glossary.html",
    "source.html",
    "partials/occurrences.html",
    "partials/rows.html",
);

/// Built-in assets, by path in the output.
pub const ASSETS: &[(&str, &str)] = embed!("static":
    "style.css",
    "dossier.js",
    "favicon.svg",
);

/// A theme file: where it came from (for messages) and its contents.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// `templates/base.html` for an edition's file, `(built-in) templates/base.html`
    /// otherwise.
    pub origin: String,
    pub contents: Vec<u8>,
}

/// Whether a theme file's `origin` is the built-in theme (rather than the edition's).
pub fn is_built_in(origin: &str) -> bool {
    origin.starts_with(BUILT_IN)
}

const BUILT_IN: &str = "(built-in) ";

/// The templates to compile: built-in ones, replaced or added to by `<root>/templates/`.
pub fn templates(root: &Path) -> Result<BTreeMap<String, ThemeFile>, Vec<Diagnostic>> {
    gather(root, "templates", TEMPLATES)
}

/// The assets to copy: built-in ones, replaced or added to by `<root>/static/`.
pub fn assets(root: &Path) -> Result<BTreeMap<String, ThemeFile>, Vec<Diagnostic>> {
    gather(root, "static", ASSETS)
}

fn gather(
    root: &Path,
    folder: &str,
    built_in: &[(&str, &str)],
) -> Result<BTreeMap<String, ThemeFile>, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, ThemeFile> = built_in
        .iter()
        .map(|(name, contents)| {
            let file = ThemeFile {
                origin: format!("{BUILT_IN}{folder}/{name}"),
                contents: contents.as_bytes().to_vec(),
            };
            (name.to_string(), file)
        })
        .collect();
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok(files);
    }
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().unwrap_or(&dir).to_path_buf();
                problems.push(Diagnostic::error(
                    at,
                    Position::START,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&dir).expect("walked below dir");
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(contents) => {
                let origin = format!("{folder}/{name}");
                files.insert(name, ThemeFile { origin, contents });
            }
            Err(e) => problems.push(Diagnostic::error(
                entry.path(),
                Position::START,
                format!("cannot read: {e}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
