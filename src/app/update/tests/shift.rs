//! F7's «Итоги смены»: asked since the start of today in the console's zone, from the
//! model's clock; shown when answered; a stale answer dropped; Esc closes it.

use crate::app::fixtures::{key, model_at};
use crate::app::keys::key::KeyCode;
use crate::app::model::Dialog;
use crate::app::msg::{Cmd, Msg, RequestId};
use crate::app::update::update;
use crate::domain::shift::{ReportSource, ShiftReport};
use crate::i18n::Locale;
use jiff::Timestamp;
use jiff::tz::TimeZone;

#[test]
fn the_report_starts_at_midnight_where_the_till_is() {
    // 2023-11-14 22:13:20 UTC is already the 15th in Moscow (+03:00).
    let mut m = model_at(Locale::Ru, 1_700_000_000_000);
    m.tz = TimeZone::fixed(jiff::tz::offset(3));
    key(&mut m, KeyCode::F(7));
    let cmds = key(&mut m, KeyCode::Char('s'));
    let [Cmd::LoadShiftReport { id, since }] = cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(since, "2023-11-14T21:00:00Z".parse::<Timestamp>().unwrap());
    let Some(Dialog::ShiftReport(state)) = &m.dialog else {
        panic!()
    };
    assert!(state.report.is_loading());
    let report = ShiftReport {
        since,
        source: ReportSource::Journal,
        rows: vec![],
        unknown: 2,
        bypasses: Vec::new(),
    };
    update(
        &mut m,
        Msg::ShiftReportLoaded {
            id: RequestId(id.0 + 50),
            result: Ok(report.clone()),
        },
    );
    let Some(Dialog::ShiftReport(state)) = &m.dialog else {
        panic!()
    };
    assert_eq!(state.report.data, None, "a stale answer is dropped");
    update(
        &mut m,
        Msg::ShiftReportLoaded {
            id,
            result: Ok(report.clone()),
        },
    );
    let Some(Dialog::ShiftReport(state)) = &m.dialog else {
        panic!()
    };
    assert_eq!(state.report.data, Some(report));
    key(&mut m, KeyCode::Esc);
    assert!(m.dialog.is_none());
}
