//! Texts after annotation: segments of HTML ready to place on a page.

use super::{EntityRef, Mention};
use serde::Serialize;

/// One top-level block of a text (a paragraph, a list, a table): the unit that is
/// aligned with the other language and cited by readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// 1-based line in the text's file where the block starts.
    pub line: usize,
    /// The editor's alignment marker (`{§ 12}`), if the block carries one.
    pub anchor: Option<String>,
    /// The block as HTML, editorial markup included; in a document's texts, each
    /// mention's opening tag is a marker the page fills in (see
    /// [`AnnotatedText::linked`]).
    pub html: String,
}

/// A footnote of a text, shown at the end with a link back to its reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Footnote {
    /// The id used in links (unique on the page: it carries the language).
    pub id: String,
    /// The id of its (first) reference in the text, for the link back.
    pub reference: String,
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
    /// The entries whose mentions' opening tags the page writes (document texts: see
    /// `annotate::MentionTags`); empty when the HTML holds its tags.
    #[serde(skip)]
    pub linked: Vec<EntityRef>,
}

/// A document's annotated headnote and texts, in the order of `Document::texts`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnotatedDocument {
    pub headnote: AnnotatedText,
    pub texts: Vec<AnnotatedText>,
    /// For each translation (position in `texts`, never 0: that is the original), its
    /// alignment with the original.
    pub alignments: Vec<Alignment>,
}

/// A translation set beside the original, row by row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Position of the translation in `AnnotatedDocument::texts`.
    pub translation: usize,
    pub rows: Vec<AlignedRow>,
}

/// Segments of the original shown level with segments of the translation (either
/// side may be empty: a block with no counterpart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedRow {
    /// Segment positions in the original.
    pub original: Vec<usize>,
    /// Segment positions in the translation.
    pub translation: Vec<usize>,
    /// From 0 (a guess) to 1 (pinned by the editor).
    pub confidence: f32,
    pub by: AlignedBy,
}

/// What decided a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlignedBy {
    /// The editor's `{§ N}` markers.
    Marker,
    /// Equal numbers of blocks, taken in order.
    Order,
    /// The length-based dynamic programme.
    Lengths,
}
