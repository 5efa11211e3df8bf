//! Hostile input for a whole build: what every fuzz target (`fuzz/`) checks, and the
//! test that replays the inputs they found (`tests/fuzz_regressions.rs`).
//!
//! A small edition (`fuzz/base/`) has one or more of its files
//! replaced by the input's bytes: the build does not panic; if it succeeds, every
//! page it wrote nests (no crossing or unclosed elements); if it fails, it fails on
//! the content; and every problem it reports (errors and warnings) names a file of the
//! edition and a line and column inside that file.
//!
//! The edition is copied once per process to a temporary folder (in memory, under
//! `/dev/shm`, where there is one) and its files written back before each input.

use dossier::diagnostics::Diagnostic;
use dossier::{BuildError, BuildOptions};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The files of the base edition that inputs replace, in the order the `edition`
/// target's input gives them.
pub const FILES: [&str; 8] = [
    "content/site.yaml",
    "content/people.yaml",
    "content/events.yaml",
    "content/glossary.yaml",
    "content/documents/telegram/index.md",
    "content/documents/telegram/ru.md",
    "content/documents/telegram/en.md",
    "content/pages/about.md",
];

struct Edition {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn base() -> PathBuf {
    crate::repository_root().join("fuzz/base")
}

/// What a fuzz target's input stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A document's `index.md`: front matter and headnote.
    FrontMatter,
    /// A text (`ru.md`), Markdown with every extension.
    Text,
    /// A register (`people.yaml`).
    Register,
    /// A whole edition: the files of [`FILES`], in order, separated by NUL bytes;
    /// files the input does not reach keep the base's content.
    Edition,
}

impl Target {
    pub const ALL: [Target; 4] = [
        Target::FrontMatter,
        Target::Text,
        Target::Register,
        Target::Edition,
    ];

    /// Its name in `fuzz/` (`fuzz_targets/<name>.rs`, `regressions/<name>/`).
    pub fn name(self) -> &'static str {
        match self {
            Target::FrontMatter => "front_matter",
            Target::Text => "text",
            Target::Register => "register",
            Target::Edition => "edition",
        }
    }

    /// Builds the base edition with `data` in place and checks the result.
    pub fn run(self, data: &[u8]) {
        match self {
            Target::FrontMatter => build_with(&[("content/documents/telegram/index.md", data)]),
            Target::Text => build_with(&[("content/documents/telegram/ru.md", data)]),
            Target::Register => build_with(&[("content/people.yaml", data)]),
            Target::Edition => {
                let files: Vec<(&str, &[u8])> = FILES
                    .iter()
                    .zip(data.split(|&b| b == 0))
                    .map(|(file, bytes)| (*file, bytes))
                    .collect();
                build_with(&files);
            }
        }
    }
}

fn edition() -> &'static Edition {
    static EDITION: OnceLock<Edition> = OnceLock::new();
    EDITION.get_or_init(|| {
        let memory = Path::new("/dev/shm");
        let dir = if memory.is_dir() {
            tempfile::tempdir_in(memory)
        } else {
            tempfile::tempdir()
        }
        .expect("a temporary folder");
        let root = dir.path().join("edition");
        crate::copy_tree(&base(), &root);
        Edition { _dir: dir, root }
    })
}

/// Builds the base edition with `replaced` files (relative path, bytes) in place of
/// its own, and checks the result (see the crate comment).
fn build_with(replaced: &[(&str, &[u8])]) {
    let edition = edition();
    for file in FILES {
        let bytes = match replaced.iter().find(|(f, _)| *f == file) {
            Some((_, bytes)) => bytes.to_vec(),
            None => std::fs::read(base().join(file)).expect("the base edition"),
        };
        std::fs::write(edition.root.join(file), bytes).expect("writable");
    }
    let result = dossier::build(&BuildOptions {
        root: edition.root.clone(),
        output: edition.root.join("public"),
        base_url: None,
        relative: false,
    });
    match result {
        Ok(report) => {
            for warning in report.warnings.iter() {
                check_place(&edition.root, warning);
            }
            check_pages(&edition.root.join("public"));
        }
        Err(BuildError::Content(problems)) => {
            assert!(problems.has_errors(), "a failed build names an error");
            for problem in problems.iter() {
                check_place(&edition.root, problem);
            }
        }
        Err(BuildError::Output(e)) => panic!("the output could not be written: {e}"),
    }
}

/// A problem's place is in the edition, and inside its file.
fn check_place(root: &Path, problem: &Diagnostic) {
    assert!(
        problem.line >= 1 && problem.column >= 1,
        "no place: {problem}"
    );
    // Paths are given as the edition's root was (absolute here).
    let relative = problem.path.strip_prefix(root).unwrap_or(&problem.path);
    assert!(
        !relative.as_os_str().is_empty() && relative.is_relative(),
        "not a file of the edition: {problem}"
    );
    let Ok(text) = std::fs::read(root.join(relative)) else {
        return;
    };
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        problem.line <= lines.len(),
        "line {} of {} lines: {problem}",
        problem.line,
        lines.len()
    );
    let line = lines[problem.line - 1];
    assert!(
        problem.column <= line.chars().count() + 1,
        "column {} of a line of {} characters: {problem}",
        problem.column,
        line.chars().count()
    );
}

fn check_pages(folder: &Path) {
    for entry in std::fs::read_dir(folder).expect("the output").flatten() {
        let path = entry.path();
        if path.is_dir() {
            check_pages(&path);
        } else if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).expect("pages are UTF-8");
            let problems = crate::nesting_problems(&html);
            assert!(
                problems.is_empty(),
                "{}: {}\n{html}",
                path.display(),
                problems.join("; ")
            );
        }
    }
}
