//! Stage 4, render: the files of the site, from the annotated edition and its index.
//!
//! Every output is listed ([`Output`]: a page, an asset of the theme, a file of a
//! document's bundle) and made from what it reads through a `sources::Reader`. Pages
//! are small views (serialisable structs of what their template shows, links already
//! computed) passed with the site-wide parts to one Tera template; templates only lay
//! out, and anything that needs computing (links, dates in words, citations) is
//! computed here. The parts of pages that grow with the edition (a document's rows, a
//! person's passages) have templates of their own in `templates/partials/`, which
//! `views` writes directly unless the edition replaces them.
//!
//! A [`Render`] remembers what each output read (see `track`): rendering again after
//! an edit makes only the outputs that read something that changed, and the files
//! whose contents did change go to the sink. Outputs are made in parallel, and handed
//! to the sink as they are made, so a large edition is never all in memory.
//!
//! Not here: deciding what is on the disk (that is `write`), reading anything (that
//! is `load`).

mod citation;
mod data;
mod facsimile;
mod feeds;
mod metadata;
mod paging;
mod search;
mod source;
mod sources;
mod tei;
mod text;
mod timeline;
mod track;
mod views;

use crate::annotate::Annotated;
use crate::diagnostics::{Diagnostic, Position};
use crate::fingerprint;
use crate::links::{
    document_address, entity_address, entry_page_address, tag_address, Address, Links,
};
use crate::model::{AssetContents, Edition, EntityKind, EntityRef, SiteIndex, Theme};
use rayon::prelude::*;
use serde::Serialize;
use sources::{ReadKeys, ReadOf, Reader, Sources};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use track::{Keys, Made, Read, Records};

/// A file of the output: its path below the output folder (`/`-separated) and what
/// it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file of the edition, copied as it is (`write` reads it).
    Copy(PathBuf),
    /// Put together from other files of the site once they are written.
    Assemble(Assembly),
    /// An image of the edition made smaller (`write` makes it, or takes it from
    /// the output it replaces).
    Derive(Derivative),
}

/// A copy of an image of the edition at a smaller size, as a JPEG: what `write`
/// makes, from the image at `source`, exactly `size` (render decides it, so that
/// pages and manifests can give it before the copy exists). Its path in the site
/// names the image's contents (see [`facsimile::derivative_path`]): a file at that
/// path in the output being replaced is this copy already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivative {
    pub source: PathBuf,
    pub size: crate::model::ImageSize,
}

/// A file made of parts of other files of the same site, which `write` puts together
/// once those are on the disk: the edition's TEI corpus holds every document's TEI,
/// and made in memory it would be made again whole, and held whole, after every
/// edit; the files on the disk are its parts, already made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembly {
    pub head: Vec<u8>,
    /// The files whose parts follow the head, by path in the site, in order.
    pub parts: Vec<String>,
    /// What of each file is a part: from byte `skip` to the end of the first
    /// `until` (the whole file if it has none), then `close`.
    pub skip: usize,
    pub until: &'static str,
    pub close: &'static str,
    pub tail: Vec<u8>,
}

impl OutputFile {
    /// The contents, if they are made here (not copied).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.contents {
            Contents::Bytes(bytes) => Some(bytes),
            Contents::Copy(_) | Contents::Assemble(_) | Contents::Derive(_) => None,
        }
    }
}

/// The compiled templates.
pub(crate) struct Renderer {
    tera: tera::Tera,
    /// Template name → where it came from, for messages.
    origins: BTreeMap<String, String>,
    built_in: HashSet<String>,
}

impl Renderer {
    /// Compiles the theme's templates. A template that does not compile is reported
    /// at its file and line.
    pub(crate) fn new(theme: &Theme) -> Result<Self, Vec<Diagnostic>> {
        let origins: BTreeMap<String, String> = theme
            .templates
            .iter()
            .map(|(name, t)| (name.clone(), t.origin.clone()))
            .collect();
        let built_in = theme
            .templates
            .iter()
            .filter(|(_, t)| t.is_built_in())
            .map(|(name, _)| name.clone())
            .collect();
        let mut tera = tera::Tera::new();
        tera.register_filter("safe", safe);
        let sources = theme
            .templates
            .iter()
            .map(|(name, t)| (name.clone(), t.text.clone()));
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(template_diagnostics(&e, &origins));
        }
        Ok(Self {
            tera,
            origins,
            built_in,
        })
    }

    /// Renders `template` for the page at `address`, with the page-specific `view`
    /// available to the template under `key`. `large` is the length of the parts
    /// of the view that grow with the edition (rows, passages, sources), so that the
    /// page is written into room made once: a person's page of 350 KB grew by
    /// doubling, copying itself five times.
    #[allow(clippy::too_many_arguments)]
    fn page<T: Serialize>(
        &self,
        r: &Reader,
        address: &Address,
        title: &str,
        template: &str,
        key: &'static str,
        view: &T,
        large: usize,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let chrome = Chrome::new(r, address, title);
        let mut context = tera::Context::new();
        context.insert("site", &chrome.site);
        context.insert("page", &chrome.page);
        context.insert(key, view);
        // Into bytes directly: `Tera::render` would check the whole page is UTF-8
        // once more on its way to a `String`.
        let mut contents = Vec::with_capacity(16 * 1024 + large);
        self.tera
            .render_to(template, &context, &mut contents)
            .map_err(|e| template_diagnostics(&e, &self.origins))?;
        Ok(contents)
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
        // Every built-in partial is in the theme: it is the built-in one or the
        // edition's.
        if self.built_in.contains(name) {
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

/// What every page shows: the site's settings, and the frame of this page.
struct Chrome {
    site: SiteView,
    page: PageView,
}

#[derive(Serialize)]
struct SiteView {
    title: String,
    subtitle: Option<String>,
    language: String,
    editors: Vec<String>,
    /// The editors as a phrase ("A, B and C").
    edited_by: Option<String>,
    publisher: Option<String>,
    licence: Option<String>,
    options: BTreeMap<String, serde_yaml::Value>,
    /// Settings dossier does not read (`site.extra.<key>`).
    extra: BTreeMap<String, serde_yaml::Value>,
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
    /// The search page (the header's search box goes there), if the site has one.
    search: Option<String>,
    nav: Vec<NavLink>,
    /// The address the page's links start from (`<base href>`), for the 404 page,
    /// which a server shows at any address.
    base: Option<String>,
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
    fn new(r: &Reader, address: &Address, title: &str) -> Self {
        let config = r.settings();
        let links = r.links();
        let mut nav: Vec<(String, String)> = SECTIONS
            .iter()
            .map(|(label, address)| (label.to_string(), address.to_string()))
            .collect();
        nav.extend(
            r.navigation()
                .iter()
                .map(|p| (p.title.clone(), format!("{}/", p.slug))),
        );
        Chrome {
            site: SiteView {
                title: config.title.clone(),
                subtitle: config.subtitle.clone(),
                language: config.language.clone(),
                editors: config.editors.clone(),
                edited_by: config.editors_in_words(),
                publisher: config.publisher.clone(),
                licence: config.licence.clone(),
                options: config.options.clone(),
                extra: config.extra.clone(),
            },
            page: PageView {
                title: title.to_string(),
                canonical: links.absolute(address),
                home: links.href(address, ""),
                stylesheet: links.href(address, "style.css"),
                script: links.href(address, "dossier.js"),
                icon: links.href(address, "favicon.svg"),
                search: config.search.then(|| links.href(address, SEARCH)),
                base: (address == NOT_FOUND).then(|| links.root_path()).flatten(),
                nav: nav
                    .into_iter()
                    .map(|(label, to)| NavLink {
                        current: address.starts_with(to.as_str()),
                        href: links.href(address, &to),
                        label,
                    })
                    .collect(),
            },
        }
    }
}

/// A page of the site, by what it shows. Ids rather than positions, so a page keeps
/// its identity across rebuilds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum PageId {
    Home,
    /// A page (from 1) of the documents by date.
    Documents(u32),
    Document(String),
    Source(String),
    FreePage(String),
    /// A page of the index of a register, or of tags.
    Index(Section, u32),
    /// A page of an entry: the documents naming it, a page's worth.
    Entry(EntityRef, u32),
    /// A page of a tag's documents.
    Tag(String, u32),
    /// What a server shows for an address the site does not have.
    NotFound,
    Search,
}

/// The folder of the search page and its data.
pub(crate) const SEARCH: &str = "search/";

/// The 404 page's address: a file at the root, where static hosts look for it.
pub(crate) const NOT_FOUND: &str = "404.html";

/// The sections that have an index page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Section {
    People,
    Events,
    Places,
    Glossary,
    Tags,
}

impl Section {
    pub(crate) const ALL: [Section; 5] = [
        Section::People,
        Section::Events,
        Section::Places,
        Section::Glossary,
        Section::Tags,
    ];

    /// Its address in the site, and the word for it: `people`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Section::People => "people",
            Section::Events => "events",
            Section::Places => "places",
            Section::Glossary => "glossary",
            Section::Tags => "tags",
        }
    }

    /// Its heading: `People`.
    fn heading(self) -> &'static str {
        match self {
            Section::People => "People",
            Section::Events => "Events",
            Section::Places => "Places",
            Section::Glossary => "Glossary",
            Section::Tags => "Tags",
        }
    }
}

/// Templates pages are rendered with (all extend `base.html`); the others are
/// shared by all pages.
const PAGE_TEMPLATES: [&str; 10] = [
    "404.html",
    "search.html",
    "home.html",
    "documents.html",
    "document.html",
    "source.html",
    "page.html",
    "glossary.html",
    "entries.html",
    "entry.html",
];

impl PageId {
    /// The page's address in the site.
    pub(crate) fn address(&self) -> String {
        match self {
            PageId::Home => String::new(),
            PageId::Documents(page) => paging::page_address("documents/", *page),
            PageId::Document(id) => document_address(id),
            PageId::Source(id) => format!("{}source/", document_address(id)),
            PageId::FreePage(slug) => format!("{slug}/"),
            PageId::Index(section, page) => {
                paging::page_address(&format!("{}/", section.name()), *page)
            }
            PageId::Entry(entity, page) => paging::page_address(&entry_page_address(entity), *page),
            PageId::Tag(tag, page) => paging::page_address(&tag_address(tag), *page),
            PageId::NotFound => NOT_FOUND.into(),
            PageId::Search => SEARCH.into(),
        }
    }

    /// The template the page is rendered with (all extend `base.html`).
    pub(crate) fn template(&self) -> &'static str {
        match self {
            PageId::Home => "home.html",
            PageId::Documents(_) | PageId::Tag(..) => "documents.html",
            PageId::Document(_) => "document.html",
            PageId::Source(_) => "source.html",
            PageId::FreePage(_) => "page.html",
            PageId::Index(Section::Glossary, _) => "glossary.html",
            PageId::Index(..) => "entries.html",
            PageId::Entry(..) => "entry.html",
            PageId::NotFound => "404.html",
            PageId::Search => "search.html",
        }
    }
}

/// Every page of the edition.
pub(crate) fn all_pages(edition: &Edition, index: &SiteIndex) -> Vec<PageId> {
    use paging::{page_count, DOCUMENTS_PER_PAGE, ENTRIES_PER_PAGE, OCCURRENCES_PER_PAGE};
    let mut pages = vec![PageId::Home, PageId::NotFound];
    let documents = page_count(edition.documents.len(), DOCUMENTS_PER_PAGE);
    pages.extend((1..=documents).map(PageId::Documents));
    let search = edition.config.search;
    if search {
        pages.push(PageId::Search);
    }
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
    let registers = &edition.registers;
    for section in Section::ALL {
        let entries = match section {
            Section::People => registers.people.len(),
            Section::Events => registers.events.len(),
            Section::Places => registers.places.len(),
            Section::Tags => index.tags.len(),
            // One page: terms are looked up on it by their anchors.
            Section::Glossary => 0,
        };
        let count = page_count(entries, ENTRIES_PER_PAGE);
        pages.extend((1..=count).map(|page| PageId::Index(section, page)));
    }
    for (kind, ids) in [
        (
            EntityKind::Person,
            registers.people.keys().collect::<Vec<_>>(),
        ),
        (EntityKind::Event, registers.events.keys().collect()),
        (EntityKind::Place, registers.places.keys().collect()),
        (EntityKind::Term, registers.glossary.keys().collect()),
    ] {
        for id in ids {
            let entity = EntityRef {
                kind,
                id: id.as_str().into(),
            };
            let length = entry_list_length(index, &entity);
            if !has_page(&entity, length) {
                continue;
            }
            let count = page_count(length, OCCURRENCES_PER_PAGE);
            pages.extend((1..count).map(|page| PageId::Entry(entity.clone(), page)));
            pages.push(PageId::Entry(entity, count));
        }
    }
    for (tag, documents) in &index.tags {
        let count = page_count(documents.len(), DOCUMENTS_PER_PAGE);
        pages.extend((1..=count).map(|page| PageId::Tag(tag.clone(), page)));
    }
    pages
}

/// Whether an entry whose page would list `length` documents has a page: every
/// person, event and place; a glossary term named by more documents than the
/// glossary lists under it.
pub(crate) fn has_page(entity: &EntityRef, length: usize) -> bool {
    entity.kind != EntityKind::Term || length > paging::GLOSSARY_DOCUMENTS
}

/// How long the lists of an entry's page are: the documents naming it (those
/// it has a part in are among them, or beside them).
pub(crate) fn entry_list_length(index: &SiteIndex, entity: &EntityRef) -> usize {
    index.occurrences.get(entity).map_or(0, Vec::len)
}

/// An output of the site, by what it is.
#[derive(Debug, Clone)]
enum Output {
    Page(PageId),
    /// An asset of the theme, by path.
    Asset(String),
    /// A file of a document's bundle: the document's position and the file's.
    BundleFile(usize, usize),
    /// A copy of an image of a document's bundle at a smaller size: the document's
    /// position and the file's.
    Derivative(usize, usize, facsimile::Size),
    /// A document's IIIF manifest, by position.
    Manifest(usize),
    /// A term file of the search index, by name.
    SearchTerms(String),
    /// The search index's catalogue of documents.
    SearchCatalogue,
    /// A document's passages for the search page, by the document's position.
    SearchDocument(usize),
    /// A document as data, by position.
    DocumentData(usize),
    /// A document in TEI, by position.
    DocumentTei(usize),
    /// The whole edition as one TEI corpus.
    EditionTei,
    /// A document's citation for reference managers, by position.
    CitationFile(usize, CitationFormat),
    /// The catalogue of documents (`data/documents.json`).
    Catalogue,
    /// A register as data.
    RegisterData(EntityKind),
    /// `sitemap.xml`: the whole sitemap, or the index of its parts.
    Sitemap,
    /// A part of a sitemap too large for one file (from 1).
    SitemapPart(usize),
    /// The Atom feed of documents.
    Feed,
}

/// Every output of the edition, by path; static files that would stand where pages
/// are, reported.
fn all_outputs(
    edition: &Edition,
    index: &SiteIndex,
    terms: &crate::search::TermFiles,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, Output)> {
    // A list sorted once, not a map kept sorted: at 800,000 outputs the map's
    // nodes were 80 MB more at the peak of a build.
    let mut outputs: Vec<(String, Output)> = all_pages(edition, index)
        .into_iter()
        .map(|page| (Links::file_of(&page.address()), Output::Page(page)))
        .collect();
    for (d, document) in edition.documents.iter().enumerate() {
        let folder = document_address(&document.id);
        for (f, file) in document.files.iter().enumerate() {
            outputs.push((format!("{folder}{}", file.name), Output::BundleFile(d, f)));
            for size in facsimile::Size::ALL {
                if let Some(path) = facsimile::derivative_path(document, file, size) {
                    outputs.push((path, Output::Derivative(d, f, size)));
                }
            }
        }
        if facsimile::has_images(document) {
            outputs.push((facsimile::manifest_path(&document.id), Output::Manifest(d)));
        }
        if edition.config.search {
            outputs.push((
                format!("{SEARCH}documents/{}.js", document.id),
                Output::SearchDocument(d),
            ));
        }
        outputs.push((
            data::document_file(&document.id, "json"),
            Output::DocumentData(d),
        ));
        outputs.push((
            data::document_file(&document.id, "xml"),
            Output::DocumentTei(d),
        ));
        for format in CitationFormat::ALL {
            outputs.push((
                data::document_file(&document.id, format.extension()),
                Output::CitationFile(d, format),
            ));
        }
    }
    outputs.push((format!("{}documents.json", data::DATA), Output::Catalogue));
    outputs.push((EDITION_TEI.into(), Output::EditionTei));
    for kind in EntityKind::ALL {
        outputs.push((data::register_file(kind), Output::RegisterData(kind)));
    }
    let pages = outputs
        .iter()
        .filter(|(_, o)| matches!(o, Output::Page(_)))
        .count();
    outputs.push((feeds::SITEMAP.into(), Output::Sitemap));
    let parts = pages.div_ceil(feeds::SITEMAP_LIMIT);
    if parts > 1 {
        for n in 1..=parts {
            outputs.push((feeds::sitemap_part(n), Output::SitemapPart(n)));
        }
    }
    outputs.push((feeds::FEED.into(), Output::Feed));
    if edition.config.search {
        outputs.push((format!("{SEARCH}catalogue.js"), Output::SearchCatalogue));
    }
    for name in terms.keys() {
        outputs.push((
            format!("{SEARCH}terms/{name}.js"),
            Output::SearchTerms(name.clone()),
        ));
    }
    sort_outputs(&mut outputs);
    let mut assets = Vec::new();
    for (path, asset) in &edition.theme.assets {
        if !edition.config.search
            && path.starts_with(SEARCH)
            && asset.origin.starts_with(crate::model::BUILT_IN)
        {
            continue;
        }
        if let Some(problem) = collision(&outputs, path) {
            problems.push(Diagnostic::error(
                PathBuf::from(&asset.origin),
                Position::START,
                problem,
            ));
            continue;
        }
        assets.push((path.clone(), Output::Asset(path.clone())));
    }
    outputs.extend(assets);
    sort_outputs(&mut outputs);
    outputs
}

/// Sorts outputs by path; of two at one path, the one listed later stays (as a
/// map's second insert would have it).
fn sort_outputs(outputs: &mut Vec<(String, Output)>) {
    // Stable: outputs at one path stay in the order listed.
    outputs.sort_by(|a, b| a.0.cmp(&b.0));
    outputs.reverse();
    outputs.dedup_by(|a, b| a.0 == b.0);
    outputs.reverse();
}

/// Why a file of the edition's `static/` cannot go to `path` beside the generated
/// pages, if it cannot: it is a page, it stands where a folder of pages is (a file
/// `static/people`), or a page stands where one of its folders would be.
fn collision(pages: &[(String, Output)], path: &str) -> Option<String> {
    let has = |path: &str| {
        pages
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .is_ok()
    };
    if has(path) {
        return Some(format!(
            "`{path}` would overwrite a generated page: rename the file"
        ));
    }
    let folder = format!("{path}/");
    let after = pages.partition_point(|(p, _)| p.as_str() < folder.as_str());
    if let Some((page, _)) = pages.get(after) {
        if page.starts_with(&folder) {
            return Some(format!(
                "`{path}` would stand where the folder of generated pages `{folder}` is \
                 (for `{page}`): rename the file"
            ));
        }
    }
    let mut prefix = path;
    while let Some((parent, _)) = prefix.rsplit_once('/') {
        if has(parent) {
            return Some(format!(
                "`{path}` needs a folder `{parent}/` where a generated page is: rename it"
            ));
        }
        prefix = parent;
    }
    None
}

/// The folders of every document's pages (its page, then its source view), known
/// as soon as the documents are loaded.
pub(crate) fn document_folders(edition: &Edition) -> Vec<String> {
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
pub(crate) struct Collect(pub std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.0.lock().expect("not poisoned").push(file);
        Ok(())
    }
}

/// The outputs of an edition as last written, with what each read; and the compiled
/// templates.
#[derive(Default)]
pub(crate) struct Render {
    renderer: Option<(u64, Arc<Renderer>)>,
    keys: ReadKeys,
    /// Every output's path, by key: shared with the shape's list of outputs (an
    /// edition of 100,000 documents has 800,000 of them).
    paths: Keys<Arc<str>>,
    records: Records,
    shape: Shape,
    /// Whether what outputs read is kept (for a pipeline that runs again).
    keep: bool,
    /// Where the outputs made are counted on a terminal.
    progress: crate::progress::Progress,
}

/// What the site's outputs are, and what lists show of each document, as of the
/// last run: listed again only when documents came or went (or their files, or
/// the contents of their images, after which the images' copies are named), or
/// the pages, the registers, the theme or the tags are not the same. (Listing
/// 20,000 outputs and their paths took a fifth of a run after an edit at 10,000
/// documents.)
#[derive(Default)]
struct Shape {
    documents: Vec<Arc<crate::model::Document>>,
    registers: Option<Arc<crate::model::Registers>>,
    pages: Option<Arc<Vec<crate::model::Page>>>,
    theme: Option<Arc<Theme>>,
    tags: Vec<String>,
    /// The names of the search index's term files.
    term_files: Vec<String>,
    /// Every output, by path, with the path's key.
    outputs: Vec<(Arc<str>, Output, u32)>,
    /// Each document's summary version, by position.
    summaries: Vec<u64>,
}

impl Shape {
    /// Brings the shape up to date with `edition` and `index`; whether the outputs
    /// were listed again (some may have come or gone).
    fn update(
        &mut self,
        edition: &Edition,
        index: &SiteIndex,
        terms: &crate::search::TermFiles,
        keys: &mut ReadKeys,
        mut paths: Option<&mut Keys<Arc<str>>>,
    ) -> Result<bool, Vec<Diagnostic>> {
        let documents = &edition.documents;
        let in_place = self.documents.len() == documents.len()
            && self.documents.iter().zip(documents).all(|(a, b)| {
                Arc::ptr_eq(a, b)
                    || (a.id == b.id
                        && a.files.len() == b.files.len()
                        // The copies of an image are named after its bytes too.
                        && a.files.iter().zip(&b.files).all(|(f, g)| {
                            f.name == g.name && f.image.map(|i| i.hash) == g.image.map(|i| i.hash)
                        }))
            });
        fn same<T>(a: Option<&Arc<T>>, b: &Arc<T>) -> bool {
            a.is_some_and(|a| Arc::ptr_eq(a, b))
        }
        let listed = in_place
            && same(self.registers.as_ref(), &edition.registers)
            && same(self.pages.as_ref(), &edition.pages)
            && same(self.theme.as_ref(), &edition.theme)
            && self.tags.iter().eq(index.tags.keys())
            && self.term_files.iter().eq(terms.keys());
        let summaries: Vec<u64> = if in_place {
            documents
                .iter()
                .zip(&self.documents)
                .zip(&self.summaries)
                .map(|((d, old), &version)| {
                    if Arc::ptr_eq(d, old) {
                        version
                    } else {
                        sources::summary_version(d)
                    }
                })
                .collect()
        } else {
            keys.place_documents(documents);
            documents
                .par_iter()
                .map(|d| sources::summary_version(d))
                .collect()
        };
        if !listed {
            let mut problems = Vec::new();
            let outputs = all_outputs(edition, index, terms, &mut problems);
            if !problems.is_empty() {
                // Listed again next time.
                *self = Shape::default();
                return Err(problems);
            }
            self.outputs = outputs
                .into_iter()
                .enumerate()
                .map(|(n, (path, output))| match paths.as_deref_mut() {
                    Some(paths) => {
                        let key = paths.key_str(&path);
                        (Arc::clone(paths.name(key)), output, key)
                    }
                    // Nothing is compared with another run's: an output is its
                    // place in the list.
                    None => (Arc::from(path), output, n as u32),
                })
                .collect();
            self.registers = Some(Arc::clone(&edition.registers));
            self.pages = Some(Arc::clone(&edition.pages));
            self.theme = Some(Arc::clone(&edition.theme));
            self.tags = index.tags.keys().cloned().collect();
            self.term_files = terms.keys().cloned().collect();
        }
        self.documents = documents.clone();
        self.summaries = summaries;
        Ok(!listed)
    }
}

/// What a render made, to take in ([`Render::commit`]) once its files are written.
pub(crate) struct Rendered {
    made: Vec<(u32, Made)>,
    removed_keys: Vec<u32>,
    /// The paths of the outputs whose contents are new or changed (handed to the
    /// sink).
    pub changed: Vec<String>,
    /// The paths of outputs the site no longer has.
    pub removed: Vec<String>,
    /// The paths of the pages made (whether or not their contents changed).
    pub made_pages: Vec<String>,
    /// How many pages (HTML files) and files the site has.
    pub pages: usize,
    pub files: usize,
}

impl Render {
    /// A render stage for a pipeline that runs again (and keeps what each output
    /// read), or once.
    pub(crate) fn new(runs_again: bool) -> Self {
        Self {
            keep: runs_again,
            ..Self::default()
        }
    }

    /// Makes every output that read something that changed since the last commit
    /// (all of them, the first time), and hands those whose contents changed to
    /// `sink`.
    pub(crate) fn render(
        &mut self,
        edition: &Edition,
        annotated: &Annotated,
        index: &SiteIndex,
        terms: &crate::search::TermFiles,
        links: &Links,
        sink: &dyn Sink,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let progress = &self.progress;
        let mut problems = Vec::new();
        let templates = fingerprint::of(&edition.theme.templates);
        if self.renderer.as_ref().map(|r| r.0) != Some(templates) {
            let renderer = Renderer::new(&edition.theme)?;
            self.renderer = Some((templates, Arc::new(renderer)));
        }
        let renderer = Arc::clone(&self.renderer.as_ref().expect("made above").1);
        let relisted = self.shape.update(
            edition,
            index,
            terms,
            &mut self.keys,
            // Keys that stay the same from run to run, for a pipeline that
            // runs again (at 800,000 outputs, 90 MB of map).
            self.keep.then_some(&mut self.paths),
        )?;
        let shape = &self.shape;
        let sources = Sources::new(edition, annotated, index, links, terms, &shape.summaries);
        let stale: HashSet<u32> = if self.records.is_empty() {
            HashSet::new()
        } else {
            let keys = &self.keys;
            self.records.stale(|read| keys.version(read, &sources))
        };
        // Places in the list (four bytes each: a first run makes 800,000).
        let to_make: Vec<u32> = shape
            .outputs
            .iter()
            .enumerate()
            .filter(|(_, (_, _, key))| stale.contains(key) || self.records.made(*key).is_none())
            .map(|(n, _)| n as u32)
            .collect();
        progress.counting("making pages and files", to_make.len());
        let records = &self.records;
        let keep = self.keep;
        // Pages differ in cost a hundredfold (a person named in every document, a
        // source view): in small pieces, a core that is done can take over the
        // other's remaining pages instead of waiting for a long run of them.
        let pieces: Vec<_> = to_make
            .par_chunks(4)
            .with_max_len(1)
            .map(|piece| {
                let mut files = Vec::with_capacity(piece.len());
                let mut made = Vec::with_capacity(piece.len());
                let mut problems = Vec::new();
                for &n in piece {
                    let (path, output, key) = &shape.outputs[n as usize];
                    let key = *key;
                    let reader = sources.reader();
                    match make(output, &reader, &renderer, &sources) {
                        Ok(contents) => {
                            let versions: Vec<(ReadOf, u64)> = if keep {
                                reader
                                    .into_reads()
                                    .into_iter()
                                    .map(|r| (r, sources.version(r).unwrap_or(0)))
                                    .collect()
                            } else {
                                Vec::new()
                            };
                            let fingerprint = match &contents {
                                _ if !keep => 0,
                                Contents::Bytes(bytes) => fingerprint::of_bytes(bytes),
                                // A copy is what it read: the file's version; an
                                // assembly, the versions of what its parts read.
                                Contents::Copy(_) | Contents::Assemble(_) | Contents::Derive(_) => {
                                    fingerprint::of(&versions)
                                }
                            };
                            let changed =
                                records.made(key).map(|m| m.fingerprint) != Some(fingerprint);
                            if changed {
                                files.push(OutputFile {
                                    path: path.to_string(),
                                    contents,
                                });
                            }
                            if keep {
                                made.push((key, path, fingerprint, versions, changed));
                            }
                        }
                        Err(found) => problems.extend(found),
                    }
                }
                if let Err(problem) = sink.put_all(files) {
                    problems.push(problem);
                }
                progress.advance(piece.len());
                (made, problems)
            })
            .collect();
        let mut made = Vec::new();
        let mut changed = Vec::new();
        let mut made_pages = Vec::new();
        for (piece, found) in pieces {
            problems.extend(found);
            // Only a pipeline that runs again lists what it made (a run once has
            // no one to tell: at 100,000 documents the lists named 800,000 files).
            for (key, path, fingerprint, versions, was_changed) in piece {
                if was_changed {
                    changed.push(path.to_string());
                }
                if path.ends_with(".html") {
                    made_pages.push(path.to_string());
                }
                let reads: Vec<(Read, u64)> = versions
                    .into_iter()
                    .map(|(r, v)| (self.keys.key(r), v))
                    .collect();
                made.push((key, Made { reads, fingerprint }));
            }
        }
        if !problems.is_empty() {
            // The same template error would be reported once per page: once is enough.
            problems.sort();
            problems.dedup();
            return Err(problems);
        }
        // Outputs go only when the outputs are listed anew.
        let removed_keys: Vec<u32> = if relisted {
            let current: HashSet<u32> = shape.outputs.iter().map(|(_, _, k)| *k).collect();
            self.records
                .outputs()
                .filter(|k| !current.contains(k))
                .collect()
        } else {
            Vec::new()
        };
        let removed = removed_keys
            .iter()
            .map(|&k| self.paths.name(k).to_string())
            .collect();
        Ok(Rendered {
            made,
            removed_keys,
            changed,
            removed,
            made_pages,
            pages: shape
                .outputs
                .iter()
                .filter(|(path, _, _)| path.ends_with(".html"))
                .count(),
            files: shape.outputs.len(),
        })
    }

    /// Every path of the site as last rendered.
    pub(crate) fn paths(&self) -> Vec<String> {
        self.shape
            .outputs
            .iter()
            .map(|(path, _, _)| path.to_string())
            .collect()
    }

    /// Counts the outputs made on `progress`.
    pub(crate) fn show_progress(&mut self, progress: crate::progress::Progress) {
        self.progress = progress;
    }

    /// Forgets what was written: the next render makes everything (into a new
    /// output folder).
    pub(crate) fn forget(&mut self) {
        self.records = Records::default();
    }

    /// Takes in what a render made, once its files are on the disk: from then on,
    /// they are what is compared with.
    pub(crate) fn commit(&mut self, rendered: Rendered) {
        if self.keep {
            self.records.commit(rendered.made, rendered.removed_keys);
        }
    }
}

/// Makes one output.
fn make<'a>(
    output: &Output,
    r: &Reader<'_, 'a>,
    renderer: &Renderer,
    sources: &Sources<'a>,
) -> Result<Contents, Vec<Diagnostic>> {
    match output {
        Output::Page(page) => {
            r.note_all([ReadOf::Template(page.template()), ReadOf::SharedTemplates]);
            render_page(page, r, renderer, sources).map(Contents::Bytes)
        }
        Output::Asset(path) => {
            let theme = sources.theme();
            let (path, asset) = theme
                .assets
                .get_key_value(path)
                .expect("listed from the theme");
            r.note_all([ReadOf::Asset(path)]);
            Ok(match &asset.contents {
                AssetContents::BuiltIn(text) => Contents::Bytes(text.as_bytes().to_vec()),
                AssetContents::File(file) => Contents::Copy(file.path.clone()),
            })
        }
        Output::BundleFile(d, f) => {
            let document = &sources.edition().documents[*d];
            let file = &document.files[*f];
            r.note_all([ReadOf::BundleFile(&document.id, &file.name)]);
            Ok(Contents::Copy(file.file.path.clone()))
        }
        Output::Derivative(d, f, size) => {
            let document = &sources.edition().documents[*d];
            let file = &document.files[*f];
            r.note_all([ReadOf::BundleFile(&document.id, &file.name)]);
            Ok(Contents::Derive(Derivative {
                source: file.file.path.clone(),
                size: facsimile::derivative_size(file, *size).expect("listed for images"),
            }))
        }
        Output::Manifest(d) => Ok(Contents::Bytes(facsimile::manifest(r, *d))),
        Output::SearchTerms(name) => {
            let name = sources.term_name(name).expect("listed from the term files");
            let text = r.term_file(name).expect("listed from the term files");
            Ok(Contents::Bytes(text.as_bytes().to_vec()))
        }
        Output::SearchCatalogue => Ok(Contents::Bytes(search::catalogue(r, r.term_file_count()))),
        Output::SearchDocument(d) => Ok(Contents::Bytes(search::document(r, *d))),
        Output::DocumentData(d) => Ok(Contents::Bytes(data::document(r, *d))),
        Output::DocumentTei(d) => {
            let here = data::document_file(&r.document(*d).id, "xml");
            Ok(Contents::Bytes(tei_document(r, *d, &here).into_bytes()))
        }
        Output::EditionTei => Ok(Contents::Assemble(tei_corpus(r, sources))),
        Output::CitationFile(d, format) => Ok(Contents::Bytes(citation_file(r, *d, *format))),
        Output::Catalogue => Ok(Contents::Bytes(data::catalogue(r))),
        Output::RegisterData(kind) => Ok(Contents::Bytes(data::register(r, *kind))),
        Output::Sitemap => Ok(Contents::Bytes(feeds::sitemap(
            r,
            sources,
            &site_pages(r, sources),
        ))),
        Output::SitemapPart(n) => Ok(Contents::Bytes(feeds::sitemap_part_file(
            r,
            sources,
            &site_pages(r, sources),
            *n,
        ))),
        Output::Feed => Ok(Contents::Bytes(feeds::feed(r))),
    }
}

/// The whole edition in one TEI file.
const EDITION_TEI: &str = "data/edition.xml";

/// A document in TEI, for the file at `here`.
fn tei_document(r: &Reader, doc: usize, here: &str) -> String {
    let document = r.document(doc);
    let annotated = r.annotation(doc);
    let config = r.settings();
    let links = r.links();
    let registers = r.registers_of(doc);
    let named = r.named(doc);
    let roles: BTreeMap<String, Vec<crate::model::DocumentRole>> = r
        .roles(doc)
        .into_iter()
        .map(|(id, roles)| (id.to_string(), roles))
        .collect();
    for tag in &document.meta.tags {
        r.tag_name(tag);
    }
    let url = links.public(&document_address(&document.id));
    let link = |to: &str| links.for_machines(here, to);
    let entry_url = |entity: &EntityRef| link(&entity_address(entity));
    let folder = document_address(&document.id);
    let facsimile = |label: &str| {
        document
            .facsimile(label)
            .map(|file| link(&format!("{folder}{file}")))
    };
    let surfaces: Vec<tei::Surface> = facsimile::pages(document, annotated)
        .into_iter()
        .filter_map(|page| {
            let file = page.file?;
            let size = file.image?.size;
            let web = facsimile::derivative_size(file, facsimile::Size::Web)?;
            let path = |to: &str| link(&facsimile::encoded_path(to));
            Some(tei::Surface {
                label: page.label.to_string(),
                url: path(&format!("{folder}{}", file.name)),
                width: size.width,
                height: size.height,
                media_type: facsimile::media_type(&file.name),
                web: (
                    path(&facsimile::derivative_path(
                        document,
                        file,
                        facsimile::Size::Web,
                    )?),
                    web.width,
                    web.height,
                ),
            })
        })
        .collect();
    tei::document(&tei::TeiInput {
        document,
        annotated,
        registers,
        site: config,
        roles: &roles,
        named,
        url: url.as_deref(),
        entry_url: &entry_url,
        facsimile: &facsimile,
        surfaces: &surfaces,
    })
}

/// `data/edition.xml`: every document by date in one `teiCorpus`, with one
/// `standOff` of every entry they name, put together by `write` from the
/// documents' own TEI files (whose links, one folder down from the site's root as
/// this file is, lead to the same places from here). It reads what they read: every
/// document and the registers and settings.
fn tei_corpus(r: &Reader, sources: &Sources) -> Assembly {
    let documents = r.all_documents();
    r.note_all(EntityKind::ALL.map(ReadOf::Register));
    let mut named: Vec<&EntityRef> = documents.iter().flat_map(|(_, n)| *n).collect();
    named.sort();
    named.dedup();
    let named: Vec<EntityRef> = named.into_iter().cloned().collect();
    let parts = documents
        .iter()
        .map(|(d, _)| data::document_file(&d.id, "xml"))
        .collect();
    let config = r.settings();
    let links = r.links();
    let entry_url = |entity: &EntityRef| links.for_machines(EDITION_TEI, &entity_address(entity));
    let registers = &sources.edition().registers;
    let whole = tei::corpus(config, registers, &named, &entry_url, std::iter::empty());
    let (head, tail) = whole
        .rsplit_once("</teiCorpus>")
        .expect("the corpus closes");
    let (skip, until, close) = tei::CORPUS_MEMBER;
    Assembly {
        head: head.as_bytes().to_vec(),
        parts,
        skip,
        until,
        close,
        tail: format!("</teiCorpus>{tail}").into_bytes(),
    }
}

/// The forms of a citation reference managers import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CitationFormat {
    BibTex,
    Ris,
    CslJson,
}

impl CitationFormat {
    const ALL: [CitationFormat; 3] = [
        CitationFormat::BibTex,
        CitationFormat::Ris,
        CitationFormat::CslJson,
    ];

    fn extension(self) -> &'static str {
        match self {
            CitationFormat::BibTex => "bib",
            CitationFormat::Ris => "ris",
            CitationFormat::CslJson => "csl.json",
        }
    }
}

/// A document's citation as a file, with the page's address when the edition has a
/// public one.
fn citation_file(r: &Reader, doc: usize, format: CitationFormat) -> Vec<u8> {
    let id = &r.document(doc).id;
    let url = r.links().public(&document_address(id));
    let reference = r.reference(doc, url.as_deref());
    match format {
        CitationFormat::BibTex => reference.bibtex(id).into_bytes(),
        CitationFormat::Ris => reference.ris().into_bytes(),
        CitationFormat::CslJson => {
            let mut bytes =
                serde_json::to_vec_pretty(&reference.csl_json(id)).expect("CSL-JSON serialises");
            bytes.push(b'\n');
            bytes
        }
    }
}

/// Every page of the site, noting what decides which pages there are: the
/// documents, the registers' entries, the tags and the settings (free pages, search).
fn site_pages<'a>(r: &Reader<'_, 'a>, sources: &Sources<'a>) -> Vec<PageId> {
    r.note_all([
        ReadOf::Chronology,
        ReadOf::Register(EntityKind::Person),
        ReadOf::Register(EntityKind::Event),
        ReadOf::Register(EntityKind::Place),
        ReadOf::Register(EntityKind::Term),
        ReadOf::Tags,
        ReadOf::Settings,
        ReadOf::EntryPages,
    ]);
    all_pages(sources.edition(), sources.index())
}

fn render_page<'a>(
    page: &PageId,
    r: &Reader<'_, 'a>,
    renderer: &Renderer,
    sources: &Sources<'a>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let address = page.address();
    let template = page.template();
    let edition = sources.edition();
    let position = |id: &str| sources.position(id).expect("listed from the edition");
    match page {
        PageId::NotFound => {
            renderer.page(r, &address, "Page not found", template, "missing", &(), 0)
        }
        PageId::Search => {
            let view = views::search(r, &address);
            renderer.page(r, &address, "Search", template, "search", &view, 0)
        }
        PageId::Home => {
            let view = views::home(r);
            let title = &r.settings().title;
            renderer.page(r, &address, title, template, "home", &view, 0)
        }
        PageId::Documents(page) => {
            let heading = "Documents by date";
            let count = r.document_count();
            let pager = paging::Pager::new(
                r.links(),
                &address,
                "documents/",
                *page,
                count,
                paging::DOCUMENTS_PER_PAGE,
                "Documents",
            );
            let docs = r.chronology_page(*page);
            let view = views::documents(r, &address, heading.into(), docs, count, pager);
            let large = LISTED_DOCUMENT * view.shown();
            renderer.page(r, &address, heading, template, "documents", &view, large)
        }
        PageId::Document(id) => {
            let i = position(id);
            let mut view = views::document(r, i, &address);
            for p in 0..view.parallels.len() {
                let html = renderer.partial(
                    "partials/rows.html",
                    &view.parallels[p].rows_partial(view.original_lang()),
                    views::rows_html,
                )?;
                view.parallels[p].rows_html = html;
            }
            let large = view.parallels.iter().map(|p| p.rows_html.len()).sum();
            let title = &r.document(i).meta.title;
            renderer.page(r, &address, title, template, "document", &view, large)
        }
        PageId::Source(id) => {
            let i = position(id);
            let view = views::source(r, i, &address)
                .map_err(|(file, why)| vec![Diagnostic::error(file, Position::START, why)])?;
            let title = format!("Source of {}", r.document(i).meta.title);
            let large = view.html_len();
            renderer.page(r, &address, &title, template, "source", &view, large)
        }
        PageId::FreePage(slug) => {
            let page = edition
                .pages
                .iter()
                .find(|p| &p.slug == slug)
                .expect("listed from the edition");
            let (title, view) =
                views::free_page(r, &page.slug, &address).expect("listed from the edition");
            renderer.page(r, &address, &title, template, "content", &view, 0)
        }
        PageId::Index(Section::Glossary, _) => {
            let view = views::glossary(r, &address);
            renderer.page(r, &address, "Glossary", template, "glossary", &view, 0)
        }
        PageId::Index(section, page) => {
            let view = match section {
                Section::People => views::people(r, &address, *page),
                Section::Events => views::events(r, &address, *page),
                Section::Places => views::places(r, &address, *page),
                _ => views::tags(r, &address, *page),
            };
            renderer.page(
                r,
                &address,
                section.heading(),
                template,
                "entries",
                &view,
                0,
            )
        }
        PageId::Entry(entity, page) => {
            let id = edition
                .registers
                .key_of(entity)
                .expect("listed from the registers");
            let mut view = views::entry(r, entity.kind, id, &address, *page)
                .expect("listed from the registers");
            if !view.documents.is_empty() {
                view.occurrences_html = renderer.partial(
                    "partials/occurrences.html",
                    &views::OccurrencesPartial {
                        documents: &view.documents,
                    },
                    views::occurrences_html,
                )?;
            }
            let large = view.occurrences_html.len();
            let title = view.name().to_string();
            renderer.page(r, &address, &title, template, "entry", &view, large)
        }
        PageId::Tag(tag, page) => {
            let (tag, _) = sources
                .index()
                .tags
                .get_key_value(tag)
                .expect("listed from the index");
            let per_page = paging::DOCUMENTS_PER_PAGE;
            let (docs, count) = r
                .tag_part(tag, paging::range(*page, usize::MAX, per_page))
                .expect("listed from the index");
            let pager = paging::Pager::new(
                r.links(),
                &address,
                &tag_address(tag),
                *page,
                count,
                per_page,
                "Documents",
            );
            let heading = format!("Documents tagged \u{201c}{}\u{201d}", r.tag_name(tag));
            let view = views::documents(r, &address, heading.clone(), docs, count, pager);
            let large = LISTED_DOCUMENT * view.shown();
            renderer.page(r, &address, &heading, template, "documents", &view, large)
        }
    }
}

/// About what a document takes in a list of documents (date, link, title, summary).
const LISTED_DOCUMENT: usize = 200;

#[cfg(test)]
mod tests {
    use super::{collision, sort_outputs, Output};

    fn listed(paths: &[&str]) -> Vec<(String, Output)> {
        let mut outputs = paths
            .iter()
            .map(|p| (p.to_string(), Output::Asset(p.to_string())))
            .collect();
        sort_outputs(&mut outputs);
        outputs
    }

    #[test]
    fn outputs_are_sorted_by_path_and_of_two_at_one_path_the_later_stays() {
        let mut outputs = vec![
            ("b".to_string(), Output::Feed),
            ("a".to_string(), Output::Sitemap),
            ("b".to_string(), Output::Catalogue),
            ("a/c".to_string(), Output::EditionTei),
        ];
        sort_outputs(&mut outputs);
        let paths: Vec<&str> = outputs.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["a", "a/c", "b"]);
        assert!(matches!(outputs[2].1, Output::Catalogue));
    }

    #[test]
    fn a_static_file_may_not_stand_on_a_page_on_its_folder_or_under_it() {
        let pages = listed(&["people/index.html", "people/kim/index.html", "search.html"]);
        let why = |path| collision(&pages, path).unwrap_or_default();
        assert!(why("people/index.html").contains("would overwrite a generated page"));
        assert!(why("people").contains("where the folder of generated pages `people/`"));
        assert!(why("search.html/x.css").contains("needs a folder `search.html/`"));
        assert!(collision(&pages, "people.css").is_none());
        assert!(collision(&pages, "peoplex/a").is_none());
    }

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
