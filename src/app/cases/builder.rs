//! `CaseBuilder`: a case built in memory and stored in one go.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::json;

use crate::app::AppError;
use crate::domain::audit::{self, AuditDraft};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::family::Application;
use crate::store::cases::{CaseMeta, NewCase};
use crate::workflow::duties::{self, Duties};
use crate::workflow::machine::local_date;
use crate::workflow::sla::{Clock, Timing};
use crate::workflow::{Actor, Case, CaseMember, Command, Refusal, Workflow, decide};

use super::{CREATED, IMPORTED, may_open, outbox_rows, seal_step};

/// A case being built in memory before it is stored in one go: how bulk
/// loads (the demo, imports) drive the real engine without a round trip
/// per command. Every command is still decided by the engine and audited.
pub struct CaseBuilder {
    workflow: Arc<Workflow>,
    calendar: Arc<WorkingCalendar>,
    new: NewCase,
}

impl CaseBuilder {
    /// Opens a case in the workflow's initial state, as `actor`, with the
    /// `created` audit event.
    pub fn open(
        workflow: Arc<Workflow>,
        calendar: Arc<WorkingCalendar>,
        reference: String,
        application: Application,
        actor: &Actor,
        origin: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseBuilder, AppError> {
        CaseBuilder::open_linked(
            workflow,
            calendar,
            reference,
            application,
            actor,
            origin,
            None,
            now,
        )
    }

    /// [`CaseBuilder::open`] for a person's case linked to the family case
    /// `family`, which its `created` event names.
    #[allow(clippy::too_many_arguments)]
    pub fn open_linked(
        workflow: Arc<Workflow>,
        calendar: Arc<WorkingCalendar>,
        reference: String,
        application: Application,
        actor: &Actor,
        origin: &str,
        family: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<CaseBuilder, AppError> {
        // The paths that have the places (opening and editing a case)
        // have checked the district with them before.
        may_open(None, &workflow, actor, &application.district)?;
        let today = local_date(now);
        let members: Vec<CaseMember> = application
            .members
            .iter()
            .enumerate()
            .map(|(index, m)| CaseMember {
                ordinal: index as u32 + 1,
                name: m.full_name(),
                relationship: m.relationship,
                sex: m.sex,
                birth_date: m.birth_date,
                abroad: m.abroad,
                register_number: m.register_number.as_ref().map(|n| n.as_str().to_string()),
                documents: m.documents.clone(),
                state: workflow.member.initial.clone(),
                national_number: None,
                card_number: None,
                collector_document: None,
                exclusion_reason: None,
                card_due_on: None,
                state_changed_on: Some(today),
                registered_on: None,
            })
            .collect();
        // Whoever opens the case did the work of the initial state.
        let mut opened_by = Duties::default();
        duties::record(
            &workflow,
            &mut opened_by,
            &actor.id,
            duties::OPEN,
            &workflow.initial,
        );
        let case = Case {
            reference: reference.clone(),
            district: application.district.clone(),
            state: workflow.initial.clone(),
            version: 1,
            duties: opened_by,
            family_documents: application.family_documents.clone(),
            members,
            // A new case has no scan yet.
            scans: Default::default(),
            holder: None,
        };
        let clock = Clock::default().enter(&workflow, &calendar, &workflow.initial, today);
        let created = audit::seal(
            &reference,
            AuditDraft {
                at: now,
                actor: actor.id.clone(),
                action: CREATED.into(),
                member: None,
                from_state: String::new(),
                to_state: workflow.initial.clone(),
                payload: match family {
                    None => json!({
                        "origin": origin,
                        "workflow": workflow.key(),
                        "members": application.members.len(),
                    }),
                    Some(family) => json!({
                        "origin": origin,
                        "workflow": workflow.key(),
                        "members": application.members.len(),
                        "family_case": family,
                    }),
                },
            },
            0,
            audit::GENESIS,
        );
        let meta = CaseMeta {
            reference,
            workflow_name: workflow.name.clone(),
            workflow_version: workflow.version,
            district: application.district.clone(),
            office: application.office.clone(),
            submitted_on: application.submitted_on,
            applicant_email: application.applicant_email.clone(),
            assignee: None,
            state_entered_at: audit::audit_time(now),
            clock,
            origin: origin.to_string(),
            created_at: audit::audit_time(now),
        };
        Ok(CaseBuilder {
            workflow,
            calendar,
            new: NewCase {
                meta,
                case,
                people: application.members,
                events: vec![created],
                outbox: Vec::new(),
            },
        })
    }

    /// Decides one command on the case in memory.
    pub fn apply(
        &mut self,
        actor: &Actor,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        // A bulk load replays what was done elsewhere: no one holds its
        // cases while it is decided (holds are the live office's).
        self.new.case.holder = None;
        let timing = Timing {
            calendar: &self.calendar,
            clock: &self.new.meta.clock,
        };
        let step = decide(&self.workflow, timing, &self.new.case, actor, command, now)?;
        let last = self
            .new
            .events
            .last()
            .map_or((0, audit::GENESIS.to_string()), |e| (e.seq, e.hash.clone()));
        let event = seal_step(
            &self.new.meta.reference,
            &self.new.case,
            &step,
            actor,
            command,
            now,
            last,
        );
        self.new.meta.clock = step.clock.clone();
        if let Some(entered_at) = step.entered_at {
            self.new.meta.state_entered_at = entered_at;
        }
        self.new
            .outbox
            .extend(outbox_rows(&self.new.meta.reference, &step));
        self.new.events.push(event);
        self.new.case = step.next;
        Ok(())
    }

    pub fn case(&self) -> &Case {
        &self.new.case
    }

    /// Places a case just opened where an earlier register had it: in
    /// `state` since `since`, its members in `member_state`. The chain's
    /// first event becomes `imported`, naming where the case came from
    /// (`origin`, e.g. the file and line), instead of `created`, and what
    /// the import implies its importer did: every action on the way to
    /// `state` and `member_state` ([`duties::implied_by_import`]), so the
    /// importer counts for each duty of those actions (`implies`) and the
    /// separation rules keep them from the others (an import into
    /// approval with its members verified is not approved by its importer).
    pub fn imported(
        mut self,
        state: &str,
        member_state: &str,
        since: NaiveDate,
        origin: serde_json::Value,
        now: DateTime<Utc>,
    ) -> CaseBuilder {
        let case = &mut self.new.case;
        case.state = state.to_string();
        for member in &mut case.members {
            member.state = member_state.to_string();
            member.state_changed_on = Some(since);
        }
        self.new.meta.clock = Clock::default().enter(&self.workflow, &self.calendar, state, since);
        self.new.meta.state_entered_at = since.and_time(NaiveTime::MIN).and_utc();
        let actor = self.new.events[0].draft.actor.clone();
        let implied = duties::implied_by_import(&self.workflow, state, member_state);
        case.duties = Duties::default();
        for (action, taken_in) in &implied {
            duties::record(&self.workflow, &mut case.duties, &actor, action, taken_in);
        }
        let implies: Vec<serde_json::Value> = implied
            .iter()
            .map(|(action, taken_in)| {
                json!({
                    "action": action,
                    "state": taken_in,
                    "duties": duties::duties_of(&self.workflow, action, taken_in)
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        self.new.events = vec![audit::seal(
            &self.new.meta.reference,
            AuditDraft {
                at: now,
                actor,
                action: IMPORTED.into(),
                member: None,
                from_state: String::new(),
                to_state: state.to_string(),
                payload: json!({
                    "origin": origin,
                    "workflow": self.workflow.key(),
                    "members": case.members.len(),
                    "member_state": member_state,
                    "since": since,
                    "implies": implies,
                }),
            },
            0,
            audit::GENESIS,
        )];
        self
    }

    pub fn finish(self) -> NewCase {
        self.new
    }
}
