//! Times name recognition alone: builds the automaton over each edition's registers
//! and runs it over every text. Prints, per edition, milliseconds (median of several
//! passes, the editions' passes in turn), so that registers of different sizes can be
//! compared.
//!
//! Usage: recognition EDITION_DIR...

use dossier::annotate::Recognizer;
use dossier::diagnostics::Diagnostics;
use std::path::PathBuf;
use std::time::Instant;

/// The allocator of the `dossier` binary, so that times are those of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Several editions (the same texts with registers of different sizes) are timed
    // pass by pass in turn, so that a slow spell of the machine falls on all alike.
    let editions: Vec<_> = std::env::args()
        .skip(1)
        .map(|folder| {
            let root = PathBuf::from(folder);
            let mut diagnostics = Diagnostics::new();
            let edition = dossier::load::load(&root, &mut diagnostics).expect("the edition loads");
            let (recognizer, _) = Recognizer::new(&edition.registers);
            (edition, recognizer)
        })
        .collect();
    assert!(!editions.is_empty(), "usage: recognition EDITION_DIR...");
    const PASSES: usize = 15;
    let mut times = vec![Vec::new(); editions.len()];
    let mut found = vec![0; editions.len()];
    for _ in 0..PASSES {
        for (i, (edition, recognizer)) in editions.iter().enumerate() {
            let started = Instant::now();
            found[i] = edition
                .documents
                .iter()
                .flat_map(|d| &d.texts)
                .map(|t| recognizer.find(&t.source.text).len())
                .sum::<usize>();
            times[i].push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    for (i, (edition, _)) in editions.iter().enumerate() {
        let times = &mut times[i];
        times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        let bytes: usize = edition
            .documents
            .iter()
            .flat_map(|d| &d.texts)
            .map(|t| t.source.text.len())
            .sum();
        println!(
            "recognition_ms={:.1} mentions={} bytes={bytes} people={}",
            times[PASSES / 2],
            found[i],
            edition.registers.people.len()
        );
    }
}
