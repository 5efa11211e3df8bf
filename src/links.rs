//! Addresses of the site's pages and the links between them, shared by the stages that
//! write links (`annotate` for mentions in texts, `render` for everything else).
//!
//! Internal links are relative (`../../documents/x/`), so a site works from any web
//! server path; with `relative_files` they also name `index.html`, so it works opened
//! from the file system. Absolute addresses (citations, canonical links) use the
//! site's base URL.

use crate::diagnostics::{Diagnostic, Lines, Position};
use crate::model::{EntityKind, EntityRef};
use crate::render::{OutputFile, Sink};
use std::sync::Mutex;

/// A page's address in the site: `""` (home), `documents/`, `documents/<id>/`; or an
/// asset's: `style.css`.
pub(crate) type Address = str;

#[derive(Debug, Clone)]
pub(crate) struct Links {
    base_url: String,
    relative_files: bool,
    /// Whether `base_url` is where the edition is really published (see
    /// [`crate::model::public_base`]).
    public: bool,
}

impl Links {
    pub(crate) fn new(base_url: &str, relative_files: bool) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            relative_files,
            public: crate::model::public_base(base_url).is_some(),
        }
    }

    /// A link from the page at `from` to `to`.
    pub(crate) fn href(&self, from: &Address, to: &Address) -> String {
        // Bytes rather than str patterns: every page makes dozens of links.
        let (path, fragment) = match to.bytes().position(|b| b == b'#') {
            Some(at) => (&to[..at], Some(&to[at + 1..])),
            None => (to, None),
        };
        let mut href = String::with_capacity(to.len() + 3 * 4 + 12);
        // Below the current page: the short way down; elsewhere: up to the root first.
        match path.strip_prefix(from) {
            Some(below) if from.ends_with('/') || from.is_empty() => href.push_str(below),
            _ => {
                for _ in from.bytes().filter(|&b| b == b'/') {
                    href.push_str("../");
                }
                href.push_str(path);
            }
        }
        if self.relative_files && (path.is_empty() || path.ends_with('/')) {
            href.push_str("index.html");
        } else if href.is_empty() {
            href.push_str("./");
        }
        if let Some(fragment) = fragment {
            href.push('#');
            href.push_str(fragment);
        }
        href
    }

    /// The full address, for citations and machine-readable links.
    pub(crate) fn absolute(&self, to: &Address) -> String {
        format!("{}/{}", self.base_url, to)
    }

    /// The full address of `to` if the edition has a public one: what citations
    /// and data give, never a placeholder.
    pub(crate) fn public(&self, to: &Address) -> Option<String> {
        self.public.then(|| self.absolute(to))
    }

    /// A link in a file for machines (data, TEI, feeds, metadata) at `from`: the
    /// full address when the edition has a public one, else relative to `from`
    /// (which readers of such files resolve against where they found it).
    pub(crate) fn for_machines(&self, from: &Address, to: &Address) -> String {
        match self.public {
            true => self.absolute(to),
            false => self.href(from, to),
        }
    }

    /// The path of the site's root on its server (`/pyongyang-1956/` for
    /// `https://example.org/pyongyang-1956`), for a page shown at any address (the
    /// 404 page); `None` when the site is made to be opened from the file system.
    pub(crate) fn root_path(&self) -> Option<String> {
        if self.relative_files {
            return None;
        }
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
        Some(format!("{}/", path.trim_end_matches('/')))
    }

    /// The file a page address is written to.
    pub(crate) fn file_of(address: &Address) -> String {
        if address.is_empty() || address.ends_with('/') {
            format!("{address}index.html")
        } else {
            address.to_string()
        }
    }
}

/// The schemes an editor's address may have to be published as a link: the web and
/// e-mail. Addresses without a scheme (relative, `#fragment`) are links too.
const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The scheme of `url` if it is one that is not published as a link (`javascript`,
/// `data`, `vbscript`, `file`...): read as a browser reads it, with tabs and line
/// breaks anywhere and spaces or control characters in front left out, in any case
/// (character references are decoded before: Markdown decodes them in addresses).
pub(crate) fn forbidden_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let address = cleaned.trim_start_matches(|c: char| c <= ' ');
    let end = address.find([':', '/', '?', '#'])?;
    let scheme = &address[..end];
    // Before a colon, anything but a scheme's letters makes the address relative.
    let is_scheme = address[end..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let scheme = scheme.to_ascii_lowercase();
    (is_scheme && !SAFE_SCHEMES.contains(&scheme.as_str())).then_some(scheme)
}

/// Why `url` is not published as a link, worded for the editor, if it is not.
pub(crate) fn unsafe_link(url: &str) -> Option<String> {
    forbidden_scheme(url).map(|scheme| {
        format!(
            "`{scheme}:` addresses are not published as links (a reader's browser would run or \
             open them): only http, https, mailto, relative and #fragment addresses are"
        )
    })
}

pub(crate) fn document_address(id: &str) -> String {
    format!("documents/{id}/")
}

/// The page of a register entry; glossary terms share one page, at their anchor.
pub(crate) fn entity_address(entity: &EntityRef) -> String {
    match entity.kind {
        EntityKind::Term => format!("glossary/#term-{}", entity.id),
        kind => format!("{}/{}/", kind.section(), entity.id),
    }
}

/// The address of an entry's own page: a glossary term's is `glossary/<id>/`
/// (made for terms named by more documents than the glossary lists; see
/// `render::paging::GLOSSARY_DOCUMENTS`); the others' are where links lead.
pub(crate) fn entry_page_address(entity: &EntityRef) -> String {
    match entity.kind {
        EntityKind::Term => format!("glossary/{}/", entity.id),
        _ => entity_address(entity),
    }
}

pub(crate) fn tag_address(tag: &str) -> String {
    format!("tags/{tag}/")
}

/// Collects the internal links of rendered pages as they are made, to find those that
/// lead to no file of the site once the whole site is known.
#[derive(Default)]
pub(crate) struct LinkCheck {
    links: Mutex<Vec<PageLinks>>,
}

/// A page and the (position, target) of each internal link on it.
type PageLinks = (String, Vec<(Position, String)>);

impl Sink for LinkCheck {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if let (true, Some(bytes)) = (file.path.ends_with(".html"), file.bytes()) {
            let html = String::from_utf8_lossy(bytes);
            let lines = Lines::new(&html);
            let targets = link_targets(&html)
                .into_iter()
                .filter(|(_, t)| {
                    !(t.contains("://") || t.starts_with("mailto:") || t.starts_with('#'))
                })
                .map(|(offset, t)| (lines.position(offset), t.to_string()))
                .collect();
            self.links
                .lock()
                .expect("not poisoned")
                .push((file.path, targets));
        }
        Ok(())
    }
}

impl LinkCheck {
    /// The links that lead to none of `files`, reported at the page that has them.
    pub(crate) fn broken(self, files: &[String]) -> Vec<Diagnostic> {
        let files: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
        let mut links = self.links.into_inner().expect("not poisoned");
        links.sort();
        let mut broken = Vec::new();
        for (path, targets) in links {
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            for (position, target) in targets {
                let target = target.split(['#', '?']).next().unwrap_or("");
                let Some(resolved) = resolve(folder, target) else {
                    continue;
                };
                let exists = files.contains(resolved.as_str())
                    || files.contains(format!("{resolved}index.html").as_str())
                    || files.contains(format!("{resolved}/index.html").as_str());
                if !exists {
                    broken.push(Diagnostic::error(
                        format!("public/{path}"),
                        position,
                        format!("broken link: `{target}` leads to no page of the site"),
                    ));
                }
            }
        }
        broken
    }
}

/// The values of `href="..."` and `src="..."` attributes, with their offsets; not
/// that of `<base>`, which is where the links start, not one of them (the page's
/// links are written from its place in the site either way).
fn link_targets(html: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\""] {
        let mut search = 0;
        while let Some(at) = html[search..].find(attribute) {
            let start = search + at + attribute.len();
            let Some(end) = html[start..].find('"') else {
                break;
            };
            let tag = html[..search + at].rfind('<').map_or("", |t| &html[t..]);
            if !tag.starts_with("<base ") {
                found.push((start, &html[start..start + end]));
            }
            search = start + end;
        }
    }
    found
}

/// `target` seen from `folder`, as a path of the site; `None` if it leaves the site.
fn resolve(folder: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut resolved = parts.join("/");
    if target.ends_with('/') && !resolved.is_empty() {
        resolved.push('/');
    }
    Some(resolved)
}

#[cfg(test)]
mod safe_links {
    use super::forbidden_scheme;

    #[test]
    fn only_the_web_mail_and_relative_addresses_are_links() {
        for safe in [
            "https://example.org/x",
            "HTTP://x",
            "mailto:a@b.c",
            "../people/x/",
            "#ru-3",
            "36.jpg",
            "a/b:c",
            "?q=a:b",
            "%6Aavascript:alert(1)",
            "",
        ] {
            assert_eq!(forbidden_scheme(safe), None, "{safe}");
        }
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            (" \u{1}javascript:alert(1)", "javascript"),
            ("java\tscr\nipt:alert(1)", "javascript"),
            ("vbscript:msgbox", "vbscript"),
            ("data:text/html,<script>", "data"),
            ("file:///etc/passwd", "file"),
        ] {
            assert_eq!(forbidden_scheme(url).as_deref(), Some(scheme), "{url:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page() {
        let links = Links::new("https://example.org/edition/", false);
        assert_eq!(
            links.href("documents/a/", "documents/b/"),
            "../../documents/b/"
        );
        assert_eq!(links.href("documents/a/", ""), "../../");
        assert_eq!(links.href("", ""), "./");
        assert_eq!(links.href("", "style.css"), "style.css");
        assert_eq!(links.href("documents/a/", "documents/a/source/"), "source/");
        assert_eq!(links.href("documents/a/", "documents/a/"), "./");
        assert_eq!(
            links.href("documents/ab/", "documents/a/"),
            "../../documents/a/"
        );
        assert_eq!(
            links.absolute("documents/a/"),
            "https://example.org/edition/documents/a/"
        );
    }

    #[test]
    fn finds_links_to_nowhere() {
        let check = LinkCheck::default();
        let mut files = Vec::new();
        for (path, html) in [
            (
                "index.html",
                "<a href=\"documents/\">x</a> <a href=\"people/nobody/\">y</a> <a href=\"https://example.org/\">z</a>",
            ),
            ("documents/index.html", "<link href=\"../style.css\"><a href=\"../\">home</a>"),
            ("style.css", ""),
        ] {
            files.push(path.to_string());
            let file = OutputFile {
                path: path.into(),
                contents: crate::render::Contents::Bytes(html.as_bytes().to_vec()),
            };
            check.put(file).unwrap();
        }
        let broken = check.broken(&files);
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(broken[0].message.contains("people/nobody/"));
        assert_eq!((broken[0].line, broken[0].column), (1, 37));
    }

    #[test]
    fn file_system_links_name_the_index_file() {
        let links = Links::new("/", true);
        assert_eq!(
            links.href("documents/a/", "documents/b/"),
            "../../documents/b/index.html"
        );
        assert_eq!(links.href("", ""), "index.html");
        assert_eq!(links.href("about/", "style.css"), "../style.css");
        assert_eq!(
            links.href("documents/a/", "glossary/#term-kwp"),
            "../../glossary/index.html#term-kwp"
        );
    }
}
