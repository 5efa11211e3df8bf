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
//! Not here: reading files (`load`), anything that needs several documents at once
//! (`index`), anything about the page a text is shown on (`render`).

pub mod align;
mod markdown;
pub mod markup;
pub mod names;
pub mod recognize;

pub use markdown::{annotate_text, TextContext};
pub use recognize::Recognizer;

#[cfg(test)]
pub(crate) use markdown::tests::{annotate_in as annotate_for_test, registers as test_registers};

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
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

pub fn annotate(edition: &Edition, diagnostics: &mut Diagnostics) -> Annotated {
    let recognizer = recognizer(edition, diagnostics);
    annotate_with(edition, &recognizer, diagnostics)
}

/// Annotates the edition with a recognizer built already.
pub fn annotate_with(
    edition: &Edition,
    recognizer: &Recognizer,
    diagnostics: &mut Diagnostics,
) -> Annotated {
    let site_language = edition.config.language.as_str();
    let results: Vec<(AnnotatedDocument, Vec<Diagnostic>)> = edition
        .documents
        .par_iter()
        .map(|document| {
            let mut problems = Vec::new();
            let annotated = annotate_document(document, edition, recognizer, &mut problems);
            (annotated, problems)
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for (document, problems) in results {
        documents.push(document);
        diagnostics.extend(problems);
    }
    let mut problems = Vec::new();
    // Free pages and the introduction: explicit links work, names are not
    // recognised.
    let context = TextContext {
        registers: &edition.registers,
        recognizer: None,
    };
    let pages = edition
        .pages
        .iter()
        .map(|page| annotate_text(&page.body, site_language, &context, &mut problems))
        .collect();
    let introduction = edition.config.introduction.as_ref().map(|intro| {
        let source = Source {
            path: PathBuf::from("content/site.yaml"),
            text: intro.clone(),
            line_offset: 0,
        };
        annotate_text(&source, site_language, &context, &mut problems)
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
