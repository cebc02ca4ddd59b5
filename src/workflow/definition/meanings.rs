//! What a definition's states mean, beyond their names: the keys of a state
//! that the rest of the code reads instead of knowing state names.
//!
//! A case state may say how it closes a case (`closes`, on every terminal
//! state) and whether a backlog import may place a case in it
//! (`importable`, with the member state its members take,
//! `import_members`). A member state may say that the person holds the
//! nationality in it (`granted`), which stage of the ID card it is
//! (`card`), that the member was checked and kept (`verified`) or left out
//! (`excluded`). The statistics, the portal, the guards, the reminders, the
//! import and the demo read these; renaming a state in the file changes
//! nothing else.

use std::collections::BTreeMap;

use serde::Serialize;
use toml::Spanned;

use super::Workflow;
use super::raw::RawState;

/// How a terminal state closes a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Done: the persons are registered (and their cards issued or due).
    Completed,
    /// Decided against.
    Rejected,
    /// Given up by the applicant.
    Withdrawn,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Completed, Outcome::Rejected, Outcome::Withdrawn];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Rejected => "rejected",
            Outcome::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// The stage of a member's ID card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStage {
    /// The member is under the card age: the card falls due on a birthday.
    DueAtAge,
    /// The member must come in person (photo and fingerprints).
    AwaitingAppearance,
    /// Photographed; the card is being made.
    InProduction,
    /// Printed, waiting to be handed over.
    Ready,
    /// Handed over.
    Collected,
}

impl CardStage {
    pub const ALL: [CardStage; 5] = [
        CardStage::DueAtAge,
        CardStage::AwaitingAppearance,
        CardStage::InProduction,
        CardStage::Ready,
        CardStage::Collected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CardStage::DueAtAge => "due_at_age",
            CardStage::AwaitingAppearance => "awaiting_appearance",
            CardStage::InProduction => "in_production",
            CardStage::Ready => "ready",
            CardStage::Collected => "collected",
        }
    }

    pub fn parse(text: &str) -> Option<CardStage> {
        CardStage::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// What a state means. Case states use the first three fields, member
/// states the rest; the check refuses a key on the wrong track.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meaning {
    /// A terminal case state: how it closes the case.
    pub closes: Option<Outcome>,
    /// A backlog import may place a case in this state.
    pub importable: bool,
    /// The member state the members of a case imported into this state
    /// take (the member track's initial state when `None`).
    pub import_members: Option<String>,
    /// The person holds the nationality (entered in the civil registry).
    pub granted: bool,
    /// The stage of the member's ID card.
    pub card: Option<CardStage>,
    /// Checked and kept: waiting for the civil-registry entry.
    pub verified: bool,
    /// Left out of the application.
    pub excluded: bool,
}

impl Workflow {
    /// How a case in `state` is closed, if it is.
    pub fn outcome(&self, state: &str) -> Option<Outcome> {
        self.state(state).and_then(|s| s.meaning.closes)
    }

    /// The states that close a case with `outcome`.
    pub fn states_closing(&self, outcome: Outcome) -> impl Iterator<Item = &str> {
        self.states
            .iter()
            .filter(move |s| s.meaning.closes == Some(outcome))
            .map(|s| s.name.as_str())
    }

    /// The states a backlog import may place a case in, in file order.
    pub fn importable_states(&self) -> Vec<&str> {
        self.states
            .iter()
            .filter(|s| s.meaning.importable)
            .map(|s| s.name.as_str())
            .collect()
    }

    /// The member state the members of a case imported into `state` take.
    pub fn imported_member_state(&self, state: &str) -> &str {
        self.state(state)
            .and_then(|s| s.meaning.import_members.as_deref())
            .unwrap_or(&self.member.initial)
    }

    /// Whether a member in `state` holds the nationality.
    pub fn granted(&self, member_state: &str) -> bool {
        self.member_state(member_state)
            .is_some_and(|s| s.meaning.granted)
    }

    /// The member states in which the nationality is granted.
    pub fn granted_states(&self) -> impl Iterator<Item = &str> {
        self.member
            .states
            .iter()
            .filter(|s| s.meaning.granted)
            .map(|s| s.name.as_str())
    }

    /// The card stage of a member in `state`.
    pub fn card_stage(&self, member_state: &str) -> Option<CardStage> {
        self.member_state(member_state).and_then(|s| s.meaning.card)
    }

    /// The member state of a card stage (the check allows at most one).
    pub fn card_state(&self, stage: CardStage) -> Option<&str> {
        self.member
            .states
            .iter()
            .find(|s| s.meaning.card == Some(stage))
            .map(|s| s.name.as_str())
    }

    /// Whether a member in `state` was checked and kept.
    pub fn verified(&self, member_state: &str) -> bool {
        self.member_state(member_state)
            .is_some_and(|s| s.meaning.verified)
    }

    /// Whether a member in `state` is left out of the application.
    pub fn excluded(&self, member_state: &str) -> bool {
        self.member_state(member_state)
            .is_some_and(|s| s.meaning.excluded)
    }

    /// The member state of a verified member (the check allows at most one).
    pub fn verified_state(&self) -> Option<&str> {
        self.member
            .states
            .iter()
            .find(|s| s.meaning.verified)
            .map(|s| s.name.as_str())
    }
}

/// Which track a state is on, for the meaning checks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum On {
    Case,
    Member,
}

/// Turns one state's meaning keys into a [`Meaning`], reporting through
/// `error` a key on the wrong track, an unknown value, or a `closes` that a
/// terminal state lacks or a working state has.
pub(super) fn meaning(
    raw: &RawState,
    on: On,
    error: &mut dyn FnMut(std::ops::Range<usize>, String),
) -> Meaning {
    let (name, terminal) = (&raw.name, raw.terminal);
    let state = name.get_ref();
    let wrong = |key: &str| match on {
        On::Case => format!(
            "state '{state}' cannot say {key}: it is a member state's meaning \
             (move it to a [[member.states]] entry)"
        ),
        On::Member => {
            format!("member state '{state}' cannot say {key}: it is an application state's meaning")
        }
    };
    let mut out = Meaning::default();
    let flag = |v: &Option<Spanned<bool>>| v.as_ref().is_some_and(|b| *b.get_ref());
    match on {
        On::Case => {
            for (key, span) in [
                ("granted", raw.granted.as_ref().map(|v| v.span())),
                ("card", raw.card.as_ref().map(|v| v.span())),
                ("verified", raw.verified.as_ref().map(|v| v.span())),
                ("excluded", raw.excluded.as_ref().map(|v| v.span())),
            ] {
                if let Some(span) = span {
                    error(span, wrong(key));
                }
            }
            match (&raw.closes, terminal) {
                (Some(c), true) => match Outcome::parse(c.get_ref()) {
                    Some(o) => out.closes = Some(o),
                    None => error(
                        c.span(),
                        format!(
                            "state '{state}' closes cases as '{}', which is not an outcome \
                             (one of: {})",
                            c.get_ref(),
                            Outcome::ALL.map(Outcome::as_str).join(", ")
                        ),
                    ),
                },
                (Some(c), false) => error(
                    c.span(),
                    format!("state '{state}' is not terminal, so it closes nothing: remove closes"),
                ),
                (None, true) => error(
                    name.span(),
                    format!(
                        "terminal state '{state}' must say how it closes a case: closes = {}",
                        Outcome::ALL
                            .map(|o| format!("\"{}\"", o.as_str()))
                            .join(" | ")
                    ),
                ),
                (None, false) => {}
            }
            out.importable = flag(&raw.importable);
            if out.importable && terminal {
                error(
                    name.span(),
                    format!(
                        "terminal state '{state}' cannot be importable: an import brings open cases"
                    ),
                );
            }
            if let Some(m) = &raw.import_members {
                if !out.importable {
                    error(
                        m.span(),
                        format!(
                            "state '{state}' names import_members but is not importable \
                             (add importable = true)"
                        ),
                    );
                }
                out.import_members = Some(m.get_ref().clone());
            }
        }
        On::Member => {
            for (key, span) in [
                ("closes", raw.closes.as_ref().map(|v| v.span())),
                ("importable", raw.importable.as_ref().map(|v| v.span())),
                (
                    "import_members",
                    raw.import_members.as_ref().map(|v| v.span()),
                ),
            ] {
                if let Some(span) = span {
                    error(span, wrong(key));
                }
            }
            out.granted = flag(&raw.granted);
            out.verified = flag(&raw.verified);
            out.excluded = flag(&raw.excluded);
            if let Some(c) = &raw.card {
                match CardStage::parse(c.get_ref()) {
                    Some(stage) => out.card = Some(stage),
                    None => error(
                        c.span(),
                        format!(
                            "member state '{state}' names card stage '{}', which does not \
                             exist (one of: {})",
                            c.get_ref(),
                            CardStage::ALL.map(CardStage::as_str).join(", ")
                        ),
                    ),
                }
                if !out.granted {
                    error(
                        c.span(),
                        format!(
                            "member state '{state}' is a card stage but not granted: a card is \
                             issued only to a person entered in the civil registry \
                             (add granted = true)"
                        ),
                    );
                }
            }
            let kinds = [out.granted, out.verified, out.excluded]
                .iter()
                .filter(|b| **b)
                .count();
            if kinds > 1 {
                error(
                    name.span(),
                    format!(
                        "member state '{state}' can mean only one of granted, verified and \
                         excluded"
                    ),
                );
            }
        }
    }
    out
}

/// A case state's name, meaning and where its `import_members` stands.
pub(super) type CaseStateMeaning = (Spanned<String>, Meaning, Option<std::ops::Range<usize>>);

/// The checks across one track's states: a meaning held by one state at
/// most (one verified state, one excluded state, one state per card stage),
/// and the member state an importable state names.
pub(super) fn across(
    states: &[CaseStateMeaning],
    member_states: &[(Spanned<String>, Meaning)],
    error: &mut dyn FnMut(std::ops::Range<usize>, String),
) {
    let mut first: BTreeMap<String, &str> = BTreeMap::new();
    for (name, m) in member_states {
        let mut keys = Vec::new();
        if m.verified {
            keys.push("verified".to_string());
        }
        if m.excluded {
            keys.push("excluded".to_string());
        }
        if let Some(c) = m.card {
            keys.push(format!("card = \"{}\"", c.as_str()));
        }
        for key in keys {
            if let Some(earlier) = first.get(&key) {
                error(
                    name.span(),
                    format!(
                        "member state '{}' says {key}, as '{earlier}' does already: one state \
                         holds each meaning",
                        name.get_ref()
                    ),
                );
            } else {
                first.insert(key, name.get_ref());
            }
        }
    }
    for (name, m, at) in states {
        if let Some(target) = &m.import_members
            && !member_states.iter().any(|(n, _)| n.get_ref() == target)
        {
            error(
                at.clone().unwrap_or(name.span()),
                format!(
                    "state '{}' imports its members as '{target}', which is not a member state",
                    name.get_ref()
                ),
            );
        }
    }
}
