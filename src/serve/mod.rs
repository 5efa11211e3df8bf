//! `dossier serve`: build, serve on loopback, watch, rebuild what changed, reload the
//! pages that show it.
//!
//! The site lives in memory ([`Site`]); each batch of file changes (debounced) is an
//! incremental update, written to the output folder file by file, and the open pages
//! hear of it over server-sent events. A failed rebuild changes nothing on disk: the
//! last good site is still served, and the open pages show the errors over it.
//!
//! Not here: what depends on what (that is `site`).

mod http;

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::site::{Site, Update};
use crate::write;
use http::{Listeners, Notice};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

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
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Serves until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let build = &options.build;
    write::check_output(&build.root, &build.output).map_err(|e| ServeError(e.to_string()))?;
    let listeners = Arc::new(Listeners::default());
    // Watch (and note what the files are) before the first build, so no edit made
    // while it runs is missed: at worst one is rebuilt twice.
    let mut seen = Fingerprints::of(&build.root);
    let (sender, receiver) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(100), move |result| {
        let _ = sender.send(result);
    })
    .map_err(|e| ServeError(format!("cannot watch files: {e}")))?;
    for folder in ["content", "templates", "static"] {
        let path = build.root.join(folder);
        if path.is_dir() {
            debouncer
                .watcher()
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeError(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    let started = Instant::now();
    let mut site = match load_and_write(build).map_err(|e| ServeError(e.to_string()))? {
        Ok(site) => {
            crate::stderr_text!("{}", site.warnings);
            crate::stderr_line!(
                "Built {} files in {} ms",
                site.files().len(),
                started.elapsed().as_millis()
            );
            Some(site)
        }
        Err(diagnostics) => {
            report_failure(&diagnostics, &listeners);
            None
        }
    };
    let server = http::Server::bind(options.port)
        .map_err(|e| ServeError(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
    let port = server.port();
    let url = format!("http://127.0.0.1:{port}/");
    crate::stderr_line!(
        "Serving {} at {url} (Ctrl-C to stop)",
        build.output.display()
    );
    server.run(build.output.clone(), listeners.clone());
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }

    for result in receiver {
        let Ok(events) = result else { continue };
        // The watcher also reports files being read (by the rebuild itself): only
        // files whose size or time changed are edits.
        let paths: Vec<PathBuf> = events
            .into_iter()
            .map(|e| e.path)
            .filter(|path| seen.changed(path))
            .collect();
        if paths.is_empty() {
            continue;
        }
        let started = Instant::now();
        let outcome = match site.as_mut() {
            Some(site) => site.update(&paths),
            None => match load_and_write(build) {
                Ok(loaded) => loaded.map(|fresh| {
                    site = Some(fresh);
                    Update {
                        full: true,
                        changed: vec!["*".into()],
                        ..Update::default()
                    }
                }),
                Err(e) => {
                    crate::stderr_line!("error: {e}");
                    continue;
                }
            },
        };
        match outcome {
            Ok(update) => {
                let Some(site) = site.as_ref() else { continue };
                let written = if update.changed == ["*"] {
                    // The first good build after a failed start: written whole already.
                    Ok(vec!["*".to_string()])
                } else {
                    write::apply(&build.output, &update.files, &update.removed)
                        .map(|()| changed_pages(&update))
                };
                match written {
                    Ok(pages) => {
                        crate::stderr_text!("{}", site.warnings);
                        if !update.rendered.is_empty() || !pages.is_empty() {
                            crate::stderr_line!(
                                "Rebuilt: {} pages rendered, {} files changed, in {} ms",
                                update.rendered.len(),
                                update.changed.len() + update.removed.len(),
                                started.elapsed().as_millis()
                            );
                        }
                        listeners.notify(Notice::Reload(pages));
                    }
                    Err(e) => crate::stderr_line!("error: {e}"),
                }
            }
            Err(diagnostics) => report_failure(&diagnostics, &listeners),
        }
    }
    Ok(())
}

/// The size and modification time of every file of the edition, to tell edits from
/// mere reads.
struct Fingerprints(HashMap<PathBuf, Option<(u64, SystemTime)>>);

impl Fingerprints {
    fn of(root: &Path) -> Self {
        let mut seen = HashMap::new();
        for folder in ["content", "templates", "static"] {
            for entry in walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file() {
                    seen.insert(entry.path().to_path_buf(), fingerprint(entry.path()));
                }
            }
        }
        Self(seen)
    }

    /// Whether `path` differs from when it was last seen (and remember it as it is).
    fn changed(&mut self, path: &Path) -> bool {
        let now = fingerprint(path);
        // A file that came and went within one batch (an editor's temporary) is
        // no change: absent before, absent now.
        let before = self.0.insert(path.to_path_buf(), now).flatten();
        before != now
    }
}

fn fingerprint(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        return None;
    }
    Some((meta.len(), meta.modified().ok()?))
}

/// A full build written to the output folder (swapped in whole), as `build` does.
fn load_and_write(build: &BuildOptions) -> Result<Result<Site, Diagnostics>, write::WriteError> {
    let staging = write::Staging::new(&build.output)?;
    match Site::load(build, &staging) {
        Ok(site) => {
            staging.commit()?;
            Ok(Ok(site))
        }
        Err(diagnostics) => Ok(Err(diagnostics)),
    }
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
/// page uses (a stylesheet) did.
fn changed_pages(update: &Update) -> Vec<String> {
    update
        .changed
        .iter()
        .chain(&update.removed)
        .map(|path| match path.strip_suffix("index.html") {
            Some(folder) => format!("/{folder}"),
            None => "*".to_string(),
        })
        .collect()
}
