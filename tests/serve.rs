//! `dossier serve` as an editor uses it: the real binary, on a free loopback port,
//! spoken to over TCP. Every request loop is bounded, and everything stays on
//! 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// A running `dossier serve` on a copy of the example edition; stopped when dropped.
struct Server {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
    /// The server's messages, line by line.
    log: Receiver<String>,
}

impl Server {
    fn start() -> Self {
        let dir = common::copy_of_example(false);
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["serve", "--port", "0"])
            .current_dir(dir.path())
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
        let mut server = Server {
            child,
            dir,
            port: 0,
            log,
        };
        let line = server.wait_for_log("Serving");
        let port = line
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        server.port = port;
        server
    }

    fn wait_for_log(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("the server never said {needle:?}"),
            }
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// GET `path`, raw (no normalisation): status and body.
    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    /// Subscribes to the live-reload events.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        write!(
            stream,
            "GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.contains("200"), "{status}");
        reader
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The next event of the given name whose data contains `needle` (a rebuild may
/// catch a file half-written by a non-atomic save and report that first).
fn event_containing(events: &mut BufReader<TcpStream>, name: &str, needle: &str) -> String {
    loop {
        let data = next_event(events, name);
        if data.contains(needle) {
            return data;
        }
    }
}

/// The next event of the stream with the given name: its data.
fn next_event(events: &mut BufReader<TcpStream>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut current = String::new();
    loop {
        assert!(Instant::now() < deadline, "no {name} event");
        let mut line = String::new();
        events.read_line(&mut line).expect("an event");
        let line = line.trim_end();
        if let Some(event) = line.strip_prefix("event: ") {
            current = event.to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            if current == name {
                return data.to_string();
            }
        }
    }
}

const CABLE: &str = "content/documents/mikoyan-cable-from-beijing";

#[test]
fn serves_the_site_with_live_reload_and_only_the_output_folder() {
    let server = Server::start();
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Pyongyang, September 1956"));
    assert!(
        home.contains("<script src=\"/__dossier/live.js\"></script></body>"),
        "live reload added"
    );
    let on_disk = std::fs::read_to_string(server.path("public/index.html")).unwrap();
    assert!(!on_disk.contains("__dossier"), "never in the written site");
    assert_eq!(server.get("/documents/mikoyan-cable-from-beijing/").0, 200);
    assert_eq!(server.get("/style.css").0, 200);
    assert_eq!(server.get("/__dossier/live.js").0, 200);
    for outside in [
        "/../content/site.yaml",
        "/%2e%2e/content/site.yaml",
        "/documents/..%2f..%2fcontent%2fsite.yaml",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/documents/../../content/site.yaml",
        "/no-such-page/",
    ] {
        assert_eq!(server.get(outside).0, 404, "{outside}");
    }
}

#[test]
fn an_edit_reloads_the_pages_it_changed_and_errors_show_until_fixed() {
    let mut server = Server::start();
    let mut events = server.events();

    server.edit(
        &format!("{CABLE}/en.md"),
        "We agreed with",
        "We agreed again with",
    );
    event_containing(
        &mut events,
        "reload",
        "\"/documents/mikoyan-cable-from-beijing/\"",
    );
    let (_, page) = server.get("/documents/mikoyan-cable-from-beijing/");
    assert!(page.contains("We agreed again with"), "the page is rebuilt");
    server.wait_for_log("Rebuilt");

    server.edit(
        &format!("{CABLE}/index.md"),
        "date: 1956-09-16",
        "date: 1956-09-31",
    );
    event_containing(
        &mut events,
        "errors",
        "mikoyan-cable-from-beijing/index.md:3:7: error: date: `1956-09-31`",
    );
    server.wait_for_log("still serving the last good site");
    let (status, page) = server.get("/documents/mikoyan-cable-from-beijing/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(page.contains("16 September 1956"));
    // A page opened now hears of the failure at once.
    let mut late = server.events();
    event_containing(&mut late, "errors", "index.md:3:7");

    server.edit(
        &format!("{CABLE}/index.md"),
        "date: 1956-09-31",
        "date: 1956-09-16",
    );
    next_event(&mut events, "reload");
}

#[test]
fn many_requests_while_rebuilding() {
    let mut server = Server::start();
    let port = server.port;
    let workers: Vec<_> = (0..8)
        .map(|k| {
            std::thread::spawn(move || {
                let pages = [
                    "/",
                    "/documents/",
                    "/people/kim-il-sung/",
                    "/style.css",
                    "/events/",
                ];
                (0..50)
                    .map(|i| get(port, pages[(i + k) % pages.len()]).0)
                    .filter(|&status| status != 200)
                    .count()
            })
        })
        .collect();
    let mut before = "We agreed".to_string();
    for round in 0..5 {
        let after = format!("We (round {round}) agreed");
        server.edit(&format!("{CABLE}/en.md"), &before, &after);
        server.wait_for_log("Rebuilt");
        before = after;
    }
    let failures: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(failures, 0, "every request of 400 answered 200");
}

#[test]
fn a_request_with_a_huge_body_is_refused_and_the_server_goes_on() {
    let mut server = Server::start();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n")
        .unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    let status: u16 = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {response:?}"));
    assert!((400..500).contains(&status), "{response}");
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server is still running"
    );
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("Pyongyang, September 1956"));
}
