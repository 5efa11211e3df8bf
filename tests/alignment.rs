//! How well automatic alignment does on the example edition: every block there is
//! pinned by the editor's `{§ N}` markers (the published, checked alignment); with all
//! markers stripped, the aligner must reproduce at least 90% of those rows.

use dossier::annotate::{annotate_document, recognizer};
use dossier::diagnostics::Diagnostics;
use dossier::model::{AlignedBy, AlignedRow, Edition};
use std::path::Path;

fn example() -> Edition {
    let mut diagnostics = Diagnostics::new();
    let edition = dossier::load::load(Path::new(env!("CARGO_MANIFEST_DIR")), &mut diagnostics)
        .expect("the example edition loads");
    assert!(!diagnostics.has_errors(), "{diagnostics}");
    edition
}

/// The text with every alignment marker `{§ N}` (and the space after it) removed.
fn strip_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{§") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find('}').expect("a closed marker") + 1;
        rest = after[end..].strip_prefix(' ').unwrap_or(&after[end..]);
    }
    out.push_str(rest);
    out
}

fn alignments(edition: &Edition) -> Vec<(String, Vec<AlignedRow>)> {
    let recognizer = recognizer(edition, &mut Diagnostics::new());
    edition
        .documents
        .iter()
        .map(|document| {
            let annotated = annotate_document(document, edition, &recognizer, &mut Vec::new());
            let rows = annotated
                .alignments
                .into_iter()
                .next()
                .map(|a| a.rows)
                .unwrap_or_default();
            (document.id.clone(), rows)
        })
        .collect()
}

#[test]
fn every_block_of_the_example_edition_is_pinned() {
    for (id, rows) in alignments(&example()) {
        assert!(rows.len() > 5, "{id}");
        for row in rows {
            assert_eq!(row.by, AlignedBy::Marker, "{id}: {row:?}");
        }
    }
}

#[test]
fn automatic_alignment_reproduces_at_least_90_percent_of_the_pinned_rows() {
    let pinned = example();
    let mut stripped = pinned.clone();
    for document in &mut stripped.documents {
        for text in &mut std::sync::Arc::make_mut(document).texts {
            text.source.text = strip_markers(&text.source.text);
        }
    }
    let (mut same, mut total) = (0, 0);
    let truth = alignments(&pinned);
    let automatic = alignments(&stripped);
    for ((id, truth), (_, auto)) in truth.iter().zip(&automatic) {
        let key = |r: &AlignedRow| (r.original.clone(), r.translation.clone());
        let found: Vec<_> = auto.iter().map(key).collect();
        let agreeing = truth.iter().filter(|r| found.contains(&key(r))).count();
        if std::env::var("ALIGN_DEBUG").is_ok() {
            for r in truth.iter().filter(|r| !found.contains(&key(r))) {
                println!("  pinned {:?} ~ {:?}", r.original, r.translation);
            }
            for r in auto
                .iter()
                .filter(|r| !truth.iter().any(|t| key(t) == key(r)))
            {
                println!(
                    "  auto   {:?} ~ {:?} conf {:.2} {:?}",
                    r.original, r.translation, r.confidence, r.by
                );
            }
        }
        println!(
            "{id}: {agreeing} of {} rows aligned as pinned ({:.0}%)",
            truth.len(),
            100.0 * agreeing as f64 / truth.len() as f64
        );
        same += agreeing;
        total += truth.len();
    }
    let share = same as f64 / total as f64;
    println!(
        "all documents: {same} of {total} rows ({:.1}%)",
        100.0 * share
    );
    assert!(
        share >= 0.9,
        "automatic alignment agrees on {:.1}% of rows",
        100.0 * share
    );
}

#[test]
fn with_the_markers_stripped_no_row_is_pinned_and_the_texts_keep_their_blocks() {
    let pinned = example();
    let mut stripped = pinned.clone();
    for document in &mut stripped.documents {
        for text in &mut std::sync::Arc::make_mut(document).texts {
            text.source.text = strip_markers(&text.source.text);
            assert!(
                !text.source.text.contains("{§"),
                "{}",
                text.source.path.display()
            );
        }
    }
    for ((id, truth), (_, auto)) in alignments(&pinned).iter().zip(&alignments(&stripped)) {
        assert!(auto.iter().all(|r| r.by != AlignedBy::Marker), "{id}");
        let blocks = |rows: &[AlignedRow]| -> (usize, usize) {
            (
                rows.iter().map(|r| r.original.len()).sum(),
                rows.iter().map(|r| r.translation.len()).sum(),
            )
        };
        assert_eq!(blocks(truth), blocks(auto), "{id}: the same blocks");
    }
}
