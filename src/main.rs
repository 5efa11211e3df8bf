//! The `dossier` command line: parses arguments and hands over to the library.

use clap::{Parser, Subcommand};
use dossier::{BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// glibc's allocator spent ~15% of a 10,000-document build in malloc and free
/// (many threads, many short-lived strings); mimalloc does the same work in less.
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc v3's
/// `include/mimalloc.h`; a test checks it still holds the purge delay).
#[cfg(not(feature = "system-allocator"))]
const MIMALLOC_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For commands that end when their work is done: memory freed stays with the
/// process. By default mimalloc gives memory unused for a second back to the
/// system, and a build frees and allocates hundreds of MiB as it goes from stage
/// to stage; taking pages back means the kernel zeroing them again, which cost
/// ~10% of a 10,000-document build. `serve` keeps the default: an idle server
/// should give memory back.
#[cfg(not(feature = "system-allocator"))]
fn keep_freed_memory() {
    // SAFETY: sets an option of the allocator; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MIMALLOC_PURGE_DELAY, -1) }
}

#[cfg(feature = "system-allocator")]
fn keep_freed_memory() {}

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "A static website generator for documentary editions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds).
    Build {
        /// The edition's folder, holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site will be published at (overrides site.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// Make links work when the site is opened from the file system.
        #[arg(long)]
        relative: bool,
    },
    /// Build, serve on 127.0.0.1, and rebuild what an edit changes; open pages reload.
    Serve {
        /// The edition's folder, holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
    },
    /// Report every problem of the edition without writing anything
    ///
    /// Every problem a build would report, and what only `check` looks for: words that
    /// look like names no register knows, and broken internal links. Exit status 1 if
    /// there are errors.
    Check {
        /// The edition's folder, holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text`: one line per problem; `json`: one JSON document.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with status 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Start a new document: content/documents/<ID>/ with commented metadata and an
    /// empty text per language of site.yaml.
    New {
        /// The document's id (its folder and address): lowercase letters, digits, hyphens.
        id: String,
        /// The edition's folder, holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start a new edition in DIR (default: here) that builds as it is.
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Make document bundles from archive text exports (or TEI P5 files)
    ///
    /// Each file becomes a document (content/documents/<id>/index.md and a text per
    /// language); a file that holds only a translation joins the document it
    /// translates. Nothing is written if any file cannot be read, and no existing file
    /// is overwritten without --force. Exit status 1 if nothing was written.
    Import {
        /// The files to import (archive exports: .txt or .md; TEI: .xml).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The edition's folder to write into (holding, or to hold, content/).
        #[arg(long, default_value = ".")]
        into: PathBuf,
        /// Replace files and register entries that exist already.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            relative,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            build(BuildOptions {
                root,
                output,
                base_url,
                relative,
            })
        }
        Command::Check {
            root,
            format,
            deny_warnings,
        } => check(&root, format, deny_warnings),
        Command::New { id, root } => {
            let today = today();
            report_created(
                dossier::scaffold::new_document(&root, &id, &today),
                &format!(
                    "Its date is today's, {today}, for now: put the document's own date in its index.md, then the texts in its .md files."
                ),
            )
        }
        Command::Init { dir } => report_created(
            dossier::scaffold::new_edition(&dir),
            &format!(
                "Next: in {}, edit content/site.yaml, start a document with `dossier new <id>`, and see the site with `dossier serve`.",
                dir.display()
            ),
        ),
        Command::Import { files, into, force } => import(&files, &into, force),
        Command::Serve {
            root,
            output,
            port,
            open,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = dossier::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    output,
                    base_url: None,
                    relative: false,
                },
                port,
                open,
            };
            match dossier::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    dossier::stderr_line!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn check(root: &std::path::Path, format: Format, deny_warnings: bool) -> ExitCode {
    keep_freed_memory();
    let diagnostics = dossier::check_showing(root, dossier::progress::Progress::on_terminal());
    let errors = diagnostics.error_count();
    let warnings = diagnostics.len() - errors;
    match format {
        Format::Text => {
            dossier::stderr_text!("{diagnostics}");
            dossier::stderr_line!("{errors} error(s), {warnings} warning(s)");
        }
        Format::Json => {
            let problems: Vec<serde_json::Value> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "path": d.path.to_string_lossy(),
                        "line": d.line,
                        "column": d.column,
                        "level": d.level.to_string(),
                        "message": d.message,
                    })
                })
                .collect();
            let report =
                serde_json::json!({ "errors": errors, "warnings": warnings, "problems": problems });
            dossier::stdout_line!(
                "{}",
                serde_json::to_string_pretty(&report).expect("JSON of plain values")
            );
        }
    }
    if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What `new` and `init` made, and `next`: what the editor does now.
fn report_created(
    result: Result<Vec<PathBuf>, dossier::scaffold::ScaffoldError>,
    next: &str,
) -> ExitCode {
    match result {
        Ok(files) => {
            for file in files {
                dossier::stderr_line!("Created {}", file.display());
            }
            dossier::stderr_line!("{next}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            dossier::stderr_line!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `dossier import`: its warnings with their places, then what was written.
fn import(files: &[PathBuf], into: &std::path::Path, force: bool) -> ExitCode {
    let outcome = dossier::import::import(files, into, force);
    dossier::stderr_text!("{}", outcome.diagnostics);
    match outcome.result {
        Ok(written) => {
            for file in &written {
                dossier::stderr_line!("Created {}", file.display());
            }
            let warnings = outcome.diagnostics.len();
            dossier::stderr_line!(
                "Imported {} file(s){}. Next: read the warnings' places, then `dossier build --root {}`.",
                files.len(),
                match warnings {
                    0 => String::new(),
                    n => format!(" with {n} warning(s)"),
                },
                into.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            dossier::stderr_line!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Today's date (UTC) as YYYY-MM-DD, for a new document's placeholder date.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    dossier::model::PartialDate::from_day(days).to_string()
}

fn build(options: BuildOptions) -> ExitCode {
    let started = Instant::now();
    keep_freed_memory();
    match dossier::build_showing(&options, dossier::progress::Progress::on_terminal()) {
        Ok(report) => {
            dossier::stderr_text!("{}", report.warnings);
            dossier::stderr_line!(
                "Built {} pages ({} files) into {} in {} ms{}{}",
                report.pages,
                report.files,
                options.output.display(),
                started.elapsed().as_millis(),
                match (report.images_made, report.images_reused) {
                    (0, 0) => String::new(),
                    (made, reused) => format!(
                        "; images: {made} copies made, {reused} kept from the previous build"
                    ),
                },
                match report.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning(s)"),
                }
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            dossier::stderr_text!("{diagnostics}");
            dossier::stderr_line!(
                "error: build failed with {} error(s); {} was left untouched",
                diagnostics.error_count(),
                options.output.display()
            );
            ExitCode::FAILURE
        }
        Err(BuildError::Output(e)) => {
            dossier::stderr_line!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(all(test, not(feature = "system-allocator")))]
mod tests {
    use super::MIMALLOC_PURGE_DELAY;

    #[test]
    fn the_option_set_for_builds_is_mimallocs_purge_delay() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // 1000 ms is the purge delay's default and no other option's.
        let default = unsafe { libmimalloc_sys::mi_option_get(MIMALLOC_PURGE_DELAY) };
        assert_eq!(default, 1000);
    }
}
