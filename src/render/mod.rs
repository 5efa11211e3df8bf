//! Stage 4, render: pages of HTML from the annotated edition and its index.
//!
//! Each page is a small view (a serialisable struct holding what its template shows,
//! links already computed) passed with the site-wide parts to one Tera template; every
//! page goes through [`Renderer::page`], in parallel. Templates only lay out: anything
//! that needs computing (links, dates in words, citations) is computed here. The parts
//! of pages that grow with the edition (a document's rows, a person's passages) have
//! templates of their own in `templates/partials/`, which `views` writes directly
//! unless the edition replaces them (see [`Renderer::partial`]).
//!
//! Not here: deciding what is on the disk (that is `write`).

mod citation;
mod source;
mod text;
mod timeline;
mod views;

pub use citation::{chicago, Citation};

use crate::annotate::Annotated;
use crate::diagnostics::{Diagnostic, Position};
use crate::links::{document_address, entity_address, tag_address, Address, Links};
use crate::model::{Edition, EntityKind, EntityRef, SiteIndex};
use crate::theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
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
        tera.register_filter("safe", safe);
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
    /// available to the template under `key`. `large` is the length of the parts
    /// of the view that grow with the edition (rows, passages, sources), so that the
    /// page is written into room made once: a person's page of 350 KB grew by
    /// doubling, copying itself five times.
    #[allow(clippy::too_many_arguments)]
    fn page<T: Serialize>(
        &self,
        chrome: &Chrome,
        address: &Address,
        title: &str,
        template: &str,
        key: &'static str,
        view: &T,
        large: usize,
    ) -> Result<OutputFile, Vec<Diagnostic>> {
        let mut context = tera::Context::new();
        context.insert("site", &chrome.site);
        context.insert("page", &chrome.page_view(self, address, title));
        context.insert(key, view);
        // Into bytes directly: `Tera::render` would check the whole page is UTF-8
        // once more on its way to a `String`.
        let mut contents = Vec::with_capacity(16 * 1024 + large);
        self.tera
            .render_to(template, &context, &mut contents)
            .map_err(|e| template_diagnostics(&e, &self.origins))?;
        Ok(OutputFile {
            path: Links::file_of(address),
            contents,
        })
    }

    /// A part of a page that grows with the edition (the passages on a person's
    /// page, a document's rows): `write` makes it from `context` as the built-in
    /// template `name` would, unless the edition has its own `name`, which then
    /// renders it with `context`.
    fn partial<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        write: impl FnOnce(&T) -> String,
    ) -> Result<String, Vec<Diagnostic>> {
        let built_in = self
            .origins
            .get(name)
            .is_none_or(|origin| theme::is_built_in(origin));
        if built_in {
            return Ok(write(context));
        }
        tera::Context::from_serialize(context)
            .and_then(|context| self.tera.render(name, &context))
            .map_err(|e| template_diagnostics(&e, &self.origins))
    }
}

/// Tera's `safe`, without copying the string: the built-in filter makes a new
/// string of its input, and pages pass through it the HTML that dossier writes
/// (a document's rows, a person's passages: hundreds of kilobytes). Anything else
/// becomes its text, marked safe, as with the built-in filter.
fn safe(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.is_string() {
        value.mark_safe()
    } else {
        tera::Value::safe_string(&value.to_string())
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
    script: String,
    icon: String,
    nav: Vec<NavLink>,
}

#[derive(Serialize)]
struct NavLink {
    label: String,
    href: String,
    current: bool,
}

/// The site's own sections, in the order of the navigation.
const SECTIONS: &[(&str, &str)] = &[
    ("Documents", "documents/"),
    ("People", "people/"),
    ("Events", "events/"),
    ("Places", "places/"),
    ("Glossary", "glossary/"),
    ("Tags", "tags/"),
];

impl Chrome {
    fn new(edition: &Edition) -> Self {
        let config = &edition.config;
        let mut nav: Vec<(String, String)> = SECTIONS
            .iter()
            .map(|(label, address)| (label.to_string(), address.to_string()))
            .collect();
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
            script: links.href(address, "dossier.js"),
            icon: links.href(address, "favicon.svg"),
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

/// A page of the site, by what it shows. Ids rather than positions, so a page keeps
/// its identity across rebuilds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageId {
    Home,
    Documents,
    Document(String),
    Source(String),
    FreePage(String),
    /// The index of a section: "people", "events", "places", "glossary", "tags".
    Index(&'static str),
    Entry(EntityRef),
    Tag(String),
}

/// The sections that have an index page.
pub const INDEXES: [&str; 5] = ["people", "events", "places", "glossary", "tags"];

impl PageId {
    /// The page's address in the site.
    pub fn address(&self) -> String {
        match self {
            PageId::Home => String::new(),
            PageId::Documents => "documents/".into(),
            PageId::Document(id) => document_address(id),
            PageId::Source(id) => format!("{}source/", document_address(id)),
            PageId::FreePage(slug) => format!("{slug}/"),
            PageId::Index(section) => format!("{section}/"),
            PageId::Entry(entity) => entity_address(entity),
            PageId::Tag(tag) => tag_address(tag),
        }
    }

    /// The template the page is rendered with (all extend `base.html`).
    pub fn template(&self) -> &'static str {
        match self {
            PageId::Home => "home.html",
            PageId::Documents | PageId::Tag(_) => "documents.html",
            PageId::Document(_) => "document.html",
            PageId::Source(_) => "source.html",
            PageId::FreePage(_) => "page.html",
            PageId::Index("glossary") => "glossary.html",
            PageId::Index(_) => "entries.html",
            PageId::Entry(_) => "entry.html",
        }
    }
}

/// Every page of the edition.
pub fn all_pages(edition: &Edition, index: &SiteIndex) -> Vec<PageId> {
    let mut pages = vec![PageId::Home, PageId::Documents];
    for d in &edition.documents {
        pages.push(PageId::Document(d.id.clone()));
        pages.push(PageId::Source(d.id.clone()));
    }
    pages.extend(
        edition
            .pages
            .iter()
            .map(|p| PageId::FreePage(p.slug.clone())),
    );
    pages.extend(INDEXES.map(PageId::Index));
    let registers = &edition.registers;
    for (kind, ids) in [
        (
            EntityKind::Person,
            registers.people.keys().collect::<Vec<_>>(),
        ),
        (EntityKind::Event, registers.events.keys().collect()),
        (EntityKind::Place, registers.places.keys().collect()),
    ] {
        pages.extend(ids.into_iter().map(|id| {
            PageId::Entry(EntityRef {
                kind,
                id: id.clone(),
            })
        }));
    }
    pages.extend(index.tags.keys().map(|t| PageId::Tag(t.clone())));
    pages
}

/// The folders of every document's pages (its page, then its source view), known
/// as soon as the documents are loaded.
pub fn document_folders(edition: &Edition) -> Vec<String> {
    edition
        .documents
        .iter()
        .flat_map(|d| [PageId::Document(d.id.clone()), PageId::Source(d.id.clone())])
        .map(|page| page.address())
        .collect()
}

/// Where rendered files go as they are made, so a full build never holds the whole
/// site in memory: a folder being built, a link checker, a list.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;

    /// A few files rendered together: a sink that hands files to another thread
    /// hands them over at once (one wake-up of a writer instead of one per file).
    fn put_all(&self, files: Vec<OutputFile>) -> Result<(), Diagnostic> {
        files.into_iter().try_for_each(|file| self.put(file))
    }

    /// Folders pages will be written into (addresses, `documents/x/`), told before
    /// the pages are rendered: a sink that writes to disk may make them meanwhile.
    fn prepare_folders(&self, _folders: Vec<String>) {}
}

/// Collects files in memory (small sets: incremental updates, tests).
#[derive(Default)]
pub struct Collect(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.0.lock().expect("not poisoned").push(file);
        Ok(())
    }
}

/// Drops every file (timing, comparing fingerprints).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// A fingerprint of a file's contents, to tell later whether a rebuild changed it.
pub fn fingerprint(contents: &[u8]) -> u64 {
    use std::hash::Hasher;
    // Every byte of the site passes through here (~400 MB at 10,000 documents):
    // SipHash cost ~5% of a build. Fingerprints only tell our own builds apart, so
    // a fast non-cryptographic hash will do.
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(contents);
    hasher.write_usize(contents.len());
    hasher.finish()
}

/// Renders the given pages, in parallel, into memory. Pages that no longer exist (a
/// document or tag gone) are skipped.
pub fn render_pages(
    pages: &[PageId],
    edition: &Edition,
    annotated: &Annotated,
    index: &SiteIndex,
    renderer: &Renderer,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let collect = Collect::default();
    render_into(pages, edition, annotated, index, renderer, &collect)?;
    Ok(collect.0.into_inner().expect("not poisoned"))
}

/// Renders the given pages, in parallel, handing each file to `sink` as soon as it is
/// made; returns each file's path and fingerprint.
pub fn render_into(
    pages: &[PageId],
    edition: &Edition,
    annotated: &Annotated,
    index: &SiteIndex,
    renderer: &Renderer,
    sink: &dyn Sink,
) -> Result<Vec<(String, u64)>, Vec<Diagnostic>> {
    let chrome = Chrome::new(edition);
    let positions: HashMap<&str, usize> = edition
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let sources = views::Sources {
        edition,
        annotated,
        index,
        links: &renderer.links,
    };
    // Pages differ in cost a hundredfold (a person named in every document, a
    // source view): in small pieces, a core that is done can take over the other's
    // remaining pages instead of waiting for a long run of them.
    let pieces: Vec<_> = pages
        .par_chunks(4)
        .with_max_len(1)
        .map(|piece| {
            let mut files = Vec::with_capacity(piece.len());
            let mut problems = Vec::new();
            for page in piece {
                match render_page(page, &positions, &sources, annotated, renderer, &chrome) {
                    Some(Ok(file)) => files.push(file),
                    Some(Err(found)) => problems.extend(found),
                    None => {}
                }
            }
            let entries: Vec<(String, u64)> = files
                .iter()
                .map(|file| (file.path.clone(), fingerprint(&file.contents)))
                .collect();
            if let Err(problem) = sink.put_all(files) {
                problems.push(problem);
            }
            (entries, problems)
        })
        .collect();
    let mut written = Vec::with_capacity(pages.len());
    let mut problems = Vec::new();
    for (entries, found) in pieces {
        written.extend(entries);
        problems.extend(found);
    }
    if problems.is_empty() {
        Ok(written)
    } else {
        // The same template error would be reported once per page: once is enough.
        problems.sort();
        problems.dedup();
        Err(problems)
    }
}

fn render_page(
    page: &PageId,
    positions: &HashMap<&str, usize>,
    s: &views::Sources,
    annotated: &Annotated,
    renderer: &Renderer,
    chrome: &Chrome,
) -> Option<Result<OutputFile, Vec<Diagnostic>>> {
    let edition = s.edition;
    let address = page.address();
    let template = page.template();
    Some(match page {
        PageId::Home => {
            let view = views::home(s, annotated.introduction.as_ref());
            renderer.page(
                chrome,
                &address,
                &edition.config.title,
                template,
                "home",
                &view,
                0,
            )
        }
        PageId::Documents => {
            let view = views::documents(s, &address, "Documents by date".into(), &s.index.by_date);
            renderer.page(
                chrome,
                &address,
                "Documents by date",
                template,
                "documents",
                &view,
                LISTED_DOCUMENT * s.index.by_date.len(),
            )
        }
        PageId::Document(id) => {
            let i = *positions.get(id.as_str())?;
            let document = &edition.documents[i];
            let mut view = views::document(s, i, &annotated.documents[i], &address);
            for p in 0..view.parallels.len() {
                let rows = renderer.partial(
                    "partials/rows.html",
                    &view.parallels[p].rows_partial(view.original_lang()),
                    views::rows_html,
                );
                match rows {
                    Ok(html) => view.parallels[p].rows_html = html,
                    Err(problems) => return Some(Err(problems)),
                }
            }
            renderer.page(
                chrome,
                &address,
                &document.meta.title,
                template,
                "document",
                &view,
                view.parallels.iter().map(|p| p.rows_html.len()).sum(),
            )
        }
        PageId::Source(id) => {
            let i = *positions.get(id.as_str())?;
            let view = views::source(s, i, &address);
            let title = format!("Source of {}", edition.documents[i].meta.title);
            let large = view.html_len();
            renderer.page(chrome, &address, &title, template, "source", &view, large)
        }
        PageId::FreePage(slug) => {
            let i = edition.pages.iter().position(|p| &p.slug == slug)?;
            let view = views::free_page(s, &annotated.pages[i], &address);
            renderer.page(
                chrome,
                &address,
                &edition.pages[i].title,
                template,
                "content",
                &view,
                0,
            )
        }
        PageId::Index("glossary") => {
            let view = views::glossary(s, &address);
            renderer.page(chrome, &address, "Glossary", template, "glossary", &view, 0)
        }
        PageId::Index(section) => {
            let view = match *section {
                "people" => views::people(s, &address),
                "events" => views::events(s, &address),
                "places" => views::places(s, &address),
                _ => views::tags(s, &address),
            };
            renderer.page(
                chrome,
                &address,
                &capitalised(section),
                template,
                "entries",
                &view,
                0,
            )
        }
        PageId::Entry(entity) => {
            let title = edition.registers.name(entity)?.to_string();
            let mut view = views::entry(s, entity, &address);
            if !view.documents.is_empty() {
                let occurrences = renderer.partial(
                    "partials/occurrences.html",
                    &views::OccurrencesPartial {
                        documents: &view.documents,
                    },
                    views::occurrences_html,
                );
                match occurrences {
                    Ok(html) => view.occurrences_html = html,
                    Err(problems) => return Some(Err(problems)),
                }
            }
            let large = view.occurrences_html.len();
            renderer.page(chrome, &address, &title, template, "entry", &view, large)
        }
        PageId::Tag(tag) => {
            let docs = s.index.tags.get(tag)?;
            let heading = format!("Documents tagged \u{201c}{tag}\u{201d}");
            let view = views::documents(s, &address, heading.clone(), docs);
            let large = LISTED_DOCUMENT * docs.len();
            renderer.page(
                chrome,
                &address,
                &heading,
                template,
                "documents",
                &view,
                large,
            )
        }
    })
}

/// About what a document takes in a list of documents (date, link, title, summary).
const LISTED_DOCUMENT: usize = 200;

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn safe_passes_strings_through_and_writes_anything_else_as_text() {
        let mut tera = tera::Tera::new();
        tera.register_filter("safe", super::safe);
        tera.add_raw_template(
            "t.html",
            "{{ html | safe }} {{ number | safe }} {{ list | safe }} {{ html }}",
        )
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("html", "<b>\"x\" & y</b>");
        context.insert("number", &5);
        context.insert("list", &[1, 2]);
        let mut builtin = tera::Tera::new();
        builtin
            .add_raw_template(
                "t.html",
                "{{ html | safe }} {{ number | safe }} {{ list | safe }} {{ html }}",
            )
            .unwrap();
        let ours = tera.render("t.html", &context).unwrap();
        assert_eq!(ours, builtin.render("t.html", &context).unwrap());
        assert!(ours.starts_with("<b>\"x\" & y</b> 5 "), "{ours}");
    }
}
