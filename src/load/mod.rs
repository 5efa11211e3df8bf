//! Stage 1, load: read an edition from disk into an [`Edition`].
//!
//! Looks at the files through [`files::EditionFiles`] (one rule for symbolic links,
//! and a stamp per file), parses YAML (site settings, registers, front matter) into
//! the typed model, and keeps each text's Markdown as it is for `annotate`. Of each
//! image of a bundle it reads the size (from the header) and the hash of the bytes,
//! after which `render` names the image's copies. Every problem is collected with
//! its file, line and column; loading goes on past a bad file so that one build
//! reports them all.
//!
//! A [`Loader`] remembers the edition part by part (the settings, the registers,
//! each document bundle, the free pages, the theme): loading again after the editor
//! changed some files re-reads only the parts those files belong to, and hands the
//! rest on as they were (shared, not copied).
//!
//! Public for the benchmarks and tests that load an edition without building it, and
//! for [`Changed`], by which a caller of the pipeline says what changed.
//!
//! Not here: anything that needs to understand the Markdown (that is `annotate`), or
//! cross-checks between registers and texts.

pub(crate) mod files;
mod front_matter;
mod registers;
mod theme;
mod yaml;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::fingerprint::Fingerprinter;
use crate::model::{
    BundleFile, Document, DocumentMeta, Edition, EntityKind, Page, Placement, Registers,
    SiteConfig, Source, StoredFile, Text, Theme,
};
use files::EditionFiles;
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Texts larger than this are refused rather than read: no documentary text is this
/// long, and a file this big is almost certainly a mistake (a scan saved as `.md`).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads the edition at `root` once. Problems go to `diagnostics`; `None` means
/// nothing usable could be read at all (no `content/site.yaml`).
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<Edition> {
    Loader::new(root).load(&Changed::Everything, diagnostics)
}

/// Reads only the site settings (`content/site.yaml`).
pub fn load_site_settings(root: &Path, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    let files = match EditionFiles::scan(root) {
        Ok(files) => files,
        Err(e) => {
            diagnostics.error(
                root,
                Position::START,
                format!("cannot read the edition: {e}"),
            );
            return None;
        }
    };
    load_site_config(&Files { files: &files }, diagnostics)
}

/// What changed since the last load.
#[derive(Debug, Clone)]
pub enum Changed {
    /// Look at every file again.
    Everything,
    /// The watcher saw these paths change (absolute, or relative to the root):
    /// they, and what is below them, are looked at again.
    Paths(Vec<PathBuf>),
}

/// An edition as last loaded, part by part.
pub struct Loader {
    root: PathBuf,
    files: Option<EditionFiles>,
    config: Part<Option<Arc<SiteConfig>>>,
    registers: Part<Arc<Registers>>,
    documents: BTreeMap<String, Bundle>,
    pages: Part<Arc<Vec<Page>>>,
    theme: Part<Arc<Theme>>,
}

/// A part of the edition with the problems found reading it.
#[derive(Default)]
struct Part<T> {
    value: T,
    problems: Vec<Diagnostic>,
}

/// A document bundle: what was read, the problems reading it, and those found
/// checking it against the registers (found again when they change).
struct Bundle {
    document: Option<Arc<Document>>,
    problems: Vec<Diagnostic>,
    checked: Vec<Diagnostic>,
}

/// The parts of an edition a changed path belongs to.
#[derive(Default, Debug, PartialEq, Eq)]
struct Dirty {
    config: bool,
    registers: bool,
    pages: bool,
    theme: bool,
    /// Every bundle (a first load, the documents folder itself changed).
    all_documents: bool,
    documents: BTreeSet<String>,
}

impl Dirty {
    fn everything() -> Self {
        Dirty {
            config: true,
            registers: true,
            pages: true,
            theme: true,
            all_documents: true,
            documents: BTreeSet::new(),
        }
    }

    fn of(changed: &BTreeSet<String>) -> Self {
        let mut dirty = Dirty::default();
        for path in changed {
            let parts: Vec<&str> = path.split('/').collect();
            match parts.as_slice() {
                ["content", "site.yaml"] => dirty.config = true,
                ["content", file] if REGISTER_FILES.contains(file) => dirty.registers = true,
                ["content", "documents"] => dirty.all_documents = true,
                ["content", "documents", id, ..] => {
                    dirty.documents.insert(id.to_string());
                }
                ["content", "pages", ..] => dirty.pages = true,
                ["content"] => return Dirty::everything(),
                ["templates" | "static", ..] => dirty.theme = true,
                _ => {}
            }
        }
        dirty
    }
}

const REGISTER_FILES: [&str; 4] = ["people.yaml", "events.yaml", "places.yaml", "glossary.yaml"];

impl Loader {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            files: None,
            config: Part::default(),
            registers: Part::default(),
            documents: BTreeMap::new(),
            pages: Part::default(),
            theme: Part::default(),
        }
    }

    /// Loads the edition, reading again only what `changed` touched (everything, the
    /// first time). Problems go to `diagnostics`; `None` means nothing usable could
    /// be read (no `content/site.yaml`).
    pub fn load(&mut self, changed: &Changed, diagnostics: &mut Diagnostics) -> Option<Edition> {
        let dirty = match (&mut self.files, changed) {
            (None, _) => match EditionFiles::scan(&self.root) {
                Ok(files) => {
                    self.files = Some(files);
                    Dirty::everything()
                }
                Err(e) => {
                    diagnostics.error(
                        &self.root,
                        Position::START,
                        format!("cannot read the edition's folder: {e}"),
                    );
                    return None;
                }
            },
            (Some(files), Changed::Everything) => Dirty::of(&files.rescan_all()),
            (Some(files), Changed::Paths(paths)) => Dirty::of(&files.rescan(paths)),
        };
        let files = Files {
            files: self.files.as_ref().expect("scanned above"),
        };
        if dirty.config {
            let mut problems = Diagnostics::new();
            let config = load_site_config(&files, &mut problems).map(Arc::new);
            self.config = Part {
                value: config,
                problems: problems.into_iter().collect(),
            };
        }
        if dirty.registers {
            let mut problems = Diagnostics::new();
            let mut registers = registers::load_registers(&files, &mut problems);
            registers.seal();
            self.registers = Part {
                value: Arc::new(registers),
                problems: problems.into_iter().collect(),
            };
        }
        load_documents(&mut self.documents, &self.registers.value, &files, &dirty);
        if dirty.pages {
            let mut problems = Diagnostics::new();
            let pages = load_pages(&files, &mut problems);
            self.pages = Part {
                value: Arc::new(pages),
                problems: problems.into_iter().collect(),
            };
        }
        if dirty.theme {
            let mut problems = Vec::new();
            let theme = theme::load(&files, &mut problems);
            self.theme = Part {
                value: Arc::new(theme),
                problems,
            };
        }
        for (path, problem) in files.files.problems() {
            diagnostics.error(&files.shown(path), Position::START, problem);
        }
        diagnostics.extend(self.config.problems.iter().cloned());
        let config = self.config.value.clone()?;
        diagnostics.extend(self.registers.problems.iter().cloned());
        for bundle in self.documents.values() {
            diagnostics.extend(bundle.problems.iter().cloned());
            diagnostics.extend(bundle.checked.iter().cloned());
        }
        diagnostics.extend(self.pages.problems.iter().cloned());
        diagnostics.extend(self.theme.problems.iter().cloned());
        Some(Edition {
            root: self.root.clone(),
            config,
            registers: Arc::clone(&self.registers.value),
            documents: self
                .documents
                .values()
                .filter_map(|b| b.document.clone())
                .collect(),
            pages: Arc::clone(&self.pages.value),
            theme: Arc::clone(&self.theme.value),
        })
    }
}

/// Reads the bundles that changed (all, the first time) and checks them against the
/// registers (all of them, if the registers changed).
fn load_documents(
    documents: &mut BTreeMap<String, Bundle>,
    registers: &Registers,
    files: &Files,
    dirty: &Dirty,
) {
    {
        let folder = Path::new("content/documents");
        let ids: Vec<String> = if dirty.all_documents {
            let listed: BTreeSet<String> = files
                .files
                .children(folder)
                .map(|(name, _)| name.to_string())
                .collect();
            documents.retain(|id, _| listed.contains(id));
            listed.into_iter().collect()
        } else {
            dirty.documents.iter().cloned().collect()
        };
        let read_all = || -> Vec<(String, Option<Bundle>)> {
            ids.par_iter()
                .map(|id| {
                    let previous = documents.get(id).and_then(|b| b.document.as_deref());
                    (
                        id.clone(),
                        read_bundle(files, folder, id, registers, previous),
                    )
                })
                .collect()
        };
        // Three small files a document: when they are not in the page cache (a first
        // build, a machine that dropped it), reading them waits on the disk far more
        // than it computes, and more reads in flight than cores cut a cold load of
        // 10,000 documents from ~2.9 s to ~2 s here.
        let read = if ids.len() > 64 {
            match rayon::ThreadPoolBuilder::new()
                .num_threads(4 * rayon::current_num_threads())
                .build()
            {
                Ok(readers) => readers.install(read_all),
                Err(_) => read_all(),
            }
        } else {
            read_all()
        };
        for (id, bundle) in read {
            match bundle {
                Some(bundle) => {
                    documents.insert(id, bundle);
                }
                None => {
                    documents.remove(&id);
                }
            }
        }
        if dirty.registers {
            documents.par_iter_mut().for_each(|(_, bundle)| {
                if let Some(document) = &bundle.document {
                    bundle.checked = check_document(document, files, registers);
                }
            });
        }
    }
}

/// Reads the entry `id` of `content/documents/`: a bundle, or a problem; `None` if it
/// is no longer there. `previous`: the bundle as last read, whose images are not
/// read again if their files did not change.
fn read_bundle(
    files: &Files,
    folder: &Path,
    id: &str,
    registers: &Registers,
    previous: Option<&Document>,
) -> Option<Bundle> {
    let relative = folder.join(id);
    let entry = files.files.get(&relative)?;
    let mut problems = Diagnostics::new();
    if !entry.is_folder {
        problems.warning(
            &files.shown(&relative),
            Position::START,
            "ignored: a document is a folder (content/documents/<id>/ with index.md and one <lang>.md per text)",
        );
        return Some(Bundle {
            document: None,
            problems: problems.into_iter().collect(),
            checked: Vec::new(),
        });
    }
    let document = load_document(files, &relative, previous, &mut problems).map(Arc::new);
    let checked = document
        .as_ref()
        .map(|d| check_document(d, files, registers))
        .unwrap_or_default();
    Some(Bundle {
        document,
        problems: problems.into_iter().collect(),
        checked,
    })
}

/// The headnote `dossier new` writes, for the editor to replace.
pub(crate) const PLACEHOLDER_HEADNOTE: &str =
    "The editor's headnote: what the document is, and the state of its text.";

/// `text` with U+0000 replaced by U+FFFD, as CommonMark asks of Markdown: HTML has no
/// place for it (a parser reports it and drops it), and in YAML it is no character.
/// Lines and columns stay as they were.
/// Where `text` holds a control character (U+0000 to U+001F but tab and line
/// breaks, U+007F, U+0080 to U+009F), and what to say: none belongs in a text,
/// HTML cannot hold most of them, and they come from a bad export or a binary file
/// named like a text. The first is placed; how many more there are is said.
fn control_characters(text: &str) -> Option<(Position, String)> {
    let is_control = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || ('\u{7f}'..='\u{9f}').contains(&c)
    };
    // Most texts hold none: look at the bytes first (a C1 control is 0xC2 then
    // 0x80-0x9F in UTF-8).
    let bytes = text.as_bytes();
    let suspect = bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2);
    if !suspect {
        return None;
    }
    let mut found = text.char_indices().filter(|&(_, c)| is_control(c));
    let (at, first) = found.next()?;
    let more = found.count();
    let others = match more {
        0 => String::new(),
        1 => " (and 1 more in the file)".to_string(),
        n => format!(" (and {n} more in the file)"),
    };
    Some((
        Position::of_offset(text, at),
        format!(
            "control character U+{:04X} in the text{others}: remove it (texts hold no control \
             characters but tabs and line breaks; a binary file or a bad export may have put it here)",
            first as u32
        ),
    ))
}

/// The longest id: ids name files (`documents/<id>.csl.json`), which file systems
/// cut at 255 bytes; no edition needs more.
pub const MAX_ID: usize = 100;

/// Whether `id` is a valid document, page or register id: `[a-z0-9-]+`, at most
/// [`MAX_ID`] characters. Ids become
/// parts of addresses and file names, so nothing else (no `..`, `/`, capitals) is let
/// through.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The edition's files as `load` reads them: each read is of a file the list holds
/// (so links are followed only as the list allows), and each is named in messages as
/// the editor would type it.
struct Files<'a> {
    files: &'a EditionFiles,
}

impl Files<'_> {
    /// The path as the editor would type it from where they ran dossier.
    fn shown(&self, relative: &Path) -> PathBuf {
        let root = self.files.root();
        if root == Path::new(".") || root.as_os_str().is_empty() {
            relative.to_path_buf()
        } else {
            root.join(relative)
        }
    }

    /// Reads a UTF-8 text file, or says precisely why not. The size limit is checked
    /// on the open file, so a file costs one `open` and no separate `stat`.
    fn read(&self, relative: &Path) -> Result<String, Diagnostic> {
        use std::io::Read;
        let shown = self.shown(relative);
        let cannot = |e: std::io::Error| {
            Diagnostic::error(&shown, Position::START, format!("cannot read: {e}"))
        };
        let Some(entry) = self.files.get(relative).filter(|e| !e.is_folder) else {
            return Err(cannot(std::io::ErrorKind::NotFound.into()));
        };
        let mut file = std::fs::File::open(&entry.real).map_err(cannot)?;
        let size = file.metadata().map_err(cannot)?.len();
        if size > MAX_FILE_BYTES {
            return Err(Diagnostic::error(
                &shown,
                Position::START,
                format!(
                    "file is {} MiB, over the limit of {} MiB: split it or check that it is really a text",
                    size / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        }
        // As many bytes as the file held when asked, through `take`: one read, where
        // `File::read_to_end` would ask the file's size and position again and
        // read once more to find the end (three system calls more a file, 90,000
        // at 10,000 documents). A file saved meanwhile is read again by `serve`.
        let mut bytes = Vec::with_capacity(size as usize);
        (&mut file)
            .take(size)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            Diagnostic::error(
                &shown,
                Position::of_offset(&text, valid),
                "the file is not UTF-8: save it as UTF-8 (the first invalid byte is here)",
            )
        })?;
        match control_characters(&text) {
            None => Ok(text),
            Some(problem) => Err(Diagnostic::error(&shown, problem.0, problem.1)),
        }
    }

    fn exists(&self, relative: &Path) -> bool {
        self.files.is_file(relative)
    }

    /// A file published as it is.
    fn stored(&self, relative: &Path) -> Option<StoredFile> {
        let entry = self.files.get(relative)?;
        Some(StoredFile {
            path: entry.real.clone(),
            version: crate::fingerprint::of(&entry.stamp),
        })
    }
}

fn load_site_config(files: &Files, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    let relative = Path::new("content/site.yaml");
    if !files.exists(relative) {
        diagnostics.error(
            &files.shown(relative),
            Position::START,
            "no site settings: an edition needs content/site.yaml (run `dossier init` to create one)",
        );
        return None;
    }
    let shown = files.shown(relative);
    let text = files.read(relative).map_err(|d| diagnostics.push(d)).ok()?;
    let mut config: SiteConfig = yaml::parse(&text, &shown, 0)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    if let Ok(Some(all)) = serde_yaml::from_str::<Option<serde_yaml::Mapping>>(&text) {
        config.extra = unknown_keys(
            all,
            yaml::fields_of::<SiteConfig>(),
            &shown,
            |key| key_position(&text, key, 0),
            diagnostics,
        );
    }
    config.base_url_at = Some((shown.clone(), key_position(&text, "base_url", 0)));
    if let Some(problem) = crate::links::unsafe_link(&config.base_url) {
        // It begins every absolute address of the site (canonical links, the sitemap).
        diagnostics.error(
            &shown,
            key_position(&text, "base_url", 0),
            format!("base_url: {problem}"),
        );
        return None;
    }
    let options = key_position(&text, "options", 0);
    drop_values_templates_cannot_take(&mut config.options, &shown, |_| options, diagnostics);
    config.introduction_source = config.introduction.as_ref().map(|introduction| {
        Source::placed(
            shown.clone(),
            introduction.clone(),
            placement_of_value(&text, "introduction"),
        )
    });
    Some(config)
}

/// Where the text of the top-level `key`'s value is in `yaml`. A literal block
/// (`key: |`) keeps the file's lines, less their indentation; any other form of
/// value is rewritten by YAML (folded, unquoted, unescaped), so its text is placed
/// at the key.
fn placement_of_value(yaml: &str, key: &str) -> Placement {
    let at = key_position(yaml, key, 0);
    let mut lines = yaml.lines().skip(at.line - 1);
    let key_line = lines.next().unwrap_or("");
    let value = key_line
        .split_once(':')
        .map_or("", |(_, v)| v.split(" #").next().unwrap_or("").trim());
    if !value.starts_with('|') {
        return Placement::At(at);
    }
    let indent = lines
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
    Placement::Lines {
        line_offset: at.line,
        indent,
    }
}

/// Where the top-level `key` of `yaml` (which starts `line_offset` lines into its
/// file) is written; the start of the file if it cannot be told.
fn key_position(yaml: &str, key: &str, line_offset: usize) -> Position {
    registers::top_level_keys(yaml)
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or(Position::START, |(_, p)| p.below(line_offset))
}

/// The keys of `mapping` outside `known`, kept for templates (another edition's ids,
/// notes, provenance: an editor's own fields are not errors). A key a letter or two
/// from a known one ("aliasses") is most likely a slip, which would otherwise go
/// unnoticed: a warning names the key meant.
fn unknown_keys(
    mapping: serde_yaml::Mapping,
    known: &[&'static str],
    path: &Path,
    position_of: impl Fn(&str) -> Position,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, serde_yaml::Value> {
    let mut extra = BTreeMap::new();
    for (key, value) in mapping {
        let key = match key {
            serde_yaml::Value::String(key) => key,
            other => serde_yaml::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        };
        if known.contains(&key.as_str()) {
            continue;
        }
        if let Some(meant) = yaml::slip_for(&key, known) {
            diagnostics.warning(
                path,
                position_of(&key),
                format!(
                    "`{key}` is not a field dossier reads: did you mean `{meant}`? \
                     (kept for templates as `extra.{key}`)"
                ),
            );
        }
        extra.insert(key, value);
    }
    drop_values_templates_cannot_take(&mut extra, path, position_of, diagnostics);
    extra
}

/// Reports, and leaves out, the values of `values` (keys of their own that the
/// editor added, which templates are given as they are) holding a key templates
/// cannot take; rendering would otherwise stop on them.
fn drop_values_templates_cannot_take(
    values: &mut BTreeMap<String, serde_yaml::Value>,
    path: &Path,
    position_of: impl Fn(&str) -> Position,
    diagnostics: &mut Diagnostics,
) {
    values.retain(|key, value| {
        let Some(bad) = yaml::key_templates_cannot_take(value) else {
            return true;
        };
        diagnostics.error(
            path,
            position_of(key),
            format!(
                "`{key}`: templates cannot be given a key that is a list, a map, a fraction \
                 or empty (`{bad}`): write the key as text or a whole number"
            ),
        );
        false
    });
}

fn load_document(
    files: &Files,
    bundle: &Path,
    previous: Option<&Document>,
    diagnostics: &mut Diagnostics,
) -> Option<Document> {
    let id = bundle.file_name()?.to_string_lossy().into_owned();
    let index = bundle.join("index.md");
    let shown_index = files.shown(&index);
    if !is_valid_id(&id) {
        diagnostics.error(
            &files.shown(bundle),
            Position::START,
            format!("`{id}` is not a valid document id: rename the folder using lowercase letters, digits and hyphens only, at most 100 of them"),
        );
        return None;
    }
    let listing = BundleListing::read(files, bundle);
    if !listing.has_file("index.md") {
        diagnostics.error(
            &files.shown(bundle),
            Position::START,
            "no index.md: a document folder needs index.md with the document's metadata (title, date) as front matter",
        );
        return None;
    }
    let text = files.read(&index).map_err(|d| diagnostics.push(d)).ok()?;
    let (meta, headnote) = parse_front_matter::<DocumentMeta>(&text, &index, files, diagnostics)?;
    let meta = meta.or_else(|| {
        diagnostics.error(
            &shown_index,
            Position::START,
            "no front matter: start index.md with a `---` block giving at least `title` and `date`",
        );
        None
    })?;
    let texts = load_texts(files, bundle, &listing, diagnostics);
    let bundle_files: Vec<BundleFile> = listing
        .other_files()
        .into_iter()
        .filter_map(|name| {
            let relative = bundle.join(&name);
            let file = files.stored(&relative)?;
            // An image whose file did not change since the bundle was last read (a
            // text of it edited under `serve`) is not read again: hashing it reads
            // every byte.
            let unchanged = previous
                .and_then(|d| d.files.iter().find(|f| f.name == name && f.file == file))
                .and_then(|f| f.image);
            let image = if let Some(image) = unchanged {
                Some(image)
            } else if BundleFile::is_image_name(&name) {
                match read_image(&file.path) {
                    Ok(image) => Some(image),
                    Err(why) => {
                        diagnostics.error(
                            &files.shown(&relative),
                            Position::START,
                            format!("the image cannot be read ({why}): save it again as JPEG, PNG or WebP"),
                        );
                        None
                    }
                }
            } else {
                None
            };
            Some(BundleFile { name, file, image })
        })
        .collect();
    let yaml = front_matter::split(&text)
        .ok()
        .and_then(|s| s.yaml)
        .unwrap_or("");
    if let Some(problem) = meta
        .source_url
        .as_deref()
        .and_then(crate::links::unsafe_link)
    {
        diagnostics.error(
            &shown_index,
            key_position(yaml, "source_url", 1),
            format!("source_url: {problem}"),
        );
    }
    for (label, file) in &meta.facsimiles {
        if !bundle_files.iter().any(|f| &f.name == file) {
            diagnostics.error(
                &shown_index,
                registers::id_position(yaml, "facsimiles", file).below(1),
                format!("facsimiles: page {label} names `{file}`, which is not in the document's folder"),
            );
        }
    }
    if texts.is_empty() {
        diagnostics.error(
            &files.shown(bundle),
            Position::START,
            "no text: add one Markdown file per language, named by language code (e.g. ru.md, en.md)",
        );
    }
    // What `dossier new` writes, left as it was: the page would be published empty.
    for text in texts.iter().filter(|t| t.source.text.trim().is_empty()) {
        diagnostics.warning(
            &text.source.path,
            Position::START,
            format!(
                "the {} text is empty: write it here, or remove the file",
                text.lang
            ),
        );
    }
    if headnote.text.trim() == PLACEHOLDER_HEADNOTE {
        diagnostics.warning(
            &headnote.path,
            headnote.position(0),
            "the headnote is still the placeholder of `dossier new`: say what the document is and the state of its text",
        );
    }
    let mut fingerprint = Fingerprinter::new();
    fingerprint.add(&id).add(&text).add(&bundle_files);
    for t in &texts {
        fingerprint.add(&t.lang).add(&t.source.text);
    }
    let mut document = Document {
        id,
        meta,
        headnote,
        metadata_source: text,
        texts,
        files: bundle_files,
        fingerprint: fingerprint.finish(),
        released: None,
    };
    order_texts(&mut document);
    Some(document)
}

/// The problems of a document that depend on the registers: ids its front matter
/// lists that no register has.
fn check_document(document: &Document, files: &Files, registers: &Registers) -> Vec<Diagnostic> {
    let index = Path::new("content/documents")
        .join(&document.id)
        .join("index.md");
    let mut problems = Diagnostics::new();
    check_front_matter_ids(
        &document.meta,
        &document.metadata_source,
        &files.shown(&index),
        registers,
        &mut problems,
    );
    problems.into_iter().collect()
}

/// The register ids a document's front matter names must exist.
fn check_front_matter_ids(
    meta: &DocumentMeta,
    text: &str,
    shown: &Path,
    registers: &Registers,
    diagnostics: &mut Diagnostics,
) {
    let yaml = front_matter::split(text)
        .ok()
        .and_then(|s| s.yaml)
        .unwrap_or("");
    for (key, kind, ids) in [
        ("people", EntityKind::Person, &meta.people),
        ("events", EntityKind::Event, &meta.events),
        ("places", EntityKind::Place, &meta.places),
    ] {
        for id in ids.iter().filter(|id| !registers.accepts(kind, id)) {
            diagnostics.error(
                shown,
                registers::id_position(yaml, key, id).below(1),
                format!(
                    "{key}: unknown {kind} `{id}`: add it to {} or correct the id",
                    kind.register_file()
                ),
            );
        }
    }
    for (role, ids) in &meta.roles {
        for id in ids
            .iter()
            .filter(|id| !registers.accepts(EntityKind::Person, id))
        {
            diagnostics.error(
                shown,
                registers::id_position(yaml, "roles", id).below(1),
                format!(
                    "roles: {role}: unknown person `{id}`: add it to {} or correct the id",
                    EntityKind::Person.register_file()
                ),
            );
        }
    }
    for tag in meta.tags.iter().filter(|t| !is_valid_id(t)) {
        diagnostics.error(
            shown,
            registers::id_position(yaml, "tags", tag).below(1),
            format!("tag `{tag}` is not a valid tag: use lowercase letters, digits and hyphens, at most 100 of them (tags become addresses)"),
        );
    }
}

/// Parses front matter of type `T` and returns it with the body as a [`Source`].
/// `Some((None, body))`: the file has no front matter.
fn parse_front_matter<T: DeserializeOwned + WithExtra>(
    text: &str,
    relative: &Path,
    files: &Files,
    diagnostics: &mut Diagnostics,
) -> Option<(Option<T>, Source)> {
    let shown = files.shown(relative);
    let Ok(split) = front_matter::split(text) else {
        diagnostics.error(
            &shown,
            Position::START,
            "front matter is not closed: add a line `---` after the metadata",
        );
        return None;
    };
    let body = Source::lines(
        shown.clone(),
        split.body.to_string(),
        split.body_line_offset,
    );
    let Some(yaml_text) = split.yaml else {
        return Some((None, body));
    };
    let mut meta: T = yaml::parse(yaml_text, &shown, split.yaml_line_offset)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    // A second, untyped pass keeps the keys the typed one does not know: their types
    // are the editor's business, and the typed pass keeps exact error positions. Most
    // front matter has no such key, and then the second parse is skipped.
    if let Some(known) = T::KNOWN_KEYS {
        if may_have_unknown_keys(yaml_text, known) {
            if let Ok(Some(all)) = serde_yaml::from_str::<Option<serde_yaml::Mapping>>(yaml_text) {
                let extra = unknown_keys(
                    all,
                    known,
                    &shown,
                    |key| key_position(yaml_text, key, split.yaml_line_offset),
                    diagnostics,
                );
                meta.set_extra(extra);
            }
        }
    }
    Some((Some(meta), body))
}

/// Whether a YAML mapping may have a top-level key outside `known`. `key:` lines are
/// checked; anything unusual at the top level (quoted or complex keys, flow mappings,
/// anchors, directives) answers yes, so the full parse decides.
fn may_have_unknown_keys(yaml: &str, known: &[&str]) -> bool {
    for line in yaml.lines() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if first.is_whitespace() || first == '#' || first == '-' {
            // Nested values, comments, list items of the previous key. (A second
            // document after `---` fails the typed parse before this is asked.)
            continue;
        }
        // Known keys are plain words, so a quoted or complex key is not one of them.
        let Some((key, _)) = line.split_once(':') else {
            return true;
        };
        if !known.contains(&key) {
            return true;
        }
    }
    false
}

/// Front matter types; those with `KNOWN_KEYS` keep the keys they do not know.
trait WithExtra {
    /// The keys the type reads, if it keeps the others.
    const KNOWN_KEYS: Option<&'static [&'static str]> = None;
    fn set_extra(&mut self, _all: BTreeMap<String, serde_yaml::Value>) {}
}

impl WithExtra for DocumentMeta {
    const KNOWN_KEYS: Option<&'static [&'static str]> = Some(DocumentMeta::KNOWN_KEYS);
    fn set_extra(&mut self, extra: BTreeMap<String, serde_yaml::Value>) {
        self.extra = extra;
    }
}

macro_rules! keeps_extra {
    ($($entry:ty),*) => {$(
        impl WithExtra for $entry {
            fn set_extra(&mut self, extra: BTreeMap<String, serde_yaml::Value>) {
                self.extra = extra;
            }
        }
    )*};
}
keeps_extra!(
    crate::model::Person,
    crate::model::Event,
    crate::model::Place,
    crate::model::GlossaryTerm
);

/// The image at `path`: its size, from its header (the pixels are not decoded: the
/// images are made smaller by `write`, which decodes them only if it must), and the
/// hash of its bytes, read as a stream (a scan can be tens of megabytes).
fn read_image(path: &Path) -> Result<crate::model::Image, String> {
    use std::io::{Seek, SeekFrom};
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut reader = image::ImageReader::new(std::io::BufReader::new(&file));
    // The format its name says, unless its bytes say another: a message then says
    // what is wrong with it as that ("Invalid PNG signature").
    if let Ok(format) = image::ImageFormat::from_path(path) {
        reader.set_format(format);
    }
    let (width, height) = reader
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    if width == 0 || height == 0 {
        return Err("it has no pixels".into());
    }
    (&file)
        .seek(SeekFrom::Start(0))
        .map_err(|e| e.to_string())?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(&file).map_err(|e| e.to_string())?;
    Ok(crate::model::Image {
        size: crate::model::ImageSize { width, height },
        hash: *hasher.finalize().as_bytes(),
    })
}

/// The entries of a bundle folder, listed once and sorted by name: the texts, the
/// metadata and the other files (facsimiles) all come from this one listing.
struct BundleListing {
    /// File name and whether it is a file (not a folder).
    entries: Vec<(String, bool)>,
}

impl BundleListing {
    fn read(files: &Files, bundle: &Path) -> Self {
        Self {
            entries: files
                .files
                .children(bundle)
                .map(|(name, entry)| (name.to_string(), !entry.is_folder))
                .collect(),
        }
    }

    fn has_file(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|(n, is_file)| *is_file && n == name)
    }

    /// The files other than Markdown (facsimiles), by name. Folders are left out:
    /// only what the editor put there is published.
    fn other_files(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter(|(name, is_file)| *is_file && !name.ends_with(".md"))
            .map(|(name, _)| name.clone())
            .collect()
    }
}

/// The `<lang>.md` files of a bundle.
fn load_texts(
    files: &Files,
    bundle: &Path,
    listing: &BundleListing,
    diagnostics: &mut Diagnostics,
) -> Vec<Text> {
    let mut texts = Vec::new();
    for (name, is_file) in &listing.entries {
        let Some(lang) = name.strip_suffix(".md") else {
            continue;
        };
        if lang == "index" || !is_file {
            continue;
        }
        let relative = bundle.join(name);
        if !is_language_code(lang) {
            diagnostics.error(
                &files.shown(&relative),
                Position::START,
                format!("`{name}`: a text file is named by its language code (ru.md, en.md, zh-hant.md)"),
            );
            continue;
        }
        let Ok(text) = files.read(&relative).map_err(|d| diagnostics.push(d)) else {
            continue;
        };
        texts.push(Text {
            lang: lang.to_string(),
            source: Source::file(files.shown(&relative), text),
        });
    }
    texts
}

/// BCP 47-like codes as file names: `ru`, `en`, `zh-hant`, `de-ddr`.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| {
            !p.is_empty()
                && p.len() <= 8
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Original first, then the translations by language code.
fn order_texts(document: &mut Document) {
    let original = document.original_language().to_string();
    document
        .texts
        .sort_by(|a, b| (a.lang != original, &a.lang).cmp(&(b.lang != original, &b.lang)));
}

/// Front matter of a free page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageMeta {
    title: String,
    #[serde(default)]
    weight: i64,
}

impl WithExtra for PageMeta {}

fn load_pages(files: &Files, diagnostics: &mut Diagnostics) -> Vec<Page> {
    let folder = Path::new("content/pages");
    let mut pages = Vec::new();
    for (name, entry) in files.files.children(folder) {
        let Some(slug) = name.strip_suffix(".md") else {
            continue;
        };
        if entry.is_folder {
            continue;
        }
        let relative = folder.join(name);
        let shown = files.shown(&relative);
        if !is_valid_id(slug) || RESERVED_PAGE_SLUGS.contains(&slug) {
            diagnostics.error(
                &shown,
                Position::START,
                format!("`{slug}` cannot be a page address: use lowercase letters, digits and hyphens (at most 100), and none of {}", RESERVED_PAGE_SLUGS.join(", ")),
            );
            continue;
        }
        let Ok(text) = files.read(&relative).map_err(|d| diagnostics.push(d)) else {
            continue;
        };
        let Some((meta, body)) =
            parse_front_matter::<PageMeta>(&text, &relative, files, diagnostics)
        else {
            continue;
        };
        let Some(meta) = meta else {
            diagnostics.error(
                &shown,
                Position::START,
                "no front matter: start the page with a `---` block giving its `title`",
            );
            continue;
        };
        pages.push(Page {
            slug: slug.to_string(),
            title: meta.title,
            weight: meta.weight,
            body,
        });
    }
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    pages
}

/// Addresses the generator uses itself, which a free page may not take.
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "documents",
    "people",
    "events",
    "places",
    "glossary",
    "tags",
    "search",
    "static",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_the_limit_is_read_and_one_byte_more_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        let limit = MAX_FILE_BYTES as usize;
        std::fs::write(content.join("at.md"), "a".repeat(limit)).unwrap();
        std::fs::write(content.join("over.md"), "a".repeat(limit + 1)).unwrap();
        let scanned = EditionFiles::scan(dir.path()).unwrap();
        let files = Files { files: &scanned };
        assert_eq!(files.read(Path::new("content/at.md")).unwrap().len(), limit);
        let refused = files.read(Path::new("content/over.md")).unwrap_err();
        assert!(
            refused.message.contains("over the limit of 16 MiB"),
            "{refused}"
        );
    }

    #[test]
    fn paths_are_shown_as_typed_from_where_dossier_runs() {
        for (root, shown) in [
            (".", "content/site.yaml"),
            ("", "content/site.yaml"),
            ("edition", "edition/content/site.yaml"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(dir.path().join("content")).unwrap();
            let mut scanned = EditionFiles::scan(dir.path()).unwrap();
            scanned.set_root_for_messages(Path::new(root));
            let files = Files { files: &scanned };
            assert_eq!(
                files.shown(Path::new("content/site.yaml")),
                Path::new(shown)
            );
        }
    }

    #[test]
    fn a_changed_path_names_the_part_of_the_edition_to_read_again() {
        let of = |paths: &[&str]| Dirty::of(&paths.iter().map(|p| p.to_string()).collect());
        let only = |f: fn(&mut Dirty)| {
            let mut d = Dirty::default();
            f(&mut d);
            d
        };
        assert_eq!(of(&["content/site.yaml"]), only(|d| d.config = true));
        for register in REGISTER_FILES {
            assert_eq!(
                of(&[&format!("content/{register}")]),
                only(|d| d.registers = true)
            );
        }
        assert_eq!(of(&["content/notes.yaml"]), Dirty::default());
        assert_eq!(of(&["content/documents"]), only(|d| d.all_documents = true));
        let mut bundles = Dirty::default();
        bundles.documents.extend(["a".to_string(), "b".to_string()]);
        assert_eq!(
            of(&["content/documents/a/en.md", "content/documents/b"]),
            bundles
        );
        assert_eq!(of(&["content/pages/about.md"]), only(|d| d.pages = true));
        assert_eq!(of(&["content/pages"]), only(|d| d.pages = true));
        assert_eq!(of(&["templates/base.html"]), only(|d| d.theme = true));
        assert_eq!(of(&["static/style.css"]), only(|d| d.theme = true));
        assert_eq!(of(&["content"]), Dirty::everything());
        assert_eq!(of(&[]), Dirty::default());
    }

    #[test]
    fn ids_are_lowercase_slugs() {
        assert!(is_valid_id("kim-il-sung"));
        assert!(is_valid_id("doc-1956"));
        assert!(!is_valid_id("Kim"));
        assert!(!is_valid_id("../etc"));
        assert!(!is_valid_id("a/b"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn only_front_matter_with_an_unknown_key_is_parsed_twice() {
        let known = DocumentMeta::KNOWN_KEYS;
        let plain = "title: A\ndate: 1956-09-16\npeople:\n  - mao-zedong\n# note\n";
        assert!(!may_have_unknown_keys(plain, known));
        assert!(may_have_unknown_keys("title: A\nfunding: X\n", known));
        assert!(may_have_unknown_keys("\"title\": A\n", known));
        assert!(may_have_unknown_keys("{title: A, x: 1}\n", known));
        assert!(may_have_unknown_keys("? title\n: A\n", known));
    }

    /// `text` as `content/index.md` of an edition, its front matter parsed.
    fn front_matter_of(text: &str) -> (Option<Option<DocumentMeta>>, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/index.md"), text).unwrap();
        let scanned = EditionFiles::scan(dir.path()).unwrap();
        let files = Files { files: &scanned };
        let mut diagnostics = Diagnostics::new();
        let parsed = parse_front_matter::<DocumentMeta>(
            text,
            Path::new("content/index.md"),
            &files,
            &mut diagnostics,
        )
        .map(|(meta, _)| meta);
        (parsed, diagnostics)
    }

    #[test]
    fn unknown_front_matter_keys_are_kept_for_templates() {
        let text = "---\ntitle: A\ndate: 1956-09-16\nfunding: The Trust\n---\nHeadnote.\n";
        let meta = front_matter_of(text).0.unwrap().unwrap();
        assert_eq!(
            meta.extra.get("funding").and_then(|v| v.as_str()),
            Some("The Trust")
        );
        assert!(!meta.extra.contains_key("title"));
    }

    #[test]
    fn a_second_yaml_document_in_front_matter_is_an_error() {
        let text = "---\ntitle: A\ndate: 1956\n--- !!map\nfunding: X\n---\nHeadnote.\n";
        let (parsed, diagnostics) = front_matter_of(text);
        assert!(parsed.is_none());
        assert!(diagnostics.has_errors());
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("ru"));
        assert!(is_language_code("zh-hant"));
        assert!(!is_language_code("notes"));
        assert!(!is_language_code("RU"));
        assert!(!is_language_code("ru-"));
        assert!(!is_language_code("ru-RU"));
        assert!(!is_language_code("de-abcdefghi"));
        assert!(is_language_code("de-abcdefgh"));
    }
}
