//! A gateway in front of a real vendor (a `loyalty serve`) that fails the way nginx or a
//! cloud balancer does: it forwards the request, the vendor carries it out, and then the
//! till gets a 5xx, garbage, a dropped connection or nothing at all. Money code is tested
//! through it so that "the server failed" never passes for "nothing happened".

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the gateway does with a request whose path ends with the rule's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Forwarded, and the vendor's own answer is passed back.
    Pass,
    /// Forwarded; the vendor's answer is replaced by this status with an HTML page.
    Status(u16),
    /// Forwarded; the till gets a 200 whose body is not JSON.
    Garbage,
    /// Forwarded; the connection is reset instead of answering.
    Drop,
    /// Forwarded; no answer ever comes (the till gives up on its own timeout).
    Hang,
    /// Not forwarded: the gateway answers this status itself (the vendor is down).
    Before(u16),
}

struct Rule {
    path: String,
    after: After,
    /// How many requests the rule still applies to.
    left: usize,
}

/// Every request the gateway saw: (path, body), and how it was answered.
#[derive(Default)]
pub struct Seen {
    pub requests: Mutex<Vec<(String, String, After)>>,
    /// The status of each answer the till got, by path, in order (none when it got none).
    pub answered: Mutex<Vec<(String, u16)>>,
}

impl Seen {
    /// How many requests went to paths ending with `path` (forwarded or not).
    pub fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(line, _, _)| line.ends_with(path))
            .count()
    }

    /// The bodies sent to paths ending with `path`.
    pub fn bodies(&self, path: &str) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(line, _, _)| line.ends_with(path))
            .map(|(_, body, _)| body.clone())
            .collect()
    }
}

#[derive(Clone)]
pub struct Gateway {
    pub url: String,
    pub seen: Arc<Seen>,
    rules: Arc<Mutex<Vec<Rule>>>,
}

impl Gateway {
    /// A gateway on a loopback port in front of `upstream` (`host:port`); it runs on the
    /// test's runtime and ends with it.
    pub async fn start(upstream: std::net::SocketAddr) -> Gateway {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let gateway = Gateway {
            url,
            seen: Arc::default(),
            rules: Arc::default(),
        };
        let shared = gateway.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(shared.clone().serve(socket, upstream));
            }
        });
        gateway
    }

    /// The next `times` requests whose path ends with `path` are answered as `after` says;
    /// rules apply in the order they were given.
    pub fn fail(&self, path: &str, after: After, times: usize) {
        self.rules.lock().unwrap().push(Rule {
            path: path.to_string(),
            after,
            left: times,
        });
    }

    fn verdict(&self, line: &str) -> After {
        let mut rules = self.rules.lock().unwrap();
        match rules
            .iter_mut()
            .find(|r| r.left > 0 && line.ends_with(&r.path))
        {
            Some(rule) => {
                rule.left -= 1;
                rule.after
            }
            None => After::Pass,
        }
    }

    async fn serve(self, mut socket: TcpStream, upstream: std::net::SocketAddr) {
        // One request per connection: the answer says `connection: close`.
        let Some(request) = read_request(&mut socket).await else {
            return;
        };
        let head = String::from_utf8_lossy(&request).to_string();
        // The path alone: no method, no query (it may carry a credential).
        let line = head.lines().next().unwrap_or_default();
        let target = line.split(' ').nth(1).unwrap_or_default();
        let line = target.split('?').next().unwrap_or_default().to_string();
        let body = head
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        let after = self.verdict(&line);
        self.seen
            .requests
            .lock()
            .unwrap()
            .push((line.clone(), body, after));
        let answer = match after {
            After::Before(code) => page(code),
            _ => {
                let answer = forward(&request, upstream).await;
                match after {
                    After::Pass => answer,
                    After::Status(code) => page(code),
                    After::Garbage => {
                        let body = "<html><body>upstream answered; proxy cache page</body></html>";
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        )
                        .into_bytes()
                    }
                    After::Drop => {
                        // Linger 0 turns the close into a reset; with a zero timeout the
                        // drop does not block, which is what the deprecation warns about.
                        #[allow(deprecated)]
                        let _ = socket.set_linger(Some(Duration::ZERO));
                        return;
                    }
                    After::Hang => {
                        // Held open until the till gives up and closes its side.
                        let mut sink = [0u8; 64];
                        let _ = socket.read(&mut sink).await;
                        return;
                    }
                    After::Before(_) => unreachable!(),
                }
            }
        };
        let status = String::from_utf8_lossy(&answer[..answer.len().min(16)])
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        self.seen.answered.lock().unwrap().push((line, status));
        let _ = socket.write_all(&answer).await;
    }
}

/// A gateway's own error page with `code`.
fn page(code: u16) -> Vec<u8> {
    let body = format!("<html><head><title>{code}</title></head><body>nginx</body></html>");
    format!(
        "HTTP/1.1 {code} Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The request's head and its `content-length` body, or `None` if the till went away.
async fn read_request(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(data);
            }
        }
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

/// Sends the request to the vendor with `connection: close` and reads its whole answer.
async fn forward(request: &[u8], upstream: std::net::SocketAddr) -> Vec<u8> {
    let text = String::from_utf8_lossy(request);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut head: Vec<&str> = head
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    head.push("connection: close");
    let request = format!("{}\r\n\r\n{body}", head.join("\r\n"));
    let mut vendor = TcpStream::connect(upstream)
        .await
        .expect("the vendor is up");
    vendor.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = vendor.read_to_end(&mut answer).await;
    answer
}
