//! Poster's accumulations: each client's progress in each promotion, paged by clients.

use super::*;

/// A stored accumulation row, in the vendor's own terms (the server answers with these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccumulationRow {
    pub id: i64,
    pub tr_product_id: i64,
    pub promotion_id: i64,
    pub client_id: i64,
    pub product_id: i64,
    pub modification_id: i64,
    pub status: i64,
    pub num: String,
    pub product_sum: String,
    pub prize_product_id: Option<i64>,
    pub date_add: Option<String>,
    pub date_close: Option<String>,
    pub weight_flag: i64,
}

pub fn accumulations(
    conn: &Connection,
    client: Option<i64>,
    offset: u32,
    limit: u32,
) -> Result<Vec<AccumulationRow>, StoreError> {
    // As Poster: `num` and `offset` count clients, and a page holds every row of its clients.
    let mut stmt = conn.prepare_cached(
        "WITH page AS (SELECT DISTINCT client_id FROM accumulations
                       WHERE (?1 IS NULL OR client_id = ?1)
                       ORDER BY client_id LIMIT ?2 OFFSET ?3)
         SELECT id, tr_product_id, promotion_id, client_id, product_id, modification_id, status,
                num, product_sum, prize_product_id, date_add, date_close, weight_flag
         FROM accumulations WHERE client_id IN (SELECT client_id FROM page)
         ORDER BY client_id, id",
    )?;
    let rows = stmt.query_map(params![client, limit, offset], |r| {
        Ok(AccumulationRow {
            id: r.get(0)?,
            tr_product_id: r.get(1)?,
            promotion_id: r.get(2)?,
            client_id: r.get(3)?,
            product_id: r.get(4)?,
            modification_id: r.get(5)?,
            status: r.get(6)?,
            num: r.get(7)?,
            product_sum: r.get(8)?,
            prize_product_id: r.get(9)?,
            date_add: r.get(10)?,
            date_close: r.get(11)?,
            weight_flag: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
