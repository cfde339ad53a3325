//! `loyalty serve` against sockets that hold on: idle ones, ones that send half a header,
//! more than the process has descriptors for. Loopback only, bounded in count and time.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

/// The real binary under a soft descriptor limit of `soft` (and, with `hard`, a hard one).
fn serve_under(dir: &std::path::Path, limit: &str) -> (common::Reaped, String) {
    let bin = env!("CARGO_BIN_EXE_loyalty");
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!(
        "ulimit {limit} && exec '{bin}' serve --listen 127.0.0.1:0 --token t --demo 5 --db '{}'",
        dir.join("shop.db").display()
    ));
    common::spawn_serve(&mut cmd)
}

fn addr(url: &str) -> String {
    url.trim_start_matches("http://").to_string()
}

/// 1,100 idle sockets and 50 that sent half a header, against a server started under the
/// usual soft limit of 1,024 descriptors: a normal request still gets its answer (starved, it
/// would wait while the idle sockets stay open: ten seconds tells that from a loaded
/// machine), and the half-header sockets are closed after the header deadline.
#[test]
fn idle_and_slow_header_sockets_do_not_starve_a_till() {
    loyalty_console::server::listener::raise_descriptor_limit();
    let dir = tempfile::tempdir().unwrap();
    let (mut server, url) = serve_under(dir.path(), "-S -n 1024");
    let target = addr(&url);
    let idle: Vec<TcpStream> = (0..1100)
        .map(|_| TcpStream::connect(&target).unwrap())
        .collect();
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(&target).unwrap();
            s.write_all(b"GET /ext/api/v1/clients/?email=a HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap()
            .get(format!("{url}/ext/api/v1/clients/?email=test@test.ru"))
            .bearer_auth("t")
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    assert_eq!(status.unwrap(), 200);
    // The half-header sockets are closed by the server once the header deadline (10 s)
    // passes: a read ends (EOF or a last answer) instead of timing out on our side.
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut buf = [0u8; 256];
        // A signal (another test's child exiting) interrupts a blocking read: read again.
        let read = loop {
            match s.read(&mut buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        assert!(read.is_ok(), "a slow socket stayed open: {read:?}");
    }
    drop(idle);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// With fewer descriptors than connections, the ones beyond the cap get a clear 503 at once
/// instead of hanging.
#[test]
fn connections_beyond_the_cap_get_a_503_at_once() {
    loyalty_console::server::listener::raise_descriptor_limit();
    let dir = tempfile::tempdir().unwrap();
    // A hard limit of 256: the server keeps 128 for itself and holds at most 128.
    let (mut server, url) = serve_under(dir.path(), "-n 256");
    let target = addr(&url);
    let held: Vec<TcpStream> = (0..140)
        .map(|_| TcpStream::connect(&target).unwrap())
        .collect();
    // Every socket is read at once, each for up to five seconds: a held one never answers,
    // a refused one has its 503 long before (a fraction of a second on a loaded machine).
    let answers: Vec<String> = std::thread::scope(|scope| {
        let reads: Vec<_> = held
            .into_iter()
            .map(|mut s| {
                scope.spawn(move || {
                    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let mut buf = [0u8; 512];
                    let n = s.read(&mut buf).unwrap_or(0);
                    String::from_utf8_lossy(&buf[..n]).into_owned()
                })
            })
            .collect();
        reads.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let refused: Vec<&String> = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 503"))
        .collect();
    assert!(refused.len() >= 12, "{} of 140 refused", refused.len());
    assert!(refused.iter().all(|a| a.contains("retry-after: 1")));
    server.kill().unwrap();
    server.wait().unwrap();
}
