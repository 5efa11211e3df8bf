//! Stage 2, annotate: turn each text of the edition into segments of HTML, with the
//! names of register entries found and linked.
//!
//! Per text, independently (so texts annotate in parallel and an edited text can be
//! annotated alone): editorial markup is found (`markup`), Markdown parsed and each
//! top-level block made a segment (`markdown`), names recognised (`recognize`, one
//! automaton built once per edition).
//!
//! Not here: reading files (`load`), anything that needs several documents at once
//! (`index`), page layout (`render`).

pub mod align;
mod markdown;
pub mod markup;
pub mod names;
pub mod recognize;

pub use markdown::{annotate_text, card_id, MentionTags, TextContext};
pub use recognize::Recognizer;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::links::{document_address, Links};
use crate::model::{
    AlignedRow, Alignment, AnnotatedDocument, AnnotatedText, Document, Edition, Source,
};
use rayon::prelude::*;
use std::path::PathBuf;

/// The edition's texts, annotated, in the order of the edition's documents and pages.
#[derive(Debug, Clone)]
pub struct Annotated {
    pub documents: Vec<AnnotatedDocument>,
    pub pages: Vec<AnnotatedText>,
    /// The home page introduction from `site.yaml`.
    pub introduction: Option<AnnotatedText>,
}

pub fn annotate(edition: &Edition, links: &Links, diagnostics: &mut Diagnostics) -> Annotated {
    let recognizer = recognizer(edition, diagnostics);
    annotate_with(edition, &recognizer, links, diagnostics)
}

/// Annotates the edition with a recognizer built already.
pub fn annotate_with(
    edition: &Edition,
    recognizer: &Recognizer,
    links: &Links,
    diagnostics: &mut Diagnostics,
) -> Annotated {
    let site_language = edition.config.language.as_str();
    let results: Vec<(AnnotatedDocument, Vec<Diagnostic>)> = edition
        .documents
        .par_iter()
        .map(|document| {
            let mut problems = Vec::new();
            let annotated = annotate_document(document, edition, recognizer, links, &mut problems);
            (annotated, problems)
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for (document, problems) in results {
        documents.push(document);
        diagnostics.extend(problems);
    }
    let mut problems = Vec::new();
    let pages = edition
        .pages
        .iter()
        .map(|page| {
            let address = format!("{}/", page.slug);
            let context = free_text_context(edition, links, &address);
            annotate_text(&page.body, site_language, "page", &context, &mut problems)
        })
        .collect();
    let introduction = edition.config.introduction.as_ref().map(|intro| {
        let source = Source {
            path: PathBuf::from("content/site.yaml"),
            text: intro.clone(),
            line_offset: 0,
        };
        let context = free_text_context(edition, links, "");
        annotate_text(&source, site_language, "intro", &context, &mut problems)
    });
    diagnostics.extend(problems);
    Annotated {
        documents,
        pages,
        introduction,
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
/// register knows (see `names`).
pub fn name_hints(edition: &Edition, diagnostics: &mut Diagnostics) {
    let (recognizer, _) = Recognizer::new(&edition.registers);
    let index = names::NameIndex::new(&edition.registers);
    let hints: Vec<Vec<Diagnostic>> = edition
        .documents
        .par_iter()
        .map(|document| {
            let sources = document
                .texts
                .iter()
                .map(|t| &t.source)
                .chain([&document.headnote]);
            sources
                .flat_map(|source| {
                    names::unknown_names(source, &recognizer, &index, &edition.registers)
                })
                .collect()
        })
        .collect();
    diagnostics.extend(hints.into_iter().flatten());
}

/// Free pages and the introduction: explicit links work, names are not recognised.
fn free_text_context<'a>(edition: &'a Edition, links: &'a Links, page: &'a str) -> TextContext<'a> {
    TextContext {
        registers: &edition.registers,
        recognizer: None,
        links,
        page,
        cards: false,
        document: None,
        deferred_tags: false,
    }
}

/// Annotates one document: its headnote (in the site's language) and its texts.
pub fn annotate_document(
    document: &Document,
    edition: &Edition,
    recognizer: &Recognizer,
    links: &Links,
    problems: &mut Vec<Diagnostic>,
) -> AnnotatedDocument {
    let address = document_address(&document.id);
    let context = TextContext {
        registers: &edition.registers,
        recognizer: Some(recognizer),
        links,
        page: &address,
        cards: true,
        document: Some(document),
        deferred_tags: false,
    };
    let site_language = edition.config.language.as_str();
    // The texts are most of an edition: their tags are written with the page.
    let texts_context = TextContext {
        deferred_tags: true,
        ..context
    };
    let (texts, plain): (Vec<AnnotatedText>, Vec<Vec<String>>) = document
        .texts
        .iter()
        .map(|text| {
            markdown::annotate_for_alignment(
                &text.source,
                &text.lang,
                &text.lang,
                &texts_context,
                problems,
            )
        })
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
        headnote: annotate_text(
            &document.headnote,
            site_language,
            "headnote",
            &context,
            problems,
        ),
        texts,
        alignments,
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
