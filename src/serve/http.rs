//! The dev server's HTTP side: files of the output folder only, on loopback, with the
//! live-reload script added to pages on the way out (never to the files themselves).

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiny_http::{Header, Request, Response, Server};

/// Where the live-reload script and its events are served.
const LIVE_SCRIPT: &str = "/__dossier/live.js";
const LIVE_EVENTS: &str = "/__dossier/events";

/// What the open pages are told.
#[derive(Debug, Clone)]
pub enum Notice {
    /// These addresses changed (`*`: assets, so every page).
    Reload(Vec<String>),
    /// The last rebuild failed: the messages, one per line.
    Errors(String),
}

/// Open pages listening for notices, and the failure they should show on arrival.
#[derive(Default)]
pub struct Listeners {
    senders: Mutex<Vec<Sender<Notice>>>,
    current_errors: Mutex<Option<String>>,
}

impl Listeners {
    pub fn notify(&self, notice: Notice) {
        *self.current_errors.lock().expect("not poisoned") = match &notice {
            Notice::Errors(text) => Some(text.clone()),
            Notice::Reload(_) => None,
        };
        let mut senders = self.senders.lock().expect("not poisoned");
        senders.retain(|s| s.send(notice.clone()).is_ok());
    }

    fn listen(&self) -> Receiver<Notice> {
        let (sender, receiver) = std::sync::mpsc::channel();
        if let Some(errors) = self.current_errors.lock().expect("not poisoned").clone() {
            let _ = sender.send(Notice::Errors(errors));
        }
        self.senders.lock().expect("not poisoned").push(sender);
        receiver
    }
}

/// Serves `output` on `server` with `threads` workers, until the process ends.
pub fn run(server: Arc<Server>, output: PathBuf, listeners: Arc<Listeners>, threads: usize) {
    let root = output.canonicalize().unwrap_or(output);
    for _ in 0..threads {
        let (server, root, listeners) = (server.clone(), root.clone(), listeners.clone());
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                if request.url().split('?').next() == Some(LIVE_EVENTS) {
                    // Held open: a thread of its own, so workers stay free.
                    let receiver = listeners.listen();
                    std::thread::spawn(move || stream_events(request, receiver));
                } else {
                    let _ = respond(request, &root);
                }
            }
        });
    }
}

fn respond(request: Request, root: &Path) -> std::io::Result<()> {
    let url = request.url().to_string();
    if url.split('?').next() == Some(LIVE_SCRIPT) {
        return request.respond(with_type(
            Response::from_string(LIVE_JS),
            "text/javascript; charset=utf-8",
        ));
    }
    let Some(path) = resolve(root, &url) else {
        return request.respond(not_found());
    };
    let Ok(mut contents) = std::fs::read(&path) else {
        return request.respond(not_found());
    };
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        contents = inject_live_script(contents);
    }
    request.respond(with_type(Response::from_data(contents), kind))
}

fn not_found() -> Response<std::io::Cursor<Vec<u8>>> {
    with_type(
        Response::from_string("Not found\n"),
        "text/plain; charset=utf-8",
    )
    .with_status_code(404)
}

fn with_type<R: std::io::Read>(response: Response<R>, kind: &str) -> Response<R> {
    let header = |name: &str, value: &str| Header::from_bytes(name, value).expect("a valid header");
    response
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

/// The file of the output folder a URL path names, or `None` for anything outside it
/// (`..`, encoded or not, links leading out) or not there.
pub fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut file = root.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains(['\\', '\0']) => return None,
            part => {
                let as_path = Path::new(part);
                if as_path
                    .components()
                    .any(|c| !matches!(c, Component::Normal(_)))
                {
                    return None;
                }
                file.push(part);
            }
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = path.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn inject_live_script(html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT}\"></script>");
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// Server-sent events: written straight to the connection and flushed, one by one.
fn stream_events(request: Request, receiver: Receiver<Notice>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match receiver.recv_timeout(Duration::from_secs(15)) {
            Ok(Notice::Reload(pages)) => {
                event("reload", &serde_json::to_string(&pages).unwrap_or_default())
            }
            Ok(Notice::Errors(text)) => {
                event("errors", &serde_json::to_string(&text).unwrap_or_default())
            }
            // A comment now and then finds closed connections.
            Err(RecvTimeoutError::Timeout) => ":\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// Reloads the page when a rebuild changed it; shows a failed rebuild's messages over
/// the page until the next good one.
const LIVE_JS: &str = r#"(function () {
  "use strict";
  var overlay = null;
  function clear() { if (overlay) { overlay.remove(); overlay = null; } }
  var here = location.pathname.replace(/index\.html$/, "");
  var source = new EventSource("/__dossier/events");
  source.addEventListener("reload", function (e) {
    var pages = JSON.parse(e.data);
    clear();
    if (pages.indexOf("*") !== -1 || pages.indexOf(here) !== -1) location.reload();
  });
  source.addEventListener("errors", function (e) {
    clear();
    overlay = document.createElement("div");
    overlay.id = "dossier-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:50vh;z-index:1000;overflow:auto;background:#fff;" +
      "border:3px solid #8c1c13;border-radius:6px;padding:1rem 1.5rem;font:14px/1.5 system-ui,sans-serif;" +
      "box-shadow:0 4px 24px rgba(0,0,0,.3)";
    var title = document.createElement("h2");
    title.textContent = "The last rebuild failed; this is the last good version of the page.";
    title.style.cssText = "margin:0 0 .75rem;font-size:1.1rem;color:#8c1c13";
    var messages = document.createElement("pre");
    messages.textContent = JSON.parse(e.data);
    messages.style.cssText = "white-space:pre-wrap;margin:0;font:13px/1.5 ui-monospace,monospace";
    overlay.appendChild(title);
    overlay.appendChild(messages);
    document.body.appendChild(overlay);
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("documents/a")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("documents/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let root = root.canonicalize().unwrap();
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/documents/a/?x=1"),
            Some(root.join("documents/a/index.html"))
        );
        assert_eq!(
            resolve(&root, "/documents/a/index.html"),
            Some(root.join("documents/a/index.html"))
        );
        for outside in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/documents/..%2f..%2fsecret.txt",
            "/%2E%2E%5Csecret.txt",
            "/nothing/",
        ] {
            assert_eq!(resolve(&root, outside), None, "{outside}");
        }
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let html = inject_live_script(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__dossier/live.js\"></script></body></html>"
        );
    }
}
