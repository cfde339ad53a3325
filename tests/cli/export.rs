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
    let done = export::run(&svc, dir.path(), history).await.unwrap();
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
    let done = export::run(&svc, dir.path(), Export::Registrations { query: q, zone })
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
    let done = export::run(&svc, dir.path(), Export::CardOperations(q))
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
    let done = export::run(&svc, dir.path(), export).await.unwrap();
    assert_eq!(done.rows, 2);
    let clients: Vec<String> = read(&done.path).iter().map(|r| r[0].to_string()).collect();
    assert_eq!(clients, ["1", "3"]);
}
