//! Times name recognition alone: builds the automaton over an edition's registers and
//! runs it over every text. Prints milliseconds (median of several passes), so that
//! editions with registers of different sizes can be compared.
//!
//! Usage: recognition EDITION_DIR

use dossier::annotate::Recognizer;
use dossier::diagnostics::Diagnostics;
use std::path::PathBuf;
use std::time::Instant;

/// The allocator of the `dossier` binary, so that times are those of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("the edition's folder"));
    let mut diagnostics = Diagnostics::new();
    let edition = dossier::load::load(&root, &mut diagnostics).expect("the edition loads");
    let (recognizer, _) = Recognizer::new(&edition.registers);
    let texts: Vec<&str> = edition
        .documents
        .iter()
        .flat_map(|d| d.texts.iter().map(|t| t.source.text.as_str()))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let started = Instant::now();
        found = texts
            .iter()
            .map(|t| recognizer.find(t).len())
            .sum::<usize>();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    println!(
        "recognition_ms={:.1} mentions={found} bytes={bytes} people={}",
        times[2],
        edition.registers.people.len()
    );
}
