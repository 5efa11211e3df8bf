//! Setting each block of the original level with its translation.
//!
//! The editor's markers come first: `{§ N}` starts a group in both languages, and the
//! blocks between two markers the languages share form a chunk. Each chunk is aligned
//! automatically: by order when both sides have as many blocks; as one row when a side
//! has a single block; otherwise by a length-based dynamic programme in the style of
//! Gale and Church (1993), with 1-1, 1-0, 0-1, 2-1 and 1-2 beads, helped by anchors the
//! two sides share (numbers, and names recognised in both). A marker used in one
//! language only pins a block that has no counterpart. So a fully marked text is
//! aligned exactly as marked, and an unmarked one entirely automatically.
//!
//! Each row carries a confidence; `annotate` reports the low ones.
//!
//! Not here: deciding what a block is (that is `markdown`).

use crate::model::{AlignedBy, AlignedRow, AnnotatedText, EntityKind};
use std::collections::{BTreeSet, HashMap};

/// Rows below this confidence are reported to the editor.
pub(super) const LOW_CONFIDENCE: f32 = 0.15;

/// A block as the aligner sees it.
#[derive(Debug, Clone, Default)]
struct Block {
    length: f64,
    /// Numbered anchors (see [`Anchors`]), sorted, each once.
    anchors: Vec<u32>,
    /// How strongly the block runs on into the next (a sentence cut by a page break):
    /// 0 when it ends a sentence.
    runs_on: f64,
}

/// A text as the aligner reads it: its annotation, and each segment's reading text
/// (see `markdown::annotate_for_alignment`).
#[derive(Clone, Copy)]
pub(super) struct Reading<'t> {
    pub text: &'t AnnotatedText,
    pub plain: &'t [String],
}

/// Aligns `translation` with `original`.
pub(super) fn align(original: Reading, translation: Reading) -> Vec<AlignedRow> {
    let mut anchors = Anchors::default();
    let o_blocks = blocks(original, &mut anchors);
    let t_blocks = blocks(translation, &mut anchors);
    let (original, translation) = (original.text, translation.text);
    let o_total: f64 = o_blocks.iter().map(|b| b.length).sum();
    let t_total: f64 = t_blocks.iter().map(|b| b.length).sum();
    let ratio = if o_total > 0.0 && t_total > 0.0 {
        t_total / o_total
    } else {
        1.0
    };
    let scorer = Scorer {
        o: &o_blocks,
        t: &t_blocks,
        ratio,
    };

    let o_labels = labels(original);
    let t_labels = labels(translation);
    // Labels both languages have, in the original's order, kept only while they also
    // rise in the translation (a marker out of order cannot split both texts).
    let mut shared: Vec<(usize, usize)> = Vec::new();
    for (label, &o) in ordered(&o_labels) {
        if let Some(&t) = t_labels.get(label) {
            if shared.last().is_none_or(|&(po, pt)| o > po && t > pt) {
                shared.push((o, t));
            }
        }
    }
    let one_sided_o: BTreeSet<usize> = o_labels
        .iter()
        .filter(|(label, _)| !t_labels.contains_key(*label))
        .map(|(_, &i)| i)
        .collect();
    let one_sided_t: BTreeSet<usize> = t_labels
        .iter()
        .filter(|(label, _)| !o_labels.contains_key(*label))
        .map(|(_, &i)| i)
        .collect();

    let mut rows = Vec::new();
    let mut bounds: Vec<(usize, usize)> = vec![(0, 0)];
    bounds.extend(shared.iter().copied());
    bounds.push((o_blocks.len(), t_blocks.len()));
    for (k, window) in bounds.windows(2).enumerate() {
        let ((o_start, t_start), (o_end, t_end)) = (window[0], window[1]);
        let pinned = k > 0; // every chunk but the first starts at a shared marker
        let o: Vec<usize> = (o_start..o_end)
            .filter(|i| !one_sided_o.contains(i))
            .collect();
        let t: Vec<usize> = (t_start..t_end)
            .filter(|i| !one_sided_t.contains(i))
            .collect();
        rows.extend(scorer.chunk(&o, &t, pinned));
    }
    for &i in &one_sided_o {
        rows.push(row(vec![i], vec![], 1.0, AlignedBy::Marker));
    }
    for &i in &one_sided_t {
        rows.push(row(vec![], vec![i], 1.0, AlignedBy::Marker));
    }
    order_rows(rows)
}

fn row(
    original: Vec<usize>,
    translation: Vec<usize>,
    confidence: f32,
    by: AlignedBy,
) -> AlignedRow {
    AlignedRow {
        original: crate::model::exactly(original).into_boxed_slice(),
        translation: crate::model::exactly(translation).into_boxed_slice(),
        confidence,
        by,
    }
}

/// What both languages of a text keep, and so tie their blocks together: the
/// numbers in it and the entries it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Anchor<'t> {
    Number(&'t str),
    Entry(EntityKind, &'t str),
}

/// Anchors numbered as they come, so that a block's anchors are a short sorted list
/// of numbers: the confidence of every row compares them.
#[derive(Default)]
struct Anchors<'t>(rustc_hash::FxHashMap<Anchor<'t>, u32>);

impl<'t> Anchors<'t> {
    fn number(&mut self, anchor: Anchor<'t>) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(anchor).or_insert(next)
    }
}

/// Lengths and anchors of each segment of a text.
fn blocks<'t>(reading: Reading<'t>, anchors: &mut Anchors<'t>) -> Vec<Block> {
    let (text, plain) = (reading.text, reading.plain);
    let mut blocks: Vec<Block> = plain
        .iter()
        .map(|plain| Block {
            length: plain.chars().count().max(1) as f64,
            anchors: numbers(plain)
                .map(|n| anchors.number(Anchor::Number(n)))
                .collect(),
            runs_on: 0.0,
        })
        .collect();
    for i in 1..blocks.len() {
        blocks[i - 1].runs_on = runs_on(&plain[i - 1], &plain[i]);
    }
    for m in &text.mentions {
        if let Some(block) = blocks.get_mut(m.segment as usize) {
            let anchor = Anchor::Entry(m.entity.kind, &m.entity.id);
            block.anchors.push(anchors.number(anchor));
        }
    }
    for block in &mut blocks {
        block.anchors.sort_unstable();
        block.anchors.dedup();
    }
    blocks
}

/// Whether a block's sentence continues in the next block: it ends without a full
/// stop and the next begins in lower case (a sentence cut by a page break), or, less
/// surely, it ends with a comma.
fn runs_on(text: &str, next: &str) -> f64 {
    let last = text.trim_end().chars().last();
    let ends_sentence = last.is_none_or(|c| ".!?…:;»\")]".contains(c));
    let next_lower = next
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase);
    match (ends_sentence, next_lower, last) {
        (false, true, _) => RUN_ON,
        (false, false, Some(',')) => RUN_ON / 2.0,
        _ => 0.0,
    }
}

/// The cost of setting a row boundary inside a sentence.
const RUN_ON: f64 = 3.0;

/// The numbers in a block (dates, counts, sums), which translations keep, without
/// leading zeros.
fn numbers(text: &str) -> impl Iterator<Item = &str> {
    // Runs of ASCII digits, found byte by byte (splitting at every other character
    // made an empty piece for each of them).
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || loop {
        while at < bytes.len() && !bytes[at].is_ascii_digit() {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        let number = text[start..at].trim_start_matches('0');
        if !number.is_empty() {
            return Some(number);
        }
    })
}

/// Marker label → segment, for the segments that carry one.
fn labels(text: &AnnotatedText) -> HashMap<&str, usize> {
    let mut labels = HashMap::new();
    for (i, s) in text.segments.iter().enumerate() {
        if let Some(label) = &s.anchor {
            labels.entry(label.as_ref()).or_insert(i);
        }
    }
    labels
}

fn ordered<'a, 'm>(labels: &'m HashMap<&'a str, usize>) -> Vec<(&'a str, &'m usize)> {
    let mut v: Vec<(&str, &usize)> = labels.iter().map(|(l, i)| (*l, i)).collect();
    v.sort_by_key(|(_, &i)| i);
    v
}

/// Rows in reading order: two-sided rows as aligned, each one-sided row before the
/// first two-sided row that comes after it in its language.
fn order_rows(rows: Vec<AlignedRow>) -> Vec<AlignedRow> {
    let (mut two, one): (Vec<AlignedRow>, Vec<AlignedRow>) = rows
        .into_iter()
        .partition(|r| !r.original.is_empty() && !r.translation.is_empty());
    two.sort_by_key(|r| (r.original[0], r.translation[0]));
    let mut keyed: Vec<((usize, u8, usize), AlignedRow)> = Vec::new();
    for r in one {
        let key = match (r.original.first(), r.translation.first()) {
            (Some(&o), _) => (two.iter().filter(|x| x.original[0] < o).count(), 0, o),
            (_, Some(&t)) => (two.iter().filter(|x| x.translation[0] < t).count(), 1, t),
            _ => continue,
        };
        keyed.push((key, r));
    }
    for (i, r) in two.into_iter().enumerate() {
        keyed.push(((i, 2, 0), r));
    }
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, r)| r).collect()
}

struct Scorer<'a> {
    o: &'a [Block],
    t: &'a [Block],
    /// Characters of translation per character of original, over the document.
    ratio: f64,
}

/// The beads: (original blocks, translation blocks, prior probability): Gale and
/// Church's, and three blocks against one, which page breaks in transcriptions make
/// common.
const BEADS: [(usize, usize, f64); 7] = [
    (1, 1, 0.89),
    (1, 0, 0.0099),
    (0, 1, 0.0099),
    (2, 1, 0.089),
    (1, 2, 0.089),
    (3, 1, 0.01),
    (1, 3, 0.01),
];

/// Gale and Church's variance of the length difference per character.
const VARIANCE: f64 = 6.8;
/// How much a shared anchor is worth, against the length cost.
const ANCHOR_WEIGHT: f64 = 3.0;

impl Scorer<'_> {
    /// Aligns one chunk: `o` and `t` are block positions.
    fn chunk(&self, o: &[usize], t: &[usize], pinned: bool) -> Vec<AlignedRow> {
        let by = if pinned {
            AlignedBy::Marker
        } else {
            AlignedBy::Order
        };
        match (o.len(), t.len()) {
            (0, 0) => Vec::new(),
            (0, _) => t
                .iter()
                .map(|&i| row(vec![], vec![i], 0.0, AlignedBy::Lengths))
                .collect(),
            (_, 0) => o
                .iter()
                .map(|&i| row(vec![i], vec![], 0.0, AlignedBy::Lengths))
                .collect(),
            (1, _) | (_, 1) => {
                let confidence = if pinned { 1.0 } else { self.confidence(o, t) };
                vec![row(o.to_vec(), t.to_vec(), confidence, by)]
            }
            (a, b) if a == b => o
                .iter()
                .zip(t)
                .enumerate()
                .map(|(k, (&i, &j))| {
                    // The first row of a chunk starting at a marker is pinned.
                    let confidence = if pinned && k == 0 {
                        1.0
                    } else {
                        self.confidence(&[i], &[j])
                    };
                    row(
                        vec![i],
                        vec![j],
                        confidence,
                        if pinned && k == 0 {
                            AlignedBy::Marker
                        } else {
                            AlignedBy::Order
                        },
                    )
                })
                .collect(),
            _ => self.dynamic(o, t, pinned),
        }
    }

    /// The Gale–Church dynamic programme over one chunk.
    fn dynamic(&self, o: &[usize], t: &[usize], pinned: bool) -> Vec<AlignedRow> {
        let (n, m) = (o.len(), t.len());
        let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
        let mut back = vec![vec![(0usize, 0usize); m + 1]; n + 1];
        cost[0][0] = 0.0;
        for i in 0..=n {
            for j in 0..=m {
                if cost[i][j].is_infinite() {
                    continue;
                }
                for (di, dj, prior) in BEADS {
                    let (ni, nj) = (i + di, j + dj);
                    if ni > n || nj > m {
                        continue;
                    }
                    let mut c = cost[i][j] + self.bead_cost(&o[i..ni], &t[j..nj], prior);
                    // A row starting here cuts a sentence that runs on from before.
                    if di > 0 && i > 0 {
                        c += self.o[o[i - 1]].runs_on;
                    }
                    if dj > 0 && j > 0 {
                        c += self.t[t[j - 1]].runs_on;
                    }
                    if c < cost[ni][nj] {
                        cost[ni][nj] = c;
                        back[ni][nj] = (di, dj);
                    }
                }
            }
        }
        let mut rows = Vec::new();
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            let (di, dj) = back[i][j];
            let (os, ts) = (&o[i - di..i], &t[j - dj..j]);
            let confidence = if os.is_empty() || ts.is_empty() {
                0.0
            } else {
                self.confidence(os, ts)
            };
            rows.push(row(
                os.to_vec(),
                ts.to_vec(),
                confidence,
                AlignedBy::Lengths,
            ));
            i -= di;
            j -= dj;
        }
        rows.reverse();
        if pinned {
            if let Some(first) = rows.first_mut() {
                if !first.original.is_empty() && !first.translation.is_empty() {
                    first.confidence = 1.0;
                    first.by = AlignedBy::Marker;
                }
            }
        }
        rows
    }

    fn bead_cost(&self, o: &[usize], t: &[usize], prior: f64) -> f64 {
        // A block left without counterpart costs what its length makes unlikely, as
        // in Gale and Church: a short stamp is cheap to leave out, a paragraph is not.
        let mut cost = -prior.ln() - self.length_probability(o, t).max(1e-12).ln();
        let (shared, either) = self.anchor_overlap(o, t);
        if either > 0 {
            let jaccard = shared as f64 / either as f64;
            cost -= ANCHOR_WEIGHT * jaccard;
            if shared == 0 {
                cost += 1.0;
            }
        }
        cost
    }

    /// Gale and Church's probability of a length difference at least this large.
    fn length_probability(&self, o: &[usize], t: &[usize]) -> f64 {
        let l1: f64 = o.iter().map(|&i| self.o[i].length).sum();
        let l2: f64 = t.iter().map(|&j| self.t[j].length).sum();
        let mean = ((l1 + l2 / self.ratio) / 2.0).max(1.0);
        let delta = (l2 - l1 * self.ratio) / (mean * VARIANCE).sqrt();
        2.0 * (1.0 - normal_cdf(delta.abs()))
    }

    fn anchor_overlap(&self, o: &[usize], t: &[usize]) -> (usize, usize) {
        let union = |side: &[Block], blocks: &[usize]| {
            let mut all: Vec<u32> = blocks
                .iter()
                .flat_map(|&i| side[i].anchors.iter().copied())
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        let (a, b) = (union(self.o, o), union(self.t, t));
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (shared, a.len() + b.len() - shared)
    }

    /// How sure a row is: lengths that fit, or anchors both sides share.
    fn confidence(&self, o: &[usize], t: &[usize]) -> f32 {
        let lengths = self.length_probability(o, t);
        let (shared, either) = self.anchor_overlap(o, t);
        let anchors = if either == 0 {
            0.0
        } else {
            shared as f64 / either as f64
        };
        (1.0 - (1.0 - lengths) * (1.0 - anchors)) as f32
    }
}

/// The standard normal distribution function (Abramowitz and Stegun 26.2.17).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * x.abs());
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    let p = 1.0 - (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
    if x >= 0.0 {
        p
    } else {
        1.0 - p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_runs_of_digits_without_leading_zeros() {
        let found: Vec<&str> = numbers("В 1956 г. 3 чел., №007 и 0 руб.; 12а-0040x").collect();
        assert_eq!(found, ["1956", "3", "7", "12", "40"]);
    }
    use crate::model::{EntityKind, EntityRef, Mention, Segment};

    /// A text and its reading texts.
    struct Text(AnnotatedText, Vec<String>);

    impl Text {
        fn reading(&self) -> Reading<'_> {
            Reading {
                text: &self.0,
                plain: &self.1,
            }
        }
    }

    /// A text of blocks given as (anchor, text, names).
    fn text(lang: &str, blocks: &[(Option<&str>, &str, &[&str])]) -> Text {
        let mut mentions = Vec::new();
        let segments = blocks
            .iter()
            .enumerate()
            .map(|(i, (anchor, _, names))| {
                for name in *names {
                    mentions.push(Mention {
                        entity: EntityRef {
                            kind: EntityKind::Person,
                            id: (*name).into(),
                        },
                        segment: i as u32,
                        footnote: None,
                        explicit: false,
                        words: (0, 0),
                    });
                }
                Segment {
                    line: i + 1,
                    anchor: anchor.map(Box::from),
                    content: Default::default(),
                }
            })
            .collect();
        let plain = blocks
            .iter()
            .map(|(_, words, _)| words.to_string())
            .collect();
        Text(
            AnnotatedText {
                lang: lang.into(),
                segments,
                footnotes: Vec::new(),
                mentions,
            },
            plain,
        )
    }

    fn pairs(rows: &[AlignedRow]) -> Vec<(Vec<usize>, Vec<usize>)> {
        rows.iter()
            .map(|r| (r.original.to_vec(), r.translation.to_vec()))
            .collect()
    }

    fn words(n: usize) -> String {
        "слово ".repeat(n)
    }

    /// Blocks of the given lengths, ending their sentences, without anchors.
    fn blocks_of(lengths: &[f64]) -> Vec<Block> {
        lengths
            .iter()
            .map(|&length| Block {
                length,
                anchors: Vec::new(),
                runs_on: 0.0,
            })
            .collect()
    }

    fn rows_of(rows: &[AlignedRow]) -> Vec<(Vec<usize>, Vec<usize>, AlignedBy)> {
        rows.iter()
            .map(|r| (r.original.to_vec(), r.translation.to_vec(), r.by))
            .collect()
    }

    #[test]
    fn a_chunk_with_one_side_empty_leaves_each_block_alone_and_unsure() {
        let (o, t) = (blocks_of(&[100.0]), blocks_of(&[100.0, 40.0]));
        let scorer = Scorer {
            o: &o,
            t: &t,
            ratio: 1.0,
        };
        for pinned in [false, true] {
            let rows = scorer.chunk(&[], &[0, 1], pinned);
            assert_eq!(
                rows_of(&rows),
                vec![
                    (vec![], vec![0], AlignedBy::Lengths),
                    (vec![], vec![1], AlignedBy::Lengths)
                ]
            );
            assert!(rows.iter().all(|r| r.confidence == 0.0));
            let rows = scorer.chunk(&[0], &[], pinned);
            assert_eq!(rows_of(&rows), vec![(vec![0], vec![], AlignedBy::Lengths)]);
            assert_eq!(rows[0].confidence, 0.0);
            // One block alone against one: still a block without counterpart.
            let rows = scorer.chunk(&[], &[1], pinned);
            assert_eq!(rows_of(&rows), vec![(vec![], vec![1], AlignedBy::Lengths)]);
            assert!(scorer.chunk(&[], &[], pinned).is_empty());
        }
    }

    #[test]
    fn one_block_against_several_is_one_row_and_equal_counts_pair_in_order() {
        let (o, t) = (blocks_of(&[100.0, 100.0]), blocks_of(&[60.0, 40.0, 150.0]));
        let scorer = Scorer {
            o: &o,
            t: &t,
            ratio: 1.0,
        };
        let rows = scorer.chunk(&[0], &[0, 1], false);
        assert_eq!(
            rows_of(&rows),
            vec![(vec![0], vec![0, 1], AlignedBy::Order)]
        );
        assert!(rows[0].confidence > 0.5);
        let rows = scorer.chunk(&[0], &[0, 1], true);
        assert_eq!(
            rows_of(&rows),
            vec![(vec![0], vec![0, 1], AlignedBy::Marker)]
        );
        assert_eq!(rows[0].confidence, 1.0);
        // Equal counts: in order; after a marker, its first row is pinned, the rest
        // are by order.
        let rows = scorer.chunk(&[0, 1], &[1, 2], true);
        assert_eq!(
            rows_of(&rows),
            vec![
                (vec![0], vec![1], AlignedBy::Marker),
                (vec![1], vec![2], AlignedBy::Order)
            ]
        );
        assert_eq!(rows[0].confidence, 1.0);
        assert!(rows[1].confidence < 1.0);
        let rows = scorer.chunk(&[0, 1], &[1, 2], false);
        assert!(rows.iter().all(|r| r.by == AlignedBy::Order));
    }

    #[test]
    fn lengths_are_compared_against_their_mean_in_the_original_s_terms() {
        // Gale and Church: the translation's length is brought to the original's
        // by the ratio, and the difference weighed against the mean of the two.
        let (o, t) = (blocks_of(&[100.0]), blocks_of(&[250.0]));
        let scorer = Scorer {
            o: &o,
            t: &t,
            ratio: 2.0,
        };
        // Mean: (100 + 250 / 2) / 2 = 112.5; difference: 250 - 2 × 100 = 50.
        let expected = 2.0 * (1.0 - normal_cdf(50.0 / (112.5 * VARIANCE).sqrt()));
        let found = scorer.length_probability(&[0], &[0]);
        assert!(
            (found - expected).abs() < 1e-9,
            "{found} against {expected}"
        );
        assert!((0.06..0.08).contains(&found), "{found}");
    }

    #[test]
    fn anchors_both_sides_share_raise_a_row_s_confidence() {
        // Lengths that fit badly (100 against 250), so the anchors show: the
        // original's blocks hold anchors 1, 2 and 3, the translation's 2, 3 and 4.
        let mut o = blocks_of(&[100.0, 100.0]);
        let mut t = blocks_of(&[250.0]);
        (o[0].anchors, o[1].anchors, t[0].anchors) = (vec![1, 2], vec![2, 3], vec![2, 3, 4]);
        let scorer = Scorer {
            o: &o,
            t: &t,
            ratio: 1.0,
        };
        // Two shared (2, 3) of the four either side has.
        assert_eq!(scorer.anchor_overlap(&[0, 1], &[0]), (2, 4));
        let lengths = scorer.length_probability(&[0, 1], &[0]);
        let expected = 1.0 - (1.0 - lengths) * (1.0 - 2.0 / 4.0);
        let found = f64::from(scorer.confidence(&[0, 1], &[0]));
        assert!(
            (found - expected).abs() < 1e-6,
            "{found} against {expected}"
        );
        // Without anchors, the lengths alone.
        let none = Scorer {
            o: &blocks_of(&[100.0, 100.0]),
            t: &blocks_of(&[250.0]),
            ratio: 1.0,
        }
        .confidence(&[0, 1], &[0]);
        assert!((f64::from(none) - lengths).abs() < 1e-6);
    }

    #[test]
    fn of_alignments_that_cost_the_same_the_first_found_is_kept() {
        // Two blocks of 100 against 50, 100, 50: pairing the first one to one, or
        // the last, costs the same. The programme keeps the first it finds (the
        // extra block joins the later row), so that a rebuild of the same text
        // gives the same rows, and every tie is broken the same way.
        let (o, t) = (blocks_of(&[100.0, 100.0]), blocks_of(&[50.0, 100.0, 50.0]));
        let scorer = Scorer {
            o: &o,
            t: &t,
            ratio: 1.0,
        };
        assert_eq!(
            pairs(&scorer.dynamic(&[0, 1], &[0, 1, 2], false)),
            vec![(vec![0], vec![0]), (vec![1], vec![1, 2])]
        );
    }

    #[test]
    fn after_a_marker_the_first_row_of_the_lengths_programme_is_pinned() {
        let (o, t) = (blocks_of(&[300.0, 200.0]), blocks_of(&[300.0, 120.0, 80.0]));
        let scorer = Scorer {
            o: &o,
            t: &t,
            ratio: 1.0,
        };
        let rows = scorer.dynamic(&[0, 1], &[0, 1, 2], true);
        assert_eq!(
            rows_of(&rows),
            vec![
                (vec![0], vec![0], AlignedBy::Marker),
                (vec![1], vec![1, 2], AlignedBy::Lengths)
            ]
        );
        assert_eq!(rows[0].confidence, 1.0);
        let rows = scorer.dynamic(&[0, 1], &[0, 1, 2], false);
        assert!(rows.iter().all(|r| r.by == AlignedBy::Lengths));
    }

    #[test]
    fn equal_counts_align_by_order() {
        let (a, b, c) = (words(10), words(30), words(5));
        let o = text("ru", &[(None, &a, &[]), (None, &b, &[]), (None, &c, &[])]);
        let t = text("en", &[(None, &a, &[]), (None, &b, &[]), (None, &c, &[])]);
        let rows = align(o.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![(vec![0], vec![0]), (vec![1], vec![1]), (vec![2], vec![2])]
        );
        assert!(rows
            .iter()
            .all(|r| r.by == AlignedBy::Order && r.confidence > 0.5));
    }

    #[test]
    fn a_row_does_not_cut_a_sentence_that_runs_on_across_a_page_break() {
        // The original's first sentence runs on into the next block (a page turned
        // mid-sentence: no full stop, then lower case). By lengths alone the
        // translation's first block faces the original's first block a little
        // better; the sentence keeps the two original blocks together.
        let first = format!("{}и", words(21));
        let second = format!("продолжение {}.", words(16));
        let (third, whole) = (format!("{}.", words(19)), format!("{}.", words(29)));
        let o = text(
            "ru",
            &[
                (None, &first, &[]),
                (None, &second, &[]),
                (None, &third, &[]),
            ],
        );
        let t = text("en", &[(None, &whole, &[]), (None, &whole, &[])]);
        let rows = align(o.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![(vec![0, 1], vec![0]), (vec![2], vec![1])],
            "{rows:?}"
        );
        // The same blocks with the first sentence ended: lengths decide.
        let ended = format!("{}.", words(21));
        let capital = format!("Продолжение {}.", words(16));
        let o = text(
            "ru",
            &[
                (None, &ended, &[]),
                (None, &capital, &[]),
                (None, &third, &[]),
            ],
        );
        let rows = align(o.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![(vec![0], vec![0]), (vec![1, 2], vec![1])],
            "{rows:?}"
        );
    }

    #[test]
    fn a_split_paragraph_becomes_a_one_to_two_bead() {
        let (long, half, short) = (words(40), words(20), words(8));
        let o = text(
            "ru",
            &[(None, &short, &[]), (None, &long, &[]), (None, &short, &[])],
        );
        let t = text(
            "en",
            &[
                (None, &short, &[]),
                (None, &half, &[]),
                (None, &half, &[]),
                (None, &short, &[]),
            ],
        );
        let rows = align(o.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![
                (vec![0], vec![0]),
                (vec![1], vec![1, 2]),
                (vec![2], vec![3])
            ]
        );
        assert!(rows.iter().all(|r| r.by == AlignedBy::Lengths));
    }

    #[test]
    fn shared_names_and_numbers_decide_where_lengths_cannot() {
        // Two Russian blocks, three English ones, all of one length: by lengths alone
        // the middle English block could join either neighbour. The date both sides
        // share puts it with the second Russian block.
        let w = words(10);
        let dated_ru = "заседание 20 сентября слово слово слово слово слово слово";
        let dated_en = "meeting of 20 September word word word word word word word";
        let o = text("ru", &[(None, &w, &[]), (None, dated_ru, &[])]);
        let t = text(
            "en",
            &[(None, &w, &[]), (None, dated_en, &[]), (None, &w, &[])],
        );
        let rows = align(o.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![(vec![0], vec![0]), (vec![1], vec![1, 2])]
        );
    }

    #[test]
    fn markers_pin_groups_and_one_sided_markers_stand_alone() {
        let w = words(10);
        let o = text(
            "ru",
            &[
                (Some("1"), &w, &[]),
                (Some("2"), &w, &[]),
                (Some("3"), &w, &[]),
                (Some("4"), &w, &[]),
            ],
        );
        // The translation joins 2 and 3 (3 unmarked: it continues group 2) and adds a
        // translator's note (5) with no Russian source; group 4 has no translation.
        let t = text(
            "en",
            &[
                (Some("1"), &w, &[]),
                (Some("2"), &w, &[]),
                (None, &w, &[]),
                (Some("5"), &w, &[]),
            ],
        );
        let o2 = text(
            "ru",
            &[
                (Some("1"), &w, &[]),
                (Some("2"), &w, &[]),
                (None, &w, &[]),
                (Some("4"), &w, &[]),
            ],
        );
        let rows = align(o2.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![
                (vec![0], vec![0]),
                (vec![1], vec![1]),
                (vec![2], vec![2]),
                (vec![3], vec![]),
                (vec![], vec![3])
            ]
        );
        let by: Vec<AlignedBy> = rows.iter().map(|r| r.by).collect();
        use AlignedBy::{Marker, Order};
        assert_eq!(by, [Marker, Marker, Order, Marker, Marker]);
        // One block against two, inside a group: one row.
        let t2 = text(
            "en",
            &[
                (Some("1"), &w, &[]),
                (Some("2"), &w, &[]),
                (None, &w, &[]),
                (Some("3"), &w, &[]),
                (Some("4"), &w, &[]),
            ],
        );
        let rows = align(o.reading(), t2.reading());
        assert_eq!(pairs(&rows)[1], (vec![1], vec![1, 2]));
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn a_comma_at_a_block_end_is_half_a_run_on() {
        assert_eq!(runs_on("слово слово,", "Слово"), RUN_ON / 2.0);
        assert_eq!(runs_on("слово слово", "слово"), RUN_ON);
        assert_eq!(runs_on("слово слово.", "слово"), 0.0);
    }

    #[test]
    fn markers_out_of_order_pin_only_those_that_rise_in_both() {
        let w = words(10);
        let o = text(
            "ru",
            &[
                (Some("1"), &w, &[]),
                (Some("2"), &w, &[]),
                (Some("3"), &w, &[]),
            ],
        );
        // 3 stands before 2 in the translation: pinning both would cross rows.
        let t = text(
            "en",
            &[
                (Some("1"), &w, &[]),
                (Some("3"), &w, &[]),
                (Some("2"), &w, &[]),
            ],
        );
        let rows = align(o.reading(), t.reading());
        let (mut last_o, mut last_t) = (None, None);
        let (mut seen_o, mut seen_t) = (Vec::new(), Vec::new());
        for row in &rows {
            for &i in &row.original {
                assert!(last_o < Some(i), "{rows:?}");
                last_o = Some(i);
                seen_o.push(i);
            }
            for &j in &row.translation {
                assert!(last_t < Some(j), "{rows:?}");
                last_t = Some(j);
                seen_t.push(j);
            }
        }
        assert_eq!((seen_o, seen_t), (vec![0, 1, 2], vec![0, 1, 2]), "{rows:?}");
        // 1 and 2 stay pinned to their counterparts.
        assert!(
            rows.iter()
                .any(|r| *r.original == [0] && r.translation.contains(&0)),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.original.contains(&1) && *r.translation == [2]),
            "{rows:?}"
        );
    }

    /// A translation longer than its original throughout is read by the ratio of
    /// their lengths: a block twice as long is the counterpart, not a mismatch.
    #[test]
    fn lengths_are_compared_by_the_ratio_of_the_two_texts() {
        // Twice as long throughout: two short blocks face two blocks twice their
        // length, one by one (read without the ratio, the two short ones would be
        // taken together for the first).
        let o = text(
            "ru",
            &[
                (None, &words(5), &[]),
                (None, &words(5), &[]),
                (None, &words(40), &[]),
            ],
        );
        let t = text(
            "en",
            &[
                (None, &words(10), &[]),
                (None, &words(10), &[]),
                (None, &words(40), &[]),
                (None, &words(40), &[]),
            ],
        );
        let rows = align(o.reading(), t.reading());
        assert_eq!(
            pairs(&rows),
            vec![
                (vec![0], vec![0]),
                (vec![1], vec![1]),
                (vec![2], vec![2, 3])
            ],
            "{rows:?}"
        );
    }

    #[test]
    fn the_normal_distribution() {
        // Exact values; the approximation is within 7.5e-8 of them (Abramowitz and
        // Stegun), so each of its coefficients shows.
        let exact = [
            (0.0, 0.5),
            (0.1, 0.539_827_837_277_029),
            (0.5, 0.691_462_461_274_013),
            (-1.0, 0.158_655_253_931_457),
            (1.96, 0.975_002_104_851_780),
            (2.5, 0.993_790_334_674_224),
            (-3.0, 0.001_349_898_031_630),
            (6.0, 0.999_999_999_013_412),
        ];
        for (x, p) in exact {
            assert!((normal_cdf(x) - p).abs() < 1e-7, "{x}: {}", normal_cdf(x));
        }
    }
}
