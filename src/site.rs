//! The whole site in memory, kept up to date edit by edit.
//!
//! [`Site::load`] runs the pipeline once and keeps every stage's data: the loaded
//! edition, the annotated texts, the index, the compiled templates and the rendered
//! files. [`Site::update`] takes the files an editor changed and redoes only what
//! depends on them: an edited text is re-read and re-annotated alone, and only the
//! pages showing it are rendered again (its page, the index pages, the pages of the
//! entries it names, its tags, its neighbours when its title or date changed); a
//! template change renders the pages using it; a register change re-annotates the
//! texts but renders, besides the entries and indexes, only the documents whose
//! annotation changed. Anything else (site settings, a document added or removed) is
//! a full rebuild. Either way the result is the same as a full build's: tests check it.
//!
//! A failed update leaves the site as it was, so the last good site keeps being served.

use crate::annotate::{self, Annotated, Recognizer};
use crate::build::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::links::{document_address, Links};
use crate::model::{AnnotatedDocument, Edition, EntityRef, SiteIndex};
use crate::render::{self, fingerprint, OutputFile, PageId, Renderer, Sink, INDEXES};
use crate::{index, load, theme};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// The edition and everything made from it.
pub struct Site {
    options: BuildOptions,
    edition: Edition,
    recognizer: Recognizer,
    links: Links,
    annotated: Annotated,
    index: SiteIndex,
    renderer: Renderer,
    /// Output path → fingerprint of the contents: the site as last built (the files
    /// themselves went to the sink, so a large edition is never all in memory).
    files: BTreeMap<String, u64>,
    /// The warnings of the last build or update.
    pub warnings: Diagnostics,
}

/// What an update did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    /// Addresses of the pages rendered again.
    pub rendered: Vec<String>,
    /// Output files that are new or whose contents changed.
    pub changed: Vec<String>,
    /// Their new contents, to write.
    pub files: Vec<OutputFile>,
    /// Output files that no longer exist.
    pub removed: Vec<String>,
    /// Whether everything was rebuilt.
    pub full: bool,
}

/// What a changed file is, for the edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Document(String),
    Registers,
    Template(String),
    Asset,
    /// Site settings, free pages, anything else: rebuild everything.
    Everything,
}

impl Site {
    /// Builds the whole site, handing every file to `sink` as it is made.
    pub fn load(options: &BuildOptions, sink: &dyn Sink) -> Result<Site, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let site = Self::load_into(options, sink, &mut diagnostics);
        let diagnostics = diagnostics.sorted();
        match site {
            Some(mut site) if !diagnostics.has_errors() => {
                site.warnings = diagnostics;
                Ok(site)
            }
            _ => Err(diagnostics),
        }
    }

    fn load_into(
        options: &BuildOptions,
        sink: &dyn Sink,
        diagnostics: &mut Diagnostics,
    ) -> Option<Site> {
        let mut clock = StageClock::new();
        let mut edition = load::load(&options.root, diagnostics)?;
        clock.stage("load");
        // Two writer threads making folders side by side in `documents/` contend
        // for it (on ext4, 1.5 s more system time at 10,000 documents than one
        // thread): its folders are made now, by one thread, while the texts are
        // annotated.
        sink.prepare_folders(render::document_folders(&edition));
        if let Some(base_url) = &options.base_url {
            edition.config.base_url = base_url.clone();
        }
        let links = Links::new(&edition.config.base_url, options.relative);
        let recognizer = annotate::recognizer(&edition, diagnostics);
        let annotated = annotate::annotate_with(&edition, &recognizer, diagnostics);
        clock.stage("annotate");
        let site_index = index::index(&edition, &annotated);
        clock.stage("index");
        let renderer = Renderer::new(&options.root, links.clone())
            .map_err(|problems| diagnostics.extend(problems))
            .ok()?;
        if diagnostics.has_errors() {
            // Rendering pages of a broken edition would only add noise.
            return None;
        }
        let mut site = Site {
            options: options.clone(),
            edition,
            recognizer,
            links,
            annotated,
            index: site_index,
            renderer,
            files: BTreeMap::new(),
            warnings: Diagnostics::new(),
        };
        let pages = render::all_pages(&site.edition, &site.index);
        let written = render::render_into(
            &pages,
            &site.edition,
            &site.annotated,
            &site.index,
            &site.renderer,
            sink,
        )
        .map_err(|problems| diagnostics.extend(problems))
        .ok()?;
        clock.stage("render");
        let mut files: BTreeMap<String, u64> = written.into_iter().collect();
        let mut extra: Vec<OutputFile> = Vec::new();
        for document in &site.edition.documents {
            extra.extend(bundle_files(
                &options.root,
                &document.id,
                &document.files,
                diagnostics,
            ));
        }
        let assets = theme::assets(&options.root)
            .map_err(|problems| diagnostics.extend(problems))
            .ok()?;
        for (path, asset) in assets {
            if let Some(problem) = collision(&files, &path) {
                diagnostics.push(Diagnostic::error(
                    PathBuf::from(&asset.origin),
                    Position::START,
                    problem,
                ));
                continue;
            }
            extra.push(OutputFile {
                path,
                contents: asset.contents,
            });
        }
        for file in extra {
            files.insert(file.path.clone(), fingerprint(&file.contents));
            if let Err(problem) = sink.put(file) {
                diagnostics.push(problem);
            }
        }
        clock.stage("write");
        site.files = files;
        Some(site)
    }

    /// The site's files, by output path, with fingerprints of their contents.
    pub fn files(&self) -> &BTreeMap<String, u64> {
        &self.files
    }

    pub fn edition(&self) -> &Edition {
        &self.edition
    }

    /// Brings the site up to date after the editor changed `paths` (absolute, or
    /// relative to the edition root). On error, nothing changes.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<Update, Diagnostics> {
        let changes: BTreeSet<Change> = paths.iter().filter_map(|p| self.classify(p)).collect();
        if changes.is_empty() {
            return Ok(Update::default());
        }
        let known = |id: &str| self.edition.documents.iter().any(|d| d.id == id);
        let needs_everything = changes.iter().any(|c| match c {
            Change::Everything => true,
            // A document added or removed moves every list and neighbour: rebuild.
            Change::Document(id) => {
                !known(id)
                    || !self
                        .options
                        .root
                        .join("content/documents")
                        .join(id)
                        .is_dir()
            }
            _ => false,
        });
        if needs_everything {
            return self.rebuild_everything();
        }
        if !changes.contains(&Change::Registers) {
            return self.update_in_place(&changes);
        }
        let mut pages: BTreeSet<PageId> = BTreeSet::new();
        let mut next = self.snapshot();
        let mut diagnostics = Diagnostics::new();
        if changes.contains(&Change::Registers) {
            next.reload_registers(&self.options, &mut diagnostics, &mut pages)?;
        }
        for change in &changes {
            if let Change::Document(id) = change {
                next.reload_document(&self.options.root, id, &mut diagnostics, &mut pages);
            }
        }
        if changes.iter().any(|c| matches!(c, Change::Template(_))) {
            let renderer = Renderer::new(&self.options.root, self.links.clone())
                .map_err(|p| p.into_iter().collect::<Diagnostics>().sorted())?;
            next.renderer = Some(renderer);
            for change in &changes {
                if let Change::Template(name) = change {
                    pages.extend(pages_using(&next.edition, name));
                }
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics.sorted());
        }
        next.commit(self, pages, changes.contains(&Change::Asset), diagnostics)
    }

    /// Edits of documents, templates and assets: applied to the site in place (no
    /// copy of the edition), the index updated for the edited documents alone, and
    /// undone if rendering fails.
    fn update_in_place(&mut self, changes: &BTreeSet<Change>) -> Result<Update, Diagnostics> {
        let mut diagnostics = Diagnostics::new();
        let mut pages: BTreeSet<PageId> = BTreeSet::new();
        let renderer = if changes.iter().any(|c| matches!(c, Change::Template(_))) {
            let renderer = Renderer::new(&self.options.root, self.links.clone())
                .map_err(|p| p.into_iter().collect::<Diagnostics>().sorted())?;
            for change in changes {
                if let Change::Template(name) = change {
                    pages.extend(pages_using(&self.edition, name));
                }
            }
            Some(renderer)
        } else {
            None
        };
        // Read and annotate the edited documents; nothing changes yet.
        let mut edits = Vec::new();
        for change in changes {
            let Change::Document(id) = change else {
                continue;
            };
            let Some(position) = self.edition.documents.iter().position(|d| &d.id == id) else {
                continue;
            };
            let document = load::load_one_document(
                &self.options.root,
                id,
                &self.edition.registers,
                &mut diagnostics,
            );
            let Some(document) = document else { continue };
            let mut problems = Vec::new();
            let annotated = annotate::annotate_document(
                &document,
                &self.edition,
                &self.recognizer,
                &mut problems,
            );
            diagnostics.extend(problems);
            edits.push((position, document, annotated));
        }
        if diagnostics.has_errors() {
            return Err(diagnostics.sorted());
        }
        // Apply them, with what it takes to undo.
        let tags_before: Vec<String> = self.index.tags.keys().cloned().collect();
        let mut undo = Vec::new();
        let mut reloaded = Vec::new();
        for (position, document, annotated) in edits {
            let old_neighbours = self.index.neighbours[position];
            let moved = edit_pages(
                &self.edition.documents[position],
                &self.annotated.documents[position],
                &document,
                &annotated,
                &self.edition.registers,
                &mut pages,
            );
            reloaded.push(document.id.clone());
            let (old_document, old_annotated) = self.swap_document(position, document, annotated);
            if moved {
                let (a, b) = old_neighbours;
                let (c, d) = self.index.neighbours[position];
                for n in [a, b, c, d].into_iter().flatten() {
                    pages.insert(PageId::Document(self.edition.documents[n].id.clone()));
                }
            }
            undo.push((position, old_document, old_annotated));
        }
        let tags_changed = !self.index.tags.keys().eq(tags_before.iter());
        if tags_changed {
            pages.insert(PageId::Index("tags"));
        }
        let pages: Vec<PageId> = pages.into_iter().collect();
        let rendered = render::render_pages(
            &pages,
            &self.edition,
            &self.annotated,
            &self.index,
            renderer.as_ref().unwrap_or(&self.renderer),
        );
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(problems) => {
                for (position, document, annotated) in undo.into_iter().rev() {
                    self.swap_document(position, document, annotated);
                }
                diagnostics.extend(problems);
                return Err(diagnostics.sorted());
            }
        };
        if let Some(renderer) = renderer {
            self.renderer = renderer;
        }
        let update = self.absorb(
            &pages,
            rendered,
            changes.contains(&Change::Asset),
            &reloaded,
            tags_changed,
        )?;
        self.warnings = diagnostics.sorted();
        Ok(update)
    }

    /// Puts `document` (annotated) in place of the one at `position`, updating the
    /// index for it; returns the one it replaced (to undo with the same call).
    fn swap_document(
        &mut self,
        position: usize,
        document: crate::model::Document,
        annotated: AnnotatedDocument,
    ) -> (crate::model::Document, AnnotatedDocument) {
        let before = index::document_occurrences(&self.edition, &self.annotated, position);
        let old_document = std::mem::replace(&mut self.edition.documents[position], document);
        let old_annotated = std::mem::replace(&mut self.annotated.documents[position], annotated);
        let new_meta = &self.edition.documents[position].meta;
        let reordered =
            old_document.meta.date != new_meta.date || old_document.meta.tags != new_meta.tags;
        index::update_document(
            &mut self.index,
            &self.edition,
            &self.annotated,
            position,
            &before,
            reordered,
        );
        (old_document, old_annotated)
    }

    /// Takes rendered pages (and, if they changed, assets and the edited documents'
    /// bundle files) into the site's record of files; what changed, with contents.
    fn absorb(
        &mut self,
        pages: &[PageId],
        rendered: Vec<OutputFile>,
        assets_changed: bool,
        reloaded: &[String],
        pages_may_vanish: bool,
    ) -> Result<Update, Diagnostics> {
        let mut files = self.files.clone();
        let mut contents: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut keep = |file: OutputFile, files: &mut BTreeMap<String, u64>| {
            files.insert(file.path.clone(), fingerprint(&file.contents));
            contents.insert(file.path, file.contents);
        };
        for file in rendered {
            keep(file, &mut files);
        }
        // Pages that no longer exist (a tag no document has any more). Edits in place
        // add and remove no documents, so only tag pages can go.
        if pages_may_vanish {
            let existing: BTreeSet<String> = render::all_pages(&self.edition, &self.index)
                .iter()
                .map(|p| Links::file_of(&p.address()))
                .collect();
            files.retain(|path, _| !is_page_file(path) || existing.contains(path));
        }
        let mut problems = Diagnostics::new();
        if assets_changed {
            let assets = theme::assets(&self.options.root)
                .map_err(|p| p.into_iter().collect::<Diagnostics>().sorted())?;
            for (path, asset) in assets {
                keep(
                    OutputFile {
                        path,
                        contents: asset.contents,
                    },
                    &mut files,
                );
            }
        }
        for id in reloaded {
            let Some(document) = self.edition.documents.iter().find(|d| &d.id == id) else {
                continue;
            };
            let folder = document_address(id);
            files.retain(|path, _| !path.starts_with(&folder) || path.ends_with("index.html"));
            for file in bundle_files(&self.options.root, id, &document.files, &mut problems) {
                keep(file, &mut files);
            }
        }
        if problems.has_errors() {
            return Err(problems.sorted());
        }
        let changed: Vec<OutputFile> = contents
            .into_iter()
            .filter(|(path, c)| self.files.get(path) != Some(&fingerprint(c)))
            .map(|(path, contents)| OutputFile { path, contents })
            .collect();
        let addresses = pages.iter().map(PageId::address).collect();
        let update = diff(&self.files, &files, changed, addresses, false);
        self.files = files;
        Ok(update)
    }

    fn rebuild_everything(&mut self) -> Result<Update, Diagnostics> {
        let changed = ChangedOnly {
            before: &self.files,
            kept: Default::default(),
        };
        let fresh = Site::load(&self.options, &changed)?;
        let pages = render::all_pages(&fresh.edition, &fresh.index);
        let files = changed.kept.into_inner().expect("not poisoned");
        let addresses = pages.iter().map(PageId::address).collect();
        let update = diff(&self.files, &fresh.files, files, addresses, true);
        *self = fresh;
        Ok(update)
    }

    /// What a changed path means for the edition, if anything.
    fn classify(&self, path: &Path) -> Option<Change> {
        let root = &self.options.root;
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let relative = path
            .strip_prefix(root)
            .or_else(|_| path.strip_prefix(&canonical_root))
            .unwrap_or(path);
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        // Editors' backup and swap files are not the edition.
        let name = parts.last()?;
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            return None;
        }
        match parts
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["content", "documents", id, ..] => Some(Change::Document(id.to_string())),
            ["content", file] if REGISTERS.contains(file) => Some(Change::Registers),
            ["content", ..] => Some(Change::Everything),
            ["templates", rest @ ..] => Some(Change::Template(rest.join("/"))),
            ["static", ..] => Some(Change::Asset),
            _ => None,
        }
    }

    /// A copy of the parts an update may change, to work on until it succeeds.
    fn snapshot(&self) -> Next {
        Next {
            edition: self.edition.clone(),
            recognizer: None,
            annotated: self.annotated.clone(),
            renderer: None,
            moved: Vec::new(),
            reloaded: Vec::new(),
        }
    }
}

const REGISTERS: [&str; 4] = ["people.yaml", "events.yaml", "places.yaml", "glossary.yaml"];

/// The state an update builds before it replaces the site's.
struct Next {
    edition: Edition,
    recognizer: Option<Recognizer>,
    annotated: Annotated,
    renderer: Option<Renderer>,
    /// Documents whose title or date changed: their neighbours show them.
    moved: Vec<String>,
    /// Documents read again: their bundle files are read again too.
    reloaded: Vec<String>,
}

impl Next {
    /// Re-reads the registers and re-annotates every text against them; the pages
    /// to render: every entry, and the documents whose annotation changed.
    fn reload_registers(
        &mut self,
        options: &BuildOptions,
        diagnostics: &mut Diagnostics,
        pages: &mut BTreeSet<PageId>,
    ) -> Result<(), Diagnostics> {
        let fresh = load::load(&options.root, diagnostics);
        let Some(mut fresh) = fresh.filter(|_| !diagnostics.has_errors()) else {
            return Err(std::mem::take(diagnostics).sorted());
        };
        fresh.config = self.edition.config.clone();
        let recognizer = annotate::recognizer(&fresh, diagnostics);
        let annotated = annotate::annotate_with(&fresh, &recognizer, diagnostics);
        for (i, document) in fresh.documents.iter().enumerate() {
            let before = self.annotated.documents.get(i);
            let names_changed = self.names_changed(&fresh, &annotated.documents[i]);
            if before != Some(&annotated.documents[i]) || names_changed {
                pages.insert(PageId::Document(document.id.clone()));
            }
        }
        let all = render::all_pages(&fresh, &SiteIndex::default());
        pages.extend(all.into_iter().filter(|p| matches!(p, PageId::Entry(_))));
        pages.insert(PageId::Home);
        pages.extend(INDEXES.map(PageId::Index));
        self.edition.registers = fresh.registers;
        self.annotated = annotated;
        self.recognizer = Some(recognizer);
        Ok(())
    }

    /// Whether a register entry a document names (its card) is not what it was.
    fn names_changed(&self, fresh: &Edition, annotated: &AnnotatedDocument) -> bool {
        let named: BTreeSet<&EntityRef> = annotated
            .texts
            .iter()
            .chain([&annotated.headnote])
            .flat_map(|t| t.mentions.iter().map(|m| &m.entity))
            .collect();
        named
            .iter()
            .any(|e| self.edition.registers.card(e) != fresh.registers.card(e))
    }

    /// Re-reads one document and re-annotates it alone.
    fn reload_document(
        &mut self,
        root: &Path,
        id: &str,
        diagnostics: &mut Diagnostics,
        pages: &mut BTreeSet<PageId>,
    ) {
        let Some(position) = self.edition.documents.iter().position(|d| d.id == id) else {
            return;
        };
        let Some(document) =
            load::load_one_document(root, id, &self.edition.registers, diagnostics)
        else {
            return;
        };
        let mut problems = Vec::new();
        let recognizer = match &self.recognizer {
            Some(r) => r.clone(),
            None => annotate::recognizer(&self.edition, &mut Diagnostics::new()),
        };
        let annotated =
            annotate::annotate_document(&document, &self.edition, &recognizer, &mut problems);
        diagnostics.extend(problems);
        self.recognizer = Some(recognizer);
        let old = &self.edition.documents[position];
        let moved = edit_pages(
            old,
            &self.annotated.documents[position],
            &document,
            &annotated,
            &self.edition.registers,
            pages,
        );
        if moved {
            // Neighbours show its title and date; a new date may change them.
            self.moved.push(id.to_string());
        }
        self.reloaded.push(id.to_string());
        self.edition.documents[position] = document;
        self.annotated.documents[position] = annotated;
    }

    /// Indexes again, renders the pages, and replaces the site's state.
    fn commit(
        self,
        site: &mut Site,
        mut pages: BTreeSet<PageId>,
        assets_changed: bool,
        diagnostics: Diagnostics,
    ) -> Result<Update, Diagnostics> {
        let new_index = index::index(&self.edition, &self.annotated);
        // Neighbours: the documents before and after, by the old order and the new.
        for id in &self.moved {
            if let Some(i) = self.edition.documents.iter().position(|d| &d.id == id) {
                let around = [site.index.neighbours.get(i), new_index.neighbours.get(i)];
                for (before, after) in around.into_iter().flatten() {
                    for n in [before, after].into_iter().flatten() {
                        pages.insert(PageId::Document(self.edition.documents[*n].id.clone()));
                    }
                }
            }
        }
        if !new_index.tags.keys().eq(site.index.tags.keys()) {
            pages.insert(PageId::Index("tags"));
        }
        let renderer = self.renderer.as_ref().unwrap_or(&site.renderer);
        let pages: Vec<PageId> = pages.into_iter().collect();
        let rendered =
            render::render_pages(&pages, &self.edition, &self.annotated, &new_index, renderer)
                .map_err(|problems| {
                    let mut d = diagnostics.clone();
                    d.extend(problems);
                    d.sorted()
                })?;
        site.edition = self.edition;
        if let Some(r) = self.recognizer {
            site.recognizer = r;
        }
        site.annotated = self.annotated;
        site.index = new_index;
        if let Some(renderer) = self.renderer {
            site.renderer = renderer;
        }
        // Pages may vanish here (a register entry removed): look at them all.
        let update = site.absorb(&pages, rendered, assets_changed, &self.reloaded, true)?;
        site.warnings = diagnostics.sorted();
        Ok(update)
    }
}

/// With `DOSSIER_TIMINGS` set, the time each stage of a full build took and the
/// memory in use after it (with the peak so far), on stderr: what the benchmark's
/// profile notes are made from.
struct StageClock(Option<(std::time::Instant, Option<CpuTime>)>);

impl StageClock {
    fn new() -> Self {
        Self(std::env::var_os("DOSSIER_TIMINGS").map(|_| (std::time::Instant::now(), cpu_time())))
    }

    fn stage(&mut self, name: &str) {
        if let Some((started, cpu)) = self.0 {
            let now = cpu_time();
            // CPU beside wall time shows how well a stage uses the cores.
            let cpu_spent = match (cpu, now) {
                (Some(before), Some(after)) => format!(
                    " (CPU: {} ms user, {} ms system)",
                    after.user_ms - before.user_ms,
                    after.system_ms - before.system_ms
                ),
                _ => String::new(),
            };
            crate::stderr_line!(
                "{name}: {} ms{cpu_spent}{}",
                started.elapsed().as_millis(),
                memory_in_use().unwrap_or_default()
            );
            self.0 = Some((std::time::Instant::now(), now));
        }
    }
}

#[derive(Clone, Copy)]
struct CpuTime {
    user_ms: u64,
    system_ms: u64,
}

/// The process's CPU time so far, from /proc (Linux only; clock ticks of 10 ms).
fn cpu_time() -> Option<CpuTime> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let mut tick = |n: usize| fields.nth(n)?.parse::<u64>().ok().map(|t| t * 10);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let user_ms = tick(11)?;
    let system_ms = tick(0)?;
    Some(CpuTime { user_ms, system_ms })
}

/// Resident and peak memory from /proc (Linux only).
fn memory_in_use() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix(" kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    Some(format!(
        ", {} MiB in use, peak {} MiB",
        field("VmRSS:")? / 1024,
        field("VmHWM:")? / 1024
    ))
}

/// The pages rendered with template `name` (all of them, for the base template or
/// any template pages do not use directly).
fn pages_using(edition: &Edition, name: &str) -> Vec<PageId> {
    let all = render::all_pages(edition, &SiteIndex::default());
    let direct: Vec<PageId> = all
        .iter()
        .filter(|p| p.template() == name)
        .cloned()
        .collect();
    if direct.is_empty() {
        all
    } else {
        direct
    }
}

/// The pages an edit of one document shows in: its page and source always; the
/// lists of documents if its metadata changed; the index pages if that or the set
/// of entries it names changed; and the pages of the entries it names before or
/// after the edit whose passages from it changed (all of them, if the metadata or
/// the set changed). Returns whether its title or date changed, so that its
/// neighbours show it differently too.
fn edit_pages(
    old: &crate::model::Document,
    old_annotated: &AnnotatedDocument,
    new: &crate::model::Document,
    new_annotated: &AnnotatedDocument,
    registers: &crate::model::Registers,
    pages: &mut BTreeSet<PageId>,
) -> bool {
    let id = &new.id;
    pages.insert(PageId::Document(id.clone()));
    pages.insert(PageId::Source(id.clone()));
    // Lists of documents (home, by date, tags, the chronology, every entry's list of
    // documents) show only the metadata.
    let metadata_changed = old.meta != new.meta;
    if metadata_changed {
        pages.insert(PageId::Home);
        pages.insert(PageId::Documents);
        for tag in old.meta.tags.iter().chain(&new.meta.tags) {
            pages.insert(PageId::Tag(tag.clone()));
        }
    }
    // Indexes count the documents that name each entry; entry pages show who is
    // named with whom. Both change only when the set of entries named does.
    let before = passages_by_entry(old, old_annotated, registers);
    let after = passages_by_entry(new, new_annotated, registers);
    let named_changed = !before.keys().eq(after.keys());
    if metadata_changed {
        pages.extend(INDEXES.map(PageId::Index));
    } else if named_changed {
        // The tags index counts documents by their tags: metadata only.
        pages.extend(
            INDEXES
                .into_iter()
                .filter(|&section| section != "tags")
                .map(PageId::Index),
        );
    }
    // Otherwise an entry's page changes only if its passages from this document do.
    for entity in before.keys().chain(after.keys()) {
        if entity.kind != crate::model::EntityKind::Term
            && (metadata_changed || named_changed || before.get(entity) != after.get(entity))
        {
            pages.insert(PageId::Entry(entity.clone()));
        }
    }
    old.meta.title != new.meta.title || old.meta.date != new.meta.date
}

/// A passage as an entry's page shows it.
#[derive(PartialEq)]
struct ShownPassage<'a> {
    in_headnote: bool,
    lang: &'a str,
    segment: usize,
    words: crate::model::InContext,
}

/// The entries a document names (as the index counts them), each with its passages
/// as entry pages show them.
fn passages_by_entry<'a>(
    document: &crate::model::Document,
    annotated: &'a AnnotatedDocument,
    registers: &crate::model::Registers,
) -> BTreeMap<EntityRef, Vec<ShownPassage<'a>>> {
    index::entries_named(document, annotated, registers)
        .into_iter()
        .map(|(entity, passages)| {
            let shown = passages
                .iter()
                .map(|p| {
                    let (text, m) = p.resolve(annotated);
                    ShownPassage {
                        in_headnote: p.in_headnote,
                        lang: &text.lang,
                        segment: m.segment,
                        words: text.in_context(p.mention),
                    }
                })
                .collect();
            (entity, shown)
        })
        .collect()
}

/// Why a file of the edition's `static/` cannot go to `path` beside the generated
/// pages, if it cannot: it is a page, it stands where a folder of pages is (a file
/// `static/people`), or a page stands where one of its folders would be.
fn collision(pages: &BTreeMap<String, u64>, path: &str) -> Option<String> {
    if pages.contains_key(path) {
        return Some(format!(
            "`{path}` would overwrite a generated page: rename the file"
        ));
    }
    let folder = format!("{path}/");
    if let Some((page, _)) = pages.range(folder.clone()..).next() {
        if page.starts_with(&folder) {
            return Some(format!(
                "`{path}` would stand where the folder of generated pages `{folder}` is \
                 (for `{page}`): rename the file"
            ));
        }
    }
    let mut prefix = path;
    while let Some((parent, _)) = prefix.rsplit_once('/') {
        if pages.contains_key(parent) {
            return Some(format!(
                "`{path}` needs a folder `{parent}/` where a generated page is: rename it"
            ));
        }
        prefix = parent;
    }
    None
}

/// Whether an output path is a page dossier renders (not an asset an editor added).
fn is_page_file(path: &str) -> bool {
    path.ends_with("index.html")
}

/// The files of a document's bundle (facsimiles), for the output.
fn bundle_files(
    root: &Path,
    id: &str,
    names: &[String],
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for name in names {
        let path = root.join("content/documents").join(id).join(name);
        match std::fs::read(&path) {
            Ok(contents) => files.push(OutputFile {
                path: format!("{}{name}", document_address(id)),
                contents,
            }),
            Err(e) => diagnostics.push(Diagnostic::error(
                path,
                Position::START,
                format!("cannot read: {e}"),
            )),
        }
    }
    files
}

/// What differs between two versions of the site's files; `files` are the changed
/// ones' contents.
fn diff(
    old: &BTreeMap<String, u64>,
    new: &BTreeMap<String, u64>,
    files: Vec<OutputFile>,
    rendered: Vec<String>,
    full: bool,
) -> Update {
    Update {
        rendered,
        changed: new
            .iter()
            .filter(|(path, hash)| old.get(*path) != Some(hash))
            .map(|(path, _)| path.clone())
            .collect(),
        files,
        removed: old
            .keys()
            .filter(|p| !new.contains_key(*p))
            .cloned()
            .collect(),
        full,
    }
}

/// Keeps, of a full rebuild's files, only those that differ from before.
struct ChangedOnly<'a> {
    before: &'a BTreeMap<String, u64>,
    kept: std::sync::Mutex<Vec<OutputFile>>,
}

impl Sink for ChangedOnly<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if self.before.get(&file.path) != Some(&fingerprint(&file.contents)) {
            self.kept.lock().expect("not poisoned").push(file);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_static_file_may_not_stand_where_pages_or_their_folders_are() {
        let pages: BTreeMap<String, u64> =
            ["index.html", "people/index.html", "people/mao/index.html"]
                .into_iter()
                .map(|p| (p.to_string(), 0))
                .collect();
        assert!(collision(&pages, "style.css").is_none());
        assert!(collision(&pages, "peoples.txt").is_none());
        assert!(collision(&pages, "people/index.html")
            .unwrap()
            .contains("overwrite"));
        assert!(collision(&pages, "people").unwrap().contains("`people/`"));
        assert!(collision(&pages, "people/mao")
            .unwrap()
            .contains("`people/mao/`"));
        assert!(collision(&pages, "index.html/x.png")
            .unwrap()
            .contains("`index.html/`"));
    }
}
