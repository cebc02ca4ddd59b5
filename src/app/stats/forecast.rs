//! When today's backlog clears, how sure that is, and what a change of
//! staff would do: the history read once (the weekly moves of cases out of
//! each stage per district and officer, one grouped query over the audit
//! events; the queues, cards due and cards handed over from the tallies),
//! turned into the weekly aggregates [`simulate`] resamples, and today's
//! forecast (its backtest is in [`super::backtest`], the what-if in
//! [`super::what_if`]).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::backtest::{Backtest, backtest_of};
use super::scope::{Applied, Scope};
use super::simulate::{self, Change, Model, Outcome, Settings, Spread, Start, Week};
use crate::app::{AppError, Engine};
use crate::domain::language::Text;
use crate::domain::words::statistics;
use crate::store::moves::{MoveCount, MoveRead, weekly_moves};
use crate::store::tallies::{self, ABROAD, Read, from_day_number, kind};
use crate::workflow::Actor;
use crate::workflow::definition::CardStage;

/// Full weeks of history each forecast resamples.
pub const HISTORY_WEEKS: i32 = 12;
/// How far back the backtest makes its forecasts, in weeks.
pub const BACKTEST_WEEKS: [i32; 3] = [4, 8, 12];
/// Runs of the simulation, and the seed when none is asked for.
pub const RUNS: u32 = 500;
pub const DEFAULT_SEED: u64 = 2011;
/// Weeks played at most (ten years): what has not cleared by then is
/// reported as not clearing.
pub const HORIZON_WEEKS: u32 = 520;

/// When one backlog clears.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Clearance {
    /// What is waiting today.
    pub backlog: i64,
    /// The day by which it has cleared in 10, 50 and 90 % of the runs;
    /// none when fewer runs cleared it within ten years.
    pub p10: Option<NaiveDate>,
    pub p50: Option<NaiveDate>,
    pub p90: Option<NaiveDate>,
    /// Share of the runs in which it had not cleared after ten years.
    pub not_cleared_share: f64,
}

/// The stage where today's backlog waits longest.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct StageWait {
    pub state: String,
    pub state_label: Text,
    /// Families × weeks the backlog waits in this stage, mean over runs.
    pub family_weeks: f64,
}

/// One forecast's answer.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Outlook {
    /// Open applications, outside the stages that wait on the applicant.
    pub families: Clearance,
    /// Persons in those applications.
    pub persons: Clearance,
    /// Cards due that can be issued now: members present and of card age,
    /// not yet handed their card.
    pub cards: Clearance,
    /// The stage the backlog waits in longest.
    pub bottleneck: Option<StageWait>,
    /// The open applications of the district a what-if changes (none for
    /// the forecast).
    pub district: Option<Clearance>,
    /// The stage that district's backlog waits in longest.
    pub district_bottleneck: Option<StageWait>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Forecast {
    pub filter: Applied,
    /// How the forecast is made, in Arabic and English.
    pub method: Text,
    pub seed: u64,
    pub runs: u32,
    /// Full weeks of history resampled.
    pub history_weeks: i32,
    /// Open applications, outside the stages that wait on the applicant.
    pub families: Clearance,
    pub persons: Clearance,
    /// Cards due that can be issued now.
    pub cards: Clearance,
    pub bottleneck: Option<StageWait>,
    /// Families waiting on the applicant today (sent back), left out.
    pub waiting_on_applicant: i64,
    pub backtest: Backtest,
}

// ------------------------------------------------------------ the data --

/// Everything the forecasts are made from, read once.
pub(super) struct Data {
    pub(super) stages: Vec<String>,
    pub(super) districts: Vec<String>,
    pub(super) waits_on_applicant: Vec<bool>,
    pub(super) moves: Vec<MoveCount>,
    /// `[d][s]` today.
    pub(super) families: Vec<Vec<f64>>,
    pub(super) persons: Vec<Vec<f64>>,
    /// `[d]` cards due that can be issued now.
    pub(super) cards_due: Vec<f64>,
    /// Cards handed over per (week, district).
    pub(super) cards_weekly: HashMap<(i32, usize), f64>,
    pub(super) this_week: i32,
    pub(super) today: NaiveDate,
}

fn week_of(day: i32) -> i32 {
    (day - 3).div_euclid(7)
}

pub(super) fn week_start(week: i32) -> NaiveDate {
    from_day_number(week * 7 + 3)
}

impl Data {
    pub(super) fn stage(&self, name: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == name)
    }

    pub(super) fn district(&self, code: &str) -> Option<usize> {
        self.districts.iter().position(|d| d == code)
    }

    /// The weekly aggregates of the `HISTORY_WEEKS` full weeks before
    /// `week`.
    pub(super) fn model_at(&self, week: i32) -> Model {
        let (nd, ns) = (self.districts.len(), self.stages.len());
        let first = week - HISTORY_WEEKS;
        let mut weeks = vec![Week::empty(nd, ns); HISTORY_WEEKS as usize];
        let mut officers: HashSet<(i32, usize, usize, &str)> = HashSet::new();
        // [d][s] -> destination (None: closed) -> cases.
        let mut routes: Vec<Vec<HashMap<Option<usize>, f64>>> = vec![vec![HashMap::new(); ns]; nd];
        let system = Actor::system().id;
        for m in &self.moves {
            if m.week < first || m.week >= week {
                continue;
            }
            let Some(d) = self.district(&m.district) else {
                continue;
            };
            let w = &mut weeks[(m.week - first) as usize];
            let events = m.events as f64;
            let to = self.stage(&m.to_state);
            match self.stage(&m.from_state) {
                None if m.from_state.is_empty() => {
                    if let Some(t) = to {
                        w.arrivals[d][t] += events;
                    }
                }
                None => {}
                Some(s) => {
                    if m.actor != system && officers.insert((m.week, d, s, &m.actor)) {
                        w.officers[d][s] += 1.0;
                    }
                    if m.to_state != m.from_state {
                        w.exits[d][s] += events;
                        *routes[d][s].entry(to).or_default() += events;
                    }
                }
            }
        }
        for (i, w) in weeks.iter_mut().enumerate() {
            for d in 0..nd {
                w.cards[d] = self
                    .cards_weekly
                    .get(&(first + i as i32, d))
                    .copied()
                    .unwrap_or(0.0);
            }
        }
        // Where a district saw no case leave a stage, the province's routes.
        let mut province: Vec<HashMap<Option<usize>, f64>> = vec![HashMap::new(); ns];
        for by_stage in &routes {
            for (s, r) in by_stage.iter().enumerate() {
                for (to, n) in r {
                    *province[s].entry(*to).or_default() += n;
                }
            }
        }
        let shares = |r: &HashMap<Option<usize>, f64>| -> simulate::Routes {
            let total: f64 = r.values().sum();
            let mut out: simulate::Routes = r.iter().map(|(to, n)| (*to, n / total)).collect();
            out.sort_by_key(|(to, _)| to.map_or(usize::MAX, |t| t));
            out
        };
        let routes = routes
            .iter()
            .map(|by_stage| {
                by_stage
                    .iter()
                    .enumerate()
                    .map(|(s, r)| shares(if r.is_empty() { &province[s] } else { r }))
                    .collect()
            })
            .collect();
        let sum = |f: &dyn Fn(&Week) -> f64| weeks.iter().map(f).sum::<f64>();
        let per_officer = (0..nd)
            .map(|d| {
                (0..ns)
                    .map(|s| {
                        let officers = sum(&|w| w.officers[d][s]);
                        if officers > 0.0 {
                            return sum(&|w| w.exits[d][s]) / officers;
                        }
                        let officers: f64 = (0..nd).map(|d| sum(&|w| w.officers[d][s])).sum();
                        let exits: f64 = (0..nd).map(|d| sum(&|w| w.exits[d][s])).sum();
                        if officers > 0.0 {
                            exits / officers
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        Model {
            districts: nd,
            stages: ns,
            waits_on_applicant: self.waits_on_applicant.clone(),
            weeks,
            routes,
            per_officer,
        }
    }

    /// The families in each stage when `week` began (today's for this
    /// week): today's queues with the moves since taken back.
    pub(super) fn families_at(&self, week: i32) -> Vec<Vec<f64>> {
        let mut families = self.families.clone();
        if week >= self.this_week {
            return families;
        }
        for m in &self.moves {
            if m.week < week || m.from_state == m.to_state {
                continue;
            }
            let Some(d) = self.district(&m.district) else {
                continue;
            };
            if let Some(s) = self.stage(&m.to_state) {
                families[d][s] -= m.events as f64;
            }
            if let Some(s) = self.stage(&m.from_state) {
                families[d][s] += m.events as f64;
            }
        }
        for row in &mut families {
            for f in row {
                *f = f.max(0.0);
            }
        }
        families
    }

    pub(super) fn start_at(&self, week: i32) -> Start {
        let families = self.families_at(week);
        let persons = if week >= self.this_week {
            self.persons.clone()
        } else {
            families
                .iter()
                .zip(&self.families)
                .zip(&self.persons)
                .map(|((then, now), persons)| {
                    then.iter()
                        .zip(now)
                        .zip(persons)
                        .map(|((then, now), p)| if *now > 0.0 { then * p / now } else { *then })
                        .collect()
                })
                .collect()
        };
        Start {
            families,
            persons,
            cards: self.cards_due.clone(),
        }
    }

    /// The date a clearance week stands for: the last day of the `n`th
    /// week played from this week (today for 0).
    fn date(&self, weeks: Option<u32>) -> Option<NaiveDate> {
        match weeks? {
            0 => Some(self.today),
            n => week_start(self.this_week).checked_add_signed(Duration::days(7 * n as i64 - 1)),
        }
    }

    fn clearance(&self, backlog: f64, spread: Spread) -> Clearance {
        Clearance {
            backlog: backlog.round() as i64,
            p10: self.date(spread.p10),
            p50: self.date(spread.p50),
            p90: self.date(spread.p90),
            not_cleared_share: spread.not_cleared,
        }
    }

    fn stage_wait(
        &self,
        scope: &Scope,
        outcome: &Outcome,
        district: Option<usize>,
    ) -> Option<StageWait> {
        let s = outcome.bottleneck(district)?;
        Some(StageWait {
            state: self.stages[s].clone(),
            state_label: scope.label(&self.stages[s]),
            family_weeks: (outcome.waits(district)[s] * 10.0).round() / 10.0,
        })
    }

    pub(super) fn outlook(
        &self,
        scope: &Scope,
        start: &Start,
        outcome: &Outcome,
        district: Option<usize>,
    ) -> Outlook {
        let outside = |q: &Vec<Vec<f64>>| -> f64 {
            q.iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .filter(|(s, _)| !self.waits_on_applicant[*s])
                        .map(|(_, v)| v)
                        .sum::<f64>()
                })
                .sum()
        };
        Outlook {
            families: self.clearance(outside(&start.families), outcome.families),
            persons: self.clearance(outside(&start.persons), outcome.persons),
            cards: self.clearance(start.cards.iter().sum(), outcome.cards),
            bottleneck: self.stage_wait(scope, outcome, None),
            district_bottleneck: district.and_then(|d| self.stage_wait(scope, outcome, Some(d))),
            district: district.and_then(|d| {
                let waiting: f64 = start.families[d]
                    .iter()
                    .enumerate()
                    .filter(|(s, _)| !self.waits_on_applicant[*s])
                    .map(|(_, v)| v)
                    .sum();
                Some(self.clearance(waiting, *outcome.districts.get(d)?))
            }),
        }
    }
}

/// Reads the history and today's queues for `scope`.
pub(super) async fn data(engine: &Engine, scope: &Scope) -> Result<Data, AppError> {
    let this_week = week_of(scope.today);
    let stages: Vec<String> = scope.open_states();
    let waits_on_applicant = stages
        .iter()
        .map(|s| scope.workflow.state(s).is_some_and(|d| d.pauses_clock))
        .collect();
    let mut districts: Vec<String> = match &scope.applied.district {
        Some(d) => vec![d.clone()],
        None => engine
            .places
            .districts()
            .iter()
            .map(|d| d.code.clone())
            .collect(),
    };
    let oldest = this_week - HISTORY_WEEKS - BACKTEST_WEEKS.iter().max().copied().unwrap_or(0);
    let moves = weekly_moves(
        &engine.store,
        &MoveRead {
            workflow: scope.workflow.name.clone(),
            district: scope.applied.district.clone(),
            office: scope.applied.office.clone(),
            since_day: oldest * 7 + 3,
        },
    )
    .await?;
    let queues = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::STATE, stages.clone())],
            group_name: true,
            group_district: true,
            ..scope.read()
        },
    )
    .await?;
    let members = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::MEMBER, vec![])],
            group_name: true,
            group_district: true,
            group_tag: true,
            ..scope.read()
        },
    )
    .await?;
    let collected = tallies::sums(
        &engine.store,
        &Read {
            kinds: scope.kinds(vec![(kind::MEMBER_ENTERED, Some(scope.collected_states()))]),
            group_district: true,
            group_week: true,
            ..scope.read()
        },
    )
    .await?;
    // A district on record that the places file no longer names still counts.
    for code in queues
        .iter()
        .map(|q| &q.district)
        .chain(moves.iter().map(|m| &m.district))
    {
        if !districts.contains(code) {
            districts.push(code.clone());
        }
    }
    // Districts with nothing on record cost the simulation and change nothing.
    districts.retain(|code| {
        queues
            .iter()
            .any(|q| q.district == *code && q.families != 0)
            || moves.iter().any(|m| m.district == *code)
    });
    let (nd, ns) = (districts.len(), stages.len());
    let at = |code: &str| districts.iter().position(|d| d == code);
    let mut families = vec![vec![0.0; ns]; nd];
    let mut persons = vec![vec![0.0; ns]; nd];
    for q in &queues {
        if let (Some(d), Some(s)) = (at(&q.district), stages.iter().position(|s| *s == q.name)) {
            families[d][s] += q.families as f64;
            persons[d][s] += q.persons as f64;
        }
    }
    let mut cards_due = vec![0.0; nd];
    for m in &members {
        let issuable = matches!(
            scope.workflow.card_stage(&m.name),
            Some(CardStage::AwaitingAppearance | CardStage::InProduction | CardStage::Ready)
        );
        if let Some(d) = at(&m.district)
            && issuable
            && m.tag != ABROAD
        {
            cards_due[d] += m.persons as f64;
        }
    }
    let mut cards_weekly = HashMap::new();
    for c in &collected {
        if let Some(d) = at(&c.district) {
            *cards_weekly.entry((c.day, d)).or_insert(0.0) += c.persons as f64;
        }
    }
    Ok(Data {
        stages,
        districts,
        waits_on_applicant,
        moves,
        families,
        persons,
        cards_due,
        cards_weekly,
        this_week,
        today: from_day_number(scope.today),
    })
}

// ------------------------------------------------------------ forecast --

pub(super) fn settings(seed: u64, band_weeks: u32) -> Settings {
    Settings {
        runs: RUNS,
        seed,
        horizon: HORIZON_WEEKS,
        band_weeks,
    }
}

/// Today's forecast with its backtest.
pub async fn forecast(engine: &Engine, scope: &Scope) -> Result<Forecast, AppError> {
    Ok(forecast_of(
        scope,
        &data(engine, scope).await?,
        DEFAULT_SEED,
    ))
}

pub(super) fn forecast_of(scope: &Scope, data: &Data, seed: u64) -> Forecast {
    let model = data.model_at(data.this_week);
    let start = data.start_at(data.this_week);
    let nd = data.districts.len();
    let outcome = simulate::simulate(
        &model,
        &start,
        &Change::none(nd, data.stages.len()),
        settings(seed, 0),
    );
    let outlook = data.outlook(scope, &start, &outcome, None);
    let waiting: f64 = start
        .families
        .iter()
        .flat_map(|row| {
            row.iter()
                .enumerate()
                .filter(|(s, _)| data.waits_on_applicant[*s])
                .map(|(_, v)| *v)
        })
        .sum();
    Forecast {
        filter: scope.applied.clone(),
        method: statistics::forecast_method(RUNS, HISTORY_WEEKS),
        seed,
        runs: RUNS,
        history_weeks: HISTORY_WEEKS,
        families: outlook.families,
        persons: outlook.persons,
        cards: outlook.cards,
        bottleneck: outlook.bottleneck,
        waiting_on_applicant: waiting.round() as i64,
        backtest: backtest_of(data, seed),
    }
}
