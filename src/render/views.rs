//! What each page shows, computed: one view per page, serialised for its template.
//!
//! Views hold finished strings (links relative to their page, dates in words), so
//! templates only lay them out. They read the edition only through a [`Reader`], so
//! that what a page shows is what it is remade for. Pages of people, events and
//! places share one view ([`EntryView`]) and template; all index pages share
//! [`EntriesView`].

use super::citation::Citation;
use super::paging::{self, Pager, ENTRIES_PER_PAGE, OCCURRENCES_PER_PAGE};
use super::sources::{Entry, Reader, Summary};
use super::text::{card_id, TextPage, TextWriter};
use super::timeline;
use crate::html::escape_into;
use crate::links::{document_address, entity_address, tag_address, Address};
use crate::model::{AlignedBy, AnnotatedText, Document, EntityKind, EntityRef, InContext, Part};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A document as listed elsewhere (lists, previous/next).
#[derive(Clone, Serialize)]
pub(super) struct DocumentLink<'a> {
    /// For the anchor of the document's entry in a list (`document-<id>`).
    id: &'a str,
    title: &'a str,
    href: String,
    date: String,
    /// The date as a machine reads it (`1956-09-16`, `1956-09`), for `<time datetime>`.
    datetime: String,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
}

impl<'a> DocumentLink<'a> {
    fn new(r: &Reader, from: &Address, document: Summary<'a>) -> Self {
        DocumentLink {
            id: document.id,
            title: document.title,
            href: r.links().href(from, &document_address(document.id)),
            date: document.date.human(),
            datetime: document.date.to_string(),
            kind: document.kind,
            summary: document.summary,
        }
    }
}

/// A register entry as listed elsewhere: its name, link, a short detail (dates, role)
/// and, in indexes, the number of documents naming it.
#[derive(Serialize)]
pub(super) struct EntryLink {
    name: String,
    href: String,
    detail: Option<String>,
    count: Option<usize>,
    /// The id of the card this item is (on document pages), for `aria-describedby`.
    card: Option<String>,
}

impl EntryLink {
    /// The entry `id` of register `kind`, if there is one.
    fn new<'a>(
        r: &Reader<'_, 'a>,
        from: &Address,
        kind: EntityKind,
        id: &'a str,
        with_count: bool,
    ) -> Option<Self> {
        let entry = r.entry(kind, id)?;
        let entity = EntityRef {
            kind,
            id: id.into(),
        };
        Some(EntryLink {
            name: entry.name().to_string(),
            href: r.links().href(from, &entity_address(&entity)),
            detail: entry.detail(),
            count: with_count.then(|| r.count(kind, id)),
            card: None,
        })
    }
}

// ---------------------------------------------------------------------------
// Home, lists of documents, free pages

/// A text as a page shows it: each segment and note as HTML.
#[derive(Serialize)]
pub(super) struct TextHtml {
    lang: String,
    segments: Vec<SegmentHtml>,
    footnotes: Vec<FootnoteView>,
}

#[derive(Serialize)]
struct SegmentHtml {
    line: usize,
    anchor: Option<String>,
    html: String,
}

/// A footnote as HTML.
#[derive(Serialize)]
struct FootnoteView {
    id: String,
    reference: String,
    number: usize,
    html: String,
}

impl TextHtml {
    /// All of `text` for `page`; `prefix` starts the ids of its notes and markers.
    fn new<'a>(r: &Reader<'_, 'a>, page: TextPage, text: &'a AnnotatedText, prefix: &str) -> Self {
        let mut writer = TextWriter::new(page, r, text, prefix);
        let segments = text
            .segments
            .iter()
            .map(|s| SegmentHtml {
                line: s.line,
                anchor: s.anchor.as_deref().map(str::to_string),
                html: writer.segment(s),
            })
            .collect();
        let footnotes = footnotes(&mut writer, text);
        Self {
            lang: text.lang.clone(),
            segments,
            footnotes,
        }
    }
}

fn footnotes(writer: &mut TextWriter, text: &AnnotatedText) -> Vec<FootnoteView> {
    text.footnotes
        .iter()
        .map(|note| FootnoteView {
            id: writer.footnote_id(note),
            reference: writer.footnote_reference_id(note),
            number: note.number,
            html: writer.footnote(note),
        })
        .collect()
}

/// How a text on the page at `address` is written.
fn text_page_at<'p>(
    links: &'p crate::links::Links,
    address: &'p Address,
    cards: bool,
    document: Option<&'p Document>,
) -> TextPage<'p> {
    TextPage {
        address,
        links,
        cards,
        document,
    }
}

#[derive(Serialize)]
pub(super) struct HomeView<'a> {
    introduction: Option<TextHtml>,
    /// How many documents and entries, each linking to its list.
    counts: Vec<CountView>,
    links: BTreeMap<&'static str, String>,
    /// The first documents by date; all of them when there are few.
    earliest: Vec<DocumentLink<'a>>,
    /// The last documents by date; none when `earliest` holds them all.
    latest: Vec<DocumentLink<'a>>,
}

#[derive(Serialize)]
struct CountView {
    number: usize,
    /// "documents", "document": what is counted, in the number's grammatical number.
    what: &'static str,
    href: String,
}

/// How many documents the home page lists at each end of the edition.
const HOME_LIST: usize = 5;

pub(super) fn home<'a>(r: &Reader<'_, 'a>) -> HomeView<'a> {
    let address = "";
    let links = ["documents", "people", "events", "places", "glossary"]
        .into_iter()
        .map(|section| (section, r.links().href(address, &format!("{section}/"))))
        .collect();
    let documents = r.chronology();
    let count = |number: usize, one: &'static str, many: &'static str, section: &str| CountView {
        number,
        what: if number == 1 { one } else { many },
        href: r.links().href(address, &format!("{section}/")),
    };
    let counts = vec![
        count(documents.len(), "document", "documents", "documents"),
        count(r.people().len(), "person", "people", "people"),
        count(r.events().len(), "event", "events", "events"),
        count(r.places().len(), "place", "places", "places"),
        count(
            r.glossary().len(),
            "glossary term",
            "glossary terms",
            "glossary",
        ),
    ];
    let link = |d: &_| DocumentLink::new(r, address, *d);
    // With few documents the earliest and the latest would be the same: one list.
    let (earliest, latest) = if documents.len() <= 2 * HOME_LIST {
        (documents.iter().map(link).collect(), Vec::new())
    } else {
        (
            documents.iter().take(HOME_LIST).map(link).collect(),
            documents.iter().rev().take(HOME_LIST).map(link).collect(),
        )
    };
    HomeView {
        introduction: r
            .introduction()
            .map(|t| TextHtml::new(r, text_page_at(r.links(), address, false, None), t, "intro")),
        counts,
        links,
        earliest,
        latest,
    }
}

#[derive(Serialize)]
pub(super) struct DocumentsView<'a> {
    heading: String,
    /// How many documents the whole list has (this page may show some).
    count: usize,
    years: Vec<YearView<'a>>,
    /// Where this page is in the list, when it takes several.
    pager: Option<Pager>,
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i32,
    documents: Vec<DocumentLink<'a>>,
}

impl DocumentsView<'_> {
    /// How many documents this page shows.
    pub(super) fn shown(&self) -> usize {
        self.years.iter().map(|y| y.documents.len()).sum()
    }
}

/// Documents grouped by year, in date order: all of them, or those of a tag; a
/// page's worth (`docs`) of a list of `count`, `pager` saying which.
pub(super) fn documents<'a>(
    r: &Reader<'_, 'a>,
    address: &Address,
    heading: String,
    docs: Vec<Summary<'a>>,
    count: usize,
    pager: Option<Pager>,
) -> DocumentsView<'a> {
    let mut years: BTreeMap<i32, Vec<DocumentLink<'a>>> = BTreeMap::new();
    for doc in docs {
        years
            .entry(doc.date.year)
            .or_default()
            .push(DocumentLink::new(r, address, doc));
    }
    DocumentsView {
        heading,
        count,
        pager,
        years: years
            .into_iter()
            .map(|(year, documents)| YearView { year, documents })
            .collect(),
    }
}

#[derive(Serialize)]
pub(super) struct FreePageView {
    pub body: TextHtml,
}

/// A free page's title and view.
pub(super) fn free_page<'a>(
    r: &Reader<'_, 'a>,
    slug: &'a str,
    address: &Address,
) -> Option<(String, FreePageView)> {
    let (page, text) = r.free_page(slug)?;
    let view = FreePageView {
        body: TextHtml::new(
            r,
            text_page_at(r.links(), address, false, None),
            text,
            "page",
        ),
    };
    Some((page.title.clone(), view))
}

// ---------------------------------------------------------------------------
// The document page

#[derive(Serialize)]
pub(super) struct DocumentView<'a> {
    id: &'a str,
    title: &'a str,
    /// ISO form, for `<time datetime>`.
    date: String,
    date_human: String,
    date_note: Option<&'a str>,
    number: Option<&'a str>,
    source_note: Option<&'a str>,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    /// The title and summary as HTML, the names they mention linked.
    title_html: String,
    summary_html: Option<String>,
    archive: Option<String>,
    source_url: Option<&'a str>,
    original_language: String,
    tags: Vec<EntryLink>,
    collection: Option<&'a str>,
    /// Authors, addressees, translators... with their role.
    roles: Vec<RoleLine>,
    headnote: TextHtml,
    /// The original's heading and provenance.
    original: TextView<'a>,
    /// Each translation beside the original, row by row; the first is shown unless the
    /// reader picks another. Without a translation, one set of rows of the original.
    pub parallels: Vec<ParallelView<'a>>,
    /// Footnotes, per text that has them.
    notes: Vec<NotesView<'a>>,
    source_href: String,
    /// The entries the document names, by kind ("People", "Events", ...).
    named: Vec<Group>,
    citation: Citation,
    /// What reference managers and search engines read (`<meta>`, JSON-LD).
    head: String,
    /// The citation as files for reference managers.
    citations: Vec<Download>,
    /// The document as data (TEI, JSON).
    data: Vec<Download>,
    previous: Option<DocumentLink<'a>>,
    next: Option<DocumentLink<'a>>,
    /// Front matter keys the generator does not know, for custom templates.
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    /// The page images beside the text; none without images.
    facsimile: Option<super::facsimile::FacsimileView>,
}

#[derive(Serialize)]
struct TextView<'a> {
    lang: &'a str,
    /// "Russian original", "English translation by Gary Goldberg".
    label: String,
    /// "English", to write the label with the translator linked.
    language: &'a str,
    /// The translator, linked to their entry when the register has them.
    translated_by: Option<NameLink>,
    /// Where the text comes from and its state.
    transcription: Option<&'a str>,
}

/// A file of the document in another form.
#[derive(Serialize)]
struct Download {
    label: &'static str,
    href: String,
    media_type: &'static str,
}

/// The forms a document is published in besides its page: label, file extension,
/// media type; citations first, then data.
const CITATION_FILES: [(&str, &str, &str); 3] = [
    ("BibTeX", "bib", "application/x-bibtex"),
    ("RIS", "ris", "application/x-research-info-systems"),
    (
        "CSL-JSON",
        "csl.json",
        "application/vnd.citationstyles.csl+json",
    ),
];
const DATA_FILES: [(&str, &str, &str); 2] = [
    ("TEI P5 XML", "xml", "application/tei+xml"),
    ("JSON", "json", "application/json"),
];

fn downloads(
    links: &crate::links::Links,
    address: &Address,
    id: &str,
    files: &[(&'static str, &'static str, &'static str)],
) -> Vec<Download> {
    files
        .iter()
        .map(|&(label, extension, media_type)| Download {
            label,
            href: links.href(address, &super::data::document_file(id, extension)),
            media_type,
        })
        .collect()
}

/// A name, linked to its entry's page when the register has one.
#[derive(Serialize)]
struct NameLink {
    name: String,
    href: Option<String>,
}

/// People who had a part in the document, under their role ("Author",
/// "Translator (English)").
#[derive(Serialize)]
struct RoleLine {
    role: String,
    people: Vec<NameLink>,
}

/// A text's footnotes, under its heading.
#[derive(Serialize)]
struct NotesView<'a> {
    #[serde(flatten)]
    text: TextView<'a>,
    footnotes: Vec<FootnoteView>,
}

/// The original and one translation, in aligned rows.
#[derive(Serialize)]
pub(super) struct ParallelView<'a> {
    /// The translation's heading (its `lang` is "" without a translation).
    #[serde(flatten)]
    text: TextView<'a>,
    /// The rows, for `partials/rows.html`: a document's text is most of its page.
    #[serde(skip)]
    rows: Vec<RowView>,
    /// `rows` as HTML.
    #[serde(rename = "rows")]
    pub rows_html: String,
}

/// What `partials/rows.html` is given: one translation's rows beside the original.
#[derive(Serialize)]
pub(super) struct RowsPartial<'v> {
    pub original_lang: &'v str,
    /// The translation's language ("" without a translation).
    pub lang: &'v str,
    pub rows: &'v [RowView],
}

impl<'a> ParallelView<'a> {
    /// What its `partials/rows.html` is given.
    pub(super) fn rows_partial<'v>(&'v self, original_lang: &'v str) -> RowsPartial<'v> {
        RowsPartial {
            original_lang,
            lang: self.text.lang,
            rows: &self.rows,
        }
    }
}

impl DocumentView<'_> {
    /// The original's language.
    pub(super) fn original_lang(&self) -> &str {
        self.original.lang
    }
}

/// Blocks of the original set level with blocks of the translation.
#[derive(Serialize)]
pub(super) struct RowView {
    original: Vec<SegmentView>,
    translation: Vec<SegmentView>,
    /// How the row was aligned: "marker", "order" or "lengths", and how surely.
    aligned_by: &'static str,
    confidence: String,
}

#[derive(Serialize)]
pub(super) struct SegmentView {
    /// `ru-3`: the anchor passages link to (only in the first parallel view, so ids
    /// stay unique on the page).
    id: Option<String>,
    line: usize,
    html: String,
}

/// A titled list of entries.
#[derive(Serialize)]
pub(super) struct Group {
    heading: Option<String>,
    /// An anchor for the group (letters of the people index).
    id: Option<String>,
    entries: Vec<EntryLink>,
}

pub(super) fn document<'a>(r: &Reader<'_, 'a>, doc: usize, address: &Address) -> DocumentView<'a> {
    let document = r.document(doc);
    let annotated = r.annotation(doc);
    let meta = &document.meta;
    let config = r.settings();
    let page = text_page_at(r.links(), address, true, Some(document));
    let roles = r.roles(doc);
    let person = |id: &'a str| {
        EntryLink::new(r, address, EntityKind::Person, id, false).map(|link| NameLink {
            name: link.name,
            href: Some(link.href),
        })
    };
    // A translator is a name, or a person of the register under that name.
    let translator = |lang: &str, name: &str| {
        roles
            .iter()
            .find(|(_, rs)| {
                rs.iter()
                    .any(|role| role.role == "translator" && role.lang.as_deref() == Some(lang))
            })
            .and_then(|(id, _)| person(id))
            .unwrap_or_else(|| NameLink {
                name: name.to_string(),
                href: None,
            })
    };
    let text_view = |i: usize| {
        let text = &document.texts[i];
        let language = config.language_name(&text.lang);
        let translated_by = match i {
            0 => None,
            _ => meta
                .translators
                .get(&text.lang)
                .map(|name| translator(&text.lang, name)),
        };
        let label = match (i, &translated_by) {
            (0, _) => format!("{language} original"),
            (_, Some(who)) => format!("{language} translation by {}", who.name),
            (_, None) => format!("{language} translation"),
        };
        TextView {
            lang: &text.lang,
            label,
            language,
            translated_by,
            transcription: meta.transcription.get(&text.lang).map(String::as_str),
        }
    };
    let mut role_lines: Vec<RoleLine> = meta
        .roles
        .iter()
        .map(|(role, ids)| RoleLine {
            role: capitalise(role),
            people: ids.iter().filter_map(|id| person(id)).collect(),
        })
        .filter(|line| !line.people.is_empty())
        .collect();
    role_lines.extend(meta.translators.iter().map(|(lang, name)| RoleLine {
        role: format!("Translator ({})", config.language_name(lang)),
        people: vec![translator(lang, name)],
    }));
    let mut writers: Vec<TextWriter> = annotated
        .texts
        .iter()
        .map(|t| TextWriter::new(page, r, t, &t.lang))
        .collect();
    let mut segments = |text: usize, positions: &[usize], ids: bool| -> Vec<SegmentView> {
        let t = &annotated.texts[text];
        positions
            .iter()
            .map(|&p| SegmentView {
                id: ids.then(|| format!("{}-{}", t.lang, p + 1)),
                line: t.segments[p].line,
                html: writers[text].segment(&t.segments[p]),
            })
            .collect()
    };
    let mut parallels: Vec<ParallelView> = annotated
        .alignments
        .iter()
        .enumerate()
        .map(|(k, alignment)| {
            let t = alignment.translation;
            ParallelView {
                text: text_view(t),
                rows: alignment
                    .rows
                    .iter()
                    .map(|row| RowView {
                        original: segments(0, &row.original, k == 0),
                        translation: segments(t, &row.translation, true),
                        aligned_by: match row.by {
                            AlignedBy::Marker => "marker",
                            AlignedBy::Order => "order",
                            AlignedBy::Lengths => "lengths",
                        },
                        confidence: format!("{:.2}", row.confidence),
                    })
                    .collect(),
                rows_html: String::new(),
            }
        })
        .collect();
    if parallels.is_empty() && !annotated.texts.is_empty() {
        let all: Vec<usize> = (0..annotated.texts[0].segments.len()).collect();
        parallels.push(ParallelView {
            text: TextView {
                lang: "",
                label: String::new(),
                language: "",
                translated_by: None,
                transcription: None,
            },
            rows: all
                .iter()
                .map(|&p| RowView {
                    original: segments(0, &[p], true),
                    translation: Vec::new(),
                    aligned_by: "order",
                    confidence: "1.00".into(),
                })
                .collect(),
            rows_html: String::new(),
        });
    }
    let notes = (0..document.texts.len())
        .filter(|&i| !annotated.texts[i].footnotes.is_empty())
        .map(|i| NotesView {
            text: text_view(i),
            footnotes: footnotes(&mut writers[i], &annotated.texts[i]),
        })
        .collect();
    let (previous, next) = r.neighbours(doc);
    let mut named: Vec<Group> = Vec::new();
    for entity in r.named(doc) {
        let heading = section_heading(entity.kind);
        if named.last().and_then(|g| g.heading.as_deref()) != Some(heading) {
            named.push(Group {
                heading: Some(heading.to_string()),
                id: None,
                entries: Vec::new(),
            });
        }
        let Some(mut link) = EntryLink::new(r, address, entity.kind, &entity.id, false) else {
            continue;
        };
        link.card = Some(card_id(entity));
        if let (Some(card), Some(entry)) = (r.card(entity), r.entry(entity.kind, &entity.id)) {
            // The card says more than the name: show the rest.
            link.detail = card
                .strip_prefix(entry.name())
                .map(|d| d.trim_start_matches([':', ' ']).to_string());
        }
        named.last_mut().expect("pushed above").entries.push(link);
    }
    let links = r.links();
    // The citation gives the page's address only if the edition has a real one.
    let url = links.public(address);
    let reference = r.reference(doc, url.as_deref());
    let about = &annotated.about;
    let mut about_writer = TextWriter::new(page, r, about, "about");
    let mut about_html = about.segments.iter().map(|s| about_writer.segment(s));
    DocumentView {
        id: &document.id,
        title: &meta.title,
        title_html: about_html.next().unwrap_or_default(),
        summary_html: about_html.next(),
        date: meta.date.to_string(),
        date_human: meta.date.human(),
        date_note: meta.date_note.as_deref(),
        number: meta.number.as_deref(),
        source_note: meta.source_note.as_deref(),
        kind: meta.kind.as_deref(),
        summary: meta.summary.as_deref(),
        archive: meta.archive.as_ref().map(|a| a.citation()),
        source_url: meta.source_url.as_deref(),
        original_language: config
            .language_name(document.original_language())
            .to_string(),
        tags: meta
            .tags
            .iter()
            .map(|t| EntryLink {
                name: r.tag_name(t).to_string(),
                href: links.href(address, &tag_address(t)),
                detail: None,
                count: None,
                card: None,
            })
            .collect(),
        collection: meta.collection.as_deref(),
        roles: role_lines,
        headnote: TextHtml::new(r, page, &annotated.headnote, "headnote"),
        original: text_view(0),
        parallels,
        notes,
        source_href: links.href(address, &format!("{address}source/")),
        named,
        citation: reference.chicago(),
        citations: downloads(links, address, &document.id, &CITATION_FILES),
        data: downloads(links, address, &document.id, &DATA_FILES),
        head: super::metadata::document_head(r, address, doc, &reference),
        previous: previous.map(|d| DocumentLink::new(r, address, d)),
        next: next.map(|d| DocumentLink::new(r, address, d)),
        extra: &meta.extra,
        facsimile: super::facsimile::view(r, doc, address),
    }
}

fn section_heading(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "People",
        EntityKind::Event => "Events",
        EntityKind::Place => "Places",
        EntityKind::Term => "Terms",
    }
}

// ---------------------------------------------------------------------------
// Pages of people, events and places

/// The page of one register entry. Sections a kind does not have stay empty.
#[derive(Serialize)]
pub(super) struct EntryView<'a> {
    /// "person", "event", "place".
    kind: String,
    /// "Person", "Event", "Place".
    kind_label: String,
    name: String,
    /// Dates in words: "1895–1978"; "30–31 August 1956".
    dates: Option<String>,
    /// Full names per language, each shown in its language.
    names: Vec<ScriptName>,
    roles: Vec<RoleView>,
    description: Option<String>,
    /// Authority records (Wikidata, VIAF).
    authorities: Vec<crate::model::Authority>,
    /// What search engines read of the entry (a person's JSON-LD).
    head: String,
    related: Vec<Group>,
    /// The documents the person had a part in, with the part (a list apart from
    /// the documents naming them).
    parts: Vec<PartView<'a>>,
    /// The documents naming the entry, with the passages (for
    /// `partials/occurrences.html`, the one part of the page that grows with the
    /// edition).
    #[serde(skip)]
    pub documents: Vec<DocumentOccurrence<'a>>,
    /// `documents` as HTML (empty when there are none: the partial lays out a list).
    #[serde(rename = "occurrences")]
    pub occurrences_html: String,
    /// The register's fields dossier does not read (`entry.extra.frus_id`).
    extra: &'a BTreeMap<String, serde_yaml::Value>,
    /// Where this page is in the entry's documents, when they take several.
    pager: Option<Pager>,
}

impl EntryView<'_> {
    pub(super) fn name(&self) -> &str {
        &self.name
    }
}

#[derive(Serialize)]
struct ScriptName {
    lang: String,
    language: String,
    name: String,
}

#[derive(Serialize)]
struct RoleView {
    role: String,
    when: Option<String>,
}

/// What `partials/occurrences.html` is given.
#[derive(Serialize)]
pub(super) struct OccurrencesPartial<'v> {
    pub documents: &'v [DocumentOccurrence<'v>],
}

/// A document naming the entry, with the passages, one list item per place: the
/// passages of one row of the side-by-side view (the original's and the
/// translation's) together.
#[derive(Serialize)]
pub(super) struct DocumentOccurrence<'a> {
    document: DocumentLink<'a>,
    places: Vec<Vec<PassageView<'a>>>,
}

/// A document a person had a part in, and the part ("Translator (English)").
#[derive(Serialize)]
struct PartView<'a> {
    document: DocumentLink<'a>,
    roles: String,
}

/// A person page can hold a thousand passages: what can be is borrowed.
#[derive(Serialize)]
struct PassageView<'a> {
    /// "original", "translation" or "in-headnote": the column of its place.
    side: &'static str,
    lang: &'a str,
    language: &'a str,
    #[serde(flatten)]
    words: InContext,
    /// Link to the block of the document the passage is in.
    href: String,
}

/// The page of entry `id` of register `kind`, if there is one.
pub(super) fn entry<'a>(
    r: &Reader<'_, 'a>,
    kind: EntityKind,
    id: &'a str,
    address: &Address,
    page: u32,
) -> Option<EntryView<'a>> {
    let config = r.settings();
    let names_of = |names: &BTreeMap<String, String>| {
        names
            .iter()
            .map(|(lang, name)| ScriptName {
                lang: lang.clone(),
                language: config.language_name(lang).to_string(),
                name: name.clone(),
            })
            .collect()
    };
    let group = |heading: &str, entries: Vec<EntryLink>| Group {
        heading: Some(heading.to_string()),
        id: None,
        entries,
    };
    let link = |kind: EntityKind, id: &'a str| EntryLink::new(r, address, kind, id, false);
    let entry = r.entry(kind, id)?;
    let mut view = EntryView {
        kind: kind.to_string(),
        kind_label: capitalise(&kind.to_string()),
        name: entry.name().to_string(),
        dates: None,
        names: Vec::new(),
        roles: Vec::new(),
        description: None,
        authorities: Vec::new(),
        related: Vec::new(),
        parts: Vec::new(),
        documents: Vec::new(),
        occurrences_html: String::new(),
        head: String::new(),
        extra: entry.extra(),
        pager: None,
    };
    let first = crate::links::entry_page_address(&EntityRef {
        kind,
        id: id.into(),
    });
    let (documents, parts, total) = occurrences(r, kind, id, address, page);
    (view.documents, view.parts) = (documents, parts);
    view.pager = Pager::new(
        r.links(),
        address,
        &first,
        page,
        total,
        OCCURRENCES_PER_PAGE,
        "Documents",
    );
    match entry {
        Entry::Person(p) => {
            view.dates = match (p.born, p.died) {
                (None, None) => None,
                (b, d) => Some(format!(
                    "{} – {}",
                    b.map(|b| b.human()).unwrap_or_else(|| "?".into()),
                    d.map(|d| d.human()).unwrap_or_else(|| "?".into())
                )),
            };
            view.names = names_of(&p.names);
            view.roles = p
                .roles
                .iter()
                .map(|role| RoleView {
                    role: role.role.clone(),
                    when: match (role.from, role.to) {
                        (None, None) => None,
                        (f, t) => Some(format!(
                            "{}–{}",
                            f.map(|f| f.human()).unwrap_or_default(),
                            t.map(|t| t.human()).unwrap_or_default()
                        )),
                    },
                })
                .collect();
            view.description = p.description.clone();
            view.authorities = p.authorities();
            view.head = super::metadata::person_head(r.links(), address, p);
            let with: Vec<EntryLink> = r
                .co_occurring(id)
                .iter()
                .take(10)
                .filter_map(|(other, shared)| {
                    let mut link = link(EntityKind::Person, other)?;
                    link.count = Some(*shared);
                    Some(link)
                })
                .collect();
            let events: Vec<EntryLink> = r
                .events_of(id)
                .iter()
                .filter_map(|e| link(EntityKind::Event, e))
                .collect();
            let see_also: Vec<EntryLink> = p
                .see_also
                .iter()
                .filter_map(|o| link(EntityKind::Person, o))
                .collect();
            view.related = vec![
                group("Events", events),
                group("Most often in the same documents", with),
                group("See also", see_also),
            ];
        }
        Entry::Event(e) => {
            view.dates = e.when();
            view.description = e.description.clone();
            let place: Vec<EntryLink> = e
                .place
                .iter()
                .filter_map(|p| link(EntityKind::Place, p))
                .collect();
            let participants = e
                .participants
                .iter()
                .filter_map(|p| link(EntityKind::Person, p))
                .collect();
            view.related = vec![group("Place", place), group("Participants", participants)];
        }
        Entry::Place(p) => {
            view.names = names_of(&p.names);
            view.description = p.description.clone();
            let events = r
                .events()
                .iter()
                .filter(|(_, e)| e.place.as_deref() == Some(id))
                .filter_map(|(event, _)| link(EntityKind::Event, event))
                .collect();
            view.related = vec![group("Events here", events)];
        }
        Entry::Term(t) => {
            view.names = names_of(&t.expansion);
            view.description = t.description.clone();
        }
    }
    view.related.retain(|g| !g.entries.is_empty());
    Some(view)
}

/// The documents naming an entry, with the passages, and apart, those a person
/// had a part in. A document the person only had a part in (no passage names them)
/// is in the second list alone.
fn occurrences<'a>(
    r: &Reader<'_, 'a>,
    kind: EntityKind,
    id: &'a str,
    address: &Address,
    page: u32,
) -> (Vec<DocumentOccurrence<'a>>, Vec<PartView<'a>>, usize) {
    let config = r.settings();
    let mut parts = Vec::new();
    let mut named = Vec::new();
    let (occurrences, total) = r.occurrences(kind, id, |length| {
        paging::range(page, length, OCCURRENCES_PER_PAGE)
    });
    for o in occurrences {
        let document = DocumentLink::new(r, address, o.document);
        if !o.roles.is_empty() {
            let roles: Vec<String> = o
                .roles
                .iter()
                .map(|role| match &role.lang {
                    Some(lang) => {
                        format!(
                            "{} ({})",
                            capitalise(&role.role),
                            config.language_name(lang)
                        )
                    }
                    None => capitalise(&role.role),
                })
                .collect();
            parts.push(PartView {
                document: document.clone(),
                roles: roles.join(", "),
            });
            if o.passages.is_empty() {
                continue;
            }
        }
        // Places in the order of the rows, each place's passages in the order of
        // the texts (the original's first); passages outside the rows (in the
        // headnote) last, each a place.
        let mut rows: BTreeMap<usize, Vec<PassageView>> = BTreeMap::new();
        let mut apart = Vec::new();
        for p in o.passages {
            // The block's anchor (`ru-3`) after the document's address.
            let mut href = String::with_capacity(document.href.len() + 16);
            href.push_str(&document.href);
            href.push('#');
            match p.part {
                Part::Headnote => href.push_str("headnote"),
                Part::About => href.push_str("about"),
                Part::Text => {
                    write!(href, "{}-{}", p.lang, p.segment + 1).expect("writing to a String")
                }
            }
            let view = PassageView {
                side: match (p.part, p.in_original) {
                    (Part::Headnote, _) => "in-headnote",
                    (Part::About, _) => "in-about",
                    (Part::Text, true) => "original",
                    (Part::Text, false) => "translation",
                },
                lang: p.lang,
                language: config.language_name(p.lang),
                words: p.words,
                href,
            };
            match p.row {
                Some(row) => rows.entry(row).or_default().push(view),
                None => apart.push(vec![view]),
            }
        }
        let places = rows.into_values().chain(apart).collect();
        named.push(DocumentOccurrence { document, places });
    }
    (named, parts, total)
}

/// `partial.rows` as `templates/partials/rows.html` lays them out, written
/// directly, as [`occurrences_html`] is and for the same reason.
pub(super) fn rows_html(partial: &RowsPartial) -> String {
    let segments = |html: &mut String, segments: &[SegmentView], lang: &str| {
        for segment in segments {
            html.push_str("<div class=\"segment\"");
            if let Some(id) = &segment.id {
                html.push_str(" id=\"");
                escape_into(html, id);
                html.push('"');
            }
            html.push_str(" lang=\"");
            escape_into(html, lang);
            html.push_str("\" data-line=\"");
            write!(html, "{}", segment.line).expect("writing to a String");
            html.push_str("\">");
            html.push_str(&segment.html);
            html.push_str("</div>");
        }
    };
    let room: usize = partial
        .rows
        .iter()
        .flat_map(|r| r.original.iter().chain(&r.translation))
        .map(|s| s.html.len() + 64)
        .sum();
    let mut html = String::with_capacity(room + 192 * partial.rows.len() + 1);
    for row in partial.rows {
        html.push_str("<div class=\"row\" data-aligned-by=\"");
        escape_into(&mut html, row.aligned_by);
        html.push_str("\" data-confidence=\"");
        escape_into(&mut html, &row.confidence);
        html.push_str("\">\n<div class=\"cell original\" lang=\"");
        escape_into(&mut html, partial.original_lang);
        html.push_str("\">");
        segments(&mut html, &row.original, partial.original_lang);
        html.push_str("</div>\n");
        if !partial.lang.is_empty() {
            html.push_str("<div class=\"cell translation\" lang=\"");
            escape_into(&mut html, partial.lang);
            html.push_str("\">");
            segments(&mut html, &row.translation, partial.lang);
            html.push_str("</div>\n");
        }
        html.push_str("</div>\n");
    }
    html.push('\n');
    html
}

/// `documents` as `templates/partials/occurrences.html` lays them out, written
/// directly: a person named throughout a large edition has thousands of passages,
/// and building a template value for each cost more than the rest of the page.
/// An edition with its own `partials/occurrences.html` gets that instead; a test
/// checks that the built-in one and this agree, byte for byte.
pub(super) fn occurrences_html(partial: &OccurrencesPartial) -> String {
    let documents = partial.documents;
    let passages: usize = documents.iter().flat_map(|o| &o.places).map(Vec::len).sum();
    let mut html = String::with_capacity(256 * documents.len() + 320 * passages);
    html.push_str("<ol class=\"occurrence-list\">\n");
    for o in documents {
        html.push_str("<li>\n<p class=\"occurrence-document\"><time datetime=\"");
        escape_into(&mut html, &o.document.datetime);
        html.push_str("\">");
        escape_into(&mut html, &o.document.date);
        html.push_str("</time> <a href=\"");
        escape_into(&mut html, &o.document.href);
        html.push_str("\">");
        escape_into(&mut html, o.document.title);
        html.push_str("</a></p>\n");
        if o.places.is_empty() {
            html.push_str("<p class=\"listed\">Listed in the document's metadata.</p>\n");
        } else {
            html.push_str("<ul class=\"passages\">\n");
            for place in &o.places {
                html.push_str("<li class=\"place\">");
                for p in place {
                    html.push_str("<p class=\"kwic ");
                    html.push_str(p.side);
                    html.push_str("\" lang=\"");
                    escape_into(&mut html, p.lang);
                    html.push_str("\"><span class=\"visually-hidden\">");
                    escape_into(&mut html, p.language);
                    html.push_str(": </span><a href=\"");
                    escape_into(&mut html, &p.href);
                    html.push_str("\">");
                    escape_into(&mut html, p.words.before());
                    html.push_str("<mark>");
                    escape_into(&mut html, p.words.surface());
                    html.push_str("</mark>");
                    escape_into(&mut html, p.words.after());
                    html.push_str("</a></p>");
                }
                html.push_str("</li>\n");
            }
            html.push_str("</ul>\n");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    html
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Index pages

#[derive(Serialize)]
pub(super) struct EntriesView {
    heading: String,
    introduction: Option<String>,
    /// The chronology (events index), as SVG.
    timeline: Option<String>,
    groups: Vec<Group>,
    /// Links to the initial letters, each to the page it begins on (the index of
    /// people).
    letters: Vec<LetterLink>,
    /// Where this page is in the index, when it takes several.
    pager: Option<Pager>,
}

#[derive(Serialize)]
struct LetterLink {
    letter: String,
    href: String,
}

/// A page of a register's index: the entries of `page` (in the order of `ids`),
/// and the pager. `first`: the index's first page.
struct IndexPage<'i, 'a> {
    entries: &'i [&'a str],
    pager: Option<Pager>,
}

fn index_page<'i, 'a>(
    r: &Reader<'_, 'a>,
    address: &Address,
    first: &str,
    ids: &'i [&'a str],
    page: u32,
) -> IndexPage<'i, 'a> {
    let shown = paging::range(page, ids.len(), ENTRIES_PER_PAGE);
    IndexPage {
        entries: &ids[shown],
        pager: Pager::new(
            r.links(),
            address,
            first,
            page,
            ids.len(),
            ENTRIES_PER_PAGE,
            "Entries",
        ),
    }
}

/// People A–Z by sort name, grouped by initial letter.
pub(super) fn people(r: &Reader, address: &Address, page: u32) -> EntriesView {
    let everyone = r.people();
    let mut people: Vec<(String, &str)> = everyone
        .iter()
        .map(|(id, p)| (p.sort_key().to_lowercase(), id.as_str()))
        .collect();
    people.sort_unstable();
    let initial = |id: &str| -> String {
        everyone[id]
            .sort_key()
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default()
    };
    let ids: Vec<&str> = people.iter().map(|(_, id)| *id).collect();
    // Every letter of the index, on whichever page it begins.
    let mut letters: Vec<LetterLink> = Vec::new();
    let mut last = String::new();
    for (position, id) in ids.iter().enumerate() {
        let letter = initial(id);
        if letter != last {
            let anchor = format!("#letter-{}", letter.to_lowercase());
            let on = paging::page_of(position, ENTRIES_PER_PAGE);
            let href = if on == page {
                anchor
            } else {
                let there = paging::page_address("people/", on);
                format!("{}{anchor}", r.links().href(address, &there))
            };
            letters.push(LetterLink {
                letter: letter.clone(),
                href,
            });
            last = letter;
        }
    }
    let shown = index_page(r, address, "people/", &ids, page);
    let mut groups: Vec<Group> = Vec::new();
    for &id in shown.entries {
        let letter = initial(id);
        if groups.last().and_then(|g| g.heading.as_deref()) != Some(letter.as_str()) {
            groups.push(Group {
                heading: Some(letter.clone()),
                id: Some(format!("letter-{}", letter.to_lowercase())),
                entries: Vec::new(),
            });
        }
        let Some(mut link) = EntryLink::new(r, address, EntityKind::Person, id, true) else {
            continue;
        };
        link.name = everyone[id].sort_key().to_string();
        groups.last_mut().expect("pushed above").entries.push(link);
    }
    EntriesView {
        heading: "People".into(),
        introduction: Some(
            "Everyone the documents name, by surname, with the number of documents naming them."
                .into(),
        ),
        timeline: None,
        groups,
        letters: if letters.len() > 1 {
            letters
        } else {
            Vec::new()
        },
        pager: shown.pager,
    }
}

/// Events by date, with the chronology drawn above them (on the first page).
pub(super) fn events(r: &Reader, address: &Address, page: u32) -> EntriesView {
    let links = r.links();
    let mut dated: Vec<_> = r.events().iter().collect();
    dated.sort_by_key(|(id, e)| (e.span().map(|s| s.0), (*id).clone()));
    let timeline = (page == 1).then(|| {
        let items: Vec<timeline::Item> = dated
            .iter()
            .filter_map(|(id, e)| {
                let (start, end) = e.span()?;
                let entity = EntityRef {
                    kind: EntityKind::Event,
                    id: id.as_str().into(),
                };
                let href = links.href(address, &entity_address(&entity));
                Some(timeline::Item {
                    label: e.name.clone(),
                    list_href: href.clone(),
                    href,
                    start,
                    end,
                })
            })
            .collect();
        let documents: Vec<timeline::Item> = r
            .chronology()
            .iter()
            .enumerate()
            .map(|(position, d)| {
                // A group of marks leads to the first of its documents on the list
                // of documents, on the page that has it.
                let list = paging::page_address(
                    "documents/",
                    paging::page_of(position, paging::DOCUMENTS_PER_PAGE),
                );
                timeline::Item {
                    label: d.title.to_string(),
                    href: links.href(address, &document_address(d.id)),
                    list_href: format!("{}#document-{}", links.href(address, &list), d.id),
                    start: d.date,
                    end: d.date,
                }
            })
            .collect();
        timeline::svg(&items, &documents)
    });
    let ids: Vec<&str> = dated.iter().map(|(id, _)| id.as_str()).collect();
    let shown = index_page(r, address, "events/", &ids, page);
    let entries = shown
        .entries
        .iter()
        .filter_map(|id| EntryLink::new(r, address, EntityKind::Event, id, true))
        .collect();
    EntriesView {
        heading: "Events".into(),
        introduction: Some("The events of the edition and its documents on one time axis; each bar or mark links to its page.".into()),
        timeline: timeline.flatten(),
        groups: vec![Group {
            heading: Some("Chronology".into()),
            id: Some("chronology".into()),
            entries,
        }],
        letters: Vec::new(),
        pager: shown.pager,
    }
}

pub(super) fn places(r: &Reader, address: &Address, page: u32) -> EntriesView {
    let mut places: Vec<(String, &str)> = r
        .places()
        .iter()
        .map(|(id, p)| (p.name.to_lowercase(), id.as_str()))
        .collect();
    places.sort_unstable();
    let ids: Vec<&str> = places.iter().map(|(_, id)| *id).collect();
    let shown = index_page(r, address, "places/", &ids, page);
    let entries = shown
        .entries
        .iter()
        .filter_map(|id| EntryLink::new(r, address, EntityKind::Place, id, true))
        .collect();
    EntriesView {
        heading: "Places".into(),
        introduction: None,
        timeline: None,
        groups: vec![Group {
            heading: None,
            id: None,
            entries,
        }],
        letters: Vec::new(),
        pager: shown.pager,
    }
}

pub(super) fn tags(r: &Reader, address: &Address, page: u32) -> EntriesView {
    let links = r.links();
    // By the names shown, as the other lists are.
    let mut tags: Vec<(String, &str, usize)> = r
        .tags()
        .into_iter()
        .map(|(tag, count)| (r.tag_name(tag).to_lowercase(), tag, count))
        .collect();
    tags.sort_unstable();
    let ids: Vec<&str> = tags.iter().map(|(_, tag, _)| *tag).collect();
    let shown = index_page(r, address, "tags/", &ids, page);
    let offset = paging::range(page, ids.len(), ENTRIES_PER_PAGE).start;
    let entries = shown
        .entries
        .iter()
        .enumerate()
        .map(|(i, tag)| EntryLink {
            name: r.tag_name(tag).to_string(),
            href: links.href(address, &tag_address(tag)),
            detail: None,
            count: Some(tags[offset + i].2),
            card: None,
        })
        .collect();
    EntriesView {
        heading: "Tags".into(),
        introduction: None,
        timeline: None,
        groups: vec![Group {
            heading: None,
            id: None,
            entries,
        }],
        letters: Vec::new(),
        pager: shown.pager,
    }
}

#[derive(Serialize)]
struct AllDocuments {
    /// "1,234".
    count: String,
    href: String,
}

#[derive(Serialize)]
pub(super) struct GlossaryView<'a> {
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
struct TermView<'a> {
    id: String,
    term: String,
    expansions: Vec<ScriptName>,
    aliases: Vec<String>,
    description: Option<String>,
    /// The first documents naming the term (all, if they are few).
    documents: Vec<DocumentLink<'a>>,
    /// The term's own page, listing every document, when they are more.
    all: Option<AllDocuments>,
}

pub(super) fn glossary<'a>(r: &Reader<'_, 'a>, address: &Address) -> GlossaryView<'a> {
    let config = r.settings();
    let mut terms: Vec<TermView> = r
        .glossary()
        .iter()
        .map(|(id, t)| TermView {
            id: format!("term-{id}"),
            term: t.term.clone(),
            expansions: t
                .expansion
                .iter()
                .map(|(lang, text)| ScriptName {
                    lang: lang.clone(),
                    language: config.language_name(lang).to_string(),
                    name: text.clone(),
                })
                .collect(),
            aliases: t
                .aliases
                .iter()
                .filter(|a| **a != t.term)
                .cloned()
                .collect(),
            description: t.description.clone(),
            documents: r
                .documents_naming(EntityKind::Term, id)
                .into_iter()
                .take(paging::GLOSSARY_DOCUMENTS)
                .map(|d| DocumentLink::new(r, address, d))
                .collect(),
            all: {
                let count = r.count(EntityKind::Term, id);
                (count > paging::GLOSSARY_DOCUMENTS).then(|| AllDocuments {
                    count: paging::thousands(count),
                    href: r.links().href(
                        address,
                        &crate::links::entry_page_address(&EntityRef {
                            kind: EntityKind::Term,
                            id: id.as_str().into(),
                        }),
                    ),
                })
            },
        })
        .collect();
    terms.sort_by_cached_key(|t| t.term.to_lowercase());
    GlossaryView { terms }
}

// ---------------------------------------------------------------------------
// The source view

#[derive(Serialize)]
pub(super) struct SourceView {
    title: String,
    document_href: String,
    files: Vec<super::source::SourceFile>,
}

impl SourceView {
    /// The bytes of its highlighted files (most of its page).
    pub(super) fn html_len(&self) -> usize {
        self.files.iter().map(|f| f.html.len()).sum()
    }
}

/// The source view of document `doc`; an error (the file, and why) if its files
/// had to be read again and could not be, or had changed.
pub(super) fn source(
    r: &Reader,
    doc: usize,
    address: &Address,
) -> Result<SourceView, (std::path::PathBuf, String)> {
    let document = r.document(doc);
    let written = document.written()?;
    let mut files = vec![super::source::highlight("index.md", &written.metadata)];
    for (text, markdown) in document.texts.iter().zip(&written.texts) {
        files.push(super::source::highlight(
            &format!("{}.md", text.lang),
            markdown,
        ));
    }
    Ok(SourceView {
        title: document.meta.title.clone(),
        document_href: r.links().href(address, &document_address(&document.id)),
        files,
    })
}

// ---------------------------------------------------------------------------
// Search

/// The search page: the script does the searching; the page says where documents
/// are, and what to use without JavaScript.
#[derive(Serialize)]
pub(super) struct SearchView {
    /// A document's address is its id between these two.
    document_href_before: String,
    document_href_after: String,
    /// The indexes a reader without JavaScript can use instead.
    indexes: Vec<EntryLink>,
}

pub(super) fn search(r: &Reader, address: &Address) -> SearchView {
    const ID: &str = "DOCUMENT_ID";
    let links = r.links();
    let example = links.href(address, &document_address(ID));
    let (before, after) = example.split_once(ID).expect("the id is in the address");
    let indexes = [
        ("Documents by date", "documents/"),
        ("People", "people/"),
        ("Events", "events/"),
        ("Places", "places/"),
        ("Glossary", "glossary/"),
        ("Tags", "tags/"),
    ]
    .into_iter()
    .map(|(name, to)| EntryLink {
        name: name.into(),
        href: links.href(address, to),
        detail: None,
        count: None,
        card: None,
    })
    .collect();
    SearchView {
        document_href_before: before.to_string(),
        document_href_after: after.to_string(),
        indexes,
    }
}
