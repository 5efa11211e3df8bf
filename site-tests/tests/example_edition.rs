//! The example edition, built as a reader gets it: every document page with both
//! languages, its metadata and citation; lists and free pages; no broken links.

use site_tests::{link_target, repository_root, selector, text_of, BuiltSite};
use std::sync::OnceLock;

/// One build shared by the tests of this file (building is the slow part).
fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(BuiltSite::example)
}

/// What the seeds say of each document, written out by hand.
struct Expected {
    id: &'static str,
    title: &'static str,
    date: &'static str,
    archive: &'static str,
    /// Words that must be in the Russian and in the English text.
    russian: &'static str,
    english: &'static str,
}

const DOCUMENTS: &[Expected] = &[
    Expected {
        id: "mikoyan-cable-from-beijing",
        title: "Cable from Cde. Mikoyan from Beijing concerning the 8th CCP Congress and Conversations with the Chinese Comrades",
        date: "1956-09-16",
        archive: "f. 5446, op. 98c, d. 717",
        russian: "Условились с т. Мао Цзе-дуном, что в дальнейшем об этом побеседуем подробнее.",
        english: "We agreed with c[omrade] Mao Zedong that we'll talk about this in detail later.",
    },
    Expected {
        id: "conversation-with-kwp-delegation",
        title: "Conversation with the Delegation of the Korean Worker's Party at the 8th CCP Congress",
        date: "1956-09-16",
        archive: "f. 5446, op. 98c, d. 718, ll. 49-57",
        russian: "Как себя чувствовали т. Ким Ир Сен?",
        english: "Choe Yong-geon",
    },
    Expected {
        id: "meeting-soviet-chinese-delegations",
        title: "Record of a Meeting between the Soviet and Chinese Delegations",
        date: "1956-09-19",
        archive: "f. 5446, op. 98c, d. 718, ll. 35-38",
        russian: "Беседа шла главным образом по вопросу о положении в Трудовой партии Кореи.",
        english: "We fly to Pyongyang on 19 August [SIC] at 7 A. M. together with the Chinese and Korean comrades.",
    },
    Expected {
        id: "mikoyan-telegram-to-cpsu-cc",
        title: "Telegram from A. Mikoyan to the CPSU Central Committee",
        date: "1956-09-21",
        archive: "f. 5446, op. 98c, d. 718, ll. 12-16",
        russian: "После прибытия в Пхеньян 19 сентября мы с тов. Пэн Дэ-хуаем",
        english: "Kim Il Sung",
    },
];

#[test]
fn the_example_edition_builds_without_warnings() {
    let warnings: Vec<String> = site()
        .report
        .warnings
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
}

#[test]
fn every_document_bundle_has_a_page() {
    let folder = repository_root().join("content/documents");
    let mut bundles: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    bundles.sort();
    let mut expected: Vec<&str> = DOCUMENTS.iter().map(|d| d.id).collect();
    expected.sort();
    assert_eq!(
        bundles, expected,
        "the example edition is the four seed documents"
    );
    for id in bundles {
        assert!(
            site()
                .output
                .join("documents")
                .join(&id)
                .join("index.html")
                .is_file(),
            "page of {id}"
        );
    }
}

#[test]
fn document_pages_show_title_date_and_archival_reference() {
    for doc in DOCUMENTS {
        let page = site().page(&format!("documents/{}/", doc.id));
        assert_eq!(
            text_of(&page, "h1").as_deref(),
            Some(doc.title),
            "{}",
            doc.id
        );
        let time = page.select(&selector("time.date")).next().expect("date");
        assert_eq!(time.value().attr("datetime"), Some(doc.date), "{}", doc.id);
        let archive = text_of(&page, ".archive").unwrap_or_default();
        assert!(
            archive.contains(doc.archive),
            "{}: archive is {archive:?}",
            doc.id
        );
        assert!(
            archive.contains("State Archive of the Russian Federation"),
            "{}: {archive:?}",
            doc.id
        );
        let citation = text_of(&page, ".citation-text").unwrap_or_default();
        assert!(
            citation.contains(doc.title),
            "{}: citation {citation:?}",
            doc.id
        );
        assert!(
            citation.contains(doc.archive),
            "{}: citation {citation:?}",
            doc.id
        );
    }
}

#[test]
fn document_pages_carry_both_languages_with_their_lang() {
    for doc in DOCUMENTS {
        let page = site().page(&format!("documents/{}/", doc.id));
        for (lang, words, script_ok) in [
            ("ru", doc.russian, is_cyrillic as fn(char) -> bool),
            ("en", doc.english, |c: char| c.is_ascii_alphabetic()),
        ] {
            let cells: Vec<_> = page
                .select(&selector(&format!(".parallel .cell[lang={lang}]")))
                .collect();
            assert!(!cells.is_empty(), "{}: no {lang} text", doc.id);
            let segment = selector(".segment");
            let segments: Vec<_> = cells.iter().flat_map(|c| c.select(&segment)).collect();
            assert!(segments.len() > 1, "{}: {lang} has segments", doc.id);
            for segment in &segments {
                assert_eq!(segment.value().attr("lang"), Some(lang), "{}", doc.id);
            }
            let text: String = cells.iter().flat_map(|c| c.text()).collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                text.contains(words),
                "{}: {lang} text lacks {words:?}",
                doc.id
            );
            let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
            let in_script = letters.iter().filter(|&&c| script_ok(c)).count();
            assert!(
                in_script * 10 > letters.len() * 8,
                "{}: the {lang} section is mostly in its script",
                doc.id
            );
        }
    }
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

#[test]
fn editorial_markup_is_rendered_not_shown_raw() {
    for doc in DOCUMENTS {
        let path = site()
            .output
            .join(format!("documents/{}/index.html", doc.id));
        let html = std::fs::read_to_string(path).unwrap();
        for raw in ["{++", "++}", "{--", "--}", "{pb ", "^{"] {
            assert!(!html.contains(raw), "{}: raw {raw} in the page", doc.id);
        }
    }
    let telegram = site().page("documents/mikoyan-telegram-to-cpsu-cc/");
    let ru = selector(".parallel .cell[lang=ru]");
    let cells: Vec<_> = telegram.select(&ru).collect();
    let (del, ins, pb) = (selector("del"), selector("ins"), selector(".pb"));
    let deleted: Vec<String> = cells
        .iter()
        .flat_map(|c| c.select(&del))
        .map(|d| d.text().collect())
        .collect();
    assert!(
        deleted.iter().any(|d| d == "одобрить"),
        "deletions: {deleted:?}"
    );
    let inserted: Vec<String> = cells
        .iter()
        .flat_map(|c| c.select(&ins))
        .map(|d| d.text().collect())
        .collect();
    assert!(
        inserted.iter().any(|d| d == "примириться с"),
        "insertions: {inserted:?}"
    );
    let pages: Vec<&str> = cells
        .iter()
        .flat_map(|c| c.select(&pb))
        .filter_map(|p| p.value().attr("data-page"))
        .collect();
    assert_eq!(pages, ["13", "14", "15", "16"], "folio markers");
}

#[test]
fn the_documents_list_is_in_date_order() {
    let page = site().page("documents/");
    let dates: Vec<String> = page
        .select(&selector(".document-list time"))
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(
        dates,
        [
            "16 September 1956",
            "16 September 1956",
            "19 September 1956",
            "21 September 1956"
        ]
    );
    let links = page.select(&selector(".document-list a")).count();
    assert_eq!(links, DOCUMENTS.len());
}

#[test]
fn home_and_free_pages_exist_and_share_the_navigation() {
    for address in [
        "",
        "documents/",
        "about/",
        "documents/mikoyan-cable-from-beijing/",
    ] {
        let page = site().page(address);
        let nav: Vec<String> = page
            .select(&selector("header nav a"))
            .map(|a| a.text().collect())
            .collect();
        assert_eq!(
            nav,
            [
                "Documents",
                "People",
                "Events",
                "Places",
                "Glossary",
                "Tags",
                "About this edition"
            ],
            "nav on {address:?}"
        );
        assert!(page.select(&selector("main#main")).next().is_some());
        assert!(page.select(&selector("html[lang=en]")).next().is_some());
    }
    let home = site().page("");
    assert_eq!(
        text_of(&home, "h1").as_deref(),
        Some("Pyongyang, September 1956")
    );
    // The project publishes the edition; it is not an editor ("edited by The
    // dossier project" read as if it were a person).
    assert_eq!(
        text_of(&home, ".site-footer p").as_deref(),
        Some("Pyongyang, September 1956. Published by The dossier project.")
    );
    let about = site().page("about/");
    assert_eq!(text_of(&about, "h1").as_deref(), Some("About this edition"));
    assert!(
        site().output.join("style.css").is_file(),
        "the stylesheet is copied"
    );
}

#[test]
fn the_home_page_counts_in_words_and_lists_few_documents_once() {
    let home = site().page("");
    // The introduction of site.yaml, as Markdown.
    let introduction = text_of(&home, ".introduction").unwrap_or_default();
    assert!(
        introduction.starts_with("In September 1956 Anastas Mikoyan"),
        "{introduction}"
    );
    let counts: Vec<String> = home
        .select(&selector("ul.counts li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(counts[0], "4 documents");
    assert!(counts[4].ends_with(" glossary terms"), "{counts:?}");
    // Four documents: one list of them all, not the same four as earliest and latest.
    let lists: Vec<String> = home
        .select(&selector("main section h2"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(lists, ["Documents"]);
    assert_eq!(home.select(&selector("main section li")).count(), 4);
    // One of each: the singular.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    dossier::scaffold::new_edition(&root).unwrap();
    dossier::scaffold::new_document(&root, "first", "1956-09-21").unwrap();
    let one = BuiltSite::build(&root);
    let counts: Vec<String> = one
        .page("")
        .select(&selector("ul.counts li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(counts[0], "1 document");
    // Up to ten documents (five at each end) are one list; eleven are two.
    for (documents, lists) in [
        (10, vec!["Documents"]),
        (11, vec!["Earliest documents", "Latest documents"]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("edition");
        dossier::scaffold::new_edition(&root).unwrap();
        for d in 0..documents {
            let date = format!("1956-09-{:02}", d + 1);
            dossier::scaffold::new_document(&root, &format!("d{d}"), &date).unwrap();
        }
        let home = BuiltSite::build(&root).page("");
        let headings: Vec<String> = home
            .select(&selector("main section h2"))
            .map(|h| h.text().collect())
            .collect();
        assert_eq!(headings, lists, "{documents} documents");
    }
}

#[test]
fn a_document_with_its_original_alone_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    dossier::scaffold::new_edition(&root).unwrap();
    dossier::scaffold::new_document(&root, "alone", "1956-09-21").unwrap();
    let bundle = root.join("content/documents/alone");
    std::fs::remove_file(bundle.join("en.md")).unwrap();
    std::fs::write(bundle.join("ru.md"), "Первый абзац.\n\nВторой абзац.\n").unwrap();
    let page = BuiltSite::build(&root).page("documents/alone/");
    let blocks: Vec<String> = page
        .select(&selector(".parallel .row:not(.heading-row) .segment"))
        .map(|s| s.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(blocks, ["Первый абзац.", "Второй абзац."]);
}

#[test]
fn cards_give_life_dates_and_the_first_whole_sentence() {
    let page = site().page("documents/mikoyan-cable-from-beijing/");
    // A mention names its card on the page.
    let card = |id: &str| {
        let card = page
            .select(&selector(&format!("[data-entity=\"person:{id}\"]")))
            .next()
            .and_then(|a| a.value().attr("aria-describedby"))
            .unwrap_or_else(|| panic!("a card of {id}"));
        text_of(&page, &format!("#{card}")).unwrap_or_else(|| panic!("the card {card}"))
    };
    // Born in 1900, death not known: not "(1900–)", as if alive.
    assert!(card("pak-heon-yeong").starts_with("Pak Heon-yeong (1900–?)"));
    let people = site().page("people/");
    let pak = people
        .select(&selector("a[href=\"pak-heon-yeong/\"] + .detail"))
        .next()
        .map(|d| d.text().collect::<String>());
    assert_eq!(pak.as_deref(), Some("1900–?"));
}

#[test]
fn the_register_and_tag_lists_are_titled_by_what_they_list() {
    for (address, heading) in [
        ("people/", "People"),
        ("events/", "Events"),
        ("places/", "Places"),
        ("glossary/", "Glossary"),
        ("tags/", "Tags"),
    ] {
        let page = site().page(address);
        let title = text_of(&page, "head title").unwrap();
        assert_eq!(title, format!("{heading} · Pyongyang, September 1956"));
        assert_eq!(
            text_of(&page, "main h1").as_deref(),
            Some(heading),
            "{address}"
        );
    }
}

#[test]
fn the_site_has_no_empty_folder() {
    fn check(folder: &std::path::Path) {
        let entries: Vec<_> = std::fs::read_dir(folder).unwrap().flatten().collect();
        assert!(!entries.is_empty(), "{} is empty", folder.display());
        for entry in entries {
            if entry.file_type().unwrap().is_dir() {
                check(&entry.path());
            }
        }
    }
    check(&site().output);
}

#[test]
fn every_internal_link_resolves() {
    check_links(site());
}

#[test]
fn every_internal_link_resolves_from_the_file_system_with_relative() {
    let site = BuiltSite::try_build(&repository_root(), true).expect("build");
    let home = std::fs::read_to_string(site.output.join("index.html")).unwrap();
    assert!(
        home.contains("documents/index.html"),
        "links name index.html"
    );
    check_links(&site);
    // A browser opening files shows a folder listing for `dir/`: every internal link
    // must name its file.
    for file in site.html_files() {
        let html = std::fs::read_to_string(site.output.join(&file)).unwrap();
        let page = scraper::Html::parse_document(&html);
        for a in page.select(&selector("a[href], link[href]")) {
            let href = a.value().attr("href").unwrap();
            let internal = !href.contains("://");
            assert!(
                !(internal && (href.ends_with('/') || href.contains("/#"))),
                "{}: {href} names a folder",
                file.display()
            );
        }
    }
}

fn check_links(site: &BuiltSite) {
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in site.html_files() {
        let html = scraper::Html::parse_document(
            &std::fs::read_to_string(site.output.join(&file)).unwrap(),
        );
        let ids: Vec<&str> = html
            .select(&selector("[id]"))
            .filter_map(|e| e.value().attr("id"))
            .collect();
        for element in html.select(&selector("a[href], link[href], img[src], script[src]")) {
            let value = element.value();
            let href = value.attr("href").or_else(|| value.attr("src")).unwrap();
            if value.name() == "link" && value.attr("rel") == Some("canonical") {
                continue; // absolute by design
            }
            let Some(target) = link_target(&site.output, &file, href) else {
                continue;
            };
            checked += 1;
            if !target.is_file() {
                broken.push(format!("{}: {href}", file.display()));
            } else if let Some(fragment) = href.split_once('#').map(|(_, f)| f) {
                if target == site.output.join(&file) && !ids.contains(&fragment) {
                    broken.push(format!("{}: {href} (no such id)", file.display()));
                }
            }
        }
    }
    assert!(checked > 20, "links were found ({checked})");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_page_is_well_formed() {
    let bad = site().badly_nested_pages();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_page_repeats_an_id() {
    for file in site().html_files() {
        let html = scraper::Html::parse_document(
            &std::fs::read_to_string(site().output.join(&file)).unwrap(),
        );
        let mut seen = std::collections::BTreeSet::new();
        for id in html
            .select(&selector("[id]"))
            .filter_map(|e| e.value().attr("id"))
        {
            assert!(
                seen.insert(id.to_string()),
                "{}: id {id} twice",
                file.display()
            );
        }
    }
}

#[test]
fn each_document_has_a_highlighted_source_view() {
    for doc in DOCUMENTS {
        let page = site().page(&format!("documents/{}/", doc.id));
        let link = page
            .select(&selector(".source-link a"))
            .next()
            .expect("a link to the source");
        assert_eq!(link.value().attr("href"), Some("source/"));
        let source = site().page(&format!("documents/{}/source/", doc.id));
        let files: Vec<String> = source
            .select(&selector("h2 code"))
            .map(|c| c.text().collect())
            .collect();
        assert_eq!(files, ["index.md", "ru.md", "en.md"], "{}", doc.id);
        let code: String = source
            .select(&selector("pre"))
            .flat_map(|p| p.text())
            .collect();
        assert!(code.contains("{§ 1}"), "the markup as written");
        assert!(code.contains(doc.title), "the front matter");
        let count = |css: &str| source.select(&selector(css)).count();
        assert!(
            count("pre span.src-key") > 5,
            "front matter keys highlighted"
        );
        assert!(
            count("pre span.src-alignment") > 5,
            "alignment markers highlighted"
        );
    }
}

#[test]
fn every_row_of_the_example_edition_is_pinned_by_the_editor() {
    for doc in DOCUMENTS {
        let page = site().page(&format!("documents/{}/", doc.id));
        let rows: Vec<_> = page
            .select(&selector(".parallel .row[data-aligned-by]"))
            .collect();
        assert!(rows.len() > 5, "{}", doc.id);
        for row in rows {
            assert_eq!(
                row.value().attr("data-aligned-by"),
                Some("marker"),
                "{}",
                doc.id
            );
        }
    }
}

#[test]
fn the_record_of_the_conversation_ends_with_its_recorder_in_both_languages() {
    let page = site().page("documents/conversation-with-kwp-delegation/");
    let last = page
        .select(&selector(".parallel .row"))
        .next_back()
        .expect("rows");
    let text: String = last.text().collect();
    // The Russian OCR garbles "Записал В. Ковышенко"; the translation gives it.
    assert!(text.contains("Recorded by V. Kovyshenko"), "{text}");
    assert!(text.contains("В. Кобаяши"), "{text}");
}

#[test]
fn a_404_page_for_static_hosts_links_from_the_site_root() {
    let page = site().page_file("404.html");
    assert_eq!(text_of(&page, "main h1").as_deref(), Some("Page not found"));
    // Hosts show it at any address: its links start from the published root.
    let base = page
        .select(&selector("head base"))
        .next()
        .and_then(|b| b.value().attr("href"))
        .map(str::to_string);
    assert_eq!(base.as_deref(), Some("/pyongyang-1956/"));
    let home = page
        .select(&selector("main a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .map(str::to_string);
    assert_eq!(home.as_deref(), Some("./"));
    // Opened from the file system, a site has no root to start from.
    let relative = BuiltSite::try_build(&repository_root(), true).unwrap();
    let page = relative.page_file("404.html");
    assert!(page.select(&selector("head base")).next().is_none());
}

#[test]
fn tags_are_shown_by_name() {
    let page = site().page("documents/conversation-with-kwp-delegation/");
    let tags: Vec<String> = page
        .select(&selector("dd.tags a"))
        .map(|a| a.text().collect())
        .collect();
    // The register entry's name where the tag is an entry's id; site.yaml's else.
    assert_eq!(
        tags,
        [
            "Korea",
            "KWP",
            "August Plenum of the KWP Central Committee",
            "8th CCP Congress"
        ]
    );
    let tag = site().page("tags/kwp/");
    assert_eq!(
        text_of(&tag, "main h1").as_deref(),
        Some("Documents tagged \u{201c}KWP\u{201d}")
    );
    let index: Vec<String> = site()
        .page("tags/")
        .select(&selector("main li a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        index.contains(&"Joint Soviet-Chinese delegation".to_string()),
        "{index:?}"
    );
    assert!(
        !index.iter().any(|t| t.contains('-') && !t.contains(' ')),
        "{index:?}"
    );
}

/// The number at the start of `text` in the search catalogue's digits (those
/// `crate::search` writes: base 32, every group but the last marked by 32 more),
/// and how many characters it takes.
fn catalogue_number(text: &str) -> (usize, usize) {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVwxyzabcdefghijklmnopqrstuv-_WXYZ";
    let mut n = 0;
    for (i, c) in text.bytes().enumerate() {
        let digit = DIGITS.iter().position(|d| *d == c).expect("a digit");
        n = n * 32 + (digit & 31);
        if digit < 32 {
            return (n, i + 1);
        }
    }
    panic!("a number cut short: {text}")
}

/// The search page filters and names results from `search/catalogue.js` alone:
/// each document's id, year, type, tags, languages and entries there must be those
/// of the document's own data file. In the example edition, and with a third
/// language (a German translation of one document) among the filters.
#[test]
fn the_search_catalogue_holds_each_document_s_facets() {
    check_catalogue(&site().output);

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    site_tests::copy_tree(&repository_root().join("content"), &root.join("content"));
    let cable = root.join("content/documents/mikoyan-cable-from-beijing");
    std::fs::copy(cable.join("en.md"), cable.join("de.md")).unwrap();
    let german = BuiltSite::build(&root);
    let languages = check_catalogue(&german.output);
    assert_eq!(languages, ["de", "en", "ru"]);
}

/// Checks the catalogue of the site in `output` against its documents' data files;
/// returns the languages it filters by.
fn check_catalogue(output: &std::path::Path) -> Vec<String> {
    let script = std::fs::read_to_string(output.join("search/catalogue.js")).unwrap();
    let data = script
        .strip_prefix("dossierSearch.put(\"catalogue\",")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("a script handing the catalogue to the page");
    let catalogue: serde_json::Value = serde_json::from_str(data).unwrap();
    let list = |key: &str| catalogue[key].as_array().unwrap().clone();
    let (years, types, tags, entities) =
        (list("years"), list("types"), list("tags"), list("entities"));
    let languages: Vec<&String> = catalogue["languages"].as_object().unwrap().keys().collect();
    assert_eq!(catalogue["languages"]["ru"]["name"], "Russian");
    assert_eq!(catalogue["languages"]["en"]["stemmer"], "english");
    let term_files = std::fs::read_dir(output.join("search/terms"))
        .unwrap()
        .count();
    assert_eq!(catalogue["term_files"], term_files);

    // Ids are front-coded: the length shared with the id before, then the rest.
    let mut ids: Vec<String> = Vec::new();
    for item in catalogue["ids"].as_str().unwrap().split(',') {
        let (shared, digits) = catalogue_number(item);
        let previous = ids.last().map_or("", |p| p.as_str());
        ids.push(format!("{}{}", &previous[..shared], &item[digits..]));
    }
    let mut expected_ids: Vec<String> = DOCUMENTS.iter().map(|d| d.id.to_string()).collect();
    expected_ids.sort();
    assert_eq!(ids, expected_ids);

    let mut facets = catalogue["facets"].as_str().unwrap();
    let mut next = || {
        let (n, digits) = catalogue_number(facets);
        facets = &facets[digits..];
        n
    };
    let mut named_somewhere = 0;
    for id in &ids {
        let file = output.join(format!("documents/{id}.json"));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let year = &json["date"].as_str().unwrap()[..4];
        assert_eq!(years[next()].to_string(), year, "{id}");
        let kind = match next() {
            0 => serde_json::Value::Null,
            k => types[k - 1].clone(),
        };
        assert_eq!(kind, json["type"], "{id}");
        let tag_ids: Vec<serde_json::Value> =
            (0..next()).map(|_| tags[next()][0].clone()).collect();
        assert_eq!(&serde_json::Value::from(tag_ids), &json["tags"], "{id}");
        let mask = next();
        let mut text_languages: Vec<&str> = json["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["lang"].as_str().unwrap())
            .collect();
        text_languages.sort();
        let masked: Vec<&str> = (0..languages.len())
            .filter(|l| mask & (1 << l) != 0)
            .map(|l| languages[l].as_str())
            .collect();
        assert_eq!(masked, text_languages, "{id}");
        let mut named: Vec<String> = (0..next())
            .map(|_| {
                let e = &entities[next()];
                format!(
                    "{}:{}:{}",
                    e[0].as_str().unwrap(),
                    e[1].as_str().unwrap(),
                    e[2].as_str().unwrap()
                )
            })
            .collect();
        named.sort();
        let mut entries: Vec<String> = json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] != "term")
            .map(|e| {
                let kind = e["kind"].as_str().unwrap();
                format!(
                    "{kind}:{}:{}",
                    e["id"].as_str().unwrap(),
                    e["name"].as_str().unwrap()
                )
            })
            .collect();
        entries.sort();
        assert_eq!(named, entries, "{id}");
        named_somewhere += named.len();
    }
    assert_eq!(facets, "", "facets past the last document");
    assert!(named_somewhere > 20);
    languages.into_iter().cloned().collect()
}
