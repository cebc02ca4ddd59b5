//! The forecast's Monte-Carlo simulation, pure: no store, no clock. It
//! works on weekly aggregates per district and stage, so its cost does not
//! grow with the number of cases.
//!
//! A run starts from what waits in each stage of each district today (the
//! *cohort*) and plays future weeks, each a whole recorded week drawn at
//! random from the history window (a bootstrap of weeks: flows that were
//! high or low together stay together). In a drawn week each stage moves on
//! as many cases as left it that week (scaled for a change of staff), the
//! cohort first (oldest first), the rest after; the cases moved go where
//! cases leaving that stage went in the window; the week's new applications
//! arrive. The cohort has cleared when none of it is left outside the
//! stages that wait on the applicant (a case sent back leaves the cohort:
//! it is the applicant's turn). Cards due that can be issued now clear by
//! the cards handed over in the drawn week. Many runs give the P10, P50 and
//! P90 week of clearance; one seed gives the same answer every time.

/// A small deterministic generator (splitmix64), enough to draw weeks.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        // Multiply-shift: no modulo bias worth speaking of at these sizes.
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
}

/// One recorded week, per district (`[d]`) and stage (`[d][s]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Week {
    /// Cases opened (or imported) into each stage.
    pub arrivals: Vec<Vec<f64>>,
    /// Cases that left each stage.
    pub exits: Vec<Vec<f64>>,
    /// Officers (not the system) who acted on cases in each stage.
    pub officers: Vec<Vec<f64>>,
    /// Cards handed over.
    pub cards: Vec<f64>,
}

impl Week {
    /// A week with nothing in it.
    pub fn empty(districts: usize, stages: usize) -> Week {
        Week {
            arrivals: vec![vec![0.0; stages]; districts],
            exits: vec![vec![0.0; stages]; districts],
            officers: vec![vec![0.0; stages]; districts],
            cards: vec![0.0; districts],
        }
    }
}

/// Where the cases leaving a stage go: another stage, or out (closed).
pub type Routes = Vec<(Option<usize>, f64)>;

/// What the simulation resamples.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub districts: usize,
    pub stages: usize,
    /// Stages where a case waits on the applicant (left out of clearance).
    pub waits_on_applicant: Vec<bool>,
    /// The history window the weeks are drawn from.
    pub weeks: Vec<Week>,
    /// `[d][s]`: shares of the cases leaving a stage by where they went.
    pub routes: Vec<Vec<Routes>>,
    /// `[d][s]`: cases moved on per officer-week in the window (the
    /// province's figure where the district had no officer in that stage).
    pub per_officer: Vec<Vec<f64>>,
}

/// What waits at the start.
#[derive(Clone, Debug, PartialEq)]
pub struct Start {
    /// `[d][s]`: families in each stage.
    pub families: Vec<Vec<f64>>,
    /// `[d][s]`: persons in those families.
    pub persons: Vec<Vec<f64>>,
    /// `[d]`: cards due that can be issued now.
    pub cards: Vec<f64>,
}

/// A change of staff: officers added (negative: taken away) per district
/// and stage, and capacity multiplied (a new office) per district and stage
/// and for the cards handed over.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub officers: Vec<Vec<f64>>,
    pub factor: Vec<Vec<f64>>,
    pub cards: Vec<f64>,
}

impl Change {
    /// No change.
    pub fn none(districts: usize, stages: usize) -> Change {
        Change {
            officers: vec![vec![0.0; stages]; districts],
            factor: vec![vec![1.0; stages]; districts],
            cards: vec![1.0; districts],
        }
    }
}

/// How many runs, from which seed, how far ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub runs: u32,
    pub seed: u64,
    /// Weeks played at most; what has not cleared by then never clears.
    pub horizon: u32,
    /// Weeks of the open-applications band to keep (for the backtest).
    pub band_weeks: u32,
}

/// Weeks until something clears: percentiles over the runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// The week (1 = the first played) by which 10, 50 and 90 % of the
    /// runs had cleared; none when fewer had within the horizon.
    pub p10: Option<u32>,
    pub p50: Option<u32>,
    pub p90: Option<u32>,
    /// Share of runs that did not clear within the horizon.
    pub not_cleared: f64,
}

/// Open families at the end of one played week: percentiles over runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// What the runs found.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub families: Spread,
    pub persons: Spread,
    pub cards: Spread,
    /// `[d]`: each district's families.
    pub districts: Vec<Spread>,
    /// Every open family (cohort and new) after each played week.
    pub band: Vec<Band>,
    /// `[d][s]`: cohort families × weeks waiting in each stage, mean over
    /// runs.
    pub stage_weeks: Vec<Vec<f64>>,
}

impl Outcome {
    /// Cohort families × weeks waiting in each stage, in one district or
    /// in all.
    pub fn waits(&self, district: Option<usize>) -> Vec<f64> {
        let stages = self.stage_weeks.first().map_or(0, Vec::len);
        (0..stages)
            .map(|s| {
                self.stage_weeks
                    .iter()
                    .enumerate()
                    .filter(|(d, _)| district.is_none_or(|x| x == *d))
                    .map(|(_, row)| row[s])
                    .sum()
            })
            .collect()
    }

    /// The stage where the cohort waits longest in all, in one district or
    /// in all (none if nothing waits).
    pub fn bottleneck(&self, district: Option<usize>) -> Option<usize> {
        self.waits(district)
            .iter()
            .enumerate()
            .filter(|(_, w)| **w > 0.0)
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(&a.0)))
            .map(|(s, _)| s)
    }
}

/// Weeks without any of the backlog moving after which a run stops.
const STUCK_WEEKS: u32 = 104;

/// Less than half a family (or person, or card) left counts as none.
const CLEARED: f64 = 0.5;

fn capacity(model: &Model, change: &Change, week: &Week, d: usize, s: usize) -> f64 {
    let exits = week.exits[d][s];
    let officers = week.officers[d][s];
    let added = change.officers[d][s];
    let base = if added == 0.0 {
        exits
    } else if officers > 0.0 {
        exits * ((officers + added).max(0.0) / officers)
    } else {
        exits + added.max(0.0) * model.per_officer[d][s]
    };
    base * change.factor[d][s]
}

fn percentile_weeks(mut weeks: Vec<Option<u32>>, p: f64) -> Option<u32> {
    // Runs that never cleared sort last.
    weeks.sort_by_key(|w| w.unwrap_or(u32::MAX));
    let n = weeks.len();
    if n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    weeks[rank - 1]
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    values[rank - 1]
}

fn spread(weeks: Vec<Option<u32>>) -> Spread {
    let runs = weeks.len().max(1) as f64;
    Spread {
        not_cleared: weeks.iter().filter(|w| w.is_none()).count() as f64 / runs,
        p10: percentile_weeks(weeks.clone(), 0.1),
        p50: percentile_weeks(weeks.clone(), 0.5),
        p90: percentile_weeks(weeks, 0.9),
    }
}

fn left(queues: &[Vec<f64>]) -> f64 {
    queues.iter().flatten().sum()
}

/// Notes the week the families, the persons and the cards cleared.
fn mark(week: u32, queues: [&[Vec<f64>]; 2], cards: &[f64], when: &mut [Option<u32>; 3]) {
    let left = [left(queues[0]), left(queues[1]), cards.iter().sum()];
    for (w, left) in when.iter_mut().zip(left) {
        if w.is_none() && left < CLEARED {
            *w = Some(week);
        }
    }
}

/// Notes the week each district's families cleared.
fn mark_districts(week: u32, cohort: &[Vec<f64>], when: &mut [Option<u32>]) {
    for (w, row) in when.iter_mut().zip(cohort) {
        if w.is_none() && row.iter().sum::<f64>() < CLEARED {
            *w = Some(week);
        }
    }
}

/// Plays `settings.runs` runs from `start` under `change`.
// Districts and stages index several tables at once.
#[allow(clippy::needless_range_loop)]
pub fn simulate(model: &Model, start: &Start, change: &Change, settings: Settings) -> Outcome {
    let (nd, ns) = (model.districts, model.stages);
    let mut cleared: [Vec<Option<u32>>; 3] = Default::default();
    let mut by_district: Vec<Vec<Option<u32>>> = vec![Vec::new(); nd];
    let mut band: Vec<Vec<f64>> = vec![Vec::new(); settings.band_weeks as usize];
    let mut stage_weeks = vec![vec![0.0; ns]; nd];
    let runs = settings.runs.max(1);
    for run in 0..runs {
        // Each run draws from a stream of its own: a run that stops early
        // leaves the next run's draws alone, so two changes compared with
        // one seed see the same weeks (common random numbers).
        let mut rng = Rng::new(settings.seed ^ u64::from(run).wrapping_mul(0xD1B5_4A32_D192_ED03));
        // The run's own history: the window's weeks drawn again (with
        // replacement), so that the runs differ in their level as well as
        // week by week: how fast the province works is itself only known
        // from a few weeks.
        let weeks = model.weeks.len();
        let history: Vec<usize> = (0..weeks).map(|_| rng.below(weeks)).collect();
        // The cohort starts outside the stages that wait on the applicant.
        let mut cohort = start.families.clone();
        let mut persons = start.persons.clone();
        let mut other = vec![vec![0.0; ns]; nd];
        for d in 0..nd {
            for s in 0..ns {
                if model.waits_on_applicant[s] {
                    other[d][s] += cohort[d][s];
                    cohort[d][s] = 0.0;
                    persons[d][s] = 0.0;
                }
            }
        }
        let mut cards = start.cards.clone();
        let mut when: [Option<u32>; 3] = [None; 3];
        let mut district_when: Vec<Option<u32>> = vec![None; nd];
        mark(0, [&cohort, &persons], &cards, &mut when);
        mark_districts(0, &cohort, &mut district_when);
        let mut still = 0;
        let mut last = (left(&cohort), cards.iter().sum::<f64>());
        for week in 1..=settings.horizon {
            if when.iter().all(Option::is_some) && week > settings.band_weeks {
                break;
            }
            // Nothing of today's backlog moved for two years of drawn weeks:
            // what is left will not move (the window has no week in which it
            // would, or one in thousands of draws).
            if model.weeks.is_empty() || (still >= STUCK_WEEKS && week > settings.band_weeks) {
                break;
            }
            let drawn = &model.weeks[history[rng.below(weeks)]];
            for d in 0..nd {
                // Downstream first: a case moved on this week is not moved
                // again by the next stage in the same week.
                for s in (0..ns).rev() {
                    let room = capacity(model, change, drawn, d, s);
                    if room <= 0.0 {
                        continue;
                    }
                    let from_cohort = cohort[d][s].min(room);
                    let from_other = other[d][s].min(room - from_cohort);
                    let moved_persons = if cohort[d][s] > 0.0 {
                        persons[d][s] * from_cohort / cohort[d][s]
                    } else {
                        0.0
                    };
                    cohort[d][s] -= from_cohort;
                    persons[d][s] -= moved_persons;
                    other[d][s] -= from_other;
                    for &(to, share) in &model.routes[d][s] {
                        let Some(to) = to else { continue };
                        if model.waits_on_applicant[to] {
                            other[d][to] += (from_cohort + from_other) * share;
                        } else {
                            cohort[d][to] += from_cohort * share;
                            persons[d][to] += moved_persons * share;
                            other[d][to] += from_other * share;
                        }
                    }
                }
                for s in 0..ns {
                    other[d][s] += drawn.arrivals[d][s];
                }
                cards[d] = (cards[d] - drawn.cards[d] * change.cards[d]).max(0.0);
            }
            for (waits, row) in stage_weeks.iter_mut().zip(&cohort) {
                for (w, c) in waits.iter_mut().zip(row) {
                    *w += c;
                }
            }
            mark(week, [&cohort, &persons], &cards, &mut when);
            mark_districts(week, &cohort, &mut district_when);
            let now = (left(&cohort), cards.iter().sum::<f64>());
            still = if now == last { still + 1 } else { 0 };
            last = now;
            if let Some(slot) = band.get_mut(week as usize - 1) {
                slot.push(left(&cohort) + left(&other));
            }
        }
        for (i, w) in when.iter().enumerate() {
            cleared[i].push(*w);
        }
        for (d, w) in district_when.into_iter().enumerate() {
            by_district[d].push(w);
        }
    }
    let [families, persons, cards] = cleared;
    Outcome {
        families: spread(families),
        persons: spread(persons),
        cards: spread(cards),
        districts: by_district.into_iter().map(spread).collect(),
        band: band
            .into_iter()
            .map(|mut values| Band {
                p10: percentile(&mut values, 0.1),
                p50: percentile(&mut values, 0.5),
                p90: percentile(&mut values, 0.9),
            })
            .collect(),
        stage_weeks: stage_weeks
            .into_iter()
            .map(|row| row.into_iter().map(|w| w / runs as f64).collect())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One district, `stages` stages in a line (each to the next, the last
    /// out), every recorded week the same.
    fn line(stages: usize, exits: &[f64], officers: &[f64], arrivals: f64) -> Model {
        let mut week = Week::empty(1, stages);
        week.exits[0] = exits.to_vec();
        week.officers[0] = officers.to_vec();
        week.arrivals[0][0] = arrivals;
        week.cards[0] = 10.0;
        Model {
            districts: 1,
            stages,
            waits_on_applicant: vec![false; stages],
            weeks: vec![week; 4],
            routes: vec![
                (0..stages)
                    .map(|s| vec![(if s + 1 < stages { Some(s + 1) } else { None }, 1.0)])
                    .collect(),
            ],
            per_officer: vec![
                exits
                    .iter()
                    .zip(officers)
                    .map(|(e, o)| if *o > 0.0 { e / o } else { 0.0 })
                    .collect(),
            ],
        }
    }

    fn start(families: &[f64], cards: f64) -> Start {
        Start {
            families: vec![families.to_vec()],
            persons: vec![families.iter().map(|f| f * 4.0).collect()],
            cards: vec![cards],
        }
    }

    fn settings(seed: u64) -> Settings {
        Settings {
            runs: 50,
            seed,
            horizon: 520,
            band_weeks: 4,
        }
    }

    fn check(model: &Model, start: &Start, change: &Change, expected: [Option<u32>; 3]) {
        let o = simulate(model, start, change, settings(7));
        let got = [o.families.p50, o.persons.p50, o.cards.p50];
        assert_eq!(got, expected, "{o:?}");
    }

    #[test]
    fn the_generator_is_the_same_for_a_seed_and_differs_between_seeds() {
        let draw = |seed| {
            let mut r = Rng::new(seed);
            (0..5).map(|_| r.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
        assert!(draw(3).iter().all(|x| *x < 1000));
    }

    #[test]
    fn a_constant_flow_clears_on_an_exactly_known_week() {
        // 100 families in one stage, 10 leave a week: week 10, whatever the
        // draw; 95 cards at 10 a week: week 10 (5 left after week 9).
        let model = line(1, &[10.0], &[2.0], 7.0);
        let change = Change::none(1, 1);
        check(
            &model,
            &start(&[100.0], 95.0),
            &change,
            [Some(10), Some(10), Some(10)],
        );
        let o = simulate(&model, &start(&[100.0], 95.0), &change, settings(1));
        assert_eq!(
            (o.families.p10, o.families.p90, o.families.not_cleared),
            (Some(10), Some(10), 0.0)
        );
        // Two stages in a line: 30 in each, 10 a week out of each. The
        // second stage empties its own 30 in 3 weeks, then takes the
        // first's, which arrive 10 a week from week 1 on: week 6.
        let model = line(2, &[10.0, 10.0], &[1.0, 1.0], 0.0);
        check(
            &model,
            &start(&[30.0, 30.0], 0.0),
            &Change::none(1, 2),
            [Some(6), Some(6), Some(0)],
        );
    }

    #[test]
    fn new_applications_wait_behind_the_cohort() {
        // Arrivals of 50 a week change nothing for today's 100.
        let quiet = line(1, &[10.0], &[1.0], 0.0);
        let busy = line(1, &[10.0], &[1.0], 50.0);
        let s = start(&[100.0], 0.0);
        let a = simulate(&quiet, &s, &Change::none(1, 1), settings(3));
        let b = simulate(&busy, &s, &Change::none(1, 1), settings(3));
        assert_eq!(a.families, b.families);
        // But the open applications grow by 40 a week.
        assert_eq!(a.band[3].p50, 60.0);
        assert_eq!(b.band[3].p50, 100.0 + 4.0 * 40.0);
    }

    #[test]
    fn zero_throughput_never_clears_and_says_so() {
        let model = line(1, &[0.0], &[0.0], 3.0);
        let mut dead = model.clone();
        dead.weeks.iter_mut().for_each(|w| w.cards[0] = 0.0);
        let o = simulate(&dead, &start(&[5.0], 2.0), &Change::none(1, 1), settings(1));
        assert_eq!(
            (o.families.p10, o.families.p50, o.families.p90),
            (None, None, None)
        );
        assert_eq!(o.families.not_cleared, 1.0);
        assert_eq!(o.cards.p50, None);
        assert_eq!(o.bottleneck(None), Some(0));
        // Nothing waiting has cleared at once.
        let o = simulate(&dead, &start(&[0.0], 0.0), &Change::none(1, 1), settings(1));
        assert_eq!(o.families.p50, Some(0));
        assert_eq!(o.bottleneck(None), None);
    }

    #[test]
    fn more_capacity_is_never_later_and_less_never_sooner() {
        // Weeks that differ, so the draw matters.
        let mut model = line(3, &[10.0, 6.0, 8.0], &[2.0, 3.0, 1.0], 5.0);
        for (i, w) in model.weeks.iter_mut().enumerate() {
            w.exits[0][1] = 2.0 + 3.0 * i as f64;
            w.officers[0][1] = 1.0 + (i % 2) as f64;
        }
        let s = start(&[40.0, 90.0, 20.0], 50.0);
        let p50 = |added: f64| {
            let mut change = Change::none(1, 3);
            change.officers[0][1] = added;
            let o = simulate(&model, &s, &change, settings(11));
            (
                o.families.p10.unwrap_or(u32::MAX),
                o.families.p50.unwrap_or(u32::MAX),
                o.families.p90.unwrap_or(u32::MAX),
            )
        };
        let mut before = p50(-2.0);
        for added in [-1.0, 0.0, 1.0, 2.0, 5.0, 20.0] {
            let now = p50(added);
            assert!(
                now.0 <= before.0 && now.1 <= before.1 && now.2 <= before.2,
                "{added}: {now:?} after {before:?}"
            );
            before = now;
        }
        assert!(
            p50(5.0).1 < p50(0.0).1,
            "five more officers at the slowest stage help"
        );
        // The runs see the same weeks whatever the change: the cards, which
        // no officer of this stage hands over, clear on the same weeks.
        let cards = |added: f64| {
            let mut change = Change::none(1, 3);
            change.officers[0][1] = added;
            simulate(&model, &s, &change, settings(11)).cards
        };
        assert_eq!(cards(-3.0), cards(20.0));
        // With every officer of the stage taken away it never clears.
        assert_eq!(p50(-3.0).1, u32::MAX);
    }

    #[test]
    fn the_bottleneck_moves_when_its_stage_gets_help() {
        let model = line(2, &[2.0, 10.0], &[1.0, 1.0], 0.0);
        let s = start(&[20.0, 20.0], 0.0);
        let before = simulate(&model, &s, &Change::none(1, 2), settings(5));
        assert_eq!(before.bottleneck(None), Some(0));
        let mut change = Change::none(1, 2);
        change.officers[0][0] = 9.0;
        let after = simulate(&model, &s, &change, settings(5));
        assert!(after.families.p50 < before.families.p50);
        assert_eq!(after.bottleneck(None), Some(1));
    }

    #[test]
    fn a_case_sent_back_leaves_the_cohort() {
        // Half of those leaving stage 0 go to stage 1, which waits on the
        // applicant and never moves: the cohort still clears.
        let mut model = line(2, &[10.0, 0.0], &[1.0, 0.0], 0.0);
        model.waits_on_applicant = vec![false, true];
        model.routes[0][0] = vec![(Some(1), 0.5), (None, 0.5)];
        let o = simulate(
            &model,
            &start(&[50.0, 7.0], 0.0),
            &Change::none(1, 2),
            settings(2),
        );
        assert_eq!(o.families.p50, Some(5));
        // The open applications keep those sent back: 7 + 25.
        assert_eq!(o.band[3].p50, 7.0 + 10.0 + 20.0);
    }

    #[test]
    fn one_seed_gives_one_answer() {
        let mut model = line(2, &[4.0, 5.0], &[1.0, 1.0], 2.0);
        model.weeks[1].exits[0][0] = 12.0;
        model.weeks[2].exits[0][1] = 1.0;
        let s = start(&[60.0, 10.0], 30.0);
        let a = simulate(&model, &s, &Change::none(1, 2), settings(42));
        let b = simulate(&model, &s, &Change::none(1, 2), settings(42));
        assert_eq!(a, b);
    }
}
