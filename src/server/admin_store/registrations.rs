//! Mloyalty's registrations: the cards issued in a period, per point of sale.

use super::*;

/// Cards registered between two instants (inclusive), optionally at one point of sale; at
/// most `limit` of them (the caller asks for one more than it answers, to know there are
/// more).
pub fn registrations(
    conn: &Connection,
    from: Timestamp,
    to: Timestamp,
    pos: Option<i64>,
    limit: u32,
) -> Result<Vec<Registration>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.client_id, c.number, c.out_number, c.is_virtual, c.card_type, c.card_status,
                c.reg_pos, p.name, c.reg_ms
         FROM cards c JOIN points_of_sale p ON p.id = c.reg_pos
         WHERE c.reg_ms BETWEEN ?1 AND ?2 AND (?3 IS NULL OR c.reg_pos = ?3)
         ORDER BY c.reg_ms, c.id LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![from.as_millisecond(), to.as_millisecond(), pos, limit],
        |r| {
            Ok(Registration {
                client: r.get(0)?,
                card: r.get(1)?,
                out_number: r.get(2)?,
                is_virtual: r.get::<_, i64>(3)? != 0,
                card_type: r.get(4)?,
                card_status: r.get(5)?,
                pos: r.get(6)?,
                pos_name: r.get(7)?,
                registered: Timestamp::from_millisecond(r.get(8)?).unwrap_or(Timestamp::UNIX_EPOCH),
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
