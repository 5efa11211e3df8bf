//! One rule for symbolic links in `content/`, `templates/` and `static/`: a link
//! whose target is inside the edition's folder is followed, as if the file were
//! where the link is; one that leads outside, leads nowhere or loops is an error at
//! the link's path, and nothing behind it is read or published.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output};

const CABLE: &str = "content/documents/mikoyan-cable-from-beijing";

fn build(root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build"])
        .current_dir(root)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Moves `relative` to `drafts/` (inside the edition) and links it back.
fn link_from_drafts(root: &Path, relative: &str) {
    let drafts = root.join("drafts");
    std::fs::create_dir_all(&drafts).unwrap();
    let name = relative.replace('/', "_");
    std::fs::rename(root.join(relative), drafts.join(&name)).unwrap();
    symlink(drafts.join(&name), root.join(relative)).unwrap();
}

#[test]
fn links_inside_the_edition_are_followed_for_texts_metadata_templates_and_assets() {
    let edition = common::copy_of_example(true);
    let root = edition.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/extra.css"), "p { margin: 0 }\n").unwrap();
    for file in [
        format!("{CABLE}/en.md"),
        format!("{CABLE}/index.md"),
        "templates/page.html".to_string(),
        "static/extra.css".to_string(),
    ] {
        link_from_drafts(root, &file);
    }
    // A whole bundle, linked under another id.
    symlink(
        root.join(CABLE),
        root.join("content/documents/the-cable-again"),
    )
    .unwrap();
    let out = build(root);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(
        root.join("public/documents/mikoyan-cable-from-beijing/index.html"),
    )
    .unwrap();
    assert!(
        page.contains("lang=\"en\""),
        "the linked translation is shown"
    );
    assert!(
        page.contains("Cable from Cde. Mikoyan from Beijing"),
        "the linked metadata is read"
    );
    assert!(root
        .join("public/documents/the-cable-again/index.html")
        .is_file());
    assert_eq!(
        std::fs::read_to_string(root.join("public/extra.css")).unwrap(),
        "p { margin: 0 }\n"
    );
}

#[test]
fn links_leading_outside_are_errors_at_their_path_and_nothing_is_published() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: \"A secret\"\n---\nSECRET WORDS\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.css"), "SECRET STYLE").unwrap();
    for (at, target) in [
        ("content/pages/secret.md", "secret.md"),
        (&format!("{CABLE}/de.md") as &str, "secret.md"),
        ("static/secret.css", "secret.css"),
        ("templates/secret.html", "secret.md"),
    ] {
        let edition = common::copy_of_example(true);
        let root = edition.path();
        std::fs::create_dir_all(root.join("static")).unwrap();
        symlink(outside.path().join(target), root.join(at)).unwrap();
        let out = build(root);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{at}: {err}");
        assert!(
            err.contains(&format!("{at}:1:1: error: a symbolic link to `"))
                && err.contains("outside the edition's folder"),
            "{at}: {err}"
        );
        assert!(!root.join("public").exists(), "{at}: nothing written");
    }
}

#[test]
fn links_that_lead_nowhere_or_loop_are_errors_at_their_path() {
    let edition = common::copy_of_example(true);
    let root = edition.path();
    symlink(root.join("nothing.md"), root.join(format!("{CABLE}/de.md"))).unwrap();
    symlink(root.join("content"), root.join("content/pages/everything")).unwrap();
    let out = build(root);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("{CABLE}/de.md:1:1: error: a symbolic link to `"))
            && err.contains("which does not exist"),
        "{err}"
    );
    assert!(
        err.contains("content/pages/everything:1:1: error: a symbolic link to a folder that holds it (a loop)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
