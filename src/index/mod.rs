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
        by_year
            .entry(documents[doc].meta.date.year)
            .or_default()
            .push(doc);
    }
    SiteIndex {
        by_date,
        neighbours,
        by_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, DocumentMeta, PartialDate, SiteConfig, Source};

    fn document(id: &str, date: &str) -> Document {
        let meta: DocumentMeta =
            serde_yaml::from_str(&format!("title: \"{id}\"\ndate: {date}\n")).unwrap();
        assert_eq!(meta.date, PartialDate::parse(date).unwrap());
        Document {
            id: id.into(),
            meta,
            headnote: Source {
                path: "x".into(),
                text: String::new(),
                line_offset: 0,
            },
            texts: Vec::new(),
        }
    }

    #[test]
    fn orders_by_date_then_id_and_links_neighbours() {
        let edition = Edition {
            root: ".".into(),
            config: serde_yaml::from_str::<SiteConfig>("title: t").unwrap(),
            registers: Default::default(),
            documents: vec![
                document("telegram", "1956-09-21"),
                document("cable", "1956-09-16"),
                document("a-conversation", "1956-09-16"),
                document("report", "1957"),
            ],
            pages: Vec::new(),
        };
        let index = index(&edition);
        assert_eq!(index.by_date, vec![2, 1, 0, 3]);
        assert_eq!(index.neighbours[2], (None, Some(1)));
        assert_eq!(index.neighbours[0], (Some(1), Some(3)));
        assert_eq!(index.neighbours[3], (Some(0), None));
        assert_eq!(index.by_year[&1956], vec![2, 1, 0]);
        assert_eq!(index.by_year[&1957], vec![3]);
    }
}
