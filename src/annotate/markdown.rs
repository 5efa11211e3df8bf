//! One text (or headnote, or free page) from Markdown to [`AnnotatedText`].
//!
//! pulldown-cmark parses the masked text (see `markup`); each top-level block becomes a
//! [`Segment`] whose [`Content`] holds the words and, as nodes, Markdown's structure,
//! the editorial marks (the placeholders turned back into what they mean), page
//! breaks, footnote references and the mentions of register entries (`recognize` finds
//! them; `[x](@id)` names one explicitly, `[x](@-)` says "not a mention"). Raw HTML in a
//! text is kept as words, never as markup: texts are transcriptions, and must not
//! inject markup into the site.
//!
//! Not here: aligning languages (`align`), and anything about the page a text is
//! shown on (links, ids, cards: `render`).

use super::markup::{self, Mark, Masked};
use super::recognize::Recognizer;
use crate::diagnostics::Diagnostic;
use crate::model::{
    collapse_spaces, exactly, AnnotatedText, ColumnAlignment, Content, ContentBuilder, Element,
    EntityRef, Footnote, FootnoteReference, LinkTarget, Mention, Node, PageBreak, Registers,
    Segment, Source,
};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// What annotating a text needs besides the text itself.
#[derive(Clone, Copy)]
pub struct TextContext<'a> {
    pub registers: &'a Registers,
    /// `None`: names are not recognised (free pages); explicit links still work.
    pub recognizer: Option<&'a Recognizer>,
}

/// Annotates `source`, a text in `lang`.
pub fn annotate_text(
    source: &Source,
    lang: &str,
    context: &TextContext,
    problems: &mut Vec<Diagnostic>,
) -> AnnotatedText {
    annotate_for_alignment(source, lang, context, problems).0
}

/// [`annotate_text`], and each segment's reading text (plain, deletions left out),
/// which alignment compares. The reading texts are not kept in the annotation: a
/// large edition holds every annotation until its pages are written, and nothing
/// after alignment reads them.
pub(super) fn annotate_for_alignment(
    source: &Source,
    lang: &str,
    context: &TextContext,
    problems: &mut Vec<Diagnostic>,
) -> (AnnotatedText, Vec<String>) {
    let (masked, markup_problems) = markup::lex(&source.text);
    for p in markup_problems {
        problems.push(Diagnostic::warning(
            &source.path,
            source.position(p.offset),
            p.message,
        ));
    }
    let mut builder = TextBuilder {
        source,
        masked: &masked,
        context,
        segments: Vec::new(),
        reading: Vec::new(),
        footnote_numbers: BTreeMap::new(),
        labels_are_numbers: labels_are_numbers(&source.text),
        footnotes: Vec::new(),
        mentions: Vec::new(),
        pending: Pending::default(),
        problems,
        footnote: None,
    };
    builder.build();
    let mut footnotes = builder.footnotes;
    footnotes.sort_by_key(|n| n.number);
    let text = AnnotatedText {
        lang: lang.to_string(),
        segments: exactly(builder.segments),
        footnotes: exactly(footnotes),
        mentions: exactly(builder.mentions),
    };
    (text, builder.reading)
}

fn options() -> Options {
    Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Page breaks and anchors that stood alone in a paragraph, waiting for the block
/// they belong to (the next one).
#[derive(Default)]
struct Pending {
    page_breaks: Vec<Node>,
    anchor: Option<String>,
}

struct TextBuilder<'a, 'p> {
    source: &'a Source,
    masked: &'a Masked,
    context: &'a TextContext<'a>,
    segments: Vec<Segment>,
    /// Each segment's reading text.
    reading: Vec<String>,
    /// Footnote label → number, in order of first reference.
    footnote_numbers: BTreeMap<String, usize>,
    /// Whether the notes are shown by the numbers the editor gave them.
    labels_are_numbers: bool,
    footnotes: Vec<Footnote>,
    mentions: Vec<Mention>,
    pending: Pending,
    problems: &'p mut Vec<Diagnostic>,
    /// The footnote being read (its position in `footnotes`), if any.
    footnote: Option<u32>,
}

/// A block's content between parsing and [`Content`].
enum Piece {
    /// Words; `recognise`: names may be found in them.
    Text {
        text: String,
        recognise: bool,
    },
    /// A code span: its words are code, in no name and in no context.
    Code(String),
    Start(Element),
    /// Closes the innermost open element of this kind.
    End(Element),
    Leaf(Node),
}

/// What an open link is.
enum OpenLink {
    /// `[x](@id)`: a mention the editor wrote, and its position in the text's
    /// mentions.
    Entity(EntityRef, usize),
    /// `[x](@-)`: not a mention; shown as plain text.
    Suppressed,
    /// An ordinary link.
    Ordinary,
}

impl TextBuilder<'_, '_> {
    fn build(&mut self) {
        let text = self.masked.text.as_str();
        let mut depth = 0usize;
        let mut block: Vec<(Event, Range<usize>)> = Vec::new();
        let mut block_start = 0;
        let mut lines = LineCounter::new(text);
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
                    // A top-level event outside any block (a rule): its own block.
                    block_start = range.start;
                }
                _ => {}
            }
            block.push((event, range));
            if depth == 0 {
                let line = lines.line_of(block_start) + self.source.line_offset();
                self.finish_block(std::mem::take(&mut block), line);
            }
        }
        let trailing = std::mem::take(&mut self.pending.page_breaks);
        if !trailing.is_empty() {
            // Page breaks at the very end belong to the last block.
            match self.segments.last_mut() {
                Some(last) => {
                    for node in trailing {
                        last.content.push_leaf(node);
                    }
                }
                None => {
                    let mut content = ContentBuilder::new();
                    for node in trailing {
                        content.leaf(node);
                    }
                    self.segments.push(Segment {
                        line: 1 + self.source.line_offset(),
                        anchor: self.pending.anchor.take().map(String::into_boxed_str),
                        content: content.finish(),
                    });
                    self.reading.push(String::new());
                }
            }
        }
    }

    fn finish_block(&mut self, events: Vec<(Event, Range<usize>)>, line: usize) {
        let segment = self.segments.len();
        if let Some((Event::Start(Tag::FootnoteDefinition(label)), _)) = events.first() {
            let label = label.to_string();
            let inner = events[1..events.len() - 1].to_vec();
            self.footnote = Some(self.footnotes.len() as u32);
            let (content, _) = self.read_block(inner, segment.saturating_sub(1), Vec::new());
            self.footnote = None;
            let number = self.footnote_number(&label);
            self.footnotes.push(Footnote {
                label,
                number,
                content,
            });
            return;
        }
        if self.is_milestone(&events) {
            self.read_milestone(&events);
            return;
        }
        if is_only_comments(&events) {
            return;
        }
        let before = std::mem::take(&mut self.pending.page_breaks);
        let (content, text) = self.read_block(events, segment, before);
        // Set by an anchor before the block or inside it (`{§ 3} First words`).
        let anchor = self.pending.anchor.take().map(String::into_boxed_str);
        self.segments.push(Segment {
            line,
            anchor,
            content,
        });
        self.reading.push(text.trim().to_string());
    }

    /// A paragraph holding nothing but page breaks and anchors (`{pb 36}` on its own
    /// line) is not a segment of the text: it belongs to the next block.
    fn is_milestone(&self, events: &[(Event, Range<usize>)]) -> bool {
        let [(Event::Start(Tag::Paragraph), _), middle @ .., (Event::End(TagEnd::Paragraph), _)] =
            events
        else {
            return false;
        };
        middle.iter().all(|(e, _)| match e {
            Event::Text(t) => t.chars().all(|c| {
                c.is_whitespace()
                    || self.masked.token_at(c).is_some_and(|i| {
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

    fn read_milestone(&mut self, events: &[(Event, Range<usize>)]) {
        for (event, _) in events {
            let Event::Text(t) = event else { continue };
            for c in t.chars() {
                let Some(i) = self.masked.token_at(c) else {
                    continue;
                };
                match &self.masked.tokens[i].mark {
                    Mark::Alignment(label) => self.pending.anchor = Some(label.clone()),
                    Mark::PageBreak(label) => {
                        self.pending
                            .page_breaks
                            .push(Node::PageBreak(Box::new(PageBreak {
                                label: label.clone(),
                                inline: false,
                            })))
                    }
                    _ => {}
                }
            }
        }
    }

    /// A block's events as content, with mentions found, after the nodes `before`
    /// (page breaks waiting for it); and the reading text (deletions left out).
    fn read_block(
        &mut self,
        events: Vec<(Event, Range<usize>)>,
        segment: usize,
        before: Vec<Node>,
    ) -> (Content, String) {
        let (pieces, plain) = self.flatten(events, segment);
        let pieces = self.link_mentions(pieces, segment);
        let mut content = ContentBuilder::new();
        for node in before {
            content.leaf(node);
        }
        // The words are laid out as `link_mentions` read them (see `lay_out`), and
        // each mention's words are where its elements are.
        for piece in pieces {
            match piece {
                Piece::Text { text, .. } => content.text(&text),
                Piece::Code(code) => {
                    content.start(Element::Code);
                    content.text(&code);
                    content.end(&Element::Code);
                }
                Piece::Start(element) => {
                    if !element.joins_words() {
                        content.part('\n');
                    }
                    if let Element::Mention(i) = element {
                        let words = &mut self.mentions[i as usize].words;
                        if words.0 == u32::MAX {
                            words.0 = content.offset();
                        }
                    }
                    content.start(element);
                }
                Piece::End(element) => {
                    if !element.joins_words() {
                        content.part('\n');
                    }
                    if let Element::Mention(i) = element {
                        self.mentions[i as usize].words.1 = content.offset();
                    }
                    content.end(&element);
                }
                Piece::Leaf(node) => {
                    if matches!(node, Node::SoftBreak | Node::HardBreak) {
                        content.part(' ');
                    }
                    content.leaf(node);
                }
            }
        }
        (content.finish(), collapse_spaces(&plain))
    }

    /// Pass 1: placeholders to nodes, explicit links resolved, raw HTML to words.
    fn flatten(
        &mut self,
        events: Vec<(Event, Range<usize>)>,
        segment: usize,
    ) -> (Vec<Piece>, String) {
        let mut out: Vec<Piece> = Vec::with_capacity(events.len());
        let mut plain = String::new();
        let mut deleted = 0usize;
        let mut in_code_block = false;
        let mut in_image = false;
        let mut links: Vec<OpenLink> = Vec::new();
        let mut in_comment = false;
        // The pieces that are square brackets Markdown left as words.
        let mut brackets: Vec<usize> = Vec::new();
        for (event, range) in events {
            let recognise = links.is_empty() && !in_image;
            match event {
                Event::Text(t) if in_code_block => {
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Piece::Text {
                        text: restored,
                        recognise: false,
                    });
                }
                Event::Text(t) if !in_image && self.is_bracket(&t, &range) => {
                    if deleted == 0 {
                        plain.push_str(&t);
                    }
                    // Words for now; `pair_brackets` decides.
                    brackets.push(out.len());
                    out.push(Piece::Text {
                        text: t.to_string(),
                        recognise,
                    });
                }
                Event::Text(t) => {
                    self.expand(&t, recognise, &mut out, &mut plain, &mut deleted);
                }
                Event::Code(t) => {
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Piece::Code(restored));
                }
                Event::Html(t) | Event::InlineHtml(t) => {
                    // Shown as written (see the module comment), but for comments,
                    // which are the editor's.
                    let shown = without_comments(&t, &mut in_comment);
                    if !shown.is_empty() {
                        let restored = self.restore(&shown);
                        plain.push_str(&restored);
                        out.push(Piece::Text {
                            text: restored,
                            recognise: false,
                        });
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                    let mut open = self.explicit_link(&dest_url[1..], range.start);
                    if let OpenLink::Entity(_, mention) = &mut open {
                        *mention = self.mentions.len();
                        out.push(Piece::Start(Element::Mention(*mention as u32)));
                    }
                    links.push(open);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) => {
                    let url = match link_type {
                        LinkType::Email => format!("mailto:{dest_url}"),
                        _ => dest_url.to_string(),
                    };
                    if let Some(problem) = crate::links::unsafe_link(&url) {
                        self.unsafe_address(range.start, problem);
                        links.push(OpenLink::Suppressed);
                        continue;
                    }
                    links.push(OpenLink::Ordinary);
                    out.push(Piece::Start(Element::Link(Box::new(LinkTarget {
                        url,
                        title: title.to_string(),
                    }))));
                }
                Event::End(TagEnd::Link) => match links.pop() {
                    Some(OpenLink::Entity(entity, mention)) => {
                        debug_assert_eq!(mention, self.mentions.len());
                        out.push(Piece::End(Element::Mention(mention as u32)));
                        self.mentions.push(Mention {
                            entity,
                            segment: segment as u32,
                            footnote: self.footnote,
                            explicit: true,
                            words: (u32::MAX, 0),
                        });
                    }
                    Some(OpenLink::Suppressed) => {}
                    _ => out.push(Piece::End(Element::Link(Box::default()))),
                },
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    in_image = true;
                    if let Some(problem) = crate::links::unsafe_link(&dest_url) {
                        self.unsafe_address(range.start, problem);
                    }
                    out.push(Piece::Start(Element::Image(Box::new(LinkTarget {
                        url: dest_url.to_string(),
                        title: title.to_string(),
                    }))));
                }
                Event::End(TagEnd::Image) => {
                    in_image = false;
                    out.push(Piece::End(Element::Image(Box::default())));
                }
                Event::FootnoteReference(label) => {
                    let number = self.footnote_number(&label) as u32;
                    out.push(Piece::Leaf(Node::FootnoteReference(Box::new(
                        FootnoteReference {
                            label: label.to_string(),
                            number,
                        },
                    ))));
                }
                Event::SoftBreak => {
                    plain.push(' ');
                    out.push(Piece::Leaf(Node::SoftBreak));
                }
                Event::HardBreak => {
                    plain.push(' ');
                    out.push(Piece::Leaf(Node::HardBreak));
                }
                Event::Rule => out.push(Piece::Leaf(Node::Rule)),
                Event::Start(Tag::CodeBlock(kind)) => {
                    in_code_block = true;
                    let language = match kind {
                        CodeBlockKind::Fenced(info) => info
                            .split(' ')
                            .next()
                            .filter(|l| !l.is_empty())
                            .map(|l| Box::new(l.to_string())),
                        CodeBlockKind::Indented => None,
                    };
                    out.push(Piece::Start(Element::CodeBlock(language)));
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    out.push(Piece::End(Element::CodeBlock(None)));
                }
                Event::End(end @ (TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)) => {
                    plain.push(' ');
                    out.push(Piece::End(element_of_end(end)));
                }
                Event::Start(tag) => {
                    if let Some(element) = element_of_start(tag) {
                        out.push(Piece::Start(element));
                    }
                }
                Event::End(end) => {
                    if let Some(element) = element_of_end_known(end) {
                        out.push(Piece::End(element));
                    }
                }
                // Not enabled: task lists, math, metadata blocks.
                _ => {}
            }
        }
        pair_brackets(&mut out, &brackets);
        (out, plain)
    }

    /// Whether a text event is a square bracket as written: alone in its event (so
    /// not in a link's text), neither escaped (`\\[`) nor a character reference.
    fn is_bracket(&self, text: &str, range: &Range<usize>) -> bool {
        let source = self.masked.text.as_bytes();
        (text == "[" || text == "]")
            && source.get(range.clone()) == Some(text.as_bytes())
            && source[..range.start]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count()
                % 2
                == 0
    }

    /// Resolves the target of `[x](@target)`; an unknown or ambiguous id is an error
    /// and the text is shown without a link.
    fn explicit_link(&mut self, target: &str, masked_offset: usize) -> OpenLink {
        if target == "-" {
            return OpenLink::Suppressed;
        }
        let registers = self.context.registers;
        let kinds = registers.kinds_of(target);
        let problem = match kinds.as_slice() {
            [kind] => {
                return OpenLink::Entity(
                    EntityRef {
                        kind: *kind,
                        id: target.into(),
                    },
                    0,
                )
            }
            [] if !registers.unreadable.is_empty() => return OpenLink::Suppressed,
            [] => format!(
                "unknown id `{target}` in [..](@{target}): no person, event, place or glossary term has it \
                 (check the spelling, or add it to the register)"
            ),
            several => format!(
                "id `{target}` in [..](@{target}) is in several registers ({}): rename one of them",
                several.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ")
            ),
        };
        let offset = self.masked.original_offset(masked_offset);
        self.problems.push(Diagnostic::error(
            &self.source.path,
            self.source.position(offset),
            problem,
        ));
        OpenLink::Suppressed
    }

    /// An address that is not published as a link, reported where it is written
    /// (the build fails on it: the page is not written).
    fn unsafe_address(&mut self, masked_offset: usize, problem: String) {
        let offset = self.masked.original_offset(masked_offset);
        self.problems.push(Diagnostic::error(
            &self.source.path,
            self.source.position(offset),
            problem,
        ));
    }

    /// Pass 2: finds the names in the block's words and puts each piece of words
    /// inside a name in a mention. A name running over an element boundary ("Pak
    /// [Heon-yeong]") becomes one mention element per piece, so the tree stays
    /// well-formed.
    fn link_mentions(&mut self, pieces: Vec<Piece>, segment: usize) -> Vec<Piece> {
        let Some(recognizer) = self.context.recognizer else {
            return pieces;
        };
        // The block's words as `read_block` lays them out in the content: a newline
        // where no name may cross; the words of links and code are there, but no
        // name is found in them or across their edges.
        let room = pieces.iter().map(|piece| match piece {
            Piece::Text { text, .. } | Piece::Code(text) => text.len(),
            _ => 1,
        });
        let mut text = String::with_capacity(room.sum());
        let mut ranges: Vec<Option<Range<usize>>> = Vec::with_capacity(pieces.len());
        let mut excluded: Vec<Range<usize>> = Vec::new();
        let mut barriers: Vec<usize> = Vec::new();
        for piece in &pieces {
            match piece {
                Piece::Text {
                    text: t,
                    recognise: true,
                } => {
                    ranges.push(Some(text.len()..text.len() + t.len()));
                    text.push_str(t);
                }
                Piece::Text {
                    text: t,
                    recognise: false,
                }
                | Piece::Code(t) => {
                    let start = text.len();
                    barriers.push(start);
                    text.push_str(t);
                    excluded.push(start..text.len());
                    barriers.push(text.len());
                    ranges.push(None);
                }
                Piece::Start(e) | Piece::End(e) => {
                    if !e.joins_words() {
                        text.push('\n');
                    }
                    ranges.push(None);
                }
                Piece::Leaf(Node::SoftBreak | Node::HardBreak) => {
                    text.push(' ');
                    ranges.push(None);
                }
                Piece::Leaf(_) => ranges.push(None),
            }
        }
        let mut found = recognizer.find_within(&text, &barriers);
        // Both are in order and neither overlaps itself: one pass over each (a
        // paragraph of 5 MB holds tens of thousands of both).
        let mut next_excluded = 0;
        found.retain(|f| {
            while excluded
                .get(next_excluded)
                .is_some_and(|r| r.end <= f.start)
            {
                next_excluded += 1;
            }
            excluded.get(next_excluded).is_none_or(|r| r.start >= f.end)
        });
        if found.is_empty() {
            return pieces;
        }
        let first_mention = self.mentions.len();
        self.mentions.extend(found.iter().map(|f| Mention {
            entity: f.entity.clone(),
            segment: segment as u32,
            footnote: self.footnote,
            explicit: false,
            words: (u32::MAX, 0),
        }));
        let mut out = Vec::with_capacity(pieces.len() + found.len() * 3);
        // The first name not wholly before the current piece (pieces and names are in
        // order, and names do not overlap).
        let mut next_found = 0;
        for (piece, range) in pieces.into_iter().zip(ranges) {
            let (Piece::Text { text: t, .. }, Some(range)) = (&piece, range) else {
                out.push(piece);
                continue;
            };
            let mut at = range.start;
            let words = |from: usize, to: usize| Piece::Text {
                text: t[from - range.start..to - range.start].to_string(),
                recognise: true,
            };
            while found.get(next_found).is_some_and(|f| f.end <= range.start) {
                next_found += 1;
            }
            for (k, f) in found
                .iter()
                .enumerate()
                .skip(next_found)
                .take_while(|(_, f)| f.start < range.end)
            {
                let (s, e) = (f.start.max(range.start), f.end.min(range.end));
                if s > at {
                    out.push(words(at, s));
                }
                let mention = Element::Mention((first_mention + k) as u32);
                out.push(Piece::Start(mention.clone()));
                out.push(words(s, e));
                out.push(Piece::End(mention));
                at = e;
            }
            if at < range.end {
                out.push(words(at, range.end));
            }
        }
        out
    }

    /// Splits a text event at placeholders, turning each into what it means.
    fn expand(
        &mut self,
        text: &str,
        recognise: bool,
        out: &mut Vec<Piece>,
        plain: &mut String,
        deleted: &mut usize,
    ) {
        // The text between bytes that may begin a placeholder is copied whole, not
        // character by character.
        let mut run_start = 0;
        let mut search = 0;
        while let Some(found) = text.as_bytes()[search..]
            .iter()
            .position(|&b| Masked::may_begin_placeholder(b))
        {
            let at = search + found;
            let c = text[at..]
                .chars()
                .next()
                .expect("a lead byte begins a character");
            search = at + c.len_utf8();
            let Some(i) = self.masked.token_at(c) else {
                continue;
            };
            let run = &text[run_start..at];
            run_start = search;
            if !run.is_empty() {
                if *deleted == 0 {
                    plain.push_str(run);
                }
                out.push(Piece::Text {
                    text: run.to_string(),
                    recognise,
                });
            }
            let mark = &self.masked.tokens[i].mark;
            match mark {
                Mark::DeletionStart | Mark::SubstitutionStart => *deleted += 1,
                Mark::DeletionEnd | Mark::SubstitutionMiddle => {
                    *deleted = deleted.saturating_sub(1)
                }
                Mark::Alignment(label) => {
                    self.pending.anchor.get_or_insert_with(|| label.clone());
                }
                _ => {}
            }
            out.extend(pieces_of_mark(mark));
        }
        let run = &text[run_start..];
        if !run.is_empty() {
            if *deleted == 0 {
                plain.push_str(run);
            }
            out.push(Piece::Text {
                text: run.to_string(),
                recognise,
            });
        }
    }

    /// The text as the editor wrote it, placeholders back to their tokens (for code
    /// and raw HTML, where markup is not markup).
    fn restore(&self, text: &str) -> String {
        text.chars()
            .map(|c| match self.masked.token_at(c) {
                Some(i) => self.masked.tokens[i].written.clone(),
                None => c.to_string(),
            })
            .collect()
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        if self.labels_are_numbers {
            if let Ok(number) = label.parse() {
                return number;
            }
        }
        let next = self.footnote_numbers.len() + 1;
        *self
            .footnote_numbers
            .entry(label.to_string())
            .or_insert(next)
    }
}

/// Whether every footnote label of `text` is a number, each a different one. An
/// edition's notes are cited by their numbers ("footnote 3 to Document 10"), so
/// numbers the editor wrote are the ones shown, gaps and all (`[^2]`...`[^7]`, the
/// first note being in another part); other labels (`[^a]`, or numbers mixed with
/// words) are numbered in order of reference, as Markdown does.
///
/// Read from the text before Markdown is, as the first reference needs its number.
/// What looks like a label inside code counts too: a code span holding `[^x]` in
/// a text whose notes are numbered turns numbering by order back on, no worse.
fn labels_are_numbers(text: &str) -> bool {
    let mut numbers = BTreeSet::new();
    let mut any = false;
    for at in memchr::memmem::find_iter(text.as_bytes(), b"[^") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(']') else { continue };
        let label = &rest[..end];
        if label.is_empty() || label.contains(char::is_whitespace) {
            continue;
        }
        any = true;
        let number = match label.parse::<u32>() {
            Ok(n) if n > 0 && !label.starts_with('0') => n,
            _ => return false,
        };
        numbers.insert((number, label));
    }
    // A label is written at its reference and at its note: a number twice is fine,
    // but two labels for one number ("7", "+7") are not.
    let distinct: BTreeSet<u32> = numbers.iter().map(|(n, _)| *n).collect();
    any && distinct.len() == numbers.len()
}

/// What a piece of editorial markup opens or closes.
fn pieces_of_mark(mark: &Mark) -> Vec<Piece> {
    use Element::*;
    match mark {
        Mark::InsertionStart => vec![Piece::Start(Insertion)],
        Mark::InsertionEnd => vec![Piece::End(Insertion)],
        Mark::DeletionStart => vec![Piece::Start(Deletion)],
        Mark::DeletionEnd => vec![Piece::End(Deletion)],
        Mark::SubstitutionStart => vec![Piece::Start(Substitution), Piece::Start(Deletion)],
        Mark::SubstitutionMiddle => vec![Piece::End(Deletion), Piece::Start(Insertion)],
        Mark::SubstitutionEnd => vec![Piece::End(Insertion), Piece::End(Substitution)],
        Mark::HighlightStart => vec![Piece::Start(Highlight)],
        Mark::HighlightEnd => vec![Piece::End(Highlight)],
        Mark::CommentStart => vec![Piece::Start(Comment)],
        Mark::CommentEnd => vec![Piece::End(Comment)],
        Mark::PageBreak(label) => vec![Piece::Leaf(Node::PageBreak(Box::new(PageBreak {
            label: label.clone(),
            inline: true,
        })))],
        Mark::Alignment(_) => Vec::new(),
    }
}

/// Square brackets paired within the element they are in become interpolations
/// (`[SIC]`, `c[omrade]`, `[handwritten: [illegible]]`); others stay words. A pair
/// never crosses an element's edge (`*a [b* c]` is no interpolation), so the page's
/// elements nest as Markdown's do. Empty brackets and `[^1]` (a footnote not
/// defined) are words too.
fn pair_brackets(pieces: &mut [Piece], brackets: &[usize]) {
    if brackets.is_empty() {
        return;
    }
    // For each open element, its brackets not closed yet.
    let mut open: Vec<Vec<usize>> = vec![Vec::new()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut next = brackets.iter().peekable();
    for (i, piece) in pieces.iter().enumerate() {
        let is_bracket = next.next_if_eq(&&i).is_some();
        match piece {
            Piece::Start(_) => open.push(Vec::new()),
            Piece::End(_) if open.len() > 1 => {
                open.pop();
            }
            Piece::Text { text, .. } if is_bracket && text == "[" => {
                open.last_mut().expect("never empty").push(i)
            }
            Piece::Text { .. } if is_bracket => {
                let Some(start) = open.last_mut().expect("never empty").pop() else {
                    continue;
                };
                let inside = &pieces[start + 1..i];
                let empty = inside.iter().all(|p| match p {
                    Piece::Text { text, .. } => text.trim().is_empty(),
                    _ => false,
                });
                let footnote = matches!(
                    inside.first(),
                    Some(Piece::Text { text, .. }) if text.starts_with('^')
                );
                if !empty && !footnote {
                    pairs.push((start, i));
                }
            }
            _ => {}
        }
    }
    for (start, end) in pairs {
        pieces[start] = Piece::Start(Element::Interpolation);
        pieces[end] = Piece::End(Element::Interpolation);
    }
}

/// Whether a block is raw HTML holding nothing but comments (and spaces): it is the
/// editor's alone, and no segment of the text.
fn is_only_comments(events: &[(Event, Range<usize>)]) -> bool {
    let [(Event::Start(Tag::HtmlBlock), _), middle @ .., _] = events else {
        return false;
    };
    let mut in_comment = false;
    // Its indentation comes as words.
    middle.iter().all(|(e, _)| match e {
        Event::Html(t) => without_comments(t, &mut in_comment).trim().is_empty(),
        Event::Text(t) => t.trim().is_empty(),
        _ => false,
    })
}

/// `html` without its comments (`<!-- ... -->`, which may run over several events:
/// `in_comment` says whether one is open).
fn without_comments(html: &str, in_comment: &mut bool) -> String {
    let mut shown = String::new();
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return shown,
            }
        }
        match rest.find("<!--") {
            Some(start) => {
                shown.push_str(&rest[..start]);
                let after = &rest[start + 4..];
                // `<!-->` and `<!--->` are whole comments.
                rest = if let Some(r) = after.strip_prefix('>') {
                    r
                } else if let Some(r) = after.strip_prefix("->") {
                    r
                } else {
                    *in_comment = true;
                    after
                };
            }
            None => {
                shown.push_str(rest);
                return shown;
            }
        }
    }
}

/// The element a Markdown start tag opens (links, images, code blocks and
/// footnotes are read elsewhere); `None` for one that is not enabled.
fn element_of_start(tag: Tag) -> Option<Element> {
    Some(match tag {
        Tag::Paragraph | Tag::HtmlBlock => Element::Paragraph,
        Tag::Heading { level, .. } => Element::Heading(level as u8),
        Tag::BlockQuote(_) => Element::BlockQuote,
        Tag::List(start) => Element::List(start.map(|n| n as u32)),
        Tag::Item => Element::Item,
        Tag::Table(alignments) => Element::Table(Box::new(
            alignments
                .into_iter()
                .map(|a| match a {
                    Alignment::None => ColumnAlignment::None,
                    Alignment::Left => ColumnAlignment::Left,
                    Alignment::Center => ColumnAlignment::Center,
                    Alignment::Right => ColumnAlignment::Right,
                })
                .collect(),
        )),
        Tag::TableHead => Element::TableHead,
        Tag::TableRow => Element::TableRow,
        Tag::TableCell => Element::TableCell,
        Tag::Emphasis => Element::Emphasis,
        Tag::Strong => Element::Strong,
        Tag::Strikethrough => Element::Strikethrough,
        _ => return None,
    })
}

/// The element a Markdown end tag closes.
fn element_of_end_known(end: TagEnd) -> Option<Element> {
    Some(match end {
        TagEnd::Paragraph | TagEnd::HtmlBlock => Element::Paragraph,
        TagEnd::Heading(level) => Element::Heading(level as u8),
        TagEnd::BlockQuote(_) => Element::BlockQuote,
        TagEnd::List(_) => Element::List(None),
        TagEnd::Item => Element::Item,
        TagEnd::Table => Element::Table(Box::default()),
        TagEnd::TableHead => Element::TableHead,
        TagEnd::TableRow => Element::TableRow,
        TagEnd::TableCell => Element::TableCell,
        TagEnd::Emphasis => Element::Emphasis,
        TagEnd::Strong => Element::Strong,
        TagEnd::Strikethrough => Element::Strikethrough,
        _ => return None,
    })
}

fn element_of_end(end: TagEnd) -> Element {
    element_of_end_known(end).expect("a block end")
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::ContentEvent as Node_;
    use std::path::PathBuf;

    pub(crate) fn registers() -> Registers {
        let mut r = Registers::default();
        r.people.insert(
            "kim-il-sung".into(),
            serde_yaml::from_str(
                "name: \"Kim Il Sung\"\nborn: 1912\ndied: 1994\naliases: [\"Ким Ир Сен\"]",
            )
            .unwrap(),
        );
        r.people.insert(
            "pak-heon-yeong".into(),
            serde_yaml::from_str("name: \"Pak Heon-yeong\"\naliases: [\"Pak [Heon-yeong]\"]")
                .unwrap(),
        );
        r.glossary.insert(
            "kwp".into(),
            serde_yaml::from_str("term: \"KWP\"\nexpansion: {en: \"Korean Workers' Party\", ru: \"Трудовая партия Кореи\"}\naliases: [\"ТПК\"]").unwrap(),
        );
        r
    }

    /// The annotation of `text` (in Russian, at `content/documents/d/ru.md`), each
    /// segment's reading text, and the problems found.
    pub(crate) fn annotate_in(
        text: &str,
        registers: &Registers,
        recognise: bool,
    ) -> (AnnotatedText, Vec<String>, Vec<Diagnostic>) {
        let source = Source::file(PathBuf::from("content/documents/d/ru.md"), text.to_string());
        let (recognizer, _) = Recognizer::new(registers);
        let context = TextContext {
            registers,
            recognizer: recognise.then_some(&recognizer),
        };
        let mut problems = Vec::new();
        let (t, reading) = annotate_for_alignment(&source, "ru", &context, &mut problems);
        (t, reading, problems)
    }

    fn annotate(text: &str) -> (AnnotatedText, Vec<String>, Vec<Diagnostic>) {
        annotate_in(text, &registers(), true)
    }

    /// A segment as a compact string: elements in angle brackets.
    fn shape(content: &Content) -> String {
        content
            .events()
            .map(|e| match e {
                Node_::Start(e) => format!("<{}>", short(e)),
                Node_::End(e) => format!("</{}>", short(e)),
                Node_::Text(t) => t.to_string(),
                Node_::PageBreak { label, inline } => format!("{{pb {label} {inline}}}"),
                Node_::FootnoteReference { label, number } => format!("[^{label}={number}]"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn short(e: &Element) -> String {
        match e {
            Element::Mention(i) => format!("m{i}"),
            other => format!("{other:?}").to_lowercase(),
        }
    }

    #[test]
    fn names_become_mentions_with_their_words_in_context() {
        let (t, _, problems) = annotate("Беседа с тов. Ким Ир Сеном о ТПК.");
        assert!(problems.is_empty());
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph>Беседа с тов. <m0>Ким Ир Сеном</m0> о <m1>ТПК</m1>.</paragraph>"
        );
        let m = t.in_context(0);
        assert_eq!(
            (t.mentions[0].entity.id.as_ref(), m.surface()),
            ("kim-il-sung", "Ким Ир Сеном")
        );
        assert_eq!((m.before(), m.after()), ("Беседа с тов. ", " о ТПК."));
        assert_eq!(&*t.mentions[1].entity.id, "kwp");
    }

    #[test]
    fn explicit_links_have_words_in_context_too() {
        let (t, _, _) = annotate_in(
            "Беседа с тов. [Кимом](@kim-il-sung) о делах (и [Кимом](@kim-il-sung)).",
            &registers(),
            false,
        );
        assert!(t.mentions.iter().all(|m| m.explicit));
        let explicit: Vec<_> = (0..t.mentions.len()).map(|i| t.in_context(i)).collect();
        let explicit: Vec<_> = explicit
            .iter()
            .map(|m| (m.before(), m.surface(), m.after()))
            .collect();
        assert_eq!(
            explicit,
            [
                ("Беседа с тов. ", "Кимом", " о делах (и Кимом)."),
                ("Беседа с тов. Кимом о делах (и ", "Кимом", ")."),
            ]
        );
    }

    #[test]
    fn a_name_across_an_interpolation_is_a_mention_on_each_side() {
        let (t, _, _) = annotate("execution of Pak [Heon-yeong].");
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph>execution of <m0>Pak </m0><interpolation><m0>Heon-yeong</m0></interpolation>.</paragraph>"
        );
        assert_eq!(t.mentions.len(), 1);
        assert_eq!(t.in_context(0).surface(), "Pak Heon-yeong");
    }

    #[test]
    fn explicit_links_win_and_at_dash_suppresses() {
        let (t, _, problems) = annotate("[Пак](@pak-heon-yeong) и [Ким Ир Сен](@-) и Ким Ир Сен.");
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<(&str, bool)> = t
            .mentions
            .iter()
            .map(|m| (m.entity.id.as_ref(), m.explicit))
            .collect();
        assert_eq!(ids, [("pak-heon-yeong", true), ("kim-il-sung", false)]);
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph><m0>Пак</m0> и Ким Ир Сен и <m1>Ким Ир Сен</m1>.</paragraph>"
        );
    }

    #[test]
    fn an_unknown_explicit_id_is_an_error_at_its_place() {
        let (t, _, problems) = annotate("Text.\n\nSaid {++so++} [Pak](@pak-heonyeong).");
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!((p.line, p.column), (3, 15), "{p}");
        assert!(p.message.contains("unknown id `pak-heonyeong`"), "{p}");
        assert!(
            t.segments[1].content.text().contains("Pak"),
            "the text is kept"
        );
        // With a register that could not be read, the id may be in it: its own
        // error says so, and the link is not a second one.
        let mut registers = registers();
        registers
            .unreadable
            .insert(crate::model::EntityKind::Person);
        let (t, _, problems) = annotate_in("[Pak](@pak-heonyeong)", &registers, true);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(t.mentions.is_empty());
    }

    #[test]
    fn mentions_in_notes_and_across_lines_read_their_own_words() {
        let (t, _, _) = annotate(
            "Тов. Ким Ир Сен[^1] и\n[Пак\nХон](@pak-heon-yeong).\n\n[^1]: Сказал Ким Ир Сен `код` ТПК.",
        );
        let read: Vec<(String, String, String, Option<u32>)> = (0..t.mentions.len())
            .map(|i| {
                let c = t.in_context(i);
                let m = &t.mentions[i];
                (
                    c.before().into(),
                    c.surface().into(),
                    c.after().into(),
                    m.footnote,
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    "Тов. Ким Ир Сен и ".into(),
                    "Пак Хон".into(),
                    ".".into(),
                    None
                ),
                (
                    "Тов. ".into(),
                    "Ким Ир Сен".into(),
                    " и Пак Хон.".into(),
                    None
                ),
                // Code is read with the words around it (no name is found in it).
                (
                    "Сказал ".into(),
                    "Ким Ир Сен".into(),
                    " код ТПК.".into(),
                    Some(0)
                ),
                (
                    "Сказал Ким Ир Сен код ".into(),
                    "ТПК".into(),
                    ".".into(),
                    Some(0)
                ),
            ]
        );
    }

    #[test]
    fn names_are_not_recognised_inside_links_or_code() {
        let (t, _, _) = annotate("[Ким Ир Сен](https://example.org) `Ким Ир Сен`");
        assert!(t.mentions.is_empty());
        let (t, _, _) = annotate("```\nКим Ир Сен\n```\n\n    Ким Ир Сен\n");
        assert!(t.mentions.is_empty());
        assert_eq!(t.segments.len(), 2);
    }

    #[test]
    fn a_name_runs_across_emphasis_but_not_across_a_link_s_edge() {
        let (t, _, _) = annotate("Тов. Ким *Ир* Сен и **Ким Ир** Сен.");
        assert_eq!(t.mentions.len(), 2, "{:?}", shape(&t.segments[0].content));
        // The words read on across emphasis; a block is set apart by newlines.
        assert_eq!(
            t.segments[0].content.text(),
            "\nТов. Ким Ир Сен и Ким Ир Сен.\n"
        );
        assert_eq!(t.in_context(0).surface(), "Ким Ир Сен");
        // A name that begins where an element does is wholly inside it.
        let (t, _, _) = annotate("Сказал *Ким Ир Сен*");
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph>Сказал <emphasis><m0>Ким Ир Сен</m0></emphasis></paragraph>"
        );
        let (t, _, _) = annotate("Ким [Ир Сен](https://example.org).");
        assert!(t.mentions.is_empty());
    }

    #[test]
    fn each_top_level_block_is_a_segment_with_its_line() {
        let (t, reading, _) = annotate("First.\n\nSecond\nline.\n\n- a\n- b\n");
        let lines: Vec<usize> = t.segments.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![1, 3, 6]);
        assert_eq!(reading.len(), t.segments.len());
        assert_eq!(reading[1], "Second line.");
        // Items, cells and paragraphs are words apart in the reading text.
        assert_eq!(reading[2], "a b");
        let (_, reading, _) = annotate("| x | y |\n|---|---|\n| 1 | 2 |\n\n> a\n>\n> b\n");
        assert_eq!(reading, ["x y 1 2", "a b"]);
        assert!(shape(&t.segments[2].content).starts_with("<list(none)><item>a</item>"));
        // A rule is a block of its own, at its own line.
        let (t, _, _) = annotate("First.\n\n***\n");
        let lines: Vec<usize> = t.segments.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![1, 3]);
    }

    #[test]
    fn a_text_of_page_breaks_alone_is_one_segment_at_the_text_s_first_line() {
        // A text that begins on the file's fifth line (after front matter).
        let source = Source::lines(PathBuf::from("d/ru.md"), "{pb 1}\n".into(), 4);
        let registers = registers();
        let context = TextContext {
            registers: &registers,
            recognizer: None,
        };
        let t = annotate_text(&source, "ru", &context, &mut Vec::new());
        assert_eq!(t.segments.len(), 1);
        assert_eq!(t.segments[0].line, 5);
        assert_eq!(shape(&t.segments[0].content), "{pb 1 false}");
    }

    #[test]
    fn editorial_markup_becomes_elements_and_the_reading_text_drops_deletions() {
        let (t, reading, problems) =
            annotate("не {--ослабить--} {++ослабить++} и {~~a~>b~~} [SIC]");
        assert!(problems.is_empty());
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph>не <deletion>ослабить</deletion> <insertion>ослабить</insertion> и \
             <substitution><deletion>a</deletion><insertion>b</insertion></substitution> \
             <interpolation>SIC</interpolation></paragraph>"
        );
        assert_eq!(reading[0], "не ослабить и b [SIC]");
    }

    #[test]
    fn brackets_markdown_reads_as_links_are_links_and_the_rest_pair_within_elements() {
        let shaped = |text: &str| shape(&annotate(text).0.segments[0].content);
        // A reference link, in all three forms, with its definition after it.
        assert_eq!(
            shaped("[foo] [foo][] [x][foo] c[omrade]\n\n[foo]: /url"),
            "<paragraph><L>foo</L> <L>foo</L> <L>x</L> c<interpolation>omrade</interpolation></paragraph>"
                .replace("<L>", "<link(linktarget { url: \"/url\", title: \"\" })>")
                .replace("</L>", "</link(linktarget { url: \"/url\", title: \"\" })>")
        );
        // Nested, and around markup.
        assert_eq!(
            shaped("[handwritten: [illegible] *yes*]"),
            "<paragraph><interpolation>handwritten: <interpolation>illegible</interpolation> \
             <emphasis>yes</emphasis></interpolation></paragraph>"
        );
        // Never across an element's edge, never empty, escaped or a note not defined.
        assert_eq!(
            shaped("*foo [bar* baz] [] [ ] \\[x\\] &#91;y&#93; a[^1]"),
            "<paragraph><emphasis>foo [bar</emphasis> baz] [] [ ] [x] [y] a[^1]</paragraph>"
        );
        // An escaped backslash escapes no bracket.
        assert_eq!(
            shaped("\\\\[x]"),
            "<paragraph>\\<interpolation>x</interpolation></paragraph>"
        );
    }

    #[test]
    fn html_comments_are_the_editors_and_left_out() {
        let (t, reading, _) = annotate(
            "<!-- a whole block -->\n\nText <!-- inline\nover lines --> goes on.\n\n<!-- x --> <b>y</b>",
        );
        assert_eq!(t.segments.len(), 2, "{reading:?}");
        assert_eq!(reading[0], "Text goes on.");
        assert_eq!(
            shape(&t.segments[1].content),
            "<paragraph> <b>y</b></paragraph>"
        );
        // A comment after other HTML in a block; an indented block of comments.
        let (t, reading, _) =
            annotate("<div>x <!-- note --> y</div>\n\n   <!-- a -->\n<!-- b -->\n");
        assert_eq!(t.segments.len(), 1, "{reading:?}");
        assert_eq!(reading[0], "<div>x y</div>");
    }

    #[test]
    fn blocks_inside_blocks_end_where_markdown_ends_them() {
        for (text, expected) in [
            (
                "> # Title\n> Text.\n",
                "<blockquote><heading(1)>Title</heading(1)><paragraph>Text.</paragraph></blockquote>",
            ),
            (
                "> > inner\n>\n> outer\n",
                "<blockquote><blockquote><paragraph>inner</paragraph></blockquote><paragraph>outer</paragraph></blockquote>",
            ),
            (
                "- a\n  - b\n\n  c\n",
                "<list(none)><item><paragraph>a</paragraph><list(none)><item>b</item></list(none)>\
                 <paragraph>c</paragraph></item></list(none)>",
            ),
            (
                "| x |\n|---|\n| 1 |\n| 2 |\n",
                "<table([none])><tablehead><tablecell>x</tablecell></tablehead>\
                 <tablerow><tablecell>1</tablecell></tablerow>\
                 <tablerow><tablecell>2</tablecell></tablerow></table([none])>",
            ),
        ] {
            let (t, _, _) = annotate(text);
            assert_eq!(shape(&t.segments[0].content), expected, "{text}");
        }
    }

    #[test]
    fn markup_that_runs_into_a_list_is_read_without_a_panic() {
        // The editor's marks pair within a paragraph as written, which Markdown
        // may read as several blocks: each block closes what it did not open.
        let (t, _, _) = annotate("{++{=={>>a\n- b<<}==}++} [x]\n");
        let last = t.segments.last().expect("a segment");
        assert_eq!(
            shape(&last.content),
            "<list(none)><item>b <interpolation>x</interpolation></item></list(none)>"
        );
    }

    #[test]
    fn markup_crossing_emphasis_is_closed_and_opened_again() {
        let (t, _, _) = annotate("*a {++b* c++} {++**d**++}");
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph><emphasis>a <insertion>b</insertion></emphasis><insertion> c</insertion> \
             <insertion><strong>d</strong></insertion></paragraph>"
        );
    }

    #[test]
    fn a_page_break_on_its_own_line_joins_the_next_block() {
        let (t, _, _) = annotate("One.\n\n{pb 36}\n\nTwo {pb 37} more.\n\n{pb 38}\n");
        assert_eq!(t.segments.len(), 2);
        assert_eq!(
            shape(&t.segments[1].content),
            "{pb 36 false}<paragraph>Two {pb 37 true} more.</paragraph>{pb 38 false}"
        );
        assert_eq!(t.segments[1].line, 5);
        // Page breaks and an anchor on lines of their own, one paragraph.
        let (t, _, _) = annotate("{pb 36}\n{§ 4}\n\nFirst.\n");
        assert_eq!(t.segments.len(), 1);
        assert_eq!(t.segments[0].anchor.as_deref(), Some("4"));
        assert_eq!(
            shape(&t.segments[0].content),
            "{pb 36 false}<paragraph>First.</paragraph>"
        );
    }

    #[test]
    fn alignment_anchor_goes_to_its_block() {
        let (t, reading, _) = annotate("{§ 1}\n\nOne.\n\n{§ 2} Two.\n");
        assert_eq!(t.segments[0].anchor.as_deref(), Some("1"));
        assert_eq!(t.segments[1].anchor.as_deref(), Some("2"));
        assert_eq!(reading[1], "Two.");
    }

    #[test]
    fn raw_html_is_kept_as_words() {
        let (t, _, _) = annotate("<script>alert(1)</script>\n\nA <b>bold</b> word.\n");
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph><script>alert(1)</script>\n</paragraph>"
        );
        assert_eq!(
            shape(&t.segments[1].content),
            "<paragraph>A <b>bold</b> word.</paragraph>"
        );
    }

    #[test]
    fn footnotes_are_numbered_in_order_of_reference() {
        let (t, _, _) = annotate("Text[^a] more[^b].\n\n[^b]: Second.\n[^a]: First.\n");
        assert_eq!(t.segments.len(), 1);
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph>Text[^a=1] more[^b=2].</paragraph>"
        );
        let notes: Vec<(usize, &str)> = t
            .footnotes
            .iter()
            .map(|n| (n.number, n.label.as_str()))
            .collect();
        assert_eq!(notes, vec![(1, "a"), (2, "b")]);
        assert_eq!(
            shape(&t.footnotes[0].content),
            "<paragraph>First.</paragraph>"
        );
    }

    #[test]
    fn notes_the_editor_numbered_keep_their_numbers() {
        let (t, _, _) = annotate("As said[^7], and before[^2].\n\n[^2]: Earlier.\n[^7]: Later.\n");
        assert_eq!(
            shape(&t.segments[0].content),
            "<paragraph>As said[^7=7], and before[^2=2].</paragraph>"
        );
        let notes: Vec<(usize, &str)> = t
            .footnotes
            .iter()
            .map(|n| (n.number, n.label.as_str()))
            .collect();
        assert_eq!(notes, vec![(2, "2"), (7, "7")]);
        // Brackets that cannot be a note's label (`[^]`, `[^a b]`) change nothing.
        let (t, _, _) = annotate("A[^7] x[^] y[^a b].\n\n[^7]: N.\n");
        assert_eq!(t.footnotes[0].number, 7);
        // A number written with a leading zero or a sign is a label like any other.
        for text in ["A[^07].\n\n[^07]: N.\n", "A[^+0].\n\n[^+0]: N.\n"] {
            let (t, _, _) = annotate(text);
            assert_eq!(t.footnotes[0].number, 1, "{text}");
        }
        // Numbers mixed with words, or written two ways, are numbered in order.
        for text in [
            "A[^7] b[^x].\n\n[^7]: N.\n[^x]: M.\n",
            "A[^7] b[^07].\n\n[^7]: N.\n[^07]: M.\n",
            "A[^7] b[^+7].\n\n[^7]: N.\n[^+7]: M.\n",
        ] {
            let (t, _, _) = annotate(text);
            let numbers: Vec<usize> = t.footnotes.iter().map(|n| n.number).collect();
            assert_eq!(numbers, vec![1, 2], "{text}");
        }
    }

    #[test]
    fn unclosed_markup_warns_with_line_and_keeps_the_words() {
        let (t, _, problems) = annotate("Fine.\n\nМы {++ посоветовали\n");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (3, 4));
        assert_eq!(t.segments[1].content.text().trim(), "Мы {++ посоветовали");
    }

    #[test]
    fn every_character_of_a_text_is_a_word_and_none_is_markup() {
        // Private use characters of both areas (the first placeholders, and ones
        // that look like the old mention markers), a word joiner, and characters
        // written as references.
        let text = "\u{F0000}\u{F0001} \u{100000}\u{10FFFD} a\u{2060}b {++x++} \
                    &#xF0002; Ким\u{2060}Ир Сен";
        let (t, _, problems) = annotate(text);
        assert!(problems.is_empty(), "{problems:?}");
        let words = t.segments[0].content.text();
        for c in [
            '\u{F0000}',
            '\u{F0001}',
            '\u{100000}',
            '\u{10FFFD}',
            '\u{2060}',
            '\u{F0002}',
        ] {
            assert!(words.contains(c), "{c:?} kept in {words:?}");
        }
        assert_eq!(
            shape(&t.segments[0].content),
            format!(
                "<paragraph>\u{F0000}\u{F0001} \u{100000}\u{10FFFD} a\u{2060}b <insertion>x</insertion> \
                 \u{F0002} <m0>Ким\u{2060}Ир Сен</m0></paragraph>"
            )
        );
    }
}
