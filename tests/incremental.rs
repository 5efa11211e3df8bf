//! Incremental rebuilds, as `serve` does them: after an edit only the pages that
//! depend on it are rendered again, and the site is then exactly what a full build of
//! the edited edition gives.

mod common;

use dossier::render::Discard;
use dossier::site::{Site, Update};
use dossier::BuildOptions;
use std::collections::BTreeSet;
use std::path::PathBuf;

struct Edition {
    dir: tempfile::TempDir,
}

impl Edition {
    fn copy_of_example() -> Self {
        Self {
            dir: common::copy_of_example(true),
        }
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.dir.path().to_path_buf(),
            output: self.dir.path().join("public"),
            base_url: None,
            relative: false,
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn edit(&self, relative: &str, from: &str, to: &str) -> PathBuf {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} contains {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }
}

/// The site after an update equals a full build of the same files.
fn assert_same_as_full_build(site: &Site, edition: &Edition) {
    let full = Site::load(&edition.options(), &Discard).expect("a full build");
    let updated: BTreeSet<&String> = site.files().keys().collect();
    let built: BTreeSet<&String> = full.files().keys().collect();
    assert_eq!(updated, built, "the same files");
    for (path, contents) in full.files() {
        assert!(
            site.files()[path] == *contents,
            "{path} differs from a full build"
        );
    }
}

fn rendered(update: &Update) -> BTreeSet<String> {
    update.rendered.iter().cloned().collect()
}

const CABLE: &str = "content/documents/mikoyan-cable-from-beijing";

#[test]
fn editing_one_text_renders_its_page_the_indexes_and_the_entries_it_names() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let total = site.files().keys().filter(|p| p.ends_with(".html")).count();
    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "We agreed with c[omrade] Mao Zedong",
        "We agreed with c[omrade] Mao Zedong and Cde. Peng Dehuai",
    );
    let update = site.update(&[changed]).expect("the update succeeds");
    assert!(!update.full);

    // The metadata did not change: lists of documents (home, by date, tags) stay.
    // A person is named who was not: the indexes count again, and every entry the
    // cable names shows who is named with whom.
    let expected: BTreeSet<String> = [
        "documents/mikoyan-cable-from-beijing/",
        "documents/mikoyan-cable-from-beijing/source/",
        "people/",
        "events/",
        "places/",
        "glossary/",
        // The entries the cable names (texts, headnote, front matter)...
        "people/anastas-mikoyan/",
        "people/kim-il-sung/",
        "people/mao-zedong/",
        "people/pak-heon-yeong/",
        "people/sergey-radchenko/",
        "events/ccp-8th-congress/",
        "events/mikoyan-mao-conversation/",
        "places/beijing/",
        "places/korea/",
        "places/moscow/",
        // ...and the one it names now.
        "people/peng-dehuai/",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let extra_entries: BTreeSet<String> = rendered(&update)
        .into_iter()
        .filter(|p| !expected.contains(p))
        .collect();
    assert!(
        extra_entries.is_empty(),
        "rendered beyond what the edit touches: {extra_entries:?}"
    );
    let missing: BTreeSet<String> = expected
        .iter()
        .filter(|p| !update.rendered.contains(p))
        .cloned()
        .collect();
    assert!(missing.is_empty(), "not rendered: {missing:?}");
    assert!(
        update.rendered.len() * 2 < total,
        "{} of {total} pages",
        update.rendered.len()
    );

    // What changed on disk is the cable's page and what shows it.
    assert!(update
        .changed
        .contains(&"documents/mikoyan-cable-from-beijing/index.html".to_string()));
    assert!(update
        .changed
        .contains(&"people/peng-dehuai/index.html".to_string()));
    assert!(!update
        .changed
        .contains(&"documents/mikoyan-telegram-to-cpsu-cc/index.html".to_string()));
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn editing_words_far_from_any_name_renders_only_the_document() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "that we'll talk about this in detail later.",
        "that we'll talk about this in detail later, at length.",
    );
    let update = site.update(&[changed]).expect("the update succeeds");
    // "Mao Zedong" is within eight words of the edit: his passage shows it.
    assert_eq!(
        rendered(&update),
        [
            "documents/mikoyan-cable-from-beijing/",
            "documents/mikoyan-cable-from-beijing/source/",
            "people/mao-zedong/",
        ]
        .into_iter()
        .map(String::from)
        .collect::<BTreeSet<_>>()
    );
    assert_same_as_full_build(&site, &edition);

    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "at length.",
        "at length.\n\nAn editor's test paragraph.",
    );
    let update = site.update(&[changed]).expect("the update succeeds");
    assert_eq!(
        rendered(&update),
        [
            "documents/mikoyan-cable-from-beijing/",
            "documents/mikoyan-cable-from-beijing/source/",
        ]
        .into_iter()
        .map(String::from)
        .collect::<BTreeSet<_>>()
    );
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn editing_the_metadata_renders_the_lists_of_documents() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let index = edition.path(&format!("{CABLE}/index.md"));
    let text = std::fs::read_to_string(&index).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title line")
        .to_string();
    let changed = edition.edit(&format!("{CABLE}/index.md"), &title, "title: A new title");
    let update = site.update(&[changed]).expect("the update succeeds");
    let pages = rendered(&update);
    for page in ["", "documents/", "events/", "people/mao-zedong/", "tags/"] {
        assert!(pages.contains(page), "{page} not rendered: {pages:?}");
    }
    assert_same_as_full_build(&site, &edition);

    // A new tag in place of one no other document has: its page goes.
    let changed = edition.edit(
        &format!("{CABLE}/index.md"),
        "\"mao-zedong\"",
        "\"a-new-tag\"",
    );
    let update = site.update(&[changed]).expect("the update succeeds");
    assert!(rendered(&update).contains("tags/a-new-tag/"));
    assert!(update
        .removed
        .contains(&"tags/mao-zedong/index.html".to_string()));
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn changing_a_date_renders_the_neighbours_too() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let changed = edition.edit(
        &format!("{CABLE}/index.md"),
        "date: 1956-09-16",
        "date: 1956-09-22",
    );
    let update = site.update(&[changed]).unwrap();
    for neighbour in [
        "documents/conversation-with-kwp-delegation/", // before, by the old order
        "documents/meeting-soviet-chinese-delegations/",
        "documents/mikoyan-telegram-to-cpsu-cc/", // before, by the new order
    ] {
        assert!(
            update.rendered.contains(&neighbour.to_string()),
            "{neighbour}: {:?}",
            update.rendered
        );
    }
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn a_template_edit_renders_the_pages_using_it() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let changed = edition.edit(
        "templates/glossary.html",
        "<h1>Glossary</h1>",
        "<h1>Glossary of terms</h1>",
    );
    let update = site.update(&[changed]).unwrap();
    assert_eq!(update.rendered, ["glossary/"]);
    assert_eq!(update.changed, ["glossary/index.html"]);
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn a_register_edit_renders_the_entries_and_the_documents_naming_the_entry() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let changed = edition.edit(
        "content/people.yaml",
        "name: \"Sitnikova\"",
        "name: \"N. Sitnikova\"",
    );
    let update = site.update(&[changed]).unwrap();
    let documents: Vec<&String> = update
        .rendered
        .iter()
        .filter(|p| p.starts_with("documents/") && p.len() > 10)
        .collect();
    assert_eq!(
        documents,
        ["documents/mikoyan-telegram-to-cpsu-cc/"],
        "only the telegram names her"
    );
    assert!(update.rendered.contains(&"people/sitnikova/".to_string()));
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn a_failed_update_keeps_the_last_good_site_and_a_fix_recovers() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let before = site.files().clone();
    let meta = format!("{CABLE}/index.md");
    let broken = edition.edit(&meta, "date: 1956-09-16", "date: 1956-09-31");
    let errors = site
        .update(std::slice::from_ref(&broken))
        .expect_err("an impossible date");
    assert!(
        errors.to_string().contains("index.md:3:7: error:"),
        "{errors}"
    );
    assert!(site.files() == &before, "the last good site stays");
    edition.edit(&meta, "date: 1956-09-31", "date: 1956-09-16");
    let update = site.update(&[broken]).unwrap();
    assert!(
        update.changed.is_empty(),
        "back to what it was: {:?}",
        update.changed
    );
    assert_same_as_full_build(&site, &edition);
}

#[test]
fn adding_a_document_rebuilds_everything() {
    let edition = Edition::copy_of_example();
    let mut site = Site::load(&edition.options(), &Discard).unwrap();
    let new = edition.path("content/documents/a-new-note");
    std::fs::create_dir(&new).unwrap();
    std::fs::write(
        new.join("index.md"),
        "---\ntitle: \"A note\"\ndate: 1956-09-25\n---\n",
    )
    .unwrap();
    std::fs::write(new.join("en.md"), "Kim Il Sung.\n").unwrap();
    let update = site.update(&[new.join("en.md")]).unwrap();
    assert!(update.full);
    assert!(update
        .changed
        .contains(&"documents/a-new-note/index.html".to_string()));
    assert_same_as_full_build(&site, &edition);
}
