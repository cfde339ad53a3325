//! Where a page of history is read from. An SQL `OFFSET` steps over every row before the
//! page, so the last page of a client with a million rows read a million index entries
//! (about a second) and an export page by page was quadratic. Both stores read a page by
//! the `(client_id, at_ms, id)` index instead: on from the asker's last row when it names
//! one the store holds, else from the nearer end of the list.

use super::back_office::OperationPage;
use crate::domain::HistoryQuery;

/// Below this offset a page is read by `OFFSET` as it is asked: stepping over a few
/// thousand index entries costs less than counting the client's rows to find the nearer end.
pub const COUNTED_FROM: u32 = 5_000;

/// One page's statement: the rows of the period at or before `to_ms`, those of `to_ms`
/// itself only below `below_id` (a cursor's tie), in the history's order or reversed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRead {
    pub from_ms: i64,
    pub to_ms: i64,
    pub below_id: i64,
    pub offset: u32,
    pub limit: u32,
    /// Oldest first: the rows come last first and are turned back.
    pub reversed: bool,
}

/// The period's bounds in epoch milliseconds, both inclusive.
pub fn period(query: &HistoryQuery) -> (i64, i64) {
    let from = query.from.map_or(i64::MIN, |t| t.as_millisecond());
    let to = query.to.map_or(i64::MAX, |t| t.as_millisecond());
    (from, to)
}

/// The read that follows the query's cursor, `cursor_held` saying the store holds that row
/// for this client at that time; `None` when the cursor is not there to follow.
pub fn after_cursor(query: &HistoryQuery, cursor_held: bool) -> Option<HistoryRead> {
    let cursor = query.after.filter(|_| cursor_held)?;
    let (from_ms, to_ms) = period(query);
    let at = cursor.at.as_millisecond();
    // A row outside the period is not a place in its list: the offset says where instead.
    if at < from_ms || at > to_ms {
        return None;
    }
    Some(HistoryRead {
        from_ms,
        to_ms: at,
        below_id: cursor.id,
        offset: 0,
        limit: query.limit,
        reversed: false,
    })
}

/// Whether the page's offset is deep enough to count the rows first.
pub fn needs_count(query: &HistoryQuery) -> bool {
    query.offset >= COUNTED_FROM
}

/// The read by the query's offset, given the period's row count when [`needs_count`] asked
/// for it; `None` for a page past the end.
pub fn by_offset(query: &HistoryQuery, total: Option<u64>) -> Option<HistoryRead> {
    let (from_ms, to_ms) = period(query);
    let read = |offset, limit, reversed| HistoryRead {
        from_ms,
        to_ms,
        below_id: i64::MAX,
        offset,
        limit,
        reversed,
    };
    let Some(total) = total else {
        return Some(read(query.offset, query.limit, false));
    };
    match OperationPage::of(query.offset, query.limit, total) {
        OperationPage::Past => None,
        OperationPage::Forward { offset, limit } => Some(read(offset, limit, false)),
        OperationPage::FromTheEnd { offset, limit } => Some(read(offset, limit, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::HistoryCursor;
    use jiff::Timestamp;

    fn query(offset: u32, limit: u32) -> HistoryQuery {
        HistoryQuery {
            from: None,
            to: None,
            offset,
            limit,
            after: None,
        }
    }

    #[test]
    fn a_shallow_page_reads_by_offset_and_a_deep_one_from_the_nearer_end() {
        assert!(!needs_count(&query(COUNTED_FROM - 1, 50)));
        assert_eq!(
            by_offset(&query(100, 50), None).map(|r| r.offset),
            Some(100)
        );
        let deep = query(999_950, 50);
        assert!(needs_count(&deep));
        let last = by_offset(&deep, Some(1_000_000)).unwrap();
        assert_eq!((last.offset, last.limit, last.reversed), (0, 50, true));
        let middle = by_offset(&query(400_000, 50), Some(1_000_000)).unwrap();
        assert_eq!((middle.offset, middle.reversed), (400_000, false));
        assert_eq!(by_offset(&query(1_000_000, 50), Some(1_000_000)), None);
    }

    #[test]
    fn a_cursor_is_followed_only_inside_the_period_and_when_held() {
        let at = Timestamp::from_millisecond(5_000).unwrap();
        let mut q = query(300, 50);
        q.after = Some(HistoryCursor { at, id: 7 });
        let read = after_cursor(&q, true).unwrap();
        assert_eq!((read.to_ms, read.below_id, read.offset), (5_000, 7, 0));
        assert_eq!(after_cursor(&q, false), None);
        q.to = Some(Timestamp::from_millisecond(4_999).unwrap());
        assert_eq!(after_cursor(&q, true), None);
    }
}
