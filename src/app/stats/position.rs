//! Statistics for ministry leadership and supervisors: counts only, never a
//! name. Every figure is read from the tallies (`store::tallies`), whose size
//! does not grow with the number of cases.
//!
//! The date range applies to flows (applications received, persons
//! registered, cards collected, cases closed, officers' actions, weekly
//! throughput); the backlog, ageing, SLA breaches and cards still due are the
//! position today.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::{AppError, Engine};
use crate::domain::roles::Role;
use crate::store::tallies::{self, ABROAD, Filter, Read, Sum, day_number, from_day_number, kind};
use crate::workflow::definition::{Labels, Workflow};
use crate::workflow::{Actor, Refusal};

/// Member states that mean "entered in the civil registry".
pub const REGISTERED_STATES: &[&str] = &[
    "registered",
    "card_due",
    "awaiting_appearance",
    "biometrics_taken",
    "printed",
    "collected",
];
/// A card due at the card age (the member is under it).
pub const UNDER_AGE: &str = "card_due";
/// Waiting for the member to come in person.
pub const AWAITING: &str = "awaiting_appearance";
/// Photographed or printed, not yet handed over.
pub const IN_PRODUCTION: &[&str] = &["biometrics_taken", "printed"];
/// The card handed over.
pub const COLLECTED: &str = "collected";
/// The application state of a finished case.
pub const COMPLETED: &str = "completed";

/// The ageing buckets: days in the current state, inclusive bounds.
pub const AGE_BUCKETS: &[(i32, Option<i32>, &str)] = &[
    (0, Some(7), "0-7"),
    (8, Some(30), "8-30"),
    (31, Some(90), "31-90"),
    (91, Some(180), "91-180"),
    (181, None, "181+"),
];

/// What a statistics read asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsQuery {
    pub district: Option<String>,
    pub office: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The filter as applied (the caller's district imposed).
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Applied {
    pub district: Option<String>,
    pub office: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The day the position is read on (Damascus time).
    pub as_of: NaiveDate,
}

/// A read with its filter and workflow vocabulary.
pub struct Scope {
    pub applied: Applied,
    filter: Filter,
    pub workflow: Arc<Workflow>,
    today: i32,
}

impl Scope {
    fn read(&self) -> Read {
        Read {
            filter: self.filter.clone(),
            ..Read::default()
        }
    }

    fn open_states(&self) -> Vec<String> {
        self.workflow
            .states
            .iter()
            .filter(|s| !s.terminal)
            .map(|s| s.name.clone())
            .collect()
    }

    fn terminal_states(&self) -> Vec<String> {
        self.workflow
            .states
            .iter()
            .filter(|s| s.terminal)
            .map(|s| s.name.clone())
            .collect()
    }

    fn is_open(&self, state: &str) -> bool {
        self.workflow.state(state).is_none_or(|s| !s.terminal)
    }

    /// A state's labels (the name itself for a state of an older version).
    pub fn label(&self, state: &str) -> Labels {
        self.workflow.state(state).map_or_else(
            || Labels {
                ar: state.to_string(),
                en: state.to_string(),
            },
            |s| s.labels.clone(),
        )
    }

    fn order(&self, state: &str) -> usize {
        self.workflow
            .states
            .iter()
            .position(|s| s.name == state)
            .unwrap_or(usize::MAX)
    }
}

/// Checks the caller may read statistics and fixes the filter: leadership
/// and supervisors only; a caller bound to a district sees that district.
pub fn scope(
    engine: &Engine,
    actor: &Actor,
    query: &StatsQuery,
    today: NaiveDate,
) -> Result<Scope, AppError> {
    if !actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Leadership | Role::Supervisor))
    {
        return Err(AppError::Refused(Refusal::RoleNotAllowed {
            action: "read_statistics".into(),
            roles: vec![Role::Leadership.to_string(), Role::Supervisor.to_string()],
        }));
    }
    let district = match (&actor.district, &query.district) {
        (Some(own), Some(asked)) if own != asked => {
            return Err(AppError::Refused(Refusal::OutsideDistrict {
                district: asked.clone(),
            }));
        }
        (Some(own), _) => Some(own.clone()),
        (None, asked) => asked.clone(),
    };
    for (name, day) in [("from", query.from), ("to", query.to)] {
        if day.is_some_and(|d| !(1900..=2200).contains(&d.year())) {
            return Err(AppError::Invalid(vec![
                crate::domain::family::FieldError::new(
                    name,
                    "must be a day between the years 1900 and 2200",
                ),
            ]));
        }
    }
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(AppError::Invalid(vec![
            crate::domain::family::FieldError::new("from", "must not be after 'to'"),
        ]));
    }
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .ok_or_else(|| AppError::NotFound(engine.settings.default_workflow.clone()))?;
    let filter = Filter {
        district: district.clone(),
        office: query.office.clone(),
        from_day: query.from.map(day_number),
        to_day: query.to.map(day_number),
    };
    Ok(Scope {
        applied: Applied {
            district,
            office: query.office.clone(),
            from: query.from,
            to: query.to,
            as_of: today,
        },
        filter,
        workflow,
        today: day_number(today),
    })
}

// ------------------------------------------------------- check, rebuild --

/// Compares the stored tallies with a recount from the raw rows; returns
/// one line per difference (empty when they agree).
pub async fn check(engine: &Engine) -> Result<Vec<String>, AppError> {
    let stored = tallies::stored(&engine.store).await?;
    let recount = tallies::recount(&engine.store).await?;
    let mut differences = tallies::differences(&stored, &recount);
    // The agency portal's counts against its access log.
    let log = crate::store::agencies::recount(&engine.store).await?;
    let (first, last) = match (log.first(), log.last()) {
        (Some(f), Some(l)) => (f.day, l.day),
        _ => (
            chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
            chrono::NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or_default(),
        ),
    };
    let kept = crate::store::agencies::tallies(&engine.store, first, last).await?;
    if kept != log {
        differences.push(format!(
            "agency portal: the tallies hold {} persons asked about, the access log {}",
            kept.iter().map(|t| t.count).sum::<i64>(),
            log.iter().map(|t| t.count).sum::<i64>()
        ));
    }
    Ok(differences)
}

/// Replaces the stored tallies with a recount; returns the rows written.
pub async fn rebuild(engine: &Engine) -> Result<usize, AppError> {
    let recount = tallies::recount(&engine.store).await?;
    let rows = recount.rows().filter(|(_, v)| **v != (0, 0)).count();
    let tx = engine.store.begin().await?;
    tallies::replace_all(&tx, recount).await?;
    tx.commit().await?;
    Ok(rows)
}

// ------------------------------------------------------------ headline --

/// Cards still due, by why they are not yet handed over.
#[derive(Clone, Debug, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct CardsDue {
    pub total: i64,
    /// Members under the card age: due on their birthday.
    pub under_age: i64,
    /// Members abroad, who must come in person.
    pub abroad: i64,
    /// Members in the country who have not yet come in person.
    pub awaiting_appearance: i64,
    /// Photographed or printed, not yet handed over.
    pub in_production: i64,
}

/// The headline figures.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Headline {
    pub filter: Applied,
    /// Applications (families) received — in the date range when one is given.
    pub applications_received: i64,
    /// Persons those applications cover.
    pub persons_covered: i64,
    /// Persons entered in the civil registry.
    pub persons_registered: i64,
    /// ID cards handed over.
    pub cards_collected: i64,
    /// Applications completed.
    pub applications_completed: i64,
    /// Applications still open today.
    pub applications_open: i64,
    /// Cards due today.
    pub cards_due: CardsDue,
}

pub async fn headline(engine: &Engine, scope: &Scope) -> Result<Headline, AppError> {
    let stocks = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::STATE, vec![]), (kind::MEMBER, vec![])],
            group_name: true,
            group_tag: true,
            ..scope.read()
        },
    )
    .await?;
    let mut h = Headline {
        filter: scope.applied.clone(),
        applications_received: 0,
        persons_covered: 0,
        persons_registered: 0,
        cards_collected: 0,
        applications_completed: 0,
        applications_open: 0,
        cards_due: CardsDue::default(),
    };
    for s in &stocks {
        if s.kind == kind::STATE {
            h.applications_received += s.families;
            h.persons_covered += s.persons;
            if scope.is_open(&s.name) {
                h.applications_open += s.families;
            }
            if s.name == COMPLETED {
                h.applications_completed += s.families;
            }
            continue;
        }
        let name = s.name.as_str();
        if REGISTERED_STATES.contains(&name) {
            h.persons_registered += s.persons;
        }
        if name == COLLECTED {
            h.cards_collected += s.persons;
        }
        let abroad = s.tag == ABROAD;
        if name == UNDER_AGE {
            h.cards_due.under_age += s.persons;
        } else if name == AWAITING || IN_PRODUCTION.contains(&name) {
            if abroad {
                h.cards_due.abroad += s.persons;
            } else if name == AWAITING {
                h.cards_due.awaiting_appearance += s.persons;
            } else {
                h.cards_due.in_production += s.persons;
            }
        }
    }
    let due = &mut h.cards_due;
    due.total = due.under_age + due.abroad + due.awaiting_appearance + due.in_production;
    if scope.applied.from.is_some() || scope.applied.to.is_some() {
        let flows = tallies::sums(
            &engine.store,
            &Read {
                kinds: vec![
                    (kind::RECEIVED, vec![]),
                    (kind::REGISTERED, vec![]),
                    (kind::MEMBER_ENTERED, vec![COLLECTED.to_string()]),
                    (kind::ENTERED, vec![COMPLETED.to_string()]),
                ],
                by_day: true,
                ..scope.read()
            },
        )
        .await?;
        let of = |k: &str| {
            flows
                .iter()
                .find(|s| s.kind == k)
                .cloned()
                .unwrap_or_default()
        };
        h.applications_received = of(kind::RECEIVED).families;
        h.persons_covered = of(kind::RECEIVED).persons;
        h.persons_registered = of(kind::REGISTERED).persons;
        h.cards_collected = of(kind::MEMBER_ENTERED).persons;
        h.applications_completed = of(kind::ENTERED).families;
    }
    Ok(h)
}

// ------------------------------------------------------------- backlog --

/// Open applications in one state, district and office.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct BacklogRow {
    pub state: String,
    pub state_label: Labels,
    pub district: String,
    pub office: String,
    pub families: i64,
    pub persons: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Backlog {
    pub filter: Applied,
    /// Open states in workflow order, then district and office.
    pub rows: Vec<BacklogRow>,
    /// Every state (terminal ones too) with its families, for the diagram.
    pub by_state: Vec<StateCount>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct StateCount {
    pub state: String,
    pub state_label: Labels,
    pub terminal: bool,
    pub families: i64,
    pub persons: i64,
}

pub async fn backlog(engine: &Engine, scope: &Scope) -> Result<Backlog, AppError> {
    let sums = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::STATE, vec![])],
            group_name: true,
            group_district: true,
            group_office: true,
            ..scope.read()
        },
    )
    .await?;
    let mut rows: Vec<BacklogRow> = sums
        .iter()
        .filter(|s| scope.is_open(&s.name) && (s.families, s.persons) != (0, 0))
        .map(|s| BacklogRow {
            state: s.name.clone(),
            state_label: scope.label(&s.name),
            district: s.district.clone(),
            office: s.office.clone(),
            families: s.families,
            persons: s.persons,
        })
        .collect();
    rows.sort_by(|a, b| {
        (scope.order(&a.state), &a.district, &a.office).cmp(&(
            scope.order(&b.state),
            &b.district,
            &b.office,
        ))
    });
    let mut totals: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for s in &sums {
        let t = totals.entry(&s.name).or_default();
        t.0 += s.families;
        t.1 += s.persons;
    }
    let by_state = scope
        .workflow
        .states
        .iter()
        .map(|s| {
            let (families, persons) = totals.get(s.name.as_str()).copied().unwrap_or_default();
            StateCount {
                state: s.name.clone(),
                state_label: s.labels.clone(),
                terminal: s.terminal,
                families,
                persons,
            }
        })
        .collect();
    Ok(Backlog {
        filter: scope.applied.clone(),
        rows,
        by_state,
    })
}

// -------------------------------------------------------------- ageing --

/// Open applications in one state by days spent in it.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct AgeingRow {
    pub state: String,
    pub state_label: Labels,
    /// Families per bucket, in the order of `buckets`.
    pub counts: Vec<i64>,
    pub families: i64,
    /// Mean days in the state, rounded down.
    pub mean_days: i64,
    /// Families × days waiting: the queue weighted by its waiting time.
    pub family_days: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Ageing {
    pub filter: Applied,
    /// Bucket names: days in the state, e.g. `8-30`.
    pub buckets: Vec<String>,
    pub rows: Vec<AgeingRow>,
}

pub async fn ageing(engine: &Engine, scope: &Scope) -> Result<Ageing, AppError> {
    let t = scope.today;
    let mut extra: Vec<String> = AGE_BUCKETS
        .iter()
        .map(|(low, high, _)| {
            // age = t - day, so low <= age <= high is t-high <= day <= t-low.
            let upper = if *low == 0 {
                // Entered "in the future" (a clock ahead) counts as new.
                String::new()
            } else {
                format!(" AND day <= {}", t - low)
            };
            match high {
                Some(high) => format!(
                    "CASE WHEN day >= {}{upper} THEN families ELSE 0 END",
                    t - high
                ),
                None => format!("CASE WHEN day <= {} THEN families ELSE 0 END", t - low),
            }
        })
        .collect();
    extra.push(format!(
        "CASE WHEN day < {t} THEN families * ({t} - day) ELSE 0 END"
    ));
    let sums = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::ENTERED, scope.open_states())],
            group_name: true,
            extra,
            ..scope.read()
        },
    )
    .await?;
    let mut rows: Vec<AgeingRow> = sums
        .into_iter()
        .filter(|s| s.families != 0)
        .map(|s| {
            let family_days = s.extra[AGE_BUCKETS.len()];
            AgeingRow {
                state_label: scope.label(&s.name),
                state: s.name,
                counts: s.extra[..AGE_BUCKETS.len()].to_vec(),
                families: s.families,
                mean_days: family_days / s.families.max(1),
                family_days,
            }
        })
        .collect();
    rows.sort_by_key(|r| scope.order(&r.state));
    Ok(Ageing {
        filter: scope.applied.clone(),
        buckets: AGE_BUCKETS.iter().map(|b| b.2.to_string()).collect(),
        rows,
    })
}

// ----------------------------------------------------------------- SLA --

/// Open applications past their state's due date.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct BreachRow {
    pub state: String,
    pub state_label: Labels,
    pub district: String,
    pub office: String,
    pub breached_families: i64,
    pub breached_persons: i64,
    /// All open families in that state and office.
    pub open_families: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Breaches {
    pub filter: Applied,
    pub total_breached: i64,
    pub rows: Vec<BreachRow>,
}

pub async fn breaches(engine: &Engine, scope: &Scope) -> Result<Breaches, AppError> {
    let breached = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::ENTERED, scope.open_states())],
            group_name: true,
            group_district: true,
            group_office: true,
            due_before: Some(scope.today),
            ..scope.read()
        },
    )
    .await?;
    let open = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::STATE, scope.open_states())],
            group_name: true,
            group_district: true,
            group_office: true,
            ..scope.read()
        },
    )
    .await?;
    let open: BTreeMap<(&String, &String, &String), i64> = open
        .iter()
        .map(|o| ((&o.name, &o.district, &o.office), o.families))
        .collect();
    let mut rows: Vec<BreachRow> = breached
        .iter()
        .filter(|s| s.families != 0)
        .map(|s| BreachRow {
            state: s.name.clone(),
            state_label: scope.label(&s.name),
            district: s.district.clone(),
            office: s.office.clone(),
            breached_families: s.families,
            breached_persons: s.persons,
            open_families: open
                .get(&(&s.name, &s.district, &s.office))
                .copied()
                .unwrap_or(0),
        })
        .collect();
    rows.sort_by(|a, b| {
        (scope.order(&a.state), &a.district, &a.office).cmp(&(
            scope.order(&b.state),
            &b.district,
            &b.office,
        ))
    });
    Ok(Breaches {
        filter: scope.applied.clone(),
        total_breached: rows.iter().map(|r| r.breached_families).sum(),
        rows,
    })
}

// ---------------------------------------------------------- throughput --

/// One week (Sunday to Saturday).
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Week {
    pub week_start: NaiveDate,
    pub received_families: i64,
    pub received_persons: i64,
    pub completed_families: i64,
    pub completed_persons: i64,
    /// Rejected or withdrawn.
    pub closed_otherwise_families: i64,
    pub closed_otherwise_persons: i64,
    pub cards_collected: i64,
    /// Open families at the end of the week.
    pub backlog_families: i64,
    pub backlog_persons: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Throughput {
    pub filter: Applied,
    pub weeks: Vec<Week>,
}

impl Week {
    fn empty(week: i32) -> Week {
        Week {
            week_start: week_start(week),
            received_families: 0,
            received_persons: 0,
            completed_families: 0,
            completed_persons: 0,
            closed_otherwise_families: 0,
            closed_otherwise_persons: 0,
            cards_collected: 0,
            backlog_families: 0,
            backlog_persons: 0,
        }
    }
}

fn week_of(day: i32) -> i32 {
    (day - 3).div_euclid(7)
}

fn week_start(week: i32) -> NaiveDate {
    from_day_number(week * 7 + 3)
}

/// Every week's flows, by week number, from the first on record to this
/// week (whatever the period: the backlog line needs all before it).
pub type Weeks = BTreeMap<i32, Week>;

/// Reads [`Weeks`] (one `GROUP BY` over the tallies).
pub async fn weekly(engine: &Engine, scope: &Scope) -> Result<Weeks, AppError> {
    let sums: Vec<Sum> = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![
                (kind::RECEIVED, vec![]),
                (kind::ENTERED, scope.terminal_states()),
                (kind::MEMBER_ENTERED, vec![COLLECTED.to_string()]),
            ],
            group_name: true,
            group_week: true,
            ..scope.read()
        },
    )
    .await?;
    let mut weeks: BTreeMap<i32, Week> = BTreeMap::new();
    for s in &sums {
        let w = weeks.entry(s.day).or_insert_with(|| Week::empty(s.day));
        match s.kind.as_str() {
            k if k == kind::RECEIVED => {
                w.received_families += s.families;
                w.received_persons += s.persons;
            }
            k if k == kind::ENTERED && s.name == COMPLETED => {
                w.completed_families += s.families;
                w.completed_persons += s.persons;
            }
            k if k == kind::ENTERED => {
                w.closed_otherwise_families += s.families;
                w.closed_otherwise_persons += s.persons;
            }
            _ => w.cards_collected += s.persons,
        }
    }
    let (mut families, mut persons) = (0, 0);
    let first = weeks.keys().next().copied();
    let last = week_of(scope.today);
    if let Some(first) = first {
        for week in first..=last.max(first) {
            let w = weeks.entry(week).or_insert_with(|| Week::empty(week));
            families += w.received_families - w.completed_families - w.closed_otherwise_families;
            persons += w.received_persons - w.completed_persons - w.closed_otherwise_persons;
            w.backlog_families = families;
            w.backlog_persons = persons;
        }
    }
    Ok(weeks)
}

pub async fn throughput(engine: &Engine, scope: &Scope) -> Result<Throughput, AppError> {
    Ok(throughput_of(scope, &weekly(engine, scope).await?))
}

/// The period's weeks (the last 26 unless a period is given).
pub fn throughput_of(scope: &Scope, weeks: &Weeks) -> Throughput {
    let to = scope
        .applied
        .to
        .map_or(week_of(scope.today), |d| week_of(day_number(d)));
    let from = scope
        .applied
        .from
        .map_or(to - 25, |d| week_of(day_number(d)));
    Throughput {
        filter: scope.applied.clone(),
        // A period after today (`from` in the future, no `to`) has no weeks yet.
        weeks: if from > to {
            Vec::new()
        } else {
            weeks.range(from..=to).map(|(_, w)| w.clone()).collect()
        },
    }
}

// ------------------------------------------------------------ workload --

/// One officer's load: counts only.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct OfficerLoad {
    pub officer: String,
    /// Open cases the officer holds now.
    pub holding: i64,
    /// Actions the officer recorded in the period (in the district filter,
    /// whatever the office).
    pub actions: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Workload {
    pub filter: Applied,
    /// The period the actions are counted over (the last 30 days unless a
    /// range is given).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub officers: Vec<OfficerLoad>,
    /// Automatic steps the system took in the period.
    pub automatic_actions: i64,
}

pub async fn workload(engine: &Engine, scope: &Scope) -> Result<Workload, AppError> {
    let today = from_day_number(scope.today);
    let to = scope.applied.to.unwrap_or(today);
    let from = scope.applied.from.unwrap_or(to - Duration::days(29));
    let mut read = scope.read();
    // Actions are counted per district (an edit may move a case's office).
    read.filter.office = None;
    read.filter.from_day = Some(day_number(from));
    read.filter.to_day = Some(day_number(to));
    let acted = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::ACTED, vec![])],
            group_tag: true,
            by_day: true,
            ..read
        },
    )
    .await?;
    let holding = tallies::sums(
        &engine.store,
        &Read {
            kinds: vec![(kind::ASSIGNED, scope.open_states())],
            group_tag: true,
            ..scope.read()
        },
    )
    .await?;
    let mut officers: BTreeMap<String, OfficerLoad> = BTreeMap::new();
    let mut automatic = 0;
    for s in acted.iter().chain(&holding) {
        if s.tag == Actor::system().id {
            if s.kind == kind::ACTED {
                automatic += s.families;
            }
            continue;
        }
        let o = officers
            .entry(s.tag.clone())
            .or_insert_with(|| OfficerLoad {
                officer: s.tag.clone(),
                holding: 0,
                actions: 0,
            });
        if s.kind == kind::ACTED {
            o.actions += s.families;
        } else {
            o.holding += s.families;
        }
    }
    let mut officers: Vec<OfficerLoad> = officers
        .into_values()
        .filter(|o| (o.holding, o.actions) != (0, 0))
        .collect();
    officers.sort_by(|a, b| {
        (b.actions, b.holding, &a.officer).cmp(&(a.actions, a.holding, &b.officer))
    });
    Ok(Workload {
        filter: scope.applied.clone(),
        from,
        to,
        officers,
        automatic_actions: automatic,
    })
}

// ---------------------------------------------------------- bottleneck --

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Bottleneck {
    pub filter: Applied,
    /// The open state whose queue, weighted by its waiting time
    /// (families × days in the state), is the largest; none when nothing
    /// waits.
    pub state: Option<String>,
    pub state_label: Option<Labels>,
    /// Every open state, largest weight first.
    pub ranking: Vec<AgeingRow>,
}

pub async fn bottleneck(engine: &Engine, scope: &Scope) -> Result<Bottleneck, AppError> {
    Ok(bottleneck_of(scope, ageing(engine, scope).await?))
}

/// The ageing rows ranked by families × days waiting.
pub fn bottleneck_of(scope: &Scope, ageing: Ageing) -> Bottleneck {
    let mut ranking = ageing.rows;
    ranking.sort_by(|a, b| {
        (b.family_days, b.families, scope.order(&a.state)).cmp(&(
            a.family_days,
            a.families,
            scope.order(&b.state),
        ))
    });
    let top = ranking.first().filter(|r| r.families > 0);
    Bottleneck {
        filter: scope.applied.clone(),
        state: top.map(|r| r.state.clone()),
        state_label: top.map(|r| r.state_label.clone()),
        ranking,
    }
}

// ------------------------------------------------------------ forecast --

/// When one backlog clears at the recent rate.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Clearance {
    /// What is waiting today.
    pub backlog: i64,
    /// Per week, over the last 4 full weeks.
    pub rate_4_weeks: f64,
    /// Per week, over the last 12 full weeks.
    pub rate_12_weeks: f64,
    /// Weeks to clear at the faster and at the slower of the two rates;
    /// none when that rate is zero.
    pub weeks_low: Option<f64>,
    pub weeks_high: Option<f64>,
    /// The day the backlog clears at the faster and at the slower rate.
    pub clears_earliest: Option<NaiveDate>,
    pub clears_latest: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Forecast {
    pub filter: Applied,
    /// How the forecast is made, in Arabic and English.
    pub method: Labels,
    /// Open applications, cleared by closing them (completed, rejected or
    /// withdrawn).
    pub families: Clearance,
    /// Persons in open applications.
    pub persons: Clearance,
    /// Cards due that can be issued now (members under the card age wait
    /// for their birthday and are left out), cleared by handing cards over.
    pub cards: Clearance,
}

fn clearance(backlog: i64, weekly: &[i64], today: NaiveDate) -> Clearance {
    // `weekly` holds the last 12 full weeks, oldest first.
    let rate = |n: usize| {
        let tail = &weekly[weekly.len().saturating_sub(n)..];
        tail.iter().sum::<i64>() as f64 / n as f64
    };
    let (r4, r12) = (rate(4), rate(12));
    let weeks = |r: f64| {
        if backlog <= 0 {
            Some(0.0)
        } else if r > 0.0 {
            Some(((backlog as f64 / r) * 10.0).round() / 10.0)
        } else {
            None
        }
    };
    let (fast, slow) = if r4 >= r12 { (r4, r12) } else { (r12, r4) };
    let (low, high) = (weeks(fast), weeks(slow));
    let day = |w: Option<f64>| {
        w.and_then(|w| today.checked_add_signed(Duration::days((w * 7.0).ceil().min(1e7) as i64)))
    };
    Clearance {
        backlog,
        rate_4_weeks: (r4 * 10.0).round() / 10.0,
        rate_12_weeks: (r12 * 10.0).round() / 10.0,
        weeks_low: low,
        weeks_high: high,
        clears_earliest: day(low),
        clears_latest: day(high),
    }
}

pub async fn forecast(engine: &Engine, scope: &Scope) -> Result<Forecast, AppError> {
    // The backlog is today's, whatever the period.
    let today_only = Scope {
        applied: Applied {
            from: None,
            to: None,
            ..scope.applied.clone()
        },
        filter: Filter {
            from_day: None,
            to_day: None,
            ..scope.filter.clone()
        },
        workflow: scope.workflow.clone(),
        today: scope.today,
    };
    let head = headline(engine, &today_only).await?;
    Ok(forecast_of(scope, &head, &weekly(engine, scope).await?))
}

/// The forecast from today's headline (no period) and the weeks.
pub fn forecast_of(scope: &Scope, head: &Headline, weeks: &Weeks) -> Forecast {
    let this_week = week_of(scope.today);
    // The last 12 full weeks, oldest first (weeks with nothing count as 0).
    let last12 = |f: &dyn Fn(&Week) -> i64| -> Vec<i64> {
        (this_week - 12..this_week)
            .map(|w| weeks.get(&w).map_or(0, f))
            .collect()
    };
    let closed = last12(&|w| w.completed_families + w.closed_otherwise_families);
    let persons_closed = last12(&|w| w.completed_persons + w.closed_otherwise_persons);
    let cards = last12(&|w| w.cards_collected);
    let open_persons = weeks.get(&this_week).map_or(0, |w| w.backlog_persons);
    let today = from_day_number(scope.today);
    let due_now = head.cards_due.total - head.cards_due.under_age;
    Forecast {
        filter: scope.applied.clone(),
        method: Labels {
            ar: "ما ينتظر اليوم مقسوماً على المعدل الأسبوعي للإنجاز في آخر 4 أسابيع كاملة وفي آخر 12 أسبوعاً كاملة؛ المدى بين المعدلين. الطلبات تنتهي بالإنجاز أو الرفض أو السحب، والبطاقات بالتسليم، وبطاقات من لم يبلغوا السن غير محسوبة.".into(),
            en: "What waits today divided by the weekly completion rate over the last 4 and the last 12 full weeks; the range lies between the two rates. Applications clear by completion, rejection or withdrawal, cards by hand-over; cards of members under the card age are left out.".into(),
        },
        families: clearance(head.applications_open, &closed, today),
        persons: clearance(open_persons, &persons_closed, today),
        cards: clearance(due_now, &cards, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backlog_clears_between_the_two_rates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        // 8 slow weeks then 4 fast ones.
        let weekly = [10, 10, 10, 10, 10, 10, 10, 10, 40, 40, 40, 40];
        let c = clearance(400, &weekly, today);
        assert_eq!(c.rate_4_weeks, 40.0);
        assert_eq!(c.rate_12_weeks, 20.0);
        assert_eq!(c.weeks_low, Some(10.0));
        assert_eq!(c.weeks_high, Some(20.0));
        assert_eq!(c.clears_earliest, Some(today + Duration::days(70)));
        assert_eq!(c.clears_latest, Some(today + Duration::days(140)));
    }

    #[test]
    fn no_recent_completions_means_no_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let c = clearance(5, &[0; 12], today);
        assert_eq!((c.weeks_low, c.clears_latest), (None, None));
        let empty = clearance(0, &[0; 12], today);
        assert_eq!(empty.weeks_low, Some(0.0));
    }

    #[test]
    fn weeks_start_on_sunday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let saturday = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        assert_eq!(week_of(day_number(sunday)), week_of(day_number(saturday)));
        assert_eq!(week_start(week_of(day_number(saturday))), sunday);
    }
}
