//! `loyalty serve` against sockets that hold on: idle ones, ones that send half a header,
//! more than the process has descriptors for. Loopback only, bounded in count and time.

mod common;

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
/// usual soft limit of 1,024 descriptors: a normal request still gets its answer (within a
/// one-second client timeout), and the half-header sockets are closed after the header
/// deadline.
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
            .timeout(Duration::from_secs(1))
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
        let read = s.read(&mut buf);
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
    let mut refused = 0;
    for mut s in held {
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut buf = [0u8; 512];
        if let Ok(n) = s.read(&mut buf)
            && String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 503")
        {
            assert!(String::from_utf8_lossy(&buf[..n]).contains("retry-after: 1"));
            refused += 1;
        }
    }
    assert!(refused >= 12, "{refused} of 140 refused");
    server.kill().unwrap();
    server.wait().unwrap();
}
