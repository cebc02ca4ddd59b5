//! Checking a definition's duties and its separation rules: each duty
//! names known actions and states, and each rule names two duties that
//! never count the same action in the same state.

use std::collections::BTreeSet;

use super::super::raw::{RawDuty, RawSeparation, RawTransition};
use super::super::{DutyDef, SeparationRule};
use super::{Checker, Track};
use crate::domain::language::Text;

impl Checker<'_> {
    /// The duties: each names known actions (transitions, or the case's
    /// own `created` and `edit_family`) and known states.
    pub(super) fn duties(
        &mut self,
        raw: &[RawDuty],
        transitions: &[RawTransition],
        member_transitions: &[RawTransition],
        state_names: &BTreeSet<String>,
    ) -> Vec<DutyDef> {
        let known: BTreeSet<&str> = transitions
            .iter()
            .chain(member_transitions)
            .map(|t| t.action.get_ref().as_str())
            .chain(crate::workflow::duties::CASE_ACTIONS)
            .collect();
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for d in raw {
            let name = d.name.get_ref();
            if !names.insert(name.clone()) {
                self.error(d.name.span(), format!("duty '{name}' is defined twice"));
            }
            if d.actions.is_empty() {
                self.error(d.name.span(), format!("duty '{name}' names no action"));
            }
            for a in &d.actions {
                if !known.contains(a.get_ref().as_str()) {
                    self.error(
                        a.span(),
                        format!(
                            "unknown action '{}' in duty '{name}' (known: the transitions' \
                             actions, '{}' and '{}')",
                            a.get_ref(),
                            crate::workflow::duties::OPEN,
                            crate::workflow::duties::EDIT_FAMILY,
                        ),
                    );
                }
            }
            for s in &d.states {
                self.known_state(
                    s,
                    state_names,
                    Track::Application,
                    &format!("state of duty '{name}'"),
                );
            }
            out.push(DutyDef {
                name: name.clone(),
                labels: Text {
                    ar: d.ar.clone(),
                    en: d.en.clone(),
                },
                actions: d.actions.iter().map(|a| a.get_ref().clone()).collect(),
                states: d.states.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
        out
    }

    /// The separation rules: each separates two or more known duties, and
    /// no action counts for two of its duties in the same state.
    pub(super) fn separation(
        &mut self,
        raw: &[RawSeparation],
        duties: &[DutyDef],
    ) -> Vec<SeparationRule> {
        let mut names = BTreeSet::new();
        let mut out = Vec::new();
        for r in raw {
            let name = r.name.get_ref();
            if !names.insert(name.clone()) {
                self.error(
                    r.name.span(),
                    format!("separation rule '{name}' is defined twice"),
                );
            }
            let mut seen: Vec<&DutyDef> = Vec::new();
            for d in &r.duties {
                let Some(duty) = duties.iter().find(|x| &x.name == d.get_ref()) else {
                    self.error(
                        d.span(),
                        format!("unknown duty '{}' in separation rule '{name}'", d.get_ref()),
                    );
                    continue;
                };
                if seen.iter().any(|s| s.name == duty.name) {
                    self.error(
                        d.span(),
                        format!(
                            "duty '{}' is named twice in separation rule '{name}'",
                            duty.name
                        ),
                    );
                    continue;
                }
                for earlier in &seen {
                    if let Some((action, state)) = overlap(earlier, duty) {
                        self.error(
                            d.span(),
                            format!(
                                "action '{action}' counts for both duty '{}' and duty '{}' \
                                 of separation rule '{name}' {state}: one person could never take it",
                                earlier.name, duty.name
                            ),
                        );
                    }
                }
                seen.push(duty);
            }
            if r.duties.len() < 2 {
                self.error(
                    r.name.span(),
                    format!(
                        "separation rule '{name}' needs two or more duties to separate (it names {})",
                        r.duties.len()
                    ),
                );
            }
            out.push(SeparationRule {
                name: name.clone(),
                labels: Text {
                    ar: r.ar.clone(),
                    en: r.en.clone(),
                },
                duties: r.duties.iter().map(|d| d.get_ref().clone()).collect(),
            });
        }
        out
    }
}

/// An action two duties both count in some state, and where (for messages).
fn overlap(a: &DutyDef, b: &DutyDef) -> Option<(String, String)> {
    let action = a.actions.iter().find(|x| b.actions.contains(x))?;
    match (a.states.is_empty(), b.states.is_empty()) {
        (true, true) => Some((action.clone(), "in every state".into())),
        (true, false) => Some((action.clone(), format!("in state '{}'", b.states[0]))),
        (false, true) => Some((action.clone(), format!("in state '{}'", a.states[0]))),
        (false, false) => a
            .states
            .iter()
            .find(|s| b.states.contains(s))
            .map(|s| (action.clone(), format!("in state '{s}'"))),
    }
}
