//! Test helpers: every test gets its own fresh database, migrated by the
//! real migrations. SQLite by default; PostgreSQL when
//! `CASEWORK_TEST_DATABASE_URL` names a server (a new database is created
//! on it per test). The submodules hold the builders the test files share.
//!
//! Each test binary (`tests/access.rs`, and `main.rs` of each folder of
//! `tests/` by `#[path]`) includes this module and uses only some of
//! these helpers, so the rest are dead code in that crate: the one
//! `allow(dead_code)` below covers this module and its submodules.
#![allow(dead_code)]

pub mod actors;
pub mod binary;
pub mod cases;
pub mod documents;
pub mod families;
pub mod http;
pub mod sql;
pub mod time;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use casework::app::registry::{self, Registry};
use casework::app::{Engine, EngineSettings};
use casework::store::{Store, StoreOptions};
use sea_orm::{ConnectionTrait, Database};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh database: its URL and, for SQLite, the directory that holds it.
pub struct TestDb {
    pub url: String,
    _dir: Option<TempDir>,
    /// The directory the test's document store keeps scans in.
    pub documents: TempDir,
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir(tag: &str) -> TempDir {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let path = std::env::temp_dir().join(format!(
        "casework-{tag}-{}-{n}-{}",
        std::process::id(),
        nanos()
    ));
    std::fs::create_dir_all(&path).expect("create a temporary directory");
    TempDir(path)
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

pub async fn fresh_database() -> TestDb {
    match std::env::var("CASEWORK_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let n = COUNTER.fetch_add(1, Ordering::SeqCst);
            let name = format!(
                "casework_test_{}_{}_{}",
                std::process::id(),
                n,
                nanos() % 1_000_000_000
            );
            let admin = Database::connect(base.as_str())
                .await
                .expect("connect to the PostgreSQL test server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create a test database");
            admin.close().await.ok();
            let (prefix, _) = base.rsplit_once('/').expect("the URL names a database");
            TestDb {
                url: format!("{prefix}/{name}"),
                _dir: None,
                documents: temp_dir("documents"),
            }
        }
        _ => {
            let dir = temp_dir("db");
            let url = format!("sqlite://{}/casework.db", dir.0.display());
            TestDb {
                url,
                _dir: Some(dir),
                documents: temp_dir("documents"),
            }
        }
    }
}

pub async fn engine_on(db: &TestDb) -> Engine {
    let store = Store::connect(&StoreOptions {
        url: db.url.clone(),
        max_connections: 8,
    })
    .await
    .expect("connect to the test database");
    casework::app::system::migrate(&store, chrono::Utc::now())
        .await
        .expect("run the migrations");
    Engine {
        store,
        workflows: Arc::new(Registry::load(None).expect("the built-in workflows load")),
        calendar: Arc::new(registry::load_calendar(None).expect("the built-in calendar loads")),
        places: Arc::new(registry::load_places(None).expect("the built-in places load")),
        files: casework::files::DocumentStore::open(&db.documents.0.to_string_lossy())
            .expect("open the test's document directory"),
        settings: EngineSettings::default(),
    }
}

pub async fn fresh_engine() -> (TestDb, Engine) {
    let db = fresh_database().await;
    let engine = engine_on(&db).await;
    (db, engine)
}

/// A server on a free port over a fresh database, with one token per role.
pub struct TestApp {
    pub base: String,
    pub engine: Engine,
    pub client: reqwest::Client,
    pub tokens: std::collections::HashMap<casework::domain::roles::Role, String>,
    /// A second verifier (`verifier.two`): version 2's security clearance
    /// is a verifier's who did not verify the family.
    pub second_verifier: String,
    _db: TestDb,
}

impl TestApp {
    pub fn token(&self, role: casework::domain::roles::Role) -> &str {
        self.tokens.get(&role).map(String::as_str).unwrap_or("")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The directory of the app's document store (unless a test chose
    /// another store).
    pub fn documents_dir(&self) -> &std::path::Path {
        &self._db.documents.0
    }

    /// The URL of the app's own database.
    pub fn db_url(&self) -> &str {
        &self._db.url
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with the engine changed first (another document store, a
/// smaller size limit).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Engine)) -> TestApp {
    use casework::domain::roles::Role;
    let db = fresh_database().await;
    let mut engine = engine_on(&db).await;
    configure(&mut engine);
    let mut tokens = std::collections::HashMap::new();
    for role in Role::ALL {
        if role == Role::System {
            continue;
        }
        let token = casework::app::users::add(
            &engine,
            &format!("{}.one", role.as_str()),
            &[role],
            None,
            None,
            chrono::Utc::now(),
        )
        .await
        .expect("a user is added");
        tokens.insert(role, token);
    }
    let second_verifier = casework::app::users::add(
        &engine,
        "verifier.two",
        &[Role::Verifier],
        None,
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("a user is added");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().expect("the bound address");
    // As `casework serve` does: token lookups from memory on PostgreSQL.
    engine.store.watch_users();
    let router = casework::http::router(engine.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    TestApp {
        base: format!("http://{addr}"),
        engine,
        client: reqwest::Client::new(),
        tokens,
        second_verifier,
        _db: db,
    }
}

/// [`spawn_app`] over a demo province of `families` families (seed 11),
/// built up to now.
pub async fn spawn_demo_app(families: u64) -> TestApp {
    let app = spawn_app().await;
    casework::app::demo::build(&app.engine, families, 11, chrono::Utc::now(), |_| {})
        .await
        .expect("the demo province is built");
    app
}

/// A second server on the app's own database, as a second `casework
/// serve` beside the first would be: its own engine, pool and router.
/// Returns its base URL.
pub async fn second_server(app: &TestApp) -> String {
    let store = Store::connect(&StoreOptions {
        url: app.db_url().to_string(),
        max_connections: 8,
    })
    .await
    .expect("connect to the test database");
    let engine = Engine {
        store,
        ..app.engine.clone()
    };
    engine.store.watch_users();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let addr = listener.local_addr().expect("the bound address");
    let router = casework::http::router(engine);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}
