//! Stage 3, index: what needs the whole edition at once.
//!
//! Orders documents by date, finds each document's neighbours, groups by year. Takes
//! the loaded edition and returns a [`SiteIndex`]; renders nothing.
//!
//! Not here: anything per text (that is `annotate`).

use crate::model::{Edition, SiteIndex};
use std::collections::BTreeMap;

pub fn index(edition: &Edition) -> SiteIndex {
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
    for &doc in &by_date {
        by_year.entry(documents[doc].meta.date.year).or_default().push(doc);
    }
    SiteIndex {
        by_date,
        neighbours,
        by_year,
    }
}
