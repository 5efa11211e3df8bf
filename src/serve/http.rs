//! The dev server's HTTP side: files of the output folder only, on loopback, with the
//! live-reload script added to pages on the way out (never to the files themselves).

use std::io::{self, Read as _, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where the live-reload script and its events are served.
const LIVE_SCRIPT: &str = "/__dossier/live.js";
const LIVE_EVENTS: &str = "/__dossier/events";

/// What the open pages are told.
#[derive(Debug, Clone)]
pub(super) enum Notice {
    /// These addresses changed (`*`: assets, so every page).
    Reload(Vec<String>),
    /// The last rebuild failed: the messages, one per line.
    Errors(String),
}

/// Open pages listening for notices, and the failure they should show on arrival.
#[derive(Default)]
pub(super) struct Listeners {
    senders: Mutex<Vec<Sender<Notice>>>,
    current_errors: Mutex<Option<String>>,
}

impl Listeners {
    pub(super) fn notify(&self, notice: Notice) {
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

/// At most this many connections are served at once (event streams included); the
/// next one is answered 503 and closed.
const MAX_CONNECTIONS: usize = 64;
/// The longest request head (request line and headers) read: beyond it, 431.
const HEAD_LIMIT: usize = 16 * 1024;
/// The most headers a request may have: beyond it, 431.
const MAX_HEADERS: usize = 64;
/// A declared body longer than this is refused (413) unread; a shorter one is refused
/// (405: only GET and HEAD are served) or ignored (a GET's), and never read either.
const BODY_LIMIT: u64 = 64 * 1024;
/// How long a connection may take to send a whole request head, or wait idle for the
/// next one (so that slow or silent connections do not hold a thread).
const IDLE: Duration = Duration::from_secs(10);
/// How long a client may take to read what it is sent.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Before a connection is closed with a request body unread, at most this much of
/// it is read and thrown away, for at most [`LINGER`], so that the client sees the
/// answer instead of a reset connection.
const DISCARD_LIMIT: usize = 64 * 1024;
const LINGER: Duration = Duration::from_secs(2);

/// The dev server: a listening socket on 127.0.0.1.
///
/// A small server on `std::net`, one thread per connection (at most
/// [`MAX_CONNECTIONS`]), with requests parsed by `httparse`, the request parser of
/// the hyper project: well kept, it never allocates, and it stops at what it is
/// given. It replaced tiny_http, which discarded an unread request body by
/// allocating it whole, so that one `Content-Length: 99999999999999` aborted the
/// process. Here a request body is never read into memory: a request with one is
/// answered and its connection closed.
pub(super) struct Server {
    listener: TcpListener,
    port: u16,
    idle: Duration,
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: any free port).
    pub(super) fn bind(port: u16) -> io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
        let port = listener.local_addr()?.port();
        Ok(Server {
            listener,
            port,
            idle: IDLE,
        })
    }

    /// The port listened on.
    pub(super) fn port(&self) -> u16 {
        self.port
    }

    /// The same with another idle time: for tests, which cannot wait [`IDLE`].
    #[cfg(test)]
    fn with_idle(self, idle: Duration) -> Server {
        Server { idle, ..self }
    }

    /// Serves `output` from threads of its own, until the process ends.
    pub(super) fn run(self, output: PathBuf, listeners: Arc<Listeners>) {
        let shared = Arc::new(Shared {
            output,
            listeners,
            open: AtomicUsize::new(0),
            idle: self.idle,
        });
        let listener = self.listener;
        std::thread::spawn(move || accept(listener, shared));
    }
}

/// What the connection threads share.
struct Shared {
    output: PathBuf,
    listeners: Arc<Listeners>,
    /// Connections being served.
    open: AtomicUsize,
    idle: Duration,
}

/// A connection's place among the [`MAX_CONNECTIONS`], given back when dropped.
struct Slot(Arc<Shared>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            // Out of file descriptors, or a connection reset before it was taken:
            // wait a little rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if shared.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.open.fetch_sub(1, Ordering::SeqCst);
            refuse(stream);
            continue;
        }
        let slot = Slot(Arc::clone(&shared));
        // If no thread can be made, the closure (with the slot and the connection)
        // is dropped: the connection is closed.
        let _ = std::thread::Builder::new()
            .name("dossier-http".into())
            .spawn(move || {
                let slot = slot;
                serve_connection(stream, &slot.0);
            });
    }
}

/// Answers 503 to a connection over the limit, without waiting on it.
fn refuse(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let body = "Too many connections\n";
    let _ = write!(
        stream,
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nRetry-After: 1\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.shutdown(Shutdown::Write);
}

/// A parsed request head, owned.
struct Head {
    method: String,
    target: String,
    /// The connection is to be closed after the answer.
    close: bool,
    body: Body,
}

/// What the request head says of a body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Body {
    None,
    Length(u64),
    /// `Transfer-Encoding`: of a length only the body itself tells.
    Unknown,
}

/// An answer, whole.
struct Response {
    status: u16,
    kind: &'static str,
    body: Vec<u8>,
    /// Sent with 405.
    allow: bool,
}

impl Response {
    fn text(status: u16, text: &str) -> Self {
        Response {
            status,
            kind: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
            allow: status == 405,
        }
    }
}

fn serve_connection(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buffer = vec![0u8; HEAD_LIMIT];
    // Bytes of the buffer received: the next request's, if a client sent several
    // at once.
    let mut filled = 0;
    loop {
        let (head, used) = match read_head(&mut stream, &mut buffer, &mut filled, shared.idle) {
            NextRequest::Head(head, used) => (head, used),
            NextRequest::Closed => return,
            NextRequest::Refused(status, text) => {
                let response = Response::text(status, text);
                if write_response(&mut stream, &response, false, true).is_ok() {
                    close(stream);
                }
                return;
            }
        };
        buffer.copy_within(used..filled, 0);
        filled -= used;
        let is_head = head.method == "HEAD";
        // A body is never read: the connection goes with it.
        let close_after = head.close || head.body != Body::None;
        let response = match answer(&head) {
            Answer::Events if is_head => event_stream_response(),
            Answer::Events => {
                let receiver = shared.listeners.listen();
                stream_events(stream, receiver);
                return;
            }
            Answer::LiveScript => Response {
                status: 200,
                kind: "text/javascript; charset=utf-8",
                body: LIVE_JS.as_bytes().to_vec(),
                allow: false,
            },
            Answer::File(target) => file_response(&shared.output, &target),
            Answer::Error(status, text) => Response::text(status, text),
        };
        let close_after = close_after || matches!(response.status, 400 | 413);
        if write_response(&mut stream, &response, is_head, close_after).is_err() {
            return;
        }
        if close_after {
            close(stream);
            return;
        }
    }
}

/// What reading a request head came to.
enum NextRequest {
    /// A head, and how many bytes of the buffer it took.
    Head(Head, usize),
    /// The client closed the connection, or went quiet between requests.
    Closed,
    /// The head is not one to answer: the status and a message.
    Refused(u16, &'static str),
}

/// Reads until `buffer` holds a whole request head, within `idle`.
fn read_head(
    stream: &mut TcpStream,
    buffer: &mut [u8],
    filled: &mut usize,
    idle: Duration,
) -> NextRequest {
    let deadline = Instant::now() + idle;
    loop {
        if *filled > 0 {
            match parse_head(&buffer[..*filled]) {
                Ok(Some(parsed)) => return parsed,
                Ok(None) if *filled == buffer.len() => {
                    return NextRequest::Refused(431, "Request header fields too large\n")
                }
                Ok(None) => {}
                Err(refused) => return refused,
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return timed_out(*filled);
        }
        match stream.read(&mut buffer[*filled..]) {
            Ok(0) => return NextRequest::Closed,
            Ok(n) => *filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return timed_out(*filled)
            }
            Err(_) => return NextRequest::Closed,
        }
    }
}

fn timed_out(filled: usize) -> NextRequest {
    if filled == 0 {
        NextRequest::Closed
    } else {
        NextRequest::Refused(408, "Request timeout\n")
    }
}

/// The head at the start of `bytes`: `Ok(None)` if it is not all there yet.
fn parse_head(bytes: &[u8]) -> Result<Option<NextRequest>, NextRequest> {
    let bad = |text| NextRequest::Refused(400, text);
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let used = match request.parse(bytes) {
        Ok(httparse::Status::Complete(used)) => used,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(NextRequest::Refused(
                431,
                "Too many request header fields\n",
            ))
        }
        Err(_) => return Err(bad("Bad request\n")),
    };
    let (Some(method), Some(target), Some(version)) =
        (request.method, request.path, request.version)
    else {
        return Err(bad("Bad request\n"));
    };
    // HTTP/1.0 closes after each answer; HTTP/1.1 unless asked to.
    let mut close = version == 0;
    let mut length: Option<u64> = None;
    let mut chunked = false;
    for header in request.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("connection") {
            let value = String::from_utf8_lossy(header.value);
            if value
                .split(',')
                .any(|token| token.trim().eq_ignore_ascii_case("close"))
            {
                close = true;
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            let value = header.value.trim_ascii();
            if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
                return Err(bad("Bad Content-Length\n"));
            }
            // All digits: too many of them for a u64 is simply too long.
            let declared = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX);
            if length.is_some_and(|other| other != declared) {
                return Err(bad("Conflicting Content-Length\n"));
            }
            length = Some(declared);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        }
    }
    let body = match (chunked, length) {
        (true, _) => Body::Unknown,
        (false, Some(0) | None) => Body::None,
        (false, Some(length)) => Body::Length(length),
    };
    let head = Head {
        method: method.to_string(),
        target: target.to_string(),
        close,
        body,
    };
    Ok(Some(NextRequest::Head(head, used)))
}

/// What a request is answered with.
enum Answer {
    Events,
    LiveScript,
    /// The file the path names, or 404.
    File(String),
    Error(u16, &'static str),
}

fn answer(head: &Head) -> Answer {
    if let Body::Length(length) = head.body {
        if length > BODY_LIMIT {
            return Answer::Error(413, "Request body too large\n");
        }
    }
    if head.method != "GET" && head.method != "HEAD" {
        return Answer::Error(405, "Method not allowed: only GET and HEAD\n");
    }
    // The absolute form (`http://host/path`) names the path after the host.
    let path = match head
        .target
        .strip_prefix("http://")
        .or_else(|| head.target.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => head.target.as_str(),
    };
    if !path.starts_with('/') {
        return Answer::Error(400, "Bad request target\n");
    }
    match path.split('?').next() {
        Some(LIVE_EVENTS) => Answer::Events,
        Some(LIVE_SCRIPT) => Answer::LiveScript,
        _ => Answer::File(path.to_string()),
    }
}

fn file_response(output: &Path, url: &str) -> Response {
    // Found afresh for every request: the output may not have existed at start
    // (a first build that failed), and is replaced whole by full builds.
    let Ok(root) = output.canonicalize() else {
        return Response::text(404, "Not found\n");
    };
    let not_found = || not_found_page(&root);
    let Some(path) = resolve(&root, url) else {
        return not_found();
    };
    let Ok(mut contents) = std::fs::read(&path) else {
        return not_found();
    };
    let kind = content_type(&path);
    if kind.starts_with("text/html") {
        contents = inject_live_script(contents);
    }
    Response {
        status: 200,
        kind,
        body: contents,
        allow: false,
    }
}

/// The site's 404 page, as static hosts show it, for an address the site does not
/// have; plain words if the site has none (a first build that failed).
fn not_found_page(root: &Path) -> Response {
    let Ok(page) = std::fs::read_to_string(root.join(crate::render::NOT_FOUND)) else {
        return Response::text(404, "Not found\n");
    };
    // Its links start from the site's root on the published server (`<base>`);
    // here the site is served at `/`.
    let page = match page.find("<base href=\"") {
        Some(at) => {
            let value = at + "<base href=\"".len();
            let end = page[value..].find('"').map_or(value, |e| value + e);
            format!("{}/{}", &page[..value], &page[end..])
        }
        None => page,
    };
    Response {
        status: 404,
        kind: "text/html; charset=utf-8",
        body: inject_live_script(page.into_bytes()),
        allow: false,
    }
}

fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n",
        response.status,
        reason(response.status),
        response.kind,
        response.body.len()
    );
    if response.allow {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Closes a connection after its last answer: first the sending side, then what
/// the client still sends (an unread body, more requests) is read and dropped, a
/// bounded amount for a bounded time, so that its arrival does not reset the
/// connection before the client has read the answer.
fn close(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut scratch = [0u8; 4096];
    let mut discarded = 0;
    while discarded < DISCARD_LIMIT {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut scratch) {
            Ok(0) => return,
            Ok(n) => discarded += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// The file of the output folder a URL path names, or `None` for anything outside it
/// (`..`, encoded or not, links leading out) or not there.
pub(super) fn resolve(root: &Path, url: &str) -> Option<PathBuf> {
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

const EVENTS_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";

/// What a HEAD request for the event stream is told.
fn event_stream_response() -> Response {
    Response {
        status: 200,
        kind: "text/event-stream",
        body: Vec::new(),
        allow: false,
    }
}

/// Server-sent events: written straight to the connection and flushed, one by one,
/// on the connection's own thread, until the client goes.
fn stream_events(mut stream: TcpStream, receiver: Receiver<Notice>) {
    if stream
        .write_all(EVENTS_HEAD.as_bytes())
        .and_then(|()| stream.flush())
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
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
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
    use std::io::{BufRead, BufReader, Read};

    /// A served output folder (and a file beside it): the folder, the port, and the
    /// listeners.
    fn served(idle: Duration) -> (tempfile::TempDir, u16, Arc<Listeners>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("documents/a")).unwrap();
        std::fs::write(root.join("index.html"), HOME).unwrap();
        std::fs::write(root.join("documents/a/index.html"), "<p>a</p>").unwrap();
        std::fs::write(root.join("style.css"), "p {}").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "no").unwrap();
        let server = Server::bind(0).unwrap().with_idle(idle);
        let port = server.port();
        assert_ne!(port, 0);
        assert!(server.listener.local_addr().unwrap().ip().is_loopback());
        let listeners = Arc::new(Listeners::default());
        server.run(root, Arc::clone(&listeners));
        (dir, port, listeners)
    }

    const HOME: &str = "<html><body>home</body></html>";

    fn connect(port: u16) -> BufReader<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        BufReader::new(stream)
    }

    /// A response as read: status, headers (names lower-cased), body.
    struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    }

    impl Reply {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    /// The next response on `connection`; its body by Content-Length, none for HEAD.
    fn read_reply(connection: &mut BufReader<TcpStream>, head_only: bool) -> Reply {
        let mut line = String::new();
        connection.read_line(&mut line).unwrap();
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {line:?}"));
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            connection.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("a header");
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
        let mut reply = Reply {
            status,
            headers,
            body: String::new(),
        };
        if !head_only {
            let length: usize = reply.header("content-length").unwrap().parse().unwrap();
            let mut body = vec![0; length];
            connection.read_exact(&mut body).unwrap();
            reply.body = String::from_utf8(body).unwrap();
        }
        reply
    }

    /// Sends `request` on a new connection: the response.
    fn exchange(port: u16, request: &[u8]) -> Reply {
        let mut connection = connect(port);
        connection.get_mut().write_all(request).unwrap();
        read_reply(&mut connection, false)
    }

    fn get(port: u16, path: &str) -> Reply {
        exchange(
            port,
            format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        )
    }

    /// Whether the server closed `connection` (after what was read of it).
    fn closed(connection: &mut BufReader<TcpStream>) -> bool {
        let mut rest = Vec::new();
        connection.read_to_end(&mut rest).is_ok() && rest.is_empty()
    }

    #[test]
    fn serves_files_with_their_type_and_the_live_script() {
        let (_dir, port, _) = served(IDLE);
        let home = get(port, "/");
        assert_eq!(home.status, 200);
        assert_eq!(
            home.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(home.header("cache-control"), Some("no-store"));
        assert_eq!(
            home.body,
            "<html><body>home<script src=\"/__dossier/live.js\"></script></body></html>"
        );
        let style = get(port, "/style.css?v=2");
        assert_eq!((style.status, style.body.as_str()), (200, "p {}"));
        assert_eq!(
            style.header("content-type"),
            Some("text/css; charset=utf-8")
        );
        let script = get(port, LIVE_SCRIPT);
        assert_eq!(script.status, 200);
        assert!(script.body.contains("EventSource"));
        let absolute = get(port, "http://127.0.0.1/documents/a/");
        assert!(absolute.body.starts_with("<p>a</p>"), "{}", absolute.body);
    }

    #[test]
    fn a_path_outside_the_output_or_missing_is_404() {
        let (_dir, port, _) = served(IDLE);
        for outside in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/documents/..%2f..%2fsecret.txt",
            "/documents/../../secret.txt",
            "/nothing/",
            "/%zz",
        ] {
            let reply = get(port, outside);
            assert_eq!(reply.status, 404, "{outside}");
            assert_eq!(reply.body, "Not found\n");
        }
        assert_eq!(get(port, "*").status, 400);
        // Once the site has its 404 page, that is what is shown, its links starting
        // from `/`, where this server has the site.
        std::fs::write(
            _dir.path().join("public/404.html"),
            "<html><head><base href=\"/edition/\"></head><body>Page not found</body></html>",
        )
        .unwrap();
        let reply = get(port, "/people/nobody/");
        assert_eq!(reply.status, 404);
        assert!(reply.body.contains("<base href=\"/\">"), "{}", reply.body);
        assert!(reply.body.contains("Page not found"), "{}", reply.body);
    }

    #[test]
    fn an_oversized_body_is_refused_unread_and_the_server_goes_on() {
        let (_dir, port, _) = served(IDLE);
        let mut connection = connect(port);
        connection
            .get_mut()
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n")
            .unwrap();
        let reply = read_reply(&mut connection, false);
        assert_eq!(reply.status, 413);
        assert_eq!(reply.header("connection"), Some("close"));
        assert!(closed(&mut connection), "closed, the body unread");
        // More digits than any length, and a body that is on its way.
        let mut connection = connect(port);
        let head = b"PUT /x HTTP/1.1\r\nContent-Length: 999999999999999999999999\r\n\r\n";
        connection.get_mut().write_all(head).unwrap();
        let _ = connection.get_mut().write_all(&[b'x'; 100_000]);
        assert_eq!(read_reply(&mut connection, false).status, 413);

        let home = get(port, "/");
        assert_eq!(home.status, 200);
        assert!(home.body.contains("home"));
    }

    #[test]
    fn other_methods_and_bodies_get_405_with_allow() {
        let (_dir, port, _) = served(IDLE);
        for request in [
            &b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"[..],
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            b"DELETE /index.html HTTP/1.1\r\n\r\n",
            b"OPTIONS * HTTP/1.1\r\n\r\n",
        ] {
            let reply = exchange(port, request);
            assert_eq!(reply.status, 405, "{}", String::from_utf8_lossy(request));
            assert_eq!(reply.header("allow"), Some("GET, HEAD"));
        }
        // A GET with a body is answered, and its connection closed.
        let mut connection = connect(port);
        connection
            .get_mut()
            .write_all(b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc")
            .unwrap();
        assert_eq!(read_reply(&mut connection, false).status, 200);
        assert!(closed(&mut connection));
    }

    #[test]
    fn a_malformed_request_gets_400() {
        let (_dir, port, _) = served(IDLE);
        for request in [
            &b"HELLO\r\n\r\n"[..],
            b"GET / HTTP/9.9\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon here\r\n\r\n",
            b"GET\x01 / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        ] {
            let mut connection = connect(port);
            connection.get_mut().write_all(request).unwrap();
            let reply = read_reply(&mut connection, false);
            assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(request));
            assert!(closed(&mut connection));
        }
    }

    #[test]
    fn an_oversized_head_gets_431() {
        let (_dir, port, _) = served(IDLE);
        let long = format!(
            "GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n",
            "a".repeat(HEAD_LIMIT)
        );
        assert_eq!(exchange(port, long.as_bytes()).status, 431);
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("X-{i}: {i}\r\n"))
            .collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(exchange(port, many.as_bytes()).status, 431);
        assert_eq!(get(port, "/").status, 200);
    }

    #[test]
    fn head_gives_the_headers_only() {
        let (_dir, port, _) = served(IDLE);
        let whole = get(port, "/");
        let mut connection = connect(port);
        connection
            .get_mut()
            .write_all(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let reply = read_reply(&mut connection, true);
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("content-length"),
            Some(whole.body.len().to_string().as_str())
        );
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        // No body came: the next answer on the connection follows at once.
        connection
            .get_mut()
            .write_all(b"HEAD /missing HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        assert_eq!(read_reply(&mut connection, true).status, 404);
        assert!(closed(&mut connection));
    }

    #[test]
    fn keep_alive_answers_requests_in_turn_until_close() {
        let (_dir, port, _) = served(IDLE);
        let mut connection = connect(port);
        for path in ["/", "/style.css", "/nothing"] {
            write!(
                connection.get_mut(),
                "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"
            )
            .unwrap();
            let reply = read_reply(&mut connection, false);
            assert_eq!(reply.status, if path == "/nothing" { 404 } else { 200 });
            assert_eq!(reply.header("connection"), None);
        }
        // Sent at once, answered in turn.
        connection
            .get_mut()
            .write_all(
                b"GET /style.css HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n",
            )
            .unwrap();
        assert_eq!(read_reply(&mut connection, false).body, "p {}");
        let last = read_reply(&mut connection, false);
        assert!(last.body.contains("home"));
        assert_eq!(last.header("connection"), Some("close"));
        assert!(closed(&mut connection));
        // HTTP/1.0 closes after one answer.
        let mut connection = connect(port);
        connection
            .get_mut()
            .write_all(b"GET / HTTP/1.0\r\n\r\n")
            .unwrap();
        assert_eq!(read_reply(&mut connection, false).status, 200);
        assert!(closed(&mut connection));
    }

    #[test]
    fn slow_and_idle_connections_are_dropped() {
        let (_dir, port, _) = served(Duration::from_millis(300));
        let started = Instant::now();
        // A head sent a byte at a time, each in time for a per-read timeout, for
        // twice the time a whole head may take.
        let mut slow = connect(port);
        for byte in b"GET / HTTP/1.1\r\nX-Slow: ".iter().cycle() {
            if started.elapsed() > Duration::from_millis(600)
                || slow.get_mut().write_all(&[*byte]).is_err()
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(read_reply(&mut slow, false).status, 408);
        assert!(closed(&mut slow));
        // Silent: closed without a word.
        let mut idle = connect(port);
        assert!(closed(&mut idle));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(get(port, "/").status, 200);
    }

    #[test]
    fn connections_beyond_the_limit_get_503() {
        let (_dir, port, _) = served(Duration::from_secs(20));
        let open: Vec<_> = (0..MAX_CONNECTIONS).map(|_| connect(port)).collect();
        // Each holds a thread: one more is turned away.
        let mut extra = connect(port);
        let reply = read_reply(&mut extra, false);
        assert_eq!(reply.status, 503);
        drop(open);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let mut connection = connect(port);
            connection
                .get_mut()
                .write_all(b"GET / HTTP/1.1\r\n\r\n")
                .unwrap();
            if read_reply(&mut connection, false).status == 200 {
                break;
            }
            assert!(Instant::now() < deadline, "served again once they closed");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn the_event_stream_stays_open_and_carries_notices() {
        let (_dir, port, listeners) = served(Duration::from_millis(300));
        let mut events = connect(port);
        events
            .get_mut()
            .write_all(b"GET /__dossier/events HTTP/1.1\r\n\r\n")
            .unwrap();
        let reply = read_reply(&mut events, true);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some("text/event-stream"));
        // Open longer than any idle connection may be.
        std::thread::sleep(Duration::from_millis(600));
        listeners.notify(Notice::Reload(vec!["/documents/a/".into()]));
        let mut lines = String::new();
        for _ in 0..2 {
            events.read_line(&mut lines).unwrap();
        }
        assert_eq!(lines, "event: reload\ndata: [\"/documents/a/\"]\n");
        listeners.notify(Notice::Errors("x.md:1:1: error".into()));
        let mut lines = String::new();
        for _ in 0..3 {
            events.read_line(&mut lines).unwrap();
        }
        assert_eq!(lines, "\nevent: errors\ndata: \"x.md:1:1: error\"\n");
        // And the server still answers others.
        assert_eq!(get(port, "/").status, 200);
        let head = exchange(port, b"HEAD /__dossier/events HTTP/1.1\r\n\r\n");
        assert_eq!(head.status, 200);
    }

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
