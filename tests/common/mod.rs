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
