//! The build pipeline, in one place: load → annotate → index (and search) → render →
//! write.
//!
//! [`Pipeline::run`] calls the five stages in order, each with the previous one's
//! data. Every stage keeps what it made and redoes only what depends on inputs that
//! changed: the loader re-reads the files that changed, the annotator re-annotates
//! the texts whose files or whose registers' names changed, the indexer updates the
//! index for the documents whose annotation changed, and render makes again the
//! outputs that read something that changed (see `render::track`). So a first run
//! builds everything, and a later run after an edit, with the paths the watcher saw,
//! is the same function doing a little: `dossier build` runs the pipeline once,
//! `dossier serve` keeps it and runs it after every change. No kind of output has
//! code of its own for updates. Public for the benchmark that times runs after an
//! edit, and for tests that drive it as `serve` does.
//!
//! The first run writes a new output folder and swaps it in whole; later runs write
//! the files whose contents changed and remove those the site no longer has. A run
//! that fails changes nothing on disk, and the next one compares with what is on
//! disk, so no change made meanwhile is lost.

use crate::annotate::{self, AfterAnnotation, Annotator};
use crate::build::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::index::Indexer;
use crate::links::{LinkCheck, Links};
use crate::load::{Changed, Loader};
use crate::model::Edition;
use crate::progress::Progress;
use crate::render::{self, Render, Sink};
use crate::search::SearchIndexer;
use crate::write::{self, WriteError};
use std::fmt;
use std::sync::Arc;

/// The pipeline of one edition, with what each stage made last.
pub struct Pipeline {
    options: BuildOptions,
    loader: Loader,
    annotator: Annotator,
    indexer: Indexer,
    search: SearchIndexer,
    render: Render,
    /// Whether the output folder holds what `render` last committed.
    written: bool,
    /// The edition of the last `check`.
    last: Option<Edition>,
    /// Files of the last run still being written (see [`write::Pending`]).
    pending: Option<write::Pending>,
    /// What the run shows of itself on a terminal.
    progress: Progress,
    /// Whether the stages keep what they made for a later run (`serve`).
    runs_again: bool,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Run {
    /// The warnings of the edition as it is now.
    pub warnings: Diagnostics,
    /// Output files written (new or changed contents). This and `made` are listed
    /// by a pipeline that runs again only (`serve`, which reloads the pages).
    pub changed: Vec<String>,
    /// Output files removed.
    pub removed: Vec<String>,
    /// The pages made (whether or not their contents changed).
    pub made: Vec<String>,
    /// How many pages and files the site has.
    pub pages: usize,
    pub files: usize,
    /// Whether the whole output folder was written anew.
    pub replaced: bool,
    /// Every path of the site (from `check` only).
    pub paths: Vec<String>,
    /// Copies of images made by resizing, and taken from the previous output.
    pub images_made: usize,
    pub images_reused: usize,
}

#[derive(Debug)]
pub enum RunError {
    /// The content has errors (all of them, with the warnings); nothing was written.
    Content(Diagnostics),
    /// The output could not be written; the previous output is untouched.
    Output(WriteError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Content(d) => write!(f, "{d}"),
            RunError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Where a run's files go.
enum Target<'t> {
    /// A new output folder, swapped in when everything is written.
    Replace,
    /// The output folder as it is, file by file.
    Update,
    /// Nowhere on disk: to a sink (`check`).
    Sink(&'t dyn Sink),
}

impl Pipeline {
    /// A pipeline that runs again after changes (`serve`): each stage keeps what it
    /// needs to tell what changed.
    pub fn new(options: &BuildOptions) -> Self {
        Self::make(options, true)
    }

    /// A pipeline that runs once (`build`, `check`): what only a later run would
    /// compare with is not kept.
    pub fn once(options: &BuildOptions) -> Self {
        Self::make(options, false)
    }

    fn make(options: &BuildOptions, runs_again: bool) -> Self {
        Self {
            options: options.clone(),
            loader: Loader::new(&options.root),
            annotator: Annotator::default(),
            indexer: Indexer::new(runs_again),
            search: SearchIndexer::new(runs_again),
            render: Render::new(runs_again),
            written: false,
            last: None,
            pending: None,
            progress: Progress::hidden(),
            runs_again,
        }
    }

    /// Shows the stages of the next runs, and the pages made (see [`Progress`]).
    pub fn show_progress(&mut self, progress: Progress) {
        self.render.show_progress(progress.clone());
        self.progress = progress;
    }

    /// Waits until every file of the last run is on the disk. A run waits for it
    /// itself; for tests and tools that read the output between runs.
    pub fn settle(&mut self) -> Result<(), RunError> {
        match self.pending.take().map(write::Pending::wait) {
            Some(Err(e)) => {
                // What is on disk is no longer known: the next run writes it anew.
                self.written = false;
                Err(RunError::Output(e))
            }
            _ => Ok(()),
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Brings the output folder up to date with the edition, after `changed`: the
    /// first time (or after a failure to write) by writing a new folder, otherwise
    /// by writing what changed.
    pub fn run(&mut self, changed: &Changed) -> Result<Run, RunError> {
        let target = if self.written {
            Target::Update
        } else {
            Target::Replace
        };
        self.run_into(changed, target)
    }

    /// Everything a build would report, with the site's files handed to `sink`
    /// (nothing is written); also the edition, for checks of its own.
    pub fn check(&mut self, sink: &dyn Sink) -> Result<(Run, Edition), RunError> {
        self.run_into(&Changed::Everything, Target::Sink(sink))
            .map(|run| (run, self.last.take().expect("kept by the run")))
    }

    fn run_into(&mut self, changed: &Changed, target: Target) -> Result<Run, RunError> {
        self.settle()?;
        // Whatever way the run ends, its progress line goes.
        let progress = self.progress.clone();
        let _cleared = Cleared(&progress);
        let mut clock = StageClock::new();
        let mut diagnostics = Diagnostics::new();
        let content_error = |d: Diagnostics| RunError::Content(d.sorted());

        progress.stage("reading the edition");
        let Some(mut edition) = self.loader.load(changed, &mut diagnostics) else {
            return Err(content_error(diagnostics));
        };
        if let Some(base_url) = &self.options.base_url {
            if let Some(problem) = crate::links::unsafe_link(base_url) {
                diagnostics.error(
                    std::path::Path::new("--base-url"),
                    crate::diagnostics::Position::START,
                    problem,
                );
                return Err(content_error(diagnostics));
            }
            Arc::make_mut(&mut edition.config).base_url = base_url.clone();
        }
        clock.stage("load");
        progress.stage("annotating");
        // Only `check` reads the Markdown after annotation; `serve` compares with it.
        let after = if self.runs_again || matches!(target, Target::Sink(_)) {
            AfterAnnotation::Keep
        } else {
            // The loader holds the documents too: each must be the edition's alone
            // to let go of its Markdown. (A next run reads everything again.)
            self.loader = Loader::new(&self.options.root);
            AfterAnnotation::Release
        };
        let annotated = self
            .annotator
            .annotate(&mut edition, &mut diagnostics, after);
        clock.stage("annotate");
        progress.stage("indexing");
        let index = self.indexer.index(&edition, &annotated);
        clock.stage("index");
        let terms = self.search.index(&edition, &annotated);
        clock.stage("search");
        if diagnostics.has_errors() {
            // Rendering pages of a broken edition would only add noise.
            return Err(content_error(diagnostics));
        }
        let output = match target {
            Target::Replace => {
                let folders = render::document_folders(&edition);
                write::Output::replace(&self.options.root, &self.options.output, folders)
                    .map_err(RunError::Output)?
            }
            Target::Update => write::Output::update(&self.options.output),
            Target::Sink(sink) => write::Output::Sink(sink),
        };
        if !matches!(output, write::Output::Update { .. }) {
            // Everything goes to a new place: everything is made.
            self.render.forget();
        }
        let links = Links::new(&edition.config.base_url, self.options.relative);
        let mut rendered =
            match self
                .render
                .render(&edition, &annotated, index, terms, &links, output.sink())
            {
                Ok(rendered) => rendered,
                Err(problems) => {
                    diagnostics.extend(problems);
                    return Err(content_error(diagnostics));
                }
            };
        clock.stage("render");
        progress.stage("writing");
        let replaced = matches!(output, write::Output::Replace(_));
        let written = !matches!(output, write::Output::Sink(_));
        let images = output.images();
        match output.finish(&rendered.removed) {
            Ok(pending) => self.pending = pending,
            Err(e) => {
                // What is on disk is no longer known: the next run writes it anew.
                self.written = false;
                return Err(RunError::Output(e));
            }
        }
        clock.stage("write");
        let images_made = images.made.load(std::sync::atomic::Ordering::Relaxed);
        let images_reused = images.reused.load(std::sync::atomic::Ordering::Relaxed);
        clock.note(&format!(
            "images: {images_made} copies made, {images_reused} from the previous output"
        ));

        // Taken, not copied: in a first run they name every file of the site.
        let run = Run {
            warnings: diagnostics.sorted(),
            changed: std::mem::take(&mut rendered.changed),
            removed: std::mem::take(&mut rendered.removed),
            made: std::mem::take(&mut rendered.made_pages),
            pages: rendered.pages,
            files: rendered.files,
            replaced,
            paths: if written {
                Vec::new()
            } else {
                self.render.paths()
            },
            images_made,
            images_reused,
        };
        if written {
            self.render.commit(rendered);
            self.written = true;
        } else {
            // Nothing was written: nothing to compare with next time.
            self.render.forget();
            self.last = Some(edition);
        }
        Ok(run)
    }
}

impl Drop for Pipeline {
    /// A pipeline dropped (`serve` stopping) finishes writing what it began.
    fn drop(&mut self) {
        let _ = self.settle();
    }
}

/// Clears the progress line when a run ends, however it ends.
struct Cleared<'p>(&'p Progress);

impl Drop for Cleared<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// With `DOSSIER_TIMINGS` set, the time each stage of a run took and the memory in
/// use after it (with the peak so far), on stderr: what the benchmark's profile
/// notes are made from.
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

impl StageClock {
    /// A line of its own among the stages' (what a stage did, not how long).
    fn note(&self, line: &str) {
        if self.0.is_some() {
            crate::stderr_line!("{line}");
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

/// An edition published without its address cannot be cited: its citations and
/// data files leave the address out, and its sitemap has none that works.
fn public_address(edition: &Edition, diagnostics: &mut Diagnostics) {
    let config = &edition.config;
    if config.public_url().is_some() {
        return;
    }
    let (file, at) = config.base_url_at.clone().unwrap_or_else(|| {
        (
            std::path::PathBuf::from("content/site.yaml"),
            crate::diagnostics::Position::START,
        )
    });
    let why = if config.base_url.contains("://") {
        format!("`{}` is an example address", config.base_url)
    } else {
        "the edition has no public address".to_string()
    };
    diagnostics.warning(
        &file,
        at,
        format!(
            "base_url: {why}, so citations leave the address out and the sitemap's \
             addresses lead nowhere; set `base_url` to where the edition is published \
             (e.g. https://archive.example.edu/edition)"
        ),
    );
}

/// Everything `build` would report, plus what only `check` looks for: words that
/// look like names no register knows, internal links that lead nowhere, and an
/// edition without a public address.
pub fn check(options: &BuildOptions, progress: Progress) -> Diagnostics {
    let links = LinkCheck::default();
    let mut pipeline = Pipeline::once(options);
    pipeline.show_progress(progress.clone());
    let diagnostics = match pipeline.check(&links) {
        Ok((run, edition)) => {
            let mut d = run.warnings;
            // Run after the pipeline's own stages, so shown as one of them again.
            let progress = Cleared(&progress);
            progress.0.stage("looking for names no register knows");
            annotate::name_hints(&edition, pipeline.annotator.recognizer(), &mut d);
            public_address(&edition, &mut d);
            d.extend(links.broken(&run.paths));
            d
        }
        Err(RunError::Content(d)) => d,
        Err(RunError::Output(e)) => {
            let mut d = Diagnostics::new();
            d.error(
                &options.output,
                crate::diagnostics::Position::START,
                e.to_string(),
            );
            d
        }
    };
    diagnostics.sorted()
}
