use super::CodesText;

pub const TEXT: CodesText = CodesText {
    reason_code_required: "The client's confirmation code (or a manager's PIN) is needed",
    reason_code_wrong: "That is not the code: check the digits with the client",
    reason_code_expired: "The code has expired: send a new one",
    reason_code_used: "That code was used already: send a new one",
    reason_code_attempts: "Too many wrong tries: send a new code",
    reason_code_sends: "Too many codes were sent to this phone: try later, or a manager's PIN",
    reason_code_resend_wait: "A new code can be sent a little later",
    reason_code_undelivered: "The code could not be sent: the SMS gateway did not answer. No code is valid",
    reason_no_phone: "The client has no phone to send a code to",
};
