//! The editorial markup of a text, found before Markdown parsing.
//!
//! Editions mark the hand of the original with CriticMarkup (`{++added++}`,
//! `{--deleted--}`, `{~~old~>new~~}`, `{==highlighted==}`, `{>>comment<<}`), the legacy
//! `^{inserted}`, page breaks (`{pb 36}`) and alignment anchors (`{§ 12}`). Square-bracket
//! interpolations are not found here but after parsing (`annotate::markdown`): whether
//! a bracket is an interpolation or a link depends on Markdown's own reading of the
//! text (a reference link's definition may be anywhere in it).
//!
//! [`lex`] pairs these up within a paragraph and replaces each accepted token with one
//! placeholder character ([`Masked`]): a private-use code point that the text itself
//! does not hold, neither written nor as a character reference, so that no character
//! an editor typed is ever taken for markup. Markdown then parses the masked text as
//! usual, so the markup can sit anywhere inside emphasis, lists or tables, and
//! `annotate::markdown` turns the placeholders into nodes. A token never spans a
//! line, so line numbers in the masked text are those of the file.
//!
//! Unpaired CriticMarkup is left as literal text and reported, never swallowing text.

/// One piece of editorial markup, in the editor's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Mark {
    InsertionStart,
    InsertionEnd,
    DeletionStart,
    DeletionEnd,
    /// `{~~old~>new~~}`: the old reading is a deletion, the new one an insertion.
    SubstitutionStart,
    SubstitutionMiddle,
    SubstitutionEnd,
    HighlightStart,
    HighlightEnd,
    CommentStart,
    CommentEnd,
    /// `{pb 36}`: a page or folio of the original begins here.
    PageBreak(String),
    /// `{§ 12}`: this block aligns with the block carrying the same anchor in the other
    /// language.
    Alignment(String),
}

/// A recognised token: what it means and how the editor wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub mark: Mark,
    /// The literal text, for places where markup is not markup (code).
    pub written: String,
}

/// A text with its markup tokens replaced by placeholder characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Masked {
    pub text: String,
    pub tokens: Vec<Token>,
    /// For each token, the offsets just after it in the masked and original text.
    ends: Vec<(usize, usize)>,
    placeholders: Placeholders,
}

impl Masked {
    /// The token a character of the masked text stands for, if it is a placeholder.
    pub(super) fn token_at(&self, c: char) -> Option<usize> {
        self.placeholders.index(c)
    }

    /// Whether a byte may begin a placeholder (they are all of Supplementary
    /// Private Use Areas A and B, whose UTF-8 begins with 0xF3 or 0xF4): the text
    /// between such bytes holds none and is copied whole.
    pub(super) fn may_begin_placeholder(byte: u8) -> bool {
        byte == 0xF3 || byte == 0xF4
    }

    /// The offset in the original text of `offset` in the masked text.
    pub(super) fn original_offset(&self, offset: usize) -> usize {
        match self.ends.partition_point(|&(masked, _)| masked <= offset) {
            0 => offset,
            i => {
                let (masked, original) = self.ends[i - 1];
                original + (offset - masked)
            }
        }
    }
}

/// A problem found while pairing markup: the byte offset in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub offset: usize,
    pub message: String,
}

/// The placeholders of one text: code points of the Supplementary Private Use Areas
/// (A, then B), in order, leaving out every one the text holds, so that none of the
/// text's own characters is taken for markup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Placeholders {
    /// The code points of the areas that the text holds, sorted: skipped.
    taken: Vec<u32>,
    /// How many placeholders are in use.
    count: usize,
}

/// The code points placeholders are taken from.
const AREAS: [(u32, u32); 2] = [(0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)];
/// Beyond this many editorial marks in one text, the rest is shown as written.
const MAX_TOKENS: usize = 0xFFFD;

impl Placeholders {
    /// The placeholders for `source`: its characters of the areas, written or as
    /// numeric character references (`&#xF0000;`, which Markdown turns into the
    /// character), are left out.
    fn for_text(source: &str) -> Self {
        let mut taken: Vec<u32> = Vec::new();
        let in_areas = |c: u32| position_of(c).is_some();
        for at in memchr::memchr2_iter(0xF3, 0xF4, source.as_bytes()) {
            if let Some(c) = source[at..].chars().next() {
                if in_areas(c as u32) {
                    taken.push(c as u32);
                }
            }
        }
        for at in memchr::memmem::find_iter(source.as_bytes(), b"&#") {
            if let Some(c) = numeric_reference(&source[at + 2..]) {
                if in_areas(c) {
                    taken.push(c);
                }
            }
        }
        taken.sort_unstable();
        taken.dedup();
        Self { taken, count: 0 }
    }

    /// How many placeholders there can be.
    fn capacity(&self) -> usize {
        let area: usize = AREAS.iter().map(|&(f, l)| (l - f + 1) as usize).sum();
        (area - self.taken.len()).min(MAX_TOKENS)
    }

    /// The next placeholder.
    fn take(&mut self) -> char {
        let index = self.count;
        self.count += 1;
        self.nth(index)
    }

    /// The placeholder of token `index`: the index-th position of the areas that
    /// is not taken.
    fn nth(&self, index: usize) -> char {
        let mut position = index;
        let mut skipped = 0;
        loop {
            let c = code_point(position);
            let below = self.taken.partition_point(|&t| t <= c);
            if below == skipped {
                return char::from_u32(c).expect("a code point of the private use areas");
            }
            position += below - skipped;
            skipped = below;
        }
    }

    /// The token `c` stands for, if it is a placeholder of this text.
    fn index(&self, c: char) -> Option<usize> {
        let position = position_of(c as u32)?;
        match self.taken.binary_search(&(c as u32)) {
            Ok(_) => None,
            Err(below) => {
                let index = position - below;
                (index < self.count).then_some(index)
            }
        }
    }
}

/// The code point at `position` of the areas, one after the other.
fn code_point(position: usize) -> u32 {
    let first = (AREAS[0].1 - AREAS[0].0 + 1) as usize;
    if position < first {
        AREAS[0].0 + position as u32
    } else {
        AREAS[1].0 + (position - first) as u32
    }
}

/// The position of `c` in the areas, if it is in them.
fn position_of(c: u32) -> Option<usize> {
    let first = AREAS[0].1 - AREAS[0].0 + 1;
    if (AREAS[0].0..=AREAS[0].1).contains(&c) {
        Some((c - AREAS[0].0) as usize)
    } else if (AREAS[1].0..=AREAS[1].1).contains(&c) {
        Some((c - AREAS[1].0 + first) as usize)
    } else {
        None
    }
}

/// The code point of a numeric character reference (`x1F;`, `983040;` after `&#`).
fn numeric_reference(rest: &str) -> Option<u32> {
    let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (rest, 10),
    };
    let end = digits.find(';')?;
    if end == 0 || end > 8 {
        return None;
    }
    u32::from_str_radix(&digits[..end], radix).ok()
}

/// Paired constructs: their opening and closing tokens as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Construct {
    Insertion,
    LegacyInsertion,
    Deletion,
    Substitution,
    Highlight,
    Comment,
}

impl Construct {
    fn describe(self) -> &'static str {
        match self {
            Construct::Insertion => "`{++` (insertion): close it with `++}`",
            Construct::LegacyInsertion => "`^{` (insertion): close it with `}`",
            Construct::Deletion => "`{--` (deletion): close it with `--}`",
            Construct::Substitution => "`{~~` (substitution): write `{~~old~>new~~}`",
            Construct::Highlight => "`{==` (highlight): close it with `==}`",
            Construct::Comment => "`{>>` (comment): close it with `<<}`",
        }
    }
}

/// A token found by the scan, before we know whether it is kept.
struct Found {
    start: usize,
    end: usize,
    mark: Mark,
}

struct Open {
    construct: Construct,
    start: usize,
    /// Index in `found` of the opening token (and of the `~>`, for substitutions).
    token: usize,
    middle: Option<usize>,
}

/// Finds and pairs the editorial markup of `source`.
pub(super) fn lex(source: &str) -> (Masked, Vec<Problem>) {
    let mut scanner = Scanner {
        source,
        found: Vec::new(),
        keep: Vec::new(),
        open: Vec::new(),
        problems: Vec::new(),
    };
    scanner.scan();
    let mut problems = scanner.problems;
    let mut accepted: Vec<&Found> = scanner
        .found
        .iter()
        .zip(&scanner.keep)
        .filter_map(|(f, keep)| keep.then_some(f))
        .collect();
    let mut placeholders = Placeholders::for_text(source);
    let capacity = placeholders.capacity();
    if accepted.len() > capacity {
        problems.push(Problem {
            offset: accepted[capacity].start,
            message: format!(
                "more than {capacity} editorial marks in one text: split the text; the rest is shown as written"
            ),
        });
        accepted.truncate(capacity);
        // Truncating may split a pair; such a text is far outside normal use, and the
        // result stays well-formed because the content builder closes what is left
        // open.
    }
    let mut text = String::with_capacity(source.len());
    let mut tokens = Vec::with_capacity(accepted.len());
    let mut ends = Vec::with_capacity(accepted.len());
    let mut copied = 0;
    for f in accepted {
        text.push_str(&source[copied..f.start]);
        text.push(placeholders.take());
        tokens.push(Token {
            mark: f.mark.clone(),
            written: source[f.start..f.end].to_string(),
        });
        ends.push((text.len(), f.end));
        copied = f.end;
    }
    text.push_str(&source[copied..]);
    (
        Masked {
            text,
            tokens,
            ends,
            placeholders,
        },
        problems,
    )
}

/// The bytes the scanner looks at: a newline, and the first byte of every construct
/// it knows (escapes, code spans, CriticMarkup, legacy insertions).
const MAY_BEGIN_MARKUP: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"\n\\`{}+-=<~^";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

struct Scanner<'a> {
    source: &'a str,
    found: Vec<Found>,
    keep: Vec<bool>,
    open: Vec<Open>,
    problems: Vec<Problem>,
}

impl Scanner<'_> {
    fn scan(&mut self) {
        let bytes = self.source.as_bytes();
        let mut i = 0;
        let mut line_start = true;
        let mut in_fence: Option<&str> = None;
        while i < bytes.len() {
            if line_start {
                let line_end = self.source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                let line = self.source[i..line_end].trim();
                // Fenced code is code: nothing in it is markup.
                let fence = ["```", "~~~"].into_iter().find(|f| line.starts_with(f));
                match (in_fence, fence) {
                    (None, Some(f)) => {
                        self.end_paragraph();
                        in_fence = Some(f);
                    }
                    (Some(open), Some(f)) if open == f => in_fence = None,
                    _ => {}
                }
                if in_fence.is_some() || fence.is_some() || line.is_empty() {
                    if line.is_empty() {
                        self.end_paragraph();
                    }
                    i = line_end + 1;
                    continue;
                }
            }
            // Most bytes begin nothing: a run of them is passed in one go (they are
            // never a newline, and the run ends on an ASCII byte or the end, so on a
            // character boundary).
            if !MAY_BEGIN_MARKUP[usize::from(bytes[i])] {
                line_start = false;
                i += 1;
                while i < bytes.len() && !MAY_BEGIN_MARKUP[usize::from(bytes[i])] {
                    i += 1;
                }
                continue;
            }
            let rest = &self.source[i..];
            let b = bytes[i];
            line_start = b == b'\n';
            let step = match b {
                b'\\' => rest.chars().nth(1).map_or(1, |c| 1 + c.len_utf8()),
                b'`' => skip_code_span(rest),
                b'{' => self.brace(i, rest),
                b'+' if rest.starts_with("++}") => {
                    self.close(i, 3, Construct::Insertion, Mark::InsertionEnd)
                }
                b'-' if rest.starts_with("--}") => {
                    self.close(i, 3, Construct::Deletion, Mark::DeletionEnd)
                }
                b'=' if rest.starts_with("==}") => {
                    self.close(i, 3, Construct::Highlight, Mark::HighlightEnd)
                }
                b'<' if rest.starts_with("<<}") => {
                    self.close(i, 3, Construct::Comment, Mark::CommentEnd)
                }
                b'~' if rest.starts_with("~~}") => {
                    self.close(i, 3, Construct::Substitution, Mark::SubstitutionEnd)
                }
                b'~' if rest.starts_with("~>") => self.substitution_middle(i),
                b'^' if rest.starts_with("^{") => {
                    self.open(i, 2, Construct::LegacyInsertion, Mark::InsertionStart)
                }
                b'}' => self.close(i, 1, Construct::LegacyInsertion, Mark::InsertionEnd),
                _ => 0,
            };
            i += if step == 0 {
                rest.chars().next().map_or(1, char::len_utf8)
            } else {
                step
            };
        }
        self.end_paragraph();
    }

    fn push(&mut self, start: usize, end: usize, mark: Mark, keep: bool) -> usize {
        self.found.push(Found { start, end, mark });
        self.keep.push(keep);
        self.found.len() - 1
    }

    fn brace(&mut self, i: usize, rest: &str) -> usize {
        let opening = [
            ("{++", Construct::Insertion, Mark::InsertionStart),
            ("{--", Construct::Deletion, Mark::DeletionStart),
            ("{~~", Construct::Substitution, Mark::SubstitutionStart),
            ("{==", Construct::Highlight, Mark::HighlightStart),
            ("{>>", Construct::Comment, Mark::CommentStart),
        ];
        for (written, construct, mark) in opening {
            if rest.starts_with(written) {
                return self.open(i, written.len(), construct, mark);
            }
        }
        for (keyword, make) in [
            ("{pb", Mark::PageBreak as fn(String) -> Mark),
            ("{§", Mark::Alignment as fn(String) -> Mark),
        ] {
            if let Some(after) = rest.strip_prefix(keyword) {
                if let Some(close) = after.find('}') {
                    let label = after[..close].trim();
                    let separated = keyword == "{§" || after.starts_with(char::is_whitespace);
                    if separated
                        && !label.is_empty()
                        && !label.contains(char::is_whitespace)
                        && !label.contains(['{', '\n'])
                    {
                        let end = i + keyword.len() + close + 1;
                        self.push(i, end, make(label.to_string()), true);
                        return end - i;
                    }
                }
            }
        }
        0
    }

    fn open(&mut self, i: usize, len: usize, construct: Construct, mark: Mark) -> usize {
        let token = self.push(i, i + len, mark, false);
        self.open.push(Open {
            construct,
            start: i,
            token,
            middle: None,
        });
        len
    }

    /// Closes the innermost open `construct`. Constructs opened inside it and still
    /// open cross it, so they are dropped and reported.
    /// A closer with nothing to close is ordinary text.
    fn close(&mut self, i: usize, len: usize, construct: Construct, mark: Mark) -> usize {
        let Some(at) = self.open.iter().rposition(|o| o.construct == construct) else {
            return 0;
        };
        if construct == Construct::Substitution && self.open[at].middle.is_none() {
            return 0;
        }
        for crossed in self.open.drain(at + 1..).collect::<Vec<_>>() {
            self.report_unclosed(&crossed);
        }
        let opened = self.open.pop().expect("found above");
        let end = self.push(i, i + len, mark, true);
        self.keep[opened.token] = true;
        if let Some(middle) = opened.middle {
            self.keep[middle] = true;
        }
        self.keep[end] = true;
        len
    }

    fn substitution_middle(&mut self, i: usize) -> usize {
        match self.open.last() {
            Some(o) if o.construct == Construct::Substitution && o.middle.is_none() => {
                let token = self.push(i, i + 2, Mark::SubstitutionMiddle, false);
                self.open.last_mut().expect("checked").middle = Some(token);
                2
            }
            _ => 0,
        }
    }

    fn end_paragraph(&mut self) {
        for open in std::mem::take(&mut self.open) {
            self.report_unclosed(&open);
        }
    }

    fn report_unclosed(&mut self, open: &Open) {
        self.problems.push(Problem {
            offset: open.start,
            message: format!(
                "unclosed {} in the same paragraph; it is shown as written",
                open.construct.describe()
            ),
        });
    }
}

/// Length of the inline code span starting at `rest` (all of it, if closed), else of
/// the backtick run.
fn skip_code_span(rest: &str) -> usize {
    let run = rest.bytes().take_while(|&b| b == b'`').count();
    let fence = &rest[..run];
    let mut search = run;
    while let Some(found) = rest[search..].find(fence) {
        let at = search + found;
        let after = rest[at..].bytes().take_while(|&b| b == b'`').count();
        let between = &rest[run..at];
        if between.contains("\n\n") {
            break;
        }
        if after == run {
            return at + run;
        }
        search = at + after;
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(source: &str) -> Vec<Mark> {
        lex(source).0.tokens.into_iter().map(|t| t.mark).collect()
    }

    #[test]
    fn pairs_criticmarkup() {
        use Mark::*;
        assert_eq!(
            marks("не {--ослабить--} {++ослабить++} силы"),
            vec![DeletionStart, DeletionEnd, InsertionStart, InsertionEnd]
        );
        assert_eq!(
            marks("{~~old~>new~~} {==hi==} {>>note<<}"),
            vec![
                SubstitutionStart,
                SubstitutionMiddle,
                SubstitutionEnd,
                HighlightStart,
                HighlightEnd,
                CommentStart,
                CommentEnd
            ]
        );
        assert_eq!(marks("^{inserted}"), vec![InsertionStart, InsertionEnd]);
    }

    #[test]
    fn masks_tokens_and_keeps_lines() {
        let (masked, problems) = lex("a {++b++}\n\n{pb 36}\n");
        assert!(problems.is_empty());
        assert_eq!(masked.text.matches('\n').count(), 3);
        assert!(masked.text.starts_with("a "));
        assert_eq!(masked.tokens[2].mark, Mark::PageBreak("36".into()));
        assert_eq!(masked.tokens[2].written, "{pb 36}");
        assert_eq!(
            masked.token_at(masked.text.chars().nth(2).unwrap()),
            Some(0)
        );
    }

    #[test]
    fn placeholders_are_never_characters_the_text_holds() {
        // The text holds the first placeholders a text without them would get,
        // written and as references, and characters of Area-B.
        let src = "\u{F0000}\u{F0002} &#xF0001; &#983043; \u{100000} {++a++} {--b--} {==c==}";
        let (masked, problems) = lex(src);
        assert!(problems.is_empty());
        assert_eq!(masked.tokens.len(), 6);
        let placeholders: Vec<char> = masked
            .text
            .chars()
            .filter(|&c| masked.token_at(c).is_some())
            .collect();
        assert_eq!(placeholders.len(), 6, "{:?}", masked.text);
        for (i, p) in placeholders.iter().enumerate() {
            assert!(!src.contains(*p), "{p:?} is the text's own");
            assert_eq!(masked.token_at(*p), Some(i));
            assert!(!['\u{F0001}', '\u{F0003}'].contains(p), "referenced: {p:?}");
        }
        for own in ['\u{F0000}', '\u{F0002}', '\u{100000}'] {
            assert!(masked.text.contains(own));
            assert_eq!(masked.token_at(own), None);
        }
    }

    #[test]
    fn placeholders_run_on_into_area_b_past_taken_code_points() {
        let mut p = Placeholders {
            taken: vec![0xF0000, 0xF0001, 0xFFFFD, 0x100000],
            count: 0,
        };
        assert_eq!(p.take() as u32, 0xF0002);
        assert_eq!(p.index('\u{F0002}'), Some(0));
        assert_eq!(p.nth(0xFFFFD - 0xF0000 - 3) as u32, 0xFFFFC);
        assert_eq!(p.nth(0xFFFFD - 0xF0000 - 2) as u32, 0x100001);
        p.count = 0x10000;
        assert_eq!(p.index('\u{100001}'), Some(0xFFFFD - 0xF0000 - 2));
        assert_eq!(p.index('\u{100000}'), None);
        assert_eq!(p.index('a'), None);
        // Far into area B, with nothing taken.
        let mut p = Placeholders::default();
        let first = (0xFFFFD - 0xF0000 + 1) as usize;
        assert_eq!(p.nth(first + 10) as u32, 0x10000A);
        p.count = first + 11;
        assert_eq!(p.index('\u{10000A}'), Some(first + 10));
        assert_eq!(p.index('\u{10000B}'), None, "not yet in use");
    }

    #[test]
    fn maps_offsets_back_to_the_original() {
        let src = "a {++b++} [x](@id)";
        let (masked, _) = lex(src);
        let at = masked.text.find("[x]").unwrap();
        assert_eq!(masked.original_offset(at), src.find("[x]").unwrap());
        assert_eq!(masked.original_offset(0), 0);
        // Every offset past the last token, not only the first.
        let after = src.find(" [x]").unwrap();
        for (k, _) in " [x](@id)".char_indices() {
            let in_masked = masked.text.find(" [x]").unwrap() + k;
            assert_eq!(masked.original_offset(in_masked), after + k);
        }
    }

    #[test]
    fn a_text_holding_most_private_use_characters_has_room_for_the_rest() {
        // The text holds all of area A and 1,000 characters of area B, so there are
        // 131,068 - 66,534 = 64,534 placeholders left (fewer than the limit of
        // 65,533 marks a text): one page break more than that is reported, with
        // the number, and shown as written.
        let mut src: String = (0xF0000..=0xFFFFD)
            .chain(0x100000..0x100000 + 1000)
            .map(|c| char::from_u32(c).unwrap())
            .collect();
        src.push('\n');
        let breaks = 64_535;
        for n in 0..breaks {
            src.push_str(&format!("{{pb {n}}} "));
        }
        let (masked, problems) = lex(&src);
        assert_eq!(masked.tokens.len(), 64_534);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .starts_with("more than 64534 editorial marks in one text"),
            "{}",
            problems[0].message
        );
        assert_eq!(problems[0].offset, src.rfind("{pb").unwrap());
        assert!(masked.text.ends_with("{pb 64534} "));
        // As many as there is room for: all of them, nothing said.
        let src = &src[..src.rfind("{pb").unwrap()];
        let (masked, problems) = lex(src);
        assert_eq!(masked.tokens.len(), 64_534);
        assert!(problems.is_empty());
    }

    #[test]
    fn page_breaks_and_alignment_anchors() {
        assert_eq!(
            marks("{pb 36} text {pb 12v} {§ 4}{§5}"),
            vec![
                Mark::PageBreak("36".into()),
                Mark::PageBreak("12v".into()),
                Mark::Alignment("4".into()),
                Mark::Alignment("5".into())
            ]
        );
        assert!(marks("{pb}").is_empty());
        assert!(marks("{pbx 3}").is_empty());
        // A page's name is one word, after a space; an anchor's likewise.
        for not_a_break in ["{pb }", "{pb 3 4}", "{pbx}", "{§ }", "{§ 4 5}", "{pb {3}"] {
            assert!(marks(not_a_break).is_empty(), "{not_a_break}");
        }
    }

    #[test]
    fn only_a_substitution_is_parted_and_only_once() {
        use Mark::*;
        assert_eq!(marks("{++a ~> b++}"), vec![InsertionStart, InsertionEnd]);
        let (masked, problems) = lex("{~~a~>b~>c~~}");
        assert!(problems.is_empty(), "{problems:?}");
        let found: Vec<_> = masked.tokens.iter().map(|t| &t.mark).collect();
        assert_eq!(
            found,
            [&SubstitutionStart, &SubstitutionMiddle, &SubstitutionEnd]
        );
        assert!(masked.text.contains("b~>c"));
    }

    #[test]
    fn unclosed_markup_is_reported_and_left_as_written() {
        let src = "Мы {++ посоветовали\n\nнет";
        let (masked, problems) = lex(src);
        assert_eq!(masked.text, src);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].offset, src.find("{++").unwrap());
        assert!(problems[0].message.contains("unclosed `{++`"));
        // An empty line ends the paragraph, and with it what is open: a closer in
        // the next paragraph is text.
        let src = "Мы {++ посоветовали\n\nнет++}";
        let (masked, problems) = lex(src);
        assert_eq!(masked.text, src);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].offset, src.find("{++").unwrap());
    }

    #[test]
    fn a_closer_s_first_character_alone_closes_nothing() {
        for (source, closer) in [
            ("{++a + b++}", "++}"),
            ("{--a - b--}", "--}"),
            ("{==a = b==}", "==}"),
            ("{>>a < b<<}", "<<}"),
            ("{~~a~>b ~ c~~}", "~~}"),
        ] {
            let (masked, problems) = lex(source);
            assert!(problems.is_empty(), "{source}: {problems:?}");
            let last = masked.tokens.last().expect("closed");
            assert_eq!(last.written, closer, "{source}");
            assert!(
                masked.text.contains(&format!(" {} ", &closer[..1])),
                "{source}"
            );
        }
    }

    #[test]
    fn a_tilde_or_caret_alone_is_text() {
        // Only `~>` parts a substitution, wherever a `~` comes first.
        let (masked, problems) = lex("{~~a ~ b~>c~~}");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(masked.tokens[1].mark, Mark::SubstitutionMiddle);
        assert_eq!(masked.tokens[1].written, "~>");
        // Only `^{` opens a legacy insertion: a power is not one.
        let (masked, problems) = lex("E = mc^2, a^b^ c");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(masked.tokens.is_empty());
    }

    #[test]
    fn brackets_are_left_to_markdown() {
        assert!(marks("c[omrade] [SIC] [Pak](@pak-heon-yeong) [x][ref] note[^1]").is_empty());
    }

    #[test]
    fn escapes_and_code_are_not_markup() {
        assert!(marks(r"\{++x++}").is_empty());
        assert!(marks("`{++code++}` and\n\n```\n{--x--}\n```\n").is_empty());
        // A fence is closed by one of its own kind only, and the line that closes
        // it is code too.
        assert!(marks("```\n~~~\n{++x++}\n```\n").is_empty());
        assert!(marks("~~~\ncode\n~~~ {++x++}\n").is_empty());
        assert_eq!(marks("~~~\ncode\n~~~\n{++x++}\n").len(), 2);
    }

    #[test]
    fn a_code_span_ends_at_a_run_of_backticks_as_long_as_its_opening() {
        use Mark::*;
        // Markup right after a span, and inside spans of two and three backticks.
        assert_eq!(marks("``x``{++a++}"), vec![InsertionStart, InsertionEnd]);
        assert!(marks("a ```{++``` b++}").is_empty());
        // A longer run inside the span is part of its code.
        assert!(marks("`a``{++b++}`").is_empty());
        assert!(marks("`{++a```b`++}").is_empty());
        assert_eq!(marks("`a``b` {--c--}"), vec![DeletionStart, DeletionEnd]);
    }

    #[test]
    fn crossing_markup_is_reported() {
        let (_, problems) = lex("{++a {--b++} c--}");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("{--"));
    }
}
