//! `dossier serve`: build, serve on loopback, watch, run the pipeline again after
//! every change, reload the pages that show it.
//!
//! The watcher only says when and roughly where something changed: a batch of paths
//! (debounced) goes to [`Pipeline::run`], whose loader looks at those paths and what
//! is below them again and finds, by their stamps, what really changed (a file
//! opened for reading is no change; a folder moved in is read whole). When the
//! watcher lost events (its queue overflowed), everything is looked at again. The
//! open pages hear of changed pages over server-sent events. A failed run changes
//! nothing on disk: the last good site is still served, and the open pages show the
//! errors over it until a run succeeds.
//!
//! Public for the binary and the live-reload test, which serves in a thread.
//!
//! Not here: what depends on what (that is the pipeline's stages).

mod http;

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::load::files::FOLDERS;
use crate::load::Changed;
use crate::pipeline::{Pipeline, Run, RunError};
use crate::write;
use http::{Listeners, Notice};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `dossier serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// 0: any free port.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
}

/// Why serving could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The output folder may not be written.
    Output(write::WriteError),
    /// The edition's folders cannot be watched.
    Watch(String),
    /// The port cannot be listened on.
    Listen { port: u16, error: std::io::Error },
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Output(e) => write!(f, "{e}"),
            ServeError::Watch(e) => write!(f, "cannot watch the edition's files: {e}"),
            ServeError::Listen { port, error } => {
                write!(f, "cannot listen on 127.0.0.1:{port}: {error}")
            }
        }
    }
}

impl std::error::Error for ServeError {}

/// How long the watcher waits for a batch of changes to end (an editor saving
/// several files, `cp -r` of a bundle), and at most.
const QUIET: Duration = Duration::from_millis(80);
const LONGEST: Duration = Duration::from_secs(2);

/// Serves until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let build = &options.build;
    write::check_output(&build.root, &build.output).map_err(ServeError::Output)?;
    let listeners = Arc::new(Listeners::default());
    // Watch before the first build, so no edit made while it runs is missed: at
    // worst its paths are looked at again and found unchanged.
    let (mut watch, events) = Watch::start(&build.root)?;
    let mut pipeline = Pipeline::new(build);
    let started = Instant::now();
    let mut failing = false;
    match pipeline.run(&Changed::Everything) {
        Ok(run) => {
            crate::stderr_text!("{}", run.warnings);
            crate::stderr_line!(
                "Built {} files in {} ms",
                run.files,
                started.elapsed().as_millis()
            );
        }
        Err(RunError::Content(diagnostics)) => {
            failing = true;
            report_failure(&diagnostics, &listeners);
        }
        Err(RunError::Output(e)) => return Err(ServeError::Output(e)),
    }
    let server = http::Server::bind(options.port).map_err(|error| ServeError::Listen {
        port: options.port,
        error,
    })?;
    let url = format!("http://127.0.0.1:{}/", server.port());
    crate::stderr_line!(
        "Serving {} at {url} (Ctrl-C to stop)",
        build.output.display()
    );
    server.run(build.output.clone(), listeners.clone());
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }

    while let Some(changed) = next_batch(&events, &mut watch) {
        let started = Instant::now();
        match pipeline.run(&changed) {
            Ok(run) => {
                let pages = changed_pages(&run);
                // A batch of reads only, or an edit undone: nothing to say, unless
                // the open pages show errors that are now gone.
                if pages.is_empty() && !failing {
                    continue;
                }
                failing = false;
                crate::stderr_text!("{}", run.warnings);
                crate::stderr_line!(
                    "Rebuilt: {} pages made, {} files changed, in {} ms",
                    run.made.len(),
                    run.changed.len() + run.removed.len(),
                    started.elapsed().as_millis()
                );
                listeners.notify(Notice::Reload(pages));
            }
            Err(RunError::Content(diagnostics)) => {
                failing = true;
                report_failure(&diagnostics, &listeners);
            }
            Err(RunError::Output(e)) => crate::stderr_line!("error: {e}"),
        }
    }
    Ok(())
}

/// The watcher of the edition's folders.
struct Watch {
    watcher: notify::RecommendedWatcher,
    root: PathBuf,
    /// The folders of the edition watched (they may be made after `serve` starts).
    watched: BTreeSet<PathBuf>,
}

impl Watch {
    fn start(root: &Path) -> Result<(Self, Receiver<notify::Result<notify::Event>>), ServeError> {
        let root = root
            .canonicalize()
            .map_err(|e| ServeError::Watch(format!("{}: {e}", root.display())))?;
        let (sender, events) = std::sync::mpsc::channel();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })
        .map_err(|e| ServeError::Watch(e.to_string()))?;
        let mut watch = Watch {
            watcher,
            root,
            watched: BTreeSet::new(),
        };
        // The root itself, not below: to see the edition's folders made or moved.
        watch
            .watcher
            .watch(&watch.root, RecursiveMode::NonRecursive)
            .map_err(|e| ServeError::Watch(e.to_string()))?;
        watch.watch_folders();
        Ok((watch, events))
    }

    /// Watches each of the edition's folders that exists and is not watched yet.
    fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if path.is_dir() && !self.watched.contains(&path) {
                if let Err(e) = self.watcher.watch(&path, RecursiveMode::Recursive) {
                    crate::stderr_line!("warning: cannot watch {}: {e}", path.display());
                    continue;
                }
                self.watched.insert(path);
            } else if !path.is_dir() && self.watched.remove(&path) {
                let _ = self.watcher.unwatch(&path);
            }
        }
    }
}

/// The paths a batch of events named, and whether events were lost.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    everything: bool,
}

impl Batch {
    fn take(&mut self, event: notify::Result<notify::Event>) {
        use notify::event::{AccessKind, AccessMode};
        match event {
            Ok(event) => {
                if event.need_rescan() {
                    self.everything = true;
                }
                // Reads are not changes (the pipeline's own reads among them).
                let read = matches!(
                    event.kind,
                    EventKind::Access(
                        AccessKind::Open(_)
                            | AccessKind::Read
                            | AccessKind::Close(AccessMode::Read)
                    )
                );
                if !read {
                    self.paths.extend(event.paths);
                }
            }
            // The watcher failed (too many files to watch, a queue lost): look again.
            Err(_) => self.everything = true,
        }
    }
}

/// Waits for a change and gathers the batch it begins; `None` when the watcher is
/// gone.
fn next_batch(
    events: &Receiver<notify::Result<notify::Event>>,
    watch: &mut Watch,
) -> Option<Changed> {
    let mut batch = Batch::default();
    // Wait for something that is a change.
    loop {
        batch.take(events.recv().ok()?);
        if batch.everything || !batch.paths.is_empty() {
            break;
        }
    }
    let began = Instant::now();
    loop {
        let left = LONGEST.saturating_sub(began.elapsed());
        match events.recv_timeout(QUIET.min(left)) {
            Ok(event) => batch.take(event),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
        if left.is_zero() {
            break;
        }
    }
    let Batch { paths, everything } = batch;
    // A folder of the edition made (or moved in) after the start is watched now;
    // whatever it holds is found by looking at it whole.
    if paths
        .iter()
        .any(|p| p.parent() == Some(watch.root.as_path()))
    {
        watch.watch_folders();
    }
    Some(if everything {
        Changed::Everything
    } else {
        Changed::Paths(paths.into_iter().collect())
    })
}

fn report_failure(diagnostics: &Diagnostics, listeners: &Listeners) {
    crate::stderr_text!("{diagnostics}");
    crate::stderr_line!(
        "error: rebuild failed with {} error(s); still serving the last good site",
        diagnostics.error_count()
    );
    let errors: String = diagnostics
        .iter()
        .filter(|d| d.level == crate::diagnostics::Level::Error)
        .map(|d| format!("{d}\n"))
        .collect();
    listeners.notify(Notice::Errors(errors));
}

/// The addresses whose pages changed (`/documents/x/`), or `*` when a file every
/// page uses (a stylesheet) did or the whole site was written.
fn changed_pages(run: &Run) -> Vec<String> {
    if run.replaced {
        return vec!["*".to_string()];
    }
    run.changed
        .iter()
        .chain(&run.removed)
        .map(|path| match path.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => "*".to_string(),
        })
        .collect()
}
