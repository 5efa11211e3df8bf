//! `dossier serve` with a page open in Chromium: an edit reloads the page by itself;
//! a failed rebuild shows its errors over the last good page until it is fixed.

use site_tests::browser::{screenshot_path, Browser};
use site_tests::{copy_tree, repository_root};
use std::path::Path;
use std::time::Duration;

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} contains {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_open_page_reloads_and_shows_errors_until_fixed() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repository_root().join("content"),
        &dir.path().join("content"),
    );
    // A free port on loopback for the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = dossier::serve::ServeOptions {
        build: dossier::BuildOptions {
            root: dir.path().to_path_buf(),
            output: dir.path().join("public"),
            base_url: None,
            relative: false,
        },
        port,
        open: false,
    };
    // The server runs until the test process ends.
    std::thread::spawn(move || dossier::serve::serve(&options));
    let url = format!("http://127.0.0.1:{port}/documents/mikoyan-cable-from-beijing/");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open_url(&url);
    let cable = dir
        .path()
        .join("content/documents/mikoyan-cable-from-beijing");

    // An edit: the page reloads itself and shows it.
    edit(
        &cable.join("en.md"),
        "We agreed with",
        "We have agreed with",
    );
    tab.wait_until(
        "document.body.textContent.includes('We have agreed with')",
        Duration::from_secs(20),
    );

    // A failed rebuild: the last good page stays, the errors stand over it.
    edit(
        &cable.join("index.md"),
        "date: 1956-09-16",
        "date: 1956-09-31",
    );
    tab.wait_until(
        "document.getElementById('dossier-errors')",
        Duration::from_secs(20),
    );
    let shown = tab.eval("document.getElementById('dossier-errors').textContent");
    let shown = shown.as_str().unwrap();
    assert!(
        shown.contains("mikoyan-cable-from-beijing/index.md:3:7: error:"),
        "{shown}"
    );
    assert!(shown.contains("September 1956 has 30 days"), "{shown}");
    assert!(tab
        .eval("document.body.textContent.includes('We have agreed with')")
        .as_bool()
        .unwrap());
    tab.screenshot(&screenshot_path("rebuild-failed-overlay.png"));

    // Fixed: the overlay goes.
    edit(
        &cable.join("index.md"),
        "date: 1956-09-31",
        "date: 1956-09-16",
    );
    tab.wait_until(
        "!document.getElementById('dossier-errors')",
        Duration::from_secs(20),
    );
    let errors = tab.errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}
