//! Expiring and pending points on `loyalty serve` (issue 30): the outlook route and the
//! balance under the server's clock, `--check` finding a doctored lot on both stores, an old
//! file's balances becoming lots, and random movements that never part a balance from its
//! lots. The store contract (`store_contract.rs`) holds both stores to the same spending
//! order, activation, expiry and give-back.

use crate::common;

use common::postgres::Postgres as Cluster;
use common::{SAMPLE, TOKEN, TestServer};
use jiff::{SignedDuration, Timestamp};
use loyalty_console::domain::reversal::{ReasonCode, Why};
use loyalty_console::domain::{Amount, ClientId, Currency, Reversal, WriteOff};
use loyalty_console::server::demo::{
    PENDING, PENDING_DAYS, SAMPLE_CLIENT_ID, SAMPLE_EXPIRING, SAMPLE_EXPIRING_DAYS,
};
use loyalty_console::server::store::{DbTarget, Made, Store, StoreError};
use loyalty_console::wire::ext_operations::OutlookDto;

const NEXT: ClientId = ClientId(SAMPLE_CLIENT_ID + 1);

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

async fn get(server: &TestServer, path: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(format!("{}/ext/api/v1{path}", server.url()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn points_of(body: &str) -> serde_json::Value {
    let list: Vec<serde_json::Value> = serde_json::from_str(body).unwrap();
    list.into_iter()
        .find(|a| a["currency"] == "points")
        .map_or(serde_json::Value::Null, |a| a["amount"].clone())
}

/// The demo's newcomer sees «сгорит» on the sample and «неактивно до» on the next client;
/// the balance route answers what may be spent now under the server's clock, and pending
/// points join it at their activation.
#[tokio::test]
async fn the_outlook_route_and_the_balance_follow_the_servers_clock() {
    let s = TestServer::start(3).await;
    let (status, body) = get(&s, "/capabilities/").await;
    assert_eq!(status, 200);
    assert!(body.contains("\"outlook\":true"), "{body}");

    let (status, body) = get(&s, &format!("/clients/{}/balance/outlook/", SAMPLE.0)).await;
    assert_eq!(status, 200, "{body}");
    let o: OutlookDto = serde_json::from_str(&body).unwrap();
    let expiry = s.anchor + days(SAMPLE_EXPIRING_DAYS);
    assert_eq!(o.expiring.len(), 1, "{body}");
    assert_eq!(o.expiring[0].currency, "points");
    assert_eq!(
        Amount::parse_decimal(&o.expiring[0].amount.to_string()).unwrap(),
        Amount::from_minor(SAMPLE_EXPIRING)
    );
    assert_eq!(o.expiring[0].at.parse::<Timestamp>().unwrap(), expiry);
    assert!(o.pending.is_empty(), "{body}");

    let (_, body) = get(&s, &format!("/clients/{}/balance/outlook/", NEXT.0)).await;
    let o: OutlookDto = serde_json::from_str(&body).unwrap();
    assert_eq!(o.pending.len(), 1, "{body}");
    let activation = s.anchor + days(PENDING_DAYS);
    assert_eq!(o.pending[0].at.parse::<Timestamp>().unwrap(), activation);
    assert_eq!(
        Amount::parse_decimal(&o.pending[0].amount.to_string()).unwrap(),
        Amount::from_minor(PENDING)
    );

    let ledger = s.store.balances(NEXT).await.unwrap().points;
    let (_, body) = get(&s, &format!("/clients/{}/balance/", NEXT.0)).await;
    let now = Amount::parse_decimal(&points_of(&body).to_string()).unwrap();
    assert_eq!(
        now.minor(),
        ledger.minor() - PENDING,
        "pending is not in the balance"
    );
    // The sample's 1234.56 is all spendable until its lot expires.
    let (_, body) = get(&s, &format!("/clients/{}/balance/", SAMPLE.0)).await;
    assert_eq!(points_of(&body).to_string(), "1234.56", "{body}");

    s.clock.advance(days(PENDING_DAYS));
    let (_, body) = get(&s, &format!("/clients/{}/balance/", NEXT.0)).await;
    let then = Amount::parse_decimal(&points_of(&body).to_string()).unwrap();
    assert_eq!(then, ledger, "active at its activation");
    let (_, body) = get(&s, &format!("/clients/{}/balance/outlook/", NEXT.0)).await;
    assert!(
        serde_json::from_str::<OutlookDto>(&body)
            .unwrap()
            .pending
            .is_empty()
    );
    // Past its expiry the sample's expiring lot is not spendable, swept or not.
    let (_, body) = get(&s, &format!("/clients/{}/balance/", SAMPLE.0)).await;
    let sample = Amount::parse_decimal(&points_of(&body).to_string()).unwrap();
    assert_eq!(sample.minor(), 123_456 - SAMPLE_EXPIRING);

    let (status, _) = get(&s, "/clients/1/balance/outlook/").await;
    assert_eq!(status, 404, "an unknown client");
}

/// A tiny deterministic generator: the loop is the same every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Random accruals (some pending, some expiring), write-offs up to what is spendable,
/// reversals and sweeps, with the clock moving on: after every step each balance equals
/// its lots and no lot is out of bounds, and a write-off never takes more than is
/// spendable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_movements_keep_every_balance_equal_to_its_lots() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("lots.db")).unwrap();
    let t0 = Timestamp::from_second(1_790_000_000).unwrap();
    store.seed_demo(4, t0).await.unwrap();
    let clients: Vec<ClientId> = (0..4).map(|i| ClientId(SAMPLE_CLIENT_ID + i)).collect();
    let mut rng = Lcg(30);
    let mut now = t0;
    let mut written = Vec::new();
    for step in 0..300 {
        now += SignedDuration::from_mins(1 + rng.below(12 * 60) as i64);
        let client = clients[rng.below(4) as usize];
        let made = Made {
            at: now,
            ..Made::default()
        };
        match rng.below(10) {
            0..=3 => {
                let from = now + SignedDuration::from_hours(rng.below(3) as i64 * 24);
                let until = (rng.below(3) > 0)
                    .then(|| from + SignedDuration::from_hours(1 + rng.below(96) as i64));
                let amount = Amount::from_minor(1 + rng.below(5_000) as i64);
                store
                    .accrue(client, Currency::Points, amount, from, until, made)
                    .await
                    .unwrap();
            }
            4..=7 => {
                let spendable = store.balances_at(client, now).await.unwrap().points;
                let ask = 1 + rng.below(spendable.minor().max(1) as u64 * 2) as i64;
                let request = WriteOff {
                    points: Some(Amount::from_minor(ask)),
                    ..WriteOff::default()
                };
                match store.write_off(client, request, made).await {
                    Ok(w) => {
                        assert!(
                            ask <= spendable.minor(),
                            "step {step}: took {ask} of {spendable}"
                        );
                        written.push((client, w.operation, ask));
                    }
                    Err(StoreError::Refused(_)) => {
                        assert!(
                            ask > spendable.minor(),
                            "step {step}: refused {ask} of {spendable}"
                        )
                    }
                    Err(e) => panic!("step {step}: {e}"),
                }
            }
            8 if !written.is_empty() => {
                let (client, original, amount) =
                    written.swap_remove(rng.below(written.len() as u64) as usize);
                let back = 1 + rng.below(amount as u64) as i64;
                let reversal = Reversal {
                    original,
                    client,
                    points: Some(Amount::from_minor(back)),
                    rubles: None,
                    coupons: vec![],
                    why: Why::new(ReasonCode::Returned, None).unwrap(),
                };
                store.reverse(reversal, made).await.unwrap();
            }
            _ => {
                store.expire_lots(now).await.unwrap();
            }
        }
        let report = store.check().await.unwrap();
        assert!(
            report.mismatches.is_empty(),
            "step {step}: {:?}",
            report.mismatches
        );
        assert!(report.lots.is_empty(), "step {step}: {:?}", report.lots);
    }
    // Everything due expires, and what is left is exactly the lots not yet expired.
    let end = now + days(10);
    store.expire_lots(end).await.unwrap();
    for client in clients {
        let ledger = store.balances(client).await.unwrap();
        let spendable = store.balances_at(client, end).await.unwrap();
        assert_eq!(
            ledger, spendable,
            "{client:?}: nothing pending or expired is left"
        );
    }
    assert!(store.check().await.unwrap().lots.is_empty());
}

/// A reversal after its lot expired gives back into that lot, which is not spendable, and
/// the next sweep writes the given-back part out by its own ledger row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_comes_back_to_an_expired_lot_expires_at_the_next_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("back.db")).unwrap();
    let t0 = Timestamp::from_second(1_790_000_000).unwrap();
    store.seed_demo(4, t0).await.unwrap();
    let client = ClientId(SAMPLE_CLIENT_ID + 3);
    let at = |t: Timestamp| Made {
        at: t,
        ..Made::default()
    };
    let points = |minor: i64| WriteOff {
        points: Some(Amount::from_minor(minor)),
        ..WriteOff::default()
    };
    let base = store.balances_at(client, t0).await.unwrap().points.minor();
    store
        .accrue(
            client,
            Currency::Points,
            Amount::from_minor(5_00),
            t0,
            Some(t0 + days(1)),
            at(t0),
        )
        .await
        .unwrap();
    // The expiring lot goes first: all 5.00 of it.
    let taken = store.write_off(client, points(5_00), at(t0)).await.unwrap();
    let later = t0 + days(2);
    let reversal = Reversal {
        original: taken.operation,
        client,
        points: Some(Amount::from_minor(5_00)),
        rubles: None,
        coupons: vec![],
        why: Why::new(ReasonCode::Returned, None).unwrap(),
    };
    store.reverse(reversal, at(later)).await.unwrap();
    let ledger = store.balances(client).await.unwrap().points.minor();
    assert_eq!(ledger, base + 5_00, "given back to the ledger");
    assert_eq!(
        store
            .balances_at(client, later)
            .await
            .unwrap()
            .points
            .minor(),
        base,
        "into the expired lot, not spendable"
    );
    assert_eq!(store.expire_lots(later).await.unwrap(), 1);
    assert_eq!(store.balances(client).await.unwrap().points.minor(), base);
    let newest = &store
        .history(
            client,
            loyalty_console::domain::HistoryQuery {
                from: None,
                to: None,
                offset: 0,
                limit: 1,
                after: None,
            },
        )
        .await
        .unwrap()[0];
    assert_eq!(
        (newest.amount, newest.about.is_none()),
        (Amount::from_minor(-5_00), true)
    );
    assert!(store.check().await.unwrap().lots.is_empty());
}

/// `--check` names a lot someone changed by hand, with what its spends leave, and the
/// balance it no longer adds up to.
#[tokio::test]
async fn check_finds_a_doctored_lot_on_sqlite() {
    let s = TestServer::start(3).await;
    // Spent from first, so that what the check sums of its spends shows in its sentence.
    let spend = WriteOff {
        points: Some(Amount::from_minor(2_50)),
        ..WriteOff::default()
    };
    s.store
        .write_off(
            SAMPLE,
            spend,
            Made {
                at: Timestamp::now(),
                ..Made::default()
            },
        )
        .await
        .unwrap();
    assert!(s.store.check().await.unwrap().lots.is_empty());
    let (lot, remaining): (i64, i64) = s
        .sqlite()
        .with_conn(|c| {
            let lot = c.query_row(
                "SELECT l.id, l.remaining FROM lots l
                 JOIN lot_spends s ON s.lot_id = l.id
                 WHERE l.client_id = ?1 ORDER BY l.id LIMIT 1",
                [SAMPLE.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            c.execute(
                "UPDATE lots SET remaining = remaining - 100 WHERE id = ?1",
                [lot.0],
            )?;
            Ok(lot)
        })
        .unwrap();
    let found = s.store.check().await.unwrap().lots;
    assert!(
        found.contains(&format!(
            "client {}: points balance 1232.06 but its lots hold 1231.06",
            SAMPLE.0
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&format!(
            "lot {lot}: {} left but its spends leave {}",
            Amount::from_minor(remaining - 100),
            Amount::from_minor(remaining)
        )),
        "{found:?}"
    );
}

/// PostgreSQL's `--check` finds the same, and a disabled lots trigger.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_finds_a_doctored_lot_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.fresh_database().await;
    let store = Store::open(&DbTarget::parse(&url).unwrap()).await.unwrap();
    store.seed_demo(3, Timestamp::now()).await.unwrap();
    let spend = WriteOff {
        points: Some(Amount::from_minor(2_50)),
        ..WriteOff::default()
    };
    let made = Made {
        at: Timestamp::now(),
        ..Made::default()
    };
    store.write_off(SAMPLE, spend, made).await.unwrap();
    assert!(store.check().await.unwrap().lots.is_empty());
    let client = Cluster::connect(&url).await;
    let row = client
        .query_one(
            "UPDATE lots SET remaining = remaining + 1 WHERE id =
                 (SELECT min(l.id) FROM lots l JOIN lot_spends s ON s.lot_id = l.id
                  WHERE l.client_id = $1)
             RETURNING id, remaining",
            &[&SAMPLE.0],
        )
        .await
        .unwrap();
    let (lot, remaining): (i64, i64) = (row.get(0), row.get(1));
    let report = store.check().await.unwrap();
    let sentence = format!(
        "lot {lot}: {} left but its spends leave {}",
        Amount::from_minor(remaining),
        Amount::from_minor(remaining - 1)
    );
    assert!(report.lots.contains(&sentence), "{:?}", report.lots);
    assert!(
        report
            .lots
            .iter()
            .any(|f| f.starts_with(&format!("client {}: points", SAMPLE.0))),
        "{:?}",
        report.lots
    );
    client
        .batch_execute("ALTER TABLE ledger DISABLE TRIGGER ledger_lots")
        .await
        .unwrap();
    let report = store.check().await.unwrap();
    assert!(
        report.integrity.contains("ledger_lots"),
        "{}",
        report.integrity
    );
}

/// A file made before lots (version 5: no lots, no triggers) keeps every balance: each
/// becomes one lot, spendable now and never expiring, and the file then spends by lots.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_file_keeps_its_balances_as_lots() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let t0 = Timestamp::from_second(1_790_000_000).unwrap();
    let ids: Vec<ClientId> = (0..5).map(|i| ClientId(SAMPLE_CLIENT_ID + i)).collect();
    let before = {
        let store = Store::open_sqlite(&path).unwrap();
        store.seed_demo(5, t0).await.unwrap();
        let mut before = Vec::new();
        for id in &ids {
            before.push(store.balances(*id).await.unwrap());
        }
        // Back to what version 5 made: no lots, their triggers or tables.
        store
            .sqlite()
            .unwrap()
            .with_conn(|c| {
                c.execute_batch(
                    "DROP TRIGGER ledger_spends_lots; DROP TRIGGER ledger_gives_back;
                     DROP TRIGGER lot_spends_to_lots; DROP TRIGGER lot_spends_no_update;
                     DROP TRIGGER lot_spends_no_delete;
                     DROP TABLE lot_spends; DROP TABLE hold_spends; DROP TABLE lots;
                     DROP TABLE lots_upgraded; PRAGMA user_version = 5;",
                )?;
                Ok(())
            })
            .unwrap();
        before
    };
    let store = Store::open_sqlite(&path).unwrap();
    let report = store.check().await.unwrap();
    assert!(report.lots.is_empty(), "{:?}", report.lots);
    for (id, was) in ids.iter().zip(&before) {
        assert_eq!(&store.balances(*id).await.unwrap(), was);
        assert_eq!(
            &store.balances_at(*id, t0).await.unwrap(),
            was,
            "all spendable"
        );
    }
    // Opening again makes no second lot of a balance.
    drop(store);
    let store = Store::open_sqlite(&path).unwrap();
    assert!(store.check().await.unwrap().lots.is_empty());
    let all = before[0].points;
    let request = WriteOff {
        points: Some(all),
        ..WriteOff::default()
    };
    let made = Made {
        at: t0,
        ..Made::default()
    };
    store.write_off(ids[0], request, made).await.unwrap();
    assert_eq!(store.balances(ids[0]).await.unwrap().points, Amount::ZERO);
    assert!(store.check().await.unwrap().lots.is_empty());
}
