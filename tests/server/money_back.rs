//! Money both ways on both stores, through the `Store` the routes use: every
//! write-off an operation, reversals that never give back more than the original (also
//! when eight ask at once), reversals once per key, coupons back unless expired, the limits
//! of a point of sale at and one past each edge, a manager's override, the shift report
//! equal to the ledger, and `--check` finding an over-reversal planted by hand.
//!
//! The wire shapes are our own extension of the seed-001 family (`wire::ext_operations`);
//! the client that speaks them is this repository's `src/backend/ext/money.rs`.

use crate::common;

use common::postgres::Postgres as Cluster;
use jiff::{SignedDuration, Timestamp};
use loyalty_console::domain::limits::{LimitKind, Limits, ManagerPin};
use loyalty_console::domain::reversal::{OperationKind, ReasonCode, Why};
use loyalty_console::domain::{
    Amount, ClientId, CouponId, HistoryQuery, OperationId, Receipt, Reversal, WriteOff,
};
use loyalty_console::server::demo::SAMPLE_CLIENT_ID;
use loyalty_console::server::store::{
    DbTarget, Idempotency, Keyed, Made, Refusal, Store, StoreError,
};

const SAMPLE: ClientId = ClientId(SAMPLE_CLIENT_ID);
const CLIENTS: u64 = 60;

fn anchor() -> Timestamp {
    Timestamp::from_second(1_790_000_000).unwrap()
}

fn made_by(principal: &str, login: &str, at: Timestamp) -> Made {
    Made {
        at,
        by: Some(login.into()),
        principal: Some(principal.into()),
        ..Made::default()
    }
}

fn made(at: Timestamp) -> Made {
    made_by("till-1", "kassa@shop.ru", at)
}

fn points(minor: i64) -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(minor)),
        ..WriteOff::default()
    }
}

fn back(original: OperationId, client: ClientId, minor: i64) -> Reversal {
    Reversal {
        original,
        client,
        points: Some(Amount::from_minor(minor)),
        rubles: None,
        coupons: vec![],
        why: Why::new(ReasonCode::Returned, None).unwrap(),
    }
}

fn answer(result: Result<OperationId, &StoreError>) -> (u16, String) {
    match result {
        Ok(operation) => (200, format!("{{\"operationId\":{operation}}}")),
        Err(e) => (422, e.to_string()),
    }
}

fn refusal(e: StoreError) -> Refusal {
    match e {
        StoreError::Refused(r) => r,
        other => panic!("not a refusal: {other}"),
    }
}

async fn points_of(store: &Store, client: ClientId) -> i64 {
    store.balances(client).await.unwrap().points.minor()
}

/// Demo clients other than the sample with at least `minor` points, in id order.
async fn rich(store: &Store, minor: i64) -> Vec<ClientId> {
    let mut found = Vec::new();
    for n in 1..CLIENTS as i64 {
        let id = ClientId(SAMPLE_CLIENT_ID + n);
        if let Ok(b) = store.balances(id).await
            && b.points.minor() >= minor
        {
            found.push(id);
        }
    }
    found
}

async fn sqlite(dir: &tempfile::TempDir) -> Store {
    let target = DbTarget::parse(dir.path().join("money.db").to_str().unwrap()).unwrap();
    Store::open(&target).await.expect("open SQLite")
}

async fn postgres(cluster: &Cluster) -> Store {
    let target = DbTarget::parse(&cluster.fresh_database().await).unwrap();
    Store::open(&target).await.expect("open PostgreSQL")
}

/// Every scenario, in turn, on one freshly seeded store.
async fn contract(store: Store) {
    store.seed_demo(CLIENTS, anchor()).await.unwrap();
    let clients = rich(&store, 30_000).await;
    assert!(
        clients.len() >= 8,
        "demo clients with 300 points: {clients:?}"
    );
    reversals_give_back_at_most_the_original(&store, clients[0]).await;
    coupons_come_back_unless_expired(&store).await;
    a_reversal_is_done_once_per_key(&store, clients[1]).await;
    concurrent_reversals_never_give_back_more(&store, clients[2]).await;
    each_limit_allows_its_edge_and_refuses_one_past(&store, &clients[3..7]).await;
    a_manager_goes_past_the_limits_and_is_recorded(&store, clients[7]).await;
    limits_hold_when_tills_race(&store, &clients[..8]).await;
    the_shift_report_equals_the_ledger(&store, &clients[..2]).await;
    let report = store.check().await.unwrap();
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    assert!(
        report.over_reversed.is_empty(),
        "{:?}",
        report.over_reversed
    );
}

async fn reversals_give_back_at_most_the_original(store: &Store, client: ClientId) {
    let before = points_of(store, client).await;
    let receipt = Receipt {
        number: "ЧЕК-0042".into(),
        total: Amount::from_minor(100_000),
    };
    let request = WriteOff {
        receipt: Some(receipt.clone()),
        ..points(10_000)
    };
    let written = store
        .write_off(client, request, made(anchor()))
        .await
        .unwrap();
    assert_eq!(written.ledger.len(), 1);
    let op = store.operation(written.operation).await.unwrap().unwrap();
    assert_eq!(op.kind, OperationKind::WriteOff);
    assert_eq!(
        (op.client, op.points, op.at),
        (client, Amount::from_minor(10_000), anchor())
    );
    assert_eq!(op.receipt, Some(receipt));
    assert_eq!(op.who.principal.as_deref(), Some("till-1"));
    assert_eq!(op.who.login.as_deref(), Some("kassa@shop.ru"));
    assert_eq!(op.who.manager, None);
    // Its history row says what the operation keeps.
    let page = HistoryQuery {
        from: Some(anchor()),
        to: None,
        offset: 0,
        limit: 10,
        after: None,
    };
    let rows = store.history(client, page).await.unwrap();
    let about = rows[0].about.clone().expect("a row of an operation");
    assert_eq!(about.operation, Some(written.operation));
    assert_eq!(about.kind, Some(OperationKind::WriteOff));
    assert_eq!(about.receipt, op.receipt);
    assert_eq!(about.who, op.who);

    // Part of it back.
    let later = anchor() + SignedDuration::from_mins(5);
    let part = store
        .reverse(back(written.operation, client, 40_00), made(later))
        .await
        .unwrap();
    assert_ne!(part.operation, written.operation);
    assert_eq!(points_of(store, client).await, before - 60_00);
    let op = store.operation(written.operation).await.unwrap().unwrap();
    assert_eq!(op.reversed_points, Amount::from_minor(40_00));
    let reversal = store.operation(part.operation).await.unwrap().unwrap();
    assert_eq!(reversal.kind, OperationKind::Reversal);
    assert_eq!(reversal.original, Some(written.operation));
    assert_eq!(reversal.points, Amount::from_minor(40_00));
    assert_eq!(reversal.why.map(|w| w.code), Some(ReasonCode::Returned));
    let rows = store.history(client, page).await.unwrap();
    let about = rows[0].about.clone().expect("a row of an operation");
    assert_eq!(
        (about.operation, about.original),
        (Some(part.operation), Some(written.operation))
    );
    assert_eq!(about.why.map(|w| w.code), Some(ReasonCode::Returned));

    // More than is left: refused, nothing moves.
    let e = store
        .reverse(back(written.operation, client, 60_01), made(later))
        .await
        .unwrap_err();
    assert!(matches!(refusal(e), Refusal::OverReversal(..)));
    assert_eq!(points_of(store, client).await, before - 60_00);
    // Roubles it never took are over the original too.
    let roubles = Reversal {
        points: None,
        rubles: Some(Amount::from_minor(1)),
        ..back(written.operation, client, 1)
    };
    let e = store.reverse(roubles, made(later)).await.unwrap_err();
    assert!(matches!(refusal(e), Refusal::OverReversal(..)));

    // The rest: all of it is back, and nothing more can be.
    store
        .reverse(back(written.operation, client, 60_00), made(later))
        .await
        .unwrap();
    assert_eq!(points_of(store, client).await, before);
    let e = store
        .reverse(back(written.operation, client, 1), made(later))
        .await
        .unwrap_err();
    assert!(matches!(refusal(e), Refusal::OverReversal(..)));

    // Not a write-off, another client's, or no operation at all.
    let e = store
        .reverse(back(part.operation, client, 1), made(later))
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::NotReversible(part.operation.0));
    let e = store
        .reverse(back(written.operation, SAMPLE, 1), made(later))
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::NotReversible(written.operation.0));
    let e = store
        .reverse(back(OperationId(999_999), client, 1), made(later))
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::OperationNotFound(999_999));
    assert_eq!(points_of(store, client).await, before);
}

/// The sample's coupon 1235 expires 30 days after the anchor (`server::demo`).
async fn coupons_come_back_unless_expired(store: &Store) {
    let coupon = CouponId(1235);
    let has = |coupons: &[loyalty_console::domain::Coupon]| coupons.iter().any(|c| c.id == coupon);
    let written = store
        .write_off(
            SAMPLE,
            WriteOff {
                coupons: vec![coupon],
                ..WriteOff::default()
            },
            made(anchor()),
        )
        .await
        .unwrap();
    assert!(!has(&store.coupons(SAMPLE).await.unwrap()));
    let coupon_back = |original| Reversal {
        points: None,
        coupons: vec![coupon],
        ..back(original, SAMPLE, 1)
    };
    store
        .reverse(coupon_back(written.operation), made(anchor()))
        .await
        .unwrap();
    assert!(
        has(&store.coupons(SAMPLE).await.unwrap()),
        "the coupon is back"
    );
    let op = store.operation(written.operation).await.unwrap().unwrap();
    assert_eq!(op.reversed_coupons, vec![coupon]);
    // Twice is over the original.
    let e = store
        .reverse(coupon_back(written.operation), made(anchor()))
        .await
        .unwrap_err();
    assert!(matches!(refusal(e), Refusal::OverReversal(..)));
    // Spent again, then asked back after it has expired: refused, and nothing is done.
    let again = store
        .write_off(
            SAMPLE,
            WriteOff {
                coupons: vec![coupon],
                ..points(1_00)
            },
            made(anchor()),
        )
        .await
        .unwrap();
    let before = points_of(store, SAMPLE).await;
    let month = anchor() + SignedDuration::from_hours(31 * 24);
    let both = Reversal {
        points: Some(Amount::from_minor(1_00)),
        ..coupon_back(again.operation)
    };
    let e = store.reverse(both, made(month)).await.unwrap_err();
    assert_eq!(refusal(e), Refusal::CouponExpired(1235));
    assert_eq!(
        points_of(store, SAMPLE).await,
        before,
        "nothing was given back"
    );
    let op = store.operation(again.operation).await.unwrap().unwrap();
    assert_eq!(op.reversed_points, Amount::ZERO);
}

async fn a_reversal_is_done_once_per_key(store: &Store, client: ClientId) {
    // A keyed write-off's stored answer names its operation (PostgreSQL writes it in the
    // statement that draws the number), and its replay repeats it.
    let write_key = || Idempotency {
        scope: "till-1".into(),
        key: "write-1".into(),
        fingerprint: "w1".into(),
    };
    let fresh = store
        .write_off_once(client, points(50_00), made(anchor()), write_key(), answer)
        .await
        .unwrap();
    let Keyed::Fresh(Ok(written)) = fresh else {
        panic!("{fresh:?}")
    };
    let replay = store
        .write_off_once(client, points(50_00), made(anchor()), write_key(), answer)
        .await
        .unwrap();
    let Keyed::Replay { status, body } = replay else {
        panic!("{replay:?}")
    };
    assert_eq!(
        (status, body),
        (200, format!("{{\"operationId\":{}}}", written.operation))
    );
    let before = points_of(store, client).await;
    let idem = || Idempotency {
        scope: "till-1".into(),
        key: "reverse-1".into(),
        fingerprint: "r1".into(),
    };
    let reversal = back(written.operation, client, 20_00);
    let first = store
        .reverse_once(reversal.clone(), made(anchor()), idem(), answer)
        .await
        .unwrap();
    let Keyed::Fresh(Ok(done)) = first else {
        panic!("{first:?}")
    };
    let replay = store
        .reverse_once(reversal.clone(), made(anchor()), idem(), answer)
        .await
        .unwrap();
    let Keyed::Replay { status, body } = replay else {
        panic!("{replay:?}")
    };
    assert_eq!(status, 200);
    assert_eq!(body, format!("{{\"operationId\":{}}}", done.operation));
    assert_eq!(points_of(store, client).await, before + 20_00, "done once");
    let other = Idempotency {
        fingerprint: "r2".into(),
        ..idem()
    };
    let mismatch = store
        .reverse_once(reversal, made(anchor()), other, answer)
        .await
        .unwrap();
    assert!(matches!(mismatch, Keyed::Mismatch), "{mismatch:?}");
    // A refusal is kept under its key too.
    let over = Idempotency {
        key: "reverse-2".into(),
        ..idem()
    };
    let too_much = back(written.operation, client, 30_01);
    let refused = store
        .reverse_once(too_much.clone(), made(anchor()), over, answer)
        .await
        .unwrap();
    assert!(
        matches!(
            refused,
            Keyed::Fresh(Err(StoreError::Refused(Refusal::OverReversal(..))))
        ),
        "{refused:?}"
    );
    let again = Idempotency {
        key: "reverse-2".into(),
        ..idem()
    };
    let replay = store
        .reverse_once(too_much, made(anchor()), again, answer)
        .await
        .unwrap();
    assert!(
        matches!(replay, Keyed::Replay { status: 422, .. }),
        "{replay:?}"
    );
}

/// Eight reversals of 40% of one write-off at once: two fit, six are refused, and the
/// client gets back exactly 80%.
async fn concurrent_reversals_never_give_back_more(store: &Store, client: ClientId) {
    let written = store
        .write_off(client, points(10_000), made(anchor()))
        .await
        .unwrap();
    let before = points_of(store, client).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            let reversal = back(written.operation, client, 40_00);
            tokio::spawn(async move { store.reverse(reversal, made(anchor())).await })
        })
        .collect();
    let mut done = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => done += 1,
            Err(e) => assert!(matches!(refusal(e), Refusal::OverReversal(..))),
        }
    }
    assert_eq!(done, 2);
    assert_eq!(points_of(store, client).await, before + 80_00);
    let op = store.operation(written.operation).await.unwrap().unwrap();
    assert_eq!(op.reversed_points, Amount::from_minor(80_00));
}

fn limited(limits: Limits, principal: &str) -> Made {
    Made {
        limits,
        ..made_by(principal, "kassa", anchor())
    }
}

fn limit_refused(e: StoreError, kind: LimitKind) -> String {
    match e {
        StoreError::Refused(Refusal::Limit(k, value)) if k == kind => value,
        other => panic!("not the {} limit: {other}", kind.code()),
    }
}

/// Each limit alone: at its edge the write-off goes through, one kopeck (or one write-off)
/// past it is refused and nothing moves.
async fn each_limit_allows_its_edge_and_refuses_one_past(store: &Store, clients: &[ClientId]) {
    let with_receipt = |minor, total| WriteOff {
        receipt: Some(Receipt {
            number: "77".into(),
            total: Amount::from_minor(total),
        }),
        ..points(minor)
    };
    // 30% of a 100.00 receipt.
    let share = limited(
        Limits {
            receipt_share: Some(30),
            ..Limits::default()
        },
        "pos-share",
    );
    let c = clients[0];
    let before = points_of(store, c).await;
    let e = store
        .write_off(c, with_receipt(30_01, 10_000), share.clone())
        .await
        .unwrap_err();
    assert!(limit_refused(e, LimitKind::ReceiptShare).contains("30%"));
    let e = store
        .write_off(c, points(1_00), share.clone())
        .await
        .unwrap_err();
    assert_eq!(refusal(e), Refusal::ReceiptRequired);
    assert_eq!(points_of(store, c).await, before, "nothing moved");
    let available = store
        .available(c, Some(Amount::from_minor(10_000)), share.clone())
        .await
        .unwrap();
    assert_eq!(available.points, Amount::from_minor(30_00));
    assert_eq!(available.limited_by, Some(LimitKind::ReceiptShare));
    store
        .write_off(c, with_receipt(30_00, 10_000), share)
        .await
        .unwrap();
    assert_eq!(points_of(store, c).await, before - 30_00);

    // 5.00 per write-off.
    let op = limited(
        Limits {
            operation: Some(Amount::from_minor(5_00)),
            ..Limits::default()
        },
        "pos-op",
    );
    let c = clients[1];
    let before = points_of(store, c).await;
    let e = store
        .write_off(c, points(5_01), op.clone())
        .await
        .unwrap_err();
    assert_eq!(
        limit_refused(e, LimitKind::Operation),
        format!("{} per write-off", Amount::from_minor(5_00))
    );
    assert_eq!(points_of(store, c).await, before);
    store.write_off(c, points(5_00), op).await.unwrap();

    // Two write-offs per client per day, whichever till.
    let day = |principal| {
        limited(
            Limits {
                client_day: Some(2),
                ..Limits::default()
            },
            principal,
        )
    };
    let c = clients[2];
    let before = points_of(store, c).await;
    store
        .write_off(c, points(1), day("pos-day-1"))
        .await
        .unwrap();
    store
        .write_off(c, points(1), day("pos-day-2"))
        .await
        .unwrap();
    let e = store
        .write_off(c, points(1), day("pos-day-1"))
        .await
        .unwrap_err();
    limit_refused(e, LimitKind::ClientDay);
    assert_eq!(points_of(store, c).await, before - 2);
    // The next day counts afresh.
    let tomorrow = Made {
        at: anchor() + SignedDuration::from_hours(24),
        ..day("pos-day-1")
    };
    store.write_off(c, points(1), tomorrow).await.unwrap();

    // 10.00 per cashier per shift, across clients.
    let shift = limited(
        Limits {
            cashier_shift: Some(Amount::from_minor(10_00)),
            ..Limits::default()
        },
        "pos-shift",
    );
    let (a, b) = (clients[3], clients[0]);
    store
        .write_off(a, points(6_00), shift.clone())
        .await
        .unwrap();
    store
        .write_off(b, points(4_00), shift.clone())
        .await
        .unwrap();
    let before = points_of(store, a).await;
    let e = store
        .write_off(a, points(1), shift.clone())
        .await
        .unwrap_err();
    let cap = format!("{} per cashier per shift", Amount::from_minor(10_00));
    assert!(limit_refused(e, LimitKind::CashierShift).starts_with(&cap));
    assert_eq!(points_of(store, a).await, before);
    // Another login at the same till is another cashier.
    let other = Made {
        by: Some("kassa-2".into()),
        ..shift
    };
    store.write_off(a, points(1), other).await.unwrap();
}

/// Eight write-offs at once by one cashier on eight clients under a 10.00 shift limit: three
/// of 3.00 fit, never a fourth; and eight at once on one client under two a day: two.
async fn limits_hold_when_tills_race(store: &Store, clients: &[ClientId]) {
    // Days of their own, before the shift report's (`the_shift_report_equals_the_ledger`).
    let day = anchor() + SignedDuration::from_hours(24);
    let race = |limits: Limits, client: ClientId, at: Timestamp| {
        let store = store.clone();
        let made = Made {
            limits,
            ..made_by("pos-race", "kassa", at)
        };
        tokio::spawn(async move { store.write_off(client, points(3_00), made).await })
    };
    let count = |results: Vec<Result<_, StoreError>>, kind: LimitKind| {
        let mut done = 0;
        for result in results {
            match result {
                Ok(_) => done += 1,
                Err(e) => {
                    limit_refused(e, kind);
                }
            }
        }
        done
    };
    let shift = Limits {
        cashier_shift: Some(Amount::from_minor(10_00)),
        ..Limits::default()
    };
    let tasks: Vec<_> = clients.iter().map(|c| race(shift, *c, day)).collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(count(results, LimitKind::CashierShift), 3);
    let per_day = Limits {
        client_day: Some(2),
        ..Limits::default()
    };
    let before = points_of(store, clients[0]).await;
    // The next day, so that the shift's write-offs do not count.
    let next = day + SignedDuration::from_hours(24);
    let tasks: Vec<_> = (0..8).map(|_| race(per_day, clients[0], next)).collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(count(results, LimitKind::ClientDay), 2);
    assert_eq!(points_of(store, clients[0]).await, before - 6_00);
}

async fn a_manager_goes_past_the_limits_and_is_recorded(store: &Store, client: ClientId) {
    let pin = ManagerPin::new("482916").unwrap();
    store.add_manager("Ольга".into(), &pin, 0).await.unwrap();
    assert_eq!(
        store.manager_of(pin.clone()).await.unwrap().as_deref(),
        Some("Ольга")
    );
    assert_eq!(
        store
            .manager_of(ManagerPin::new("482917").unwrap())
            .await
            .unwrap(),
        None
    );
    let e = store
        .add_manager("Ольга".into(), &pin, 0)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    let e = store
        .add_user(
            "Ольга".into(),
            loyalty_console::server::principals::Role::Cashier,
            0,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(_)),
        "a user by a manager's name: {e}"
    );
    store
        .add_user(
            "till-9".into(),
            loyalty_console::server::principals::Role::Cashier,
            0,
        )
        .await
        .unwrap();
    let e = store
        .add_manager("till-9".into(), &pin, 0)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(_)),
        "a manager by a user's name: {e}"
    );
    // The route passes a manager's write-off no limits and names the manager; the reason
    // the manager gave stays with the operation.
    let overridden = Made {
        manager: Some("Ольга".into()),
        ..made_by("pos-op", "kassa", anchor())
    };
    let why = Why::new(ReasonCode::Other, Some("постоянный клиент")).unwrap();
    let request = WriteOff {
        why: Some(why.clone()),
        ..points(50_00)
    };
    let written = store.write_off(client, request, overridden).await.unwrap();
    let op = store.operation(written.operation).await.unwrap().unwrap();
    assert_eq!(op.who.manager.as_deref(), Some("Ольга"));
    assert_eq!(op.why, Some(why));
    assert_eq!(store.managers().await.unwrap().len(), 1);
    assert!(store.revoke_manager("Ольга".into(), 1).await.unwrap());
    assert_eq!(store.manager_of(pin).await.unwrap(), None, "revoked");
}

/// On a day of their own, two cashiers write off and give back on two clients; the report
/// since the day began equals, per currency, what those clients' ledgers moved.
async fn the_shift_report_equals_the_ledger(store: &Store, clients: &[ClientId]) {
    let day = anchor() + SignedDuration::from_hours(72);
    let at = |mins| day + SignedDuration::from_mins(mins);
    let anna = |mins| made_by("till-1", "anna", at(mins));
    let boris = |mins| Made {
        manager: Some("Ольга".into()),
        ..made_by("till-2", "boris", at(mins))
    };
    let (a, b) = (clients[0], clients[1]);
    let w1 = store.write_off(a, points(12_34), anna(1)).await.unwrap();
    store.write_off(b, points(5_00), anna(2)).await.unwrap();
    let w3 = store.write_off(b, points(7_00), boris(3)).await.unwrap();
    store
        .reverse(back(w1.operation, a, 2_34), boris(4))
        .await
        .unwrap();
    store
        .reverse(back(w3.operation, b, 7_00), anna(5))
        .await
        .unwrap();
    let report = store.shift_report(day).await.unwrap();
    let row = |login: &str| {
        report
            .rows
            .iter()
            .find(|r| r.login.as_deref() == Some(login))
            .unwrap_or_else(|| panic!("{login}: {report:?}"))
    };
    let (anna_row, boris_row) = (row("anna"), row("boris"));
    assert_eq!(report.rows.len(), 2, "{report:?}");
    assert_eq!(anna_row.principal.as_deref(), Some("till-1"));
    assert_eq!(
        (anna_row.written_off.points, anna_row.reversed.points),
        (Amount::from_minor(17_34), Amount::from_minor(7_00))
    );
    assert_eq!(
        (anna_row.write_offs, anna_row.reversals, anna_row.overrides),
        (2, 1, 0)
    );
    assert_eq!(
        (boris_row.written_off.points, boris_row.reversed.points),
        (Amount::from_minor(7_00), Amount::from_minor(2_34))
    );
    assert_eq!(
        (
            boris_row.write_offs,
            boris_row.reversals,
            boris_row.overrides
        ),
        (1, 1, 2)
    );
    // The ledger's own sums over the day.
    let mut taken = 0;
    let mut given = 0;
    for client in [a, b] {
        let page = HistoryQuery {
            from: Some(day),
            to: None,
            offset: 0,
            limit: 1000,
            after: None,
        };
        for entry in store.history(client, page).await.unwrap() {
            if entry.amount.minor() < 0 {
                taken -= entry.amount.minor();
            } else {
                given += entry.amount.minor();
            }
        }
    }
    let sum = |f: fn(&loyalty_console::domain::shift::ShiftRow) -> i64| {
        report.rows.iter().map(f).sum::<i64>()
    };
    assert_eq!(sum(|r| r.written_off.points.minor()), taken);
    assert_eq!(sum(|r| r.reversed.points.minor()), given);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_gives_money_back_by_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    contract(sqlite(&dir).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_gives_money_back_by_the_contract() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    contract(postgres(&cluster).await).await;
}

/// An over-reversal written by hand, past the store's rules, is what `--check` finds and
/// names: on SQLite by the real `loyalty serve --check` (non-zero exit), on PostgreSQL by
/// the store's check the command prints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_names_an_over_reversal_planted_with_raw_sql() {
    let plant = |op: i64| {
        format!(
            "INSERT INTO operations (id, client_id, kind, at_ms, reason, original_id)
             VALUES (900001, {SAMPLE_CLIENT_ID}, 'reversal', 1, 'mistake', {op});
             INSERT INTO ledger (client_id, currency, amount, at_ms, kind, operation_id)
             VALUES ({SAMPLE_CLIENT_ID}, 'points', 1001, 1, 'reversal', 900001);"
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    store.seed_demo(3, anchor()).await.unwrap();
    let written = store
        .write_off(SAMPLE, points(10_00), made(anchor()))
        .await
        .unwrap();
    let clean = common::check_database(&dir.path().join("money.db"));
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let sql = plant(written.operation.0);
    store
        .sqlite()
        .unwrap()
        .with_conn(|c| Ok(c.execute_batch(&sql)?))
        .unwrap();
    let out = common::check_database(&dir.path().join("money.db"));
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    let named = format!(
        "operation {}: {} points given back, {} written off",
        written.operation,
        Amount::from_minor(10_01),
        Amount::from_minor(10_00)
    );
    assert!(said.contains(&named), "{said}");

    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    store.seed_demo(3, anchor()).await.unwrap();
    let written = store
        .write_off(SAMPLE, points(10_00), made(anchor()))
        .await
        .unwrap();
    assert!(store.check().await.unwrap().over_reversed.is_empty());
    let client = Cluster::connect(&url).await;
    client
        .batch_execute(&plant(written.operation.0))
        .await
        .unwrap();
    let found = store.check().await.unwrap().over_reversed;
    assert_eq!(
        found,
        [format!(
            "operation {}: {} points given back, {} written off",
            written.operation,
            Amount::from_minor(10_01),
            Amount::from_minor(10_00)
        )]
    );
}

/// `serve --demo`'s write-offs: recent, with receipts, on the last clients of the set (the
/// sample keeps its documented balance), and each can be reversed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_recent_write_offs_with_receipts_to_reverse() {
    let dir = tempfile::tempdir().unwrap();
    let store = sqlite(&dir).await;
    store.seed_demo(10, anchor()).await.unwrap();
    let sample = points_of(&store, SAMPLE).await;
    let made = loyalty_console::server::demo::operations::write_offs(&store, 10, anchor())
        .await
        .unwrap();
    assert_eq!(made.len(), 3);
    assert_eq!(points_of(&store, SAMPLE).await, sample);
    for id in made {
        let op = store.operation(id).await.unwrap().unwrap();
        assert!(op.at < anchor() && op.at > anchor() - SignedDuration::from_hours(1));
        let receipt = op.receipt.clone().expect("a receipt");
        assert!(receipt.number.starts_with("DEMO-"));
        assert!(op.client.0 > SAMPLE_CLIENT_ID + 6, "{:?}", op.client);
        let half = op.points.minor() / 2;
        store
            .reverse(
                back(id, op.client, half),
                made_by("demo", "kassa@demo", anchor()),
            )
            .await
            .unwrap();
    }
    assert!(store.check().await.unwrap().over_reversed.is_empty());
}
