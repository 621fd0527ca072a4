//! Mail as the project's Directus sends it: through the transport its `.env`
//! names (`EMAIL_TRANSPORT` smtp or sendmail, `EMAIL_FROM`, `EMAIL_SMTP_*`),
//! from the project's name, a plain-text and an HTML part.

use crate::error::{Error, Result};
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Message, SendmailTransport, SmtpTransport, Transport};
use std::collections::HashMap;

/// A `.env`'s variables; an empty one is not set.
#[derive(Clone, Copy)]
struct Env<'a>(&'a HashMap<String, String>);

impl<'a> Env<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Where mail goes, and from whom.
pub struct Mailer {
    transport: Sender,
    from: Mailbox,
}

enum Sender {
    Smtp(Box<SmtpTransport>),
    Sendmail(SendmailTransport),
}

/// One message: who gets it, its subject, and its link, said in text and HTML.
pub struct Letter<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: String,
    pub html: String,
}

impl Mailer {
    /// The mailer of the project whose `.env` is `env_file`; `project` is its
    /// name (`directus_settings.project_name`), which mail comes from.
    pub fn for_project(
        env_file: Option<&std::path::Path>,
        project: Option<&str>,
    ) -> Result<Mailer> {
        let Some(path) = env_file else {
            return Err(Error::usage(
                "--send mails through the project's settings: give --env-file (Directus's .env, with its EMAIL_* settings)",
            ));
        };
        let vars = crate::config::read_env_file(path)?;
        Mailer::from_env(&vars, project.unwrap_or("Directus"))
            .map_err(|e| e.reword(|m| format!("{}: {m}", path.display())))
    }

    /// The mailer a Directus `.env` describes (Directus's defaults where it is silent).
    pub fn from_env(vars: &HashMap<String, String>, project: &str) -> Result<Mailer> {
        let env = Env(vars);
        let get = |k: &str| env.get(k);
        let from = get("EMAIL_FROM").unwrap_or("no-reply@example.com");
        let address = from
            .parse()
            .map_err(|_| Error::usage(format!("EMAIL_FROM {from:?} is not an email address")))?;
        let from = Mailbox::new(Some(project.to_string()), address);
        let transport = match get("EMAIL_TRANSPORT").unwrap_or("sendmail") {
            "smtp" => Sender::Smtp(Box::new(smtp(env)?)),
            "sendmail" => Sender::Sendmail(match get("EMAIL_SENDMAIL_PATH") {
                Some(path) => SendmailTransport::new_with_command(path),
                None => SendmailTransport::new(),
            }),
            other => {
                return Err(Error::usage(format!(
                    "EMAIL_TRANSPORT {other:?}: roster sends mail by smtp or sendmail"
                )));
            }
        };
        Ok(Mailer { transport, from })
    }

    /// Sends one message; a refusal is said without the SMTP password.
    pub fn send(&self, letter: &Letter) -> Result<()> {
        let to: Mailbox = letter
            .to
            .parse()
            .map_err(|_| Error::Mail(format!("{} is not an address mail can go to", letter.to)))?;
        let body = MultiPart::alternative()
            .singlepart(
                lettre::message::SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(letter.text.clone()),
            )
            .singlepart(
                lettre::message::SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(letter.html.clone()),
            );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(letter.subject)
            .multipart(body)
            .map_err(|e| {
                Error::Mail(format!("the mail to {} could not be made: {e}", letter.to))
            })?;
        let sent = match &self.transport {
            Sender::Smtp(t) => t.send(&message).map(|_| ()).map_err(|e| e.to_string()),
            Sender::Sendmail(t) => t.send(&message).map_err(|e| e.to_string()),
        };
        sent.map_err(|e| Error::Mail(format!("the mail to {} was not sent: {e}", letter.to)))
    }
}

/// An SMTP transport: implicit TLS with EMAIL_SMTP_SECURE, else STARTTLS where
/// the server offers it (none with EMAIL_SMTP_IGNORE_TLS), as nodemailer does.
fn smtp(env: Env) -> Result<SmtpTransport> {
    let get = |k: &str| env.get(k);
    let host = get("EMAIL_SMTP_HOST")
        .ok_or_else(|| Error::usage("EMAIL_TRANSPORT is smtp, but EMAIL_SMTP_HOST is not set"))?;
    let yes = |k: &str| get(k).is_some_and(|v| v == "true");
    let secure = yes("EMAIL_SMTP_SECURE");
    let port = match get("EMAIL_SMTP_PORT") {
        Some(p) => p
            .parse()
            .map_err(|_| Error::usage(format!("EMAIL_SMTP_PORT {p:?} is not a port number")))?,
        None if secure => 465,
        None => 587,
    };
    let tls = TlsParameters::new(host.to_string())
        .map_err(|e| Error::usage(format!("TLS for {host}: {e}")))?;
    let tls = match (secure, yes("EMAIL_SMTP_IGNORE_TLS")) {
        (true, _) => Tls::Wrapper(tls),
        (false, true) => Tls::None,
        (false, false) => Tls::Opportunistic(tls),
    };
    let mut builder = SmtpTransport::builder_dangerous(host).port(port).tls(tls);
    if let Some(name) = get("EMAIL_SMTP_NAME") {
        builder = builder.hello_name(ClientId::Domain(name.to_string()));
    }
    if let (Some(user), Some(password)) = (get("EMAIL_SMTP_USER"), get("EMAIL_SMTP_PASSWORD")) {
        builder = builder.credentials(Credentials::new(user.to_string(), password.to_string()));
    }
    Ok(builder.build())
}

/// The invitation Directus sends ("You've been invited"), with the link.
pub fn invitation<'a>(to: &'a str, project: &str, link: &str) -> Letter<'a> {
    let text = format!(
        "You have been invited to {project}. Open the link below to accept the invite and choose a password:\n\n{link}\n"
    );
    let html = format!(
        "<p>You have been invited to <b>{}</b>.</p><p><a href=\"{}\">Accept the invite</a> and choose a password.</p>",
        escape(project),
        escape(link)
    );
    Letter {
        to,
        subject: "You've been invited",
        text,
        html,
    }
}

/// The password reset Directus sends ("Password Reset Request"), with the link.
pub fn password_reset<'a>(to: &'a str, project: &str, link: &str) -> Letter<'a> {
    let text = format!(
        "A password reset was requested for your account at {project}. Open the link below to choose a new password (valid for a day, once):\n\n{link}\n"
    );
    let html = format!(
        "<p>A password reset was requested for your account at <b>{}</b>.</p><p><a href=\"{}\">Choose a new password</a> (valid for a day, once).</p>",
        escape(project),
        escape(link)
    );
    Letter {
        to,
        subject: "Password Reset Request",
        text,
        html,
    }
}

/// Text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
