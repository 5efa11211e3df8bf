//! `dossier import`: material an editor already has, turned into an edition's files.
//!
//! Two kinds of input, each read by its own module into one shape, [`Imported`]:
//! archive text exports like the seed files (`archive`), and TEI P5 files (`tei`).
//! [`Imported`] is what the editor would have typed: front matter as YAML mappings in
//! the order an editor reads them, headnotes and texts as dossier Markdown, register
//! entries as mappings (keys dossier does not know included, kept for templates).
//! Writing it out is one function for both, which never overwrites a file unless told
//! to.
//!
//! Not a converter of everything: what an importer cannot place it reports as a
//! warning at its file and line, and leaves out; a file it cannot read at all is an
//! error. Each reader is `fn read(path, text, &mut Diagnostics) -> Imported`.
//! Public for the binary.

mod tei;

use serde_yaml::Mapping;
use std::path::PathBuf;

/// An edition, or part of one, read from files the editor had.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Imported {
    pub documents: Vec<ImportedDocument>,
    /// Register entries by id, in the order found; each a register's entry as YAML.
    pub people: Vec<(String, Mapping)>,
    pub places: Vec<(String, Mapping)>,
    pub events: Vec<(String, Mapping)>,
    pub glossary: Vec<(String, Mapping)>,
}

/// One document bundle: `content/documents/<slug>/index.md` and a file per text.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportedDocument {
    pub slug: String,
    /// The front matter, keys in the order they should be written.
    pub meta: Mapping,
    /// The headnote (the body of `index.md`), Markdown; may be empty.
    pub headnote: String,
    /// (language code, dossier Markdown), original first.
    pub texts: Vec<(String, String)>,
    /// Where it came from (for messages): the files it was read from.
    pub from: Vec<PathBuf>,
}

mod archive;
mod write;

pub use write::write;

use crate::diagnostics::{Diagnostics, Position};
use std::fmt;
use std::path::Path;

/// Why an import wrote nothing. Each says what to do about it.
#[derive(Debug)]
pub enum ImportError {
    /// Files that exist already; written only with `--force`.
    WouldOverwrite(Vec<PathBuf>),
    /// Register ids (file, id) the register has already; replaced only with `--force`.
    IdsTaken(Vec<(PathBuf, String)>),
    /// A document id that cannot be a folder name, or two documents with one id.
    BadSlug(String),
    /// A file of the edition that had to be read (a register) could not be.
    Unreadable { path: PathBuf, reason: String },
    /// The input files had errors (reported as diagnostics); their number.
    Problems(usize),
    /// Nothing importable was found in the files given.
    NothingFound,
    /// Metadata that YAML could not represent (should not happen with strings).
    Yaml(String),
    /// The disk refused a write; what was written before it stays.
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::WouldOverwrite(paths) => {
                write!(f, "these files exist already, so nothing was written:")?;
                for path in paths {
                    write!(f, "\n  {}", path.display())?;
                }
                write!(
                    f,
                    "\nimport into another folder (--into), or give --force to replace them"
                )
            }
            ImportError::IdsTaken(ids) => {
                write!(f, "these register ids exist already, so nothing was written:")?;
                for (path, id) in ids {
                    write!(f, "\n  {}: {id}", path.display())?;
                }
                write!(f, "\ngive --force to replace those entries with the imported ones")
            }
            ImportError::BadSlug(slug) => write!(
                f,
                "`{slug}` cannot be a document id (lowercase letters, digits and hyphens, one document each); nothing was written"
            ),
            ImportError::Unreadable { path, reason } => write!(
                f,
                "{}: cannot be read: {reason}; fix or move it, then import again (nothing was written)",
                path.display()
            ),
            ImportError::Problems(n) => write!(
                f,
                "{n} error(s) in the files to import (above); nothing was written"
            ),
            ImportError::NothingFound => write!(
                f,
                "no document found in the files given; nothing was written"
            ),
            ImportError::Yaml(e) => write!(f, "cannot write the metadata as YAML: {e}"),
            ImportError::Write { path, error } => write!(
                f,
                "{}: cannot write: {error}; files before it may have been written: fix the cause and import again with --force",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// What an import did: its warnings and errors about the input files (with their
/// places), and the files written or why none were.
#[derive(Debug)]
pub struct ImportOutcome {
    pub diagnostics: Diagnostics,
    pub result: Result<Vec<PathBuf>, ImportError>,
}

/// The kinds of file `dossier import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// A text export of an archive's document page, like the seed files.
    Archive,
    /// TEI P5 XML.
    Tei,
}

/// Which reader a file is for: by extension, and for files without a telling one by
/// their first characters. `None`: not a format dossier imports.
fn format_of(path: &Path, text: &str) -> Option<Format> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    match extension.as_deref() {
        Some("xml" | "tei") => Some(Format::Tei),
        _ if start.starts_with("<?xml") || start.starts_with("<TEI") => Some(Format::Tei),
        Some("txt" | "md" | "markdown" | "text") | None => Some(Format::Archive),
        Some(_) => None,
    }
}

/// `dossier import`: reads `files`, merges what belongs to one document (a
/// translation exported as a file of its own), and writes the documents into the
/// edition at `into`. Nothing is written if any file cannot be read.
pub fn import(files: &[PathBuf], into: &Path, force: bool) -> ImportOutcome {
    let mut diagnostics = Diagnostics::new();
    let mut imported = Imported::default();
    for path in files {
        let part = read_file(path, &mut diagnostics);
        imported.documents.extend(part.documents);
        imported.people.extend(part.people);
        imported.places.extend(part.places);
        imported.events.extend(part.events);
        imported.glossary.extend(part.glossary);
    }
    archive::attach_headerless(&mut imported.documents, &mut diagnostics);
    unique_slugs(&mut imported.documents);
    let result = if diagnostics.has_errors() {
        Err(ImportError::Problems(diagnostics.error_count()))
    } else if imported == Imported::default() {
        Err(ImportError::NothingFound)
    } else {
        write(&imported, into, force)
    };
    ImportOutcome {
        diagnostics,
        result,
    }
}

/// Reads one file an editor has, of either kind, into what it holds; what is
/// wrong with it goes to `diagnostics` (nothing is read from a file that is not
/// UTF-8 or of no kind dossier imports). Public for the tests of the importers.
pub fn read_file(path: &Path, diagnostics: &mut Diagnostics) -> Imported {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                diagnostics.error(
                    path,
                    Position::START,
                    "not UTF-8 text: dossier imports text exports (UTF-8) and TEI XML; convert the file to UTF-8 first",
                );
                return Imported::default();
            }
        },
        Err(e) => {
            diagnostics.error(path, Position::START, format!("cannot read: {e}"));
            return Imported::default();
        }
    };
    match format_of(path, &text) {
        Some(Format::Archive) => archive::read(path, &text, diagnostics),
        Some(Format::Tei) => tei::read(path, &text, diagnostics),
        None => {
            diagnostics.error(
                path,
                Position::START,
                "unknown format: dossier imports archive text exports (.txt, .md) and TEI P5 (.xml)",
            );
            Imported::default()
        }
    }
}

/// Gives the second and later of documents with one slug `-2`, `-3`...: two
/// documents of one title are two documents, not one written over the other.
fn unique_slugs(documents: &mut [ImportedDocument]) {
    let mut seen = std::collections::HashSet::new();
    for document in documents {
        let base = document.slug.clone();
        let mut n = 1;
        while !seen.insert(document.slug.clone()) {
            n += 1;
            document.slug = format!("{base}-{n}");
        }
    }
}
