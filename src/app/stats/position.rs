//! Today's position: the headline figures, the backlog, how long
//! applications have waited (ageing), SLA breaches, officers' workload and
//! the bottleneck.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::scope::{Applied, Scope};
use crate::app::{AppError, Engine};
use crate::domain::language::Text;
use crate::store::tallies::{self, ABROAD, Read, day_number, from_day_number, kind};
use crate::workflow::Actor;
use crate::workflow::definition::CardStage;

/// The ageing buckets: days in the current state, inclusive bounds.
pub const AGE_BUCKETS: &[(i32, Option<i32>, &str)] = &[
    (0, Some(7), "0-7"),
    (8, Some(30), "8-30"),
    (31, Some(90), "31-90"),
    (91, Some(180), "91-180"),
    (181, None, "181+"),
];

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
            if scope.is_completed(&s.name) {
                h.applications_completed += s.families;
            }
            continue;
        }
        if scope.workflow.granted(&s.name) {
            h.persons_registered += s.persons;
        }
        let abroad = s.tag == ABROAD;
        match scope.workflow.card_stage(&s.name) {
            Some(CardStage::Collected) => h.cards_collected += s.persons,
            Some(CardStage::DueAtAge) => h.cards_due.under_age += s.persons,
            Some(_) if abroad => h.cards_due.abroad += s.persons,
            Some(CardStage::AwaitingAppearance) => h.cards_due.awaiting_appearance += s.persons,
            Some(CardStage::InProduction | CardStage::Ready) => {
                h.cards_due.in_production += s.persons
            }
            None => {}
        }
    }
    let due = &mut h.cards_due;
    due.total = due.under_age + due.abroad + due.awaiting_appearance + due.in_production;
    if scope.applied.from.is_some() || scope.applied.to.is_some() {
        let flows = tallies::sums(
            &engine.store,
            &Read {
                kinds: scope.kinds(vec![
                    (kind::RECEIVED, None),
                    (kind::REGISTERED, None),
                    (kind::MEMBER_ENTERED, Some(scope.collected_states())),
                    (kind::ENTERED, Some(scope.completed_states())),
                ]),
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
    pub state_label: Text,
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Text,
    pub office: String,
    /// The office's Arabic and English names.
    pub office_label: Text,
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
    pub state_label: Text,
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
            district_label: engine.place_label(&s.district),
            office: s.office.clone(),
            office_label: engine.place_label(&s.office),
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
    pub state_label: Text,
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
    pub state_label: Text,
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Text,
    pub office: String,
    /// The office's Arabic and English names.
    pub office_label: Text,
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
            district_label: engine.place_label(&s.district),
            office: s.office.clone(),
            office_label: engine.place_label(&s.office),
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

// ------------------------------------------------------------ workload --

/// One officer's load in one district: counts only.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct OfficerLoad {
    pub officer: String,
    /// The district of the cases held and acted on.
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Text,
    /// Open cases the officer holds now.
    pub holding: i64,
    /// Actions the officer recorded in the period in this district
    /// (whatever the office).
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
            group_district: true,
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
            group_district: true,
            ..scope.read()
        },
    )
    .await?;
    let mut officers: BTreeMap<(String, String), OfficerLoad> = BTreeMap::new();
    let mut automatic = 0;
    for s in acted.iter().chain(&holding) {
        if s.tag == Actor::system().id {
            if s.kind == kind::ACTED {
                automatic += s.families;
            }
            continue;
        }
        let o = officers
            .entry((s.tag.clone(), s.district.clone()))
            .or_insert_with(|| OfficerLoad {
                officer: s.tag.clone(),
                district: s.district.clone(),
                district_label: engine.place_label(&s.district),
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
        (b.actions, b.holding, &a.officer, &a.district).cmp(&(
            a.actions,
            a.holding,
            &b.officer,
            &b.district,
        ))
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
    pub state_label: Option<Text>,
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
