//! The PostgreSQL schema (`assets/postgres/001_schema.sql`) on a real throwaway cluster: the
//! guarantees the SQLite store keeps are the database's own here too. The ledger cannot be
//! changed, a balance always equals the sum of its ledger and never goes below zero, even
//! under many concurrent write-offs from separate connections (as from several servers),
//! and an idempotency key is stored once.

use crate::common;

use common::postgres::Postgres;
use tokio_postgres::{Client, NoTls};

const SCHEMA: &str = include_str!("../../assets/postgres/001_schema.sql");

async fn connect(pg: &Postgres) -> Client {
    let (client, connection) = tokio_postgres::connect(&pg.params("postgres"), NoTls)
        .await
        .expect("connect to the test cluster");
    tokio::spawn(connection);
    client
}

/// The schema on a fresh cluster and one client holding 100.00 points.
async fn with_one_client(pg: &Postgres) -> Client {
    let c = connect(pg).await;
    c.batch_execute(SCHEMA).await.expect("the schema applies");
    c.batch_execute(
        "INSERT INTO clients (id, name, phone_norm) VALUES (1, 'Юлия Петрова', '9123456789');
         INSERT INTO ledger (client_id, currency, amount, at_ms, kind)
         VALUES (1, 'points', 10000, 0, 'accrual');",
    )
    .await
    .unwrap();
    c
}

async fn balance(c: &Client) -> i64 {
    c.query_one(
        "SELECT amount FROM balances WHERE client_id = 1 AND currency = 'points'",
        &[],
    )
    .await
    .unwrap()
    .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_is_append_only_and_no_balance_goes_below_zero() {
    let Some(pg) = Postgres::start() else {
        return;
    };
    let c = with_one_client(&pg).await;
    assert_eq!(balance(&c).await, 10000);
    for sql in [
        "UPDATE ledger SET amount = amount + 1",
        "DELETE FROM ledger",
        "TRUNCATE ledger",
    ] {
        let e = c.batch_execute(sql).await.unwrap_err();
        assert!(format!("{e:?}").contains("append-only"), "{sql}: {e:?}");
    }
    let overdraw = c
        .batch_execute(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind)
             VALUES (1, 'points', -10001, 1, 'write_off')",
        )
        .await
        .unwrap_err();
    assert!(
        format!("{overdraw:?}").contains("balances_amount_check"),
        "{overdraw:?}"
    );
    // A first movement that is a debit has no balance to come from.
    let from_nothing = c
        .batch_execute(
            "INSERT INTO ledger (client_id, currency, amount, at_ms, kind)
             VALUES (1, 'rubles', -1, 1, 'write_off')",
        )
        .await
        .unwrap_err();
    assert!(format!("{from_nothing:?}").contains("balances_amount_check"));
    assert_eq!(balance(&c).await, 10000);
    let movements: i64 = c
        .query_one("SELECT count(*) FROM ledger", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(movements, 1, "refused movements left nothing behind");

    c.batch_execute(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
         VALUES ('till-3', 'k1', 'f', 200, '', 0)",
    )
    .await
    .unwrap();
    let again = c
        .batch_execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, created_ms)
             VALUES ('till-3', 'k1', 'f', 200, '', 0)",
        )
        .await
        .unwrap_err();
    assert!(
        format!("{again:?}").contains("idempotency_keys_pkey"),
        "{again:?}"
    );
}

/// Fifty write-offs of 10.00 against 100.00 at once, each on its own connection as from
/// different servers: exactly ten are taken, the balance ends at zero, and the ledger sums
/// to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_write_offs_never_overdraw() {
    let Some(pg) = Postgres::start() else {
        return;
    };
    let c = with_one_client(&pg).await;
    let mut tills = Vec::new();
    for till in 0..50 {
        let client = connect(&pg).await;
        tills.push(tokio::spawn(async move {
            client
                .execute(
                    "INSERT INTO ledger (client_id, currency, amount, at_ms, kind, principal)
                     VALUES (1, 'points', -1000, 1, 'write_off', $1)",
                    &[&format!("till-{till}")],
                )
                .await
                .map_err(|e| format!("{e:?}"))
        }));
    }
    let mut taken = 0;
    for till in tills {
        match till.await.unwrap() {
            Ok(_) => taken += 1,
            Err(e) => assert!(e.contains("balances_amount_check"), "{e}"),
        }
    }
    assert_eq!(taken, 10);
    assert_eq!(balance(&c).await, 0);
    let sum: i64 = c
        .query_one("SELECT sum(amount)::BIGINT FROM ledger", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(sum, 0);
}
