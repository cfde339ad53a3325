//! The write-off dialog at each of its steps, and what the check after no answer says.

use super::*;

#[test]
fn write_off_form() {
    both("write_off_form", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "100,5");
        // From the points field: the first spendable coupon, 1235.
        key(&mut m, KeyCode::Char('+'));
        m
    });
}

#[test]
fn write_off_form_with_a_problem() {
    both("write_off_problem", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "5000");
        key(&mut m, KeyCode::Enter);
        m
    });
}

#[test]
fn write_off_refused_by_the_server() {
    both("write_off_refused", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "10");
        key(&mut m, KeyCode::Enter);
        confirm_and_answer(
            &mut m,
            // Another till took the points meanwhile: the vendor names the reason.
            Err(
                ServiceError::new(ErrorKind::Rejected, "insufficient points balance")
                    .with_reason(Some(crate::domain::Reason::Insufficient)),
            ),
        );
        m
    });
}

#[test]
fn write_off_confirmation() {
    both("write_off_confirm", confirmation);
}

#[test]
fn write_off_sending() {
    both("write_off_sending", |l| {
        let mut m = confirmation(l);
        key(&mut m, KeyCode::Char('y'));
        m
    });
}

#[test]
fn write_off_done() {
    both("write_off_done", |l| {
        let mut m = confirmation(l);
        for cmd in confirm_and_answer(&mut m, Ok(())) {
            answer_from(&mut m, cmd, &account_after_write_off(5));
        }
        m
    });
}

#[test]
fn write_off_unclear_after_the_check() {
    // 100.50 points, no answer, and the balance read again is exactly 100.50 lower: another
    // till may have taken it, so the console cannot say it went through.
    both("write_off_unclear", |l| {
        let mut m = opened(l, 5);
        key(&mut m, KeyCode::Char('w'));
        type_text(&mut m, "100,5");
        key(&mut m, KeyCode::Enter);
        let reread = Account {
            balances: Balances {
                points: Amount::from_minor(123_456 - 10_050),
                rubles: Amount::from_minor(432_106),
            },
            ..account(5)
        };
        for cmd in confirm_and_answer(
            &mut m,
            Err(ServiceError::new(ErrorKind::Timeout, "timed out")),
        ) {
            answer_from(&mut m, cmd, &reread);
        }
        m
    });
}

#[test]
fn write_off_without_an_answer_is_checked() {
    both("write_off_checking", |l| {
        let mut m = confirmation(l);
        confirm_and_answer(
            &mut m,
            Err(ServiceError::new(ErrorKind::Timeout, "timed out")),
        );
        m
    });
}

#[test]
fn write_off_shown_not_to_have_gone_through() {
    both("write_off_not_applied", |l| {
        let mut m = confirmation(l);
        for cmd in confirm_and_answer(
            &mut m,
            Err(ServiceError::new(
                ErrorKind::Interrupted,
                "connection reset",
            )),
        ) {
            answer(&mut m, cmd, 5);
        }
        m
    });
}
