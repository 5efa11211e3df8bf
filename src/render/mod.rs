//! Stage 4, render: pages of HTML from the annotated edition and its index.
//!
//! Each page is a small view (a serialisable struct holding what its template shows,
//! links already computed) passed with the site-wide parts to one Tera template; every
//! page goes through [`Renderer::page`], in parallel. Templates only lay out: anything
//! that needs computing (links, dates in words, citations) is computed here.
//!
//! Not here: deciding what is on the disk (that is `write`).

mod citation;

pub use citation::{chicago, Citation};

use crate::annotate::Annotated;
use crate::diagnostics::{Diagnostic, Position};
use crate::links::{document_address, Address, Links};
use crate::model::{AnnotatedText, Document, Edition, Footnote, Segment, SiteIndex};
use crate::theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file of the output: its path below the output folder (`/`-separated) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// The compiled templates and what every page shares.
pub struct Renderer {
    tera: tera::Tera,
    /// Template name → where it came from, for messages.
    origins: BTreeMap<String, String>,
    links: Links,
}

impl Renderer {
    /// Compiles the built-in templates with the edition's overrides. A template that
    /// does not compile is reported at its file and line.
    pub fn new(root: &Path, links: Links) -> Result<Self, Vec<Diagnostic>> {
        let files = theme::templates(root)?;
        let mut origins = BTreeMap::new();
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        for (name, file) in files {
            match String::from_utf8(file.contents) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(_) => problems.push(Diagnostic::error(
                    &file.origin,
                    Position::START,
                    "the template is not UTF-8: save it as UTF-8",
                )),
            }
            origins.insert(name, file.origin);
        }
        let mut tera = tera::Tera::new();
        if let Err(e) = tera.add_raw_templates(sources) {
            problems.extend(template_diagnostics(&e, &origins));
        }
        if problems.is_empty() {
            Ok(Self {
                tera,
                origins,
                links,
            })
        } else {
            Err(problems)
        }
    }

    /// Renders `template` for the page at `address`, with the page-specific `view`
    /// available to the template under `key`.
    fn page<T: Serialize>(
        &self,
        chrome: &Chrome,
        address: &Address,
        title: &str,
        template: &str,
        key: &'static str,
        view: &T,
    ) -> Result<OutputFile, Vec<Diagnostic>> {
        let mut context = tera::Context::new();
        context.insert("site", &chrome.site);
        context.insert("page", &chrome.page_view(self, address, title));
        context.insert(key, view);
        let html = self
            .tera
            .render(template, &context)
            .map_err(|e| template_diagnostics(&e, &self.origins))?;
        Ok(OutputFile {
            path: Links::file_of(address),
            contents: html.into_bytes(),
        })
    }
}

/// Where a template error is: the template's file and line when Tera knows them.
fn template_diagnostics(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
) -> Vec<Diagnostic> {
    use tera::ErrorKind;
    let origin = |name: &str| {
        PathBuf::from(
            origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("templates/{name}")),
        )
    };
    let at_start = |name: &str, message: String| {
        vec![Diagnostic::error(origin(name), Position::START, message)]
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            vec![Diagnostic::error(
                origin(report.filename()),
                Position::new(span.start_line.max(1), span.start_col + 1),
                format!("template error: {}", report.message()),
            )]
        }
        ErrorKind::MissingParent { current, parent } => at_start(
            current,
            format!("template error: extends `{parent}`, which does not exist"),
        ),
        ErrorKind::TemplateNotFound(name) => at_start(
            name,
            format!("template error: no template named `{name}` (add it to templates/)"),
        ),
        ErrorKind::Msg(text) => {
            // Unknown filters, functions and includes come as rendered reports:
            // "error: <message>\n --> <template>:<line>:<column>".
            let reports = parse_reports(text);
            if reports.is_empty() {
                at_start("", format!("template error: {text}"))
            } else {
                reports
                    .into_iter()
                    .map(|(name, pos, message)| {
                        Diagnostic::error(origin(&name), pos, format!("template error: {message}"))
                    })
                    .collect()
            }
        }
        _ => at_start("", format!("template error: {error}")),
    }
}

/// The (template, position, message) of each report in a Tera validation message.
fn parse_reports(text: &str) -> Vec<(String, Position, String)> {
    let mut reports = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse().ok());
            let line_number = parts.next().and_then(|l| l.parse().ok());
            if let (Some(column), Some(line_number), Some(name), Some(m)) =
                (column, line_number, parts.next(), message.take())
            {
                reports.push((name.to_string(), Position::new(line_number, column), m));
            }
        }
    }
    reports
}

/// What every page shows: the site's settings and navigation.
struct Chrome {
    site: SiteView,
    /// Navigation entries: label and address.
    nav: Vec<(String, String)>,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    subtitle: Option<String>,
    language: String,
    editors: Vec<String>,
    publisher: Option<String>,
    licence: Option<String>,
    options: BTreeMap<String, serde_yaml::Value>,
}

/// The page-specific part of the frame: title, links to the home page and assets,
/// navigation with the current entry marked.
#[derive(Serialize)]
struct PageView {
    title: String,
    canonical: String,
    home: String,
    stylesheet: String,
    nav: Vec<NavLink>,
}

#[derive(Serialize)]
struct NavLink {
    label: String,
    href: String,
    current: bool,
}

impl Chrome {
    fn new(edition: &Edition) -> Self {
        let config = &edition.config;
        let mut nav = vec![("Documents".to_string(), "documents/".to_string())];
        nav.extend(
            edition
                .pages
                .iter()
                .map(|p| (p.title.clone(), format!("{}/", p.slug))),
        );
        Self {
            site: SiteView {
                title: config.title.clone(),
                subtitle: config.subtitle.clone(),
                language: config.language.clone(),
                editors: config.editors.clone(),
                publisher: config.publisher.clone(),
                licence: config.licence.clone(),
                options: config.options.clone(),
            },
            nav,
        }
    }

    fn page_view(&self, renderer: &Renderer, address: &Address, title: &str) -> PageView {
        let links = &renderer.links;
        PageView {
            title: title.to_string(),
            canonical: links.absolute(address),
            home: links.href(address, ""),
            stylesheet: links.href(address, "style.css"),
            nav: self
                .nav
                .iter()
                .map(|(label, to)| NavLink {
                    label: label.clone(),
                    href: links.href(address, to),
                    current: address.starts_with(to.as_str()),
                })
                .collect(),
        }
    }
}

/// A document as listed elsewhere (lists, previous/next).
#[derive(Serialize)]
struct DocumentLink {
    title: String,
    href: String,
    date: String,
    kind: Option<String>,
    summary: Option<String>,
}

fn document_link(links: &Links, from: &Address, document: &Document) -> DocumentLink {
    DocumentLink {
        title: document.meta.title.clone(),
        href: links.href(from, &document_address(&document.id)),
        date: document.meta.date.human(),
        kind: document.meta.kind.clone(),
        summary: document.meta.summary.clone(),
    }
}

#[derive(Serialize)]
struct DocumentView<'a> {
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
    tags: &'a [String],
    collection: Option<&'a str>,
    headnote: &'a AnnotatedText,
    texts: Vec<TextView<'a>>,
    citation: Citation,
    previous: Option<DocumentLink>,
    next: Option<DocumentLink>,
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
    segments: &'a [Segment],
    footnotes: &'a [Footnote],
}

#[derive(Serialize)]
struct HomeView<'a> {
    introduction: Option<&'a AnnotatedText>,
    counts: Counts,
    documents_href: String,
    earliest: Vec<DocumentLink>,
    latest: Vec<DocumentLink>,
}

#[derive(Serialize)]
struct Counts {
    documents: usize,
    people: usize,
    events: usize,
    places: usize,
    terms: usize,
}

#[derive(Serialize)]
struct DocumentsView {
    count: usize,
    years: Vec<YearView>,
}

#[derive(Serialize)]
struct YearView {
    year: i32,
    documents: Vec<DocumentLink>,
}

#[derive(Serialize)]
struct FreePageView<'a> {
    body: &'a AnnotatedText,
}

/// One page to render (documents and free pages by position in the edition).
enum Job {
    Home,
    Documents,
    Document(usize),
    FreePage(usize),
}

/// Renders every page of the edition.
pub fn render(
    edition: &Edition,
    annotated: &Annotated,
    index: &SiteIndex,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let chrome = Chrome::new(edition);
    let mut jobs = vec![Job::Home, Job::Documents];
    jobs.extend((0..edition.documents.len()).map(Job::Document));
    jobs.extend((0..edition.pages.len()).map(Job::FreePage));
    let results: Vec<Result<OutputFile, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| render_job(job, edition, annotated, index, renderer, &chrome))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        // The same template error would be reported once per page: once is enough.
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

fn render_job(
    job: &Job,
    edition: &Edition,
    annotated: &Annotated,
    index: &SiteIndex,
    renderer: &Renderer,
    chrome: &Chrome,
) -> Result<OutputFile, Vec<Diagnostic>> {
    let links = &renderer.links;
    let documents = &edition.documents;
    match job {
        Job::Home => {
            let address = "";
            let link = |&i: &usize| document_link(links, address, &documents[i]);
            let registers = &edition.registers;
            let view = HomeView {
                introduction: annotated.introduction.as_ref(),
                counts: Counts {
                    documents: documents.len(),
                    people: registers.people.len(),
                    events: registers.events.len(),
                    places: registers.places.len(),
                    terms: registers.glossary.len(),
                },
                documents_href: links.href(address, "documents/"),
                earliest: index.by_date.iter().take(5).map(link).collect(),
                latest: index.by_date.iter().rev().take(5).map(link).collect(),
            };
            let title = edition.config.title.as_str();
            renderer.page(chrome, address, title, "home.html", "home", &view)
        }
        Job::Documents => {
            let address = "documents/";
            let view = DocumentsView {
                count: documents.len(),
                years: index
                    .by_year
                    .iter()
                    .map(|(&year, docs)| YearView {
                        year,
                        documents: docs
                            .iter()
                            .map(|&i| document_link(links, address, &documents[i]))
                            .collect(),
                    })
                    .collect(),
            };
            renderer.page(
                chrome,
                address,
                "Documents by date",
                "documents.html",
                "documents",
                &view,
            )
        }
        Job::Document(i) => {
            let document = &documents[*i];
            let address = document_address(&document.id);
            let view = document_view(
                edition,
                &annotated.documents[*i],
                index,
                *i,
                links,
                &address,
            );
            renderer.page(
                chrome,
                &address,
                &document.meta.title,
                "document.html",
                "document",
                &view,
            )
        }
        Job::FreePage(i) => {
            let page = &edition.pages[*i];
            let address = format!("{}/", page.slug);
            let view = FreePageView {
                body: &annotated.pages[*i],
            };
            renderer.page(chrome, &address, &page.title, "page.html", "content", &view)
        }
    }
}

fn document_view<'a>(
    edition: &'a Edition,
    annotated: &'a crate::model::AnnotatedDocument,
    index: &SiteIndex,
    position: usize,
    links: &Links,
    address: &Address,
) -> DocumentView<'a> {
    let document = &edition.documents[position];
    let meta = &document.meta;
    let config = &edition.config;
    let original = document.original_language();
    let texts = document
        .texts
        .iter()
        .zip(&annotated.texts)
        .map(|(text, annotated)| {
            let language = config.language_name(&text.lang);
            let label = if text.lang == original {
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
                segments: &annotated.segments,
                footnotes: &annotated.footnotes,
            }
        })
        .collect();
    let (previous, next) = index.neighbours[position];
    let neighbour =
        |i: Option<usize>| i.map(|i| document_link(links, address, &edition.documents[i]));
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
        original_language: config.language_name(original),
        tags: &meta.tags,
        collection: meta.collection.as_deref(),
        headnote: &annotated.headnote,
        texts,
        citation: chicago(document, config, &links.absolute(address)),
        previous: neighbour(previous),
        next: neighbour(next),
        extra: &meta.extra,
    }
}
