//! The staffing what-if: the forecast with officers added or moved and
//! card offices opened, beside the forecast as things are, from the same
//! history and the same runs.

use serde::Serialize;
use utoipa::ToSchema;

use super::forecast::{DEFAULT_SEED, Outlook, RUNS, data, settings};
use super::scope::{Applied, Scope};
use super::simulate::{self, Change};
use crate::app::{AppError, Engine};
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::domain::words::{self, labels, statistics};
use crate::workflow::definition::Workflow;

/// A change of staff asked of the what-if.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhatIfQuery {
    /// The role of the officers added or moved away.
    pub role: Option<String>,
    /// Where: a district, or an office (then its district).
    pub district: Option<String>,
    /// Officers added; negative: moved away.
    pub add: i64,
    /// New card offices opened in the district.
    pub card_offices: i64,
    pub seed: Option<u64>,
}

/// Officers added or moved at most, and card offices opened at most.
pub const MAX_OFFICERS: i64 = 200;
pub const MAX_CARD_OFFICES: i64 = 20;

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct WhatIf {
    pub filter: Applied,
    /// The change, in words.
    pub change: Text,
    pub role: Option<String>,
    pub district: Option<String>,
    pub district_label: Option<Text>,
    pub add: i64,
    pub card_offices: i64,
    pub seed: u64,
    pub runs: u32,
    /// The forecast as things are.
    pub baseline: Outlook,
    /// The forecast with the change.
    pub scenario: Outlook,
    /// The stages whose capacity the change touches.
    pub stages_changed: Vec<Text>,
}

fn invalid(field: &str, said: impl Into<Text>) -> AppError {
    AppError::Invalid(vec![FieldError::said(field, said)])
}

/// The what-if: the forecast with officers added or moved and card
/// offices opened, beside the forecast as things are.
pub async fn what_if(
    engine: &Engine,
    scope: &Scope,
    query: &WhatIfQuery,
) -> Result<WhatIf, AppError> {
    // The change is checked before anything is read.
    if !(-MAX_OFFICERS..=MAX_OFFICERS).contains(&query.add) {
        return Err(invalid(
            "add",
            statistics::officers_out_of_range(MAX_OFFICERS),
        ));
    }
    if !(0..=MAX_CARD_OFFICES).contains(&query.card_offices) {
        return Err(invalid(
            "card_offices",
            statistics::card_offices_out_of_range(MAX_CARD_OFFICES),
        ));
    }
    let role = match query.role.as_deref() {
        None | Some("") => None,
        Some(name) => match Role::parse(name) {
            Some(role) if scope.open_states().iter().any(|s| works(scope, s, role)) => Some(role),
            _ => {
                let roles = worked_roles(&scope.workflow);
                return Err(invalid(
                    "role",
                    statistics::role_works_no_stage(
                        name,
                        &words::list(roles.iter().map(|r| r.label_ar())),
                        &words::list(roles.iter().map(|r| r.as_str())),
                    ),
                ));
            }
        },
    };
    if query.add != 0 && role.is_none() {
        return Err(invalid("role", statistics::NAME_THE_ROLE));
    }
    let district = match query.district.as_deref() {
        None | Some("") => None,
        Some(code) => {
            let district = match (engine.places.district(code), engine.places.office(code)) {
                (Some(d), _) => d.code.clone(),
                (None, Some((d, _))) => d.code.clone(),
                (None, None) => {
                    let e = engine.places.check_district("district", code).err();
                    return Err(AppError::Invalid(vec![e.unwrap_or_else(|| {
                        FieldError::new("district", "is not a district or office")
                    })]));
                }
            };
            if scope
                .applied
                .district
                .as_ref()
                .is_some_and(|own| *own != district)
            {
                return Err(invalid("district", statistics::OUTSIDE_THE_FORECAST));
            }
            Some((district, code.to_string()))
        }
    };
    if (query.add != 0 || query.card_offices != 0) && district.is_none() {
        return Err(invalid("district", statistics::NAME_THE_DISTRICT));
    }
    let data = data(engine, scope).await?;
    let seed = query.seed.unwrap_or(DEFAULT_SEED);
    let (nd, ns) = (data.districts.len(), data.stages.len());
    let model = data.model_at(data.this_week);
    let start = data.start_at(data.this_week);
    let mut change = Change::none(nd, ns);
    let mut touched = Vec::new();
    if let Some((code, _)) = &district
        && let Some(d) = data.district(code)
    {
        for (s, name) in data.stages.iter().enumerate() {
            let mut hit = false;
            if let Some(role) = role
                && query.add != 0
                && works(scope, name, role)
            {
                change.officers[d][s] = query.add as f64;
                hit = true;
                if role == Role::CardOfficer {
                    // The cards handed over grow with the card officers.
                    let present: f64 = model.weeks.iter().map(|w| w.officers[d][s]).sum::<f64>()
                        / model.weeks.len().max(1) as f64;
                    if present > 0.0 {
                        change.cards[d] = (present + query.add as f64).max(0.0) / present;
                    }
                }
            }
            if query.card_offices > 0 && works(scope, name, Role::CardOfficer) {
                let offices = engine
                    .places
                    .district(code)
                    .map_or(1, |d| d.offices.len().max(1)) as f64;
                let factor = (offices + query.card_offices as f64) / offices;
                change.factor[d][s] = factor;
                change.cards[d] *= factor;
                hit = true;
            }
            if hit {
                touched.push(scope.label(name));
            }
        }
    }
    let changed = district.as_ref().and_then(|(code, _)| data.district(code));
    let none = Change::none(nd, ns);
    let baseline = simulate::simulate(&model, &start, &none, settings(seed, 0));
    let scenario = simulate::simulate(&model, &start, &change, settings(seed, 0));
    let place = district
        .as_ref()
        .map(|(_, asked)| engine.place_label(asked));
    let role_label = role.map_or_else(Text::default, officers_of);
    let mut changes = Vec::new();
    if let (Some(place), Some(_)) = (&place, role)
        && query.add != 0
    {
        changes.push(statistics::officers_added(&role_label, query.add, place));
    }
    if let Some(place) = &place
        && query.card_offices > 0
    {
        changes.push(statistics::card_offices_added(place, query.card_offices));
    }
    if changes.is_empty() {
        changes.push(statistics::NO_CHANGE.text());
    }
    Ok(WhatIf {
        filter: scope.applied.clone(),
        change: words::clauses(&changes),
        role: role.map(|r| r.as_str().to_string()),
        district: district.as_ref().map(|(d, _)| d.clone()),
        district_label: district.as_ref().map(|(d, _)| engine.place_label(d)),
        add: query.add,
        card_offices: query.card_offices,
        seed,
        runs: RUNS,
        baseline: data.outlook(scope, &start, &baseline, changed),
        scenario: data.outlook(scope, &start, &scenario, changed),
        stages_changed: touched,
    })
}

/// Officers of a role, as a heading or a choice names them.
pub fn officers_of(role: Role) -> Text {
    labels::officers(role).text()
}

fn works(scope: &Scope, state: &str, role: Role) -> bool {
    scope
        .workflow
        .state(state)
        .is_some_and(|s| s.worked_by.contains(&role))
}

/// The roles that work some open stage, in stage order.
pub fn worked_roles(workflow: &Workflow) -> Vec<Role> {
    let mut roles: Vec<Role> = Vec::new();
    for s in workflow.states.iter().filter(|s| !s.terminal) {
        for r in &s.worked_by {
            if !roles.contains(r) {
                roles.push(*r);
            }
        }
    }
    roles
}
