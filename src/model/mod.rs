//! The data types every stage shares, defined once.
//!
//! An [`Edition`] is what `load` reads from disk: site settings, the registers, the
//! documents with their texts, the free pages. `annotate` turns each text into
//! [`Segment`]s ([`AnnotatedText`]); `index` derives a [`SiteIndex`]. Nothing here reads
//! files or renders HTML: these are plain data, so each stage can be tested alone.
//! Public because they are what the library's users (tests, benchmarks) look at.

mod context;
mod date;
mod document;
mod entity;
mod register;
mod site;
mod text;
mod theme;

pub(crate) use context::collapse_spaces;
pub use context::InContext;
pub use date::{DateError, PartialDate};
pub use document::{
    Archive, BundleFile, Document, DocumentMeta, DocumentRole, Image, ImageSize, Page, Placement,
    Source, Text, IMAGE_EXTENSIONS,
};
pub use entity::{EntityKind, EntityRef, Mention};
pub use register::{Authority, Event, GlossaryTerm, Person, Place, Registers, Role};
pub use site::{public_base, SiteConfig};
pub use text::{
    AlignedBy, AlignedRow, Alignment, AnnotatedDocument, AnnotatedText, ColumnAlignment, Content,
    ContentBuilder, ContentEvent, Element, Footnote, FootnoteReference, LinkTarget, Node,
    PageBreak, Segment,
};

pub(crate) use text::exactly;
pub use theme::{Asset, AssetContents, StoredFile, Template, Theme, BUILT_IN};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything an editor wrote, as loaded and validated. Its parts are shared (`Arc`)
/// with the loader's memory of them, so that loading an edition again after an edit
/// copies nothing that did not change.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The edition's root folder (holding `content/`).
    pub root: PathBuf,
    pub config: Arc<SiteConfig>,
    pub registers: Arc<Registers>,
    /// Sorted by id, so every later stage sees the same order.
    pub documents: Vec<Arc<Document>>,
    /// Free pages (`content/pages/*.md`), by weight, then slug.
    pub pages: Arc<Vec<Page>>,
    pub theme: Arc<Theme>,
}

/// What the `index` stage derives from the whole edition: orders and groupings that
/// need every document at once. Documents are named by position in
/// `Edition::documents`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteIndex {
    /// Documents ordered by date, then id.
    pub by_date: Vec<usize>,
    /// For each document: the previous and next document by date.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
    /// Documents grouped by year of their date, years ascending.
    pub by_year: BTreeMap<i32, Vec<usize>>,
    /// Documents by tag, each list by date.
    pub tags: BTreeMap<String, Vec<usize>>,
    /// For each register entry named anywhere: the documents naming it (by date), with
    /// the passages.
    pub occurrences: BTreeMap<EntityRef, Vec<Occurrence>>,
    /// For each document: the entries it names, by kind, then name (people by sort
    /// name, events by date).
    pub document_entities: Vec<Vec<EntityRef>>,
    /// A fingerprint of each document's `document_entities`, to tell cheaply
    /// whether a document names other entries than it did.
    pub document_entities_versions: Vec<u64>,
    /// For each person id: the people named in the same documents, with the number of
    /// documents shared, most first.
    pub co_occurring: BTreeMap<String, Vec<(String, usize)>>,
    /// The counts behind `co_occurring` (person → person → documents naming both),
    /// kept so that one document's edit updates them without recounting.
    pub pair_counts: BTreeMap<String, BTreeMap<String, usize>>,
    /// For each person id: the events they took part in, by date.
    pub events_of_person: BTreeMap<String, Vec<String>>,
}

/// A document that names an entry, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub document: usize,
    /// Empty when only the front matter lists the entry (or a role). (Boxed
    /// slices: an edition of 100,000 documents has two million occurrences.)
    pub passages: Box<[Passage]>,
    /// The person's parts in the document (translator, author, ...), by role,
    /// translations last; empty for other entries.
    pub roles: Box<[DocumentRole]>,
    /// A fingerprint of the passages' words (of the blocks they are in): an entry's
    /// page is made again when one of them changed, not for any edit of the document.
    pub version: u64,
}

/// Where a document names an entry: a mention of one of its texts (or of its
/// headnote), by position, so the index holds no copies of the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passage {
    /// A text of the document, its headnote, or its title and summary.
    pub part: Part,
    /// Position in `AnnotatedDocument::texts` (for the texts only).
    pub text: u32,
    /// Position in that text's `mentions`.
    pub mention: u32,
}

/// The part of a document a passage is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// One of its texts (the original or a translation).
    Text,
    /// The editor's headnote.
    Headnote,
    /// Its title and summary.
    About,
}

impl Passage {
    /// The text and the mention this passage is.
    pub fn resolve<'a>(&self, document: &'a AnnotatedDocument) -> (&'a AnnotatedText, &'a Mention) {
        let text = match self.part {
            Part::Text => &document.texts[self.text as usize],
            Part::Headnote => &document.headnote,
            Part::About => &document.about,
        };
        (text, &text.mentions[self.mention as usize])
    }
}
