//! The source view: a document's Markdown files, highlighted with syntect, so readers
//! can see exactly what the editor wrote (markup included).

use serde::Serialize;
use std::sync::OnceLock;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::SyntaxSet;

/// One file of a document, highlighted.
#[derive(Serialize)]
pub struct SourceFile {
    pub name: String,
    /// `<pre>` with inline styles.
    pub html: String,
}

fn syntaxes() -> &'static (SyntaxSet, Theme) {
    // Loading syntect's definitions takes milliseconds: once per process.
    static LOADED: OnceLock<(SyntaxSet, Theme)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let mut themes = ThemeSet::load_defaults();
        let theme = themes
            .themes
            .remove("InspiredGitHub")
            .expect("syntect ships InspiredGitHub");
        (syntaxes, theme)
    })
}

/// Markdown (with its YAML front matter) as highlighted HTML.
pub fn highlight(name: &str, text: &str) -> SourceFile {
    let (syntaxes, theme) = syntaxes();
    let syntax = syntaxes
        .find_syntax_by_extension("md")
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let html = syntect::html::highlighted_html_for_string(text, syntaxes, syntax, theme)
        .unwrap_or_else(|_| {
            // A text syntect cannot tokenise is still shown, plain.
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
            format!("<pre>{escaped}</pre>")
        });
    SourceFile {
        name: name.to_string(),
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_markdown_and_escapes_it() {
        let f = highlight(
            "en.md",
            "# Title\n\nText with <b>tags</b> and {++markup++}.\n",
        );
        assert!(f.html.starts_with("<pre"), "{}", f.html);
        assert!(f.html.contains("style="), "highlighted");
        assert!(
            f.html.contains("&lt;") && !f.html.contains("<b>"),
            "escaped: {}",
            f.html
        );
        assert!(f.html.contains("{++markup++}"));
    }
}
