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
use std::cell::RefCell;
use std::sync::OnceLock;
use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, ScopeStackOp, SyntaxDefinition,
    SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};

/// One file of a document, highlighted.
#[derive(Serialize)]
pub(super) struct SourceFile {
    pub name: String,
    /// `<pre>` with classed spans.
    pub html: String,
}

// Each syntax is one pattern with a group per kind of markup, rather than a pattern
// per kind: syntect searches every pattern of a context after every match, and a
// single search made the source views of a large edition several times cheaper.
// Alternatives are tried in order at the leftmost match, as separate patterns were.
// No `\b`: fancy-regex runs any pattern holding one in its own backtracking VM; the
// date's edges are matched (outside its group) instead. The patterns are read in
// multi-line mode and no part of them matches a line break (`[^\S\n]` for a space):
// `classed` parses a whole text at once and must find what a line-by-line parse
// finds.
const FRONT_MATTER_SYNTAX: &str = r#"%YAML 1.2
---
name: Dossier front matter
scope: source.frontmatter
contexts:
  main:
    - match: '(?m)(^---[^\S\n]*(?:\n|$))|(#.*$)|^[^\S\n]*([A-Za-z_][A-Za-z0-9_-]*)[^\S\n]*:|("(?:[^"\\\n]|\\.)*")|(?:^|[^\w\n-])(\d{4}(?:-\d{2}){0,2})(?:[^\w]|$)'
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
    - match: '(?m)(\{\+\+.*?\+\+\}|\^\{[^}\n]*\})|(\{--.*?--\})|(\{~~.*?~~\})|(\{==.*?==\})|(\{>>.*?<<\})|(\{pb[^\S\n]+[^}\s]+\})|(\{§[^\S\n]*[^}\s]+\})|(\[[^\]\n]*\]\(@[^)\n]*\))|(\[\^[^\]\n]+\]:?)|(\[[^\]\n]*\]\([^)\n]*\))|(\[[^\]\n]*\])|(^#{1,6}(?:[^\S\n].*|\n))'
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
pub(super) fn highlight(name: &str, text: &str) -> SourceFile {
    let syntaxes = syntaxes();
    let (front_matter, body) = split_front_matter(text);
    let mut html = String::with_capacity(text.len() + text.len() / 4 + 64);
    // Long lines scroll sideways: the block takes the keyboard's focus so that they
    // can be scrolled without a mouse.
    html.push_str("<pre class=\"source\" tabindex=\"0\"><code>");
    if !front_matter.is_empty() {
        classed(&mut html, syntaxes, "Dossier front matter", front_matter);
    }
    classed(&mut html, syntaxes, "Dossier text", body);
    html.push_str("</code></pre>");
    SourceFile {
        name: name.to_string(),
        html,
    }
}

/// Appends `text` highlighted with `syntax`, as syntect's `ClassedHTMLGenerator`
/// would line by line, to `html`. The whole text is parsed as one line: dossier's
/// syntaxes have one context, no rule spanning lines and patterns written for
/// multi-line mode (`(?m)`, no class that matches a newline), so every match is one
/// the line-by-line parse would find, and the text costs one parse instead of one
/// per line (a search cache, a list of operations and a string each).
fn classed(html: &mut String, syntaxes: &Syntaxes, syntax: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    let mut state = ParseState::new(syntaxes.get(syntax));
    let start = html.len();
    let written = state
        .parse_line(text, &syntaxes.set)
        .ok()
        .and_then(|ops| write_spans(html, text, &ops));
    if written.is_none() {
        // A text syntect cannot tokenise is still shown, plain.
        html.truncate(start);
        escape_into(html, text);
    }
}

/// Appends `text` with syntect's scope operations `ops` as classed spans, byte for
/// byte as `syntect::html::line_tokens_to_classed_spans` writes them (empty spans
/// left out, spans still open closed at the end), but straight into the page and
/// with each scope's classes looked up once per thread: syntect formats every
/// escape through `fmt` and takes a global lock to name each span's scope, which
/// the rendering threads then wait on.
fn write_spans(html: &mut String, text: &str, ops: &[(usize, ScopeStackOp)]) -> Option<()> {
    let mut stack = ScopeStack::new();
    let mut written = 0;
    let mut open_spans = 0usize;
    let mut empty_span_at = None;
    for (at, op) in ops {
        if *at > written {
            escape_into(html, &text[written..*at]);
            written = *at;
            empty_span_at = None;
        }
        stack
            .apply_with_hook(op, |op, _| match op {
                BasicScopeStackOp::Push(scope) => {
                    empty_span_at = Some(html.len());
                    html.push_str("<span class=\"");
                    push_classes(html, scope);
                    html.push_str("\">");
                    open_spans += 1;
                }
                BasicScopeStackOp::Pop => {
                    match empty_span_at.take() {
                        Some(at) => html.truncate(at),
                        None => html.push_str("</span>"),
                    }
                    open_spans = open_spans.saturating_sub(1);
                }
            })
            .ok()?;
    }
    escape_into(html, &text[written..]);
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(())
}

/// Appends a scope's classes: each of its atoms with the `src-` prefix
/// (`src-key src-frontmatter`), as `ClassStyle::SpacedPrefixed` names them.
fn push_classes(html: &mut String, scope: Scope) {
    thread_local! {
        static CLASSES: RefCell<Vec<(Scope, Box<str>)>> = const { RefCell::new(Vec::new()) };
    }
    CLASSES.with_borrow_mut(|known| {
        if let Some((_, classes)) = known.iter().find(|(known, _)| *known == scope) {
            html.push_str(classes);
            return;
        }
        let classes = scope
            .build_string()
            .split('.')
            .map(|atom| format!("{CLASS_PREFIX}{atom}"))
            .collect::<Vec<_>>()
            .join(" ");
        html.push_str(&classes);
        known.push((scope, classes.into()));
    });
}

const CLASS_PREFIX: &str = "src-";

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
    use syntect::util::LinesWithEndings;

    /// What syntect's own HTML generator makes of `text` with `syntax`.
    fn reference(syntax: &str, text: &str) -> String {
        let syntaxes = syntaxes();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntaxes.get(syntax),
            &syntaxes.set,
            syntect::html::ClassStyle::SpacedPrefixed {
                prefix: CLASS_PREFIX,
            },
        );
        for line in LinesWithEndings::from(text) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    #[test]
    fn a_text_parsed_whole_reads_as_syntect_writes_it_line_by_line() {
        let mut texts = vec![
            "plain\n\n<b>\"it's\" & more</b>\n{++x++} [y](@z)\n# Heading\nend".to_string(),
            "{§ 1} first line marked\nsecond & plain\n".to_string(),
            String::new(),
            // Markup that would match across a line break if a pattern let it.
            "#\nnot a heading\n##  \n# x\n{pb\n36} {§\n2} [a\nb](c) [^1\n] ^{a\nb}\n{++a\nb++}\n#"
                .to_string(),
            "---\nkey\n: not a key\n  key: \"open\nclose\" # note\n1956\n1957-01-02\n-1958\ndate: 1959\n---  \r\n---\n"
                .to_string(),
            "---\n\n\nlast: [1960,1961]\n---".to_string(),
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
            for (syntax, part) in [
                ("Dossier front matter", front_matter),
                ("Dossier text", body),
            ] {
                let mut ours = String::new();
                classed(&mut ours, syntaxes(), syntax, part);
                assert_eq!(ours, reference(syntax, part), "{part}");
            }
        }
    }

    #[test]
    fn a_scope_opened_and_closed_at_one_place_leaves_no_empty_span() {
        let scope = Scope::new("markup.inserted.dossier").unwrap();
        let text = "ab <cd>";
        let ops = vec![
            (0, ScopeStackOp::Push(scope)),
            (0, ScopeStackOp::Pop(1)),
            (3, ScopeStackOp::Push(scope)),
            (7, ScopeStackOp::Pop(1)),
        ];
        let mut ours = String::new();
        write_spans(&mut ours, text, &ops).unwrap();
        let (theirs, _) = syntect::html::line_tokens_to_classed_spans(
            text,
            &ops,
            syntect::html::ClassStyle::SpacedPrefixed {
                prefix: CLASS_PREFIX,
            },
            &mut ScopeStack::new(),
        )
        .unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.matches("<span").count(), 1, "{ours}");
    }

    #[test]
    fn highlights_the_editorial_markup_and_escapes_the_rest() {
        let f = highlight(
            "ru.md",
            "---\ntitle: \"A & B\"\ndate: 1956-09-16\n---\n{§ 3} Мы {--ослабить--} {++ослабить++} [SIC] <b>x</b>\n\n{pb 36}\n[Пака](@pak-heon-yeong)[^1]\n",
        );
        let html = &f.html;
        assert!(
            html.starts_with("<pre class=\"source\" tabindex=\"0\"><code>"),
            "{html}"
        );
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
