//! Outgoing mail over SMTP (lettre). Aula hands mail to a relay (the organisation's MTA, or a
//! local one), which takes care of delivery; without `AULA_SMTP_URL` nothing is sent.

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct MailSettings {
    /// e.g. `smtp://127.0.0.1:25`.
    pub smtp_url: String,
    /// e.g. `Aula <noreply@aula.example.org>`.
    pub from: String,
}

/// The relay's address without its password.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = match url::Url::parse(&self.smtp_url) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            Ok(url) => url.to_string(),
            Err(_) => "(not a URL)".to_owned(),
        };
        f.debug_struct("MailSettings")
            .field("smtp_url", &shown)
            .field("from", &self.from)
            .finish()
    }
}

pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment: Option<(String, Vec<u8>)>,
}

/// The relay, from its URL (user and password percent-encoded in it):
/// - `smtp://host[:port]`: a plain connection to a relay on the same host or network, which
///   does TLS onwards (port 25 unless given);
/// - `smtp://host[:port]?tls=required`: STARTTLS, refusing to go on without it (port 587);
/// - `smtps://host[:port]`: TLS from the first byte (port 465).
///
/// Certificates are checked against the Mozilla root store.
fn transport(url: &str) -> Option<AsyncSmtpTransport<Tokio1Executor>> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .ok()
        .map(|builder| builder.build())
}

/// Whether `url` names a relay Aula can talk to (checked once at start-up).
pub fn check_url(url: &str) -> Result<(), String> {
    let scheme_ok = url.starts_with("smtp://") || url.starts_with("smtps://");
    match AsyncSmtpTransport::<Tokio1Executor>::from_url(url) {
        Ok(_) if scheme_ok => Ok(()),
        _ => Err(
            "AULA_SMTP_URL must look like smtp://host:25, smtp://user:password@host:587?tls=required \
             or smtps://user:password@host:465"
                .to_owned(),
        ),
    }
}

/// Sends `mails` over one connection pool; returns how many were accepted by the relay.
/// Failures are logged (without addresses or contents) and do not stop the others.
pub async fn send_all(settings: &MailSettings, mails: Vec<Mail>) -> usize {
    let Some(transport) = transport(&settings.smtp_url) else {
        tracing::error!("mail: unusable AULA_SMTP_URL");
        return 0;
    };
    let Ok(from) = settings.from.parse::<Mailbox>() else {
        tracing::error!("mail: unusable AULA_MAIL_FROM");
        return 0;
    };
    let mut sent = 0;
    for mail in mails {
        let Ok(to) = mail.to.parse::<Mailbox>() else {
            tracing::warn!("mail: a recipient address could not be used");
            continue;
        };
        let text = SinglePart::plain(mail.body);
        let body = match mail.attachment {
            Some((name, bytes)) => {
                MultiPart::mixed()
                    .singlepart(text)
                    .singlepart(Attachment::new(name).body(
                        bytes,
                        ContentType::parse("application/pdf").unwrap_or(ContentType::TEXT_PLAIN),
                    ))
            }
            None => MultiPart::mixed().singlepart(text),
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject)
            .multipart(body);
        match message {
            Ok(message) => match transport.send(message).await {
                Ok(_) => sent += 1,
                Err(error) => tracing::warn!(error = %error, "mail: not sent"),
            },
            Err(error) => tracing::warn!(error = %error, "mail: could not be built"),
        }
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relays_are_reached_plain_with_starttls_or_over_tls() {
        for url in [
            "smtp://127.0.0.1:25",
            "smtp://relay.example.org",
            "smtp://aula:p%40ss@relay.example.org:587?tls=required",
            "smtp://relay.example.org?tls=opportunistic",
            "smtps://aula:secret@relay.example.org",
            "smtps://relay.example.org:2465",
        ] {
            assert_eq!(check_url(url), Ok(()), "{url}");
            assert!(transport(url).is_some(), "{url}");
        }
        for url in [
            "http://relay.example.org",
            "relay.example.org:25",
            "smtp://relay.example.org?tls=maybe",
            "smtp://",
        ] {
            assert!(check_url(url).is_err(), "{url}");
        }
    }
}
