//! Times what `dossier serve` does after an edit: loads an edition fully in memory,
//! changes one document's text, and brings the site up to date through the same
//! `Site::update` the server uses, then writes what changed with `write::apply`, as
//! the server does. Prints the full build time and the update times (medians of
//! several edits), in milliseconds, and how many pages each kind of edit rendered:
//! an edit of words only, and one that names a person the document did not name.
//!
//! Usage: rebuild EDITION_DIR [--edits 5]

use dossier::site::Site;
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
    let options = BuildOptions {
        root: root.clone(),
        output: root.join("public"),
        base_url: None,
        relative: false,
    };
    let started = Instant::now();
    let mut site = Site::load(&options, &dossier::render::Discard)
        .unwrap_or_else(|d| panic!("the edition does not build:\n{d}"));
    let full = started.elapsed();
    let documents: Vec<String> = site
        .edition()
        .documents
        .iter()
        .map(|d| d.id.clone())
        .collect();
    // The server writes into its output folder; here an empty one stands for it.
    let output = std::env::temp_dir().join(format!("dossier-rebuild-{}", std::process::id()));
    std::fs::create_dir_all(&output).expect("a scratch folder");
    // Two kinds of edit: words that name no one (the document's pages change), and a
    // sentence that names a person the document did not name (the indexes, and the
    // pages of every entry the document names, change too).
    let newcomer = site
        .edition()
        .registers
        .people
        .values()
        .map(|p| p.name.clone())
        .next()
        .expect("a person in the register");
    let mut timed = |edit: &dyn Fn(usize) -> String| {
        let mut times = Vec::new();
        let mut rendered = 0;
        for k in 0..edits {
            let id = &documents[(k * 7919) % documents.len()];
            let text = root.join("content/documents").join(id).join("en.md");
            let before = std::fs::read_to_string(&text).expect("the text");
            std::fs::write(&text, format!("{before}\n{}\n", edit(k))).expect("the edit");
            let started = Instant::now();
            let update = site
                .update(std::slice::from_ref(&text))
                .expect("the update");
            dossier::write::apply(&output, &update.files, &update.removed).expect("the write");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            rendered = update.rendered.len();
            if std::env::var_os("REBUILD_LIST").is_some() {
                eprintln!("{:?}", update.rendered);
            }
            std::fs::write(&text, before).expect("undo the edit");
            site.update(&[text]).expect("the update back");
        }
        times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        (times[times.len() / 2], rendered)
    };
    let (words_ms, words_rendered) = timed(&|k| format!("An edit, number {k}."));
    let (name_ms, name_rendered) = timed(&|k| format!("Cde. {newcomer} agreed, number {k}."));
    let _ = std::fs::remove_dir_all(&output);
    println!(
        "full_ms={:.0} update_ms={words_ms:.1} rendered={words_rendered} \
         update_name_ms={name_ms:.1} rendered_name={name_rendered} files={}",
        full.as_secs_f64() * 1000.0,
        site.files().len()
    );
}
