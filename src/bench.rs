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
use crate::app::{AppError, Engine};
use crate::domain::family::{ApplicationDraft, DocumentKind, MemberDraft, Relationship, Sex};
use crate::domain::roles::Role;
use crate::store::bench as raw;
use crate::workflow::{Actor, Command};

/// One measured configuration.
#[derive(Clone, Debug)]
pub struct Figures {
    pub mode: &'static str,
    pub workers: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
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
        office: "bench".into(),
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
        .ok_or_else(|| AppError::NotFound("workflow".into()))?;
    let clerk = Actor {
        id: "bench.clerk".into(),
        roles: vec![Role::IntakeClerk],
        district: None,
    };
    let now = Utc::now();
    let application = draft()
        .validate(now.date_naive())
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
    let raw_cases = Arc::new(prepare(engine, max_workers * 8).await?);
    let references = Arc::new(prepare(engine, max_workers * 8).await?);
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
            let (n, lat) = run(
                w,
                Duration::from_secs(seconds),
                raw_cases.clone(),
                move |reference, _| {
                    let store = store.clone();
                    async move {
                        raw::transition(&store, &reference, Utc::now())
                            .await
                            .is_ok()
                    }
                },
            )
            .await;
            raw_rounds.push((
                n as f64 / seconds as f64,
                percentile(&lat, 0.5),
                percentile(&lat, 0.99),
            ));
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
            ));
        }
        for (mode, rounds) in [("raw", &raw_rounds), ("casework", &app_rounds)] {
            let median = |f: fn(&(f64, f64, f64)) -> f64| {
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
    let Some(&base) = sizes.first() else {
        return Ok(Vec::new());
    };
    if raw::max_application_id(&engine.store).await? != 0 {
        return Err(AppError::Invalid(vec![
            crate::domain::family::FieldError::new(
                "DATABASE_URL",
                "the statistics benchmark needs an empty database of its own",
            ),
        ]));
    }
    if let Some(bad) = sizes.iter().find(|s| **s % base != 0 || **s < base) {
        return Err(AppError::Invalid(vec![
            crate::domain::family::FieldError::new(
                "sizes",
                format!("{bad} is not a multiple of the first size {base}"),
            ),
        ]));
    }
    let now = Utc::now();
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
        .ok_or_else(|| AppError::NotFound(engine.settings.default_workflow.clone()))?;
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
    let mut copies: u64 = 1;
    let mut figures = Vec::new();
    for &size in sizes {
        let want = size / base;
        while copies < want {
            let started = Instant::now();
            let max = raw::max_application_id(&engine.store).await?;
            if copies * 2 <= want {
                raw::copy_families(&engine.store, max, max).await?;
                copies *= 2;
            } else {
                raw::copy_families(&engine.store, base_max, max).await?;
                copies += 1;
            }
            progress(&format!(
                "copied: {} families ({:.0} s)",
                copies * base,
                started.elapsed().as_secs_f64()
            ));
        }
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
                raw::naive(&engine.store, route, today, &open, &terminal)
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
