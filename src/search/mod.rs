//! Stage 3b, search: the index the search page's script reads, from the annotated
//! texts.
//!
//! Words are cut as recognition cuts them ([`crate::annotate::words_of`]), folded
//! (lower case, ё as е) and stemmed with the Snowball algorithm of their text's
//! language (rust-stemmers; the page stems a reader's query with the same
//! algorithms in JavaScript, `static/search/snowball.js`). Languages without a
//! stemmer on both sides are indexed as folded words.
//!
//! The index is split so that a query loads little: term files by the first two
//! letters of the stem (`search/terms/<hex>.js`), a catalogue of every document with
//! what filters need (`search/catalogue.js`, made by `render`), and one file per
//! document with its passages (`search/documents/<id>.js`, idem), loaded for the
//! results shown. Each file is a script that hands its data to the page
//! (`dossierSearch.put(...)`): scripts load from `file://`, where `fetch` may not.
//!
//! The term files are kept between runs: a document's terms are made again only when
//! its annotation changed, and a term file only when a term in it did.
//!
//! Not here: the search page and its script (templates/search.html,
//! static/search/search.js), the catalogue and document files (`render`).

use crate::annotate::{words_of, Annotated};
use crate::model::{AnnotatedDocument, Edition};
use rust_stemmers::{Algorithm, Stemmer};
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

    /// The terms of `text`, in order.
    pub(crate) fn terms(&self, text: &str) -> Vec<String> {
        words_of(text)
            .into_iter()
            .map(|(word, _)| {
                let folded = fold(word);
                match &self.0 {
                    Some(stemmer) => stemmer.stem(&folded).into_owned(),
                    None => folded,
                }
            })
            .collect()
    }
}

/// Which term file a stem is in: its first two characters, as hexadecimal UTF-8
/// (a file name any file system takes).
pub(crate) fn term_file(stem: &str) -> String {
    let prefix: String = stem.chars().take(2).collect();
    let mut name = String::with_capacity(prefix.len() * 2);
    for byte in prefix.bytes() {
        let _ = write!(name, "{byte:02x}");
    }
    name
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

/// A document's terms: each stem with the passages (numbered as [`passages`]) it
/// is in.
type Terms = BTreeMap<String, Vec<u32>>;

fn terms_of(document: &AnnotatedDocument) -> Terms {
    let mut terms: Terms = BTreeMap::new();
    let texts = document.texts.len();
    let mut stems: BTreeMap<&str, Stems> = BTreeMap::new();
    for (passage, (t, s)) in passages(document).enumerate() {
        let text = if t < texts {
            &document.texts[t]
        } else {
            &document.headnote
        };
        let stemmer = stems
            .entry(&text.lang)
            .or_insert_with(|| Stems::for_language(&text.lang));
        for term in stemmer.terms(text.segments[s].content.text()) {
            let list = terms.entry(term).or_default();
            if list.last() != Some(&(passage as u32)) {
                list.push(passage as u32);
            }
        }
    }
    terms
}

/// The term files of an edition, kept between runs.
#[derive(Default)]
pub(crate) struct SearchIndexer {
    /// Each document's terms, by id, with the annotation version they are of.
    documents: BTreeMap<String, (u64, Arc<Terms>)>,
    /// The documents in the order of the last run (their numbers in the files).
    order: Vec<String>,
    /// Stem → document number → passages, by term file.
    postings: BTreeMap<String, BTreeMap<String, BTreeMap<u32, Vec<u32>>>>,
    /// Each term file's text, with its fingerprint.
    files: BTreeMap<String, (Arc<String>, u64)>,
}

/// The term files of a run: file name (without `.js`) → text and fingerprint.
pub(crate) type TermFiles = BTreeMap<String, (Arc<String>, u64)>;

impl SearchIndexer {
    /// The term files of `edition`: documents are numbered in the edition's order
    /// (by id), as the catalogue numbers them.
    pub(crate) fn index(&mut self, edition: &Edition, annotated: &Annotated) -> &TermFiles {
        let order: Vec<String> = edition.documents.iter().map(|d| d.id.clone()).collect();
        let renumbered = order != self.order;
        let mut touched: BTreeSet<String> = BTreeSet::new();
        if renumbered {
            // Numbers moved: every file is made again, from each document's terms.
            self.postings.clear();
            touched.extend(self.files.keys().cloned());
        }
        let mut fresh: BTreeMap<String, (u64, Arc<Terms>)> = BTreeMap::new();
        let made: Vec<(usize, Arc<Terms>, Option<Arc<Terms>>)> = {
            use rayon::prelude::*;
            edition
                .documents
                .par_iter()
                .enumerate()
                .map(|(n, document)| {
                    let version = annotated.versions[n];
                    match self.documents.get(&document.id) {
                        Some((v, terms)) if *v == version => (n, Arc::clone(terms), None),
                        before => (
                            n,
                            Arc::new(terms_of(&annotated.documents[n])),
                            Some(before.map_or_else(Default::default, |b| Arc::clone(&b.1))),
                        ),
                    }
                })
                .collect()
        };
        for (n, terms, before) in made {
            let id = &order[n];
            let number = n as u32;
            match (renumbered, before) {
                (false, None) => {}
                (false, Some(before)) => {
                    for stem in before.keys() {
                        let file = term_file(stem);
                        if let Some(stems) = self.postings.get_mut(&file) {
                            if let Some(docs) = stems.get_mut(stem) {
                                docs.remove(&number);
                                if docs.is_empty() {
                                    stems.remove(stem);
                                }
                            }
                        }
                        touched.insert(file);
                    }
                    add(&mut self.postings, &mut touched, number, &terms);
                }
                (true, _) => add(&mut self.postings, &mut touched, number, &terms),
            }
            fresh.insert(id.clone(), (annotated.versions[n], terms));
        }
        self.documents = fresh;
        self.order = order;
        for file in touched {
            match self.postings.get(&file) {
                Some(stems) if !stems.is_empty() => {
                    let text = term_file_text(&file, stems);
                    let version = crate::fingerprint::of_bytes(text.as_bytes());
                    self.files.insert(file, (Arc::new(text), version));
                }
                _ => {
                    self.postings.remove(&file);
                    self.files.remove(&file);
                }
            }
        }
        &self.files
    }
}

fn add(
    postings: &mut BTreeMap<String, BTreeMap<String, BTreeMap<u32, Vec<u32>>>>,
    touched: &mut BTreeSet<String>,
    number: u32,
    terms: &Terms,
) {
    for (stem, passages) in terms {
        let file = term_file(stem);
        postings
            .entry(file.clone())
            .or_default()
            .entry(stem.clone())
            .or_default()
            .insert(number, passages.clone());
        touched.insert(file);
    }
}

/// `dossierSearch.put("terms/<file>", {"stem": [document, [passages], ...], ...})`.
fn term_file_text(file: &str, stems: &BTreeMap<String, BTreeMap<u32, Vec<u32>>>) -> String {
    let mut text = String::with_capacity(64 * stems.len());
    let _ = write!(text, "dossierSearch.put(\"terms/{file}\",{{");
    for (i, (stem, documents)) in stems.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::to_string(stem).expect("a string"));
        text.push_str(":[");
        for (j, (document, passages)) in documents.iter().enumerate() {
            if j > 0 {
                text.push(',');
            }
            let _ = write!(text, "{document},[");
            for (k, p) in passages.iter().enumerate() {
                if k > 0 {
                    text.push(',');
                }
                let _ = write!(text, "{p}");
            }
            text.push(']');
        }
        text.push(']');
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
    fn term_files_are_named_by_the_first_two_letters_in_hexadecimal() {
        assert_eq!(term_file("пхеньян"), "d0bfd185");
        assert_eq!(term_file("a"), "61");
        assert_eq!(term_file("convers"), "636f");
    }
}
