use super::CodesText;

pub const TEXT: CodesText = CodesText {
    reason_code_required: "Нужен код подтверждения клиента (или PIN менеджера)",
    reason_code_wrong: "Код не тот: проверьте цифры с клиентом",
    reason_code_expired: "Код истёк: отправьте новый",
    reason_code_used: "Этот код уже использован: отправьте новый",
    reason_code_attempts: "Слишком много неверных попыток: отправьте новый код",
    reason_code_sends: "На этот телефон отправлено слишком много кодов: попробуйте позже или PIN менеджера",
    reason_code_resend_wait: "Новый код можно отправить чуть позже",
    reason_code_undelivered: "Код не удалось отправить: SMS-шлюз не ответил. Код не действует",
    reason_no_phone: "У клиента нет телефона, код отправить некуда",
};
