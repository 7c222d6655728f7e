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

/// `smtp://[user:password@]host[:port]`: a plain connection to the relay (on the same host or
/// network; the relay does TLS onwards).
fn transport(url: &str) -> Option<AsyncSmtpTransport<Tokio1Executor>> {
    use lettre::transport::smtp::authentication::Credentials;
    let url = url::Url::parse(url).ok()?;
    if url.scheme() != "smtp" {
        return None;
    }
    let host = url.host_str()?.to_owned();
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(url.port().unwrap_or(25));
    if !url.username().is_empty() {
        let user = url::form_urlencoded::parse(
            format!("u={}", url.username().replace('+', "%2B")).as_bytes(),
        )
        .next()?
        .1
        .into_owned();
        let password = url::form_urlencoded::parse(
            format!("p={}", url.password().unwrap_or("").replace('+', "%2B")).as_bytes(),
        )
        .next()?
        .1
        .into_owned();
        builder = builder.credentials(Credentials::new(user, password));
    }
    Some(builder.build())
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
