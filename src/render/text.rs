//! Annotated texts as HTML, for the page that shows them.
//!
//! Markdown's structure goes through pulldown-cmark's own HTML writer; the editor's
//! apparatus becomes semantic elements (`ins`, `del`, `mark`, interpolations set
//! apart, page markers in the margin, linked to the facsimile when the document has
//! one); mentions become links to their entry's page (with the entry's card), or for
//! glossary terms abbreviations with their expansion. Links are relative to the page,
//! ids (of notes and page markers) carry the text's prefix so that several texts can
//! share a page.
//!
//! Not here: what a page holds (`views`).

use crate::html::{escape, escape_into};
use crate::links::{entity_address, Address, Links};
use crate::model::{
    AnnotatedText, ColumnAlignment, Content, ContentEvent, Document, Element, EntityKind,
    EntityRef, Footnote, Registers, Segment,
};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use rustc_hash::FxHashMap;
use std::collections::HashSet;

/// The page a text is shown on, as far as its HTML depends on it.
#[derive(Clone, Copy)]
pub(super) struct TextPage<'a> {
    /// The page's address (links are relative to it).
    pub address: &'a Address,
    pub links: &'a Links,
    /// The page lists the entries it names as cards (`card-<kind>-<id>`), which
    /// mentions refer to.
    pub cards: bool,
    /// The document the text belongs to (for its facsimiles), if any.
    pub document: Option<&'a Document>,
}

/// What mentions show of the entries they name.
pub(super) trait EntryCards<'a> {
    /// The entry's card (its name, dates, role), if there is such an entry.
    fn card(&self, entity: &'a EntityRef) -> Option<&'a str>;
    /// A glossary term: its expansion in `lang` (or in any language), else the term.
    fn expansion(&self, entity: &'a EntityRef, lang: &str) -> Option<&'a str>;
}

impl<'a> EntryCards<'a> for &'a Registers {
    fn card(&self, entity: &'a EntityRef) -> Option<&'a str> {
        let registers: &'a Registers = self;
        registers.card(entity)
    }

    fn expansion(&self, entity: &'a EntityRef, lang: &str) -> Option<&'a str> {
        let registers: &'a Registers = self;
        let term = registers.glossary.get(&*entity.id)?;
        Some(
            term.expansion
                .get(lang)
                .or_else(|| term.expansion.values().next())
                .map(String::as_str)
                .unwrap_or(&term.term),
        )
    }
}

/// Writes one text's segments and notes for one page. Made once per text and page:
/// it makes each entry's opening tag once, and gives an id only to the first marker
/// of a page number.
pub(super) struct TextWriter<'a> {
    tags: Tags<'a>,
    markers: Markers<'a>,
}

impl<'a> TextWriter<'a> {
    /// `prefix` starts the ids of the text's notes and page markers (`ru`,
    /// `headnote`), which must be unique on the page.
    pub(super) fn new<'e: 'a>(
        page: TextPage<'a>,
        entries: &dyn EntryCards<'e>,
        text: &'e AnnotatedText,
        prefix: &'a str,
    ) -> Self {
        let mut mentions = FxHashMap::default();
        for m in &text.mentions {
            mentions
                .entry(&m.entity)
                .or_insert_with(|| mention_open_tag(&m.entity, &text.lang, &page, entries));
        }
        Self {
            tags: Tags { text, mentions },
            markers: Markers {
                prefix,
                document: page.document,
                ids: HashSet::new(),
            },
        }
    }

    /// The segment as HTML.
    pub(super) fn segment(&mut self, segment: &Segment) -> String {
        let mut html = String::with_capacity(2 * segment.content.text().len() + 64);
        self.segment_into(&mut html, segment);
        html
    }

    /// Appends the segment as HTML to `out`.
    pub(super) fn segment_into(&mut self, out: &mut String, segment: &Segment) {
        self.content_into(out, &segment.content);
    }

    /// The note's content as HTML.
    pub(super) fn footnote(&mut self, note: &Footnote) -> String {
        let mut html = String::with_capacity(2 * note.content.text().len() + 64);
        self.content_into(&mut html, &note.content);
        html
    }

    /// The id of a note (for its reference's link).
    pub(super) fn footnote_id(&self, note: &Footnote) -> String {
        format!("{}-fn-{}", self.markers.prefix, id_safe(&note.label))
    }

    /// The id of a note's (first) reference, for the link back.
    pub(super) fn footnote_reference_id(&self, note: &Footnote) -> String {
        format!("{}-fnref-{}", self.markers.prefix, id_safe(&note.label))
    }

    fn content_into(&mut self, out: &mut String, content: &Content) {
        let spaces = spaces_before_deletions(content.events());
        let mut events = content.events().enumerate().peekable();
        // Page breaks before the block stand before it, as written (Markdown's
        // writer would start the block on a new line after them).
        while let Some((_, ContentEvent::PageBreak { label, inline })) = events.peek().copied() {
            events.next();
            out.push_str(&self.markers.page_break(label, inline));
        }
        let mut converted = Vec::new();
        let mut code: Option<String> = None;
        for (i, event) in events {
            if let Some(span) = &mut code {
                match event {
                    ContentEvent::Text(t) => span.push_str(t),
                    _ => converted.push(Event::Code(code.take().unwrap_or_default().into())),
                }
                continue;
            }
            let converted_event = match event {
                ContentEvent::Start(Element::Code) => {
                    code = Some(String::new());
                    continue;
                }
                ContentEvent::Start(element) => self.tags.start(element),
                ContentEvent::End(element) => self.tags.end(element),
                ContentEvent::Text(t) if spaces.contains(&i) => {
                    converted.push(Event::Text(CowStr::Borrowed(&t[..t.len() - 1])));
                    Event::InlineHtml(CowStr::Borrowed(HIDDEN_WITH_DELETIONS))
                }
                ContentEvent::Text(t) => Event::Text(CowStr::Borrowed(t)),
                ContentEvent::SoftBreak => Event::SoftBreak,
                ContentEvent::HardBreak => Event::HardBreak,
                ContentEvent::Rule => Event::Rule,
                ContentEvent::FootnoteReference { label, number } => {
                    let (p, id) = (self.markers.prefix, id_safe(label));
                    Event::InlineHtml(
                        format!(
                            "<sup class=\"fnref\"><a id=\"{p}-fnref-{id}\" href=\"#{p}-fn-{id}\">{number}</a></sup>"
                        )
                        .into(),
                    )
                }
                ContentEvent::PageBreak { label, inline } => {
                    Event::InlineHtml(self.markers.page_break(label, inline).into())
                }
            };
            converted.push(converted_event);
        }
        pulldown_cmark::html::push_html(out, converted.into_iter());
    }
}

/// The space before a deletion that punctuation follows: the reading view hides it
/// with the deletion, or "ослабить {--силы--}, а" would read "ослабить , а".
const HIDDEN_WITH_DELETIONS: &str = "<span class=\"ed-space\"> </span>";

/// The positions of the text events whose last character (a space) stands before a
/// deletion directly followed by punctuation (a substitution's deletion is not: its
/// insertion takes its place). One pass, nothing kept but what is found: every
/// segment of every page goes through it.
fn spaces_before_deletions<'c>(events: impl Iterator<Item = ContentEvent<'c>>) -> Vec<usize> {
    let mut spaces = Vec::new();
    // The event just seen, if it is words ending with a space.
    let mut space_before: Option<usize> = None;
    // Inside a deletion that such words precede: their position, and the depth.
    let mut open: Option<(usize, u32)> = None;
    // A deletion that such words precede has just closed: their position.
    let mut closed: Option<usize> = None;
    for (i, event) in events.enumerate() {
        if let (Some(candidate), ContentEvent::Text(after)) = (closed.take(), event) {
            if after.starts_with([',', '.', ';', ':', '!', '?', ')', ']', '»']) {
                spaces.push(candidate);
            }
        }
        match event {
            ContentEvent::Start(Element::Deletion) => match &mut open {
                Some((_, depth)) => *depth += 1,
                None => open = space_before.map(|at| (at, 1)),
            },
            ContentEvent::End(Element::Deletion) => {
                if let Some((candidate, depth)) = &mut open {
                    *depth -= 1;
                    if *depth == 0 {
                        closed = Some(*candidate);
                        open = None;
                    }
                }
            }
            _ => {}
        }
        space_before = match event {
            ContentEvent::Text(t) if t.ends_with(' ') && open.is_none() => Some(i),
            _ => None,
        };
    }
    spaces
}

/// The tags of a text's elements.
struct Tags<'a> {
    text: &'a AnnotatedText,
    /// The opening tag of each entry the text names.
    mentions: FxHashMap<&'a EntityRef, String>,
}

impl Tags<'_> {
    fn start<'e>(&'e self, element: &'e Element) -> Event<'e> {
        let html = |s: &'static str| Event::InlineHtml(CowStr::Borrowed(s));
        Event::Start(match element {
            Element::Paragraph => Tag::Paragraph,
            Element::Heading(level) => Tag::Heading {
                level: HeadingLevel::try_from(usize::from(*level)).unwrap_or(HeadingLevel::H6),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            },
            Element::BlockQuote => Tag::BlockQuote(None),
            Element::CodeBlock(language) => Tag::CodeBlock(match language {
                Some(l) => CodeBlockKind::Fenced(CowStr::Borrowed(l.as_str())),
                None => CodeBlockKind::Indented,
            }),
            Element::List(start) => Tag::List(start.map(u64::from)),
            Element::Item => Tag::Item,
            Element::Table(alignments) => Tag::Table(
                alignments
                    .iter()
                    .map(|a| match a {
                        ColumnAlignment::None => pulldown_cmark::Alignment::None,
                        ColumnAlignment::Left => pulldown_cmark::Alignment::Left,
                        ColumnAlignment::Center => pulldown_cmark::Alignment::Center,
                        ColumnAlignment::Right => pulldown_cmark::Alignment::Right,
                    })
                    .collect(),
            ),
            Element::TableHead => Tag::TableHead,
            Element::TableRow => Tag::TableRow,
            Element::TableCell => Tag::TableCell,
            Element::Emphasis => Tag::Emphasis,
            Element::Strong => Tag::Strong,
            Element::Strikethrough => Tag::Strikethrough,
            Element::Link(target) => Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(&target.url),
                title: CowStr::Borrowed(&target.title),
                id: CowStr::Borrowed(""),
            },
            Element::Image(target) => Tag::Image {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(&target.url),
                title: CowStr::Borrowed(&target.title),
                id: CowStr::Borrowed(""),
            },
            // Read with its text, in `content_into`.
            Element::Code => return html(""),
            Element::Insertion => return html("<ins class=\"ed-ins\">"),
            Element::Deletion => return html("<del class=\"ed-del\">"),
            Element::Substitution => return html("<span class=\"ed-subst\">"),
            Element::Highlight => return html("<mark>"),
            Element::Comment => return html("<span class=\"ed-comment\" role=\"note\">"),
            Element::Interpolation => return html("<span class=\"interp\">["),
            Element::Mention(i) => {
                let entity = &self.text.mentions[*i as usize].entity;
                return Event::InlineHtml(CowStr::Borrowed(
                    self.mentions.get(entity).map_or("", String::as_str),
                ));
            }
        })
    }

    fn end<'e>(&'e self, element: &'e Element) -> Event<'e> {
        let html = |s: &'static str| Event::InlineHtml(CowStr::Borrowed(s));
        Event::End(match element {
            Element::Paragraph => TagEnd::Paragraph,
            Element::Heading(level) => TagEnd::Heading(
                HeadingLevel::try_from(usize::from(*level)).unwrap_or(HeadingLevel::H6),
            ),
            Element::BlockQuote => TagEnd::BlockQuote(None),
            Element::CodeBlock(_) => TagEnd::CodeBlock,
            Element::List(start) => TagEnd::List(start.is_some()),
            Element::Item => TagEnd::Item,
            Element::Table(_) => TagEnd::Table,
            Element::TableHead => TagEnd::TableHead,
            Element::TableRow => TagEnd::TableRow,
            Element::TableCell => TagEnd::TableCell,
            Element::Emphasis => TagEnd::Emphasis,
            Element::Strong => TagEnd::Strong,
            Element::Strikethrough => TagEnd::Strikethrough,
            Element::Link(_) => TagEnd::Link,
            Element::Image(_) => TagEnd::Image,
            Element::Code => return html(""),
            Element::Insertion => return html("</ins>"),
            Element::Deletion => return html("</del>"),
            Element::Substitution | Element::Comment => return html("</span>"),
            Element::Highlight => return html("</mark>"),
            Element::Interpolation => return html("]</span>"),
            Element::Mention(i) => {
                return html(mention_close(&self.text.mentions[*i as usize].entity))
            }
        })
    }
}

/// Page markers of a text on a page.
struct Markers<'a> {
    /// Prefix of the ids of notes and page markers (`ru`, `headnote`).
    prefix: &'a str,
    document: Option<&'a Document>,
    /// The ids given so far.
    ids: HashSet<String>,
}

impl Markers<'_> {
    /// A page break: its number in the margin (a link to the facsimile when the
    /// bundle has one) and, inside a paragraph, a thin bar where the page turns.
    fn page_break(&mut self, label: &str, inline: bool) -> String {
        let shown = escape(label);
        let id = format!("{}-page-{}", self.prefix, id_safe(label));
        // A page number can recur (two numberings in one original); only the first
        // marker gets the id that links point to.
        let id_attr = if self.ids.insert(id.clone()) {
            format!(" id=\"{id}\"")
        } else {
            String::new()
        };
        let here = if inline {
            "<span class=\"pb-here\" aria-hidden=\"true\"></span>"
        } else {
            ""
        };
        let facsimile = self.document.and_then(|d| d.facsimile(label));
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
}

/// The opening tag of a mention: a link to the entry's page with its card, or for
/// a glossary term an abbreviation with its expansion.
fn mention_open_tag<'a>(
    entity: &'a EntityRef,
    lang: &str,
    page: &TextPage,
    entries: &dyn EntryCards<'a>,
) -> String {
    // Written piece by piece (no `format!`): a text makes one for every entry
    // it names.
    let mut tag = String::with_capacity(256);
    let data = |tag: &mut String| {
        tag.push_str(" data-entity=\"");
        escape_into(tag, entity.kind.slug());
        tag.push(':');
        escape_into(tag, &entity.id);
        tag.push('"');
    };
    if entity.kind == EntityKind::Term {
        let Some(expansion) = entries.expansion(entity, lang) else {
            return String::new();
        };
        tag.push_str("<abbr class=\"mention term\"");
        data(&mut tag);
        tag.push_str(" title=\"");
        escape_into(&mut tag, expansion);
        tag.push_str("\">");
        return tag;
    }
    let href = page.links.href(page.address, &entity_address(entity));
    tag.push_str("<a class=\"mention ");
    tag.push_str(entity.kind.section());
    tag.push_str("\" href=\"");
    escape_into(&mut tag, &href);
    tag.push('"');
    data(&mut tag);
    if page.cards {
        // The card on the page says it (and the script shows it beside the
        // mention): once a page, not once a mention.
        tag.push_str(" aria-describedby=\"");
        tag.push_str(&card_id(entity));
        tag.push('"');
    } else {
        tag.push_str(" title=\"");
        escape_into(&mut tag, entries.card(entity).unwrap_or_default());
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
pub(super) fn card_id(entity: &EntityRef) -> String {
    format!("card-{}-{}", entity.kind.section(), entity.id)
}

/// A label usable in an HTML id: letters and digits kept, everything else a hyphen.
fn id_safe(label: &str) -> String {
    label
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

/// A file name as a URL path segment: spaces and the like percent-encoded.
pub(super) fn percent_encode(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::{annotate_for_test, test_registers};

    /// Each segment of `text` (a Russian text of document `d`) as HTML on the
    /// document's page, and its notes.
    fn html_of(text: &str) -> (Vec<String>, Vec<String>) {
        let registers = test_registers();
        let (annotated, _, problems) = annotate_for_test(text, &registers, true);
        assert!(
            problems
                .iter()
                .all(|p| p.level != crate::diagnostics::Level::Error),
            "{problems:?}"
        );
        let links = Links::new("/", false);
        let page = TextPage {
            address: "documents/d/",
            links: &links,
            cards: true,
            document: None,
        };
        let mut writer = TextWriter::new(page, &&registers, &annotated, "ru");
        let segments = annotated
            .segments
            .iter()
            .map(|s| writer.segment(s))
            .collect();
        let notes = annotated
            .footnotes
            .iter()
            .map(|n| writer.footnote(n))
            .collect();
        (segments, notes)
    }

    #[test]
    fn names_become_links_with_cards_and_terms_abbreviations() {
        let (html, _) = html_of("Беседа с тов. Ким Ир Сеном о ТПК.");
        assert_eq!(
            html[0],
            "<p>Беседа с тов. <a class=\"mention people\" href=\"../../people/kim-il-sung/\" \
             data-entity=\"person:kim-il-sung\" aria-describedby=\"card-people-kim-il-sung\">\
             Ким Ир Сеном</a> о \
             <abbr class=\"mention term\" data-entity=\"term:kwp\" title=\"Трудовая партия Кореи\">ТПК</abbr>.</p>\n"
        );
    }

    #[test]
    fn a_name_across_an_interpolation_stays_well_formed() {
        let (html, _) = html_of("execution of Pak [Heon-yeong].");
        assert!(
            html[0].contains(">Pak </a><span class=\"interp\">[<a class=\"mention people\""),
            "{}",
            html[0]
        );
        assert!(html[0].contains(">Heon-yeong</a>]</span>"), "{}", html[0]);
    }

    #[test]
    fn the_space_before_a_deletion_followed_by_punctuation_goes_with_it() {
        let (html, _) = html_of("не ослабить {--силы--}, а {--укрепить--} их {~~a~>b~~}.");
        assert_eq!(
            html[0],
            "<p>не ослабить<span class=\"ed-space\"> </span><del class=\"ed-del\">силы</del>, а \
             <del class=\"ed-del\">укрепить</del> их <span class=\"ed-subst\"><del class=\"ed-del\">a</del>\
             <ins class=\"ed-ins\">b</ins></span>.</p>\n"
        );
    }

    #[test]
    fn editorial_markup_becomes_semantic_html() {
        let (html, _) =
            html_of("не {--ослабить--} {++ослабить++} и {~~a~>b~~} {==c==} {>>d<<} [SIC]");
        assert_eq!(
            html[0],
            "<p>не <del class=\"ed-del\">ослабить</del> <ins class=\"ed-ins\">ослабить</ins> и \
             <span class=\"ed-subst\"><del class=\"ed-del\">a</del><ins class=\"ed-ins\">b</ins></span> \
             <mark>c</mark> <span class=\"ed-comment\" role=\"note\">d</span> \
             <span class=\"interp\">[SIC]</span></p>\n"
        );
    }

    #[test]
    fn markup_crossing_emphasis_is_well_formed() {
        let (html, _) = html_of("*a {++b* c++} {++**d**++}");
        assert_eq!(
            html[0],
            "<p><em>a <ins class=\"ed-ins\">b</ins></em><ins class=\"ed-ins\"> c</ins> \
             <ins class=\"ed-ins\"><strong>d</strong></ins></p>\n"
        );
    }

    #[test]
    fn page_markers_stand_before_their_block_and_only_the_first_has_the_id() {
        let (html, _) = html_of("One.\n\n{pb 36}\n\nTwo {pb 37} more {pb 36}.\n");
        assert_eq!(
            html[1],
            "<span class=\"pb\" id=\"ru-page-36\" data-page=\"36\"><span class=\"visually-hidden\">page </span>36</span>\
             <p>Two <span class=\"pb-here\" aria-hidden=\"true\"></span><span class=\"pb\" id=\"ru-page-37\" data-page=\"37\">\
             <span class=\"visually-hidden\">page </span>37</span> more <span class=\"pb-here\" aria-hidden=\"true\"></span>\
             <span class=\"pb\" data-page=\"36\"><span class=\"visually-hidden\">page </span>36</span>.</p>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let (html, _) = html_of("<script>alert(1)</script>\n\nA <b>bold</b> word.\n");
        let all = html.concat();
        assert!(!all.contains("<script>"), "{all}");
        assert!(all.contains("&lt;script&gt;"), "{all}");
        assert!(all.contains("&lt;b&gt;bold&lt;/b&gt;"), "{all}");
    }

    #[test]
    fn footnotes_link_both_ways_with_page_unique_ids() {
        let (html, notes) = html_of("Text[^a] more[^b].\n\n[^b]: Second.\n[^a]: First.\n");
        assert!(html[0]
            .contains("<sup class=\"fnref\"><a id=\"ru-fnref-a\" href=\"#ru-fn-a\">1</a></sup>"));
        assert_eq!(notes, ["<p>First.</p>\n", "<p>Second.</p>\n"]);
    }

    #[test]
    fn links_code_tables_and_lists_are_markdowns_own() {
        let (html, _) = html_of(
            "[x](https://e.org \"t\") <a@b.org> `{++c++}` ![alt](i.png)\n\n\
             | a | b |\n|:-|-:|\n| 1 | 2 |\n\n3. x\n4. y\n\n```rust\nfn x() {}\n```\n\n## H\n",
        );
        assert_eq!(
            html[0],
            "<p><a href=\"https://e.org\" title=\"t\">x</a> <a href=\"mailto:a@b.org\">a@b.org</a> \
             <code>{++c++}</code> <img src=\"i.png\" alt=\"alt\" /></p>\n"
        );
        assert!(
            html[1].starts_with("<table><thead><tr><th style=\"text-align: left\">a</th>"),
            "{}",
            html[1]
        );
        assert!(
            html[2].starts_with("<ol start=\"3\">\n<li>x</li>"),
            "{}",
            html[2]
        );
        assert_eq!(
            html[3],
            "<pre><code class=\"language-rust\">fn x() {}\n</code></pre>\n"
        );
        assert_eq!(html[4], "<h2>H</h2>\n");
    }

    #[test]
    fn every_character_of_a_text_reaches_the_page_unchanged() {
        // Characters of the private use areas (those the old in-band markers used,
        // and the first placeholders), the word joiner, and one of every other
        // general category: none of them means anything to dossier.
        let own = [
            '\u{F0000}',
            '\u{F0001}',
            '\u{F0005}',
            '\u{FFFFD}',
            '\u{100000}',
            '\u{100001}',
            '\u{10FFFD}',
            '\u{E000}',
            '\u{F8FF}',
            '\u{2060}',
            '\u{200B}',
            '\u{200D}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{0301}',
            '\u{1F600}',
            '\u{10FFFF}',
            '\u{FFFE}',
            '\u{2028}',
            '\u{0008}',
            '\u{007F}',
            '\u{0085}',
            'Ж',
            '٣',
            '漢',
            '€',
            '«',
            '\u{00A0}',
        ];
        let mut text = String::from("Ким Ир Сен {++a++} {--b--} [SIC] {pb 3} ");
        for c in own {
            text.push(c);
            text.push_str(" x");
        }
        let (html, _) = html_of(&text);
        let page = html.concat();
        for c in own {
            assert!(page.contains(c), "{c:?} is not in the page: {page:?}");
        }
        assert_eq!(page.matches("<ins").count(), 1, "{page}");
        assert_eq!(page.matches("<del").count(), 1, "{page}");
        assert_eq!(page.matches("class=\"mention").count(), 1, "{page}");
    }
}
