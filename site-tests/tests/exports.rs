//! The files the edition publishes for machines, read by the tools that read them:
//! every JSON file validated against its published schema (ajv), the sitemap against
//! the sitemaps.org schema (xmllint), the feed read as Atom (Python's standard
//! library), TEI validated against `tei_all.rng` (jing), citations parsed with
//! citation-js, and the page's metadata read as Zotero reads it.

use serde_json::Value;
use site_tests::{repository_root, selector, BuiltSite};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// An address no reader will mistake for a real edition, but that is not one of the
/// names reserved for examples (those make the citation leave the address out).
const PUBLISHED_AT: &str = "https://pyongyang-1956.dossier-editions.net/edition";

/// The example edition as published at [`PUBLISHED_AT`], built once for the tests.
fn published() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| BuiltSite::build_at(&repository_root(), PUBLISHED_AT))
}

const TELEGRAM: &str = "mikoyan-telegram-to-cpsu-cc";

fn files_in(folder: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// Runs a tool, panicking with its output unless it succeeds; its stdout.
fn run(command: &mut Command) -> String {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?} could not run ({e}): scripts/test installs it"));
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn node_tool(script: &str) -> Command {
    let mut command = Command::new("node");
    command.arg(repository_root().join("site-tests/js").join(script));
    command
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

#[test]
fn every_data_file_validates_against_its_published_schema() {
    let site = published();
    let schemas = repository_root().join("schemas");
    let documents = files_in(&site.output.join("documents"), ".json")
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".csl.json"))
        .collect::<Vec<_>>();
    assert_eq!(documents.len(), 4, "one data file per document");
    run(node_tool("validate-json.mjs")
        .arg(schemas.join("document.schema.json"))
        .args(&documents));
    for name in ["documents", "people", "events", "places", "glossary"] {
        run(node_tool("validate-json.mjs")
            .arg(schemas.join(format!("{name}.schema.json")))
            .arg(site.output.join(format!("data/{name}.json"))));
    }
}

#[test]
fn a_schema_rejects_a_file_that_breaks_it() {
    // The validator is not a rubber stamp: a document without its texts fails.
    let site = published();
    let mut document = json(&site.output.join(format!("documents/{TELEGRAM}.json")));
    document.as_object_mut().unwrap().remove("texts");
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, document.to_string()).unwrap();
    let out = node_tool("validate-json.mjs")
        .arg(repository_root().join("schemas/document.schema.json"))
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("texts")
            || String::from_utf8_lossy(&out.stderr).contains("texts"),
        "the error names the missing field"
    );
}

#[test]
fn a_documents_data_holds_its_texts_with_mentions_notes_and_page_breaks() {
    let site = published();
    let data = json(&site.output.join(format!("documents/{TELEGRAM}.json")));
    assert_eq!(
        data["url"],
        format!("{PUBLISHED_AT}/documents/{TELEGRAM}/").as_str()
    );
    assert_eq!(data["date"], "1956-09-21");
    assert_eq!(data["updated"], "2026-12-06");
    assert_eq!(data["archive"]["fond"], "5446");
    let texts = data["texts"].as_array().unwrap();
    assert_eq!(
        texts
            .iter()
            .map(|t| (t["lang"].as_str().unwrap(), t["role"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        [("ru", "original"), ("en", "translation")]
    );
    assert_eq!(texts[1]["translator"], "Gary Goldberg");

    // Every mention's offsets pick out words of its segment (or note) that name
    // the entry; Kim Il Sung is named in both languages.
    for text in texts {
        let segments: std::collections::HashMap<&str, &str> = text["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].as_str().unwrap(), s["text"].as_str().unwrap()))
            .collect();
        let mentions = text["mentions"].as_array().unwrap();
        assert!(!mentions.is_empty());
        for m in mentions {
            let words: String = if m["footnote"].is_null() {
                segments[m["segment"].as_str().unwrap()]
            } else {
                let label = m["footnote"].as_str().unwrap();
                text["footnotes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|n| n["label"] == label)
                    .unwrap()["text"]
                    .as_str()
                    .unwrap()
            }
            .chars()
            .skip(m["start"].as_u64().unwrap() as usize)
            .take((m["end"].as_u64().unwrap() - m["start"].as_u64().unwrap()) as usize)
            .collect();
            assert!(!words.trim().is_empty(), "{m}");
            if m["id"] == "kim-il-sung" {
                assert!(
                    ["Ким", "Kim"].iter().any(|k| words.starts_with(k)),
                    "{words:?} names Kim Il Sung"
                );
            }
        }
        assert!(mentions.iter().any(|m| m["id"] == "kim-il-sung"));
    }

    // Page breaks are where the editor put them: those of the Russian file.
    let source = std::fs::read_to_string(
        repository_root().join(format!("content/documents/{TELEGRAM}/ru.md")),
    )
    .unwrap();
    let written: Vec<&str> = source
        .match_indices("{pb ")
        .map(|(at, _)| {
            let rest = &source[at + 4..];
            rest[..rest.find('}').unwrap()].trim()
        })
        .collect();
    let breaks: Vec<&str> = texts[0]["page_breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert!(!written.is_empty());
    assert_eq!(breaks, written);

    // Rows pair segments that exist.
    let ids: Vec<&str> = texts
        .iter()
        .flat_map(|t| t["segments"].as_array().unwrap())
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for row in data["alignments"][0]["rows"].as_array().unwrap() {
        for side in ["original", "translation"] {
            for id in row[side].as_array().unwrap() {
                assert!(ids.contains(&id.as_str().unwrap()), "{id}");
            }
        }
    }
    // The segment ids are the page's anchors.
    let page = site.page(&format!("documents/{TELEGRAM}/"));
    assert!(page.select(&selector("#ru-3")).next().is_some());
}

#[test]
fn the_registers_and_the_catalogue_say_which_documents_name_each_entry() {
    let site = published();
    let people = json(&site.output.join("data/people.json"));
    let kim = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "kim-il-sung")
        .unwrap();
    assert_eq!(kim["name"], "Kim Il Sung");
    assert_eq!(kim["documents"].as_array().unwrap().len(), 4);
    assert_eq!(kim["page"], "people/kim-il-sung/");
    let catalogue = json(&site.output.join("data/documents.json"));
    let dates: Vec<&str> = catalogue["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "by date");
    for d in catalogue["documents"].as_array().unwrap() {
        for file in ["data", "tei"] {
            let path = site.output.join(d[file].as_str().unwrap());
            assert!(path.is_file(), "{} exists", path.display());
        }
    }
}

#[test]
fn the_sitemap_lists_every_page_with_its_last_change_and_validates() {
    let site = published();
    let sitemap = site.output.join("sitemap.xml");
    run(Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(repository_root().join("tests/schemas/sitemap.xsd"))
        .arg(&sitemap));
    let text = std::fs::read_to_string(&sitemap).unwrap();
    let listed: std::collections::BTreeSet<String> = text
        .match_indices("<loc>")
        .map(|(at, _)| {
            let rest = &text[at + 5..];
            rest[..rest.find("</loc>").unwrap()].to_string()
        })
        .collect();
    for file in site.html_files() {
        let file = file.to_string_lossy().replace('\\', "/");
        if file == "404.html" {
            continue;
        }
        let address = file.strip_suffix("index.html").unwrap();
        assert!(
            listed.contains(&format!("{PUBLISHED_AT}/{address}")),
            "{address} is in the sitemap"
        );
    }
    assert_eq!(
        listed.len(),
        site.html_files().len() - 1,
        "and nothing else"
    );
    // A document's page changed when the editor says it did.
    assert!(text.contains(&format!(
        "<loc>{PUBLISHED_AT}/documents/{TELEGRAM}/</loc><lastmod>2026-12-06</lastmod>"
    )));
}

#[test]
fn the_feed_is_atom_a_feed_reader_reads() {
    let site = published();
    let out = run(Command::new("python3")
        .arg(repository_root().join("site-tests/py/check_atom.py"))
        .arg(site.output.join("feed.xml")));
    let feed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(feed["title"], "Pyongyang, September 1956");
    let entries = feed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let telegram = entries
        .iter()
        .find(|e| e["title"] == "Telegram from A. Mikoyan to the CPSU Central Committee")
        .unwrap();
    assert_eq!(telegram["updated"], "2026-12-06T00:00:00Z");
    assert_eq!(
        telegram["id"],
        format!("{PUBLISHED_AT}/documents/{TELEGRAM}/").as_str()
    );
    let links: Vec<&str> = telegram["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["href"].as_str().unwrap())
        .collect();
    assert!(links.contains(&format!("{PUBLISHED_AT}/documents/{TELEGRAM}.xml").as_str()));
}

#[test]
fn an_edition_without_a_public_address_cites_without_one() {
    // The example edition's own settings name example.org: no citation, data file
    // or feed sends a reader there.
    let site = BuiltSite::example();
    let page = site.page(&format!("documents/{TELEGRAM}/"));
    let citation = site_tests::text_of(&page, ".citation-text").unwrap();
    assert!(!citation.contains("example.org"), "{citation}");
    assert!(!citation.contains(". ."), "{citation}");
    assert!(
        citation.ends_with("In Pyongyang, September 1956."),
        "{citation}"
    );
    let data = json(&site.output.join(format!("documents/{TELEGRAM}.json")));
    assert!(data["url"].is_null());
    assert!(!data["citation"].as_str().unwrap().contains("example.org"));
    let feed = std::fs::read_to_string(site.output.join("feed.xml")).unwrap();
    assert!(!feed.contains("example.org"));
    run(Command::new("python3")
        .arg(repository_root().join("site-tests/py/check_atom.py"))
        .arg(site.output.join("feed.xml")));
}

#[test]
fn data_files_are_the_same_bytes_in_every_build() {
    let a = published();
    let b = BuiltSite::build_at(&repository_root(), PUBLISHED_AT);
    let mut compared = 0;
    for folder in ["documents", "data", ""] {
        for file in files_in(&a.output.join(folder), "") {
            if !file.is_file() || file.extension().is_some_and(|e| e == "html") {
                continue;
            }
            let relative = file.strip_prefix(&a.output).unwrap();
            assert!(
                std::fs::read(&file).unwrap() == std::fs::read(b.output.join(relative)).unwrap(),
                "{} differs between two builds",
                relative.display()
            );
            compared += 1;
        }
    }
    assert!(compared >= 4 * 5 + 6, "{compared} files compared");
}

/// The example edition with the telegram's title in Russian, as published: the
/// citation files must keep Cyrillic as it is.
fn with_russian_title() -> BuiltSite {
    let dir = tempfile::tempdir().unwrap();
    site_tests::copy_tree(
        &repository_root().join("content"),
        &dir.path().join("content"),
    );
    let index = dir
        .path()
        .join(format!("content/documents/{TELEGRAM}/index.md"));
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replacen(
            "title: \"Telegram from A. Mikoyan to the CPSU Central Committee\"",
            "title: \"Телеграмма А. Микояна в ЦК КПСС {о пленуме} 100% & $x_1$\"",
            1,
        ),
    )
    .unwrap();
    let site = BuiltSite::build_at(dir.path(), PUBLISHED_AT);
    // The folder goes with the site's own.
    std::mem::forget(dir);
    site
}

#[test]
fn citations_parse_with_citation_js_and_keep_every_field() {
    let site = with_russian_title();
    let title = "Телеграмма А. Микояна в ЦК КПСС {о пленуме} 100% & $x_1$";
    let url = format!("{PUBLISHED_AT}/documents/{TELEGRAM}/");
    let files: Vec<PathBuf> = ["bib", "ris", "csl.json"]
        .iter()
        .map(|e| site.output.join(format!("documents/{TELEGRAM}.{e}")))
        .collect();
    let parsed: Value =
        serde_json::from_str(&run(node_tool("parse-citations.mjs").args(&files))).unwrap();
    for file in &files {
        let items = parsed[file.to_string_lossy().as_ref()].as_array().unwrap();
        assert_eq!(items.len(), 1, "{}", file.display());
        let item = &items[0];
        let name = file.display();
        assert_eq!(item["title"], title, "{name}");
        assert_eq!(item["author"][0]["family"], "Mikoyan", "{name}");
        assert_eq!(item["author"][0]["given"], "Anastas", "{name}");
        assert_eq!(
            item["issued"]["date-parts"][0],
            serde_json::json!([1956, 9, 21]),
            "{name}"
        );
        assert_eq!(item["genre"], "telegram", "{name}");
        assert!(
            item["abstract"]
                .as_str()
                .unwrap()
                .starts_with("A meeting with Kim Il Sung"),
            "{name}"
        );
        assert!(
            item["keyword"]
                .as_str()
                .unwrap()
                .contains("KWP CC Presidium"),
            "{name}"
        );
        // RIS carries the address as UR, BibTeX as url, CSL-JSON as URL; citation-js
        // reads the first two into `URL` too.
        assert_eq!(item["URL"], url.as_str(), "{name}");
        let ris = file.to_string_lossy().ends_with(".ris");
        if !ris {
            // RIS has no translator field citation-js reads (it keeps the note).
            assert_eq!(item["translator"][0]["family"], "Goldberg", "{name}");
        } else {
            assert_eq!(item["note"], "Translated by Gary Goldberg.");
        }
        if !file.to_string_lossy().ends_with(".bib") {
            // BibTeX has no archive fields: the reference is in its note.
            assert_eq!(item["language"], "ru", "{name}");
            assert_eq!(
                item["archive"], "State Archive of the Russian Federation (GARF)",
                "{name}"
            );
            assert_eq!(
                item["archive_location"], "f. 5446, op. 98c, d. 718, ll. 12-16",
                "{name}"
            );
        } else {
            assert!(item["note"]
                .as_str()
                .unwrap()
                .contains("f. 5446, op. 98c, d. 718, ll. 12-16"));
        }
    }
}

/// The `<meta>` tags of a page's head, in order: (name or property, content).
fn head_meta(page: &scraper::Html) -> Vec<(String, String)> {
    page.select(&selector("head meta[content]"))
        .filter_map(|m| {
            let v = m.value();
            let name = v.attr("name").or_else(|| v.attr("property"))?;
            Some((name.to_string(), v.attr("content")?.to_string()))
        })
        .collect()
}

/// What Zotero's Embedded Metadata translator makes of a page's meta tags (its
/// rules as of zotero/translators dcd14d6, for the fields a document has): the item
/// type and the fields, by Zotero's names.
fn as_zotero_reads(meta: &[(String, String)]) -> std::collections::BTreeMap<&'static str, String> {
    let first = |name: &str| meta.iter().find(|(n, _)| n == name).map(|(_, c)| c.clone());
    let all = |name: &str| -> Vec<String> {
        meta.iter()
            .filter(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .collect()
    };
    let mut item = std::collections::BTreeMap::new();
    // A Highwire tag of a journal, report, conference, book or thesis decides the
    // type; then og:type "website" (a web page); then DC.type if it is a Zotero type.
    let highwire_type = [
        ("citation_journal_title", "journalArticle"),
        ("citation_technical_report_institution", "report"),
        ("citation_conference_title", "conferencePaper"),
        ("citation_book_title", "bookSection"),
        ("citation_dissertation_institution", "thesis"),
    ]
    .into_iter()
    .find(|(tag, _)| first(tag).is_some());
    let item_type = match (highwire_type, first("og:type"), first("DC.type")) {
        (Some((_, t)), _, _) => t.to_string(),
        (None, Some(og), _) if og == "website" => "webpage".into(),
        (None, _, Some(dc)) if ["manuscript", "letter"].contains(&dc.as_str()) => dc,
        (None, _, _) if first("citation_title").is_some() => "journalArticle".into(),
        _ => "webpage".into(),
    };
    item.insert("itemType", item_type);
    if let Some(title) = first("citation_title").or_else(|| first("DC.title")) {
        item.insert("title", title);
    }
    let authors = all("citation_author");
    let creators = if authors.is_empty() {
        all("DC.creator")
    } else {
        authors
    };
    let creators: Vec<String> = creators
        .iter()
        .flat_map(|a| a.split(';'))
        .map(|a| match a.split_once(',') {
            Some((last, first)) => format!("{}|{}", last.trim(), first.trim()),
            None => {
                let (first, last) = a.trim().rsplit_once(' ').unwrap_or(("", a.trim()));
                format!("{last}|{first}")
            }
        })
        .collect();
    item.insert("creators", creators.join("; "));
    if let Some(date) = first("citation_date")
        .or_else(|| first("citation_publication_date"))
        .or_else(|| first("DC.date"))
    {
        item.insert("date", date);
    }
    if let Some(language) = first("citation_language").or_else(|| first("DC.language")) {
        item.insert("language", language);
    }
    if let Some(text) = first("citation_abstract").or_else(|| first("DC.description")) {
        item.insert("abstractNote", text);
    }
    if let Some(rights) = first("DC.rights") {
        item.insert("rights", rights);
    }
    if let Some(location) = first("DC.coverage") {
        item.insert("archiveLocation", location);
    }
    if let Some(url) = first("citation_public_url") {
        item.insert("url", url);
    }
    item
}

#[test]
fn reference_managers_find_a_manuscript_or_letter_with_its_archive() {
    let site = published();
    let page = site.page(&format!("documents/{TELEGRAM}/"));
    let meta = head_meta(&page);
    let item = as_zotero_reads(&meta);
    assert_eq!(item["itemType"], "letter", "a telegram: {meta:?}");
    assert_eq!(
        item["title"],
        "Telegram from A. Mikoyan to the CPSU Central Committee"
    );
    assert_eq!(item["creators"], "Mikoyan|Anastas");
    assert_eq!(item["date"], "1956/09/21");
    assert_eq!(item["language"], "ru");
    assert_eq!(
        item["archiveLocation"],
        "f. 5446, op. 98c, d. 718, ll. 12-16"
    );
    assert!(item["rights"].contains("CC BY 4.0"));
    assert!(item["abstractNote"].starts_with("A meeting with Kim Il Sung"));
    assert_eq!(item["url"], format!("{PUBLISHED_AT}/documents/{TELEGRAM}/"));
    // The archive, for readers of Highwire tags that know archives.
    assert!(meta.contains(&(
        "citation_archive".to_string(),
        "State Archive of the Russian Federation (GARF)".to_string()
    )));
    // The TEI is named for those who want it.
    assert!(meta.contains(&(
        "citation_xml_url".to_string(),
        format!("{PUBLISHED_AT}/documents/{TELEGRAM}.xml")
    )));
    // A record of conversation is a manuscript.
    let record = site.page("documents/conversation-with-kwp-delegation/");
    assert_eq!(
        as_zotero_reads(&head_meta(&record))["itemType"],
        "manuscript"
    );
    // Link previews get a title and a description, and not a type that would make
    // Zotero take the page for a web page.
    assert!(meta.iter().any(|(n, _)| n == "og:title"));
    assert!(meta.iter().any(|(n, _)| n == "og:description"));
    assert!(!meta.iter().any(|(n, _)| n == "og:type"));
}

/// The JSON-LD blocks of a page.
fn json_ld(page: &scraper::Html) -> Vec<Value> {
    page.select(&selector("script[type=\"application/ld+json\"]"))
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).unwrap())
        .collect()
}

#[test]
fn json_ld_describes_the_document_where_it_is_kept_and_whom_it_names() {
    let site = published();
    let page = site.page(&format!("documents/{TELEGRAM}/"));
    let ld = json_ld(&page);
    assert_eq!(ld.len(), 1);
    let doc = &ld[0];
    assert_eq!(doc["@context"], "https://schema.org");
    assert_eq!(doc["@type"], "ArchiveComponent");
    assert_eq!(doc["dateCreated"], "1956-09-21");
    assert_eq!(doc["inLanguage"], serde_json::json!(["ru", "en"]));
    assert_eq!(
        doc["holdingArchive"]["name"],
        "State Archive of the Russian Federation (GARF)"
    );
    assert_eq!(doc["holdingArchive"]["@type"], "ArchiveOrganization");
    assert_eq!(doc["author"][0]["name"], "Anastas Mikoyan");
    assert_eq!(doc["translator"][0]["name"], "Gary Goldberg");
    let mentions = doc["mentions"].as_array().unwrap();
    let kim = mentions
        .iter()
        .find(|m| m["name"] == "Kim Il Sung")
        .expect("Kim Il Sung is named");
    assert_eq!(kim["@type"], "Person");
    assert_eq!(
        kim["url"],
        format!("{PUBLISHED_AT}/people/kim-il-sung/").as_str()
    );
    for kind in ["Person", "Event", "Place"] {
        assert!(mentions.iter().any(|m| m["@type"] == kind), "{kind}");
    }
    // Where the register knows a person's authority records, they are the same
    // person as those.
    let people = json(&site.output.join("data/people.json"));
    let known: Vec<&Value> = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["wikidata"].is_null())
        .collect();
    assert!(!known.is_empty());
    for person in known {
        let id = person["id"].as_str().unwrap();
        let page = site.page(&format!("people/{id}/"));
        let ld = json_ld(&page);
        assert_eq!(ld[0]["@type"], "Person");
        assert_eq!(ld[0]["name"], person["name"]);
        let q = person["wikidata"].as_str().unwrap();
        assert!(ld[0]["sameAs"]
            .as_array()
            .unwrap()
            .contains(&Value::from(format!("https://www.wikidata.org/wiki/{q}"))));
    }
}

#[test]
fn every_tei_file_and_the_edition_corpus_validate_against_tei_all() {
    let site = published();
    let mut files = files_in(&site.output.join("documents"), ".xml");
    assert_eq!(files.len(), 4);
    files.push(site.output.join("data/edition.xml"));
    run(Command::new("jing")
        .arg(repository_root().join("tests/schemas/tei_all.rng"))
        .args(&files));
    // What the TEI of one document holds, as a TEI reader looks for it.
    let tei =
        std::fs::read_to_string(site.output.join(format!("documents/{TELEGRAM}.xml"))).unwrap();
    for expected in [
        "<idno type=\"fond\">5446</idno>",
        "<div type=\"original\" xml:lang=\"ru\"",
        "<div type=\"translation\" xml:lang=\"en\"",
        "<linkGrp type=\"translation\"",
        "<pb n=\"13\"/>",
        "ref=\"#person-kim-il-sung\"",
        "<person xml:id=\"person-kim-il-sung\"",
        "<listPerson>",
        &format!("<idno type=\"URI\">{PUBLISHED_AT}/documents/{TELEGRAM}/</idno>"),
    ] {
        assert!(tei.contains(expected), "the TEI has {expected}");
    }
    // The corpus holds every document once, by date.
    let corpus = std::fs::read_to_string(site.output.join("data/edition.xml")).unwrap();
    assert_eq!(corpus.matches("<TEI ").count(), 4);
    assert_eq!(corpus.matches("<standOff>").count(), 1);
}
