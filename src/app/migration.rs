//! Moving running cases from one version of their workflow to another
//! with a migration map: the plan (what would move where, what cannot and
//! why; nothing written) and the run, in batches, each case one audit
//! event "migrated" in its own chain, written through the head row's one
//! writer under its version guard (a case changed meanwhile is read again
//! and decided again). A run cut short is resumed by running it again: it
//! looks only at the cases still on the old version.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::app::{AppError, Engine};
use crate::domain::audit::{self, AuditDraft};
use crate::store::StoreError;
use crate::store::cases::{self, LoadedCase, MigrationSelection, MigrationWrite};
use crate::workflow::Workflow;
use crate::workflow::machine::local_date;
use crate::workflow::migration::{CaseMove, MigrationMap, parse_key};

/// The audit action of a case's move to another version.
pub use crate::workflow::duties::MIGRATED;

/// How often a case changed by someone else during its move is read and
/// decided again before the run gives up on it (it stays on the old
/// version and a later run takes it).
const RETRIES: usize = 5;

/// What a migration is asked to do.
#[derive(Clone, Debug)]
pub struct MigrationRequest {
    /// `name.vN` of the version cases move from, and to.
    pub from: String,
    pub to: String,
    /// The map; the built-in one between the two versions when `None`.
    pub map: Option<Arc<MigrationMap>>,
    /// Only cases in this state of the old version.
    pub state: Option<String>,
    /// Only cases of this district.
    pub district: Option<String>,
    /// Cases per transaction.
    pub batch: u64,
    /// At most this many cases moved by this call (the API's slices); all
    /// when `None`.
    pub limit: Option<u64>,
}

/// How many cases (families and persons) go one way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub families: u64,
    pub persons: u64,
}

/// A line of a plan: cases from a state to a state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub count: u64,
}

/// Cases that do not move: the state they are in, why, and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Unmoved {
    pub state: String,
    pub why: String,
    pub count: u64,
    /// Up to 10 of their references.
    pub examples: Vec<String>,
}

/// What a migration does (a plan) or did (a run).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub from: String,
    pub to: String,
    /// The map's file.
    pub map: String,
    /// Cases looked at (still on the old version, within the filter).
    pub looked_at: u64,
    /// Cases that move, by state of the old version → state of the new.
    pub cases: Vec<Flow>,
    /// Members whose state changes name, by state → state.
    pub members: Vec<Flow>,
    /// Members of moving cases, whatever their state.
    pub persons_moving: u64,
    /// Cases that keep the old version, as the map plans.
    pub stays: Vec<Unmoved>,
    /// Cases that cannot move, and why.
    pub refused: Vec<Unmoved>,
    /// For a run: cases another writer kept changing (they stay on the
    /// old version; run again).
    pub conflicts: u64,
    /// For a run with a limit: whether cases may remain to be moved.
    pub more: bool,
}

impl Plan {
    pub fn moving(&self) -> u64 {
        self.cases.iter().map(|f| f.count).sum()
    }

    fn add(&mut self, reference: &str, outcome: &CaseMove, persons: usize) {
        let bump = |flows: &mut Vec<Flow>, from: &str, to: &str| match flows
            .iter_mut()
            .find(|f| f.from == from && f.to == to)
        {
            Some(f) => f.count += 1,
            None => flows.push(Flow {
                from: from.to_string(),
                to: to.to_string(),
                count: 1,
            }),
        };
        let unmoved = |list: &mut Vec<Unmoved>, state: &str, why: &str| {
            let entry = match list
                .iter_mut()
                .position(|u| u.state == state && u.why == why)
            {
                Some(i) => &mut list[i],
                None => {
                    list.push(Unmoved {
                        state: state.to_string(),
                        why: why.to_string(),
                        count: 0,
                        examples: Vec::new(),
                    });
                    let last = list.len() - 1;
                    &mut list[last]
                }
            };
            entry.count += 1;
            if entry.examples.len() < 10 {
                entry.examples.push(reference.to_string());
            }
        };
        match outcome {
            CaseMove::Moves { from, to, members } => {
                bump(&mut self.cases, from, to);
                for m in members {
                    bump(&mut self.members, &m.from, &m.to);
                }
                self.persons_moving += persons as u64;
            }
            CaseMove::Stays { state, why } => unmoved(&mut self.stays, state, why),
            CaseMove::Refused { state, why } => unmoved(&mut self.refused, state, why),
        }
    }

    /// The lists in a stable order (for printing and comparing).
    fn sort(&mut self) {
        self.cases
            .sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        self.members
            .sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        self.stays
            .sort_by(|a, b| (&a.state, &a.why).cmp(&(&b.state, &b.why)));
        self.refused
            .sort_by(|a, b| (&a.state, &a.why).cmp(&(&b.state, &b.why)));
    }
}

/// Progress of a run, after each batch.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub looked_at: u64,
    pub moved: u64,
}

struct Resolved {
    map: Arc<MigrationMap>,
    from: Arc<Workflow>,
    to: Arc<Workflow>,
    selection: MigrationSelection,
}

fn resolve(engine: &Engine, request: &MigrationRequest) -> Result<Resolved, AppError> {
    let invalid = |field: &str, message: String| {
        AppError::Invalid(vec![crate::domain::field_error::FieldError::new(
            field, message,
        )])
    };
    let definition = |field: &str, key: &str| {
        let (name, version) = parse_key(key).ok_or_else(|| {
            invalid(
                field,
                format!("'{key}' is not a definition's name and version (name.vN)"),
            )
        })?;
        engine
            .workflows
            .get(&name, version)
            .ok_or_else(|| AppError::NotFound(crate::domain::words::problems::no_workflow(key)))
    };
    let from = definition("from", &request.from)?;
    let to = definition("to", &request.to)?;
    let map = match &request.map {
        Some(map) => {
            map.check(&from, &to)
                .map_err(|e| invalid("map", e.to_string()))?;
            map.clone()
        }
        None => engine
            .workflows
            .map(&request.from, &request.to)
            .ok_or_else(|| {
                AppError::NotFound(crate::domain::words::problems::no_migration_map(
                    &request.from,
                    &request.to,
                ))
            })?,
    };
    if let Some(state) = &request.state
        && from.state(state).is_none()
    {
        return Err(invalid(
            "state",
            format!("'{state}' is not a state of {}", request.from),
        ));
    }
    if let Some(district) = &request.district {
        engine
            .places
            .check_district("district", district)
            .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    Ok(Resolved {
        selection: MigrationSelection {
            name: from.name.clone(),
            version: from.version as i32,
            state: request.state.clone(),
            district: request.district.clone(),
        },
        map,
        from,
        to,
    })
}

fn empty_plan(resolved: &Resolved) -> Plan {
    Plan {
        from: resolved.from.key(),
        to: resolved.to.key(),
        map: resolved.map.file.clone(),
        ..Plan::default()
    }
}

/// What a migration would do, case by case, writing nothing.
pub async fn plan(engine: &Engine, request: &MigrationRequest) -> Result<Plan, AppError> {
    let resolved = resolve(engine, request)?;
    let mut plan = empty_plan(&resolved);
    let mut after = 0;
    loop {
        let batch = cases::migration_candidates(
            &engine.store,
            &resolved.selection,
            after,
            request.batch.max(1),
        )
        .await?;
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        for (_, reference) in &batch {
            let loaded = cases::read_case(&engine.store, reference).await?;
            let outcome = resolved
                .map
                .move_case(&resolved.from, &resolved.to, &loaded.case);
            plan.looked_at += 1;
            plan.add(reference, &outcome, loaded.case.members.len());
        }
    }
    plan.sort();
    Ok(plan)
}

/// Moves the cases the request selects, batch by batch (each batch one
/// transaction), calling `progress` after each. Returns what it did, in
/// the shape of a plan.
pub async fn apply(
    engine: &Engine,
    request: &MigrationRequest,
    actor: &str,
    mut progress: impl FnMut(Progress),
    mut now: impl FnMut() -> DateTime<Utc>,
) -> Result<Plan, AppError> {
    let resolved = resolve(engine, request)?;
    let mut done = empty_plan(&resolved);
    let mut after = 0;
    let mut moved = 0_u64;
    'batches: loop {
        let size = match request.limit {
            Some(limit) => request.batch.max(1).min(limit - moved.min(limit)),
            None => request.batch.max(1),
        };
        if size == 0 {
            done.more = true;
            break;
        }
        let batch =
            cases::migration_candidates(&engine.store, &resolved.selection, after, size).await?;
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        let tx = engine.store.begin().await?;
        for (_, reference) in &batch {
            let mut attempt = 0;
            loop {
                attempt += 1;
                let loaded = cases::load_case(&tx, reference).await?;
                if (
                    loaded.record.workflow_name.as_str(),
                    loaded.record.workflow_version,
                ) != (resolved.from.name.as_str(), resolved.from.version as i32)
                {
                    // Moved by another run meanwhile.
                    break;
                }
                let outcome = resolved
                    .map
                    .move_case(&resolved.from, &resolved.to, &loaded.case);
                done.looked_at += 1;
                let CaseMove::Moves { .. } = &outcome else {
                    done.add(reference, &outcome, loaded.case.members.len());
                    break;
                };
                match write_move(engine, &tx, &resolved, &loaded, &outcome, actor, now()).await {
                    Ok(()) => {
                        done.add(reference, &outcome, loaded.case.members.len());
                        moved += 1;
                        break;
                    }
                    Err(StoreError::Conflict) if attempt < RETRIES => {
                        done.looked_at -= 1;
                        continue;
                    }
                    Err(StoreError::Conflict) => {
                        done.conflicts += 1;
                        break;
                    }
                    Err(other) => return Err(other.into()),
                }
            }
        }
        tx.commit().await?;
        progress(Progress {
            looked_at: done.looked_at,
            moved,
        });
        if request.limit.is_some_and(|limit| moved >= limit) {
            done.more = true;
            break 'batches;
        }
    }
    done.sort();
    Ok(done)
}

async fn write_move(
    engine: &Engine,
    tx: &crate::store::Tx,
    resolved: &Resolved,
    loaded: &LoadedCase,
    outcome: &CaseMove,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let CaseMove::Moves { from, to, members } = outcome else {
        return Ok(());
    };
    let today = local_date(now);
    let mut next = loaded.case.clone();
    next.version += 1;
    next.state = to.clone();
    for m in members {
        if let Some(member) = next.members.iter_mut().find(|x| x.ordinal == m.ordinal) {
            member.state = m.to.clone();
            member.state_changed_on = Some(today);
        }
    }
    let (clock, state_entered_at) = if to != from {
        (
            loaded
                .clock()
                .enter(&resolved.to, &engine.calendar, to, today),
            audit::audit_time(now),
        )
    } else {
        (loaded.clock(), loaded.record.state_entered_at)
    };
    let member_moves: BTreeMap<String, (String, String)> = members
        .iter()
        .map(|m| (m.ordinal.to_string(), (m.from.clone(), m.to.clone())))
        .collect();
    let event = audit::seal(
        &loaded.record.reference,
        AuditDraft {
            at: now,
            actor: actor.to_string(),
            action: MIGRATED.into(),
            member: None,
            from_state: from.clone(),
            to_state: to.clone(),
            payload: json!({
                "summary": format!(
                    "migrated v{} → v{}: {from} → {to}",
                    resolved.from.version, resolved.to.version
                ),
                "from_workflow": resolved.from.key(),
                "to_workflow": resolved.to.key(),
                "map": resolved.map.file,
                "members": member_moves,
            }),
        },
        loaded.record.audit_seq,
        &loaded.record.last_hash,
    );
    let changed: Vec<u32> = members.iter().map(|m| m.ordinal).collect();
    cases::save_migration(
        tx,
        loaded,
        MigrationWrite {
            version: resolved.to.version as i32,
            next: &next,
            clock,
            state_entered_at,
            changed_members: &changed,
            today,
            event: &event,
            now,
        },
    )
    .await
}

impl Plan {
    /// The plan as a person reads it at a terminal.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{} → {} (map {})\n{} cases looked at; {} move with {} persons\n",
            self.from,
            self.to,
            self.map,
            self.looked_at,
            self.moving(),
            self.persons_moving
        );
        if !self.cases.is_empty() {
            out.push_str("\ncases  from → to\n");
            for f in &self.cases {
                out.push_str(&format!("{:>7}  {} → {}\n", f.count, f.from, f.to));
            }
        }
        if !self.members.is_empty() {
            out.push_str("\nmembers  from → to\n");
            for f in &self.members {
                out.push_str(&format!("{:>8}  {} → {}\n", f.count, f.from, f.to));
            }
        } else {
            out.push_str("\nmembers: every member keeps its state's name\n");
        }
        for (title, list) in [
            ("stay on the old version", &self.stays),
            ("cannot move", &self.refused),
        ] {
            if list.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{title}:\n"));
            for u in list {
                out.push_str(&format!("{:>7}  {}: {}", u.count, u.state, u.why));
                if list == &self.refused {
                    out.push_str(&format!(" (e.g. {})", u.examples.join(", ")));
                }
                out.push('\n');
            }
        }
        if self.conflicts > 0 {
            out.push_str(&format!(
                "\n{} cases kept changing while they were moved: run again\n",
                self.conflicts
            ));
        }
        if self.more {
            out.push_str("\nmore cases remain: run again\n");
        }
        out
    }
}

/// Only admins plan and apply migrations: they change every district's
/// cases and take no workflow action of their own.
pub fn may_migrate(actor: &crate::workflow::Actor) -> Result<(), AppError> {
    use crate::domain::roles::Role;
    if actor.roles.contains(&Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Refused(crate::app::refused::role_not_allowed(
            "migrate_cases",
            &[Role::Admin],
        )))
    }
}
