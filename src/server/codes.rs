//! Sending confirmation codes (`serve --code-outbox`, `--code-webhook`): the code goes to
//! the client's phone through a file outbox (the embedded server's default, and what tests
//! read) or a shop's SMS gateway. A failure is said in words and the code made void. The
//! code itself is in the message only: never in a log line, an answer or the database.

use super::ServerState;
use super::store::rules::codes::{self as rules, CodeRefusal, NewCode};
use super::store::{Refusal, StoreError};
use crate::domain::ClientId;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// How long a code is good by default, and how long a gateway is waited for.
pub const TTL_DEFAULT: Duration = Duration::from_secs(300);
pub const WEBHOOK_TIMEOUT_DEFAULT: Duration = Duration::from_secs(5);
/// The webhook's body when none is given: `{phone}` and `{text}` are replaced, JSON-escaped.
pub const WEBHOOK_BODY_DEFAULT: &str = r#"{"phone":"{phone}","text":"{text}"}"#;

/// The server's codes: how long one is good, and where it is sent (nowhere: a send is
/// refused, and a write-off that needs a code still needs one or a manager's PIN).
#[derive(Clone)]
pub struct Codes {
    pub ttl: Duration,
    pub sender: Option<Sender>,
}

impl Default for Codes {
    fn default() -> Self {
        Codes {
            ttl: TTL_DEFAULT,
            sender: None,
        }
    }
}

#[derive(Clone)]
pub enum Sender {
    /// One file per code in this folder, named for the phone.
    Outbox(PathBuf),
    Webhook(Webhook),
}

/// A shop's SMS gateway: a POST of `body` with the placeholders filled.
#[derive(Clone)]
pub struct Webhook {
    url: reqwest::Url,
    body: String,
    http: reqwest::Client,
}

impl Webhook {
    pub fn new(url: &str, body: Option<String>, timeout: Duration) -> Result<Webhook, String> {
        let url = reqwest::Url::parse(url).map_err(|e| format!("--code-webhook {url:?}: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err("--code-webhook: the URL must be http or https".into());
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("--code-webhook: {e}"))?;
        Ok(Webhook {
            url,
            body: body.unwrap_or_else(|| WEBHOOK_BODY_DEFAULT.to_string()),
            http,
        })
    }
}

/// What the client's phone is told.
pub fn sms_text(code: &str, minutes: u64, (points, rubles): (i64, i64)) -> String {
    // The client reads what they are confirming: the amounts, in the SMS's own words.
    let kopecks = |minor: i64| format!("{},{:02}", minor / 100, minor % 100);
    let what: Vec<String> = [(points, "баллов"), (rubles, "₽")]
        .into_iter()
        .filter(|(minor, _)| *minor > 0)
        .map(|(minor, unit)| format!("{} {unit}", kopecks(minor)))
        .collect();
    match what.is_empty() {
        true => format!("Код подтверждения: {code}. Действует {minutes} мин."),
        false => format!(
            "Код подтверждения списания {}: {code}. Действует {minutes} мин.",
            what.join(" и ")
        ),
    }
}

impl Sender {
    /// Sends `text` to `phone` (digits); the error says why in words, without the text.
    pub async fn send(&self, phone: &str, text: &str, id: i64) -> Result<(), String> {
        match self {
            Sender::Outbox(dir) => {
                let dir = dir.clone();
                let (phone, text) = (phone.to_string(), text.to_string());
                tokio::task::spawn_blocking(move || outbox(&dir, &phone, &text, id))
                    .await
                    .map_err(|e| format!("the outbox: {e}"))?
            }
            Sender::Webhook(hook) => webhook(hook, phone, text).await,
        }
    }
}

/// Writes the code's file: the folder (and any missing parent) made 0700, the file 0600 and
/// new, since the text holds the code.
fn outbox(dir: &std::path::Path, phone: &str, text: &str, id: i64) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("the outbox {}: {e}", dir.display());
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder.create(dir).map_err(failed)?;
    // The phone's digits name the file, the code's id keeps two codes to one phone apart.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(dir.join(format!("{phone}-{id}.txt")))
        .map_err(failed)?;
    writeln!(file, "phone: +{phone}\n{text}")
        .and_then(|()| file.sync_all())
        .map_err(failed)
}

async fn webhook(hook: &Webhook, phone: &str, text: &str) -> Result<(), String> {
    let body = fill(
        &hook.body,
        &[("{phone}", &format!("+{phone}")), ("{text}", text)],
    );
    let answer = hook
        .http
        .post(hook.url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                "the SMS gateway did not answer in time".to_string()
            } else {
                "the SMS gateway could not be reached".to_string()
            }
        })?;
    let status = answer.status();
    if !status.is_success() {
        return Err(format!("the SMS gateway answered {}", status.as_u16()));
    }
    Ok(())
}

/// `template` with each placeholder replaced by its value, JSON-escaped (the quotes around
/// it are the template's), in one pass: a value is never read for placeholders.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    'scan: while !rest.is_empty() {
        for (name, value) in values {
            if let Some(after) = rest.strip_prefix(name) {
                let quoted = serde_json::to_string(value).unwrap_or_default();
                out.push_str(&quoted[1..quoted.len().saturating_sub(1).max(1)]);
                rest = after;
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// A code sent: the phone it went to, masked, and until when it is good.
pub struct Issued {
    pub masked: String,
    pub expires: jiff::Timestamp,
}

/// Why no code was sent.
pub enum NotIssued {
    /// No outbox, no gateway.
    NoSender,
    /// A limit, or no phone (`rules::codes`).
    Refused(CodeRefusal),
    /// The sender failed, in words: the code was made void.
    Undelivered(String),
    Store(StoreError),
}

impl From<StoreError> for NotIssued {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(Refusal::Code(r)) => NotIssued::Refused(r),
            other => NotIssued::Store(other),
        }
    }
}

/// Makes a code for `client` from `principal` bound to `amounts` (points, roubles in
/// kopecks), records it (voiding the principal's earlier one) and sends it; one that could
/// not be delivered is void. The code is in no log line: the phone is, masked.
pub async fn issue(
    state: &ServerState,
    client: ClientId,
    principal: String,
    amounts: (i64, i64),
) -> Result<Issued, NotIssued> {
    let Some(sender) = state.codes.sender.clone() else {
        return Err(NotIssued::NoSender);
    };
    let (code, salt, hash) = rules::fresh()?;
    let now = state.now();
    let ttl = jiff::SignedDuration::try_from(state.codes.ttl).unwrap_or_default();
    let expires = now.checked_add(ttl).unwrap_or(now);
    let new = NewCode {
        client,
        principal,
        points: amounts.0,
        rubles: amounts.1,
        salt,
        hash,
        created_ms: now.as_millisecond(),
        expires_ms: expires.as_millisecond(),
    };
    let (id, phone) = state.store.record_code(new).await?;
    let masked = rules::mask_phone(&phone);
    let minutes = state.codes.ttl.as_secs().div_ceil(60);
    if let Err(why) = sender
        .send(&phone, &sms_text(&code, minutes, amounts), id)
        .await
    {
        state.store.void_code(id).await?;
        tracing::warn!(
            client = client.0,
            phone = masked,
            "confirmation code undelivered: {why}"
        );
        return Err(NotIssued::Undelivered(why));
    }
    tracing::info!(client = client.0, phone = masked, "confirmation code sent");
    Ok(Issued { masked, expires })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_json_escaped_and_values_are_not_read_again() {
        let body = fill(
            WEBHOOK_BODY_DEFAULT,
            &[("{phone}", "+79161234567"), ("{text}", "a \"b\"\n{phone}")],
        );
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["phone"], "+79161234567");
        assert_eq!(parsed["text"], "a \"b\"\n{phone}");
    }

    #[test]
    fn the_sms_says_what_the_client_confirms() {
        assert_eq!(
            sms_text("053455", 5, (15_000, 0)),
            "Код подтверждения списания 150,00 баллов: 053455. Действует 5 мин."
        );
        assert_eq!(
            sms_text("053455", 5, (1_250, 50_005)),
            "Код подтверждения списания 12,50 баллов и 500,05 ₽: 053455. Действует 5 мин."
        );
        // A coupon-only write-off, or Mloyalty's check of the phone alone.
        assert_eq!(
            sms_text("053455", 2, (0, 0)),
            "Код подтверждения: 053455. Действует 2 мин."
        );
    }
}
