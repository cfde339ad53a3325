//! Everything that can happen to the console, and everything it can ask the world to do.

use crate::domain::{
    Balances, Client, ClientId, ClientQuery, Coupon, HistoryEntry, HistoryQuery, ServiceError,
    WriteOff,
};
use jiff::Timestamp;
use ratatui::crossterm::event::KeyEvent;
use std::time::Duration;

/// Identifies one request so that a reply to anything but the newest is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

pub type Reply<T> = Result<T, ServiceError>;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal changed size; nothing to update, but the screen is drawn anew.
    Resized,
    /// The clock moved (drives the spinner and coupon expiry).
    Tick(Timestamp),
    /// The search debounce for generation `.0` has run out.
    DebounceElapsed(u64),
    Searched {
        id: RequestId,
        result: Reply<Vec<Client>>,
    },
    BalanceLoaded {
        id: RequestId,
        result: Reply<Balances>,
    },
    CouponsLoaded {
        id: RequestId,
        result: Reply<Vec<Coupon>>,
    },
    HistoryLoaded {
        id: RequestId,
        result: Reply<Vec<HistoryEntry>>,
    },
    WrittenOff {
        id: RequestId,
        result: Reply<()>,
    },
}

/// Effects as data: the runtime carries these out and answers with a [`Msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    Search {
        id: RequestId,
        query: ClientQuery,
    },
    Debounce {
        generation: u64,
        delay: Duration,
    },
    LoadBalance {
        id: RequestId,
        client: ClientId,
    },
    LoadCoupons {
        id: RequestId,
        client: ClientId,
    },
    LoadHistory {
        id: RequestId,
        client: ClientId,
        query: HistoryQuery,
    },
    WriteOff {
        id: RequestId,
        client: ClientId,
        request: WriteOff,
    },
    Quit,
}
