//! Texts after annotation, as data: what the editor wrote, with its structure, its
//! editorial apparatus and the names it mentions, independent of any page.
//!
//! A text is a list of [`Segment`]s (its top-level blocks). Each holds a small tree,
//! [`Content`]: the words a reader sees, in one string, and over them a flattened list
//! of [`Node`]s (Markdown's structure, the editor's marks, mentions of register
//! entries, page breaks). No character of a text means anything here: the words are
//! kept as written, and everything else is a node. `render` turns the nodes into a
//! page; data files and search read the same nodes their own way.

use super::Mention;
use serde::Serialize;

/// One top-level block of a text (a paragraph, a list, a table): the unit that is
/// aligned with the other language and cited by readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// 1-based line in the text's file where the block starts.
    pub line: usize,
    /// The editor's alignment marker (`{§ 12}`), if the block carries one.
    pub anchor: Option<Box<str>>,
    pub content: Content,
}

/// A footnote of a text, shown at the end with a link back to its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// The label the editor wrote (`[^3]`, `[^a]`).
    pub label: String,
    /// The number readers see.
    pub number: usize,
    pub content: Content,
}

/// A text (or a headnote, or a free page) after annotation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotatedText {
    pub lang: String,
    pub segments: Vec<Segment>,
    pub footnotes: Vec<Footnote>,
    /// Register entries named in the text, in text order. [`Element::Mention`] nodes
    /// refer to them by position.
    pub mentions: Vec<Mention>,
}

/// A document's annotated headnote and texts, in the order of `Document::texts`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedDocument {
    pub headnote: AnnotatedText,
    /// The title (segment 0) and the summary (segment 1, if there is one), with the
    /// names they mention: the sender of a telegram is often named only there.
    pub about: AnnotatedText,
    pub texts: Vec<AnnotatedText>,
    /// For each translation (position in `texts`, never 0: that is the original), its
    /// alignment with the original.
    pub alignments: Vec<Alignment>,
}

impl AnnotatedDocument {
    /// For each text, for each of its segments: the row of the side-by-side view it
    /// stands in, the original's in the first translation's view (the one shown
    /// first). Passages in one row are one place of the document in two languages.
    pub fn rows_of_segments(&self) -> Vec<Vec<Option<usize>>> {
        let mut rows: Vec<Vec<Option<usize>>> = self
            .texts
            .iter()
            .map(|t| vec![None; t.segments.len()])
            .collect();
        for (k, alignment) in self.alignments.iter().enumerate() {
            for (r, row) in alignment.rows.iter().enumerate() {
                let mut set = |text: usize, segments: &[usize]| {
                    for &s in segments {
                        if let Some(slot) = rows.get_mut(text).and_then(|t| t.get_mut(s)) {
                            *slot = Some(r);
                        }
                    }
                };
                if k == 0 {
                    set(0, &row.original);
                }
                set(alignment.translation, &row.translation);
            }
        }
        rows
    }
}

/// A translation set beside the original, row by row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Position of the translation in `AnnotatedDocument::texts`.
    pub translation: usize,
    pub rows: Vec<AlignedRow>,
}

/// Segments of the original shown level with segments of the translation (either
/// side may be empty: a block with no counterpart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlignedRow {
    /// Segment positions in the original. (Boxed: a row holds one or two, and an
    /// edition a million rows.)
    pub original: Box<[usize]>,
    /// Segment positions in the translation.
    pub translation: Box<[usize]>,
    /// From 0 (a guess) to 1 (pinned by the editor).
    pub confidence: f32,
    pub by: AlignedBy,
}

/// What decided a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlignedBy {
    /// The editor's `{§ N}` markers.
    Marker,
    /// Equal numbers of blocks, taken in order.
    Order,
    /// The length-based dynamic programme.
    Lengths,
}

/// Annotated content: words and the structure over them.
///
/// The nodes are a tree written out in order: every [`Node::Start`] is closed by a
/// later [`Node::End`], properly nested ([`ContentBuilder`] sees to it), and each
/// [`Node::Text`] names its words in `text`. Between the words of two text nodes,
/// `text` may hold a newline (where a block, a link or code begins or ends: no name
/// runs across it) or a space (a line break): `text` is the block's words as
/// recognition and the words around a mention read them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Content {
    // Boxed, not vectors: of exactly their size, and 16 bytes less each (an
    // edition holds millions).
    text: Box<str>,
    nodes: Box<[Node]>,
}

/// One node of [`Content`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    Start(Element),
    /// Closes the innermost open element.
    End,
    /// Words: the bytes `start..end` of `Content::text`.
    Text {
        start: u32,
        end: u32,
    },
    SoftBreak,
    HardBreak,
    /// A thematic break (`***`).
    Rule,
    /// A reference to a footnote of the same text.
    FootnoteReference(Box<FootnoteReference>),
    /// `{pb 36}`: a page or folio of the original begins here.
    PageBreak(Box<PageBreak>),
}

/// A reference to a footnote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FootnoteReference {
    /// The label the editor wrote.
    pub label: String,
    pub number: u32,
}

/// A page break of the original.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageBreak {
    /// The page's number or name (`36`, `12v`).
    pub label: String,
    /// Inside a paragraph (where the page turns mid-sentence), rather than before a
    /// block.
    pub inline: bool,
}

/// What an element of [`Content`] is: Markdown's structure, or the editor's.
///
/// (Strings are boxed twice, and list numbers are `u32`, so that a node takes 16
/// bytes: an edition holds millions of them.)
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Element {
    Paragraph,
    Heading(u8),
    BlockQuote,
    /// Its language, from a fenced block's info string.
    CodeBlock(Option<Box<String>>),
    /// `Some(start)` for an ordered list (CommonMark allows nine digits).
    List(Option<u32>),
    Item,
    Table(Box<Vec<ColumnAlignment>>),
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    /// A code span; its text is the code.
    Code,
    /// A link the editor wrote (not to a register entry: that is a mention).
    Link(Box<LinkTarget>),
    /// An image; its text is the alternative text.
    Image(Box<LinkTarget>),
    /// `{++...++}`: added by hand in the original.
    Insertion,
    /// `{--...--}`: deleted in the original.
    Deletion,
    /// `{~~old~>new~~}`: holds a [`Element::Deletion`] and an [`Element::Insertion`].
    Substitution,
    /// `{==...==}`.
    Highlight,
    /// `{>>...<<}`: the editor's comment.
    Comment,
    /// `[SIC]`, `c[omrade]`: words a translator or editor put in (the brackets are
    /// not part of the words).
    Interpolation,
    /// A name of a register entry: the text's mention at this position in
    /// [`AnnotatedText::mentions`]. A mention running over the edge of another
    /// element ("Pak [Heon-yeong]") is one element on each side.
    Mention(u32),
}

/// Where a link or image leads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LinkTarget {
    pub url: String,
    pub title: String,
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnAlignment {
    None,
    Left,
    Center,
    Right,
}

impl Element {
    /// Whether the element sits inside a block (a span of words), rather than being
    /// one.
    pub fn is_inline(&self) -> bool {
        !matches!(
            self,
            Element::Paragraph
                | Element::Heading(_)
                | Element::BlockQuote
                | Element::CodeBlock(_)
                | Element::List(_)
                | Element::Item
                | Element::Table(_)
                | Element::TableHead
                | Element::TableRow
                | Element::TableCell
        )
    }
}

impl Element {
    /// Whether words on either side of the element's edges run on as one (emphasis,
    /// the editor's marks, mentions: a name may run across them), rather than being
    /// parted by it (a link, a block, a code span).
    pub fn joins_words(&self) -> bool {
        matches!(
            self,
            Element::Emphasis
                | Element::Strong
                | Element::Strikethrough
                | Element::Insertion
                | Element::Deletion
                | Element::Substitution
                | Element::Highlight
                | Element::Comment
                | Element::Interpolation
                | Element::Mention(_)
        )
    }
}

/// A node of [`Content`] as it is read: text resolved, each end told what it closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEvent<'c> {
    Start(&'c Element),
    End(&'c Element),
    Text(&'c str),
    SoftBreak,
    HardBreak,
    Rule,
    FootnoteReference { label: &'c str, number: u32 },
    PageBreak { label: &'c str, inline: bool },
}

impl Content {
    /// The words, all of them, in order, without any structure but a newline or a
    /// space between words where an element parts them (see [`Content`]).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The content in order, as [`ContentEvent`]s.
    pub fn events(&self) -> ContentEvents<'_> {
        ContentEvents {
            content: self,
            at: 0,
            open: Vec::new(),
        }
    }

    /// Adds a node that holds nothing (a page break) after everything else.
    pub fn push_leaf(&mut self, node: Node) {
        debug_assert!(!matches!(
            node,
            Node::Start(_) | Node::End | Node::Text { .. }
        ));
        let mut nodes = std::mem::take(&mut self.nodes).into_vec();
        nodes.push(node);
        self.nodes = exactly(nodes).into_boxed_slice();
    }

    /// Room this content takes beyond its own size (for memory estimates).
    pub fn heap_size(&self) -> usize {
        self.text.len() + self.nodes.len() * std::mem::size_of::<Node>()
    }
}

/// The events of a [`Content`].
pub struct ContentEvents<'c> {
    content: &'c Content,
    at: usize,
    open: Vec<&'c Element>,
}

impl<'c> Iterator for ContentEvents<'c> {
    type Item = ContentEvent<'c>;

    fn next(&mut self) -> Option<ContentEvent<'c>> {
        let node = self.content.nodes.get(self.at)?;
        self.at += 1;
        Some(match node {
            Node::Start(element) => {
                self.open.push(element);
                ContentEvent::Start(element)
            }
            Node::End => ContentEvent::End(self.open.pop().expect("the builder nests nodes")),
            Node::Text { start, end } => {
                ContentEvent::Text(&self.content.text[*start as usize..*end as usize])
            }
            Node::SoftBreak => ContentEvent::SoftBreak,
            Node::HardBreak => ContentEvent::HardBreak,
            Node::Rule => ContentEvent::Rule,
            Node::FootnoteReference(r) => ContentEvent::FootnoteReference {
                label: &r.label,
                number: r.number,
            },
            Node::PageBreak(b) => ContentEvent::PageBreak {
                label: &b.label,
                inline: b.inline,
            },
        })
    }
}

/// Builds [`Content`] that is always a well-formed tree: an element closed while
/// elements opened inside it are still open closes them first; inline elements so
/// closed are opened again after it (`*a {++b* c++}` is `<em>a <ins>b</ins></em><ins>
/// c</ins>`); whatever is open at the end is closed.
#[derive(Debug, Default)]
pub struct ContentBuilder {
    /// What becomes [`Content::text`] and [`Content::nodes`].
    text: String,
    nodes: Vec<Node>,
    /// The open elements: position of their start node, and whether they were
    /// opened again after a crossing (then dropped if they end up empty).
    open: Vec<(usize, bool)>,
}

impl ContentBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn start(&mut self, element: Element) {
        self.open.push((self.nodes.len(), false));
        self.nodes.push(Node::Start(element));
    }

    /// Closes the innermost open element that is like `element` (the same kind,
    /// whatever its data); nothing if none is open.
    pub fn end(&mut self, element: &Element) {
        let kind = std::mem::discriminant(element);
        let Some(at) = self.open.iter().rposition(|&(start, _)| {
            matches!(&self.nodes[start], Node::Start(e) if std::mem::discriminant(e) == kind)
        }) else {
            return;
        };
        let reopen = element.is_inline();
        let crossed: Vec<Element> = self.open[at + 1..]
            .iter()
            .rev()
            .map(|&(start, _)| self.start_of(start).clone())
            .collect();
        for _ in at..self.open.len() {
            self.close_innermost();
        }
        if reopen {
            for element in crossed.into_iter().rev() {
                self.open.push((self.nodes.len(), true));
                self.nodes.push(Node::Start(element));
            }
        }
    }

    /// Whether an element like `element` is open.
    pub fn is_open(&self, element: &Element) -> bool {
        let kind = std::mem::discriminant(element);
        self.open
            .iter()
            .any(|&(start, _)| std::mem::discriminant(self.start_of(start)) == kind)
    }

    fn start_of(&self, at: usize) -> &Element {
        match &self.nodes[at] {
            Node::Start(e) => e,
            _ => unreachable!("open elements point at their start"),
        }
    }

    fn close_innermost(&mut self) {
        let Some((start, reopened)) = self.open.pop() else {
            return;
        };
        if reopened && start + 1 == self.nodes.len() {
            // Opened again after a crossing, and nothing came: leave it out.
            self.nodes.pop();
        } else {
            self.nodes.push(Node::End);
        }
    }

    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let start = self.offset();
        self.text.push_str(text);
        let end = self.offset();
        match self.nodes.last_mut() {
            // Two runs of words in a row are one.
            Some(Node::Text { end: last, .. }) if *last == start => *last = end,
            _ => self.nodes.push(Node::Text { start, end }),
        }
    }

    /// Parts the words before from those after with `c` (a newline or a space) in
    /// `Content::text`, where an element that no name runs across begins or ends.
    pub fn part(&mut self, c: char) {
        self.text.push(c);
    }

    /// Where the next words will start in `Content::text`.
    pub fn offset(&self) -> u32 {
        u32::try_from(self.text.len()).expect("texts are below 4 GiB")
    }

    /// A node that holds nothing ([`Node::SoftBreak`], a page break, ...).
    pub fn leaf(&mut self, node: Node) {
        debug_assert!(!matches!(
            node,
            Node::Start(_) | Node::End | Node::Text { .. }
        ));
        self.nodes.push(node);
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn finish(mut self) -> Content {
        while !self.open.is_empty() {
            self.close_innermost();
        }
        Content {
            text: exact_string(self.text).into_boxed_str(),
            nodes: exactly(self.nodes).into_boxed_slice(),
        }
    }
}

/// `items` in a buffer of exactly their size. (`shrink_to_fit` asks the allocator
/// to shrink the buffer in place, which mimalloc declines while at least half of it
/// is in use: a vector grown by doubling kept a quarter of its room on average, and
/// an edition's annotation is millions of them.)
pub(crate) fn exactly<T>(items: Vec<T>) -> Vec<T> {
    if items.capacity() == items.len() {
        return items;
    }
    let mut exact = Vec::with_capacity(items.len());
    exact.extend(items);
    exact
}

/// `text` in a buffer of exactly its size (see [`exactly`]).
pub(crate) fn exact_string(text: String) -> String {
    if text.capacity() == text.len() {
        return text;
    }
    String::from(text.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(content: &Content) -> String {
        content
            .events()
            .map(|e| match e {
                ContentEvent::Start(e) => format!("<{e:?}>"),
                ContentEvent::End(e) => format!("</{e:?}>"),
                ContentEvent::Text(t) => t.to_string(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn what_is_kept_is_kept_in_buffers_of_its_size() {
        let mut grown: Vec<u32> = Vec::new();
        for n in 0..1000 {
            grown.push(n);
        }
        assert!(grown.capacity() > 1000);
        let exact = exactly(grown);
        assert_eq!((exact.len(), exact.capacity()), (1000, 1000));
        assert_eq!(exact[999], 999);
        let mut text = String::new();
        for _ in 0..100 {
            text.push_str("слово ");
        }
        let exact = exact_string(text.clone());
        assert_eq!(
            (exact.capacity(), exact.as_str()),
            (text.len(), text.as_str())
        );
    }

    #[test]
    fn a_node_takes_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 16);
    }

    #[test]
    fn a_crossing_inline_element_is_closed_and_opened_again() {
        let mut b = ContentBuilder::new();
        b.start(Element::Paragraph);
        b.start(Element::Emphasis);
        b.text("a ");
        b.start(Element::Insertion);
        b.text("b");
        b.end(&Element::Emphasis);
        b.text(" c");
        b.end(&Element::Insertion);
        b.end(&Element::Paragraph);
        assert_eq!(
            shape(&b.finish()),
            "<Paragraph><Emphasis>a <Insertion>b</Insertion></Emphasis><Insertion> c</Insertion></Paragraph>"
        );
    }

    #[test]
    fn marks_left_open_at_the_end_of_a_block_are_closed_there_and_not_reopened() {
        let mut b = ContentBuilder::new();
        b.start(Element::List(None));
        b.start(Element::Item);
        b.start(Element::Insertion);
        b.text("a");
        b.end(&Element::Item);
        b.start(Element::Item);
        b.text("b");
        b.end(&Element::Insertion);
        b.end(&Element::Item);
        let content = b.finish();
        assert_eq!(
            shape(&content),
            "<List(None)><Item><Insertion>a</Insertion></Item><Item>b</Item></List(None)>"
        );
        assert_eq!(content.text(), "ab");
    }

    #[test]
    fn elements_reopened_for_nothing_are_left_out() {
        let mut b = ContentBuilder::new();
        b.start(Element::Substitution);
        b.start(Element::Deletion);
        b.start(Element::Emphasis);
        b.text("a");
        b.end(&Element::Deletion);
        b.end(&Element::Emphasis);
        b.end(&Element::Substitution);
        assert_eq!(
            shape(&b.finish()),
            "<Substitution><Deletion><Emphasis>a</Emphasis></Deletion></Substitution>"
        );
    }
}
