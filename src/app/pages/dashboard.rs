//! The leadership dashboard's page models: the panel (which the page at
//! `/dashboard` shows inside itself, and `/dashboard/panel` alone) and the
//! what-if's page. Each is read by one call that lets the reader in first
//! (leadership and supervisors, a district-bound reader in their district)
//! and passes every failure on; a drill-down or a change the engine cannot
//! work out is said as a typed reason, which the page words.

use chrono::{DateTime, Duration, Utc};

use crate::app::portal::PortalStatistics;
use crate::app::stats::{
    self, Ageing, Backlog, Bottleneck, Breaches, Forecast, Headline, Scope, StatsQuery, Throughput,
    Trends, Versions, WhatIf, WhatIfError, WhatIfQuery, Workload,
};
use crate::app::{AppError, Engine};
use crate::domain::calendar::local_date;
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::workflow::Actor;

/// What the panel is asked for: one workflow (the default one when
/// `None`) and the drill-down, each part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardQuery {
    pub workflow: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    /// A stage (a state of the workflow) to drill into.
    pub state: Option<String>,
    /// An age bucket (its name, `8-30`) to drill into.
    pub age: Option<String>,
}

/// A drill-down the panel cannot draw, by the field that asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadDrill {
    /// `state` is not a stage of the workflow.
    NotAStage,
    /// `age` is not one of [`stats::AGE_BUCKETS`].
    NotAnAgeGroup,
}

impl BadDrill {
    /// The query's field that asked for it.
    pub fn field(self) -> &'static str {
        match self {
            BadDrill::NotAStage => "state",
            BadDrill::NotAnAgeGroup => "age",
        }
    }
}

/// Why the panel cannot be read: a drill-down it cannot draw (each field,
/// in the query's order), or any other failure.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("the drill-down is not one the panel draws")]
    Drill(Vec<BadDrill>),
    #[error(transparent)]
    App(#[from] AppError),
}

/// One workflow's cases, counted for the panel's table of workflows.
pub struct WorkflowFigures {
    pub title: Text,
    pub received: i64,
    pub persons: i64,
    pub open: i64,
}

/// Everything the panel shows.
pub struct Figures {
    /// Every workflow's cases side by side (the default workflow first).
    pub per_workflow: Vec<WorkflowFigures>,
    pub headline: Headline,
    /// The headline a week and four weeks ago.
    pub trends: Trends,
    /// The targets of this workflow with where they stand.
    pub targets: Vec<stats::Standing>,
    pub backlog: Backlog,
    pub ageing: Ageing,
    pub breaches: Breaches,
    pub throughput: Throughput,
    pub workload: Workload,
    pub bottleneck: Bottleneck,
    pub forecast: Forecast,
    /// Applications by the workflow version they are worked under.
    pub versions: Versions,
    /// The agency portal's use over the last 30 days.
    pub portal: PortalStatistics,
}

/// The dashboard's panel for one reader and one drill-down.
pub struct DashboardPage {
    pub figures: Figures,
    /// Every district the reader may see (for the filter).
    pub all: Backlog,
    /// The read as applied (the reader's district imposed).
    pub scope: Scope,
    /// The stage and the age bucket drilled into, both checked.
    pub state: Option<String>,
    pub age: Option<String>,
    /// Whether the reader may open the cases behind a figure (a
    /// supervisor).
    pub supervisor: bool,
}

/// The panel `query` asks for, as `actor` may read it at `now`.
pub async fn dashboard_page(
    engine: &Engine,
    actor: &Actor,
    query: &DashboardQuery,
    now: DateTime<Utc>,
) -> Result<DashboardPage, DashboardError> {
    let asked = StatsQuery {
        workflow: query.workflow.clone(),
        district: query.district.clone(),
        office: query.office.clone(),
        from: None,
        to: None,
    };
    let today = local_date(now);
    let scope = stats::scope(engine, actor, &asked, today)?;
    check_drill(&scope, query)?;
    // Each query once: the bottleneck ranks the ageing rows, the throughput
    // reuses the weeks.
    let headline = stats::headline(engine, &scope).await?;
    let ageing = stats::ageing(engine, &scope).await?;
    let weeks = stats::weekly(engine, &scope).await?;
    let figures = Figures {
        trends: stats::trends(engine, &scope, &headline).await?,
        targets: stats::targets_of(engine, &scope).await?,
        per_workflow: Vec::new(),
        forecast: stats::forecast(engine, &scope).await?,
        throughput: stats::throughput_of(&scope, &weeks),
        bottleneck: stats::bottleneck_of(&scope, ageing.clone()),
        headline,
        ageing,
        backlog: stats::backlog(engine, &scope).await?,
        breaches: stats::breaches(engine, &scope).await?,
        workload: stats::workload(engine, &scope).await?,
        versions: stats::versions(engine, &scope).await?,
        portal: crate::app::portal::statistics(engine, actor, today - Duration::days(29), today)
            .await?,
    };
    // Every workflow's cases side by side, in the same district and office.
    let mut names: Vec<String> = engine
        .workflows
        .all()
        .iter()
        .map(|w| w.name.clone())
        .collect();
    names.sort_by_key(|n| (*n != engine.settings.default_workflow, n.clone()));
    names.dedup();
    let mut per_workflow = Vec::with_capacity(names.len());
    for name in names {
        let of = stats::scope(
            engine,
            actor,
            &StatsQuery {
                workflow: Some(name),
                ..asked.clone()
            },
            today,
        )?;
        let h = stats::headline(engine, &of).await?;
        per_workflow.push(WorkflowFigures {
            title: of.workflow.title.clone(),
            received: h.applications_received,
            persons: h.persons_covered,
            open: h.applications_open,
        });
    }
    let figures = Figures {
        per_workflow,
        ..figures
    };
    // The district list for the filter: every district the reader may see.
    let all = if scope.applied.district.is_none() || actor.district.is_some() {
        figures.backlog.clone()
    } else {
        let all = stats::scope(engine, actor, &StatsQuery::default(), today)?;
        stats::backlog(engine, &all).await?
    };
    Ok(DashboardPage {
        figures,
        all,
        scope,
        state: query.state.clone(),
        age: query.age.clone(),
        supervisor: actor.roles.contains(&Role::Supervisor),
    })
}

/// A drill into a state the workflow has and an age bucket that exists.
fn check_drill(scope: &Scope, query: &DashboardQuery) -> Result<(), DashboardError> {
    let mut bad = Vec::new();
    if let Some(state) = &query.state
        && scope.workflow.state(state).is_none()
    {
        bad.push(BadDrill::NotAStage);
    }
    if let Some(age) = &query.age
        && !stats::AGE_BUCKETS.iter().any(|b| b.2 == age)
    {
        bad.push(BadDrill::NotAnAgeGroup);
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(DashboardError::Drill(bad))
    }
}

/// The what-if's page: the form's choices and, for a change asked, the
/// answer or what the engine finds wrong with the change.
pub struct WhatIfPage {
    /// The roles that work some stage of the workflow, in stage order.
    pub roles: Vec<Role>,
    /// The districts the form offers (the reader's own, or every one).
    pub districts: Vec<String>,
    /// The answer, when a change was asked and could be worked out.
    pub answer: Option<WhatIf>,
    /// What is wrong with the change asked, each by its field.
    pub errors: Vec<FieldError>,
    /// More officers moved away than the district has, when so.
    pub too_few: Option<stats::TooFewOfficers>,
}

/// The what-if's page for `actor` at `now`, over one workflow's figures
/// (the default one's when `None`), with the answer to `change` if one is
/// asked (none when the form could not be read).
pub async fn what_if_page(
    engine: &Engine,
    actor: &Actor,
    workflow: Option<String>,
    change: Option<&WhatIfQuery>,
    now: DateTime<Utc>,
) -> Result<WhatIfPage, AppError> {
    let scope = stats::scope(
        engine,
        actor,
        &StatsQuery {
            workflow,
            ..StatsQuery::default()
        },
        local_date(now),
    )?;
    let mut page = WhatIfPage {
        roles: stats::worked_roles(&scope.workflow),
        districts: match &scope.applied.district {
            Some(d) => vec![d.clone()],
            None => engine
                .places
                .districts()
                .iter()
                .map(|d| d.code.clone())
                .collect(),
        },
        answer: None,
        errors: Vec::new(),
        too_few: None,
    };
    if let Some(change) = change {
        match stats::what_if(engine, &scope, change).await {
            Ok(answer) => page.answer = Some(answer),
            Err(WhatIfError::App(AppError::Invalid(errors))) => page.errors = errors,
            Err(WhatIfError::TooFewOfficers(too_few)) => page.too_few = Some(too_few),
            Err(WhatIfError::App(other)) => return Err(other),
        }
    }
    Ok(page)
}
