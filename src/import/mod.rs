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

// Public, not `pub(crate)`: tests/import_tei.rs reads the FRUS excerpt through it until
// `dossier import` dispatches here.
pub mod tei;

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
