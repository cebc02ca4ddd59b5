//! Statistics routes for leadership and supervisors: JSON, or CSV (UTF-8
//! with a byte-order mark, so a spreadsheet shows Arabic) with
//! `format=csv`. Counts only, never a name or a person record.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::stats::{
    self, Ageing, Backlog, Bottleneck, Breaches, Forecast, Headline, Scope, StatsQuery, Throughput,
    Versions, Workload,
};
use crate::domain::language::Lang;
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::context;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};
use crate::workflow::machine::local_date;

/// JSON (the default) or CSV.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Csv,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsParams {
    /// One workflow's figures, e.g. `unregistered-persons` (the default
    /// workflow's, the naturalization of families, when absent or empty, as
    /// a form's "default" choice sends it).
    #[param(max_length = 100, pattern = r"^[a-z0-9_-]*$")]
    pub workflow: Option<String>,
    /// Only this district (a caller bound to a district always sees its own).
    pub district: Option<String>,
    pub office: Option<String>,
    /// First day of the period, for flows (received, registered, collected,
    /// completed, actions, weekly throughput).
    pub from: Option<NaiveDate>,
    /// Last day of the period (inclusive).
    pub to: Option<NaiveDate>,
    /// `json` (default) or `csv`.
    #[param(inline)]
    pub format: Option<Format>,
}

impl StatsParams {
    fn query(&self) -> StatsQuery {
        StatsQuery {
            workflow: self.workflow.clone().filter(|w| !w.is_empty()),
            district: self.district.clone().filter(|d| !d.is_empty()),
            office: self.office.clone().filter(|o| !o.is_empty()),
            from: self.from,
            to: self.to,
        }
    }
}

/// Builds the caller's scope for today.
pub fn scope_for(
    state: &AppState,
    actor: &crate::workflow::Actor,
    query: &StatsQuery,
) -> Result<Scope, ApiError> {
    Ok(stats::scope(
        &state.engine,
        actor,
        query,
        local_date(Utc::now()),
    )?)
}

/// A table as CSV.
pub trait Csv {
    fn header(&self) -> Vec<&'static str>;
    fn rows(&self) -> Vec<Vec<String>>;
}

/// One cell as CSV: neutralised (see [`neutralise_formula`]), then quoted
/// when it holds a comma, a quote or a line end.
fn field(value: &str) -> String {
    let value = neutralise_formula(value);
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

/// A cell a spreadsheet would read as a formula (OWASP's rule for CSV
/// injection: it begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a single quote in front, so it is shown as text. A plain
/// number such as `-3` or `-0.25` is left as it is: it is not a formula.
/// Every CSV the server writes passes its cells through here.
pub fn neutralise_formula(value: &str) -> std::borrow::Cow<'_, str> {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = value.strip_prefix(['-', '+']).is_some_and(|rest| {
        rest.chars().all(|c| c.is_ascii_digit() || c == '.')
            && rest.chars().any(|c| c.is_ascii_digit())
    });
    if risky && !number {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// The CSV text: a byte-order mark, the header, the rows, CRLF line ends.
pub fn csv_text(table: &dyn Csv) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = table.header().iter().map(|h| field(h)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in table.rows() {
        let row: Vec<String> = row.iter().map(|v| field(v)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn respond<T: Serialize + Csv>(
    value: T,
    format: Option<Format>,
    name: &str,
) -> Response {
    match format.unwrap_or_default() {
        Format::Json => axum::Json(value).into_response(),
        Format::Csv => {
            let mut response = csv_text(&value).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\"")) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
    }
}

fn label(labels: &Text) -> String {
    match context::lang() {
        Lang::Ar => labels.ar.clone(),
        Lang::En => labels.en.clone(),
    }
}

fn n(v: i64) -> String {
    v.to_string()
}

impl Csv for Headline {
    fn header(&self) -> Vec<&'static str> {
        vec!["figure", "value"]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        let due = &self.cards_due;
        [
            ("applications_received", self.applications_received),
            ("persons_covered", self.persons_covered),
            ("persons_registered", self.persons_registered),
            ("cards_collected", self.cards_collected),
            ("applications_completed", self.applications_completed),
            ("applications_open", self.applications_open),
            ("cards_due", due.total),
            ("cards_due_under_age", due.under_age),
            ("cards_due_abroad", due.abroad),
            ("cards_due_awaiting_appearance", due.awaiting_appearance),
            ("cards_due_in_production", due.in_production),
        ]
        .into_iter()
        .map(|(k, v)| vec![k.to_string(), n(v)])
        .collect()
    }
}

impl Csv for Backlog {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "state",
            "state_label",
            "district",
            "district_label",
            "office",
            "office_label",
            "families",
            "persons",
        ]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                vec![
                    r.state.clone(),
                    label(&r.state_label),
                    r.district.clone(),
                    label(&r.district_label),
                    r.office.clone(),
                    label(&r.office_label),
                    n(r.families),
                    n(r.persons),
                ]
            })
            .collect()
    }
}

impl Csv for Ageing {
    fn header(&self) -> Vec<&'static str> {
        let mut h = vec!["state", "state_label"];
        h.extend(stats::AGE_BUCKETS.iter().map(|b| b.2));
        h.extend(["families", "mean_days"]);
        h
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                let mut row = vec![r.state.clone(), label(&r.state_label)];
                row.extend(r.counts.iter().map(|c| n(*c)));
                row.extend([n(r.families), n(r.mean_days)]);
                row
            })
            .collect()
    }
}

impl Csv for Breaches {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "state",
            "state_label",
            "district",
            "district_label",
            "office",
            "office_label",
            "breached_families",
            "breached_persons",
            "open_families",
        ]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                vec![
                    r.state.clone(),
                    label(&r.state_label),
                    r.district.clone(),
                    label(&r.district_label),
                    r.office.clone(),
                    label(&r.office_label),
                    n(r.breached_families),
                    n(r.breached_persons),
                    n(r.open_families),
                ]
            })
            .collect()
    }
}

impl Csv for Throughput {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "week_start",
            "received_families",
            "received_persons",
            "completed_families",
            "completed_persons",
            "closed_otherwise_families",
            "cards_collected",
            "backlog_families",
            "backlog_persons",
        ]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.weeks
            .iter()
            .map(|w| {
                vec![
                    w.week_start.to_string(),
                    n(w.received_families),
                    n(w.received_persons),
                    n(w.completed_families),
                    n(w.completed_persons),
                    n(w.closed_otherwise_families),
                    n(w.cards_collected),
                    n(w.backlog_families),
                    n(w.backlog_persons),
                ]
            })
            .collect()
    }
}

impl Csv for Workload {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "officer",
            "district",
            "district_label",
            "holding",
            "actions",
        ]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.officers
            .iter()
            .map(|o| {
                vec![
                    o.officer.clone(),
                    o.district.clone(),
                    label(&o.district_label),
                    n(o.holding),
                    n(o.actions),
                ]
            })
            .collect()
    }
}

impl Csv for Bottleneck {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "rank",
            "state",
            "state_label",
            "families",
            "mean_days",
            "family_days",
        ]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.ranking
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.state.clone(),
                    label(&r.state_label),
                    n(r.families),
                    n(r.mean_days),
                    n(r.family_days),
                ]
            })
            .collect()
    }
}

impl Csv for Forecast {
    fn header(&self) -> Vec<&'static str> {
        vec![
            "measure",
            "waiting_today",
            "p10",
            "p50",
            "p90",
            "not_cleared_share",
        ]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        let day = |v: Option<NaiveDate>| v.map(|v| v.to_string()).unwrap_or_default();
        [
            ("families", &self.families),
            ("persons", &self.persons),
            ("cards", &self.cards),
        ]
        .into_iter()
        .map(|(k, c)| {
            vec![
                k.to_string(),
                n(c.backlog),
                day(c.p10),
                day(c.p50),
                day(c.p90),
                c.not_cleared_share.to_string(),
            ]
        })
        .collect()
    }
}

macro_rules! statistic {
    ($name:ident, $path:literal, $ty:ty, $call:path, $file:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            get, path = $path, tag = "statistics",
            params(StatsParams),
            responses(
                (status = 200, description = $doc, content(
                    ($ty = "application/json"),
                    (String = "text/csv"),
                )),
                (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "Not leadership or a supervisor, or another district", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "An impossible period", body = Problem, content_type = "application/problem+json"),
            ),
            security(("bearer" = []))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            Caller(actor): Caller,
            ApiQuery(params): ApiQuery<StatsParams>,
        ) -> Result<Response, ApiError> {
            let scope = scope_for(&state, &actor, &params.query())?;
            let value = $call(&state.engine, &scope).await?;
            Ok(respond(value, params.format, $file))
        }
    };
}

statistic!(
    headline,
    "/api/statistics/headline",
    Headline,
    stats::headline,
    "headline",
    "The headline: applications received, persons covered and registered, cards collected and cards still due."
);
statistic!(
    backlog,
    "/api/statistics/backlog",
    Backlog,
    stats::backlog,
    "backlog",
    "Open applications per state, district and office."
);
statistic!(
    ageing,
    "/api/statistics/ageing",
    Ageing,
    stats::ageing,
    "ageing",
    "Open applications per state by days in that state (0-7, 8-30, 31-90, 91-180, over 180)."
);
statistic!(
    sla_breaches,
    "/api/statistics/sla-breaches",
    Breaches,
    stats::breaches,
    "sla-breaches",
    "Open applications past their state's due date, per state and office."
);
statistic!(
    throughput,
    "/api/statistics/throughput",
    Throughput,
    stats::throughput,
    "throughput",
    "Weekly intake against completions, and the backlog at the end of each week (the last 26 weeks unless a period is given)."
);
statistic!(
    workload,
    "/api/statistics/workload",
    Workload,
    stats::workload,
    "workload",
    "Per officer: open cases held now and actions recorded in the period (the last 30 days unless given). Counts only."
);
statistic!(
    bottleneck,
    "/api/statistics/bottleneck",
    Bottleneck,
    stats::bottleneck,
    "bottleneck",
    "The bottleneck: the open state with the largest queue weighted by its waiting time."
);
statistic!(
    forecast,
    "/api/statistics/forecast",
    Forecast,
    stats::forecast,
    "forecast",
    "When today's backlog clears, in families, persons and cards: the P10, P50 and P90 days of a Monte-Carlo simulation resampling recorded weeks, the stage it waits in longest, and the backtest of the same forecast made 4, 8 and 12 weeks ago."
);

statistic!(
    versions,
    "/api/statistics/versions",
    Versions,
    stats::versions,
    "versions",
    "Applications (families and persons) by the workflow version they are worked under: how far a migration to a new version has gone."
);

impl Csv for Versions {
    fn header(&self) -> Vec<&'static str> {
        vec!["workflow", "version", "title", "families", "persons"]
    }
    fn rows(&self) -> Vec<Vec<String>> {
        self.versions
            .iter()
            .map(|v| {
                vec![
                    v.workflow.clone(),
                    v.version.to_string(),
                    label(&v.title),
                    n(v.families),
                    n(v.persons),
                ]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Table;
    impl Csv for Table {
        fn header(&self) -> Vec<&'static str> {
            vec!["state", "label"]
        }
        fn rows(&self) -> Vec<Vec<String>> {
            vec![vec!["intake".into(), "قيد \"الاستلام\", أولاً".into()]]
        }
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_shown_as_text() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tindented", "'\tindented"),
            ("\rreturn", "'\rreturn"),
            ("-", "'-"),
            ("-.", "'-."),
            // Numbers are numbers.
            ("-3", "-3"),
            ("-0.25", "-0.25"),
            ("+7", "+7"),
            ("12", "12"),
            // Only the first character counts.
            ("a=b", "a=b"),
            ("أحمد", "أحمد"),
            ("", ""),
        ];
        for (cell, expected) in cases {
            assert_eq!(neutralise_formula(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn csv_starts_with_a_bom_and_quotes_what_needs_it() {
        let text = csv_text(&Table);
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(
            text.trim_start_matches('\u{feff}'),
            "state,label\r\nintake,\"قيد \"\"الاستلام\"\", أولاً\"\r\n"
        );
    }
}
