//! Recognising register entries in running text, in any script, with one automaton.
//!
//! Texts and aliases are cut into words; every word that occurs in some alias gets a
//! number, any other word the number of "some other word". Each word becomes three
//! bytes whose first byte alone has its high bit set, so a byte pattern can only match
//! at word starts and whole words: one aho-corasick automaton (leftmost-longest) over
//! all aliases finds every mention, at a cost that does not grow with the register.
//!
//! Russian names decline ("Ким Ир Сеном", "Микояну", "Пэн Дэ-хуаем"): each Cyrillic
//! word of an alias also numbers the forms its declension produces, by rule, so the
//! editor lists only the nominative. An alias shared by two entries is never linked;
//! a capitalised alias matches only capitalised text, so "Mao" does not match "mao".
//!
//! Not here: deciding what text may hold mentions (links, code: that is `markdown`).

use crate::model::{EntityKind, EntityRef, Registers};
use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use unicode_normalization::char::{compose, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// A word that is in no alias.
const OTHER: u32 = 0;
/// A boundary no mention crosses (between blocks, around code and links).
const BARRIER: u32 = 1;
const FIRST_WORD: u32 = 2;

/// Where an alias was found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range in the text searched.
    pub start: usize,
    pub end: usize,
    pub entity: EntityRef,
}

/// An alias that two entries share: never linked automatically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedAlias {
    pub alias: String,
    pub first: EntityRef,
    pub second: EntityRef,
}

#[derive(Debug, Clone)]
struct Pattern {
    /// `None` when two entries share the alias.
    entity: Option<EntityRef>,
    /// The alias begins with a capital, so the text must too.
    capitalised: bool,
}

/// The automaton over all aliases of all registers.
#[derive(Debug, Clone)]
pub struct Recognizer {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    /// Normalised word form (UTF-8 bytes) → word number.
    words: HashMap<Vec<u8>, u32>,
}

impl Recognizer {
    /// Builds the automaton from every entry's names and aliases. Returns, besides,
    /// the aliases two entries share (to be reported).
    pub fn new(registers: &Registers) -> (Self, Vec<SharedAlias>) {
        let entries = names_of_entries(registers);
        let words = number_words(&entries);
        let mut by_key: HashMap<Vec<u8>, usize> = HashMap::default();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut shared = Vec::new();
        // Who listed each pattern first: every later entry listing it too is
        // reported against them, not only the second.
        let mut first_owners: Vec<&EntityRef> = Vec::new();
        let mut reported: HashSet<(usize, &EntityRef)> = HashSet::default();
        for (entity, names) in &entries {
            for name in names {
                let tokens = words_of(name);
                if !worth_recognising(&tokens) {
                    continue;
                }
                let key: Vec<u8> = tokens
                    .iter()
                    .flat_map(|(w, _)| encode(words[normalise(w).as_bytes()]))
                    .collect();
                // From the first letter, not the first character: «Правда», the
                // newspaper, is not the word "правда".
                let capitalised = name
                    .chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(char::is_uppercase);
                match by_key.get(&key) {
                    None => {
                        by_key.insert(key.clone(), patterns.len());
                        keys.push(key);
                        first_owners.push(entity);
                        patterns.push(Pattern {
                            entity: Some(entity.clone()),
                            capitalised,
                        });
                    }
                    Some(&i) => {
                        let pattern = &mut patterns[i];
                        pattern.capitalised &= capitalised;
                        let first = first_owners[i];
                        if first != entity && reported.insert((i, entity)) {
                            shared.push(SharedAlias {
                                alias: name.clone(),
                                first: first.clone(),
                                second: entity.clone(),
                            });
                            pattern.entity = None;
                        }
                    }
                }
            }
        }
        let automaton = (!keys.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&keys)
                .expect("patterns of whole encoded words build")
        });
        (
            Self {
                automaton,
                patterns,
                words,
            },
            shared,
        )
    }

    /// Every mention in `text`, in order, not overlapping. A newline is a boundary no
    /// mention crosses.
    pub fn find(&self, text: &str) -> Vec<Found> {
        self.find_within(text, &[])
    }

    /// [`Recognizer::find`], with more boundaries no mention crosses: the byte offsets
    /// `barriers` (ascending), such as the edges of a link's text, which stands in
    /// `text` for its words in context but is not searched.
    pub fn find_within(&self, text: &str, barriers: &[usize]) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut barriers = barriers.iter().copied().peekable();
        let mut encoded = Vec::with_capacity(text.len());
        let mut spans = Vec::new();
        let mut last_end = 0;
        // One buffer for every word's normal form: this loop runs over every word of
        // every text.
        let mut normal = Vec::new();
        for (word, start) in Words::new(text) {
            let mut crossed = false;
            while barriers.next_if(|&b| b <= start).is_some() {
                crossed = true;
            }
            if crossed || text.as_bytes()[last_end..start].contains(&b'\n') {
                encoded.extend_from_slice(&encode(BARRIER));
                spans.push((start, start));
            }
            normal.clear();
            normalise_bytes(word, &mut normal);
            let number = self.words.get(normal.as_slice()).copied().unwrap_or(OTHER);
            encoded.extend_from_slice(&encode(number));
            spans.push((start, start + word.len()));
            last_end = start + word.len();
        }
        let mut found = Vec::new();
        for m in automaton.find_iter(&encoded) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            let Some(entity) = &pattern.entity else {
                continue;
            };
            let (start, _) = spans[m.start() / 3];
            let (_, end) = spans[m.end() / 3 - 1];
            if pattern.capitalised && !text[start..].starts_with(char::is_uppercase) {
                continue;
            }
            found.push(Found {
                start,
                end,
                entity: entity.clone(),
            });
        }
        found
    }
}

/// Numbers every word of every name, and every declined form of it. A word that is
/// also a declined form of another ("Сена", an OCR alias, and the genitive of "Сен")
/// makes the two one word: both then match wherever either stands.
fn number_words(entries: &[(EntityRef, Vec<String>)]) -> HashMap<Vec<u8>, u32> {
    let mut words: HashMap<String, u32> = HashMap::default();
    let mut abbreviations = rustc_hash::FxHashSet::default();
    for (_, names) in entries {
        for name in names {
            for (word, _) in words_of(name) {
                let next = FIRST_WORD + words.len() as u32;
                let normal = normalise(word);
                if is_abbreviation(word) {
                    abbreviations.insert(normal.clone());
                }
                words.entry(normal).or_insert(next);
            }
        }
    }
    let mut classes = UnionFind::new(FIRST_WORD as usize + words.len());
    let mut bases: Vec<(String, u32)> = words.iter().map(|(w, &n)| (w.clone(), n)).collect();
    bases.sort(); // the same numbering from run to run
    for (word, number) in bases {
        let mut forms = declined_forms(&word);
        if abbreviations.contains(&word) {
            // English makes plurals of abbreviations with a small s: "the ROKs".
            forms.push(format!("{word}s"));
        }
        for form in forms {
            match words.get(&form) {
                Some(&other) => classes.union(number as usize, other as usize),
                None => {
                    words.insert(form, number);
                }
            }
        }
    }
    words
        .into_iter()
        .map(|(word, number)| (word.into_bytes(), classes.find(number as usize) as u32))
        .collect()
}

/// Whether `word` is an abbreviation written in capitals ("ROK", "NNIT", "CC"),
/// whose English plural adds a small s.
fn is_abbreviation(word: &str) -> bool {
    word.chars().filter(|c| c.is_uppercase()).count() >= 2
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && !word.chars().any(is_cyrillic)
}

/// Equivalence classes of word numbers.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(size: usize) -> Self {
        Self {
            parent: (0..size).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

/// Every name under which each entry should be recognised.
pub(crate) fn names_of_entries(registers: &Registers) -> Vec<(EntityRef, Vec<String>)> {
    let entity = |kind, id: &String| EntityRef {
        kind,
        id: id.as_str().into(),
    };
    let mut entries = Vec::new();
    for (id, p) in &registers.people {
        let mut names = vec![p.name.clone()];
        names.extend(p.names.values().cloned());
        names.extend(p.aliases.iter().cloned());
        entries.push((entity(EntityKind::Person, id), names));
    }
    for (id, e) in &registers.events {
        let mut names = vec![e.name.clone()];
        names.extend(e.aliases.iter().cloned());
        entries.push((entity(EntityKind::Event, id), names));
    }
    for (id, p) in &registers.places {
        let mut names = vec![p.name.clone()];
        names.extend(p.names.values().cloned());
        names.extend(p.aliases.iter().cloned());
        entries.push((entity(EntityKind::Place, id), names));
    }
    for (id, t) in &registers.glossary {
        let mut names = vec![t.term.clone()];
        names.extend(t.aliases.iter().cloned());
        entries.push((entity(EntityKind::Term, id), names));
    }
    entries
}

/// A one-word alias of a single letter ("c.", "т.") would match everywhere.
fn worth_recognising(tokens: &[(&str, usize)]) -> bool {
    match tokens {
        [] => false,
        [(only, _)] => only.chars().count() >= 2,
        _ => true,
    }
}

/// The words of `text` with their byte offsets: runs of letters and digits, with
/// hyphens inside a word kept ("Дэ-хуай", "Yong-geon"). Anything else separates,
/// apostrophes too, so "Mikoyan's" holds the word "Mikoyan".
pub(crate) fn words_of(text: &str) -> Vec<(&str, usize)> {
    Words::new(text).collect()
}

/// The words of a text, one by one (see [`words_of`]). Recognition cuts every text
/// of an edition into words: ASCII and Cyrillic are told apart by their bytes.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    /// Whether the character at byte `i` is a letter or digit, and its length.
    #[inline(always)]
    fn class_at(&self, i: usize) -> (bool, usize) {
        let bytes = self.text.as_bytes();
        match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            // U+0400-U+04FF: Cyrillic letters, but for the signs and combining marks
            // U+0482-U+0489.
            lead @ 0xD0..=0xD3 => {
                let c = (u32::from(lead & 0x1F) << 6) | u32::from(bytes[i + 1] & 0x3F);
                (!(0x482..=0x489).contains(&c), 2)
            }
            _ => {
                let c = self.text[i..]
                    .chars()
                    .next()
                    .expect("a character starts here");
                // A combining accent (text in decomposed form) is part of its word.
                (c.is_alphanumeric() || is_combining_mark(c), c.len_utf8())
            }
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let len = self.text.len();
        let mut i = self.at;
        loop {
            if i >= len {
                self.at = len;
                return None;
            }
            match self.class_at(i) {
                (true, _) => break,
                (false, n) => i += n,
            }
        }
        let start = i;
        while i < len {
            match self.class_at(i) {
                (true, n) => i += n,
                // A hyphen between letters joins them.
                (false, 1)
                    if self.text.as_bytes()[i] == b'-' && i + 1 < len && self.class_at(i + 1).0 =>
                {
                    i += 1
                }
                (false, _) => break,
            }
        }
        self.at = i;
        Some((&self.text[start..i], start))
    }
}

/// The form words are compared in: lower case, ё as е, a letter typed with a
/// separate mark (И and a breve) as the letter composed.
pub(super) fn normalise(word: &str) -> String {
    let mut normal = Vec::with_capacity(word.len());
    normalise_bytes(word, &mut normal);
    String::from_utf8(normal).expect("lower-cased characters, whole")
}

/// [`normalise`] into bytes, Russian and ASCII without decoding characters: this
/// runs on every word of every text.
fn normalise_bytes(word: &str, into: &mut Vec<u8>) {
    let bytes = word.as_bytes();
    let first = into.len();
    into.reserve(bytes.len());
    // Most of a word stays as it is (all but its capital): such runs are copied
    // whole, and only the characters that change are looked at one by one.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let stays = match (b, next) {
            (b'A'..=b'Z', _) => false,
            (0..=0x7F, _) => true,
            // а-п and р-я stay.
            (0xD0, 0xB0..=0xBF) | (0xD1, 0x80..=0x8F) => true,
            _ => false,
        };
        if stays {
            i += if b.is_ascii() { 1 } else { 2 };
            continue;
        }
        into.extend_from_slice(&bytes[run..i]);
        match (b, next) {
            (b'A'..=b'Z', _) => {
                into.push(b.to_ascii_lowercase());
                i += 1;
            }
            // А-П → а-п, Р-Я → р-я, Ё and ё → е.
            (0xD0, 0x90..=0x9F) => {
                into.extend_from_slice(&[0xD0, next + 0x20]);
                i += 2;
            }
            (0xD0, 0xA0..=0xAF) => {
                into.extend_from_slice(&[0xD1, next - 0x20]);
                i += 2;
            }
            (0xD0, 0x81) | (0xD1, 0x91) => {
                into.extend_from_slice(&[0xD0, 0xB5]);
                i += 2;
            }
            _ => {
                let c = word[i..].chars().next().expect("a character starts here");
                let mut buffer = [0; 4];
                if is_combining_mark(c) && !is_cyrillic(c) {
                    // A mark typed apart from its Cyrillic letter (Й as И and a
                    // breve) is joined to it, so both spellings read alike; any
                    // other mark goes, as a precomposed Latin letter's accent does.
                    let start = last_char_start(into).max(first);
                    let joined = std::str::from_utf8(&into[start..])
                        .ok()
                        .and_then(|last| last.chars().next())
                        .and_then(|last| compose(last, c))
                        .filter(|joined| is_cyrillic(*joined));
                    if let Some(joined) = joined {
                        into.truncate(start);
                        normalise_bytes(joined.encode_utf8(&mut buffer), into);
                    }
                    i += c.len_utf8();
                    run = i;
                    continue;
                }
                // Letters of the Latin alphabets lose their accents: texts typed
                // without them ("Hammarskjold", "Pak Hon-yong") name the same people.
                // Cyrillic keeps its (й is not и), and has its own path above.
                let letters = c.to_lowercase().flat_map(|lower| {
                    let keep = is_cyrillic(lower);
                    std::iter::once(lower)
                        .filter(move |_| keep)
                        .chain(lower.nfd().filter(move |d| !keep && !is_combining_mark(*d)))
                });
                for letter in letters {
                    into.extend_from_slice(letter.encode_utf8(&mut buffer).as_bytes());
                }
                i += c.len_utf8();
            }
        }
        run = i;
    }
    into.extend_from_slice(&bytes[run..]);
}

fn encode(number: u32) -> [u8; 3] {
    [
        0x80 | ((number >> 14) & 0x7f) as u8,
        ((number >> 7) & 0x7f) as u8,
        (number & 0x7f) as u8,
    ]
}

/// Where the last character of a UTF-8 buffer starts (0 if it is empty).
fn last_char_start(bytes: &[u8]) -> usize {
    let mut start = bytes.len().saturating_sub(1);
    while start > 0 && bytes[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    start
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

const ADJECTIVE_ENDINGS: &[(&str, &[&str])] = &[
    ("ий", &["ого", "ому", "им", "ом", "ие", "их", "ими"]),
    ("ый", &["ого", "ому", "ым", "ом", "ые", "ых", "ыми"]),
    ("ой", &["ого", "ому", "ым", "им", "ом"]),
    ("ая", &["ой", "ую", "ою"]),
    ("яя", &["ей", "юю", "ею"]),
    ("ое", &["ого", "ому", "ым", "ом"]),
    ("ее", &["его", "ему", "им", "ем"]),
];

/// The forms of a (normalised) Russian noun or name in the oblique cases, by its
/// ending: "сен" → "сена", "сену", "сеном", ...; "хуай" → "хуая", "хуаем", ...;
/// "пономарев" → "пономаревым". Words of other scripts, and Russian words ending in
/// other vowels (Мао, Лю Шао-ци), do not decline.
pub(super) fn declined_forms(word: &str) -> Vec<String> {
    if word.chars().count() < 2 || !word.chars().all(|c| is_cyrillic(c) || c == '-') {
        return Vec::new();
    }
    // Adjectives in names of events and organisations ("августовский пленум",
    // "Трудовая партия"): by their two-letter endings.
    for (ending, endings) in ADJECTIVE_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending) {
            if stem.chars().count() >= 3 {
                return endings.iter().map(|e| format!("{stem}{e}")).collect();
            }
        }
    }
    let last = word.chars().last().expect("two characters");
    let stem = &word[..word.len() - last.len_utf8()];
    let (base, endings): (&str, &[&str]) = match last {
        'й' | 'ь' => (stem, &["я", "ю", "ем", "е", "и", "ей"]),
        'а' => (stem, &["ы", "и", "е", "у", "ой", "ою"]),
        'я' => (stem, &["и", "е", "ю", "ей", "ею"]),
        'о' | 'е' | 'и' | 'у' | 'ю' | 'э' | 'ы' | 'ё' => return Vec::new(),
        _ => (word, &["а", "у", "ом", "ем", "е", "ым", "ы"]),
    };
    endings.iter().map(|e| format!("{base}{e}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, GlossaryTerm, Person, Place};

    fn person(name: &str, aliases: &[&str]) -> Person {
        serde_yaml::from_str(&format!(
            "name: \"{name}\"\naliases: [{}]",
            aliases
                .iter()
                .map(|a| format!("\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .unwrap()
    }

    fn registers() -> Registers {
        let mut r = Registers::default();
        for (id, name, aliases) in [
            (
                "kim-il-sung",
                "Kim Il Sung",
                &["Ким Ир Сен", "Kim II Sung"][..],
            ),
            (
                "anastas-mikoyan",
                "Anastas Mikoyan",
                &["Mikoyan", "Микоян", "Микоян А.И."],
            ),
            ("peng-dehuai", "Peng Dehuai", &["Пэн Дэ-хуай"]),
            (
                "boris-ponomarev",
                "Boris Ponomarev",
                &["Ponomarev", "Пономарев"],
            ),
            ("choe-chang-ik", "Choe Chang-ik", &["Цой Чан Ик"]),
            (
                "pak-heon-yeong",
                "Pak Heon-yeong",
                &["Пак Хен Ен", "Pak [Heon-yeong]"],
            ),
            ("pak-il-u", "Pak Il-u", &["Pak Il-u"]),
            ("mao-zedong", "Mao Zedong", &["Mao", "Мао Цзе-дун"]),
            ("choe-yong-geon", "Choe Yong-geon", &["Choe"]),
            ("choe-chang-ik-2", "Choe Chang-ik Twin", &["Choe"]),
        ] {
            r.people.insert(id.into(), person(name, aliases));
        }
        let plenum: Event =
            serde_yaml::from_str("name: \"August Plenum\"\naliases: [\"августовский пленум\"]")
                .unwrap();
        r.events.insert("august-plenum".into(), plenum);
        let pyongyang: Place =
            serde_yaml::from_str("name: \"Pyongyang\"\naliases: [\"Пхеньян\"]").unwrap();
        r.places.insert("pyongyang".into(), pyongyang);
        let kwp: GlossaryTerm =
            serde_yaml::from_str("term: \"KWP\"\naliases: [\"ТПК\", \"c.\"]").unwrap();
        r.glossary.insert("kwp".into(), kwp);
        r
    }

    /// Each mention `recognizer` finds in `text`: its words there, and whose they are.
    fn found(recognizer: &Recognizer, text: &str) -> Vec<(String, String)> {
        recognizer
            .find(text)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.entity.id.to_string()))
            .collect()
    }

    fn ids(text: &str) -> Vec<(String, String)> {
        found(&Recognizer::new(&registers()).0, text)
    }

    fn pair(surface: &str, id: &str) -> (String, String) {
        (surface.to_string(), id.to_string())
    }

    /// Words as defined: runs of letters and digits (`char::is_alphanumeric`), with
    /// a hyphen between two such characters kept inside the word.
    fn reference_words(text: &str) -> Vec<(&str, usize)> {
        let mut words = Vec::new();
        let mut start: Option<usize> = None;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let joins = c == '-'
                && start.is_some()
                && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
            // Combining marks belong to their letter, but for the Cyrillic signs
            // U+0482-U+0489, which stand alone.
            let mark = is_combining_mark(c) && !('\u{482}'..='\u{489}').contains(&c);
            if c.is_alphanumeric() || mark || joins {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                words.push((&text[s..i], s));
            }
        }
        if let Some(s) = start {
            words.push((&text[s..], s));
        }
        words
    }

    #[test]
    fn words_and_normal_forms_read_bytes_as_the_characters_they_are() {
        let mut texts: Vec<String> = vec![
            "Ким Ир Сеном, Пэн Дэ-хуаем — и т.\u{a0}Микояну; Mikoyan's KWP-level".into(),
            "ЁЛКИ ёлки Ѐ ѐ Ђ ђ Ґ ґ Ӂ ӂ Ӿ ӿ \u{482}x \u{483}y а-\u{483} -a a- a--b 1956-09".into(),
            "Ärger ÖL ß İstanbul ΣΊΣΥΦΟΣ 中文字 한국어 ǅungla \u{2060}Пака\u{2060}".into(),
            "И\u{306}осиф Пе\u{308}тр Ле\u{301}нин Ж\u{306} O\u{308}l a\u{301}\u{483}".into(),
        ];
        // Every character of the Cyrillic blocks, upper and lower case, alone and
        // inside a word.
        let cyrillic: String = ('\u{400}'..='\u{52F}')
            .map(|c| format!("{c} x{c}y "))
            .collect();
        texts.push(cyrillic);
        for text in &texts {
            assert_eq!(words_of(text), reference_words(text), "{text}");
            for (word, _) in reference_words(text) {
                // As defined: composed (NFC), lower case, ё as е, letters of
                // other scripts than Cyrillic without their accents.
                let expected: String = word
                    .nfc()
                    .flat_map(char::to_lowercase)
                    .map(|c| if c == 'ё' { 'е' } else { c })
                    .flat_map(|c| {
                        if is_cyrillic(c) {
                            vec![c]
                        } else {
                            c.nfd().filter(|d| !is_combining_mark(*d)).collect()
                        }
                    })
                    .collect();
                assert_eq!(normalise(word), expected, "{word}");
            }
        }
    }

    #[test]
    fn declined_russian_names_resolve() {
        // Sentences from the seeds.
        assert_eq!(
            ids("Мы с тов. Пэн Дэ-хуаем в течение более 4 часов беседовали с тов. Ким Ир Сеном"),
            vec![
                pair("Пэн Дэ-хуаем", "peng-dehuai"),
                pair("Ким Ир Сеном", "kim-il-sung")
            ]
        );
        assert_eq!(
            ids("Что касается Цой Чан Ика исключенного из президиума ЦК"),
            vec![pair("Цой Чан Ика", "choe-chang-ik")]
        );
        assert_eq!(
            ids("расстрелял Пак Хен Ена"),
            vec![pair("Пак Хен Ена", "pak-heon-yeong")]
        );
        assert_eq!(
            ids("сказал Микояну"),
            vec![pair("Микояну", "anastas-mikoyan")]
        );
        assert_eq!(
            ids("с Пономаревым"),
            vec![pair("Пономаревым", "boris-ponomarev")]
        );
        assert_eq!(ids("Ким Ир Сену"), vec![pair("Ким Ир Сену", "kim-il-sung")]);
        assert_eq!(
            ids("Телеграммы т. Микояна А.И. из Пекина"),
            vec![pair("Микояна А.И", "anastas-mikoyan")]
        );
        assert_eq!(
            ids("Условились с т. Мао Цзе-дуном"),
            vec![pair("Мао Цзе-дуном", "mao-zedong")]
        );
        assert_eq!(
            ids("ошибки, допущенные августовским пленумом"),
            vec![pair("августовским пленумом", "august-plenum")]
        );
        assert_eq!(
            ids("прибытия в Пхеньян"),
            vec![pair("Пхеньян", "pyongyang")]
        );
    }

    #[test]
    fn a_word_that_is_also_a_declined_form_matches_both_ways() {
        let mut registers = registers();
        registers.people.insert(
            "kim-il-sung-ocr".into(),
            person("Kim OCR", &["Кимир Ур Сена"]),
        );
        let (recognizer, _) = Recognizer::new(&registers);
        let found = recognizer.find("визит Ким Ир Сена");
        assert_eq!(found.len(), 1);
        assert_eq!(&*found[0].entity.id, "kim-il-sung");
    }

    #[test]
    fn whole_words_only() {
        assert!(ids("Кимов Ир Сенов").is_empty());
        assert!(ids("Ким сказал").is_empty(), "Ким alone is not Kim Il Sung");
        assert!(ids("Микоянов").is_empty());
        assert!(ids("Maoist").is_empty());
    }

    #[test]
    fn english_forms_and_possessives() {
        assert_eq!(
            ids("Kim Il Sung's trip; Mao's view; Pak [Heon-yeong]."),
            vec![
                pair("Kim Il Sung", "kim-il-sung"),
                pair("Mao", "mao-zedong"),
                pair("Pak [Heon-yeong", "pak-heon-yeong")
            ]
        );
        assert_eq!(
            ids("Pak II-u and Kim II Sung"),
            vec![pair("Kim II Sung", "kim-il-sung")]
        );
        assert!(
            ids("the mao").is_empty(),
            "capitalised aliases need capitals"
        );
    }

    #[test]
    fn names_match_without_their_accents_and_abbreviations_in_the_plural() {
        let mut r = registers();
        r.people.insert(
            "dag-hammarskjold".into(),
            person("Dag Hammarskjöld", &["Hammarskjöld"]),
        );
        r.glossary.insert(
            "rok".into(),
            GlossaryTerm {
                term: "ROK".into(),
                expansion: Default::default(),
                aliases: vec![],
                description: None,
                extra: Default::default(),
            },
        );
        let (recognizer, _) = Recognizer::new(&r);
        let find = |text: &str| found(&recognizer, text);
        assert_eq!(
            find("Mr. Hammarskjold met the ROKs; the ROK's view; Hammarskj\u{6f}\u{308}ld."),
            vec![
                pair("Hammarskjold", "dag-hammarskjold"),
                pair("ROKs", "rok"),
                pair("ROK", "rok"),
                pair("Hammarskj\u{6f}\u{308}ld", "dag-hammarskjold"),
            ]
        );
        // Cyrillic keeps its marks: Й is not И.
        assert_eq!(normalise("Йосиф"), "йосиф");
        assert_ne!(normalise("Йосиф"), normalise("Иосиф"));
        // Typed decomposed (И and a combining breve, е and a diaeresis), the same
        // letters; a stress accent is not part of the word.
        assert_eq!(normalise("И\u{306}осиф"), "йосиф");
        assert_eq!(normalise("Андреи\u{306}"), "андрей");
        assert_eq!(normalise("Пе\u{308}тр"), "петр");
        assert_eq!(normalise("Ле\u{301}нин"), "ленин");
        assert_eq!(normalise("Hammarskjo\u{308}ld"), "hammarskjold");
        // A word in small letters is not an abbreviation.
        assert!(find("the roks").is_empty());
    }

    #[test]
    fn shared_aliases_are_reported_and_never_linked() {
        let (_, shared) = Recognizer::new(&registers());
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].alias, "Choe");
        assert!(ids("Choe said").is_empty());
    }

    #[test]
    fn an_alias_three_entries_share_is_reported_for_each_later_one() {
        let mut r = registers();
        r.people
            .insert("choe-third".into(), person("Choe Third", &["Choe"]));
        let (recognizer, shared) = Recognizer::new(&r);
        let claims: Vec<(&str, &str)> = shared
            .iter()
            .map(|s| (s.first.id.as_ref(), s.second.id.as_ref()))
            .collect();
        assert_eq!(claims.len(), 2, "{claims:?}");
        assert_eq!(
            claims[0].0, claims[1].0,
            "both against the first: {claims:?}"
        );
        assert!(found(&recognizer, "Choe said").is_empty());
    }

    #[test]
    fn one_letter_aliases_are_ignored_and_terms_match() {
        assert_eq!(
            ids("c. Mao, ТПК"),
            vec![pair("Mao", "mao-zedong"), pair("ТПК", "kwp")]
        );
    }

    #[test]
    fn a_newline_is_a_boundary() {
        assert!(ids("Ким Ир\nСен").is_empty());
    }

    #[test]
    fn longest_alias_wins() {
        assert_eq!(
            ids("Микоян А.И."),
            vec![pair("Микоян А.И", "anastas-mikoyan")]
        );
    }

    #[test]
    fn declension_rules() {
        assert!(declined_forms("сен").contains(&"сеном".to_string()));
        assert!(declined_forms("дэ-хуай").contains(&"дэ-хуаем".to_string()));
        assert!(declined_forms("ситникова").contains(&"ситниковой".to_string()));
        assert!(declined_forms("мао").is_empty());
        assert!(declined_forms("mikoyan").is_empty());
        assert!(declined_forms("августовский").contains(&"августовским".to_string()));
        assert!(declined_forms("трудовая").contains(&"трудовой".to_string()));
    }

    #[test]
    fn normal_forms() {
        assert_eq!(normalise("Ким Ир СЕНОМ"), "ким ир сеном");
        assert_eq!(normalise("Пётр Ёлкин"), "петр елкин");
        assert_eq!(normalise("Choe Yong-Geon"), "choe yong-geon");
        assert_eq!(normalise("Ǆemal"), "ǆemal");
    }

    #[test]
    fn words_keep_inner_hyphens_and_drop_punctuation() {
        let words: Vec<&str> = words_of("Пэн Дэ-хуай, c[omrade] - Mikoyan's")
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert_eq!(words, ["Пэн", "Дэ-хуай", "c", "omrade", "Mikoyan", "s"]);
    }

    #[test]
    fn a_mention_stops_at_the_edges_of_a_link_s_text() {
        // "Mao [Zedong](url) met Kim Il Sung": the link's text stands in the text
        // searched, between barriers, but no mention reaches into it.
        let (recognizer, _) = Recognizer::new(&registers());
        let text = "Mao Zedong met Kim Il Sung";
        let mentions: Vec<&str> = recognizer
            .find_within(text, &[4, 10])
            .iter()
            .map(|f| &text[f.start..f.end])
            .collect();
        assert_eq!(mentions, ["Mao", "Kim Il Sung"]);
    }

    #[test]
    fn a_name_before_a_hyphen_that_ends_the_text_is_found() {
        // A word cut at the end of a line ("Ким Ир Сен-") leaves its hyphen last.
        assert_eq!(ids("wrote to Mao-"), vec![pair("Mao", "mao-zedong")]);
    }

    #[test]
    fn an_entry_whose_name_has_no_words_is_never_found() {
        // An unidentified person, "?", or an alias of punctuation alone.
        let mut r = registers();
        r.people.insert("unknown".into(), person("?", &["[…]"]));
        let (recognizer, _) = Recognizer::new(&r);
        assert!(found(&recognizer, "said nobody").is_empty());
        assert_eq!(
            found(&recognizer, "? said Mao"),
            vec![pair("Mao", "mao-zedong")]
        );
    }

    #[test]
    fn a_register_of_a_single_word_finds_it() {
        let mut r = Registers::default();
        let pyongyang: Place = serde_yaml::from_str("name: \"Pyongyang\"").unwrap();
        r.places.insert("pyongyang".into(), pyongyang);
        let (recognizer, _) = Recognizer::new(&r);
        assert_eq!(
            found(&recognizer, "back in Pyongyang"),
            vec![pair("Pyongyang", "pyongyang")]
        );
    }

    #[test]
    fn thousands_of_names_in_a_register_are_told_apart() {
        // Words are numbered in seven bits a byte: past 128 words, and past 16,384,
        // two names must not come out as one (which would be a shared alias).
        let mut r = Registers::default();
        let template = person("Name", &[]);
        for n in 0..17_000 {
            let mut p = template.clone();
            p.name = format!("Name{n}");
            r.people.insert(format!("p{n}"), p);
        }
        let (recognizer, shared) = Recognizer::new(&r);
        assert!(shared.is_empty(), "{:?}", shared.first());
        assert_eq!(
            found(&recognizer, "Name3 wrote to Name131 and Name16389"),
            vec![
                pair("Name3", "p3"),
                pair("Name131", "p131"),
                pair("Name16389", "p16389")
            ]
        );
    }

    #[test]
    fn a_name_in_ya_declines_as_korea_does() {
        let mut r = registers();
        let korea: Place = serde_yaml::from_str("name: \"Korea\"\naliases: [\"Корея\"]").unwrap();
        r.places.insert("korea".into(), korea);
        let (recognizer, _) = Recognizer::new(&r);
        assert_eq!(
            found(&recognizer, "посольство в Корее, граница Кореи"),
            vec![pair("Корее", "korea"), pair("Кореи", "korea")]
        );
    }

    #[test]
    fn a_name_listed_in_small_letters_too_matches_in_small_letters() {
        // "Juche" and "juche": the register allows both, the text need not capitalise.
        let mut r = registers();
        let juche: GlossaryTerm =
            serde_yaml::from_str("term: \"Juche\"\naliases: [\"juche\"]").unwrap();
        r.glossary.insert("juche".into(), juche);
        let (recognizer, _) = Recognizer::new(&r);
        assert_eq!(
            found(&recognizer, "the juche idea"),
            vec![pair("juche", "juche")]
        );
    }

    #[test]
    fn a_name_in_quotation_marks_needs_its_capital_too() {
        let mut r = registers();
        let pravda: GlossaryTerm =
            serde_yaml::from_str("term: \"«Правда»\"\naliases: [\"Правда\"]").unwrap();
        r.glossary.insert("pravda".into(), pravda);
        let (recognizer, _) = Recognizer::new(&r);
        assert!(found(&recognizer, "это правда, сказал он").is_empty());
        assert_eq!(
            found(&recognizer, "в газете «Правда»"),
            vec![pair("Правда", "pravda")]
        );
    }

    #[test]
    fn only_abbreviations_take_a_plural_s() {
        // "the ROKs" are ROK; neither a name nor one with two capitals is an
        // abbreviation, so "the Maos" and "the MacArthurs" name no one.
        let mut r = registers();
        r.people.insert(
            "douglas-macarthur".into(),
            person("Douglas MacArthur", &["MacArthur"]),
        );
        let (recognizer, _) = Recognizer::new(&r);
        assert!(found(&recognizer, "the Maos and the MacArthurs").is_empty());
        assert_eq!(
            found(&recognizer, "MacArthur's"),
            vec![pair("MacArthur", "douglas-macarthur")]
        );
    }
}
