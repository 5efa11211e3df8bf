//! Helpers for tests of generated sites: build an edition into a temporary folder,
//! read its pages with a real HTML parser, follow its links.
//!
//! The tests themselves are in `tests/`; they check what a reader gets, not how
//! dossier makes it.

pub mod browser;
pub mod hostile;

use dossier::{BuildError, BuildOptions, BuildReport};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

/// One page of each kind of the example edition, by name and file (with a query,
/// for the search page): what the quality suites (axe-core, keyboard, no
/// JavaScript, screenshots) go through.
pub const PAGE_KINDS: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("documents", "documents/index.html"),
    (
        "document",
        "documents/mikoyan-telegram-to-cpsu-cc/index.html",
    ),
    (
        "source",
        "documents/mikoyan-telegram-to-cpsu-cc/source/index.html",
    ),
    ("people", "people/index.html"),
    ("person", "people/kim-il-sung/index.html"),
    ("events", "events/index.html"),
    ("event", "events/august-plenum/index.html"),
    ("places", "places/index.html"),
    ("place", "places/pyongyang/index.html"),
    ("glossary", "glossary/index.html"),
    ("tags", "tags/index.html"),
    ("tag", "tags/kwp/index.html"),
    ("about", "about/index.html"),
    ("not-found", "404.html"),
    // With a query, so that results and filters are on the page.
    (
        "search",
        "search/index.html?q=%D0%9F%D1%85%D0%B5%D0%BD%D1%8C%D1%8F%D0%BD",
    ),
];

/// The repository's root: the example edition lives in its `content/`.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("site-tests is inside the repository")
        .to_path_buf()
}

/// A site built into a temporary folder (removed when dropped), or into a folder
/// given (left as it is).
pub struct BuiltSite {
    _dir: Option<tempfile::TempDir>,
    pub output: PathBuf,
    pub report: BuildReport,
}

impl BuiltSite {
    /// Builds the edition at `root`, panicking with the build's messages on failure.
    pub fn build(root: &Path) -> Self {
        Self::try_build(root, false).unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    /// Builds the edition at `root` into `output`, as `dossier build --output`
    /// does: a second build into the same folder replaces the first.
    pub fn build_into(root: &Path, output: &Path) -> Self {
        let report = dossier::build(&BuildOptions {
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            base_url: None,
            relative: false,
        })
        .unwrap_or_else(|e| panic!("build failed:\n{e}"));
        Self {
            _dir: None,
            output: output.to_path_buf(),
            report,
        }
    }

    pub fn try_build(root: &Path, relative: bool) -> Result<Self, BuildError> {
        Self::try_build_with(root, relative, None)
    }

    /// The edition at `root` built as if published at `base_url`.
    pub fn build_at(root: &Path, base_url: &str) -> Self {
        Self::try_build_with(root, false, Some(base_url.to_string()))
            .unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    fn try_build_with(
        root: &Path,
        relative: bool,
        base_url: Option<String>,
    ) -> Result<Self, BuildError> {
        let dir = tempfile::tempdir().expect("temporary folder");
        let output = dir.path().join("public");
        let report = dossier::build(&BuildOptions {
            root: root.to_path_buf(),
            output: output.clone(),
            base_url,
            relative,
        })?;
        Ok(Self {
            _dir: Some(dir),
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
        self.page_file(Path::new(address).join("index.html"))
    }

    /// A page by its file (`404.html`), parsed.
    pub fn page_file(&self, file: impl AsRef<Path>) -> Html {
        let path = self.output.join(file);
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

impl BuiltSite {
    /// Every HTML file of the site whose elements do not nest (see
    /// [`nesting_problems`]), with what is wrong.
    pub fn badly_nested_pages(&self) -> Vec<String> {
        self.html_files()
            .into_iter()
            .filter_map(|file| {
                let html = std::fs::read_to_string(self.output.join(&file)).unwrap();
                let problems = nesting_problems(&html);
                (!problems.is_empty())
                    .then(|| format!("{}: {}", file.display(), problems.join("; ")))
            })
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

/// What is wrong with the nesting of `html`, a whole page: crossing elements
/// (`<em><span></em></span>`), closing tags with nothing to close, elements left open
/// that HTML does not close by itself, and the errors an HTML5 parser (html5ever)
/// reports. A browser repairs all of these silently, each its own way; a page dossier
/// writes must need no repair. Empty: none.
pub fn nesting_problems(html: &str) -> Vec<String> {
    let mut problems: Vec<String> = Html::parse_document(html)
        .errors
        .iter()
        .map(|e| format!("HTML5 parser: {e}"))
        .collect();
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let line_of = |at: usize| html[..at].matches('\n').count() + 1;
    let mut open: Vec<(&str, usize)> = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            at = start + 4 + comment.find("-->").map_or(comment.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<!") {
            at = start + rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        // The tag's end: the first `>` outside a quoted attribute value.
        let mut quote = None;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => {
                    end = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            problems.push(format!("line {}: a `<` that begins no tag", line_of(start)));
            break;
        };
        let tag = &rest[1..end];
        at = start + end + 1;
        let closing = tag.starts_with('/');
        let name_of = |t: &str| -> String {
            t.trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        let name = name_of(tag);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            problems.push(format!("line {}: `<{tag}>` is no tag", line_of(start)));
            continue;
        }
        let name: &str = &html[start + 1 + usize::from(closing)..][..name.len()];
        if closing {
            match open.pop() {
                Some((top, _)) if top.eq_ignore_ascii_case(name) => {}
                Some((top, line)) => {
                    problems.push(format!(
                        "line {}: `</{name}>` closes `<{top}>` (opened on line {line})",
                        line_of(start)
                    ));
                    break;
                }
                None => {
                    problems.push(format!(
                        "line {}: `</{name}>` closes nothing",
                        line_of(start)
                    ));
                    break;
                }
            }
        } else if !VOID.contains(&name.to_ascii_lowercase().as_str()) && !tag.ends_with('/') {
            open.push((name, line_of(start)));
            // Their content is text, whatever it holds.
            if matches!(name, "script" | "style") {
                let close = format!("</{name}");
                at += html[at..].find(&close).unwrap_or(html.len() - at);
            }
        }
    }
    for (name, line) in open {
        problems.push(format!("`<{name}>` (line {line}) is never closed"));
    }
    problems
}

/// A folder served over HTTP on a free local port, as a static host serves a site
/// (`/x/` is `/x/index.html`; a missing file is a 404), until dropped.
pub struct FolderServer {
    pub url: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for FolderServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wakes the accepting thread so it sees the flag.
        let _ = std::net::TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

pub fn serve_folder(folder: &Path) -> FolderServer {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (folder, stopped) = (folder.to_path_buf(), stop.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stopped.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else { continue };
            let folder = folder.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok() && line.trim() != "" {
                    line.clear();
                }
                let target = request.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/");
                let path = percent_decode(path);
                let mut file = folder.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => ("200 OK", body),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    Some("svg") => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    FolderServer { url, stop }
}

/// A URL's path with its `%XX` escapes read back (as UTF-8).
pub fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::nesting_problems;

    fn page(body: &str) -> String {
        format!("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body>{body}</body></html>")
    }

    #[test]
    fn nesting_problems_are_found() {
        assert_eq!(
            nesting_problems(&page("<p>a <em>b</em> <a href=\"x>y\">c</a><br></p>")),
            Vec::<String>::new()
        );
        let crossing = nesting_problems(&page("<p><em>a<span>b</em>c</span></p>"));
        assert!(
            crossing.iter().any(|p| p.starts_with("HTML5 parser"))
                && crossing.iter().any(|p| p.contains("closes `<span>`")),
            "{crossing:?}"
        );
        assert!(!nesting_problems(&page("<p>a</em></p>")).is_empty());
        assert!(!nesting_problems(&page("<p><em>a</p>")).is_empty());
        assert!(!nesting_problems(&page("<div><p>a</div>")).is_empty());
    }
}
