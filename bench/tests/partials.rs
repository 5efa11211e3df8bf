//! The parts of pages that grow with an edition (a document's rows, a person's
//! passages) are written by Rust code that must lay them out exactly as the built-in
//! templates in `templates/partials/` do (an edition may replace them). Checked on the
//! benchmark's corpus, whose texts hold every kind of markup it generates: built once
//! as it is, and once with the built-in partials as the edition's own (so Tera renders
//! them), the two sites are the same byte for byte.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn files_of(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(folder).unwrap();
                files.insert(
                    relative.to_string_lossy().into_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn build(root: &Path, output: &Path) -> BTreeMap<String, Vec<u8>> {
    dossier::build(&dossier::BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        base_url: None,
        relative: false,
    })
    .unwrap_or_else(|e| panic!("the corpus builds:\n{e}"));
    files_of(output)
}

#[test]
fn the_partials_dossier_writes_equal_the_built_in_templates_on_the_benchmark_corpus() {
    let dir = tempfile_dir();
    let corpus = dir.join("corpus");
    let status = Command::new(env!("CARGO_BIN_EXE_corpus"))
        .args([
            "--out",
            corpus.to_str().unwrap(),
            "--documents",
            "60",
            "--people",
            "40",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let written = build(&corpus, &dir.join("written"));
    let partials = corpus.join("templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/partials");
    for name in ["rows.html", "occurrences.html"] {
        std::fs::copy(repository.join(name), partials.join(name)).unwrap();
    }
    let rendered = build(&corpus, &dir.join("rendered"));
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        rendered.keys().collect::<Vec<_>>()
    );
    let mut compared = 0;
    for (path, bytes) in &written {
        assert!(
            bytes == &rendered[path],
            "{path} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&rendered[path])
        );
        compared += 1;
    }
    assert!(compared > 100, "{compared} files");
    let person = written
        .iter()
        .find(|(p, _)| p.starts_with("people/") && p.matches('/').count() == 2)
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a person page");
    assert!(person.contains("class=\"kwic "), "passages are listed");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A fresh folder under the system's temporary folder.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dossier-partials-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
