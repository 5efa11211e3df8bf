//! Stage 5, write: put the rendered site on disk without ever losing the previous one.
//!
//! Everything is written into a temporary folder beside the output; only when all of it
//! is written does it take the output's place (two renames), and the old output is
//! removed. A failed build leaves the previous site untouched. dossier replaces only a
//! folder it made itself (marked by a `.dossier` file) or an empty one, and refuses an
//! output folder that holds the edition's own files. Nothing is written outside the
//! output folder (and the temporary one beside it): the copies of images a build
//! does not make again come from the output it replaces (`images.rs`).
//!
//! Not here: what the files contain (that is `render`).

mod images;

use crate::diagnostics::{Diagnostic, Position};
use crate::render::{Assembly, Contents, OutputFile, Sink};
use std::collections::HashSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub(crate) use images::ImageWork;

/// The file that marks a folder as dossier's output.
pub(crate) const MARKER: &str = ".dossier";
const MARKER_CONTENTS: &str =
    "This folder is written by dossier build; dossier replaces it on every build.\n";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder would hold or replace the edition's own files.
    Refused {
        output: PathBuf,
        reason: String,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Refused { output, reason } => {
                write!(f, "refusing to write to {}: {reason}", output.display())
            }
            WriteError::Io { path, error } => {
                write!(f, "{}: cannot write: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for WriteError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Checks, before anything is built, that `output` may be replaced: it is not the
/// edition root, not a folder containing it, not inside `content/`, `templates/` or
/// `static/`, and either absent, empty, or dossier's own output.
pub(crate) fn check_output(root: &Path, output: &Path) -> Result<(), WriteError> {
    let refuse = |reason: String| WriteError::Refused {
        output: output.to_path_buf(),
        reason,
    };
    let root_abs = absolute(root).map_err(io_error(root))?;
    let output_abs = absolute(output).map_err(io_error(output))?;
    if root_abs.starts_with(&output_abs) {
        return Err(refuse(
            "it is the edition's folder or contains it; choose a folder of its own, such as public/".into(),
        ));
    }
    for own in ["content", "templates", "static"] {
        if output_abs.starts_with(root_abs.join(own)) {
            return Err(refuse(format!(
                "it is inside the edition's {own}/ folder; choose a folder of its own, such as public/"
            )));
        }
    }
    if output_abs.exists() {
        if !output_abs.is_dir() {
            return Err(refuse("it is a file, not a folder".into()));
        }
        let empty = std::fs::read_dir(&output_abs)
            .map_err(io_error(output))?
            .next()
            .is_none();
        if !empty && !output_abs.join(MARKER).is_file() {
            return Err(refuse(format!(
                "it is not empty and was not written by dossier (no {MARKER} file); \
                 dossier replaces its output folder whole, so give it an empty or new folder"
            )));
        }
    }
    Ok(())
}

/// An absolute, normalised form of `path` (which need not exist yet), so that
/// `public/../content` is seen for what it is.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Resolve the longest existing ancestor (following symlinks), then add the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut result = real;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        result.pop();
                    }
                    std::path::Component::CurDir => {}
                    other => result.push(other.as_os_str()),
                }
            }
            return Ok(result);
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return Ok(joined),
        }
    }
}

/// A new site being written beside the output, file by file as pages are rendered;
/// it replaces the output on [`Staging::commit`], and is removed if dropped before.
///
/// Files are handed to writer threads of their own, so that rendering (on rayon's
/// threads, one per core) goes on while a thread waits for the disk: creating tens
/// of thousands of folders and files is mostly waiting, and the build used to stall
/// on it.
pub(crate) struct Staging {
    output: PathBuf,
    retired: PathBuf,
    shared: Arc<Shared>,
    queue: Option<SyncSender<Vec<OutputFile>>>,
    writers: Vec<JoinHandle<()>>,
    /// The thread making the folders told by [`Sink::prepare_folders`].
    folder_maker: Mutex<Option<JoinHandle<()>>>,
    committed: bool,
}

/// What the writer threads share.
struct Shared {
    staging: PathBuf,
    /// Folders made (by a writer, or ahead of the pages by the folder maker).
    folders: Mutex<HashSet<PathBuf>>,
    /// The build will not be committed: folders still to be made are not needed.
    abandoned: AtomicBool,
    /// The first failure; after it, files are no longer written.
    failure: Mutex<Option<WriteError>>,
    /// Files put together from others, written once those are.
    assemblies: Mutex<Vec<OutputFile>>,
    /// Copies of images, made together once the pages are written (in parallel,
    /// on cores rendering no longer needs).
    derivatives: Mutex<Vec<OutputFile>>,
    images: Arc<ImageWork>,
}

/// Writer threads: two keep one waiting on the disk while the other writes.
const WRITERS: usize = 2;
/// Rendered files waiting for a writer, in the few pages rendered together; a
/// bound, so that a slow disk holds back rendering instead of filling memory with
/// pages.
const QUEUE: usize = 16;

impl Staging {
    pub(crate) fn new(output: &Path) -> Result<Self, WriteError> {
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|error| unmakeable(output, &parent, error))?;
        remove_debris(&parent, &name);
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.tmp-{pid}"));
        if staging.exists() {
            // Left by a build of ours that was killed: ours to remove.
            std::fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        // Marked at once, so that if this build is killed, the next one knows the
        // folder for dossier's and removes it.
        let marker = staging.join(MARKER);
        if let Err(error) = std::fs::write(&marker, MARKER_CONTENTS) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_error(&marker)(error));
        }
        let shared = Arc::new(Shared {
            staging,
            folders: Mutex::new(HashSet::new()),
            abandoned: AtomicBool::new(false),
            failure: Mutex::new(None),
            assemblies: Mutex::new(Vec::new()),
            derivatives: Mutex::new(Vec::new()),
            images: Arc::new(ImageWork::default()),
        });
        let (queue, files) = std::sync::mpsc::sync_channel::<Vec<OutputFile>>(QUEUE);
        let files = Arc::new(Mutex::new(files));
        let writers = (0..WRITERS)
            .map(|_| {
                let (shared, files) = (Arc::clone(&shared), Arc::clone(&files));
                std::thread::spawn(move || loop {
                    let next = files.lock().expect("not poisoned").recv();
                    let Ok(files) = next else { break };
                    for file in &files {
                        shared.write_file(file);
                    }
                })
            })
            .collect();
        Ok(Self {
            output: output.to_path_buf(),
            retired: parent.join(format!(".{name}.old-{pid}")),
            shared,
            queue: Some(queue),
            writers,
            folder_maker: Mutex::new(None),
            committed: false,
        })
    }

    /// Waits until every file handed over is on the disk; the first failure, if any.
    fn finish_writing(&mut self) -> Result<(), WriteError> {
        self.queue = None;
        let folder_maker = self.folder_maker.get_mut().expect("not poisoned").take();
        for thread in self.writers.drain(..).chain(folder_maker) {
            let _ = thread.join();
        }
        match self.shared.failure.lock().expect("not poisoned").take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Marks the new site as dossier's (again: it was marked when made, but a file of
    /// the site could have the marker's name) and puts it in the output's place.
    pub(crate) fn commit(mut self) -> Result<(), WriteError> {
        self.finish_writing()?;
        let derivatives =
            std::mem::take(&mut *self.shared.derivatives.lock().expect("not poisoned"));
        // The copies the output being replaced has are linked from it, not made.
        derive(
            &self.shared.staging,
            Some(&self.output),
            &derivatives,
            &self.shared.images,
        )?;
        let assemblies = std::mem::take(&mut *self.shared.assemblies.lock().expect("not poisoned"));
        for file in &assemblies {
            let path = self.shared.staging.join(&file.path);
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).map_err(io_error(folder))?;
            }
            put_contents(&self.shared.staging, &path, &file.contents)?;
        }
        let marker = self.shared.staging.join(MARKER);
        std::fs::write(&marker, MARKER_CONTENTS).map_err(io_error(&marker))?;
        swap(&self.shared.staging, &self.output, &self.retired)?;
        self.committed = true;
        Ok(())
    }
}

/// Why the folder `folder` (for the output `output`) could not be made, saying which
/// part of the path stands in the way: a file where a folder should be, or the
/// last folder that exists and would not take a new one.
fn unmakeable(output: &Path, folder: &Path, error: io::Error) -> WriteError {
    let mut existing = folder;
    while !existing.exists() {
        match existing.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => existing = parent,
            _ => break,
        }
    }
    let reason = if existing.exists() && !existing.is_dir() {
        format!(
            "`{}` is a file, not a folder: choose an output folder elsewhere",
            existing.display()
        )
    } else {
        format!("cannot make a folder in `{}`: {error}", existing.display())
    };
    WriteError::Refused {
        output: output.to_path_buf(),
        reason,
    }
}

/// Removes what builds that were killed left beside the output `parent/name`: their
/// staging folders (`.name.tmp-PID`) and retired outputs (`.name.old-PID`), if the
/// process PID is gone and the folder carries dossier's [`MARKER`] (both are marked:
/// a staging folder when made, a retired output as the output it was). Nothing else
/// is touched: other names, unmarked folders, links, folders of a live process (a
/// build running beside this one), and this process's own (see [`Staging::new`]).
/// A folder that cannot be removed is left; the build goes on.
fn remove_debris(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|f| debris_pid(f, name)) else {
            continue;
        };
        if pid == own || process_may_live(pid) {
            continue;
        }
        let path = entry.path();
        // `file_type` does not follow links: a link to a folder is no folder here.
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_folder && path.join(MARKER).is_file() {
            let _ = remove_marked(&path);
        }
    }
}

/// Removes a folder dossier marked, the mark last, so that a removal cut short (the
/// process killed) leaves a folder the next build still knows for dossier's.
fn remove_marked(folder: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    match std::fs::remove_file(folder.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(folder)
}

/// The PID in `file_name` if it is exactly `.{name}.tmp-PID` or `.{name}.old-PID`.
fn debris_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let digits = rest
        .strip_prefix(".tmp-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether process `pid` may be running: on Linux, whether `/proc` has it (and if
/// `/proc` is not there to ask, it may); elsewhere, always, so nothing is removed.
fn process_may_live(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        let proc = Path::new("/proc");
        !proc.join("self").exists() || proc.join(pid.to_string()).exists()
    } else {
        true
    }
}

impl Shared {
    fn write_file(&self, file: &OutputFile) {
        if self.failure.lock().expect("not poisoned").is_some() {
            return;
        }
        if let Err(error) = self.try_write_file(file) {
            self.failure
                .lock()
                .expect("not poisoned")
                .get_or_insert(error);
        }
    }

    fn try_write_file(&self, file: &OutputFile) -> Result<(), WriteError> {
        let path = self.staging.join(&file.path);
        if let Some(folder) = path.parent() {
            // Known only once made: a thread that saw it unknown makes it too
            // (`create_dir_all` takes a folder made meanwhile), rather than write
            // into a folder another thread has named but not made yet.
            let known = self.folders.lock().expect("not poisoned").contains(folder);
            if !known {
                std::fs::create_dir_all(folder).map_err(io_error(folder))?;
                self.folders
                    .lock()
                    .expect("not poisoned")
                    .insert(folder.to_path_buf());
            }
        }
        if let Contents::Assemble(_) = &file.contents {
            // Its parts may not be written yet: it waits for the commit.
            self.assemblies
                .lock()
                .expect("not poisoned")
                .push(file.clone());
            return Ok(());
        }
        if let Contents::Derive(_) = &file.contents {
            self.derivatives
                .lock()
                .expect("not poisoned")
                .push(file.clone());
            return Ok(());
        }
        put_contents(&self.staging, &path, &file.contents)
    }
}

/// Writes `contents` to `path` in the site at `site`: bytes made, a file of the
/// edition copied, or parts of files of the site put together.
fn put_contents(site: &Path, path: &Path, contents: &Contents) -> Result<(), WriteError> {
    match contents {
        Contents::Bytes(bytes) => std::fs::write(path, bytes).map_err(io_error(path)),
        Contents::Copy(from) => {
            std::fs::copy(from, path)
                .map(|_| ())
                .map_err(|error| WriteError::Io {
                    path: from.clone(),
                    error,
                })
        }
        Contents::Assemble(assembly) => assemble(site, path, assembly),
        Contents::Derive(derivative) => {
            // Made afresh: the runs that have a previous output to take copies
            // from hand them to `derive` instead.
            let relative = path.strip_prefix(site).unwrap_or(path).to_string_lossy();
            images::derive_all(
                site,
                None,
                &[(&relative, derivative)],
                &ImageWork::default(),
            )
        }
    }
}

/// Puts the copies of images among `files` in the site at `site`, each at its path:
/// taken from the site at `previous` where it has them, else made.
fn derive(
    site: &Path,
    previous: Option<&Path>,
    files: &[OutputFile],
    work: &ImageWork,
) -> Result<(), WriteError> {
    let jobs: Vec<(&str, &crate::render::Derivative)> = files
        .iter()
        .filter_map(|file| match &file.contents {
            Contents::Derive(derivative) => Some((file.path.as_str(), derivative)),
            _ => None,
        })
        .collect();
    images::derive_all(site, previous, &jobs, work)
}

/// Writes the head of `assembly`, the part of each of its files (read from the site
/// at `site`, one at a time), and its tail.
fn assemble(site: &Path, path: &Path, assembly: &Assembly) -> Result<(), WriteError> {
    use std::io::Write;
    let file = std::fs::File::create(path).map_err(io_error(path))?;
    let mut out = io::BufWriter::with_capacity(1 << 16, file);
    out.write_all(&assembly.head).map_err(io_error(path))?;
    for part in &assembly.parts {
        let from = site.join(part);
        let text = std::fs::read(&from).map_err(io_error(&from))?;
        let text = &text[assembly.skip.min(text.len())..];
        let end = memchr::memmem::find(text, assembly.until.as_bytes())
            .map_or(text.len(), |at| at + assembly.until.len());
        out.write_all(&text[..end]).map_err(io_error(path))?;
        out.write_all(assembly.close.as_bytes())
            .map_err(io_error(path))?;
    }
    out.write_all(&assembly.tail).map_err(io_error(path))?;
    out.flush().map_err(io_error(path))
}

impl Sink for Staging {
    /// Makes the folders on a thread of its own; a folder it could not make is left
    /// to the writer of its first file, which reports why.
    fn prepare_folders(&self, folders: Vec<String>) {
        let shared = Arc::clone(&self.shared);
        let maker = std::thread::spawn(move || {
            for folder in folders {
                if shared.abandoned.load(Ordering::Relaxed) {
                    break;
                }
                let path = shared.staging.join(folder.trim_end_matches('/'));
                if std::fs::create_dir_all(&path).is_ok() {
                    shared.folders.lock().expect("not poisoned").insert(path);
                }
            }
        });
        let previous = self
            .folder_maker
            .lock()
            .expect("not poisoned")
            .replace(maker);
        if let Some(previous) = previous {
            let _ = previous.join();
        }
    }

    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.put_all(vec![file])
    }

    fn put_all(&self, files: Vec<OutputFile>) -> Result<(), Diagnostic> {
        let failed = |error: &WriteError| {
            Diagnostic::error(&self.output, Position::START, error.to_string())
        };
        if let Some(error) = &*self.shared.failure.lock().expect("not poisoned") {
            return Err(failed(error));
        }
        let queue = self.queue.as_ref().expect("open until commit");
        queue.send(files).map_err(|_| {
            Diagnostic::error(&self.output, Position::START, "the writer threads stopped")
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            self.shared.abandoned.store(true, Ordering::Relaxed);
        }
        let _ = self.finish_writing();
        if !self.committed {
            let _ = remove_marked(&self.shared.staging);
        }
    }
}

/// Where a run's files go: the write stage, opened before render hands it files
/// and finished after.
pub(crate) enum Output<'s> {
    /// A new output folder, swapped in when everything is written.
    Replace(Staging),
    /// The output folder as it is: the files whose contents changed are kept here
    /// and written over the old ones, those gone are removed.
    Update {
        output: &'s Path,
        files: crate::render::Collect,
        images: Arc<ImageWork>,
    },
    /// Nowhere on disk (`check`).
    Sink(&'s dyn Sink),
}

impl<'s> Output<'s> {
    /// A new folder for the whole site beside `output` (see [`Staging`]);
    /// `folders`: the folders pages will go into, made ahead of them.
    pub(crate) fn replace(
        root: &Path,
        output: &Path,
        folders: Vec<String>,
    ) -> Result<Self, WriteError> {
        check_output(root, output)?;
        let staging = Staging::new(output)?;
        // Two writer threads making folders side by side in `documents/` contend
        // for it (on ext4, 1.5 s more system time at 10,000 documents than one
        // thread): its folders are made now, by one thread, ahead of the pages.
        staging.prepare_folders(folders);
        Ok(Output::Replace(staging))
    }

    /// The output folder at `output`, updated in place.
    pub(crate) fn update(output: &'s Path) -> Self {
        Output::Update {
            output,
            files: Default::default(),
            images: Default::default(),
        }
    }

    /// What image work the run does (counted as it is done, in `finish`).
    pub(crate) fn images(&self) -> Arc<ImageWork> {
        match self {
            Output::Replace(staging) => Arc::clone(&staging.shared.images),
            Output::Update { images, .. } => Arc::clone(images),
            Output::Sink(_) => Default::default(),
        }
    }

    /// Where render hands the files.
    pub(crate) fn sink(&self) -> &dyn Sink {
        match self {
            Output::Replace(staging) => staging,
            Output::Update { files, .. } => files,
            Output::Sink(sink) => *sink,
        }
    }

    /// Puts what render handed over on the disk; `removed`: the files the site no
    /// longer has. Updating in place, the files put together from others (the
    /// edition's TEI corpus, tens of megabytes from every document's TEI) are
    /// written after the rest, on a thread of their own: the pages an editor waits
    /// for are on the disk when this returns, and that file follows (see
    /// [`Pending`]).
    pub(crate) fn finish(self, removed: &[String]) -> Result<Option<Pending>, WriteError> {
        match self {
            Output::Replace(staging) => staging.commit().map(|()| None),
            Output::Update {
                output,
                files,
                images,
            } => {
                let files = files.0.into_inner().expect("not poisoned");
                let (assemblies, files): (Vec<OutputFile>, Vec<OutputFile>) = files
                    .into_iter()
                    .partition(|f| matches!(f.contents, Contents::Assemble(_)));
                let (derivatives, files): (Vec<OutputFile>, Vec<OutputFile>) = files
                    .into_iter()
                    .partition(|f| matches!(f.contents, Contents::Derive(_)));
                if !derivatives.is_empty() {
                    // Into their places directly (a copy is written whole, never
                    // seen half written); those the output has are left there.
                    for file in &derivatives {
                        let target = output.join(&file.path);
                        if let Some(folder) = target.parent() {
                            std::fs::create_dir_all(folder).map_err(io_error(folder))?;
                        }
                    }
                    derive(output, Some(output), &derivatives, &images)?;
                }
                apply(output, &files, removed)?;
                if assemblies.is_empty() {
                    return Ok(None);
                }
                let output = output.to_path_buf();
                Ok(Some(Pending(std::thread::spawn(move || {
                    apply(&output, &assemblies, &[])
                }))))
            }
            Output::Sink(_) => Ok(None),
        }
    }
}

/// Files still being written after an update in place; the next run waits for them
/// before it writes anything (their parts could change under them otherwise).
pub(crate) struct Pending(JoinHandle<Result<(), WriteError>>);

impl Pending {
    /// Waits until they are on the disk; why not, if they could not be written.
    pub(crate) fn wait(self) -> Result<(), WriteError> {
        self.0.join().unwrap_or_else(|_| {
            Err(WriteError::Io {
                path: PathBuf::new(),
                error: io::Error::other("the thread writing the edition's corpus failed"),
            })
        })
    }
}

/// Writes `files` as the new contents of `output`, replacing it only on success.
#[cfg(test)]
fn write(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::new(output)?;
    for file in files {
        if staging.put(file.clone()).is_err() {
            break;
        }
    }
    staging.commit()
}

/// Brings an output folder dossier wrote up to date in place: writes the files in
/// `changed` (each to a temporary name, then renamed over the old one, so a reader
/// never sees half a file) and removes those in `removed`, with the folders they
/// leave empty. Used by `serve` after the first build.
pub(crate) fn apply(
    output: &Path,
    changed: &[OutputFile],
    removed: &[String],
) -> Result<(), WriteError> {
    // Files put together from others last, when those are written.
    let (assemblies, files): (Vec<&OutputFile>, Vec<&OutputFile>) = changed
        .iter()
        .partition(|f| matches!(f.contents, Contents::Assemble(_)));
    for file in files.into_iter().chain(assemblies) {
        let target = output.join(&file.path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io_error(folder))?;
        }
        let temporary = target.with_file_name(format!(
            ".{}.tmp-dossier",
            target
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        put_contents(output, &temporary, &file.contents)?;
        std::fs::rename(&temporary, &target).map_err(io_error(&target))?;
    }
    for path in removed {
        let target = output.join(path);
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(WriteError::Io {
                    path: target,
                    error,
                })
            }
        }
        // The folders it leaves empty go too (a document removed), as a new build
        // would not have them.
        let mut folder = target.parent();
        while let Some(f) = folder.filter(|f| f.starts_with(output) && *f != output) {
            if std::fs::remove_dir(f).is_err() {
                break;
            }
            folder = f.parent();
        }
    }
    Ok(())
}

fn swap(staging: &Path, output: &Path, retired: &Path) -> Result<(), WriteError> {
    let had_output = output.exists();
    if had_output {
        std::fs::rename(output, retired).map_err(io_error(output))?;
    }
    if let Err(error) = std::fs::rename(staging, output) {
        if had_output {
            // Put the previous site back.
            let _ = std::fs::rename(retired, output);
        }
        return Err(WriteError::Io {
            path: output.to_path_buf(),
            error,
        });
    }
    if had_output {
        remove_marked(retired).map_err(io_error(retired))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(contents.as_bytes().to_vec()),
        }
    }

    #[test]
    fn writes_then_replaces_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            &[
                file("index.html", "one"),
                file("documents/a/index.html", "a"),
            ],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("documents/a/index.html")).unwrap(),
            "a"
        );
        write(&out, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("documents").exists(), "stale pages are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left");
    }

    #[test]
    fn folders_made_ahead_hold_their_pages_and_go_with_a_build_given_up() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let folders: Vec<String> = (0..200)
            .flat_map(|i| {
                [
                    format!("documents/d{i}/"),
                    format!("documents/d{i}/source/"),
                ]
            })
            .collect();
        let staging = Staging::new(&out).unwrap();
        staging.prepare_folders(folders.clone());
        for i in 0..200 {
            staging
                .put_all(vec![
                    file(&format!("documents/d{i}/index.html"), "page"),
                    file(&format!("documents/d{i}/source/index.html"), "source"),
                ])
                .unwrap();
        }
        staging.commit().unwrap();
        for i in 0..200 {
            let page = out.join(format!("documents/d{i}/source/index.html"));
            assert_eq!(std::fs::read_to_string(page).unwrap(), "source");
        }

        // A build that fails after its folders were told: nothing of it is left.
        let staging = Staging::new(&dir.path().join("other")).unwrap();
        staging.prepare_folders(folders);
        drop(staging);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["public"], "no temporary folders left");
    }

    /// The id of a process that has ended (and whose id no process has taken since).
    #[cfg(target_os = "linux")]
    fn dead_pid() -> u32 {
        loop {
            let mut child = std::process::Command::new("true").spawn().unwrap();
            let pid = child.id();
            child.wait().unwrap();
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return pid;
            }
        }
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn removes_marked_debris_of_dead_builds_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (dead, other_dead) = (dead_pid(), dead_pid());
        let own = std::process::id();
        let mut running = std::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .unwrap();
        let live = running.id();
        let folder = |name: &str, marked: bool| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.join("documents/a")).unwrap();
            std::fs::write(path.join("documents/a/index.html"), "page").unwrap();
            if marked {
                std::fs::write(path.join(MARKER), MARKER_CONTENTS).unwrap();
            }
        };
        let removed = [
            format!(".public.tmp-{dead}"),
            format!(".public.old-{dead}"),
            format!(".public.tmp-{other_dead}"),
        ];
        for name in &removed {
            folder(name, true);
        }
        let kept = [
            // Not marked: not known to be dossier's.
            format!(".public.old-{other_dead}"),
            // Marked, but of live processes.
            format!(".public.tmp-{live}"),
            format!(".public.old-{own}"),
            // Other names.
            format!(".public.tmp-{dead}x"),
            format!(".public.tmp-+{dead}"),
            ".public.tmp-".to_string(),
            format!(".public.new-{dead}"),
            format!("public.tmp-{dead}"),
            format!(".other.tmp-{dead}"),
            format!(".publicx.tmp-{dead}"),
        ];
        for name in &kept[..1] {
            folder(name, false);
        }
        for name in &kept[1..] {
            folder(name, true);
        }
        // A link named like debris, to a marked folder: neither is touched.
        folder("elsewhere", true);
        let link = format!(".public.tmp-{}", dead_pid());
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), dir.path().join(&link)).unwrap();
        // A file named like debris.
        let file = format!(".public.old-{}", dead_pid());
        std::fs::write(dir.path().join(&file), "not a folder").unwrap();

        let staging = Staging::new(&out).unwrap();
        assert!(
            staging.shared.staging.join(MARKER).is_file(),
            "a staging folder is marked when made"
        );
        drop(staging);
        let _ = running.kill();
        let _ = running.wait();
        for name in &removed {
            assert!(!dir.path().join(name).exists(), "{name} removed");
        }
        for name in kept.iter().chain([&link, &file]) {
            assert!(
                dir.path().join(name).symlink_metadata().is_ok(),
                "{name} kept"
            );
        }
        assert!(dir
            .path()
            .join("elsewhere/documents/a/index.html")
            .is_file());
        assert!(dir
            .path()
            .join(&kept[0])
            .join("documents/a/index.html")
            .is_file());
        assert!(!out.exists(), "nothing was built");
    }

    #[test]
    fn debris_names_are_exact() {
        assert_eq!(debris_pid(".public.tmp-12", "public"), Some(12));
        assert_eq!(debris_pid(".public.old-7", "public"), Some(7));
        assert_eq!(debris_pid(".my.site.old-7", "my.site"), Some(7));
        for other in [
            ".public.tmp-",
            ".public.tmp-1a",
            ".public.tmp--1",
            ".public.tmp-99999999999999999999",
            "public.tmp-1",
            ".public.tmp-1.tmp-2",
            ".publi.tmp-1",
        ] {
            assert_eq!(debris_pid(other, "public"), None, "{other}");
        }
    }

    #[test]
    fn refuses_the_root_its_parents_and_the_content_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("edition");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output(&root, &root).is_err());
        assert!(check_output(&root, dir.path()).is_err());
        assert!(check_output(&root, &root.join("content")).is_err());
        assert!(check_output(&root, &root.join("content/out")).is_err());
        assert!(check_output(&root, &root.join("public/../content")).is_err());
        assert!(check_output(&root, &root.join("public")).is_ok());
    }

    #[test]
    fn refuses_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("edition");
        let theirs = dir.path().join("notes");
        std::fs::create_dir_all(&theirs).unwrap();
        std::fs::write(theirs.join("mine.txt"), "keep").unwrap();
        let err = check_output(&root, &theirs).unwrap_err();
        assert!(err.to_string().contains("not written by dossier"), "{err}");
        std::fs::write(theirs.join(MARKER), "").unwrap();
        assert!(check_output(&root, &theirs).is_ok());
    }
}
