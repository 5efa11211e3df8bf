//! How to cite a document (Chicago style, as archives and journals ask for).

use crate::html::escape;
use crate::model::{Document, SiteConfig};
use serde::Serialize;

/// A citation as plain text (to copy) and as HTML (to show, with the edition's title
/// in italics).
#[derive(Debug, Clone, Serialize)]
pub(super) struct Citation {
    pub text: String,
    pub html: String,
}

/// `"Title," September 16, 1956, Archive, f. 5446, op. 98c, d. 717. Translated by X.
/// In Edition, edited by Y. URL.`
pub(super) fn chicago(document: &Document, site: &SiteConfig, url: &str) -> Citation {
    let meta = &document.meta;
    let title = meta.title.trim();
    let quoted = if title.ends_with(['?', '!']) {
        format!("\u{201c}{title}\u{201d}")
    } else {
        format!("\u{201c}{title},\u{201d}")
    };
    let mut head = format!("{quoted} {}", meta.date.american());
    if let Some(archive) = &meta.archive {
        let reference = archive.citation();
        if !reference.is_empty() {
            head.push_str(", ");
            head.push_str(&reference);
        }
    }
    head.push('.');
    let translation = translations(document, site);
    let editors = site
        .editors_in_words()
        .map(|names| format!(", edited by {names}"))
        .unwrap_or_default();
    let text = format!("{head}{translation} In {}{editors}. {url}.", site.title);
    let html = format!(
        "{}{} In <i>{}</i>{}. <a href=\"{}\">{}</a>.",
        escape(&head),
        escape(&translation),
        escape(&site.title),
        escape(&editors),
        escape(url),
        escape(url)
    );
    Citation { text, html }
}

/// " Translated by X." (one translation) or " English translation by X; German
/// translation by Y." (several).
fn translations(document: &Document, site: &SiteConfig) -> String {
    let original = document.original_language();
    let named: Vec<(&String, &String)> = document
        .meta
        .translators
        .iter()
        .filter(|(lang, _)| lang.as_str() != original)
        .collect();
    match named.as_slice() {
        [] => String::new(),
        [(_, who)] => format!(" Translated by {who}."),
        several => {
            let parts: Vec<String> = several
                .iter()
                .map(|(lang, who)| format!("{} translation by {who}", site.language_name(lang)))
                .collect();
            format!(" {}.", parts.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentMeta, Source};

    #[test]
    fn chicago_style_with_archive_translator_and_editors() {
        let meta: DocumentMeta = serde_yaml::from_str(
            "title: \"Telegram from A. Mikoyan\"\ndate: 1956-09-21\noriginal_language: ru\n\
             archive: {repository: \"GARF\", fond: 5446, opis: \"98c\", delo: 718, listy: \"12-16\"}\n\
             translators: {en: \"Gary Goldberg\"}\n",
        )
        .unwrap();
        let document = Document {
            id: "t".into(),
            meta,
            headnote: Source::file("x".into(), String::new()),
            texts: Vec::new(),
            metadata_source: String::new(),
            files: Vec::new(),
            fingerprint: 0,
        };
        let site: SiteConfig =
            serde_yaml::from_str("title: \"Pyongyang & Beijing\"\neditors: [\"A\", \"B\", \"C\"]")
                .unwrap();
        let c = chicago(&document, &site, "https://ex.org/documents/t/");
        assert_eq!(
            c.text,
            "\u{201c}Telegram from A. Mikoyan,\u{201d} September 21, 1956, GARF, f. 5446, op. 98c, \
             d. 718, ll. 12-16. Translated by Gary Goldberg. In Pyongyang & Beijing, edited by A, B \
             and C. https://ex.org/documents/t/."
        );
        assert!(
            c.html.contains("In <i>Pyongyang &amp; Beijing</i>"),
            "{}",
            c.html
        );
    }
}
