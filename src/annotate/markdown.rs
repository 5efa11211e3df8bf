//! One text (or headnote, or free page) from Markdown to [`AnnotatedText`].
//!
//! pulldown-cmark parses the masked text (see `markup`); each top-level block becomes a
//! [`Segment`]; placeholders become semantic HTML (`ins`, `del`, `mark`, page markers,
//! interpolations); footnotes get ids unique on the page. Raw HTML in a text is shown
//! as text, never passed through: texts are transcriptions, and metadata and texts
//! must not inject markup into the site.
//!
//! Not here: finding names (mentions) or aligning languages.

use super::markup::{self, Mark, Masked};
use crate::diagnostics::{Diagnostic, Position};
use crate::model::{AnnotatedText, Footnote, Segment, Source};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use std::collections::{BTreeMap, HashSet};

/// Annotates `source`, a text in `lang`. `prefix` makes the ids of footnotes and page
/// markers unique when several texts share a page (`ru`, `en`, `headnote`).
pub fn annotate_text(
    source: &Source,
    lang: &str,
    prefix: &str,
    problems: &mut Vec<Diagnostic>,
) -> AnnotatedText {
    let (masked, markup_problems) = markup::lex(&source.text);
    for p in markup_problems {
        problems.push(Diagnostic::warning(
            &source.path,
            Position::of_offset(&source.text, p.offset).below(source.line_offset),
            p.message,
        ));
    }
    let mut builder = TextBuilder {
        masked: &masked,
        prefix,
        segments: Vec::new(),
        footnote_numbers: BTreeMap::new(),
        footnotes: Vec::new(),
        page_ids: HashSet::new(),
        pending: Pending::default(),
    };
    builder.build(source.line_offset);
    let mut footnotes = builder.footnotes;
    footnotes.sort_by_key(|n| n.number);
    AnnotatedText {
        lang: lang.to_string(),
        segments: builder.segments,
        footnotes,
    }
}

fn options() -> Options {
    Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Page breaks and anchors that stood alone in a paragraph, waiting for the block
/// they belong to (the next one).
#[derive(Default)]
struct Pending {
    html: String,
    anchor: Option<String>,
}

struct TextBuilder<'a> {
    masked: &'a Masked,
    prefix: &'a str,
    segments: Vec<Segment>,
    /// Footnote label → number, in order of first reference.
    footnote_numbers: BTreeMap<String, usize>,
    footnotes: Vec<Footnote>,
    page_ids: HashSet<String>,
    pending: Pending,
}

impl TextBuilder<'_> {
    fn build(&mut self, line_offset: usize) {
        let text = self.masked.text.as_str();
        let mut depth = 0usize;
        let mut block: Vec<Event> = Vec::new();
        let mut block_start = 0;
        let mut line_starts = LineCounter::new(text);
        for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
            match &event {
                Event::Start(_) => {
                    if depth == 0 {
                        block_start = range.start;
                    }
                    depth += 1;
                }
                Event::End(_) => depth -= 1,
                _ if depth == 0 => {
                    // A top-level event outside any block (a rule, raw HTML): its own
                    // block.
                    block_start = range.start;
                }
                _ => {}
            }
            block.push(event);
            if depth == 0 {
                let line = line_starts.line_of(block_start) + line_offset;
                self.finish_block(std::mem::take(&mut block), line);
            }
        }
        if !self.pending.html.is_empty() {
            // Page breaks at the very end belong to the last block.
            let html = std::mem::take(&mut self.pending.html);
            match self.segments.last_mut() {
                Some(last) => last.html.push_str(&html),
                None => self.segments.push(Segment {
                    line: 1 + line_offset,
                    anchor: self.pending.anchor.take(),
                    html,
                    text: String::new(),
                }),
            }
        }
    }

    fn finish_block(&mut self, events: Vec<Event>, line: usize) {
        if let Some(Event::Start(Tag::FootnoteDefinition(label))) = events.first() {
            let label = label.to_string();
            let inner = events[1..events.len() - 1].to_vec();
            let (html, _) = self.render(inner);
            let number = self.footnote_number(&label);
            self.footnotes.push(Footnote {
                id: format!("{}-fn-{}", self.prefix, id_safe(&label)),
                number,
                html,
            });
            return;
        }
        if self.is_milestone(&events) {
            let html = self.render_milestone(&events);
            self.pending.html.push_str(&html);
            return;
        }
        let (body, text) = self.render(events);
        let mut html = std::mem::take(&mut self.pending.html);
        html.push_str(&body);
        // Set by an anchor before the block or inside it (`{§ 3} First words`).
        let anchor = self.pending.anchor.take();
        self.segments.push(Segment {
            line,
            anchor,
            html,
            text: text.trim().to_string(),
        });
    }

    /// A paragraph holding nothing but page breaks and anchors (`{pb 36}` on its own
    /// line) is not a segment of the text: it belongs to the next block.
    fn is_milestone(&self, events: &[Event]) -> bool {
        let [Event::Start(Tag::Paragraph), middle @ .., Event::End(TagEnd::Paragraph)] = events
        else {
            return false;
        };
        middle.iter().all(|e| match e {
            Event::Text(t) => t.chars().all(|c| {
                c.is_whitespace()
                    || markup::placeholder_index(c).is_some_and(|i| {
                        matches!(
                            self.masked.tokens[i].mark,
                            Mark::PageBreak(_) | Mark::Alignment(_)
                        )
                    })
            }),
            Event::SoftBreak | Event::HardBreak => true,
            _ => false,
        })
    }

    fn render_milestone(&mut self, events: &[Event]) -> String {
        let mut html = String::new();
        for event in events {
            if let Event::Text(t) = event {
                for c in t.chars() {
                    if let Some(i) = markup::placeholder_index(c) {
                        match &self.masked.tokens[i].mark {
                            Mark::Alignment(label) => self.pending.anchor = Some(label.clone()),
                            mark => html.push_str(&self.mark_html(mark)),
                        }
                    }
                }
            }
        }
        html
    }

    /// Renders events to HTML, and returns the reading text (deletions left out).
    fn render(&mut self, events: Vec<Event>) -> (String, String) {
        let mut out: Vec<Event> = Vec::with_capacity(events.len());
        let mut plain = String::new();
        let mut deleted = 0usize;
        let mut in_code_block = false;
        let mut open_marks: Vec<&'static str> = Vec::new();
        for event in TextMergeStream::new(events.into_iter()) {
            match event {
                Event::Text(t) if in_code_block => {
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Event::Text(restored.into()));
                }
                Event::Text(t) => {
                    self.expand(&t, &mut out, &mut plain, &mut deleted, &mut open_marks);
                }
                Event::Code(t) => {
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Event::Code(restored.into()));
                }
                Event::Html(t) | Event::InlineHtml(t) => {
                    // Shown as written: see the module comment.
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Event::Text(restored.into()));
                }
                Event::Start(Tag::HtmlBlock) => out.push(Event::Start(Tag::Paragraph)),
                Event::End(TagEnd::HtmlBlock) => out.push(Event::End(TagEnd::Paragraph)),
                Event::FootnoteReference(label) => {
                    let number = self.footnote_number(&label);
                    let id = id_safe(&label);
                    let p = self.prefix;
                    out.push(Event::InlineHtml(
                        format!(
                            "<sup class=\"fnref\"><a id=\"{p}-fnref-{id}\" href=\"#{p}-fn-{id}\">{number}</a></sup>"
                        )
                        .into(),
                    ));
                }
                Event::SoftBreak | Event::HardBreak => {
                    plain.push(' ');
                    out.push(event);
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code_block = true;
                    out.push(event);
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    out.push(event);
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                    // Markup left open by a truncated token list: close it so the
                    // block stays well-formed.
                    for close in open_marks.drain(..).rev() {
                        out.push(Event::InlineHtml(close.into()));
                    }
                    plain.push(' ');
                    out.push(event);
                }
                other => out.push(other),
            }
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, out.into_iter());
        (html, collapse_spaces(&plain))
    }

    /// Splits a text event at placeholders, turning each into its HTML.
    fn expand<'e>(
        &mut self,
        text: &str,
        out: &mut Vec<Event<'e>>,
        plain: &mut String,
        deleted: &mut usize,
        open_marks: &mut Vec<&'static str>,
    ) {
        let mut run = String::new();
        for c in text.chars() {
            let Some(i) = markup::placeholder_index(c) else {
                run.push(c);
                continue;
            };
            if !run.is_empty() {
                if *deleted == 0 {
                    plain.push_str(&run);
                }
                out.push(Event::Text(CowStr::from(std::mem::take(&mut run))));
            }
            let mark = self.masked.tokens[i].mark.clone();
            match &mark {
                Mark::DeletionStart | Mark::SubstitutionStart => *deleted += 1,
                Mark::DeletionEnd | Mark::SubstitutionMiddle => {
                    *deleted = deleted.saturating_sub(1)
                }
                Mark::InterpolationStart if *deleted == 0 => plain.push('['),
                Mark::InterpolationEnd if *deleted == 0 => plain.push(']'),
                Mark::Alignment(label) => {
                    self.pending.anchor.get_or_insert_with(|| label.clone());
                }
                _ => {}
            }
            track_open(&mark, open_marks);
            let html = self.mark_html(&mark);
            if !html.is_empty() {
                out.push(Event::InlineHtml(html.into()));
            }
        }
        if !run.is_empty() {
            if *deleted == 0 {
                plain.push_str(&run);
            }
            out.push(Event::Text(CowStr::from(run)));
        }
    }

    fn mark_html(&mut self, mark: &Mark) -> String {
        match mark {
            Mark::InsertionStart => "<ins class=\"ed-ins\">".into(),
            Mark::InsertionEnd => "</ins>".into(),
            Mark::DeletionStart => "<del class=\"ed-del\">".into(),
            Mark::DeletionEnd => "</del>".into(),
            Mark::SubstitutionStart => "<span class=\"ed-subst\"><del class=\"ed-del\">".into(),
            Mark::SubstitutionMiddle => "</del><ins class=\"ed-ins\">".into(),
            Mark::SubstitutionEnd => "</ins></span>".into(),
            Mark::HighlightStart => "<mark>".into(),
            Mark::HighlightEnd => "</mark>".into(),
            Mark::CommentStart => "<span class=\"ed-comment\" role=\"note\">".into(),
            Mark::CommentEnd => "</span>".into(),
            Mark::InterpolationStart => "<span class=\"interp\">[".into(),
            Mark::InterpolationEnd => "]</span>".into(),
            Mark::Alignment(_) => String::new(),
            Mark::PageBreak(label) => {
                let label = escape(label);
                let id = format!("{}-page-{}", self.prefix, id_safe(&label));
                // A page number can recur (two numberings in one original); only the
                // first marker gets the id that links point to.
                let id_attr = if self.page_ids.insert(id.clone()) {
                    format!(" id=\"{id}\"")
                } else {
                    String::new()
                };
                format!(
                    "<span class=\"pb\"{id_attr} data-page=\"{label}\"><span class=\"visually-hidden\">page </span>{label}</span>"
                )
            }
        }
    }

    /// The text as the editor wrote it, placeholders back to their tokens (for code
    /// and raw HTML, where markup is not markup).
    fn restore(&self, text: &str) -> String {
        text.chars()
            .map(|c| match markup::placeholder_index(c) {
                Some(i) => self.masked.tokens[i].written.clone(),
                None => c.to_string(),
            })
            .collect()
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }
}

/// Keeps a stack of the HTML elements markup has opened and not yet closed.
fn track_open(mark: &Mark, open: &mut Vec<&'static str>) {
    match mark {
        Mark::InsertionStart => open.push("</ins>"),
        Mark::DeletionStart => open.push("</del>"),
        Mark::SubstitutionStart => open.push("</del></span>"),
        Mark::SubstitutionMiddle => {
            open.pop();
            open.push("</ins></span>");
        }
        Mark::HighlightStart => open.push("</mark>"),
        Mark::CommentStart => open.push("</span>"),
        Mark::InterpolationStart => open.push("]</span>"),
        Mark::InsertionEnd
        | Mark::DeletionEnd
        | Mark::SubstitutionEnd
        | Mark::HighlightEnd
        | Mark::CommentEnd
        | Mark::InterpolationEnd => {
            open.pop();
        }
        Mark::PageBreak(_) | Mark::Alignment(_) => {}
    }
}

/// Line numbers of byte offsets, for offsets visited in increasing order.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn line_of(&mut self, offset: usize) -> usize {
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += self.text[self.offset..offset].matches('\n').count();
        self.offset = offset;
        self.line
    }
}

/// A label usable in an HTML id: letters and digits kept, everything else a hyphen.
fn id_safe(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String");
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn annotate(text: &str) -> (AnnotatedText, Vec<Diagnostic>) {
        let source = Source {
            path: PathBuf::from("content/documents/d/ru.md"),
            text: text.to_string(),
            line_offset: 0,
        };
        let mut problems = Vec::new();
        let t = annotate_text(&source, "ru", "ru", &mut problems);
        (t, problems)
    }

    #[test]
    fn each_top_level_block_is_a_segment_with_its_line() {
        let (t, _) = annotate("First.\n\nSecond\nline.\n\n- a\n- b\n");
        let lines: Vec<usize> = t.segments.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![1, 3, 6]);
        assert_eq!(t.segments[1].text, "Second line.");
        assert!(t.segments[2].html.starts_with("<ul>"));
    }

    #[test]
    fn editorial_markup_becomes_semantic_html() {
        let (t, problems) = annotate("не {--ослабить--} {++ослабить++} и {~~a~>b~~} [SIC]");
        assert!(problems.is_empty());
        let html = &t.segments[0].html;
        assert!(
            html.contains("<del class=\"ed-del\">ослабить</del>"),
            "{html}"
        );
        assert!(
            html.contains("<ins class=\"ed-ins\">ослабить</ins>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"ed-subst\"><del class=\"ed-del\">a</del><ins class=\"ed-ins\">b</ins></span>"), "{html}");
        assert!(
            html.contains("<span class=\"interp\">[SIC]</span>"),
            "{html}"
        );
        assert_eq!(t.segments[0].text, "не ослабить и b [SIC]");
    }

    #[test]
    fn markup_works_inside_emphasis() {
        let (t, _) = annotate("*a {++b++}* {++**c**++}");
        let html = &t.segments[0].html;
        assert!(
            html.contains("<em>a <ins class=\"ed-ins\">b</ins></em>"),
            "{html}"
        );
        assert!(
            html.contains("<ins class=\"ed-ins\"><strong>c</strong></ins>"),
            "{html}"
        );
    }

    #[test]
    fn a_page_break_on_its_own_line_joins_the_next_block() {
        let (t, _) = annotate("One.\n\n{pb 36}\n\nTwo.\n");
        assert_eq!(t.segments.len(), 2);
        assert!(t.segments[1]
            .html
            .starts_with("<span class=\"pb\" id=\"ru-page-36\" data-page=\"36\">"));
        assert!(t.segments[1].html.contains("<p>Two.</p>"));
        assert_eq!(t.segments[1].line, 5);
    }

    #[test]
    fn alignment_anchor_goes_to_its_block() {
        let (t, _) = annotate("{§ 1}\n\nOne.\n\n{§ 2} Two.\n");
        assert_eq!(t.segments[0].anchor.as_deref(), Some("1"));
        assert_eq!(t.segments[1].anchor.as_deref(), Some("2"));
        assert_eq!(t.segments[1].text, "Two.");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let (t, _) = annotate("<script>alert(1)</script>\n\nA <b>bold</b> word.\n");
        let all: String = t.segments.iter().map(|s| s.html.as_str()).collect();
        assert!(!all.contains("<script>"), "{all}");
        assert!(all.contains("&lt;script&gt;"), "{all}");
        assert!(all.contains("&lt;b&gt;bold&lt;/b&gt;"), "{all}");
    }

    #[test]
    fn footnotes_are_numbered_with_page_unique_ids() {
        let (t, _) = annotate("Text[^a] more[^b].\n\n[^b]: Second.\n[^a]: First.\n");
        assert_eq!(t.segments.len(), 1);
        assert!(t.segments[0]
            .html
            .contains("<a id=\"ru-fnref-a\" href=\"#ru-fn-a\">1</a>"));
        let notes: Vec<(usize, &str)> = t
            .footnotes
            .iter()
            .map(|n| (n.number, n.id.as_str()))
            .collect();
        assert_eq!(notes, vec![(1, "ru-fn-a"), (2, "ru-fn-b")]);
        assert!(t.footnotes[0].html.contains("First."));
    }

    #[test]
    fn unclosed_markup_warns_with_line_and_shows_the_text() {
        let (t, problems) = annotate("Fine.\n\nМы {++ посоветовали\n");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (3, 4));
        assert!(t.segments[1].html.contains("{++ посоветовали"));
    }
}
