//! The command line's arguments: the clap types every subcommand parses
//! into. Their doc comments are the help texts.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand, ValueEnum};

use crate::domain::language::Lang;

#[derive(Parser, Debug)]
#[command(
    name = "casework",
    version,
    about = "Case-workflow engine for the naturalization of families in the Hasakah foreigners' registers"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Commands,
}

#[derive(Subcommand, Debug)]
pub enum Commands {
    /// Run the HTTP server.
    Serve {
        /// Address to listen on (default: CASEWORK_ADDR or 127.0.0.1:8080).
        #[arg(long)]
        addr: Option<String>,
        /// Seed an empty database with the demo province first.
        #[arg(long)]
        demo: bool,
        /// Families for --demo.
        #[arg(long, default_value_t = 48_000)]
        families: u64,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Build a synthetic province by driving the real engine.
    Demo {
        #[arg(long, default_value_t = 48_000)]
        families: u64,
        #[arg(long, default_value_t = 2011)]
        seed: u64,
    },
    /// Import the existing backlog from CSV files (format in README.md).
    /// Exits with 1 when a row was refused (the other families are imported).
    Import {
        /// CSV files, one row per person.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// Check every row and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// The name recorded on each case's `imported` audit event.
        #[arg(long = "as", default_value = "import")]
        as_user: String,
        /// The language refused rows are reported in; without it, the
        /// locale's (LC_ALL, LC_MESSAGES or LANG starting with `ar` is
        /// Arabic), else English.
        #[arg(long, value_parser = PossibleValuesParser::new(["ar", "en"]).try_map(|code: String| language(&code)))]
        lang: Option<Lang>,
        /// Then attach the scans in this folder, named
        /// REFERENCE_OWNER_KIND[_pPAGE].EXT (see `documents attach`).
        #[arg(long)]
        scans: Option<std::path::PathBuf>,
    },
    /// Scanned documents: back-scanning the archive, retention.
    Documents {
        #[command(subcommand)]
        command: DocumentsCommand,
    },
    /// Check or draw workflow definitions.
    Workflow {
        #[command(subcommand)]
        command: WorkflowCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The statistics' tallies.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Officers and their bearer tokens.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Agencies that query the portal, and their keys.
    Agencies {
        #[command(subcommand)]
        command: AgenciesCommand,
    },
    /// Print the OpenAPI document (committed as openapi/openapi.json).
    Openapi {
        /// Print the agency portal's own document instead (committed as
        /// openapi/portal.json, served at /portal/v1/openapi.json).
        #[arg(long)]
        portal: bool,
    },
    /// Run the reminder scheduler.
    Remind {
        /// Run one tick and exit (the only mode: `serve` runs the loop).
        #[arg(long, required = true)]
        once: bool,
        /// The time of the tick (RFC 3339), default now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Benchmarks. Use a database of its own: they add cases.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// The mail outbox.
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Statistics routes from the tallies against a plain GROUP BY, at
    /// several sizes: the demo province at the first, copies of it after.
    Statistics {
        /// Families, comma-separated; each a multiple of the first.
        #[arg(long, value_delimiter = ',', default_value = "48000,2016000")]
        sizes: Vec<u64>,
        /// Timed runs per route and size.
        #[arg(long, default_value_t = 50)]
        samples: usize,
    },
    /// Import the demo province as a backlog CSV (made in memory) into an
    /// empty database, then import the same file again.
    Import {
        #[arg(long, default_value_t = 48_000)]
        families: u64,
        /// Only write the backlog file here (to try `casework import` on
        /// it), without importing.
        #[arg(long)]
        write_csv: Option<std::path::PathBuf>,
    },
    /// Name, register and national number searches at several sizes: the
    /// demo province at the first, copies of it after.
    Search {
        /// Families, comma-separated; each a multiple of the first. A
        /// single size equal to the families already stored (by an earlier
        /// run) times them without building.
        #[arg(long, value_delimiter = ',', default_value = "48000,2016000")]
        sizes: Vec<u64>,
        /// People searched for per kind of search and size.
        #[arg(long, default_value_t = 200)]
        samples: usize,
    },
    /// Transitions through casework against the raw SQL limit.
    Transitions {
        /// Worker counts, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
        workers: Vec<usize>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Interleaved rounds per configuration (medians are reported).
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// PostgreSQL only: `on` or `off`, set on every connection of the
        /// pool (for raw and casework alike). Default: the server's setting.
        #[arg(long, value_parser = ["on", "off"])]
        synchronous_commit: Option<String>,
    },
    /// Copies the demo province already stored (by `casework demo`) until
    /// the database holds FAMILIES, for timing pages and searches at
    /// national scale. The copies have no audit events; the tallies are
    /// rebuilt from a recount afterwards.
    Grow {
        /// Families wanted in all; a multiple of those stored.
        #[arg(long)]
        families: u64,
    },
    /// Appends ENTRIES access-log entries to the chains of the agencies
    /// stored (`casework agencies add` first), in turn, through the
    /// portal's own path (hashed, chained, tallied), timed evenly over
    /// the MONTHS before now: a history for timing `audit verify`.
    AccessLog {
        #[arg(long)]
        entries: u64,
        /// Entries per transaction.
        #[arg(long, default_value_t = 5000)]
        batch: u64,
        #[arg(long, default_value_t = 12)]
        months: u32,
    },
}

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// List outbox rows, newest first.
    List {
        /// pending, sending, sent, failed or skipped.
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Put failed mails back in the queue: one by id, or all with --all.
    Retry {
        id: Option<i64>,
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UsersCommand {
    /// Add a user; prints the bearer token once (only its hash is kept).
    Add {
        name: String,
        /// A role; repeat for several (intake_clerk, verifier, approver, registrar, card_officer, supervisor, leadership, admin, auditor).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Bind the user to one district's cases (a code of the places file).
        #[arg(long, conflicts_with = "all_districts")]
        district: Option<String>,
        /// Let the user work in every district; a role bound to places
        /// (intake_clerk, verifier, approver, registrar, card_officer,
        /// supervisor) needs this or --district.
        #[arg(long)]
        all_districts: bool,
        /// The office the user works at: a code of the places file, one of
        /// the offices of --district (which it needs).
        #[arg(long)]
        office: Option<String>,
        /// Where the user's reminders go.
        #[arg(long)]
        email: Option<String>,
        /// The officer's full name, as the pages name them to colleagues
        /// (the user name stands in without one).
        #[arg(long)]
        full_name: Option<String>,
    },
    /// Revoke a user's token and end their sessions.
    Revoke { name: String },
    /// Set the password a person signs in to the pages with, read from
    /// standard input (one line; asked twice, unechoed, on a terminal).
    /// Ends all of the user's sessions.
    Passwd { name: String },
    /// List users (never their tokens), their districts and offices by name.
    List {
        /// The language places are named in; without it, the locale's
        /// (as for `import`), else English.
        #[arg(long, value_parser = PossibleValuesParser::new(["ar", "en"]).try_map(|code: String| language(&code)))]
        lang: Option<Lang>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AgenciesCommand {
    /// Register an agency; prints its API key once (only its hash is kept).
    Add {
        /// A short name, e.g. `interior-passports`.
        name: String,
        /// What it may ask, comma-separated: naturalization-status, card-status.
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Persons it may ask about per minute.
        #[arg(long, default_value_t = crate::app::portal::DEFAULT_RATE, value_parser = parse_rate)]
        rate: u32,
        /// Only persons of these districts (comma-separated); all when absent.
        #[arg(long, value_delimiter = ',')]
        districts: Vec<String>,
        /// The key expires after this many days; never when absent.
        #[arg(long)]
        valid_days: Option<u32>,
    },
    /// Issue a new key; the agency's other keys keep working for the overlap, then expire.
    Rotate {
        name: String,
        /// Hours the old keys keep working, so the agency can switch over.
        #[arg(long, default_value_t = 24)]
        overlap_hours: u32,
        #[arg(long)]
        valid_days: Option<u32>,
    },
    /// Revoke one key (`--key ag_1a2b3c4d`), or the agency and all its keys.
    Revoke {
        name: String,
        #[arg(long)]
        key: Option<String>,
    },
    /// List agencies and their keys (never the keys themselves), their
    /// districts by name.
    List {
        /// The language places are named in; without it, the locale's
        /// (as for `import`), else English.
        #[arg(long, value_parser = PossibleValuesParser::new(["ar", "en"]).try_map(|code: String| language(&code)))]
        lang: Option<Lang>,
    },
}

/// `60` or `60/min`.
fn parse_rate(text: &str) -> Result<u32, String> {
    text.trim_end_matches("/min")
        .parse::<u32>()
        .map_err(|_| format!("'{text}' is not a rate such as 60 or 60/min"))
}

#[derive(Subcommand, Debug)]
pub enum WorkflowCommand {
    /// Validate definition files, and the places (`…places.toml`) and
    /// holidays (`…holidays.toml`) files: prints `ok` or every error.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the state diagram of a definition.
    Diagram {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = DiagramFormat::Mermaid)]
        format: DiagramFormat,
    },
    /// Move running cases from one version of a workflow to another with a
    /// migration map: `--dry-run` prints the plan and writes nothing;
    /// otherwise cases move in batches, each with one audit event, and a
    /// run cut short is resumed by running it again.
    Migrate {
        /// The version cases move from, `name.vN`.
        #[arg(long)]
        from: String,
        /// The version they move to, `name.vN`.
        #[arg(long)]
        to: String,
        /// A map file (`NAME.vA-to-vB.toml`); the built-in map by default.
        #[arg(long)]
        map: Option<PathBuf>,
        /// Only some cases: `state=…`, `district=…`, comma-separated.
        #[arg(long = "where")]
        filter: Option<String>,
        /// Print the plan and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Cases per transaction.
        #[arg(long, default_value_t = 500)]
        batch: u64,
        /// Stop after moving this many cases (run again to go on).
        #[arg(long)]
        limit: Option<u64>,
        /// Who the audit events name.
        #[arg(long, default_value = "system")]
        as_user: String,
    },
}

/// `--lang ar` or `--lang en`: the vocabulary's language.
fn language(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("`{code}` is not a language casework speaks: ar or en"))
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiagramFormat {
    Mermaid,
    Dot,
}

#[derive(Subcommand, Debug)]
pub enum StatsCommand {
    /// Recount every tally from the raw rows and compare with the stored ones.
    Check,
    /// Recount every tally from the raw rows and store the recount.
    Rebuild,
    /// The forecast made as of 4, 8 and 12 weeks ago with the history up to
    /// then, each week since compared with the open applications recorded:
    /// prints how often the truth fell inside the P10–P90 band, and today's
    /// forecast.
    Backtest {
        /// One workflow's figures (the default workflow's when absent).
        #[arg(long)]
        workflow: Option<String>,
    },
    /// When today's backlog clears with officers added (or moved away) or
    /// card offices opened, beside the forecast as things are.
    WhatIf {
        /// The role of the officers added or moved, e.g. `verifier`.
        #[arg(long)]
        role: Option<String>,
        /// A district or office code, e.g. `al_qamishli` or `amuda`.
        #[arg(long)]
        district: Option<String>,
        /// Officers added; negative: moved away.
        #[arg(long, default_value_t = 0, allow_hyphen_values = true)]
        add: i64,
        /// New card offices opened in the district.
        #[arg(long, default_value_t = 0)]
        card_offices: i64,
        /// The simulation's seed.
        #[arg(long)]
        seed: Option<u64>,
        /// One workflow's figures (the default workflow's when absent).
        #[arg(long)]
        workflow: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum DocumentsCommand {
    /// Attach the scans in a folder (and its subfolders) to the cases they
    /// name: REFERENCE_OWNER_KIND[_pPAGE].EXT, for example
    /// HSK-2011-000123_family_application_form.pdf or
    /// HSK-2011-000123_2_register_extract_p1.jpg (owner `family` or the
    /// member's number; pages of one paper become one PDF). A document
    /// that already holds a different scan keeps it; running it again
    /// stores nothing new. Exits with 1 when a file matched nothing.
    Attach {
        folder: std::path::PathBuf,
        /// Check names, pages, cases and members, and store nothing.
        #[arg(long)]
        dry_run: bool,
        /// The name recorded on each attachment's audit event.
        #[arg(long = "as", default_value = "back-scan")]
        as_user: String,
        /// The language of the report; else the locale's.
        #[arg(long, value_parser = PossibleValuesParser::new(["ar", "en"]).try_map(|code: String| language(&code)))]
        lang: Option<Lang>,
    },
    /// Delete the scans of cases closed rejected or withdrawn longer ago
    /// than their workflow's `scan_retention_days` (the server does it
    /// every hour), each deletion an audit event that keeps the hashes.
    Retention {
        /// Count what would be deleted, and delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk every hash chain, compare each with the newest signed
    /// checkpoint, and name every broken or rewritten chain.
    Verify {
        /// The checkpoints' public key as `audit keygen` printed it (64 hex
        /// digits); else CASEWORK_AUDIT_PUBLIC_KEY. Without one the
        /// signatures are not checked.
        #[arg(long)]
        public_key: Option<String>,
        /// A checkpoint log to compare with the database's checkpoints;
        /// else CASEWORK_AUDIT_CHECKPOINT_LOG.
        #[arg(long)]
        checkpoint_log: Option<std::path::PathBuf>,
        /// Also re-read every stored scan from the document store and
        /// report those missing or whose content no longer matches its hash.
        #[arg(long)]
        documents: bool,
        /// Read every event of every chain. Without it, when a checkpoint
        /// whose signature holds exists, a case still ending where the
        /// checkpoint signed it is not read, and every other chain it
        /// covered is read only from the event it covered on (that event's
        /// hash must still be the signed one): an event up to the covered
        /// one altered or removed without the later hashes recomputed, or
        /// the state of a case untouched since changed outside the engine,
        /// is then not seen; run with --full now and then (say, weekly) to
        /// find that too.
        #[arg(long)]
        full: bool,
        /// Parts of the history read and checked at once, each on a
        /// connection of its own (at most CASEWORK_DB_CONNECTIONS).
        #[arg(long, default_value_t = 4)]
        jobs: usize,
    },
    /// Make the history's monthly partitions (PostgreSQL) of this month
    /// and the next ones when missing, moving rows that already landed in
    /// the DEFAULT partition; print every partition. The server does this
    /// on its own.
    Partitions {
        /// Months after this one to make partitions for.
        #[arg(long, default_value_t = 3)]
        months_ahead: u32,
    },
    /// Write a new checkpoint signing key to CASEWORK_AUDIT_KEY_FILE (or
    /// --key-file), never over an existing file, and print its public key.
    Keygen {
        #[arg(long)]
        key_file: Option<std::path::PathBuf>,
    },
    /// Sign a checkpoint of every chain now (the server makes one every
    /// CASEWORK_AUDIT_CHECKPOINT_MINUTES).
    Checkpoint,
}
