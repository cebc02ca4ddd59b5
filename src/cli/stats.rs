//! `casework stats check|rebuild`: the statistics' tallies compared with,
//! or replaced by, a recount from the raw rows; `stats backtest` and
//! `stats what-if`: the forecast's backtest and the staffing what-if,
//! printed with how long each took.

use std::process::ExitCode;
use std::time::Instant;

use super::{StatsCommand, engine};
use crate::config::Settings;

/// Checks or rebuilds the tallies; `check` exits with 1 when one differs.
pub(super) async fn run(settings: &Settings, command: StatsCommand) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    let started = Instant::now();
    match command {
        StatsCommand::Check => {
            let differences = crate::app::stats::check(&engine).await?;
            if differences.is_empty() {
                println!(
                    "ok: every tally equals a recount from the raw rows ({:.1} s)",
                    started.elapsed().as_secs_f64()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for d in &differences {
                    println!("{d}");
                }
                println!("{} tallies differ from a recount", differences.len());
                Ok(ExitCode::FAILURE)
            }
        }
        StatsCommand::Backtest { workflow } => {
            let scope = scope(&engine, workflow)?;
            let forecast = crate::app::stats::forecast(&engine, &scope).await?;
            let took = started.elapsed().as_secs_f64();
            let b = &forecast.backtest;
            for run in &b.runs {
                let inside = run.weeks.iter().filter(|w| w.inside).count();
                println!(
                    "as of {} ({} weeks ago): {inside} of {} weeks inside P10-P90",
                    run.as_of,
                    run.weeks_ago,
                    run.weeks.len()
                );
                for w in &run.weeks {
                    println!(
                        "  week of {}: recorded {} open, band {}-{} (P50 {}){}",
                        w.week_start,
                        w.recorded,
                        w.p10,
                        w.p90,
                        w.p50,
                        if w.inside { "" } else { "  outside" }
                    );
                }
            }
            println!(
                "today: {}",
                outlook_line(&forecast.families, &forecast.persons, &forecast.cards)
            );
            match b.coverage {
                Some(c) => println!(
                    "backtest coverage: {} of {} weeks inside P10-P90 ({:.0} %), forecast and backtest in {took:.2} s",
                    b.inside,
                    b.points,
                    c * 100.0
                ),
                None => println!("backtest coverage: not enough history ({took:.2} s)"),
            }
            Ok(ExitCode::SUCCESS)
        }
        StatsCommand::WhatIf {
            role,
            district,
            add,
            card_offices,
            seed,
            workflow,
        } => {
            let scope = scope(&engine, workflow)?;
            let query = crate::app::stats::WhatIfQuery {
                role,
                district,
                add,
                card_offices,
                seed,
            };
            let w = crate::app::stats::what_if(&engine, &scope, &query).await?;
            let took = started.elapsed().as_secs_f64();
            println!("change: {}", w.change.en);
            let b = &w.baseline;
            let s = &w.scenario;
            println!(
                "as things are: {}",
                outlook_line(&b.families, &b.persons, &b.cards)
            );
            println!(
                "with the change: {}",
                outlook_line(&s.families, &s.persons, &s.cards)
            );
            let name = |o: &crate::app::stats::Outlook| {
                o.bottleneck
                    .as_ref()
                    .map_or("none".to_string(), |s| s.state.clone())
            };
            println!("bottleneck: {} -> {}", name(b), name(s));
            let district = |o: &crate::app::stats::Outlook| {
                o.district_bottleneck
                    .as_ref()
                    .map_or("none".to_string(), |s| s.state.clone())
            };
            println!(
                "the district's bottleneck: {} -> {}",
                district(b),
                district(s)
            );
            if let (Some(before), Some(after)) = (&b.district, &s.district) {
                let day =
                    |d: Option<chrono::NaiveDate>| d.map_or("never".to_string(), |d| d.to_string());
                println!(
                    "the district's {} families: P50 {} -> {}, P90 {} -> {}",
                    before.backlog,
                    day(before.p50),
                    day(after.p50),
                    day(before.p90),
                    day(after.p90)
                );
            }
            println!("what-if answered in {took:.2} s");
            Ok(ExitCode::SUCCESS)
        }
        StatsCommand::Rebuild => {
            let rows = crate::app::stats::rebuild(&engine).await?;
            println!(
                "rebuilt {rows} tally rows from the raw rows ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The whole province's statistics as leadership reads them.
fn scope(
    engine: &crate::app::Engine,
    workflow: Option<String>,
) -> anyhow::Result<crate::app::stats::Scope> {
    let leadership = crate::workflow::Actor {
        id: "cli".into(),
        roles: vec![crate::domain::roles::Role::Leadership],
        district: None,
    };
    let query = crate::app::stats::StatsQuery {
        workflow,
        ..Default::default()
    };
    let today = crate::workflow::machine::local_date(chrono::Utc::now());
    Ok(crate::app::stats::scope(
        engine,
        &leadership,
        &query,
        today,
    )?)
}

fn outlook_line(
    families: &crate::app::stats::Clearance,
    persons: &crate::app::stats::Clearance,
    cards: &crate::app::stats::Clearance,
) -> String {
    let day = |d: Option<chrono::NaiveDate>| d.map_or("never".to_string(), |d| d.to_string());
    [
        ("families", families),
        ("persons", persons),
        ("cards", cards),
    ]
    .iter()
    .map(|(name, c)| {
        format!(
            "{name} {} clear P10 {} P50 {} P90 {}",
            c.backlog,
            day(c.p10),
            day(c.p50),
            day(c.p90)
        )
    })
    .collect::<Vec<_>>()
    .join("; ")
}
