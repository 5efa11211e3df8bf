//! Helpers for tests of generated sites: build an edition into a temporary folder,
//! read its pages with a real HTML parser, follow its links.
//!
//! The tests themselves are in `tests/`; they check what a reader gets, not how
//! dossier makes it.

pub mod browser;

use dossier::{BuildError, BuildOptions, BuildReport};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

/// The repository's root: the example edition lives in its `content/`.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("site-tests is inside the repository")
        .to_path_buf()
}

/// A site built into a temporary folder (removed when dropped).
pub struct BuiltSite {
    _dir: tempfile::TempDir,
    pub output: PathBuf,
    pub report: BuildReport,
}

impl BuiltSite {
    /// Builds the edition at `root`, panicking with the build's messages on failure.
    pub fn build(root: &Path) -> Self {
        Self::try_build(root, false).unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    pub fn try_build(root: &Path, relative: bool) -> Result<Self, BuildError> {
        let dir = tempfile::tempdir().expect("temporary folder");
        let output = dir.path().join("public");
        let report = dossier::build(&BuildOptions {
            root: root.to_path_buf(),
            output: output.clone(),
            base_url: None,
            relative,
        })?;
        Ok(Self {
            _dir: dir,
            output,
            report,
        })
    }

    /// The example edition of this repository.
    pub fn example() -> Self {
        Self::build(&repository_root())
    }

    /// A page by its address (`documents/x/`), parsed.
    pub fn page(&self, address: &str) -> Html {
        let path = self.output.join(address).join("index.html");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} should exist: {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Every HTML file of the site, relative to the output folder.
    pub fn html_files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        collect_files(&self.output, &mut files);
        files.retain(|p| p.extension().is_some_and(|e| e == "html"));
        files
            .into_iter()
            .map(|p| p.strip_prefix(&self.output).unwrap().to_path_buf())
            .collect()
    }
}

/// Copies the folder `from` to `to`, recursively (editions to break or edit).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn collect_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable output").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, into);
        } else {
            into.push(path);
        }
    }
}

/// A CSS selector (panics on a typo in a test).
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// The text of the first element matching `css`, whitespace collapsed.
pub fn text_of(html: &Html, css: &str) -> Option<String> {
    html.select(&selector(css)).next().map(|e| {
        e.text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The file a link on the page at `page` (relative to the output) points to, if it
/// is internal: `None` for external links, mailto and the like.
pub fn link_target(output: &Path, page: &Path, href: &str) -> Option<PathBuf> {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with("//") {
        return None;
    }
    let without_fragment = href.split('#').next().unwrap_or("");
    let without_query = without_fragment.split('?').next().unwrap_or("");
    if without_query.is_empty() {
        return Some(output.join(page));
    }
    let base = output.join(page.parent().unwrap_or(Path::new("")));
    let mut target = if let Some(absolute) = without_query.strip_prefix('/') {
        output.join(absolute)
    } else {
        base.join(without_query)
    };
    if without_query.ends_with('/') {
        target = target.join("index.html");
    }
    Some(normalise(&target))
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
