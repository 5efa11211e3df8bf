//! The search page of the example edition in headless Chromium, from the file
//! system (a `--relative` build, as editions go out on disks) and as a server
//! would give it: words in all their forms in both languages, names of register
//! entries in any script, results paired with the aligned passage, filters, the
//! address, the keyboard.

use serde_json::Value;
use site_tests::browser::{screenshot_path, Browser, Tab};
use site_tests::{repository_root, BuiltSite};
use std::sync::OnceLock;
use std::time::Duration;

fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| {
        BuiltSite::try_build(&repository_root(), true).expect("the example edition builds")
    })
}

/// Opens the search page at `query` (what follows `?`) and waits for its results.
fn search(tab: &mut Tab, query: &str) -> Value {
    let page = site().output.join("search/index.html");
    tab.open_url(&format!("file://{}?{query}", page.display()));
    results(tab)
}

/// The results on the page once it has shown them: each document's id, the
/// passages (language, anchor, text, marked words) place by place, and the names.
fn results(tab: &mut Tab) -> Value {
    tab.wait_until(
        "document.querySelector('.search').hasAttribute('data-shown')",
        Duration::from_secs(10),
    );
    tab.eval(
        r#"({
            status: document.querySelector('.search-status').textContent,
            results: Array.from(document.querySelectorAll('.search-result')).map((r) => ({
                href: r.querySelector('.result-title a').getAttribute('href'),
                names: (r.querySelector('.result-names') || {}).textContent || '',
                places: Array.from(r.querySelectorAll('.place')).map((p) =>
                    Array.from(p.querySelectorAll('.kwic')).map((k) => ({
                        lang: k.getAttribute('lang'),
                        href: k.querySelector('a').getAttribute('href'),
                        marks: Array.from(k.querySelectorAll('mark')).map((m) => m.textContent),
                    }))),
            })),
            facets: Array.from(document.querySelectorAll('.facet')).map((f) => ({
                heading: f.querySelector('h2').textContent,
                values: Array.from(f.querySelectorAll('a')).map((a) => a.textContent),
            })),
        })"#,
    )
}

fn documents(found: &Value) -> Vec<String> {
    found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let href = r["href"].as_str().unwrap();
            href.trim_start_matches("../documents/")
                .trim_end_matches("/index.html")
                .to_string()
        })
        .collect()
}

fn marks(found: &Value) -> Vec<String> {
    let mut marks: Vec<String> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["places"].as_array().unwrap().iter())
        .flat_map(|p| p.as_array().unwrap().iter())
        .flat_map(|k| k["marks"].as_array().unwrap().iter())
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    marks.sort();
    marks.dedup();
    marks
}

#[test]
fn words_are_found_in_all_their_forms_in_both_languages() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    // Pyongyang in Russian: the city's name in its cases.
    let found = search(&mut tab, "q=Пхеньян");
    let ids = documents(&found);
    assert!(ids.len() >= 3, "{found}");
    let marked = marks(&found);
    assert!(marked.iter().any(|m| m == "Пхеньяне"), "{marked:?}");
    assert!(marked.iter().any(|m| m == "Пхеньян"), "{marked:?}");
    // Each Russian hit stands beside the English passage of its row, and both link
    // to their row of the document.
    let conversation = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["href"]
                .as_str()
                .unwrap()
                .contains("conversation-with-kwp-delegation")
        })
        .expect("the conversation");
    let pair = conversation["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p.as_array().unwrap().len() == 2)
        .expect("a place with both languages");
    assert_eq!(pair[0]["lang"], "ru", "{pair}");
    assert_eq!(pair[1]["lang"], "en", "{pair}");
    assert!(
        pair[0]["href"].as_str().unwrap().contains("index.html#ru-"),
        "{pair}"
    );
    assert!(
        pair[1]["href"].as_str().unwrap().contains("index.html#en-"),
        "{pair}"
    );
    tab.screenshot(&screenshot_path("search-pyongyang-1280.png"));
    // The other way round: the locative finds the nominative.
    let found = search(&mut tab, "q=Пхеньяне");
    assert!(marks(&found).iter().any(|m| m == "Пхеньян"), "{found}");
    // An adjective in its forms, as Snowball stems them.
    let found = search(&mut tab, "q=новый");
    assert!(!documents(&found).is_empty(), "{found}");
    assert!(
        marks(&found)
            .iter()
            .any(|m| m.starts_with("нов") && m != "новый"),
        "{found}"
    );

    // The same in English, the documents that name the city most first (20, 5
    // and 2 passages on its page); and an English plural finds the singular.
    let english = search(&mut tab, "q=Pyongyang");
    assert_eq!(
        documents(&english),
        [
            "meeting-soviet-chinese-delegations",
            "mikoyan-telegram-to-cpsu-cc",
            "conversation-with-kwp-delegation"
        ],
        "{english}"
    );
    let found = search(&mut tab, "q=conversations");
    assert!(marks(&found).iter().any(|m| m == "conversation"), "{found}");
    // A deleted word of the telegram's original is searchable (it is in the
    // transcription, struck through).
    let found = search(&mut tab, "q=ослабить");
    assert_eq!(
        documents(&found),
        ["mikoyan-telegram-to-cpsu-cc"],
        "{found}"
    );
    // Nothing found says so.
    let found = search(&mut tab, "q=zzzqqq");
    assert_eq!(found["status"], "0 documents.", "{found}");
}

/// The documents an entry's page lists (naming it, or with a part in them).
fn naming(entry: &str) -> Vec<String> {
    let page = site().page_file(format!("{entry}/index.html"));
    let mut ids: Vec<String> = page
        .select(&site_tests::selector(
            ".occurrence-document a, .part-list a",
        ))
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .trim_start_matches("../../documents/")
                .trim_end_matches("/index.html")
                .to_string()
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn a_name_in_any_script_and_case_finds_every_document_naming_the_entry() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    // Kim Il Sung, in the Russian instrumental case: every document naming him,
    // the English-only mentions too.
    let found = search(&mut tab, "q=Ким Ир Сеном");
    assert_eq!(
        sorted(documents(&found)),
        naming("people/kim-il-sung"),
        "{found}"
    );
    assert_eq!(documents(&found).len(), 4, "{found}");
    assert!(
        found["status"].as_str().unwrap().contains("Kim Il Sung"),
        "{found}"
    );
    let names = found["results"][0]["names"].as_str().unwrap();
    assert!(names.contains("Kim Il Sung"), "{found}");
    let marked = marks(&found);
    assert!(
        marked.iter().any(|m| m == "Sung"),
        "English passages are shown: {marked:?}"
    );
    // The register's English name finds the documents of the Russian OCR's
    // garbled forms too.
    let found = search(&mut tab, "q=Peng Dehuai");
    assert_eq!(
        sorted(documents(&found)),
        naming("people/peng-dehuai"),
        "{found}"
    );
    let found = search(&mut tab, "q=Микоян");
    assert_eq!(
        sorted(documents(&found)),
        naming("people/anastas-mikoyan"),
        "{found}"
    );
    // A place's name in Russian finds the documents naming the place.
    let found = search(&mut tab, "q=Пекин");
    assert_eq!(
        sorted(documents(&found)),
        naming("places/beijing"),
        "{found}"
    );
}

#[test]
fn filters_narrow_results_and_the_address_holds_the_search() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    let all = search(&mut tab, "q=Пхеньян");
    let people = all["facets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["heading"] == "People")
        .expect("a people filter");
    assert!(people["values"].as_array().unwrap().len() > 3, "{all}");
    // A person filter from the address: only the documents naming him.
    let narrowed = search(&mut tab, "q=Пхеньян&person=choe-yong-geon");
    let expected: Vec<String> = sorted(documents(&all))
        .into_iter()
        .filter(|d| naming("people/choe-yong-geon").contains(d))
        .collect();
    assert!(!expected.is_empty() && expected.len() < documents(&all).len());
    assert_eq!(sorted(documents(&narrowed)), expected, "{narrowed}");
    // Clicking a filter puts it in the address; Back restores the search before.
    tab.eval("document.querySelector('.facet a[href*=\"type=\"]').click()");
    tab.wait_until("location.search.includes('type=')", Duration::from_secs(5));
    let typed = results(&mut tab);
    assert!(
        documents(&typed).len() < documents(&narrowed).len(),
        "{typed}"
    );
    assert!(tab
        .eval("location.search")
        .as_str()
        .unwrap()
        .contains("person=choe-yong-geon"));
    tab.eval("history.back()");
    tab.wait_until("!location.search.includes('type=')", Duration::from_secs(5));
    let back = results(&mut tab);
    assert_eq!(documents(&back), documents(&narrowed));
}

#[test]
fn the_keyboard_alone_searches_from_any_page() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(&site().output.join("people/index.html"));
    // Skip link, home, then the header's search box.
    for _ in 0..3 {
        tab.press("Tab");
        if tab.eval("document.activeElement.id") == "site-search-q" {
            break;
        }
    }
    assert_eq!(tab.eval("document.activeElement.id"), "site-search-q");
    tab.eval("document.activeElement.value = 'Pyongyang'");
    tab.press("Enter");
    tab.wait_until(
        "location.pathname.endsWith('search/index.html')",
        Duration::from_secs(5),
    );
    let found = results(&mut tab);
    assert!(documents(&found).len() >= 3, "{found}");
    // Typing in the page's box runs the search as one types.
    tab.eval("const q = document.querySelector('#q'); q.focus(); q.value = 'Микоян'; q.dispatchEvent(new Event('input'))");
    tab.wait_until(
        "document.querySelector('.search').getAttribute('data-shown') === 'Микоян'",
        Duration::from_secs(5),
    );
    assert!(tab
        .eval("location.search")
        .as_str()
        .unwrap()
        .contains("q=%D0%9C"));
}

#[test]
fn a_server_gives_the_same_search() {
    // The non-relative build, as a web server serves it (addresses end in `/`).
    let site = BuiltSite::try_build(&repository_root(), false).expect("the example edition builds");
    let server = site_tests::serve_folder(&site.output);
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open_url(&format!("{}/search/?q=Пхеньян", server.url));
    let found = results(&mut tab);
    assert!(documents(&found).len() >= 3, "{found}");
    assert!(
        found["results"][0]["href"].as_str().unwrap().ends_with('/'),
        "{found}"
    );
}

/// The page stems a query with the JavaScript Snowball stemmers; the index was
/// stemmed with rust-stemmers. Every word of the example edition's texts, and
/// the forms of a few words in every case and number, get the same stem from both.
#[test]
fn the_page_stems_words_as_the_index_does() {
    let mut words: std::collections::BTreeSet<String> = Default::default();
    for entry in std::fs::read_dir(repository_root().join("content/documents")).unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap_or_default();
            for word in text.split(|c: char| !c.is_alphabetic()) {
                if !word.is_empty() {
                    words.insert(word.to_lowercase().replace('ё', "е"));
                }
            }
        }
    }
    for word in [
        "новый",
        "нового",
        "новому",
        "новым",
        "новом",
        "новая",
        "новой",
        "новую",
        "новые",
        "новых",
        "новыми",
        "пхеньян",
        "пхеньяна",
        "пхеньяну",
        "пхеньяном",
        "пхеньяне",
        "делегация",
        "делегации",
        "делегацию",
        "делегацией",
        "делегаций",
        "делегациям",
        "conversations",
        "conversational",
        "generously",
        "happiness",
        "countries",
        "dying",
        "skies",
    ] {
        words.insert(word.to_string());
    }
    let words: Vec<String> = words.into_iter().collect();
    assert!(words.len() > 2000, "{} words", words.len());
    let mut browser = Browser::launch();
    let mut tab = browser.tab(800, 600);
    tab.open(&site().output.join("search/index.html"));
    for (language, algorithm) in [
        ("russian", rust_stemmers::Algorithm::Russian),
        ("english", rust_stemmers::Algorithm::English),
    ] {
        let rust = rust_stemmers::Stemmer::create(algorithm);
        let expected: Vec<String> = words.iter().map(|w| rust.stem(w).into_owned()).collect();
        let page = tab.eval(&format!(
            "(() => {{ const s = snowballFactory.newStemmer('{language}'); return {}.map((w) => s.stem(w)); }})()",
            serde_json::to_string(&words).unwrap()
        ));
        let page: Vec<String> = serde_json::from_value(page).unwrap();
        let differ: Vec<String> = words
            .iter()
            .zip(expected.iter().zip(&page))
            .filter(|(_, (a, b))| a != b)
            .map(|(w, (a, b))| format!("{w}: {a} / {b}"))
            .collect();
        assert!(differ.is_empty(), "{language}: {differ:?}");
    }
}

#[test]
fn on_a_phone_the_filters_stand_above_the_results_closed() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(400, 800);
    search(&mut tab, "q=Пхеньян");
    let laid_out = tab.eval(
        r#"(() => {
            const box = document.querySelector('.filters-box');
            const first = document.querySelector('.search-result');
            return {
                open: box.open,
                above: box.getBoundingClientRect().bottom <= first.getBoundingClientRect().top,
            };
        })()"#,
    );
    assert_eq!(laid_out["open"], Value::Bool(false), "{laid_out}");
    assert_eq!(laid_out["above"], Value::Bool(true), "{laid_out}");
    // Chosen, a filter keeps the box open.
    search(&mut tab, "q=Пхеньян&year=1956");
    assert_eq!(
        tab.eval("document.querySelector('.filters-box').open"),
        Value::Bool(true)
    );
}
