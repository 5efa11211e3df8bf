//! Every page of the example edition passes the Nu Html Checker (vnu, the W3C's
//! checker) with no error. The checker is `vnu-jar` from npm (site-tests/js), run
//! with Java; `scripts/test` installs both when they are missing.

use site_tests::{repository_root, BuiltSite};
use std::process::Command;

#[test]
fn every_page_of_the_example_edition_passes_the_nu_html_checker() {
    let jar = repository_root().join("site-tests/js/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "{} is missing: run scripts/test, or npm ci --prefix site-tests/js",
        jar.display()
    );
    let site = BuiltSite::example();
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(&site.output)
        .output()
        .expect("java runs (scripts/test installs it)");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "the Nu Html Checker reports errors:\n{report}"
    );
}
