//! One text (or headnote, or free page) from Markdown to [`AnnotatedText`].
//!
//! pulldown-cmark parses the masked text (see `markup`); each top-level block becomes a
//! [`Segment`]; placeholders become semantic HTML (`ins`, `del`, `mark`, page markers,
//! interpolations); footnotes get ids unique on the page; names of register entries
//! become links (`recognize` finds them; `[x](@id)` names one explicitly, `[x](@-)`
//! says "not a mention"). Raw HTML in a text is shown as text, never passed through:
//! texts are transcriptions, and must not inject markup into the site.
//!
//! Not here: aligning languages.

use super::markup::{self, Mark, Masked};
use super::recognize::{Recognizer, LINK_EDGE};
use crate::diagnostics::{Diagnostic, Position};
use crate::html::{escape, escape_into};
use crate::links::{entity_address, Links};
use crate::model::{
    AnnotatedText, Document, EntityKind, EntityRef, Footnote, Mention, Registers, Segment, Source,
};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

/// What annotating a text needs besides the text itself.
#[derive(Clone, Copy)]
pub struct TextContext<'a> {
    pub registers: &'a Registers,
    /// `None`: names are not recognised (free pages); explicit links still work.
    pub recognizer: Option<&'a Recognizer>,
    pub links: &'a Links,
    /// The address of the page the text is shown on (links are relative to it).
    pub page: &'a str,
    /// The page lists its entries with ids `card-<kind>-<id>` that mentions refer to.
    pub cards: bool,
    /// The document the text belongs to (for its facsimiles), if any.
    pub document: Option<&'a Document>,
    /// Mentions' opening tags are left for the page to write ([`MentionTags`]):
    /// document texts, whose tags (a link, a card) would be most of what the
    /// annotated edition holds in memory.
    pub deferred_tags: bool,
}

/// In a text annotated with [`TextContext::deferred_tags`], the opening tag of a
/// mention is one character of Supplementary Private Use Area-B (as markup
/// placeholders are in Area-A): U+100000 + the entry's position in
/// [`AnnotatedText::linked`]. A text that holds such characters itself keeps its
/// tags.
const TAG_MARKER_BASE: u32 = 0x10_0000;
/// Area-B ends at U+10FFFD; a text naming more entries than this gets full tags.
const MAX_TAG_MARKERS: usize = 0xFFFE;

/// The opening tags of a text's mentions, made for the page that shows it: they
/// take the place of the markers in the text's segments and footnotes.
pub struct MentionTags {
    tags: Vec<String>,
}

impl MentionTags {
    /// The tags of `text`'s linked entries, for the page of `context`; the same as
    /// annotating without `deferred_tags` would have written.
    pub fn new(text: &AnnotatedText, context: &TextContext) -> Self {
        Self {
            tags: text
                .linked
                .iter()
                .map(|entity| mention_open_tag(entity, &text.lang, context))
                .collect(),
        }
    }

    /// Appends `html` (a segment or footnote of the text) with the tags in place.
    pub fn expand_into(&self, out: &mut String, html: &str) {
        // Markers all begin with the byte 0xF4 (as does nothing else below
        // U+100000): the HTML between them is copied whole.
        let mut copied = 0;
        for at in memchr::memchr_iter(0xF4, html.as_bytes()) {
            let Some(c) = html[at..].chars().next() else {
                continue;
            };
            let Some(tag) = (c as u32)
                .checked_sub(TAG_MARKER_BASE)
                .and_then(|i| self.tags.get(i as usize))
            else {
                continue;
            };
            out.push_str(&html[copied..at]);
            out.push_str(tag);
            copied = at + c.len_utf8();
        }
        out.push_str(&html[copied..]);
    }

    /// `html` with the tags in place, copied only if it holds any.
    pub fn expand<'h>(&self, html: &'h str) -> std::borrow::Cow<'h, str> {
        if self.tags.is_empty() || memchr::memchr(0xF4, html.as_bytes()).is_none() {
            return html.into();
        }
        let mut out = String::with_capacity(html.len() + 256 * self.tags.len());
        self.expand_into(&mut out, html);
        out.into()
    }
}

/// Annotates `source`, a text in `lang`. `prefix` makes the ids of footnotes and page
/// markers unique when several texts share a page (`ru`, `en`, `headnote`).
pub fn annotate_text(
    source: &Source,
    lang: &str,
    prefix: &str,
    context: &TextContext,
    problems: &mut Vec<Diagnostic>,
) -> AnnotatedText {
    annotate_for_alignment(source, lang, prefix, context, problems).0
}

/// [`annotate_text`], and each segment's reading text (plain, deletions left out),
/// which alignment compares. The reading texts are not kept in the annotation: a
/// large edition holds every annotation until its pages are written, and nothing
/// after alignment reads them.
pub fn annotate_for_alignment(
    source: &Source,
    lang: &str,
    prefix: &str,
    context: &TextContext,
    problems: &mut Vec<Diagnostic>,
) -> (AnnotatedText, Vec<String>) {
    let (masked, markup_problems) = markup::lex(&source.text);
    for p in markup_problems {
        problems.push(Diagnostic::warning(
            &source.path,
            Position::of_offset(&source.text, p.offset).below(source.line_offset),
            p.message,
        ));
    }
    let mut builder = TextBuilder {
        source,
        masked: &masked,
        lang,
        prefix,
        context,
        segments: Vec::new(),
        reading: Vec::new(),
        footnote_numbers: BTreeMap::new(),
        footnotes: Vec::new(),
        mentions: Vec::new(),
        page_ids: HashSet::new(),
        pending: Pending::default(),
        problems,
        mention_tags: Default::default(),
        // A text that holds characters of Area-B itself (their UTF-8 begins with
        // 0xF4) keeps its tags: its own characters must not be taken for markers.
        defer_tags: context.deferred_tags && memchr::memchr(0xF4, source.text.as_bytes()).is_none(),
        linked: Vec::new(),
        explicit_pieces: Vec::new(),
    };
    builder.build();
    let mut footnotes = builder.footnotes;
    footnotes.sort_by_key(|n| n.number);
    let mut text = AnnotatedText {
        lang: lang.to_string(),
        segments: builder.segments,
        footnotes,
        mentions: builder.mentions,
        linked: builder.linked,
    };
    shrink(&mut text);
    (text, builder.reading)
}

/// Gives back the room strings and lists grew into while being built: every
/// annotated text of an edition stays in memory until its pages are written, and the
/// slack was a fifth of a large edition's peak memory.
fn shrink(text: &mut AnnotatedText) {
    for segment in &mut text.segments {
        segment.html.shrink_to_fit();
    }
    text.segments.shrink_to_fit();
    text.mentions.shrink_to_fit();
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

struct TextBuilder<'a, 'p> {
    source: &'a Source,
    masked: &'a Masked,
    lang: &'a str,
    prefix: &'a str,
    context: &'a TextContext<'a>,
    segments: Vec<Segment>,
    /// Each segment's reading text.
    reading: Vec<String>,
    /// Footnote label → number, in order of first reference.
    footnote_numbers: BTreeMap<String, usize>,
    footnotes: Vec<Footnote>,
    mentions: Vec<Mention>,
    page_ids: HashSet<String>,
    pending: Pending,
    problems: &'p mut Vec<Diagnostic>,
    /// The opening tag of each entry's mentions, made once per text.
    mention_tags: rustc_hash::FxHashMap<EntityRef, String>,
    /// Whether mentions' opening tags are left to the page (markers instead).
    defer_tags: bool,
    /// With deferred tags: the entries whose markers the text holds.
    linked: Vec<EntityRef>,
    /// The mentions the editor linked in the block being rendered, with the pieces
    /// their link holds, for their words in context.
    explicit_pieces: Vec<(usize, Range<usize>)>,
}

/// A block's content between parsing and HTML: text that names may be found in, or
/// anything else.
enum Piece<'e> {
    Text { text: String, recognise: bool },
    Event(Event<'e>),
}

/// What an open link is.
enum OpenLink {
    /// `[x](@id)`: a mention the editor wrote; its words so far, and the position
    /// of the first piece inside the link.
    Entity(EntityRef, String, usize),
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
                let line = lines.line_of(block_start) + self.source.line_offset;
                self.finish_block(std::mem::take(&mut block), line);
            }
        }
        if !self.pending.html.is_empty() {
            // Page breaks at the very end belong to the last block.
            let html = std::mem::take(&mut self.pending.html);
            match self.segments.last_mut() {
                Some(last) => last.html.push_str(&html),
                None => {
                    self.segments.push(Segment {
                        line: 1 + self.source.line_offset,
                        anchor: self.pending.anchor.take(),
                        html,
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
            let (html, _) = self.render(inner, segment.saturating_sub(1));
            let number = self.footnote_number(&label);
            self.footnotes.push(Footnote {
                id: format!("{}-fn-{}", self.prefix, id_safe(&label)),
                reference: format!("{}-fnref-{}", self.prefix, id_safe(&label)),
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
        let (body, text) = self.render(events, segment);
        let mut html = std::mem::take(&mut self.pending.html);
        html.push_str(&body);
        // Set by an anchor before the block or inside it (`{§ 3} First words`).
        let anchor = self.pending.anchor.take();
        self.segments.push(Segment { line, anchor, html });
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

    fn render_milestone(&mut self, events: &[(Event, Range<usize>)]) -> String {
        let mut html = String::new();
        for (event, _) in events {
            if let Event::Text(t) = event {
                for c in t.chars() {
                    if let Some(i) = markup::placeholder_index(c) {
                        match &self.masked.tokens[i].mark {
                            Mark::Alignment(label) => self.pending.anchor = Some(label.clone()),
                            Mark::PageBreak(label) => html.push_str(&self.page_break(label, false)),
                            mark => html.push_str(&self.mark_html(mark)),
                        }
                    }
                }
            }
        }
        html
    }

    /// Renders a block's events to HTML, with mentions linked, and returns the reading
    /// text (deletions left out).
    fn render(&mut self, events: Vec<(Event, Range<usize>)>, segment: usize) -> (String, String) {
        self.explicit_pieces.clear();
        let (pieces, plain) = self.flatten(events, segment);
        let pieces = self.link_mentions(pieces, segment);
        // Room for the text, its markup and a few mention links, at once.
        let mut html = String::with_capacity(2 * plain.len() + 512);
        pulldown_cmark::html::push_html(
            &mut html,
            pieces.into_iter().map(|piece| match piece {
                Piece::Text { text, .. } => Event::Text(text.into()),
                Piece::Event(event) => event,
            }),
        );
        (html, collapse_spaces(&plain))
    }

    /// Pass 1: placeholders to HTML, explicit links resolved, raw HTML to text.
    fn flatten<'e>(
        &mut self,
        events: Vec<(Event<'e>, Range<usize>)>,
        segment: usize,
    ) -> (Vec<Piece<'e>>, String) {
        let mut out: Vec<Piece> = Vec::with_capacity(events.len());
        let mut plain = String::new();
        let mut deleted = 0usize;
        let mut in_code_block = false;
        let mut in_image = false;
        let mut links: Vec<OpenLink> = Vec::new();
        let mut open_marks: Vec<&'static str> = Vec::new();
        for (event, range) in events {
            let recognise = links.is_empty() && !in_image;
            match event {
                Event::Text(t) if in_code_block => {
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Piece::Event(Event::Text(restored.into())));
                }
                Event::Text(t) => {
                    if let Some(OpenLink::Entity(_, surface, _)) = links.last_mut() {
                        surface.push_str(&self.restore_plain(&t));
                    }
                    self.expand(
                        &t,
                        recognise,
                        &mut out,
                        &mut plain,
                        &mut deleted,
                        &mut open_marks,
                    );
                }
                Event::Code(t) => {
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Piece::Event(Event::Code(restored.into())));
                }
                Event::Html(t) | Event::InlineHtml(t) => {
                    // Shown as written: see the module comment.
                    let restored = self.restore(&t);
                    plain.push_str(&restored);
                    out.push(Piece::Text {
                        text: restored,
                        recognise: false,
                    });
                }
                Event::Start(Tag::HtmlBlock) => {
                    out.push(Piece::Event(Event::Start(Tag::Paragraph)))
                }
                Event::End(TagEnd::HtmlBlock) => {
                    out.push(Piece::Event(Event::End(TagEnd::Paragraph)))
                }
                Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                    let mut open = self.explicit_link(&dest_url[1..], range.start);
                    if let OpenLink::Entity(entity, _, first_piece) = &mut open {
                        out.push(Piece::Event(Event::InlineHtml(
                            self.mention_open(entity).into(),
                        )));
                        *first_piece = out.len();
                    }
                    links.push(open);
                }
                Event::Start(Tag::Link { .. }) => {
                    links.push(OpenLink::Ordinary);
                    out.push(Piece::Event(event));
                }
                Event::End(TagEnd::Link) => match links.pop() {
                    Some(OpenLink::Entity(entity, surface, first_piece)) => {
                        self.explicit_pieces
                            .push((self.mentions.len(), first_piece..out.len()));
                        out.push(Piece::Event(Event::InlineHtml(
                            mention_close(&entity).into(),
                        )));
                        self.mentions.push(Mention::new(
                            entity,
                            segment,
                            true,
                            ["", &collapse_spaces(&surface), ""],
                        ));
                    }
                    Some(OpenLink::Suppressed) => {}
                    _ => out.push(Piece::Event(event)),
                },
                Event::Start(Tag::Image { .. }) => {
                    in_image = true;
                    out.push(Piece::Event(event));
                }
                Event::End(TagEnd::Image) => {
                    in_image = false;
                    out.push(Piece::Event(event));
                }
                Event::FootnoteReference(label) => {
                    let number = self.footnote_number(&label);
                    let id = id_safe(&label);
                    let p = self.prefix;
                    out.push(Piece::Event(Event::InlineHtml(
                        format!(
                            "<sup class=\"fnref\"><a id=\"{p}-fnref-{id}\" href=\"#{p}-fn-{id}\">{number}</a></sup>"
                        )
                        .into(),
                    )));
                }
                Event::SoftBreak | Event::HardBreak => {
                    plain.push(' ');
                    out.push(Piece::Event(event));
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code_block = true;
                    out.push(Piece::Event(event));
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    out.push(Piece::Event(event));
                }
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                    // Markup left open by a truncated token list: close it so the
                    // block stays well-formed.
                    for close in open_marks.drain(..).rev() {
                        out.push(Piece::Event(Event::InlineHtml(close.into())));
                    }
                    plain.push(' ');
                    out.push(Piece::Event(event));
                }
                other => out.push(Piece::Event(other)),
            }
        }
        (out, plain)
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
                        id: target.to_string(),
                    },
                    String::new(),
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
            Position::of_offset(&self.source.text, offset).below(self.source.line_offset),
            problem,
        ));
        OpenLink::Suppressed
    }

    /// Pass 2: finds the names in the block's text and wraps each piece of text inside
    /// a name in a link. A name running over an element boundary ("Pak
    /// [Heon-yeong]") becomes one link per piece, so the HTML stays well-formed.
    fn link_mentions<'e>(&mut self, pieces: Vec<Piece<'e>>, segment: usize) -> Vec<Piece<'e>> {
        // The block's text, with a newline where no name may cross (and a word joiner
        // around link texts, which names may not cross either).
        let room = pieces.iter().map(|piece| match piece {
            Piece::Text { text, .. } => text.len() + 2 * LINK_EDGE.len_utf8(),
            Piece::Event(_) => 1,
        });
        let mut text = String::with_capacity(room.sum());
        let mut ranges: Vec<Option<Range<usize>>> = Vec::with_capacity(pieces.len());
        // Text kept for context only (link texts): no name is found in it.
        let mut excluded: Vec<Range<usize>> = Vec::new();
        // Where each piece of link text is in `text`, by piece.
        let mut excluded_at: Vec<Option<Range<usize>>> = Vec::with_capacity(pieces.len());
        for piece in &pieces {
            let mut link_text = None;
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
                } => {
                    text.push(LINK_EDGE);
                    let start = text.len();
                    text.push_str(&t.replace('\n', " "));
                    excluded.push(start..text.len());
                    link_text = Some(start..text.len());
                    text.push(LINK_EDGE);
                    ranges.push(None);
                }
                Piece::Event(e) => {
                    match e {
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        Event::Code(_) | Event::Start(_) | Event::End(_) if !is_inline(e) => {
                            text.push('\n')
                        }
                        Event::Code(_) => text.push('\n'),
                        _ => {}
                    }
                    ranges.push(None);
                }
            }
            excluded_at.push(link_text);
        }
        // The editor's links: their words in context, from the same text.
        for (mention, link) in std::mem::take(&mut self.explicit_pieces) {
            let mut at = excluded_at[link].iter().flatten();
            let Some(first) = at.next() else { continue };
            let (start, end) = (first.start, at.last().map_or(first.end, |r| r.end));
            let m = &mut self.mentions[mention];
            let (context, surface_at) = in_context(&text, start, end, m.surface());
            m.set_context(context, surface_at);
        }
        let Some(recognizer) = self.context.recognizer else {
            return pieces;
        };
        let mut found = recognizer.find(&text);
        found.retain(|f| !excluded.iter().any(|r| f.start < r.end && f.end > r.start));
        if found.is_empty() {
            return pieces;
        }
        for f in &found {
            let surface = collapse_spaces(&text[f.start..f.end]);
            let (context, surface_at) = in_context(&text, f.start, f.end, &surface);
            self.mentions.push(Mention::in_context(
                f.entity.clone(),
                segment,
                false,
                context,
                surface_at,
            ));
        }
        let mut out = Vec::with_capacity(pieces.len() + found.len() * 2);
        for (piece, range) in pieces.into_iter().zip(ranges) {
            let (Piece::Text { text: t, .. }, Some(range)) = (&piece, range) else {
                out.push(piece);
                continue;
            };
            let mut at = range.start;
            for f in found
                .iter()
                .filter(|f| f.start < range.end && f.end > range.start)
            {
                let (s, e) = (f.start.max(range.start), f.end.min(range.end));
                if s > at {
                    out.push(plain_text(&t[at - range.start..s - range.start]));
                }
                out.push(Piece::Event(Event::InlineHtml(
                    self.mention_open(&f.entity).into(),
                )));
                out.push(plain_text(&t[s - range.start..e - range.start]));
                out.push(Piece::Event(Event::InlineHtml(
                    mention_close(&f.entity).into(),
                )));
                at = e;
            }
            if at < range.end {
                out.push(plain_text(&t[at - range.start..]));
            }
        }
        out
    }

    /// The opening tag of a mention (made once per entry and text), or its marker.
    fn mention_open(&mut self, entity: &EntityRef) -> String {
        if let Some(tag) = self.mention_tags.get(entity) {
            return tag.clone();
        }
        let tag = if self.defer_tags && self.linked.len() < MAX_TAG_MARKERS {
            let marker = TAG_MARKER_BASE + self.linked.len() as u32;
            self.linked.push(entity.clone());
            char::from_u32(marker).expect("below U+10FFFE").to_string()
        } else {
            mention_open_tag(entity, self.lang, self.context)
        };
        self.mention_tags.insert(entity.clone(), tag.clone());
        tag
    }

    /// Splits a text event at placeholders, turning each into its HTML.
    fn expand<'e>(
        &mut self,
        text: &str,
        recognise: bool,
        out: &mut Vec<Piece<'e>>,
        plain: &mut String,
        deleted: &mut usize,
        open_marks: &mut Vec<&'static str>,
    ) {
        // Placeholders (U+F0000 on) all begin with the byte 0xF3: the text between
        // them is copied whole, not character by character.
        let mut run_start = 0;
        let mut search = 0;
        while let Some(found) = text.as_bytes()[search..].iter().position(|&b| b == 0xF3) {
            let at = search + found;
            let c = text[at..].chars().next().expect("0xF3 begins a character");
            search = at + c.len_utf8();
            let Some(i) = markup::placeholder_index(c) else {
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
                out.push(Piece::Event(Event::InlineHtml(html.into())));
            }
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
            Mark::PageBreak(label) => self.page_break(label, true),
        }
    }

    /// A page break: its number in the margin (a link to the facsimile when the
    /// bundle has one) and, inside a paragraph, a thin bar where the page turns.
    fn page_break(&mut self, label: &str, inline: bool) -> String {
        let shown = escape(label);
        let id = format!("{}-page-{}", self.prefix, id_safe(label));
        // A page number can recur (two numberings in one original); only the first
        // marker gets the id that links point to.
        let id_attr = if self.page_ids.insert(id.clone()) {
            format!(" id=\"{id}\"")
        } else {
            String::new()
        };
        let here = if inline {
            "<span class=\"pb-here\" aria-hidden=\"true\"></span>"
        } else {
            ""
        };
        let facsimile = self.context.document.and_then(|d| d.facsimile(label));
        match facsimile {
            Some(file) => format!(
                "{here}<a class=\"pb\"{id_attr} data-page=\"{shown}\" href=\"{}\" title=\"Facsimile of page {shown}\">\
                 <span class=\"visually-hidden\">page </span>{shown}</a>",
                escape(&percent_encode(file))
            ),
            None => format!(
                "{here}<span class=\"pb\"{id_attr} data-page=\"{shown}\"><span class=\"visually-hidden\">page </span>{shown}</span>"
            ),
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

    /// The text with placeholders dropped (the words a reader sees).
    fn restore_plain(&self, text: &str) -> String {
        text.chars()
            .filter(|&c| markup::placeholder_index(c).is_none())
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

fn plain_text<'e>(text: &str) -> Piece<'e> {
    Piece::Event(Event::Text(CowStr::from(text.to_string())))
}

/// The opening tag of a mention: a link to the entry's page with its card, or for
/// a glossary term an abbreviation with its expansion.
pub fn mention_open_tag(entity: &EntityRef, lang: &str, context: &TextContext) -> String {
    let registers = context.registers;
    // Written piece by piece (no `format!`): a text makes one for every entry
    // it names.
    let mut tag = String::with_capacity(256);
    let data = |tag: &mut String| {
        tag.push_str(" data-entity=\"");
        escape_into(tag, entity.kind.slug());
        tag.push(':');
        escape_into(tag, &entity.id);
        tag.push_str("\" title=\"");
    };
    if entity.kind == EntityKind::Term {
        let term = &registers.glossary[&entity.id];
        let expansion = term
            .expansion
            .get(lang)
            .or_else(|| term.expansion.values().next())
            .map(String::as_str)
            .unwrap_or(&term.term);
        tag.push_str("<abbr class=\"mention term\"");
        data(&mut tag);
        escape_into(&mut tag, expansion);
        tag.push_str("\">");
        return tag;
    }
    let href = context.links.href(context.page, &entity_address(entity));
    tag.push_str("<a class=\"mention ");
    tag.push_str(entity.kind.section());
    tag.push_str("\" href=\"");
    escape_into(&mut tag, &href);
    tag.push('"');
    data(&mut tag);
    escape_into(&mut tag, registers.card(entity).unwrap_or_default());
    tag.push('"');
    if context.cards {
        tag.push_str(" aria-describedby=\"");
        tag.push_str(&card_id(entity));
        tag.push('"');
    }
    tag.push('>');
    tag
}

fn mention_close(entity: &EntityRef) -> &'static str {
    if entity.kind == EntityKind::Term {
        "</abbr>"
    } else {
        "</a>"
    }
}

/// The id of the entry's card on a document page.
pub fn card_id(entity: &EntityRef) -> String {
    format!("card-{}-{}", entity.kind.section(), entity.id)
}

/// Whether an event is inline (names may run across it) rather than a block boundary.
fn is_inline(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript
        ) | Event::End(
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
        )
    )
}

/// Keyword in context: the words of `start..end` in `text` as `surface`, with up to
/// eight words either side, as one string; and where `surface` is in it. This runs
/// for every mention of every text, so it writes straight into the one string.
fn in_context(text: &str, start: usize, end: usize, surface: &str) -> (String, (u32, u32)) {
    const WORDS: usize = 8;
    let head = &text[..start];
    let tail = &text[end..];
    // One word more than is shown tells whether there is more (an ellipsis).
    fn take<'t>(words: impl Iterator<Item = &'t str>) -> ([&'t str; WORDS], usize, bool) {
        let mut taken = [""; WORDS];
        let mut count = 0;
        for word in words.filter(|w| is_word(w)) {
            if count == WORDS {
                return (taken, count, true);
            }
            taken[count] = word;
            count += 1;
        }
        (taken, count, false)
    }
    let (before, before_count, more_before) = take(WordsBack { text: head });
    let (after, after_count, more_after) = take(WordsForward { text: tail });
    // Exactly the room it takes: a large edition keeps every mention's context in
    // memory until its pages are written.
    let words = |words: &[&str]| words.iter().map(|w| w.len() + 1).sum::<usize>();
    let room = surface.len()
        + words(&before[..before_count])
        + words(&after[..after_count])
        + 2 * "… ".len();
    let mut context = String::with_capacity(room);
    if more_before {
        context.push_str("… ");
    }
    for (i, word) in before[..before_count].iter().rev().enumerate() {
        if i > 0 {
            context.push(' ');
        }
        context.push_str(word);
    }
    // Keep the space that separates the name from its context, as a reader sees it
    // (looking through the edges of links).
    if before_count > 0
        && head
            .trim_end_matches(LINK_EDGE)
            .ends_with(char::is_whitespace)
    {
        context.push(' ');
    }
    let surface_start = context.len() as u32;
    context.push_str(surface);
    let surface_end = context.len() as u32;
    if after_count > 0
        && tail
            .trim_start_matches(LINK_EDGE)
            .starts_with(char::is_whitespace)
    {
        context.push(' ');
    }
    for (i, word) in after[..after_count].iter().enumerate() {
        if i > 0 {
            context.push(' ');
        }
        context.push_str(word);
    }
    if more_after {
        context.push_str(" …");
    }
    // Words beside the editor's links hold the edges marked around them: the reader
    // sees none. (One search of the whole context rather than one a word.)
    if context.contains(LINK_EDGE) {
        let (before, rest) = context.split_at(surface_start as usize);
        let (surface, after) = rest.split_at((surface_end - surface_start) as usize);
        let before = before.replace(LINK_EDGE, "");
        let after = after.replace(LINK_EDGE, "");
        let surface_at = (before.len() as u32, (before.len() + surface.len()) as u32);
        return ([before.as_str(), surface, &after].concat(), surface_at);
    }
    (context, (surface_start, surface_end))
}

/// `text.split_whitespace().rev()`, reading bytes: going backwards, the standard
/// iterator decodes and tests every character, and the words before each mention
/// are read for every mention of every text.
struct WordsBack<'t> {
    text: &'t str,
}

/// The length of the whitespace character that ends at byte `end` of `bytes` (a
/// whole string), or 0: ASCII and Russian without decoding; only a few lead bytes
/// can begin a non-ASCII space (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
#[inline(always)]
fn space_ending_at(bytes: &[u8], end: usize) -> usize {
    let last = bytes[end - 1];
    if last < 0x80 {
        return usize::from(last == b' ' || (b'\t'..=b'\r').contains(&last));
    }
    if last >= 0xC0 || (end >= 2 && matches!(bytes[end - 2], 0xD0 | 0xD1)) {
        return 0;
    }
    let mut start = end - 1;
    while start > 0 && (0x80..0xC0).contains(&bytes[start]) {
        start -= 1;
    }
    if !matches!(bytes[start], 0xC2 | 0xE1 | 0xE2 | 0xE3) {
        return 0;
    }
    match std::str::from_utf8(&bytes[start..end]) {
        Ok(c) if c.chars().all(char::is_whitespace) => end - start,
        _ => 0,
    }
}

impl<'t> Iterator for WordsBack<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let mut end = bytes.len();
        while end > 0 {
            match space_ending_at(bytes, end) {
                0 => break,
                n => end -= n,
            }
        }
        if end == 0 {
            self.text = "";
            return None;
        }
        // Byte by byte: a space ends only where a character does, and
        // `space_ending_at` sees no character that does not end at `start`.
        let mut start = end - 1;
        while start > 0 && space_ending_at(bytes, start) == 0 {
            start -= 1;
        }
        let word = &self.text[start..end];
        self.text = &self.text[..start];
        Some(word)
    }
}

/// `text.split_whitespace()`, reading bytes, as [`WordsBack`] does backwards.
struct WordsForward<'t> {
    text: &'t str,
}

/// What a byte can begin: 0 nothing that is a space (letters, digits, the bytes
/// inside a character), 1 an ASCII space, 2 perhaps a space (U+0085, U+00A0,
/// U+1680, U+2000–U+205F, U+3000 begin with these).
const SPACE_START: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'\t'..=b'\r' | b' ' => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => 2,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The length of the whitespace character that starts at byte `start` of `bytes` (a
/// whole string), or 0.
#[inline(always)]
fn space_starting_at(bytes: &[u8], start: usize) -> usize {
    match SPACE_START[usize::from(bytes[start])] {
        0 => 0,
        1 => 1,
        _ => {
            let len = if bytes[start] == 0xC2 { 2 } else { 3 };
            match bytes.get(start..start + len).map(std::str::from_utf8) {
                Some(Ok(c)) if c.chars().all(char::is_whitespace) => len,
                _ => 0,
            }
        }
    }
}

impl<'t> Iterator for WordsForward<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            match space_starting_at(bytes, start) {
                0 => break,
                n => start += n,
            }
        }
        if start == bytes.len() {
            self.text = "";
            return None;
        }
        // Byte by byte: no space starts inside a character (its bytes after the
        // first are never ASCII or a lead byte).
        let mut end = start + 1;
        loop {
            while end < bytes.len() && SPACE_START[usize::from(bytes[end])] == 0 {
                end += 1;
            }
            if end == bytes.len() || space_starting_at(bytes, end) > 0 {
                break;
            }
            end += 1;
        }
        let word = &self.text[start..end];
        self.text = &self.text[end..];
        Some(word)
    }
}

/// The edge of a link on its own is not a word.
fn is_word(word: &str) -> bool {
    // Bytes, not the str pattern machinery: this runs on every word in context.
    const EDGE: [u8; 3] = {
        let mut bytes = [0; 3];
        LINK_EDGE.encode_utf8(&mut bytes);
        bytes
    };
    !word.len().is_multiple_of(3) || !word.as_bytes().chunks(3).all(|c| c == EDGE)
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

/// A file name as a URL path segment: spaces and the like percent-encoded.
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in (WordsForward { text: s }) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_either_way_are_the_words_split_at_any_space() {
        for text in [
            "",
            "   ",
            "one",
            " Беседа с  тов.\nКим Ир Сеном ",
            "a\u{00A0}b\u{2009}c\u{3000}d\u{1680}e\u{205F}f\u{2060}g\u{0085}h",
            "\u{2060}Пак\u{2060} \u{2060}\t\r\x0b\x0cend",
            "ещё 1956 г. — «Правда» ∑ 𝔸 ∀x",
            "倀 Ā…\u{2028}\u{2029}\u{202F}x\u{200B}y ㄀ 　end",
        ] {
            let expected: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(
                WordsForward { text }.collect::<Vec<_>>(),
                expected,
                "{text:?}"
            );
            let expected: Vec<&str> = text.split_whitespace().rev().collect();
            assert_eq!(WordsBack { text }.collect::<Vec<_>>(), expected, "{text:?}");
        }
    }
    use crate::annotate::Recognizer;
    use std::path::PathBuf;

    fn registers() -> Registers {
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

    fn annotate_with(text: &str, recognise: bool) -> (AnnotatedText, Vec<Diagnostic>) {
        let (t, _, problems) = annotate_reading(text, recognise);
        (t, problems)
    }

    /// The annotation, each segment's reading text, and the problems found.
    fn annotate_reading(
        text: &str,
        recognise: bool,
    ) -> (AnnotatedText, Vec<String>, Vec<Diagnostic>) {
        let (t, reading, problems, _) = annotate_in(text, recognise, false);
        (t, reading, problems)
    }

    /// Annotated with tags in the HTML or (`deferred`) left to the page; also the
    /// tags the page would write.
    fn annotate_in(
        text: &str,
        recognise: bool,
        deferred: bool,
    ) -> (AnnotatedText, Vec<String>, Vec<Diagnostic>, MentionTags) {
        let source = Source {
            path: PathBuf::from("content/documents/d/ru.md"),
            text: text.to_string(),
            line_offset: 0,
        };
        let registers = registers();
        let (recognizer, _) = Recognizer::new(&registers);
        let links = Links::new("/", false);
        let context = TextContext {
            registers: &registers,
            recognizer: recognise.then_some(&recognizer),
            links: &links,
            page: "documents/d/",
            cards: true,
            document: None,
            deferred_tags: deferred,
        };
        let mut problems = Vec::new();
        let (t, reading) = annotate_for_alignment(&source, "ru", "ru", &context, &mut problems);
        let tags = MentionTags::new(&t, &context);
        (t, reading, problems, tags)
    }

    #[test]
    fn deferred_tags_written_by_the_page_give_the_same_html() {
        let text = "Тов. Ким Ир Сен[^1] и [Пак](@pak-heon-yeong) о ТПК; снова Ким Ир Сеном.\n\n\
                    ТПК.\n\n[^1]: Ким Ир Сен, ТПК.";
        let (whole, ..) = annotate_in(text, true, false);
        let (deferred, _, _, tags) = annotate_in(text, true, true);
        assert!(whole.linked.is_empty());
        let mut ids: Vec<&str> = deferred.linked.iter().map(|e| e.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["kim-il-sung", "kwp", "pak-heon-yeong"]);
        assert_eq!(whole.segments.len(), deferred.segments.len());
        for (w, d) in whole.segments.iter().zip(&deferred.segments) {
            assert!(d.html.len() < w.html.len(), "{}", d.html);
            assert_eq!(tags.expand(&d.html), w.html.as_str());
        }
        assert_eq!(
            tags.expand(&deferred.footnotes[0].html),
            whole.footnotes[0].html
        );
        assert_eq!(deferred.mentions, whole.mentions);
    }

    #[test]
    fn a_text_holding_area_b_characters_keeps_its_tags() {
        let text = "\u{100000} Ким Ир Сен \u{100001}";
        let (whole, ..) = annotate_in(text, true, false);
        let (deferred, _, _, tags) = annotate_in(text, true, true);
        assert!(deferred.linked.is_empty());
        assert_eq!(deferred.segments, whole.segments);
        assert_eq!(
            tags.expand(&deferred.segments[0].html),
            whole.segments[0].html
        );
    }

    #[test]
    fn characters_that_are_no_marker_of_the_text_are_left_as_they_are() {
        let (_, _, _, tags) = annotate_in("Ким Ир Сен", true, true);
        for html in ["a \u{10FFFD} b", "\u{100005}", "\u{F0000}x", "plain"] {
            assert_eq!(tags.expand(html), html);
        }
        let mut out = String::new();
        tags.expand_into(&mut out, "<p>\u{100000}Ким</a> \u{100001}</p>");
        assert!(out.starts_with("<p><a class=\"mention people\""), "{out}");
        assert!(out.ends_with("Ким</a> \u{100001}</p>"), "{out}");
    }

    fn annotate(text: &str) -> (AnnotatedText, Vec<Diagnostic>) {
        annotate_with(text, false)
    }

    #[test]
    fn names_become_links_with_cards_and_terms_abbreviations() {
        let (t, problems) = annotate_with("Беседа с тов. Ким Ир Сеном о ТПК.", true);
        assert!(problems.is_empty());
        let html = &t.segments[0].html;
        assert!(
            html.contains("<a class=\"mention people\" href=\"../../people/kim-il-sung/\" data-entity=\"person:kim-il-sung\" title=\"Kim Il Sung (1912–1994)\" aria-describedby=\"card-people-kim-il-sung\">Ким Ир Сеном</a>"),
            "{html}"
        );
        assert!(html.contains("<abbr class=\"mention term\" data-entity=\"term:kwp\" title=\"Трудовая партия Кореи\">ТПК</abbr>"), "{html}");
        let m = &t.mentions[0];
        assert_eq!(
            (m.entity.id.as_str(), m.surface()),
            ("kim-il-sung", "Ким Ир Сеном")
        );
        assert_eq!((m.before(), m.after()), ("Беседа с тов. ", " о ТПК."));
    }

    #[test]
    fn explicit_links_have_words_in_context_too() {
        let (t, _) =
            annotate("Беседа с тов. [Кимом](@kim-il-sung) о делах (и [Кимом](@kim-il-sung)).");
        let explicit: Vec<_> = t
            .mentions
            .iter()
            .filter(|m| m.explicit)
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
    fn a_name_across_an_interpolation_stays_well_formed() {
        let (t, _) = annotate_with("execution of Pak [Heon-yeong].", true);
        let html = &t.segments[0].html;
        assert!(
            html.contains(">Pak </a><span class=\"interp\">[<a class=\"mention people\""),
            "{html}"
        );
        assert!(html.contains(">Heon-yeong</a>]</span>"), "{html}");
        assert_eq!(t.mentions.len(), 1);
    }

    #[test]
    fn explicit_links_win_and_at_dash_suppresses() {
        let (t, problems) = annotate_with(
            "[Пак](@pak-heon-yeong) и [Ким Ир Сен](@-) и Ким Ир Сен.",
            true,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let html = &t.segments[0].html;
        assert!(
            html.contains("href=\"../../people/pak-heon-yeong/\""),
            "{html}"
        );
        assert!(html.contains(">Пак</a>"), "{html}");
        let ids: Vec<(&str, bool)> = t
            .mentions
            .iter()
            .map(|m| (m.entity.id.as_str(), m.explicit))
            .collect();
        assert_eq!(ids, [("pak-heon-yeong", true), ("kim-il-sung", false)]);
        assert!(
            html.contains("и Ким Ир Сен и"),
            "suppressed text is plain: {html}"
        );
    }

    #[test]
    fn an_unknown_explicit_id_is_an_error_at_its_place() {
        let (t, problems) = annotate_with("Text.\n\nSaid {++so++} [Pak](@pak-heonyeong).", true);
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!((p.line, p.column), (3, 15), "{p}");
        assert!(p.message.contains("unknown id `pak-heonyeong`"), "{p}");
        assert!(t.segments[1].html.contains("Pak"), "the text is kept");
    }

    #[test]
    fn names_are_not_recognised_inside_links_or_code() {
        let (t, _) = annotate_with("[Ким Ир Сен](https://example.org) `Ким Ир Сен`", true);
        assert!(t.mentions.is_empty());
    }

    #[test]
    fn each_top_level_block_is_a_segment_with_its_line() {
        let (t, reading, _) = annotate_reading("First.\n\nSecond\nline.\n\n- a\n- b\n", false);
        let lines: Vec<usize> = t.segments.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![1, 3, 6]);
        assert_eq!(reading.len(), t.segments.len());
        assert_eq!(reading[1], "Second line.");
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
        let (_, reading, _) =
            annotate_reading("не {--ослабить--} {++ослабить++} и {~~a~>b~~} [SIC]", false);
        assert_eq!(reading[0], "не ослабить и b [SIC]");
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
        let (_, reading, _) = annotate_reading("{§ 1}\n\nOne.\n\n{§ 2} Two.\n", false);
        assert_eq!(reading[1], "Two.");
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
