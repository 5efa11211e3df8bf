//! The source view: a document's Markdown files, highlighted with syntect, so readers
//! can see exactly what the editor wrote.
//!
//! The highlighting follows dossier's own syntax (two small syntax definitions below):
//! front matter keys and values; CriticMarkup, page breaks, alignment markers,
//! interpolations, entity links and footnotes in the texts. What matters in a
//! transcription stands out, and a dozen simple patterns cost a fraction of syntect's
//! full Markdown grammar, which dominated the build of large editions. The output uses
//! CSS classes (`src-…`, styled by the theme) rather than inline styles.

use serde::Serialize;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

/// One file of a document, highlighted.
#[derive(Serialize)]
pub struct SourceFile {
    pub name: String,
    /// `<pre>` with classed spans.
    pub html: String,
}

const FRONT_MATTER_SYNTAX: &str = r#"%YAML 1.2
---
name: Dossier front matter
scope: source.frontmatter
contexts:
  main:
    - match: '^---\s*$'
      scope: delimiter.frontmatter
    - match: '#.*$'
      scope: comment.frontmatter
    - match: '^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(:)'
      captures:
        1: key.frontmatter
    - match: '"(?:[^"\\]|\\.)*"'
      scope: string.frontmatter
    - match: '\b\d{4}(-\d{2}){0,2}\b'
      scope: date.frontmatter
"#;

// One pattern with a group per kind of markup, rather than a pattern per kind:
// syntect searches every pattern of a context on every line, and a single search
// per line made the source views of a large edition several times cheaper.
// Alternatives are tried in order at the leftmost match, as separate patterns were.
const TEXT_SYNTAX: &str = r#"%YAML 1.2
---
name: Dossier text
scope: text.dossier
contexts:
  main:
    - match: '(\{\+\+.*?\+\+\}|\^\{[^}]*\})|(\{--.*?--\})|(\{~~.*?~~\})|(\{==.*?==\})|(\{>>.*?<<\})|(\{pb\s+[^}\s]+\})|(\{§\s*[^}\s]+\})|(\[[^\]]*\]\(@[^)]*\))|(\[\^[^\]]+\]:?)|(\[[^\]]*\]\([^)]*\))|(\[[^\]]*\])|(^#{1,6}\s.*$)'
      captures:
        1: inserted.dossier
        2: deleted.dossier
        3: substituted.dossier
        4: highlighted.dossier
        5: comment.dossier
        6: pagebreak.dossier
        7: alignment.dossier
        8: entity.dossier
        9: footnote.dossier
        10: link.dossier
        11: interpolation.dossier
        12: heading.dossier
"#;

struct Syntaxes {
    set: SyntaxSet,
}

impl Syntaxes {
    fn get(&self, name: &str) -> &SyntaxReference {
        self.set
            .find_syntax_by_name(name)
            .expect("the syntaxes defined above")
    }
}

fn syntaxes() -> &'static Syntaxes {
    static LOADED: OnceLock<Syntaxes> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        for definition in [FRONT_MATTER_SYNTAX, TEXT_SYNTAX] {
            builder.add(
                SyntaxDefinition::load_from_str(definition, true, None)
                    .expect("the syntax definitions above are valid"),
            );
        }
        Syntaxes {
            set: builder.build(),
        }
    })
}

/// A Markdown file (with its front matter, if any) as highlighted HTML.
pub fn highlight(name: &str, text: &str) -> SourceFile {
    let syntaxes = syntaxes();
    let (front_matter, body) = split_front_matter(text);
    let mut html = String::from("<pre class=\"source\"><code>");
    if !front_matter.is_empty() {
        html.push_str(&classed(syntaxes, "Dossier front matter", front_matter));
    }
    html.push_str(&classed(syntaxes, "Dossier text", body));
    html.push_str("</code></pre>");
    SourceFile {
        name: name.to_string(),
        html,
    }
}

fn classed(syntaxes: &Syntaxes, syntax: &str, text: &str) -> String {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntaxes.get(syntax),
        &syntaxes.set,
        ClassStyle::SpacedPrefixed { prefix: "src-" },
    );
    for line in LinesWithEndings::from(text) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A line syntect cannot tokenise is still shown, plain.
            let mut escaped = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
            return escaped;
        }
    }
    generator.finalize()
}

/// The front matter (`---` to `---`, inclusive) and the rest.
fn split_front_matter(text: &str) -> (&str, &str) {
    if !text.starts_with("---") {
        return ("", text);
    }
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if i > 0 && line.trim_end() == "---" {
            return text.split_at(offset);
        }
    }
    ("", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_the_editorial_markup_and_escapes_the_rest() {
        let f = highlight(
            "ru.md",
            "---\ntitle: \"A & B\"\ndate: 1956-09-16\n---\n{§ 3} Мы {--ослабить--} {++ослабить++} [SIC] <b>x</b>\n\n{pb 36}\n[Пака](@pak-heon-yeong)[^1]\n",
        );
        let html = &f.html;
        assert!(html.starts_with("<pre class=\"source\"><code>"), "{html}");
        assert!(
            html.contains("<span class=\"src-key src-frontmatter\">title</span>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<span class=\"src-string src-frontmatter\">&quot;A &amp; B&quot;</span>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src-deleted src-dossier\">{--ослабить--}</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src-inserted src-dossier\">{++ослабить++}</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src-alignment src-dossier\">{§ 3}</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src-pagebreak src-dossier\">{pb 36}</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src-interpolation src-dossier\">[SIC]</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"src-entity src-dossier\">[Пака](@pak-heon-yeong)</span>"),
            "{html}"
        );
        assert!(
            html.contains("&lt;b&gt;x&lt;/b&gt;") && !html.contains("<b>"),
            "{html}"
        );
    }
}
