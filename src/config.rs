//! Typed settings from the environment (and an optional TOML file named by
//! `CASEWORK_CONFIG`). Secrets never reach a log: `Debug` hides passwords.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Clone)]
pub struct Settings {
    /// `sqlite://casework.db` (default) or `postgres://…`.
    pub database_url: String,
    pub addr: SocketAddr,
    /// `file://./mail` (default) or `smtp://…` / `smtps://…`.
    pub mail_url: String,
    /// A directory with more workflow definitions.
    pub workflows_dir: Option<PathBuf>,
    /// A holidays file replacing the built-in one.
    pub holidays_file: Option<PathBuf>,
    /// A places file (districts and offices) replacing the built-in one.
    pub places_file: Option<PathBuf>,
    pub max_connections: u32,
    /// Where the scheduler's clock starts (drills and tests); default now.
    pub scheduler_start: Option<chrono::DateTime<chrono::Utc>>,
    /// Minutes a session may go unused (`CASEWORK_SESSION_IDLE_MINUTES`, 30).
    pub session_idle_minutes: u32,
    /// Hours a session lasts at most (`CASEWORK_SESSION_HOURS`, 12).
    pub session_hours: u32,
    /// The server is reached over https, so cookies are `Secure`
    /// (`CASEWORK_HTTPS=true|false`, default false).
    pub https: bool,
    /// The Ed25519 key that signs the audit checkpoints
    /// (`CASEWORK_AUDIT_KEY_FILE`; written by `casework audit keygen`,
    /// never in the database). Without it no checkpoints are made.
    pub audit_key_file: Option<PathBuf>,
    /// The public half, for `audit verify` (`CASEWORK_AUDIT_PUBLIC_KEY`, 64
    /// hex digits as `audit keygen` printed it).
    pub audit_public_key: Option<String>,
    /// A file every checkpoint is also appended to, one JSON line each
    /// (`CASEWORK_AUDIT_CHECKPOINT_LOG`): best on storage the database's
    /// administrator cannot write.
    pub audit_checkpoint_log: Option<PathBuf>,
    /// Minutes between scheduled checkpoints
    /// (`CASEWORK_AUDIT_CHECKPOINT_MINUTES`, 60).
    pub audit_checkpoint_minutes: u32,
    /// Where scanned documents are kept (`CASEWORK_DOCUMENTS_URL`): a
    /// directory, `file:///DIR`, or `s3://BUCKET/PREFIX` (the `AWS_*`
    /// variables give endpoint, region and credentials). Default:
    /// `documents/` beside the SQLite file, else `./documents`.
    pub documents_url: String,
    /// A PostgreSQL streaming replica for reads that may be a moment
    /// behind (`CASEWORK_READ_DATABASE_URL`): statistics, searches, lists
    /// and the portal's look-ups; none by default.
    pub read_database_url: Option<String>,
    /// How far behind the replica may be and still be read
    /// (`CASEWORK_READ_MAX_LAG_MS`, 5000).
    pub read_max_lag_ms: u32,
    /// The largest scan accepted, in MiB (`CASEWORK_DOCUMENTS_MAX_MB`, 20).
    pub documents_max_mb: u32,
    /// The digits the dashboard writes Arabic in
    /// (`CASEWORK_DASHBOARD_DIGITS=arabic|western`, default arabic).
    pub dashboard_digits: crate::domain::language::Digits,
    /// Whether transitions on PostgreSQL are written by group commit,
    /// several in one statement and one commit
    /// (`CASEWORK_GROUP_COMMIT=on|off`, default on; SQLite writes one at a
    /// time either way).
    pub group_commit: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name}: {message}")]
    Invalid { name: &'static str, message: String },
    #[error("cannot read the config file {path}: {message}")]
    File { path: String, message: String },
}

/// The optional file: the same keys in lowercase.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    addr: Option<String>,
    mail_url: Option<String>,
    workflows_dir: Option<PathBuf>,
    holidays_file: Option<PathBuf>,
    places_file: Option<PathBuf>,
    max_connections: Option<u32>,
    session_idle_minutes: Option<u32>,
    session_hours: Option<u32>,
    https: Option<bool>,
    audit_key_file: Option<PathBuf>,
    audit_public_key: Option<String>,
    audit_checkpoint_log: Option<PathBuf>,
    audit_checkpoint_minutes: Option<u32>,
    documents_url: Option<String>,
    read_database_url: Option<String>,
    read_max_lag_ms: Option<u32>,
    documents_max_mb: Option<u32>,
    dashboard_digits: Option<String>,
    group_commit: Option<bool>,
}

impl Settings {
    /// Reads the settings: environment variables win over the file.
    pub fn load() -> Result<Settings, ConfigError> {
        let file = match std::env::var("CASEWORK_CONFIG") {
            Ok(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::File {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                toml::from_str::<FileSettings>(&text).map_err(|e| ConfigError::File {
                    path,
                    message: e.to_string(),
                })?
            }
            Err(_) => FileSettings::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let database_url = env("DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| "sqlite://casework.db".into());
        let addr_text = env("CASEWORK_ADDR")
            .or(file.addr)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let addr = addr_text.parse().map_err(|e| ConfigError::Invalid {
            name: "CASEWORK_ADDR",
            message: format!("'{addr_text}' is not HOST:PORT ({e})"),
        })?;
        let max_connections = match env("CASEWORK_DB_CONNECTIONS") {
            Some(text) => text.parse().map_err(|_| ConfigError::Invalid {
                name: "CASEWORK_DB_CONNECTIONS",
                message: format!("'{text}' is not a number"),
            })?,
            None => file
                .max_connections
                .unwrap_or(if database_url.starts_with("sqlite") {
                    4
                } else {
                    16
                }),
        };
        let scheduler_start = match env("CASEWORK_SCHEDULER_START") {
            Some(text) => Some(
                chrono::DateTime::parse_from_rfc3339(&text)
                    .map_err(|e| ConfigError::Invalid {
                        name: "CASEWORK_SCHEDULER_START",
                        message: format!("'{text}' is not an RFC 3339 time ({e})"),
                    })?
                    .with_timezone(&chrono::Utc),
            ),
            None => None,
        };
        let positive = |name: &'static str, given: Option<u32>, default: u32| match env(name) {
            Some(text) => match text.parse::<u32>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(ConfigError::Invalid {
                    name,
                    message: format!("'{text}' is not a whole number above 0"),
                }),
            },
            None => Ok(given.unwrap_or(default)),
        };
        let session_idle_minutes = positive(
            "CASEWORK_SESSION_IDLE_MINUTES",
            file.session_idle_minutes,
            30,
        )?;
        let session_hours = positive("CASEWORK_SESSION_HOURS", file.session_hours, 12)?;
        let https = match env("CASEWORK_HTTPS").as_deref() {
            Some("true" | "1" | "yes") => true,
            Some("false" | "0" | "no") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "CASEWORK_HTTPS",
                    message: format!("'{other}' is neither true nor false"),
                });
            }
            None => file.https.unwrap_or(false),
        };
        let audit_checkpoint_minutes = positive(
            "CASEWORK_AUDIT_CHECKPOINT_MINUTES",
            file.audit_checkpoint_minutes,
            60,
        )?;
        let documents_max_mb = positive("CASEWORK_DOCUMENTS_MAX_MB", file.documents_max_mb, 20)?;
        let documents_url = env("CASEWORK_DOCUMENTS_URL")
            .or(file.documents_url)
            .unwrap_or_else(|| documents_beside(&database_url));
        let dashboard_digits = match env("CASEWORK_DASHBOARD_DIGITS")
            .or(file.dashboard_digits)
            .as_deref()
        {
            None | Some("arabic") => crate::domain::language::Digits::Arabic,
            Some("western") => crate::domain::language::Digits::Western,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "CASEWORK_DASHBOARD_DIGITS",
                    message: format!("'{other}' is neither arabic nor western"),
                });
            }
        };
        let group_commit = match env("CASEWORK_GROUP_COMMIT").as_deref() {
            Some("on" | "true" | "1") => true,
            Some("off" | "false" | "0") => false,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "CASEWORK_GROUP_COMMIT",
                    message: format!("'{other}' is neither on nor off"),
                });
            }
            None => file.group_commit.unwrap_or(true),
        };
        let read_database_url = env("CASEWORK_READ_DATABASE_URL").or(file.read_database_url);
        let read_max_lag_ms = positive("CASEWORK_READ_MAX_LAG_MS", file.read_max_lag_ms, 5000)?;
        Ok(Settings {
            group_commit,
            read_database_url,
            read_max_lag_ms,
            dashboard_digits,
            documents_url,
            documents_max_mb,
            audit_key_file: env("CASEWORK_AUDIT_KEY_FILE")
                .map(PathBuf::from)
                .or(file.audit_key_file),
            audit_public_key: env("CASEWORK_AUDIT_PUBLIC_KEY").or(file.audit_public_key),
            audit_checkpoint_log: env("CASEWORK_AUDIT_CHECKPOINT_LOG")
                .map(PathBuf::from)
                .or(file.audit_checkpoint_log),
            audit_checkpoint_minutes,
            scheduler_start,
            session_idle_minutes,
            session_hours,
            https,
            database_url,
            addr,
            mail_url: env("CASEWORK_MAIL_URL")
                .or(file.mail_url)
                .unwrap_or_else(|| "file://./mail".into()),
            workflows_dir: env("CASEWORK_WORKFLOWS_DIR")
                .map(PathBuf::from)
                .or(file.workflows_dir),
            holidays_file: env("CASEWORK_HOLIDAYS_FILE")
                .map(PathBuf::from)
                .or(file.holidays_file),
            places_file: env("CASEWORK_PLACES_FILE")
                .map(PathBuf::from)
                .or(file.places_file),
            max_connections,
        })
    }
}

/// The default document store: `documents/` next to a SQLite file, else
/// `./documents`.
fn documents_beside(database_url: &str) -> String {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest));
    match file.map(std::path::Path::new).and_then(|p| p.parent()) {
        Some(dir) if !dir.as_os_str().is_empty() => {
            dir.join("documents").to_string_lossy().into_owned()
        }
        _ => "documents".into(),
    }
}

/// A URL with its password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("addr", &self.addr)
            .field("mail_url", &redact_url(&self.mail_url))
            .field("workflows_dir", &self.workflows_dir)
            .field("holidays_file", &self.holidays_file)
            .field("places_file", &self.places_file)
            .field("max_connections", &self.max_connections)
            .field("scheduler_start", &self.scheduler_start)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_hours", &self.session_hours)
            .field("https", &self.https)
            .field("audit_key_file", &self.audit_key_file)
            .field("audit_public_key", &self.audit_public_key)
            .field("audit_checkpoint_log", &self.audit_checkpoint_log)
            .field("audit_checkpoint_minutes", &self.audit_checkpoint_minutes)
            .field("documents_url", &redact_url(&self.documents_url))
            .field(
                "read_database_url",
                &self.read_database_url.as_deref().map(redact_url),
            )
            .field("read_max_lag_ms", &self.read_max_lag_ms)
            .field("documents_max_mb", &self.documents_max_mb)
            .field("dashboard_digits", &self.dashboard_digits)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_document_directory_is_beside_the_sqlite_database() {
        let check = |db: &str, expected: &str| {
            assert_eq!(documents_beside(db), expected, "{db}");
        };
        check("sqlite://casework.db", "documents");
        check(
            "sqlite:///var/lib/casework/casework.db?mode=rwc",
            "/var/lib/casework/documents",
        );
        check("sqlite://data/casework.db", "data/documents");
        check("postgres://casework@127.0.0.1/casework", "documents");
    }

    #[test]
    fn passwords_never_show_in_redacted_urls() {
        assert_eq!(
            redact_url("postgres://casework:s3cret@127.0.0.1:5432/db"),
            "postgres://casework:***@127.0.0.1:5432/db"
        );
        assert_eq!(redact_url("sqlite://casework.db"), "sqlite://casework.db");
    }
}
