//! How good the forecast has been: the same forecast made 4, 8 and 12
//! weeks ago with the history up to then, each week since compared with
//! the open applications recorded.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::forecast::{BACKTEST_WEEKS, Data, settings, week_start};
use super::simulate::{self, Change, Settings, Week};
use crate::domain::language::Text;
use crate::domain::words::statistics;

/// The open applications recorded at the end of one week against the
/// forecast's band for it.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct BacktestWeek {
    pub week_start: NaiveDate,
    /// Open applications recorded at the end of the week.
    pub recorded: i64,
    pub p10: i64,
    pub p50: i64,
    pub p90: i64,
    /// Whether the recorded figure is inside P10–P90.
    pub inside: bool,
}

/// The forecast made some weeks ago with the history up to then.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct BacktestRun {
    pub weeks_ago: i32,
    /// The first week forecast.
    pub as_of: NaiveDate,
    pub weeks: Vec<BacktestWeek>,
}

/// How good the forecast has been.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Backtest {
    /// Weeks compared (every full week since each as-of date).
    pub points: i64,
    /// Of those, weeks whose recorded figure fell inside P10–P90.
    pub inside: i64,
    /// `inside / points`; none when there was nothing to compare.
    pub coverage: Option<f64>,
    /// The result in one sentence.
    pub summary: Text,
    pub runs: Vec<BacktestRun>,
}

/// The forecasts made `BACKTEST_WEEKS` ago with the history up to then,
/// each week since compared with the open applications recorded.
pub(super) fn backtest_of(data: &Data, seed: u64) -> Backtest {
    let nd = data.districts.len();
    let total = |q: &Vec<Vec<f64>>| q.iter().flatten().sum::<f64>();
    let mut runs = Vec::new();
    for weeks_ago in BACKTEST_WEEKS {
        let as_of = data.this_week - weeks_ago;
        let model = data.model_at(as_of);
        if model
            .weeks
            .iter()
            .all(|w| *w == Week::empty(nd, data.stages.len()))
        {
            continue;
        }
        let start = data.start_at(as_of);
        let outcome = simulate::simulate(
            &model,
            &start,
            &Change::none(nd, data.stages.len()),
            Settings {
                horizon: weeks_ago as u32,
                ..settings(seed, weeks_ago as u32)
            },
        );
        let weeks = outcome
            .band
            .iter()
            .enumerate()
            .map(|(j, band)| {
                let week = as_of + j as i32;
                let recorded = total(&data.families_at(week + 1)).round() as i64;
                let (p10, p90) = (band.p10.floor() as i64, band.p90.ceil() as i64);
                BacktestWeek {
                    week_start: week_start(week),
                    recorded,
                    p10,
                    p50: band.p50.round() as i64,
                    p90,
                    inside: (p10..=p90).contains(&recorded),
                }
            })
            .collect();
        runs.push(BacktestRun {
            weeks_ago,
            as_of: week_start(as_of),
            weeks,
        });
    }
    let points = runs.iter().map(|r| r.weeks.len() as i64).sum::<i64>();
    let inside = runs
        .iter()
        .flat_map(|r| &r.weeks)
        .filter(|w| w.inside)
        .count() as i64;
    let coverage = (points > 0).then(|| inside as f64 / points as f64);
    let percent = coverage.map_or(0, |c| (c * 100.0).round() as i64);
    Backtest {
        points,
        inside,
        coverage,
        summary: match coverage {
            Some(_) => statistics::backtest(inside, points, percent),
            None => statistics::BACKTEST_NO_HISTORY.text(),
        },
        runs,
    }
}
