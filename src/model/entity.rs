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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub entity: EntityRef,
    /// The segment of the text it is in (position in `AnnotatedText::segments`).
    pub segment: usize,
    /// Written by the editor as `[x](@id)` rather than recognised.
    pub explicit: bool,
    /// Keyword in context as one string (an edition holds hundreds of thousands of
    /// mentions): some words before, the words as the text has them, some after.
    context: String,
    /// Where the words of the mention start and end in `context`.
    surface_at: (u32, u32),
}

impl Mention {
    pub fn new(
        entity: EntityRef,
        segment: usize,
        explicit: bool,
        [before, surface, after]: [&str; 3],
    ) -> Self {
        let mut context = String::with_capacity(before.len() + surface.len() + after.len());
        context.push_str(before);
        context.push_str(surface);
        context.push_str(after);
        let start = before.len() as u32;
        Self {
            entity,
            segment,
            explicit,
            context,
            surface_at: (start, start + surface.len() as u32),
        }
    }

    /// A mention whose words stand at `surface_at` (byte offsets) in `context`.
    pub fn in_context(
        entity: EntityRef,
        segment: usize,
        explicit: bool,
        context: String,
        surface_at: (u32, u32),
    ) -> Self {
        debug_assert!(context.is_char_boundary(surface_at.0 as usize));
        debug_assert!(context.is_char_boundary(surface_at.1 as usize));
        Self {
            entity,
            segment,
            explicit,
            context,
            surface_at,
        }
    }

    /// Replaces the words around the mention (`surface_at` is where its own words
    /// are in the new `context`).
    pub fn set_context(&mut self, context: String, surface_at: (u32, u32)) {
        debug_assert!(context.is_char_boundary(surface_at.0 as usize));
        debug_assert!(context.is_char_boundary(surface_at.1 as usize));
        self.context = context;
        self.surface_at = surface_at;
    }

    /// The words as the text has them ("Ким Ир Сеном").
    pub fn surface(&self) -> &str {
        &self.context[self.surface_at.0 as usize..self.surface_at.1 as usize]
    }

    /// Some words before it, in the same block.
    pub fn before(&self) -> &str {
        &self.context[..self.surface_at.0 as usize]
    }

    /// Some words after it, in the same block.
    pub fn after(&self) -> &str {
        &self.context[self.surface_at.1 as usize..]
    }
}

impl Serialize for Mention {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Mention", 6)?;
        s.serialize_field("entity", &self.entity)?;
        s.serialize_field("segment", &self.segment)?;
        s.serialize_field("surface", self.surface())?;
        s.serialize_field("before", self.before())?;
        s.serialize_field("after", self.after())?;
        s.serialize_field("explicit", &self.explicit)?;
        s.end()
    }
}
