//! REGOS's `total` from the counts the card operations' triggers keep (issue 31): on both
//! stores, whatever writes the table (a bulk insert, an update that moves an operation to
//! another card or type, a deletion, emptying it), the total by cards, promotions and types
//! is the count of the operations themselves, and `--check` finds a count that is not.

use crate::common;

use common::postgres::Postgres as Cluster;
use common::raw::Raw;
use jiff::Timestamp;
use loyalty_console::domain::admin::{
    CardOperationQuery, OperationKind, SortColumn, SortDirection,
};
use loyalty_console::server::demo::CARD_PROMO_ID;
use loyalty_console::server::store::{DbTarget, OperationFilter, Store};

/// A promotion no demo card has.
const OTHER_PROMO: i64 = 7;

fn filter(
    cards: &[i64],
    promos: &[i64],
    kinds: &[OperationKind],
    counted: bool,
) -> OperationFilter {
    OperationFilter {
        card_ids: cards.to_vec(),
        promo_ids: promos.to_vec(),
        kinds: kinds.to_vec(),
        uuids: vec![],
        query: CardOperationQuery {
            card_id: cards.first().copied().unwrap_or(0),
            promo_id: promos.first().copied().unwrap_or(0),
            kind: None,
            // A date bound sends the total to the operations themselves: every operation
            // here is dated after the epoch, so both ways must agree.
            from: (!counted).then_some(Timestamp::UNIX_EPOCH),
            to: None,
            sort: SortColumn::Date,
            direction: SortDirection::Desc,
            offset: 0,
            limit: 1,
        },
    }
}

/// Every total asked both ways, kept counts and a count of the operations: `(kept, counted)`.
async fn totals(store: &Store) -> Vec<(u64, u64)> {
    let (income, outcome) = (OperationKind::Income, OperationKind::Outcome);
    let mut out = Vec::new();
    for (cards, promos, kinds) in [
        (&[1][..], &[CARD_PROMO_ID][..], &[][..]),
        (&[1], &[CARD_PROMO_ID], &[income][..]),
        (&[1], &[CARD_PROMO_ID], &[outcome][..]),
        (&[2], &[OTHER_PROMO], &[]),
        (&[1, 2], &[CARD_PROMO_ID, OTHER_PROMO], &[income, outcome]),
        (&[], &[OTHER_PROMO], &[]),
    ] {
        let total = |counted| async move {
            store
                .card_operations(filter(cards, promos, kinds, counted))
                .await
                .unwrap()
                .1
        };
        out.push((total(true).await, total(false).await));
    }
    out
}

/// An operation of `card` as both stores take it.
fn operation(uuid: &str, card: i64, promo: i64, kind: i64, at: i64) -> String {
    format!("('{uuid}', {card}, {promo}, {kind}, 1000, 50, 0, false, {at}, 0, NULL, {at})")
}

async fn counts_follow_every_write(store: Store, raw: Raw, empty_it: &str) {
    store
        .seed_demo(20, "2026-12-01T00:00:00Z".parse().unwrap())
        .await
        .unwrap();
    let before = totals(&store).await;
    assert!(before[0].0 > 0, "the demo's first card has operations");
    for (kept, counted) in &before {
        assert_eq!(kept, counted, "the demo's own counts: {before:?}");
    }
    let rows: Vec<String> = (0..5)
        .map(|i| {
            operation(
                &format!("c0000000-0000-4000-8000-00000000000{i}"),
                1,
                CARD_PROMO_ID,
                1 + i64::from(i >= 3),
                1_700_000_000 + i,
            )
        })
        .chain([operation(
            "c0000000-0000-4000-8000-000000000010",
            2,
            OTHER_PROMO,
            1,
            1_700_000_100,
        )])
        .collect();
    raw.exec(&format!(
        "INSERT INTO card_operations (uuid, card_id, promo_id, type, amount, value, used_value,
                                      is_payment, date_s, exp_s, description, updated_s)
         VALUES {}",
        rows.join(", ")
    ))
    .await;
    let added = totals(&store).await;
    assert_eq!(added[0].0, before[0].0 + 5, "{added:?}");
    assert_eq!(added[3], (1, 1), "{added:?}");
    // One moves to the other card and promotion, one changes type, one goes.
    raw.exec(
        "UPDATE card_operations SET card_id = 2, promo_id = 7
         WHERE uuid = 'c0000000-0000-4000-8000-000000000000';
         UPDATE card_operations SET type = 2 WHERE uuid = 'c0000000-0000-4000-8000-000000000001';
         DELETE FROM card_operations WHERE uuid = 'c0000000-0000-4000-8000-000000000004';",
    )
    .await;
    let after = totals(&store).await;
    for (kept, counted) in &after {
        assert_eq!(kept, counted, "{after:?}");
    }
    assert_eq!(after[0].0, before[0].0 + 3, "{after:?}");
    assert_eq!(after[3], (2, 2), "{after:?}");
    let report = store.check().await.unwrap();
    assert!(report.card_counts.is_empty(), "{:?}", report.card_counts);

    raw.exec("UPDATE card_operation_counts SET n = n + 2 WHERE card_id = 2 AND promo_id = 7 AND type = 1")
        .await;
    let report = store.check().await.unwrap();
    assert_eq!(
        report.card_counts,
        ["card 2, promotion 7: 4 operations of type 1 counted, 2 stored"]
    );
    raw.exec("UPDATE card_operation_counts SET n = n - 2 WHERE card_id = 2 AND promo_id = 7 AND type = 1")
        .await;

    raw.exec(empty_it).await;
    for (kept, counted) in totals(&store).await {
        assert_eq!((kept, counted), (0, 0));
    }
    assert!(store.check().await.unwrap().card_counts.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_counts_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("counts.db");
    let store = Store::open(&DbTarget::parse(path.to_str().unwrap()).unwrap())
        .await
        .unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    counts_follow_every_write(store, Raw::Lite(raw), "DELETE FROM card_operations").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_counts_follow_every_write() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    let c = Cluster::connect(&url).await;
    counts_follow_every_write(store, Raw::Pg(c), "TRUNCATE card_operations").await;
}
