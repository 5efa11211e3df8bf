//! The `dossier` command line: parses arguments and hands over to the library.

use clap::{Parser, Subcommand};
use dossier::{BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
    /// Report every problem of the edition, and words that look like names no register
    /// knows, without writing anything. Exit status 1 if there are errors.
    Check {
        /// The edition's folder, holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
        Command::Check { root } => check(&root),
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
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn check(root: &std::path::Path) -> ExitCode {
    let diagnostics = dossier::check(root);
    eprint!("{diagnostics}");
    let errors = diagnostics.error_count();
    let warnings = diagnostics.len() - errors;
    eprintln!("{errors} error(s), {warnings} warning(s)");
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn build(options: BuildOptions) -> ExitCode {
    let started = Instant::now();
    match dossier::build(&options) {
        Ok(report) => {
            eprint!("{}", report.warnings);
            eprintln!(
                "Built {} pages ({} files) into {} in {} ms{}",
                report.pages,
                report.files,
                options.output.display(),
                started.elapsed().as_millis(),
                match report.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning(s)"),
                }
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            eprint!("{diagnostics}");
            eprintln!(
                "error: build failed with {} error(s); {} was left untouched",
                diagnostics.error_count(),
                options.output.display()
            );
            ExitCode::FAILURE
        }
        Err(BuildError::Output(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
