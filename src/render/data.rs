//! The edition as JSON, for developers and harvesters: each document beside its page
//! (`documents/<id>.json`: metadata, every text as aligned segments with their HTML
//! and plain text, mentions with character offsets, notes, page breaks), and the
//! catalogue and registers (`data/documents.json`, `data/people.json`, ...).
//!
//! The shapes are published as JSON Schemas in `schemas/`, which tests validate every
//! file against; a field added here goes there too. Offsets count Unicode scalar
//! values (code points) in the `text` they refer to.
//!
//! Not here: TEI (`tei`), citations (`citation`), what pages show (`views`).

use super::sources::Reader;
use super::text::{TextPage, TextWriter};
use crate::links::{document_address, entity_address};
use crate::model::{
    AlignedBy, AnnotatedText, Content, Document, EntityKind, EntityRef, Node, PartialDate,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a document's files for machines are, beside its page folder.
pub(super) fn document_file(id: &str, extension: &str) -> String {
    format!("documents/{id}.{extension}")
}

/// The folder of the edition-wide data files.
pub(super) const DATA: &str = "data/";

#[derive(Serialize)]
struct DocumentData<'a> {
    id: &'a str,
    /// The document's page, from the root of the site.
    page: String,
    /// The page's full address, when the edition has a public one.
    url: Option<String>,
    title: &'a str,
    date: PartialDate,
    updated: Option<PartialDate>,
    date_note: Option<&'a str>,
    number: Option<&'a str>,
    source_note: Option<&'a str>,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    /// The register entries the title and summary name, with their places there.
    metadata_mentions: Vec<MetadataMention<'a>>,
    original_language: &'a str,
    archive: Option<ArchiveData<'a>>,
    source_url: Option<&'a str>,
    collection: Option<&'a str>,
    tags: &'a [String],
    /// Translator's name by language.
    translators: &'a BTreeMap<String, String>,
    /// People of the register with a part in the document.
    roles: Vec<RoleData<'a>>,
    headnote: Option<TextData<'a>>,
    texts: Vec<TextData<'a>>,
    /// Each translation set beside the original, row by row, by segment id.
    alignments: Vec<AlignmentData<'a>>,
    /// The register entries the document names or has a part for.
    entries: Vec<EntryData<'a>>,
    /// The same document in other forms, relative to this file.
    formats: Formats,
    citation: String,
}

/// A name in the title or summary.
#[derive(Serialize)]
struct MetadataMention<'a> {
    /// "title" or "summary".
    field: &'static str,
    kind: EntityKind,
    id: &'a str,
    /// Code points into the field.
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct ArchiveData<'a> {
    repository: Option<&'a str>,
    fond: Option<&'a str>,
    opis: Option<&'a str>,
    delo: Option<&'a str>,
    listy: Option<&'a str>,
    reference: Option<&'a str>,
    /// The whole reference as a citation gives it.
    citation: String,
}

#[derive(Serialize)]
struct RoleData<'a> {
    person: &'a str,
    role: String,
    lang: Option<String>,
}

#[derive(Serialize)]
struct TextData<'a> {
    lang: &'a str,
    /// "original", "translation" or "headnote".
    role: &'static str,
    translator: Option<&'a str>,
    transcription: Option<&'a str>,
    segments: Vec<SegmentData<'a>>,
    footnotes: Vec<FootnoteData<'a>>,
    page_breaks: Vec<PageBreakData<'a>>,
    mentions: Vec<MentionData<'a>>,
}

#[derive(Serialize)]
struct SegmentData<'a> {
    /// `ru-3`: the anchor of the segment on the document's page.
    id: String,
    /// The line of the text's file where it starts.
    line: usize,
    /// The editor's alignment marker (`{§ 12}`), if any.
    anchor: Option<&'a str>,
    /// As the document's page shows it (links relative to the page).
    html: String,
    /// Its words, as search and the mentions' offsets read them.
    text: &'a str,
}

#[derive(Serialize)]
struct FootnoteData<'a> {
    /// The label the editor wrote (`[^3]`: `3`).
    label: &'a str,
    /// The number readers see.
    number: usize,
    html: String,
    text: &'a str,
}

#[derive(Serialize)]
struct PageBreakData<'a> {
    /// The page's number or name as the original has it.
    label: &'a str,
    /// The segment it is in or stands before.
    segment: String,
    /// Where the page begins in the segment's `text`.
    offset: usize,
    /// Inside a paragraph, rather than before a block.
    inline: bool,
    /// The page's image, relative to this file, if the bundle has one.
    facsimile: Option<String>,
}

#[derive(Serialize)]
struct MentionData<'a> {
    kind: EntityKind,
    id: &'a str,
    /// The segment it is in (for a mention in a note, the one before the note).
    segment: String,
    /// The label of the note it is in, if in one (offsets are then in the note's
    /// `text`).
    footnote: Option<&'a str>,
    start: usize,
    end: usize,
    /// Linked by the editor (`[x](@id)`) rather than recognised.
    explicit: bool,
}

#[derive(Serialize)]
struct AlignmentData<'a> {
    translation: &'a str,
    rows: Vec<RowData>,
}

#[derive(Serialize)]
struct RowData {
    original: Vec<String>,
    translation: Vec<String>,
    /// From 0 (a guess) to 1 (set by the editor).
    confidence: f32,
    by: AlignedBy,
}

#[derive(Serialize)]
struct EntryData<'a> {
    kind: EntityKind,
    id: &'a str,
    name: &'a str,
    /// The entry's page (glossary terms: their anchor), from the root of the site.
    page: String,
}

#[derive(Serialize)]
struct Formats {
    page: String,
    tei: String,
    bibtex: String,
    ris: String,
    csl_json: String,
}

/// `documents/<id>.json`.
pub(super) fn document(r: &Reader, doc: usize) -> Vec<u8> {
    let document = r.document(doc);
    let annotated = r.annotation(doc);
    let meta = &document.meta;
    let links = r.links();
    let address = document_address(&document.id);
    // The HTML is the page's, mentions naming the page's cards (the data's
    // `entries` say what they say): no card's text repeated at every mention.
    let page = TextPage {
        address: &address,
        links,
        cards: true,
        document: Some(document),
    };
    let texts = annotated
        .texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (role, translator) = match i {
                0 => ("original", None),
                _ => (
                    "translation",
                    meta.translators.get(&t.lang).map(String::as_str),
                ),
            };
            let mut data = text_data(r, page, t, &t.lang, document);
            data.role = role;
            data.translator = translator;
            data.transcription = meta.transcription.get(&t.lang).map(String::as_str);
            data
        })
        .collect();
    let about = &annotated.about;
    let metadata_mentions = about
        .mentions
        .iter()
        .map(|m| {
            let mut offsets = CharOffsets::new(about.segments[m.segment as usize].content.text());
            MetadataMention {
                field: if m.segment == 0 { "title" } else { "summary" },
                kind: m.entity.kind,
                id: &m.entity.id,
                start: offsets.at(m.words.0 as usize),
                end: offsets.at(m.words.1 as usize),
            }
        })
        .collect();
    let headnote = (!annotated.headnote.segments.is_empty())
        .then(|| text_data(r, page, &annotated.headnote, "headnote", document));
    let segment_ids = |text: usize, positions: &[usize]| -> Vec<String> {
        let lang = &annotated.texts[text].lang;
        positions
            .iter()
            .map(|p| format!("{lang}-{}", p + 1))
            .collect()
    };
    let alignments = annotated
        .alignments
        .iter()
        .map(|a| AlignmentData {
            translation: &annotated.texts[a.translation].lang,
            rows: a
                .rows
                .iter()
                .map(|row| RowData {
                    original: segment_ids(0, &row.original),
                    translation: segment_ids(a.translation, &row.translation),
                    confidence: row.confidence,
                    by: row.by,
                })
                .collect(),
        })
        .collect();
    let roles = r
        .roles(doc)
        .into_iter()
        .flat_map(|(person, roles)| {
            roles.into_iter().map(move |role| RoleData {
                person,
                role: role.role,
                lang: role.lang,
            })
        })
        .collect();
    let entries = r
        .named(doc)
        .iter()
        .filter_map(|entity| {
            let entry = r.entry(entity.kind, &entity.id)?;
            Some(EntryData {
                kind: entity.kind,
                id: &entity.id,
                name: entry.name(),
                page: entity_address(entity),
            })
        })
        .collect();
    let url = links.public(&address);
    let citation = r.reference(doc, url.as_deref()).chicago();
    let data = DocumentData {
        id: &document.id,
        url,
        title: &meta.title,
        date: meta.date,
        updated: meta.updated,
        date_note: meta.date_note.as_deref(),
        number: meta.number.as_deref(),
        source_note: meta.source_note.as_deref(),
        kind: meta.kind.as_deref(),
        summary: meta.summary.as_deref(),
        original_language: document.original_language(),
        archive: meta.archive.as_ref().map(|a| ArchiveData {
            repository: a.repository.as_deref(),
            fond: a.fond.as_deref(),
            opis: a.opis.as_deref(),
            delo: a.delo.as_deref(),
            listy: a.listy.as_deref(),
            reference: a.reference.as_deref(),
            citation: a.citation(),
        }),
        metadata_mentions,
        source_url: meta.source_url.as_deref(),
        collection: meta.collection.as_deref(),
        tags: &meta.tags,
        translators: &meta.translators,
        roles,
        headnote,
        texts,
        alignments,
        entries,
        formats: Formats {
            page: format!("{}/", document.id),
            tei: format!("{}.xml", document.id),
            bibtex: format!("{}.bib", document.id),
            ris: format!("{}.ris", document.id),
            csl_json: format!("{}.csl.json", document.id),
        },
        citation: citation.text,
        page: address,
    };
    to_json(&data)
}

/// One text's segments, notes, page breaks and mentions; `prefix` starts the ids
/// of its segments (its language, or `headnote`).
fn text_data<'a>(
    r: &Reader<'_, 'a>,
    page: TextPage,
    text: &'a AnnotatedText,
    prefix: &str,
    document: &'a Document,
) -> TextData<'a> {
    let mut writer = TextWriter::new(page, r, text, prefix);
    let segment_id = |s: usize| format!("{prefix}-{}", s + 1);
    let segments = text
        .segments
        .iter()
        .enumerate()
        .map(|(s, segment)| SegmentData {
            id: segment_id(s),
            line: segment.line,
            anchor: segment.anchor.as_deref(),
            html: writer.segment(segment),
            text: segment.content.text(),
        })
        .collect();
    let footnotes = text
        .footnotes
        .iter()
        .map(|note| FootnoteData {
            label: &note.label,
            number: note.number,
            html: writer.footnote(note),
            text: note.content.text(),
        })
        .collect();
    let page_breaks = text
        .segments
        .iter()
        .enumerate()
        .flat_map(|(s, segment)| {
            let mut offsets = CharOffsets::new(segment.content.text());
            page_breaks(&segment.content).map(move |(label, inline, byte)| PageBreakData {
                label,
                segment: segment_id(s),
                offset: offsets.at(byte),
                inline,
                facsimile: document
                    .facsimile(label)
                    .map(|file| format!("{}/{file}", document.id)),
            })
        })
        .collect();
    // Mentions come in text order: each block's offsets are counted once.
    let mut offsets = CharOffsets::new("");
    let mentions = text
        .mentions
        .iter()
        .map(|m| {
            let (words, footnote) = match m.footnote {
                Some(n) => {
                    let note = &text.footnotes[n as usize];
                    (note.content.text(), Some(note.label.as_str()))
                }
                None => (text.segments[m.segment as usize].content.text(), None),
            };
            if !std::ptr::eq(offsets.text, words) {
                offsets = CharOffsets::new(words);
            }
            MentionData {
                kind: m.entity.kind,
                id: &m.entity.id,
                segment: segment_id(m.segment as usize),
                footnote,
                start: offsets.at(m.words.0 as usize),
                end: offsets.at(m.words.1 as usize),
                explicit: m.explicit,
            }
        })
        .collect();
    TextData {
        lang: &text.lang,
        role: "headnote",
        translator: None,
        transcription: None,
        segments,
        footnotes,
        page_breaks,
        mentions,
    }
}

/// The page breaks of a block: label, whether inside a paragraph, and the byte in
/// the block's words where the new page begins.
fn page_breaks(content: &Content) -> impl Iterator<Item = (&str, bool, usize)> {
    let mut at = 0;
    content.nodes().iter().filter_map(move |node| match node {
        Node::Text { end, .. } => {
            at = *end as usize;
            None
        }
        Node::PageBreak(b) => Some((b.label.as_str(), b.inline, at)),
        _ => None,
    })
}

/// Byte offsets of one text as offsets in characters, counted on from the last one
/// asked for when they come in order (counting from the start each time made a
/// paragraph of a megabyte with thousands of names quadratic).
struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// How many characters of the text come before byte `byte`.
    fn at(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            (self.byte, self.chars) = (0, 0);
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

// ---------------------------------------------------------------------------
// Edition-wide files

#[derive(Serialize)]
struct Catalogue<'a> {
    title: &'a str,
    url: Option<&'a str>,
    documents: Vec<CatalogueEntry<'a>>,
}

#[derive(Serialize)]
struct CatalogueEntry<'a> {
    id: &'a str,
    title: &'a str,
    date: PartialDate,
    updated: Option<PartialDate>,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    summary: Option<&'a str>,
    languages: Vec<&'a str>,
    tags: &'a [String],
    page: String,
    /// The document's own data file, from the root of the site.
    data: String,
    tei: String,
}

/// `data/documents.json`: every document by date, with where its files are.
pub(super) fn catalogue(r: &Reader) -> Vec<u8> {
    let config = r.settings();
    let summaries = r.chronology();
    let documents = r
        .by_date()
        .iter()
        .zip(summaries)
        .map(|(&d, summary)| {
            // What the search filters show (type, tags, languages) is all that is
            // read of the document beyond what lists show.
            let facets = r.search_facets(d);
            CatalogueEntry {
                id: summary.id,
                title: summary.title,
                date: summary.date,
                updated: summary.updated,
                kind: summary.kind,
                summary: summary.summary,
                languages: facets.texts.iter().map(|t| t.lang.as_str()).collect(),
                tags: &facets.meta.tags,
                page: document_address(summary.id),
                data: document_file(summary.id, "json"),
                tei: document_file(summary.id, "xml"),
            }
        })
        .collect();
    to_json(&Catalogue {
        title: &config.title,
        url: config.public_url(),
        documents,
    })
}

/// An entry of a register with where it is and the documents naming it.
#[derive(Serialize)]
struct EntryWithDocuments<'a, T: Serialize> {
    id: &'a str,
    #[serde(flatten)]
    entry: &'a T,
    page: String,
    /// The documents naming the entry or with a part for them, by date.
    documents: Vec<&'a str>,
}

/// `data/<section>.json`: a register's entries, each with the documents naming it.
pub(super) fn register(r: &Reader, kind: EntityKind) -> Vec<u8> {
    fn entries<'a, T: Serialize>(
        r: &Reader<'_, 'a>,
        kind: EntityKind,
        register: &'a BTreeMap<String, T>,
    ) -> Vec<EntryWithDocuments<'a, T>> {
        register
            .iter()
            .map(|(id, entry)| EntryWithDocuments {
                id,
                entry,
                page: entity_address(&EntityRef {
                    kind,
                    id: id.as_str().into(),
                }),
                documents: r
                    .documents_naming(kind, id)
                    .into_iter()
                    .map(|d| d.id)
                    .collect(),
            })
            .collect()
    }
    let key = kind.section();
    let mut file = serde_json::Map::new();
    let list = match kind {
        EntityKind::Person => serde_json::to_value(entries(r, kind, r.people())),
        EntityKind::Event => serde_json::to_value(entries(r, kind, r.events())),
        EntityKind::Place => serde_json::to_value(entries(r, kind, r.places())),
        EntityKind::Term => serde_json::to_value(entries(r, kind, r.glossary())),
    }
    .expect("entries serialise");
    file.insert(key.into(), list);
    to_json(&file)
}

/// The data file of a register, from the root of the site.
pub(super) fn register_file(kind: EntityKind) -> String {
    format!("{DATA}{}.json", kind.section())
}

/// Compact JSON: a document's file is a quarter smaller than indented (machines
/// read it; `jq .` shows it indented).
fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("data serialises");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_count_characters_not_bytes_in_any_order() {
        let mut offsets = super::CharOffsets::new("Ким Ир Сен");
        assert_eq!(offsets.at(7), 4);
        assert_eq!(offsets.at(12), 7);
        assert_eq!(offsets.at(3), 1);
        assert_eq!(offsets.at(100), 10);
        assert_eq!(super::CharOffsets::new("Ки").at(1), 0);
    }
}
