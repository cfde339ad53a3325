//! The back office seeded beside each demo client: a REGOS card with its bonus operations
//! (the sample's with an accrual expiring within days), and Poster accumulations.

use super::*;

/// State for the back-office rows seeded alongside each client.
pub(super) struct BackOffice {
    /// The demo's "now": its history ends here.
    pub(super) anchor_ms: i64,
    pub(super) accumulation_id: i64,
}

impl BackOffice {
    pub(super) fn pick_group(&self, rng: &mut Rng) -> Option<i64> {
        (!rng.chance(30)).then(|| GROUPS[rng.below(GROUPS.len() as u64) as usize].0)
    }

    /// A card registered in the last ~400 days with its bonus operations, and perhaps some
    /// promotion accumulations.
    pub(super) fn client(
        &mut self,
        sink: &mut impl Sink,
        rng: &mut Rng,
        client_id: i64,
        i: u64,
    ) -> Result<(), StoreError> {
        let day_ms = 86_400_000;
        let card_id = i as i64 + 1;
        let registered =
            self.anchor_ms - rng.below(400) as i64 * day_ms - rng.below(day_ms as u64) as i64;
        let pos = POINTS_OF_SALE[rng.below(POINTS_OF_SALE.len() as u64) as usize].0;
        let is_virtual = pos == 3 || rng.chance(20);
        sink.row(
            Table::Cards,
            &row![
                card_id,
                client_id,
                CARD_PROMO_ID,
                FIRST_CARD_NUMBER + i as i64,
                100_000 + i as i64,
                is_virtual,
                if is_virtual {
                    "Виртуальная"
                } else {
                    rng.pick(CARD_TYPES)
                },
                if rng.chance(5) {
                    "Заблокирована"
                } else {
                    "Активна"
                },
                pos,
                registered
            ],
        )?;
        let mut balance: i64 = 0;
        // Operations made, by type (1 income, 2 outcome).
        let mut made = [0i64; 2];
        let mut at = registered / 1000;
        for n in 0..rng.below(9) {
            at += 3600 + rng.below(20 * 86_400) as i64;
            if at > self.anchor_ms / 1000 {
                break;
            }
            let outcome = balance > 50_000 && rng.chance(35);
            let (kind, amount, value) = if outcome {
                (2, 0, (1 + rng.below(balance as u64 / 1000)) as i64 * 1000)
            } else {
                let amount = (100 + rng.below(5_000) as i64) * 1000;
                (1, amount, amount / 20)
            };
            balance += if kind == 1 { value } else { -value };
            made[kind as usize - 1] += 1;
            let expires = if kind == 1 && rng.chance(60) {
                at + 365 * 86_400
            } else {
                0
            };
            sink.row(
                Table::CardOperations,
                &row![
                    format!("{:08x}-0000-4000-8000-{:012x}", card_id, n),
                    card_id,
                    CARD_PROMO_ID,
                    kind,
                    amount,
                    value,
                    if kind == 1 && rng.chance(30) {
                        value / 2
                    } else {
                        0
                    },
                    outcome,
                    at,
                    expires,
                    rng.chance(70).then(|| rng.pick(if kind == 1 {
                        INCOME_NOTES
                    } else {
                        OUTCOME_NOTES
                    })),
                    at
                ],
            )?;
        }
        if i == 0 {
            // The sample's card has an accrual that expires within days, partly used, so
            // that REGOS's `exp_date` and `used_value` show on a newcomer's first card.
            let (anchor_s, day_s) = (self.anchor_ms / 1000, 86_400);
            let (amount, value) = (400_000, 20_000);
            sink.row(
                Table::CardOperations,
                &row![
                    format!("{card_id:08x}-0000-4000-8000-{:012x}", 0xffff),
                    card_id,
                    CARD_PROMO_ID,
                    1i64,
                    amount,
                    value,
                    value / 4,
                    false,
                    anchor_s - 30 * day_s,
                    anchor_s + 3 * day_s,
                    INCOME_NOTES[1],
                    anchor_s - 30 * day_s
                ],
            )?;
            made[0] += 1;
        }
        for (kind, n) in (1i64..).zip(made) {
            if n > 0 {
                sink.row(
                    Table::CardOperationCounts,
                    &row![card_id, CARD_PROMO_ID, kind, n],
                )?;
            }
        }
        if rng.chance(25) {
            for _ in 0..1 + rng.below(2) {
                let started = self.anchor_ms / 1000 - rng.below(200 * 86_400) as i64;
                let status = [1, 1, 1, 2, 3][rng.below(5) as usize];
                let weighed = rng.chance(15);
                let count = if weighed {
                    format!("{}.{:07}", rng.below(5), rng.below(10_000_000))
                } else {
                    format!("{}.0000000", 1 + rng.below(9))
                };
                let as_text = |s: i64| {
                    Timestamp::from_second(s)
                        .map(|t| {
                            t.to_zoned(jiff::tz::TimeZone::UTC)
                                .strftime("%Y-%m-%d %H:%M:%S")
                                .to_string()
                        })
                        .ok()
                };
                sink.row(
                    Table::Accumulations,
                    &row![
                        self.accumulation_id,
                        2_000_000 + self.accumulation_id,
                        PROMOTIONS[rng.below(PROMOTIONS.len() as u64) as usize].0,
                        client_id,
                        900 + rng.below(100) as i64,
                        if rng.chance(20) {
                            1 + rng.below(3) as i64
                        } else {
                            0
                        },
                        status,
                        count,
                        (50 + rng.below(2000)).to_string(),
                        (status == 2).then(|| 900 + rng.below(100) as i64),
                        as_text(started),
                        (status != 1)
                            .then(|| as_text(started + rng.below(30 * 86_400) as i64))
                            .flatten(),
                        weighed
                    ],
                )?;
                self.accumulation_id += 1;
            }
        }
        Ok(())
    }
}
