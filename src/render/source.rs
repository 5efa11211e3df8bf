//! The source view: a document's Markdown files, highlighted with syntect, so readers
//! can see exactly what the editor wrote.
//!
//! The highlighting follows dossier's own syntax (two small syntax definitions below):
//! front matter keys and values; CriticMarkup, page breaks, alignment markers,
//! interpolations, entity links and footnotes in the texts. What matters in a
//! transcription stands out, and a dozen simple patterns cost a fraction of syntect's
//! full Markdown grammar, which dominated the build of large editions. The output uses
//! CSS classes (`src-…`, styled by the theme) rather than inline styles.

// Escapes the same five characters as syntect does, with the same entities.
use crate::html::escape_into;
use serde::Serialize;
use std::sync::OnceLock;
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{
    ParseState, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

/// One file of a document, highlighted.
#[derive(Serialize)]
pub struct SourceFile {
    pub name: String,
    /// `<pre>` with classed spans.
    pub html: String,
}

// Each syntax is one pattern with a group per kind of markup, rather than a pattern
// per kind: syntect searches every pattern of a context on every line, and a single
// search per line made the source views of a large edition several times cheaper.
// Alternatives are tried in order at the leftmost match, as separate patterns were.
// No `\b`: fancy-regex runs any pattern holding one in its own backtracking VM; the
// date's edges are matched (outside its group) instead.
const FRONT_MATTER_SYNTAX: &str = r#"%YAML 1.2
---
name: Dossier front matter
scope: source.frontmatter
contexts:
  main:
    - match: '(^---\s*$)|(#.*$)|^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:|("(?:[^"\\]|\\.)*")|(?:^|[^\w-])(\d{4}(?:-\d{2}){0,2})(?:[^\w]|$)'
      captures:
        1: delimiter.frontmatter
        2: comment.frontmatter
        3: key.frontmatter
        4: string.frontmatter
        5: date.frontmatter
"#;

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
    let mut html = String::with_capacity(text.len() + text.len() / 4 + 64);
    html.push_str("<pre class=\"source\"><code>");
    if !front_matter.is_empty() {
        classed(
            &mut html,
            syntaxes,
            "Dossier front matter",
            front_matter,
            |_| true,
        );
    }
    classed(&mut html, syntaxes, "Dossier text", body, may_hold_markup);
    html.push_str("</code></pre>");
    SourceFile {
        name: name.to_string(),
        html,
    }
}

/// Whether a line of a text can hold anything the text syntax marks: all its
/// patterns start with `{` or `[`, or with `#` at the start of the line.
fn may_hold_markup(line: &str) -> bool {
    line.starts_with('#') || memchr::memchr2(b'{', b'[', line.as_bytes()).is_some()
}

/// Appends `text` highlighted with `syntax`, as syntect's `ClassedHTMLGenerator`
/// would, to `html`. Lines for which `tokenise` says no are escaped without syntect:
/// dossier's syntaxes have one context and no rule spanning lines, so such a line
/// leaves the parser's state as it found it, and most lines of a transcription
/// (blank lines, plain paragraphs) need no regex search at all.
fn classed(
    html: &mut String,
    syntaxes: &Syntaxes,
    syntax: &str,
    text: &str,
    tokenise: fn(&str) -> bool,
) {
    if text.is_empty() {
        return;
    }
    let start = html.len();
    let mut state = ParseState::new(syntaxes.get(syntax));
    let mut stack = ScopeStack::new();
    let mut open_spans = 0isize;
    // The syntax's own scope opens before the first line: an empty line parsed
    // first writes that opening, so that the first line, like any other, needs
    // syntect only if it may hold markup.
    let lines = std::iter::once("").chain(LinesWithEndings::from(text));
    for (i, line) in lines.enumerate() {
        if i > 0 && !tokenise(line) {
            escape_into(html, line);
            continue;
        }
        let spans = state
            .parse_line(line, &syntaxes.set)
            .ok()
            .and_then(|ops| line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok());
        match spans {
            Some((spans, delta)) => {
                html.push_str(&spans);
                open_spans += delta;
            }
            None => {
                // A text syntect cannot tokenise is still shown, plain.
                html.truncate(start);
                escape_into(html, text);
                return;
            }
        }
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
}

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "src-" };

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

    /// What syntect's own HTML generator makes of `text` with `syntax`.
    fn reference(syntax: &str, text: &str) -> String {
        let syntaxes = syntaxes();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntaxes.get(syntax),
            &syntaxes.set,
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(text) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    #[test]
    fn lines_without_markup_read_as_syntect_would_write_them() {
        let mut texts = vec![
            "plain\n\n<b>\"it's\" & more</b>\n{++x++} [y](@z)\n# Heading\nend".to_string(),
            "{§ 1} first line marked\nsecond & plain\n".to_string(),
            String::new(),
        ];
        for entry in std::fs::read_dir("content/documents").unwrap() {
            for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_some_and(|e| e == "md") {
                    texts.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        for text in &texts {
            let (front_matter, body) = split_front_matter(text);
            for (syntax, part, tokenise) in [
                (
                    "Dossier front matter",
                    front_matter,
                    (|_| true) as fn(&str) -> bool,
                ),
                ("Dossier text", body, may_hold_markup),
            ] {
                let mut ours = String::new();
                classed(&mut ours, syntaxes(), syntax, part, tokenise);
                assert_eq!(ours, reference(syntax, part), "{part}");
            }
        }
    }

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

    #[test]
    fn front_matter_shows_keys_strings_dates_and_comments() {
        let f = highlight(
            "index.md",
            "---\ndate: 1956-09-16   # the day\nevents: [plenum-1956-09-20, 1957]\ndelo: 123456\n---\n",
        );
        let html = &f.html;
        let date = |d: &str| format!("<span class=\"src-date src-frontmatter\">{d}</span>");
        assert!(html.contains(&date("1956-09-16")), "{html}");
        assert!(html.contains(&date("1957")), "{html}");
        assert!(
            html.contains("<span class=\"src-comment src-frontmatter\"># the day</span>"),
            "{html}"
        );
        // A date inside an id, and a longer number, are not dates.
        assert!(html.contains("[plenum-1956-09-20, "), "{html}");
        assert!(html.contains(": 123456\n"), "{html}");
        assert!(
            html.contains("<span class=\"src-delimiter src-frontmatter\">---"),
            "{html}"
        );
    }
}
