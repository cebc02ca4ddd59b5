//! `casework bench transitions`: casework's transitions through its app
//! layer against the database's own limit for the same writes, in one run
//! on one database.
//!
//! (a) raw: a plain transaction doing `UPDATE applications … WHERE id = ? AND
//! version = ?` and one audit-row `INSERT`, through the same driver, no
//! engine. (b) casework: `app::cases::perform` — load, decide, version-guarded
//! save with the member row, the hash-chained audit event and the outbox.
//! Both at each worker count, in interleaved rounds; medians are reported.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use crate::app::cases::{CaseBuilder, DuplicateCheck, perform, store_built};
use crate::app::lists::ListQuery;
use crate::app::{AppError, Engine};
use crate::domain::family::{ApplicationDraft, DocumentKind, MemberDraft, Relationship, Sex};
use crate::domain::names::parts_queries;
use crate::domain::roles::Role;
use crate::store::bench as raw;
use crate::store::{Store, StoreError};
use crate::workflow::{Actor, Command};

/// One measured configuration.
#[derive(Clone, Debug)]
pub struct Figures {
    pub mode: &'static str,
    pub workers: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// CPU time of this process (client, engine and driver; not the
    /// database server) per transition, in microseconds.
    pub cpu_us: f64,
}

/// CPU seconds this process has used (user + system), from
/// `/proc/self/stat`; `None` where there is no such file.
fn process_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): state is
    // field 3, utime 14 and stime 15, in clock ticks of 1/100 s.
    let rest = text.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn draft() -> ApplicationDraft {
    let member = |first: &str, relationship: Relationship, year: i32, entry: u32| MemberDraft {
        first_name: first.into(),
        father_name: "محمد".into(),
        mother_name: "فاطمة الحسن".into(),
        family_name: "العلي".into(),
        latin_first_name: None,
        latin_family_name: None,
        sex: Sex::Male,
        birth_date: chrono::NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or_default(),
        birth_place: "الحسكة".into(),
        relationship,
        register_number: Some(format!("99/{entry}")),
        abroad: false,
        documents: vec![DocumentKind::RegisterExtract, DocumentKind::Photos],
    };
    ApplicationDraft {
        district: "al_hasakah".into(),
        office: "hasakah_centre".into(),
        submitted_on: Utc::now().date_naive(),
        applicant_email: None,
        family_documents: vec![DocumentKind::ApplicationForm],
        members: vec![
            member("أحمد", Relationship::Head, 1970, 1),
            member("عائشة", Relationship::Spouse, 1975, 2),
            member("عمر", Relationship::Son, 2000, 3),
            member("ليلى", Relationship::Daughter, 2004, 4),
        ],
    }
}

/// Opens `count` cases in verification, through the engine.
pub async fn prepare(engine: &Engine, count: usize) -> Result<Vec<String>, AppError> {
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .ok_or_else(|| AppError::NotFound(crate::domain::words::problems::no_workflow("")))?;
    let clerk = Actor {
        id: "bench.clerk".into(),
        roles: vec![Role::IntakeClerk],
        district: None,
    };
    let now = Utc::now();
    let application = draft()
        .validate_in(now.date_naive(), &engine.places)
        .map_err(AppError::Invalid)?;
    let stamp = now.timestamp_millis() % 100_000;
    let mut references = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let mut built = Vec::new();
        for i in chunk {
            let reference = format!("BEN-2026-{:06}", (stamp as usize * 7 + i) % 1_000_000);
            let mut builder = CaseBuilder::open(
                workflow.clone(),
                engine.calendar.clone(),
                reference.clone(),
                application.clone(),
                &clerk,
                "bench",
                now,
            )?;
            builder
                .apply(&clerk, &Command::new("submit_for_verification"), now)
                .map_err(AppError::Refused)?;
            built.push(builder.finish());
            references.push(reference);
        }
        store_built(engine, &built, DuplicateCheck::Skip, now).await?;
    }
    Ok(references)
}

/// Runs `workers` tasks for `duration`; each repeatedly applies `op` to its
/// own cases and records each latency.
async fn run<F, Fut>(
    workers: usize,
    duration: Duration,
    references: Arc<Vec<String>>,
    op: F,
) -> (u64, Vec<Duration>)
where
    F: Fn(String, u64) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let op = op.clone();
        let references = references.clone();
        tasks.push(tokio::spawn(async move {
            let mine: Vec<String> = references
                .iter()
                .skip(w)
                .step_by(workers)
                .cloned()
                .collect();
            let mut latencies = Vec::new();
            let mut i: u64 = 0;
            while Instant::now() < deadline && !mine.is_empty() {
                let reference = mine[(i as usize) % mine.len()].clone();
                let started = Instant::now();
                if op(reference, i / mine.len() as u64).await {
                    latencies.push(started.elapsed());
                }
                i += 1;
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        if let Ok(latencies) = task.await {
            all.extend(latencies);
        }
    }
    all.sort();
    (all.len() as u64, all)
}

/// Microseconds of this process's CPU per operation since `before`.
fn cpu_per_op(before: Option<f64>, operations: u64) -> f64 {
    match (before, process_cpu_seconds()) {
        (Some(before), Some(after)) if operations > 0 => (after - before) * 1e6 / operations as f64,
        _ => f64::NAN,
    }
}

/// Measures (a) and (b) at each worker count over `rounds` interleaved rounds.
pub async fn transitions(
    engine: &Engine,
    workers: &[usize],
    seconds: u64,
    rounds: usize,
    mut report: impl FnMut(&Figures),
) -> Result<Vec<Figures>, AppError> {
    let max_workers = workers.iter().copied().max().unwrap_or(1);
    // Two disjoint sets: raw writes never touch the engine's cases.
    // (Prepared at once: two calls a few milliseconds apart could number
    // their cases alike.)
    let mut references = prepare(engine, max_workers * 16).await?;
    let raw_cases = Arc::new(references.split_off(max_workers * 8));
    let references = Arc::new(references);
    let verifier = Actor {
        id: "bench.verifier".into(),
        roles: vec![Role::Verifier],
        district: None,
    };
    let mut figures = Vec::new();
    for &w in workers {
        let mut raw_rounds = Vec::new();
        let mut app_rounds = Vec::new();
        for _ in 0..rounds {
            let store = engine.store.clone();
            let cpu = process_cpu_seconds();
            let (n, lat) = run(
                w,
                Duration::from_secs(seconds),
                raw_cases.clone(),
                move |reference, _| {
                    let store = store.clone();
                    async move { raw_transition(&store, &reference).await.is_ok() }
                },
            )
            .await;
            raw_rounds.push((
                n as f64 / seconds as f64,
                percentile(&lat, 0.5),
                percentile(&lat, 0.99),
                cpu_per_op(cpu, n),
            ));
            let cpu = process_cpu_seconds();
            let engine2 = engine.clone();
            let verifier2 = verifier.clone();
            let (n, lat) = run(
                w,
                Duration::from_secs(seconds),
                references.clone(),
                move |reference, visit| {
                    let engine = engine2.clone();
                    let verifier = verifier2.clone();
                    async move {
                        // Verify member 1, then reopen it: a pair that repeats forever.
                        let command = if visit % 2 == 0 {
                            Command::on_member("verify_member", 1)
                        } else {
                            Command::on_member("reopen_member", 1).with("reason", "bench")
                        };
                        perform(&engine, &reference, &verifier, &command, None, Utc::now())
                            .await
                            .is_ok()
                    }
                },
            )
            .await;
            app_rounds.push((
                n as f64 / seconds as f64,
                percentile(&lat, 0.5),
                percentile(&lat, 0.99),
                cpu_per_op(cpu, n),
            ));
        }
        for (mode, rounds) in [("raw", &raw_rounds), ("casework", &app_rounds)] {
            let median = |f: fn(&(f64, f64, f64, f64)) -> f64| {
                let mut v: Vec<f64> = rounds.iter().map(f).collect();
                v.sort_by(|a, b| a.total_cmp(b));
                v[v.len() / 2]
            };
            let f = Figures {
                mode,
                workers: w,
                per_second: median(|r| r.0),
                p50_ms: median(|r| r.1),
                p99_ms: median(|r| r.2),
                cpu_us: median(|r| r.3),
            };
            report(&f);
            figures.push(f);
        }
    }
    Ok(figures)
}

/// One statistics route at one size: the tallies against the plain
/// `GROUP BY` over the raw rows.
#[derive(Clone, Debug)]
pub struct StatFigures {
    pub families: u64,
    pub route: &'static str,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub naive_p50_ms: f64,
    pub naive_p99_ms: f64,
    pub tally_rows: i64,
}

/// The statistics routes the benchmark times.
pub const STAT_ROUTES: &[&str] = &[
    "headline",
    "backlog",
    "ageing",
    "sla-breaches",
    "throughput",
    "workload",
    "bottleneck",
    "forecast",
];

async fn time_route(
    engine: &Engine,
    scope: &crate::app::stats::Scope,
    route: &str,
) -> Result<(), AppError> {
    use crate::app::stats;
    match route {
        "headline" => stats::headline(engine, scope).await.map(drop),
        "backlog" => stats::backlog(engine, scope).await.map(drop),
        "ageing" => stats::ageing(engine, scope).await.map(drop),
        "sla-breaches" => stats::breaches(engine, scope).await.map(drop),
        "throughput" => stats::throughput(engine, scope).await.map(drop),
        "workload" => stats::workload(engine, scope).await.map(drop),
        "bottleneck" => stats::bottleneck(engine, scope).await.map(drop),
        _ => stats::forecast(engine, scope).await.map(drop),
    }
}

async fn sample<F, Fut>(samples: usize, budget: Duration, mut op: F) -> Result<(f64, f64), AppError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    // Two warm-up runs, then `samples` timed ones (fewer if over budget).
    op().await?;
    op().await?;
    let started = Instant::now();
    let mut times = Vec::with_capacity(samples);
    while times.len() < samples && (times.len() < 5 || started.elapsed() < budget) {
        let t = Instant::now();
        op().await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

/// Builds the demo province at the first size, then copies it up to each
/// further size (each a multiple of the first), and times every statistics
/// route from the tallies and the plain `GROUP BY` beside it.
pub async fn statistics(
    engine: &Engine,
    sizes: &[u64],
    samples: usize,
    mut report: impl FnMut(&StatFigures),
    mut progress: impl FnMut(&str),
) -> Result<Vec<StatFigures>, AppError> {
    use crate::app::stats::{self, StatsQuery};
    use crate::store::tallies;
    let Some(base) = check_sizes(engine, sizes, "statistics").await? else {
        return Ok(Vec::new());
    };
    let now = Utc::now();
    build_base(engine, base, now, &mut progress).await?;
    let original = tallies::stored(&engine.store).await?;
    let base_max = raw::max_application_id(&engine.store).await?;
    let leadership = Actor {
        id: "bench.leadership".into(),
        roles: vec![Role::Leadership],
        district: None,
    };
    let today = crate::workflow::machine::local_date(now);
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_workflow(
                &engine.settings.default_workflow,
            ))
        })?;
    let open: Vec<String> = workflow
        .states
        .iter()
        .filter(|s| !s.terminal)
        .map(|s| s.name.clone())
        .collect();
    let terminal: Vec<String> = workflow
        .states
        .iter()
        .filter(|s| s.terminal)
        .map(|s| s.name.clone())
        .collect();
    let collected: Vec<String> = workflow
        .card_state(crate::workflow::definition::CardStage::Collected)
        .map(str::to_string)
        .into_iter()
        .collect();
    let mut copies: u64 = 1;
    let mut figures = Vec::new();
    for &size in sizes {
        copy_up(
            engine,
            base,
            base_max,
            &mut copies,
            size / base,
            &mut progress,
        )
        .await?;
        let tx = engine.store.begin().await?;
        tallies::replace_all(&tx, original.scaled(copies as i64)).await?;
        tx.commit().await?;
        raw::analyze(&engine.store).await?;
        let tally_rows = raw::tally_rows(&engine.store).await?;
        let scope = stats::scope(engine, &leadership, &StatsQuery::default(), today)?;
        for &route in STAT_ROUTES {
            let (p50, p99) = sample(samples, Duration::from_secs(20), || {
                time_route(engine, &scope, route)
            })
            .await?;
            let naive = sample(samples, Duration::from_secs(30), || async {
                raw::naive(&engine.store, route, today, &open, &terminal, &collected)
                    .await
                    .map(drop)
                    .map_err(AppError::from)
            })
            .await?;
            let f = StatFigures {
                families: size,
                route,
                p50_ms: p50,
                p99_ms: p99,
                naive_p50_ms: naive.0,
                naive_p99_ms: naive.1,
                tally_rows,
            };
            report(&f);
            figures.push(f);
        }
    }
    Ok(figures)
}

/// The first size, after checking the database is empty and every size a
/// multiple of the first.
async fn check_sizes(engine: &Engine, sizes: &[u64], bench: &str) -> Result<Option<u64>, AppError> {
    let Some(&base) = sizes.first() else {
        return Ok(None);
    };
    if raw::max_application_id(&engine.store).await? != 0 {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::new(
                "DATABASE_URL",
                format!("the {bench} benchmark needs an empty database of its own"),
            ),
        ]));
    }
    if let Some(bad) = sizes.iter().find(|s| **s % base != 0 || **s < base) {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::new(
                "sizes",
                format!("{bad} is not a multiple of the first size {base}"),
            ),
        ]));
    }
    Ok(Some(base))
}

/// The demo province of `base` families.
async fn build_base(
    engine: &Engine,
    base: u64,
    now: chrono::DateTime<Utc>,
    progress: &mut impl FnMut(&str),
) -> Result<(), AppError> {
    let started = Instant::now();
    crate::app::demo::build(engine, base, 2011, now, |done| {
        if done % 8000 == 0 {
            progress(&format!("demo: {done} families"));
        }
    })
    .await?;
    progress(&format!(
        "demo: {base} families in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Copies the demo (ids up to `base_max`) until there are `want` copies,
/// doubling while it can.
async fn copy_up(
    engine: &Engine,
    base: u64,
    base_max: i64,
    copies: &mut u64,
    want: u64,
    progress: &mut impl FnMut(&str),
) -> Result<(), AppError> {
    while *copies < want {
        let started = Instant::now();
        let max = raw::max_application_id(&engine.store).await?;
        if *copies * 2 <= want {
            copy_families(engine, max, max).await?;
            *copies *= 2;
        } else {
            copy_families(engine, base_max, max).await?;
            *copies += 1;
        }
        progress(&format!(
            "copied: {} families ({:.0} s)",
            *copies * base,
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}

/// Copies the families already stored (the demo province) until there
/// are `families`, rebuilds the tallies from a recount (the copies carry
/// no audit events, so officers' work is the demo's) and refreshes the
/// planner's statistics. Answers how many families are stored.
pub async fn grow(
    engine: &Engine,
    families: u64,
    mut progress: impl FnMut(&str),
) -> Result<u64, AppError> {
    let held = crate::store::cases::count_applications(&engine.store).await?;
    let base_max = raw::max_application_id(&engine.store).await?;
    if held == 0 || held as i64 != base_max || !families.is_multiple_of(held) || families < held {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::new(
                "families",
                format!(
                    "grow copies a demo province of its own (ids 1 to N, as `casework demo` \
                     stores it); {families} must be a multiple of the {held} families stored"
                ),
            ),
        ]));
    }
    let mut copies = 1;
    copy_up(
        engine,
        held,
        base_max,
        &mut copies,
        families / held,
        &mut progress,
    )
    .await?;
    let started = Instant::now();
    crate::app::stats::rebuild(engine).await?;
    progress(&format!(
        "tallies rebuilt from a recount ({:.0} s)",
        started.elapsed().as_secs_f64()
    ));
    raw::analyze(&engine.store).await?;
    Ok(copies * held)
}

/// What importing the demo province as a backlog file took.
#[derive(Clone, Debug)]
pub struct ImportFigures {
    pub families: u64,
    pub persons: u64,
    pub rows: u64,
    pub bytes: usize,
    pub seconds: f64,
    pub again_seconds: f64,
    pub duplicate_flags: u64,
}

/// Imports `families` demo families from a CSV made in memory into an empty
/// database, then imports the same file again (which must add nothing).
pub async fn import(engine: &Engine, families: u64) -> Result<ImportFigures, AppError> {
    use crate::app::import::{self, Source};
    check_sizes(engine, &[families], "import").await?;
    let now = Utc::now();
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_workflow(
                &engine.settings.default_workflow,
            ))
        })?;
    let bytes = crate::app::demo::backlog_csv(&workflow, &engine.calendar, families, 2011, now);
    let size = bytes.len();
    let sources = [Source {
        name: "demo-backlog.csv".into(),
        bytes,
    }];
    let importer = import::importer("bench.import", None);
    let started = Instant::now();
    let first = import::import(engine, &sources, &importer, false, now, |_, _| {}).await?;
    let seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let again = import::import(engine, &sources, &importer, false, now, |_, _| {}).await?;
    let again_seconds = started.elapsed().as_secs_f64();
    if !first.errors.is_empty() || first.imported != families || again.imported != 0 {
        return Err(AppError::unexpected(format!(
            "the demo backlog did not import cleanly: {} imported, {} errors (first: {:?}), {} on the second run",
            first.imported,
            first.errors.len(),
            first.errors.first().map(ToString::to_string),
            again.imported
        )));
    }
    Ok(ImportFigures {
        families: first.imported,
        persons: first.persons,
        rows: first.rows,
        bytes: size,
        seconds,
        again_seconds,
        duplicate_flags: first.duplicate_flags,
    })
}

/// One kind of search, timed at one size.
#[derive(Clone, Debug)]
pub struct SearchFigures {
    pub families: u64,
    pub kind: &'static str,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The mean number of applications on the first page (at most 50).
    pub mean_hits: f64,
    /// Timed searches.
    pub samples: usize,
}

/// The kinds of search an officer makes, each built from a real member.
pub const SEARCH_KINDS: &[&str] = &[
    "three parts, shuffled",
    "first + family",
    "family only",
    "register number",
    "national number",
];

fn search_query(kind: &str, person: &raw::SearchPerson, turn: usize) -> ListQuery {
    let mut filter = ListQuery {
        limit: 50,
        ..ListQuery::default()
    };
    match kind {
        "three parts, shuffled" => {
            let parts = [&person.first, &person.father, &person.family];
            let order = [[2, 0, 1], [1, 2, 0], [0, 2, 1], [2, 1, 0]][turn % 4];
            let typed = order.map(|i| parts[i].as_str()).join(" ");
            filter.name_parts = parts_queries(&typed);
        }
        "first + family" => {
            filter.name_parts = parts_queries(&format!("{} {}", person.first, person.family));
        }
        "family only" => filter.name_parts = parts_queries(&person.family),
        "register number" => filter.register_number = person.register_number.clone(),
        _ => filter.national_number = person.national_number.clone(),
    }
    filter
}

/// Builds the demo province at the first size, copies it up to each further
/// size, and times each kind of search through the same list the API uses
/// (first page of 50, oldest first), for people drawn at random.
pub async fn search(
    engine: &Engine,
    sizes: &[u64],
    samples: usize,
    mut report: impl FnMut(&SearchFigures),
    mut progress: impl FnMut(&str),
) -> Result<Vec<SearchFigures>, AppError> {
    let held = crate::store::cases::count_applications(&engine.store).await?;
    let reuse = sizes.len() == 1 && held == sizes[0];
    let base = if reuse {
        // A database this benchmark filled before: time only.
        progress(&format!("timing the {held} families already stored"));
        held
    } else {
        let Some(base) = check_sizes(engine, sizes, "search").await? else {
            return Ok(Vec::new());
        };
        build_base(engine, base, Utc::now(), &mut progress).await?;
        base
    };
    let base_max = raw::max_application_id(&engine.store).await?;
    let supervisor = Actor {
        id: "bench.supervisor".into(),
        roles: vec![Role::Supervisor],
        district: None,
    };
    // People with a national number, so every kind has something to find.
    let people = raw::search_people(&engine.store, samples.max(1) as u64).await?;
    let mut copies = 1;
    let mut figures = Vec::new();
    for &size in sizes {
        copy_up(
            engine,
            base,
            base_max,
            &mut copies,
            size / base,
            &mut progress,
        )
        .await?;
        raw::analyze(&engine.store).await?;
        for &kind in SEARCH_KINDS {
            let mut times = Vec::with_capacity(people.len());
            let mut hits = 0_usize;
            let budget = Instant::now();
            // Two warm-up searches, then one per person (at least 5, and no
            // more once 30 s are spent on this kind).
            let turns = people.iter().take(2).chain(people.iter()).enumerate();
            for (turn, person) in turns {
                if times.len() >= 7 && budget.elapsed() > Duration::from_secs(30) {
                    break;
                }
                let query = search_query(kind, person, turn);
                let started = Instant::now();
                let page = crate::app::lists::list(engine, &supervisor, query, Utc::now()).await?;
                times.push(started.elapsed());
                hits += page.items.len();
            }
            let searched = times.len();
            times.drain(..2.min(times.len()));
            times.sort();
            let f = SearchFigures {
                families: size,
                kind,
                p50_ms: percentile(&times, 0.5),
                p99_ms: percentile(&times, 0.99),
                mean_hits: hits as f64 / searched.max(1) as f64,
                samples: times.len(),
            };
            report(&f);
            figures.push(f);
        }
    }
    Ok(figures)
}

/// The database's own limit for one transition: the plain read, guarded
/// update and audit insert, in a transaction of their own.
async fn raw_transition(store: &Store, reference: &str) -> Result<(), StoreError> {
    let tx = store.begin().await?;
    raw::transition(&tx, reference, Utc::now()).await?;
    tx.commit().await
}

/// Copies the families with `id <= upto` under ids `offset` higher, in one
/// transaction.
async fn copy_families(engine: &Engine, upto: i64, offset: i64) -> Result<(), AppError> {
    let tx = engine.store.begin().await?;
    raw::copy_families(&tx, upto, offset).await?;
    Ok(tx.commit().await?)
}
