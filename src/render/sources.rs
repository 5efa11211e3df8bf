//! The edition as outputs see it: read through a [`Reader`], which hands out one
//! part at a time and notes each part read (see `track`), so that an output is made
//! again exactly when a part it read changed.
//!
//! Each method returns only what its [`ReadOf`] covers: a list of documents gives
//! their [`Summary`] (what lists show), not the documents; an entry's passages come
//! with their words, not the whole annotated texts. Nothing else in `render` holds
//! the edition, so what an output did not read through here cannot be in it.

use super::citation::{tag_name, Reference};
use super::track::Read;
use crate::annotate::Annotated;
use crate::fingerprint::{self, Fingerprinter};
use crate::links::Links;
use crate::model::{
    AnnotatedDocument, AnnotatedText, Document, DocumentRole, Edition, EntityKind, EntityRef,
    Event, GlossaryTerm, InContext, Page, Part, PartialDate, Person, Place, SiteConfig, SiteIndex,
    Theme,
};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A read as the edition names its parts (a document by id, an entry by kind and
/// id); `track::Read` is the same with small numbers for the names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ReadOf<'n> {
    Settings,
    Template(&'n str),
    SharedTemplates,
    Document(&'n str),
    Annotation(&'n str),
    Neighbours(&'n str),
    Named(&'n str),
    /// What the search index's filters show of a document: its year, type, tags
    /// and the languages of its texts.
    SearchFacets(&'n str),
    Chronology,
    Entry(EntityKind, &'n str),
    Register(EntityKind),
    Occurrences(EntityKind, &'n str),
    Naming(EntityKind, &'n str),
    Count(EntityKind, &'n str),
    CoOccurring(&'n str),
    EventsOf(&'n str),
    Tags,
    Tag(&'n str),
    FreePage(&'n str),
    Introduction,
    Asset(&'n str),
    /// A document's id and the file's name.
    BundleFile(&'n str, &'n str),
    /// A term file of the search index, by name.
    TermFile(&'n str),
    /// How many term files the search index has.
    TermFileCount,
    /// Every document, its annotation and the entries it names: what an output
    /// made of all of them reads (the edition's TEI corpus).
    AllDocuments,
    /// How many pages each entry's page takes (which pages the site has).
    EntryPages,
    /// How many documents the edition has.
    DocumentCount,
    /// A page's worth of the documents by date (the page, from 1): what lists
    /// show of them.
    ChronologyPage(u32),
}

/// The reads of one document's parts, by position (see [`Sources::document_version`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum DocumentRead {
    Document,
    Annotation,
    Neighbours,
    Named,
    SearchFacets,
}

/// The version of what lists show of a document.
pub(crate) fn summary_version(document: &Document) -> u64 {
    Summary::of(document).version()
}

/// Everything outputs are made from, for one run of the pipeline.
pub(crate) struct Sources<'a> {
    edition: &'a Edition,
    annotated: &'a Annotated,
    index: &'a SiteIndex,
    links: &'a Links,
    terms: &'a crate::search::TermFiles,
    /// Documents by id (made when first asked).
    positions: OnceLock<FxHashMap<&'a str, usize>>,
    /// Each document's [`Summary`] version, by position.
    summaries: &'a [u64],
    settings: OnceLock<u64>,
    shared_templates: OnceLock<u64>,
    chronology: OnceLock<u64>,
    all_documents: OnceLock<u64>,
    tags: OnceLock<u64>,
    entry_pages: OnceLock<u64>,
    registers: [OnceLock<u64>; 4],
}

/// What lists show of a document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Summary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: PartialDate,
    pub kind: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// When the edition last changed it, if the editor says.
    pub updated: Option<PartialDate>,
}

impl<'a> Summary<'a> {
    fn of(document: &'a Document) -> Self {
        Summary {
            id: &document.id,
            title: &document.meta.title,
            date: document.meta.date,
            kind: document.meta.kind.as_deref(),
            summary: document.meta.summary.as_deref(),
            updated: document.meta.updated,
        }
    }

    fn version(&self) -> u64 {
        fingerprint::of(&(
            self.id,
            self.title,
            self.date,
            self.kind,
            self.summary,
            self.updated,
        ))
    }
}

/// A register entry.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Entry<'a> {
    Person(&'a Person),
    Event(&'a Event),
    Place(&'a Place),
    Term(&'a GlossaryTerm),
}

/// A document naming an entry, with the passages.
pub(crate) struct Occurrence<'a> {
    pub document: Summary<'a>,
    pub passages: Vec<Passage<'a>>,
    /// The person's parts in the document (translator, author, ...).
    pub roles: &'a [DocumentRole],
}

/// A passage naming an entry: where, and the words.
pub(crate) struct Passage<'a> {
    pub lang: &'a str,
    /// A text of the document, its headnote, or its title and summary.
    pub part: Part,
    /// In the original (the first text), rather than a translation or the headnote.
    pub in_original: bool,
    pub segment: usize,
    /// The row of the side-by-side view the passage stands in (none in the
    /// headnote): passages of one row are one place in two languages.
    pub row: Option<usize>,
    pub words: InContext,
}

impl<'a> Sources<'a> {
    /// `summaries`: each document's summary version ([`summary_version`]).
    pub(super) fn new(
        edition: &'a Edition,
        annotated: &'a Annotated,
        index: &'a SiteIndex,
        links: &'a Links,
        terms: &'a crate::search::TermFiles,
        summaries: &'a [u64],
    ) -> Self {
        Sources {
            edition,
            annotated,
            index,
            links,
            terms,
            positions: OnceLock::new(),
            summaries,
            settings: OnceLock::new(),
            shared_templates: OnceLock::new(),
            chronology: OnceLock::new(),
            all_documents: OnceLock::new(),
            tags: OnceLock::new(),
            entry_pages: OnceLock::new(),
            registers: Default::default(),
        }
    }

    pub(super) fn edition(&self) -> &'a Edition {
        self.edition
    }

    pub(super) fn index(&self) -> &'a SiteIndex {
        self.index
    }

    /// A term file's name as the index holds it (borrowed for as long as it).
    pub(super) fn term_name(&self, name: &str) -> Option<&'a str> {
        self.terms.get_key_value(name).map(|(k, _)| k.as_str())
    }

    pub(super) fn theme(&self) -> &'a Theme {
        &self.edition.theme
    }

    /// A reader noting what one output reads.
    pub(super) fn reader(&self) -> Reader<'_, 'a> {
        Reader {
            sources: self,
            reads: RefCell::new(Vec::new()),
        }
    }

    pub(super) fn position(&self, id: &str) -> Option<usize> {
        let positions = self.positions.get_or_init(|| {
            self.edition
                .documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.as_str(), i))
                .collect()
        });
        positions.get(id).copied()
    }

    fn summary_versions(&self) -> &[u64] {
        self.summaries
    }

    /// The version of a read of the document at `position`.
    pub(super) fn document_version(&self, read: DocumentRead, position: usize) -> u64 {
        let index = self.index;
        match read {
            DocumentRead::Document => self.edition.documents[position].fingerprint,
            DocumentRead::Annotation => self.annotated.versions[position],
            DocumentRead::Neighbours => {
                let (previous, next) = index.neighbours[position];
                let versions = self.summaries;
                fingerprint::of(&(previous.map(|p| versions[p]), next.map(|n| versions[n])))
            }
            DocumentRead::Named => index.document_entities_versions[position],
            DocumentRead::SearchFacets => {
                let document = &self.edition.documents[position];
                let meta = &document.meta;
                let languages: Vec<&str> = document.texts.iter().map(|t| t.lang.as_str()).collect();
                fingerprint::of(&(meta.date.year, &meta.kind, &meta.tags, languages))
            }
        }
    }

    fn entity(kind: EntityKind, id: &str) -> EntityRef {
        EntityRef {
            kind,
            id: id.into(),
        }
    }

    /// The version of what `read` gives now; `None` if it is gone.
    pub(super) fn version(&self, read: ReadOf) -> Option<u64> {
        let edition = self.edition;
        let documents = &edition.documents;
        let index = self.index;
        let doc = |id: &str| self.position(id);
        Some(match read {
            ReadOf::Settings => *self.settings.get_or_init(|| {
                let mut f = Fingerprinter::new();
                f.add_serialized(&*edition.config);
                for page in edition.pages.iter() {
                    f.add(&(&page.slug, &page.title, page.weight));
                }
                f.add(&format!("{:?}", self.links));
                f.finish()
            }),
            ReadOf::Template(name) => fingerprint::of(edition.theme.templates.get(name)?),
            ReadOf::SharedTemplates => *self.shared_templates.get_or_init(|| {
                let mut f = Fingerprinter::new();
                for (name, template) in &edition.theme.templates {
                    if !super::PAGE_TEMPLATES.contains(&name.as_str()) {
                        f.add(name).add(template);
                    }
                }
                f.finish()
            }),
            ReadOf::Document(id) => self.document_version(DocumentRead::Document, doc(id)?),
            ReadOf::Annotation(id) => self.document_version(DocumentRead::Annotation, doc(id)?),
            ReadOf::Neighbours(id) => self.document_version(DocumentRead::Neighbours, doc(id)?),
            ReadOf::Named(id) => self.document_version(DocumentRead::Named, doc(id)?),
            ReadOf::SearchFacets(id) => self.document_version(DocumentRead::SearchFacets, doc(id)?),
            ReadOf::Chronology => *self.chronology.get_or_init(|| {
                let versions = self.summary_versions();
                fingerprint::of(
                    &index
                        .by_date
                        .iter()
                        .map(|&d| versions[d])
                        .collect::<Vec<_>>(),
                )
            }),
            ReadOf::AllDocuments => *self.all_documents.get_or_init(|| {
                let mut f = Fingerprinter::new();
                for &d in &index.by_date {
                    f.add(&(
                        documents[d].fingerprint,
                        self.annotated.versions[d],
                        index.document_entities_versions[d],
                    ));
                }
                f.finish()
            }),
            ReadOf::Entry(kind, id) => {
                let entity = Self::entity(kind, id);
                // No such entry is a state too (a tag that is no entry's id): it stays
                // the same until the entry is made.
                if edition.registers.name(&entity).is_none() {
                    return Some(0);
                }
                edition.registers.entry_version(&entity)
            }
            ReadOf::Register(kind) => {
                let slot = EntityKind::ALL.iter().position(|&k| k == kind)?;
                *self.registers[slot].get_or_init(|| {
                    let registers = &edition.registers;
                    let ids: Vec<&String> = match kind {
                        EntityKind::Person => registers.people.keys().collect(),
                        EntityKind::Event => registers.events.keys().collect(),
                        EntityKind::Place => registers.places.keys().collect(),
                        EntityKind::Term => registers.glossary.keys().collect(),
                    };
                    let mut f = Fingerprinter::new();
                    for id in ids {
                        f.add(&(id, registers.entry_version(&Self::entity(kind, id))));
                    }
                    f.finish()
                })
            }
            ReadOf::Occurrences(kind, id) => self.occurrences_version(kind, id, true),
            ReadOf::Naming(kind, id) => self.occurrences_version(kind, id, false),
            ReadOf::Count(kind, id) => index
                .occurrences
                .get(&Self::entity(kind, id))
                .map_or(0, Vec::len) as u64,
            ReadOf::CoOccurring(id) => fingerprint::of(&index.co_occurring.get(id)),
            ReadOf::EventsOf(id) => fingerprint::of(&index.events_of_person.get(id)),
            ReadOf::DocumentCount => documents.len() as u64,
            ReadOf::ChronologyPage(page) => {
                let versions = self.summary_versions();
                let range = super::paging::range(
                    page,
                    index.by_date.len(),
                    super::paging::DOCUMENTS_PER_PAGE,
                );
                fingerprint::of(
                    &index.by_date[range]
                        .iter()
                        .map(|&d| versions[d])
                        .collect::<Vec<_>>(),
                )
            }
            ReadOf::EntryPages => *self.entry_pages.get_or_init(|| {
                let mut f = Fingerprinter::new();
                for (entity, list) in &index.occurrences {
                    let pages =
                        super::paging::page_count(list.len(), super::paging::OCCURRENCES_PER_PAGE);
                    let has_page = super::has_page(entity, list.len());
                    if pages > 1 || (entity.kind == EntityKind::Term && has_page) {
                        f.add(&(entity, pages, has_page));
                    }
                }
                f.finish()
            }),
            ReadOf::Tags => *self.tags.get_or_init(|| {
                fingerprint::of(
                    &index
                        .tags
                        .iter()
                        .map(|(t, docs)| (t, docs.len()))
                        .collect::<Vec<_>>(),
                )
            }),
            ReadOf::Tag(tag) => {
                let versions = self.summary_versions();
                fingerprint::of(
                    &index
                        .tags
                        .get(tag)?
                        .iter()
                        .map(|&d| versions[d])
                        .collect::<Vec<_>>(),
                )
            }
            ReadOf::FreePage(slug) => {
                let at = edition.pages.iter().position(|p| p.slug == slug)?;
                let page = &edition.pages[at];
                fingerprint::of(&(&page.title, self.annotated.page_versions[at]))
            }
            ReadOf::Introduction => self.annotated.introduction_version,
            ReadOf::Asset(path) => fingerprint::of(edition.theme.assets.get(path)?),
            ReadOf::TermFile(name) => self.terms.get(name)?.1,
            ReadOf::TermFileCount => self.terms.len() as u64,
            ReadOf::BundleFile(id, name) => {
                let document = &documents[doc(id)?];
                fingerprint::of(&document.files.iter().find(|f| f.name == name)?.file)
            }
        })
    }
}

impl Sources<'_> {
    /// The version of the documents naming an entry (what lists show of them), and
    /// with `passages`, of the passages too.
    fn occurrences_version(&self, kind: EntityKind, id: &str, passages: bool) -> u64 {
        let versions = self.summary_versions();
        let mut f = Fingerprinter::new();
        for o in self
            .index
            .occurrences
            .get(&Self::entity(kind, id))
            .into_iter()
            .flatten()
        {
            f.add(&(
                versions[o.document],
                passages.then_some((o.version, &o.roles)),
            ));
        }
        f.finish()
    }
}

/// Reads the edition for one output, noting each read.
pub(crate) struct Reader<'s, 'a> {
    sources: &'s Sources<'a>,
    reads: RefCell<Vec<ReadOf<'a>>>,
}

impl<'s, 'a> Reader<'s, 'a> {
    fn note(&self, read: ReadOf<'a>) {
        self.reads.borrow_mut().push(read);
    }

    /// What was read, each once.
    pub(super) fn into_reads(self) -> Vec<ReadOf<'a>> {
        let mut reads = self.reads.into_inner();
        let mut seen = std::collections::HashSet::with_capacity(reads.len());
        reads.retain(|r| seen.insert(*r));
        reads
    }

    /// Notes reads the caller makes itself (the templates of a page).
    pub(super) fn note_all(&self, reads: impl IntoIterator<Item = ReadOf<'a>>) {
        self.reads.borrow_mut().extend(reads);
    }

    pub(super) fn settings(&self) -> &'a SiteConfig {
        self.note(ReadOf::Settings);
        &self.sources.edition.config
    }

    /// How links are written (part of the settings).
    pub(super) fn links(&self) -> &'a Links {
        self.note(ReadOf::Settings);
        self.sources.links
    }

    /// The free pages, for the navigation (part of the settings).
    pub(super) fn navigation(&self) -> &'a [Page] {
        self.note(ReadOf::Settings);
        &self.sources.edition.pages
    }

    pub(super) fn document(&self, doc: usize) -> &'a Document {
        let document = &self.sources.edition.documents[doc];
        self.note(ReadOf::Document(&document.id));
        document
    }

    pub(super) fn annotation(&self, doc: usize) -> &'a AnnotatedDocument {
        let id = &self.sources.edition.documents[doc].id;
        self.note(ReadOf::Annotation(id));
        &self.sources.annotated.documents[doc]
    }

    /// The documents before and after one, by date.
    pub(super) fn neighbours(&self, doc: usize) -> (Option<Summary<'a>>, Option<Summary<'a>>) {
        let documents = &self.sources.edition.documents;
        self.note(ReadOf::Neighbours(&documents[doc].id));
        let (previous, next) = self.sources.index.neighbours[doc];
        (
            previous.map(|p| Summary::of(&documents[p])),
            next.map(|n| Summary::of(&documents[n])),
        )
    }

    /// The entries a document names, by kind, then name.
    pub(super) fn named(&self, doc: usize) -> &'a [EntityRef] {
        self.note(ReadOf::Named(&self.sources.edition.documents[doc].id));
        &self.sources.index.document_entities[doc]
    }

    /// Who had a part in a document, by person id (see [`Document::roles`]). Which
    /// person a translator's name is depends on the register; the index names the
    /// document's people, the translators among them, so what it names is read.
    pub(super) fn roles(&self, doc: usize) -> Vec<(&'a str, Vec<DocumentRole>)> {
        let document = self.document(doc);
        self.named(doc);
        let people = &self.sources.edition.registers.people;
        document
            .roles(&self.sources.edition.registers)
            .into_iter()
            .filter_map(|(id, roles)| Some((people.get_key_value(&id)?.0.as_str(), roles)))
            .collect()
    }

    /// A document, for what the search index's filters show of it (its year, type,
    /// tags, languages; [`ReadOf::SearchFacets`]): read so, a change of its words
    /// does not make the catalogue again.
    pub(super) fn search_facets(&self, doc: usize) -> &'a Document {
        let document = &self.sources.edition.documents[doc];
        self.note(ReadOf::SearchFacets(&document.id));
        document
    }

    /// How many documents the edition has.
    pub(super) fn document_count(&self) -> usize {
        self.note(ReadOf::DocumentCount);
        self.sources.edition.documents.len()
    }

    /// Page `page` of the documents by date, `DOCUMENTS_PER_PAGE` a page: read so,
    /// an edit of one document's title makes only its page of the list again.
    pub(super) fn chronology_page(&self, page: u32) -> Vec<Summary<'a>> {
        self.note(ReadOf::ChronologyPage(page));
        let documents = &self.sources.edition.documents;
        let by_date = &self.sources.index.by_date;
        by_date[super::paging::range(page, by_date.len(), super::paging::DOCUMENTS_PER_PAGE)]
            .iter()
            .map(|&d| Summary::of(&documents[d]))
            .collect()
    }

    /// How many term files the search index has.
    pub(super) fn term_file_count(&self) -> usize {
        self.note(ReadOf::TermFileCount);
        self.sources.terms.len()
    }

    /// A term file of the search index, if the index has it.
    pub(super) fn term_file(&self, name: &'a str) -> Option<&'a str> {
        self.note(ReadOf::TermFile(name));
        self.sources.terms.get(name).map(|(text, _)| text.as_str())
    }

    /// Every document by date.
    pub(super) fn chronology(&self) -> Vec<Summary<'a>> {
        self.note(ReadOf::Chronology);
        let documents = &self.sources.edition.documents;
        self.sources
            .index
            .by_date
            .iter()
            .map(|&d| Summary::of(&documents[d]))
            .collect()
    }

    /// What lists show of the document `id` (part of the chronology).
    pub(super) fn summary_of(&self, id: &str) -> Option<Summary<'a>> {
        self.note(ReadOf::Chronology);
        let at = self.sources.position(id)?;
        Some(Summary::of(&self.sources.edition.documents[at]))
    }

    /// The registers, for an output that writes out the entries a document names
    /// with what the register says of them (TEI's `standOff`): read are the entries
    /// named, and those they name in turn (a person's "see also", an event's place
    /// and participants), whose names they show.
    pub(super) fn registers_of(&self, doc: usize) -> &'a crate::model::Registers {
        let registers = &self.sources.edition.registers;
        for entity in self.named(doc) {
            self.note(ReadOf::Entry(entity.kind, &entity.id));
            let related: Vec<(EntityKind, &'a str)> = match entity.kind {
                EntityKind::Person => registers.people.get(&*entity.id).map_or(Vec::new(), |p| {
                    p.see_also
                        .iter()
                        .map(|o| (EntityKind::Person, o.as_str()))
                        .collect()
                }),
                EntityKind::Event => registers.events.get(&*entity.id).map_or(Vec::new(), |e| {
                    e.place
                        .iter()
                        .map(|p| (EntityKind::Place, p.as_str()))
                        .chain(
                            e.participants
                                .iter()
                                .map(|p| (EntityKind::Person, p.as_str())),
                        )
                        .collect()
                }),
                EntityKind::Place | EntityKind::Term => Vec::new(),
            };
            for (kind, id) in related {
                self.note(ReadOf::Entry(kind, id));
            }
        }
        registers
    }

    /// Every document by date, for an output made of all of them with what they
    /// name ([`ReadOf::AllDocuments`]): one read, where noting each document's
    /// parts would be hundreds of thousands.
    pub(super) fn all_documents(&self) -> Vec<(&'a Document, &'a [EntityRef])> {
        self.note(ReadOf::AllDocuments);
        let s = self.sources;
        s.index
            .by_date
            .iter()
            .map(|&d| {
                (
                    &*s.edition.documents[d],
                    s.index.document_entities[d].as_slice(),
                )
            })
            .collect()
    }

    /// Every document's position, by date.
    pub(super) fn by_date(&self) -> &'a [usize] {
        self.note(ReadOf::Chronology);
        &self.sources.index.by_date
    }

    /// The entry `id` of register `kind`, if there is one.
    pub(super) fn entry(&self, kind: EntityKind, id: &'a str) -> Option<Entry<'a>> {
        self.note(ReadOf::Entry(kind, id));
        let r = &self.sources.edition.registers;
        Some(match kind {
            EntityKind::Person => Entry::Person(r.people.get(id)?),
            EntityKind::Event => Entry::Event(r.events.get(id)?),
            EntityKind::Place => Entry::Place(r.places.get(id)?),
            EntityKind::Term => Entry::Term(r.glossary.get(id)?),
        })
    }

    /// The name `tag` is shown by ([`tag_name`]).
    pub(super) fn tag_name(&self, tag: &'a str) -> &'a str {
        let settings = self.settings();
        if !settings.tags.contains_key(tag) {
            // The entries looked at, up to the one of that id.
            let _ = EntityKind::ALL
                .into_iter()
                .find(|&kind| self.entry(kind, tag).is_some());
        }
        tag_name(settings, &self.sources.edition.registers, tag)
    }

    /// What a citation of a document says, its address `url` (see [`Reference`]):
    /// read are the document, the settings, the people of its roles and translators
    /// (those the register has now and those it may have), its tags' names.
    pub(super) fn reference(&self, doc: usize, url: Option<&str>) -> Reference {
        let document = self.document(doc);
        let settings = self.settings();
        for (id, _) in self.roles(doc) {
            self.note(ReadOf::Entry(EntityKind::Person, id));
        }
        for id in document.meta.roles.values().flatten() {
            self.note(ReadOf::Entry(EntityKind::Person, id));
        }
        for tag in &document.meta.tags {
            self.tag_name(tag);
        }
        Reference::of(document, &self.sources.edition.registers, settings, url)
    }

    /// The one line on an entry shown over its mentions (part of the entry).
    pub(super) fn card(&self, entity: &'a EntityRef) -> Option<&'a str> {
        self.note(ReadOf::Entry(entity.kind, &entity.id));
        self.sources.edition.registers.card(entity)
    }

    pub(super) fn people(&self) -> &'a BTreeMap<String, Person> {
        self.note(ReadOf::Register(EntityKind::Person));
        &self.sources.edition.registers.people
    }

    pub(super) fn events(&self) -> &'a BTreeMap<String, Event> {
        self.note(ReadOf::Register(EntityKind::Event));
        &self.sources.edition.registers.events
    }

    pub(super) fn places(&self) -> &'a BTreeMap<String, Place> {
        self.note(ReadOf::Register(EntityKind::Place));
        &self.sources.edition.registers.places
    }

    pub(super) fn glossary(&self) -> &'a BTreeMap<String, GlossaryTerm> {
        self.note(ReadOf::Register(EntityKind::Term));
        &self.sources.edition.registers.glossary
    }

    /// The documents naming an entry, by date, with the passages: those of
    /// `range` of the list (a page's worth), and how long the list is.
    pub(super) fn occurrences(
        &self,
        kind: EntityKind,
        id: &'a str,
        range: impl Fn(usize) -> std::ops::Range<usize>,
    ) -> (Vec<Occurrence<'a>>, usize) {
        self.note(ReadOf::Occurrences(kind, id));
        let s = self.sources;
        let entity = Sources::entity(kind, id);
        let Some(list) = s.index.occurrences.get(&entity) else {
            return (Vec::new(), 0);
        };
        let occurrences = list[range(list.len())]
            .iter()
            .map(|o| {
                let annotated = &s.annotated.documents[o.document];
                let rows = if o.passages.is_empty() {
                    Vec::new()
                } else {
                    annotated.rows_of_segments()
                };
                Occurrence {
                    document: Summary::of(&s.edition.documents[o.document]),
                    passages: o
                        .passages
                        .iter()
                        .map(|p| {
                            let (text, mention) = p.resolve(annotated);
                            Passage {
                                lang: &text.lang,
                                part: p.part,
                                in_original: p.part == Part::Text && p.text == 0,
                                segment: mention.segment as usize,
                                row: match p.part {
                                    Part::Text => rows[p.text as usize]
                                        .get(mention.segment as usize)
                                        .copied()
                                        .flatten(),
                                    Part::Headnote | Part::About => None,
                                },
                                words: text.in_context(p.mention as usize),
                            }
                        })
                        .collect(),
                    roles: &o.roles,
                }
            })
            .collect();
        (occurrences, list.len())
    }

    /// The documents naming an entry, by date (without the passages).
    pub(super) fn documents_naming(&self, kind: EntityKind, id: &'a str) -> Vec<Summary<'a>> {
        self.note(ReadOf::Naming(kind, id));
        let s = self.sources;
        s.index
            .occurrences
            .get(&Sources::entity(kind, id))
            .into_iter()
            .flatten()
            .map(|o| Summary::of(&s.edition.documents[o.document]))
            .collect()
    }

    /// How many documents name an entry.
    pub(super) fn count(&self, kind: EntityKind, id: &'a str) -> usize {
        self.note(ReadOf::Count(kind, id));
        self.sources
            .index
            .occurrences
            .get(&Sources::entity(kind, id))
            .map_or(0, Vec::len)
    }

    /// The people named in the same documents as a person, most shared first.
    pub(super) fn co_occurring(&self, person: &'a str) -> &'a [(String, usize)] {
        self.note(ReadOf::CoOccurring(person));
        self.sources
            .index
            .co_occurring
            .get(person)
            .map_or(&[], Vec::as_slice)
    }

    /// The events a person took part in, by date.
    pub(super) fn events_of(&self, person: &'a str) -> &'a [String] {
        self.note(ReadOf::EventsOf(person));
        self.sources
            .index
            .events_of_person
            .get(person)
            .map_or(&[], Vec::as_slice)
    }

    /// Every tag with the number of its documents.
    pub(super) fn tags(&self) -> Vec<(&'a str, usize)> {
        self.note(ReadOf::Tags);
        self.sources
            .index
            .tags
            .iter()
            .map(|(t, docs)| (t.as_str(), docs.len()))
            .collect()
    }

    /// A tag's documents, by date.
    pub(super) fn tag(&self, tag: &'a str) -> Option<Vec<Summary<'a>>> {
        self.tag_part(tag, 0..usize::MAX).map(|(docs, _)| docs)
    }

    /// A tag's documents by date in `range` of the whole list, and how many it has.
    pub(super) fn tag_part(
        &self,
        tag: &'a str,
        range: std::ops::Range<usize>,
    ) -> Option<(Vec<Summary<'a>>, usize)> {
        self.note(ReadOf::Tag(tag));
        let documents = &self.sources.edition.documents;
        let list = self.sources.index.tags.get(tag)?;
        let part = range.start.min(list.len())..range.end.min(list.len());
        Some((
            list[part]
                .iter()
                .map(|&d| Summary::of(&documents[d]))
                .collect(),
            list.len(),
        ))
    }

    /// A free page and its annotated text.
    pub(super) fn free_page(&self, slug: &'a str) -> Option<(&'a Page, &'a AnnotatedText)> {
        self.note(ReadOf::FreePage(slug));
        let s = self.sources;
        let at = s.edition.pages.iter().position(|p| p.slug == slug)?;
        Some((&s.edition.pages[at], &s.annotated.pages[at]))
    }

    pub(super) fn introduction(&self) -> Option<&'a AnnotatedText> {
        self.note(ReadOf::Introduction);
        self.sources.annotated.introduction.as_deref()
    }
}

impl<'a> Entry<'a> {
    pub(super) fn name(&self) -> &'a str {
        match self {
            Entry::Person(p) => &p.name,
            Entry::Event(e) => &e.name,
            Entry::Place(p) => &p.name,
            Entry::Term(t) => &t.term,
        }
    }

    /// The entry's fields dossier does not read, for templates.
    pub(super) fn extra(&self) -> &'a BTreeMap<String, serde_yaml::Value> {
        match self {
            Entry::Person(p) => &p.extra,
            Entry::Event(e) => &e.extra,
            Entry::Place(p) => &p.extra,
            Entry::Term(t) => &t.extra,
        }
    }

    /// The short detail lists show beside the name: a person's dates, an event's,
    /// a term's expansion.
    pub(super) fn detail(&self) -> Option<String> {
        match self {
            Entry::Person(p) => p.lifespan(),
            Entry::Event(e) => e.when(),
            Entry::Place(_) => None,
            Entry::Term(t) => t.expansion.values().next().cloned(),
        }
    }
}

/// Keys for the names reads go by, and where this run's documents are by key.
#[derive(Debug, Default)]
pub(crate) struct ReadKeys {
    documents: super::track::Keys<String>,
    entities: super::track::Keys<(EntityKind, String)>,
    names: super::track::Keys<String>,
    /// Position of each document key in this run's edition (`u32::MAX`: none).
    positions: Vec<u32>,
}

impl ReadKeys {
    /// Notes where this run's documents stand (see [`ReadKeys::version`]).
    pub(super) fn place_documents(&mut self, documents: &[std::sync::Arc<Document>]) {
        self.positions.iter_mut().for_each(|p| *p = u32::MAX);
        for (i, d) in documents.iter().enumerate() {
            let k = self.documents.key_str(&d.id) as usize;
            if self.positions.len() <= k {
                self.positions.resize(k + 1, u32::MAX);
            }
            self.positions[k] = i as u32;
        }
    }

    /// The keyed form of a read (keys are made for names not seen before).
    pub(super) fn key(&mut self, read: ReadOf) -> Read {
        let mut entity = |kind: EntityKind, id: &str| self.entities.key(&(kind, id.to_string()));
        match read {
            ReadOf::Entry(kind, id) => Read::Entry(entity(kind, id)),
            ReadOf::Occurrences(kind, id) => Read::Occurrences(entity(kind, id)),
            ReadOf::Naming(kind, id) => Read::Naming(entity(kind, id)),
            ReadOf::Count(kind, id) => Read::Count(entity(kind, id)),
            ReadOf::CoOccurring(id) => Read::CoOccurring(entity(EntityKind::Person, id)),
            ReadOf::EventsOf(id) => Read::EventsOf(entity(EntityKind::Person, id)),
            other => self.key_of_name(other),
        }
    }

    fn key_of_name(&mut self, read: ReadOf) -> Read {
        let mut doc = |id: &str| self.documents.key_str(id);
        match read {
            ReadOf::Settings => Read::Settings,
            ReadOf::Template(name) => Read::Template(self.names.key_str(name)),
            ReadOf::SharedTemplates => Read::SharedTemplates,
            ReadOf::Document(id) => Read::Document(doc(id)),
            ReadOf::Annotation(id) => Read::Annotation(doc(id)),
            ReadOf::Neighbours(id) => Read::Neighbours(doc(id)),
            ReadOf::Named(id) => Read::Named(doc(id)),
            ReadOf::SearchFacets(id) => Read::SearchFacets(doc(id)),
            ReadOf::Chronology => Read::Chronology,
            ReadOf::Register(kind) => Read::Register(kind),
            ReadOf::Tags => Read::Tags,
            ReadOf::Tag(tag) => Read::Tag(self.names.key_str(&format!("tag:{tag}"))),
            ReadOf::FreePage(slug) => Read::FreePage(self.names.key_str(&format!("page:{slug}"))),
            ReadOf::Introduction => Read::Introduction,
            ReadOf::Asset(path) => Read::Asset(self.names.key_str(&format!("asset:{path}"))),
            ReadOf::BundleFile(id, name) => {
                Read::BundleFile(self.names.key_str(&format!("{id}/{name}")))
            }
            ReadOf::TermFile(name) => Read::TermFile(self.names.key_str(&format!("terms:{name}"))),
            ReadOf::TermFileCount => Read::TermFileCount,
            ReadOf::AllDocuments => Read::AllDocuments,
            ReadOf::EntryPages => Read::EntryPages,
            ReadOf::DocumentCount => Read::DocumentCount,
            ReadOf::ChronologyPage(page) => Read::ChronologyPage(page),
            ReadOf::Entry(..)
            | ReadOf::Occurrences(..)
            | ReadOf::Naming(..)
            | ReadOf::Count(..)
            | ReadOf::CoOccurring(_)
            | ReadOf::EventsOf(_) => unreachable!("keyed by entity in `key`"),
        }
    }

    /// The version of a keyed read now (see [`Sources::version`]).
    pub(super) fn version(&self, read: Read, sources: &Sources) -> Option<u64> {
        let at = |k: u32| -> Option<usize> {
            match self.positions.get(k as usize) {
                Some(&p) if p != u32::MAX => Some(p as usize),
                _ => None,
            }
        };
        let entity = |k: u32| {
            let (kind, id) = self.entities.name(k);
            (*kind, id.as_str())
        };
        let name = |k: u32| self.names.name(k).as_str();
        let after = |k: u32, prefix: &str| -> String { name(k)[prefix.len()..].to_string() };
        match read {
            Read::Settings => sources.version(ReadOf::Settings),
            Read::Template(k) => sources.version(ReadOf::Template(name(k))),
            Read::SharedTemplates => sources.version(ReadOf::SharedTemplates),
            Read::Document(k) => Some(sources.document_version(DocumentRead::Document, at(k)?)),
            Read::Annotation(k) => Some(sources.document_version(DocumentRead::Annotation, at(k)?)),
            Read::Neighbours(k) => Some(sources.document_version(DocumentRead::Neighbours, at(k)?)),
            Read::Named(k) => Some(sources.document_version(DocumentRead::Named, at(k)?)),
            Read::SearchFacets(k) => {
                Some(sources.document_version(DocumentRead::SearchFacets, at(k)?))
            }
            Read::Chronology => sources.version(ReadOf::Chronology),
            Read::Entry(k) => {
                let (kind, id) = entity(k);
                sources.version(ReadOf::Entry(kind, id))
            }
            Read::Register(kind) => sources.version(ReadOf::Register(kind)),
            Read::Occurrences(k) => {
                let (kind, id) = entity(k);
                sources.version(ReadOf::Occurrences(kind, id))
            }
            Read::Naming(k) => {
                let (kind, id) = entity(k);
                sources.version(ReadOf::Naming(kind, id))
            }
            Read::Count(k) => {
                let (kind, id) = entity(k);
                sources.version(ReadOf::Count(kind, id))
            }
            Read::CoOccurring(k) => sources.version(ReadOf::CoOccurring(entity(k).1)),
            Read::EventsOf(k) => sources.version(ReadOf::EventsOf(entity(k).1)),
            Read::Tags => sources.version(ReadOf::Tags),
            Read::Tag(k) => sources.version(ReadOf::Tag(&after(k, "tag:"))),
            Read::FreePage(k) => sources.version(ReadOf::FreePage(&after(k, "page:"))),
            Read::Introduction => sources.version(ReadOf::Introduction),
            Read::Asset(k) => sources.version(ReadOf::Asset(&after(k, "asset:"))),
            Read::BundleFile(k) => {
                let (id, file) = name(k).split_once('/')?;
                sources.version(ReadOf::BundleFile(id, file))
            }
            Read::TermFile(k) => sources.version(ReadOf::TermFile(&after(k, "terms:"))),
            Read::TermFileCount => sources.version(ReadOf::TermFileCount),
            Read::AllDocuments => sources.version(ReadOf::AllDocuments),
            Read::EntryPages => sources.version(ReadOf::EntryPages),
            Read::DocumentCount => sources.version(ReadOf::DocumentCount),
            Read::ChronologyPage(page) => sources.version(ReadOf::ChronologyPage(page)),
        }
    }
}

impl<'a> super::text::EntryCards<'a> for Reader<'_, 'a> {
    fn card(&self, entity: &'a EntityRef) -> Option<&'a str> {
        Reader::card(self, entity)
    }

    fn expansion(&self, entity: &'a EntityRef, lang: &str) -> Option<&'a str> {
        match self.entry(entity.kind, &entity.id)? {
            Entry::Term(term) => Some(
                term.expansion
                    .get(lang)
                    .or_else(|| term.expansion.values().next())
                    .map(String::as_str)
                    .unwrap_or(&term.term),
            ),
            _ => None,
        }
    }
}
