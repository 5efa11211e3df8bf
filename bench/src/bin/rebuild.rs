//! Times what `dossier serve` does after an edit: builds an edition with the
//! pipeline, changes one document's text, and runs the same pipeline again with the
//! path the watcher would report, as the server does (the files that changed are
//! written to the output folder). Prints the full build time and the update times
//! (medians of several edits), in milliseconds, and how many pages each kind of edit
//! made: an edit of words only, and one that names a person the document did not
//! name.
//!
//! Usage: rebuild EDITION_DIR [--edits 5]

use dossier::load::Changed;
use dossier::pipeline::Pipeline;
use dossier::BuildOptions;
use std::path::PathBuf;
use std::time::Instant;

/// The allocator of the `dossier` binary, so that times are those of `serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("the edition's folder"));
    let mut edits = 5usize;
    while let Some(arg) = args.next() {
        if arg == "--edits" {
            edits = args.next().and_then(|v| v.parse().ok()).expect("a number");
        }
    }
    // The server writes into its output folder; here a scratch one stands for it.
    let output = std::env::temp_dir().join(format!("dossier-rebuild-{}", std::process::id()));
    let options = BuildOptions {
        root: root.clone(),
        output: output.clone(),
        base_url: None,
        relative: false,
    };
    let started = Instant::now();
    let mut pipeline = Pipeline::new(&options);
    let first = pipeline
        .run(&Changed::Everything)
        .unwrap_or_else(|e| panic!("the edition does not build:\n{e}"));
    pipeline.settle().expect("the corpus is written");
    let full = started.elapsed();
    // With REBUILD_IDLE=N, N runs after no edit first (to profile what a run costs
    // by itself).
    let idle: usize = std::env::var("REBUILD_IDLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for _ in 0..idle {
        let nothing = root.join("content/site.yaml");
        pipeline
            .run(&Changed::Paths(vec![nothing]))
            .expect("a run after no edit");
    }
    let mut documents: Vec<String> = std::fs::read_dir(root.join("content/documents"))
        .expect("the documents")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    documents.sort();
    // Two kinds of edit: words that name no one (the document's pages change), and a
    // sentence that names a person the document did not name (the people index, and
    // the pages of the people the document names, change too).
    let people = std::fs::read_to_string(root.join("content/people.yaml")).expect("people");
    let newcomer = people
        .lines()
        .find_map(|l| l.trim().strip_prefix("name: "))
        .map(|n| n.trim_matches('"').to_string())
        .expect("a person in the register");
    // The edition's TEI corpus is written after the pages, on a thread of its own:
    // how long that takes after a run is timed apart (`corpus_ms`).
    let mut settles = Vec::new();
    let mut timed = |edit: &dyn Fn(usize) -> String| {
        let mut times = Vec::new();
        let mut made = 0;
        for k in 0..edits {
            let id = &documents[(k * 7919) % documents.len()];
            let text = root.join("content/documents").join(id).join("en.md");
            let before = std::fs::read_to_string(&text).expect("the text");
            std::fs::write(&text, format!("{before}\n{}\n", edit(k))).expect("the edit");
            let started = Instant::now();
            let run = pipeline
                .run(&Changed::Paths(vec![text.clone()]))
                .expect("the update");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let settling = Instant::now();
            pipeline.settle().expect("the corpus is written");
            settles.push(settling.elapsed().as_secs_f64() * 1000.0);
            made = run.made.len();
            if std::env::var_os("REBUILD_LIST").is_some() {
                eprintln!("{:?}", run.made);
            }
            std::fs::write(&text, before).expect("undo the edit");
            pipeline
                .run(&Changed::Paths(vec![text]))
                .expect("the update back");
            // As when an editor's next save comes a moment later.
            pipeline.settle().expect("the corpus is written");
        }
        times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        (times[times.len() / 2], made)
    };
    let (words_ms, words_made) = timed(&|k| format!("An edit, number {k}."));
    let (name_ms, name_made) = timed(&|k| format!("Cde. {newcomer} agreed, number {k}."));
    settles.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let corpus_ms = settles[settles.len() / 2];
    // A third: a document added (a bundle copied in, as `cp -r` does), then removed.
    let mut times = Vec::new();
    let mut added_made = 0;
    for k in 0..edits {
        let from = root
            .join("content/documents")
            .join(&documents[(k * 7919) % documents.len()]);
        let to = root.join("content/documents").join(format!("zz-added-{k}"));
        copy_folder(&from, &to);
        let started = Instant::now();
        let run = pipeline
            .run(&Changed::Paths(vec![to.clone()]))
            .expect("the update");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        added_made = run.made.len();
        pipeline.settle().expect("the corpus is written");
        std::fs::remove_dir_all(&to).expect("remove the copy");
        pipeline
            .run(&Changed::Paths(vec![to]))
            .expect("the update back");
        pipeline.settle().expect("the corpus is written");
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    let added_ms = times[times.len() / 2];
    let _ = std::fs::remove_dir_all(&output);
    println!(
        "full_ms={:.0} update_ms={words_ms:.1} rendered={words_made} \
         update_name_ms={name_ms:.1} rendered_name={name_made} \
         update_added_ms={added_ms:.1} rendered_added={added_made} files={} \
         corpus_ms={corpus_ms:.1}",
        full.as_secs_f64() * 1000.0,
        first.files
    );
}

fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a bundle") {
        let entry = entry.expect("an entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("a copy");
    }
}
