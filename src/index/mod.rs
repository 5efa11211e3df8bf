//! Stage 3, index: what needs the whole edition at once.
//!
//! Orders documents by date and finds their neighbours; collects, for every register
//! entry, the documents and passages that name it; for every document, the entries it
//! names; which people are named together; tags. Takes the loaded and annotated
//! edition and returns a [`SiteIndex`]; renders nothing.
//!
//! Not here: anything per text (that is `annotate`).

use crate::annotate::Annotated;
use crate::model::{
    exactly, AnnotatedDocument, Document, DocumentRole, Edition, EntityKind, EntityRef, Occurrence,
    Part, Passage, Registers, SiteIndex,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The index of an edition as last made, so that indexing it again after an edit of
/// a few documents takes out what the index held of them and puts in what they are
/// now, instead of going over every document.
#[derive(Default)]
pub(crate) struct Indexer {
    last: Option<Last>,
    /// Whether the passages' versions are wanted (by a pipeline that runs again).
    versions: bool,
}

/// What the last index was made from.
struct Last {
    registers: u64,
    documents: Vec<Arc<Document>>,
    annotated: Vec<Arc<AnnotatedDocument>>,
    versions: Vec<(u64, u64)>,
    index: SiteIndex,
}

impl Indexer {
    /// An indexer for a pipeline that runs again (and compares versions), or once.
    pub(crate) fn new(runs_again: bool) -> Self {
        Self {
            last: None,
            versions: runs_again,
        }
    }

    /// The index of `edition`. Under the same registers, when only a few
    /// documents came, went or changed (their files or their annotation), the last
    /// index is updated for those alone.
    pub(crate) fn index(&mut self, edition: &Edition, annotated: &Annotated) -> &SiteIndex {
        let registers = edition.registers.version();
        let documents = &edition.documents;
        // What the index reads of a document: its metadata (in its files) and its
        // annotation.
        let versions: Vec<(u64, u64)> = documents
            .iter()
            .zip(&annotated.versions)
            .map(|(d, &a)| (d.fingerprint, a))
            .collect();
        let with_versions = self.versions;
        let plan = self
            .last
            .as_ref()
            .filter(|last| last.registers == registers)
            .map(|last| Plan::between(&last.documents, documents, &last.versions, &versions))
            // Past a few, redoing the whole index costs less than updating it.
            .filter(|plan| plan.len() <= 32.max(documents.len() / 16));
        match (plan, &mut self.last) {
            (Some(plan), Some(last)) => {
                plan.apply(last, edition, annotated, with_versions);
                last.documents = documents.clone();
                last.annotated = annotated.documents.clone();
                last.versions = versions;
            }
            _ => {
                self.last = Some(Last {
                    registers,
                    documents: documents.clone(),
                    annotated: annotated.documents.clone(),
                    versions,
                    index: index(edition, annotated, with_versions),
                })
            }
        }
        &self.last.as_ref().expect("made above").index
    }
}

/// How the last index becomes the index of the edition now: which documents went
/// (by old position), came (by new position) or changed (by new position, with the
/// old one), and where each old position stands now.
struct Plan {
    old_to_new: Vec<Option<usize>>,
    removed: Vec<usize>,
    added: Vec<usize>,
    changed: Vec<(usize, usize)>,
}

impl Plan {
    /// Documents are in id order in both lists: one walk matches them.
    fn between(
        old: &[Arc<Document>],
        new: &[Arc<Document>],
        old_versions: &[(u64, u64)],
        new_versions: &[(u64, u64)],
    ) -> Plan {
        let mut plan = Plan {
            old_to_new: vec![None; old.len()],
            removed: Vec::new(),
            added: Vec::new(),
            changed: Vec::new(),
        };
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < new.len() {
            match (old.get(i), new.get(j)) {
                (Some(a), Some(b)) if a.id == b.id => {
                    plan.old_to_new[i] = Some(j);
                    if old_versions[i] != new_versions[j] {
                        plan.changed.push((i, j));
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.id < b.id => {
                    plan.removed.push(i);
                    i += 1;
                }
                (Some(_), None) => {
                    plan.removed.push(i);
                    i += 1;
                }
                _ => {
                    plan.added.push(j);
                    j += 1;
                }
            }
        }
        plan
    }

    fn len(&self) -> usize {
        self.removed.len() + self.added.len() + self.changed.len()
    }

    fn apply(self, last: &mut Last, edition: &Edition, annotated: &Annotated, versions: bool) {
        let registers = &edition.registers;
        let index = &mut last.index;
        for &r in &self.removed {
            let before = entries_named(&last.documents[r], &last.annotated[r], registers);
            take_out(index, r, &before);
        }
        let moved = !self.removed.is_empty() || !self.added.is_empty();
        if moved {
            renumber(index, &self.old_to_new, edition.documents.len());
        }
        let mut reordered = moved;
        for &(old, new) in &self.changed {
            let before = entries_named(&last.documents[old], &last.annotated[old], registers);
            take_out(index, new, &before);
            let (a, b) = (&last.documents[old].meta, &edition.documents[new].meta);
            reordered |= a.date != b.date || a.tags != b.tags;
        }
        if reordered {
            // Orders are redone whole: a sort of dates and ids.
            let fresh = orders(edition);
            index.by_date = fresh.0;
            index.neighbours = fresh.1;
            index.by_year = fresh.2;
            index.tags = fresh.3;
        }
        let rank = ranks(index);
        for doc in self.changed.iter().map(|&(_, new)| new).chain(self.added) {
            put_in(index, edition, annotated, doc, &rank, versions);
        }
    }
}

/// Each document's place in the order by date.
fn ranks(index: &SiteIndex) -> Vec<usize> {
    let mut rank = vec![0usize; index.by_date.len()];
    for (r, &d) in index.by_date.iter().enumerate() {
        rank[d] = r;
    }
    rank
}

/// Moves what the index holds of each document to its new position.
fn renumber(index: &mut SiteIndex, old_to_new: &[Option<usize>], count: usize) {
    for list in index.occurrences.values_mut() {
        for o in list.iter_mut() {
            o.document = old_to_new[o.document].expect("documents gone were taken out");
        }
    }
    let mut entities = vec![Vec::new(); count];
    let mut versions = vec![0; count];
    for (old, new) in old_to_new.iter().enumerate() {
        if let Some(new) = new {
            entities[*new] = std::mem::take(&mut index.document_entities[old]);
            versions[*new] = index.document_entities_versions[old];
        }
    }
    index.document_entities = entities;
    index.document_entities_versions = versions;
}

/// The index of `edition`; with `versions`, each occurrence's passages get a
/// fingerprint (see [`Occurrence::version`]), else 0.
pub(crate) fn index(edition: &Edition, annotated: &Annotated, versions: bool) -> SiteIndex {
    let documents = &edition.documents;
    let (by_date, neighbours, by_year, tags) = orders(edition);

    // What each document names is independent of the others: found in parallel, then
    // merged in date order, so that every entry's documents come out by date. A
    // slice of documents at a time: what is found is larger than what is kept
    // (each document's map of entries), and all of it at once was a peak of its own.
    let mut occurrences: BTreeMap<EntityRef, Vec<Occurrence>> = BTreeMap::new();
    let mut document_entities = vec![Vec::new(); documents.len()];
    for slice in by_date.chunks(2048) {
        let per_document: Vec<_> = slice
            .par_iter()
            .map(|&doc| {
                let entities = entities_of(edition, doc, &annotated.documents[doc]);
                let roles = edition.documents[doc].roles(&edition.registers);
                let mut named: Vec<EntityRef> = entities.keys().cloned().collect();
                named.sort_by_cached_key(|e| (e.kind, sort_key(edition, e)));
                let versions = if versions {
                    passage_versions(&annotated.documents[doc], &entities)
                } else {
                    vec![0; entities.len()]
                };
                (doc, entities, named, versions, roles)
            })
            .collect();
        for (doc, entities, named, versions, mut roles) in per_document {
            for ((entity, passages), version) in entities.into_iter().zip(versions) {
                let roles = roles_of(&mut roles, &entity);
                occurrences.entry(entity).or_default().push(Occurrence {
                    document: doc,
                    // Most hold one or two: a vector grown for them has room for four.
                    passages: exactly(passages).into_boxed_slice(),
                    roles: exactly(roles).into_boxed_slice(),
                    version,
                });
            }
            document_entities[doc] = named;
        }
    }
    for list in occurrences.values_mut() {
        *list = exactly(std::mem::take(list));
    }

    let (pair_counts, co_occurring) = pairs(&document_entities);
    let document_entities_versions = document_entities
        .iter()
        .map(crate::fingerprint::of)
        .collect();
    SiteIndex {
        co_occurring,
        pair_counts,
        events_of_person: events_of_person(edition),
        by_date,
        neighbours,
        by_year,
        tags,
        occurrences,
        document_entities,
        document_entities_versions,
    }
}

/// For each entry a document names (in the order of `entities`), a fingerprint of
/// its passages: where they are, and the blocks they are in, whose words the entry's
/// page shows.
fn passage_versions(
    annotated: &AnnotatedDocument,
    entities: &BTreeMap<EntityRef, Vec<Passage>>,
) -> Vec<u64> {
    use crate::fingerprint::Fingerprinter;
    // Each block once, however many passages it holds.
    let mut blocks: rustc_hash::FxHashMap<(Part, u32, u32, Option<u32>), u64> = Default::default();
    // Pages pair passages by row: a row that changed changes the page.
    let rows = annotated.rows_of_segments();
    entities
        .values()
        .map(|passages| {
            let mut f = Fingerprinter::new();
            for p in passages {
                let (text, mention) = p.resolve(annotated);
                if p.part == Part::Text {
                    f.add(&rows[p.text as usize].get(mention.segment as usize));
                }
                let block = (p.part, p.text, mention.segment, mention.footnote);
                let version = *blocks
                    .entry(block)
                    .or_insert_with(|| match mention.footnote {
                        Some(note) => crate::fingerprint::of(
                            &text.footnotes.get(note as usize).map(|n| &n.content),
                        ),
                        None => crate::fingerprint::of(
                            &text
                                .segments
                                .get(mention.segment as usize)
                                .map(|s| &s.content),
                        ),
                    });
                f.add(&(block, p.mention, &text.lang, version));
            }
            f.finish()
        })
        .collect()
}

/// Takes out of the index what it holds of document `doc` (`before`: the entries
/// the index knew it to name), for a document gone or about to be put in again.
/// Costs what the document names, not what the edition holds.
fn take_out(index: &mut SiteIndex, doc: usize, before: &BTreeMap<EntityRef, Vec<Passage>>) {
    for entity in before.keys() {
        if let Some(list) = index.occurrences.get_mut(entity) {
            list.retain(|o| o.document != doc);
            if list.is_empty() {
                index.occurrences.remove(entity);
            }
        }
    }
    let people = people_of(before.keys());
    add_pairs(&mut index.pair_counts, &people, -1);
    count_again(index, &people);
    if let Some(named) = index.document_entities.get_mut(doc) {
        named.clear();
    }
}

/// Puts document `doc` into the index (after [`take_out`], or new), its
/// occurrences in date order (`rank`: each document's place in it).
fn put_in(
    index: &mut SiteIndex,
    edition: &Edition,
    annotated: &Annotated,
    doc: usize,
    rank: &[usize],
    with_versions: bool,
) {
    let now = entities_of(edition, doc, &annotated.documents[doc]);
    let mut roles = edition.documents[doc].roles(&edition.registers);
    let versions = if with_versions {
        passage_versions(&annotated.documents[doc], &now)
    } else {
        vec![0; now.len()]
    };
    for ((entity, passages), version) in now.iter().zip(versions) {
        let list = index.occurrences.entry(entity.clone()).or_default();
        let at = list.partition_point(|o| rank[o.document] < rank[doc]);
        list.insert(
            at,
            Occurrence {
                document: doc,
                passages: passages.as_slice().into(),
                roles: exactly(roles_of(&mut roles, entity)).into_boxed_slice(),
                version,
            },
        );
    }
    let people = people_of(now.keys());
    add_pairs(&mut index.pair_counts, &people, 1);
    count_again(index, &people);
    let mut named: Vec<EntityRef> = now.into_keys().collect();
    named.sort_by_cached_key(|e| (e.kind, sort_key(edition, e)));
    index.document_entities_versions[doc] = crate::fingerprint::of(&named);
    index.document_entities[doc] = named;
}

/// The people named with each of `people`, from the pair counts.
fn count_again(index: &mut SiteIndex, people: &BTreeSet<&str>) {
    for person in people {
        let list = sorted_counts(index.pair_counts.get(*person));
        if list.is_empty() {
            index.co_occurring.remove(*person);
        } else {
            index.co_occurring.insert(person.to_string(), list);
        }
    }
}

type Orders = (
    Vec<usize>,
    Vec<(Option<usize>, Option<usize>)>,
    BTreeMap<i32, Vec<usize>>,
    BTreeMap<String, Vec<usize>>,
);

/// Documents by date, each one's neighbours, by year, by tag.
fn orders(edition: &Edition) -> Orders {
    let documents = &edition.documents;
    let mut by_date: Vec<usize> = (0..documents.len()).collect();
    by_date.sort_by(|&a, &b| {
        (documents[a].meta.date, &documents[a].id).cmp(&(documents[b].meta.date, &documents[b].id))
    });
    let mut neighbours = vec![(None, None); documents.len()];
    for (rank, &doc) in by_date.iter().enumerate() {
        let previous = rank.checked_sub(1).map(|r| by_date[r]);
        let next = by_date.get(rank + 1).copied();
        neighbours[doc] = (previous, next);
    }
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &doc in &by_date {
        by_year
            .entry(documents[doc].meta.date.year)
            .or_default()
            .push(doc);
        for tag in &documents[doc].meta.tags {
            tags.entry(tag.clone()).or_default().push(doc);
        }
    }
    (by_date, neighbours, by_year, tags)
}

fn people_of<'a>(entities: impl Iterator<Item = &'a EntityRef>) -> BTreeSet<&'a str> {
    entities
        .filter(|e| e.kind == EntityKind::Person)
        .map(|e| &*e.id)
        .collect()
}

/// The most people a document may name for them to count as named together (for
/// "most often in the same documents"). A document naming more is a list of names
/// (a roll call, a register), which says little about who acted with whom, and its
/// pairs grow with the square of its names: 7,000 names made 24 million pairs and
/// took 4.6 GB.
pub(crate) const MAX_NAMED_TOGETHER: usize = 200;

fn add_pairs(counts: &mut PairCounts, people: &BTreeSet<&str>, delta: isize) {
    // Keys are made only for pairs not counted yet: a full build passes here for
    // every pair of people of every document.
    for &a in people {
        if !counts.contains_key(a) {
            counts.insert(a.to_string(), BTreeMap::new());
        }
        if people.len() > MAX_NAMED_TOGETHER {
            continue;
        }
        let row = counts.get_mut(a).expect("inserted above");
        for &b in people {
            if a == b {
                continue;
            }
            match row.get_mut(b) {
                Some(count) => {
                    *count = count.saturating_add_signed(delta);
                    if *count == 0 {
                        row.remove(b);
                    }
                }
                None if delta > 0 => {
                    row.insert(b.to_string(), delta.unsigned_abs());
                }
                None => {}
            }
        }
    }
}

/// The entries a document names, each with the passages naming it: mentions in its
/// texts and headnote, and the ids its front matter lists.
fn entities_of(
    edition: &Edition,
    doc: usize,
    annotated: &AnnotatedDocument,
) -> BTreeMap<EntityRef, Vec<Passage>> {
    entries_named(&edition.documents[doc], annotated, &edition.registers)
}

/// [`entities_of`] for a document that need not be in the edition (the new version
/// of an edited one).
pub(crate) fn entries_named(
    document: &Document,
    annotated: &AnnotatedDocument,
    registers: &Registers,
) -> BTreeMap<EntityRef, Vec<Passage>> {
    let mut found: BTreeMap<EntityRef, Vec<Passage>> = BTreeMap::new();
    let texts = annotated
        .texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t, i, Part::Text));
    let others = [
        (&annotated.headnote, 0, Part::Headnote),
        (&annotated.about, 0, Part::About),
    ];
    for (text, position, part) in texts.chain(others) {
        for (mention_position, mention) in text.mentions.iter().enumerate() {
            found
                .entry(mention.entity.clone())
                .or_default()
                .push(Passage {
                    part,
                    text: position as u32,
                    mention: mention_position as u32,
                });
        }
    }
    for person in document.roles(registers).into_keys() {
        found
            .entry(EntityRef {
                kind: EntityKind::Person,
                id: person.into(),
            })
            .or_default();
    }
    let meta = &document.meta;
    for (kind, ids) in [
        (EntityKind::Person, &meta.people),
        (EntityKind::Event, &meta.events),
        (EntityKind::Place, &meta.places),
    ] {
        for id in ids {
            let entity = EntityRef {
                kind,
                id: id.as_str().into(),
            };
            if registers.name(&entity).is_some() {
                found.entry(entity).or_default();
            }
        }
    }
    found
}

/// The roles a person has in a document (taken from the document's `roles`), none
/// for other entries.
fn roles_of(
    roles: &mut BTreeMap<String, Vec<DocumentRole>>,
    entity: &EntityRef,
) -> Vec<DocumentRole> {
    match entity.kind {
        EntityKind::Person => roles.remove(&*entity.id).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn sort_key(edition: &Edition, entity: &EntityRef) -> String {
    let registers = &edition.registers;
    match entity.kind {
        EntityKind::Person => registers
            .people
            .get(&*entity.id)
            .map(|p| p.sort_key().to_lowercase())
            .unwrap_or_default(),
        EntityKind::Event => registers
            .events
            .get(&*entity.id)
            .and_then(|e| e.span())
            .map(|(start, _)| start.to_string())
            .unwrap_or_default(),
        _ => edition
            .registers
            .name(entity)
            .unwrap_or(&entity.id)
            .to_lowercase(),
    }
}

/// Person → person → number of documents naming both.
type PairCounts = BTreeMap<String, BTreeMap<String, usize>>;
/// Person → the people named with them, most shared documents first.
type CoOccurring = BTreeMap<String, Vec<(String, usize)>>;

/// The pair counts of a full build, and each person's co-occurring people.
///
/// Counted on numbers (people numbered in name order), and written out as names
/// once per pair: with maps keyed by name, every pair of people of every document
/// cost two string-keyed lookups, and sorting by name compared strings, most of
/// this stage at 10,000 documents, which runs on one core.
fn pairs(document_entities: &[Vec<EntityRef>]) -> (PairCounts, CoOccurring) {
    let mut numbers: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let mut names: Vec<&str> = Vec::new();
    let mut pairs: rustc_hash::FxHashMap<(u32, u32), usize> = Default::default();
    let mut people: Vec<u32> = Vec::new();
    for entities in document_entities {
        people.clear();
        for person in people_of(entities.iter()) {
            let number = *numbers.entry(person).or_insert_with(|| {
                names.push(person);
                names.len() as u32 - 1
            });
            people.push(number);
        }
        if people.len() > MAX_NAMED_TOGETHER {
            continue;
        }
        for (i, &a) in people.iter().enumerate() {
            for &b in &people[i + 1..] {
                *pairs.entry((a.min(b), a.max(b))).or_default() += 1;
            }
        }
    }
    let mut by_name: Vec<u32> = (0..names.len() as u32).collect();
    by_name.sort_unstable_by_key(|&n| names[n as usize]);
    let mut rank = vec![0u32; names.len()];
    for (r, &n) in by_name.iter().enumerate() {
        rank[n as usize] = r as u32;
    }
    // By rank: every person named gets a row, as `add_pairs` gives them, even with
    // no pairs.
    let mut rows: Vec<Vec<(u32, usize)>> = vec![Vec::new(); names.len()];
    for ((a, b), n) in pairs {
        let (a, b) = (rank[a as usize], rank[b as usize]);
        rows[a as usize].push((b, n));
        rows[b as usize].push((a, n));
    }
    let name = |r: u32| names[by_name[r as usize] as usize].to_string();
    let mut counts = PairCounts::new();
    let mut co_occurring = CoOccurring::new();
    for (r, mut row) in rows.into_iter().enumerate() {
        let person = name(r as u32);
        row.sort_unstable_by_key(|&(other, _)| other);
        counts.insert(
            person.clone(),
            row.iter().map(|&(other, n)| (name(other), n)).collect(),
        );
        if !row.is_empty() {
            row.sort_unstable_by_key(|&(other, n)| (std::cmp::Reverse(n), other));
            co_occurring.insert(person, row.into_iter().map(|(o, n)| (name(o), n)).collect());
        }
    }
    (counts, co_occurring)
}

fn sorted_counts(others: Option<&BTreeMap<String, usize>>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = others
        .into_iter()
        .flatten()
        .map(|(other, &n)| (other.clone(), n))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// For each person, the events they took part in, by date.
fn events_of_person(edition: &Edition) -> BTreeMap<String, Vec<String>> {
    let mut events: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_date: Vec<(&String, &crate::model::Event)> =
        edition.registers.events.iter().collect();
    by_date.sort_by_key(|(id, e)| (e.span().map(|s| s.0), (*id).clone()));
    for (id, event) in by_date {
        for person in &event.participants {
            events.entry(person.clone()).or_default().push(id.clone());
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        AnnotatedText, Document, DocumentMeta, Mention, PartialDate, SiteConfig, Source,
    };

    fn document(id: &str, date: &str, people: &[&str]) -> Document {
        let meta: DocumentMeta = serde_yaml::from_str(&format!(
            "title: \"{id}\"\ndate: {date}\npeople: [{}]\ntags: [korea]\n",
            people.join(", ")
        ))
        .unwrap();
        assert_eq!(meta.date, PartialDate::parse(date).unwrap());
        Document {
            id: id.into(),
            meta,
            headnote: Source::file("x".into(), String::new()),
            texts: Vec::new(),
            metadata_source: String::new(),
            files: Vec::new(),
            fingerprint: crate::fingerprint::of(&(id, date, people)),
            released: None,
        }
    }

    fn annotated(mentions: &[(&str, &str)]) -> AnnotatedDocument {
        let text = |lang: &str| AnnotatedText {
            lang: lang.into(),
            segments: Vec::new(),
            footnotes: Vec::new(),
            mentions: mentions
                .iter()
                .filter(|(l, _)| *l == lang)
                .map(|(_, id)| Mention {
                    entity: EntityRef {
                        kind: EntityKind::Person,
                        id: (*id).into(),
                    },
                    segment: 0,
                    footnote: None,
                    explicit: false,
                    words: (0, 0),
                })
                .collect(),
        };
        AnnotatedDocument {
            headnote: text("headnote"),
            about: Default::default(),
            texts: vec![text("ru"), text("en")],
            alignments: Vec::new(),
        }
    }

    fn edition() -> (Edition, Annotated) {
        let mut registers = crate::model::Registers::default();
        for (id, name) in [
            ("kim", "Kim Il Sung"),
            ("mao", "Mao Zedong"),
            ("peng", "Peng Dehuai"),
        ] {
            registers.people.insert(
                id.into(),
                serde_yaml::from_str(&format!("name: \"{name}\"")).unwrap(),
            );
        }
        registers.events.insert(
            "plenum".into(),
            serde_yaml::from_str("name: \"Plenum\"\ndate: 1956-08-30\nparticipants: [kim]")
                .unwrap(),
        );
        registers.seal();
        let edition = Edition {
            root: ".".into(),
            config: Arc::new(serde_yaml::from_str::<SiteConfig>("title: t").unwrap()),
            registers: Arc::new(registers),
            documents: vec![
                Arc::new(document("telegram", "1956-09-21", &[])),
                Arc::new(document("cable", "1956-09-16", &["peng"])),
                Arc::new(document("a-conversation", "1956-09-16", &[])),
                Arc::new(document("report", "1957", &[])),
            ],
            pages: Default::default(),
            theme: Default::default(),
        };
        let annotated = Annotated {
            documents: vec![
                Arc::new(annotated(&[("ru", "kim"), ("en", "kim"), ("en", "mao")])),
                Arc::new(annotated(&[("ru", "kim")])),
                Arc::new(annotated(&[])),
                Arc::new(annotated(&[("en", "mao")])),
            ],
            versions: vec![1, 2, 3, 4],
            ..Annotated::default()
        };
        (edition, annotated)
    }

    #[test]
    fn orders_by_date_then_id_and_links_neighbours() {
        let (edition, annotated) = edition();
        let index = index(&edition, &annotated, true);
        assert_eq!(index.by_date, vec![2, 1, 0, 3]);
        assert_eq!(index.neighbours[2], (None, Some(1)));
        assert_eq!(index.neighbours[0], (Some(1), Some(3)));
        assert_eq!(index.neighbours[3], (Some(0), None));
        assert_eq!(index.by_year[&1956], vec![2, 1, 0]);
        assert_eq!(index.tags["korea"], vec![2, 1, 0, 3]);
    }

    #[test]
    fn collects_occurrences_with_passages_by_date() {
        let (edition, annotated) = edition();
        let index = index(&edition, &annotated, true);
        let kim = EntityRef {
            kind: EntityKind::Person,
            id: "kim".into(),
        };
        let found: Vec<(usize, Vec<&str>)> = index.occurrences[&kim]
            .iter()
            .map(|o| {
                let document = &annotated.documents[o.document];
                let langs = o
                    .passages
                    .iter()
                    .map(|p| p.resolve(document).0.lang.as_str());
                (o.document, langs.collect())
            })
            .collect();
        assert_eq!(found, vec![(1, vec!["ru"]), (0, vec!["ru", "en"])]);
        let peng = EntityRef {
            kind: EntityKind::Person,
            id: "peng".into(),
        };
        assert_eq!(
            index.occurrences[&peng][0].passages.len(),
            0,
            "listed in front matter"
        );
        let cable: Vec<&str> = index.document_entities[1]
            .iter()
            .map(|e| e.id.as_ref())
            .collect();
        assert_eq!(cable, ["kim", "peng"]);
    }

    #[test]
    fn people_named_together_and_their_events() {
        let (edition, annotated) = edition();
        let index = index(&edition, &annotated, true);
        assert_eq!(
            index.co_occurring["kim"],
            vec![("mao".to_string(), 1), ("peng".to_string(), 1)]
        );
        assert_eq!(index.events_of_person["kim"], vec!["plenum".to_string()]);
    }

    #[test]
    fn a_document_naming_more_people_than_a_group_pairs_none_of_them() {
        let people: Vec<String> = (0..=MAX_NAMED_TOGETHER)
            .map(|i| format!("p{i:03}"))
            .collect();
        let roll_call = vec![people
            .iter()
            .map(|id| EntityRef {
                kind: EntityKind::Person,
                id: id.as_str().into(),
            })
            .collect::<Vec<_>>()];
        let (counts, co_occurring) = pairs(&roll_call);
        assert!(co_occurring.is_empty());
        // Each still has a row (as `add_pairs` gives them), with no one in it.
        assert_eq!(counts.len(), people.len());
        assert!(counts.values().all(BTreeMap::is_empty));
        let mut incremental = PairCounts::new();
        let set: BTreeSet<&str> = people.iter().map(String::as_str).collect();
        add_pairs(&mut incremental, &set, 1);
        assert_eq!(incremental, counts);
        // One fewer, and they are a group.
        let (_, co_occurring) = pairs(&[roll_call[0][1..].to_vec()]);
        assert_eq!(co_occurring.len(), MAX_NAMED_TOGETHER);
    }

    /// `edition` without document `gone` and with one more, `new`.
    fn changed(edition: &Edition, annotated: &Annotated) -> (Edition, Annotated) {
        let mut edition = edition.clone();
        let mut annotated = annotated.clone();
        // Gone: "cable"; came: "b-memo" (between others by id, so positions move),
        // naming Mao and Peng; changed: "report" names Kim now and has a new date.
        let gone = edition
            .documents
            .iter()
            .position(|d| d.id == "cable")
            .unwrap();
        edition.documents.remove(gone);
        annotated.documents.remove(gone);
        annotated.versions.remove(gone);
        let at = edition
            .documents
            .partition_point(|d| d.id.as_str() < "b-memo");
        edition
            .documents
            .insert(at, Arc::new(document("b-memo", "1956-09-20", &["peng"])));
        annotated
            .documents
            .insert(at, Arc::new(annotated_with(&[("ru", "mao")])));
        annotated.versions.insert(at, 10);
        let report = edition
            .documents
            .iter()
            .position(|d| d.id == "report")
            .unwrap();
        edition.documents[report] = Arc::new(document("report", "1955", &[]));
        annotated.documents[report] = Arc::new(annotated_with(&[("en", "kim")]));
        annotated.versions[report] = 11;
        (edition, annotated)
    }

    fn annotated_with(mentions: &[(&str, &str)]) -> AnnotatedDocument {
        annotated(mentions)
    }

    #[test]
    fn an_index_updated_for_documents_that_came_went_or_changed_is_the_index_made_anew() {
        let (edition, annotated) = edition();
        let mut indexer = Indexer::new(true);
        indexer.index(&edition, &annotated);
        let (edition, annotated) = changed(&edition, &annotated);
        let updated = indexer.index(&edition, &annotated).clone();
        assert_eq!(updated, index(&edition, &annotated, true));
        assert_eq!(updated.by_date.len(), 4);
        // And back.
        let (first, first_annotated) = self::edition();
        assert_eq!(
            *indexer.index(&first, &first_annotated),
            index(&first, &first_annotated, true)
        );
    }

    #[test]
    fn after_the_registers_change_the_index_is_made_anew() {
        let (edition, annotated) = edition();
        let mut indexer = Indexer::new(true);
        indexer.index(&edition, &annotated);
        // Peng takes part in the plenum now; no document changed.
        let mut registers = (*edition.registers).clone();
        registers
            .events
            .get_mut("plenum")
            .unwrap()
            .participants
            .push("peng".into());
        registers.seal();
        let edition = Edition {
            registers: Arc::new(registers),
            ..edition
        };
        let updated = indexer.index(&edition, &annotated).clone();
        assert_eq!(updated.events_of_person["peng"], ["plenum"]);
        assert_eq!(updated, index(&edition, &annotated, true));
    }

    #[test]
    fn a_plan_matches_documents_by_id_and_finds_what_came_went_or_changed() {
        let doc = |id: &str| Arc::new(document(id, "1956", &[]));
        let old: Vec<_> = ["a", "c", "d", "f", "g"].map(doc).to_vec();
        let new: Vec<_> = ["b", "c", "d", "e", "g", "h"].map(doc).to_vec();
        let old_versions = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)];
        let new_versions = [(9, 9), (2, 2), (3, 30), (9, 9), (5, 5), (9, 9)];
        let plan = Plan::between(&old, &new, &old_versions, &new_versions);
        assert_eq!(plan.old_to_new, [None, Some(1), Some(2), None, Some(4)]);
        assert_eq!(plan.removed, [0, 3]);
        assert_eq!(plan.added, [0, 3, 5]);
        assert_eq!(plan.changed, [(2, 2)]);
        assert_eq!(plan.len(), 6);
        // Everything gone; everything new.
        let plan = Plan::between(&old, &[], &old_versions, &[]);
        assert_eq!((plan.removed.len(), plan.added.len()), (5, 0));
        let plan = Plan::between(&[], &new, &[], &new_versions);
        assert_eq!((plan.removed.len(), plan.added.len()), (0, 6));
    }

    #[test]
    fn documents_added_at_either_end_and_removed_keep_the_index_as_made_anew() {
        let (edition, annotated) = edition();
        let mut indexer = Indexer::new(true);
        indexer.index(&edition, &annotated);
        let mut more = edition.clone();
        let mut more_annotated = annotated.clone();
        for (at, id) in [(0, "0-first"), (5, "zz-last")] {
            more.documents
                .insert(at, Arc::new(document(id, "1956-09-01", &["kim"])));
            more_annotated
                .documents
                .insert(at, Arc::new(annotated_with(&[("ru", "mao")])));
            more_annotated.versions.insert(at, 100 + at as u64);
        }
        let updated = indexer.index(&more, &more_annotated).clone();
        assert_eq!(updated, index(&more, &more_annotated, true));
        assert_eq!(updated.by_date.len(), 6);
        let back = indexer.index(&edition, &annotated).clone();
        assert_eq!(back, index(&edition, &annotated, true));
    }

    #[test]
    fn a_document_lists_people_by_sort_name_and_events_by_date() {
        let (mut edition, annotated) = edition();
        let mut registers = (*edition.registers).clone();
        // Ids in the other order than their sort names and dates.
        registers.people.insert(
            "a-zhou".into(),
            serde_yaml::from_str("name: \"Zhou Enlai\"\nsort_name: \"Zhou Enlai\"").unwrap(),
        );
        registers.people.insert(
            "z-bai".into(),
            serde_yaml::from_str("name: \"Yan Bai\"\nsort_name: \"Bai Yan\"").unwrap(),
        );
        registers.events.insert(
            "a-late".into(),
            serde_yaml::from_str("name: \"A late one\"\ndate: 1957-01-01").unwrap(),
        );
        registers.events.insert(
            "z-early".into(),
            serde_yaml::from_str("name: \"The early one\"\ndate: 1950-01-01").unwrap(),
        );
        registers.seal();
        edition.registers = Arc::new(registers);
        let mut telegram = (*edition.documents[0]).clone();
        telegram.meta.people = vec!["a-zhou".into(), "z-bai".into()];
        telegram.meta.events = vec!["a-late".into(), "z-early".into()];
        edition.documents[0] = Arc::new(telegram);
        let index = index(&edition, &annotated, false);
        let named: Vec<&str> = index.document_entities[0]
            .iter()
            .map(|e| e.id.as_ref())
            .collect();
        // People by sort name (Bai, Kim, Mao, Zhou; not by name: Yan Bai), then
        // events by date (not by name).
        assert_eq!(
            named,
            ["z-bai", "kim", "mao", "a-zhou", "z-early", "a-late"]
        );
    }
}
