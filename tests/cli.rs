//! The `dossier` command as an editor runs it: exit codes, messages with
//! file:line:col, all problems of a build together, previous output untouched.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dossier(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("dossier runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the example edition in a temporary folder, to break at will.
struct Edition {
    dir: tempfile::TempDir,
}

impl Edition {
    fn copy_of_example() -> Self {
        Self {
            dir: common::copy_of_example(false),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Writes a file of the edition, making its folder if need be.
    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Replaces the first `from` in a file by `to`.
    fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(relative)).unwrap();
        assert!(text.contains(from), "{relative} contains {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    fn build(&self) -> Output {
        dossier(&["build"], self.root())
    }

    /// Every file of the output and its bytes.
    fn snapshot_output(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        snapshot(&self.path("public"), &self.path("public"), &mut files);
        files
    }
}

fn snapshot(base: &Path, dir: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            snapshot(base, &path, into);
        } else {
            into.insert(
                path.strip_prefix(base).unwrap().to_path_buf(),
                std::fs::read(&path).unwrap(),
            );
        }
    }
}

const META: &str = "content/documents/mikoyan-cable-from-beijing/index.md";

#[test]
fn a_good_build_exits_zero_and_says_what_it_wrote() {
    let edition = Edition::copy_of_example();
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(edition
        .path("public/documents/mikoyan-cable-from-beijing/index.html")
        .is_file());
    // It reports the pages it wrote.
    let err = stderr(&out);
    let reported: usize = err
        .split("Built ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no page count in {err}"));
    let written = edition
        .snapshot_output()
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(reported, written, "{err}");
}

#[test]
fn a_closed_stderr_does_not_stop_a_build() {
    // `dossier build 2>&1 | head -1`: the reader is gone before dossier reports.
    let edition = Edition::copy_of_example();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build"])
        .current_dir(edition.root())
        .env("DOSSIER_TIMINGS", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dossier runs");
    drop(child.stderr.take());
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(edition
        .path("public/documents/mikoyan-cable-from-beijing/index.html")
        .is_file());
}

#[test]
fn malformed_yaml_is_reported_at_its_line_and_column() {
    let edition = Edition::copy_of_example();
    edition.write(
        "content/site.yaml",
        "title: \"Edition\"\neditors: [a, b\nlanguage: en\n",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // At the bracket left open (line 2), not where YAML gave up (line 3), once.
    assert!(
        err.contains("content/site.yaml:2:10: error: this `[` opens a list that is not closed"),
        "{err}"
    );
    assert!(!err.contains("at line"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_field_of_the_wrong_type_is_reported_in_the_front_matter() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "tags: [", "tags: 12\nold_tags: [");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let text = std::fs::read_to_string(edition.path(META)).unwrap();
    let line = text.lines().position(|l| l == "tags: 12").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "{META}:{line}:7: error: tags: invalid type: integer `12`"
        )),
        "{err}"
    );
}

#[test]
fn an_impossible_date_is_an_error_with_its_place() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "date: 1956-09-16", "date: 1956-09-31");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("{META}:3:7: error:")), "{err}");
    assert!(err.contains("September 1956 has 30 days"), "{err}");
}

#[test]
fn unknown_front_matter_keys_are_kept_for_templates_not_errors() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "title:", "shelfmark: \"Box 4\"\ntitle:");
    // The edition's own document template shows it.
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/document.html"),
    )
    .unwrap();
    edition.write(
        "templates/document.html",
        &template.replacen(
            "<h1>{{ document.title_html | safe }}</h1>",
            "<h1>{{ document.title }}</h1>{% if \"shelfmark\" in document.extra %}<p class=\"shelfmark\">{{ document.extra.shelfmark }}</p>{% endif %}",
            1,
        ),
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(
        edition.path("public/documents/mikoyan-cable-from-beijing/index.html"),
    )
    .unwrap();
    assert!(page.contains("<p class=\"shelfmark\">Box 4</p>"), "{page}");
}

#[test]
fn fields_registers_and_settings_do_not_know_are_kept_and_slips_are_warned() {
    let edition = Edition::copy_of_example();
    edition.edit(
        "content/people.yaml",
        "kim-il-sung:\n  name: \"Kim Il Sung\"\n",
        "kim-il-sung:\n  name: \"Kim Il Sung\"\n  frus_id: p_KIS1\n  provenance: {source: FRUS, volume: 18}\n",
    );
    edition.edit(
        "content/people.yaml",
        "  aliases: [\"Kim Il Sung\"",
        "  aliasses: [\"Kim\"]\n  aliases: [\"Kim Il Sung\"",
    );
    edition.edit("content/site.yaml", "title:", "series: \"FRUS\"\ntitle:");
    let template =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/entry.html"))
            .unwrap();
    edition.write(
        "templates/entry.html",
        &template.replacen(
            "<h1>{{ entry.name }}</h1>",
            "<h1>{{ entry.name }}</h1>{% if entry.extra.frus_id %}<p class=\"frus\">{{ entry.extra.frus_id }} in {{ site.extra.series }}, volume {{ entry.extra.provenance.volume }}</p>{% endif %}",
            1,
        ),
    );
    let out = edition.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let page =
        std::fs::read_to_string(edition.path("public/people/kim-il-sung/index.html")).unwrap();
    assert!(
        page.contains("<p class=\"frus\">p_KIS1 in FRUS, volume 18</p>"),
        "{page}"
    );
    // The slip is named at its line, with the field meant; the editor's own
    // fields are not.
    let line = std::fs::read_to_string(edition.path("content/people.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("  aliasses:"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("content/people.yaml:{line}:3: warning: `aliasses` is not a field dossier reads: did you mean `aliases`?")),
        "{err}"
    );
    assert!(!err.contains("frus_id") && !err.contains("series"), "{err}");
    let data = std::fs::read_to_string(edition.path("public/data/people.json")).unwrap();
    assert!(
        data.contains(r#""extra":{"aliasses":["Kim"],"frus_id":"p_KIS1""#),
        "{data}"
    );
}

#[test]
fn every_broken_entry_of_a_register_is_reported_not_only_the_first() {
    let edition = Edition::copy_of_example();
    let people = std::fs::read_to_string(edition.path("content/people.yaml")).unwrap();
    let people = people
        .replacen(
            "  name: \"Kim Il Sung\"",
            "  name: \"Kim Il Sung\"\n  born: 1912-13-40",
            1,
        )
        .replacen("  aliases: [", "  aliases: 12\n  see_also: [", 1);
    edition.write("content/people.yaml", &people);
    let lines: Vec<usize> = people
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("  born: 1912-13-40") || l.starts_with("  aliases: 12"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 2);
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in lines {
        assert!(
            err.contains(&format!("content/people.yaml:{line}:")),
            "no problem at line {line}: {err}"
        );
    }
}

#[test]
fn notes_keep_the_numbers_the_editor_gave_them_on_the_page_and_in_the_data() {
    let edition = Edition::copy_of_example();
    let en = "content/documents/mikoyan-cable-from-beijing/en.md";
    edition.edit(
        en,
        "that we'll talk about this in detail later.",
        "that we'll talk about this in detail later.[^7] See also[^2].\n\n[^2]: An earlier note.\n\n[^7]: Footnote 7 of the volume.",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(edition.path(p)).unwrap();
    let page = read("public/documents/mikoyan-cable-from-beijing/index.html");
    assert!(
        page.contains(">7</a></sup> See also<sup class=\"fnref\">"),
        "{page}"
    );
    assert!(page.contains(">2</a></sup>."), "{page}");
    assert!(
        page.contains("value=\"7\"><p>Footnote 7 of the volume."),
        "{page}"
    );
    let data = read("public/documents/mikoyan-cable-from-beijing.json");
    assert!(data.contains(r#""label":"7","number":7"#), "{data}");
    let tei = read("public/documents/mikoyan-cable-from-beijing.xml");
    assert!(tei.contains(r#"<note place="foot" n="7""#), "{tei}");
    assert!(tei.contains(r#"<note place="foot" n="2""#), "{tei}");
}

#[test]
fn a_person_named_only_in_the_title_or_summary_is_linked_and_counted() {
    let edition = Edition::copy_of_example();
    let people = std::fs::read_to_string(edition.path("content/people.yaml")).unwrap();
    edition.write(
        "content/people.yaml",
        &format!("{people}\nvasily-sender:\n  name: \"Vasily Sender\"\n  aliases: [\"Sender\"]\n"),
    );
    edition.edit(META, "title: \"Cable from", "title: \"Sender's Cable from");
    edition.edit(
        META,
        "summary: \"Mikoyan reports",
        "summary: \"Vasily Sender forwards what Mikoyan reports",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(edition.path(p)).unwrap();
    let page = read("public/documents/mikoyan-cable-from-beijing/index.html");
    let link = "href=\"../../people/vasily-sender/\"";
    let h1 = page
        .split("<h1>")
        .nth(1)
        .unwrap()
        .split("</h1>")
        .next()
        .unwrap();
    assert!(
        h1.contains(link) && h1.contains(">Sender</a>'s Cable"),
        "{h1}"
    );
    let summary = page
        .split("<p class=\"summary\">")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap();
    assert!(summary.contains(">Vasily Sender</a> forwards"), "{summary}");
    let named = page
        .split("id=\"named-title\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(named.contains(link), "In this document: {named}");
    // The person's page lists the document, the passage pointing at the header.
    let person = read("public/people/vasily-sender/index.html");
    assert!(
        person.contains("mikoyan-cable-from-beijing/#about"),
        "{person}"
    );
    assert!(person.contains("class=\"kwic in-about\""), "{person}");
    let index = read("public/people/index.html");
    let row = index
        .split("vasily-sender/")
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(row.contains('1'), "counted in the people index: {row}");
    // The data marks them as names in the metadata, with their places there.
    let data = read("public/documents/mikoyan-cable-from-beijing.json");
    assert!(
        data.contains(
            r#"{"field":"title","kind":"person","id":"vasily-sender","start":0,"end":6}"#
        ),
        "{data}"
    );
    assert!(
        data.contains(
            r#"{"field":"summary","kind":"person","id":"vasily-sender","start":0,"end":13}"#
        ),
        "{data}"
    );
}

/// `check`'s hints on the example edition with the OCR forms its editors added
/// as aliases taken out again: each hint is right if it names the person the
/// form was an alias of (what the editor did with it).
#[test]
fn check_hints_find_the_ocr_forms_of_the_example_and_little_else() {
    let edition = Edition::copy_of_example();
    let forms = [
        ("Миколдн", "anastas-mikoyan"),
        ("Микодю", "anastas-mikoyan"),
        ("Мао Цзу-дун", "mao-zedong"),
        ("Пын Дэ-жуэй", "peng-dehuai"),
        ("Чой Чан Ук", "choe-chang-ik"),
        ("Юн Кон Хон", "yun-kong-hum"),
        ("Мухоменов", "nuritdin-mukhitdinov"),
    ];
    let mut people = std::fs::read_to_string(edition.path("content/people.yaml")).unwrap();
    for (form, _) in forms {
        let quoted = format!(", \"{form}\"");
        assert!(
            people.contains(&quoted),
            "{form} is an alias of the example"
        );
        people = people.replacen(&quoted, "", 1);
    }
    edition.write("content/people.yaml", &people);
    let out = dossier(&["check"], edition.root());
    let err = stderr(&out);
    let hints: Vec<&str> = err.lines().filter(|l| l.contains("looks like")).collect();
    let right = hints
        .iter()
        .filter(|h| {
            forms.iter().any(|(form, id)| {
                h.contains(&format!("\"{form}\"")) && h.contains(&format!("`{id}`"))
            })
        })
        .count();
    let found: std::collections::BTreeSet<&str> = forms
        .iter()
        .filter(|(form, _)| hints.iter().any(|h| h.contains(&format!("\"{form}\""))))
        .map(|(form, _)| *form)
        .collect();
    eprintln!(
        "{} hints, {right} right (precision {:.2}); {} of {} forms found",
        hints.len(),
        right as f64 / hints.len().max(1) as f64,
        found.len(),
        forms.len()
    );
    for hint in &hints {
        eprintln!("  {hint}");
    }
    assert!(!hints.is_empty(), "{err}");
    assert!(right as f64 >= 0.8 * hints.len() as f64, "{err}");
    assert!(
        found.len() * 2 >= forms.len(),
        "most forms are found: {found:?}"
    );
    // Each word once, with its count: "Микодю" stands three times in one text.
    assert_eq!(hints.iter().filter(|h| h.contains("\"Микодю\"")).count(), 1);
}

#[test]
fn a_documents_number_in_its_series_and_source_note_are_shown() {
    let edition = Edition::copy_of_example();
    edition.edit(
        META,
        "title:",
        "number: 16\nsource_note: \"Source: GARF, copy 2. Secret.\"\ntitle:",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(edition.path(p)).unwrap();
    let page = read("public/documents/mikoyan-cable-from-beijing/index.html");
    assert!(
        page.contains("<span class=\"document-number\">No. 16</span>"),
        "{page}"
    );
    assert!(
        page.contains("<dd class=\"source-note\">Source: GARF, copy 2. Secret.</dd>"),
        "{page}"
    );
    let data = read("public/documents/mikoyan-cable-from-beijing.json");
    assert!(
        data.contains(r#""number":"16","source_note":"Source: GARF, copy 2. Secret.""#),
        "{data}"
    );
}

/// Lists that grow with the edition come in pages: the documents by date (100 a
/// page), a tag's documents (100), an entry's documents with their passages (50),
/// each page saying which part it shows and linking to the others.
#[test]
fn long_lists_come_in_pages_with_counts_and_links() {
    let edition = Edition::copy_of_example();
    common::add_documents(edition.root(), 150);
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(edition.path(p)).unwrap();
    // 154 documents: two pages of the list.
    let first = read("public/documents/index.html");
    assert!(
        first.contains("<p class=\"pager-shown\">Documents 1–100 of 154</p>"),
        "{first}"
    );
    assert!(
        first.contains("<a href=\"page/2/\" rel=\"next\">Next</a>"),
        "{first}"
    );
    assert_eq!(first.matches("<li id=\"document-").count(), 100);
    let second = read("public/documents/page/2/index.html");
    assert!(second.contains("Documents 101–154 of 154"), "{second}");
    assert!(
        second.contains("<a href=\"../../../documents/\" rel=\"prev\">Previous</a>"),
        "{second}"
    );
    assert_eq!(second.matches("<li id=\"document-").count(), 54);
    assert!(!edition.path("public/documents/page/3").exists());
    // The tag: 150 documents, two pages.
    assert!(read("public/tags/extra/page/2/index.html").contains("Documents 101–150 of 150"));
    // Kim Il Sung: the example's 4 documents and 150 more, 50 a page.
    let kim = read("public/people/kim-il-sung/index.html");
    assert!(kim.contains("Documents 1–50 of 154"), "{kim}");
    assert_eq!(kim.matches("class=\"occurrence-document\"").count(), 50);
    let last = read("public/people/kim-il-sung/page/4/index.html");
    assert!(last.contains("Documents 151–154 of 154"), "{last}");
    assert!(
        last.contains("<span aria-current=\"page\">4</span>"),
        "{last}"
    );
    assert!(last.contains("<h1>Kim Il Sung</h1>"), "{last}");
    assert!(!edition.path("public/people/kim-il-sung/page/5").exists());
    // The timeline's groups of marks lead to the page of the list that has them.
    let events = read("public/events/index.html");
    assert!(
        events.contains("documents/page/2/#document-extra-"),
        "{events}"
    );
    // A term named by many documents: the glossary lists the first ten and links
    // to the term's own page, which lists them all.
    let glossary = read("public/glossary/index.html");
    assert!(
        glossary.contains("<a href=\"kwp/\">all 154 documents</a>"),
        "{glossary}"
    );
    let kwp = read("public/glossary/kwp/page/4/index.html");
    assert!(kwp.contains("Documents 151–154 of 154"), "{kwp}");
    // Short lists have no pager.
    let mao = read("public/people/mao-zedong/index.html");
    assert!(!mao.contains("class=\"pager\""), "{mao}");
}

/// A register's index takes pages of 500 entries; the initial letters lead to the
/// page each begins on.
#[test]
fn a_long_register_index_comes_in_pages_its_letters_on_theirs() {
    let edition = Edition::copy_of_example();
    let mut people = std::fs::read_to_string(edition.path("content/people.yaml")).unwrap();
    // 600 people named Zz...: after the example's, at the end of the alphabet.
    for n in 0..600 {
        people.push_str(&format!(
            "zz-{n:03}:\n  name: \"Zz {n:03}\"\n  sort_name: \"Zz {n:03}\"\n"
        ));
    }
    edition.write("content/people.yaml", &people);
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |p: &str| std::fs::read_to_string(edition.path(p)).unwrap();
    let first = read("public/people/index.html");
    let second = read("public/people/page/2/index.html");
    assert!(first.contains("Entries 1–500 of "), "{first}");
    assert!(second.contains("Entries 501–"), "{second}");
    // "Z" begins on page 1 (the example's people are fewer than 500); the letters of
    // page 1 are anchors there, and seen from page 2 they lead back to page 1.
    assert!(first.contains("<a href=\"#letter-k\">K</a>"), "{first}");
    assert!(
        second.contains("<a href=\"../../../people/#letter-k\">K</a>"),
        "{second}"
    );
    assert!(second.contains("id=\"letter-z\""), "{second}");
}

#[test]
fn base_url_from_the_command_line_is_the_address_pages_give_for_themselves() {
    let edition = Edition::copy_of_example();
    let out = dossier(
        &[
            "build",
            "--base-url",
            "https://archive.example.net/korea-1956/",
        ],
        edition.root(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(
        edition.path("public/documents/mikoyan-cable-from-beijing/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://archive.example.net/korea-1956/documents/mikoyan-cable-from-beijing/\">"),
        "{page}"
    );
    assert!(
        page.contains(
            "https://archive.example.net/korea-1956/documents/mikoyan-cable-from-beijing/"
        ),
        "the citation gives the address too"
    );
}

#[test]
fn see_also_must_name_people_of_the_register() {
    let edition = Edition::copy_of_example();
    edition.edit(
        "content/people.yaml",
        "see_also: [\"peng-dehuai\",",
        "see_also: [\"nobody-at-all\", \"peng-dehuai\",",
    );
    let out = edition.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/people.yaml:") && err.contains("no person `nobody-at-all`"),
        "{err}"
    );
}

#[test]
fn alignment_unsure_of_a_row_says_so_at_its_line() {
    let edition = Edition::copy_of_example();
    let bundle = "content/documents/an-unpinned-note";
    edition.write(
        &format!("{bundle}/index.md"),
        "---\ntitle: \"A note\"\ndate: 1956-09-30\noriginal_language: ru\n---\n",
    );
    // Blocks that lengths cannot pair: one long, then short ones, against the
    // other way round.
    let long = "слово ".repeat(120);
    let words = "word ".repeat(8);
    edition.write(
        &format!("{bundle}/ru.md"),
        &format!("{long}\n\nОдно.\n\nДва.\n"),
    );
    edition.write(
        &format!("{bundle}/en.md"),
        &format!("{words}\n\n{words}\n\n{words}\n\n{}\n", "word ".repeat(150)),
    );
    let out = edition.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("{bundle}/ru.md:")) && err.contains("warning: alignment:"),
        "{err}"
    );
}

#[test]
fn keys_templates_cannot_take_are_errors_with_their_place_not_a_crash() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "title:", "shelf:\n  ? [box, 4]\n  : top\ntitle:");
    edition.edit(
        "content/site.yaml",
        "title:",
        "options: {layout: {1.5: wide}}\ntitle:",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains(&format!(
            "{META}:2:1: error: `shelf`: templates cannot be given a key that is a list, a map, \
             a fraction or empty (`[box, 4]`)"
        )),
        "{err}"
    );
    assert!(
        err.contains("content/site.yaml:2:1: error: `layout`: templates cannot be given a key that is a list, a map, a fraction or empty (`1.5`)"),
        "{err}"
    );
    assert!(!edition.path("public").exists());
}

#[test]
fn all_problems_of_a_build_are_reported_together() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "date: 1956-09-16", "date: someday");
    edition.write("content/places.yaml", "pyongyang: [unclosed\n");
    edition.edit(
        "content/documents/mikoyan-telegram-to-cpsu-cc/index.md",
        "title:",
        "translators: \"not a map\"\ntitle:",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(META), "{err}");
    assert!(err.contains("content/places.yaml:"), "{err}");
    assert!(
        err.contains("mikoyan-telegram-to-cpsu-cc/index.md:"),
        "{err}"
    );
    assert!(err.contains("build failed with 3 error(s)"), "{err}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let edition = Edition::copy_of_example();
    assert!(edition.build().status.success());
    let before = edition.snapshot_output();
    edition.write("content/people.yaml", "kim-il-sung:\n  name: [\n");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("left untouched"), "{}", stderr(&out));
    assert_eq!(edition.snapshot_output(), before);
    let siblings: Vec<String> = std::fs::read_dir(edition.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        siblings.iter().all(|name| !name.starts_with(".public")),
        "no temporary folders left: {siblings:?}"
    );
}

#[test]
fn unclosed_editorial_markup_is_a_warning_with_its_line() {
    let edition = Edition::copy_of_example();
    let text = "content/documents/mikoyan-cable-from-beijing/en.md";
    edition.write(text, "First paragraph.\n\nWe {++ agreed with him.\n");
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{text}:3:4: warning: unclosed `{{++`")),
        "{err}"
    );
    let page = std::fs::read_to_string(
        edition.path("public/documents/mikoyan-cable-from-beijing/index.html"),
    )
    .unwrap();
    assert!(page.contains("{++ agreed with him."), "shown as written");
}

#[test]
fn the_output_may_not_be_the_edition_or_its_content() {
    let edition = Edition::copy_of_example();
    for output in [".", "content", "content/public", ".."] {
        let out = dossier(&["build", "--output", output], edition.root());
        assert_eq!(out.status.code(), Some(1), "--output {output}");
        assert!(
            stderr(&out).contains("refusing to write"),
            "{}",
            stderr(&out)
        );
    }
    assert!(
        edition.path("content/site.yaml").is_file(),
        "nothing deleted"
    );
}

#[test]
fn a_folder_dossier_did_not_write_is_not_replaced() {
    let edition = Edition::copy_of_example();
    std::fs::create_dir(edition.path("notes")).unwrap();
    edition.write("notes/draft.txt", "an editor's notes");
    let out = dossier(&["build", "--output", "notes"], edition.root());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not written by dossier"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(edition.path("notes/draft.txt")).unwrap(),
        "an editor's notes"
    );
}

#[test]
fn a_missing_site_yaml_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/site.yaml:1:1: error: no site settings"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_document_without_text_or_metadata_is_an_error() {
    let edition = Edition::copy_of_example();
    std::fs::create_dir(edition.path("content/documents/empty-bundle")).unwrap();
    edition.write(
        "content/documents/empty-bundle/index.md",
        "---\ntitle: \"x\"\ndate: 1956\n---\n",
    );
    std::fs::create_dir(edition.path("content/documents/Bad_Id")).unwrap();
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/documents/empty-bundle:1:1: error: no text"),
        "{err}"
    );
    assert!(
        err.contains("content/documents/Bad_Id:1:1: error: `Bad_Id` is not a valid document id"),
        "{err}"
    );
}

#[test]
fn a_template_error_names_the_template_and_line() {
    let edition = Edition::copy_of_example();
    std::fs::create_dir(edition.path("templates")).unwrap();
    edition.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}\n",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("templates/page.html:4:1: error: template error:"),
        "{err}"
    );
    edition.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | no_such_filter }}\n{% endblock main %}\n",
    );
    let err = stderr(&edition.build());
    assert!(
        err.contains(
            "templates/page.html:3:17: error: template error: Unknown filter `no_such_filter`"
        ),
        "{err}"
    );
    // A parent or an included template that is not there: named, at the template
    // that asks for it.
    edition.write(
        "templates/page.html",
        "{% extends \"base-of-mine.html\" %}\n{% block main %}{% endblock main %}\n",
    );
    let err = stderr(&edition.build());
    assert!(
        err.contains("templates/page.html:1:1: error: template error: extends `base-of-mine.html`, which does not exist"),
        "{err}"
    );
    edition.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}{% include \"partials/mine.html\" %}{% endblock main %}\n",
    );
    let err = stderr(&edition.build());
    assert!(
        err.contains("templates/page.html:2:28: error: template error: Unknown template `partials/mine.html`"),
        "{err}"
    );
}

#[test]
fn an_edition_template_overrides_the_built_in_one() {
    let edition = Edition::copy_of_example();
    std::fs::create_dir(edition.path("templates")).unwrap();
    edition.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"custom\">{{ page.title }}</p>{% endblock main %}",
    );
    std::fs::create_dir(edition.path("static")).unwrap();
    edition.write("static/extra.css", "body{}");
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let about = std::fs::read_to_string(edition.path("public/about/index.html")).unwrap();
    assert!(
        about.contains("<p class=\"custom\">About this edition</p>"),
        "{about}"
    );
    assert!(edition.path("public/extra.css").is_file());
    assert!(
        edition.path("public/style.css").is_file(),
        "built-in assets still copied"
    );
}

/// dossier writes the parts of pages that repeat with the size of the edition itself
/// (templates/partials/); an edition holding the built-in partials as its own, so
/// that Tera renders them, gets the same site byte for byte.
#[test]
fn partials_dossier_writes_equal_their_built_in_templates() {
    let written = Edition::copy_of_example();
    let rendered = Edition::copy_of_example();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/partials"),
        &rendered.path("templates/partials"),
    );
    for edition in [&written, &rendered] {
        let out = edition.build();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (written, rendered) = (written.snapshot_output(), rendered.snapshot_output());
    let kim = written[Path::new("people/kim-il-sung/index.html")].clone();
    assert!(
        String::from_utf8(kim)
            .unwrap()
            .contains("<li class=\"place\"><p class=\"kwic original\""),
        "the person page lists passages"
    );
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        rendered.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &written {
        assert!(
            bytes == &rendered[path],
            "{} differs:\n{}\n---\n{}",
            path.display(),
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&rendered[path])
        );
    }
}

#[test]
fn an_edition_partial_replaces_what_dossier_writes() {
    let edition = Edition::copy_of_example();
    std::fs::create_dir_all(edition.path("templates/partials")).unwrap();
    edition.write(
        "templates/partials/occurrences.html",
        "<p class=\"mine\">{{ documents | length }} documents</p>",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let kim =
        std::fs::read_to_string(edition.path("public/people/kim-il-sung/index.html")).unwrap();
    assert!(kim.contains("<p class=\"mine\">"), "{kim}");
    assert!(!kim.contains("class=\"kwic\""), "{kim}");
}

#[test]
fn non_utf8_text_is_reported_at_the_bad_byte() {
    let edition = Edition::copy_of_example();
    let text = "content/documents/mikoyan-cable-from-beijing/ru.md";
    std::fs::write(edition.path(text), b"\xd0\x9f\xd1\x80\n\xff\xfe bad\n").unwrap();
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{text}:2:1: error: the file is not UTF-8")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["build", "--no-such-flag"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

// --- Registers and references (issue 3) ------------------------------------------

/// The 1-based line of the first line of `file` that contains `needle`.
fn line_of(edition: &Edition, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(edition.path(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in file")
        + 1
}

#[test]
fn an_unknown_person_in_front_matter_is_an_error_at_the_id() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "title:", "people: [kim-il-sung, kim-ir-sen]\ntitle:");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let line = line_of(&edition, META, "kim-ir-sen");
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{META}:{line}:23: error: people: unknown person `kim-ir-sen`"
        )),
        "{err}"
    );
}

#[test]
fn an_edition_can_go_without_search() {
    let edition = Edition::copy_of_example();
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(edition.path("public/search/catalogue.js").is_file());
    edition.edit(
        "content/site.yaml",
        "language: \"en\"",
        "language: \"en\"\nsearch: false",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !edition.path("public/search").exists(),
        "no search page or index"
    );
    let home = std::fs::read_to_string(edition.path("public/index.html")).unwrap();
    assert!(!home.contains("role=\"search\""), "no search box");
}

#[test]
fn roles_name_people_of_the_register() {
    let edition = Edition::copy_of_example();
    edition.edit(
        META,
        "roles:\n  author: anastas-mikoyan",
        "roles:\n  author: anastas-mikoyan\n  addressee: [mao-zedong, mikhail-suslov]",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let line = line_of(&edition, META, "addressee:");
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{META}:{line}:27: error: roles: addressee: unknown person `mikhail-suslov`: add it to content/people.yaml"
        )),
        "{err}"
    );
    assert!(!err.contains("`mao-zedong`"), "{err}");

    edition.edit(
        META,
        "  addressee: [mao-zedong, mikhail-suslov]",
        "  addressee: {to: x}",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("write each role as `role: person-id` or `role: [person-id, ...]`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_id_in_an_explicit_link_is_an_error_at_the_link() {
    let edition = Edition::copy_of_example();
    let text = "content/documents/mikoyan-cable-from-beijing/en.md";
    edition.write(text, "First.\n\nThe execution of [Pak](@pak-hon-yong).\n");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{text}:3:18: error: unknown id `pak-hon-yong`")),
        "{err}"
    );
}

#[test]
fn a_duplicate_register_id_is_an_error_at_the_second_one() {
    let edition = Edition::copy_of_example();
    let people = "content/people.yaml";
    let text = std::fs::read_to_string(edition.path(people)).unwrap();
    edition.write(
        people,
        &format!("{text}\nmao-zedong:\n  name: \"Mao again\"\n"),
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let first = line_of(&edition, people, "mao-zedong:");
    let second = text.lines().count() + 2;
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{people}:{second}:1: error: duplicate id `mao-zedong`: it is already defined at line {first}"
        )),
        "{err}"
    );
}

#[test]
fn impossible_life_and_event_dates_are_errors_at_the_field() {
    let edition = Edition::copy_of_example();
    edition.edit(
        "content/people.yaml",
        "died: 1978-10-21",
        "died: 1878-10-21",
    );
    edition.edit("content/events.yaml", "end: 1956-08-31", "end: 1956-07-31");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let died = line_of(&edition, "content/people.yaml", "died: 1878");
    let end = line_of(&edition, "content/events.yaml", "end: 1956-07-31");
    assert!(
        err.contains(&format!("content/people.yaml:{died}:3: error: `anastas-mikoyan` died (1878-10-21) before being born")),
        "{err}"
    );
    assert!(
        err.contains(&format!("content/events.yaml:{end}:3: error: event `august-plenum` ends (1956-07-31) before it starts")),
        "{err}"
    );
}

#[test]
fn an_event_with_a_date_and_an_end_is_an_error_at_the_date() {
    let edition = Edition::copy_of_example();
    // A day and the end of a span: which one is meant cannot be told.
    edition.edit(
        "content/events.yaml",
        "start: 1956-08-30",
        "date: 1956-08-30",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let date = line_of(&edition, "content/events.yaml", "date: 1956-08-30");
    assert!(
        err.contains(&format!("content/events.yaml:{date}:3: error: event `august-plenum` has both `date` and `start`/`end`")),
        "{err}"
    );
}

#[test]
fn problems_in_the_introduction_are_placed_in_site_yaml() {
    let edition = Edition::copy_of_example();
    // In a literal block: the line and column of the file, indentation counted.
    edition.edit(
        "content/site.yaml",
        "  the Chinese Communist Party in Beijing",
        "  the Chinese {~~Communist Party in Beijing",
    );
    let out = edition.build();
    let err = stderr(&out);
    let line = line_of(&edition, "content/site.yaml", "{~~Communist");
    assert!(
        err.contains(&format!(
            "content/site.yaml:{line}:15: warning: unclosed `{{~~`"
        )),
        "{err}"
    );
    // Folded or quoted, the text is YAML's rewriting of the file's: at the key.
    let text = std::fs::read_to_string(edition.path("content/site.yaml")).unwrap();
    let start = text.find("introduction: |").unwrap();
    let end = start + text[start..].find("\nbase_url").unwrap();
    edition.write(
        "content/site.yaml",
        &format!(
            "{}introduction: \"An {{~~ unclosed\\n substitution\"{}",
            &text[..start],
            &text[end..]
        ),
    );
    let err = stderr(&edition.build());
    let line = line_of(&edition, "content/site.yaml", "introduction:");
    assert!(
        err.contains(&format!(
            "content/site.yaml:{line}:1: warning: unclosed `{{~~`"
        )),
        "{err}"
    );
}

#[test]
fn an_id_in_two_registers_and_unknown_participants_are_errors() {
    let edition = Edition::copy_of_example();
    let places = "content/places.yaml";
    let text = std::fs::read_to_string(edition.path(places)).unwrap();
    edition.write(
        places,
        &format!("{text}\nnam-il:\n  name: \"Nam Il Street\"\n"),
    );
    edition.edit(
        "content/events.yaml",
        "participants: [",
        "participants: [nobody-at-all, ",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: id `nam-il` is used by a person too"),
        "{err}"
    );
    assert!(err.contains("error: participant of `"), "{err}");
    assert!(err.contains("no person `nobody-at-all`"), "{err}");
}

#[test]
fn an_alias_shared_by_two_people_is_a_warning_and_not_linked() {
    let edition = Edition::copy_of_example();
    edition.edit(
        "content/people.yaml",
        "aliases: [\"Mao Zedong\",",
        "aliases: [\"Mao Zedong\", \"Председатель\",",
    );
    edition.edit(
        "content/people.yaml",
        "aliases: [\"Liu Shaoqi\",",
        "aliases: [\"Liu Shaoqi\", \"Председатель\",",
    );
    let text = "content/documents/conversation-with-kwp-delegation/ru.md";
    let before = std::fs::read_to_string(edition.path(text)).unwrap();
    edition.write(text, &format!("Председатель сказал.\n\n{before}"));
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning: alias \"Председатель\""), "{err}");
    assert!(err.contains("it is not linked automatically"), "{err}");
    let page = std::fs::read_to_string(
        edition.path("public/documents/conversation-with-kwp-delegation/index.html"),
    )
    .unwrap();
    assert!(page.contains("Председатель сказал."), "the words are shown");
    assert!(
        !page.contains("\">Председатель</a>"),
        "and not linked to either person"
    );
}

#[test]
fn check_lists_name_like_words_no_register_knows() {
    let edition = Edition::copy_of_example();
    let text = "content/documents/conversation-with-kwp-delegation/ru.md";
    edition.write(text, "Тов. Микоюн - Как себя чувствовали т. Ким Ир Сен?\n");
    let out = dossier(&["check"], edition.root());
    assert_eq!(out.status.code(), Some(0), "warnings alone pass");
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{text}:1:6: warning: \"Микоюн\" is in no register but looks like \"Микоян\""
        )),
        "{err}"
    );
    assert!(err.contains("Anastas Mikoyan"), "{err}");
    assert!(!edition.path("public").exists(), "check writes nothing");
}

#[test]
fn progress_is_shown_on_a_terminal_and_nowhere_else() {
    let edition = Edition::copy_of_example();
    // On a terminal (a pseudo-terminal made by util-linux's `script`): the stages,
    // the pages counted, then the summary line.
    let command = format!(
        "{} build --output {}",
        env!("CARGO_BIN_EXE_dossier"),
        edition.path("public").display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(edition.root())
        .output()
        .expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    for stage in ["annotating", "making pages and files ["] {
        assert!(shown.contains(stage), "{stage:?} in {shown:?}");
    }
    // The count goes up to the number of files the summary gives.
    let files = shown
        .split("pages (")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the summary line");
    assert!(shown.contains(&format!("/{files}")), "{shown}");
    // In a log (stderr not a terminal): the summary line alone.
    let out = dossier(&["build", "--output", "again"], edition.root());
    let err = stderr(&out);
    assert!(err.starts_with("Built "), "{err:?}");
    assert!(
        !err.contains('\u{1b}') && !err.contains("making pages"),
        "{err:?}"
    );
}

#[test]
fn check_warns_when_the_edition_has_no_public_address() {
    // The example's `base_url` is an example address: citations leave it out, and
    // check says where to set a real one.
    let edition = Edition::copy_of_example();
    let out = dossier(&["check"], edition.root());
    let err = stderr(&out);
    assert!(
        err.contains("content/site.yaml:12:1: warning: base_url: `https://example.org/pyongyang-1956` is an example address"),
        "{err}"
    );
    // Published somewhere real, it does not.
    let settings = edition.path("content/site.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        text.replace(
            "https://example.org/pyongyang-1956",
            "https://archive.dossier-editions.net/pyongyang",
        ),
    )
    .unwrap();
    let out = dossier(&["check"], edition.root());
    assert!(!stderr(&out).contains("base_url"), "{}", stderr(&out));
    // Without any, it is said at the settings file.
    std::fs::write(
        &settings,
        text.replace("base_url: \"https://example.org/pyongyang-1956\"\n", ""),
    )
    .unwrap();
    let out = dossier(&["check"], edition.root());
    assert!(
        stderr(&out).contains(
            "content/site.yaml:1:1: warning: base_url: the edition has no public address"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_exits_one_on_errors() {
    let edition = Edition::copy_of_example();
    edition.edit(META, "title:", "people: [nobody]\ntitle:");
    let out = dossier(&["check"], edition.root());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("1 error(s)"), "{}", stderr(&out));
}

// --- The document page's apparatus (issue 4) --------------------------------------

const TELEGRAM: &str = "content/documents/mikoyan-telegram-to-cpsu-cc";

fn page_of(edition: &Edition, document: &str) -> String {
    std::fs::read_to_string(edition.path(&format!("public/documents/{document}/index.html")))
        .unwrap()
}

/// A small scan at `path` (its format by its extension): a facsimile must be an
/// image dossier can read.
fn scan(path: &Path) {
    image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]))
        .save(path)
        .unwrap();
}

#[test]
fn page_markers_link_to_the_facsimile_the_bundle_has() {
    let edition = Edition::copy_of_example();
    // A facsimile named by its page, and one named in the metadata.
    scan(&edition.path(&format!("{TELEGRAM}/13.png")));
    scan(&edition.path(&format!("{TELEGRAM}/sheet 14.jpg")));
    edition.edit(
        &format!("{TELEGRAM}/index.md"),
        "title:",
        "facsimiles:\n  14: \"sheet 14.jpg\"\ntitle:",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = page_of(&edition, "mikoyan-telegram-to-cpsu-cc");
    assert!(
        page.contains("<a class=\"pb\" id=\"ru-page-13\" data-page=\"13\" href=\"13.png\""),
        "page 13"
    );
    assert!(
        page.contains("href=\"sheet%2014.jpg\""),
        "page 14, named in the metadata"
    );
    assert!(
        page.contains("<span class=\"pb\" id=\"ru-page-15\""),
        "page 15 has no facsimile"
    );
    assert_eq!(
        std::fs::read(edition.path("public/documents/mikoyan-telegram-to-cpsu-cc/13.png")).unwrap(),
        std::fs::read(edition.path(&format!("{TELEGRAM}/13.png"))).unwrap(),
        "the facsimile is published beside the page"
    );
}

#[test]
fn a_document_folder_without_index_md_is_an_error_naming_the_folder() {
    let edition = Edition::copy_of_example();
    // Texts, and a folder named like the metadata file, but no metadata file.
    edition.write("content/documents/untitled/ru.md", "Текст.\n");
    edition.write("content/documents/untitled/index.md/notes.txt", "x");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/documents/untitled:1:1: error: no index.md"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_text_not_named_by_a_language_code_is_an_error() {
    let edition = Edition::copy_of_example();
    edition.write(&format!("{TELEGRAM}/english.md"), "Text.\n");
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{TELEGRAM}/english.md:1:1: error: `english.md`: a text file is named by its language code"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_facsimile_the_bundle_lacks_is_an_error() {
    let edition = Edition::copy_of_example();
    let meta = format!("{TELEGRAM}/index.md");
    edition.edit(
        &meta,
        "title:",
        "facsimiles:\n  14: \"missing.jpg\"\ntitle:",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let line = line_of(&edition, &meta, "missing.jpg");
    assert!(
        stderr(&out).contains(&format!(
            "{meta}:{line}:8: error: facsimiles: page 14 names `missing.jpg`"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_facsimile_that_is_no_image_is_an_error_at_its_path() {
    let edition = Edition::copy_of_example();
    edition.write(&format!("{TELEGRAM}/13.png"), "not a scan");
    let out = edition.build();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!(
            "{TELEGRAM}/13.png:1:1: error: the image cannot be read (Format error decoding Png"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn facsimiles_in_the_bundle_are_published_and_page_markers_link_to_them() {
    let edition = Edition::copy_of_example();
    let meta = format!("{TELEGRAM}/index.md");
    edition.edit(
        &meta,
        "title:",
        "facsimiles:\n  13: \"GARF l13.jpg\"\ntitle:",
    );
    scan(&edition.path(&format!("{TELEGRAM}/GARF l13.jpg")));
    // Named by its page, without a word in the metadata.
    scan(&edition.path(&format!("{TELEGRAM}/14.png")));
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = "public/documents/mikoyan-telegram-to-cpsu-cc";
    assert_eq!(
        std::fs::read(edition.path(&format!("{folder}/GARF l13.jpg"))).unwrap(),
        std::fs::read(edition.path(&format!("{TELEGRAM}/GARF l13.jpg"))).unwrap()
    );
    assert!(edition.path(&format!("{folder}/14.png")).is_file());
    let page = std::fs::read_to_string(edition.path(&format!("{folder}/index.html"))).unwrap();
    assert!(
        page.contains("data-page=\"13\" href=\"GARF%20l13.jpg\" title=\"Facsimile of page 13\""),
        "{page}"
    );
    assert!(page.contains("data-page=\"14\" href=\"14.png\""), "{page}");
}

#[test]
fn footnotes_are_numbered_notes_with_links_back() {
    let edition = Edition::copy_of_example();
    let en = format!("{TELEGRAM}/en.md");
    let text = std::fs::read_to_string(edition.path(&en)).unwrap();
    edition.write(
        &en,
        &(text.replacen("Top Secret", "Top Secret[^stamp]", 1)
            + "\n[^stamp]: The stamp is in the upper right corner.\n"),
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = page_of(&edition, "mikoyan-telegram-to-cpsu-cc");
    assert!(
        page.contains("<a id=\"en-fnref-stamp\" href=\"#en-fn-stamp\">1</a>"),
        "the reference"
    );
    assert!(
        page.contains("<li id=\"en-fn-stamp\" value=\"1\">"),
        "the note"
    );
    assert!(page.contains("href=\"#en-fnref-stamp\""), "the link back");
}

#[test]
fn a_second_translation_can_stand_beside_the_original() {
    let edition = Edition::copy_of_example();
    let cable = "content/documents/mikoyan-cable-from-beijing";
    let english = std::fs::read_to_string(edition.path(&format!("{cable}/en.md"))).unwrap();
    // A "German" translation: the English blocks, markers kept, so it aligns.
    edition.write(&format!("{cable}/de.md"), &english);
    edition.edit(
        &format!("{cable}/index.md"),
        "translators:",
        "translators:\n  de: \"A. Übersetzer\"",
    );
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = page_of(&edition, "mikoyan-cable-from-beijing");
    assert!(
        page.contains("<div class=\"parallel\" data-translation=\"de\">"),
        "German beside the original"
    );
    assert!(
        page.contains("<div class=\"parallel\" data-translation=\"en\">"),
        "English beside the original"
    );
    assert!(
        page.contains("<select data-translation>"),
        "the reader picks one"
    );
    assert!(page.contains("German translation by A. Übersetzer"));

    // The search page pairs a passage with the original's by its row in the view
    // shown first; the other translation's passages stand in no row of it.
    let script = std::fs::read_to_string(
        edition.path("public/search/documents/mikoyan-cable-from-beijing.js"),
    )
    .unwrap();
    let data = script
        .split_once(',')
        .and_then(|(_, data)| data.strip_suffix(");\n"))
        .unwrap();
    let passages: serde_json::Value = serde_json::from_str(data).unwrap();
    let texts: Vec<(String, String)> = passages["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t[0].as_str().unwrap().into(), t[1].as_str().unwrap().into()))
        .collect();
    assert_eq!(texts[0], ("ru".into(), "Russian original".into()));
    let mut headings = [texts[1].1.as_str(), texts[2].1.as_str()];
    headings.sort();
    assert_eq!(headings, ["English translation", "German translation"]);
    assert_eq!(texts[3], ("en".into(), "Headnote".into()));
    let rows = |text: usize| -> Vec<i64> {
        passages["passages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p[0] == text)
            .map(|p| p[2].as_i64().unwrap())
            .collect()
    };
    let first_shown = page
        .split("<div class=\"parallel\" data-translation=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (shown, other) = if texts[1].0 == first_shown {
        (1, 2)
    } else {
        (2, 1)
    };
    assert!(!rows(shown).is_empty() && rows(shown).iter().all(|r| *r >= 0));
    assert!(
        rows(shown).iter().all(|r| rows(0).contains(r)),
        "the translation's rows are the original's"
    );
    assert!(!rows(other).is_empty() && rows(other).iter().all(|r| *r == -1));
    assert!(
        !rows(3).is_empty() && rows(3).iter().all(|r| *r == -1),
        "the headnote is in no row"
    );
}

// --- The editor's loop (issue 5) --------------------------------------------------

/// Each bad input: how to make it, and what the message must say. The build fails
/// (status 1, no panic) and the previous output stays as it was.
#[test]
fn bad_input_fails_with_its_place_and_leaves_the_previous_output() {
    type Break = fn(&Edition);
    let cases: &[(&str, Break, &str)] = &[
        (
            "malformed YAML",
            |e| e.write("content/events.yaml", "august-plenum:\n  name: [\n"),
            "content/events.yaml:",
        ),
        (
            "a field of the wrong type",
            |e| e.edit(META, "tags: [", "tags: 12\nx: ["),
            "index.md:",
        ),
        (
            "an unknown person",
            |e| e.edit(META, "title:", "people: [nobody]\ntitle:"),
            "unknown person `nobody`",
        ),
        (
            "a duplicate id",
            |e| {
                let text = std::fs::read_to_string(e.path("content/places.yaml")).unwrap();
                e.write(
                    "content/places.yaml",
                    &format!("{text}\nbeijing:\n  name: \"Peking\"\n"),
                );
            },
            "duplicate id `beijing`",
        ),
        (
            "an impossible date",
            |e| e.edit(META, "date: 1956-09-16", "date: 1956-02-30"),
            "February 1956 has 29 days",
        ),
        (
            "a bundle with no text",
            |e| {
                for lang in ["ru", "en"] {
                    std::fs::remove_file(e.path(&format!(
                        "content/documents/mikoyan-cable-from-beijing/{lang}.md"
                    )))
                    .unwrap();
                }
            },
            "mikoyan-cable-from-beijing:1:1: error: no text",
        ),
        (
            "non-UTF-8 text",
            |e| {
                std::fs::write(
                    e.path("content/documents/mikoyan-cable-from-beijing/en.md"),
                    b"ok\n\xc3\x28\n",
                )
                .unwrap()
            },
            "en.md:2:1: error: the file is not UTF-8",
        ),
        (
            "an id with dots",
            |e| std::fs::create_dir(e.path("content/documents/a..b")).unwrap(),
            "`a..b` is not a valid document id",
        ),
        (
            "an uppercase page slug",
            |e| e.write("content/pages/About.md", "---\ntitle: \"x\"\n---\n"),
            "`About` cannot be a page address",
        ),
        (
            "an uppercase register id",
            |e| {
                let text = std::fs::read_to_string(e.path("content/people.yaml")).unwrap();
                e.write(
                    "content/people.yaml",
                    &format!("{text}\nKim:\n  name: \"Kim\"\n"),
                );
            },
            "`Kim` is not a valid id",
        ),
        (
            "a 50 MB text",
            |e| {
                let big = "Слово ".repeat(50 * 1024 * 1024 / 11 + 1);
                e.write("content/documents/mikoyan-cable-from-beijing/ru.md", &big);
            },
            "ru.md:1:1: error: file is 50 MiB, over the limit of 16 MiB",
        ),
        (
            "a template with a syntax error",
            |e| {
                std::fs::create_dir_all(e.path("templates")).unwrap();
                e.write("templates/entry.html", "{% extends \"base.html\" %}\n{% block main %}{{ entry.name \n{% endblock main %}");
            },
            "templates/entry.html:3:1: error: template error",
        ),
        (
            "a static file where a folder of pages is",
            |e| {
                std::fs::create_dir_all(e.path("static")).unwrap();
                e.write("static/people", "notes");
            },
            "static/people:1:1: error: `people` would stand where the folder of generated pages `people/` is",
        ),
    ];
    for (what, break_it, message) in cases {
        let edition = Edition::copy_of_example();
        assert!(edition.build().status.success(), "{what}: the good build");
        let before = edition.snapshot_output();
        break_it(&edition);
        let out = edition.build();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains(message),
            "{what}: expected {message:?} in\n{err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert!(
            edition.snapshot_output() == before,
            "{what}: the previous output changed"
        );
    }
}

#[test]
fn a_symlink_loop_in_content_is_an_error_at_its_path() {
    let edition = Edition::copy_of_example();
    std::os::unix::fs::symlink("..", edition.path("content/documents/loop")).unwrap();
    std::os::unix::fs::symlink(
        ".",
        edition.path("content/documents/mikoyan-cable-from-beijing/self"),
    )
    .unwrap();
    let out = edition.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for link in [
        "content/documents/loop",
        "content/documents/mikoyan-cable-from-beijing/self",
    ] {
        assert!(
            err.contains(&format!(
                "{link}:1:1: error: a symbolic link to a folder that holds it (a loop)"
            )),
            "{err}"
        );
    }
}

#[test]
fn two_builds_are_byte_for_byte_the_same() {
    let edition = Edition::copy_of_example();
    assert!(dossier(&["build", "--output", "one"], edition.root())
        .status
        .success());
    assert!(dossier(&["build", "--output", "two"], edition.root())
        .status
        .success());
    let mut one = BTreeMap::new();
    let mut two = BTreeMap::new();
    snapshot(&edition.path("one"), &edition.path("one"), &mut one);
    snapshot(&edition.path("two"), &edition.path("two"), &mut two);
    assert!(one.len() > 50);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(
            two[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn check_reports_as_json_and_can_deny_warnings() {
    let edition = Edition::copy_of_example();
    edition.write(
        "content/documents/conversation-with-kwp-delegation/ru.md",
        "Тов. Микоюн - Как себя чувствовали т. Ким Ир Сен?\n\nНе {++ закрыто.\n",
    );
    let out = dossier(&["check", "--format", "json"], edition.root());
    assert_eq!(out.status.code(), Some(0), "warnings alone pass");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(report["errors"], 0);
    let problems = report["problems"].as_array().unwrap();
    assert!(problems.iter().any(|p| p["level"] == "warning"
        && p["line"] == 3
        && p["path"]
            .as_str()
            .unwrap()
            .ends_with("conversation-with-kwp-delegation/ru.md")
        && p["message"].as_str().unwrap().contains("unclosed `{++`")));
    assert!(problems.iter().any(|p| p["message"]
        .as_str()
        .unwrap()
        .contains("\"Микоюн\" is in no register")));
    let denied = dossier(&["check", "--deny-warnings"], edition.root());
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn check_finds_broken_links_in_the_rendered_site() {
    let edition = Edition::copy_of_example();
    edition.edit(
        "content/pages/about.md",
        "publishes four documents",
        "publishes [four documents](../no-such-page/)",
    );
    let out = dossier(&["check"], edition.root());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("public/about/index.html:")
            && stderr(&out).contains("broken link: `../no-such-page/`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn each_command_is_one_sentence_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["--help"], dir.path());
    let help = String::from_utf8_lossy(&out.stdout).to_string();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(commands.len() >= 5, "{help}");
    for line in commands {
        assert!(!line.contains(". "), "more than a sentence: {line}");
    }
}

#[test]
fn new_makes_a_document_that_builds_and_refuses_to_overwrite() {
    let edition = Edition::copy_of_example();
    let out = dossier(&["new", "mikoyan-note-1956-09-22"], edition.root());
    assert!(out.status.success(), "{}", stderr(&out));
    let bundle = edition.path("content/documents/mikoyan-note-1956-09-22");
    for file in ["index.md", "ru.md", "en.md"] {
        assert!(bundle.join(file).is_file(), "{file}");
    }
    let index = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    assert!(
        index.contains("# The document's own date"),
        "commented front matter"
    );
    let built = edition.build();
    assert!(built.status.success(), "{}", stderr(&built));
    // It builds, but what is still to be written is said.
    let err = stderr(&built);
    let bundle = "content/documents/mikoyan-note-1956-09-22";
    assert!(
        err.contains(&format!(
            "{bundle}/ru.md:1:1: warning: the ru text is empty"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{bundle}/en.md:1:1: warning: the en text is empty"
        )),
        "{err}"
    );
    let line = line_of(
        &edition,
        &format!("{bundle}/index.md"),
        "The editor's headnote",
    );
    assert!(
        err.contains(&format!(
            "{bundle}/index.md:{line}:1: warning: the headnote is still the placeholder"
        )),
        "{err}"
    );
    let again = dossier(&["new", "mikoyan-note-1956-09-22"], edition.root());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exists already"));
    let bad = dossier(&["new", "Bad/Id"], edition.root());
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("cannot be a document id"));
    // A name, not an id: the id it would be.
    let named = dossier(&["new", "My Doc"], edition.root());
    assert!(
        stderr(&named).contains("`my-doc`, say"),
        "{}",
        stderr(&named)
    );
    // The date is said to be a placeholder.
    let out = dossier(&["new", "second-note"], edition.root());
    assert!(
        stderr(&out).contains("Its date is today's"),
        "{}",
        stderr(&out)
    );
    // Outside an edition: said once, with what to do.
    let nowhere = tempfile::tempdir().unwrap();
    let outside = dossier(&["new", "x"], nowhere.path());
    let err = stderr(&outside);
    assert_eq!(outside.status.code(), Some(1));
    assert_eq!(err.matches("error").count(), 1, "{err}");
    assert!(err.contains("no edition here"), "{err}");
}

#[test]
fn init_makes_an_edition_that_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["init", "my-edition"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "Next: in my-edition, edit content/site.yaml, start a document with `dossier new <id>`"
        ),
        "{}",
        stderr(&out)
    );
    let root = dir.path().join("my-edition");
    let build = dossier(&["build"], &root);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(root.join("public/index.html").is_file());
    let new = dossier(&["new", "first-document"], &root);
    assert!(new.status.success(), "{}", stderr(&new));
    assert!(dossier(&["build"], &root).status.success());
    let again = dossier(&["init", "my-edition"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exists already"));
}

#[test]
fn a_base_url_that_would_run_is_an_error() {
    // It begins the canonical link of every page.
    let edition = Edition::copy_of_example();
    let out = dossier(
        &["build", "--base-url", "javascript:alert(1)//"],
        edition.root(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--base-url:1:1: error: `javascript:` addresses"),
        "{}",
        stderr(&out)
    );
    edition.edit(
        "content/site.yaml",
        "base_url: \"https://example.org/pyongyang-1956\"",
        "base_url: \" JavaScript:alert(1)//\"",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/site.yaml:12:1: error: base_url: `javascript:` addresses"),
        "{}",
        stderr(&out)
    );
    assert!(!edition.path("public").exists());
}

#[test]
fn over_long_ids_and_tags_are_errors_at_their_line() {
    let edition = Edition::copy_of_example();
    let long = "a".repeat(300);
    edition.edit(META, "tags: [", &format!("tags: [\"{long}\", "));
    let people = std::fs::read_to_string(edition.path("content/people.yaml")).unwrap();
    edition.write(
        "content/people.yaml",
        &format!("{}:\n  name: \"Someone\"\n{people}", "b".repeat(101)),
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("error: tag `{long}` is not a valid tag"))
            && err.contains("at most 100"),
        "{err}"
    );
    assert!(err.contains("content/people.yaml:1:1: error:"), "{err}");
    assert!(!err.contains("File name too long"), "{err}");
}

#[test]
fn an_output_folder_that_cannot_be_made_says_which_part_is_in_the_way() {
    let edition = Edition::copy_of_example();
    edition.write("somefile", "not a folder\n");
    let out = dossier(&["build", "--output", "somefile/sub"], edition.root());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("`somefile` is a file, not a folder"), "{err}");
}

/// Control characters have no place in a text (HTML cannot hold most of them): an
/// error at the first, with how many more.
#[test]
fn control_characters_in_a_text_are_an_error_at_their_place() {
    let edition = Edition::copy_of_example();
    let text = "content/documents/conversation-with-kwp-delegation/ru.md";
    let before = std::fs::read_to_string(edition.path(text)).unwrap();
    edition.write(
        text,
        &format!("Тов. Ким\0 Ир Сен\n\nдва\u{1b}[0m и \u{85}\n\n{before}"),
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{text}:1:9: error: control character U+0000 in the text (and 2 more in the file)"
        )),
        "{err}"
    );
    assert!(!edition.path("public").exists(), "nothing is written");
}

/// Only addresses a browser does not run are published as links: any other scheme,
/// however written, is an error where it is written.
#[test]
fn links_that_would_run_are_errors_at_their_place() {
    let edition = Edition::copy_of_example();
    let text = "content/documents/conversation-with-kwp-delegation/en.md";
    let before = std::fs::read_to_string(edition.path(text)).unwrap();
    edition.write(
        text,
        &format!(
            "[a](javascript:alert(1)) <JavaScript:alert(2)> [b][r] ![c](data:text/html,x)\n\
             [d](&#106;avascript:alert(3)) [e](vbscript:x) [f](https://example.org) [g](#ru-1)\n\n\
             [r]: java%0Ascript:no ' x'\n[r2]: \tjavascript:alert(4)\n\n[h][r2]\n\n{before}"
        ),
    );
    let page = "content/pages/about.md";
    let about = std::fs::read_to_string(edition.path(page)).unwrap();
    edition.write(
        page,
        &about.replacen("\n\n", "\n\n[x](file:///etc/passwd)\n\n", 1),
    );
    let meta = "content/documents/conversation-with-kwp-delegation/index.md";
    edition.edit(
        meta,
        "source_url: \"",
        "source_url: \"javascript:alert(5)//",
    );
    let out = edition.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for (at, scheme) in [
        ("en.md:1:1", "javascript"),
        ("en.md:1:26", "javascript"),
        ("en.md:1:55", "data"),
        ("en.md:2:1", "javascript"),
        ("en.md:2:31", "vbscript"),
        ("en.md:7:1", "javascript"),
    ] {
        assert!(
            err.contains(&format!("conversation-with-kwp-delegation/{at}: error: `{scheme}:` addresses are not published as links")),
            "{at} {scheme}:\n{err}"
        );
    }
    assert!(err.contains("about.md:"), "{err}");
    assert!(err.contains("`file:` addresses"), "{err}");
    assert!(
        err.contains("index.md:") && err.contains("source_url: `javascript:`"),
        "{err}"
    );
    // The safe ones, and a percent-encoded "scheme" (a relative address), are not
    // reported.
    assert_eq!(
        err.matches("are not published as links").count(),
        8,
        "{err}"
    );
    assert!(!edition.path("public").exists(), "nothing is written");
}

/// No character of a text means anything to dossier: private-use characters (of
/// both supplementary areas, as the first markup placeholders and the old mention
/// markers were), the word joiner and characters of every other kind reach the
/// page as they are, beside editorial markup and names that are recognised.
#[test]
fn every_character_of_a_text_reaches_the_page() {
    let edition = Edition::copy_of_example();
    let own = [
        '\u{F0000}',
        '\u{F0001}',
        '\u{F0005}',
        '\u{FFFFD}',
        '\u{100000}',
        '\u{100001}',
        '\u{10FFFD}',
        '\u{E000}',
        '\u{2060}',
        '\u{200D}',
        '\u{FEFF}',
        '\u{00AD}',
        '\u{0301}',
        '\u{1F600}',
        '\u{FFFE}',
        '\u{10FFFF}',
        'Ж',
        '漢',
        '٣',
        '«',
    ];
    let mut line = String::from("Тов. Ким Ир Сен {++вставил++} {--убрал--} [SIC]");
    for c in own {
        line.push(' ');
        line.push(c);
        line.push('x');
    }
    let text = "content/documents/conversation-with-kwp-delegation/ru.md";
    let before = std::fs::read_to_string(edition.path(text)).unwrap();
    edition.write(text, &format!("{line}\n\n{before}"));
    let out = edition.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(
        edition.path("public/documents/conversation-with-kwp-delegation/index.html"),
    )
    .unwrap();
    for c in own {
        assert!(page.contains(&format!(" {c}x")), "{c:?} is not in the page");
    }
    let first = page
        .split("class=\"segment\"")
        .find(|s| s.contains("\u{F0005}x"))
        .expect("the block");
    assert_eq!(
        first.matches("<ins class=\"ed-ins\">").count(),
        1,
        "{first}"
    );
    assert_eq!(
        first.matches("<del class=\"ed-del\">").count(),
        1,
        "{first}"
    );
    assert!(
        first.contains("data-entity=\"person:kim-il-sung\""),
        "{first}"
    );
}
