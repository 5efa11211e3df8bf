//! A real headless browser for tests: Debian's Chromium, driven over the Chrome
//! DevTools Protocol (a websocket speaking JSON).
//!
//! [`Browser::launch`] starts Chromium with a throwaway profile and connects; a
//! [`Tab`] opens a page at a given window size, evaluates JavaScript, takes
//! screenshots, and collects every console error and uncaught exception the page
//! produced. Nothing is mocked: this is the browser readers use.

use base64::Engine;
use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// Where Debian installs Chromium (`apt-get install chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Browser {
    process: Child,
    _profile: tempfile::TempDir,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// Events received while waiting for replies, per session.
    events: Vec<Value>,
}

impl Browser {
    /// Starts Chromium headless. Panics with a clear message when it is missing.
    pub fn launch() -> Self {
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string());
        assert!(
            Path::new(&binary).exists(),
            "the browser tests need Chromium at {binary}: apt-get install chromium (or set CHROMIUM)"
        );
        let profile = tempfile::tempdir().expect("a profile folder");
        let process = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--allow-file-access-from-files",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));
        // Chromium writes the port it listens on, and the browser's path, here.
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(30);
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break (port.to_string(), path.to_string());
                }
            }
            assert!(
                Instant::now() < deadline,
                "Chromium did not start within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).expect("connect to Chromium");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("a read timeout");
        let (socket, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .expect("the DevTools websocket");
        Self {
            process,
            _profile: profile,
            socket,
            next_id: 0,
            events: Vec::new(),
        }
    }

    /// Sends a command (to a page's session, or to the browser) and waits for its
    /// reply; events that arrive meanwhile are kept.
    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::Text(message.to_string().into()))
            .expect("send to Chromium");
        loop {
            let reply = self.receive();
            if reply["id"] == json!(id) {
                if let Some(error) = reply.get("error") {
                    panic!("{method} failed: {error}");
                }
                return reply["result"].clone();
            }
            self.events.push(reply);
        }
    }

    fn receive(&mut self) -> Value {
        loop {
            match self.socket.read().expect("read from Chromium") {
                Message::Text(text) => {
                    return serde_json::from_str(&text).expect("JSON from Chromium")
                }
                Message::Close(_) => panic!("Chromium closed the connection"),
                _ => {}
            }
        }
    }

    /// Waits until an event `method` for `session` has arrived.
    fn wait_for(&mut self, session: &str, method: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let matches = |e: &Value| e["method"] == json!(method) && e["sessionId"] == json!(session);
        while !self.events.iter().any(matches) {
            assert!(
                Instant::now() < deadline,
                "{method} did not come within {timeout:?}"
            );
            let event = self.receive();
            self.events.push(event);
        }
        self.events.retain(|e| !matches(e));
    }

    /// A new tab with the given window size.
    pub fn tab(&mut self, width: u32, height: u32) -> Tab<'_> {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"]
            .as_str()
            .expect("a target id")
            .to_string();
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        );
        let session = attached["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        for method in ["Page.enable", "Runtime.enable", "Log.enable"] {
            self.call(Some(&session), method, json!({}));
        }
        let mut tab = Tab {
            browser: self,
            session,
        };
        tab.resize(width, height);
        tab
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// One page in the browser.
pub struct Tab<'a> {
    browser: &'a mut Browser,
    session: String,
}

impl Tab<'_> {
    pub fn resize(&mut self, width: u32, height: u32) {
        self.browser.call(
            Some(&self.session),
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
    }

    /// Opens `file` and waits for the page to have loaded.
    pub fn open(&mut self, file: &Path) {
        self.open_url(&format!("file://{}", file.display()));
    }

    /// Opens `url` and waits for the page to have loaded, and for any part of it
    /// that says it is busy (`aria-busy`, as the search page's results while
    /// they load) to be done.
    pub fn open_url(&mut self, url: &str) {
        self.browser
            .call(Some(&self.session), "Page.navigate", json!({ "url": url }));
        self.browser.wait_for(
            &self.session,
            "Page.loadEventFired",
            Duration::from_secs(30),
        );
        self.wait_until(
            "!document.querySelector('[aria-busy=\"true\"]')",
            Duration::from_secs(30),
        );
    }

    /// Clicks the first element matching `css` and waits for the page it opens to
    /// have loaded. Returns the address of the link, or None when no element
    /// matches.
    pub fn click_to_open(&mut self, css: &str) -> Option<String> {
        let css = serde_json::to_string(css).expect("a string");
        // The click waits for the script's reply to have gone: a page that goes
        // away while answering fails the call.
        let href = self.eval(&format!(
            "(() => {{ const a = document.querySelector({css}); if (!a) return null; setTimeout(() => a.click(), 0); return a.href || null; }})()"
        ));
        let href = href.as_str()?.to_string();
        self.browser.wait_for(
            &self.session,
            "Page.loadEventFired",
            Duration::from_secs(30),
        );
        Some(href)
    }

    /// Evaluates `expression` in the page and returns its value (as JSON).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.browser.call(
            Some(&self.session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("script failed: {exception}\n{expression}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page (it may reload meanwhile).
    pub fn wait_until(&mut self, expression: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.eval(&format!(
            "(() => {{ try {{ return !!({expression}); }} catch (e) {{ return false; }} }})()"
        )) != json!(true)
        {
            assert!(Instant::now() < deadline, "never true: {expression}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A PNG of the whole page (not only the window), written to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.browser.call(
            Some(&self.session),
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true }),
        );
        let data = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("image data"))
            .expect("base64 image");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("screenshot folder");
        }
        std::fs::write(path, data).expect("write screenshot");
    }

    /// Presses and releases a key as a keyboard would: "Tab", "Shift+Tab", "Enter",
    /// " " (space), "Escape".
    pub fn press(&mut self, key: &str) {
        let (shift, key) = match key.strip_prefix("Shift+") {
            Some(k) => (true, k),
            None => (false, key),
        };
        let (code, virtual_code, text) = match key {
            "Tab" => ("Tab", 9, ""),
            "Enter" => ("Enter", 13, "\r"),
            " " => ("Space", 32, " "),
            "Escape" => ("Escape", 27, ""),
            "ArrowLeft" => ("ArrowLeft", 37, ""),
            "ArrowUp" => ("ArrowUp", 38, ""),
            "ArrowRight" => ("ArrowRight", 39, ""),
            "ArrowDown" => ("ArrowDown", 40, ""),
            "+" => ("Equal", 187, "+"),
            "-" => ("Minus", 189, "-"),
            "0" => ("Digit0", 48, "0"),
            other => panic!("no key {other:?} here"),
        };
        let modifiers = if shift { 8 } else { 0 };
        for kind in ["keyDown", "keyUp"] {
            let mut event = json!({
                "type": kind,
                "key": key,
                "code": code,
                "windowsVirtualKeyCode": virtual_code,
                "nativeVirtualKeyCode": virtual_code,
                "modifiers": modifiers,
            });
            if kind == "keyDown" && !text.is_empty() {
                event["text"] = json!(text);
            }
            self.browser
                .call(Some(&self.session), "Input.dispatchKeyEvent", event);
        }
    }

    /// Whether pages opened from now on run their scripts.
    pub fn set_javascript(&mut self, enabled: bool) {
        self.browser.call(
            Some(&self.session),
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": !enabled }),
        );
    }

    /// Lays the page out for `media` ("print", "screen").
    pub fn emulate_media(&mut self, media: &str) {
        self.browser.call(
            Some(&self.session),
            "Emulation.setEmulatedMedia",
            json!({ "media": media }),
        );
    }

    /// Prints the page as Chromium's "Save as PDF" does (A4, with backgrounds
    /// off), writes the PDF to `path` and returns its number of pages.
    pub fn print_to_pdf(&mut self, path: &Path) -> usize {
        let printed = self.browser.call(
            Some(&self.session),
            "Page.printToPDF",
            json!({ "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": false }),
        );
        let data = base64::engine::general_purpose::STANDARD
            .decode(printed["data"].as_str().expect("PDF data"))
            .expect("base64 PDF");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("PDF folder");
        }
        std::fs::write(path, &data).expect("write PDF");
        // Each page of a PDF is an object of type /Page (the tree's nodes are /Pages).
        let text = String::from_utf8_lossy(&data);
        text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
    }

    /// Console errors, failed loads and uncaught exceptions seen so far.
    pub fn errors(&mut self) -> Vec<String> {
        // A round trip makes sure pending events have been read.
        self.eval("0");
        let session = json!(self.session);
        self.browser
            .events
            .iter()
            .filter(|e| e["sessionId"] == session)
            .filter_map(|e| match e["method"].as_str()? {
                "Runtime.exceptionThrown" => Some(e["params"]["exceptionDetails"].to_string()),
                "Runtime.consoleAPICalled" if e["params"]["type"] == json!("error") => {
                    Some(e["params"]["args"].to_string())
                }
                "Log.entryAdded" if e["params"]["entry"]["level"] == json!("error") => {
                    Some(e["params"]["entry"]["text"].to_string())
                }
                _ => None,
            })
            .collect()
    }
}

/// Where tests put their screenshots, to be looked at: `target/screenshots/`.
pub fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository")
        .join("target/screenshots")
        .join(name)
}
