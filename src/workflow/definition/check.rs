//! The validation of a workflow file: from its serde mirror to a
//! [`Workflow`], collecting every problem as `file:line: message`.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;

use toml::Spanned;

use super::meanings::{self, On};
use super::raw::{RawAutomatic, RawNotify, RawReminder, RawState, RawTransition, RawWorkflow};
use super::{
    AutomaticDef, Concern, MemberTrack, NotifyDef, Recipient, ReminderRule, StateDef,
    TransitionDef, Workflow,
};
use crate::domain::family::Persons;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::workflow::fields::FieldKind;
use crate::workflow::guards::{Guard, GuardScope};

mod duties;
mod graph;

/// One problem found in a definition file; every problem of one file.
pub use crate::domain::line_errors::{
    LineError as DefinitionError, LineErrors as DefinitionErrors,
};

impl Workflow {
    /// Parses and validates a definition. `file` names it in error messages.
    pub fn from_toml(file: &str, text: &str) -> Result<Workflow, DefinitionErrors> {
        let raw: RawWorkflow = toml::from_str(text).map_err(|error| {
            let line = error.span().map_or(1, |span| line_of(text, span.start));
            DefinitionErrors(vec![DefinitionError {
                file: file.to_string(),
                line,
                message: error.message().trim().to_string(),
            }])
        })?;
        let mut checker = Checker {
            file,
            text,
            errors: Vec::new(),
        };
        let workflow = checker.check(raw);
        if checker.errors.is_empty() {
            Ok(workflow)
        } else {
            checker.errors.sort_by_key(|e| e.line);
            Err(DefinitionErrors(checker.errors))
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.matches('\n').count() + 1)
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<DefinitionError>,
}

/// Which track a transition belongs to, for messages and guard scopes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Track {
    Application,
    Member,
}

impl Track {
    fn noun(self) -> &'static str {
        match self {
            Track::Application => "state",
            Track::Member => "member state",
        }
    }
}

impl Checker<'_> {
    fn error(&mut self, span: std::ops::Range<usize>, message: String) {
        self.errors.push(DefinitionError {
            file: self.file.to_string(),
            line: line_of(self.text, span.start),
            message,
        });
    }

    fn check(&mut self, raw: RawWorkflow) -> Workflow {
        let states = self.states(&raw.states, Track::Application);
        let member_states = self.states(&raw.member.states, Track::Member);
        let state_names: BTreeSet<String> = states.iter().map(|s| s.name.clone()).collect();
        let member_names: BTreeSet<String> = member_states.iter().map(|s| s.name.clone()).collect();

        self.known_state(
            &raw.initial,
            &state_names,
            Track::Application,
            "initial state",
        );
        self.known_state(
            &raw.member.initial,
            &member_names,
            Track::Member,
            "initial state",
        );

        let transitions = self.transitions(
            &raw.transitions,
            &state_names,
            &state_names,
            Track::Application,
        );
        let member_transitions = self.transitions(
            &raw.member.transitions,
            &member_names,
            &state_names,
            Track::Member,
        );
        self.worked_by(
            &raw.states,
            &raw.member.states,
            &transitions,
            &member_transitions,
        );
        let automatic = self.automatic(&raw.automatic, &state_names, Track::Application);
        let member_automatic = self.automatic(&raw.member.automatic, &member_names, Track::Member);

        // One action name means one thing across both tracks.
        let family_actions: BTreeSet<&str> = raw
            .transitions
            .iter()
            .map(|t| t.action.get_ref().as_str())
            .collect();
        for t in &raw.member.transitions {
            if family_actions.contains(t.action.get_ref().as_str()) {
                self.error(
                    t.action.span(),
                    format!(
                        "action '{}' is both an application and a member action",
                        t.action.get_ref()
                    ),
                );
            }
        }

        self.graph(
            &raw.states,
            &raw.initial,
            &raw.transitions,
            &raw.automatic,
            Track::Application,
        );
        self.graph(
            &raw.member.states,
            &raw.member.initial,
            &raw.member.transitions,
            &raw.member.automatic,
            Track::Member,
        );

        let reminders = self.reminders(&raw.reminders, &state_names);
        self.meanings_across(&raw, &states, &member_states, &reminders);
        let duties = self.duties(
            &raw.duties,
            &raw.transitions,
            &raw.member.transitions,
            &state_names,
        );
        let separation = self.separation(&raw.separation, &duties);
        let persons = self.persons(&raw);
        let needs_scan = self.documents(&raw.documents);
        let form = self.form(&raw.form, persons, &transitions);
        let scan_retention_days = raw.scan_retention_days.map(|days| {
            if *days.get_ref() == 0 {
                self.error(
                    days.span(),
                    "scan_retention_days must be at least 1 (leave it out to keep scans for ever)"
                        .into(),
                );
            }
            days.into_inner()
        });

        Workflow {
            name: raw.name.into_inner(),
            version: raw.version,
            title: raw.title,
            initial: raw.initial.into_inner(),
            card_age: raw.card_age.unwrap_or(14),
            persons,
            states,
            transitions,
            automatic,
            member: MemberTrack {
                initial: raw.member.initial.into_inner(),
                states: member_states,
                transitions: member_transitions,
                automatic: member_automatic,
            },
            reminders,
            duties,
            separation,
            needs_scan,
            scan_retention_days,
            form,
        }
    }

    /// The `[form]`: known document kinds, each named once, a case's
    /// documents apart from a person's; no register entry asked of a person
    /// who has none; and every document a guard of the workflow requires
    /// asked for.
    fn form(
        &mut self,
        raw: &super::raw::RawForm,
        persons: Persons,
        transitions: &[TransitionDef],
    ) -> super::FormDef {
        use crate::domain::family::DocumentKind;
        let mut seen = BTreeSet::new();
        let mut kinds = |checker: &mut Self, list: &[Spanned<String>], of_case: bool| {
            let mut out = Vec::new();
            for name in list {
                let Some(kind) = DocumentKind::parse(name.get_ref()) else {
                    let known: Vec<&str> = DocumentKind::ALL.iter().map(|k| k.as_str()).collect();
                    checker.error(
                        name.span(),
                        format!(
                            "unknown document kind '{}' (known: {})",
                            name.get_ref(),
                            known.join(", ")
                        ),
                    );
                    continue;
                };
                if !seen.insert(kind) {
                    checker.error(
                        name.span(),
                        format!("the form names document kind '{}' twice", name.get_ref()),
                    );
                }
                let family_level = DocumentKind::FAMILY_REQUIRED.contains(&kind);
                if family_level != of_case {
                    checker.error(
                        name.span(),
                        format!(
                            "document kind '{}' is filed {}, not {}",
                            name.get_ref(),
                            if family_level {
                                "by the case as a whole"
                            } else {
                                "by each person"
                            },
                            if of_case {
                                "by the case as a whole"
                            } else {
                                "by each person"
                            },
                        ),
                    );
                }
                out.push(kind);
            }
            out
        };
        let case_documents = kinds(self, &raw.case_documents, true);
        let member_documents = kinds(self, &raw.member_documents, false);
        let member_documents_if_needed = kinds(self, &raw.member_documents_if_needed, false);
        if *raw.register_number.get_ref() && persons == Persons::One {
            self.error(
                raw.register_number.span(),
                "register_number = true, but a one-person workflow's person has no register entry (persons = \"one\")".into(),
            );
        }
        // What a guard requires, the form asks for.
        let mut required: Vec<(Guard, DocumentKind, bool)> = Vec::new();
        for guard in transitions.iter().flat_map(|t| t.guards.iter().copied()) {
            match guard {
                Guard::DocumentsComplete => {
                    required.extend(
                        DocumentKind::FAMILY_REQUIRED
                            .iter()
                            .map(|k| (guard, *k, true)),
                    );
                    required.extend(
                        DocumentKind::MEMBER_REQUIRED
                            .iter()
                            .map(|k| (guard, *k, false)),
                    );
                }
                Guard::EvidenceComplete => {
                    required.extend(
                        DocumentKind::EVIDENCE_REQUIRED
                            .iter()
                            .map(|k| (guard, *k, false)),
                    );
                }
                Guard::CourtDecisionIfAdult => {
                    required.push((guard, DocumentKind::CourtDecision, false));
                }
                _ => {}
            }
        }
        let span = raw.register_number.span();
        let mut told = BTreeSet::new();
        for (guard, kind, of_case) in required {
            let asked = if of_case {
                case_documents.contains(&kind)
            } else {
                member_documents.contains(&kind) || member_documents_if_needed.contains(&kind)
            };
            if !asked && told.insert(kind) {
                self.error(
                    span.clone(),
                    format!(
                        "the form does not ask for '{}', which guard '{}' requires",
                        kind.as_str(),
                        guard.as_str()
                    ),
                );
            }
        }
        super::FormDef {
            new: raw.new.clone(),
            edit: raw.edit.clone(),
            persons: raw.persons.clone(),
            person: raw.person.clone(),
            register_number: *raw.register_number.get_ref(),
            case_documents,
            member_documents,
            member_documents_if_needed,
        }
    }

    /// The document kinds that need a scan: each a known kind, named once.
    fn documents(
        &mut self,
        raw: &[super::raw::RawDocument],
    ) -> BTreeSet<crate::domain::family::DocumentKind> {
        let mut named = BTreeSet::new();
        let mut needs_scan = BTreeSet::new();
        for document in raw {
            let name = document.kind.get_ref();
            match crate::domain::family::DocumentKind::parse(name) {
                None => {
                    let known: Vec<&str> = crate::domain::family::DocumentKind::ALL
                        .iter()
                        .map(|k| k.as_str())
                        .collect();
                    self.error(
                        document.kind.span(),
                        format!(
                            "unknown document kind '{name}' (known: {})",
                            known.join(", ")
                        ),
                    );
                }
                Some(kind) => {
                    if !named.insert(kind) {
                        self.error(
                            document.kind.span(),
                            format!("document kind '{name}' is listed twice"),
                        );
                    }
                    if document.needs_scan {
                        needs_scan.insert(kind);
                    }
                }
            }
        }
        needs_scan
    }

    /// Whom a case covers, and the states that say where a one-person case
    /// joins a family: `takes_members` only on a family workflow's open
    /// states, `joins_family` only on a one-person workflow's states.
    fn persons(&mut self, raw: &RawWorkflow) -> Persons {
        let persons = match &raw.persons {
            None => Persons::Family,
            Some(p) => Persons::parse(p.get_ref()).unwrap_or_else(|| {
                self.error(
                    p.span(),
                    format!("persons '{}' is neither 'family' nor 'one'", p.get_ref()),
                );
                Persons::Family
            }),
        };
        for s in &raw.states {
            let name = s.name.get_ref();
            if s.takes_members && (persons != Persons::Family || s.terminal) {
                self.error(
                    s.name.span(),
                    format!(
                        "state '{name}' takes members, but only an open state of a family workflow can"
                    ),
                );
            }
            if s.joins_family && persons != Persons::One {
                self.error(
                    s.name.span(),
                    format!(
                        "state '{name}' joins a family, but only a state of a one-person workflow (persons = \"one\") can"
                    ),
                );
            }
        }
        for s in &raw.member.states {
            if s.takes_members || s.joins_family {
                self.error(
                    s.name.span(),
                    format!(
                        "member state '{}' cannot take members or join a family: application states do",
                        s.name.get_ref()
                    ),
                );
            }
        }
        persons
    }

    fn states(&mut self, raw: &[RawState], track: Track) -> Vec<StateDef> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for s in raw {
            let name = s.name.get_ref();
            if !seen.insert(name.clone()) {
                self.error(
                    s.name.span(),
                    format!("{} '{name}' is defined twice", track.noun()),
                );
            }
            if s.terminal && s.sla_days.is_some() {
                self.error(
                    s.name.span(),
                    format!("terminal {} '{name}' cannot have an SLA", track.noun()),
                );
            }
            let mut worked_by = Vec::new();
            for r in &s.worked_by {
                match Role::parse(r.get_ref()) {
                    Some(role) => worked_by.push(role),
                    None => self.error(r.span(), format!("unknown role '{}'", r.get_ref())),
                }
            }
            let on = match track {
                Track::Application => On::Case,
                Track::Member => On::Member,
            };
            let mut errors = Vec::new();
            let meaning =
                meanings::meaning(s, on, &mut |span, message| errors.push((span, message)));
            for (span, message) in errors {
                self.error(span, message);
            }
            out.push(StateDef {
                name: name.clone(),
                labels: Text {
                    ar: s.ar.clone(),
                    en: s.en.clone(),
                },
                sla_days: s.sla_days,
                terminal: s.terminal,
                pauses_clock: s.pauses_clock,
                worked_by,
                takes_members: s.takes_members,
                joins_family: s.joins_family,
                meaning,
            });
        }
        out
    }

    /// The meanings checked across states: one state per meaning, the
    /// member state an importable state names, and the meanings the
    /// reminders rely on.
    fn meanings_across(
        &mut self,
        raw: &RawWorkflow,
        states: &[StateDef],
        member_states: &[StateDef],
        reminders: &[ReminderRule],
    ) {
        let spanned =
            |raw: &[RawState], defs: &[StateDef]| -> Vec<(Spanned<String>, meanings::Meaning)> {
                raw.iter()
                    .zip(defs)
                    .map(|(r, d)| (r.name.clone(), d.meaning.clone()))
                    .collect()
            };
        let case: Vec<_> = spanned(&raw.states, states)
            .into_iter()
            .zip(&raw.states)
            .map(|((name, meaning), r)| {
                (name, meaning, r.import_members.as_ref().map(|m| m.span()))
            })
            .collect();
        let member = spanned(&raw.member.states, member_states);
        let mut errors = Vec::new();
        meanings::across(&case, &member, &mut |span, message| {
            errors.push((span, message))
        });
        for (rule, needs) in [
            (Concern::CardDueBirthday, meanings::CardStage::DueAtAge),
            (
                Concern::CardNotCollected { after_days: 0 },
                meanings::CardStage::Ready,
            ),
        ] {
            let uses = reminders.iter().zip(&raw.reminders).find(|(r, _)| {
                std::mem::discriminant(&r.concerns) == std::mem::discriminant(&rule)
            });
            if let Some((r, at)) = uses
                && !member_states.iter().any(|s| s.meaning.card == Some(needs))
            {
                errors.push((
                    at.concerns.span(),
                    format!(
                        "reminder '{}' concerns cards at stage '{}', but no member state \
                         says card = \"{}\"",
                        r.name,
                        needs.as_str(),
                        needs.as_str()
                    ),
                ));
            }
        }
        for (span, message) in errors {
            self.error(span, message);
        }
    }

    /// Every non-terminal application state names the roles that work it,
    /// each of which has an action there (on the application, or on its
    /// members); terminal and member states name none.
    fn worked_by(
        &mut self,
        states: &[RawState],
        member_states: &[RawState],
        transitions: &[TransitionDef],
        member_transitions: &[TransitionDef],
    ) {
        // Whether a role acts in a state is only asked of transitions that
        // are otherwise sound (an unknown role there is reported once).
        let transitions_sound = self.errors.is_empty();
        for s in states {
            let name = s.name.get_ref();
            if s.terminal {
                if let Some(first) = s.worked_by.first() {
                    self.error(
                        first.span(),
                        format!(
                            "terminal state '{name}' is worked by no one: remove its worked_by"
                        ),
                    );
                }
                continue;
            }
            if s.worked_by.is_empty() {
                self.error(
                    s.name.span(),
                    format!(
                        "non-terminal state '{name}' names no role in worked_by \
                         (the roles whose action moves it on, whose work queues list it)"
                    ),
                );
            }
            for r in &s.worked_by {
                let Some(role) = Role::parse(r.get_ref()) else {
                    continue;
                };
                let acts_here = transitions
                    .iter()
                    .any(|t| t.roles.contains(&role) && t.from.iter().any(|f| f == name))
                    || member_transitions.iter().any(|t| {
                        t.roles.contains(&role) && t.case_states.iter().any(|c| c == name)
                    });
                if transitions_sound && !acts_here {
                    self.error(
                        r.span(),
                        format!(
                            "role '{}' works state '{name}' but has no action there",
                            r.get_ref()
                        ),
                    );
                }
            }
        }
        for s in member_states {
            if let Some(first) = s.worked_by.first() {
                self.error(
                    first.span(),
                    format!(
                        "member state '{}' cannot name worked_by: work queues list cases by \
                         their application state",
                        s.name.get_ref()
                    ),
                );
            }
        }
    }

    fn known_state(
        &mut self,
        name: &Spanned<String>,
        known: &BTreeSet<String>,
        track: Track,
        what: &str,
    ) -> bool {
        if known.contains(name.get_ref()) {
            true
        } else {
            self.error(
                name.span(),
                format!("unknown {} '{}' as {what}", track.noun(), name.get_ref()),
            );
            false
        }
    }

    fn guards(&mut self, raw: &[Spanned<String>], track: Track) -> Vec<Guard> {
        let mut out = Vec::new();
        for g in raw {
            match Guard::parse(g.get_ref()) {
                Some(guard) => {
                    if track == Track::Application && guard.scope() == GuardScope::Member {
                        self.error(
                            g.span(),
                            format!(
                                "guard '{}' checks one member and cannot guard an application transition",
                                g.get_ref()
                            ),
                        );
                    }
                    out.push(guard);
                }
                None => self.error(g.span(), format!("unknown guard '{}'", g.get_ref())),
            }
        }
        out
    }

    fn notify(&mut self, raw: &[RawNotify]) -> Vec<NotifyDef> {
        let mut out = Vec::new();
        for n in raw {
            match Recipient::parse(n.to.get_ref()) {
                Some(to) if to != Recipient::LeadershipDigest => out.push(NotifyDef {
                    to,
                    template: n.template.clone(),
                }),
                _ => self.error(
                    n.to.span(),
                    format!("unknown notification recipient '{}'", n.to.get_ref()),
                ),
            }
        }
        out
    }

    fn transitions(
        &mut self,
        raw: &[RawTransition],
        own_states: &BTreeSet<String>,
        case_states: &BTreeSet<String>,
        track: Track,
    ) -> Vec<TransitionDef> {
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut out = Vec::new();
        for t in raw {
            let action = t.action.get_ref();
            if action.is_empty() || !action.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                self.error(
                    t.action.span(),
                    format!("action '{action}' must be lowercase letters and underscores"),
                );
            }
            for from in &t.from {
                self.known_state(from, own_states, track, &format!("'from' of '{action}'"));
                let key = (action.clone(), from.get_ref().clone());
                if seen
                    .insert(key, line_of(self.text, t.action.span().start))
                    .is_some()
                {
                    self.error(
                        t.action.span(),
                        format!(
                            "action '{action}' is defined twice from {} '{}'",
                            track.noun(),
                            from.get_ref()
                        ),
                    );
                }
            }
            if t.from.is_empty() {
                self.error(
                    t.action.span(),
                    format!("action '{action}' has no 'from' state"),
                );
            }
            for (key, label) in [("ar", &t.ar), ("en", &t.en)] {
                if label.as_deref().is_some_and(|l| l.trim().is_empty()) {
                    self.error(
                        t.action.span(),
                        format!("action '{action}' has an empty '{key}' label"),
                    );
                }
            }
            self.known_state(&t.to, own_states, track, &format!("'to' of '{action}'"));
            let mut roles = Vec::new();
            for r in &t.roles {
                match Role::parse(r.get_ref()) {
                    Some(role) => roles.push(role),
                    None => self.error(r.span(), format!("unknown role '{}'", r.get_ref())),
                }
            }
            if t.roles.is_empty() {
                self.error(t.action.span(), format!("action '{action}' names no role"));
            }
            let guards = self.guards(&t.guards, track);
            let mut fields = Vec::new();
            for f in &t.fields {
                match FieldKind::parse(f.get_ref()) {
                    Some(kind) => fields.push(kind),
                    None => self.error(f.span(), format!("unknown field '{}'", f.get_ref())),
                }
            }
            match track {
                Track::Application => {
                    if let Some(first) = t.case_states.first() {
                        self.error(
                            first.span(),
                            format!("application action '{action}' cannot name case_states"),
                        );
                    }
                }
                Track::Member => {
                    for s in &t.case_states {
                        self.known_state(
                            s,
                            case_states,
                            Track::Application,
                            &format!("case state of '{action}'"),
                        );
                    }
                    if t.case_states.is_empty() {
                        self.error(
                            t.action.span(),
                            format!("member action '{action}' names no case_states"),
                        );
                    }
                }
            }
            out.push(TransitionDef {
                action: action.clone(),
                labels: Text {
                    ar: t.ar.clone().unwrap_or_else(|| action.clone()),
                    en: t.en.clone().unwrap_or_else(|| action.clone()),
                },
                from: t.from.iter().map(|s| s.get_ref().clone()).collect(),
                to: t.to.get_ref().clone(),
                roles,
                guards,
                fields,
                notify: self.notify(&t.notify),
                case_states: t.case_states.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
        out
    }

    fn automatic(
        &mut self,
        raw: &[RawAutomatic],
        own_states: &BTreeSet<String>,
        track: Track,
    ) -> Vec<AutomaticDef> {
        let mut out = Vec::new();
        for a in raw {
            self.known_state(
                &a.from,
                own_states,
                track,
                "'from' of an automatic transition",
            );
            self.known_state(&a.to, own_states, track, "'to' of an automatic transition");
            if a.guards.is_empty() {
                self.error(
                    a.from.span(),
                    "an automatic transition needs at least one guard".to_string(),
                );
            }
            out.push(AutomaticDef {
                from: a.from.get_ref().clone(),
                to: a.to.get_ref().clone(),
                guards: self.guards(&a.guards, track),
                notify: self.notify(&a.notify),
            });
        }
        out
    }

    fn reminders(
        &mut self,
        raw: &[RawReminder],
        state_names: &BTreeSet<String>,
    ) -> Vec<ReminderRule> {
        let mut out = Vec::new();
        let mut names = BTreeSet::new();
        for r in raw {
            let name = r.name.get_ref();
            if !names.insert(name.clone()) {
                self.error(r.name.span(), format!("reminder '{name}' is defined twice"));
            }
            let schedule = match cron::Schedule::from_str(r.schedule.get_ref()) {
                Ok(schedule) => Some(schedule),
                Err(error) => {
                    self.error(
                        r.schedule.span(),
                        format!(
                            "reminder '{name}' has a malformed cron schedule '{}': {error} \
                             (expected seconds minutes hours day-of-month month day-of-week, \
                             e.g. '0 0 7 * * Sun-Thu')",
                            r.schedule.get_ref()
                        ),
                    );
                    None
                }
            };
            if let Some(state) = &r.state {
                self.known_state(
                    state,
                    state_names,
                    Track::Application,
                    &format!("state of reminder '{name}'"),
                );
            }
            let after_days = |checker: &mut Self| match r.after_days {
                Some(days) => days,
                None => {
                    checker.error(
                        r.concerns.span(),
                        format!("reminder '{name}' needs 'after_days'"),
                    );
                    0
                }
            };
            let concerns = match r.concerns.get_ref().as_str() {
                "state_overdue" => Some(Concern::StateOverdue {
                    state: r.state.as_ref().map(|s| s.get_ref().clone()),
                    after_working_days: r.after_working_days.unwrap_or(0),
                }),
                "card_due_birthday" => Some(Concern::CardDueBirthday),
                "card_not_collected" => Some(Concern::CardNotCollected {
                    after_days: after_days(self),
                }),
                "returned_no_answer" => Some(Concern::ReturnedNoAnswer {
                    after_days: after_days(self),
                }),
                other => {
                    self.error(
                        r.concerns.span(),
                        format!(
                            "reminder '{name}' concerns unknown cases '{other}' (known: \
                             state_overdue, card_due_birthday, card_not_collected, returned_no_answer)"
                        ),
                    );
                    None
                }
            };
            let mut notify = Vec::new();
            for n in &r.notify {
                match Recipient::parse(n.get_ref()) {
                    Some(to) => notify.push(to),
                    None => self.error(
                        n.span(),
                        format!("unknown reminder recipient '{}'", n.get_ref()),
                    ),
                }
            }
            if r.notify.is_empty() {
                self.error(r.name.span(), format!("reminder '{name}' notifies nobody"));
            }
            if let (Some(schedule), Some(concerns)) = (schedule, concerns) {
                out.push(ReminderRule {
                    name: name.clone(),
                    schedule_text: r.schedule.get_ref().clone(),
                    schedule,
                    concerns,
                    notify,
                    template: r.template.clone(),
                });
            }
        }
        out
    }
}
