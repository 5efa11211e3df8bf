//! The cost of a build grows linearly with what the edition holds, however it is
//! shaped: each case builds an edition with some input, then with twice as much, and
//! compares the two times in one run (the least of three builds each, so that another
//! process's moment on this shared machine does not decide). Linear work doubles;
//! the quadratic work these cases once hit (a position counted from the file's start
//! for every problem, every name of a paragraph checked against every piece of it,
//! every pair of the people one document names) made it four times and more.

mod common;

use dossier::BuildOptions;
use std::path::Path;

const TEXT: &str = "content/documents/mikoyan-cable-from-beijing/en.md";

/// The least CPU time (of the whole process, all threads) of three builds of the
/// example edition with `change` made to it. CPU time rather than time on the
/// clock: on a shared machine another process's work lengthens the second, not
/// the first.
fn build_time(change: &dyn Fn(&Path)) -> f64 {
    // In memory where the machine has it: the disk's moments are not the build's.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &dir.path().join("content"),
    );
    change(dir.path());
    (0..3)
        .map(|run| {
            let options = BuildOptions {
                root: dir.path().to_path_buf(),
                output: dir.path().join(format!("public-{run}")),
                base_url: None,
                relative: false,
            };
            let started = cpu_seconds();
            // Errors too are part of the cost (unknown ids are errors).
            let _ = dossier::build(&options);
            cpu_seconds() - started
        })
        .fold(f64::INFINITY, f64::min)
}

/// The process's CPU time so far, user and system, from /proc (ticks of 10 ms).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux's /proc");
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("a command name")
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

/// How many times what `change(root, n)` adds to a build it adds with `2n`: about 2
/// for work that grows linearly, 4 for work that grows with the square. One case at
/// a time: cases side by side would slow each other.
fn doubling(n: usize, change: &dyn Fn(&Path, usize)) -> f64 {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let base = build_time(&|_| {});
    let single = build_time(&|root| change(root, n)) - base;
    let double = build_time(&|root| change(root, 2 * n)) - base;
    assert!(
        single > 0.2,
        "{n} of the input costs {single:.2} s: too little to compare, make it more"
    );
    double / single
}

fn assert_linear(what: &str, ratio: f64) {
    eprintln!("{what}: twice the input, {ratio:.2} times the cost");
    assert!(
        ratio < 3.0,
        "{what}: twice the input cost {ratio:.1} times as much"
    );
}

fn write(root: &Path, file: &str, text: &str) {
    std::fs::write(root.join(file), text).unwrap();
}

#[test]
fn problems_cost_the_same_wherever_they_are_in_a_file() {
    // Markup never closed: one warning a paragraph.
    let ratio = doubling(120_000, &|root, n| {
        write(root, TEXT, &"{++ a\n\n".repeat(n))
    });
    assert_linear("unclosed insertions", ratio);
    // Links to ids no register has: one error each.
    let ratio = doubling(40_000, &|root, n| {
        let text: String = (0..n).map(|i| format!("[x](@nobody-{i})\n\n")).collect();
        write(root, TEXT, &text);
    });
    assert_linear("unknown ids", ratio);
}

#[test]
fn one_long_paragraph_of_names_and_marks_costs_what_its_length_does() {
    let unit = "Kim Il Sung {++said++} to Mikoyan {--that--} Peng Dehuai *agreed* [SIC] ";
    let ratio = doubling(6000, &|root, n| {
        write(root, TEXT, &format!("{}\n", unit.repeat(n)))
    });
    assert_linear("a paragraph of names and marks", ratio);
}

#[test]
fn a_document_naming_thousands_of_people_costs_what_its_names_do() {
    let ratio = doubling(1500, &|root, n| {
        let people = root.join("content/people.yaml");
        let mut register = std::fs::read_to_string(&people).unwrap();
        for i in 0..2 * n {
            register.push_str(&format!("p{i}:\n  name: \"Person {i}\"\n"));
        }
        std::fs::write(&people, register).unwrap();
        let index = root.join("content/documents/mikoyan-cable-from-beijing/index.md");
        let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        let meta = std::fs::read_to_string(&index).unwrap();
        std::fs::write(
            &index,
            meta.replacen(
                "title:",
                &format!("people: [{}]\ntitle:", ids.join(", ")),
                1,
            ),
        )
        .unwrap();
    });
    assert_linear("people named in one document", ratio);
}

#[test]
fn front_matter_nested_too_deep_is_an_error_at_its_place() {
    let dir = common::copy_of_example(false);
    let index = dir
        .path()
        .join("content/documents/mikoyan-cable-from-beijing/index.md");
    let meta = std::fs::read_to_string(&index).unwrap();
    let deep = format!("x: {}1{}\ntitle:", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&index, meta.replacen("title:", &deep, 1)).unwrap();
    // Found before the parser goes down (which took 70 s at this depth).
    let error = dossier::build(&BuildOptions {
        root: dir.path().to_path_buf(),
        output: dir.path().join("public"),
        base_url: None,
        relative: false,
    })
    .expect_err("too deep");
    assert!(
        error
            .to_string()
            .contains("index.md:2:68: error: lists and mappings nested more than 64 deep"),
        "{error}"
    );
}
