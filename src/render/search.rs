//! The search page's data besides the term files (those are `crate::search`'s): the
//! catalogue of documents with what results show and filters count, and one file per
//! document with its passages. Each is a script handing its data to the page, as
//! `crate::search` explains.

use super::sources::Reader;
use crate::model::{EntityKind, EntityRef};
use crate::search::{algorithm, encode, fold};
use serde::Serialize;
use std::collections::BTreeMap;

/// `search/catalogue.js`: every document (numbered as the term files number them:
/// in the edition's order, by id), with what filters count, the entries documents
/// name, the languages and their stemmers, document types and tags. Kept small,
/// for it is loaded by every search: ids front-coded, numbers [`encode`]d.
#[derive(Serialize)]
struct Catalogue<'a> {
    /// Language code → its name and the Snowball stemmer the page uses for it.
    languages: BTreeMap<&'a str, Language<'a>>,
    /// How many term files there are (a stem's is its hash modulo this).
    term_files: usize,
    /// `[kind, id, name]`; documents name entries by position here.
    entities: Vec<(&'static str, &'a str, &'a str)>,
    /// `[entry, words]`: every name an entry is recognised by, folded.
    aliases: Vec<(usize, String)>,
    types: Vec<&'a str>,
    /// `[id, name]`.
    tags: Vec<(&'a str, &'a str)>,
    /// The years documents are of, ascending.
    years: Vec<i32>,
    /// The documents' ids, in order, each as the length of what it shares with the
    /// id before (one digit) and the rest, joined by commas.
    ids: String,
    /// Each document's year (position in `years`), type (position + 1, 0 for
    /// none), tags (count, positions), languages of its texts (a bit each, by
    /// position in `languages`) and entries (count, positions).
    facets: String,
}

#[derive(Serialize)]
struct Language<'a> {
    name: &'a str,
    stemmer: Option<&'static str>,
}

pub(super) fn catalogue<'a>(r: &Reader<'_, 'a>, term_files: usize) -> Vec<u8> {
    let settings = r.settings();
    let count = r.document_count();
    let mut entities: Vec<(&'static str, &'a str, &'a str)> = Vec::new();
    let mut entity_numbers: BTreeMap<(EntityKind, &'a str), usize> = BTreeMap::new();
    let mut aliases = Vec::new();
    let mut add_entity = |kind: EntityKind, id: &'a str, name: &'a str, names: Vec<&'a String>| {
        let n = entities.len();
        entity_numbers.insert((kind, id), n);
        entities.push((kind.slug(), id, name));
        let mut forms: Vec<String> = names.iter().map(|a| fold(a)).collect();
        forms.push(fold(name));
        forms.sort_unstable();
        forms.dedup();
        aliases.extend(forms.into_iter().map(|a| (n, a)));
    };
    // Borrowed through the reader, so the catalogue is made again when a register is.
    let (people, events, places) = (r.people(), r.events(), r.places());
    for (id, p) in people {
        let names = p.names.values().chain(&p.aliases).collect();
        add_entity(EntityKind::Person, id, &p.name, names);
    }
    for (id, e) in events {
        add_entity(EntityKind::Event, id, &e.name, e.aliases.iter().collect());
    }
    for (id, p) in places {
        let names = p.names.values().chain(&p.aliases).collect();
        add_entity(EntityKind::Place, id, &p.name, names);
    }
    let documents: Vec<&crate::model::Document> = (0..count).map(|d| r.search_facets(d)).collect();
    let mut languages: BTreeMap<&str, Language> = BTreeMap::new();
    let mut years: Vec<i32> = Vec::new();
    for document in &documents {
        for text in &document.texts {
            languages.entry(&text.lang).or_insert_with(|| Language {
                name: settings.language_name(&text.lang),
                stemmer: algorithm(&text.lang).map(|a| a.1),
            });
        }
        years.push(document.meta.date.year);
    }
    years.sort_unstable();
    years.dedup();
    let mut types: Vec<&str> = Vec::new();
    let mut tags: Vec<(&str, &str)> = Vec::new();
    let mut ids = String::with_capacity(8 * count);
    let mut facets = String::with_capacity(16 * count);
    let mut previous: &str = "";
    for (d, document) in documents.iter().enumerate() {
        let meta = &document.meta;
        let shared = previous
            .bytes()
            .zip(document.id.bytes())
            .take_while(|(a, b)| a == b)
            .count()
            .min(63);
        if d > 0 {
            ids.push(',');
        }
        encode(shared as u64, &mut ids);
        ids.push_str(&document.id[shared..]);
        previous = &document.id;
        let year = years.binary_search(&meta.date.year).unwrap_or_default();
        encode(year as u64, &mut facets);
        let kind = meta.kind.as_deref().map_or(0, |k| {
            1 + types.iter().position(|t| *t == k).unwrap_or_else(|| {
                types.push(k);
                types.len() - 1
            })
        });
        encode(kind as u64, &mut facets);
        encode(meta.tags.len() as u64, &mut facets);
        for tag in &meta.tags {
            let at = tags
                .iter()
                .position(|(id, _)| id == tag)
                .unwrap_or_else(|| {
                    tags.push((tag, r.tag_name(tag)));
                    tags.len() - 1
                });
            encode(at as u64, &mut facets);
        }
        let mask = document.texts.iter().fold(0u64, |mask, text| {
            let bit = languages.keys().position(|l| *l == text.lang).unwrap_or(0);
            mask | (1 << bit.min(63))
        });
        encode(mask, &mut facets);
        let named: Vec<usize> = r
            .named(d)
            .iter()
            .filter_map(|e: &EntityRef| entity_numbers.get(&(e.kind, &*e.id)).copied())
            .collect();
        encode(named.len() as u64, &mut facets);
        for e in named {
            encode(e as u64, &mut facets);
        }
    }
    let catalogue = Catalogue {
        languages,
        term_files,
        entities,
        aliases,
        types,
        tags,
        years,
        ids,
        facets,
    };
    script("catalogue", &catalogue)
}

/// `search/documents/<id>.js`: the passages of a document as the page shows them
/// in results: each with its text, its anchor in the document's page, its row of
/// the side-by-side view and its words; and which entries each names.
#[derive(Serialize)]
struct DocumentPassages<'a> {
    title: &'a str,
    /// In words, and as a machine reads it.
    date: String,
    datetime: String,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    /// `[language, heading]` of each text, then of the headnote.
    texts: Vec<(&'a str, String)>,
    /// `[text, anchor, row or -1, words]`, numbered as the term files number them.
    passages: Vec<(usize, String, i64, &'a str)>,
    /// `[passage, "kind:id"]`.
    mentions: Vec<(usize, String)>,
}

pub(super) fn document(r: &Reader, d: usize) -> Vec<u8> {
    let document = r.document(d);
    let annotated = r.annotation(d);
    let settings = r.settings();
    let rows = annotated.rows_of_segments();
    let count = annotated.texts.len();
    let mut texts: Vec<(&str, String)> = annotated
        .texts
        .iter()
        .enumerate()
        .map(|(t, text)| {
            let language = settings.language_name(&text.lang);
            let heading = if t == 0 {
                format!("{language} original")
            } else {
                format!("{language} translation")
            };
            (text.lang.as_str(), heading)
        })
        .collect();
    texts.push((annotated.headnote.lang.as_str(), "Headnote".into()));
    let first_translation = annotated.alignments.first().map(|a| a.translation);
    // Each text's passages by number (a text may have none).
    let mut numbers: Vec<Vec<usize>> = vec![Vec::new(); count + 1];
    let mut passages = Vec::new();
    for (n, (t, s)) in crate::search::passages(annotated).enumerate() {
        numbers[t].push(n);
        let (anchor, row, words) = if t < count {
            let text = &annotated.texts[t];
            // Rows pair the original with the translation shown first.
            let row = match rows[t].get(s).copied().flatten() {
                Some(row) if t == 0 || Some(t) == first_translation => row as i64,
                _ => -1,
            };
            (
                format!("{}-{}", text.lang, s + 1),
                row,
                text.segments[s].content.text(),
            )
        } else {
            (
                "headnote".to_string(),
                -1,
                annotated.headnote.segments[s].content.text(),
            )
        };
        passages.push((t, anchor, row, words));
    }
    let mut mentions = Vec::new();
    let all = annotated
        .texts
        .iter()
        .chain(std::iter::once(&annotated.headnote));
    for (t, text) in all.enumerate() {
        for m in text.mentions.iter().filter(|m| m.footnote.is_none()) {
            if let Some(&n) = numbers.get(t).and_then(|ns| ns.get(m.segment as usize)) {
                mentions.push((n, format!("{}:{}", m.entity.kind.slug(), m.entity.id)));
            }
        }
    }
    mentions.dedup();
    script(
        &format!("documents/{}", document.id),
        &DocumentPassages {
            title: &document.meta.title,
            date: document.meta.date.human(),
            datetime: document.meta.date.to_string(),
            kind: document.meta.kind.as_deref(),
            texts,
            passages,
            mentions,
        },
    )
}

/// `dossierSearch.put("<name>", <data>);`
fn script<T: Serialize>(name: &str, data: &T) -> Vec<u8> {
    let mut out = format!(
        "dossierSearch.put({},",
        serde_json::to_string(name).expect("a string")
    )
    .into_bytes();
    serde_json::to_writer(&mut out, data).expect("data that serialises");
    out.extend_from_slice(b");\n");
    out
}
