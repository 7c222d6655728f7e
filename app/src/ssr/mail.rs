//! Outgoing mail over SMTP (lettre). Aula hands mail to a relay (the organisation's MTA, or a
//! local one), which takes care of delivery; without `AULA_SMTP_URL` nothing is sent.

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct MailSettings {
    pub delivery: Delivery,
    /// e.g. `Aula <noreply@aula.example.org>`.
    pub from: String,
}

/// Where mail goes.
#[derive(Clone)]
pub enum Delivery {
    /// To a relay, e.g. `smtp://127.0.0.1:25` (see [`transport`]).
    Smtp(String),
    /// Into `.eml` files in this folder, one per mail (no relay configured: someone trying
    /// Aula on their machine opens them with a mail program).
    Files(std::path::PathBuf),
}

/// The relay's address without its password.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let delivery = match &self.delivery {
            Delivery::Smtp(url) => match url::Url::parse(url) {
                Ok(mut url) if url.password().is_some() => {
                    let _ = url.set_password(Some("***"));
                    url.to_string()
                }
                Ok(url) => url.to_string(),
                Err(_) => "(not a URL)".to_owned(),
            },
            Delivery::Files(dir) => format!("files in {}", dir.display()),
        };
        f.debug_struct("MailSettings")
            .field("delivery", &delivery)
            .field("from", &self.from)
            .finish()
    }
}

pub struct Mail {
    pub to: String,
    pub subject: String,
    /// Plain text; the HTML part is made from it ([`html_of`]).
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

/// Sends mail as the settings say, one message at a time (the outbox worker's hands).
pub struct Sender {
    delivery: Delivery,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Sender {
    pub fn new(settings: &MailSettings) -> Result<Self, String> {
        let from = settings
            .from
            .parse::<Mailbox>()
            .map_err(|_| "unusable AULA_MAIL_FROM".to_owned())?;
        let transport = match &settings.delivery {
            Delivery::Smtp(url) => {
                Some(transport(url).ok_or_else(|| "unusable AULA_SMTP_URL".to_owned())?)
            }
            Delivery::Files(_) => None,
        };
        Ok(Self {
            delivery: settings.delivery.clone(),
            transport,
            from,
        })
    }

    /// Sends one mail; `id` names its file when mail goes to files. The error says why, without
    /// the address or the contents.
    pub async fn send(&self, id: i32, mail: Mail) -> Result<(), String> {
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|_| "the recipient's address cannot be used".to_owned())?;
        let text = MultiPart::alternative()
            .singlepart(SinglePart::plain(mail.body.clone()))
            .singlepart(SinglePart::html(html_of(&mail.body)));
        let body = match mail.attachment {
            Some((name, bytes)) => {
                MultiPart::mixed()
                    .multipart(text)
                    .singlepart(Attachment::new(name).body(
                        bytes,
                        ContentType::parse("application/pdf").unwrap_or(ContentType::TEXT_PLAIN),
                    ))
            }
            None => text,
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .multipart(body)
            .map_err(|error| format!("the mail could not be built: {error}"))?;
        match (&self.delivery, &self.transport) {
            (Delivery::Smtp(_), Some(transport)) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
            (Delivery::Files(dir), _) => {
                let path = dir.join(format!("{id}.eml"));
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|error| error.to_string())?;
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|error| error.to_string())?;
                tracing::info!(path = %path.display(), "mail written to a file (no AULA_SMTP_URL)");
                Ok(())
            }
            (Delivery::Smtp(_), None) => Err("unusable AULA_SMTP_URL".to_owned()),
        }
    }
}

/// The HTML part of a mail, from its text: paragraphs where the text leaves a blank line, line
/// breaks where it breaks a line, addresses as links; everything else escaped.
pub fn html_of(text: &str) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">",
    );
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        html.push_str("<p>");
        let lines: Vec<String> = paragraph.trim().lines().map(linked).collect();
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html.push_str("</body></html>");
    html
}

fn linked(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let escaped = escape(word);
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<a href=\"{escaped}\">{escaped}</a>")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

    #[test]
    fn the_html_part_keeps_paragraphs_and_links_and_escapes_the_rest() {
        let html = html_of(
            "Gentile Ada <ada>,\nbenvenuta.\n\nApri https://aula.example.org/x?a=1&b=2 ora.\n\n",
        );
        assert!(
            html.contains("<p>Gentile Ada &lt;ada&gt;,<br>benvenuta.</p>"),
            "{html}"
        );
        assert!(
            html.contains(
                "<p>Apri <a href=\"https://aula.example.org/x?a=1&amp;b=2\">https://aula.example.org/x?a=1&amp;b=2</a> ora.</p>"
            ),
            "{html}"
        );
        assert_eq!(html.matches("<p>").count(), 2);
        assert!(!html_of("<script>").contains("<script>"));
    }
}
