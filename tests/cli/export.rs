//! CSV exports against `loyalty serve`: every row of the filter, all pages, one header.

use crate::common;

use common::{INTEGRATION_KEY, MANAGER, PASSWORD, TOKEN, TestServer};
use jiff::tz::TimeZone;
use loyalty_console::app::msg::Export;
use loyalty_console::backend::Services;
use loyalty_console::config::{
    Endpoint, ExtCredential, ExtSettings, MloyaltySettings, Providers, Secret, WriteOffMode,
};
use loyalty_console::domain::ClientId;
use loyalty_console::domain::admin::{
    CardOperationQuery, RegistrationQuery, SortColumn, SortDirection,
};
use loyalty_console::ops::export;
use loyalty_console::server::demo::{CARD_PROMO_ID, SAMPLE_CLIENT_ID};

fn services(s: &TestServer) -> Services {
    let endpoint = |secret: &str| Endpoint {
        base_url: s.url(),
        secret: Secret::new(secret),
    };
    let providers = Providers {
        ext: Some(ExtSettings {
            base_url: s.url(),
            credential: ExtCredential::Bearer(Secret::new(TOKEN)),
            write_off: WriteOffMode::Direct,
            receipt: loyalty_console::config::ReceiptMode::default(),
            codes: Default::default(),
        }),
        poster: Some(endpoint(TOKEN)),
        mloyalty: Some(MloyaltySettings {
            endpoint: endpoint(PASSWORD),
            username: MANAGER.into(),
            token: None,
            operator: None,
            zone: TimeZone::UTC,
        }),
        regos: Some(endpoint(INTEGRATION_KEY)),
        request_timeout: None,
        read_budget: None,
        max_response_bytes: None,
        faults: Vec::new(),
    };
    let (services, faults) = Services::from_providers(&providers);
    assert!(faults.is_empty(), "{faults:?}");
    services
}

fn read(path: &std::path::Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn exports_write_every_row_of_the_filter() {
    let s = TestServer::start(300).await;
    let svc = services(&s);
    let dir = tempfile::tempdir().unwrap();

    let history = Export::History {
        client: ClientId(SAMPLE_CLIENT_ID + 1),
        from: None,
        to: None,
    };
    let done = export::run(&svc, dir.path(), history, |_| {})
        .await
        .unwrap();
    let expected = svc
        .clients
        .as_ref()
        .unwrap()
        .history(
            ClientId(SAMPLE_CLIENT_ID + 1),
            loyalty_console::domain::HistoryQuery {
                from: None,
                to: None,
                offset: 0,
                limit: 1000,
                after: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(done.rows, expected.len());
    assert_eq!(read(&done.path).len(), expected.len());
    assert!(done.path.starts_with(dir.path()));

    let today = s.anchor.to_zoned(TimeZone::UTC).date();
    let q = RegistrationQuery {
        from: today.checked_sub(jiff::Span::new().days(500)).unwrap(),
        to: today,
        pos: None,
    };
    let zone = TimeZone::UTC;
    let done = export::run(
        &svc,
        dir.path(),
        Export::Registrations { query: q, zone },
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(done.rows, 300);
    let rows = read(&done.path);
    assert!(rows.iter().any(|r| r[0] == *SAMPLE_CLIENT_ID.to_string()));

    // Card operations come in pages of 500; a card with few operations still pages once.
    let q = CardOperationQuery {
        card_id: 1,
        promo_id: CARD_PROMO_ID,
        kind: None,
        from: None,
        to: None,
        sort: SortColumn::Date,
        direction: SortDirection::Desc,
        offset: 0,
        limit: 5,
    };
    let done = export::run(&svc, dir.path(), Export::CardOperations(q), |_| {})
        .await
        .unwrap();
    let page = svc
        .card_operations
        .as_ref()
        .unwrap()
        .card_operations(CardOperationQuery { limit: 100, ..q })
        .await
        .unwrap();
    assert_eq!(done.rows as u64, page.total.unwrap());
    let header = csv::Reader::from_path(&done.path)
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    assert_eq!(&header[1], "type");
}

#[tokio::test]
async fn an_unwritable_folder_is_a_clear_error() {
    let s = TestServer::start(5).await;
    let svc = services(&s);
    let file = tempfile::NamedTempFile::new().unwrap();
    // A file where the folder should be.
    let e = export::run(
        &svc,
        &file.path().join("sub"),
        Export::History {
            client: ClientId(SAMPLE_CLIENT_ID),
            from: None,
            to: None,
        },
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(e.detail.contains("sub"), "{}", e.detail);
}

/// A vendor that ignores the period: it answers every query with the same rows, one of
/// them from April 2024.
struct IgnoresPeriod(Vec<loyalty_console::domain::admin::Registration>);

impl loyalty_console::backend::RegistrationService for IgnoresPeriod {
    fn registrations(
        &self,
        _: RegistrationQuery,
    ) -> loyalty_console::backend::BoxFuture<
        '_,
        loyalty_console::backend::ServiceResult<Vec<loyalty_console::domain::admin::Registration>>,
    > {
        let rows = self.0.clone();
        Box::pin(async move { Ok(rows) })
    }
}

/// The export of a period holds only the period's rows, whatever the vendor sent: the
/// console's F5 leaves the others out, and so does its CSV.
#[tokio::test]
async fn registrations_from_outside_the_period_stay_out_of_the_csv() {
    let row = |client: i64, at: &str| loyalty_console::domain::admin::Registration {
        client,
        card: client,
        out_number: 0,
        is_virtual: false,
        card_type: "Бонусная".into(),
        card_status: "Активна".into(),
        pos: 1,
        pos_name: "Кафе".into(),
        registered: at.parse().unwrap(),
    };
    let vendor = IgnoresPeriod(vec![
        row(1, "2026-12-05T09:00:00+03:00"),
        row(2, "2024-04-12T10:00:00+03:00"),
        // 23:30 in Moscow on the 5th is the 5th there, though the 5th is over in UTC+4.
        row(3, "2026-12-05T20:30:00Z"),
    ]);
    let svc = Services {
        registrations: Some(std::sync::Arc::new(vendor)),
        ..Services::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let day: jiff::civil::Date = "2026-12-05".parse().unwrap();
    let export = Export::Registrations {
        query: RegistrationQuery {
            from: day,
            to: day,
            pos: None,
        },
        zone: TimeZone::get("Europe/Moscow").unwrap(),
    };
    let done = export::run(&svc, dir.path(), export, |_| {}).await.unwrap();
    assert_eq!(done.rows, 2);
    let clients: Vec<String> = read(&done.path).iter().map(|r| r[0].to_string()).collect();
    assert_eq!(clients, ["1", "3"]);
}

/// A REGOS card with `total` operations, served a page at a time as the vendor pages them
/// (`offset`, `limit`, no `next_offset`); past `fail_from` it answers with a failure.
struct Operations {
    total: u32,
    fail_from: Option<u32>,
}

impl loyalty_console::backend::CardOperationService for Operations {
    fn card_operations(
        &self,
        q: CardOperationQuery,
    ) -> loyalty_console::backend::BoxFuture<
        '_,
        loyalty_console::backend::ServiceResult<loyalty_console::domain::admin::CardOperationPage>,
    > {
        let (total, fail_from) = (self.total, self.fail_from);
        Box::pin(async move {
            if fail_from.is_some_and(|from| q.offset >= from) {
                return Err(loyalty_console::domain::ServiceError::new(
                    loyalty_console::domain::ErrorKind::Unreachable,
                    "the vendor went away",
                ));
            }
            let operations = (q.offset..total.min(q.offset + q.limit))
                .map(|n| loyalty_console::domain::admin::CardOperation {
                    uuid: Some(format!("op-{n}")),
                    kind: None,
                    amount: None,
                    value: None,
                    used_value: None,
                    is_payment: None,
                    date: None,
                    expires: None,
                    description: None,
                    last_update: None,
                })
                .collect();
            Ok(loyalty_console::domain::admin::CardOperationPage {
                operations,
                next_offset: None,
                total: Some(total.into()),
            })
        })
    }

    fn find_cards(
        &self,
        _: String,
    ) -> loyalty_console::backend::BoxFuture<
        '_,
        loyalty_console::backend::ServiceResult<Vec<loyalty_console::domain::admin::RetailCard>>,
    > {
        Box::pin(async { Ok(Vec::new()) })
    }
}

fn operations_of(vendor: Operations) -> (Services, Export) {
    let svc = Services {
        card_operations: Some(std::sync::Arc::new(vendor)),
        ..Services::default()
    };
    let export = Export::CardOperations(CardOperationQuery {
        card_id: 1,
        promo_id: CARD_PROMO_ID,
        kind: None,
        from: None,
        to: None,
        sort: SortColumn::Date,
        direction: SortDirection::Desc,
        offset: 0,
        limit: 5,
    });
    (svc, export)
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Each page is written as it arrives and said so (the console's «Выгружено N строк…»):
/// the rows so far after every page, every row once, in the vendor's order, and only the
/// finished `.csv` left in the folder.
#[tokio::test]
async fn an_export_reports_its_rows_after_every_page() {
    let (svc, export) = operations_of(Operations {
        total: 1234,
        fail_from: None,
    });
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    let done = export::run(&svc, dir.path(), export, |rows| seen.push(rows))
        .await
        .unwrap();
    assert_eq!(seen, [500, 1000, 1234]);
    assert_eq!(done.rows, 1234);
    let uuids: Vec<String> = read(&done.path).iter().map(|r| r[8].to_string()).collect();
    let expected: Vec<String> = (0..1234).map(|n| format!("op-{n}")).collect();
    assert_eq!(uuids, expected);
    let name = done
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.ends_with(".csv"), "{name}");
    assert_eq!(files_in(dir.path()), [name]);
}

/// An export the vendor breaks off midway leaves nothing behind that could be taken for
/// the whole table: no `.csv`, and its `.csv.part` removed.
#[tokio::test]
async fn an_export_that_fails_midway_leaves_no_file() {
    let (svc, export) = operations_of(Operations {
        total: 5000,
        fail_from: Some(1500),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    let e = export::run(&svc, dir.path(), export, |rows| seen.push(rows))
        .await
        .unwrap_err();
    assert!(e.detail.contains("went away"), "{}", e.detail);
    assert_eq!(
        seen,
        [500, 1000, 1500],
        "three pages were written before it"
    );
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}
