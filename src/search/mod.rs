//! Stage 3b, search: the index the search page's script reads, from the annotated
//! texts.
//!
//! Words are cut as recognition cuts them ([`crate::annotate::words_of`]), folded
//! (lower case, ё as е) and stemmed with the Snowball algorithm of their text's
//! language (rust-stemmers; the page stems a reader's query with the same
//! algorithms in JavaScript, `static/search/snowball.js`). Languages without a
//! stemmer on both sides are indexed as folded words.
//!
//! The index is split so that a query loads little: term files (`search/terms/
//! <n>.js`, a stem's file is its FNV-1a hash modulo their number) give each stem's
//! documents with how many passages hold it; a catalogue (`search/catalogue.js`,
//! made by `render`) gives each document's id and what filters count; and one file
//! per document (`search/documents/<id>.js`, idem) its title, date and passages,
//! loaded for the results shown, where the page finds the passages that match.
//! Numbers are written compactly ([`encode`]). Each file is a script that hands its
//! data to the page (`dossierSearch.put(...)`): scripts load from `file://`, where
//! `fetch` may not.
//!
//! The term files are kept between runs: a document's terms are made again only when
//! its annotation changed, and a term file only when a term in it did.
//!
//! Not here: the search page and its script (templates/search.html,
//! static/search/search.js), the catalogue and document files (`render`).

use crate::annotate::{words_of, Annotated};
use crate::model::{AnnotatedDocument, Edition};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

/// The Snowball algorithm of a language, by its code, where the search page has the
/// same algorithm (see `scripts/vendor-snowball`): its name there too.
pub(crate) fn algorithm(lang: &str) -> Option<(Algorithm, &'static str)> {
    match lang.split('-').next()? {
        "ru" => Some((Algorithm::Russian, "russian")),
        "en" => Some((Algorithm::English, "english")),
        _ => None,
    }
}

/// A word as the index holds it before stemming: lower case, ё as е.
pub(crate) fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// Stems words of one language (or folds them, for a language with no stemmer).
pub(crate) struct Stems(Option<Stemmer>);

impl Stems {
    pub(crate) fn for_language(lang: &str) -> Self {
        Self(algorithm(lang).map(|(a, _)| Stemmer::create(a)))
    }

    /// The stem of a folded word (the word itself without a stemmer).
    fn stem<'w>(&self, folded: &'w str) -> std::borrow::Cow<'w, str> {
        match &self.0 {
            Some(stemmer) => stemmer.stem(folded),
            None => std::borrow::Cow::Borrowed(folded),
        }
    }

    /// The terms of `text`, in order.
    #[cfg(test)]
    pub(crate) fn terms(&self, text: &str) -> Vec<String> {
        words_of(text)
            .into_iter()
            .map(|(word, _)| self.stem(&fold(word)).into_owned())
            .collect()
    }
}

/// Numbers as the search files write them: five bits a character, most
/// significant first, the last character of a number from the first half of
/// [`DIGITS`] and the others from the second, so numbers follow each other with
/// no separator ("0" is 0, "V" 31, "x0" 32 × 1 + 0 = 32).
pub(crate) fn encode(n: u64, out: &mut String) {
    let mut groups = [0u8; 13];
    let mut count = 0;
    let mut n = n;
    loop {
        groups[count] = (n & 31) as u8;
        count += 1;
        n >>= 5;
        if n == 0 {
            break;
        }
    }
    for i in (0..count).rev() {
        let digit = groups[i] + if i > 0 { 32 } else { 0 };
        out.push(DIGITS[digit as usize] as char);
    }
}

const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVwxyzabcdefghijklmnopqrstuv-_WXYZ";

/// The term file a stem is in, of `files`: FNV-1a (32 bits) of its UTF-8, modulo.
pub(crate) fn term_file(stem: &str, files: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in stem.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % files
}

/// The passages of a document as the search page numbers them: the segments of
/// each text in order, then those of the headnote.
pub(crate) fn passages(document: &AnnotatedDocument) -> impl Iterator<Item = (usize, usize)> + '_ {
    let texts = document.texts.len();
    (0..=texts).flat_map(move |t| {
        let text = if t < texts {
            &document.texts[t]
        } else {
            &document.headnote
        };
        (0..text.segments.len()).map(move |s| (t, s))
    })
}

/// A document's terms: each stem with the number of passages it is in.
type Terms = Vec<(Arc<str>, u32)>;

/// Stems by language and by word as written (so a word met before costs one
/// lookup, with no folding and no allocation).
type StemCache = FxHashMap<String, FxHashMap<Box<str>, Arc<str>>>;

thread_local! {
    /// Stems of words already stemmed on this thread: an edition repeats its
    /// words, and stemming is most of this stage's work.
    static STEMS: std::cell::RefCell<StemCache> = Default::default();
}

fn terms_of(document: &AnnotatedDocument) -> Terms {
    // Each distinct word once per passage, then each distinct word stemmed once.
    let mut words: FxHashMap<(&str, &str), (u32, u32)> = FxHashMap::default();
    let texts = document.texts.len();
    for (passage, (t, s)) in passages(document).enumerate() {
        let text = if t < texts {
            &document.texts[t]
        } else {
            &document.headnote
        };
        for (word, _) in words_of(text.segments[s].content.text()) {
            let entry = words.entry((&text.lang, word)).or_insert((u32::MAX, 0));
            if entry.0 != passage as u32 {
                *entry = (passage as u32, entry.1 + 1);
            }
        }
    }
    let mut stems: FxHashMap<Arc<str>, u32> = FxHashMap::default();
    let mut stemmers: BTreeMap<&str, Stems> = BTreeMap::new();
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        for ((lang, word), (_, passages)) in words {
            if !cache.contains_key(lang) {
                cache.insert(lang.to_string(), FxHashMap::default());
            }
            let known = cache.get_mut(lang).expect("made above");
            let stem = match known.get(word) {
                Some(stem) => Arc::clone(stem),
                None => {
                    let stemmer = stemmers
                        .entry(lang)
                        .or_insert_with(|| Stems::for_language(lang));
                    let stem: Arc<str> = Arc::from(stemmer.stem(&fold(word)).as_ref());
                    known.insert(Box::from(word), Arc::clone(&stem));
                    stem
                }
            };
            // A stem two words share (a word and its plural in one passage) may count
            // a passage twice: a small overcount, for ranking only.
            *stems.entry(stem).or_default() += passages;
        }
    });
    let mut terms: Terms = stems.into_iter().collect();
    terms.sort_unstable();
    terms
}

/// The term files of an edition, kept between runs.
#[derive(Default)]
pub(crate) struct SearchIndexer {
    /// Each document's terms, by id, with the annotation version they are of.
    documents: FxHashMap<String, (u64, Arc<Terms>)>,
    /// The documents in the order of the last run (their numbers in the files).
    order: Vec<String>,
    /// How many term files there are.
    count: u32,
    /// Each term file's stems.
    postings: Vec<FileStems>,
    /// Each term file's text, with its fingerprint, by name (its number).
    files: TermFiles,
    /// Whether each document's terms and each file's stems are kept for the next
    /// run (`serve`); a build that runs once makes the files without keeping them
    /// ([`Self::index_once`]).
    keep: bool,
}

/// A term file's stems, each with its documents: (document number, passages
/// holding the stem), by number.
type FileStems = FxHashMap<Arc<str>, Vec<(u32, u32)>>;

/// The term files of a run: file name (its number, without `.js`) → text and
/// fingerprint.
pub(crate) type TermFiles = BTreeMap<String, (Arc<String>, u64)>;

/// About how large a term file is made (the number of files is a power of two
/// that keeps them near this on average).
const TERM_FILE_BYTES: usize = 24 * 1024;

impl SearchIndexer {
    /// An indexer for a pipeline that runs again (and keeps what it needs to update
    /// the files), or once.
    pub(crate) fn new(runs_again: bool) -> Self {
        Self {
            keep: runs_again,
            ..Self::default()
        }
    }

    /// The term files of `edition`: documents are numbered in the edition's order
    /// (by id), as the catalogue numbers them.
    pub(crate) fn index(&mut self, edition: &Edition, annotated: &Annotated) -> &TermFiles {
        use rayon::prelude::*;
        if !edition.config.search {
            *self = Self::new(self.keep);
            return &self.files;
        }
        if !self.keep {
            self.index_once(annotated);
            return &self.files;
        }
        let order: Vec<String> = edition.documents.iter().map(|d| d.id.clone()).collect();
        let made: Vec<(Arc<Terms>, Option<Arc<Terms>>)> = edition
            .documents
            .par_iter()
            .enumerate()
            .map(|(n, document)| {
                let version = annotated.versions[n];
                match self.documents.get(&document.id) {
                    Some((v, terms)) if *v == version => (Arc::clone(terms), None),
                    before => (
                        Arc::new(terms_of(&annotated.documents[n])),
                        Some(before.map_or_else(Default::default, |b| Arc::clone(&b.1))),
                    ),
                }
            })
            .collect();
        let count = file_count(made.iter().map(|(terms, _)| terms.len()).sum());
        // The first run, or stems moved to other files: every file is made anew.
        let whole = self.order.is_empty() || count != self.count;
        let mut touched: BTreeSet<u32> = BTreeSet::new();
        if whole {
            self.postings = vec![FxHashMap::default(); count as usize];
            self.files.clear();
            self.documents.clear();
            touched.extend(0..count);
        } else if order != self.order {
            // Documents came or went: the numbers after them move (every file is
            // written again), and what the index holds is renumbered in place
            // rather than made anew; those that came are put in below.
            self.renumber(&order);
            touched.extend(0..count);
        }
        self.count = count;
        for (n, (terms, before)) in made.into_iter().enumerate() {
            let number = n as u32;
            if whole {
                // Documents come in order: each list stays sorted.
                for (stem, passages) in terms.iter() {
                    let file = term_file(stem, count);
                    self.postings[file as usize]
                        .entry(Arc::clone(stem))
                        .or_default()
                        .push((number, *passages));
                }
            } else {
                let Some(before) = before else { continue };
                // Only the stems whose count for this document moved: an edit of a
                // few words touches a few files.
                for (stem, passages) in changes(&before, &terms) {
                    let file = term_file(stem, count);
                    let stems = &mut self.postings[file as usize];
                    let docs = stems.entry(Arc::clone(stem)).or_default();
                    let at = docs.binary_search_by_key(&number, |d| d.0);
                    match (passages, at) {
                        (Some(passages), Ok(at)) => docs[at].1 = passages,
                        (Some(passages), Err(at)) => docs.insert(at, (number, passages)),
                        (None, Ok(at)) => {
                            docs.remove(at);
                        }
                        (None, Err(_)) => {}
                    }
                    if docs.is_empty() {
                        stems.remove(stem);
                    }
                    touched.insert(file);
                }
            }
            self.documents
                .insert(order[n].clone(), (annotated.versions[n], terms));
        }
        self.order = order;
        let texts: Vec<(u32, String)> = touched
            .into_par_iter()
            .map(|file| (file, term_file_text(file, &self.postings[file as usize])))
            .collect();
        self.take_files(texts);
        &self.files
    }

    /// Takes in term files made, each by number, with its fingerprint.
    fn take_files(&mut self, texts: impl IntoIterator<Item = (u32, String)>) {
        for (file, text) in texts {
            let version = crate::fingerprint::of_bytes(text.as_bytes());
            self.files
                .insert(file.to_string(), (Arc::new(text), version));
        }
    }

    /// The term files made in one pass that keeps no document's terms (a build
    /// that runs once): documents a slice at a time, each slice's stems gathered
    /// as they come, so that only a slice's terms are held at once (all of them
    /// were 300 MB at 100,000 documents). Writes what the first run of
    /// [`Self::index`] writes; a next run makes every file anew.
    fn index_once(&mut self, annotated: &Annotated) {
        use rayon::prelude::*;
        const SLICE: usize = 2048;
        let mut stems: FxHashMap<Arc<str>, Vec<(u32, u32)>> = FxHashMap::default();
        let mut postings = 0;
        for (s, slice) in annotated.documents.chunks(SLICE).enumerate() {
            let terms: Vec<Terms> = slice.par_iter().map(|d| terms_of(d)).collect();
            for (k, terms) in terms.into_iter().enumerate() {
                let number = (s * SLICE + k) as u32;
                postings += terms.len();
                for (stem, passages) in terms {
                    // Documents come in order: each list stays sorted.
                    stems.entry(stem).or_default().push((number, passages));
                }
            }
        }
        let count = file_count(postings);
        let mut files: Vec<FileStems> = vec![FxHashMap::default(); count as usize];
        for (stem, documents) in stems {
            files[term_file(&stem, count) as usize].insert(stem, documents);
        }
        let texts: Vec<(u32, String)> = files
            .par_iter()
            .enumerate()
            .map(|(file, stems)| (file as u32, term_file_text(file as u32, stems)))
            .collect();
        *self = Self::new(false);
        self.take_files(texts);
    }
}

/// How many term files `postings` (document, stem) pairs take: about three bytes
/// each, in files near TERM_FILE_BYTES, a power of two so that it moves seldom.
fn file_count(postings: usize) -> u32 {
    (postings * 3 / TERM_FILE_BYTES).next_power_of_two().max(1) as u32
}

impl SearchIndexer {
    /// Moves the documents' numbers from the last run's order to `order` (both by
    /// id), dropping those gone, with their terms.
    fn renumber(&mut self, order: &[String]) {
        let mut moved: Vec<Option<u32>> = vec![None; self.order.len()];
        let (mut i, mut j) = (0, 0);
        while i < self.order.len() && j < order.len() {
            match self.order[i].cmp(&order[j]) {
                std::cmp::Ordering::Equal => {
                    moved[i] = Some(j as u32);
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        for (old, id) in self.order.iter().enumerate() {
            if moved[old].is_none() {
                self.documents.remove(id);
            }
        }
        for stems in &mut self.postings {
            for docs in stems.values_mut() {
                // Both orders are by id: numbers stay in order.
                docs.retain_mut(|(document, _)| match moved[*document as usize] {
                    Some(new) => {
                        *document = new;
                        true
                    }
                    None => false,
                });
            }
            stems.retain(|_, docs| !docs.is_empty());
        }
    }
}

/// The stems whose count differs between two versions of a document's terms (both
/// sorted): the new count, or None for a stem gone.
fn changes<'t>(before: &'t Terms, after: &'t Terms) -> Vec<(&'t Arc<str>, Option<u32>)> {
    let (mut i, mut j) = (0, 0);
    let mut changed = Vec::new();
    while i < before.len() || j < after.len() {
        match (before.get(i), after.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                if a.1 != b.1 {
                    changed.push((&b.0, Some(b.1)));
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                changed.push((&a.0, None));
                i += 1;
            }
            (Some(a), None) => {
                changed.push((&a.0, None));
                i += 1;
            }
            (_, Some(b)) => {
                changed.push((&b.0, Some(b.1)));
                j += 1;
            }
            (None, None) => unreachable!("the loop stops first"),
        }
    }
    changed
}

/// `dossierSearch.put("terms/<n>", {"stem": "<document>...", ...})`: each stem's
/// documents in order, each as one [`encode`]d number: the gap from the document
/// before, times four, plus the number of its passages holding the stem (3 for
/// three or more, enough to rank by). Most documents then take one character.
fn term_file_text(file: u32, stems: &FileStems) -> String {
    let mut sorted: Vec<_> = stems.iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let room: usize = sorted.iter().map(|(s, d)| s.len() + 6 + 3 * d.len()).sum();
    let mut text = String::with_capacity(room + 32);
    let _ = write!(text, "dossierSearch.put(\"terms/{file}\",{{");
    for (i, (stem, documents)) in sorted.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::to_string(&**stem).expect("a string"));
        text.push_str(":\"");
        let mut previous = 0;
        for &(document, passages) in documents {
            let gap = u64::from(document - previous);
            encode(gap << 2 | u64::from(passages.min(3)), &mut text);
            previous = document;
        }
        text.push('"');
    }
    text.push_str("});\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_stemmed_by_their_language() {
        let ru = Stems::for_language("ru");
        assert_eq!(
            ru.terms("Делегация, делегации: делегацией!"),
            ["делегац", "делегац", "делегац"]
        );
        // Snowball takes the -ян of a foreign name for an ending in some cases and
        // not in others: names are found in all their cases through the register
        // (the search page matches a query with the names of its entries).
        assert_eq!(ru.terms("Пхеньян Пхеньяне"), ["пхенья", "пхеньян"]);
        assert_eq!(ru.terms("новый новой новые"), ["нов", "нов", "нов"]);
        // ё is е, before stemming.
        assert_eq!(ru.terms("ещё"), ru.terms("еще"));
        let en = Stems::for_language("en");
        assert_eq!(
            en.terms("Conversations conversation"),
            ["convers", "convers"]
        );
        // A hyphenated name is one word, as recognition reads it.
        assert_eq!(en.terms("Choe Yong-geon's"), ["choe", "yong-geon", "s"]);
        // A language without a stemmer on both sides: folded words.
        let ko = Stems::for_language("ko");
        assert_eq!(ko.terms("Kim Il Sung's"), ["kim", "il", "sung", "s"]);
        assert_eq!(algorithm("en-GB").map(|a| a.1), Some("english"));
    }

    #[test]
    fn numbers_are_written_five_bits_a_character() {
        let written = |ns: &[u64]| {
            let mut out = String::new();
            for &n in ns {
                encode(n, &mut out);
            }
            out
        };
        assert_eq!(written(&[0]), "0");
        assert_eq!(written(&[31]), "V");
        assert_eq!(written(&[32]), "x0");
        assert_eq!(written(&[0, 5, 1025]), "05xw1");
        assert_eq!(written(&[u64::from(u32::MAX)]), "zZZZZZV");
    }

    #[test]
    fn a_stem_is_in_the_file_of_its_hash() {
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(term_file("a", 1 << 16), 0x292c);
        assert_eq!(term_file("anything", 1), 0);
    }
}
