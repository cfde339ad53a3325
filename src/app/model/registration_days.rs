//! F5's period, fetched a day at a time: Mloyalty has no paging and the server refuses a day
//! past its row cap, so a year is 365 requests. The console counts every day (per point of
//! sale) but holds the rows only of the days around the selection.

use crate::app::msg::RequestId;
use crate::domain::ServiceError;
use crate::domain::admin::Registration;
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::ops::Range;

/// Rows either side of the selection whose days stay in memory: more than any terminal
/// shows, so a page never waits for rows it already had, and few enough that the cache
/// stays a few days of rows whatever the period's length.
pub const REGISTRATION_WINDOW: usize = 200;

/// What is known of one day of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayState {
    /// Not yet asked for, or asked for and not yet answered.
    Waiting,
    /// Counted: its rows (those within the day) and, when near the selection, the rows.
    Counted {
        rows: usize,
        cached: Option<Vec<Registration>>,
    },
    /// The vendor refused the day or the request failed: its rows are in no total.
    Missing(ServiceError),
}

/// The period's days and what was counted over them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegistrationDays {
    pub days: Vec<(Date, DayState)>,
    /// Registrations per point of sale over the counted days, by id and name.
    pub per_pos: BTreeMap<(i64, String), usize>,
    /// The request counting the days, in order, one at a time, and the day it asks for.
    pub counting: Option<(RequestId, usize)>,
    /// A request for the rows of a counted day near the selection that the cache had let go.
    pub paging: Option<(RequestId, usize)>,
}

impl RegistrationDays {
    pub fn new(days: impl IntoIterator<Item = Date>) -> Self {
        RegistrationDays {
            days: days.into_iter().map(|d| (d, DayState::Waiting)).collect(),
            ..Default::default()
        }
    }

    /// Rows over the counted days: the table's length.
    pub fn total(&self) -> usize {
        self.days
            .iter()
            .map(|(_, s)| match s {
                DayState::Counted { rows, .. } => *rows,
                _ => 0,
            })
            .sum()
    }

    /// Days answered, counted or missing.
    pub fn answered(&self) -> usize {
        self.days
            .iter()
            .filter(|(_, s)| !matches!(s, DayState::Waiting))
            .count()
    }

    /// The days the vendor did not give, and the first of them: the totals leave them out.
    pub fn missing(&self) -> Option<(usize, Date)> {
        let mut missing = self
            .days
            .iter()
            .filter(|(_, s)| matches!(s, DayState::Missing(_)));
        let first = missing.next()?.0;
        Some((missing.count() + 1, first))
    }

    pub fn is_loading(&self) -> bool {
        self.counting.is_some() || self.paging.is_some()
    }

    /// The row at `index` of the table, `None` while its day's rows are not in memory.
    pub fn row(&self, index: usize) -> Option<&Registration> {
        let mut start = 0;
        for (_, state) in &self.days {
            if let DayState::Counted { rows, cached } = state {
                if index < start + rows {
                    return cached.as_ref()?.get(index - start);
                }
                start += rows;
            }
        }
        None
    }

    /// The days holding any table row in `rows`.
    fn days_over(&self, rows: Range<usize>) -> Vec<usize> {
        let mut start = 0;
        let mut found = Vec::new();
        for (i, (_, state)) in self.days.iter().enumerate() {
            if let DayState::Counted { rows: n, .. } = state {
                let day = start..start + n;
                if *n > 0 && day.start < rows.end && rows.start < day.end {
                    found.push(i);
                }
                start += n;
            }
        }
        found
    }

    fn window(selected: usize) -> Range<usize> {
        selected.saturating_sub(REGISTRATION_WINDOW)..selected + REGISTRATION_WINDOW + 1
    }

    /// Whether day `day`'s rows belong in memory with `selected` the selected row.
    pub fn near(&self, day: usize, selected: usize) -> bool {
        self.days_over(Self::window(selected)).contains(&day)
    }

    /// Lets go of the rows of the days away from `selected`, and names the first day near
    /// it whose rows are not in memory (to be asked for again).
    pub fn keep_near(&mut self, selected: usize) -> Option<usize> {
        let near = self.days_over(Self::window(selected));
        let mut wanted = None;
        for (i, (_, state)) in self.days.iter_mut().enumerate() {
            if let DayState::Counted { cached, .. } = state {
                match (near.contains(&i), cached.is_some()) {
                    (false, true) => *cached = None,
                    (true, false) if wanted.is_none() => wanted = Some(i),
                    _ => {}
                }
            }
        }
        wanted
    }

    /// The next day not yet answered.
    pub fn next_waiting(&self) -> Option<usize> {
        self.days
            .iter()
            .position(|(_, s)| matches!(s, DayState::Waiting))
    }

    /// Takes a counted day: its rows go into the totals, and into memory when `keep`.
    pub fn count(&mut self, day: usize, rows: Vec<Registration>, keep: bool) {
        for r in &rows {
            *self.per_pos.entry((r.pos, r.pos_name.clone())).or_default() += 1;
        }
        if let Some((_, state)) = self.days.get_mut(day) {
            *state = DayState::Counted {
                rows: rows.len(),
                cached: keep.then_some(rows),
            };
        }
    }
}
