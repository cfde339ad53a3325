//! What admins look at: marketing groups, promotion accumulations, registrations per point of
//! sale, and card operations. Vendor-neutral; each adapter maps its wire format to these.

use super::Amount;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// A share of each paid order is accrued as bonuses.
    Bonus,
    /// Each order gets a percentage off.
    Discount,
}

/// A marketing group (Poster): its clients share a bonus rate or a discount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub kind: GroupKind,
    /// Percent of the order: bonus accrual rate or discount.
    pub percent: Decimal,
    /// Bonus credited on a client's birthday, in roubles; bonus groups only.
    pub birthday_bonus: Amount,
    pub clients: u64,
    /// Whether the group's clients may keep an e-wallet (`None`: the vendor did not say).
    pub use_ewallet: Option<bool>,
    /// Poster keeps removed groups and lists them with `delete = 1`.
    pub removed: bool,
}

/// A group as an admin creates or edits it, checked by [`GroupDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDraft {
    pub name: String,
    pub kind: GroupKind,
    pub percent: Decimal,
    pub birthday_bonus: Amount,
    /// Not on the form: an edit sends back what the group had, so saving never changes it;
    /// `None` leaves it to the vendor.
    pub use_ewallet: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupProblem {
    NameRequired,
    NameTooLong,
    NameHasControls,
    PercentOutOfRange,
    BirthdayBonusNegative,
    BirthdayBonusOnDiscountGroup,
}

/// Longest group name accepted: Poster's admin panel cuts names at about this length.
pub const GROUP_NAME_MAX: usize = 100;

impl GroupDraft {
    pub fn validate(&self) -> Result<(), GroupProblem> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(GroupProblem::NameRequired);
        }
        if name.chars().count() > GROUP_NAME_MAX {
            return Err(GroupProblem::NameTooLong);
        }
        // A name is shown on every till: nothing a terminal would act on is stored.
        if name.chars().any(super::text::is_unsafe) {
            return Err(GroupProblem::NameHasControls);
        }
        if self.percent < Decimal::ZERO || self.percent > Decimal::ONE_HUNDRED {
            return Err(GroupProblem::PercentOutOfRange);
        }
        if self.birthday_bonus.minor() < 0 {
            return Err(GroupProblem::BirthdayBonusNegative);
        }
        if self.kind == GroupKind::Discount && self.birthday_bonus.minor() != 0 {
            return Err(GroupProblem::BirthdayBonusOnDiscountGroup);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccumulationStatus {
    Active,
    Closed,
    Deleted,
    /// A status code this console does not know, shown as is.
    Other(i64),
}

/// A client's progress in an accumulation promotion (Poster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accumulation {
    pub id: i64,
    pub promotion_id: i64,
    pub client_id: i64,
    pub product_id: i64,
    pub modification_id: Option<i64>,
    pub status: AccumulationStatus,
    /// Items counted so far (fractional for weighed goods).
    pub count: Decimal,
    /// Price of one bought item.
    pub product_sum: Decimal,
    pub prize_product_id: Option<i64>,
    /// Local time of the point of sale, as the vendor sends it.
    pub started: Option<DateTime>,
    pub closed: Option<DateTime>,
    pub weighed: bool,
}

/// A page of `clients.getClientsAccumulations`: Poster pages by clients, not rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccumulationPage {
    /// The rows asked for (one client's, when the query names one).
    pub rows: Vec<Accumulation>,
    /// How many clients the page held before any filtering: a full page means there may be
    /// another.
    pub clients: u32,
}

/// An accumulation promotion (`clients.getPromotions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub id: i64,
    pub name: String,
    /// Local time of the point of sale, as the vendor sends it.
    pub starts: Option<DateTime>,
    /// `None`: no end.
    pub ends: Option<DateTime>,
}

/// A page of accumulations, optionally for one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccumulationQuery {
    pub client_id: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

/// A client registered in a period (Mloyalty), with the point of sale that signed them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub client: i64,
    pub card: i64,
    pub out_number: i64,
    pub is_virtual: bool,
    pub card_type: String,
    pub card_status: String,
    pub pos: i64,
    pub pos_name: String,
    pub registered: Timestamp,
}

/// Registrations between two days (both inclusive), optionally at one point of sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationQuery {
    pub from: Date,
    pub to: Date,
    pub pos: Option<i64>,
}

/// Most days one period may span when split by [`RegistrationQuery::days`]: a few years, far
/// past any preset, so that a mistyped year (`01.01.0026`) is refused instead of asked for
/// day by day.
pub const REGISTRATION_DAYS_MAX: usize = 3 * 366;

impl RegistrationQuery {
    /// The period as one query per day, first to last, each at the same point of sale.
    /// Mloyalty has no paging and the server refuses a period of more than its row cap, so a
    /// long period is asked for a day at a time (the console's table and the CSV export
    /// alike). Days are the vendor zone's civil days: each one's instants come from
    /// `days::first_instant`/`last_instant` as [`RegistrationQuery::within`]'s do, so the
    /// days' bounds abut and cover the period's exactly, a 23- or 25-hour day included.
    pub fn days(&self) -> impl Iterator<Item = RegistrationQuery> + use<> {
        let (to, pos) = (self.to, self.pos);
        std::iter::successors(Some(self.from), move |d| {
            d.tomorrow().ok().filter(|next| *next <= to)
        })
        .filter(move |d| *d <= to)
        .map(move |d| RegistrationQuery {
            from: d,
            to: d,
            pos,
        })
    }

    /// How many days [`RegistrationQuery::days`] yields.
    pub fn day_count(&self) -> usize {
        usize::try_from((self.to - self.from).get_days() + 1).unwrap_or(0)
    }

    /// The rows registered within the query's days in `tz` (the vendor's zone, whose
    /// instants the adapter sends), and how many were not: a vendor that ignores the period
    /// answers with rows of any day, and none of them may pass for the period's.
    pub fn within(
        &self,
        rows: Vec<Registration>,
        tz: &jiff::tz::TimeZone,
    ) -> (Vec<Registration>, usize) {
        let (Some(start), Some(end)) = (
            super::days::first_instant(self.from, tz),
            super::days::last_instant(self.to, tz),
        ) else {
            // A period outside the calendar is never sent; nothing to judge the rows by.
            return (rows, 0);
        };
        let total = rows.len();
        let kept: Vec<Registration> = rows
            .into_iter()
            .filter(|r| (start..=end).contains(&r.registered))
            .collect();
        let left_out = total - kept.len();
        (kept, left_out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Income,
    Outcome,
}

/// One movement on a retail card's bonus account (REGOS). The vendor's model lets every
/// field be null, so each is optional here: a missing one is shown as "—", never loses the
/// page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardOperation {
    pub uuid: Option<String>,
    pub kind: Option<OperationKind>,
    /// The purchase amount the bonus was accrued on.
    pub amount: Option<Decimal>,
    pub value: Option<Decimal>,
    pub used_value: Option<Decimal>,
    pub is_payment: Option<bool>,
    pub date: Option<Timestamp>,
    pub expires: Option<Expiry>,
    pub description: Option<String>,
    pub last_update: Option<Timestamp>,
}

/// A retail card as REGOS's `RetailCard/Get` describes it: enough to recognise it (holder,
/// barcode, promotion, bonus balance) and to ask for its operations (id and promotion id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetailCard {
    pub id: i64,
    pub barcode: Option<String>,
    pub holder: Option<String>,
    pub promo_id: Option<i64>,
    pub promo_name: Option<String>,
    pub bonus: Option<Decimal>,
    pub enabled: Option<bool>,
}

/// Most cards one search shows: a name shared by many holders is narrowed by typing more.
pub const CARD_SEARCH_LIMIT: u32 = 50;

/// When a card operation's bonus expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    At(Timestamp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Date,
    Type,
    Amount,
    Value,
    ExpiryDate,
    LastUpdate,
}

impl SortColumn {
    pub const ALL: [SortColumn; 6] = [
        SortColumn::Date,
        SortColumn::Type,
        SortColumn::Amount,
        SortColumn::Value,
        SortColumn::ExpiryDate,
        SortColumn::LastUpdate,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardOperationQuery {
    pub card_id: i64,
    pub promo_id: i64,
    pub kind: Option<OperationKind>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub sort: SortColumn,
    pub direction: SortDirection,
    pub offset: u32,
    pub limit: u32,
}

/// One page of card operations and what the vendor said about the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardOperationPage {
    pub operations: Vec<CardOperation>,
    pub next_offset: Option<u32>,
    pub total: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> GroupDraft {
        GroupDraft {
            name: "Постоянный посетитель".into(),
            kind: GroupKind::Bonus,
            percent: Decimal::TEN,
            birthday_bonus: Amount::from_minor(5000),
            use_ewallet: None,
        }
    }

    fn period(from: Date, to: Date) -> RegistrationQuery {
        RegistrationQuery {
            from,
            to,
            pos: Some(4),
        }
    }

    #[test]
    fn a_period_splits_into_its_days_in_order() {
        use jiff::civil::date;
        let year = period(date(2026, 1, 1), date(2026, 12, 31));
        let days: Vec<RegistrationQuery> = year.days().collect();
        assert_eq!(days.len(), 365);
        assert_eq!(year.day_count(), 365);
        assert_eq!(days[0], period(date(2026, 1, 1), date(2026, 1, 1)));
        assert_eq!(days[58], period(date(2026, 2, 28), date(2026, 2, 28)));
        assert_eq!(days[59], period(date(2026, 3, 1), date(2026, 3, 1)));
        assert_eq!(days[364], period(date(2026, 12, 31), date(2026, 12, 31)));
        let leap = period(date(2024, 2, 28), date(2024, 3, 1));
        assert_eq!(leap.days().count(), 3);
        assert_eq!(leap.day_count(), 3);
        let one = period(date(2026, 11, 18), date(2026, 11, 18));
        assert_eq!(one.days().collect::<Vec<_>>(), vec![one]);
        let backwards = period(date(2026, 11, 18), date(2026, 11, 17));
        assert_eq!(backwards.days().count(), 0);
        assert_eq!(backwards.day_count(), 0);
        let last = period(Date::MAX, Date::MAX);
        assert_eq!(last.days().count(), 1);
    }

    /// The days' instants abut, a daylight-saving change included, and every row the whole
    /// period keeps is kept by exactly one of its days.
    #[test]
    fn the_days_cover_the_period_as_within_does() {
        use super::super::days::{first_instant, last_instant};
        use jiff::civil::date;
        let berlin = jiff::tz::TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        let month = period(date(2026, 3, 20), date(2026, 4, 5));
        let days: Vec<RegistrationQuery> = month.days().collect();
        for pair in days.windows(2) {
            let end = last_instant(pair[0].to, &berlin).unwrap();
            let start = first_instant(pair[1].from, &berlin).unwrap();
            assert_eq!(
                start.duration_since(end),
                jiff::SignedDuration::from_millis(1),
                "{pair:?}"
            );
        }
        let row = |ms: i64| Registration {
            client: ms,
            card: 1,
            out_number: 1,
            is_virtual: false,
            card_type: "Стандарт".into(),
            card_status: "Активна".into(),
            pos: 4,
            pos_name: "Касса".into(),
            registered: Timestamp::from_millisecond(ms).unwrap(),
        };
        let start = first_instant(month.from, &berlin).unwrap().as_millisecond();
        let end = last_instant(month.to, &berlin).unwrap().as_millisecond();
        // Every half hour across the period, one hour over at each end.
        let rows: Vec<Registration> = (start - 3_600_000..=end + 3_600_000)
            .step_by(1_800_000)
            .map(row)
            .collect();
        let (whole, _) = month.within(rows.clone(), &berlin);
        let by_day: usize = days
            .iter()
            .map(|d| d.within(rows.clone(), &berlin).0.len())
            .sum();
        assert_eq!(by_day, whole.len());
        assert_eq!(whole.len(), rows.len() - 4);
    }

    #[test]
    fn group_drafts_are_checked() {
        assert_eq!(draft().validate(), Ok(()));
        let blank = GroupDraft {
            name: "  ".into(),
            ..draft()
        };
        assert_eq!(blank.validate(), Err(GroupProblem::NameRequired));
        let over = GroupDraft {
            percent: Decimal::new(10001, 2),
            ..draft()
        };
        assert_eq!(over.validate(), Err(GroupProblem::PercentOutOfRange));
        let discount = GroupDraft {
            kind: GroupKind::Discount,
            ..draft()
        };
        assert_eq!(
            discount.validate(),
            Err(GroupProblem::BirthdayBonusOnDiscountGroup)
        );
        let long = GroupDraft {
            name: "я".repeat(101),
            ..draft()
        };
        assert_eq!(long.validate(), Err(GroupProblem::NameTooLong));
        for hostile in ["a\u{1b}[2Jb", "nul\u{0}", "\u{202e}ecaf", "tab\there"] {
            let d = GroupDraft {
                name: hostile.into(),
                ..draft()
            };
            assert_eq!(
                d.validate(),
                Err(GroupProblem::NameHasControls),
                "{hostile:?}"
            );
        }
    }
}
