//! A supervisor's home (`/team`, where `/` sends a supervisor who works no
//! state): the district's work by stage (each state's cases, those nobody
//! holds, those overdue), each officer of the district with the cases they
//! hold, and the cases nobody holds with a box each, given to one officer
//! at once (`POST /team/assign`, one assignment and audit event a case,
//! the page coming back with what was done and what was refused, and
//! why). Also one officer's cases, and the cases behind a count of the
//! stages or of the dashboard (`/team?state=…&district=…&office=…`, its
//! drill-down's onward link). Officers are named by their full names, or
//! by their user names where they have none.

use std::fmt;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::app::assign::{self, MAX_AT_ONCE, Picked, Several};
use crate::app::lists;
use crate::app::pages::{self, TeamHome, TeamPage, TeamQuery, UNASSIGNED_SHOWN};
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::pages::form::{Posted, Version};
use crate::http::pages::layout::{
    Header, PageLang, date, notice, page, page_with_status, roles_text,
};
use crate::http::pages::words::team as words;
use crate::http::pages::work::encode;
use crate::http::pages::{error_page, problem_text, state_label};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

#[derive(Deserialize, Default)]
pub struct TeamParams {
    #[serde(default)]
    officer: String,
    /// The dashboard's drill-down: the cases in this state, district and
    /// office (each optional).
    #[serde(default)]
    state: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    office: String,
    /// After several cases were given out: how many, and to whom.
    #[serde(default)]
    assigned: String,
    #[serde(default)]
    to: String,
}

impl TeamParams {
    fn drill(&self) -> bool {
        !(self.state.is_empty() && self.district.is_empty() && self.office.is_empty())
    }
}

pub async fn team(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Query(params): Query<TeamParams>,
) -> Response {
    let path = if params.drill() {
        format!(
            "/team?state={}&district={}&office={}",
            encode(&params.state),
            encode(&params.district),
            encode(&params.office)
        )
    } else if params.officer.is_empty() {
        "/team".to_string()
    } else {
        format!("/team?officer={}", encode(&params.officer))
    };
    let header = Header {
        user: Some(&user),
        path: &path,
    };
    let title = lang.say(&crate::http::pages::words::THE_TEAMS_WORK);
    let some = |t: &str| (!t.is_empty()).then(|| t.to_string());
    let query = if params.drill() {
        TeamQuery::Cases {
            state: some(&params.state),
            district: some(&params.district),
            office: some(&params.office),
        }
    } else if !params.officer.is_empty() {
        TeamQuery::HeldBy(params.officer.clone())
    } else {
        TeamQuery::Everyone
    };
    let team = match pages::team_page(&state.engine, &user.actor, query, Utc::now()).await {
        Ok(team) => team,
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), html! {}),
    };
    if let TeamPage::Cases {
        cases,
        district,
        office,
    } = &team
    {
        let place = |labels: &Text| lang.say(labels).to_string();
        let body = html! {
            p { a href="/dashboard" { (lang.say(&words::BACK_TO_THE_DASHBOARD)) } }
            h2 {
                (lang.say(&crate::http::pages::words::THE_CASES))
                @if !params.state.is_empty() { " — " (state_label(&state, lang, &params.state)) }
                @if let Some(district) = district { " — " (place(district)) }
                @if let Some(office) = office { " — " (place(office)) }
            }
            @if cases.len() >= 200 {
                p class="muted" { (lang.say(&words::THE_FIRST_200_CASES_THE_EARLIEST)) }
            }
            (cases_table(&state, lang, cases))
        };
        return page(lang, &header, title, body);
    }
    if let TeamPage::HeldBy(cases, officer) = &team {
        let body = html! {
            p { a href="/team" { (lang.say(&words::THE_WHOLE_TEAM)) } }
            h2 { (lang.say(&words::WHAT_IS_HELD_BY)) " " bdi { (officer) } }
            (cases_table(&state, lang, cases))
        };
        return page(lang, &header, title, body);
    }
    let TeamPage::Everyone(home) = team else {
        unreachable!("the lists of cases are answered above");
    };
    // The officer the cases went to, by their full name where the team
    // page knows it.
    let to = home
        .officers
        .iter()
        .find(|o| o.name == params.to)
        .map_or(params.to.as_str(), |o| o.shown());
    let done = params
        .assigned
        .parse::<i64>()
        .ok()
        .map(|n| notice("ok", &words::assigned_to(lang.locale(), n, to)));
    let body = home_body(&state, &user, lang, &home, done.unwrap_or_default(), &[]);
    page(lang, &header, title, body)
}

/// A supervisor's home: what was just done (if anything), the work by
/// stage, the officers, and the cases nobody holds with the form that
/// gives them out (`picked` checked).
fn home_body(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    home: &TeamHome,
    done: Markup,
    picked: &[String],
) -> Markup {
    let officer_word = lang.say(&crate::http::pages::words::OFFICER);
    let state_word = lang.say(&crate::http::pages::words::STATE);
    html! {
        (done)
        h2 { (lang.say(&words::THE_WORK_BY_STAGE)) }
        div class="table-wrap" { table class="stack" {
            thead { tr {
                th scope="col" { (state_word) }
                th scope="col" { (lang.say(&words::CASES_COLUMN)) }
                th scope="col" { (lang.say(&words::UNASSIGNED)) }
                th scope="col" { (lang.say(&words::OVERDUE)) }
            } }
            tbody { @for stage in &home.stages { tr {
                td data-label=(state_word) {
                    a href=(format!("/team?state={}", encode(&stage.state))) { (state_label(state, lang, &stage.state)) }
                }
                td data-label=(lang.say(&words::CASES_COLUMN)) { (lang.locale().integer(stage.cases)) }
                td data-label=(lang.say(&words::UNASSIGNED)) { (lang.locale().integer(stage.unassigned)) }
                td data-label=(lang.say(&words::OVERDUE)) {
                    span class=[(stage.overdue > 0).then_some("overdue")] { (lang.locale().integer(stage.overdue)) }
                }
            } } }
        } }
        h2 { (lang.say(&words::THE_OFFICERS)) }
        div class="table-wrap" { table class="stack" {
            thead { tr {
                th scope="col" { (officer_word) }
                th scope="col" { (lang.say(&words::ROLE)) }
                th scope="col" { (lang.say(&words::CASES_HELD)) }
            } }
            tbody { @for officer in &home.officers { tr {
                td data-label=(officer_word) { a href=(format!("/team?officer={}", encode(&officer.name))) { bdi { (officer.shown()) } } }
                td data-label=(lang.say(&words::ROLE)) { (roles_text(lang, &officer.roles)) }
                td data-label=(lang.say(&words::CASES_HELD)) { (officer.held) }
            } } }
        } }
        h2 id="unassigned" { (lang.say(&words::CASES_NOBODY_HOLDS)) }
        @if home.unassigned.is_empty() {
            p { (lang.say(&words::NO_CASE_WAITS_FOR_AN_OFFICER)) }
        } @else {
            @if home.more_unassigned {
                p class="muted" { (words::the_first_shown(lang.locale(), UNASSIGNED_SHOWN as i64)) }
            }
            form method="post" action="/team/assign" {
                input type="hidden" name="csrf_token" value=(user.csrf);
                div class="table-wrap" { table class="stack" {
                    thead { tr {
                        th scope="col" { (lang.say(&words::CHOOSE)) }
                        th scope="col" { (lang.say(&crate::http::pages::words::NAME_OF_THE_CASE)) }
                        th scope="col" { (state_word) }
                        th scope="col" { (lang.say(&crate::http::pages::words::OFFICE)) }
                        th scope="col" { (lang.say(&crate::http::pages::words::DUE)) }
                    } }
                    tbody { @for item in &home.unassigned {
                        @let id = format!("pick-{}", item.reference);
                        tr {
                            td data-label=(lang.say(&words::CHOOSE)) {
                                input type="checkbox" id=(id) name="case"
                                    value=(format!("{}@{}", item.reference, item.version))
                                    checked[picked.contains(&item.reference)];
                                label for=(id) class="skip" { (lang.say(&words::CHOOSE_THE_CASE)) " " (item.reference) }
                            }
                            td data-label=(lang.say(&crate::http::pages::words::NAME_OF_THE_CASE)) {
                                a href=(format!("/applications/{}", item.reference)) { (item.display_name) }
                                " " span class="muted" { bdi dir="ltr" { (item.reference) } }
                            }
                            td data-label=(state_word) { (state_label(state, lang, &item.state)) }
                            td data-label=(lang.say(&crate::http::pages::words::OFFICE)) { (lang.say(&item.office_label)) }
                            td data-label=(lang.say(&crate::http::pages::words::DUE)) {
                                @if let Some(due) = item.due_on { span class=[item.overdue.then_some("overdue")] { (date(due)) } } @else { "—" }
                            }
                        }
                    } }
                } }
                div class="field" {
                    label for="assign-to" { (lang.say(&words::ASSIGN_THE_CHOSEN_CASES_TO)) }
                    select id="assign-to" name="user" {
                        option value="" { (lang.say(&words::CHOOSE_AN_OFFICER)) }
                        @for officer in &home.officers {
                            option value=(officer.name) { (officer.shown()) " — " (roles_text(lang, &officer.roles)) }
                        }
                    }
                }
                div class="field" { button type="submit" { (lang.say(&words::ASSIGN_THE_CHOSEN_CASES)) } }
            }
        }
    }
}

/// The form that gives several cases out: the officer (`user`) and each
/// case ticked (`case`, `reference@version`, as many times as ticked).
pub struct AssignSeveralForm {
    user: String,
    cases: Vec<Picked>,
}

impl<'de> Deserialize<'de> for AssignSeveralForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = AssignSeveralForm;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an officer and the cases to give them")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut form = AssignSeveralForm {
                    user: String::new(),
                    cases: Vec::new(),
                };
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    match key.as_str() {
                        "user" => form.user = value,
                        "case" => form.cases.push(picked(&value).map_err(de::Error::custom)?),
                        _ => {}
                    }
                }
                Ok(form)
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

/// A ticked case, `reference@version` (the version it was shown at; a
/// reference alone has none).
fn picked(value: &str) -> Result<Picked, String> {
    let (reference, version) = value.rsplit_once('@').unwrap_or((value, ""));
    let version = Version::parse(version).map_err(|e| e.message)?;
    Ok(Picked {
        reference: reference.trim().to_string(),
        version: version.0,
    })
}

/// Gives the ticked cases to the chosen officer, one assignment each.
/// All given: back to the team's page, which says how many. Otherwise the
/// page again with how many were given and each case refused with why (or
/// what was missing from the form), the cases still ticked.
pub async fn assign_several(
    State(state): State<AppState>,
    Posted { user, lang, form }: Posted<AssignSeveralForm>,
) -> Response {
    let header = Header {
        user: Some(&user),
        path: "/team",
    };
    let title = lang.say(&crate::http::pages::words::THE_TEAMS_WORK);
    let now = Utc::now();
    let several = match assign::assign_several(
        &state.engine,
        &user.actor,
        &form.user,
        &form.cases,
        now,
    )
    .await
    {
        Ok(several) => several,
        Err(error) => {
            return error_page(lang, &header, title, &ApiError::from(error), html! {});
        }
    };
    let officer = form.user.trim();
    let assigned = several.assigned() as i64;
    let (status, done) = match several {
        Several::Done(done) if done.iter().all(|(_, r)| r.is_ok()) => {
            let to = format!("/team?assigned={assigned}&to={}", encode(officer));
            return Redirect::to(&to).into_response();
        }
        Several::NobodyChosen => (
            StatusCode::UNPROCESSABLE_ENTITY,
            notice("error", lang.say(&words::NO_OFFICER_WAS_CHOSEN)),
        ),
        Several::NoCaseChosen => (
            StatusCode::UNPROCESSABLE_ENTITY,
            notice("error", lang.say(&words::NO_CASE_WAS_CHOSEN)),
        ),
        Several::TooMany => (
            StatusCode::UNPROCESSABLE_ENTITY,
            notice(
                "error",
                &words::too_many_at_once(lang.locale(), MAX_AT_ONCE as i64),
            ),
        ),
        Several::Done(done) => {
            let refused: Vec<(String, ApiError)> = done
                .into_iter()
                .filter_map(|(reference, r)| r.err().map(|e| (reference, ApiError::from(e))))
                .collect();
            let status = match refused.first() {
                Some((_, error)) if assigned == 0 => error.status(),
                _ => StatusCode::OK,
            };
            let markup = html! {
                @if assigned > 0 {
                    (notice("ok", &words::assigned_to(lang.locale(), assigned, officer)))
                }
                div class="notice error" role="alert" {
                    p { (lang.say(&words::NOT_ASSIGNED_AND_WHY)) }
                    ul { @for (reference, error) in &refused {
                        li {
                            a href=(format!("/applications/{reference}")) { bdi dir="ltr" { (reference) } }
                            " — " (problem_text(lang, error))
                        }
                    } }
                }
            };
            (status, markup)
        }
    };
    let picked: Vec<String> = form.cases.iter().map(|c| c.reference.clone()).collect();
    let team = match pages::team_page(&state.engine, &user.actor, TeamQuery::Everyone, now).await {
        Ok(TeamPage::Everyone(home)) => home,
        Ok(_) => unreachable!("the team's home was asked for"),
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), done),
    };
    let body = home_body(&state, &user, lang, &team, done, &picked);
    page_with_status(status, lang, &header, title, body)
}

/// A list of cases: head of family (a link to the case), state, days in it, due date.
fn cases_table(state: &AppState, lang: PageLang, items: &[lists::CaseSummary]) -> maud::Markup {
    html! {
        @if items.is_empty() {
            p { (lang.say(&words::NOTHING)) }
        } @else {
            div class="table-wrap" { table class="stack" {
                thead { tr {
                    th scope="col" { (lang.say(&crate::http::pages::words::NAME_OF_THE_CASE)) }
                    th scope="col" { (lang.say(&crate::http::pages::words::STATE)) }
                    th scope="col" { (lang.say(&crate::http::pages::words::DAYS_IN_STATE)) }
                    th scope="col" { (lang.say(&crate::http::pages::words::DUE)) }
                } }
                tbody { @for item in items { tr {
                    td data-label=(lang.say(&crate::http::pages::words::NAME_OF_THE_CASE)) {
                        a href=(format!("/applications/{}", item.reference)) { (item.display_name) }
                        " " span class="muted" { bdi dir="ltr" { (item.reference) } }
                    }
                    td data-label=(lang.say(&crate::http::pages::words::STATE)) { (state_label(state, lang, &item.state)) }
                    td data-label=(lang.say(&crate::http::pages::words::DAYS_IN_STATE)) { (item.days_in_state) }
                    td data-label=(lang.say(&crate::http::pages::words::DUE)) {
                        @if let Some(due) = item.due_on { span class=[item.overdue.then_some("overdue")] { (date(due)) } } @else { "—" }
                    }
                } } }
            } }
        }
    }
}
