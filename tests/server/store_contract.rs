//! One contract, two stores: every scenario here runs on SQLite and on a real throwaway
//! PostgreSQL, through the `Store` the routes use. Reads must answer the same on the same
//! demo data; writes must keep the same guarantees (all or nothing, never below zero, a
//! coupon once, a key once, an append-only ledger that `--check` finds equal to every
//! balance).

use crate::common;

use common::postgres::Postgres as Cluster;
use jiff::{SignedDuration, Timestamp};
use loyalty_console::domain::admin::{
    CardOperationQuery, GroupDraft, GroupKind, SortColumn, SortDirection,
};
use loyalty_console::domain::codes::Confirmed;
use loyalty_console::domain::{
    Amount, ClientId, CouponId, Currency, HistoryCursor, HistoryEntry, HistoryQuery, OperationId,
    WriteOff,
};
use loyalty_console::server::demo::{CARD_PROMO_ID, Heavy, SAMPLE_CLIENT_ID};
use loyalty_console::server::holds::Reach;
use loyalty_console::server::principals::Role;
use loyalty_console::server::store::rules::codes::{self, CodeRefusal, Confirm, NewCode, Verdict};
use loyalty_console::server::store::{
    DbTarget, Idempotency, Keyed, Made, OperationFilter, Refusal, Store, StoreError,
};

const SAMPLE: ClientId = ClientId(SAMPLE_CLIENT_ID);
const CLIENTS: u64 = 300;

fn anchor() -> Timestamp {
    Timestamp::from_second(1_790_000_000).unwrap()
}

fn made(at: Timestamp) -> Made {
    Made {
        at,
        by: Some("kassa@shop.ru".into()),
        principal: Some("till-1".into()),
        ..Made::default()
    }
}

fn points(minor: i64) -> WriteOff {
    WriteOff {
        points: Some(Amount::from_minor(minor)),
        ..WriteOff::default()
    }
}

fn answer(result: Result<OperationId, &StoreError>) -> (u16, String) {
    match result {
        Ok(operation) => (200, format!("{{\"operationId\":{operation}}}")),
        Err(e) => (422, e.to_string()),
    }
}

async fn sqlite(dir: &tempfile::TempDir, name: &str) -> Store {
    let target = DbTarget::parse(dir.path().join(name).to_str().unwrap()).unwrap();
    Store::open(&target).await.expect("open SQLite")
}

async fn postgres(cluster: &Cluster) -> Store {
    let target = DbTarget::parse(&cluster.fresh_database().await).unwrap();
    Store::open(&target).await.expect("open PostgreSQL")
}

/// Runs every scenario on fresh stores made by `open`.
async fn contract<F, Fut>(open: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Store>,
{
    let store = open().await;
    store.seed_demo(CLIENTS, anchor()).await.unwrap();
    write_offs_are_all_or_nothing(&store).await;
    keys_answer_once(&store).await;
    holds_reserve_spend_and_refund(&store).await;
    holds_take_only_spendable_coupons_of_their_client(&store).await;
    a_coupon_is_good_through_its_expiry_instant(&store).await;
    groups_are_kept_and_removed(&store).await;
    users_and_secrets(&store).await;
    concurrent_write_offs_never_overdraw(&store).await;
    confirmation_codes_are_spent_once_with_their_write_off(&store).await;
    lots_are_spent_by_expiry_activate_expire_and_come_back(&store).await;
    card_operation_pages_past_the_middle_are_the_same_rows(&store).await;
    let report = store.check().await.unwrap();
    assert_eq!(report.integrity, "ok");
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    assert!(report.lots.is_empty(), "{:?}", report.lots);
    assert!(report.card_counts.is_empty(), "{:?}", report.card_counts);
    assert!(report.ledger_entries > CLIENTS as i64);
}

async fn write_offs_are_all_or_nothing(store: &Store) {
    let before = store.balances(SAMPLE).await.unwrap();
    assert_eq!(before.points, Amount::from_minor(123_456));
    let history_before = store.history(SAMPLE, page(1000)).await.unwrap().len();
    // Points that are there and a coupon that is not the client's: nothing happens.
    let mixed = WriteOff {
        coupons: vec![CouponId(999_999)],
        ..points(100)
    };
    let e = store
        .write_off(SAMPLE, mixed, made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponNotFound(999_999))),
        "{e}"
    );
    assert_eq!(store.balances(SAMPLE).await.unwrap(), before);
    // More than there is: refused with what is there.
    let e = store
        .write_off(SAMPLE, points(123_457), made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { available, .. }) if available == before.points),
        "{e}"
    );
    // Under a key, a valid coupon and then an expired one (1234): refused, and the valid
    // one is not spent; the key keeps the refusal.
    let mixed_keyed = WriteOff {
        coupons: vec![CouponId(1235), CouponId(1234)],
        ..points(100)
    };
    let key = Idempotency {
        scope: "till-1".into(),
        key: "mixed".into(),
        fingerprint: "m".into(),
    };
    let keyed = store
        .write_off_once(SAMPLE, mixed_keyed, made(anchor()), key, answer)
        .await
        .unwrap();
    assert!(
        matches!(
            keyed,
            Keyed::Fresh(Err(StoreError::Refused(Refusal::CouponExpired(1234))))
        ),
        "{keyed:?}"
    );
    assert_eq!(store.balances(SAMPLE).await.unwrap(), before);
    let coupons = store.coupons(SAMPLE).await.unwrap();
    assert!(
        coupons.iter().any(|c| c.id == CouponId(1235)),
        "{coupons:?}"
    );
    // A coupon given twice is spent by its first listing, so the second is refused.
    let twice = WriteOff {
        coupons: vec![CouponId(1235), CouponId(1235)],
        ..WriteOff::default()
    };
    let e = store
        .write_off(SAMPLE, twice, made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponRedeemed(1235))),
        "{e}"
    );
    // A coupon an open transaction holds is not there to spend until it is let go.
    store
        .hold(
            SAMPLE,
            Currency::Points,
            Amount::ZERO,
            vec![CouponId(1235)],
            made(anchor()),
            "tx-coupon".into(),
            None,
        )
        .await
        .unwrap();
    let coupon_only = WriteOff {
        coupons: vec![CouponId(1235)],
        ..WriteOff::default()
    };
    let e = store
        .write_off(SAMPLE, coupon_only, made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponHeld(1235))),
        "{e}"
    );
    store
        .hold_cancel("tx-coupon".into(), made(anchor()), Reach::Own)
        .await
        .unwrap();
    // Roubles are checked as points are, and the refusal names them.
    let roubles = WriteOff {
        rubles: Some(Amount::from_minor(before.rubles.minor() + 1)),
        ..WriteOff::default()
    };
    let e = store
        .write_off(SAMPLE, roubles, made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { currency: "rubles", available, .. }) if available == before.rubles),
        "{e}"
    );
    // An unknown client under a key: refused, and the key keeps the refusal.
    let nobody = || Idempotency {
        scope: "till-1".into(),
        key: "nobody".into(),
        fingerprint: "n".into(),
    };
    for expected in [true, false] {
        let keyed = store
            .write_off_once(ClientId(1), points(1), made(anchor()), nobody(), answer)
            .await
            .unwrap();
        let fresh = matches!(keyed, Keyed::Fresh(Err(StoreError::ClientNotFound(1))));
        let replayed = matches!(keyed, Keyed::Replay { status: 422, .. });
        assert!(if expected { fresh } else { replayed }, "{keyed:?}");
    }
    // A valid coupon (1235 expires after the anchor) and points: both, once.
    let both = WriteOff {
        coupons: vec![CouponId(1235)],
        ..points(456)
    };
    let ids = store
        .write_off(SAMPLE, both.clone(), made(anchor()))
        .await
        .unwrap();
    assert_eq!(ids.ledger.len(), 1);
    assert_eq!(
        store.balances(SAMPLE).await.unwrap().points,
        Amount::from_minor(123_000)
    );
    let e = store
        .write_off(SAMPLE, both, made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponRedeemed(1235))),
        "{e}"
    );
    // The expired sample coupon says so.
    let expired = WriteOff {
        coupons: vec![CouponId(1234)],
        ..WriteOff::default()
    };
    let e = store
        .write_off(SAMPLE, expired, made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponExpired(1234))),
        "{e}"
    );
    let history = store.history(SAMPLE, page(1000)).await.unwrap();
    assert_eq!(history.len(), history_before + 1);
    assert_eq!(history[0].amount, Amount::from_minor(-456));
    let e = store.balances(ClientId(1)).await.unwrap_err();
    assert!(matches!(e, StoreError::ClientNotFound(1)), "{e}");
}

fn page(limit: u32) -> HistoryQuery {
    HistoryQuery {
        from: None,
        to: None,
        offset: 0,
        limit,
        after: None,
    }
}

async fn keys_answer_once(store: &Store) {
    let client = ClientId(SAMPLE_CLIENT_ID + 1);
    let idem = |key: &str, fingerprint: &str| Idempotency {
        scope: "till-1".into(),
        key: key.into(),
        fingerprint: fingerprint.into(),
    };
    let before = store.balances(client).await.unwrap().points;
    let once = |key: &'static str, fp: &'static str, minor: i64, at: Timestamp| {
        store.write_off_once(client, points(minor), made(at), idem(key, fp), answer)
    };
    assert!(matches!(
        once("k1", "a", 1, anchor()).await.unwrap(),
        Keyed::Fresh(Ok(_))
    ));
    let replay = once("k1", "a", 1, anchor()).await.unwrap();
    assert!(matches!(replay, Keyed::Replay { status: 200, .. }));
    assert!(matches!(
        once("k1", "b", 2, anchor()).await.unwrap(),
        Keyed::Mismatch
    ));
    assert_eq!(
        store.balances(client).await.unwrap().points,
        Amount::from_minor(before.minor() - 1)
    );
    // A refusal is stored too: the retry gets the same refusal, not a second try.
    let huge = i64::MAX / 4;
    assert!(matches!(
        once("k2", "c", huge, anchor()).await.unwrap(),
        Keyed::Fresh(Err(StoreError::Refused(_)))
    ));
    let replay = once("k2", "c", huge, anchor()).await.unwrap();
    assert!(
        matches!(replay, Keyed::Replay { status: 422, ref body } if body.contains("insufficient"))
    );
    // Kept for 48 hours: at 47 hours and a second it still answers as before.
    let still = anchor() + SignedDuration::from_hours(47) + SignedDuration::from_secs(1);
    assert!(matches!(
        once("k1", "a", 1, still).await.unwrap(),
        Keyed::Replay { status: 200, .. }
    ));
    // 48 hours on, the key is forgotten and runs afresh.
    let later = anchor() + SignedDuration::from_hours(48) + SignedDuration::from_millis(1);
    assert!(matches!(
        once("k1", "a", 1, later).await.unwrap(),
        Keyed::Fresh(Ok(_))
    ));
}

/// Holds one point of `client`'s under `tx`.
async fn hold_a_point(store: &Store, client: ClientId, tx: &str) {
    store
        .hold(
            client,
            Currency::Points,
            Amount::from_minor(1),
            vec![],
            made(anchor()),
            tx.into(),
            None,
        )
        .await
        .unwrap();
}

async fn holds_reserve_spend_and_refund(store: &Store) {
    let client = ClientId(SAMPLE_CLIENT_ID + 2);
    let start = store.balances(client).await.unwrap().points;
    assert!(start.minor() > 0, "the demo gives client +2 points");
    let hold = store
        .hold(
            client,
            Currency::Points,
            start,
            vec![],
            made(anchor()),
            "tx-1".into(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(hold.amount, start);
    // All of it is held: nothing is left to write off or hold.
    let e = store
        .write_off(client, points(1), made(anchor()))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { .. })),
        "{e}"
    );
    let e = store
        .hold(
            client,
            Currency::Points,
            Amount::from_minor(1),
            vec![],
            made(anchor()),
            "tx-2".into(),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { .. })),
        "{e}"
    );
    store
        .hold_write_off(
            "tx-1".into(),
            Some("F-1".into()),
            made(anchor()),
            Reach::Own,
        )
        .await
        .unwrap();
    // A repeat is harmless; a cancel after the spend is refused.
    store
        .hold_write_off("tx-1".into(), None, made(anchor()), Reach::Own)
        .await
        .unwrap();
    assert_eq!(store.balances(client).await.unwrap().points, Amount::ZERO);
    let e = store
        .hold_cancel("tx-1".into(), made(anchor()), Reach::Own)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::HoldState(..))),
        "{e}"
    );
    // The refusal says which state stood in the way.
    assert!(e.to_string().contains("already written off"), "{e}");
    store
        .hold_refund("tx-1".into(), made(anchor()), Reach::Own)
        .await
        .unwrap();
    store
        .hold_refund("tx-1".into(), made(anchor()), Reach::Own)
        .await
        .unwrap();
    assert_eq!(store.balances(client).await.unwrap().points, start);
    // A hold that expires cannot be spent; one cancelled frees its amount.
    hold_a_point(store, client, "tx-3").await;
    let late = anchor() + SignedDuration::from_hours(1);
    let e = store
        .hold_write_off("tx-3".into(), None, made(late), Reach::Own)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::HoldExpired(_))),
        "{e}"
    );
    store
        .hold_cancel("tx-3".into(), made(anchor()), Reach::Own)
        .await
        .unwrap();
    let e = store
        .hold_write_off("tx-3".into(), None, made(anchor()), Reach::Own)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("cancelled"), "{e}");
    // A hold still held has nothing to refund.
    hold_a_point(store, client, "tx-4").await;
    let e = store
        .hold_refund("tx-4".into(), made(anchor()), Reach::Own)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("still held, not written off"), "{e}");
    store
        .hold_cancel("tx-4".into(), made(anchor()), Reach::Own)
        .await
        .unwrap();
    let e = store
        .hold_cancel("nope".into(), made(anchor()), Reach::Own)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::HoldNotFound(_))),
        "{e}"
    );
}

/// A client among the demo's (not the sample, whose coupons the scenarios above spend) with
/// an unexpired coupon, and that coupon.
async fn with_a_coupon(store: &Store, not: Option<ClientId>) -> (ClientId, CouponId) {
    for id in SAMPLE_CLIENT_ID + 3..SAMPLE_CLIENT_ID + CLIENTS as i64 {
        let client = ClientId(id);
        if Some(client) == not {
            continue;
        }
        let coupons = store.coupons(client).await.unwrap();
        if let Some(c) = coupons.iter().find(|c| !c.is_expired(anchor())) {
            return (client, c.id);
        }
    }
    panic!("the demo data has no client with an unexpired coupon");
}

/// A hold's write-off redeems its coupons by id without asking whose they are, so the hold
/// is the one guard: another client's coupon, an expired one, a redeemed one and one another
/// hold has are each refused, and nothing is reserved. A refund gives a coupon back.
async fn holds_take_only_spendable_coupons_of_their_client(store: &Store) {
    let (client, coupon) = with_a_coupon(store, None).await;
    let (_, foreign) = with_a_coupon(store, Some(client)).await;
    let start = store.balances(client).await.unwrap().points;
    let hold = |tx: &str, coupons: Vec<CouponId>| {
        store.hold(
            client,
            Currency::Points,
            Amount::ZERO,
            coupons,
            made(anchor()),
            tx.to_string(),
            None,
        )
    };
    let refused = |e: StoreError, tx: &'static str| async move {
        assert!(matches!(e, StoreError::Refused(_)), "{tx}: {e}");
        let none = store
            .hold_cancel(tx.into(), made(anchor()), Reach::Any)
            .await
            .unwrap_err();
        assert!(
            matches!(none, StoreError::Refused(Refusal::HoldNotFound(_))),
            "{tx}: nothing is reserved: {none}"
        );
    };
    let e = hold("tx-foreign", vec![foreign]).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponNotFound(_))),
        "{e}"
    );
    refused(e, "tx-foreign").await;
    let e = store
        .hold(
            SAMPLE,
            Currency::Points,
            Amount::ZERO,
            vec![CouponId(1234)],
            made(anchor()),
            "tx-expired".into(),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponExpired(1234))),
        "{e}"
    );
    refused(e, "tx-expired").await;
    hold("tx-first", vec![coupon]).await.unwrap();
    let e = hold("tx-second", vec![coupon]).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponHeld(_))),
        "{e}"
    );
    refused(e, "tx-second").await;
    // Written off through its hold, the coupon is gone; refunded, it is back.
    let listed =
        |coupons: Vec<loyalty_console::domain::Coupon>| coupons.iter().any(|c| c.id == coupon);
    store
        .hold_write_off("tx-first".into(), None, made(anchor()), Reach::Own)
        .await
        .unwrap();
    assert!(!listed(store.coupons(client).await.unwrap()));
    store
        .hold_refund("tx-first".into(), made(anchor()), Reach::Own)
        .await
        .unwrap();
    assert!(listed(store.coupons(client).await.unwrap()), "given back");
    // Spent for good by a write-off, it cannot be held.
    let spend = WriteOff {
        coupons: vec![coupon],
        ..WriteOff::default()
    };
    store
        .write_off(client, spend, made(anchor()))
        .await
        .unwrap();
    let e = hold("tx-redeemed", vec![coupon]).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponRedeemed(_))),
        "{e}"
    );
    refused(e, "tx-redeemed").await;
    assert_eq!(store.balances(client).await.unwrap().points, start);
}

/// `expireDate` is the time "by which the coupon is valid": at that very instant it may still
/// be spent, a millisecond later it has expired (the console's `Coupon::is_expired` agrees).
async fn a_coupon_is_good_through_its_expiry_instant(store: &Store) {
    let mut found = None;
    for id in SAMPLE_CLIENT_ID + 3..SAMPLE_CLIENT_ID + CLIENTS as i64 {
        let coupons = store.coupons(ClientId(id)).await.unwrap();
        if let Some(c) = coupons
            .iter()
            .find(|c| c.expires_at.is_some_and(|at| at > anchor()))
        {
            found = Some((ClientId(id), c.clone()));
            break;
        }
    }
    let (client, coupon) = found.expect("a demo coupon that expires after the anchor");
    let at = coupon.expires_at.unwrap();
    assert!(!coupon.is_expired(at) && coupon.is_expired(at + SignedDuration::from_millis(1)));
    let spend = WriteOff {
        coupons: vec![coupon.id],
        ..WriteOff::default()
    };
    let late = at + SignedDuration::from_millis(1);
    let e = store
        .write_off(client, spend.clone(), made(late))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::CouponExpired(_))),
        "{e}"
    );
    store.write_off(client, spend, made(at)).await.unwrap();
}

async fn groups_are_kept_and_removed(store: &Store) {
    let draft = GroupDraft {
        name: "  Друзья кофейни ".into(),
        kind: GroupKind::Bonus,
        percent: "7.5".parse().unwrap(),
        birthday_bonus: Amount::from_minor(1000),
        use_ewallet: Some(true),
    };
    let id = store
        .create_group(draft.clone(), made(anchor()))
        .await
        .unwrap();
    assert!(id > 4, "after the demo's four groups: {id}");
    let group = store.group(id).await.unwrap().unwrap();
    assert_eq!(group.name, "Друзья кофейни");
    assert_eq!(group.use_ewallet, Some(true));
    let renamed = GroupDraft {
        name: "Друзья".into(),
        use_ewallet: None,
        ..draft
    };
    assert!(
        store
            .update_group(id, renamed.clone(), made(anchor()))
            .await
            .unwrap()
    );
    let group = store.group(id).await.unwrap().unwrap();
    assert_eq!(
        (group.name.as_str(), group.use_ewallet),
        ("Друзья", Some(true))
    );
    let members = store.group(1).await.unwrap().unwrap().clients;
    assert!(members > 0);
    assert!(store.remove_group(1, made(anchor())).await.unwrap());
    let removed = store.group(1).await.unwrap().unwrap();
    assert!(removed.removed && removed.clients == 0);
    assert!(!store.remove_group(1, made(anchor())).await.unwrap());
    assert!(
        !store
            .update_group(1, renamed, made(anchor()))
            .await
            .unwrap()
    );
    assert_eq!(store.groups().await.unwrap().len(), 5);
    // Each edit records the admin who made it (on SQLite read here; PostgreSQL's schema has
    // the same columns, `assets/postgres/005_operations.sql`).
    if let Some(sqlite) = store.sqlite() {
        let by: Vec<(Option<String>, Option<i64>)> = sqlite
            .with_conn(|c| {
                let mut stmt = c.prepare(
                    "SELECT changed_by, changed_ms FROM client_groups WHERE id IN (1, ?1)
                     ORDER BY id",
                )?;
                let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .unwrap();
        let till = (Some("till-1".to_string()), Some(anchor().as_millisecond()));
        assert_eq!(by, [till.clone(), till]);
    }
}

async fn users_and_secrets(store: &Store) {
    assert_eq!(
        store
            .user_or_open("".into(), true)
            .await
            .unwrap()
            .map(|p| p.name),
        Some("anyone".into()),
        "no user yet: the open door"
    );
    let key = store
        .add_user("till-3".into(), Role::Cashier, 1)
        .await
        .unwrap();
    let found = store
        .user_or_open(key.clone(), true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((found.name.as_str(), found.role), ("till-3", Role::Cashier));
    assert_eq!(store.user_or_open("".into(), true).await.unwrap(), None);
    assert!(matches!(
        store.add_user("till-3".into(), Role::Admin, 2).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(store.revoke_user("till-3".into(), 3).await.unwrap());
    assert!(!store.revoke_user("till-3".into(), 3).await.unwrap());
    assert_eq!(store.user_or_open(key, true).await.unwrap(), None);
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].revoked_ms, Some(3));
    let secret = store.shared_secret("jwt").await.unwrap();
    assert_eq!(secret.len(), 32);
    assert_eq!(store.shared_secret("jwt").await.unwrap(), secret);
}

async fn concurrent_write_offs_never_overdraw(store: &Store) {
    let client = ClientId(SAMPLE_CLIENT_ID + 3);
    let start = store.balances(client).await.unwrap().points.minor();
    let each = (start / 20).max(1);
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.write_off(client, points(each), made(anchor())).await })
        })
        .collect();
    let mut accepted = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(StoreError::Refused(Refusal::Insufficient { .. })) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(accepted, start / each, "exactly what was there");
    assert_eq!(
        store.balances(client).await.unwrap().points.minor(),
        start - accepted * each
    );
}

/// Every read the routes make, on both stores over the same demo data.
async fn reads(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for (phone, email) in [
        (Some("+7 912 345-67-8"), None),
        (Some("7912345678"), None),
        (Some("%5678"), None),
        (Some("7900%"), None),
        (Some("79%1"), None),
        (Some("%"), None),
        (None, Some("TEST@test.ru")),
        (None, Some("ivan%")),
        (None, Some("%@mail.ru")),
        (None, Some("%a_b%")),
    ] {
        let found = store
            .search_clients(phone.map(Into::into), email.map(Into::into))
            .await
            .unwrap();
        out.push(format!("{phone:?} {email:?} {found:?}"));
    }
    // An email is found whatever case it is typed in.
    for (upper, lower) in [
        ("TEST@TEST.RU", "test@test.ru"),
        ("TeSt@%", "test@%"),
        ("%@MAIL.RU", "%@mail.ru"),
    ] {
        let search = |e: &str| store.search_clients(None, Some(e.to_string()));
        let (upper_found, lower_found) =
            (search(upper).await.unwrap(), search(lower).await.unwrap());
        assert!(!lower_found.is_empty(), "{lower}");
        assert_eq!(upper_found, lower_found, "{upper}");
    }
    for id in [
        SAMPLE_CLIENT_ID,
        SAMPLE_CLIENT_ID + 17,
        SAMPLE_CLIENT_ID + 299,
    ] {
        let id = ClientId(id);
        out.push(format!("{:?}", store.balances(id).await.unwrap()));
        out.push(format!("{:?}", store.coupons(id).await.unwrap()));
        let period = HistoryQuery {
            from: Some(anchor() - SignedDuration::from_hours(24 * 90)),
            to: Some(anchor()),
            offset: 1,
            limit: 5,
            after: None,
        };
        out.push(format!("{:?}", store.history(id, period).await.unwrap()));
    }
    out.push(format!("{:?}", store.groups().await.unwrap()));
    out.push(format!("{:?}", store.promotions().await.unwrap()));
    for (client, offset, limit) in [
        (None, 0, 10),
        (None, 10, 10),
        (Some(SAMPLE_CLIENT_ID + 5), 0, 5),
    ] {
        out.push(format!(
            "{:?}",
            store.accumulations(client, offset, limit).await.unwrap()
        ));
    }
    let day = SignedDuration::from_hours(24);
    for pos in [None, Some(2)] {
        out.push(format!(
            "{:?}",
            store
                .registrations(anchor() - day * 60, anchor(), pos, 50)
                .await
                .unwrap()
        ));
    }
    for (sort, direction) in [
        (SortColumn::Date, SortDirection::Desc),
        (SortColumn::Amount, SortDirection::Asc),
    ] {
        let filter = OperationFilter {
            card_ids: (1..=40).collect(),
            promo_ids: vec![CARD_PROMO_ID],
            kinds: vec![],
            uuids: vec![],
            query: CardOperationQuery {
                card_id: 1,
                promo_id: CARD_PROMO_ID,
                kind: None,
                from: Some(anchor() - day * 200),
                to: None,
                sort,
                direction,
                offset: 3,
                limit: 20,
            },
        };
        out.push(format!(
            "{:?}",
            store.card_operations(filter).await.unwrap()
        ));
    }
    for text in ["2000000000005", "5678", "иван", "Smith", "100%_"] {
        out.push(format!(
            "{text} {:?}",
            store.find_cards(text.into(), 20).await.unwrap()
        ));
    }
    out.push(format!(
        "{} clients, holds clients: {}",
        store.client_count().await.unwrap(),
        store.holds_clients().await.unwrap()
    ));
    out
}

/// A page past the middle of a card's operations is read from the other end (issue 31: the
/// last page of a million rows would step over all of them): every page of 7, in every sort
/// either way, is the slice the whole list puts there, and a page past the end is empty.
async fn card_operation_pages_past_the_middle_are_the_same_rows(store: &Store) {
    let filter = |sort, direction, offset, limit| OperationFilter {
        card_ids: (1..=40).collect(),
        promo_ids: vec![CARD_PROMO_ID],
        kinds: vec![],
        uuids: vec![],
        query: CardOperationQuery {
            card_id: 1,
            promo_id: CARD_PROMO_ID,
            kind: None,
            from: None,
            to: None,
            sort,
            direction,
            offset,
            limit,
        },
    };
    for sort in SortColumn::ALL {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let (all, total) = store
                .card_operations(filter(sort, direction, 0, 1000))
                .await
                .unwrap();
            assert!(total > 20, "the demo's first 40 cards have operations");
            assert_eq!(all.len() as u64, total);
            let mut paged = Vec::new();
            for offset in (0..total as u32 + 7).step_by(7) {
                let (page, t) = store
                    .card_operations(filter(sort, direction, offset, 7))
                    .await
                    .unwrap();
                assert_eq!(t, total);
                paged.extend(page);
            }
            assert_eq!(paged, all, "{sort:?} {direction:?}");
        }
    }
}

// Lots (issue 30): what a write-off takes, what is pending, what expires and what a
// reversal gives back, alike on both stores.

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

/// `(at, amount)` of the outlook's points: the nearest expiry and the pending total.
async fn points_outlook(
    store: &Store,
    client: ClientId,
    now: Timestamp,
) -> (Option<(Timestamp, Amount)>, Option<(Timestamp, Amount)>) {
    let o = store.outlook(client, now).await.unwrap();
    let pair = |d: Option<loyalty_console::domain::lots::Dated>| d.map(|d| (d.at, d.amount));
    (
        pair(o.expiring(Currency::Points)),
        pair(o.pending(Currency::Points)),
    )
}

async fn lots_are_spent_by_expiry_activate_expire_and_come_back(store: &Store) {
    let client = ClientId(SAMPLE_CLIENT_ID + 200);
    let t0 = anchor();
    let spendable =
        |at: Timestamp| async move { store.balances_at(client, at).await.unwrap().points.minor() };
    // The demo's one lot of this client never expires and is spendable already.
    let base = spendable(t0).await;
    let ledger_before = store.balances(client).await.unwrap().points.minor();
    assert_eq!(
        base, ledger_before,
        "a demo client's balance is all spendable"
    );
    let accrue = |minor: i64, from: Timestamp, until: Option<Timestamp>| async move {
        store
            .accrue(
                client,
                Currency::Points,
                Amount::from_minor(minor),
                from,
                until,
                made(t0),
            )
            .await
            .unwrap();
    };
    accrue(10_00, t0, Some(t0 + days(10))).await;
    accrue(5_00, t0, Some(t0 + days(2))).await;
    accrue(7_00, t0 + days(5), Some(t0 + days(30))).await;
    assert_eq!(
        spendable(t0).await,
        base + 15_00,
        "pending is not spendable"
    );
    assert_eq!(
        store.balances(client).await.unwrap().points.minor(),
        ledger_before + 22_00,
        "the ledger holds pending points too"
    );
    let pending = Some((t0 + days(5), Amount::from_minor(7_00)));
    assert_eq!(
        points_outlook(store, client, t0).await,
        (Some((t0 + days(2), Amount::from_minor(5_00))), pending)
    );
    // The lot that expires first is spent first, then the next.
    store
        .write_off(client, points(3_00), made(t0))
        .await
        .unwrap();
    assert_eq!(
        points_outlook(store, client, t0).await.0,
        Some((t0 + days(2), Amount::from_minor(2_00)))
    );
    let second = store
        .write_off(client, points(4_00), made(t0))
        .await
        .unwrap();
    assert_eq!(
        points_outlook(store, client, t0).await.0,
        Some((t0 + days(10), Amount::from_minor(8_00))),
        "the 2-day lot is spent out, the 10-day lot gave the rest"
    );
    // Refused beyond what is spendable, naming it; an open hold reserves against it.
    let now_spendable = base + 8_00;
    let e = store
        .write_off(client, points(now_spendable + 1), made(t0))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { available, .. }) if available.minor() == now_spendable),
        "{e}"
    );
    store
        .hold(
            client,
            Currency::Points,
            Amount::from_minor(now_spendable - 1_00),
            vec![],
            made(t0),
            "lots-hold".into(),
            None,
        )
        .await
        .unwrap();
    let e = store
        .write_off(client, points(1_01), made(t0))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { available, .. }) if available.minor() == 1_00),
        "{e}"
    );
    store
        .hold_cancel("lots-hold".into(), made(t0), Reach::Own)
        .await
        .unwrap();
    // The reversal gives back into the lots it took from: 2.00 to the 2-day lot again.
    store
        .reverse(
            loyalty_console::domain::Reversal {
                original: second.operation,
                client,
                points: Some(Amount::from_minor(4_00)),
                rubles: None,
                coupons: vec![],
                why: loyalty_console::domain::reversal::Why::new(
                    loyalty_console::domain::reversal::ReasonCode::Returned,
                    None,
                )
                .unwrap(),
            },
            made(t0),
        )
        .await
        .unwrap();
    assert_eq!(
        points_outlook(store, client, t0).await.0,
        Some((t0 + days(2), Amount::from_minor(2_00)))
    );
    // A hold's write-off takes from the same lots, and its refund gives back into them.
    let hold = "lots-hold-2";
    store
        .hold(
            client,
            Currency::Points,
            Amount::from_minor(1_50),
            vec![],
            made(t0),
            hold.into(),
            None,
        )
        .await
        .unwrap();
    store
        .hold_write_off(hold.into(), None, made(t0), Reach::Own)
        .await
        .unwrap();
    assert_eq!(
        points_outlook(store, client, t0).await.0,
        Some((t0 + days(2), Amount::from_minor(50)))
    );
    store
        .hold_refund(hold.into(), made(t0), Reach::Own)
        .await
        .unwrap();
    assert_eq!(
        points_outlook(store, client, t0).await.0,
        Some((t0 + days(2), Amount::from_minor(2_00)))
    );
    // Pending becomes spendable at its activation instant, not before; the 2-day lot is
    // not spendable once expired, swept or not.
    let active = t0 + days(5);
    assert_eq!(spendable(t0 + days(2)).await, base + 10_00);
    assert_eq!(
        spendable(active - SignedDuration::from_millis(1)).await,
        base + 10_00
    );
    // The sweep writes the 2-day lot out by a ledger row of its own.
    let ledger = store.balances(client).await.unwrap().points.minor();
    let at = t0 + days(3);
    assert!(store.expire_lots(at).await.unwrap() >= 1);
    assert_eq!(
        store.balances(client).await.unwrap().points.minor(),
        ledger - 2_00
    );
    assert_eq!(store.expire_lots(at).await.unwrap(), 0, "once");
    let rows = store.history(client, page(1000)).await.unwrap();
    assert_eq!(rows[0].amount, Amount::from_minor(-2_00), "{:?}", rows[0]);
    assert_eq!(rows[0].at, at);
    assert_eq!(spendable(active).await, base + 17_00);
    // A write-off after the 10-day lot expired sweeps it first and never spends it.
    let late = t0 + days(11);
    let ledger = store.balances(client).await.unwrap().points.minor();
    store
        .write_off(client, points(1_00), made(late))
        .await
        .unwrap();
    assert_eq!(
        store.balances(client).await.unwrap().points.minor(),
        ledger - 10_00 - 1_00
    );
    assert_eq!(spendable(late).await, base + 7_00 - 1_00);
    assert_eq!(
        points_outlook(store, client, late).await.1,
        None,
        "active now"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    contract(|| sqlite(&dir, "contract.db")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_the_contract() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    contract(|| postgres(&cluster)).await;
}

/// `serve --key-retention`: a key older than the store's retention is forgotten (its
/// request runs afresh), a younger one still answers with its first reply.
async fn keys_are_forgotten_past_a_shorter_retention(store: Store) {
    store.seed_demo(CLIENTS, anchor()).await.unwrap();
    let store = store.with_key_retention(std::time::Duration::from_secs(5 * 60));
    let client = ClientId(SAMPLE_CLIENT_ID + 2);
    let before = store.balances(client).await.unwrap().points;
    let idem = |key: &str| Idempotency {
        scope: "till-1".into(),
        key: key.into(),
        fingerprint: format!("fp-{key}"),
    };
    let once = |key: &'static str, at: Timestamp| {
        store.write_off_once(client, points(1), made(at), idem(key), answer)
    };
    let first = |keyed: Keyed| match keyed {
        Keyed::Fresh(Ok(written)) => answer(Ok(written.operation)),
        other => panic!("expected a fresh write-off, got {other:?}"),
    };
    let old = first(once("old", anchor()).await.unwrap());
    let young = first(
        once("young", anchor() + SignedDuration::from_mins(3))
            .await
            .unwrap(),
    );
    assert_ne!(old, young);
    // Five minutes and a millisecond after the first: the young key (two minutes old)
    // repeats its reply, and its sweep forgot the old one, whose request runs afresh.
    let later = anchor() + SignedDuration::from_mins(5) + SignedDuration::from_millis(1);
    match once("young", later).await.unwrap() {
        Keyed::Replay { status, body } => assert_eq!((status, body), young),
        other => panic!("the young key must replay, got {other:?}"),
    }
    let again = first(once("old", later).await.unwrap());
    assert_ne!(again, old, "a forgotten key makes a new operation");
    assert_eq!(
        store.balances(client).await.unwrap().points,
        Amount::from_minor(before.minor() - 3),
        "three write-offs moved money: old, young, and old again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_forgets_keys_past_a_shorter_retention() {
    let dir = tempfile::tempdir().unwrap();
    keys_are_forgotten_past_a_shorter_retention(sqlite(&dir, "retention.db").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_forgets_keys_past_a_shorter_retention() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    keys_are_forgotten_past_a_shorter_retention(postgres(&cluster).await).await;
}

/// Every index and constraint of a PostgreSQL database, as its definition, with whether it
/// was checked against the rows.
async fn structure(url: &str) -> Vec<String> {
    let c = Cluster::connect(url).await;
    let rows = c
        .query(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index
             WHERE indrelid::regclass::text NOT LIKE 'pg_%'
             UNION ALL
             SELECT format('%s %s %s valid=%s', conrelid::regclass, conname,
                           pg_get_constraintdef(oid), convalidated)
             FROM pg_constraint WHERE connamespace = 'public'::regnamespace
             ORDER BY 1",
            &[],
        )
        .await
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_stores_answer_every_read_alike() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lite = sqlite(&dir, "reads.db").await;
    let seeded = cluster.fresh_database().await;
    let pg = Store::open(&DbTarget::parse(&seeded).unwrap())
        .await
        .unwrap();
    // As `serve --demo` seeds: SQLite on a connection alone, without the WAL.
    let lite = lite.seed_demo_alone(CLIENTS, None, anchor()).await.unwrap();
    let pg = pg.seed_demo_alone(CLIENTS, None, anchor()).await.unwrap();
    // Seeding takes indexes and foreign keys off to load and puts them back: every one is
    // there again, as the schema made it, and the foreign keys hold for the loaded rows.
    let bare = cluster.fresh_database().await;
    Store::open(&DbTarget::parse(&bare).unwrap()).await.unwrap();
    let (after_seeding, as_made) = (structure(&seeded).await, structure(&bare).await);
    assert!(after_seeding.iter().any(|d| d.contains("FOREIGN KEY")));
    // Including those of the empty tables that refer to the filled ones, taken off with them.
    assert!(
        after_seeding
            .iter()
            .any(|d| d.contains("lot_spends_ledger_id_fkey"))
    );
    assert!(
        after_seeding
            .iter()
            .any(|d| d.contains("ledger_client_time"))
    );
    assert_eq!(after_seeding, as_made);
    let (a, b) = (reads(&lite).await, reads(&pg).await);
    assert!(
        a.iter().any(|r| r.contains("Client First")),
        "the reads find something"
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    assert_eq!(a.len(), b.len());
    // Seeding twice is refused, not doubled.
    assert!(pg.seed_demo(5, anchor()).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_bounds_waits_refuses_nul_a_newer_schema_and_finds_a_disabled_guard() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    // The URL's own options win over the store's bounds: a short lock wait keeps this quick.
    let target = DbTarget::parse(&format!("{url}?options=-c%20lock_timeout%3D300")).unwrap();
    let store = Store::open(&target).await.unwrap();
    store.seed_demo(3, anchor()).await.unwrap();
    // Opening again (a second instance, a restart) changes nothing.
    Store::open(&target).await.unwrap();
    let mut client = Cluster::connect(&url).await;
    a_locked_client_is_busy_not_a_hang(&store, &mut client).await;
    nul_text_is_refused_as_the_request_fault(&store).await;
    client
        .batch_execute("ALTER TABLE ledger DISABLE TRIGGER ledger_no_change")
        .await
        .unwrap();
    let report = store.check().await.unwrap();
    assert!(
        report.integrity.contains("ledger_no_change"),
        "{}",
        report.integrity
    );
    client
        .batch_execute("UPDATE schema_version SET version = 99")
        .await
        .unwrap();
    match Store::open(&target).await {
        Err(e @ StoreError::NewerSchema { found: 99, .. }) => {
            assert!(e.to_string().contains("run a newer loyalty"), "{e}")
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
}

/// Another session holds the client's row: the write-off gives up after the lock bound,
/// as "busy, nothing was done" (a 503 the till may retry), and takes nothing.
async fn a_locked_client_is_busy_not_a_hang(store: &Store, other: &mut tokio_postgres::Client) {
    let before = store.balances(SAMPLE).await.unwrap();
    let tx = other.transaction().await.unwrap();
    tx.execute(
        "SELECT 1 FROM clients WHERE id = $1 FOR UPDATE",
        &[&SAMPLE_CLIENT_ID],
    )
    .await
    .unwrap();
    // A guard, not a measure: should the bound ever fail, the test fails instead of
    // waiting on its own lock until CI gives up.
    let e = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        store.write_off(SAMPLE, points(100), made(anchor())),
    )
    .await
    .expect("the lock bound never fired")
    .unwrap_err();
    assert!(
        matches!(&e, StoreError::Unavailable(m) if m.contains("too busy")),
        "{e}"
    );
    tx.rollback().await.unwrap();
    assert_eq!(store.balances(SAMPLE).await.unwrap(), before);
    store
        .write_off(SAMPLE, points(100), made(anchor()))
        .await
        .unwrap();
}

/// PostgreSQL's text cannot hold NUL: a login or a search with one is a
/// refusal in words, and nothing is written.
async fn nul_text_is_refused_as_the_request_fault(store: &Store) {
    let before = store.balances(SAMPLE).await.unwrap();
    let nul = |e: StoreError| {
        assert!(
            matches!(&e, StoreError::Invalid(m) if m.contains("NUL")),
            "{e}"
        )
    };
    let by_nul = Made {
        by: Some("kassa\0@shop.ru".into()),
        ..made(anchor())
    };
    nul(store
        .write_off(SAMPLE, points(100), by_nul)
        .await
        .unwrap_err());
    nul(store
        .search_clients(None, Some("a\0b@mail.ru".into()))
        .await
        .unwrap_err());
    assert_eq!(store.balances(SAMPLE).await.unwrap(), before);
}

/// A chain's database made by the release before the write-off function (schema version 2)
/// is brought up to date when an instance opens it (the write-off function, the holds'
/// owner, the holds' ids, then operations), its money moves by the new function as an
/// operation, its old ledger rows belong to none, and a hold made before is an admin's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_2_postgres_database_is_migrated_and_writes_off() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let client = Cluster::connect(&url).await;
    client
        .batch_execute(include_str!("../../assets/postgres/001_schema.sql"))
        .await
        .unwrap();
    client
        .batch_execute(
            "INSERT INTO clients (id, name, phone_norm) VALUES (7, 'Юлия Петрова', '79123456789');
             INSERT INTO ledger (client_id, currency, amount, at_ms, kind)
             VALUES (7, 'points', 500, 0, 'accrual');
             INSERT INTO holds (transaction_id, client_id, currency, amount, created_ms,
                                expires_ms, state, login)
             VALUES ('tx-old', 7, 'points', 100, 0, 9000000000000, 'held', 'kassa');
             INSERT INTO points_of_sale (id, name) VALUES (1, 'Арбат, 12');
             INSERT INTO cards (id, client_id, promo_id, number, out_number, is_virtual,
                                card_type, card_status, reg_pos, reg_ms)
             VALUES (3, 7, 1, 2000000000003, 100003, false, 'Gold', 'Активна', 1, 0);
             INSERT INTO card_operations (uuid, card_id, promo_id, type, amount, value,
                                          used_value, is_payment, date_s, exp_s, updated_s)
             VALUES ('a', 3, 1, 1, 1000, 50, 0, false, 1, 0, 1),
                    ('b', 3, 1, 2, 0, 50, 0, true, 2, 0, 2);",
        )
        .await
        .unwrap();
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    let version: i64 = client
        .query_one("SELECT version FROM schema_version", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        version, 13,
        "codes (7), lots (8), the phones' tails (9), the returned spends (10), the ledger's \
         index of operations (11), the cards' counts (12) and the spends' index by lot \
         dropped (13) came after"
    );
    let by_lot: Option<String> = client
        .query_one("SELECT to_regclass('lot_spends_lot')::text", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(by_lot, None, "the spends' index by lot made at 8 is gone");
    // The operations made before are counted as the counts are made.
    let counts: Vec<(i64, i64, i64, i64)> = client
        .query(
            "SELECT card_id, promo_id, type, n FROM card_operation_counts ORDER BY 1, 2, 3",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(counts, [(3, 1, 1, 1), (3, 1, 2, 1)]);
    // The hold made before is numbered as the column is added.
    let id: i64 = client
        .query_one("SELECT id FROM holds WHERE transaction_id = 'tx-old'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(id, 1);
    let written = store
        .write_off(ClientId(7), points(200), made(anchor()))
        .await
        .unwrap();
    assert_eq!(
        store.balances(ClientId(7)).await.unwrap().points,
        Amount::from_minor(300)
    );
    let operation = store.operation(written.operation).await.unwrap().unwrap();
    assert_eq!(operation.points, Amount::from_minor(200));
    let unowned: i64 = client
        .query_one(
            "SELECT count(*) FROM ledger WHERE operation_id IS NULL AND kind = 'accrual'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(unowned, 1, "a row made before belongs to no operation");
    let e = store
        .hold_cancel("tx-old".into(), made(anchor()), Reach::Own)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::HoldOfAnother(_))),
        "{e}"
    );
    store
        .hold_cancel("tx-old".into(), made(anchor()), Reach::Any)
        .await
        .unwrap();
}

/// A fresh database of `cluster` holding the demo's clients, and a connection of the test's
/// own to it.
async fn demo_on_postgres(cluster: &Cluster) -> tokio_postgres::Client {
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    store.seed_demo(CLIENTS, anchor()).await.unwrap();
    Cluster::connect(&url).await
}

/// PostgreSQL answers an email search, whatever its case, from the lower-case columns'
/// indexes: exact and prefix on `email_lc`, suffix on its reverse.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_searches_use_the_lower_case_indexes_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let c = demo_on_postgres(&cluster).await;
    // The demo table is small enough for a scan to be cheaper: ask whether an index can serve.
    c.batch_execute("SET enable_seqscan = off").await.unwrap();
    for (clause, index) in [
        ("email_lc = 'test@test.ru'", "clients_email_lc"),
        ("email_lc LIKE 'test@%' ESCAPE '\\'", "clients_email_lc"),
        (
            "email_rev LIKE 'ur.tset@%' ESCAPE '\\'",
            "clients_email_rev",
        ),
    ] {
        let plan: Vec<String> = c
            .query(
                &format!("EXPLAIN SELECT id FROM clients WHERE {clause}"),
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let plan = plan.join("\n");
        assert!(plan.contains(index), "{clause}: {plan}");
    }
}

/// The ledger's index of operations holds only the rows of one, and still serves each way
/// the store looks rows up by operation: an equality, a join, `IN` a list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookups_by_operation_use_the_ledgers_partial_index_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let c = demo_on_postgres(&cluster).await;
    // As a connection plans a statement it keeps: for any operation, not the one given.
    c.batch_execute("SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan")
        .await
        .unwrap();
    let definition: String = c
        .query_one("SELECT pg_get_indexdef('ledger_operation'::regclass)", &[])
        .await
        .unwrap()
        .get(0);
    assert!(
        definition.ends_with("WHERE (operation_id IS NOT NULL)"),
        "{definition}"
    );
    for query in [
        "SELECT sum(amount) FROM ledger WHERE operation_id = $1",
        "SELECT sum(l.amount) FROM ledger l JOIN operations o ON o.id = l.operation_id
         WHERE o.original_id = $1",
        "SELECT id FROM ledger WHERE operation_id IN
             (SELECT original_id FROM operations WHERE id = $1)",
    ] {
        let statement = c.prepare(&format!("EXPLAIN {query}")).await.unwrap();
        let plan: Vec<String> = c
            .query(&statement, &[&1i64])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let plan = plan.join("\n");
        assert!(plan.contains("ledger_operation"), "{query}: {plan}");
    }
}

/// The demo's seeding analyses the tables it filled and leaves those a server fills as it
/// trades as PostgreSQL finds a new table: never analysed, so planned as at least ten pages.
/// Analysed while empty, they were planned as empty by the statements a connection plans
/// once (a write-off's key lookup, its operation's foreign-key check), which then scanned
/// them as every write-off added a row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_leaves_the_tables_trading_fills_unanalysed_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let c = demo_on_postgres(&cluster).await;
    let analysed = |table: &'static str| {
        let c = &c;
        async move {
            let row = c
                .query_one(
                    "SELECT reltuples >= 0 FROM pg_class WHERE oid = to_regclass($1)",
                    &[&table],
                )
                .await
                .unwrap();
            row.get::<_, bool>(0)
        }
    };
    for filled in ["clients", "ledger", "lots", "balances", "coupons"] {
        assert!(analysed(filled).await, "{filled} is analysed");
    }
    for empty in ["operations", "lot_spends", "idempotency_keys", "holds"] {
        assert!(!analysed(empty).await, "{empty} is left unanalysed");
    }
}

/// The demo gives the ledger's and lots' rows their ids itself, from where each sequence
/// stood, and sets the sequences past them (`both_stores_answer_every_read_alike` holds
/// that every key it takes off to load, the foreign keys of the tables outside it
/// included, is back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_numbers_the_ledger_and_lots_from_their_sequences_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    let c = Cluster::connect(&url).await;
    // Sequences that moved before (rows made and removed) go on from where they stood.
    c.batch_execute("SELECT setval('ledger_id_seq', 5000); SELECT setval('lots_id_seq', 700)")
        .await
        .unwrap();
    store.seed_demo(CLIENTS, anchor()).await.unwrap();
    for (table, after) in [("ledger", 5000i64), ("lots", 700)] {
        let row = c
            .query_one(
                &format!(
                    "SELECT min(id), max(id), count(*),
                            nextval(pg_get_serial_sequence('{table}', 'id')) FROM {table}"
                ),
                &[],
            )
            .await
            .unwrap();
        let (min, max, count, next): (i64, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        assert!(min > after, "{table}: the first id {min} after {after}");
        assert!(
            count > i64::try_from(CLIENTS).unwrap(),
            "{table}: {count} rows"
        );
        assert_eq!(
            next,
            max + 1,
            "{table}: the sequence goes on after the rows"
        );
    }
}

/// A code recorded for `client` from `till-1` for `minor` points at `at`: its id and digits.
async fn a_code(store: &Store, client: ClientId, minor: i64, at: Timestamp) -> (i64, String) {
    let (code, salt, hash) = codes::fresh().unwrap();
    let new = NewCode {
        client,
        principal: "till-1".into(),
        points: minor,
        rubles: 0,
        salt,
        hash,
        created_ms: at.as_millisecond(),
        expires_ms: (at + SignedDuration::from_mins(5)).as_millisecond(),
    };
    let (id, phone) = store.record_code(new).await.unwrap();
    assert!(
        phone.len() >= 10 && phone.bytes().all(|b| b.is_ascii_digit()),
        "{phone}"
    );
    (id, code)
}

async fn check(store: &Store, client: ClientId, code: &str, minor: i64, at: Timestamp) -> Verdict {
    store
        .check_code(
            client,
            code.into(),
            "till-1".into(),
            (minor, 0),
            at.as_millisecond(),
        )
        .await
        .unwrap()
}

fn code_refusal(e: &StoreError) -> Option<CodeRefusal> {
    match e {
        StoreError::Refused(Refusal::Code(r)) => Some(*r),
        _ => None,
    }
}

/// Confirmation codes mean the same on both stores: a send pauses, a wrong try is counted
/// even though nothing else is written, the code is spent by its write-off in the same
/// transaction (once, even by two at a time), a refused write-off leaves it usable, a void
/// or expired one is no good, and a manager's bypass is marked and reported.
async fn confirmation_codes_are_spent_once_with_their_write_off(store: &Store) {
    let t0 = anchor() + SignedDuration::from_hours(100);
    let client = ClientId(SAMPLE_CLIENT_ID + 7);
    let (id, code) = a_code(store, client, 1_00, t0).await;
    let (_, salt, hash) = codes::fresh().unwrap();
    let soon = NewCode {
        client,
        principal: "till-1".into(),
        points: 1_00,
        rubles: 0,
        salt,
        hash,
        created_ms: t0.as_millisecond() + 1_000,
        expires_ms: t0.as_millisecond() + 60_000,
    };
    let e = store.record_code(soon).await.unwrap_err();
    assert_eq!(
        code_refusal(&e),
        Some(CodeRefusal::ResendWait { retry_after: 29 })
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert_eq!(
        check(store, client, wrong, 1_00, t0).await,
        Verdict::Refuse(CodeRefusal::Wrong, Some(id))
    );
    // The right code for another amount is the second wrong try: both were counted.
    assert_eq!(
        check(store, client, &code, 2_00, t0).await,
        Verdict::Refuse(CodeRefusal::Wrong, Some(id))
    );
    assert_eq!(
        check(store, client, &code, 1_00, t0).await,
        Verdict::Spend(id)
    );
    let by_code = Made {
        confirm: Some(Confirm::Code(id)),
        ..made(t0)
    };
    let before = store.balances(client).await.unwrap().points;
    let e = store
        .write_off(client, points(100_000_000_000), by_code.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Refused(Refusal::Insufficient { .. })),
        "{e:?}"
    );
    assert_eq!(
        check(store, client, &code, 1_00, t0).await,
        Verdict::Spend(id),
        "a refused write-off leaves its code usable"
    );
    let (a, b) = tokio::join!(
        store.write_off(client, points(1_00), by_code.clone()),
        store.write_off(client, points(1_00), by_code.clone()),
    );
    let refused: Vec<StoreError> = [a, b].into_iter().filter_map(Result::err).collect();
    assert_eq!(refused.len(), 1, "one of two at once: {refused:?}");
    assert_eq!(code_refusal(&refused[0]), Some(CodeRefusal::Used));
    assert_eq!(
        store.balances(client).await.unwrap().points,
        Amount::from_minor(before.minor() - 1_00)
    );
    assert_eq!(
        check(store, client, &code, 1_00, t0).await,
        Verdict::Spent(id)
    );
    let idem = Idempotency {
        scope: "till-1".into(),
        key: "code-spent".into(),
        fingerprint: "f".into(),
    };
    let keyed = store
        .write_off_once(client, points(1_00), by_code, idem, answer)
        .await
        .unwrap();
    match keyed {
        Keyed::Fresh(Err(e)) => assert_eq!(code_refusal(&e), Some(CodeRefusal::Used)),
        other => panic!("{other:?}"),
    }
    let newest = store.history(client, page(1)).await.unwrap();
    let about = newest[0].about.as_ref().unwrap();
    assert_eq!(about.confirmed, Some(Confirmed::Code));
    // Void, expired.
    let t1 = t0 + SignedDuration::from_secs(31);
    let (void, void_code) = a_code(store, client, 1_00, t1).await;
    store.void_code(void).await.unwrap();
    assert_eq!(
        check(store, client, &void_code, 1_00, t1).await,
        Verdict::Refuse(CodeRefusal::Expired, None)
    );
    let t2 = t1 + SignedDuration::from_secs(31);
    let (_, late) = a_code(store, client, 1_00, t2).await;
    let after = t2 + SignedDuration::from_mins(5);
    assert_eq!(
        check(store, client, &late, 1_00, after).await,
        Verdict::Refuse(CodeRefusal::Expired, None)
    );
    // A manager's PIN in the code's place: marked, and a bypass of the shift.
    let by_manager = Made {
        manager: Some("Ольга".into()),
        confirm: Some(Confirm::Manager),
        ..made(t0)
    };
    let written = store
        .write_off(client, points(2_00), by_manager)
        .await
        .unwrap();
    let report = store.shift_report(t0).await.unwrap();
    let bypass = report
        .bypasses
        .iter()
        .find(|b| b.operation == Some(written.operation))
        .expect("the bypass is reported");
    assert_eq!(bypass.manager.as_deref(), Some("Ольга"));
    assert_eq!(bypass.principal.as_deref(), Some("till-1"));
    assert_eq!(bypass.login.as_deref(), Some("kassa@shop.ru"));
    assert_eq!(bypass.points, Amount::from_minor(2_00));
    let row = report
        .rows
        .iter()
        .find(|r| r.principal.as_deref() == Some("till-1"))
        .unwrap();
    assert!(row.bypasses >= 1 && row.overrides >= row.bypasses);
}

// Deep history pages (issue 31): a page read on from the caller's last row, or from the far
// end of the list, is the slice the whole list puts there, ties in time included.

/// Rows past `store::rules::history::COUNTED_FROM`, so that deep pages are read from the far end.
const DEEP_HISTORY: u64 = 6_000;

fn history_page(offset: u32, limit: u32, after: Option<HistoryCursor>) -> HistoryQuery {
    HistoryQuery {
        from: None,
        to: None,
        offset,
        limit,
        after,
    }
}

/// Every page of `q`'s period, `limit` rows at a time, by the offset alone or with the
/// cursor of the last row read.
async fn every_page(
    store: &Store,
    client: ClientId,
    q: HistoryQuery,
    by_cursor: bool,
) -> Vec<HistoryEntry> {
    let mut rows: Vec<HistoryEntry> = Vec::new();
    loop {
        let after = rows
            .last()
            .filter(|_| by_cursor)
            .and_then(HistoryCursor::after);
        let page = HistoryQuery {
            offset: rows.len() as u32,
            after,
            ..q
        };
        let got = store.history(client, page).await.unwrap();
        let done = (got.len() as u32) < q.limit;
        rows.extend(got);
        if done {
            return rows;
        }
    }
}

fn key(e: &HistoryEntry) -> (Timestamp, i64) {
    (e.at, e.transaction_id.parse().unwrap())
}

async fn deep_history_pages_are_the_rows_of_the_whole_list(store: &Store) {
    let client = ClientId(SAMPLE_CLIENT_ID + 1);
    store
        .seed_demo_with(
            CLIENTS,
            Some(Heavy {
                client: client.0,
                history: DEEP_HISTORY,
                coupons: 0,
            }),
            anchor(),
        )
        .await
        .unwrap();
    // Six movements at one instant: the cursor's tie, crossed by pages of 7 and of 4.
    let balances = store.balances(client).await.unwrap();
    let tie = WriteOff {
        points: (balances.points.minor() >= 6).then(|| Amount::from_minor(1)),
        rubles: (balances.points.minor() < 6).then(|| Amount::from_minor(1)),
        ..WriteOff::default()
    };
    let instant = anchor() + SignedDuration::from_mins(1);
    for _ in 0..6 {
        store
            .write_off(client, tie.clone(), made(instant))
            .await
            .unwrap();
    }

    let whole = every_page(store, client, history_page(0, 1000, None), false).await;
    assert!(whole.len() as u64 >= DEEP_HISTORY + 6, "{}", whole.len());
    assert!(
        whole.windows(2).all(|w| key(&w[0]) > key(&w[1])),
        "newest first, ties by the larger id first, each row once"
    );
    assert_eq!(whole.iter().filter(|e| e.at == instant).count(), 6);
    for limit in [7, 4] {
        let by_cursor = every_page(store, client, history_page(0, limit, None), true).await;
        assert_eq!(by_cursor, whole, "by cursor, pages of {limit}");
    }
    let by_offset = every_page(store, client, history_page(0, 7, None), false).await;
    assert_eq!(by_offset, whole, "by offset, deep pages from the far end");

    // The last page, asked by its offset alone, and one past the end.
    let last = whole.len() as u32 - 50;
    let tail = store
        .history(client, history_page(last, 50, None))
        .await
        .unwrap();
    assert_eq!(tail, whole[last as usize..]);
    let past = history_page(whole.len() as u32, 50, None);
    assert!(store.history(client, past).await.unwrap().is_empty());

    // A period: the cursor inside it is followed, one outside it is not.
    let (from, to) = (whole[4_000].at, whole[100].at);
    let within: Vec<_> = whole
        .iter()
        .filter(|e| e.at >= from && e.at <= to)
        .cloned()
        .collect();
    let period = HistoryQuery {
        from: Some(from),
        to: Some(to),
        ..history_page(0, 9, None)
    };
    assert_eq!(every_page(store, client, period, true).await, within);
    let outside = HistoryCursor::after(&whole[0]);
    let beyond = HistoryQuery {
        offset: 18,
        after: outside,
        ..period
    };
    assert_eq!(store.history(client, beyond).await.unwrap(), within[18..27]);

    // A cursor the store does not hold for this client (another client's row, a wrong
    // time) names no place: the page is read by its offset.
    let sample = store.history(SAMPLE, page(1)).await.unwrap();
    let foreign = HistoryCursor::after(&sample[0]);
    let wrong_time = HistoryCursor::after(&whole[40]).map(|c| HistoryCursor {
        at: c.at + SignedDuration::from_millis(1),
        ..c
    });
    for after in [foreign, wrong_time] {
        let page = store
            .history(client, history_page(14, 7, after))
            .await
            .unwrap();
        assert_eq!(page, whole[14..21], "{after:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_pages_deep_history_by_cursor_and_from_the_far_end() {
    let dir = tempfile::tempdir().unwrap();
    deep_history_pages_are_the_rows_of_the_whole_list(&sqlite(&dir, "deep.db").await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_pages_deep_history_by_cursor_and_from_the_far_end() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    deep_history_pages_are_the_rows_of_the_whole_list(&postgres(&cluster).await).await;
}
