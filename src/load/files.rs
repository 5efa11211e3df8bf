//! The files of an edition, as dossier last saw them.
//!
//! `load` reads an edition through this list, never by walking the disk itself, so
//! that a build and `serve` see the same files and obey one rule for symbolic links
//! in `content/`, `templates/` and `static/`: a link whose target lies inside the
//! edition's folder is followed (the file or folder counts as if it stood where the
//! link is); a link that leads outside it, leads nowhere or loops is an error at the
//! link's path, and nothing behind it is read or published.
//!
//! Every entry has a [`Stamp`] (size, times, inode), so that after a change only the
//! paths the watcher names are looked at again ([`EditionFiles::rescan`]) and the
//! stamps tell what changed. Names starting with `.` or ending in `~` (editors' swap
//! and backup files) are not the edition's.
//!
//! Not here: what the files mean (the rest of `load`).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

/// The folders of an edition that dossier reads.
pub(crate) const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// Every file and folder of an edition's folders, by path relative to its root.
#[derive(Debug, Clone)]
pub(crate) struct EditionFiles {
    root: PathBuf,
    /// The root with every link resolved: targets must lie inside it.
    real_root: PathBuf,
    /// By path relative to the root, `/`-separated (compared as bytes: a path's
    /// entries below it are those that start with it and `/`).
    entries: BTreeMap<String, Entry>,
    /// Links that are followed, by path: where they lead.
    links: BTreeMap<String, PathBuf>,
    /// Links that cannot be followed, by path: why.
    problems: BTreeMap<String, String>,
}

/// A file or folder of the edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub is_folder: bool,
    pub stamp: Stamp,
    /// Where it is read from: its own path, or a link's target.
    pub real: PathBuf,
}

/// What tells one version of a file from another without reading it: its size, the
/// times it was written and changed, and its inode (an editor saving by writing a
/// new file and renaming it over the old one makes a new inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Stamp {
    len: u64,
    modified: i128,
    changed: i128,
    inode: u64,
    device: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                len: meta.len(),
                modified: nanoseconds(meta.mtime(), meta.mtime_nsec()),
                changed: nanoseconds(meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
                device: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let nanos = |t: io::Result<std::time::SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as i128)
            };
            Stamp {
                len: meta.len(),
                modified: nanos(meta.modified()),
                changed: nanos(meta.created()),
                inode: 0,
                device: 0,
            }
        }
    }
}

/// A Unix time (seconds and the nanoseconds past them) as one number, so that two
/// edits in the same second still differ.
#[cfg(unix)]
fn nanoseconds(seconds: i64, nanos: i64) -> i128 {
    i128::from(seconds) * 1_000_000_000 + i128::from(nanos)
}

impl EditionFiles {
    /// Looks at every file of the edition at `root`.
    pub(crate) fn scan(root: &Path) -> io::Result<Self> {
        let real_root = root.canonicalize()?;
        let mut files = Self {
            root: root.to_path_buf(),
            real_root,
            entries: BTreeMap::new(),
            links: BTreeMap::new(),
            problems: BTreeMap::new(),
        };
        for folder in FOLDERS {
            files.visit_fresh(folder);
        }
        Ok(files)
    }

    /// The edition's folder, as given.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Names the root as `root` in messages (for tests, which cannot change the
    /// folder they run in).
    #[cfg(test)]
    pub(crate) fn set_root_for_messages(&mut self, root: &Path) {
        self.root = root.to_path_buf();
    }

    /// Looks again at every file; the relative paths that appeared, went or changed.
    pub(crate) fn rescan_all(&mut self) -> BTreeSet<String> {
        let before = std::mem::take(&mut self.entries);
        self.problems.clear();
        self.links.clear();
        for folder in FOLDERS {
            self.visit_fresh(folder);
        }
        differences(&before, &self.entries)
    }

    /// Looks again at `paths` (absolute, or relative to the root; anything outside
    /// the edition's folders is left alone) and everything below them; the relative
    /// paths that appeared, went or changed.
    pub(crate) fn rescan(&mut self, paths: &[PathBuf]) -> BTreeSet<String> {
        let mut tops: BTreeSet<String> = BTreeSet::new();
        for path in paths {
            let Some(relative) = self.relative(path) else {
                continue;
            };
            // Whatever is behind a followed link is seen from the link too, and a
            // link whose target's folder changed is looked at again.
            let real = self.real_root.join(&relative);
            let linked: Vec<String> = self
                .links
                .iter()
                .filter(|(_, target)| real.starts_with(target) || target.starts_with(&real))
                .map(|(at, _)| at.clone())
                .collect();
            tops.insert(self.first_unknown_ancestor(relative));
            tops.extend(linked);
        }
        // A link that could not be followed may lead somewhere now (its target made,
        // a loop undone): they are few, and each is looked at again.
        if !tops.is_empty() {
            tops.extend(self.problems.keys().cloned());
        }
        // Folders below others are visited with them.
        let tops: Vec<String> = tops
            .iter()
            .filter(|t| !tops.iter().any(|o| is_below(t, o)))
            .cloned()
            .collect();
        let mut changed = BTreeSet::new();
        for top in tops {
            let before = self.take_below(&top);
            self.problems.retain(|p, _| !is_at_or_below(p, &top));
            self.links.retain(|p, _| !is_at_or_below(p, &top));
            self.visit_fresh(&top);
            let mut after: BTreeMap<String, Entry> = BTreeMap::new();
            if let Some(entry) = self.entries.get(&top) {
                after.insert(top.clone(), entry.clone());
            }
            let folder = format!("{top}/");
            after.extend(
                self.entries
                    .range(folder.clone()..)
                    .take_while(|(p, _)| p.starts_with(&folder))
                    .map(|(p, e)| (p.clone(), e.clone())),
            );
            changed.extend(differences(&before, &after));
        }
        changed
    }

    /// `path` relative to the root (`/`-separated), if it is inside one of the
    /// edition's folders and no part of it is hidden.
    fn relative(&self, path: &Path) -> Option<String> {
        let relative = if let Ok(below) = path.strip_prefix(&self.root) {
            below.to_path_buf()
        } else if path.is_absolute() {
            path.strip_prefix(&self.real_root).ok()?.to_path_buf()
        } else {
            path.strip_prefix(".").unwrap_or(path).to_path_buf()
        };
        let mut parts = Vec::new();
        for c in relative.components() {
            match c {
                Component::Normal(n) if is_edition_name(n) => parts.push(n.to_str()?),
                _ => return None,
            }
        }
        if !FOLDERS.contains(parts.first()?) {
            return None;
        }
        Some(parts.join("/"))
    }

    /// The highest ancestor of `relative` (itself included) that the list does not
    /// hold as a folder of its own: a folder made and filled between two looks (or
    /// made where a file or a link was) is looked at whole.
    fn first_unknown_ancestor(&self, relative: String) -> String {
        let mut top = relative.clone();
        let mut at = relative.as_str();
        while let Some((parent, _)) = at.rsplit_once('/') {
            let known = self.entries.get(parent).is_some_and(|e| e.is_folder);
            if known && !self.links.contains_key(parent) {
                break;
            }
            top = parent.to_string();
            at = parent;
        }
        top
    }

    /// Removes and returns the entries at and below `top`.
    fn take_below(&mut self, top: &str) -> BTreeMap<String, Entry> {
        let folder = format!("{top}/");
        let mut paths: Vec<String> = self
            .entries
            .range(folder.clone()..)
            .take_while(|(p, _)| p.starts_with(&folder))
            .map(|(p, _)| p.clone())
            .collect();
        paths.push(top.to_string());
        paths
            .into_iter()
            .filter_map(|p| self.entries.remove_entry(&p))
            .collect()
    }

    /// Adds `relative` and everything below it, as they are on disk now.
    fn visit_fresh(&mut self, relative: &str) {
        // Where the parent is really, and the real folders above (to see loops).
        let mut stack = Vec::new();
        let mut real_parent = self.real_root.clone();
        let (parents, name) = match relative.rsplit_once('/') {
            Some((parents, name)) => (Some(parents), name),
            None => (None, relative),
        };
        if let Some(parents) = parents {
            let mut at = String::new();
            for part in parents.split('/') {
                if !at.is_empty() {
                    at.push('/');
                }
                at.push_str(part);
                match self.entries.get(&at) {
                    Some(entry) if entry.is_folder => {
                        stack.push(entry.real.clone());
                        real_parent = entry.real.clone();
                    }
                    // The parent is not (or no longer) a folder of the edition.
                    _ => return,
                }
            }
        }
        self.visit(relative.to_string(), real_parent.join(name), &mut stack);
    }

    fn visit(&mut self, relative: String, path: PathBuf, stack: &mut Vec<PathBuf>) {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return;
        };
        let (real, meta) = if meta.file_type().is_symlink() {
            match self.follow(&path) {
                Ok(followed) => {
                    self.links.insert(relative.clone(), followed.0.clone());
                    followed
                }
                Err(problem) => {
                    self.problems.insert(relative, problem);
                    return;
                }
            }
        } else {
            (path, meta)
        };
        if meta.is_dir() {
            if stack.contains(&real) {
                self.problems.insert(
                    relative,
                    "a symbolic link to a folder that holds it (a loop): remove the link"
                        .to_string(),
                );
                return;
            }
            let Ok(listing) = std::fs::read_dir(&real) else {
                self.problems.insert(
                    relative,
                    "cannot list this folder: check its permissions".to_string(),
                );
                return;
            };
            let mut names: Vec<String> = listing
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| is_edition_name(std::ffi::OsStr::new(n)))
                .collect();
            names.sort();
            // A folder's own times change with every file made in it: what it
            // holds is what matters, and that is listed below it.
            self.entries.insert(
                relative.clone(),
                Entry {
                    is_folder: true,
                    stamp: Stamp::default(),
                    real: real.clone(),
                },
            );
            stack.push(real.clone());
            for name in names {
                let child_path = real.join(&name);
                self.visit(format!("{relative}/{name}"), child_path, stack);
            }
            stack.pop();
        } else if meta.is_file() {
            self.entries.insert(
                relative,
                Entry {
                    is_folder: false,
                    stamp: Stamp::of(&meta),
                    real,
                },
            );
        }
    }

    /// Where the link at `path` leads, if it may be followed.
    fn follow(&self, path: &Path) -> Result<(PathBuf, std::fs::Metadata), String> {
        let shown = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        let target = path.canonicalize().map_err(|e| {
            if e.raw_os_error() == Some(40) {
                format!("a symbolic link that loops (to `{shown}`): remove it")
            } else {
                format!(
                    "a symbolic link to `{shown}`, which does not exist: remove the link or \
                     point it at a file inside the edition"
                )
            }
        })?;
        if !target.starts_with(&self.real_root) {
            return Err(format!(
                "a symbolic link to `{}`, outside the edition's folder: dossier reads and \
                 publishes only what is inside it; copy the file into the edition instead",
                target.display()
            ));
        }
        let meta = std::fs::metadata(&target).map_err(|e| format!("cannot read: {e}"))?;
        Ok((target, meta))
    }

    pub(crate) fn get(&self, relative: &Path) -> Option<&Entry> {
        self.entries.get(relative.to_str()?)
    }

    pub(crate) fn is_file(&self, relative: &Path) -> bool {
        self.get(relative).is_some_and(|e| !e.is_folder)
    }

    /// The entries directly in folder `relative`, by name, in name order.
    pub(crate) fn children<'a>(
        &'a self,
        relative: &'a Path,
    ) -> impl Iterator<Item = (&'a str, &'a Entry)> + 'a {
        self.below(relative).filter_map(move |(path, entry)| {
            let rest = path.to_str()?.get(relative.to_str()?.len() + 1..)?;
            (!rest.contains('/')).then_some((rest, entry))
        })
    }

    /// Every entry below folder `relative` (not itself), in path order.
    pub(crate) fn below<'a>(
        &'a self,
        relative: &'a Path,
    ) -> impl Iterator<Item = (&'a Path, &'a Entry)> + 'a {
        let folder = format!("{}/", relative.to_str().unwrap_or("\u{0}"));
        self.entries
            .range(folder.clone()..)
            .take_while(move |(p, _)| p.starts_with(&folder))
            .map(|(p, e)| (Path::new(p.as_str()), e))
    }

    /// Links that cannot be followed: path and why.
    pub(crate) fn problems(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.problems
            .iter()
            .map(|(p, m)| (Path::new(p.as_str()), m.as_str()))
    }
}

/// Whether path `a` is below path `b`.
fn is_below(a: &str, b: &str) -> bool {
    a.len() > b.len() && a.starts_with(b) && a.as_bytes()[b.len()] == b'/'
}

fn is_at_or_below(a: &str, b: &str) -> bool {
    a == b || is_below(a, b)
}

/// Whether a file name can be part of the edition (not hidden, not a backup).
fn is_edition_name(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    !name.starts_with('.') && !name.ends_with('~')
}

/// The paths whose entry differs between `before` and `after`.
fn differences(
    before: &BTreeMap<String, Entry>,
    after: &BTreeMap<String, Entry>,
) -> BTreeSet<String> {
    let mut changed: BTreeSet<String> = before
        .iter()
        .filter(|(p, e)| after.get(*p) != Some(e))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(after.keys().filter(|p| !before.contains_key(*p)).cloned());
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[cfg(unix)]
    #[test]
    fn times_are_kept_to_the_nanosecond() {
        assert_eq!(nanoseconds(1_700_000_000, 5), 1_700_000_000_000_000_005);
        assert_eq!(nanoseconds(-2, 999_999_999), -1_000_000_001);
    }

    fn edition() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content/documents/a")).unwrap();
        fs::write(root.join("content/site.yaml"), "title: t\n").unwrap();
        fs::write(root.join("content/documents/a/index.md"), "x").unwrap();
        fs::write(root.join("content/documents/a/.index.md.swp"), "x").unwrap();
        fs::write(root.join("content/documents/a/en.md~"), "x").unwrap();
        dir
    }

    fn paths(files: &EditionFiles) -> Vec<String> {
        files.entries.keys().cloned().collect()
    }

    #[test]
    fn lists_the_edition_without_hidden_or_backup_files() {
        let dir = edition();
        let files = EditionFiles::scan(dir.path()).unwrap();
        assert_eq!(
            paths(&files),
            [
                "content",
                "content/documents",
                "content/documents/a",
                "content/documents/a/index.md",
                "content/site.yaml"
            ]
        );
        let children: Vec<&str> = files
            .children(Path::new("content/documents"))
            .map(|(n, _)| n)
            .collect();
        assert_eq!(children, ["a"]);
    }

    #[test]
    fn a_rescan_of_named_paths_finds_what_changed_below_them() {
        let dir = edition();
        let root = dir.path();
        let mut files = EditionFiles::scan(root).unwrap();
        // A bundle copied in (its folder named), a file edited, one removed.
        fs::create_dir_all(root.join("content/documents/b")).unwrap();
        fs::write(root.join("content/documents/b/index.md"), "y").unwrap();
        fs::write(root.join("content/site.yaml"), "title: changed\n").unwrap();
        let changed = files.rescan(&[
            root.join("content/documents/b"),
            root.join("content/site.yaml"),
        ]);
        let changed: Vec<String> = changed.into_iter().collect();
        assert_eq!(
            changed,
            [
                "content/documents/b",
                "content/documents/b/index.md",
                "content/site.yaml"
            ]
        );
        // Named but unchanged: nothing.
        assert!(files.rescan(&[root.join("content/documents/a")]).is_empty());
        // A file named whose folder is new is seen with its folder.
        fs::create_dir_all(root.join("content/pages")).unwrap();
        fs::write(root.join("content/pages/about.md"), "z").unwrap();
        let changed = files.rescan(&[root.join("content/pages/about.md")]);
        assert_eq!(changed.len(), 2, "{changed:?}");
        fs::remove_dir_all(root.join("content/documents/a")).unwrap();
        let changed = files.rescan(&[root.join("content/documents/a")]);
        assert_eq!(changed.len(), 2, "{changed:?}");
        assert_eq!(files.rescan_all(), BTreeSet::new());
        // Rescanning everything finds what no one named.
        fs::write(root.join("content/site.yaml"), "title: again\n").unwrap();
        fs::write(root.join("content/documents/b/en.md"), "e").unwrap();
        let changed: Vec<String> = files.rescan_all().into_iter().collect();
        assert_eq!(changed, ["content/documents/b/en.md", "content/site.yaml"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_are_followed_and_others_are_problems_at_their_path() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.md"), "secret").unwrap();
        let dir = edition();
        let root = dir.path();
        let docs = root.join("content/documents");
        fs::create_dir_all(root.join("drafts")).unwrap();
        fs::write(root.join("drafts/en.md"), "draft").unwrap();
        symlink(root.join("drafts/en.md"), docs.join("a/en.md")).unwrap();
        symlink(outside.path().join("secret.md"), docs.join("a/ru.md")).unwrap();
        symlink(docs.join("a"), docs.join("b")).unwrap();
        symlink(&docs, docs.join("a/loop")).unwrap();
        symlink(root.join("nothing"), docs.join("a/de.md")).unwrap();
        let files = EditionFiles::scan(root).unwrap();
        let en = files.get(Path::new("content/documents/a/en.md")).unwrap();
        assert!(en.real.ends_with("drafts/en.md"));
        assert!(files.is_file(Path::new("content/documents/b/index.md")));
        assert!(files.get(Path::new("content/documents/a/ru.md")).is_none());
        let problems = files.problems.clone();
        assert!(problems["content/documents/a/ru.md"].contains("outside the edition"));
        assert!(problems["content/documents/a/de.md"].contains("does not exist"));
        assert!(
            problems["content/documents/a/loop"].contains("loop"),
            "{problems:?}"
        );
        assert!(
            problems["content/documents/b/loop"].contains("loop"),
            "{problems:?}"
        );
        // A change behind a link is seen where the link is too.
        let mut files = files;
        fs::write(root.join("content/documents/a/index.md"), "changed").unwrap();
        let changed = files.rescan(&[root.join("content/documents/a/index.md")]);
        let changed: Vec<String> = changed.into_iter().collect();
        assert_eq!(
            changed,
            [
                "content/documents/a/index.md",
                "content/documents/b/index.md"
            ]
        );
    }

    /// `relative`'s ancestors from the top, and itself.
    fn path_to(relative: &str) -> Vec<String> {
        let mut paths = Vec::new();
        let mut at = String::new();
        for part in relative.split('/') {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            paths.push(at.clone());
        }
        paths
    }

    /// What a watcher reports after each of a random series of changes (only the
    /// paths it names, never the whole edition), rescanned, gives what a fresh scan
    /// gives: the same entries, links and problems, and as changed exactly the paths
    /// whose entry differs.
    #[cfg(unix)]
    #[test]
    fn rescans_of_what_a_watcher_names_agree_with_fresh_scans() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("elsewhere.md"), "x").unwrap();
        for seed in [1956_u64, 1957, 1958, 1959, 1960, 1961] {
            let dir = edition();
            let root = dir.path().to_path_buf();
            fs::create_dir_all(root.join("templates")).unwrap();
            fs::create_dir_all(root.join("static")).unwrap();
            let mut files = EditionFiles::scan(&root).unwrap();
            let mut last = EditionFiles::scan(&root).unwrap();
            let mut state = seed;
            let mut next = |n: usize| {
                // xorshift: the same series for a seed, without a crate for it.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state % n as u64) as usize
            };
            let folders = [
                "content/documents/a",
                "content/documents/b",
                "content/documents/b/deep",
                "content/pages",
                "templates/partials",
                "static",
            ];
            let names = ["index.md", "ru.md", ".ru.md.swp", "en.md~", "x"];
            for step in 0..150 {
                let folder = folders[next(folders.len())];
                let name = names[next(names.len())];
                let path = format!("{folder}/{name}");
                let other = folders[next(folders.len())];
                let at = |relative: &str| root.join(relative);
                // Changes are made where the files really are: a change made through
                // a link is seen by the watcher at the link's target, named below.
                let through_link = |relative: &str| {
                    path_to(relative).iter().rev().skip(1).any(|p| {
                        fs::symlink_metadata(at(p)).is_ok_and(|m| m.file_type().is_symlink())
                    })
                };
                if through_link(&path) || through_link(&format!("{other}-moved")) {
                    continue;
                }
                let reported: Vec<String> = match next(9) {
                    // Write a file, making its folders: the file is named.
                    0 | 1 => {
                        fs::create_dir_all(at(folder)).ok();
                        // Saved by writing a new file in its place (as editors do).
                        fs::remove_dir_all(at(&path))
                            .or_else(|_| fs::remove_file(at(&path)))
                            .ok();
                        fs::write(at(&path), format!("{step}")).ok();
                        vec![path]
                    }
                    // Remove a file or a folder: it is named.
                    2 => {
                        let target = if next(2) == 0 { &path } else { folder };
                        fs::remove_dir_all(at(target))
                            .or_else(|_| fs::remove_file(at(target)))
                            .ok();
                        vec![target.to_string()]
                    }
                    // Move a folder: both ends are named.
                    3 => {
                        let to = format!("{other}-moved");
                        if at(folder).exists() && !at(&to).exists() && !is_below(&to, folder) {
                            fs::create_dir_all(at(&to).parent().unwrap()).ok();
                            fs::rename(at(folder), at(&to)).ok();
                        }
                        vec![folder.to_string(), to]
                    }
                    // Move a folder out of the edition, or back in.
                    4 => {
                        let away = outside.path().join(folder.replace('/', "_"));
                        if at(folder).is_dir() && !away.exists() {
                            fs::rename(at(folder), &away).ok();
                        } else if away.is_dir() && !at(folder).exists() {
                            fs::create_dir_all(at(folder).parent().unwrap()).ok();
                            fs::rename(&away, at(folder)).ok();
                        }
                        vec![folder.to_string()]
                    }
                    // Links: inside, outside, dangling, looping.
                    5 => {
                        fs::create_dir_all(at(folder)).ok();
                        fs::remove_dir_all(at(&path))
                            .or_else(|_| fs::remove_file(at(&path)))
                            .ok();
                        let target = match next(4) {
                            0 => at(other),
                            1 => outside.path().join("elsewhere.md"),
                            2 => at("content/nothing"),
                            _ => at(folder),
                        };
                        symlink(target, at(&path)).ok();
                        vec![path]
                    }
                    // A file replaced by a folder of the same name; only what is
                    // inside it is named.
                    6 => {
                        let inner = format!("{path}/index.md");
                        let is_link = |p: &str| {
                            fs::symlink_metadata(at(p)).is_ok_and(|m| m.file_type().is_symlink())
                        };
                        if is_link(&path) || !at(&path).is_dir() {
                            fs::remove_file(at(&path)).ok();
                        }
                        fs::create_dir_all(at(&path)).ok();
                        fs::remove_file(at(&inner)).ok();
                        fs::write(at(&inner), "inner").ok();
                        vec![inner]
                    }
                    // Several changes at once, one of them named by a hidden name
                    // or from outside the edition's folders.
                    7 => {
                        fs::create_dir_all(at(folder)).ok();
                        fs::write(at(&format!("{folder}/en.md")), "en").ok();
                        fs::write(root.join("notes.txt"), "not the edition's").unwrap();
                        vec![
                            format!("{folder}/en.md"),
                            format!("{folder}/.hidden"),
                            "notes.txt".to_string(),
                        ]
                    }
                    // A change behind a link, named where the file really is.
                    _ => {
                        let real_root = root.canonicalize().unwrap();
                        let real = at(&path).canonicalize().ok().and_then(|real| {
                            let inside = real.strip_prefix(&real_root).ok()?;
                            Some(inside.to_str()?.to_string())
                        });
                        match real {
                            Some(real) if at(&real).is_file() => {
                                fs::write(at(&real), format!("{step} again")).unwrap();
                                vec![real]
                            }
                            _ => vec![path],
                        }
                    }
                };
                // A folder made in a watched folder is reported too (the watcher
                // sees it made, if not always what was put in it at once).
                let mut reported = reported;
                for named in reported.clone() {
                    let made = path_to(&named)
                        .into_iter()
                        .find(|p| !last.entries.contains_key(p) && at(p).is_dir());
                    if let Some(made) = made {
                        let hidden = named
                            .split('/')
                            .any(|part| part.starts_with('.') || part.ends_with('~'));
                        if hidden || next(2) == 0 {
                            reported.push(made);
                        }
                    }
                }
                let named: Vec<PathBuf> = reported.iter().map(|r| root.join(r)).collect();
                let changed = files.rescan(&named);
                let fresh = EditionFiles::scan(&root).unwrap();
                let context = format!("seed {seed}, step {step}, named {reported:?}");
                assert_eq!(files.entries, fresh.entries, "{context}");
                assert_eq!(files.links, fresh.links, "{context}");
                assert_eq!(files.problems, fresh.problems, "{context}");
                assert_eq!(
                    changed,
                    differences(&last.entries, &fresh.entries),
                    "{context}"
                );
                last = fresh;
            }
        }
    }
}
