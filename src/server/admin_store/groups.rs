//! Poster's marketing groups (a removed one is kept, marked) and its promotions.

use super::*;

pub(crate) fn kind_code(kind: GroupKind) -> i64 {
    match kind {
        GroupKind::Bonus => 1,
        GroupKind::Discount => 2,
    }
}

fn group_row(r: &rusqlite::Row) -> rusqlite::Result<Group> {
    Ok(group_of(
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        &r.get::<_, String>(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get::<_, i64>(6)? != 0,
        r.get::<_, i64>(7)? != 0,
    ))
}

/// A group from its stored columns and its count of clients.
#[allow(clippy::too_many_arguments)]
pub(crate) fn group_of(
    id: i64,
    name: String,
    kind: i64,
    percent: &str,
    birthday_bonus: i64,
    clients: i64,
    use_ewallet: bool,
    removed: bool,
) -> Group {
    Group {
        id,
        name,
        kind: if kind == 1 {
            GroupKind::Bonus
        } else {
            GroupKind::Discount
        },
        percent: Decimal::from_str(percent).unwrap_or_default(),
        birthday_bonus: Amount::from_minor(birthday_bonus),
        clients: clients.max(0) as u64,
        use_ewallet: Some(use_ewallet),
        removed,
    }
}

pub(crate) const GROUP_SELECT: &str =
    "SELECT g.id, g.name, g.loyalty_type, g.percent, g.birthday_bonus,
        (SELECT count(*) FROM clients c WHERE c.group_id = g.id), g.use_ewallet, g.deleted
        FROM client_groups g";

/// A promotion row: `(id, name, date_start, date_end)`, dates as Poster writes them.
pub type PromotionRow = (i64, String, Option<String>, Option<String>);

pub fn promotions(conn: &Connection) -> Result<Vec<PromotionRow>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, date_start, date_end FROM promotions ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn groups(conn: &Connection) -> Result<Vec<Group>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{GROUP_SELECT} ORDER BY g.id"))?;
    let rows = stmt.query_map([], group_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn group(conn: &Connection, id: i64) -> Result<Option<Group>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{GROUP_SELECT} WHERE g.id = ?1"))?;
    Ok(stmt.query_row([id], group_row).optional()?)
}

pub fn create_group(conn: &Connection, draft: &GroupDraft) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO client_groups (name, loyalty_type, percent, birthday_bonus, use_ewallet)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            draft.name.trim(),
            kind_code(draft.kind),
            draft.percent.normalize().to_string(),
            draft.birthday_bonus.minor(),
            draft.use_ewallet.unwrap_or(false)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Returns whether the group existed.
pub fn update_group(conn: &Connection, id: i64, draft: &GroupDraft) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE client_groups SET name = ?2, loyalty_type = ?3, percent = ?4, birthday_bonus = ?5,
                use_ewallet = coalesce(?6, use_ewallet)
         WHERE id = ?1 AND deleted = 0",
        params![
            id,
            draft.name.trim(),
            kind_code(draft.kind),
            draft.percent.normalize().to_string(),
            draft.birthday_bonus.minor(),
            draft.use_ewallet
        ],
    )?;
    Ok(changed == 1)
}

/// Removes a group; its clients leave it (as Poster removes the group with its members).
/// Returns whether the group existed.
pub fn remove_group(conn: &mut Connection, id: i64) -> Result<bool, StoreError> {
    let tx = conn.savepoint()?;
    tx.execute(
        "UPDATE clients SET group_id = NULL WHERE group_id = ?1",
        [id],
    )?;
    let removed = tx.execute(
        "UPDATE client_groups SET deleted = 1 WHERE id = ?1 AND deleted = 0",
        [id],
    )?;
    tx.commit()?;
    Ok(removed == 1)
}
