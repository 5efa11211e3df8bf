//! Facsimiles (issue 22), on a copy of the example edition given scans made here
//! (the example edition itself has none, and its pages must not change): the copies
//! for the screen and the thumbnails have their sizes and names after their images'
//! bytes; a second build does no image work, taking the copies of the output it
//! replaces; a build writes nothing outside its output folder; the IIIF manifest is
//! valid against the IIIF's own schema (ajv); the TEI has its facsimile; and in
//! headless Chromium the viewer shows the page being read as the reader scrolls
//! past page breaks, zooms and pans, from `file://`.

use serde_json::Value;
use site_tests::browser::{screenshot_path, Browser};
use site_tests::{copy_tree, repository_root, selector, BuiltSite};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const DOCUMENT: &str = "conversation-with-kwp-delegation";
const PUBLISHED_AT: &str = "https://pyongyang-1956.dossier-editions.net/edition";

/// A scan of page `label`: a page of "typescript" with the page number written
/// as bars of blocks, so that a screenshot shows which page is shown.
fn scan(path: &Path, label: u32, width: u32, height: u32) {
    let digits: Vec<u32> = label
        .to_string()
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        // The number: a bar of as many blocks as each digit, one row a digit.
        let (bx, by) = (x / (width / 20).max(1), y / (height / 40).max(1));
        let in_number = digits
            .iter()
            .enumerate()
            .any(|(k, &d)| by == 1 + k as u32 && bx >= 1 && bx <= d);
        let line = (y / (height / 60).max(1)).is_multiple_of(2)
            && y > height / 6
            && x > width / 10
            && x < width * 9 / 10;
        if in_number {
            image::Rgb([20, 20, 120])
        } else if line && (x / 7 + y) % 5 != 0 {
            image::Rgb([60, 55, 50])
        } else {
            image::Rgb([236, 229, 210])
        }
    });
    image.save(path).unwrap();
}

/// The example edition in `root`, with scans of the KWP conversation's pages 49-57
/// but 51 (a page without its image): most large JPEGs, page 50 a PNG, page 53 an
/// image smaller than the copy for the screen.
fn edition_with_scans(root: &Path) -> Vec<(u32, u32, u32)> {
    copy_tree(&repository_root().join("content"), &root.join("content"));
    let bundle = root.join("content/documents").join(DOCUMENT);
    let mut scans = Vec::new();
    for label in 49..=57 {
        let (width, height) = match label {
            51 => continue,
            50 => (1700, 2300),
            53 => (900, 1260),
            _ => (1800, 2400),
        };
        scan(&bundle.join(image_name(label)), label, width, height);
        scans.push((label, width, height));
    }
    scans
}

/// The image of page `label` in [`edition_with_scans`].
fn image_name(label: u32) -> String {
    match label {
        50 => "50.png".into(),
        _ => format!("{label}.jpg"),
    }
}

/// The path, in the document's folder of the site, of the copy of page `label`'s
/// image in the edition at `root` in `folder` (`web` or `thumbnails`), at most
/// `width` wide: named after the image and the first 12 digits of the BLAKE3 hash
/// of its bytes.
fn copy_of(root: &Path, label: u32, folder: &str, width: u32) -> String {
    let name = image_name(label);
    let bundle = root.join("content/documents").join(DOCUMENT);
    let bytes = std::fs::read(bundle.join(&name)).unwrap();
    let hash = blake3::hash(&bytes).to_hex();
    let stem = name.rsplit_once('.').unwrap().0;
    format!("{folder}/{stem}.{}.{width}.jpg", &hash.as_str()[..12])
}

fn web(root: &Path, label: u32) -> String {
    copy_of(root, label, "web", 1600)
}

fn thumbnail(root: &Path, label: u32) -> String {
    copy_of(root, label, "thumbnails", 200)
}

fn size_of(path: &Path) -> (u32, u32) {
    let image = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (image.width(), image.height())
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// The copies of images in `folder` (a document's folder of a site), by path in it,
/// with the time each was last written.
fn copies(folder: &Path) -> BTreeMap<String, std::time::SystemTime> {
    let mut files = BTreeMap::new();
    for sub in ["web", "thumbnails"] {
        for entry in std::fs::read_dir(folder.join(sub)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            files.insert(format!("{sub}/{name}"), modified(&entry.path()));
        }
    }
    files
}

/// Every file and folder below `folder` but those below `except`, hidden ones too,
/// with its size and the time it was last written (none for a folder).
fn everything_below(
    folder: &Path,
    except: &Path,
) -> BTreeMap<PathBuf, Option<(u64, std::time::SystemTime)>> {
    let mut found = BTreeMap::new();
    let mut to_read = vec![folder.to_path_buf()];
    while let Some(next) = to_read.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path == except {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                to_read.push(path.clone());
                found.insert(path, None);
            } else {
                found.insert(path, Some((meta.len(), meta.modified().unwrap())));
            }
        }
    }
    found
}

#[test]
fn copies_have_their_sizes_and_a_second_build_does_no_image_work() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    let scans = edition_with_scans(&root);
    let output = root.join("public");

    let first = BuiltSite::build_into(&root, &output);
    assert_eq!(
        first.report.images_made,
        2 * scans.len(),
        "two copies an image"
    );
    assert_eq!(first.report.images_reused, 0);
    let folder = first.output.join("documents").join(DOCUMENT);
    for &(label, width, height) in &scans {
        let web_width = width.min(1600);
        let expected = |w: u32| {
            (
                w,
                (u64::from(height) * u64::from(w) + u64::from(width) / 2) as u32 / width,
            )
        };
        let web = folder.join(web(&root, label));
        assert_eq!(size_of(&web), expected(web_width), "{}", web.display());
        let thumbnail = folder.join(thumbnail(&root, label));
        assert_eq!(
            size_of(&thumbnail),
            expected(200),
            "{}",
            thumbnail.display()
        );
    }
    assert_eq!(
        size_of(&folder.join(web(&root, 53))),
        (900, 1260),
        "never enlarged"
    );
    let made = copies(&folder);
    assert_eq!(made.len(), 2 * scans.len(), "the copies and nothing else");

    // The page: alternative text and captions say which page of which document; the
    // page numbers in the margin link to the images, without the script too; the
    // viewer holds the copies by their names.
    let page = first.page(&format!("documents/{DOCUMENT}/"));
    let title = site_tests::text_of(&page, "h1").unwrap();
    let alts: Vec<&str> = page
        .select(&selector(".facsimile-pages img"))
        .map(|img| img.value().attr("alt").unwrap())
        .collect();
    assert_eq!(alts.len(), scans.len());
    assert_eq!(alts[0], format!("Page 49 of {title}"));
    let held = page
        .select(&selector(".facsimile-frame img"))
        .next()
        .expect("the viewer holds the first page");
    assert_eq!(held.value().attr("src"), Some(web(&root, 49).as_str()));
    let marker = page
        .select(&selector("a.pb#ru-page-49"))
        .next()
        .expect("page 49 links to its image");
    assert_eq!(marker.value().attr("href"), Some("49.jpg"));
    assert!(
        page.select(&selector("span.pb#ru-page-51"))
            .next()
            .is_some(),
        "a page without an image is no link"
    );
    let missing = page
        .select(&selector(".facsimile-pages li[data-page='51']"))
        .next()
        .unwrap();
    assert!(missing.value().attr("data-src").is_none());
    // Documents without images have no viewer at all.
    for other in ["mikoyan-telegram-to-cpsu-cc", "mikoyan-cable-from-beijing"] {
        let page =
            std::fs::read_to_string(first.output.join(format!("documents/{other}/index.html")))
                .unwrap();
        assert!(!page.contains("facsimile"), "{other} has viewer markup");
        assert!(!first
            .output
            .join(format!("documents/{other}/manifest.json"))
            .exists());
    }

    // A second build into the same folder, a new pipeline as a new `dossier build`
    // is: every copy taken from the output it replaces, none made, the copies as
    // they were (linked, not written again).
    let bytes: Vec<Vec<u8>> = [web(&root, 49), thumbnail(&root, 50)]
        .iter()
        .map(|name| std::fs::read(folder.join(name)).unwrap())
        .collect();
    let second = BuiltSite::build_into(&root, &output);
    assert_eq!(
        second.report.images_made, 0,
        "a second build resizes nothing"
    );
    assert_eq!(second.report.images_reused, 2 * scans.len());
    assert_eq!(copies(&folder), made, "the same copies, untouched");
    for (name, bytes) in [web(&root, 49), thumbnail(&root, 50)].iter().zip(&bytes) {
        assert_eq!(&std::fs::read(folder.join(name)).unwrap(), bytes);
    }

    // A text edited, the images not: still no image work; an image replaced: its
    // two copies only, under new names (the old ones are gone with the old site).
    let ru = root.join("content/documents").join(DOCUMENT).join("ru.md");
    let text = std::fs::read_to_string(&ru).unwrap();
    std::fs::write(&ru, text.replacen("Беседа", "Беседа,", 1)).unwrap();
    let (old_web, old_thumbnail) = (web(&root, 55), thumbnail(&root, 55));
    scan(
        &root.join("content/documents").join(DOCUMENT).join("55.jpg"),
        55,
        1800,
        2500,
    );
    let third = BuiltSite::build_into(&root, &output);
    assert_eq!(
        (third.report.images_made, third.report.images_reused),
        (2, 2 * scans.len() - 2)
    );
    let now = copies(&folder);
    assert_eq!(now.len(), 2 * scans.len());
    assert!(!now.contains_key(&old_web) && !now.contains_key(&old_thumbnail));
    assert_eq!(size_of(&folder.join(web(&root, 55))), (1600, 2222));
    assert_eq!(
        now[&web(&root, 49)],
        made[&web(&root, 49)],
        "the other copies untouched"
    );
}

/// SPEC 6, "Nothing lost": the generator never writes outside its output folder.
/// The edition's folder, with its output inside as is usual, is the same after
/// builds that make copies of images and take them again, but for the output.
#[test]
fn a_build_writes_nothing_outside_its_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    edition_with_scans(&root);
    let output = root.join("public");
    let before = everything_below(dir.path(), &output);
    let first = BuiltSite::build_into(&root, &output);
    assert!(first.report.images_made > 0);
    assert_eq!(
        everything_below(dir.path(), &output),
        before,
        "a first build"
    );
    let second = BuiltSite::build_into(&root, &output);
    assert!(second.report.images_reused > 0);
    assert_eq!(
        everything_below(dir.path(), &output),
        before,
        "a build taking the copies of the first"
    );
}

/// The TEI of the document with scans is valid TEI, with a surface per image.
#[test]
fn the_tei_has_a_surface_per_page_image_and_stays_valid() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    let scans = edition_with_scans(&root);
    // An image the metadata names for a page no page break opens (the folder's
    // cover): a page of its own, after the text's.
    let bundle = root.join("content/documents").join(DOCUMENT);
    scan(&bundle.join("folder-cover.jpg"), 1, 600, 800);
    let metadata = bundle.join("index.md");
    let front = std::fs::read_to_string(&metadata).unwrap().replacen(
        "\ntitle:",
        "\nfacsimiles:\n  cover: folder-cover.jpg\ntitle:",
        1,
    );
    std::fs::write(&metadata, front).unwrap();
    let site = BuiltSite::build_at(&root, PUBLISHED_AT);
    let tei = site.output.join(format!("documents/{DOCUMENT}.xml"));
    let xml = std::fs::read_to_string(&tei).unwrap();
    assert_eq!(xml.matches("<surface ").count(), scans.len() + 1);
    assert_eq!(xml.matches(" n=\"cover\"").count(), 1, "{xml}");
    let cover = xml.find(" n=\"cover\"").unwrap();
    let last_page = xml.find(" n=\"57\"").unwrap();
    assert!(cover > last_page, "the cover after the pages of the text");
    assert!(xml.contains(&format!(
        "<graphic url=\"{PUBLISHED_AT}/documents/{DOCUMENT}/50.png\" width=\"1700px\" height=\"2300px\" mimeType=\"image/png\"/>"
    )), "a PNG says so");
    assert!(xml.contains(&format!(
        "<graphic url=\"{PUBLISHED_AT}/documents/{DOCUMENT}/49.jpg\" width=\"1800px\" height=\"2400px\" mimeType=\"image/jpeg\"/>"
    )), "{xml}");
    assert!(xml.contains(&format!(
        "<pb n=\"49\" facs=\"{PUBLISHED_AT}/documents/{DOCUMENT}/49.jpg\"/>"
    )));
    assert!(
        xml.contains(&format!(
            "\"{PUBLISHED_AT}/documents/{DOCUMENT}/{}\"",
            web(&root, 49)
        )),
        "the surface holds the copy for the screen"
    );
    let out = Command::new("jing")
        .arg(repository_root().join("tests/schemas/tei_all.rng"))
        .arg(&tei)
        .output()
        .expect("jing runs (scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The manifest, validated by ajv against the IIIF Presentation 3 schema.
#[test]
fn the_manifest_is_valid_iiif_presentation_3() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    let scans = edition_with_scans(&root);
    let site = BuiltSite::build_at(&root, PUBLISHED_AT);
    let path = site
        .output
        .join(format!("documents/{DOCUMENT}/manifest.json"));
    let validate = |file: &Path| {
        Command::new("node")
            .arg(repository_root().join("site-tests/js/validate-json.mjs"))
            .arg("--draft-07")
            .arg(repository_root().join("tests/schemas/iiif_3_0.json"))
            .arg(file)
            .output()
            .expect("node runs (scripts/test installs it)")
    };
    let out = validate(&path);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let manifest: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let canvases = manifest["items"].as_array().unwrap();
    assert_eq!(canvases.len(), scans.len(), "a canvas per page image");
    assert_eq!(canvases[0]["label"]["none"][0], "49");
    assert_eq!(
        (
            canvases[0]["width"].as_u64(),
            canvases[0]["height"].as_u64()
        ),
        (Some(1800), Some(2400))
    );
    let body = &canvases[0]["items"][0]["items"][0]["body"];
    assert_eq!(
        body["id"],
        format!("{PUBLISHED_AT}/documents/{DOCUMENT}/{}", web(&root, 49))
    );
    let thumbnail_id = &canvases[0]["thumbnail"][0]["id"];
    assert_eq!(
        thumbnail_id,
        &format!(
            "{PUBLISHED_AT}/documents/{DOCUMENT}/{}",
            thumbnail(&root, 49)
        )
    );
    assert_eq!(body["width"], 1600);
    let see_also: Vec<&str> = manifest["seeAlso"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["format"].as_str().unwrap())
        .collect();
    assert_eq!(see_also, ["application/tei+xml", "application/json"]);
    let labels: Vec<&str> = manifest["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["label"]["en"][0].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Title", "Date", "Archive"]);

    // The schema is no formality: a manifest without an address is refused.
    let mut broken = manifest.clone();
    broken["id"] = Value::String("manifest.json".into());
    let broken_path = dir.path().join("broken.json");
    std::fs::write(&broken_path, serde_json::to_vec(&broken).unwrap()).unwrap();
    assert!(!validate(&broken_path).status.success());
}

/// In Chromium, from the file system: the viewer appears with its toggle, shows
/// the page of the marker above the reading line as the text scrolls, says so
/// where a page has no image, zooms and pans, and is left out of print.
#[test]
fn the_viewer_follows_the_reader_past_page_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    edition_with_scans(&root);
    let site = BuiltSite::try_build(&root, true).expect("the edition builds");
    let page = site.output.join(format!("documents/{DOCUMENT}/index.html"));
    let mut browser = Browser::launch();
    let mut tab = browser.tab(1280, 900);
    tab.open(&page);
    assert_eq!(
        tab.eval("document.querySelector('[data-facsimile]').hidden"),
        Value::Bool(true)
    );
    let clicked = tab.eval("(() => { const b = document.querySelector('[data-facsimile-toggle]'); b.click(); return b.getAttribute('aria-pressed'); })()");
    assert_eq!(clicked, "true");
    assert_eq!(
        tab.eval("document.querySelector('[data-facsimile]').hidden"),
        Value::Bool(false)
    );
    // Side by side gave way to the original beside the images.
    assert_eq!(
        tab.eval("document.querySelector('article').classList.contains('view-original')"),
        Value::Bool(true)
    );

    // Scroll so that the marker of `label` is just above the reading line (a third
    // down the window): the viewer shows that page.
    let scroll_to = |tab: &mut site_tests::browser::Tab, label: &str| {
        tab.eval(&format!(
            "(() => {{ const m = document.querySelector('.parallel:not(.other-translation) .cell.original .pb[data-page=\"{label}\"]'); \
             window.scrollTo(0, window.scrollY + m.getBoundingClientRect().top - window.innerHeight / 3 + 10); return true; }})()"
        ));
    };
    let shown = "(() => { const p = document.querySelector('[data-facsimile]'); const img = p.querySelector('.facsimile-frame img'); \
                 return [p.getAttribute('data-current'), getComputedStyle(img).display === 'none' ? '' : img.getAttribute('src'), img.alt, p.querySelector('.facsimile-missing').hidden ? '' : p.querySelector('.facsimile-missing').textContent]; })()";
    for (label, src, missing) in [
        ("50", web(&root, 50), ""),
        ("52", web(&root, 52), ""),
        ("51", String::new(), "No image of page 51."),
        ("56", web(&root, 56), ""),
    ] {
        scroll_to(&mut tab, label);
        tab.wait_until(
            &format!("document.querySelector('[data-facsimile]').getAttribute('data-current') === '{label}'"),
            Duration::from_secs(5),
        );
        let now = tab.eval(shown);
        assert_eq!(now[0], label);
        assert_eq!(now[1], src, "page {label}");
        assert_eq!(now[3], missing, "page {label}");
        if !src.is_empty() {
            assert!(now[2]
                .as_str()
                .unwrap()
                .starts_with(&format!("Page {label} of ")));
            tab.wait_until(
                "document.querySelector('.facsimile-frame img').complete && document.querySelector('.facsimile-frame img').naturalWidth > 0",
                Duration::from_secs(5),
            );
        }
    }
    // The panel stays in view as the text scrolls.
    let top = tab.eval("document.querySelector('[data-facsimile]').getBoundingClientRect().top");
    assert!(
        top.as_f64().unwrap().abs() < 20.0,
        "the viewer is in view: {top}"
    );
    tab.screenshot(&screenshot_path("facsimile-1280.png"));

    // Zoom: the buttons and the keyboard; pan with the arrows; Fit undoes it.
    let transform = "document.querySelector('.facsimile-frame img').style.transform";
    tab.eval("document.querySelector('[data-zoom=\"in\"]').click()");
    assert!(tab.eval(transform).as_str().unwrap().contains("scale(1.5)"));
    tab.eval("document.querySelector('.facsimile-frame').focus()");
    tab.press("+");
    assert!(
        tab.eval(transform)
            .as_str()
            .unwrap()
            .contains("scale(2.25)"),
        "{}",
        tab.eval(transform)
    );
    let before = tab.eval(transform);
    tab.press("ArrowRight");
    assert_ne!(tab.eval(transform), before, "the arrows pan");
    tab.press("0");
    assert!(tab.eval(transform).as_str().unwrap().contains("scale(1)"));

    // Side by side puts the images away.
    tab.eval("document.querySelector('[data-view=\"parallel\"]').click()");
    assert_eq!(
        tab.eval("document.querySelector('[data-facsimile]').hidden"),
        Value::Bool(true)
    );

    // The translation beside the images follows the original's pages (the English
    // text marks none): the rows of the hidden original say where pages turn.
    tab.eval("document.querySelector('[data-facsimile-toggle]').click()");
    tab.eval("document.querySelector('[data-view=\"translation\"]').click()");
    tab.eval("(() => { const m = document.querySelector('.cell.original .pb[data-page=\"54\"]').closest('.row'); window.scrollTo(0, window.scrollY + m.getBoundingClientRect().top - window.innerHeight / 3 + 10); })()");
    tab.wait_until(
        "document.querySelector('[data-facsimile]').getAttribute('data-current') === '54'",
        Duration::from_secs(5),
    );

    // Print leaves the viewer out.
    tab.emulate_media("print");
    assert_eq!(
        tab.eval("getComputedStyle(document.querySelector('[data-facsimile]')).display"),
        "none"
    );
    let errors = tab.errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}
