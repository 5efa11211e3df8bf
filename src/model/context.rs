//! Keyword in context: a mention with the words around it, as entry pages show it.
//!
//! Read from the annotated text when a page needs it rather than kept with every
//! mention (an edition holds hundreds of thousands): a mention knows where its words
//! are in its block's text, and up to eight words either side are taken from there,
//! read by bytes and written straight into one string.

use super::AnnotatedText;

/// A mention and the words around it, in one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InContext {
    context: String,
    /// Where the words of the mention start and end in `context`.
    surface_at: (u32, u32),
}

impl InContext {
    /// The words as the text has them ("Ким Ир Сеном").
    pub fn surface(&self) -> &str {
        &self.context[self.surface_at.0 as usize..self.surface_at.1 as usize]
    }

    /// Some words before it, in the same block.
    pub fn before(&self) -> &str {
        &self.context[..self.surface_at.0 as usize]
    }

    /// Some words after it, in the same block.
    pub fn after(&self) -> &str {
        &self.context[self.surface_at.1 as usize..]
    }
}

/// As templates see it: `before`, `surface`, `after`.
impl serde::Serialize for InContext {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("InContext", 3)?;
        s.serialize_field("before", self.before())?;
        s.serialize_field("surface", self.surface())?;
        s.serialize_field("after", self.after())?;
        s.end()
    }
}

impl AnnotatedText {
    /// Mention `mention` (its position in `mentions`) with the words around it.
    pub fn in_context(&self, mention: usize) -> InContext {
        let m = &self.mentions[mention];
        let content = match m.footnote {
            Some(note) => &self.footnotes[note as usize].content,
            None => &self.segments[m.segment as usize].content,
        };
        let words = content.text();
        let (start, end) = (m.words.0 as usize, m.words.1 as usize);
        let (start, end) = if start <= end && end <= words.len() {
            (start, end)
        } else {
            (0, 0)
        };
        let surface = collapse_spaces(&words[start..end]);
        let (context, surface_at) = in_context(words, start, end, &surface);
        InContext {
            context,
            surface_at,
        }
    }
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
        for word in words {
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
    // Keep the space that separates the name from its context, as a reader sees it.
    if before_count > 0 && head.ends_with(char::is_whitespace) {
        context.push(' ');
    }
    let surface_start = context.len() as u32;
    context.push_str(surface);
    let surface_end = context.len() as u32;
    if after_count > 0 && tail.starts_with(char::is_whitespace) {
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
    pub text: &'t str,
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

/// The words of `s`, one space between each.
pub(crate) fn collapse_spaces(s: &str) -> String {
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

    #[test]
    fn context_keeps_the_words_and_spaces_a_reader_sees() {
        let text = "one two three Ким Ир Сеном, four\u{2060}five";
        let start = text.find("Ким").unwrap();
        let end = start + "Ким Ир Сеном".len();
        let (context, (s, e)) = in_context(text, start, end, "Ким Ир Сеном");
        assert_eq!(&context[s as usize..e as usize], "Ким Ир Сеном");
        assert_eq!(context, "one two three Ким Ир Сеном, four\u{2060}five");
    }
}
