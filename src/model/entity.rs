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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: String,
}

/// A place in a text that names a register entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub entity: EntityRef,
    /// The segment of the text it is in (position in `AnnotatedText::segments`).
    pub segment: usize,
    /// The words as the text has them ("Ким Ир Сеном").
    pub surface: String,
    /// Keyword in context: some words before and after, in the same block.
    pub before: String,
    pub after: String,
    /// Written by the editor as `[x](@id)` rather than recognised.
    pub explicit: bool,
}
