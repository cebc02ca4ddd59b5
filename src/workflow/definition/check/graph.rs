//! Checking a definition's graph: a terminal state with a way out, a state
//! nothing reaches, and a non-terminal state with no way out are each an
//! error.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use toml::Spanned;

use super::super::raw::{RawAutomatic, RawState, RawTransition};
use super::{Checker, Track};

impl Checker<'_> {
    /// Terminal states with a way out, reachability, and dead ends.
    pub(super) fn graph(
        &mut self,
        states: &[RawState],
        initial: &Spanned<String>,
        transitions: &[RawTransition],
        automatic: &[RawAutomatic],
        track: Track,
    ) {
        let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in transitions {
            for from in &t.from {
                edges
                    .entry(from.get_ref())
                    .or_default()
                    .push(t.to.get_ref());
            }
        }
        for a in automatic {
            edges
                .entry(a.from.get_ref())
                .or_default()
                .push(a.to.get_ref());
        }
        let terminal: BTreeSet<&str> = states
            .iter()
            .filter(|s| s.terminal)
            .map(|s| s.name.get_ref().as_str())
            .collect();
        for t in transitions {
            for from in &t.from {
                if terminal.contains(from.get_ref().as_str()) {
                    self.error(
                        from.span(),
                        format!(
                            "terminal {} '{}' has an outgoing transition '{}'",
                            track.noun(),
                            from.get_ref(),
                            t.action.get_ref()
                        ),
                    );
                }
            }
        }
        for a in automatic {
            if terminal.contains(a.from.get_ref().as_str()) {
                self.error(
                    a.from.span(),
                    format!(
                        "terminal {} '{}' has an outgoing automatic transition",
                        track.noun(),
                        a.from.get_ref()
                    ),
                );
            }
        }
        let mut reached: BTreeSet<&str> = BTreeSet::new();
        let mut queue: VecDeque<&str> = VecDeque::from([initial.get_ref().as_str()]);
        while let Some(state) = queue.pop_front() {
            if reached.insert(state) {
                queue.extend(edges.get(state).into_iter().flatten().copied());
            }
        }
        for s in states {
            let name = s.name.get_ref().as_str();
            if !reached.contains(name) {
                self.error(
                    s.name.span(),
                    format!(
                        "{} '{name}' is unreachable from '{}'",
                        track.noun(),
                        initial.get_ref()
                    ),
                );
            }
            if !s.terminal && edges.get(name).is_none_or(|e| e.is_empty()) {
                self.error(
                    s.name.span(),
                    format!("non-terminal {} '{name}' has no way out", track.noun()),
                );
            }
        }
    }
}
