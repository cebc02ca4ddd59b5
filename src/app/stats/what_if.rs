//! The staffing what-if: the forecast with officers added or moved and
//! card offices opened, beside the forecast as things are, from the same
//! history and the same runs. A change that moves officers away refuses to
//! move more than the district has; a change that moves no date says why
//! (the stage that holds the flow back).

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use super::forecast::{
    DEFAULT_SEED, Data, HISTORY_WEEKS, Outlook, RUNS, StageWait, data, settings,
};
use super::scope::{Applied, Scope};
use super::simulate::{self, Change};
use crate::app::{AppError, Engine};
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::domain::words::{self, statistics};
use crate::workflow::Actor;
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
    /// Why no date moves, when a change was asked and moved none.
    pub unmoved: Option<Unmoved>,
}

/// Why a change moved no date.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Unmoved {
    pub reason: UnmovedReason,
    /// The stage that holds the flow back (the bottleneck): where the
    /// backlog of the district changed waits longest with the change; none
    /// when nothing waits there.
    pub bottleneck: Option<StageWait>,
}

/// The reason a change moved no date.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UnmovedReason {
    /// The bottleneck is a stage the change does not touch.
    BottleneckElsewhere,
    /// The change touches the bottleneck, but too little to move a date
    /// by a week.
    TooSmall,
    /// Nothing waits that the change could move.
    NothingWaits,
}

/// More officers moved away than the district has: those who moved cases
/// on in the stages of the role there in the weeks the forecast reads.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{asked} officer(s) of the role {role} cannot be moved away from {district}: only {present} worked there in the last {weeks} weeks", role = role.as_str())]
pub struct TooFewOfficers {
    pub role: Role,
    /// The district's code and names.
    pub district: String,
    pub district_label: Text,
    /// Officers asked to be moved away.
    pub asked: i64,
    /// Officers of the role who worked in the district.
    pub present: i64,
    /// The weeks counted.
    pub weeks: i32,
}

/// Why the what-if cannot work a change out.
#[derive(Debug, thiserror::Error)]
pub enum WhatIfError {
    /// More officers moved away than the district has.
    #[error(transparent)]
    TooFewOfficers(TooFewOfficers),
    #[error(transparent)]
    App(#[from] AppError),
}

fn invalid(field: &str, said: impl Into<Text>) -> WhatIfError {
    WhatIfError::App(AppError::Invalid(vec![FieldError::said(field, said)]))
}

/// The what-if: the forecast with officers added or moved and card
/// offices opened, beside the forecast as things are.
pub async fn what_if(
    engine: &Engine,
    scope: &Scope,
    query: &WhatIfQuery,
) -> Result<WhatIf, WhatIfError> {
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
                        FieldError::said(
                            "district",
                            crate::domain::words::statistics::NOT_A_DISTRICT_OR_OFFICE,
                        )
                    })])
                    .into());
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
    if let (Some(role), Some((code, _))) = (role, &district)
        && query.add < 0
    {
        let present = officers_present(scope, &data, code, role);
        if -query.add > present {
            return Err(WhatIfError::TooFewOfficers(TooFewOfficers {
                role,
                district: code.clone(),
                district_label: engine.place_label(code),
                asked: -query.add,
                present,
                weeks: HISTORY_WEEKS,
            }));
        }
    }
    let seed = query.seed.unwrap_or(DEFAULT_SEED);
    let (nd, ns) = (data.districts.len(), data.stages.len());
    let model = data.model_at(data.this_week);
    let start = data.start_at(data.this_week);
    let mut change = Change::none(nd, ns);
    let mut touched = Vec::new();
    let mut touched_states = Vec::new();
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
                touched_states.push(name.as_str());
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
    let baseline = data.outlook(scope, &start, &baseline, changed);
    let scenario = data.outlook(scope, &start, &scenario, changed);
    let asked = query.add != 0 || query.card_offices != 0;
    let unmoved = (asked && dates(&baseline) == dates(&scenario))
        .then(|| unmoved(&scenario, &touched_states));
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
        baseline,
        scenario,
        stages_changed: touched,
        unmoved,
    })
}

/// The officers who moved cases on (or acted on them) in the stages `role`
/// works, in `district`, in the weeks the forecast resamples: as many as
/// the what-if may move away.
fn officers_present(scope: &Scope, data: &Data, district: &str, role: Role) -> i64 {
    let first = data.this_week - HISTORY_WEEKS;
    let system = Actor::system().id;
    data.moves
        .iter()
        .filter(|m| (first..data.this_week).contains(&m.week))
        .filter(|m| m.district == district && m.actor != system)
        .filter(|m| works(scope, &m.from_state, role))
        .map(|m| m.actor.as_str())
        .collect::<HashSet<_>>()
        .len() as i64
}

/// Every date an outlook gives, to see whether a change moved one.
fn dates(o: &Outlook) -> Vec<Option<chrono::NaiveDate>> {
    [&o.families, &o.persons, &o.cards]
        .into_iter()
        .chain(&o.district)
        .flat_map(|c| [c.p10, c.p50, c.p90])
        .collect()
}

/// Why a change that touched the stages `touched` of a district moved no
/// date of `scenario`: the stage that holds the district's flow back is
/// another, or is one of them and the change is too small, or nothing
/// waits there.
fn unmoved(scenario: &Outlook, touched: &[&str]) -> Unmoved {
    let bottleneck = scenario.district_bottleneck.clone();
    let reason = match &bottleneck {
        None => UnmovedReason::NothingWaits,
        Some(b) if touched.contains(&b.state.as_str()) => UnmovedReason::TooSmall,
        Some(_) => UnmovedReason::BottleneckElsewhere,
    };
    Unmoved { reason, bottleneck }
}

/// Officers of a role, as a heading or a choice names them.
pub fn officers_of(role: Role) -> Text {
    role.officers().text()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::stats::Clearance;

    fn clearance() -> Clearance {
        Clearance {
            backlog: 0,
            p10: None,
            p50: None,
            p90: None,
            not_cleared_share: 0.0,
        }
    }

    /// A scenario whose district waits longest in `bottleneck`.
    fn scenario(bottleneck: Option<&str>) -> Outlook {
        Outlook {
            families: clearance(),
            persons: clearance(),
            cards: clearance(),
            bottleneck: None,
            district: Some(clearance()),
            district_bottleneck: bottleneck.map(|state| StageWait {
                state: state.into(),
                state_label: Text::of_code(state),
                family_weeks: 1.0,
            }),
        }
    }

    fn check(bottleneck: Option<&str>, touched: &[&str], expected: UnmovedReason) {
        let unmoved = unmoved(&scenario(bottleneck), touched);
        assert_eq!(unmoved.reason, expected, "{bottleneck:?} {touched:?}");
        assert_eq!(
            unmoved.bottleneck.map(|b| b.state),
            bottleneck.map(str::to_string)
        );
    }

    #[test]
    fn a_change_that_moves_no_date_is_told_apart_by_the_stage_that_holds_the_flow_back() {
        check(
            Some("cards"),
            &["intake"],
            UnmovedReason::BottleneckElsewhere,
        );
        check(Some("cards"), &[], UnmovedReason::BottleneckElsewhere);
        check(Some("cards"), &["intake", "cards"], UnmovedReason::TooSmall);
        check(None, &["intake"], UnmovedReason::NothingWaits);
    }
}
