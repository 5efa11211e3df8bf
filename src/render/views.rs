//! What each page shows, computed: one view per page, serialised for its template.
//!
//! Views hold finished strings (links relative to their page, dates in words), so
//! templates only lay them out. Pages of people, events and places share one view
//! ([`EntryView`]) and template; all index pages share [`EntriesView`].

use super::citation::{chicago, Citation};
use super::text::{card_id, TextPage, TextWriter};
use super::timeline;
use crate::html::escape_into;
use crate::links::{document_address, entity_address, tag_address, Address, Links};
use crate::model::{
    AlignedBy, AnnotatedDocument, AnnotatedText, Document, Edition, EntityKind, EntityRef,
    InContext, Person, SiteIndex,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Everything views are made from.
pub struct Sources<'a> {
    pub edition: &'a Edition,
    pub annotated: &'a crate::annotate::Annotated,
    pub index: &'a SiteIndex,
    pub links: &'a Links,
}

/// A document as listed elsewhere (lists, previous/next).
#[derive(Serialize)]
pub struct DocumentLink<'a> {
    title: &'a str,
    href: String,
    date: String,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
}

/// A register entry as listed elsewhere: its name, link, a short detail (dates, role)
/// and, in indexes, the number of documents naming it.
#[derive(Serialize)]
pub struct EntryLink {
    name: String,
    href: String,
    detail: Option<String>,
    count: Option<usize>,
    /// The id of the card this item is (on document pages), for `aria-describedby`.
    card: Option<String>,
}

impl<'a> Sources<'a> {
    fn document_link(&self, from: &Address, doc: usize) -> DocumentLink<'a> {
        let document = &self.edition.documents[doc];
        DocumentLink {
            title: &document.meta.title,
            href: self.links.href(from, &document_address(&document.id)),
            date: document.meta.date.human(),
            kind: document.meta.kind.as_deref(),
            summary: document.meta.summary.as_deref(),
        }
    }

    fn entry_link(&self, from: &Address, entity: &EntityRef, with_count: bool) -> EntryLink {
        let registers = &self.edition.registers;
        let detail = match entity.kind {
            EntityKind::Person => registers.people[&entity.id].lifespan(),
            EntityKind::Event => registers.events[&entity.id].when(),
            EntityKind::Place => None,
            EntityKind::Term => registers.glossary[&entity.id]
                .expansion
                .values()
                .next()
                .cloned(),
        };
        EntryLink {
            name: registers.name(entity).unwrap_or(&entity.id).to_string(),
            href: self.links.href(from, &entity_address(entity)),
            detail,
            count: with_count.then(|| self.index.occurrences.get(entity).map_or(0, Vec::len)),
            card: None,
        }
    }

    fn person_link(&self, from: &Address, id: &str) -> Option<EntryLink> {
        self.edition
            .registers
            .people
            .contains_key(id)
            .then(|| self.entry_link(from, &person(id), false))
    }
}

fn person(id: &str) -> EntityRef {
    EntityRef {
        kind: EntityKind::Person,
        id: id.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Home, lists of documents, free pages

/// A text as a page shows it: each segment and note as HTML.
#[derive(Serialize)]
pub struct TextHtml {
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
    pub fn new(page: TextPage, text: &AnnotatedText, prefix: &str) -> Self {
        let mut writer = TextWriter::new(page, text, prefix);
        let segments = text
            .segments
            .iter()
            .map(|s| SegmentHtml {
                line: s.line,
                anchor: s.anchor.clone(),
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

impl<'a> Sources<'a> {
    /// How a text on the page at `address` is written.
    fn text_page(&self, address: &'a Address, cards: bool, doc: Option<usize>) -> TextPage<'a> {
        TextPage {
            address,
            links: self.links,
            registers: &self.edition.registers,
            cards,
            document: doc.map(|d| &self.edition.documents[d]),
        }
    }
}

#[derive(Serialize)]
pub struct HomeView<'a> {
    introduction: Option<TextHtml>,
    counts: Counts,
    links: BTreeMap<&'static str, String>,
    earliest: Vec<DocumentLink<'a>>,
    latest: Vec<DocumentLink<'a>>,
}

#[derive(Serialize)]
struct Counts {
    documents: usize,
    people: usize,
    events: usize,
    places: usize,
    terms: usize,
}

pub fn home<'a>(s: &Sources<'a>, introduction: Option<&'a AnnotatedText>) -> HomeView<'a> {
    let address = "";
    let registers = &s.edition.registers;
    let link = |&i: &usize| s.document_link(address, i);
    let links = ["documents", "people", "events", "places", "glossary"]
        .into_iter()
        .map(|section| (section, s.links.href(address, &format!("{section}/"))))
        .collect();
    HomeView {
        introduction: introduction
            .map(|t| TextHtml::new(s.text_page(address, false, None), t, "intro")),
        counts: Counts {
            documents: s.edition.documents.len(),
            people: registers.people.len(),
            events: registers.events.len(),
            places: registers.places.len(),
            terms: registers.glossary.len(),
        },
        links,
        earliest: s.index.by_date.iter().take(5).map(link).collect(),
        latest: s.index.by_date.iter().rev().take(5).map(link).collect(),
    }
}

#[derive(Serialize)]
pub struct DocumentsView<'a> {
    heading: String,
    count: usize,
    years: Vec<YearView<'a>>,
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i32,
    documents: Vec<DocumentLink<'a>>,
}

/// Documents grouped by year, in date order: all of them, or those of a tag.
pub fn documents<'a>(
    s: &Sources<'a>,
    address: &Address,
    heading: String,
    docs: &[usize],
) -> DocumentsView<'a> {
    let mut years: BTreeMap<i32, Vec<DocumentLink<'a>>> = BTreeMap::new();
    for &doc in docs {
        let year = s.edition.documents[doc].meta.date.year;
        years
            .entry(year)
            .or_default()
            .push(s.document_link(address, doc));
    }
    DocumentsView {
        heading,
        count: docs.len(),
        years: years
            .into_iter()
            .map(|(year, documents)| YearView { year, documents })
            .collect(),
    }
}

#[derive(Serialize)]
pub struct FreePageView {
    pub body: TextHtml,
}

pub fn free_page(s: &Sources, text: &AnnotatedText, address: &Address) -> FreePageView {
    FreePageView {
        body: TextHtml::new(s.text_page(address, false, None), text, "page"),
    }
}

// ---------------------------------------------------------------------------
// The document page

#[derive(Serialize)]
pub struct DocumentView<'a> {
    id: &'a str,
    title: &'a str,
    /// ISO form, for `<time datetime>`.
    date: String,
    date_human: String,
    date_note: Option<&'a str>,
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    archive: Option<String>,
    source_url: Option<&'a str>,
    original_language: String,
    tags: Vec<EntryLink>,
    collection: Option<&'a str>,
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
    previous: Option<DocumentLink<'a>>,
    next: Option<DocumentLink<'a>>,
    /// Front matter keys the generator does not know, for custom templates.
    extra: &'a BTreeMap<String, serde_yaml::Value>,
}

#[derive(Serialize)]
struct TextView<'a> {
    lang: &'a str,
    /// "Russian original", "English translation by Gary Goldberg".
    label: String,
    /// Where the text comes from and its state.
    transcription: Option<&'a str>,
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
pub struct ParallelView<'a> {
    /// The translation's language ("" without a translation).
    lang: &'a str,
    label: String,
    transcription: Option<&'a str>,
    /// The rows, for `partials/rows.html`: a document's text is most of its page.
    #[serde(skip)]
    rows: Vec<RowView>,
    /// `rows` as HTML.
    #[serde(rename = "rows")]
    pub rows_html: String,
}

/// What `partials/rows.html` is given: one translation's rows beside the original.
#[derive(Serialize)]
pub struct RowsPartial<'v> {
    pub original_lang: &'v str,
    /// The translation's language ("" without a translation).
    pub lang: &'v str,
    pub rows: &'v [RowView],
}

impl<'a> ParallelView<'a> {
    /// What its `partials/rows.html` is given.
    pub fn rows_partial<'v>(&'v self, original_lang: &'v str) -> RowsPartial<'v> {
        RowsPartial {
            original_lang,
            lang: self.lang,
            rows: &self.rows,
        }
    }
}

impl DocumentView<'_> {
    /// The original's language.
    pub fn original_lang(&self) -> &str {
        self.original.lang
    }
}

/// Blocks of the original set level with blocks of the translation.
#[derive(Serialize)]
pub struct RowView {
    original: Vec<SegmentView>,
    translation: Vec<SegmentView>,
    /// How the row was aligned: "marker", "order" or "lengths", and how surely.
    aligned_by: &'static str,
    confidence: String,
}

#[derive(Serialize)]
pub struct SegmentView {
    /// `ru-3`: the anchor passages link to (only in the first parallel view, so ids
    /// stay unique on the page).
    id: Option<String>,
    line: usize,
    html: String,
}

/// A titled list of entries.
#[derive(Serialize)]
pub struct Group {
    heading: Option<String>,
    /// An anchor for the group (letters of the people index).
    id: Option<String>,
    entries: Vec<EntryLink>,
}

pub fn document<'a>(
    s: &Sources<'a>,
    doc: usize,
    annotated: &'a AnnotatedDocument,
    address: &'a Address,
) -> DocumentView<'a> {
    let edition = s.edition;
    let document: &'a Document = &edition.documents[doc];
    let meta = &document.meta;
    let config = &edition.config;
    let page = s.text_page(address, true, Some(doc));
    let text_view = |i: usize| {
        let text = &document.texts[i];
        let language = config.language_name(&text.lang);
        let label = if i == 0 {
            format!("{language} original")
        } else {
            match meta.translators.get(&text.lang) {
                Some(who) => format!("{language} translation by {who}"),
                None => format!("{language} translation"),
            }
        };
        TextView {
            lang: &text.lang,
            label,
            transcription: meta.transcription.get(&text.lang).map(String::as_str),
        }
    };
    let mut writers: Vec<TextWriter> = annotated
        .texts
        .iter()
        .map(|t| TextWriter::new(page, t, &t.lang))
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
            let header = text_view(t);
            ParallelView {
                lang: header.lang,
                label: header.label,
                transcription: header.transcription,
                rows: alignment
                    .rows
                    .iter()
                    .map(|r| RowView {
                        original: segments(0, &r.original, k == 0),
                        translation: segments(t, &r.translation, true),
                        aligned_by: match r.by {
                            AlignedBy::Marker => "marker",
                            AlignedBy::Order => "order",
                            AlignedBy::Lengths => "lengths",
                        },
                        confidence: format!("{:.2}", r.confidence),
                    })
                    .collect(),
                rows_html: String::new(),
            }
        })
        .collect();
    if parallels.is_empty() && !annotated.texts.is_empty() {
        let all: Vec<usize> = (0..annotated.texts[0].segments.len()).collect();
        parallels.push(ParallelView {
            lang: "",
            label: String::new(),
            transcription: None,
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
    let (previous, next) = s.index.neighbours[doc];
    let mut named: Vec<Group> = Vec::new();
    for entity in &s.index.document_entities[doc] {
        let heading = section_heading(entity.kind);
        if named.last().and_then(|g| g.heading.as_deref()) != Some(heading) {
            named.push(Group {
                heading: Some(heading.to_string()),
                id: None,
                entries: Vec::new(),
            });
        }
        let mut link = s.entry_link(address, entity, false);
        link.card = Some(card_id(entity));
        if let Some(card) = edition.registers.card(entity) {
            // The card says more than the name: show the rest.
            let name = edition.registers.name(entity).unwrap_or_default();
            link.detail = card
                .strip_prefix(name)
                .map(|d| d.trim_start_matches([':', ' ']).to_string());
        }
        named.last_mut().expect("pushed above").entries.push(link);
    }
    DocumentView {
        id: &document.id,
        title: &meta.title,
        date: meta.date.to_string(),
        date_human: meta.date.human(),
        date_note: meta.date_note.as_deref(),
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
                name: t.clone(),
                href: s.links.href(address, &tag_address(t)),
                detail: None,
                count: None,
                card: None,
            })
            .collect(),
        collection: meta.collection.as_deref(),
        headnote: TextHtml::new(page, &annotated.headnote, "headnote"),
        original: text_view(0),
        parallels,
        notes,
        source_href: s.links.href(address, &format!("{address}source/")),
        named,
        citation: chicago(document, config, &s.links.absolute(address)),
        previous: previous.map(|i| s.document_link(address, i)),
        next: next.map(|i| s.document_link(address, i)),
        extra: &meta.extra,
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
pub struct EntryView<'a> {
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
    authorities: Vec<Authority>,
    related: Vec<Group>,
    /// The documents naming the entry, with the passages (for
    /// `partials/occurrences.html`, the one part of the page that grows with the
    /// edition).
    #[serde(skip)]
    pub documents: Vec<DocumentOccurrence<'a>>,
    /// `documents` as HTML (empty when there are none: the partial lays out a list).
    #[serde(rename = "occurrences")]
    pub occurrences_html: String,
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

#[derive(Serialize)]
struct Authority {
    label: &'static str,
    id: String,
    href: String,
}

/// What `partials/occurrences.html` is given.
#[derive(Serialize)]
pub struct OccurrencesPartial<'v> {
    pub documents: &'v [DocumentOccurrence<'v>],
}

/// A document naming the entry, with the passages.
#[derive(Serialize)]
pub struct DocumentOccurrence<'a> {
    document: DocumentLink<'a>,
    passages: Vec<PassageView<'a>>,
}

/// A person page can hold a thousand passages: what can be is borrowed.
#[derive(Serialize)]
struct PassageView<'a> {
    lang: &'a str,
    language: &'a str,
    #[serde(flatten)]
    words: InContext,
    /// Link to the block of the document the passage is in.
    href: String,
}

pub fn entry<'a>(s: &'a Sources, entity: &EntityRef, address: &Address) -> EntryView<'a> {
    let registers = &s.edition.registers;
    let config = &s.edition.config;
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
    let mut view = EntryView {
        kind: entity.kind.to_string(),
        kind_label: capitalise(&entity.kind.to_string()),
        name: registers.name(entity).unwrap_or(&entity.id).to_string(),
        dates: None,
        names: Vec::new(),
        roles: Vec::new(),
        description: None,
        authorities: Vec::new(),
        related: Vec::new(),
        documents: occurrences(s, entity, address),
        occurrences_html: String::new(),
    };
    match entity.kind {
        EntityKind::Person => {
            let p = &registers.people[&entity.id];
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
                .map(|r| RoleView {
                    role: r.role.clone(),
                    when: match (r.from, r.to) {
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
            if let Some(q) = &p.wikidata {
                view.authorities.push(Authority {
                    label: "Wikidata",
                    id: q.clone(),
                    href: format!("https://www.wikidata.org/wiki/{q}"),
                });
            }
            if let Some(v) = &p.viaf {
                view.authorities.push(Authority {
                    label: "VIAF",
                    id: v.clone(),
                    href: format!("https://viaf.org/viaf/{v}/"),
                });
            }
            let with: Vec<EntryLink> = s
                .index
                .co_occurring
                .get(&entity.id)
                .into_iter()
                .flatten()
                .take(10)
                .filter_map(|(other, shared)| {
                    let mut link = s.person_link(address, other)?;
                    link.count = Some(*shared);
                    Some(link)
                })
                .collect();
            let events: Vec<EntryLink> = s
                .index
                .events_of_person
                .get(&entity.id)
                .into_iter()
                .flatten()
                .map(|e| {
                    s.entry_link(
                        address,
                        &EntityRef {
                            kind: EntityKind::Event,
                            id: e.clone(),
                        },
                        false,
                    )
                })
                .collect();
            let see_also: Vec<EntryLink> = p
                .see_also
                .iter()
                .filter_map(|o| s.person_link(address, o))
                .collect();
            view.related = vec![
                group("Events", events),
                group("Most often named with", with),
                group("See also", see_also),
            ];
        }
        EntityKind::Event => {
            let e = &registers.events[&entity.id];
            view.dates = e.when();
            view.description = e.description.clone();
            let place: Vec<EntryLink> = e
                .place
                .iter()
                .filter(|p| registers.places.contains_key(*p))
                .map(|p| {
                    s.entry_link(
                        address,
                        &EntityRef {
                            kind: EntityKind::Place,
                            id: p.clone(),
                        },
                        false,
                    )
                })
                .collect();
            let participants = e
                .participants
                .iter()
                .filter_map(|p| s.person_link(address, p))
                .collect();
            view.related = vec![group("Place", place), group("Participants", participants)];
        }
        EntityKind::Place => {
            let p = &registers.places[&entity.id];
            view.names = names_of(&p.names);
            view.description = p.description.clone();
            let events = registers
                .events
                .iter()
                .filter(|(_, e)| e.place.as_deref() == Some(entity.id.as_str()))
                .map(|(id, _)| {
                    s.entry_link(
                        address,
                        &EntityRef {
                            kind: EntityKind::Event,
                            id: id.clone(),
                        },
                        false,
                    )
                })
                .collect();
            view.related = vec![group("Events here", events)];
        }
        EntityKind::Term => {}
    }
    view.related.retain(|g| !g.entries.is_empty());
    view
}

fn occurrences<'a>(
    s: &'a Sources,
    entity: &EntityRef,
    address: &Address,
) -> Vec<DocumentOccurrence<'a>> {
    let config = &s.edition.config;
    let Some(list) = s.index.occurrences.get(entity) else {
        return Vec::new();
    };
    list.iter()
        .map(|o| {
            let document = s.document_link(address, o.document);
            let annotated = &s.annotated.documents[o.document];
            let passages = o
                .passages
                .iter()
                .map(|p| {
                    let (text, mention) = p.resolve(annotated);
                    // The block's anchor (`ru-3`) after the document's address.
                    let mut href = String::with_capacity(document.href.len() + 16);
                    href.push_str(&document.href);
                    href.push('#');
                    if p.in_headnote {
                        href.push_str("headnote");
                    } else {
                        write!(href, "{}-{}", text.lang, mention.segment + 1)
                            .expect("writing to a String");
                    }
                    PassageView {
                        lang: &text.lang,
                        language: config.language_name(&text.lang),
                        words: text.in_context(p.mention),
                        href,
                    }
                })
                .collect();
            DocumentOccurrence { document, passages }
        })
        .collect()
}

/// `partial.rows` as `templates/partials/rows.html` lays them out, written
/// directly, as [`occurrences_html`] is and for the same reason.
pub fn rows_html(partial: &RowsPartial) -> String {
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
pub fn occurrences_html(partial: &OccurrencesPartial) -> String {
    let documents = partial.documents;
    let passages: usize = documents.iter().map(|o| o.passages.len()).sum();
    let mut html = String::with_capacity(256 * documents.len() + 320 * passages);
    html.push_str("<ol class=\"occurrence-list\">\n");
    for o in documents {
        html.push_str("<li>\n<p class=\"occurrence-document\"><time>");
        escape_into(&mut html, &o.document.date);
        html.push_str("</time> <a href=\"");
        escape_into(&mut html, &o.document.href);
        html.push_str("\">");
        escape_into(&mut html, o.document.title);
        html.push_str("</a></p>\n");
        if o.passages.is_empty() {
            html.push_str("<p class=\"listed\">Listed in the document's metadata.</p>\n");
        } else {
            html.push_str("<ul class=\"passages\">\n");
            for p in &o.passages {
                html.push_str("<li class=\"kwic\" lang=\"");
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
                html.push_str("</a></li>\n");
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
pub struct EntriesView {
    heading: String,
    introduction: Option<String>,
    /// The chronology (events index), as SVG.
    timeline: Option<String>,
    groups: Vec<Group>,
}

/// People A–Z by sort name, grouped by initial letter.
pub fn people(s: &Sources, address: &Address) -> EntriesView {
    let mut people: Vec<(&String, &Person)> = s.edition.registers.people.iter().collect();
    people.sort_by_cached_key(|(id, p)| (p.sort_key().to_lowercase(), (*id).clone()));
    let mut groups: Vec<Group> = Vec::new();
    for (id, p) in people {
        let letter: String = p
            .sort_key()
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        if groups.last().and_then(|g| g.heading.as_deref()) != Some(letter.as_str()) {
            groups.push(Group {
                heading: Some(letter.clone()),
                id: Some(format!("letter-{}", letter.to_lowercase())),
                entries: Vec::new(),
            });
        }
        let mut link = s.entry_link(address, &person(id), true);
        link.name = p.sort_key().to_string();
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
    }
}

/// Events by date, with the chronology drawn above them.
pub fn events(s: &Sources, address: &Address) -> EntriesView {
    let registers = &s.edition.registers;
    let mut dated: Vec<(&String, &crate::model::Event)> = registers.events.iter().collect();
    dated.sort_by_key(|(id, e)| (e.span().map(|s| s.0), (*id).clone()));
    let items: Vec<timeline::Item> = dated
        .iter()
        .filter_map(|(id, e)| {
            let (start, end) = e.span()?;
            let entity = EntityRef {
                kind: EntityKind::Event,
                id: (*id).clone(),
            };
            Some(timeline::Item {
                label: e.name.clone(),
                href: s.links.href(address, &entity_address(&entity)),
                start,
                end,
            })
        })
        .collect();
    let documents: Vec<timeline::Item> = s
        .index
        .by_date
        .iter()
        .map(|&doc| {
            let d = &s.edition.documents[doc];
            timeline::Item {
                label: d.meta.title.clone(),
                href: s.links.href(address, &document_address(&d.id)),
                start: d.meta.date,
                end: d.meta.date,
            }
        })
        .collect();
    let entries = dated
        .iter()
        .map(|(id, _)| {
            s.entry_link(
                address,
                &EntityRef {
                    kind: EntityKind::Event,
                    id: (*id).clone(),
                },
                true,
            )
        })
        .collect();
    EntriesView {
        heading: "Events".into(),
        introduction: Some("The events of the edition and its documents on one time axis; each bar or mark links to its page.".into()),
        timeline: timeline::svg(&items, &documents),
        groups: vec![Group {
            heading: Some("Chronology".into()),
            id: Some("chronology".into()),
            entries,
        }],
    }
}

pub fn places(s: &Sources, address: &Address) -> EntriesView {
    let mut places: Vec<EntryLink> = s
        .edition
        .registers
        .places
        .keys()
        .map(|id| {
            s.entry_link(
                address,
                &EntityRef {
                    kind: EntityKind::Place,
                    id: id.clone(),
                },
                true,
            )
        })
        .collect();
    places.sort_by_cached_key(|p| p.name.to_lowercase());
    EntriesView {
        heading: "Places".into(),
        introduction: None,
        timeline: None,
        groups: vec![Group {
            heading: None,
            id: None,
            entries: places,
        }],
    }
}

pub fn tags(s: &Sources, address: &Address) -> EntriesView {
    let entries = s
        .index
        .tags
        .iter()
        .map(|(tag, docs)| EntryLink {
            name: tag.clone(),
            href: s.links.href(address, &tag_address(tag)),
            detail: None,
            count: Some(docs.len()),
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
    }
}

#[derive(Serialize)]
pub struct GlossaryView<'a> {
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
struct TermView<'a> {
    id: String,
    term: String,
    expansions: Vec<ScriptName>,
    aliases: Vec<String>,
    description: Option<String>,
    documents: Vec<DocumentLink<'a>>,
}

pub fn glossary<'a>(s: &Sources<'a>, address: &Address) -> GlossaryView<'a> {
    let config = &s.edition.config;
    let mut terms: Vec<TermView> = s
        .edition
        .registers
        .glossary
        .iter()
        .map(|(id, t)| {
            let entity = EntityRef {
                kind: EntityKind::Term,
                id: id.clone(),
            };
            TermView {
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
                documents: s
                    .index
                    .occurrences
                    .get(&entity)
                    .into_iter()
                    .flatten()
                    .map(|o| s.document_link(address, o.document))
                    .collect(),
            }
        })
        .collect();
    terms.sort_by_cached_key(|t| t.term.to_lowercase());
    GlossaryView { terms }
}

// ---------------------------------------------------------------------------
// The source view

#[derive(Serialize)]
pub struct SourceView {
    title: String,
    document_href: String,
    files: Vec<super::source::SourceFile>,
}

impl SourceView {
    /// The bytes of its highlighted files (most of its page).
    pub fn html_len(&self) -> usize {
        self.files.iter().map(|f| f.html.len()).sum()
    }
}

pub fn source(s: &Sources, doc: usize, address: &Address) -> SourceView {
    let document = &s.edition.documents[doc];
    let mut files = vec![super::source::highlight(
        "index.md",
        &document.metadata_source,
    )];
    for text in &document.texts {
        files.push(super::source::highlight(
            &format!("{}.md", text.lang),
            &text.source.text,
        ));
    }
    SourceView {
        title: document.meta.title.clone(),
        document_href: s.links.href(address, &document_address(&document.id)),
        files,
    }
}
