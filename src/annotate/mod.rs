//! Stage 2, annotate: turn each text of the edition into data: segments of words
//! with their structure, editorial apparatus and the mentions of register entries
//! (see `model::text`).
//!
//! Per text, independently (so texts annotate in parallel and an edited text can be
//! annotated alone): editorial markup is found (`markup`), Markdown parsed and each
//! top-level block made a segment (`markdown`), names recognised (`recognize`, one
//! automaton built once per edition), and the original's blocks set beside each
//! translation's (`align`).
//!
//! Public for the alignment test and the recognition benchmark, which annotate
//! documents and time the recognizer on their own.
//!
//! Not here: reading files (`load`), anything that needs several documents at once
//! (`index`), anything about the page a text is shown on (`render`).

mod align;
mod markdown;
mod markup;
mod names;
mod recognize;

pub use markdown::{annotate_text, TextContext};
pub(crate) use recognize::words_of;
pub use recognize::Recognizer;

#[cfg(test)]
pub(crate) use markdown::tests::{annotate_in as annotate_for_test, registers as test_registers};

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::fingerprint::Fingerprinter;
use crate::model::{
    AlignedRow, Alignment, AnnotatedDocument, AnnotatedText, ContentBuilder, Document, Edition,
    Element, Mention, Segment, Source,
};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The edition's texts, annotated, in the order of the edition's documents and pages,
/// each with its version: what it was made from, as a fingerprint (equal versions,
/// equal annotations).
#[derive(Debug, Clone, Default)]
pub struct Annotated {
    pub documents: Vec<Arc<AnnotatedDocument>>,
    pub versions: Vec<u64>,
    pub pages: Vec<Arc<AnnotatedText>>,
    pub page_versions: Vec<u64>,
    /// The home page introduction from `site.yaml`.
    pub introduction: Option<Arc<AnnotatedText>>,
    pub introduction_version: u64,
}

/// Whether anything reads a document's Markdown after annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAnnotation {
    /// A later run or a check does: it is kept.
    Keep,
    /// Only the source view does, which reads the files again: a build that runs
    /// once lets it go document by document, so that an edition's Markdown and its
    /// annotation are never all held at once.
    Release,
}

/// The annotations of an edition as last made, so that annotating it again after an
/// edit redoes only the texts whose inputs changed: a document's annotation is a
/// function of its files, of the names and ids of the registers (what recognition
/// and explicit links read) and of the site's language, and is kept by the
/// fingerprint of those.
#[derive(Default)]
pub struct Annotator {
    /// The automaton, by the fingerprint of the registers' names (with the warnings
    /// about aliases two entries share).
    recognizer: Option<(u64, Arc<Recognizer>, Vec<Diagnostic>)>,
    documents: FxHashMap<String, Memo<AnnotatedDocument>>,
    /// The documents of the last run, in order, with their keys and what else the
    /// keys were made of: a document that is the same (the same `Arc`) at the same
    /// place keeps its key without hashing it again.
    last: Vec<(Arc<Document>, u64)>,
    last_context: (u64, String),
    pages: HashMap<String, Memo<AnnotatedText>>,
    introduction: Option<Memo<AnnotatedText>>,
}

impl Annotator {
    /// The automaton of the last run (built if there was none).
    pub fn recognizer(&self) -> Option<&Recognizer> {
        self.recognizer.as_ref().map(|r| &*r.1)
    }
}

/// An annotation with what it was made from (`key`) and its `version`, which moves
/// only when the annotation itself changed: a text annotated again to the same
/// result (a register edit that touches no name in it) keeps its version, and
/// nothing made from it is made again.
struct Memo<T> {
    key: u64,
    version: u64,
    value: Arc<T>,
    problems: Vec<Diagnostic>,
}

impl<T: PartialEq> Memo<T> {
    /// A memo of `value`, made from `key`, that keeps `previous`'s version if it
    /// holds the same.
    fn new(key: u64, value: T, problems: Vec<Diagnostic>, previous: Option<&Memo<T>>) -> Self {
        let version = match previous {
            Some(p) if *p.value == value => p.version,
            _ => key,
        };
        Memo {
            key,
            version,
            value: Arc::new(value),
            problems,
        }
    }
}

impl Annotator {
    /// Annotates what changed since the last run (everything, the first time); with
    /// [`AfterAnnotation::Release`], each document lets go of its Markdown as soon as
    /// it is annotated (see [`Document::release_sources`]).
    pub fn annotate(
        &mut self,
        edition: &mut Edition,
        diagnostics: &mut Diagnostics,
        after: AfterAnnotation,
    ) -> Annotated {
        let registers = &edition.registers;
        // What annotation reads of the registers: every name (for recognition) with
        // where it is written (for the warnings), and which ids exist.
        let names = {
            let mut f = Fingerprinter::new();
            f.add(&recognize::names_of_entries(registers));
            let mut positions: Vec<_> = registers.positions.iter().collect();
            positions.sort();
            f.add(&positions).add(&registers.unreadable);
            f.finish()
        };
        if self.recognizer.as_ref().map(|r| r.0) != Some(names) {
            let mut problems = Diagnostics::new();
            let recognizer = recognizer(edition, &mut problems);
            self.recognizer = Some((names, Arc::new(recognizer), problems.into_iter().collect()));
        }
        let (_, recognizer, shared_aliases) = self.recognizer.as_ref().expect("made above");
        diagnostics.extend(shared_aliases.iter().cloned());
        let language = edition.config.language.as_str();
        let same_context = self.last_context.0 == names && self.last_context.1 == language;
        let keys: Vec<u64> = edition
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| match self.last.get(i) {
                Some((last, key)) if same_context && Arc::ptr_eq(last, d) => *key,
                _ => crate::fingerprint::of(&(d.fingerprint, names, language)),
            })
            .collect();
        let release = after == AfterAnnotation::Release;
        self.last = if release {
            // The documents are to be changed: nothing else may hold them.
            Vec::new()
        } else {
            edition
                .documents
                .iter()
                .cloned()
                .zip(keys.iter().copied())
                .collect()
        };
        self.last_context = (names, language.to_string());
        let is_stale: Vec<bool> = (0..edition.documents.len())
            .map(|i| self.documents.get(&edition.documents[i].id).map(|m| m.key) != Some(keys[i]))
            .collect();
        let stale = is_stale.iter().filter(|&&s| s).count();
        let previous = &self.documents;
        // Out of the edition while annotated, so that each can be changed (its
        // Markdown let go of) as soon as it is annotated, while the rest of the
        // edition is read.
        let mut documents = std::mem::take(&mut edition.documents);
        let made: Vec<(usize, Memo<AnnotatedDocument>)> = documents
            .par_iter_mut()
            .enumerate()
            .filter(|(i, _)| is_stale[*i])
            .map(|(i, document)| {
                let mut problems = Vec::new();
                let annotated = annotate_document(document, edition, recognizer, &mut problems);
                let memo = Memo::new(keys[i], annotated, problems, previous.get(&document.id));
                if release {
                    if let Some(document) = Arc::get_mut(document) {
                        document.release_sources();
                    }
                }
                (i, memo)
            })
            .collect();
        edition.documents = documents;
        if stale == edition.documents.len() {
            self.documents.clear();
        } else if self.documents.len() > edition.documents.len() {
            let ids: std::collections::HashSet<&str> =
                edition.documents.iter().map(|d| d.id.as_str()).collect();
            self.documents.retain(|id, _| ids.contains(id.as_str()));
        }
        for (i, memo) in made {
            self.documents.insert(edition.documents[i].id.clone(), memo);
        }
        let mut documents = Vec::with_capacity(edition.documents.len());
        let mut versions = Vec::with_capacity(edition.documents.len());
        for document in &edition.documents {
            let memo = &self.documents[&document.id];
            diagnostics.extend(memo.problems.iter().cloned());
            documents.push(Arc::clone(&memo.value));
            versions.push(memo.version);
        }

        // Free pages and the introduction: explicit links work, names are not
        // recognised.
        let context = TextContext {
            registers,
            recognizer: None,
        };
        let text = |memo: Option<&Memo<AnnotatedText>>, source: &Source| {
            let key = crate::fingerprint::of(&(
                &source.path,
                &source.text,
                source.placement,
                names,
                language,
            ));
            match memo {
                Some(memo) if memo.key == key => Memo {
                    key,
                    version: memo.version,
                    value: Arc::clone(&memo.value),
                    problems: memo.problems.clone(),
                },
                _ => {
                    let mut problems = Vec::new();
                    let value = annotate_text(source, language, &context, &mut problems);
                    Memo::new(key, value, problems, memo)
                }
            }
        };
        let mut pages = HashMap::new();
        for page in edition.pages.iter() {
            pages.insert(
                page.slug.clone(),
                text(self.pages.get(&page.slug), &page.body),
            );
        }
        self.pages = pages;
        self.introduction = edition
            .config
            .introduction_source
            .as_ref()
            .map(|source| text(self.introduction.as_ref(), source));
        let page_memos: Vec<&Memo<AnnotatedText>> =
            edition.pages.iter().map(|p| &self.pages[&p.slug]).collect();
        for memo in page_memos.iter().copied().chain(self.introduction.as_ref()) {
            diagnostics.extend(memo.problems.iter().cloned());
        }
        Annotated {
            documents,
            versions,
            pages: page_memos.iter().map(|m| Arc::clone(&m.value)).collect(),
            page_versions: page_memos.iter().map(|m| m.version).collect(),
            introduction: self.introduction.as_ref().map(|m| Arc::clone(&m.value)),
            introduction_version: self.introduction.as_ref().map_or(0, |m| m.version),
        }
    }
}

/// The automaton over all aliases; aliases two entries share are reported (they are
/// never linked automatically).
pub fn recognizer(edition: &Edition, diagnostics: &mut Diagnostics) -> Recognizer {
    let registers = &edition.registers;
    let (recognizer, shared) = Recognizer::new(registers);
    for s in shared {
        let (path, pos) = registers
            .positions
            .get(&s.second)
            .cloned()
            .unwrap_or_else(|| {
                (
                    PathBuf::from(s.second.kind.register_file()),
                    Position::START,
                )
            });
        let first = registers.name(&s.first).unwrap_or(&s.first.id);
        diagnostics.warning(
            &path,
            pos,
            format!(
                "alias \"{}\" of `{}` is also a name of {} `{}` ({first}): it is not linked automatically; \
                 link it in the text with [..](@{}) or [..](@{})",
                s.alias, s.second.id, s.first.kind, s.first.id, s.first.id, s.second.id
            ),
        );
    }
    recognizer
}

/// Hints for `dossier check`: words in the documents that look like names no
/// register knows (see `names`). `recognizer`: the one annotation used, if any.
pub fn name_hints(
    edition: &Edition,
    recognizer: Option<&Recognizer>,
    diagnostics: &mut Diagnostics,
) {
    let made;
    let recognizer = match recognizer {
        Some(r) => r,
        None => {
            made = Recognizer::new(&edition.registers).0;
            &made
        }
    };
    let index = names::NameIndex::new(&edition.registers);
    let (hints, ordinary): (Vec<Vec<names::Hint>>, Vec<Vec<String>>) = edition
        .documents
        .par_iter()
        .map(|document| {
            let sources = || {
                document
                    .texts
                    .iter()
                    .map(|t| &t.source)
                    .chain([&document.headnote])
            };
            let hints = sources()
                .flat_map(|source| names::unknown_names(source, recognizer, &index))
                .collect();
            let ordinary = sources()
                .flat_map(|source| names::ordinary_words(&source.text))
                .collect();
            (hints, ordinary)
        })
        .unzip();
    let ordinary: std::collections::HashSet<String> = ordinary.into_iter().flatten().collect();
    let hints = hints.into_iter().flatten().collect();
    names::report(hints, &ordinary, &edition.registers, diagnostics);
}

/// Annotates one document: its headnote (in the site's language) and its texts.
pub fn annotate_document(
    document: &Document,
    edition: &Edition,
    recognizer: &Recognizer,
    problems: &mut Vec<Diagnostic>,
) -> AnnotatedDocument {
    let context = TextContext {
        registers: &edition.registers,
        recognizer: Some(recognizer),
    };
    let site_language = edition.config.language.as_str();
    let (texts, plain): (Vec<AnnotatedText>, Vec<Vec<String>>) = document
        .texts
        .iter()
        .map(|text| markdown::annotate_for_alignment(&text.source, &text.lang, &context, problems))
        .unzip();
    let reading = |t: usize| align::Reading {
        text: &texts[t],
        plain: &plain[t],
    };
    let alignments = (1..texts.len())
        .map(|t| {
            let rows = align::align(reading(0), reading(t));
            report_doubtful_rows(document, &texts, t, &rows, problems);
            Alignment {
                translation: t,
                rows,
            }
        })
        .collect();
    AnnotatedDocument {
        headnote: annotate_text(&document.headnote, site_language, &context, problems),
        about: annotate_about(document, site_language, recognizer),
        texts,
        alignments,
    }
}

/// The title and summary as a text of one or two blocks, with the names they
/// mention. They are plain words (no Markdown), in the site's language.
fn annotate_about(document: &Document, lang: &str, recognizer: &Recognizer) -> AnnotatedText {
    let meta = &document.meta;
    let mut segments = Vec::new();
    let mut mentions = Vec::new();
    for words in std::iter::once(&meta.title).chain(meta.summary.as_ref()) {
        let segment = segments.len();
        let mut content = ContentBuilder::new();
        let mut at = 0;
        for found in recognizer.find(words) {
            content.text(&words[at..found.start]);
            let start = content.offset();
            content.start(Element::Mention(mentions.len() as u32));
            content.text(&words[found.start..found.end]);
            content.end(&Element::Mention(0));
            mentions.push(Mention {
                entity: found.entity,
                segment: segment as u32,
                footnote: None,
                explicit: false,
                words: (start, content.offset()),
            });
            at = found.end;
        }
        content.text(&words[at..]);
        segments.push(Segment {
            line: 1,
            anchor: None,
            content: content.finish(),
        });
    }
    AnnotatedText {
        lang: lang.to_string(),
        segments,
        footnotes: Vec::new(),
        mentions,
    }
}

/// Rows the aligner is unsure of, at the line of their original block.
fn report_doubtful_rows(
    document: &Document,
    texts: &[AnnotatedText],
    translation: usize,
    rows: &[AlignedRow],
    problems: &mut Vec<Diagnostic>,
) {
    let (original, other) = (&document.texts[0], &document.texts[translation]);
    let line_of =
        |text: usize, segments: &[usize]| segments.first().map(|&s| texts[text].segments[s].line);
    let missing = |path: &std::path::Path| {
        format!(
            "alignment: no block of {} was found for this block; if it has a counterpart, pin both \
             with the same {{§ N}} marker, or give it a marker of its own to confirm it has none",
            path.display()
        )
    };
    for row in rows.iter().filter(|r| r.confidence < align::LOW_CONFIDENCE) {
        let (path, line, message) = match (
            line_of(0, &row.original),
            line_of(translation, &row.translation),
        ) {
            (Some(o), Some(t)) => (
                &original.source.path,
                o,
                format!(
                    "alignment: this block is set beside {}:{t} with low confidence ({:.2}); \
                         if that is wrong, pin both with the same {{§ N}} marker",
                    other.source.path.display(),
                    row.confidence
                ),
            ),
            (Some(o), None) => (&original.source.path, o, missing(&other.source.path)),
            (None, Some(t)) => (&other.source.path, t, missing(&original.source.path)),
            (None, None) => continue,
        };
        problems.push(Diagnostic::warning(path, Position::new(line, 1), message));
    }
}
