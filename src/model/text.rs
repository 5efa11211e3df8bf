//! Texts after annotation: segments of HTML ready to place on a page.

use super::Mention;
use serde::Serialize;

/// One top-level block of a text (a paragraph, a list, a table): the unit that is
/// aligned with the other language and cited by readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// 1-based line in the text's file where the block starts.
    pub line: usize,
    /// The editor's alignment marker (`{§ 12}`), if the block carries one.
    pub anchor: Option<String>,
    /// The block as HTML, editorial markup included.
    pub html: String,
    /// The block as plain text (the reading text: deletions left out), for alignment,
    /// search and passages.
    pub text: String,
}

/// A footnote of a text, shown at the end with a link back to its reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Footnote {
    /// The id used in links (unique on the page: it carries the language).
    pub id: String,
    /// The number readers see.
    pub number: usize,
    /// The note's content as HTML.
    pub html: String,
}

/// A text (or a headnote, or a free page) after annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnotatedText {
    pub lang: String,
    pub segments: Vec<Segment>,
    pub footnotes: Vec<Footnote>,
    /// Register entries named in the text, in text order.
    pub mentions: Vec<Mention>,
}

/// A document's annotated headnote and texts, in the order of `Document::texts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnotatedDocument {
    pub headnote: AnnotatedText,
    pub texts: Vec<AnnotatedText>,
}
