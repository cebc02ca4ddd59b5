//! A migration map between two versions of a workflow definition
//! (`workflows/NAME.vA-to-vB.toml`): which state of the old version
//! becomes which of the new, per case state and per member state, and what
//! happens to a case in a state with no counterpart. Parsed and checked
//! here against both definitions, every problem as `file:line: message`;
//! [`MigrationMap::move_case`] decides, purely, what the map does to one
//! case. Like the rest of the engine it does no I/O.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::line_errors::{LineError, LineErrors};
use crate::workflow::case::Case;
use crate::workflow::definition::Workflow;
use crate::workflow::duties;

/// A checked-for-syntax migration map. [`MigrationMap::check`] checks it
/// against the two definitions it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationMap {
    pub file: String,
    /// The definition cases move from: name and version.
    pub from: (String, u32),
    pub to: (String, u32),
    /// Case state of `from` → what becomes of a case in it.
    pub cases: BTreeMap<String, Entry<CaseTarget>>,
    /// Member state of `from` → what becomes of a member in it.
    pub members: BTreeMap<String, Entry<MemberTarget>>,
    from_line: usize,
    to_line: usize,
    cases_line: usize,
    members_line: usize,
}

/// One entry of the map with the line it stands on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<T> {
    pub line: usize,
    pub target: T,
}

/// What becomes of a case in one state of the old version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseTarget {
    /// Moves by the first rule whose condition holds (the last has none).
    To(Vec<Rule>),
    /// Keeps the old version, as planned (closed cases, say).
    Stays(String),
    /// Cannot move: the plan lists it with this reason.
    Refused(String),
}

/// A rule of a case entry: the state of the new version, and the member
/// states of the old version of which a present (not abroad) member must be
/// in one for the rule to hold (always holds when empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub to: String,
    pub if_present_member_in: Vec<String>,
    /// Duties of the new version the map lets the case pass without
    /// anybody having performed them (a case already past the stage
    /// where the new version does them: approved families are not
    /// cleared again).
    pub waives: Vec<String>,
}

/// What becomes of a member in one state of the old version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MemberTarget {
    To(String),
    /// A case with a member in this state cannot move.
    Refused(String),
}

/// What the map does to one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CaseMove {
    /// The case moves to `to`; its members change state as `members` says
    /// (ordinal, from, to; only those whose state name changes).
    Moves {
        from: String,
        to: String,
        members: Vec<MemberMove>,
    },
    /// The case keeps its version, as the map plans.
    Stays { state: String, why: String },
    /// The case cannot move, and why.
    Refused { state: String, why: String },
}

/// One member's move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberMove {
    pub ordinal: u32,
    pub from: String,
    pub to: String,
}

// ---------------------------------------------------------------- parse --

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    from: Spanned<String>,
    to: Spanned<String>,
    cases: Spanned<BTreeMap<Spanned<String>, Spanned<RawCaseTarget>>>,
    members: Spanned<BTreeMap<Spanned<String>, Spanned<RawMemberTarget>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawCaseTarget {
    State(String),
    Rules(Vec<RawRule>),
    One(RawRule),
    Other(RawOther),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    to: String,
    #[serde(default)]
    if_present_member_in: Vec<String>,
    #[serde(default)]
    waives: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOther {
    stays: Option<String>,
    refused: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawMemberTarget {
    State(String),
    Other(RawOther),
}

impl RawRule {
    fn rule(&self) -> Rule {
        Rule {
            to: self.to.clone(),
            if_present_member_in: self.if_present_member_in.clone(),
            waives: self.waives.clone(),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.matches('\n').count() + 1)
}

/// `name.vN` as a name and a version.
pub fn parse_key(key: &str) -> Option<(String, u32)> {
    let (name, version) = key.rsplit_once(".v")?;
    let version: u32 = version.parse().ok()?;
    (!name.is_empty()).then(|| (name.to_string(), version))
}

/// `name.vN`.
pub fn key(name: &str, version: u32) -> String {
    format!("{name}.v{version}")
}

impl MigrationMap {
    /// Reads a map's text; `file` names it in messages. The states it names
    /// are checked by [`MigrationMap::check`].
    pub fn parse(file: &str, text: &str) -> Result<MigrationMap, LineErrors> {
        let error = |line: usize, message: String| LineError {
            file: file.to_string(),
            line,
            message,
        };
        let raw: RawMap = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |span| line_of(text, span.start));
            LineErrors(vec![error(line, e.message().trim().to_string())])
        })?;
        let mut errors = Vec::new();
        let mut version_key = |key: &Spanned<String>| {
            let line = line_of(text, key.span().start);
            match parse_key(key.get_ref()) {
                Some(k) => (k, line),
                None => {
                    errors.push(error(
                        line,
                        format!(
                            "'{}' is not a definition's name and version (such as naturalization-family.v1)",
                            key.get_ref()
                        ),
                    ));
                    ((String::new(), 0), line)
                }
            }
        };
        let (from, from_line) = version_key(&raw.from);
        let (to, to_line) = version_key(&raw.to);
        if !errors.is_empty() {
            return Err(LineErrors(errors));
        }
        let other = |line: usize, o: RawOther| match (o.stays, o.refused) {
            (Some(why), None) => Ok(CaseTarget::Stays(why)),
            (None, Some(why)) => Ok(CaseTarget::Refused(why)),
            _ => Err(error(
                line,
                "give either `stays = \"why\"` or `refused = \"why\"`".into(),
            )),
        };
        let mut cases = BTreeMap::new();
        for (state, target) in raw.cases.get_ref() {
            let line = line_of(text, state.span().start);
            let parsed = match target.get_ref() {
                RawCaseTarget::State(to) => Ok(CaseTarget::To(vec![Rule {
                    to: to.clone(),
                    if_present_member_in: Vec::new(),
                    waives: Vec::new(),
                }])),
                RawCaseTarget::Rules(rules) => {
                    Ok(CaseTarget::To(rules.iter().map(RawRule::rule).collect()))
                }
                RawCaseTarget::One(rule) => Ok(CaseTarget::To(vec![rule.rule()])),
                RawCaseTarget::Other(o) => other(
                    line,
                    RawOther {
                        stays: o.stays.clone(),
                        refused: o.refused.clone(),
                    },
                ),
            };
            match parsed {
                Ok(target) => {
                    cases.insert(state.get_ref().clone(), Entry { line, target });
                }
                Err(e) => errors.push(e),
            }
        }
        let mut members = BTreeMap::new();
        for (state, target) in raw.members.get_ref() {
            let line = line_of(text, state.span().start);
            let parsed = match target.get_ref() {
                RawMemberTarget::State(to) => Ok(MemberTarget::To(to.clone())),
                RawMemberTarget::Other(RawOther {
                    stays: None,
                    refused: Some(why),
                }) => Ok(MemberTarget::Refused(why.clone())),
                RawMemberTarget::Other(_) => Err(error(
                    line,
                    "a member state maps to a state or to `refused = \"why\"`".into(),
                )),
            };
            match parsed {
                Ok(target) => {
                    members.insert(state.get_ref().clone(), Entry { line, target });
                }
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(LineErrors(errors));
        }
        Ok(MigrationMap {
            file: file.to_string(),
            from,
            to,
            cases,
            members,
            from_line,
            to_line,
            cases_line: line_of(text, raw.cases.span().start),
            members_line: line_of(text, raw.members.span().start),
        })
    }

    pub fn from_key(&self) -> String {
        key(&self.from.0, self.from.1)
    }

    pub fn to_key(&self) -> String {
        key(&self.to.0, self.to.1)
    }

    /// Checks the map against the definitions it names: every state it
    /// names exists, every state of the old version is mapped, and no
    /// mapping moves a case past a stage of the new version whose duty a
    /// separation rule names and which nobody could have performed under
    /// the old one.
    pub fn check(&self, from: &Workflow, to: &Workflow) -> Result<(), LineErrors> {
        let mut errors: Vec<LineError> = Vec::new();
        let mut error = |line: usize, message: String| {
            errors.push(LineError {
                file: self.file.clone(),
                line,
                message,
            })
        };
        if (from.name.as_str(), from.version) != (self.from.0.as_str(), self.from.1) {
            error(
                self.from_line,
                format!("the map is from {}, not {}", self.from_key(), from.key()),
            );
        }
        if (to.name.as_str(), to.version) != (self.to.0.as_str(), self.to.1) {
            error(
                self.to_line,
                format!("the map is to {}, not {}", self.to_key(), to.key()),
            );
        }
        if from.name != to.name {
            error(
                self.to_line,
                format!(
                    "a map moves cases between versions of one workflow, not from {} to {}",
                    from.name, to.name
                ),
            );
        } else if to.version <= from.version {
            error(
                self.to_line,
                format!(
                    "a map moves cases to a newer version: {} is not newer than {}",
                    to.key(),
                    from.key()
                ),
            );
        }
        let (fk, tk) = (from.key(), to.key());
        for (state, entry) in &self.cases {
            if from.state(state).is_none() {
                error(entry.line, format!("unknown case state '{state}' of {fk}"));
            }
            let CaseTarget::To(rules) = &entry.target else {
                continue;
            };
            if rules.is_empty() {
                error(entry.line, format!("case state '{state}' maps to no rule"));
            }
            for (i, rule) in rules.iter().enumerate() {
                if to.state(&rule.to).is_none() {
                    error(
                        entry.line,
                        format!("'{state}' maps to unknown case state '{}' of {tk}", rule.to),
                    );
                }
                for m in &rule.if_present_member_in {
                    if from.member_state(m).is_none() {
                        error(
                            entry.line,
                            format!("'{state}' names unknown member state '{m}' of {fk}"),
                        );
                    }
                }
                let last = i + 1 == rules.len();
                if last && !rule.if_present_member_in.is_empty() {
                    error(
                        entry.line,
                        format!(
                            "the last rule of '{state}' has a condition: a case that meets none would go nowhere"
                        ),
                    );
                }
                if !last && rule.if_present_member_in.is_empty() {
                    error(
                        entry.line,
                        format!("a rule of '{state}' without a condition hides the rules after it"),
                    );
                }
                if let (Some(old), Some(new)) = (from.state(state), to.state(&rule.to))
                    && old.terminal != new.terminal
                {
                    error(
                        entry.line,
                        format!(
                            "'{state}' is {} in {fk} but '{}' is {} in {tk}",
                            if old.terminal { "closed" } else { "open" },
                            rule.to,
                            if new.terminal { "closed" } else { "open" }
                        ),
                    );
                }
                for duty in &rule.waives {
                    if to.duty(duty).is_none() {
                        error(
                            entry.line,
                            format!("'{state}' waives unknown duty '{duty}' of {tk}"),
                        );
                    }
                }
                if to.state(&rule.to).is_some()
                    && from.state(state).is_some()
                    && let Some(message) = skipped_separation(from, to, state, rule)
                {
                    error(entry.line, message);
                }
            }
        }
        for s in &from.states {
            if !self.cases.contains_key(&s.name) {
                let message = if s.terminal {
                    format!(
                        "closed case state '{}' of {fk} is not mapped: map it or say it stays",
                        s.name
                    )
                } else {
                    format!(
                        "active case state '{}' of {fk} is not mapped: its cases would have nowhere to go",
                        s.name
                    )
                };
                error(self.cases_line, message);
            }
        }
        for (state, entry) in &self.members {
            if from.member_state(state).is_none() {
                error(
                    entry.line,
                    format!("unknown member state '{state}' of {fk}"),
                );
            }
            if let MemberTarget::To(target) = &entry.target
                && to.member_state(target).is_none()
            {
                error(
                    entry.line,
                    format!("'{state}' maps to unknown member state '{target}' of {tk}"),
                );
            }
        }
        for s in &from.member.states {
            if !self.members.contains_key(&s.name) {
                error(
                    self.members_line,
                    format!("member state '{}' of {fk} is not mapped", s.name),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            errors.sort_by_key(|e| e.line);
            Err(LineErrors(errors))
        }
    }

    /// What the map does to `case`, a case of `from`, when it moves to
    /// `to` (both checked against the map). A case whose record of duties
    /// crosses a separation rule of `to` that its record does not already
    /// cross under `from` cannot move: the new rule would have refused one
    /// of its people an action they took. (An imported case may already
    /// cross a rule under `from`, its importer counted for every duty on
    /// the way: it moves, and stays refused to the importer.)
    pub fn move_case(&self, from: &Workflow, to: &Workflow, case: &Case) -> CaseMove {
        let refused = |why: String| CaseMove::Refused {
            state: case.state.clone(),
            why,
        };
        let Some(entry) = self.cases.get(&case.state) else {
            return refused(format!("the map does not name state '{}'", case.state));
        };
        let rules = match &entry.target {
            CaseTarget::Stays(why) => {
                return CaseMove::Stays {
                    state: case.state.clone(),
                    why: why.clone(),
                };
            }
            CaseTarget::Refused(why) => return refused(why.clone()),
            CaseTarget::To(rules) => rules,
        };
        let Some(rule) = rules.iter().find(|r| {
            r.if_present_member_in.is_empty()
                || case
                    .members
                    .iter()
                    .any(|m| !m.abroad && r.if_present_member_in.contains(&m.state))
        }) else {
            return refused(format!("no rule of state '{}' holds", case.state));
        };
        let mut members = Vec::new();
        for m in &case.members {
            match self.members.get(&m.state).map(|e| &e.target) {
                Some(MemberTarget::To(target)) => {
                    if *target != m.state {
                        members.push(MemberMove {
                            ordinal: m.ordinal,
                            from: m.state.clone(),
                            to: target.clone(),
                        });
                    }
                }
                Some(MemberTarget::Refused(why)) => {
                    return refused(format!("member {} is '{}': {why}", m.ordinal, m.state));
                }
                None => {
                    return refused(format!(
                        "member {} is in '{}', which the map does not name",
                        m.ordinal, m.state
                    ));
                }
            }
        }
        if let Some(refusal) = duties::crossed(to, &case.duties)
            && duties::crossed(from, &case.duties).is_none()
        {
            return refused(refusal.text().en);
        }
        CaseMove::Moves {
            from: case.state.clone(),
            to: rule.to.clone(),
            members,
        }
    }
}

// ------------------------------------------------- separation of duties --

/// The case states of `workflow` from which some action of `duty` is
/// taken: the duty's own states, or, for a duty of any state, the states
/// its transitions leave and its member actions may be taken in.
fn duty_states(workflow: &Workflow, duty: &str) -> BTreeSet<String> {
    let Some(d) = workflow.duty(duty) else {
        return BTreeSet::new();
    };
    if !d.states.is_empty() {
        return d.states.iter().cloned().collect();
    }
    let mut states = BTreeSet::new();
    for t in &workflow.transitions {
        if d.actions.contains(&t.action) {
            states.extend(t.from.iter().cloned());
        }
    }
    for t in &workflow.member.transitions {
        if d.actions.contains(&t.action) {
            states.extend(t.case_states.iter().cloned());
        }
    }
    states
}

/// Whether every way from the initial state to `target` passes `through`
/// (`through` ≠ `target`), over the transitions and automatic ones.
fn passes(workflow: &Workflow, through: &str, target: &str) -> bool {
    if through == target {
        return false;
    }
    if workflow.initial == through {
        return true;
    }
    let mut seen = BTreeSet::from([workflow.initial.as_str()]);
    let mut queue = VecDeque::from([workflow.initial.as_str()]);
    while let Some(state) = queue.pop_front() {
        if state == target {
            return false;
        }
        let next = workflow
            .transitions
            .iter()
            .filter(|t| t.from.iter().any(|f| f == state))
            .map(|t| t.to.as_str())
            .chain(
                workflow
                    .automatic
                    .iter()
                    .filter(|a| a.from == state)
                    .map(|a| a.to.as_str()),
            );
        for n in next {
            if n != through && seen.insert(n) {
                queue.push_back(n);
            }
        }
    }
    true
}

/// A message when moving a case from `old` (of `from`) to `new` (of `to`)
/// puts it past a stage of `to` that every case passes on its way to
/// `new`, whose work is a duty a separation rule names, and which a case
/// in `old` cannot have had done: the duty is unknown to `from`, or none
/// of its states in `from` lies on every way to `old`. Such a case would
/// reach the later stages with nobody recorded for that duty, so the rule
/// could not keep its people apart. Duties the rule `waives` are let
/// through.
fn skipped_separation(from: &Workflow, to: &Workflow, old: &str, by: &Rule) -> Option<String> {
    let new = by.to.as_str();
    for rule in &to.separation {
        for duty in rule.duties.iter().filter(|d| !by.waives.contains(d)) {
            let new_states = duty_states(to, duty);
            let Some(stage) = new_states.iter().find(|s| passes(to, s, new)) else {
                continue;
            };
            let done_before = from.duty(duty).is_some()
                && duty_states(from, duty).iter().any(|s| passes(from, s, old));
            if !done_before {
                return Some(format!(
                    "'{old}' → '{new}' skips '{stage}' of {}: its duty '{duty}', separated by rule '{}', was never performed under {} (if cases in '{old}' are rightly past it, say `waives = [\"{duty}\"]`)",
                    to.key(),
                    rule.name,
                    from.key()
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::workflow::duties::Duties;

    const V1: &str = include_str!("../../workflows/naturalization-family.v1.toml");
    const V2: &str = include_str!("../../workflows/naturalization-family.v2.toml");
    const MAP: &str = include_str!("../../workflows/naturalization-family.v1-to-v2.toml");

    fn case_in(state: &str, duties: &[(&str, &str, &str)]) -> Case {
        let mut recorded = Duties::default();
        for (duty, person, action) in duties {
            recorded.add(duty, person, action);
        }
        Case {
            reference: "HSK-2011-000001".into(),
            district: "al_hasakah".into(),
            state: state.into(),
            version: 3,
            duties: recorded,
            family_documents: BTreeSet::new(),
            members: Vec::new(),
            scans: BTreeSet::new(),
            holder: None,
        }
    }

    fn check(from: &Workflow, case: Case, expected: &str) {
        let to = Workflow::from_toml("v2", V2).expect("v2");
        let map = MigrationMap::parse("map", MAP).expect("parses");
        let outcome = match map.move_case(from, &to, &case) {
            CaseMove::Moves { from, to, .. } => format!("moves {from} -> {to}"),
            CaseMove::Stays { why, .. } => format!("stays: {why}"),
            CaseMove::Refused { why, .. } => format!("refused: {why}"),
        };
        assert_eq!(outcome, expected);
    }

    #[test]
    fn a_case_moves_by_its_state_and_a_closed_one_stays() {
        let v1 = Workflow::from_toml("v1", V1).expect("v1");
        check(
            &v1,
            case_in("approval", &[]),
            "moves approval -> security_clearance",
        );
        check(
            &v1,
            case_in("completed", &[]),
            "stays: closed under version 1",
        );
    }

    #[test]
    fn an_imported_case_already_across_a_rule_still_moves() {
        let v1 = Workflow::from_toml("v1", V1).expect("v1");
        let imported = [
            ("intake", "importer", "created"),
            ("verification", "importer", "verify_member"),
        ];
        check(
            &v1,
            case_in("approval", &imported),
            "moves approval -> security_clearance",
        );
    }

    #[test]
    fn a_case_a_new_rule_would_have_stopped_cannot_move() {
        // An old version without the rule: one person did intake and
        // verification, which version 2 keeps apart.
        let mut lax = Workflow::from_toml("v1", V1).expect("v1");
        lax.separation.clear();
        let both = [
            ("intake", "clerk.one", "created"),
            ("verification", "clerk.one", "verify_member"),
        ];
        let CaseMove::Refused { why, .. } =
            MigrationMap::parse("map", MAP).expect("parses").move_case(
                &lax,
                &Workflow::from_toml("v2", V2).expect("v2"),
                &case_in("approval", &both),
            )
        else {
            panic!("the case moved");
        };
        assert!(why.contains("One person takes at most one stage"), "{why}");
    }
}
