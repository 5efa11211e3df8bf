//! The theme an edition is rendered with: the built-in templates and assets, each
//! replaced or added to by a file of the edition's own `templates/` or `static/`.

use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theme {
    /// Templates by name (`base.html`, `partials/rows.html`).
    pub templates: BTreeMap<String, Template>,
    /// Assets by path in the output (`style.css`).
    pub assets: BTreeMap<String, Asset>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Template {
    /// `templates/base.html` for an edition's file, `(built-in) templates/base.html`
    /// otherwise: where messages point.
    pub origin: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    /// As for [`Template::origin`].
    pub origin: String,
    pub contents: AssetContents,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AssetContents {
    BuiltIn(&'static str),
    /// A file of the edition, copied as it is.
    File(StoredFile),
}

/// A file of the edition published as it is (a facsimile, an asset): where to read
/// it, and what tells its versions apart, so that it is copied again only when it
/// changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredFile {
    pub path: PathBuf,
    pub version: u64,
}

/// How built-in origins begin.
pub const BUILT_IN: &str = "(built-in) ";

impl Template {
    pub fn is_built_in(&self) -> bool {
        self.origin.starts_with(BUILT_IN)
    }
}
