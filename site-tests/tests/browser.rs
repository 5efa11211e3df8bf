//! Document pages of the example edition in a real headless Chromium: aligned rows
//! level on wide screens and stacked on narrow ones, the view toggles, no console
//! errors. Screenshots go to target/screenshots/ to be looked at.

use serde_json::Value;
use site_tests::browser::{screenshot_path, Browser, Tab};
use site_tests::{repository_root, BuiltSite};

/// For every row with both an original and a translation block: the top of the
/// first line of text in each (page markers and hidden labels left aside).
const FIRST_LINES: &str = r#"
(() => {
  const firstLineTop = (cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => n.textContent.trim() === "" || n.parentElement.closest(".pb, .visually-hidden")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const node = walker.nextNode();
    if (!node) return null;
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, 1);
    return range.getClientRects()[0].top;
  };
  return Array.from(document.querySelectorAll(".parallel:not(.other-translation) .row:not(.heading-row)"))
    .map((row) => [row.querySelector(".cell.original"), row.querySelector(".cell.translation")])
    .filter(([o, t]) => o && t && o.querySelector(".segment") && t.querySelector(".segment"))
    .map(([o, t]) => ({
      original: firstLineTop(o),
      translation: firstLineTop(t),
      originalBottom: o.getBoundingClientRect().bottom,
      translationTop: t.getBoundingClientRect().top,
      text: o.textContent.trim().slice(0, 40),
    }));
})()
"#;

fn rows(tab: &mut Tab) -> Vec<Value> {
    tab.eval(FIRST_LINES).as_array().expect("rows").clone()
}

fn number(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Clicks the view control whose attribute `attribute` is `value`.
fn click(tab: &mut Tab, attribute: &str, value: &str) {
    let clicked = tab.eval(&format!(
        r#"(() => {{ const b = document.querySelector('.view-controls [{attribute}="{value}"]'); if (!b) return false; b.click(); return true; }})()"#
    ));
    assert_eq!(clicked, Value::Bool(true), "a control {attribute}={value}");
}

/// How many elements matching `css` are displayed (not `display: none`).
fn shown(tab: &mut Tab, css: &str) -> u64 {
    tab.eval(&format!(
        r#"Array.from(document.querySelectorAll('{css}')).filter(e => e.offsetParent !== null || getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0).length"#
    ))
    .as_u64()
    .expect("a count")
}

#[test]
fn aligned_rows_in_a_real_browser() {
    // Relative links, so the site works from the file system as it is opened here.
    let site = BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let mut browser = Browser::launch();

    for document in [
        "conversation-with-kwp-delegation",
        "mikoyan-telegram-to-cpsu-cc",
    ] {
        let page = site.output.join(format!("documents/{document}/index.html"));
        let mut tab = browser.tab(1280, 900);
        tab.open(&page);

        // Wide: each original block level with its translation.
        let wide = rows(&mut tab);
        assert!(wide.len() >= 20, "{document}: {} aligned rows", wide.len());
        let skewed: Vec<String> = wide
            .iter()
            .filter(|r| (number(r, "original") - number(r, "translation")).abs() > 3.0)
            .map(|r| format!("{} ({} vs {})", r["text"], r["original"], r["translation"]))
            .collect();
        assert!(
            skewed.is_empty(),
            "{document}: rows not level:\n{}",
            skewed.join("\n")
        );
        tab.screenshot(&screenshot_path(&format!("{document}-1280.png")));

        // Narrow: each translation below its original.
        tab.resize(400, 900);
        let narrow = rows(&mut tab);
        let side_by_side: Vec<String> = narrow
            .iter()
            .filter(|r| number(r, "translationTop") < number(r, "originalBottom") - 1.0)
            .map(|r| r["text"].to_string())
            .collect();
        assert!(
            side_by_side.is_empty(),
            "{document}: not stacked at 400px:\n{}",
            side_by_side.join("\n")
        );
        tab.screenshot(&screenshot_path(&format!("{document}-400.png")));

        let errors = tab.errors();
        assert!(
            errors.is_empty(),
            "{document}: console errors:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn the_view_toggles_work_and_are_remembered() {
    let site = BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let page = site
        .output
        .join("documents/mikoyan-telegram-to-cpsu-cc/index.html");
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(&page);

    assert_eq!(
        tab.eval("document.querySelector('.view-controls').hidden"),
        Value::Bool(false)
    );
    let originals = shown(&mut tab, ".cell.original .segment");
    let translations = shown(&mut tab, ".cell.translation .segment");
    assert!(originals > 10 && translations > 10);

    click(&mut tab, "data-view", "original");
    assert_eq!(shown(&mut tab, ".cell.translation .segment"), 0);
    assert_eq!(shown(&mut tab, ".cell.original .segment"), originals);
    click(&mut tab, "data-view", "translation");
    assert_eq!(shown(&mut tab, ".cell.original .segment"), 0);
    assert_eq!(shown(&mut tab, ".cell.translation .segment"), translations);
    click(&mut tab, "data-view", "parallel");
    assert_eq!(shown(&mut tab, ".cell.original .segment"), originals);

    // Diplomatic shows the original's deletions; reading applies them silently.
    let deletions = shown(&mut tab, "del.ed-del");
    assert!(deletions > 0, "the telegram has handwritten deletions");
    assert!(shown(&mut tab, ".ed-space") > 0);
    click(&mut tab, "data-rendering", "reading");
    assert_eq!(shown(&mut tab, "del.ed-del"), 0);
    // With the space before a deletion that punctuation follows.
    assert_eq!(shown(&mut tab, ".ed-space"), 0);
    let text = tab.eval("document.querySelector('.parallel').innerText");
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("ослабить, а укрепл"), "{text}");
    assert!(
        shown(&mut tab, "ins.ed-ins") > 0,
        "insertions stay, unmarked"
    );
    tab.screenshot(&screenshot_path("telegram-reading-1280.png"));

    // The choice survives a reload.
    tab.open(&page);
    assert_eq!(shown(&mut tab, "del.ed-del"), 0, "reading is remembered");
    click(&mut tab, "data-rendering", "diplomatic");
    assert_eq!(shown(&mut tab, "del.ed-del"), deletions);

    let errors = tab.errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}

#[test]
fn on_a_phone_the_text_begins_on_the_first_screens_and_each_block_says_its_language() {
    let site = BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let mut browser = Browser::launch();
    let mut tab = browser.tab(400, 800);
    tab.open(
        &site
            .output
            .join("documents/conversation-with-kwp-delegation/index.html"),
    );
    let top = tab.eval(
        "document.querySelector('.parallel .row:not(.heading-row)').getBoundingClientRect().top + window.scrollY",
    );
    let top = top.as_f64().unwrap();
    assert!(top < 1000.0, "the text begins {top}px down");
    // The metadata, the headnote and the texts' headings are a tap away, not gone.
    assert_eq!(
        tab.eval("document.querySelectorAll('details.folded').length"),
        Value::from(3)
    );
    let label = tab.eval(
        "getComputedStyle(document.querySelector('.parallel .row:not(.heading-row) .cell.translation'), '::before').content",
    );
    assert_eq!(label.as_str(), Some("\"en\""));
    tab.screenshot(&screenshot_path("conversation-400.png"));
    // Wide, nothing is folded and no block needs a label.
    let mut tab = browser.tab(1280, 900);
    tab.open(
        &site
            .output
            .join("documents/conversation-with-kwp-delegation/index.html"),
    );
    assert_eq!(
        tab.eval("document.querySelectorAll('details.folded').length"),
        Value::from(0)
    );
    let label = tab.eval(
        "getComputedStyle(document.querySelector('.parallel .row:not(.heading-row) .cell.translation'), '::before').content",
    );
    assert_eq!(label.as_str(), Some("none"));
}

#[test]
fn passages_on_entry_pages_look_like_links() {
    let site = BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(&site.output.join("people/kim-il-sung/index.html"));
    let decoration =
        tab.eval("getComputedStyle(document.querySelector('.kwic a')).textDecorationLine");
    assert_eq!(decoration.as_str(), Some("underline"));
}

/// For the timeline of the page: every pair of labels whose boxes overlap, labels
/// that stand outside the figure, document marks closer than 8 px, group marks
/// without their count, marks that are not links with a name, and how many
/// documents the marks stand for.
const TIMELINE: &str = r#"
(() => {
  const svg = document.querySelector('svg.timeline');
  const frame = svg.getBoundingClientRect();
  const labels = Array.from(svg.querySelectorAll('text:not(.count)')).map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  const overlaps = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const [a, b] = [labels[i], labels[j]];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
        overlaps.push(a.text + ' / ' + b.text);
      }
    }
  }
  const outside = labels.filter((l) => l.left < frame.left - 0.5 || l.right > frame.right + 0.5).map((l) => l.text);
  const marks = Array.from(svg.querySelectorAll('circle.document')).map((c) => {
    const r = c.getBoundingClientRect();
    const link = c.closest('a');
    const count = link && link.querySelector('text.count');
    return {
      x: (r.left + r.right) / 2,
      group: c.classList.contains('group'),
      count: count ? Number(count.textContent) : 1,
      named: !!(link && link.getAttribute('href') && c.querySelector('title') && c.querySelector('title').textContent.length > 0),
    };
  }).sort((a, b) => a.x - b.x);
  const close = [];
  for (let i = 1; i < marks.length; i++) {
    if (marks[i].x - marks[i - 1].x < 8) close.push([marks[i - 1].x, marks[i].x]);
  }
  return {
    labels: labels.length,
    overlaps,
    outside,
    close,
    uncounted: marks.filter((m) => m.group && !(m.count > 1)).length,
    unnamed: marks.filter((m) => !m.named).length,
    documents: marks.reduce((n, m) => n + m.count, 0),
  };
})()
"#;

/// An edition whose events and documents crowd into a few days of twenty years.
fn crowded_edition(root: &std::path::Path) -> usize {
    dossier::scaffold::new_edition(root).unwrap();
    let mut events = String::new();
    for day in 10..=20 {
        for k in 0..3 {
            events.push_str(&format!(
                "congress-{day}-{k}:\n  name: \"Session {k} of the congress on {day} September\"\n  date: 1956-09-{day}\n"
            ));
        }
    }
    for year in (1950..1970).step_by(2) {
        events.push_str(&format!(
            "plenum-{year}:\n  name: \"Plenum of {year}\"\n  start: {year}-03-01\n  end: {year}-03-04\n"
        ));
    }
    events.push_str("era:\n  name: \"The two decades of the edition, from its first document to its last\"\n  start: 1950-01-01\n  end: 1969-12-31\n");
    std::fs::write(root.join("content/events.yaml"), events).unwrap();
    let mut documents = 0;
    for day in 14..=16 {
        for k in 0..20 {
            dossier::scaffold::new_document(
                root,
                &format!("cable-{day}-{k}"),
                &format!("1956-09-{day}"),
            )
            .unwrap();
            documents += 1;
        }
    }
    for year in 1950..1970 {
        for month in [2, 9] {
            dossier::scaffold::new_document(
                root,
                &format!("report-{year}-{month}"),
                &format!("{year}-{month:02}-01"),
            )
            .unwrap();
            documents += 1;
        }
    }
    documents
}

#[test]
fn the_timeline_reads_at_any_density() {
    let example =
        BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("crowded");
    let crowded_documents = crowded_edition(&root);
    let crowded = BuiltSite::try_build(&root, true).expect("the crowded edition builds");
    let mut browser = Browser::launch();
    for (name, site, documents) in [
        ("example", &example, 4),
        ("crowded", &crowded, crowded_documents),
    ] {
        for width in [1280, 400] {
            let mut tab = browser.tab(width, 900);
            tab.open(&site.output.join("events/index.html"));
            let found = tab.eval(TIMELINE);
            let context = format!("{name} at {width} px: {found}");
            assert!(found["labels"].as_u64().unwrap() > 3, "{context}");
            for list in ["overlaps", "outside", "close"] {
                assert_eq!(
                    found[list].as_array().map(Vec::len),
                    Some(0),
                    "{list}: {context}"
                );
            }
            assert_eq!(found["uncounted"], Value::from(0), "{context}");
            assert_eq!(found["unnamed"], Value::from(0), "{context}");
            assert_eq!(found["documents"], Value::from(documents), "{context}");
            tab.screenshot(&screenshot_path(&format!("timeline-{name}-{width}.png")));
        }
    }
    // The example's week of September 1956 (eight events from the 15th to the 23rd)
    // is given room: more than a seventh of the axis for eight days of 235 (on an
    // even scale, a thirtieth).
    let mut tab = browser.tab(1280, 900);
    tab.open(&example.output.join("events/index.html"));
    let share = tab.eval(
        r#"(() => {
            const x = (id) => document.querySelector(`a[href^="${id}/"] rect`).getBoundingClientRect().left;
            const width = document.querySelector('svg.timeline').getBoundingClientRect().width;
            return (x('september-plenum') - x('liu-shaoqi-political-report')) / width;
        })()"#,
    );
    assert!(share.as_f64().unwrap() > 1.0 / 7.0, "{share}");
}

#[test]
fn the_citation_is_copied_or_selected_for_the_reader() {
    let site = BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let page = site
        .output
        .join("documents/mikoyan-telegram-to-cpsu-cc/index.html");
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(&page);
    assert_eq!(
        tab.eval("document.querySelector('button[data-copy]').hidden"),
        Value::Bool(false),
        "the button is shown where the script runs"
    );
    tab.eval("document.querySelector('button[data-copy]').click()");
    tab.wait_until(
        "document.querySelector('.citation-copy [role=status]').textContent !== ''",
        std::time::Duration::from_secs(5),
    );
    let said = tab.eval("document.querySelector('.citation-copy [role=status]').textContent");
    let citation = tab
        .eval("document.querySelector('#citation-text').textContent.replace(/\\s+/g, ' ').trim()");
    assert!(
        citation
            .as_str()
            .unwrap()
            .starts_with("Anastas Mikoyan, “Telegram"),
        "{citation}"
    );
    // From a file, the page may not write to the clipboard: the citation is
    // selected for the reader to copy.
    match said.as_str().unwrap() {
        "Citation copied." => {}
        s if s.starts_with("Selected") => assert_eq!(
            tab.eval("getSelection().toString().replace(/\\s+/g, ' ').trim()"),
            citation
        ),
        other => panic!("the button said {other:?}"),
    }
    assert!(tab.errors().is_empty(), "{:?}", tab.errors());
}
