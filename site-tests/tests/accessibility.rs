//! Every kind of page of the example edition, checked by axe-core (WCAG 2.0, 2.1 and
//! 2.2, levels A and AA) in headless Chromium: no violation. axe-core comes from npm
//! (site-tests/js); `scripts/test` installs it and Chromium when they are missing.

use site_tests::browser::Browser;
use site_tests::{repository_root, BuiltSite, PAGE_KINDS};

#[test]
fn no_page_kind_violates_wcag_a_or_aa_rules() {
    let axe_file = repository_root().join("site-tests/js/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: run scripts/test, or npm ci --prefix site-tests/js",
            axe_file.display()
        )
    });
    let site = BuiltSite::try_build(&repository_root(), true).expect("the example edition builds");
    let mut browser = Browser::launch();
    let mut found = Vec::new();
    for (width, height) in [(1280, 900), (400, 800)] {
        let mut tab = browser.tab(width, height);
        for (_, page) in PAGE_KINDS {
            tab.open(&site.output.join(page));
            tab.eval(&axe);
            let violations = tab.eval(
                "axe.run(document, { runOnly: { type: 'tag', values: \
                 ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } }) \
                 .then(r => r.violations.map(v => v.id + ' (' + v.impact + ', ' + v.nodes.length \
                 + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
            );
            for v in violations.as_array().expect("a list") {
                found.push(format!(
                    "{page} at {width}px: {}",
                    v.as_str().unwrap_or_default()
                ));
            }
        }
    }
    assert!(found.is_empty(), "axe-core finds:\n{}", found.join("\n"));
}
