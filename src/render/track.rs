//! What each output of the site was made from, so that it is made again only when
//! that changed.
//!
//! Outputs read the edition only through a [`super::sources::Reader`], which notes
//! every [`Read`]: a document, an annotation, a register entry, an entry's passages,
//! the site's settings, a template... A read has a version (a fingerprint of what it
//! returned), and [`Records`] keep, for every output on disk, what it read, and for
//! every read, its version then and the outputs that made it. After a change, the
//! reads whose version moved name the outputs to make again, and nothing else is
//! made. A new kind of output is incremental by the same means, with no code of its
//! own for updates: what it reads is what it depends on.
//!
//! (salsa, rust-analyzer's engine, at its smallest: dependencies recorded as they are
//! read, a version per input instead of revisions.)

use crate::model::EntityKind;
use rustc_hash::FxHashMap;
use std::collections::HashSet;

/// Something an output read, by key (see [`Keys`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Read {
    /// The site's settings, navigation and link style.
    Settings,
    /// A template, by name key.
    Template(u32),
    /// The templates no page names as its own (the base, partials, macros).
    SharedTemplates,
    /// A document's files: everything it holds.
    Document(u32),
    /// A document's texts, annotated.
    Annotation(u32),
    /// The documents before and after one by date.
    Neighbours(u32),
    /// The entries a document names.
    Named(u32),
    /// What the search index's filters show of a document.
    SearchFacets(u32),
    /// Every document by date (as lists show them).
    Chronology,
    /// A register entry, by entity key.
    Entry(u32),
    /// Every entry of a register.
    Register(EntityKind),
    /// The documents naming an entry, with the passages.
    Occurrences(u32),
    /// The documents naming an entry (without the passages).
    Naming(u32),
    /// How many documents name an entry.
    Count(u32),
    /// The people most often named with a person.
    CoOccurring(u32),
    /// The events a person took part in.
    EventsOf(u32),
    /// The tags with the number of their documents.
    Tags,
    /// A tag's documents.
    Tag(u32),
    /// A free page: its title and its annotated text.
    FreePage(u32),
    /// The home page's introduction, annotated.
    Introduction,
    /// An asset of the theme, by path key.
    Asset(u32),
    /// A term file of the search index, by name key.
    TermFile(u32),
    /// How many term files the search index has.
    TermFileCount,
    /// A file of a document's bundle, by path key.
    BundleFile(u32),
    /// Every document, its annotation and what it names.
    AllDocuments,
    /// How many pages each entry's page takes.
    EntryPages,
    /// How many documents the edition has.
    DocumentCount,
    /// A page's worth of the documents by date, by page.
    ChronologyPage(u32),
}

/// Small numbers for the names reads and outputs go by (document ids, entities,
/// tags, paths): the same name gets the same number for as long as the pipeline
/// lives.
#[derive(Debug)]
pub(crate) struct Keys<T> {
    numbers: FxHashMap<T, u32>,
    names: Vec<T>,
}

impl<T> Default for Keys<T> {
    fn default() -> Self {
        Self {
            numbers: FxHashMap::default(),
            names: Vec::new(),
        }
    }
}

impl<T: std::hash::Hash + Eq + Clone> Keys<T> {
    pub(super) fn key(&mut self, name: &T) -> u32 {
        if let Some(&k) = self.numbers.get(name) {
            return k;
        }
        let k = self.names.len() as u32;
        self.numbers.insert(name.clone(), k);
        self.names.push(name.clone());
        k
    }

    pub(super) fn name(&self, key: u32) -> &T {
        &self.names[key as usize]
    }
}

impl<T> Keys<T>
where
    T: std::hash::Hash + Eq + Clone + std::borrow::Borrow<str> + for<'s> From<&'s str>,
{
    /// [`Keys::key`] of a `&str`, copied only when it is new.
    pub(super) fn key_str(&mut self, name: &str) -> u32 {
        match self.numbers.get(name) {
            Some(&k) => k,
            None => self.key(&T::from(name)),
        }
    }
}

/// For every output on disk, what it read; for every read, its version when last
/// read and the outputs that read it; and each output's contents' fingerprint.
#[derive(Debug, Default)]
pub(crate) struct Records {
    /// Output (path key) → its reads and the fingerprint of its contents.
    outputs: FxHashMap<u32, Made>,
    /// Read → its version, and the outputs (path keys) that read it.
    reads: FxHashMap<Read, (u64, Vec<u32>)>,
}

/// An output as made: what it read, at which versions, and its contents'
/// fingerprint.
#[derive(Debug, Clone)]
pub(crate) struct Made {
    pub reads: Vec<(Read, u64)>,
    pub fingerprint: u64,
}

impl Records {
    pub(super) fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }

    pub(super) fn outputs(&self) -> impl Iterator<Item = u32> + '_ {
        self.outputs.keys().copied()
    }

    pub(super) fn made(&self, output: u32) -> Option<&Made> {
        self.outputs.get(&output)
    }

    /// The outputs that read something whose version is no longer what it was
    /// (`version` gives the version now; `None`: the thing is gone).
    pub(super) fn stale(&self, version: impl Fn(Read) -> Option<u64> + Sync) -> HashSet<u32> {
        use rayon::prelude::*;
        let reads: Vec<(&Read, &(u64, Vec<u32>))> = self.reads.iter().collect();
        reads
            .par_iter()
            .filter(|(read, (was, _))| version(**read) != Some(*was))
            .flat_map_iter(|(_, (_, outputs))| outputs.iter().copied())
            .collect()
    }

    /// Takes in what a run made: `made` outputs (with what they read, at which
    /// versions) replace what they were; `removed` ones are forgotten.
    pub(super) fn commit(
        &mut self,
        made: Vec<(u32, Made)>,
        removed: impl IntoIterator<Item = u32>,
    ) {
        for output in removed {
            if let Some(old) = self.outputs.remove(&output) {
                self.forget(output, &old.reads);
            }
        }
        for (output, record) in made {
            if let Some(old) = self.outputs.remove(&output) {
                self.forget(output, &old.reads);
            }
            for &(read, version) in &record.reads {
                let entry = self.reads.entry(read).or_insert((version, Vec::new()));
                entry.0 = version;
                entry.1.push(output);
            }
            self.outputs.insert(output, record);
        }
    }

    fn forget(&mut self, output: u32, reads: &[(Read, u64)]) {
        for (read, _) in reads {
            if let Some((_, outputs)) = self.reads.get_mut(read) {
                outputs.retain(|&o| o != output);
                if outputs.is_empty() {
                    self.reads.remove(read);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_is_stale_when_something_it_read_moved() {
        let mut records = Records::default();
        let made = |reads: Vec<(Read, u64)>| Made {
            reads,
            fingerprint: 0,
        };
        records.commit(
            vec![
                (1, made(vec![(Read::Settings, 10), (Read::Document(7), 70)])),
                (2, made(vec![(Read::Settings, 10), (Read::Chronology, 5)])),
            ],
            [],
        );
        let now = |document: u64| {
            move |read: Read| match read {
                Read::Settings => Some(10),
                Read::Document(7) => Some(document),
                Read::Chronology => Some(5),
                _ => None,
            }
        };
        assert!(records.stale(now(70)).is_empty());
        assert_eq!(records.stale(now(71)), HashSet::from([1]));
        // Made again: it read the new version; output 2 gone.
        records.commit(vec![(1, made(vec![(Read::Document(7), 71)]))], [2]);
        assert!(records.stale(now(71)).is_empty());
        assert_eq!(records.outputs().count(), 1);
        assert!(!records.reads.contains_key(&Read::Chronology));
        assert!(!records.reads.contains_key(&Read::Settings));
    }
}
