//! Regeneration you can trust, tried as an editor works: the real `dossier serve`,
//! with its real file watcher, on a copy of the example edition and on a small
//! edition made here, under long seeded sequences of ordinary edits (texts and
//! metadata edited, dates broken and fixed, bundles copied in with `cp -r`, moved
//! out and back with `mv`, renamed and deleted, register entries added, changed,
//! broken and fixed, templates, static files and free pages changed, atomic saves,
//! several edits at once). After each step settles, every file the server's output
//! folder holds is byte for byte what a fresh `dossier build` of the same files
//! writes; while the content is broken, the last good site stays, and the server
//! says why.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A small random number generator (xorshift), seeded, so that a failure can be
/// replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// `dossier serve` running on an edition; stopped when dropped.
struct Served {
    child: Child,
    root: PathBuf,
    log: Receiver<String>,
    /// Every line the server said, for messages.
    said: Vec<String>,
}

impl Served {
    /// Starts the server on the edition at `root`, from `cwd`, with `--root` given as
    /// `root_arg` (the README's default is `.`).
    fn start(root: &Path, cwd: &Path, root_arg: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--port", "0", "--root", root_arg])
            .current_dir(cwd)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (sender, log) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut served = Served {
            child,
            root: root.to_path_buf(),
            log,
            said: Vec::new(),
        };
        served.wait_for(|line| line.contains("Serving"), "the server to start");
        served
    }

    /// Waits for a line the server says, at most 60 s.
    fn wait_for(&mut self, found: impl Fn(&str) -> bool, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    let hit = found(&line);
                    self.said.push(line);
                    if hit {
                        return;
                    }
                }
                Err(_) => panic!(
                    "waited for {what}; the server said:\n{}",
                    self.said.join("\n")
                ),
            }
        }
    }

    /// What the server says within `time`.
    fn lines_within(&mut self, time: Duration) -> Vec<String> {
        let deadline = Instant::now() + time;
        let mut lines = Vec::new();
        while let Ok(line) = self
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.said.push(line.clone());
            lines.push(line);
        }
        lines
    }

    fn output(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Waits (at most 30 s) until the served folder holds `files`, byte for byte.
    fn settle_on(&mut self, files: &BTreeMap<String, Vec<u8>>, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let served = files_of(&self.output());
            if &served == files {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "{what}: the served site is not a fresh build:\n{}\nthe server said:\n{}",
                    difference(&served, files),
                    self.said.join("\n")
                );
            }
            self.lines_within(Duration::from_millis(100));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file below `folder` with its contents.
fn files_of(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !folder.exists() {
        return files;
    }
    // The server may be writing meanwhile: what vanishes is left out (and the
    // caller looks again).
    for entry in walkdir::WalkDir::new(folder).into_iter().flatten() {
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(folder).unwrap();
            if let Ok(contents) = std::fs::read(entry.path()) {
                files.insert(path.to_string_lossy().into_owned(), contents);
            }
        }
    }
    files
}

/// What differs between two sets of files, for messages.
fn difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    let mut lines = Vec::new();
    for (path, contents) in a {
        match b.get(path) {
            None => lines.push(format!("only served: {path}")),
            Some(other) if other != contents => lines.push(format!("differs: {path}")),
            _ => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        lines.push(format!("only built: {path}"));
    }
    lines.truncate(12);
    lines.join("\n")
}

/// A fresh build of the edition at `root` (into a folder outside it): its files,
/// or `None` if the content is broken.
fn fresh_build(root: &Path, scratch: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let output = scratch.join("fresh");
    let _ = std::fs::remove_dir_all(&output);
    let built = dossier::build(&dossier::BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        base_url: None,
        relative: false,
    });
    match built {
        Ok(_) => Some(files_of(&output)),
        Err(e) => {
            if std::env::var_os("REGENERATION_DEBUG").is_some() {
                eprintln!("build failed: {e}");
            }
            None
        }
    }
}

/// One edit an editor makes, by kind.
#[derive(Debug, Clone, Copy)]
enum Edit {
    Text,
    Metadata,
    BreakDate,
    FixDates,
    CopyBundle,
    MoveOut,
    MoveIn,
    Rename,
    Delete,
    AddPerson,
    ChangeDescription,
    BreakRegister,
    FixRegister,
    Template,
    Static,
    AddPage,
    RemovePage,
    AtomicSave,
    /// A whole folder of the edition moved out, or back in.
    MoveFolder,
}

const EDITS: [Edit; 19] = [
    Edit::Text,
    Edit::Metadata,
    Edit::BreakDate,
    Edit::FixDates,
    Edit::CopyBundle,
    Edit::MoveOut,
    Edit::MoveIn,
    Edit::Rename,
    Edit::Delete,
    Edit::AddPerson,
    Edit::ChangeDescription,
    Edit::BreakRegister,
    Edit::FixRegister,
    Edit::Template,
    Edit::Static,
    Edit::AddPage,
    Edit::RemovePage,
    Edit::AtomicSave,
    Edit::MoveFolder,
];

/// An edition being edited, and a place outside it to move bundles to.
struct Editor {
    root: PathBuf,
    aside: PathBuf,
    random: Random,
    made: usize,
}

impl Editor {
    fn documents(&self) -> PathBuf {
        self.root.join("content/documents")
    }

    fn bundles(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(self.documents())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        ids.sort();
        ids
    }

    fn set_aside(&self) -> Vec<String> {
        let mut ids: Vec<String> = std::fs::read_dir(&self.aside)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !["templates", "content-pages", "static"].contains(&n.as_str()))
            .collect();
        ids.sort();
        ids
    }

    fn new_name(&mut self, stem: &str) -> String {
        self.made += 1;
        format!("{stem}-{}", self.made)
    }

    fn run(program: &str, args: &[&Path]) {
        let status = Command::new(program).args(args).status().unwrap();
        assert!(status.success(), "{program} {args:?}");
    }

    fn rewrite(path: &Path, change: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, change(text)).unwrap();
    }

    /// A text file of a bundle that has one.
    fn some_text(&mut self) -> Option<PathBuf> {
        let bundles = self.bundles();
        if bundles.is_empty() {
            return None;
        }
        let bundle = self.documents().join(self.random.pick(&bundles));
        let mut texts: Vec<PathBuf> = std::fs::read_dir(&bundle)
            .ok()?
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                name.ends_with(".md") && name != "index.md"
            })
            .collect();
        texts.sort();
        (!texts.is_empty()).then(|| self.random.pick(&texts).clone())
    }

    /// Makes one edit; what it did, for messages.
    fn apply(&mut self, edit: Edit) -> String {
        let words = [
            "Mao Zedong",
            "Ким Ир Сен",
            "Pyongyang",
            "the plenum",
            "тов. Микоян",
        ];
        match edit {
            Edit::Text | Edit::AtomicSave => {
                let Some(text) = self.some_text() else {
                    return "no text to edit".into();
                };
                let word = *self.random.pick(&words);
                let n = self.random.next() % 1000;
                let new = std::fs::read_to_string(&text).unwrap().replacen(
                    ". ",
                    &format!(", {word} ({n}). "),
                    1,
                ) + &format!("\n{word} said {n}.\n");
                if matches!(edit, Edit::AtomicSave) {
                    // Written beside, then renamed over: a new inode.
                    let name = text.file_name().unwrap().to_string_lossy().into_owned();
                    let beside = text.with_file_name(format!(".{name}.swp"));
                    std::fs::write(&beside, new).unwrap();
                    std::fs::rename(&beside, &text).unwrap();
                } else {
                    std::fs::write(&text, new).unwrap();
                }
                format!("{edit:?} {}", text.display())
            }
            Edit::Metadata => {
                let bundles = self.bundles();
                if bundles.is_empty() {
                    return "no bundle".into();
                }
                let index = self
                    .documents()
                    .join(self.random.pick(&bundles))
                    .join("index.md");
                let n = self.random.next() % 100;
                Self::rewrite(&index, |t| {
                    t.replacen("title: \"", &format!("title: \"({n}) "), 1)
                        .replacen("tags: [", "tags: [\"edited\", ", 1)
                });
                format!("metadata {}", index.display())
            }
            Edit::BreakDate => {
                let bundles = self.bundles();
                if bundles.is_empty() {
                    return "no bundle".into();
                }
                let index = self
                    .documents()
                    .join(self.random.pick(&bundles))
                    .join("index.md");
                Self::rewrite(&index, |t| {
                    if t.contains("1956-13-45") {
                        t
                    } else {
                        t.replacen("\ndate: ", "\ndate: 1956-13-45 #was ", 1)
                    }
                });
                format!("broke the date of {}", index.display())
            }
            Edit::FixDates => {
                for id in self.bundles() {
                    let index = self.documents().join(id).join("index.md");
                    if index.exists() {
                        Self::rewrite(&index, |t| t.replace("date: 1956-13-45 #was ", "date: "));
                    }
                }
                "fixed the dates".into()
            }
            Edit::CopyBundle => {
                let bundles = self.bundles();
                if bundles.is_empty() {
                    return "no bundle".into();
                }
                let from = self.documents().join(self.random.pick(&bundles));
                let to = self.documents().join(self.new_name("copy"));
                Self::run("cp", &[Path::new("-r"), &from, &to]);
                format!("cp -r {} {}", from.display(), to.display())
            }
            Edit::MoveOut => {
                let bundles = self.bundles();
                if bundles.len() < 2 {
                    return "kept the last bundle".into();
                }
                let from = self.documents().join(self.random.pick(&bundles));
                let to = self.aside.join(from.file_name().unwrap());
                Self::run("mv", &[&from, &to]);
                format!("mv {} out", from.display())
            }
            Edit::MoveIn => {
                let aside = self.set_aside();
                if aside.is_empty() {
                    return "nothing set aside".into();
                }
                let id = self.random.pick(&aside).clone();
                let to = self.documents().join(self.new_name(&id));
                Self::run("mv", &[&self.aside.join(&id), &to]);
                format!("mv in {}", to.display())
            }
            Edit::Rename => {
                let bundles = self.bundles();
                if bundles.is_empty() {
                    return "no bundle".into();
                }
                let from = self.documents().join(self.random.pick(&bundles));
                let to = self.documents().join(self.new_name("renamed"));
                Self::run("mv", &[&from, &to]);
                format!("mv {} {}", from.display(), to.display())
            }
            Edit::Delete => {
                let bundles = self.bundles();
                if bundles.len() < 2 {
                    return "kept the last bundle".into();
                }
                let gone = self.documents().join(self.random.pick(&bundles));
                Self::run("rm", &[Path::new("-r"), &gone]);
                format!("rm -r {}", gone.display())
            }
            Edit::AddPerson => {
                let id = self.new_name("test-person");
                let people = self.root.join("content/people.yaml");
                Self::rewrite(&people, |t| {
                    format!("{t}\n{id}:\n  name: \"Testov {id}\"\n  aliases: [\"Testov\", \"Тестов\"]\n  description: \"Added by a test.\"\n")
                });
                format!("added {id}")
            }
            Edit::ChangeDescription => {
                let people = self.root.join("content/people.yaml");
                let n = self.random.next() % 1000;
                Self::rewrite(&people, |t| {
                    t.replacen("description: \"", &format!("description: \"({n}) "), 1)
                });
                "changed a description".into()
            }
            Edit::BreakRegister => {
                let people = self.root.join("content/people.yaml");
                Self::rewrite(&people, |t| {
                    if t.contains("broken: [") {
                        t
                    } else {
                        format!("{t}\nbroken: [\n")
                    }
                });
                "broke people.yaml".into()
            }
            Edit::FixRegister => {
                let people = self.root.join("content/people.yaml");
                Self::rewrite(&people, |t| {
                    t.lines()
                        .filter(|l| *l != "broken: [")
                        .map(|l| format!("{l}\n"))
                        .collect()
                });
                "fixed people.yaml".into()
            }
            Edit::Template => {
                let templates = self.root.join("templates");
                let n = self.random.next() % 1000;
                let name = *self.random.pick(&["page.html", "base.html", "entry.html"]);
                let path = templates.join(name);
                if !path.exists() {
                    return "no template".into();
                }
                Self::rewrite(&path, |t| {
                    t.replacen("</main>", &format!("<!-- {n} --></main>"), 1)
                        .replacen("<h1>", &format!("<h1 data-n=\"{n}\">"), 1)
                });
                format!("template {name}")
            }
            Edit::Static => {
                let path = self.root.join("static/extra.css");
                if path.exists() && self.random.below(3) == 0 {
                    std::fs::remove_file(&path).unwrap();
                    "removed static/extra.css".into()
                } else {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(
                        &path,
                        format!("p {{ margin: {}px }}\n", self.random.below(50)),
                    )
                    .unwrap();
                    "wrote static/extra.css".into()
                }
            }
            Edit::AddPage => {
                let slug = self.new_name("note");
                let pages = self.root.join("content/pages");
                std::fs::create_dir_all(&pages).unwrap();
                std::fs::write(
                    pages.join(format!("{slug}.md")),
                    format!("---\ntitle: \"Note {slug}\"\n---\nA note on [Mao](@mao-zedong).\n"),
                )
                .unwrap();
                format!("added page {slug}")
            }
            Edit::MoveFolder => {
                let folder = *self.random.pick(&["templates", "content/pages", "static"]);
                let inside = self.root.join(folder);
                let outside = self.aside.join(folder.replace('/', "-"));
                if inside.exists() {
                    // Made again since it was moved out (a static file written).
                    if outside.exists() {
                        Self::run("rm", &[Path::new("-r"), &outside]);
                    }
                    Self::run("mv", &[&inside, &outside]);
                    format!("mv {folder} out")
                } else if outside.exists() {
                    Self::run("mv", &[&outside, &inside]);
                    format!("mv {folder} back in")
                } else {
                    "no folder to move".into()
                }
            }
            Edit::RemovePage => {
                let pages = self.root.join("content/pages");
                let notes: Vec<PathBuf> = std::fs::read_dir(&pages)
                    .map(|d| {
                        d.map(|e| e.unwrap().path())
                            .filter(|p| p.to_string_lossy().contains("note-"))
                            .collect()
                    })
                    .unwrap_or_default();
                match notes.first() {
                    Some(page) => {
                        std::fs::remove_file(page).unwrap();
                        format!("removed {}", page.display())
                    }
                    None => "no page to remove".into(),
                }
            }
        }
    }
}

/// Edits the edition at `root` while `dossier serve` runs on it, `steps` times,
/// checking the served site against fresh builds after each.
fn edit_while_serving(root: &Path, cwd: &Path, root_arg: &str, seed: u64, steps: usize) {
    let scratch = tempfile::tempdir().unwrap();
    let aside = scratch.path().join("aside");
    std::fs::create_dir_all(&aside).unwrap();
    let mut served = Served::start(root, cwd, root_arg);
    // Nothing changed: nothing is rebuilt.
    let said = served.lines_within(Duration::from_millis(1500));
    assert!(
        !said.iter().any(|l| l.contains("Rebuilt")),
        "rebuilt with no edit: {said:?}"
    );
    let mut editor = Editor {
        root: root.to_path_buf(),
        aside,
        random: Random(seed),
        made: 0,
    };
    let mut last_good = fresh_build(root, scratch.path()).expect("the edition builds");
    assert_eq!(
        files_of(&served.output()),
        last_good,
        "the first build is a build"
    );
    for step in 0..steps {
        // Most steps are one edit; some are several at once.
        let count = if editor.random.below(5) == 0 { 3 } else { 1 };
        let mut done = Vec::new();
        for _ in 0..count {
            // Every kind of edit comes round, in a random order within each round.
            let edit = if step < EDITS.len() && count == 1 {
                EDITS[(step * 7) % EDITS.len()]
            } else {
                *editor.random.pick(&EDITS)
            };
            done.push(editor.apply(edit));
        }
        let expected = fresh_build(root, scratch.path());
        match expected {
            Some(files) => {
                served.settle_on(&files, &format!("seed {seed}, step {step} ({done:?})"));
                last_good = files;
            }
            None => {
                let untouched = [
                    "no text to edit",
                    "no bundle",
                    "kept the last bundle",
                    "nothing set aside",
                    "no page to remove",
                    "no template",
                    "no folder to move",
                ];
                if done.iter().all(|d| untouched.contains(&d.as_str())) {
                    continue;
                }
                // The server says why, and the last good site stays.
                served.wait_for(
                    |line| line.contains("rebuild failed"),
                    &format!("the failure of step {step} ({done:?}) to be reported"),
                );
                let served_files = files_of(&served.output());
                assert!(
                    served_files == last_good,
                    "seed {seed}, step {step} ({done:?}): the last good site changed:\n{}",
                    difference(&served_files, &last_good)
                );
            }
        }
    }
    // Whatever was broken, fixed: the site is a fresh build again.
    editor.apply(Edit::FixDates);
    editor.apply(Edit::FixRegister);
    let files = fresh_build(root, scratch.path()).expect("fixed");
    served.settle_on(&files, &format!("seed {seed}, after the fixes"));
}

/// The seed: fixed, so that a failure can be replayed; `REGENERATION_SEED` tries
/// others.
fn seed(default: u64) -> u64 {
    std::env::var("REGENERATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn serving_the_example_edition_through_random_edits_always_shows_a_fresh_build() {
    let edition = common::copy_of_example(true);
    edit_while_serving(edition.path(), edition.path(), ".", seed(1956), 100);
}

#[test]
fn serving_a_small_edition_through_random_edits_always_shows_a_fresh_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    write_small_edition(&root);
    // Given by an absolute path this time.
    let absolute = root.to_string_lossy().into_owned();
    edit_while_serving(&root, dir.path(), &absolute, seed(1957), 80);
}

#[test]
fn a_root_given_relatively_from_elsewhere_sees_every_edit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("edition");
    write_small_edition(&root);
    edit_while_serving(&root, dir.path(), "./edition/", seed(1958), 20);
}

/// A small edition: a few people, events and documents naming them.
fn write_small_edition(root: &Path) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("documents")).unwrap();
    std::fs::write(
        content.join("site.yaml"),
        "title: \"A small edition\"\nlanguage: en\nlanguages: [ru, en]\n",
    )
    .unwrap();
    std::fs::write(
        content.join("people.yaml"),
        "mao-zedong:\n  name: \"Mao Zedong\"\n  aliases: [\"Mao\", \"Мао\"]\n  description: \"Chairman.\"\n\
         kim-il-sung:\n  name: \"Kim Il Sung\"\n  aliases: [\"Ким Ир Сен\"]\n  description: \"Leader.\"\n\
         anastas-mikoyan:\n  name: \"Anastas Mikoyan\"\n  aliases: [\"Микоян\", \"Mikoyan\"]\n  description: \"Envoy.\"\n",
    )
    .unwrap();
    std::fs::write(
        content.join("events.yaml"),
        "the-plenum:\n  name: \"The August Plenum\"\n  aliases: [\"the plenum\"]\n  date: 1956-08-30\n  participants: [kim-il-sung]\n",
    )
    .unwrap();
    for i in 0..6 {
        let bundle = content.join(format!("documents/note-{i}"));
        std::fs::create_dir_all(&bundle).unwrap();
        std::fs::write(
            bundle.join("index.md"),
            format!(
                "---\ntitle: \"Note {i}\"\ndate: 1956-09-{:02}\noriginal_language: ru\ntags: [\"t{}\"]\n---\nA headnote on Mao.\n",
                10 + i,
                i % 3
            ),
        )
        .unwrap();
        std::fs::write(
            bundle.join("ru.md"),
            format!("Тов. Микоян и Ким Ир Сен говорили. {i}\n\n{{pb 2}}\n\nВторой абзац, Мао.\n"),
        )
        .unwrap();
        std::fs::write(
            bundle.join("en.md"),
            format!("Cde. Mikoyan and Kim spoke. {i}\n\n{{pb 2}}\n\nA second paragraph on the plenum, Mao.\n"),
        )
        .unwrap();
    }
}
