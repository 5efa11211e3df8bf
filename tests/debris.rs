//! Builds that are killed leave their staging folder beside the output; the next
//! build removes it. The real binary, killed for real.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Copies of each document of the example edition: enough for a build that takes
/// a second or more (unoptimised), so a kill lands in the middle of it.
const COPIES: usize = 150;

/// The example edition with every document copied `COPIES` times under new ids.
fn big_edition() -> (tempfile::TempDir, usize) {
    let dir = common::copy_of_example(false);
    let documents = dir.path().join("content/documents");
    let originals: Vec<_> = std::fs::read_dir(&documents)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for original in &originals {
        let id = original.file_name().unwrap().to_string_lossy().into_owned();
        for i in 0..COPIES {
            common::copy_tree(original, &documents.join(format!("{id}-copy-{i}")));
        }
    }
    let count = originals.len() * (COPIES + 1);
    (dir, count)
}

fn start_build(root: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The folders beside the output that a build stages in or retires to.
fn debris(root: &Path) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public.tmp-") || name.starts_with(".public.old-"))
        .collect();
    found.sort();
    found
}

/// Starts a build and stops it (`how`) as soon as its staging folder is there: its
/// process id, and its staging folder if it was stopped in the middle. (A machine fast enough
/// may finish the build first, which leaves no debris, and is fine.)
fn killed_build(root: &Path, how: fn(&mut Child)) -> (u32, Option<String>) {
    let mut child = start_build(root);
    let name = format!(".public.tmp-{}", child.id());
    let staging = root.join(&name);
    let deadline = Instant::now() + Duration::from_secs(60);
    // Once the folder is there, its mark follows at once (allowed a second).
    let mut marked_by = None;
    loop {
        let made = staging.is_dir();
        if made && marked_by.is_none() {
            marked_by = Some(Instant::now() + Duration::from_secs(1));
        }
        if staging.join(".dossier").is_file() || marked_by.is_some_and(|t| Instant::now() > t) {
            how(&mut child);
            break;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    // Waited for, so that the process is gone (not a zombie, which /proc still lists).
    let status = child.wait().unwrap();
    let pid = child.id();
    (pid, (!status.success() && staging.exists()).then_some(name))
}

fn sigkill(child: &mut Child) {
    child.kill().unwrap();
}

fn sigterm(child: &mut Child) {
    let sent = Command::new("kill")
        .args(["-s", "TERM", &child.id().to_string()])
        .status();
    if !sent.is_ok_and(|s| s.success()) {
        let _ = child.kill();
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_build_removes_what_killed_builds_left() {
    let (dir, documents) = big_edition();
    let root = dir.path();

    // Killed before there was an output, then with one. Each build removes what the
    // one before left: only the last one's folder is ever there.
    let mut stopped = 0;
    for (how, build_before) in [
        (sigkill as fn(&mut Child), false),
        (sigterm, true),
        (sigkill, false),
    ] {
        if build_before {
            assert!(start_build(root).wait().unwrap().success());
        }
        let (pid, staging) = killed_build(root, how);
        let left = debris(root);
        if let Some(name) = &staging {
            stopped += 1;
            assert_eq!(
                left,
                std::slice::from_ref(name),
                "only the last killed build's folder"
            );
        }
        // Whatever was left (a staging folder; a former output, if a kill came while
        // it was being removed) is the last build's, and carries the mark.
        for name in &left {
            assert!(
                name.ends_with(&format!("-{pid}")),
                "{name} is not the last build's"
            );
            assert!(
                root.join(name).join(".dossier").is_file(),
                "{name} carries the mark"
            );
        }
    }
    eprintln!("{stopped} of 3 builds stopped in the middle");
    // Someone else's folder, named like debris but not marked, stays.
    let theirs = root.join(".public.tmp-1234567");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), "mine").unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(debris(root), [".public.tmp-1234567"], "no debris left");
    assert!(theirs.join("notes.txt").is_file());

    // The output is whole: every document's page is there.
    let public = root.join("public");
    assert!(public.join(".dossier").is_file());
    assert!(public.join("index.html").is_file());
    let pages = std::fs::read_dir(public.join("documents"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    assert_eq!(pages, documents);
}
