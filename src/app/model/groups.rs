//! F3: Poster's marketing groups, their form and removal, and the birthday-bonus check.

use super::*;

#[derive(Debug, Default)]
pub struct GroupsState {
    pub list: Remote<Vec<Group>>,
    pub selected: usize,
    /// The group opened with Enter, as `getGroup` returned it.
    pub detail: Remote<Group>,
    /// A saved group being read back to see what Poster stored as its birthday bonus.
    pub bonus_check: Option<BonusCheck>,
}

/// Poster's documents disagree on the unit of `birthday_bonus` when written (roubles in the
/// seed, kopecks in the current docs and the PHP library): the console writes kopecks, and
/// after every save the group is read back and the bonus compared with what was meant.
#[derive(Debug, Clone)]
pub struct BonusCheck {
    /// The `getGroup` request whose answer settles it.
    pub request: RequestId,
    pub group: i64,
    /// What the admin meant the bonus to be.
    pub meant: Amount,
    /// The draft that was sent.
    pub sent: GroupDraft,
}

/// Poster stored a birthday bonus other than the one meant: says so, and offers to send it
/// again in the unit Poster evidently reads, when the difference is exactly that unit.
#[derive(Debug)]
pub struct BonusMismatch {
    pub group: i64,
    pub name: String,
    pub meant: Amount,
    pub stored: Amount,
    /// The draft that should make Poster store `meant`; `None` when no unit explains it.
    pub fix: Option<GroupDraft>,
    pub focus: Button,
    pub sending: Option<RequestId>,
    pub problem: Option<ServiceError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupField {
    Name,
    Kind,
    Percent,
    BirthdayBonus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupFormProblem {
    Draft(GroupProblem),
    Percent,
    BirthdayBonus(AmountError),
    Refused(ServiceError),
}

#[derive(Debug)]
pub struct GroupForm {
    /// The group being edited; `None` for a new one.
    pub editing: Option<i64>,
    pub name: Input,
    pub kind: GroupKind,
    pub percent: Input,
    pub birthday_bonus: Input,
    /// Not shown on the form: sent back as the group had it.
    pub use_ewallet: Option<bool>,
    pub field: GroupField,
    pub problem: Option<GroupFormProblem>,
    pub sending: Option<RequestId>,
    /// Something was typed or switched since the form opened: leaving asks first.
    pub touched: bool,
}

#[derive(Debug)]
pub struct GroupRemoval {
    pub group: Group,
    pub focus: Button,
    pub sending: Option<RequestId>,
    pub problem: Option<ServiceError>,
}
