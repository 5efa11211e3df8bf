//! Incremental runs of the pipeline, as `serve` does them: after an edit only the
//! pages that read what changed are made again, and the output folder is then byte
//! for byte what a fresh build of the edited edition writes.

mod common;

use dossier::load::Changed;
use dossier::pipeline::{Pipeline, Run};
use dossier::BuildOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

struct Edition {
    dir: tempfile::TempDir,
}

impl Edition {
    fn copy_of_example() -> Self {
        Self {
            dir: common::copy_of_example(true),
        }
    }

    fn options(&self, output: &str) -> BuildOptions {
        BuildOptions {
            root: self.dir.path().to_path_buf(),
            output: self.dir.path().join(output),
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

    /// A pipeline that has built the edition into `public/`.
    fn built(&self) -> Pipeline {
        let mut pipeline = Pipeline::new(&self.options("public"));
        pipeline.run(&Changed::Everything).expect("a first build");
        pipeline
    }
}

/// Every file below `folder`, by relative path, with its contents.
fn files_of(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(folder) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(folder).unwrap();
            files.insert(
                path.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// The output folder after an update holds what a fresh build writes.
fn assert_same_as_full_build(edition: &Edition) {
    let fresh = edition.options("fresh");
    dossier::build(&fresh).expect("a full build");
    let updated = files_of(&edition.path("public"));
    let built = files_of(&fresh.output);
    let paths: BTreeSet<&String> = updated.keys().collect();
    assert_eq!(paths, built.keys().collect(), "the same files");
    for (path, contents) in &built {
        assert!(
            &updated[path] == contents,
            "{path} differs from a full build"
        );
    }
    std::fs::remove_dir_all(&fresh.output).unwrap();
}

/// The addresses of the pages a run made.
fn made(run: &Run) -> BTreeSet<String> {
    run.made
        .iter()
        .map(|p| p.strip_suffix("index.html").unwrap_or(p).to_string())
        .collect()
}

fn run_after(pipeline: &mut Pipeline, paths: &[PathBuf]) -> Run {
    let run = pipeline
        .run(&Changed::Paths(paths.to_vec()))
        .expect("the update succeeds");
    pipeline.settle().expect("the edition's corpus is written");
    run
}

const CABLE: &str = "content/documents/mikoyan-cable-from-beijing";

#[test]
fn editing_one_text_renders_its_page_the_indexes_and_the_entries_it_names() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let total = files_of(&edition.path("public"))
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "We agreed with c[omrade] Mao Zedong",
        "We agreed with c[omrade] Mao Zedong and Cde. Peng Dehuai",
    );
    let update = run_after(&mut pipeline, &[changed]);
    assert!(!update.replaced);

    // The metadata did not change: lists of documents (home, by date, tags) stay.
    // A person is named who was not: the people index counts again, the people the
    // cable names show him among those named with them, and his page lists the
    // cable. Events, places and terms are named as before, in blocks the edit did
    // not touch: their pages stay.
    let expected: BTreeSet<String> = [
        "documents/mikoyan-cable-from-beijing/",
        "documents/mikoyan-cable-from-beijing/source/",
        "people/",
        // The people the cable names (texts, headnote, front matter)...
        "people/anastas-mikoyan/",
        "people/kim-il-sung/",
        "people/mao-zedong/",
        "people/pak-heon-yeong/",
        "people/sergey-radchenko/",
        // ...and the one it names now.
        "people/peng-dehuai/",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let extra_entries: BTreeSet<String> = made(&update)
        .into_iter()
        .filter(|p| !expected.contains(p))
        .collect();
    assert!(
        extra_entries.is_empty(),
        "rendered beyond what the edit touches: {extra_entries:?}"
    );
    let missing: BTreeSet<String> = expected
        .iter()
        .filter(|p| !made(&update).contains(*p))
        .cloned()
        .collect();
    assert!(missing.is_empty(), "not rendered: {missing:?}");
    assert!(
        update.made.len() * 2 < total,
        "{} of {total} pages",
        update.made.len()
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
    assert_same_as_full_build(&edition);
}

#[test]
fn editing_words_far_from_any_name_renders_only_the_document() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "that we'll talk about this in detail later.",
        "that we'll talk about this in detail later, at length.",
    );
    let update = run_after(&mut pipeline, &[changed]);
    // "Mao Zedong" is within eight words of the edit: his passage shows it.
    assert_eq!(
        made(&update),
        [
            "documents/mikoyan-cable-from-beijing/",
            "documents/mikoyan-cable-from-beijing/source/",
            "people/mao-zedong/",
        ]
        .into_iter()
        .map(String::from)
        .collect::<BTreeSet<_>>()
    );
    assert_same_as_full_build(&edition);

    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "at length.",
        "at length.\n\nAn editor's test paragraph.",
    );
    let update = run_after(&mut pipeline, &[changed]);
    assert_eq!(
        made(&update),
        [
            "documents/mikoyan-cable-from-beijing/",
            "documents/mikoyan-cable-from-beijing/source/",
        ]
        .into_iter()
        .map(String::from)
        .collect::<BTreeSet<_>>()
    );
    assert_same_as_full_build(&edition);
}

#[test]
fn editing_the_metadata_renders_the_lists_of_documents() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let index = edition.path(&format!("{CABLE}/index.md"));
    let text = std::fs::read_to_string(&index).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title line")
        .to_string();
    let changed = edition.edit(&format!("{CABLE}/index.md"), &title, "title: A new title");
    let update = run_after(&mut pipeline, &[changed]);
    let pages = made(&update);
    // The lists of documents show the title, and so do the pages of the entries the
    // document names, and its neighbours; the tags index counts, and does not change.
    for page in [
        "",
        "documents/",
        "events/",
        "people/mao-zedong/",
        "tags/korea/",
    ] {
        assert!(pages.contains(page), "{page} not rendered: {pages:?}");
    }
    assert!(!pages.contains("tags/"), "{pages:?}");
    assert_same_as_full_build(&edition);

    // A new tag in place of one no other document has: its page goes.
    let changed = edition.edit(
        &format!("{CABLE}/index.md"),
        "\"mao-zedong\"",
        "\"a-new-tag\"",
    );
    let update = run_after(&mut pipeline, &[changed]);
    assert!(made(&update).contains("tags/a-new-tag/"));
    assert!(update
        .removed
        .contains(&"tags/mao-zedong/index.html".to_string()));
    assert_same_as_full_build(&edition);
}

#[test]
fn an_edit_changes_the_documents_data_citations_and_the_edition_wide_files() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let cable = "documents/mikoyan-cable-from-beijing";
    let others = "documents/mikoyan-telegram-to-cpsu-cc";

    // Words of a text: the document's data and TEI, and the whole edition's TEI;
    // not its citation, nor any other document's files.
    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "that we'll talk about this in detail later.",
        "that we'll talk about this in detail later, at length.",
    );
    let update = run_after(&mut pipeline, &[changed]);
    let written: BTreeSet<&str> = update.changed.iter().map(String::as_str).collect();
    for file in [
        format!("{cable}.json"),
        format!("{cable}.xml"),
        "data/edition.xml".to_string(),
    ] {
        assert!(
            written.contains(file.as_str()),
            "{file} not written: {written:?}"
        );
    }
    for file in [
        format!("{cable}.bib"),
        format!("{cable}.ris"),
        format!("{cable}.csl.json"),
        format!("{others}.json"),
        format!("{others}.xml"),
        "data/documents.json".to_string(),
        "sitemap.xml".to_string(),
        "feed.xml".to_string(),
    ] {
        assert!(
            !written.contains(file.as_str()),
            "{file} written: {written:?}"
        );
    }
    assert_same_as_full_build(&edition);

    // Its metadata: the citation files, the catalogue and the feed too.
    let changed = edition.edit(
        &format!("{CABLE}/index.md"),
        "updated: 2026-12-06",
        "updated: 2026-12-07",
    );
    let update = run_after(&mut pipeline, &[changed]);
    let written: BTreeSet<&str> = update.changed.iter().map(String::as_str).collect();
    for file in [
        format!("{cable}.json"),
        format!("{cable}.xml"),
        "data/documents.json".to_string(),
        "sitemap.xml".to_string(),
        "feed.xml".to_string(),
    ] {
        assert!(
            written.contains(file.as_str()),
            "{file} not written: {written:?}"
        );
    }
    assert!(!written.contains(format!("{others}.json").as_str()));
    let changed = edition.edit(
        &format!("{CABLE}/index.md"),
        "title: \"",
        "title: \"Revised: ",
    );
    let update = run_after(&mut pipeline, &[changed]);
    let written: BTreeSet<&str> = update.changed.iter().map(String::as_str).collect();
    for file in [
        format!("{cable}.bib"),
        format!("{cable}.ris"),
        format!("{cable}.csl.json"),
    ] {
        assert!(
            written.contains(file.as_str()),
            "{file} not written: {written:?}"
        );
    }
    assert_same_as_full_build(&edition);
}

#[test]
fn a_changed_role_or_translator_renders_the_pages_of_the_people_concerned() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let record = "content/documents/conversation-with-kwp-delegation/index.md";
    // The same person, another role: only what shows roles changes.
    let changed = edition.edit(record, "recorder: v-kovyshenko", "author: v-kovyshenko");
    let pages = made(&run_after(&mut pipeline, &[changed]));
    for page in [
        "documents/conversation-with-kwp-delegation/",
        "people/v-kovyshenko/",
    ] {
        assert!(pages.contains(page), "{page} not rendered: {pages:?}");
    }
    assert_same_as_full_build(&edition);
    // Another translator: the one who was, and the one who is.
    let changed = edition.edit(record, "en: \"Gary Goldberg\"", "en: \"Sergey Radchenko\"");
    let pages = made(&run_after(&mut pipeline, &[changed]));
    for page in [
        "people/gary-goldberg/",
        "people/sergey-radchenko/",
        "people/",
    ] {
        assert!(pages.contains(page), "{page} not rendered: {pages:?}");
    }
    assert_same_as_full_build(&edition);
    // A translator the register did not know, added to it: their name becomes theirs.
    let changed = edition.edit(
        record,
        "en: \"Sergey Radchenko\"",
        "en: \"Kathryn Weathersby\"",
    );
    run_after(&mut pipeline, &[changed]);
    assert_same_as_full_build(&edition);
    let people = edition.path("content/people.yaml");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        format!("{text}\nkathryn-weathersby:\n  name: \"Kathryn Weathersby\"\n"),
    )
    .unwrap();
    let pages = made(&run_after(&mut pipeline, &[people]));
    assert!(pages.contains("people/kathryn-weathersby/"), "{pages:?}");
    let page = std::fs::read_to_string(
        edition.path("public/documents/conversation-with-kwp-delegation/index.html"),
    )
    .unwrap();
    assert!(
        page.contains(
            "translation by <a href=\"../../people/kathryn-weathersby/\">Kathryn Weathersby</a>"
        ),
        "the translator is linked"
    );
    assert_same_as_full_build(&edition);
}

#[test]
fn changing_a_date_renders_the_neighbours_too() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let changed = edition.edit(
        &format!("{CABLE}/index.md"),
        "date: 1956-09-16",
        "date: 1956-09-22",
    );
    let update = run_after(&mut pipeline, &[changed]);
    for neighbour in [
        "documents/conversation-with-kwp-delegation/", // before, by the old order
        "documents/meeting-soviet-chinese-delegations/",
        "documents/mikoyan-telegram-to-cpsu-cc/", // before, by the new order
    ] {
        assert!(
            made(&update).contains(neighbour),
            "{neighbour}: {:?}",
            update.made
        );
    }
    assert_same_as_full_build(&edition);
}

#[test]
fn a_template_edit_renders_the_pages_using_it() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let changed = edition.edit(
        "templates/glossary.html",
        "<h1>Glossary</h1>",
        "<h1>Glossary of terms</h1>",
    );
    let update = run_after(&mut pipeline, &[changed]);
    assert_eq!(update.made, ["glossary/index.html"]);
    assert_eq!(update.changed, ["glossary/index.html"]);
    assert_same_as_full_build(&edition);
}

#[test]
fn a_register_edit_renders_the_entries_and_the_documents_naming_the_entry() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let changed = edition.edit(
        "content/people.yaml",
        "name: \"Sitnikova\"",
        "name: \"N. Sitnikova\"",
    );
    let update = run_after(&mut pipeline, &[changed]);
    let documents: Vec<String> = made(&update)
        .into_iter()
        .filter(|p| p.starts_with("documents/") && p.len() > 10)
        .collect();
    assert_eq!(
        documents,
        ["documents/mikoyan-telegram-to-cpsu-cc/"],
        "only the telegram names her"
    );
    assert!(made(&update).contains("people/sitnikova/"));
    assert_same_as_full_build(&edition);
    // A new name the words of an unchanged text hold: the text is read again for
    // names, and its page links the new entry.
    let people = edition.path("content/people.yaml");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        format!("{text}\ngrim-colors:\n  name: \"Grim Colors\"\n  aliases: [\"grim colors\"]\n"),
    )
    .unwrap();
    let update = run_after(&mut pipeline, &[people]);
    assert!(made(&update).contains("documents/mikoyan-cable-from-beijing/"));
    let page = std::fs::read_to_string(
        edition.path("public/documents/mikoyan-cable-from-beijing/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("people/grim-colors/"),
        "the new name is linked"
    );
    assert_same_as_full_build(&edition);
}

#[test]
fn a_failed_update_keeps_the_last_good_site_and_a_fix_recovers() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let before = files_of(&edition.path("public"));
    let meta = format!("{CABLE}/index.md");
    let broken = edition.edit(&meta, "date: 1956-09-16", "date: 1956-09-31");
    let errors = pipeline
        .run(&Changed::Paths(vec![broken.clone()]))
        .expect_err("an impossible date");
    assert!(
        errors.to_string().contains("index.md:3:7: error:"),
        "{errors}"
    );
    assert!(
        files_of(&edition.path("public")) == before,
        "the last good site stays"
    );
    edition.edit(&meta, "date: 1956-09-31", "date: 1956-09-16");
    let update = run_after(&mut pipeline, &[broken]);
    assert!(
        update.changed.is_empty(),
        "back to what it was: {:?}",
        update.changed
    );
    assert_same_as_full_build(&edition);
}

#[test]
fn after_a_write_that_failed_the_next_run_writes_every_file_anew() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    // The people's folder taken away and a file put in its place: the update's
    // pages of people cannot be written.
    let people = edition.path("public/people");
    std::fs::remove_dir_all(&people).unwrap();
    std::fs::write(&people, "in the way").unwrap();
    let changed = edition.edit(
        &format!("{CABLE}/en.md"),
        "We agreed with c[omrade] Mao Zedong",
        "We agreed with c[omrade] Mao Zedong and Cde. Peng Dehuai",
    );
    let failed = pipeline
        .run(&Changed::Paths(vec![changed.clone()]))
        .and_then(|_| pipeline.settle());
    assert!(
        matches!(failed, Err(dossier::pipeline::RunError::Output(_))),
        "the write fails"
    );
    std::fs::remove_file(&people).unwrap();
    // Nothing is known of what is on disk now: a new folder with every file, not
    // only those the edit changed (the people's pages among them).
    let next = run_after(&mut pipeline, &[]);
    assert!(next.replaced, "a new output folder");
    assert_same_as_full_build(&edition);
}

#[test]
fn adding_a_document_makes_the_pages_that_show_it() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let new = edition.path("content/documents/a-new-note");
    std::fs::create_dir(&new).unwrap();
    std::fs::write(
        new.join("index.md"),
        "---\ntitle: \"A note\"\ndate: 1956-09-25\n---\n",
    )
    .unwrap();
    std::fs::write(new.join("en.md"), "Kim Il Sung.\n").unwrap();
    let update = run_after(&mut pipeline, &[new.join("en.md")]);
    assert!(!update.replaced);
    assert!(update
        .changed
        .contains(&"documents/a-new-note/index.html".to_string()));
    // Its pages, the lists, its neighbours and the entry it names; not the rest.
    let pages = made(&update);
    assert!(pages.contains("people/kim-il-sung/"), "{pages:?}");
    assert!(!pages.contains("people/sitnikova/"), "{pages:?}");
    assert!(
        !pages.contains("documents/conversation-with-kwp-delegation/"),
        "{pages:?}"
    );
    assert_same_as_full_build(&edition);
}

#[test]
fn site_settings_and_free_pages_are_read_again_when_they_change() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let settings = edition.edit(
        "content/site.yaml",
        "title: \"",
        "title: \"(Second edition) ",
    );
    let update = run_after(&mut pipeline, &[settings]);
    let home = std::fs::read_to_string(edition.path("public/index.html")).unwrap();
    assert!(
        home.contains("(Second edition)"),
        "the settings were read again"
    );
    assert!(update.made.len() > 50, "every page shows the title");
    assert_same_as_full_build(&edition);

    let page = edition.path("content/pages/sources.md");
    std::fs::write(
        &page,
        "---\ntitle: \"Sources\"\n---\nWhere the texts come from.\n",
    )
    .unwrap();
    let update = run_after(&mut pipeline, std::slice::from_ref(&page));
    assert!(made(&update).contains("sources/"), "{:?}", update.made);
    assert_same_as_full_build(&edition);

    // Its words edited: the page says the new words.
    std::fs::write(
        &page,
        "---\ntitle: \"Sources\"\n---\nWhere the texts come from, and how.\n",
    )
    .unwrap();
    run_after(&mut pipeline, std::slice::from_ref(&page));
    let sources = std::fs::read_to_string(edition.path("public/sources/index.html")).unwrap();
    assert!(sources.contains("and how."), "the page was read again");
    assert_same_as_full_build(&edition);
    // The site's language changed: texts are annotated again for it.
    let settings = edition.edit("content/site.yaml", "language: \"en\"", "language: \"de\"");
    run_after(&mut pipeline, &[settings]);
    assert_same_as_full_build(&edition);

    std::fs::remove_file(&page).unwrap();
    let update = run_after(&mut pipeline, &[page]);
    assert!(update.removed.contains(&"sources/index.html".to_string()));
    assert!(
        !edition.path("public/sources").exists(),
        "its folder goes too"
    );
    assert_same_as_full_build(&edition);
}

#[test]
fn a_bundle_removed_takes_its_pages_and_folders_away() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    let bundle = edition.path(CABLE);
    std::fs::remove_dir_all(&bundle).unwrap();
    let update = run_after(&mut pipeline, &[bundle]);
    assert!(update
        .removed
        .contains(&"documents/mikoyan-cable-from-beijing/index.html".to_string()));
    assert!(!edition
        .path("public/documents/mikoyan-cable-from-beijing")
        .exists());
    assert_same_as_full_build(&edition);
}

#[test]
fn a_renamed_bundle_and_a_facsimile_added_change_what_the_site_holds() {
    let edition = Edition::copy_of_example();
    let mut pipeline = edition.built();
    // As many documents as before, in the same place of the list, under a new id.
    let old = edition.path(CABLE);
    let new = edition.path("content/documents/mikoyan-cable-renamed");
    std::fs::rename(&old, &new).unwrap();
    let update = run_after(&mut pipeline, &[old, new.clone()]);
    assert!(update
        .removed
        .contains(&"documents/mikoyan-cable-from-beijing/index.html".to_string()));
    assert!(edition
        .path("public/documents/mikoyan-cable-renamed/index.html")
        .is_file());
    assert_same_as_full_build(&edition);
    // A facsimile of sheet 2 in a bundle that had none: published, and linked from
    // the page marker.
    let image = new.join("2.png");
    scan(&image, 2, 40, 30);
    run_after(&mut pipeline, std::slice::from_ref(&image));
    assert!(edition
        .path("public/documents/mikoyan-cable-renamed/2.png")
        .is_file());
    assert_same_as_full_build(&edition);
    // With a second image beside it, a new scan of the first replaces it.
    let other = new.join("3.png");
    scan(&other, 3, 40, 30);
    run_after(&mut pipeline, &[other]);
    scan(&image, 4, 40, 30);
    run_after(&mut pipeline, &[image]);
    assert_same_as_full_build(&edition);
}

/// A scan `width` × `height` at `path`, its pixels told apart by `seed`.
fn scan(path: &Path, seed: u8, width: u32, height: u32) {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8 ^ seed, (y % 241) as u8, seed])
    })
    .save(path)
    .unwrap();
}

/// The copies of images in the output, by path.
fn copies(edition: &Edition) -> BTreeSet<String> {
    files_of(&edition.path("public"))
        .into_keys()
        .filter(|p| p.contains("/web/") || p.contains("/thumbnails/"))
        .collect()
}

/// Page images under `serve`: a text edited makes no copy of an image again; a
/// new scan makes its own two copies, under new names (the old ones removed), and
/// touches the other image's; after each, the output is a fresh build's.
#[test]
fn a_text_edited_makes_no_copies_and_a_new_scan_only_its_own() {
    let edition = Edition::copy_of_example();
    let bundle = edition.path(CABLE);
    scan(&bundle.join("1.png"), 1, 320, 240);
    scan(&bundle.join("2.png"), 2, 320, 240);
    let mut pipeline = Pipeline::new(&edition.options("public"));
    let first = pipeline.run(&Changed::Everything).expect("a first build");
    assert_eq!((first.images_made, first.images_reused), (4, 0));
    let before = copies(&edition);
    assert_eq!(before.len(), 4);

    let text = edition.edit(
        &format!("{CABLE}/en.md"),
        "We agreed with c[omrade] Mao Zedong",
        "We agreed with c[omrade] Mao Zedong and Cde. Peng Dehuai",
    );
    let update = run_after(&mut pipeline, &[text]);
    assert_eq!((update.images_made, update.images_reused), (0, 0));
    assert_eq!(copies(&edition), before);
    assert_same_as_full_build(&edition);

    let image = bundle.join("1.png");
    scan(&image, 3, 320, 240);
    let update = run_after(&mut pipeline, std::slice::from_ref(&image));
    assert_eq!((update.images_made, update.images_reused), (2, 0));
    let after = copies(&edition);
    assert_eq!(after.len(), 4);
    assert_eq!(
        after.intersection(&before).count(),
        2,
        "2.png's copies stay"
    );
    assert_eq!(
        before.difference(&after).count(),
        2,
        "1.png's old copies are gone"
    );
    assert_same_as_full_build(&edition);
}

/// A document added where a list is full makes a page of it; removed, the page
/// goes: the pages a list takes follow the edition as a fresh build's do.
#[test]
fn lists_gain_and_lose_pages_as_documents_come_and_go() {
    let edition = Edition::copy_of_example();
    // 4 + 96: the documents by date fill one page exactly; Kim Il Sung's, two.
    common::add_documents(edition.dir.path(), 96);
    let mut pipeline = edition.built();
    assert!(!edition.path("public/documents/page/2").exists());
    common::write_document(edition.dir.path(), 97);
    let new = edition.path("content/documents/extra-97");
    let update = run_after(&mut pipeline, std::slice::from_ref(&new));
    assert!(update
        .changed
        .contains(&"documents/page/2/index.html".to_string()));
    assert!(update
        .changed
        .contains(&"people/kim-il-sung/page/2/index.html".to_string()));
    // The pages of other entries are not made again.
    let pages = made(&update);
    assert!(!pages.contains("people/mao-zedong/"), "{pages:?}");
    assert_same_as_full_build(&edition);
    std::fs::remove_dir_all(&new).unwrap();
    let update = run_after(&mut pipeline, &[new]);
    assert!(update
        .removed
        .contains(&"documents/page/2/index.html".to_string()));
    assert!(!edition.path("public/documents/page/2").exists());
    assert_same_as_full_build(&edition);
}

/// A page of the documents by date reads its own documents: a title edited makes
/// the page that lists the document again, not the others.
#[test]
fn a_title_edited_makes_only_its_page_of_the_list_again() {
    let edition = Edition::copy_of_example();
    common::add_documents(edition.dir.path(), 150);
    let mut pipeline = edition.built();
    // extra-150 is the last by date: on page 2.
    let edited = edition.edit(
        "content/documents/extra-150/index.md",
        "title: \"Note 150\"",
        "title: \"Note 150, corrected\"",
    );
    let update = run_after(&mut pipeline, &[edited]);
    let pages = made(&update);
    assert!(pages.contains("documents/page/2/"), "{pages:?}");
    assert!(!pages.contains("documents/"), "{pages:?}");
    assert_same_as_full_build(&edition);
}
