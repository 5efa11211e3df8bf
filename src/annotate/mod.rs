//! Stage 2, annotate: turn each text of the edition into segments of HTML.
//!
//! Per text, independently (so texts annotate in parallel and an edited text can be
//! annotated alone): editorial markup is found (`markup`), Markdown parsed and each
//! top-level block made a segment (`markdown`).
//!
//! Not here: reading files (`load`), anything that needs several documents at once
//! (`index`), page layout (`render`).

mod markdown;
pub mod markup;

pub use markdown::annotate_text;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{AnnotatedDocument, AnnotatedText, Document, Edition, Source};
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
    let site_language = edition.config.language.as_str();
    let results: Vec<(AnnotatedDocument, Vec<Diagnostic>)> = edition
        .documents
        .par_iter()
        .map(|document| {
            let mut problems = Vec::new();
            let annotated = annotate_document(document, site_language, &mut problems);
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
        .map(|page| annotate_text(&page.body, site_language, "page", &mut problems))
        .collect();
    let introduction = edition.config.introduction.as_ref().map(|intro| {
        let source = Source {
            path: PathBuf::from("content/site.yaml"),
            text: intro.clone(),
            line_offset: 0,
        };
        annotate_text(&source, site_language, "intro", &mut problems)
    });
    diagnostics.extend(problems);
    Annotated {
        documents,
        pages,
        introduction,
    }
}

/// Annotates one document: its headnote (in the site's language) and its texts.
pub fn annotate_document(
    document: &Document,
    site_language: &str,
    problems: &mut Vec<Diagnostic>,
) -> AnnotatedDocument {
    AnnotatedDocument {
        headnote: annotate_text(&document.headnote, site_language, "headnote", problems),
        texts: document
            .texts
            .iter()
            .map(|text| annotate_text(&text.source, &text.lang, &text.lang, problems))
            .collect(),
    }
}
