//! Archive text exports (placeholder).
use super::{Imported, ImportedDocument};
use crate::diagnostics::Diagnostics;
use std::path::Path;

pub(crate) fn read(_path: &Path, _text: &str, _diagnostics: &mut Diagnostics) -> Imported {
    Imported::default()
}

pub(crate) fn attach_headerless(
    _documents: &mut Vec<ImportedDocument>,
    _diagnostics: &mut Diagnostics,
) {
}
