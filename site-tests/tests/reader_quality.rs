//! Every kind of page of the example edition as readers with different means get
//! it, in headless Chromium: with the keyboard alone, without JavaScript, printed,
//! and opened from the file system. Screenshots of each kind at 1280 and 400 px go
//! to target/screenshots/ to be looked at. (axe-core and the Nu Html Checker go
//! over the same pages in accessibility.rs and html_checker.rs.)

use serde_json::Value;
use site_tests::browser::{screenshot_path, Browser, Tab};
use site_tests::{repository_root, BuiltSite, PAGE_KINDS};
use std::sync::OnceLock;

/// One `--relative` build shared by the tests of this file: it is what opens from
/// the file system, and it is the same pages as a server's.
fn site() -> &'static BuiltSite {
    static SITE: OnceLock<BuiltSite> = OnceLock::new();
    SITE.get_or_init(|| {
        BuiltSite::try_build(&repository_root(), true).expect("the example edition builds")
    })
}

#[test]
fn every_page_kind_is_photographed_at_1280_and_400_px_without_errors() {
    let mut browser = Browser::launch();
    for width in [1280, 400] {
        let mut tab = browser.tab(width, 900);
        for (name, page) in PAGE_KINDS {
            tab.open(&site().output.join(page));
            let errors = tab.errors();
            assert!(errors.is_empty(), "{page}: {}", errors.join("\n"));
            // Nothing wider than the window: no sideways scrolling of the page.
            let overflow = tab.eval(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            );
            assert_eq!(
                overflow,
                Value::from(0),
                "{page} at {width} px scrolls sideways"
            );
            tab.screenshot(&screenshot_path(&format!("page-{name}-{width}.png")));
        }
    }
}

/// The element that has focus, described, with whether its focus can be seen:
/// an outline, or a stroke on an SVG link's shape.
const FOCUSED: &str = r#"
(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e);
  const shape = e.querySelector && e.querySelector('rect, circle');
  const seen = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none'
    || (shape && getComputedStyle(shape).stroke !== 'none');
  const name = e.tagName.toLowerCase() + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : '')
    + (e.textContent ? ' ' + e.textContent.trim().slice(0, 40) : '');
  return { key: e.dataset.qualityKey || null, name, seen };
})()
"#;

/// Marks every control a reader can reach (links, buttons, form fields, scrolling
/// regions) that is displayed, and returns how many.
const MARK_CONTROLS: &str = r#"
(() => {
  const controls = Array.from(document.querySelectorAll('a[href], button, select, input, textarea, [tabindex="0"]'))
    .filter((e) => !e.closest('[hidden]') && e.getClientRects().length > 0 && !e.disabled);
  controls.forEach((e, i) => { e.dataset.qualityKey = String(i); });
  return controls.length;
})()
"#;

/// Tabs through the page from its start; returns the keys of the controls reached
/// and the names of those whose focus could not be seen.
fn tab_through(tab: &mut Tab, controls: usize) -> (Vec<usize>, Vec<String>) {
    let mut reached = Vec::new();
    let mut unseen = Vec::new();
    // Each control once, the skip link and a little more for good measure.
    for _ in 0..controls + 5 {
        tab.press("Tab");
        let focused = tab.eval(FOCUSED);
        if focused.is_null() {
            continue;
        }
        if let Some(key) = focused["key"].as_str() {
            reached.push(key.parse().expect("a number"));
        }
        if focused["seen"] != Value::Bool(true) {
            unseen.push(focused["name"].as_str().unwrap_or_default().to_string());
        }
    }
    reached.sort_unstable();
    reached.dedup();
    (reached, unseen)
}

#[test]
fn the_keyboard_alone_reaches_every_control_with_visible_focus() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    let mut problems = Vec::new();
    for (_, page) in PAGE_KINDS {
        tab.open(&site().output.join(page));
        let controls = tab.eval(MARK_CONTROLS).as_u64().expect("a count") as usize;
        let (reached, unseen) = tab_through(&mut tab, controls);
        if reached.len() != controls {
            let missed: Vec<usize> = (0..controls).filter(|k| !reached.contains(k)).collect();
            let names = tab.eval(&format!(
                "{missed:?}.map((k) => document.querySelector(`[data-quality-key=\"${{k}}\"]`).outerHTML.slice(0, 120))"
            ));
            problems.push(format!("{page}: not reached by Tab: {names}"));
        }
        if !unseen.is_empty() {
            problems.push(format!("{page}: focus not visible on {unseen:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_keyboard_operates_the_views_and_the_cards() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(
        &site()
            .output
            .join("documents/mikoyan-telegram-to-cpsu-cc/index.html"),
    );
    tab.eval("localStorage.clear()");
    tab.open(
        &site()
            .output
            .join("documents/mikoyan-telegram-to-cpsu-cc/index.html"),
    );
    // Tab to a control, then press a key on it.
    let focus = |tab: &mut Tab, css: &str| {
        for _ in 0..400 {
            tab.press("Tab");
            if tab.eval(&format!("document.activeElement.matches('{css}')")) == Value::Bool(true) {
                return;
            }
        }
        panic!("Tab never reaches {css}");
    };
    let pressed = |tab: &mut Tab, css: &str| {
        tab.eval(&format!(
            "document.querySelector('{css}').getAttribute('aria-pressed')"
        ))
    };
    let shown = |tab: &mut Tab, css: &str| {
        tab.eval(&format!(
            "Array.from(document.querySelectorAll('{css}')).filter((e) => e.getClientRects().length > 0).length"
        ))
        .as_u64()
        .unwrap()
    };
    assert!(shown(&mut tab, ".cell.translation .segment") > 0);
    focus(&mut tab, "[data-view=original]");
    tab.press("Enter");
    assert_eq!(pressed(&mut tab, "[data-view=original]"), "true");
    assert_eq!(
        shown(&mut tab, ".cell.translation .segment"),
        0,
        "Enter shows the original alone"
    );
    tab.press("Shift+Tab");
    tab.press(" ");
    assert_eq!(
        pressed(&mut tab, "[data-view=parallel]"),
        "true",
        "Space goes back to both"
    );
    assert!(shown(&mut tab, ".cell.translation .segment") > 0);
    focus(&mut tab, "[data-rendering=reading]");
    tab.press("Enter");
    assert_eq!(pressed(&mut tab, "[data-rendering=reading]"), "true");
    assert_eq!(
        shown(&mut tab, "del.ed-del"),
        0,
        "the reading view drops deletions"
    );
    // A mention's card opens on focus and closes with Escape.
    focus(&mut tab, "a.mention[aria-describedby]");
    let card = "document.querySelector('.card-popup:not([hidden])')";
    let text = tab.eval(&format!("{card} && {card}.textContent"));
    assert!(
        text.as_str().is_some_and(|t| t.len() > 3),
        "a card on focus: {text}"
    );
    tab.press("Escape");
    assert_eq!(
        tab.eval(&format!("!!{card}")),
        Value::Bool(false),
        "Escape closes the card"
    );
    tab.eval("localStorage.clear()");
}

/// Everything in `<main>` that has no box, bar what only scripts use (the view
/// controls, parts marked `data-needs-script`).
const UNSHOWN: &str = r#"
Array.from(document.querySelectorAll('main *'))
  .filter((e) => !e.closest('.view-controls, [data-needs-script], template, .card-popup'))
  .filter((e) => e.getClientRects().length === 0)
  .filter((e) => !['SCRIPT', 'STYLE', 'BR', 'WBR', 'TITLE', 'DESC', 'DEFS', 'OPTION'].includes(e.tagName.toUpperCase()))
  .map((e) => e.outerHTML.slice(0, 100))
"#;

#[test]
fn without_javascript_every_text_link_and_index_is_there() {
    let mut browser = Browser::launch();
    for width in [1280, 400] {
        let mut tab = browser.tab(width, 900);
        for (name, page) in PAGE_KINDS {
            // Scripts off while the page loads (so dossier.js never runs), on again
            // to look at it.
            tab.set_javascript(false);
            tab.open(&site().output.join(page));
            tab.set_javascript(true);
            assert_eq!(
                tab.eval("document.querySelectorAll('.card-popup, details.folded').length"),
                Value::from(0),
                "{page}: dossier.js did not run"
            );
            let unshown = tab.eval(UNSHOWN);
            assert_eq!(
                unshown,
                Value::Array(Vec::new()),
                "{page} at {width} px without JavaScript"
            );
            if *name == "document" {
                let texts = tab.eval(
                    "['ru', 'en'].map((l) => Array.from(document.querySelectorAll(`.segment[lang=${l}]`)).filter((e) => e.getClientRects().length > 0).length)",
                );
                assert!(
                    texts
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|n| n.as_u64() > Some(10)),
                    "both texts: {texts}"
                );
            }
        }
    }
}

#[test]
fn a_document_prints_with_both_texts_and_no_controls() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    let page = site()
        .output
        .join("documents/mikoyan-telegram-to-cpsu-cc/index.html");
    tab.open(&page);
    // Even when the reader chose the original alone on screen.
    tab.eval("document.querySelector('[data-view=original]').click()");
    tab.emulate_media("print");
    let laid_out = tab.eval(
        r#"(() => {
            const shown = (css) => Array.from(document.querySelectorAll(css)).filter((e) => e.getClientRects().length > 0);
            const row = document.querySelector('.parallel .row:not(.heading-row)');
            const [o, t] = [row.querySelector('.cell.original'), row.querySelector('.cell.translation')].map((c) => c.getBoundingClientRect());
            return {
                controls: shown('.view-controls, .view-controls button, .site-header nav, .skip, .neighbours').length,
                original: shown('.cell.original .segment').length,
                translation: shown('.cell.translation .segment').length,
                side_by_side: Math.abs(o.top - t.top) < 1 && t.left > o.right - 1,
            };
        })()"#,
    );
    assert_eq!(laid_out["controls"], Value::from(0), "{laid_out}");
    assert!(laid_out["original"].as_u64() > Some(10), "{laid_out}");
    assert!(laid_out["translation"].as_u64() > Some(10), "{laid_out}");
    assert_eq!(laid_out["side_by_side"], Value::Bool(true), "{laid_out}");
    let pdf = screenshot_path("document-printed.pdf");
    let pages = tab.print_to_pdf(&pdf);
    assert!(
        (2..40).contains(&pages),
        "{pages} pages in {}",
        pdf.display()
    );
    tab.eval("localStorage.clear()");
}

#[test]
fn a_relative_build_is_browsed_from_the_file_system() {
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(&site().output.join("index.html"));
    // Follow links as a reader clicks them: home → people → a person → a document
    // → its source → the events → home, each arriving on a page with its style.
    let steps = [
        ("header nav a[href$='people/index.html']", "People"),
        ("a[href='kim-il-sung/index.html']", "Kim Il Sung"),
        (".occurrence-document a", ""),
        ("a[href='source/index.html']", ""),
        ("header nav a[href$='events/index.html']", "Events"),
        (".site-title a", "Pyongyang, September 1956"),
    ];
    for (link, heading) in steps {
        let from = tab.eval("location.href");
        let href = tab.click_to_open(link);
        assert!(href.is_some(), "no {link} on {from}");
        let arrived = tab.eval(
            "({ url: location.href, h1: (document.querySelector('h1') || {}).textContent, \
              styled: getComputedStyle(document.body).fontFamily !== getComputedStyle(document.createElement('div')).fontFamily || document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0 })",
        );
        assert!(
            arrived["url"].as_str().unwrap().starts_with("file://"),
            "{arrived}"
        );
        assert!(
            arrived["url"].as_str().unwrap().ends_with(".html"),
            "a page, not a folder listing: {arrived}"
        );
        assert_eq!(
            arrived["styled"],
            Value::Bool(true),
            "the stylesheet loads: {arrived}"
        );
        if !heading.is_empty() {
            assert_eq!(
                arrived["h1"].as_str().map(str::trim),
                Some(heading),
                "{arrived}"
            );
        }
        let errors = tab.errors();
        assert!(errors.is_empty(), "{arrived}: {}", errors.join("\n"));
    }
}
