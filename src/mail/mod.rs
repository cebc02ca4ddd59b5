//! Mail: rendering templates and sending through one of the transports,
//! chosen by `CASEWORK_MAIL_URL`: `file://DIR` writes `.eml` files (the
//! embedded default), `smtp://` and `smtps://` go through lettre's SMTP
//! (STARTTLS with `?tls=starttls` or `?tls=required`), and `memory://`
//! keeps mails in memory for tests.

pub mod templates;

use std::sync::{Arc, Mutex};

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A rendered mail ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Stable per outbox row, so a receiver can drop a resent duplicate.
    pub message_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the mail URL is not usable: {0}")]
    Config(String),
    #[error("the address {0} is not valid")]
    Address(String),
    #[error("sending failed: {0}")]
    Send(String),
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    File(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Keeps every mail; for tests.
    Memory(Arc<Mutex<Vec<Mail>>>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::File(_, dir) => write!(f, "Mailer::File({})", dir.display()),
            Mailer::Smtp(_) => f.write_str("Mailer::Smtp"),
            Mailer::Memory(_) => f.write_str("Mailer::Memory"),
        }
    }
}

/// The sender address of every mail.
pub const FROM: &str = "casework <casework@localhost>";

impl Mailer {
    /// A mailer for `url` (see the module documentation).
    pub fn from_url(url: &str) -> Result<Mailer, MailError> {
        if let Some(dir) = url.strip_prefix("file://") {
            let dir = std::path::PathBuf::from(if dir.is_empty() { "." } else { dir });
            std::fs::create_dir_all(&dir)
                .map_err(|e| MailError::Config(format!("{}: {e}", dir.display())))?;
            return Ok(Mailer::File(AsyncFileTransport::new(&dir), dir));
        }
        if url == "memory://" {
            return Ok(Mailer::memory());
        }
        if url.starts_with("smtp://") || url.starts_with("smtps://") {
            // lettre calls STARTTLS-required `tls=required`.
            let url = url.replace("tls=starttls", "tls=required");
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
                .map_err(|e| MailError::Config(e.to_string()))?
                .build();
            return Ok(Mailer::Smtp(transport));
        }
        Err(MailError::Config(
            "expected file://DIR, smtp://[user:pass@]host:port[?tls=starttls] or smtps://host:465"
                .into(),
        ))
    }

    pub fn memory() -> Mailer {
        Mailer::Memory(Arc::new(Mutex::new(Vec::new())))
    }

    /// The mails a memory mailer has kept.
    pub fn sent(&self) -> Vec<Mail> {
        match self {
            Mailer::Memory(store) => store.lock().map(|m| m.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        if let Mailer::Memory(store) = self {
            store
                .lock()
                .map_err(|_| MailError::Send("the memory mailer is poisoned".into()))?
                .push(mail.clone());
            return Ok(());
        }
        let message = build(mail)?;
        match self {
            Mailer::File(transport, _) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
            Mailer::Memory(_) => Ok(()),
        }
    }
}

/// A multipart (plain text and HTML) message.
fn build(mail: &Mail) -> Result<Message, MailError> {
    let from: Mailbox = FROM.parse().map_err(|_| MailError::Address(FROM.into()))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| MailError::Address(mail.to.clone()))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.html.clone()),
                ),
        )
        .map_err(|e| MailError::Send(e.to_string()))
}
