//! `cargo bench --bench perf`: frame cost against list length, demo seeding, and lookups on a
//! 100,000-client database, directly and over HTTP. Prints a table for docs/performance.md.
//! With `LOYALTY_BENCH_FLOORS=<database>` it prints instead, for `scripts/bench.sh`, the
//! floors of that database and of a frame: one `FLOOR name=microseconds` line each.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use loyalty_console::app::keys::key::{Key, KeyCode};
use loyalty_console::app::model::BackendLabel;
use loyalty_console::app::{Cmd, Model, Msg, update};
use loyalty_console::backend::ClientService;
use loyalty_console::backend::ext::ExtAdapter;
use loyalty_console::config::{ExtCredential, Secret};
use loyalty_console::domain::{Client, ClientId, ClientQuery, HistoryQuery};
use loyalty_console::i18n::Locale;
use loyalty_console::server::store::{self, Sqlite, Store};
use loyalty_console::server::{self, ServerState, demo};
use loyalty_console::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn per_iteration(iterations: u32, mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed() / iterations
}

fn model_with_results(n: usize) -> Model {
    let mut m = Model::new(
        Locale::Ru,
        TimeZone::UTC,
        BackendLabel::Embedded,
        Timestamp::now(),
    );
    for c in "9123".chars() {
        update(&mut m, Msg::Key(Key::plain(KeyCode::Char(c))));
    }
    let cmds = update(&mut m, Msg::Key(Key::plain(KeyCode::Enter)));
    let Some(Cmd::Search { id, .. }) = cmds.into_iter().next() else {
        panic!("no search")
    };
    let clients = (0..n)
        .map(|i| Client {
            id: ClientId(i as i64),
            name: Some(format!("Клиент Номер {i}")),
            phone: Some(format!(
                "+7 912 {:03}-{:02}-{:02}",
                i % 1000,
                i % 100,
                i % 97
            )),
            email: Some(format!("client{i}@почта.рф")),
        })
        .collect();
    update(
        &mut m,
        Msg::Searched {
            id,
            result: Ok(clients),
        },
    );
    // Select a row deep in the list so the window is not simply the first rows.
    for _ in 0..n.min(500) {
        update(&mut m, Msg::Key(Key::plain(KeyCode::Down)));
    }
    m
}

fn bench_render() {
    println!("| frame at 120x40 | results | time per frame |");
    println!("|---|---|---|");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    for n in [20usize, 1_000, 100_000] {
        let m = model_with_results(n);
        let t = per_iteration(300, || {
            terminal
                .draw(|f| {
                    black_box(ui::view(black_box(&m), f));
                })
                .unwrap();
        });
        println!("| client list | {n} | {t:.1?} |");
    }
}

fn bench_store(rt: &tokio::runtime::Runtime) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let store = Sqlite::open(&db).unwrap();
    let start = Instant::now();
    let now = Timestamp::now();
    store.with_conn(|c| demo::seed(c, 100_000, now)).unwrap();
    println!();
    println!("| operation on 100,000 clients | time |");
    println!("|---|---|");
    println!(
        "| `--demo 100000` seeding (one transaction) | {:.1?} |",
        start.elapsed()
    );
    let sample = ClientId(demo::SAMPLE_CLIENT_ID);
    let busy = ClientId(demo::SAMPLE_CLIENT_ID + 77_777);
    let cases: [(&str, Option<&str>, Option<&str>); 5] = [
        (
            "search: exact phone `+7 912 345-67-89`",
            Some("+7 912 345-67-89"),
            None,
        ),
        ("search: phone suffix `%5678`", Some("%5678"), None),
        (
            "search: phone prefix `7900%` (200 capped)",
            Some("7900%"),
            None,
        ),
        (
            "search: email prefix `ivan.petrov1%`",
            None,
            Some("ivan.petrov1%"),
        ),
        ("search: email suffix `%@test.ru`", None, Some("%@test.ru")),
    ];
    for (label, phone, email) in cases {
        let t = store
            .with_conn(|c| {
                Ok(per_iteration(500, || {
                    black_box(store::search_clients(c, phone, email).unwrap());
                }))
            })
            .unwrap();
        println!("| {label} | {t:.1?} |");
    }
    let q = HistoryQuery {
        from: None,
        to: None,
        offset: 0,
        limit: 50,
        after: None,
    };
    let t = store
        .with_conn(|c| {
            Ok(per_iteration(2000, || {
                black_box(store::history(c, busy, &q).unwrap());
            }))
        })
        .unwrap();
    println!("| history: one page of 50 | {t:.1?} |");
    let t = store
        .with_conn(|c| {
            Ok(per_iteration(2000, || {
                black_box(store::balances(c, sample).unwrap());
            }))
        })
        .unwrap();
    println!("| balance | {t:.1?} |");

    rt.block_on(async {
        let state = ServerState::new(Store::Sqlite(store.clone()), Some("bench".into())).await;
        let addr = server::spawn("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap();
        let adapter = ExtAdapter::new(
            &format!("http://{addr}"),
            ExtCredential::Bearer(Secret::new("bench")),
        )
        .unwrap();
        let query = ClientQuery::from_input("7912345678").unwrap();
        adapter.search(query.clone()).await.unwrap();
        let n = 500;
        let start = Instant::now();
        for _ in 0..n {
            black_box(adapter.search(query.clone()).await.unwrap());
        }
        println!(
            "| over HTTP: adapter search, sequential | {:.1?} |",
            start.elapsed() / n
        );
        let start = Instant::now();
        for _ in 0..n {
            black_box(adapter.history(busy, q).await.unwrap());
        }
        println!(
            "| over HTTP: adapter history page | {:.1?} |",
            start.elapsed() / n
        );
    });
}

/// An empty frame and the cashier's screen at 200x60; a bare lookup by primary key and the
/// store's exact phone search on the database at `db`.
fn floors(db: &std::path::Path) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let empty = per_iteration(2000, || {
        terminal.draw(|_| ()).unwrap();
    });
    let m = model_with_results(20);
    let cashier = per_iteration(2000, || {
        terminal
            .draw(|f| {
                black_box(ui::view(black_box(&m), f));
            })
            .unwrap();
    });
    let store = Sqlite::open(db).unwrap();
    let (query, phone) = store
        .with_conn(|c| {
            let mut by_id = c.prepare("SELECT id FROM clients WHERE id = ?1")?;
            let query = per_iteration(20_000, || {
                let id: i64 = by_id
                    .query_row([black_box(demo::SAMPLE_CLIENT_ID)], |r| r.get(0))
                    .unwrap();
                black_box(id);
            });
            let phone = per_iteration(20_000, || {
                // The seed document's sample client, in every demo database, as a till asks
                // for it: `%` and the last ten digits.
                let query = ClientQuery::from_input("7912345678").unwrap();
                let found = store::search_clients(c, query.phone.as_deref(), None).unwrap();
                assert_eq!(found.len(), 1, "the sample client is found");
                black_box(found);
            });
            Ok((query, phone))
        })
        .unwrap();
    for (name, t) in [
        ("empty_frame_200x60", empty),
        ("cashier_frame_200x60", cashier),
        ("indexed_query", query),
        ("store_phone_search", phone),
    ] {
        println!("FLOOR {name}={:.2}", t.as_nanos() as f64 / 1000.0);
    }
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent; only a real bench run measures.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if let Some(db) = std::env::var_os("LOYALTY_BENCH_FLOORS") {
        floors(std::path::Path::new(&db));
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    bench_render();
    bench_store(&rt);
}
