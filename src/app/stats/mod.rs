//! Statistics for ministry leadership and supervisors: counts only, never a
//! name. Every figure is read from the tallies (`store::tallies`), whose size
//! does not grow with the number of cases.
//!
//! The date range applies to flows (applications received, persons
//! registered, cards collected, cases closed, officers' actions, weekly
//! throughput); the backlog, ageing, SLA breaches and cards still due are the
//! position today.
//!
//! `scope` checks who may read which district and fixes the filter,
//! `position` reads today's position, `trends` the headline a week and
//! four weeks ago, `targets` the targets and where they stand, `versions`
//! the cases by workflow version, `flows` the weeks, `forecast` the
//! forecast, its backtest and the what-if (the simulation itself, pure, in
//! `simulate`), and `recount` checks and rebuilds the tallies. Every item
//! is re-exported here, so callers name `crate::app::stats::X`.

mod backtest;
mod flows;
mod forecast;
mod position;
mod recount;
mod scope;
pub mod simulate;
mod targets;
mod trends;
mod versions;
mod what_if;

pub use backtest::{Backtest, BacktestRun, BacktestWeek};
pub use flows::{Throughput, Week, Weeks, throughput, throughput_of, weekly};
pub use forecast::{Clearance, Forecast, Outlook, StageWait, forecast};
pub use position::{
    AGE_BUCKETS, Ageing, AgeingRow, Backlog, BacklogRow, Bottleneck, BreachRow, Breaches, CardsDue,
    Headline, OfficerLoad, StateCount, Workload, ageing, backlog, bottleneck, bottleneck_of,
    breaches, headline, workload,
};
pub use recount::{check, rebuild};
pub use scope::{Applied, Scope, StatsQuery, scope};
pub use targets::{
    Standing, Status, Target, TargetKind, TargetRequest, Targets, check_name, put_target,
    remove_target, targets, targets_of,
};
pub use trends::{Past, Trends, note_day, trends};
pub use versions::{VersionCount, Versions, versions};
pub use what_if::{
    MAX_CARD_OFFICES, MAX_OFFICERS, TooFewOfficers, Unmoved, UnmovedReason, WhatIf, WhatIfError,
    WhatIfQuery, officers_of, what_if, worked_roles,
};
