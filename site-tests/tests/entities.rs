//! People, events, places and glossary in the example edition: every name the texts
//! use leads to its entry, with a card; the index pages show what the registers and
//! the documents say.

use site_tests::{selector, text_of, BuiltSite};
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(BuiltSite::example)
}

/// The people each text names, in any spelling the seeds use, checked by hand against
/// the seeds (Russian OCR forms such as "Миколдн", declined forms such as "Пэн
/// Дэ-хуаем", bare forms the editor linked such as "Пака").
const NAMED: &[(&str, &str, &[&str])] = &[
    (
        "mikoyan-cable-from-beijing",
        "ru",
        &[
            "anastas-mikoyan",
            "kim-il-sung",
            "mao-zedong",
            "pak-heon-yeong",
        ],
    ),
    (
        "mikoyan-cable-from-beijing",
        "en",
        &[
            "anastas-mikoyan",
            "kim-il-sung",
            "mao-zedong",
            "pak-heon-yeong",
        ],
    ),
    (
        "mikoyan-telegram-to-cpsu-cc",
        "ru",
        &[
            "anastas-mikoyan",
            "boris-ponomarev",
            "choe-chang-ik",
            "kim-du-bong",
            "kim-il-sung",
            "nam-il",
            "pak-ui-wan",
            "peng-dehuai",
            "rim-hae",
            "shi-zhe",
            "shibko",
            "sitnikova",
        ],
    ),
    (
        "mikoyan-telegram-to-cpsu-cc",
        "en",
        &[
            "alekseyev",
            "anastas-mikoyan",
            "boris-ponomarev",
            "choe-chang-ik",
            "kim-du-bong",
            "kim-il-sung",
            "nam-il",
            "pak-ui-wan",
            "peng-dehuai",
            "rim-hae",
            "shi-zhe",
            "sitnikova",
            "v-chistov",
        ],
    ),
];

/// Further (document, person) pairs: named in some language of the document.
const PAIRS: &[(&str, &str)] = &[
    ("conversation-with-kwp-delegation", "anastas-mikoyan"),
    ("conversation-with-kwp-delegation", "choe-yong-geon"),
    ("conversation-with-kwp-delegation", "rim-hae"),
    ("conversation-with-kwp-delegation", "ri-ju-yeon"),
    ("conversation-with-kwp-delegation", "ha-ang-cheon"),
    ("conversation-with-kwp-delegation", "yun-kong-hum"),
    ("conversation-with-kwp-delegation", "choe-chang-ik"),
    ("conversation-with-kwp-delegation", "nuritdin-mukhitdinov"),
    ("conversation-with-kwp-delegation", "pavel-satyukov"),
    ("conversation-with-kwp-delegation", "liu-shaoqi"),
    ("meeting-soviet-chinese-delegations", "mao-zedong"),
    ("meeting-soviet-chinese-delegations", "liu-shaoqi"),
    ("meeting-soviet-chinese-delegations", "zhou-enlai"),
    ("meeting-soviet-chinese-delegations", "deng-xiaoping"),
    ("meeting-soviet-chinese-delegations", "wang-jiaxiang"),
    ("meeting-soviet-chinese-delegations", "peng-dehuai"),
    ("meeting-soviet-chinese-delegations", "pak-il-u"),
    ("meeting-soviet-chinese-delegations", "nie-rongzhen"),
];

fn people_linked(document: &str, lang: Option<&str>) -> BTreeSet<String> {
    let page = site().page(&format!("documents/{document}/"));
    let scope = match lang {
        Some(lang) => format!(".cell[lang={lang}] a.mention"),
        None => ".cell a.mention".to_string(),
    };
    page.select(&selector(&scope))
        .filter_map(|a| a.value().attr("data-entity"))
        .filter_map(|e| e.strip_prefix("person:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_person_a_text_names_is_linked_in_it() {
    for (document, lang, expected) in NAMED {
        let linked = people_linked(document, Some(lang));
        let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(linked, expected, "{document} ({lang})");
    }
    for (document, person) in PAIRS {
        assert!(
            people_linked(document, None).contains(*person),
            "{document}: {person}"
        );
    }
}

#[test]
fn ambiguous_bare_names_are_not_linked_automatically() {
    // "Ким" alone, "Pak" alone: only where the editor linked them explicitly.
    let page = site().page("documents/mikoyan-cable-from-beijing/");
    let surfaces: Vec<String> = page
        .select(&selector(".cell a.mention"))
        .map(|a| a.text().collect())
        .collect();
    assert!(surfaces.contains(&"Ким Ир Сен".to_string()), "{surfaces:?}");
    assert!(
        surfaces.contains(&"Ким".to_string()),
        "explicit link [Ким](@kim-il-sung)"
    );
    assert!(
        surfaces.contains(&"[Pak]".to_string()),
        "explicit link around an interpolation"
    );
}

#[test]
fn mentions_link_to_the_entry_and_describe_it_with_a_card() {
    let page = site().page("documents/mikoyan-telegram-to-cpsu-cc/");
    let ids: BTreeSet<&str> = page
        .select(&selector("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let mentions: Vec<_> = page.select(&selector("a.mention")).collect();
    assert!(mentions.len() > 20, "{} mentions", mentions.len());
    for a in mentions {
        let card = a.value().attr("aria-describedby").expect("a card");
        assert!(ids.contains(card), "card {card} is on the page");
        // The card says it once for the page; no mention repeats it.
        assert!(a.value().attr("title").is_none());
    }
    // The document's data holds the page's HTML: the same mentions, naming the
    // same cards.
    let data = std::fs::read_to_string(
        site()
            .output
            .join("documents/mikoyan-telegram-to-cpsu-cc.json"),
    )
    .unwrap();
    assert!(data.contains(
        "data-entity=\\\"person:peng-dehuai\\\" aria-describedby=\\\"card-people-peng-dehuai\\\""
    ));
    let card = text_of(&page, "#card-people-peng-dehuai").unwrap();
    assert!(
        card.starts_with("Peng Dehuai (1898–1974): Commander"),
        "{card}"
    );
    let named: Vec<String> = page
        .select(&selector(".named h3"))
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(named, ["People", "Events", "Places", "Terms"]);
}

#[test]
fn glossary_terms_are_abbreviations_with_their_expansion() {
    let page = site().page("documents/meeting-soviet-chinese-delegations/");
    let abbr = page
        .select(&selector(".cell[lang=ru] abbr.term"))
        .find(|a| a.text().collect::<String>() == "ЦК КПСС")
        .expect("ЦК КПСС is a term");
    let title = abbr.value().attr("title").unwrap();
    assert!(
        title.contains("Коммунистической партии Советского Союза"),
        "{title}"
    );
    let glossary = site().page("glossary/");
    assert!(glossary
        .select(&selector("dt#term-cpsu-cc"))
        .next()
        .is_some());
    // Each term lists the documents that use it.
    let used_in: Vec<String> = glossary
        .select(&selector("dt#term-cpsu-cc + dd .used-in a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        used_in.contains(
            &"Record of a Meeting between the Soviet and Chinese Delegations".to_string()
        ),
        "{used_in:?}"
    );
}

#[test]
fn the_people_index_is_alphabetical_with_counts() {
    let page = site().page("people/");
    let names: Vec<String> = page
        .select(&selector(".entry-list li > a"))
        .map(|a| a.text().collect())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "A–Z by sort name");
    assert!(names.contains(&"Mikoyan, Anastas".to_string()), "{names:?}");
    let mikoyan = page
        .select(&selector(".entry-list li"))
        .find(|li| {
            li.text()
                .collect::<String>()
                .starts_with("Mikoyan, Anastas")
        })
        .unwrap();
    assert!(mikoyan.text().collect::<String>().contains("(4 documents)"));
    assert!(page
        .select(&selector("h2"))
        .any(|h| h.text().collect::<String>() == "M"));
}

#[test]
fn a_person_page_has_names_roles_passages_in_both_languages_and_company() {
    let page = site().page("people/kim-il-sung/");
    assert_eq!(text_of(&page, "h1").as_deref(), Some("Kim Il Sung"));
    assert_eq!(
        text_of(&page, "title").as_deref(),
        Some("Kim Il Sung · Pyongyang, September 1956")
    );
    assert!(page
        .select(&selector(".names dd[lang=ru]"))
        .any(|d| d.text().collect::<String>() == "Ким Ир Сен"));
    assert!(page.select(&selector(".roles li")).count() >= 1);
    let passages: Vec<(String, String)> = page
        .select(&selector(".kwic"))
        .map(|p| {
            let lang = p.value().attr("lang").unwrap().to_string();
            let mark: String = p.select(&selector("mark")).next().unwrap().text().collect();
            (lang, mark)
        })
        .collect();
    assert!(
        passages.contains(&("ru".into(), "Ким Ир Сеном".into())),
        "{passages:?}"
    );
    assert!(passages.iter().any(|(lang, _)| lang == "en"));
    let documents = page.select(&selector(".occurrence-document a")).count();
    assert_eq!(documents, 4);
    let sections: Vec<String> = page
        .select(&selector("h2"))
        .map(|h| h.text().collect())
        .collect();
    assert!(
        sections.contains(&"Most often in the same documents".to_string()),
        "{sections:?}"
    );
    assert!(sections.contains(&"Events".to_string()), "{sections:?}");
    let mao = site().page("people/mao-zedong/");
    let authority = mao
        .select(&selector(".authorities a"))
        .next()
        .expect("Wikidata link");
    assert_eq!(
        authority.value().attr("href"),
        Some("https://www.wikidata.org/wiki/Q5816")
    );
}

#[test]
fn the_russian_and_english_passages_of_one_place_are_a_pair() {
    // Each place of the record where Mikoyan speaks: the OCR's garbled Russian name
    // beside the translation's, both linking to the same row of the document.
    let page = site().page("people/anastas-mikoyan/");
    let places: Vec<Vec<(String, String)>> = page
        .select(&selector(".place"))
        .map(|place| {
            place
                .select(&selector(".kwic"))
                .map(|p| {
                    let lang = p.value().attr("lang").unwrap().to_string();
                    let href = p.select(&selector("a")).next().unwrap();
                    (lang, href.value().attr("href").unwrap().to_string())
                })
                .collect()
        })
        .collect();
    let pair = vec![
        (
            "ru".to_string(),
            "../../documents/conversation-with-kwp-delegation/#ru-7".to_string(),
        ),
        (
            "en".to_string(),
            "../../documents/conversation-with-kwp-delegation/#en-4".to_string(),
        ),
    ];
    assert!(places.contains(&pair), "{places:?}");
    let pairs = places
        .iter()
        .filter(|p| p.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>() == ["ru", "en"])
        .count();
    assert!(pairs >= 20, "{pairs} pairs in {places:?}");
    // The rows agree with the document page: the two anchors are in one row.
    let document = site().page("documents/conversation-with-kwp-delegation/");
    let row = document
        .select(&selector(".row"))
        .find(|row| row.select(&selector("#ru-7")).next().is_some())
        .expect("the row of ru-7");
    assert!(row.select(&selector("#en-4")).next().is_some());
}

#[test]
fn translators_and_roles_link_people_to_their_documents() {
    // The translator, named in the front matter, is the register's Gary Goldberg.
    let document = site().page("documents/conversation-with-kwp-delegation/");
    let heading = document
        .select(&selector(".heading-row .translation h3"))
        .next()
        .expect("the translation's heading");
    assert_eq!(
        heading.text().collect::<String>(),
        "English translation by Gary Goldberg"
    );
    let link = heading.select(&selector("a")).next().expect("a link");
    assert_eq!(
        link.value().attr("href"),
        Some("../../people/gary-goldberg/")
    );
    let metadata: Vec<(String, String)> = document
        .select(&selector(".metadata dt"))
        .map(|dt| {
            let dd = dt
                .next_siblings()
                .filter_map(scraper::ElementRef::wrap)
                .next()
                .unwrap();
            (dt.text().collect(), dd.text().collect())
        })
        .collect();
    assert!(
        metadata.contains(&("Recorder".into(), "V. Kovyshenko".into())),
        "{metadata:?}"
    );
    assert!(
        metadata.contains(&("Translator (English)".into(), "Gary Goldberg".into())),
        "{metadata:?}"
    );

    // His page lists the documents he translated, apart from mentions, and the
    // people index counts them.
    let goldberg = site().page("people/gary-goldberg/");
    let parts: Vec<String> = goldberg
        .select(&selector(".part-list li"))
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert!(
        parts.iter().all(|p| p.ends_with("Translator (English)")),
        "{parts:?}"
    );
    assert!(
        parts[0].contains("Conversation with the Delegation"),
        "{parts:?}"
    );
    assert_eq!(goldberg.select(&selector(".occurrence-list li")).count(), 0);
    let people = site().page("people/");
    let entry = people
        .select(&selector(".entry-list li"))
        .map(|li| li.text().collect::<String>())
        .find(|t| t.starts_with("Goldberg, Gary"))
        .unwrap();
    assert!(entry.contains("(2 documents)"), "{entry}");

    // The recorder is named in the text too: both lists have the document.
    let kovyshenko = site().page("people/v-kovyshenko/");
    assert_eq!(kovyshenko.select(&selector(".part-list li")).count(), 1);
    assert_eq!(
        kovyshenko
            .select(&selector(".occurrence-list > li"))
            .count(),
        1
    );
}

#[test]
fn every_passage_shows_words_around_the_name() {
    // Names the editor linked by hand ([Пака](@pak-heon-yeong)) as well as those
    // found in the text.
    let page = site().page("people/pak-heon-yeong/");
    let passages: Vec<(String, String)> = page
        .select(&selector(".kwic a"))
        .map(|a| {
            let all: String = a.text().collect();
            let mark: String = a.select(&selector("mark")).next().unwrap().text().collect();
            (all, mark)
        })
        .collect();
    assert!(passages.len() >= 4, "{passages:?}");
    for (all, mark) in &passages {
        assert!(all.trim().len() > mark.len(), "only the name: {all:?}");
    }
    assert!(
        passages
            .iter()
            .any(|(all, _)| all.contains("had him Pak executed")),
        "{passages:?}"
    );
}

#[test]
fn the_events_page_draws_a_timeline_readable_without_javascript() {
    let page = site().page("events/");
    let svg = page
        .select(&selector("svg.timeline[role=group]"))
        .next()
        .expect("an SVG timeline");
    let events = svg.select(&selector("rect.event")).count();
    assert!(events >= 12, "{events} event bars");
    // The two documents of 16 September are one mark that says so.
    assert_eq!(svg.select(&selector("circle.document")).count(), 3);
    let group = svg
        .select(&selector("circle.document.group title"))
        .next()
        .expect("a group of documents")
        .text()
        .collect::<String>();
    assert!(
        group.starts_with("16 September 1956: 2 documents: "),
        "{group}"
    );
    let list = site().page("documents/");
    for anchor in [
        "document-mikoyan-cable-from-beijing",
        "document-conversation-with-kwp-delegation",
    ] {
        assert!(
            list.select(&selector(&format!("li#{anchor}")))
                .next()
                .is_some(),
            "{anchor}"
        );
    }
    assert!(
        svg.select(&selector("title")).count() > events,
        "each item has a title"
    );
    assert!(svg
        .select(&selector("text.label"))
        .any(|t| t.text().collect::<String>() == "August Plenum of the KWP Central Committee"));
    let listed = page.select(&selector("#chronology li")).count();
    assert_eq!(listed, events, "the same events listed as text");
}

#[test]
fn an_event_page_has_dates_place_participants_and_documents() {
    let page = site().page("events/conversation-with-kim-il-sung/");
    assert_eq!(
        text_of(&page, ".entry-dates").as_deref(),
        Some("19 September 1956")
    );
    let related: Vec<String> = page
        .select(&selector(".entry-list a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(related.contains(&"Pyongyang".to_string()), "{related:?}");
    assert!(related.contains(&"Kim Il Sung".to_string()), "{related:?}");
    let documents: Vec<String> = page
        .select(&selector(".occurrence-document a"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        documents,
        ["Telegram from A. Mikoyan to the CPSU Central Committee"]
    );
}

#[test]
fn places_glossary_and_tags_pages_exist() {
    let places = site().page("places/");
    assert!(places
        .select(&selector(".entry-list a"))
        .any(|a| a.text().collect::<String>() == "Pyongyang"));
    let pyongyang = site().page("places/pyongyang/");
    assert!(pyongyang
        .select(&selector(".names dd[lang=ru]"))
        .any(|d| d.text().collect::<String>() == "Пхеньян"));
    // The events held there, and no other.
    let events: Vec<String> = pyongyang
        .select(&selector("section a[href*=\"events/\"]"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(
        events.contains(&"../../events/september-plenum/".to_string()),
        "{events:?}"
    );
    assert!(
        !events.contains(&"../../events/cpsu-20th-congress/".to_string()),
        "{events:?}"
    );
    // A glossary term's other names are listed, not the term again.
    let glossary = site().page("glossary/");
    let cc = glossary
        .select(&selector("dt#term-cpsu-cc .aliases"))
        .next()
        .expect("the aliases of CPSU CC")
        .text()
        .collect::<String>();
    assert_eq!(cc, "(CPSU Central Committee, ЦК КПСС, Ц К К П С С)");
    let tags = site().page("tags/");
    assert!(tags
        .select(&selector(".entry-list a"))
        .any(|a| a.text().collect::<String>() == "Korea"));
    let korea = site().page("tags/korea/");
    assert_eq!(korea.select(&selector(".document-list a")).count(), 4);
}
