//! Issue 16's budget for a query, measured in headless Chromium: a site built by
//! dossier is opened from the disk at `search/index.html?q=...`, and for each query
//! this prints the bytes of the files the page loaded (index parts, metadata,
//! scripts, stylesheet; raw and gzipped, as a web server would send them) and the
//! time from the page being ready (its HTML and own scripts in: DOMContentLoaded)
//! to its results on screen (the page marks it with
//! `performance.mark("search-results-shown")`). Medians of five loads.
//!
//! Usage: search_budget <site folder> <query>...
//! Prints one line a query: `query=... bytes=... gzip_bytes=... files=... ms=...`.

use site_tests::browser::Browser;
use std::io::Write;
use std::path::Path;

fn gzipped(bytes: &[u8]) -> usize {
    // `gzip -c` as servers compress (level 6, their usual).
    let mut child = std::process::Command::new("gzip")
        .args(["-6", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    child.wait_with_output().unwrap().stdout.len()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = std::path::PathBuf::from(args.next().expect("a site folder"));
    let queries: Vec<String> = args.collect();
    let page = site.join("search/index.html");
    let mut browser = Browser::launch();
    for query in queries {
        let mut times = Vec::new();
        let mut loaded = Vec::new();
        for _ in 0..5 {
            let mut tab = browser.tab(1280, 900);
            let encoded: String = query
                .bytes()
                .map(|b| match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            tab.open_url(&format!("file://{}?q={encoded}", page.display()));
            let measured = tab.eval(
                r#"(() => {
                    const shown = performance.getEntriesByName('search-results-shown')[0];
                    // The page's own HTML and scripts are in: the data files the
                    // search loads come after (their scripts hold the load event back).
                    const ready = performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;
                    return {
                        ms: shown ? shown.startTime - ready : null,
                        files: Array.from(document.scripts).map((s) => s.src)
                            .concat(Array.from(document.querySelectorAll('link[rel=stylesheet]')).map((l) => l.href)),
                    };
                })()"#,
            );
            times.push(measured["ms"].as_f64().expect("results were shown"));
            loaded = measured["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let (mut bytes, mut gzip) = (0, 0);
        let mut files = loaded.clone();
        files.push(format!("file://{}", page.display()));
        for file in &files {
            let path = file.trim_start_matches("file://");
            let path = site_tests::percent_decode(path.split('?').next().unwrap());
            let contents =
                std::fs::read(Path::new(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            bytes += contents.len();
            gzip += gzipped(&contents);
        }
        println!(
            "query={} bytes={bytes} gzip_bytes={gzip} files={} ms={:.0}",
            query.replace(' ', "+"),
            files.len(),
            times[times.len() / 2]
        );
    }
}
