//! References from texts to register entries: which entry, and where it is named.

use serde::Serialize;
use std::fmt;

/// The four registers an entry can belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Event,
    Place,
    Term,
}

impl EntityKind {
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Event,
        EntityKind::Place,
        EntityKind::Term,
    ];

    /// The kind in machine-readable attributes (`data-entity="person:kim-il-sung"`).
    pub fn slug(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Event => "event",
            EntityKind::Place => "place",
            EntityKind::Term => "term",
        }
    }

    /// The register file the kind is kept in.
    pub fn register_file(self) -> &'static str {
        match self {
            EntityKind::Person => "content/people.yaml",
            EntityKind::Event => "content/events.yaml",
            EntityKind::Place => "content/places.yaml",
            EntityKind::Term => "content/glossary.yaml",
        }
    }

    /// The section of the site listing entries of the kind.
    pub fn section(self) -> &'static str {
        match self {
            EntityKind::Person => "people",
            EntityKind::Event => "events",
            EntityKind::Place => "places",
            EntityKind::Term => "glossary",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EntityKind::Person => "person",
            EntityKind::Event => "event",
            EntityKind::Place => "place",
            EntityKind::Term => "glossary term",
        })
    }
}

/// A register entry: its kind and id.
///
/// The id is shared, not copied: recognition hands out one per register entry,
/// so the millions of mentions, occurrences and lists of a large edition hold a
/// pointer each rather than a string each.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: std::sync::Arc<str>,
}

/// A place in a text that names a register entry. The words around it are read
/// from the text when a page shows them ([`super::AnnotatedText::in_context`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub entity: EntityRef,
    /// The segment of the text it is in (position in `AnnotatedText::segments`); for
    /// a mention in a footnote, the segment before the note's definition.
    /// (Four bytes: an edition names its entries millions of times.)
    pub segment: u32,
    /// The footnote it is in (position in `AnnotatedText::footnotes`), if it is in one.
    pub footnote: Option<u32>,
    /// Written by the editor as `[x](@id)` rather than recognised.
    pub explicit: bool,
    /// Where its words are in the text of its block (or note): byte offsets in
    /// `Content::text`.
    pub words: (u32, u32),
}
