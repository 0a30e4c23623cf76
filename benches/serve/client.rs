//! A client for `chorus serve`, shared by `tests/integration/serve.rs` and the serve benchmark: starts
//! the real binary, sends raw HTTP requests over a `TcpStream` (so that paths reach the
//! server exactly as written, `..` and all) and reads the live-reload event stream.
//!
//! Every blocking call has a deadline: a broken server fails a test, it never hangs it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// A running `chorus serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
    /// The URL path the site is served under, e.g. `/` or `/review/`.
    pub base_path: String,
    /// What the server printed before it said where it listens (the first build).
    pub startup: Vec<String>,
    stdout: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `binary serve --root ROOT --port 0 ARGS…` and waits (at most `timeout`) for
    /// the line that says where it listens.
    pub fn start(binary: &Path, root: &Path, args: &[&str], timeout: Duration) -> Server {
        let mut child = Command::new(binary)
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chorus serve");
        let (lines, stdout) = channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("stderr");
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut text = collected.lock().expect("stderr lock");
                text.push_str(&line);
                text.push('\n');
            }
        });
        let mut server = Server {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_path: String::new(),
            startup: Vec::new(),
            stdout,
            stderr,
        };
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match server.stdout.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("Serving ") {
                        let url = url.split_whitespace().next().expect("a URL after Serving");
                        let rest = url.strip_prefix("http://").expect("an http URL");
                        let (authority, path) = rest.split_at(rest.find('/').expect("a path"));
                        server.address = authority.parse().expect("a socket address");
                        server.base_path = path.to_string();
                        return server;
                    }
                    server.startup.push(line);
                }
                Err(_) => panic!(
                    "chorus serve did not start within {timeout:?}; stderr:\n{}",
                    server.stderr()
                ),
            }
        }
    }

    /// Everything the server printed to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr lock").clone()
    }

    /// The next line the server prints to stdout, waiting at most `timeout`.
    pub fn next_line(&self, timeout: Duration) -> Option<String> {
        self.stdout.recv_timeout(timeout).ok()
    }

    /// Whether the process is still alive.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `GET base_path + path`.
    pub fn get(&self, path: &str) -> Response {
        request(
            self.address,
            &format!("GET {}{path} HTTP/1.1", self.base_path),
        )
    }

    /// Opens the event stream of a page that shows good build `since` (none: now).
    pub fn events(&self, since: Option<u64>) -> Events {
        let query = since.map(|g| format!("?since={g}")).unwrap_or_default();
        Events::open(
            self.address,
            &format!("{}__chorus/events{query}", self.base_path),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request_line` (e.g. `GET /../x HTTP/1.1`) with a Host header, as written,
/// and reads the whole response.
pub fn request(address: SocketAddr, request_line: &str) -> Response {
    send(
        address,
        format!("{request_line}\r\nHost: {address}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// Sends `raw`, a whole request (head and body) exactly as given, and reads the whole
/// response; the request should say `Connection: close`.
pub fn send(address: SocketAddr, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect_timeout(&address, REQUEST_TIMEOUT).expect("connect");
    stream
        .set_read_timeout(Some(REQUEST_TIMEOUT))
        .expect("read timeout");
    stream
        .set_write_timeout(Some(REQUEST_TIMEOUT))
        .expect("write timeout");
    stream.write_all(raw).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let end = find(&raw, b"\r\n\r\n").expect("a complete response head");
    let (status, headers) = head(&raw[..end]);
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        let mut decoded = Vec::new();
        dechunk(&mut body, &mut decoded);
        body = decoded;
    }
    Response {
        status,
        headers,
        body,
    }
}

fn head(raw: &[u8]) -> (u16, Vec<(String, String)>) {
    let text = String::from_utf8_lossy(raw);
    let mut lines = text.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    (status, headers)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Moves every complete chunk of chunked transfer coding from `raw` into `out`.
fn dechunk(raw: &mut Vec<u8>, out: &mut Vec<u8>) {
    while let Some(line_end) = find(raw, b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("a chunk size");
        let start = line_end + 2;
        if raw.len() < start + size + 2 {
            return;
        }
        out.extend_from_slice(&raw[start..start + size]);
        raw.drain(..start + size + 2);
        if size == 0 {
            return;
        }
    }
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: String,
}

impl Event {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("event data is not JSON ({e}): {}", self.data))
    }
}

/// An open event stream.
pub struct Events {
    stream: TcpStream,
    raw: Vec<u8>,
    text: String,
    chunked: bool,
}

impl Events {
    pub fn open(address: SocketAddr, target: &str) -> Events {
        let mut stream = TcpStream::connect_timeout(&address, REQUEST_TIMEOUT).expect("connect");
        stream
            .set_write_timeout(Some(REQUEST_TIMEOUT))
            .expect("write timeout");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send request");
        let mut events = Events {
            stream,
            raw: Vec::new(),
            text: String::new(),
            chunked: false,
        };
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        let end = loop {
            if let Some(end) = find(&events.raw, b"\r\n\r\n") {
                break end;
            }
            assert!(
                events.fill(deadline),
                "no response head from the event stream"
            );
        };
        let (status, headers) = head(&events.raw[..end]);
        assert_eq!(status, 200, "the event stream answers 200");
        let content_type = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.clone());
        assert_eq!(content_type.as_deref(), Some("text/event-stream"));
        events.chunked = headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
        events.raw.drain(..end + 4);
        events
    }

    /// Reads more bytes; false once `deadline` passes or the stream ends.
    fn fill(&mut self, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || self.stream.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        let mut buffer = [0u8; 16 * 1024];
        match self.stream.read(&mut buffer) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.raw.extend_from_slice(&buffer[..n]);
                true
            }
        }
    }

    /// The next event (keep-alive comments skipped), or `None` after `timeout`.
    pub fn next(&mut self, timeout: Duration) -> Option<Event> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut bytes = Vec::new();
            if self.chunked {
                dechunk(&mut self.raw, &mut bytes);
            } else {
                bytes = std::mem::take(&mut self.raw);
            }
            self.text.push_str(&String::from_utf8_lossy(&bytes));
            while let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let mut name = None;
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = Some(value.trim().to_string());
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
                    }
                }
                if name.is_some() || !data.is_empty() {
                    return Some(Event {
                        name: name.unwrap_or_else(|| "message".into()),
                        data: data.join("\n"),
                    });
                }
            }
            if !self.fill(deadline) {
                return None;
            }
        }
    }

    /// The next event, which must be called `name`.
    pub fn expect(&mut self, name: &str, timeout: Duration) -> Event {
        match self.next(timeout) {
            Some(event) if event.name == name => event,
            Some(event) => panic!(
                "expected a `{name}` event, got `{}`: {}",
                event.name, event.data
            ),
            None => panic!("no `{name}` event within {timeout:?}"),
        }
    }
}
