//! What the integration tests share: copies of the example edition to work on.

use std::path::Path;

/// Copies the folder `from` to `to`, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A temporary folder holding a copy of the example edition's `content/` (and, if
/// asked, its `templates/`).
pub fn copy_of_example(with_templates: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repository.join("content"), &dir.path().join("content"));
    if with_templates {
        copy_tree(&repository.join("templates"), &dir.path().join("templates"));
    }
    dir
}

/// Adds `count` small documents to the edition at `root` (`extra-1`, `extra-2`...),
/// each dated a day after the last, tagged `extra`, naming Kim Il Sung and the
/// KWP: lists long enough to take several pages. (Not every test crate that includes this module
/// uses it.)
#[allow(dead_code)]
pub fn add_documents(root: &Path, count: usize) {
    for n in 1..=count {
        write_document(root, n);
    }
}

/// Writes document `extra-<n>` (see [`add_documents`]).
#[allow(dead_code)]
pub fn write_document(root: &Path, n: usize) {
    let bundle = root.join(format!("content/documents/extra-{n}"));
    std::fs::create_dir_all(&bundle).unwrap();
    let day = n - 1;
    let (year, day) = (1957 + day / 300, day % 300);
    let (month, day) = (day / 25 + 1, day % 25 + 1);
    std::fs::write(
        bundle.join("index.md"),
        format!(
            "---\ntitle: \"Note {n}\"\ndate: {year}-{month:02}-{day:02}\ntags: [extra]\noriginal_language: en\n---\n"
        ),
    )
    .unwrap();
    std::fs::write(
        bundle.join("en.md"),
        format!("Kim Il Sung of the KWP received note {n}.\n"),
    )
    .unwrap();
}
