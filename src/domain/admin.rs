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

impl RegistrationQuery {
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
